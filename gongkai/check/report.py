"""Checks on the annual reports: the arithmetic of their tables, and section 二 against the site's documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal

from ..errors import Problem
from ..link import Links
from ..link.normative import normative_entry
from ..model import AnnualReport, County, Document
from ..model.report import Rule, Section, SectionNumbers, Table

REGULATION = "规章"
NORMATIVE_ROW = "行政规范性文件"
SPELLED_OUT = 5
"""Up to this many terms, a message shows the sum with its numbers."""


def check_reports(county: County, links: Links) -> Iterator[Problem]:
    """Every arithmetic error in every report, and a warning where section 二 disagrees with the site."""
    for report in county.reports:
        for section in report.report_format.sections:
            numbers = report.section_numbers(section)
            for table in section.tables:
                yield from _table(report, section, table, numbers)
        if report.format == "2021":
            yield from _cross_check(report, county.documents, links)


def _table(report: AnnualReport, section: Section, table: Table, numbers: SectionNumbers) -> Iterator[Problem]:
    values = {row.key: numbers.row(row.key).values for row in table.rows}
    for rule in table.row_rules:
        for index, column in enumerate(table.columns):
            where = f"「{_row_title(table, rule.target)}」行「{column.title}」列"
            cells = ([values[str(k)][index] for k in rule.plus], [values[str(k)][index] for k in rule.minus])
            line = numbers.row(str(rule.target)).line
            yield from _rule(report, section, where, line, rule, values[str(rule.target)][index], *cells)
    for rule in table.column_rules:
        for row in table.rows:
            row_values = values[row.key]
            where = (f"「{row.title}」行" if row.title else "") + f"「{table.columns[int(rule.target)].title}」列"
            cells = ([row_values[int(k)] for k in rule.plus], [row_values[int(k)] for k in rule.minus])
            yield from _rule(
                report, section, where, numbers.row(row.key).line, rule, row_values[int(rule.target)], *cells
            )


def _row_title(table: Table, key: str | int) -> str:
    return next(row.title for row in table.rows if row.key == key)


def _rule(
    report: AnnualReport,
    section: Section,
    where: str,
    line: int | None,
    rule: Rule,
    actual: int | Decimal,
    plus: Sequence[int | Decimal],
    minus: Sequence[int | Decimal],
) -> Iterator[Problem]:
    expected = sum(plus, Decimal(0)) - sum(minus, Decimal(0))
    if actual == expected:
        return
    terms = " + ".join(str(v) for v in plus) + "".join(f" − {v}" for v in minus)
    formula = f"{rule.text} = {terms}" if len(plus) + len(minus) <= SPELLED_OUT else rule.text
    yield Problem(
        report.origin.path,
        line,
        section.key,
        f"第{section.number}部分{where}：应为 {_number(expected)}（= {formula}），实际为 {_number(actual)}",
        "请核对这一行和相关各行的数",
    )


def _number(value: int | Decimal) -> str:
    return str(int(value)) if value == int(value) else str(value)


# ── Section 二 against the site ─────────────────────────────────────────────────────────────


def site_counts(kind: str, documents: Sequence[Document], links: Links, year: int) -> tuple[int, int, int]:
    """(本年制发, 本年废止, 现行有效) of one kind of document, counted from the site for ``year``.

    制发: published in the year. 废止: 有效性 废止, published or expiring (有效期至) in the year — the
    sources do not record the date a document was abolished. 现行有效: published by 31 December and in
    force on that day (有效期 as in the 现行有效行政规范性文件目录).
    """
    year_end = dt.date(year, 12, 31)
    if kind == NORMATIVE_ROW:
        chosen = [entry.document for entry in links.normative]
    else:
        chosen = [doc for doc in documents if doc.kind == kind]
    issued = sum(doc.published.year == year for doc in chosen)
    abolished = sum(
        doc.validity == "废止" and year in (doc.published.year, doc.expires.year if doc.expires else None)
        for doc in chosen
    )
    in_force = sum(doc.published <= year_end and normative_entry(doc, year_end, ()).in_force for doc in chosen)
    return issued, abolished, in_force


def _cross_check(report: AnnualReport, documents: Sequence[Document], links: Links) -> Iterator[Problem]:
    section = report.report_format.sections[0]
    numbers = report.section_numbers(section)
    table = section.tables[0]
    for kind in (REGULATION, NORMATIVE_ROW):
        row = numbers.row(kind)
        counted = site_counts(kind, documents, links, report.year)
        for column, written, found in zip(table.columns, row.values, counted, strict=True):
            if written != found:
                yield Problem(
                    report.origin.path,
                    row.line,
                    section.key,
                    f"第二部分「{kind}」行「{column.label}」列填写 {written}，本网站发布的文件统计为 {found}",
                    f"请核对：统计的是本网站组配分类为「{kind}」的文件（见使用指南「年报」一节的统计口径）；"
                    "如果网站上缺少文件，请补发",
                    warning=True,
                )
