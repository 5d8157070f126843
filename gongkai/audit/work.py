"""The 工作内容表 (附件1) line by line: what the software can show, and the county's evidence for the rest."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable

from ..check.documents import INTERPRETATION_DAYS
from ..model.audit import EVIDENCE, AuditEvidence, WorkItem
from ..render.formats import cn_date
from ..render.report.urls import APPLY, REPORTS
from ..render.site import urls
from .findings import DONE, FAIL, MISSING, NOT_DONE, PASS, Context, Evidence, WorkLine, doc_evidence

DOMAINS = 25
"""The grassroots domains the provincial notice lists: each needs its standard catalogue."""
COLUMN_PAGES = (
    ("政府信息公开指南", "xxgk/zhinan/"),
    ("政府信息公开制度", "xxgk/zhidu/"),
    ("法定主动公开内容", urls.STATUTORY),
    ("政府信息公开年报", REPORTS),
    ("依申请公开", APPLY),
)
PARTICIPATION = "公众参与"
YEAR_END_MONTH = 12

Shown = tuple[bool, str, list[Evidence]]
"""Done or not, the figure, the evidence."""


def work_lines(ctx: Context, evidence: AuditEvidence) -> list[WorkLine]:
    """Every work item of the table, in its order."""
    return [_line(ctx, item, evidence) for item in ctx.table.work]


def _line(ctx: Context, item: WorkItem, evidence: AuditEvidence) -> WorkLine:
    if item.way == EVIDENCE:
        entries = sorted((e for e in evidence.entries if e.work == item.code), key=lambda e: (e.date, e.what))
        shown = tuple(_entry(e.date, e.what, e.link, e.origin.path, e.origin.line) for e in entries)
        figure = f"{len(entries)} 项佐证" if entries else "待补充：请在 audit-evidence.yml 中登记"
        return WorkLine(item.code, item.area, item.task, item.way, DONE if entries else MISSING, figure, shown)
    if item.code in FROM_INDICATOR:
        outcome = ctx.found.get(FROM_INDICATOR[item.code])
        if outcome is None:
            return WorkLine(item.code, item.area, item.task, item.way, MISSING, "对应指标已停用", ())
        status = {PASS: DONE, FAIL: NOT_DONE}.get(outcome.status, MISSING)
        figure = f"见指标「{outcome.rule.name}」：{outcome.figure}"
        return WorkLine(item.code, item.area, item.task, item.way, status, figure, outcome.evidence)
    done, figure, shown_evidence = SHOWN[item.code](ctx)
    return WorkLine(
        item.code, item.area, item.task, item.way, DONE if done else NOT_DONE, figure, tuple(shown_evidence)
    )


def _entry(date: dt.date, what: str, link: str | None, path: str, line: int | None) -> Evidence:
    text = f"{cn_date(date)}：{what}"
    if link and link.startswith(("http://", "https://")):
        return Evidence(text, link, path, line)
    return Evidence(text + (f"（{link}）" if link else ""), None, path, line)


def catalogues(ctx: Context) -> Shown:
    """Every domain has a standard catalogue with rows, and the notice's 25 domains are all there."""
    rows = {code: len(c.rows) for code, c in ctx.links.catalogs.items()}
    evidence = [
        Evidence(f"领域「{d.name}」没有标准目录", urls.domain(d.code), d.origin.path, d.origin.line)
        for d in ctx.county.domains
        if not rows.get(d.code)
    ]
    have = len(ctx.county.domains) - len(evidence)
    if len(ctx.county.domains) < DOMAINS:
        evidence.append(
            Evidence(
                f"只有 {len(ctx.county.domains)} 个领域，提升行动要求 {DOMAINS} 个", urls.TOPIC, "catalog/domains.yml"
            )
        )
    figure = f"{have} 个领域有标准目录（共 {sum(rows.values())} 行；要求 {DOMAINS} 个）"
    return not evidence, figure, evidence or [Evidence("基层政务公开标准化规范化", urls.TOPIC)]


def topic_links(ctx: Context) -> Shown:
    """The topic's domain columns are linked from the 法定主动公开内容 page and from the topic page."""
    site = ctx.site
    evidence = [
        Evidence(f"「{title}」页面没有链接到领域「{d.name}」", page)
        for d in ctx.county.domains
        for title, page in (("法定主动公开内容", urls.STATUTORY), ("基层政务公开标准化规范化", urls.TOPIC))
        if not site.links_to(page, urls.domain(d.code))
    ]
    if not site.links_to(urls.COLUMN, urls.TOPIC):
        evidence.append(Evidence("政府信息公开专栏没有链接到基层政务公开标准化规范化专题", urls.COLUMN))
    figure = f"{len(ctx.county.domains)} 个领域栏目，{len(evidence)} 处未链接"
    return not evidence, figure, evidence or [Evidence("法定主动公开内容", urls.STATUTORY)]


