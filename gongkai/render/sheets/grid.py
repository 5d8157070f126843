"""The payout table as a monospace text grid, laid out and paginated here rather than by WeasyPrint.

WeasyPrint's cost is per element and per shaped text run: a nine-cell table row costs about ten
boxes and nine runs. Here a row is one block holding one pre-formatted text (one run per physical
line) in "Noto Sans Mono CJK SC", where a CJK character is exactly two half-width cells; columns
are padded by east-asian width, horizontal rules are each row's bottom border and the vertical rules
are drawn once per page chunk. We paginate ourselves: rows go into page chunks by estimated height,
the heading repeated at the top of each chunk, the first chunk smaller to leave room for the title.

Units: a *cell* is half an em of the grid's font (CSS ``1ch`` in a monospace font).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Align = Literal["left", "right", "centre"]

CELL_EM = 0.5
"""A half-width character of the monospace font, in em."""
PT_PER_MM = 72 / 25.4

LINE_EM = 1.3
"""line-height of the grid (sheet.css ``.grid .r``)."""
PAD_EM = 0.54
"""Top plus bottom padding of a row (sheet.css: 0.27em each)."""
RULE_EM = 0.08
"""A row's 0.75 pt bottom rule, rounded up."""


@dataclass(frozen=True)
class PageBox:
    """The text area of a page size (sheet.css and document.html margins) and its sizes in pt."""

    width_mm: float
    height_mm: float
    grid_pt: float
    """The table's font size: 五号 on A4 portrait, larger on landscape pages (GB/T 9704)."""
    body_pt: float
    """The body text size (intro and closing)."""


PAGES = {
    "A4": PageBox(210 - 26 - 28, 297 - 37 - 35, 10.5, 14),
    "A4 landscape": PageBox(297 - 20 - 20, 210 - 20 - 22, 12, 14),
    "A3 landscape": PageBox(420 - 20 - 20, 297 - 20 - 22, 14, 16),
}
TITLE_PT = 22
MIN_FONT_PT = 7.0
SAFETY_PT = 12
"""Kept free on every page: the estimates round, WeasyPrint's line boxes may not."""


@dataclass(frozen=True)
class Grid:
    """The laid-out grid: every string is ready for a ``white-space: pre`` block."""

    font_pt: float
    width: int
    """Total width in cells; the vertical rules are at ``edges`` (cells from the left)."""
    edges: tuple[int, ...]
    header: str
    chunks: tuple[tuple[str, ...], ...]
    """The rows of each page chunk; a row of several physical lines holds newlines."""
    total: str
    total_edges: tuple[int, ...]
    """The vertical rules of the total row: its label spans the first columns."""


