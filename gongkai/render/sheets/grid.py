"""Tables as monospace text grids: column widths from the content, cells padded and wrapped here.

WeasyPrint's cost is per element and per shaped text run: a nine-cell table row costs about ten
boxes and nine runs. Here a row is one block holding one pre-formatted text (one run per physical
line) in "Noto Sans Mono CJK SC", where a CJK character is exactly two half-width cells; columns
are padded to their width, horizontal rules are each row's bottom border and the vertical rules
are drawn once per page (sheet.css). Rows have a fixed height, so flow.py can paginate exactly.

Units: a *cell* is half an em of the grid's font (CSS ``1ch`` in a monospace font). Between two
columns there is one cell: half of it on each side of the vertical rule.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .metrics import break_lines, cells

Align = Literal["left", "right", "centre"]

LINE_EM = 1.25
"""line-height of the grid (sheet.css ``.grid``)."""
PAD_EM = 0.4
"""Top plus bottom padding of a row (sheet.css: 0.2em each)."""
RULE_PT = 0.75
"""The width of every rule."""
NAME_CELLS = 14
"""A wrapping column is never narrower than this unless its content is: 7 CJK characters, so a name of
six and a 「·」 (阿卜杜·热合曼), or 第十二村民小组, stays on one line."""
MIN_FONT_PT = 8.0


@dataclass(frozen=True)
class Column:
    label: str
    align: Align
    wraps: bool = False
    """Whether a long value may go onto more lines (text columns); numbers, IDs and dates never do."""
    keep: int = NAME_CELLS
    """The cells a wrapping column keeps before it wraps (if its content is that wide)."""


def wrap(text: str, width: int) -> list[str]:
    """Text cut into lines of at most width cells, by the Chinese line-breaking rules."""
    return break_lines(text, width) if cells(text) > width else [text]


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


def row_pt(lines: int, font_pt: float) -> float:
    """The height of a row of so many physical lines, with its bottom rule."""
    return (lines * LINE_EM + PAD_EM) * font_pt + RULE_PT


@dataclass(frozen=True)
class Grid:
    """The columns of one table laid out for a width: font size and each column's width in cells."""

    columns: tuple[Column, ...]
    widths: tuple[int, ...]
    font_pt: float

    @property
    def edges(self) -> tuple[int, ...]:
        """Where the vertical rules stand, in cells from the left; the last one is the right edge."""
        found = [0]
        for width in self.widths:
            found.append(found[-1] + width + 1)
        return tuple(found)

    def header(self) -> str:
        """The heading row's text, centred, on as many lines as the longest heading."""
        heads = [heading_lines(c.label) for c in self.columns]
        return self._lines(heads, ["centre"] * len(self.columns))

    def row(self, values: Sequence[str]) -> str:
        """A row's text: wrapping cells on several lines, the others padded to their width."""
        split = [wrap(v, w) if c.wraps else [v] for v, w, c in zip(values, self.widths, self.columns, strict=True)]
        return self._lines(split, [c.align for c in self.columns])

    def spanned(self, label: str, span: int, values: Sequence[str]) -> tuple[str, tuple[int, ...]]:
        """A total row: label centred over the first span columns, then values; its text and its rules."""
        width = sum(self.widths[:span]) + span - 1
        parts = [pad(label, width, "centre")] + [
            pad(v, w, c.align) for v, w, c in zip(values, self.widths[span:], self.columns[span:], strict=True)
        ]
        return " ".join(parts).rstrip(), (0, *self.edges[span:])

    def _lines(self, values: list[list[str]], aligns: Sequence[Align]) -> str:
        height = max(len(v) for v in values)
        return "\n".join(
            " ".join(
                pad(v[i] if i < len(v) else "", w, a) for v, w, a in zip(values, self.widths, aligns, strict=True)
            ).rstrip()
            for i in range(height)
        )


def fit(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    width_pt: float,
    font_pt: float,
    *,
    total: tuple[str, int, Sequence[str]] | None = None,
    min_font_pt: float = MIN_FONT_PT,
) -> Grid:
    """The widths that show every value on one line if the text width allows, and span that width.

    Numbers, IDs and dates never wrap; text columns keep ``Column.keep`` cells (a 6-character name)
    and wrap beyond. When even that does not fit, the font shrinks (not below min_font_pt), then the
    text columns give way further. Room left over goes to every column in turn, so the table spans
    the text width. total is a total row: its label, the columns the label covers, the other values.
    """
    if total is not None:
        rows = [*rows, [""] * total[1] + list(total[2])]
    natural = [
        max([cells(h) for h in heading_lines(c.label)] + [cells(r[k]) for r in rows]) for k, c in enumerate(columns)
    ]
    if total is not None:
        label, count = total[0], total[1]
        short = cells(label) + 2 - (sum(natural[:count]) + count - 1)
        if short > 0:
            natural[count - 1] += short
    floor = [
        max([min(n, c.keep)] + [cells(h) for h in heading_lines(c.label)]) if c.wraps else n
        for c, n in zip(columns, natural, strict=True)
    ]
    size = min(font_pt, math.floor(width_pt / ((sum(floor) + len(columns)) * 0.5) * 10) / 10)
    size = max(size, min_font_pt)
    room = int(width_pt / (size * 0.5) + 1e-6) - len(columns)
    if sum(floor) > room:  # the text columns wrap below their keep: 4 cells at least
        floor = [
            max(4, max(cells(h) for h in heading_lines(c.label))) if c.wraps else f
            for c, f in zip(columns, floor, strict=True)
        ]
    widths = _narrowed(natural, floor, room)
    spare = room - sum(widths)
    for k in range(spare if spare > 0 else 0):
        widths[k % len(widths)] += 1
    return Grid(tuple(columns), tuple(widths), size)


def _narrowed(natural: list[int], floor: list[int], room: int) -> list[int]:
    """The natural widths, the widest-above-its-floor column narrowed a cell at a time until they fit."""
    widths = list(natural)
    excess = sum(widths) - room
    while excess > 0:
        candidates = [k for k, w in enumerate(widths) if w > floor[k]]
        if not candidates:
            break
        widest = max(candidates, key=lambda k: (widths[k] - floor[k], widths[k]))
        widths[widest] -= 1
        excess -= 1
    return widths
