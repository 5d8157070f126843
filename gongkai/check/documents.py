"""Cross-record checks on documents: references, vocabularies, 索引号, 解读 timing, normative terms."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterator, Sequence

from ..errors import Problem
from ..link import Links, resolve_row
from ..link.held import holds
from ..model import County, Document
from ..model.document import PENDING, SUBJECTS

DOCUMENTS_DIR = "content/documents/"

INTERPRETATION_DAYS = 3


def check_documents(county: County, links: Links, today: dt.date) -> Iterator[Problem]:
    """Every problem that needs more than one document, or a document and the configuration."""
    for doc in county.documents:
        yield from _references(county, doc)
        yield from _catalog_item(county, doc, links)
        yield from _consultation(doc, today)
    yield from _held(county)
    yield from _duplicate_index_numbers(county.documents)
    yield from _interpretations(county, links)
    yield from _normative(links)


def guess(written: str, names: Sequence[str]) -> str:
    """「您是不是要写……？」 for the closest known name, or nothing."""
    close = difflib.get_close_matches(written, list(names), n=1, cutoff=0.5)
    return f"您是不是要写「{close[0]}」？" if close else ""


def _at(doc: Document, key: str, message: str, fix: str, warning: bool = False) -> Problem:
    return Problem(doc.origin.path, doc.origin.line_of(key), key, message, fix, warning)


def _references(county: County, doc: Document) -> Iterator[Problem]:
    config = county.config
    for agency, key in zip(doc.agencies, ("发布机构", *("联合发文机构",) * len(doc.co_issuers)), strict=True):
        if config.agency(agency) is None:
            names = [n for a in config.agencies for n in (a.name, a.short) if n]
            yield _at(
                doc,
                key,
                f"「{agency}」不在 county.yml 的发布机构列表中",
                guess(agency, names) + "请写列表中的全称或简称，或先在 county.yml 中添加这个机构",
            )
    if doc.domain != PENDING and county.domain(doc.domain) is None:
        names = [n for d in county.domains for n in (d.name, *d.aliases)]
        yield _at(
            doc,
            "领域",
            f"没有名为「{doc.domain}」的领域",
            guess(doc.domain, names) + "请写 catalog/domains.yml 中某个领域的代码、名称或别名",
        )
    if doc.subject.split("\\")[0] not in SUBJECTS:
        yield _at(
            doc,
            "主题分类",
            f"「{doc.subject}」不是主题分类的大类",
            "请从 22 个大类中选一个，如「农业、林业、水利」，小类写成「大类\\小类」",
        )
    if doc.kind not in (*config.kinds, PENDING):
        yield _at(
            doc,
            "组配分类",
            f"「{doc.kind}」不在组配分类列表中",
            guess(doc.kind, config.kinds) + "可选：" + "、".join(config.kinds),
        )
    if doc.published < doc.written:
        yield _at(doc, "发布日期", f"发布日期 {doc.published} 早于成文日期 {doc.written}", "请核对两个日期")


def _catalog_item(county: County, doc: Document, links: Links) -> Iterator[Problem]:
    domain = links.domain_of.get(doc.origin.path)
    if not doc.catalog_item or domain is None or doc.origin.path in links.row_of:  # (resolved to one row by link)
        return
    catalog = links.catalogs.get(domain.code)
    if catalog is None and county.may_hold("catalog/"):
        return
    found = resolve_row(catalog, doc.catalog_item) if catalog else None
    if isinstance(found, list):
        numbers = "、".join(row.number for row in found)
        yield _at(doc, "目录事项", f"「{doc.catalog_item}」对应目录中的多个事项（序号 {numbers}）", "请写序号")
    elif found is None:
        names = "、".join(f"{row.number} {row.title}" for row in (catalog.rows[:8] if catalog else ()))
        yield _at(
            doc,
            "目录事项",
            f"领域「{domain.name}」的标准目录中没有「{doc.catalog_item}」",
            f"请写目录中的序号或事项名称，例如：{names}" if names else f"请先编制领域「{domain.name}」的标准目录",
        )


def _consultation(doc: Document, today: dt.date) -> Iterator[Problem]:
    if not doc.is_consultation:
        return
    if doc.consult_start is None or doc.consult_end is None:
        yield _at(doc, "征集结束", "意见征集缺少征集开始或征集结束日期", "请写「征集开始」和「征集结束」两个日期")
    elif doc.consult_end < doc.consult_start:
        yield _at(doc, "征集结束", f"征集结束 {doc.consult_end} 早于征集开始 {doc.consult_start}", "请核对两个日期")
    elif doc.consult_end < today and not doc.adoption:
        yield _at(
            doc,
            "采纳情况",
            f"意见征集已于 {doc.consult_end} 结束，尚未公布采纳情况",
            "请在「采纳情况」中写明收到多少意见、采纳情况和不采纳的理由",
            warning=True,
        )


def _duplicate_index_numbers(documents: tuple[Document, ...]) -> Iterator[Problem]:
    seen: dict[str, Document] = {}
    for doc in documents:
        if not doc.index_no:
            continue
        first = seen.setdefault(doc.index_no, doc)
        if first is not doc:
            yield _at(
                doc,
                "索引号",
                f"索引号「{doc.index_no}」与 {first.origin.path} 重复",
                "索引号全站唯一且一经分配不能改动：请删除本文件的索引号，由 gongkai 重新分配",
            )


def _interpretations(county: County, links: Links) -> Iterator[Problem]:
    for doc in county.documents:
        policy = links.policy_of.get(doc.origin.path)
        if doc.is_interpretation and not doc.interprets:
            yield _at(doc, "解读对象", "政策解读没有写解读对象", "请写所解读文件的索引号")
        elif doc.interprets and not doc.is_interpretation:
            yield _at(
                doc,
                "组配分类",
                "写了解读对象，但组配分类不是「政策解读」",
                "解读文件的组配分类应为「政策解读」；不是解读就删除「解读对象」",
            )
        elif doc.interprets and policy is None and not county.may_hold(DOCUMENTS_DIR):
            yield _missing_policy(doc, doc.interprets)
        elif policy is not None:
            yield from _late(doc, policy, links)


def _missing_policy(doc: Document, target: str) -> Problem:
    if target.startswith("《") and target.endswith("》"):
        return _at(
            doc,
            "解读对象",
            f"找不到标题为{target}的文件，或有不止一份",
            "请核对标题（须与所解读文件的「标题」完全一致），或改写所解读文件的索引号",
        )
    return _at(doc, "解读对象", f"找不到索引号为「{target}」的文件", "请核对所解读文件的索引号")


def _held(county: County) -> Iterator[Problem]:
    held = holds(county)
    for doc in county.documents:
        if doc.origin.path in held:
            hold = held[doc.origin.path]
            yield _at(doc, hold.key, hold.message, hold.fix, warning=True)


def _late(doc: Document, policy: Document, links: Links) -> Iterator[Problem]:
    days = links.calendar.working_days_after(policy.published, doc.published)
    if days > INTERPRETATION_DAYS:
        yield _at(
            doc,
            "发布日期",
            f"政策解读比所解读的文件晚 {days} 个工作日发布（文件 {policy.published}，解读 {doc.published}）",
            f"解读应与文件同步发布，最迟不超过 {INTERPRETATION_DAYS} 个工作日",
            warning=True,
        )


def _normative(links: Links) -> Iterator[Problem]:
    for entry in links.normative:
        doc = entry.document
        if entry.in_force and not entry.interpretations:
            yield _at(
                doc,
                "组配分类",
                "行政规范性文件没有政策解读",
                "请发布解读，并在解读的「解读对象」中写本文件的索引号",
                warning=True,
            )
        if entry.status == "失效" and doc.validity in ("有效", "修改"):
            yield _at(
                doc,
                "有效性",
                f"已于 {entry.expires} 到期，有效性仍写「{doc.validity}」",
                "请核实后改为「失效」；如已重新公布继续有效，请写新的「有效期至」",
                warning=True,
            )