def cells(text: str) -> int:
    """The width of text in half-width cells: wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int) -> list[str]:
    """Text cut into lines of at most width cells (a character wider than width gets a line alone)."""
    if cells(text) <= width:
        return [text]
    lines, line, used = [], "", 0
    for char in text:
        size = cells(char)
        if line and used + size > width:
            lines.append(line)
            line, used = "", 0
        line += char
        used += size
    return [*lines, line] if line else lines


def pad(text: str, width: int, align: Align) -> str:
    """Text padded with spaces to exactly width cells."""
    gap = max(0, width - cells(text))
    if align == "right":
        return " " * gap + text
    if align == "centre":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    return text + " " * gap


def heading_lines(label: str) -> list[str]:
    """A heading on one or two lines: its unit in half-width brackets under the name, 「金额」「(元)」."""
    name, bracket, unit = label.partition("（")
    if not bracket:
        return [name]
    return [name, "(" + unit.replace("）", ")")]


@dataclass(frozen=True)
class Column:
    label: str
    align: Align
    wraps: bool
    """Whether a long value may go onto more lines (text columns); numbers, IDs and dates never do."""


def layout_grid(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    total: tuple[str, int, Sequence[str]],
    *,
    page_size: str,
    first_page_used_pt: float,
    last_page_used_pt: float,
) -> Grid:
    """Widths from the content, wrapped cells, and page chunks.

    total is (label, columns the label spans, the values of the remaining columns);
    first_page_used_pt and last_page_used_pt estimate the title and intro, and the closing text.
    """
    box = PAGES[page_size]
    heads = [heading_lines(c.label) for c in columns]
    natural = [max([cells(h) for h in head] + [cells(r[k]) for r in rows]) for k, head in enumerate(heads)]
    span, values = total[1], total[2]
    for k, value in enumerate(values, start=span):
        natural[k] = max(natural[k], cells(value))
    label_room = cells(total[0]) + 2 - sum(natural[:span]) - (span - 1)
    if label_room > 0:
        natural[span - 1] += label_room
    floor = [
        max([4] + [cells(h) for h in head]) if c.wraps else n
        for c, head, n in zip(columns, heads, natural, strict=True)
    ]
    capacity = int(box.width_mm * PT_PER_MM / (box.grid_pt * CELL_EM))
    widths = _fit(natural, floor, [c.wraps for c in columns], capacity - len(columns))
    used = sum(widths) + len(columns)
    font_pt = box.grid_pt
    if used > capacity:
        font_pt = max(MIN_FONT_PT, math.floor(box.grid_pt * capacity / used * 10) / 10)
        capacity = int(box.width_mm * PT_PER_MM / (font_pt * CELL_EM))
    if used < capacity:
        widths[-1] += capacity - used  # the table spans the text width; the last column takes the rest
    edges = [0]
    for w in widths:
        edges.append(edges[-1] + w + 1)

    def lines(values: Sequence[Sequence[str]], aligns: Sequence[Align]) -> str:
        height = max(len(v) for v in values)
        out = []
        for i in range(height):
            out.append(
                " ".join(
                    pad(v[i] if i < len(v) else "", w, a) for v, w, a in zip(values, widths, aligns, strict=True)
                ).rstrip()
            )
        return "\n".join(out)

    aligns = [c.align for c in columns]
    header = lines([[*h] for h in heads], ["centre"] * len(columns))
    body = [
        lines([wrap(v, w) if c.wraps else [v] for v, w, c in zip(row, widths, columns, strict=True)], aligns)
        for row in rows
    ]
    label_width = sum(widths[:span]) + span - 1
    total_text = " ".join(
        [pad(total[0], label_width, "centre")]
        + [pad(v, w, a) for v, w, a in zip(values, widths[span:], aligns[span:], strict=True)]
    ).rstrip()
    chunks = _paginate(
        [r.count("\n") + 1 for r in body],
        header.count("\n") + 1,
        font_pt,
        box,
        first_page_used_pt,
        last_page_used_pt,
    )
    return Grid(
        font_pt=font_pt,
        width=edges[-1],
        edges=tuple(edges),
        header=header,
        chunks=tuple(tuple(body[i] for i in chunk) for chunk in chunks),
        total=total_text,
        total_edges=(0, *edges[span:]),
    )


def _fit(natural: list[int], floor: list[int], wraps: list[bool], room: int) -> list[int]:
    """The natural widths, the widest wrapping column narrowed a cell at a time until they fit in room."""
    widths = list(natural)
    while sum(widths) > room:
        candidates = [k for k, w in enumerate(widths) if wraps[k] and w > floor[k]]
        if not candidates:
            break
        widest = max(candidates, key=lambda k: widths[k] - floor[k])
        widths[widest] -= 1
    return widths


def row_pt(lines: int, font_pt: float) -> float:
    """The height of a row of so many physical lines."""
    return (lines * LINE_EM + PAD_EM + RULE_EM) * font_pt


def _paginate(
    heights: list[int], header_lines: int, font_pt: float, box: PageBox, first_used: float, last_used: float
) -> list[range]:
    """Row indexes per page chunk; the last chunk leaves room for the total row and the closing."""
    page = box.height_mm * PT_PER_MM - SAFETY_PT
    head = row_pt(header_lines, font_pt) + RULE_EM * font_pt
    chunks: list[range] = []
    start, room = 0, page - first_used - head
    used = 0.0
    for i, lines in enumerate(heights):
        height = row_pt(lines, font_pt)
        if used + height > room and i > start:
            chunks.append(range(start, i))
            start, room, used = i, page - head, 0.0
        used += height
    last = range(start, len(heights))
    tail = row_pt(1, font_pt) + last_used
    if used + tail > room and len(last) > 1:
        # The closing does not fit under the last rows: the last rows go over to its page with it.
        moved, cut = 0.0, len(heights)
        while cut > start + 1 and moved + row_pt(heights[cut - 1], font_pt) + tail <= page - head:
            cut -= 1
            moved += row_pt(heights[cut], font_pt)
        cut = min(cut, len(heights) - 1)
        chunks.append(range(start, cut))
        last = range(cut, len(heights))
    chunks.append(last)
    return chunks


def text_lines(text: str, font_pt: float, width_pt: float, indent_pt: float = 0) -> int:
    """How many lines a paragraph takes, generously: CJK text breaks anywhere."""
    return max(1, math.ceil((cells(text) * font_pt * CELL_EM + indent_pt) / (width_pt * 0.97)))
