"""The tables behind the downloads: each table's columns declared once, shared by CSV, XLSX and JSON."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Generic, TypeVar

from ...link import Links, NormativeEntry
from ...model import Catalog, CatalogRow, County, Document, Domain
from ...model.catalog import AUDIENCES, CHANNELS, LEVELS, MODES
from ..formats import cn_date

R = TypeVar("R")
Value = str | int | dt.date | tuple[str, ...] | None
"""A cell: text, a number, a date, a list (joined with 「；」 in a single cell) or nothing."""

TICK = "√"
USED, UNUSED = "■", "□"
JOIN = "；"


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: its header, how to read its value from a record, and how it looks in a spreadsheet."""

    header: str
    value: Callable[[R], Value]
    group: str | None = None
    """The header above this one in a two-row header (公开事项 over 一级事项 and 二级事项)."""
    width: int = 12
    centered: bool = False


@dataclass(frozen=True)
class Table:
    """A titled table of values, ready to be written as CSV, XLSX or JSON."""

    title: str
    columns: tuple[Column[Any], ...]
    rows: tuple[tuple[Value, ...], ...]

    @property
    def grouped(self) -> bool:
        """Has a second header row."""
        return any(column.group for column in self.columns)

    def written(self) -> tuple[object, ...]:
        """Everything a writer puts in a file (not the functions that computed the rows), for cache keys."""
        columns = tuple((c.header, c.group, c.width, c.centered) for c in self.columns)
        return (self.title, columns, self.rows)

    @cached_property
    def fingerprint(self) -> str:
        """The SHA-256 of ``written()``'s repr, for cache keys: made once however many files show the table."""
        return hashlib.sha256(repr(self.written()).encode("utf-8", "surrogatepass")).hexdigest()

    def header_rows(self) -> list[list[str]]:
        """One header row, or two when columns are grouped (a group's name only over its first column)."""
        if not self.grouped:
            return [[column.header for column in self.columns]]
        top = [column.group or column.header for column in self.columns]
        for first, last in self.groups():
            top[first + 1 : last + 1] = [""] * (last - first)
        return [top, [column.header if column.group else "" for column in self.columns]]

    def groups(self) -> list[tuple[int, int]]:
        """The (first, last) positions, 0-based, of each run of columns under one group header."""
        runs: list[tuple[int, int]] = []
        for i, column in enumerate(self.columns):
            if not column.group:
                continue
            if runs and runs[-1][1] == i - 1 and self.columns[i - 1].group == column.group:
                runs[-1] = (runs[-1][0], i)
            else:
                runs.append((i, i))
        return runs


def table(title: str, columns: Sequence[Column[R]], records: Iterable[R]) -> Table:
    """The table of ``records`` under ``columns``: made column by column (``map``, then ``zip``), which at county
    scale (the 20 000 documents' table, each build) took a third of the time of a generator per row."""
    records = records if isinstance(records, (list, tuple)) else list(records)
    if not columns:
        return Table(title, (), tuple(() for _ in records))
    return Table(title, tuple(columns), tuple(zip(*(map(column.value, records) for column in columns), strict=True)))


def text(value: Value) -> str:
    """A cell as text: dates as YYYY-MM-DD, lists joined with 「；」, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return JOIN.join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def newest(documents: Iterable[Document]) -> list[Document]:
    """Documents newest first (ties by path, so the order is stable)."""
    return sorted(documents, key=lambda doc: (doc.published, doc.slug), reverse=True)


# The standard catalogue of a domain (domain.md §2)


def channel_checklist(row: CatalogRow) -> str:
    """The whole channel vocabulary, each ticked ■ or not □."""
    return " ".join(f"{USED if channel in row.channels else UNUSED}{channel}" for channel in CHANNELS)


def _ticks(
    group: str, choices: tuple[str, ...], chosen: Callable[[CatalogRow], tuple[str, ...]]
) -> list[Column[CatalogRow]]:
    def tick(choice: str) -> Callable[[CatalogRow], Value]:
        return lambda row: TICK if choice in chosen(row) else None

    return [Column(choice, tick(choice), group, width=7, centered=True) for choice in choices]


CATALOG_COLUMNS: tuple[Column[CatalogRow], ...] = (
    Column("序号", lambda row: row.number, width=6, centered=True),
    Column("一级事项", lambda row: row.item, "公开事项", width=16),
    Column("二级事项", lambda row: row.subitem, "公开事项", width=16),
    Column("公开内容（要素）", lambda row: row.content, width=32),
    Column("公开依据", lambda row: row.basis, width=32),
    Column("公开时限", lambda row: row.deadline, width=18),
    Column("公开主体", lambda row: row.body, width=14),
    Column("公开渠道和载体", channel_checklist, width=36),
    *_ticks("公开对象", AUDIENCES, lambda row: (row.audience,)),
    *_ticks("公开方式", MODES, lambda row: (row.mode,)),
    *_ticks("公开层级", LEVELS, lambda row: row.levels),
    Column("备注", lambda row: row.note, width=14),
)


def catalog_table(domain: Domain, catalog: Catalog | None) -> Table:
    """A domain's standard catalogue; a domain without a catalogue file gets the headers alone."""
    return table(f"{domain.name}领域基层政务公开标准目录", CATALOG_COLUMNS, catalog.rows if catalog else ())


# The 现行有效行政规范性文件目录 and its 已废止 / 已失效 companions (domain.md §4)

Numbered = tuple[int, NormativeEntry]

NORMATIVE_COLUMNS: tuple[Column[Numbered], ...] = (
    Column("序号", lambda item: item[0], width=6, centered=True),
    Column("文件名称", lambda item: item[1].document.title, width=40),
    Column("文号", lambda item: item[1].document.doc_no, width=20),
    Column("统一登记号", lambda item: item[1].document.registration_no, width=20),
    Column("制定机关", lambda item: item[1].document.agency, width=24),
    Column("成文日期", lambda item: item[1].document.written, width=12, centered=True),
    Column("施行日期", lambda item: item[1].effective, width=12, centered=True),
    Column("有效期至", lambda item: item[1].expires, width=12, centered=True),
    Column("状态", lambda item: item[1].status, width=8, centered=True),
    Column("解读", lambda item: tuple(doc.title for doc in item[1].interpretations), width=40),
)

NORMATIVE_LISTS: tuple[tuple[str, str, Callable[[NormativeEntry], bool]], ...] = (
    ("现行有效", "现行有效行政规范性文件目录", lambda entry: entry.in_force),
    ("已废止", "已废止行政规范性文件目录", lambda entry: entry.status == "废止"),
    ("已失效", "已失效行政规范性文件目录", lambda entry: entry.status == "失效"),
)
"""(sheet name, title, which entries) of each list, the list in force first."""


def normative_tables(county: County, links: Links, today: dt.date) -> list[tuple[str, Table]]:
    """(sheet name, table) of each normative-document list, newest first, titled with the as-of date."""
    as_of = f"（截至{cn_date(today)}）"
    tables = []
    for sheet, title, listed in NORMATIVE_LISTS:
        entries = enumerate((entry for entry in links.normative if listed(entry)), start=1)
        tables.append((sheet, table(county.config.name + title + as_of, NORMATIVE_COLUMNS, entries)))
    return tables
