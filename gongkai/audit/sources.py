"""Indicators judged from the sources (as published): updates, blank columns, responses, 解读, 年报, 依申请公开."""

from __future__ import annotations

import datetime as dt

from ..check.freshness import latest
from ..model.audit import AuditRule
from ..model.config import REPORT_KIND
from ..render.formats import cn_date
from ..render.report.urls import APPLY, REPORTS, report
from ..render.site import urls
from .findings import FAIL, PASS, Context, Evidence, Outcome, doc_evidence, judged

IN_FORCE = ("有效", "修改")
GUIDE = "xxgk/zhinan/"


def home_updates(ctx: Context, rule: AuditRule) -> Outcome:
    """网站不更新: the newest item on the home page is older than the rule's days."""
    assert rule.days is not None
    top = latest(ctx.county.documents, ctx.today)
    if top is None:
        return judged(rule, 1, "首页没有任何信息", [Evidence("首页", urls.HOME)])
    days = (ctx.today - top.published).days
    figure = f"首页最新信息发布于 {cn_date(top.published)}，距检查日 {days} 天"
    evidence = [Evidence("首页", urls.HOME), doc_evidence(top, f"最新一条：{top.title}", "发布日期")]
    return judged(rule, int(days > rule.days), figure, evidence)


def column_updates(ctx: Context, rule: AuditRule) -> Outcome:
    """栏目不更新: columns (组配分类 listings) whose newest item is older than their class allows."""
    kinds = ctx.county.config.kinds
    evidence, newest = [], []
    for column in rule.columns:
        for kind in column.kinds:
            top = latest(ctx.county.documents, ctx.today, (kind,))
            if top is None:
                continue  # a blank column: 空白栏目 counts it
            days = (ctx.today - top.published).days
            newest.append(
                Evidence(f"栏目「{kind}」最新一条发布于 {cn_date(top.published)}", urls.kind(kinds.index(kind)))
            )
            if days > column.days:
                text = (
                    f"栏目「{kind}」（{column.name}，时限 {column.days} 天）最新一条发布于 "
                    f"{cn_date(top.published)}，{days} 天未更新"
                )
                evidence.append(
                    Evidence(text, urls.kind(kinds.index(kind)), top.origin.path, top.origin.line_of("发布日期"))
                )
    blank = sum(len(c.kinds) for c in rule.columns) - len(newest)
    figure = f"{len(evidence)} 个栏目未按时更新（检查 {len(newest)} 个，达到 {rule.allowed} 个即不合格）"
    note = f"另有 {blank} 个栏目从来没有信息，计入「空白栏目」" if blank else ""
    return judged(rule, len(evidence), figure, evidence, note, checked=newest)


def blank_columns(ctx: Context, rule: AuditRule) -> Outcome:
    """空白栏目: 组配分类 listings and domain pages of the topic that have never held an item."""
    county = ctx.county
    shown = [d for d in county.documents if d.published <= ctx.today]
    evidence = [
        Evidence(f"组配分类栏目「{kind}」没有任何信息", urls.kind(i))
        for i, kind in enumerate(county.config.kinds)
        if not any(d.kind == kind for d in shown) and not (kind == REPORT_KIND and county.reports)
    ]
    used = {ctx.links.domain_of[d.origin.path].code for d in shown if d.origin.path in ctx.links.domain_of}
    evidence += [
        Evidence(
            f"领域栏目「{domain.name}」没有任何信息", urls.domain(domain.code), domain.origin.path, domain.origin.line
        )
        for domain in county.domains
        if domain.code not in used
    ]
    checked = len(county.config.kinds) + len(county.domains)
    figure = f"{len(evidence)} 个空白栏目（检查 {checked} 个，达到 {rule.allowed} 个即不合格）"
    pages = [
        Evidence("法定主动公开内容（各组配分类栏目）", urls.STATUTORY),
        Evidence("基层政务公开标准化规范化", urls.TOPIC),
    ]
    return judged(rule, len(evidence), figure, evidence, checked=pages)


def responses(ctx: Context, rule: AuditRule) -> Outcome:
    """互动回应差: consultations ended without their feedback; a 回应关切 column silent for too long."""
    assert rule.days is not None
    evidence = [
        doc_evidence(d, f"意见征集「{d.title}」已于 {cn_date(d.consult_end)} 结束，未公布采纳情况", "采纳情况")
        for d in ctx.county.documents
        if d.is_consultation and d.consult_end and d.consult_end < ctx.today and not d.adoption
    ]
    for kind in rule.kinds:
        top = latest(ctx.county.documents, ctx.today, (kind,))
        url = urls.RESPONSES if kind == "回应关切" else urls.kind(ctx.county.config.kinds.index(kind))
        if top is None:
            evidence.append(Evidence(f"栏目「{kind}」没有任何回应", url))
        elif (days := (ctx.today - top.published).days) > rule.days:
            evidence.append(
                Evidence(
                    f"栏目「{kind}」最近一次回应在 {cn_date(top.published)}，已 {days} 天",
                    url,
                    top.origin.path,
                    top.origin.line_of("发布日期"),
                )
            )
    consultations = sum(d.is_consultation for d in ctx.county.documents)
    figure = f"{len(evidence)} 项（意见征集 {consultations} 次；回应时限 {rule.days} 天）"
    pages = [Evidence("意见征集", urls.CONSULTATIONS), Evidence("回应关切", urls.RESPONSES)]
    return judged(rule, len(evidence), figure, evidence, checked=pages)


