"""Checks of 索引号 against the ledger (never changed, never reused) and against the configured template."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Problem
from ..link.indexno import BadTemplate, IndexParts, IndexTemplate, compile_template
from ..model import County, Document
from ..model.ledger import LedgerEntry

KEY = "索引号"
TEMPLATE_KEY = "索引号模板"
REASSIGN = "删除本文件的索引号，运行 gongkai index assign 重新分配"
ASSIGN = "请运行 gongkai index assign 分配索引号（同时记入 index-ledger.csv），再检查或生成网站"


def check_ledger(county: County) -> Iterator[Problem]:
    """Index numbers changed, reused or unregistered, and numbers that do not fit the template."""
    template, problem = _template(county)
    if problem:
        yield problem
    by_path = {entry.path: entry for entry in county.ledger}
    by_number = {entry.index_no: entry for entry in county.ledger}
    for doc in county.documents:
        yield from _against_ledger(doc, by_path, by_number)
        unregistered = doc.origin.path not in by_path and doc.index_no not in by_number
        if template and doc.index_no and unregistered:  # a registered number stays, even if it misfits
            yield from _against_template(county, doc, doc.index_no, template)


def _at(doc: Document, message: str, fix: str, *, warning: bool = False) -> Problem:
    return Problem(doc.origin.path, doc.origin.line_of(KEY), KEY, message, fix, warning=warning)


def _template(county: County) -> tuple[IndexTemplate | None, Problem | None]:
    config = county.config
    try:
        return compile_template(config.index_template), None
    except BadTemplate as bad:
        line = config.origin.line_of(TEMPLATE_KEY)
        return None, Problem(config.origin.path, line, TEMPLATE_KEY, bad.message, bad.fix)


def check_numbered(county: County) -> Iterator[Problem]:
    """A document without 索引号 never reaches the site as 「（待分配）」: the clerk is told to assign one.
    (One whose agency has no code yet is held back instead: see ``link.held``; `index assign` skips it.)"""
    for doc in county.documents:
        agency = county.config.agency(doc.agency)
        if not doc.index_no and agency is not None and agency.credit_code:
            yield Problem(doc.origin.path, doc.origin.line_of("标题"), KEY, "还没有索引号", ASSIGN)


def _against_ledger(
    doc: Document, by_path: dict[str, LedgerEntry], by_number: dict[str, LedgerEntry]
) -> Iterator[Problem]:
    entry = by_path.get(doc.origin.path)
    if entry and entry.index_no != doc.index_no:
        given = f"，现在是「{doc.index_no}」" if doc.index_no else "，现在没有写"
        yield _at(
            doc,
            f"索引号被改动：登记为「{entry.index_no}」{given}",
            f"索引号一经分配不得改动，请改回「{entry.index_no}」",
        )
    if not doc.index_no:
        return
    owner = by_number.get(doc.index_no)
    if owner and owner.path != doc.origin.path:
        yield _at(doc, f"索引号「{doc.index_no}」已分配给 {owner.path}，不能重复使用", REASSIGN)
    elif owner is None and entry is None and by_number:
        yield _at(doc, "索引号未登记", "运行 gongkai index assign 登记", warning=True)


def _against_template(county: County, doc: Document, index_no: str, template: IndexTemplate) -> Iterator[Problem]:
    agency = county.config.agency(doc.agency)
    if agency is None or not agency.credit_code:
        return  # the unknown agency is reported by the document checks, the missing code by the held-back ones
    code, year, month = template.scope(agency.credit_code, doc.published)
    parts = template.parse(index_no)
    if parts is None:
        example = template.render(IndexParts(code, year, month, 1))
        yield _at(
            doc, f"索引号「{index_no}」不符合索引号模板「{template.text}」，应形如「{example}」", REASSIGN, warning=True
        )
    elif parts.code != code:
        yield _at(
            doc,
            f"索引号中的机构代码「{parts.code}」不是{agency.name}的统一社会信用代码「{code}」",
            REASSIGN,
            warning=True,
        )
    elif (parts.year, parts.month) != (year, month):
        written, expected = _period(parts.year, parts.month), _period(year, month)
        message = f"索引号中的{_period_name(month)}「{written}」与发布日期 {doc.published} 不符，应为「{expected}」"
        yield _at(doc, message, REASSIGN, warning=True)


def _period(year: int | None, month: int | None) -> str:
    return f"{year:04d}{month:02d}" if month is not None else f"{year:04d}"


def _period_name(month: int | None) -> str:
    return "年月" if month is not None else "年份"
