"""`gongkai audit` in one linear function: rules → checks over the sources and the built site → 附件1."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..link import link
from ..model import County
from ..model.audit import VETO, AuditRule
from . import a11y, built, sources, wording
from .findings import SKIPPED, Context, Outcome, WorkLine
from .rules import RuleTable, load_rules
from .site import read_site
from .work import SOFTWARE_WORK, work_lines

Check = Callable[[Context, AuditRule], Outcome]

CHECKS: dict[str, tuple[Check, tuple[str, ...]]] = {
    "wzbgx": (sources.home_updates, ("天数",)),
    "lmbgx": (sources.column_updates, ("栏目类别",)),
    "kblm": (sources.blank_columns, ()),
    "yzcw": (wording.serious_errors, ()),
    "hdhyc": (sources.responses, ("天数",)),
    "ljky": (built.links, ()),
    "jdbl": (sources.interpretation_ratio, ("天数", "比例", "组配分类")),
    "sxgl": (built.both_ways, ()),
    "gfxwj": (sources.normative_catalogue, ("天数",)),
    "nb": (sources.annual_report, ("天数",)),
    "ysqgk": (sources.application_guide, ()),
    "ss": (built.search, ()),
    "slh": (a11y.accessibility, ()),
}
"""Each indicator's check, by 编号, and the rule keys it needs."""


@dataclass(frozen=True)
class AuditResult:
    """One run of the audit: the rules it used, each indicator's outcome, each work item's line."""

    today: dt.date
    county: County
    table: RuleTable
    outcomes: tuple[Outcome, ...]
    work: tuple[WorkLine, ...]
    site_dir: Path

    @property
    def vetoed(self) -> tuple[Outcome, ...]:
        """The 单项否决 indicators that fail: the site would be judged 不合格."""
        return tuple(o for o in self.outcomes if o.rule.group == VETO and o.failed)


def audit(
    root: Path, county: County, site_dir: Path, today: dt.date, online: bool = False, chromium: str | None = None
) -> AuditResult:
    """Judge the county (as published) and its built site against the rules in force."""
    known = {code: needs for code, (_, needs) in CHECKS.items()}
    table, evidence = load_rules(root, known, SOFTWARE_WORK, county.config.kinds)
    ctx = Context(county, link(county, today), read_site(site_dir), table, today, root, online, chromium)
    outcomes = []
    for rule in table.rules:
        if not rule.enabled:
            outcome = Outcome(rule, SKIPPED, "已停用", None, (), "本县规则表中写了「启用: 否」")
        else:
            outcome = CHECKS[rule.code][0](ctx, rule)
        ctx.found[rule.code] = outcome
        outcomes.append(outcome)
    return AuditResult(today, county, table, tuple(outcomes), tuple(work_lines(ctx, evidence)), site_dir)
