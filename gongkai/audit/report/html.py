"""The report as one HTML page (autoescaped Jinja: every value from the sources is escaped)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ...model.audit import DEDUCT, VETO
from ...render.formats import cn_date
from ..findings import Evidence, Outcome, WorkLine
from ..run import AuditResult
from .links import href

TEMPLATES = Path(__file__).with_name("templates")


@dataclass(frozen=True)
class Shown:
    """One piece of evidence as the page shows it."""

    text: str
    href: str | None
    place: str


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator's row."""

    outcome: Outcome
    evidence: tuple[Shown, ...]


@dataclass(frozen=True)
class WorkRow:
    """One work item's row."""

    line: WorkLine
    evidence: tuple[Shown, ...]


@dataclass(frozen=True)
class ReportContext:
    """Everything audit.html shows."""

    title: str
    today: dt.date
    verdict: str
    vetoed: bool
    groups: tuple[tuple[str, tuple[IndicatorRow, ...]], ...]
    work: tuple[WorkRow, ...]
    chart: str
    rules_dated: dt.date
    rules_basis: str
    adjusted: tuple[dt.date, str] | None


def report_html(result: AuditResult, out: Path, chart: str) -> str:
    """The report page."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined)
    env.filters["cndate"] = cn_date
    return env.get_template("audit.html").render(ctx=context(result, out, chart))


def context(result: AuditResult, out: Path, chart: str) -> ReportContext:
    """The page's typed context."""
    config = result.county.config

    def shown(items: tuple[Evidence, ...]) -> tuple[Shown, ...]:
        return tuple(Shown(e.text, href(e, result.site_dir, out), e.place) for e in items)

    groups = tuple(
        (group, tuple(IndicatorRow(o, shown(o.evidence)) for o in result.outcomes if o.rule.group == group))
        for group in (VETO, DEDUCT)
    )
    vetoed = "、".join(o.rule.name for o in result.vetoed)
    verdict = (
        f"单项否决指标「{vetoed}」不合格：按检查指标，网站会被判为不合格。" if vetoed else "单项否决指标全部合格。"
    )
    table = result.table
    return ReportContext(
        f"{config.site_name}自查报告",
        result.today,
        verdict,
        bool(vetoed),
        groups,
        tuple(WorkRow(w, shown(w.evidence)) for w in result.work),
        chart,
        table.dated,
        table.basis,
        table.adjusted,
    )