def in_step(ctx: Context) -> Shown:
    """Each 解读 published within the working days the rules allow after its policy."""
    evidence, pairs = [], 0
    for doc in ctx.county.documents:
        policy = ctx.links.policy_of.get(doc.origin.path)
        if policy is None:
            continue
        pairs += 1
        days = ctx.links.calendar.working_days_after(policy.published, doc.published)
        if days > INTERPRETATION_DAYS:
            evidence.append(doc_evidence(doc, f"解读「{doc.title}」比文件晚 {days} 个工作日发布", "发布日期"))
    figure = f"{pairs - len(evidence)}/{pairs} 份解读在 {INTERPRETATION_DAYS} 个工作日内与文件同步发布"
    return not evidence, figure, evidence


def participation(ctx: Context) -> Shown:
    """A page of the site sets out the public-participation rules (its heading says 公众参与)."""
    pages = sorted(url for url, page in ctx.site.pages.items() if PARTICIPATION in page.title)
    if pages:
        return True, f"已公布（{len(pages)} 个页面）", [Evidence(ctx.site.pages[p].title, p) for p in pages]
    missing = Evidence(
        f"网站上没有标题含「{PARTICIPATION}」的制度页面：请在 content/xxgk/ 中增加，例如 gzcy.md", None, "content/xxgk/"
    )
    return False, "未公布", [missing]


def column(ctx: Context) -> Shown:
    """The 政府信息公开 column has each of its statutory pages."""
    missing = [Evidence(f"没有「{name}」页面", url) for name, url in COLUMN_PAGES if not ctx.site.exists(url)]
    figure = f"{len(COLUMN_PAGES) - len(missing)}/{len(COLUMN_PAGES)} 个栏目页面"
    return not missing, figure, missing or [Evidence(name, url) for name, url in COLUMN_PAGES]


def village_catalogues(ctx: Context) -> Shown:
    """Every village has its 公开事项目录."""
    evidence = [
        Evidence(f"「{v.name}」没有公开事项目录", urls.village(v), v.origin.path, v.origin.line)
        for v in ctx.county.villages
        if not v.items
    ]
    count = len(ctx.county.villages)
    return not evidence, f"{count - len(evidence)}/{count} 个村（居）有公开事项目录", evidence


def year_end(ctx: Context) -> Shown:
    """Every village has the year's payout results posted by 31 December: this year's from December on
    (the month they are due), else last year's."""
    year = ctx.today.year if ctx.today.month == YEAR_END_MONTH else ctx.today.year - 1
    until = min(ctx.today, dt.date(year, 12, 31))
    posted = {(p.town, p.village) for p in ctx.county.payouts if p.year == year and p.notice_start <= until}
    evidence = [
        Evidence(f"「{v.name}」没有张贴 {year} 年度补贴发放结果", urls.village(v), v.origin.path)
        for v in ctx.county.villages
        if (v.town, v.code) not in posted
    ]
    count = len(ctx.county.villages)
    return not evidence, f"{count - len(evidence)}/{count} 个村（居）已张贴 {year} 年度发放结果", evidence


def kept(ctx: Context) -> Shown:
    """Payout lists past their notice period stay in the sources, and their village's page still lists them
    (with the households and the total) for villagers to look up."""
    ended = [p for p in ctx.county.payouts if p.notice_end < ctx.today]
    evidence = []
    for payout in ended:
        page = f"{urls.VILLAGES}{payout.town}/{payout.village}/"
        if payout.title not in html.unescape(ctx.site.text(page)):  # 「&」 and 「"」 are escaped on the page
            evidence.append(Evidence(f"村页面没有保留「{payout.title}」", page, payout.origin.path))
    figure = f"{len(ended) - len(evidence)}/{len(ended)} 份公示期满的名单在村页面上保留户数和金额合计，源文件留存"
    return not evidence, figure, evidence


FROM_INDICATOR = {
    "tlgc-nb": "nb",
    "tlgc-ysq": "ysqgk",
    "jdhy-jd": "jdbl",
    "jdhy-hy": "hdhyc",
    "jjws-gfx": "gfxwj",
    "ptjs-ss": "ss",
}
"""Work items whose answer is an indicator's."""
SHOWN: dict[str, Callable[[Context], Shown]] = {
    "bzzy-ml": catalogues,
    "bzzy-zt": topic_links,
    "jjws-tb": in_step,
    "jjws-gzcy": participation,
    "ptjs-zl": column,
    "ztcj-ml": village_catalogues,
    "ztcj-nm": year_end,
    "ztcj-bc": kept,
}
"""Work items the software shows by itself."""
SOFTWARE_WORK = frozenset({*FROM_INDICATOR, *SHOWN})
