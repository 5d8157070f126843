"""Read and write the 索引号 ledger, index-ledger.csv: one row per number ever given, sorted by number."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from ..errors import Problem
from ..model.ledger import LedgerEntry
from .files import read_text
from .records import build, row_map

LEDGER_FILE = "index-ledger.csv"
HEADER = ("索引号", "文件", "分配日期")
_COLUMNS = ",".join(HEADER)
_RESTORE = "请恢复原样；登记簿由 gongkai index assign 维护，不要手工修改"


def load_ledger(root: Path) -> tuple[list[LedgerEntry], list[Problem]]:
    """The ledger's entries and its problems; a missing ledger file is an empty ledger."""
    path = root / LEDGER_FILE
    if not path.is_file():
        return [], []
    text, problems = read_text(path, LEDGER_FILE)
    if text is None:
        return [], problems
    entries, problems = _entries(csv.reader(io.StringIO(text)))
    return entries, problems + list(_duplicates(entries))


def format_ledger(entries: Iterable[LedgerEntry]) -> str:
    """The ledger file's text: UTF-8 CSV, LF line endings, sorted by 索引号."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for entry in sorted(entries, key=lambda e: e.index_no):
        writer.writerow((entry.index_no, entry.path, entry.assigned.isoformat()))
    return out.getvalue()


def _entries(reader: Iterable[list[str]]) -> tuple[list[LedgerEntry], list[Problem]]:
    rows = iter(reader)
    header = tuple(cell.strip() for cell in next(rows, []))
    if header != HEADER:
        return [], [Problem(LEDGER_FILE, 1, "", f"第一行应为表头「{_COLUMNS}」", _RESTORE)]
    entries, problems = [], []
    for number, row in enumerate(rows, start=2):
        entry, found = _entry(number, row)
        problems += found
        if entry is not None:
            entries.append(entry)
    return entries, problems


def _entry(number: int, row: list[str]) -> tuple[LedgerEntry | None, list[Problem]]:
    if not any(cell.strip() for cell in row):
        return None, []
    if len(row) != len(HEADER):
        return None, [
            Problem(LEDGER_FILE, number, "", f"应有 {len(HEADER)} 列（{_COLUMNS}），实际有 {len(row)} 列", _RESTORE)
        ]
    values = {key: cell.strip() for key, cell in zip(HEADER, row, strict=True)}
    return build(LedgerEntry, row_map(values, number), LEDGER_FILE)


def _duplicates(entries: list[LedgerEntry]) -> Iterable[Problem]:
    numbers: dict[str, LedgerEntry] = {}
    paths: dict[str, LedgerEntry] = {}
    for entry in entries:
        first = numbers.setdefault(entry.index_no, entry)
        if first is not entry:
            yield Problem(
                LEDGER_FILE,
                entry.origin.line,
                "索引号",
                f"索引号「{entry.index_no}」在第 {first.origin.line} 行已登记",
                "请删除重复的一行",
            )
        first = paths.setdefault(entry.path, entry)
        if first is not entry:
            yield Problem(
                LEDGER_FILE,
                entry.origin.line,
                "文件",
                f"{entry.path} 在第 {first.origin.line} 行已登记索引号「{first.index_no}」",
                "每个文件只有一个索引号：请保留文件中实际使用的那一个，删除另一行",
            )
