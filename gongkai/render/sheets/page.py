"""Page sizes and the blocks a sheet is made of, each with its exact height in pt.

Text is broken into lines here with the fonts' own widths (metrics.py) and drawn with fixed line
heights and ``white-space: pre`` (sheet.css), so a block is exactly as high as computed and
flow.py's pagination holds in the PDF. Sizes after GB/T 9704-2012 (title ≈ 2号 22 pt, page
numbers 4号), with narrower margins than an official document: a notice sheet is posted, not bound,
and fewer pages matter more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..formats import cn_date
from .flow import Block, Page, TableHead
from .grid import RULE_PT, Grid, row_pt
from .metrics import SANS, SERIF, break_lines, char_em

PT_PER_MM = 72 / 25.4
LINE = 1.5
"""line-height of body text."""
TITLE_LINE = 1.3
INDENT = "\u3000\u3000"
"""A paragraph's first line is indented by two ideographic spaces (2 em)."""
FIT = 0.98
"""Lines are broken at this share of the width: kerning and rounding never push one over."""


@dataclass(frozen=True)
class PageBox:
    """A page size: its CSS size, margins in mm and font sizes in pt."""

    size: str
    width_mm: float
    height_mm: float
    margins_mm: tuple[float, float, float, float]
    """Top, right, bottom, left (CSS order); the page number sits in the bottom margin."""
    grid_pt: float
    """The table's font size: 五号 on A4 portrait, larger on landscape pages."""
    body_pt: float
    title_pt: float

    @property
    def text_width(self) -> float:
        """The width of the text block in pt."""
        _top, right, _bottom, left = self.margins_mm
        return (self.width_mm - right - left) * PT_PER_MM

    @property
    def text_height(self) -> float:
        """The height of the text block in pt."""
        top, _right, bottom, _left = self.margins_mm
        return (self.height_mm - top - bottom) * PT_PER_MM

    @property
    def margin(self) -> str:
        """The margins as a CSS value."""
        return " ".join(f"{m}mm" for m in self.margins_mm)


PAGES = {
    "A4": PageBox("A4", 210, 297, (18, 20, 20, 20), 10.5, 12, 22),
    "A4 landscape": PageBox("A4 landscape", 297, 210, (15, 20, 18, 20), 12, 14, 22),
    "A3 landscape": PageBox("A3 landscape", 420, 297, (20, 25, 22, 25), 14, 16, 26),
}
SAFETY_PT = 5.0
"""Kept free at the foot of every page: WeasyPrint wants a last row's bottom padding and rule twice over
(0.2 em + 0.75 pt, measured: 3.15 pt at 12 pt) before it lets the row end the page."""


def serif(pt: float) -> Any:
    return lambda c: char_em(c, SERIF) * pt


def sans(pt: float) -> Any:
    return lambda c: char_em(c, SANS) * pt


# The blocks


@dataclass(frozen=True)
class Text:
    """Lines of text, each drawn as is; css is the block's class in sheet.css."""

    lines: tuple[str, ...]
    css: str
    size_pt: float
    line_pt: float
    after_pt: float = 0.0
    """Space below the block."""
    before_pt: float = 0.0
    """Space above the block."""

    @property
    def height(self) -> float:
        return self.before_pt + len(self.lines) * self.line_pt + self.after_pt


def title(parts: Sequence[str], box: PageBox) -> Block:
    """The title, centred: one line per part (place, then subject), the font made up to 4 pt smaller
    rather than a part broken; only a part too long even then breaks."""
    width = box.text_width * FIT
    size = box.title_pt
    while size > box.title_pt - 4 and any(sum(sans(size)(c) for c in part) > width for part in parts):
        size -= 1
    whole = "".join(parts)
    if sum(sans(box.title_pt)(c) for c in whole) <= width:
        lines, size = [whole], box.title_pt
    else:
        lines = [line for part in parts for line in break_lines(part, width, sans(size))]
    text = Text(tuple(lines), "title", size, size * TITLE_LINE, 5 * PT_PER_MM)
    return Block("text", text.height, text, keep_with_next=True)


def paragraph(
    text: str,
    box: PageBox,
    css: str = "para",
    *,
    size_pt: float | None = None,
    indent: bool = True,
    after_mm: float = 3,
) -> Text:
    """A paragraph broken into lines (first line indented 2 em) with the body font."""
    pt = size_pt or box.body_pt
    lines = break_lines((INDENT if indent else "") + text, box.text_width * FIT, serif(pt))
    return Text(tuple(lines), css, pt, pt * LINE, after_mm * PT_PER_MM)


def text_block(text: Text, *, keep_with_next: bool = False, keep_with_prev: bool = False) -> Block:
    return Block("text", text.height, text, keep_with_next=keep_with_next, keep_with_prev=keep_with_prev)


def heading(text: str, box: PageBox) -> Block:
    """A section heading (the year-end notice's subsidies), in the title font at body size."""
    lines = break_lines(text, box.text_width * FIT, sans(box.body_pt))
    block = Text(tuple(lines), "heading", box.body_pt, box.body_pt * LINE, 1 * PT_PER_MM, 2.5 * PT_PER_MM)
    return Block("text", block.height, block, keep_with_next=True)


