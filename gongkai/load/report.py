"""Load the annual reports, ``reports/<年度>.yml``: text fields through their specs, tables row by row."""

from __future__ import annotations

import difflib
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..model.report import AMOUNT, COUNT, FORMATS, AnnualReport, Column, Section, SectionNumbers, TableRow
from ..model.schema import specs
from .files import read_text, rel_path
from .records import build
from .tree import hidden
from .yamlsrc import YMap, parse_yaml

REPORTS_DIR = "reports"
TABLE_FIELDS = {"active", "applications", "reviews"}
"""AnnualReport attributes read here as tables, not by ``build``."""


def load_reports(root: Path) -> tuple[list[AnnualReport], list[Problem]]:
    """Every report under reports/, oldest first, and every problem in them."""
    reports, problems = [], []
    for path in sorted(p for p in (root / REPORTS_DIR).glob("*.yml") if not hidden(p.name)):
        report, found = load_report(path, root)
        problems += found
        if report is not None:
            reports.append(report)
    return sorted(reports, key=lambda r: r.year), problems


def load_report(path: Path, root: Path) -> tuple[AnnualReport | None, list[Problem]]:
    """One report file: its record, or None and the problems."""
    rel = rel_path(path, root)
    text, problems = read_text(path, rel)
    if text is None:
        return None, problems
    data, problems = parse_yaml(text, rel)
    if problems:
        return None, problems
    if not isinstance(data, YMap):
        return build(AnnualReport, data, rel)
    keys = {spec.key: name for name, spec in specs(AnnualReport) if name in TABLE_FIELDS}
    plain = YMap({k: v for k, v in data.items() if k not in keys})
    plain.line, plain.lines = data.line, data.lines
    report_format = FORMATS.get(str(data.get("格式", "")).strip())
    tables: dict[str, SectionNumbers | None] = {}
    if report_format is not None:
        for section in report_format.sections:
            numbers, found = _section(section, data, rel)
            problems += found
            tables[keys[section.key]] = numbers
    report, found = build(AnnualReport, plain, rel, **tables)
    problems += found
    if report is not None and path.stem != str(report.year):
        problems.append(
            Problem(rel, data.lines.get("年度"), "年度", f"文件名应为 {report.year}.yml", "文件名写年度，如 2025.yml")
        )
    return (None, problems) if problems else (report, [])


def _section(section: Section, data: YMap, path: str) -> tuple[SectionNumbers | None, list[Problem]]:
    """A table section's rows: every declared row present, each with one number per column."""
    raw = data.get(section.key)
    line = data.lines.get(section.key, data.line)
    keys = [row.key for row in section.rows]
    if raw is None:
        return None, [Problem(path, data.line, section.key, "缺少必填字段", f"请填写第{section.number}部分的表格")]
    if not isinstance(raw, YMap):
        fix = "下一行起每行写一个「行名: [数, 数, …]」，行名：" + "、".join(keys)
        return None, [Problem(path, line, section.key, "应为「行名: [数, …]」的内容", fix)]
    problems = _unknown_rows(raw, keys, section, path)
    rows = []
    for table in section.tables:
        for row in table.rows:
            if row.key not in raw:
                fix = f"请补上这一行（{row.label or section.title}），没有的数写 0"
                problems.append(Problem(path, line, section.key, f"缺少「{row.key}」行", fix))
                continue
            row_line = raw.lines.get(row.key, line)
            values, found = _values(raw[row.key], table.columns, path, row_line, f"{section.key}.{row.key}")
            problems += found
            rows.append(TableRow(row.key, values, row_line))
    if problems:
        return None, problems
    return SectionNumbers(section.key, tuple(rows), line), []


def _unknown_rows(raw: YMap, keys: list[str], section: Section, path: str) -> list[Problem]:
    problems = []
    lines = raw.lines
    for key in raw:
        if key not in keys:
            guess = difflib.get_close_matches(str(key), keys, n=1, cutoff=0.3)
            hint = f"如果想写「{guess[0]}」，请改正。" if guess else ""
            message = f"第{section.number}部分没有「{key}」行"
            problems.append(Problem(path, lines.get(key), str(key), message, hint + "可用的行：" + "、".join(keys)))
    return problems


def _values(
    raw: Any, columns: tuple[Column, ...], path: str, line: int | None, field: str
) -> tuple[tuple[int | Decimal, ...], list[Problem]]:
    """One row's numbers, one per column; a one-column row may be written without brackets."""
    items = raw if isinstance(raw, list) else [raw]
    names = "、".join(column.title for column in columns)
    if len(items) != len(columns):
        message = f"应有 {len(columns)} 个数（{names}），实际有 {len(items)} 个"
        return (), [Problem(path, line, field, message, "按表中列的顺序写成 [数, 数, …]，没有的写 0")]
    values: list[int | Decimal] = []
    problems = []
    for number, (item, column) in enumerate(zip(items, columns, strict=True), 1):
        value = _number(item, column.kind)
        if value is None:
            expected = {COUNT: "不小于 0 的整数", AMOUNT: "不小于 0 的数（可有小数）"}.get(column.kind, "整数")
            message = f"第 {number} 个数「{item}」（「{column.title}」列）应为{expected}"
            problems.append(Problem(path, line, field, message, "请改正，没有的写 0"))
        else:
            values.append(value)
    return tuple(values), problems


def _number(item: Any, kind: str) -> int | Decimal | None:
    """The cell's value, or None when it is not a number of this kind."""
    if isinstance(item, bool) or item is None:
        return None
    try:
        value = Decimal(str(item).strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or (kind != "signed" and value < 0):
        return None
    if kind == AMOUNT:
        return value
    return int(value) if value == value.to_integral_value() and "." not in str(item) else None
