"""Pages of a sheet: blocks of known height put onto as few pages as the layout rules allow.

Every block's height is exact (fixed line heights, lines broken in Python), so pagination is
arithmetic, done once, here. The rules (the clerk guide, 「公示表版式」, says them in Chinese):

- as few pages as the content allows;
- a table split over pages keeps at least ``MIN_ROWS`` rows on each page (a shorter table is never
  split), and repeats its heading on every page; where no layout can keep that and the rules below
  (a table of 9 rows and a closing that do not fit one page), ``FEWER_ROWS`` rows, then one, before
  any keep rule is given up — so the closing never stands alone on a page;
- a block marked ``keep_with_next`` (a title, a section heading) never ends a page, one marked
  ``keep_with_prev`` (a total row, the closing text) never begins one — so the closing travels with
  the last rows, and no page holds only a heading or only a 小计;
- among the layouts with fewest pages, each page is filled before the next one starts.

Nothing here knows about WeasyPrint or HTML: a block carries what its template needs.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

MIN_ROWS = 5
"""The fewest table rows on a page, unless the whole table is shorter."""
FEWER_ROWS = 3
"""The fewest rows on a page when MIN_ROWS cannot be kept with the keep rules."""


@dataclass(frozen=True)
class Block:
    """One unbreakable piece of a sheet: a title, a paragraph, a table row, the closing text."""

    kind: str
    """What the template draws: "title", "text", "heading", "row", "total", "closing", …"""
    height: float
    """In pt, exactly as drawn (margins included)."""
    data: Any = None
    keep_with_next: bool = False
    keep_with_prev: bool = False
    table: Any = None
    """The table a row or total belongs to (its heading is repeated on every page)."""


@dataclass(frozen=True)
class TableHead:
    """A table's heading, drawn at the top of each page that holds its rows."""

    height: float
    rows: int
    """How many rows the table has (a table shorter than MIN_ROWS is never split)."""
    data: Any = None


@dataclass
class Page:
    """The blocks of one page; a table's rows on it are drawn under its heading."""

    blocks: list[Block] = field(default_factory=list)
    height: float = 0.0


def paginate(blocks: Sequence[Block], page_height: float) -> list[Page]:
    """The blocks on as few pages as the rules allow; the rules are relaxed only when nothing fits."""
    for strict, min_rows in ((True, MIN_ROWS), (True, FEWER_ROWS), (True, 1), (False, 1)):
        cuts = _cuts(blocks, page_height, strict, min_rows)
        if cuts is not None:
            return [_page(blocks[a:b]) for a, b in itertools.pairwise(cuts)]
    raise AssertionError("unreachable: a relaxed layout always exists")


def _page(blocks: Sequence[Block]) -> Page:
    return Page(list(blocks), _height(blocks))


def _height(blocks: Sequence[Block]) -> float:
    """A page's height: its blocks, plus each table's heading."""
    heads = {id(b.table): b.table.height for b in blocks if isinstance(b.table, TableHead)}
    return sum(b.height for b in blocks) + sum(heads.values())


def _cuts(blocks: Sequence[Block], room: float, strict: bool, min_rows: int) -> list[int] | None:
    """The page starts (and the end) of a layout with fewest pages, each page filled first; None if none."""
    n = len(blocks)
    fewest: list[float] = [float("inf")] * (n + 1)
    fewest[n] = 0
    ends: list[list[int]] = [[] for _ in range(n + 1)]
    for start in range(n - 1, -1, -1):
        if start and not _breakable(blocks, start, strict):
            continue
        for end in _ends(blocks, start, room, strict, min_rows):
            ends[start].append(end)
            fewest[start] = min(fewest[start], fewest[end] + 1)
    if fewest[0] == float("inf"):
        return None
    cuts, start = [0], 0
    while start < n:
        start = max(end for end in ends[start] if fewest[end] == fewest[start] - 1)
        cuts.append(start)
    return cuts


def _ends(blocks: Sequence[Block], start: int, room: float, strict: bool, min_rows: int) -> list[int]:
    """Where a page beginning at start may end: it fits, it ends at a break, its tables keep enough rows."""
    found = []
    used = 0.0
    tables: dict[int, TableHead] = {}
    rows: dict[int, int] = {}
    for end in range(start + 1, len(blocks) + 1):
        block = blocks[end - 1]
        used += block.height
        if isinstance(block.table, TableHead):
            key = id(block.table)
            if key not in tables:
                tables[key] = block.table
                used += block.table.height
            if block.kind == "row":
                rows[key] = rows.get(key, 0) + 1
        if used > room:
            if end == start + 1 and not strict:  # a block taller than a page gets a page alone
                found.append(end)
            break
        if end < len(blocks) and not _breakable(blocks, end, strict):
            continue
        if strict and any(rows.get(k, 0) < min(min_rows, t.rows) for k, t in tables.items()):
            continue
        found.append(end)
    return found


def _breakable(blocks: Sequence[Block], at: int, strict: bool) -> bool:
    """Whether a page may end before blocks[at] (anywhere, when the rules cannot all be kept)."""
    return not strict or not (blocks[at - 1].keep_with_next or blocks[at].keep_with_prev)
