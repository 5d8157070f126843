"""The column pages: home, 政府信息公开, 法定主动公开内容, the 专题, 互动交流 and 开放数据."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ....model import County, Document, Domain
from .. import urls
from ..contexts import (
    ConsultationRow,
    ConsultationsContext,
    HomeContext,
    Link,
    LinksContext,
    OpenDataContext,
    QuestionsContext,
)
from ..document import consultation_status
from .common import LATEST, Planned, PlannedPage, row


def home(county: County, newest: list[Document], today: dt.date) -> HomeContext:
    """The home page: the latest documents, the columns, the domains and the towns."""
    columns = tuple(link for _, links in column().groups for link in links)
    domains = tuple(Link(d.name, urls.domain(d.code)) for d in county.domains)
    towns = tuple(Link(t.name, urls.town(t)) for t in county.towns)
    return HomeContext(county.config, tuple(row(d) for d in newest[:LATEST]), columns, domains, today, towns)


def column() -> LinksContext:
    """The 政府信息公开 column's entries."""
    links = (
        Link("政府信息公开指南", "xxgk/zhinan/", "信息的分类、编排和获取方式，工作机构联系方式"),
        Link("政府信息公开制度", "xxgk/zhidu/", "本县政府信息公开的工作制度"),
        Link("法定主动公开内容", urls.STATUTORY, "按领域和组配分类列出的主动公开信息"),
        Link("现行有效行政规范性文件目录", urls.NORMATIVE, "现行有效、已废止和已失效的行政规范性文件"),
        Link("政府信息公开年报", "xxgk/nianbao/", "历年政府信息公开工作年度报告"),
        Link("依申请公开", "xxgk/ysqgk/", "如何申请公开政府信息"),
        Link("基层政务公开标准化规范化", urls.TOPIC, "各领域基层政务公开标准目录"),
        Link("互动交流", urls.INTERACT, "意见征集、回应关切、政策咨询"),
        Link("开放数据", urls.OPEN_DATA, "标准目录和政府信息元数据的 CSV、JSON 文件"),
    )
    return LinksContext(
        "政府信息公开", "依据《中华人民共和国政府信息公开条例》设立的政府信息公开专栏。", (("栏目", links),)
    )


def statutory(county: County) -> LinksContext:
    """法定主动公开内容: by domain and by 组配分类."""
    domains = tuple(Link(d.name, urls.domain(d.code)) for d in county.domains)
    kinds = tuple(Link(kind, urls.kind(i)) for i, kind in enumerate(county.config.kinds))
    return LinksContext(
        "法定主动公开内容", "按领域或组配分类浏览主动公开的政府信息。", (("按领域", domains), ("按组配分类", kinds))
    )


def topic(county: County, newest: list[Document]) -> LinksContext:
    """The 基层政务公开 专题: every domain with its count, and the towns."""
    counts = {d.code: 0 for d in county.domains}
    by_name: dict[str, Domain | None] = {}  # county.domain looks through every domain: once a name
    for doc in newest:
        if doc.domain not in by_name:
            by_name[doc.domain] = county.domain(doc.domain)
        domain = by_name[doc.domain]
        if domain:
            counts[domain.code] += 1
    domains = tuple(Link(d.name, urls.domain(d.code), f"{counts[d.code]} 条信息") for d in county.domains)
    towns = tuple(Link(t.name, urls.town(t)) for t in county.towns)
    intro = "各领域基层政务公开标准目录及已公开的信息；村（居）务公开见各乡镇。"
    return LinksContext("基层政务公开标准化规范化", intro, (("领域", domains), ("村（居）务公开", towns)))


def interaction(county: County, newest: list[Document], today: dt.date) -> Iterator[PlannedPage]:
    """互动交流 and its pages: 意见征集, 回应关切, 政策咨询."""
    config = county.config.origin.path
    links = (
        Link("意见征集", urls.CONSULTATIONS, "公开征求意见的文件草案和意见采纳情况"),
        Link("回应关切", urls.RESPONSES, "对社会关注热点的回应"),
        Link("政策咨询", urls.QUESTIONS, "常见政策问题解答和咨询电话"),
    )
    yield (
        urls.INTERACT,
        Planned("互动交流", "links.html", LinksContext("互动交流", "公众参与和政策咨询。", (("栏目", links),))),
        config,
    )
    rows = tuple(
        ConsultationRow(d.title, urls.document(d), start, end, consultation_status(start, end, today), bool(d.adoption))
        for d in newest
        if d.is_consultation and (start := d.consult_start) and (end := d.consult_end)
    )
    order = {"征集中": 0, "未开始": 1, "已结束": 2}
    rows = tuple(sorted(rows, key=lambda r: order[r.status]))
    yield urls.CONSULTATIONS, Planned("意见征集", "consultations.html", ConsultationsContext(rows)), config
    phones = county.config.hotlines
    for url, kind, intro in (
        (urls.RESPONSES, "回应关切", "对社会关注的热点问题和群众反映的集中问题的回应。"),
        (urls.QUESTIONS, "政策咨询", "常见政策问题解答。其他问题请拨打下列电话咨询。"),
    ):
        docs = tuple(row(d) for d in newest if d.kind == kind)
        yield url, Planned(kind, "questions.html", QuestionsContext(kind, intro, docs, phones)), config


def open_data(county: County) -> OpenDataContext:
    """The 开放数据 page: the data files and the feeds."""
    files = (
        Link("政府信息元数据（CSV）", "data/documents.csv", "每条政府信息的索引号、标题、文号、发布机构、日期等"),
        Link("政府信息元数据（JSON）", "data/documents.json", "内容同上"),
        Link("标准目录（CSV）", "data/catalog.csv", "全部领域的基层政务公开标准目录"),
        Link("标准目录（JSON）", "data/catalog.json", "内容同上"),
        Link("现行有效行政规范性文件目录（XLSX）", f"{urls.NORMATIVE}list.xlsx", "含已废止、已失效"),
    )
    feeds = (Link("全部信息", urls.FEED), *(Link(d.name, urls.domain_file(d.code, "feed.xml")) for d in county.domains))
    return OpenDataContext(files, feeds)
