"""Plan the site: every data page with its template and typed context, computed from the model alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ...errors import Problem, SourceErrors
from ...link import Links, NormativeEntry, link
from ...model import CatalogRow, County, Document, PayoutList, Village
from ...model.catalog import CHANNELS
from ..report import report_pages
from ..formats import format_amount
from ..search import search_page_html
from . import urls
from .contexts import (
    CatalogRowView,
    ConsultationRow,
    ConsultationsContext,
    DocumentRow,
    DomainContext,
    HomeContext,
    Link,
    LinksContext,
    ListingContext,
    NormativeContext,
    NormativeRow,
    OpenDataContext,
    Pager,
    PayoutLine,
    PayoutSummary,
    QuestionsContext,
    SearchContext,
    TownContext,
    VillageContext,
    VillagesContext,
)
from .document import consultation_status
from .guide import fields_context

PER_PAGE = 20
LATEST = 12


@dataclass(frozen=True)
class Planned:
    """A generated page: its title, template and context."""

    title: str
    template: str
    context: object
    searchable: bool = False


@dataclass
class SitePlan:
    """Every generated page by URL, every document by source path, every sheet to render."""

    pages: dict[str, Planned] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    sheets: list[tuple[str, PayoutList]] = field(default_factory=list)
    links: Links = field(default_factory=Links)


def plan_site(county: County, today: dt.date, guide: bool = False) -> SitePlan:
    """The whole site's plan (with the 使用指南's field reference when ``guide``); raises SourceErrors if two
    things would be written to one URL."""
    links = link(county, today)
    plan = SitePlan(documents={doc.origin.path: doc for doc in county.documents}, links=links)
    newest = sorted(county.documents, key=lambda d: (d.published, d.slug), reverse=True)
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


def _clashes(plan: SitePlan, documents: Sequence[Document]) -> list[Problem]:
    return [Problem(doc.origin.path, None, "", f"文件的网址 /{urls.document(doc)} 与生成的页面重名",
                    "请给文件换一个文件名或目录") for doc in documents if urls.document(doc) in plan.pages]


def _pages(county: County, links: Links, newest: list[Document],
           today: dt.date, guide: bool) -> Iterator[tuple[str, Planned, str]]:
    config = county.config.origin.path
    yield urls.HOME, Planned(county.config.site_name, "home.html", _home(county, newest, today)), config
    yield urls.COLUMN, Planned("政府信息公开", "links.html", _column()), config
    yield urls.STATUTORY, Planned("法定主动公开内容", "links.html", _statutory(county)), config
    yield urls.NORMATIVE, Planned("现行有效行政规范性文件目录", "normative.html", normative_context(links, today)), config
    for url, title, template, context, origin in report_pages(county):
        yield url, Planned(title, template, context), origin
    yield from _interaction(county, newest, today)
    yield urls.OPEN_DATA, Planned("开放数据", "opendata.html", _open_data(county)), config
    yield urls.TOPIC, Planned("基层政务公开标准化规范化", "links.html", _topic(county, newest)), config
    yield from _listing(urls.DOCUMENTS, "文件库", "本站发布的全部政府信息，按发布日期排列。", newest, config)
    for index, kind in enumerate(county.config.kinds):
        docs = [d for d in newest if d.kind == kind]
        yield from _listing(urls.kind(index), kind, f"组配分类为「{kind}」的政府信息。", docs, config)
    yield from _domains(county, links, newest)
    yield from _villages(county, today)
    if guide:
        yield urls.GUIDE_FIELDS, Planned("源文件格式", "fields.html", fields_context()), config
    root = urls.relative(urls.HOME, urls.SEARCH).rstrip("/")
    yield urls.SEARCH, Planned("搜索", "search.html", SearchContext(search_page_html(root))), config


def _row(doc: Document) -> DocumentRow:
    return DocumentRow(doc.title, urls.document(doc), doc.published, doc.doc_no, doc.agency, doc.kind)


def _home(county: County, newest: list[Document], today: dt.date) -> HomeContext:
    columns = tuple(link for _, links in _column().groups for link in links)
    domains = tuple(Link(d.name, urls.domain(d.code)) for d in county.domains)
    towns = tuple(Link(t.name, urls.town(t)) for t in county.towns)
    return HomeContext(county.config, tuple(_row(d) for d in newest[:LATEST]), columns, domains, today, towns)


def _column() -> LinksContext:
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
    return LinksContext("政府信息公开", "依据《中华人民共和国政府信息公开条例》设立的政府信息公开专栏。",
                        (("栏目", links),))


def _statutory(county: County) -> LinksContext:
    domains = tuple(Link(d.name, urls.domain(d.code)) for d in county.domains)
    kinds = tuple(Link(kind, urls.kind(i)) for i, kind in enumerate(county.config.kinds))
    return LinksContext("法定主动公开内容", "按领域或组配分类浏览主动公开的政府信息。",
                        (("按领域", domains), ("按组配分类", kinds)))


def _topic(county: County, newest: list[Document]) -> LinksContext:
    counts = {d.code: 0 for d in county.domains}
    for doc in newest:
        domain = county.domain(doc.domain)
        if domain:
            counts[domain.code] += 1
    domains = tuple(Link(d.name, urls.domain(d.code), f"{counts[d.code]} 条信息") for d in county.domains)
    towns = tuple(Link(t.name, urls.town(t)) for t in county.towns)
    return LinksContext("基层政务公开标准化规范化", "各领域基层政务公开标准目录及已公开的信息；村（居）务公开见各乡镇。",
                        (("领域", domains), ("村（居）务公开", towns)))


def _listing(base: str, heading: str, intro: str, docs: Sequence[Document],
             origin: str) -> Iterator[tuple[str, Planned, str]]:
    pages = max(1, -(-len(docs) // PER_PAGE))
    for page in range(1, pages + 1):
        chunk = docs[(page - 1) * PER_PAGE: page * PER_PAGE]
        context = ListingContext(heading, intro, tuple(_row(d) for d in chunk), _pager(base, page, pages), len(docs))
        title = heading if page == 1 else f"{heading}（第 {page} 页）"
        yield urls.paged(base, page), Planned(title, "listing.html", context), origin


def _pager(base: str, page: int, pages: int) -> Pager:
    window = range(max(1, page - 4), min(pages, page + 4) + 1)
    links = tuple(Link(str(n), urls.paged(base, n)) for n in window)
    previous = urls.paged(base, page - 1) if page > 1 else None
    following = urls.paged(base, page + 1) if page < pages else None
    return Pager(page, links, previous, following, pages, urls.paged(base, 1), urls.paged(base, pages))


def _domains(county: County, links: Links, newest: list[Document]) -> Iterator[tuple[str, Planned, str]]:
    by_domain: dict[str, list[Document]] = {d.code: [] for d in county.domains}
    for doc in newest:
        by_domain[links.domain_of[doc.origin.path].code].append(doc)
    for domain in county.domains:
        docs = by_domain[domain.code]
        catalog = links.catalogs.get(domain.code)
        views = tuple(_row_view(domain.code, row, links) for row in (catalog.rows if catalog else ()))
        more = f"{urls.domain(domain.code)}documents/" if len(docs) > PER_PAGE else None
        downloads = tuple(Link(f"标准目录（{kind}）", urls.domain_file(domain.code, f"catalog.{kind.lower()}"))
                          for kind in ("XLSX", "CSV"))
        context = DomainContext(domain, views, tuple(_row(d) for d in docs[:PER_PAGE]), len(docs), more,
                                downloads, urls.domain_file(domain.code, "feed.xml"))
        origin = domain.origin.path
        yield urls.domain(domain.code), Planned(domain.name, "domain.html", context, searchable=True), origin
        if more:
            yield from _listing(more, f"{domain.name}：全部信息", f"领域「{domain.name}」的全部政府信息。", docs, origin)


def _row_view(code: str, row: CatalogRow, links: Links) -> CatalogRowView:
    channels = tuple((name, name in row.channels) for name in CHANNELS)
    documents = tuple(Link(d.title, urls.document(d)) for d in links.documents_of.get((code, row.number), ()))
    return CatalogRowView(row, f"row-{row.number}", channels, documents)


def normative_context(links: Links, today: dt.date) -> NormativeContext:
    """The normative-document catalogue on the build date, with its three lists."""
    def rows(entries: list[NormativeEntry]) -> tuple[NormativeRow, ...]:
        return tuple(NormativeRow(
            i, e.document.title, urls.document(e.document), e.document.doc_no, e.document.registration_no or "—",
            e.document.agency, e.document.written, e.effective, e.expires, e.status,
            tuple(Link(d.title, urls.document(d)) for d in e.interpretations)) for i, e in enumerate(entries, 1))

    sections = (
        ("现行有效", "现行有效的行政规范性文件", rows([e for e in links.normative if e.in_force])),
        ("已废止", "已废止的行政规范性文件", rows([e for e in links.normative if e.status == "废止"])),
        ("已失效", "已失效（含有效期届满）的行政规范性文件", rows([e for e in links.normative if e.status == "失效"])),
    )
    downloads = (Link("目录（XLSX，含已废止、已失效）", f"{urls.NORMATIVE}list.xlsx"),
                 Link("现行有效目录（CSV）", f"{urls.NORMATIVE}list.csv"))
    return NormativeContext(today, sections, downloads)


def _interaction(county: County, newest: list[Document], today: dt.date) -> Iterator[tuple[str, Planned, str]]:
    config = county.config.origin.path
    links = (Link("意见征集", urls.CONSULTATIONS, "公开征求意见的文件草案和意见采纳情况"),
             Link("回应关切", urls.RESPONSES, "对社会关注热点的回应"),
             Link("政策咨询", urls.QUESTIONS, "常见政策问题解答和咨询电话"))
    yield urls.INTERACT, Planned("互动交流", "links.html", LinksContext("互动交流", "公众参与和政策咨询。",
                                                                          (("栏目", links),))), config
    consultations = [d for d in newest if d.is_consultation and d.consult_start and d.consult_end]
    rows = tuple(ConsultationRow(d.title, urls.document(d), d.consult_start, d.consult_end,  # type: ignore[arg-type]
                                 consultation_status(d.consult_start, d.consult_end, today),  # type: ignore[arg-type]
                                 bool(d.adoption)) for d in consultations)
    order = {"征集中": 0, "未开始": 1, "已结束": 2}
    rows = tuple(sorted(rows, key=lambda r: order[r.status]))
    yield urls.CONSULTATIONS, Planned("意见征集", "consultations.html", ConsultationsContext(rows)), config
    phones = county.config.hotlines
    for url, kind, intro in ((urls.RESPONSES, "回应关切", "对社会关注的热点问题和群众反映的集中问题的回应。"),
                             (urls.QUESTIONS, "政策咨询", "常见政策问题解答。其他问题请拨打下列电话咨询。")):
        docs = tuple(_row(d) for d in newest if d.kind == kind)
        yield url, Planned(kind, "questions.html", QuestionsContext(kind, intro, docs, phones)), config


def _open_data(county: County) -> OpenDataContext:
    files = (Link("政府信息元数据（CSV）", "data/documents.csv", "每条政府信息的索引号、标题、文号、发布机构、日期等"),
             Link("政府信息元数据（JSON）", "data/documents.json", "内容同上"),
             Link("标准目录（CSV）", "data/catalog.csv", "全部领域的基层政务公开标准目录"),
             Link("标准目录（JSON）", "data/catalog.json", "内容同上"),
             Link("现行有效行政规范性文件目录（XLSX）", f"{urls.NORMATIVE}list.xlsx", "含已废止、已失效"))
    feeds = (Link("全部信息", urls.FEED),
             *(Link(d.name, urls.domain_file(d.code, "feed.xml")) for d in county.domains))
    return OpenDataContext(files, feeds)


def _villages(county: County, today: dt.date) -> Iterator[tuple[str, Planned, str]]:
    by_town: dict[str, list[Village]] = {t.code: [] for t in county.towns}
    for village in county.villages:
        by_town.setdefault(village.town, []).append(village)
    payouts: dict[tuple[str, str], list[PayoutList]] = {}
    for payout in county.payouts:
        payouts.setdefault((payout.town, payout.village), []).append(payout)
    towns = []
    for town in county.towns:
        links = tuple(Link(v.name, urls.village(v)) for v in by_town[town.code])
        towns.append((Link(town.name, urls.town(town)), links))
        yield urls.town(town), Planned(town.name, "town.html", TownContext(town, links)), town.origin.path
        for village in by_town[town.code]:
            lists = payouts.get((town.code, village.code), [])
            keep = county.config.keep_days
            context = VillageContext(village, Link(town.name, urls.town(town)), village.items,
                                     village.phones + town.phones, tuple(_summary(p, today, keep) for p in lists),
                                     urls.village(village) + urls.CATALOGUE_SHEET)
            title = f"{town.name}{village.name}"
            yield urls.village(village), Planned(title, "village.html", context, True), village.origin.path
    yield urls.VILLAGES, Planned("村（居）务公开", "villages.html", VillagesContext(tuple(towns))), "villages/"


def _summary(payout: PayoutList, today: dt.date, keep_days: int = 30) -> PayoutSummary:
    """Names and the PDF from the first day of the 公示期 until keep_days after it; totals always."""
    if today < payout.notice_start:
        status = "未开始公示"
    elif today <= payout.notice_end:
        status = "公示中"
    else:
        status = "公示期已结束"
    until = payout.notice_end + dt.timedelta(days=keep_days)
    shown = payout.notice_start <= today <= until
    lines = tuple(PayoutLine(r.name, r.group or "", "" if r.quantity is None else f"{r.quantity:,f}",
                             format_amount(r.amount)) for r in payout.rows) if shown else ()
    return PayoutSummary(payout.title, payout.notice_start, payout.notice_end, status, len(payout.rows),
                         format_amount(payout.total), urls.sheet(payout) if shown else None, until, lines,
                         payout.unit or "")