def interpretation_ratio(ctx: Context, rule: AuditRule) -> Outcome:
    """解读比例: the share of recent policies in force that have a 解读."""
    assert rule.days is not None and rule.ratio is not None
    since = ctx.today - dt.timedelta(days=rule.days)
    policies = [
        d
        for d in ctx.county.documents
        if d.kind in rule.kinds and d.validity in IN_FORCE and since < d.published <= ctx.today
    ]
    missing = [d for d in policies if not ctx.links.interpretations.get(d.origin.path)]
    done = len(policies) - len(missing)
    percent = 100.0 if not policies else round(100 * done / len(policies), 1)
    figure = f"{percent:g}%（{done}/{len(policies)} 份已解读，要求不低于 {rule.ratio}%）"
    evidence = [doc_evidence(d, f"「{d.title}」没有政策解读", "组配分类") for d in missing] or [
        doc_evidence(d, f"「{d.title}」已有解读") for d in policies
    ]
    status = FAIL if percent < rule.ratio else PASS
    return Outcome(rule, status, figure, percent, tuple(evidence))


def normative_catalogue(ctx: Context, rule: AuditRule) -> Outcome:
    """规范性文件目录: published, recent, and no expired document still written 有效."""
    assert rule.days is not None
    evidence = []
    as_of = ctx.site.normative_date()
    page = Evidence("现行有效行政规范性文件目录", urls.NORMATIVE)
    if as_of is None:
        evidence.append(Evidence("网站上没有现行有效行政规范性文件目录（或看不出截至日期）", urls.NORMATIVE))
    elif (days := (ctx.today - as_of).days) > rule.days:
        evidence.append(Evidence(f"目录截至 {cn_date(as_of)}，已 {days} 天没有更新：请重新生成网站", urls.NORMATIVE))
    for entry in ctx.links.normative:
        doc = entry.document
        if entry.status == "失效" and doc.validity in IN_FORCE:
            evidence.append(
                doc_evidence(
                    doc, f"「{doc.title}」已于 {cn_date(entry.expires)} 到期，有效性仍写「{doc.validity}」", "有效性"
                )
            )
    in_force = sum(e.in_force for e in ctx.links.normative)
    dated = f"截至 {cn_date(as_of)}" if as_of else "未发布"
    figure = f"目录{dated}，现行有效 {in_force} 件，{len(evidence)} 处问题"
    return judged(rule, len(evidence), figure, [*evidence, page] if as_of else evidence)


def annual_report(ctx: Context, rule: AuditRule) -> Outcome:
    """年报: last year's report published by the deadline (day ``days`` of the year: 31 = 1月31日)."""
    assert rule.days is not None
    year = ctx.today.year - 1
    if ctx.today <= _deadline(year, rule.days):
        year -= 1  # this year's deadline has not passed: the report due is the one before
    deadline = _deadline(year, rule.days)
    found = next((r for r in ctx.county.reports if r.year == year), None)
    if found is None:
        evidence = [Evidence(f"没有 {year} 年度的年报（应于 {cn_date(deadline)} 前公布）", REPORTS, "reports/")]
        return judged(rule, 1, f"{year} 年度年报未公布", evidence)
    late = found.published > deadline
    text = (
        f"{year} 年度年报发布于 {cn_date(found.published)}" + ("，晚于" if late else "，早于") + f" {cn_date(deadline)}"
    )
    evidence = [Evidence(text, report(year), found.origin.path, found.origin.line_of("发布日期"))]
    return judged(rule, int(late), text, evidence)


def _deadline(year: int, days: int) -> dt.date:
    """Day ``days`` of the year after ``year``: the last day to publish the report of ``year``."""
    return dt.date(year + 1, 1, 1) + dt.timedelta(days=days - 1)


def application_guide(ctx: Context, rule: AuditRule) -> Outcome:
    """依申请公开指南: the 指南 and the 依申请公开 page built, each way to apply stated."""
    config = ctx.county.config
    office = config.application
    evidence = [
        Evidence(f"网站上没有「{name}」页面", url)
        for name, url in (("政府信息公开指南", GUIDE), ("依申请公开", APPLY))
        if not ctx.site.exists(url)
    ]
    if office is None:
        evidence.append(Evidence("county.yml 没有写「依申请公开」（受理机构、地址、电话等）", None, config.origin.path))
    elif not office.email:
        evidence.append(
            Evidence(
                "没有网上申请方式：请在「依申请公开」中写「电子邮箱」",
                APPLY,
                config.origin.path,
                config.origin.line_of("依申请公开"),
            )
        )
    figure = "指南和申请方式齐全" if not evidence else f"{len(evidence)} 项缺失"
    found = [Evidence("政府信息公开指南", GUIDE), Evidence("依申请公开", APPLY)]
    return judged(rule, len(evidence), figure, evidence or found)
