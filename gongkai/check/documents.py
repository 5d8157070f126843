"""Cross-record checks on documents: references to agencies, domains, vocabularies, and 索引号."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Problem
from ..model import County, Document
from ..model.document import SUBJECTS


def check_documents(county: County) -> Iterator[Problem]:
    """Every problem that needs more than one document, or a document and the configuration."""
    for doc in county.documents:
        yield from _references(county, doc)
    yield from _duplicate_index_numbers(county.documents)
    yield from _interpretations(county.documents)


def _at(doc: Document, key: str, message: str, fix: str) -> Problem:
    return Problem(doc.origin.path, doc.origin.line_of(key), key, message, fix)


def _references(county: County, doc: Document) -> Iterator[Problem]:
    config = county.config
    if config.agency(doc.agency) is None:
        yield _at(doc, "发布机构", f"「{doc.agency}」不在 county.yml 的发布机构列表中",
                  "请写列表中的全称或简称，或先在 county.yml 中添加这个机构")
    if county.domain(doc.domain) is None:
        yield _at(doc, "领域", f"没有名为「{doc.domain}」的领域",
                  "请写 catalog/domains.yml 中某个领域的代码、名称或别名")
    if doc.subject.split("\\")[0] not in SUBJECTS:
        yield _at(doc, "主题分类", f"「{doc.subject}」不是主题分类的大类",
                  "请从 22 个大类中选一个，如「农业、林业、水利」，小类写成「大类\\小类」")
    if doc.kind not in config.kinds:
        yield _at(doc, "组配分类", f"「{doc.kind}」不在组配分类列表中", "可选：" + "、".join(config.kinds))
    if doc.published < doc.written:
        yield _at(doc, "发布日期", f"发布日期 {doc.published} 早于成文日期 {doc.written}", "请核对两个日期")


def _duplicate_index_numbers(documents: tuple[Document, ...]) -> Iterator[Problem]:
    seen: dict[str, Document] = {}
    for doc in documents:
        if not doc.index_no:
            continue
        first = seen.setdefault(doc.index_no, doc)
        if first is not doc:
            yield _at(doc, "索引号", f"索引号「{doc.index_no}」与 {first.origin.path} 重复",
                      "索引号全站唯一且一经分配不能改动：请删除本文件的索引号，由 gongkai 重新分配")


def _interpretations(documents: tuple[Document, ...]) -> Iterator[Problem]:
    by_index = {doc.index_no: doc for doc in documents if doc.index_no}
    for doc in documents:
        if doc.is_interpretation and not doc.interprets:
            yield _at(doc, "解读对象", "政策解读没有写解读对象", "请写所解读文件的索引号")
        elif doc.interprets and not doc.is_interpretation:
            yield _at(doc, "组配分类", "写了解读对象，但组配分类不是「政策解读」",
                      "解读文件的组配分类应为「政策解读」；不是解读就删除「解读对象」")
        elif doc.interprets and doc.interprets not in by_index:
            yield _at(doc, "解读对象", f"找不到索引号为「{doc.interprets}」的文件", "请核对所解读文件的索引号")