@dataclass(frozen=True)
class TableData:
    """What a table's page chunk draws at its top: the grid (font, rules) and its heading text."""

    grid: Grid
    header: str
    header_lines: int


@dataclass(frozen=True)
class Row:
    text: str
    lines: int
    edges: tuple[int, ...] = ()
    """The vertical rules of a total row; () for an ordinary row (the table's)."""


def table(grid: Grid, rows: Sequence[Sequence[str]], total: tuple[str, int, Sequence[str]] | None) -> list[Block]:
    """A table's rows as blocks under one repeated heading; the total row (label, span, values) last."""
    header = grid.header()
    lines = header.count("\n") + 1
    head = TableHead(row_pt(lines, grid.font_pt) + RULE_PT, len(rows), TableData(grid, header, lines))
    blocks = []
    for values in rows:
        text = grid.row(values)
        count = text.count("\n") + 1
        blocks.append(Block("row", row_pt(count, grid.font_pt), Row(text, count), table=head))
    if total is not None:
        text, edges = grid.spanned(*total)
        blocks.append(Block("total", row_pt(1, grid.font_pt), Row(text, 1, edges), keep_with_prev=True, table=head))
    return blocks


@dataclass(frozen=True)
class Phones:
    """Phone lines, one or two to a line."""

    lines: tuple[tuple[str, ...], ...]
    size_pt: float
    line_pt: float
    indent: int = 4
    """Ems before the first phone of a line: 4 when one to a line, 2 when two."""


@dataclass(frozen=True)
class Signature:
    issuer: str
    date: str
    """「2026年11月20日」, or "" when the sheet prints none."""
    qr: str
    height: float


@dataclass(frozen=True)
class Closing:
    """The text after the table: notice period and objection, phones, issuer and date."""

    texts: tuple[Text, ...]
    phones: Phones | None
    signature: Signature
    before_pt: float

    @property
    def height(self) -> float:
        phones = 0.0 if self.phones is None else len(self.phones.lines) * self.phones.line_pt
        return self.before_pt + sum(t.height for t in self.texts) + phones + self.signature.height


QR_MM = 18
"""The QR code's side: 0.5 mm a module for a village page's address, which a phone reads at arm's length."""


def closing(
    texts: Sequence[Text], phones: Sequence[str], issuer: str, issued: dt.date | None, qr: str, box: PageBox
) -> Block:
    """The closing block, kept with the last rows of the table above it."""
    line = box.body_pt * LINE
    signature_pt = max(line * 2.6, (QR_MM * PT_PER_MM + 2) if qr else 0)
    signature = Signature(issuer, cn_date(issued) if issued else "", qr, signature_pt)
    block = Closing(tuple(texts), _phones(phones, box) if phones else None, signature, 3 * PT_PER_MM)
    return Block("closing", block.height, block, keep_with_prev=True)


def _phones(phones: Sequence[str], box: PageBox) -> Phones:
    """Two to a line (2 em in) when more than three and every one fits in half the width, else one (4 em in)."""
    measure = serif(box.body_pt)
    half = (box.text_width * FIT - 2 * box.body_pt) / 2
    if len(phones) > 3 and all(sum(measure(c) for c in p) <= half for p in phones):
        lines = tuple(tuple(phones[i : i + 2]) for i in range(0, len(phones), 2))
        return Phones(lines, box.body_pt, box.body_pt * LINE, 2)
    return Phones(tuple((p,) for p in phones), box.body_pt, box.body_pt * LINE)


# Pages for the templates


@dataclass(frozen=True)
class Chunk:
    """A table's rows on one page, drawn under its repeated heading."""

    table: TableData
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Layout:
    """A sheet laid out: its page size and, per page, what to draw as (kind, data) pairs.

    Kinds: "text" (Text), "chunk" (Chunk: a table's heading and rows), "total" (Row with its own
    rules, drawn right under the chunk before it), "closing" (Closing).
    """

    box: PageBox
    pages: tuple[tuple[tuple[str, Any], ...], ...] = field(default=())

    @property
    def count(self) -> int:
        return len(self.pages)


def laid_out(box: PageBox, pages: Sequence[Page]) -> Layout:
    """Pages of blocks as the template draws them: consecutive rows of a table become one chunk."""
    drawn = []
    for page in pages:
        items: list[tuple[str, Any]] = []
        for block in page.blocks:
            if block.kind == "row":
                data = block.table.data
                if items and items[-1][0] == "chunk" and items[-1][1].table is data:
                    items[-1] = ("chunk", Chunk(data, (*items[-1][1].rows, block.data)))
                else:
                    items.append(("chunk", Chunk(data, (block.data,))))
            elif block.kind == "total":
                if not (items and items[-1][0] == "chunk"):  # only when the rules could not all be kept
                    items.append(("chunk", Chunk(block.table.data, ())))
                items.append(("total", Chunk(block.table.data, (block.data,))))
            else:
                items.append((block.kind, block.data))
        drawn.append(tuple(items))
    return Layout(box, tuple(drawn))
