"""Plan the site: every data page with its template and typed context, computed from the model alone.

One module per page family (columns, domains, villages; common holds the document lists); this one
puts them in the site's order and refuses two pages at one URL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ....errors import Problem, SourceErrors
from ....link import Links, link
from ....model import County, Document, PayoutList
from ....model.config import REPORT_KIND
from ...report import report_pages
from ...report import urls as report_urls
from ...search import search_page_html
from .. import urls
from ..contexts import DocumentRow, SearchContext
from ..guide import fields_context
from .columns import column, home, interaction, open_data, statutory, topic
from .common import Planned, PlannedPage, Rows, listing
from .domains import domains, normative_context
from .villages import villages

__all__ = ["Planned", "SitePlan", "normative_context", "plan_site"]


@dataclass
class SitePlan:
    """Every generated page by URL, every document by source path, every sheet to render."""

    pages: dict[str, Planned] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    sheets: list[tuple[str, PayoutList]] = field(default_factory=list)
    links: Links = field(default_factory=Links)
    newest: list[Document] = field(default_factory=list)
    """Every document, newest first (``render.data.tables.newest``'s order: the data files take it too)."""


def plan_site(county: County, today: dt.date, guide: bool = False, links: Links | None = None) -> SitePlan:
    """The whole site's plan (with the 使用指南's field reference when ``guide``); raises SourceErrors if two
    things would be written to one URL. ``links``: ``link(county, today)`` of this very county, when the check
    stage computed it (a third of planning at county scale)."""
    links = link(county, today) if links is None else links
    newest = sorted(county.documents, key=lambda d: (d.published, d.slug), reverse=True)
    plan = SitePlan(documents={doc.origin.path: doc for doc in county.documents}, links=links, newest=newest)
    problems: list[Problem] = []
    for url, planned, origin in _pages(county, links, newest, today, guide):
        if url in plan.pages:
            problems.append(Problem(origin, None, "", f"生成的页面 /{url} 与另一个页面重名", "请修改代码或文件名"))
        plan.pages[url] = planned
    problems += _clashes(plan, county.documents)
    if problems:
        raise SourceErrors(problems)
    plan.sheets = [(urls.sheet(p), p) for p in county.payouts]
    return plan


def report_rows(county: County) -> list[DocumentRow]:
    """The annual reports as lines of the 年度报告 column."""
    name, sponsor = county.config.name, county.config.sponsor
    return [
        DocumentRow(r.heading(name), report_urls.report(r.year), r.published, "", sponsor, REPORT_KIND) for r in county.reports
    ]


def _clashes(plan: SitePlan, documents: Sequence[Document]) -> list[Problem]:
    return [
        Problem(
            doc.origin.path,
            None,
            "",
            f"文件的网址 /{urls.document(doc)} 与生成的页面重名",
            "请给文件换一个文件名或目录",
        )
        for doc in documents
        if urls.document(doc) in plan.pages
    ]


def _pages(county: County, links: Links, newest: list[Document], today: dt.date, guide: bool) -> Iterator[PlannedPage]:
    config = county.config.origin.path
    yield urls.HOME, Planned(county.config.site_name, "home.html", home(county, newest, today)), config
    yield urls.COLUMN, Planned("政府信息公开", "links.html", column()), config
    yield urls.STATUTORY, Planned("法定主动公开内容", "links.html", statutory(county)), config
    normative = normative_context(links, today)
    yield urls.NORMATIVE, Planned("现行有效行政规范性文件目录", "normative.html", normative), config
    for url, title, template, context, origin in report_pages(county):
        yield url, Planned(title, template, context), origin
    yield from interaction(county, newest, today)
    yield urls.OPEN_DATA, Planned("开放数据", "opendata.html", open_data(county)), config
    yield urls.TOPIC, Planned("基层政务公开标准化规范化", "links.html", topic(county, newest)), config
    rows = Rows()  # each document's line, shared by the lists it stands in
    yield from listing(urls.DOCUMENTS, "文件库", "本站发布的全部政府信息，按发布日期排列。", newest, config, rows)
    of_kind: dict[str, list[Document | DocumentRow]] = {kind: [] for kind in county.config.kinds}
    for doc in newest:  # one pass, not one a kind
        if doc.kind in of_kind:
            of_kind[doc.kind].append(doc)
    for index, kind in enumerate(county.config.kinds):
        docs = of_kind[kind]
        if kind == REPORT_KIND:  # the annual reports are published from reports/, not as documents
            docs = sorted([*docs, *report_rows(county)], key=lambda d: d.published, reverse=True)
        yield from listing(urls.kind(index), kind, f"组配分类为「{kind}」的政府信息。", docs, config, rows)
    yield from domains(county, links, newest, rows)
    yield from villages(county, today)
    if guide:
        yield urls.GUIDE_FIELDS, Planned("源文件格式", "fields.html", fields_context()), config
    root = urls.relative(urls.HOME, urls.SEARCH).rstrip("/")
    yield urls.SEARCH, Planned("搜索", "search.html", SearchContext(search_page_html(root))), config
