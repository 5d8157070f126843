"""A declared report table laid out as HTML-ready cells: merged header and label cells, formatted numbers.

The web page and the PDF print the same layout, so the two cannot differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ...model.report import Column, Row, SectionNumbers, Table


@dataclass(frozen=True)
class Cell:
    """One table cell; ``header`` cells are <th>."""

    text: str
    colspan: int = 1
    rowspan: int = 1
    header: bool = True
    group: bool = False
    """A row label over several rows (三、本年度办理结果 over its (一)…(七)): it scrolls with the numbers on a
    phone, where only each row's own label stays in view (nested labels kept in view would cover each other)."""


@dataclass(frozen=True)
class TableView:
    """A table ready to print: caption, header rows, body rows; ``columns`` counts every column."""

    caption: str
    head: tuple[tuple[Cell, ...], ...]
    body: tuple[tuple[Cell, ...], ...]
    columns: int
    labels: int = 1
    """Columns of row labels: more than one when labels are nested."""


def table_view(table: Table, numbers: SectionNumbers) -> TableView:
    """The table with its numbers, merged cells computed from the declaration."""
    labels = max((len(row.groups) + 1 for row in table.rows if row.label), default=0)
    head = _head(table, labels)
    body = tuple(_body_row(table.rows, index, labels, numbers) for index in range(len(table.rows)))
    return TableView(table.caption, head, body, labels + len(table.columns), labels)


def _head(table: Table, labels: int) -> tuple[tuple[Cell, ...], ...]:
    depth = max(len(column.groups) for column in table.columns) + 1
    rows: list[tuple[Cell, ...]] = []
    for level in range(depth):
        cells = [Cell(table.corner, labels, depth)] if level == 0 and labels else []
        cells += _head_cells(table.columns, level, depth)
        rows.append(tuple(cells))
    return tuple(rows)


def _head_cells(columns: tuple[Column, ...], level: int, depth: int) -> list[Cell]:
    groups = [column.groups[: level + 1] for column in columns]
    cells, index = [], 0
    while index < len(columns):
        column = columns[index]
        if len(column.groups) > level:
            span = _span(groups, index)
            cells.append(Cell(column.groups[level], colspan=span))
            index += span
            continue
        if len(column.groups) == level:
            cells.append(Cell(column.label, rowspan=depth - level))
        index += 1
    return cells


def _body_row(rows: tuple[Row, ...], index: int, labels: int, numbers: SectionNumbers) -> tuple[Cell, ...]:
    row = rows[index]
    cells = []
    for level in range(labels):
        if level < len(row.groups):
            groups = [other.groups[: level + 1] for other in rows]
            if index == 0 or groups[index - 1] != groups[index]:
                cells.append(Cell(row.groups[level], rowspan=_span(groups, index), group=True))
            continue
        cells.append(Cell(row.label, colspan=labels - level))
        break
    values = numbers.row(row.key).values
    return (*cells, *(Cell(format_number(value), header=False) for value in values))


def _span(keys: Sequence[tuple[str, ...]], start: int) -> int:
    """How many items from ``start`` on share its key (the cells one merged cell covers)."""
    end = start
    while end < len(keys) and keys[end] == keys[start]:
        end += 1
    return end - start


def format_number(value: int | Decimal) -> str:
    """A cell's number as the report prints it: counts as integers, amounts as written."""
    return str(value)
