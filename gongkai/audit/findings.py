"""What the audit finds: per indicator and per work item, the county's figure, the verdict and the evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..link import Links
from ..model import County, Document
from ..model.audit import AuditRule
from ..render.site import urls
from .rules import RuleTable
from .site import BuiltSite

PASS = "合格"
FAIL = "不合格"
SKIPPED = "未检查"
DONE = "达标"
NOT_DONE = "未达标"
MISSING = "待补充"

MAX_EVIDENCE = 200
"""Evidence lines kept per indicator in the report (the count is always whole)."""


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: a page of the built site (url), a source file and line, or both."""

    text: str
    url: str | None = None
    """Relative to the site root ('' is the home page); None when there is no page."""
    path: str | None = None
    line: int | None = None

    @property
    def place(self) -> str:
        """The source file and line, as clerks read it."""
        if not self.path:
            return ""
        return self.path if self.line is None else f"{self.path} 第 {self.line} 行"


@dataclass(frozen=True)
class Outcome:
    """One indicator's result."""

    rule: AuditRule
    status: str
    figure: str
    """The county's figure in words: 「3 个栏目」, 「85%（17/20）」."""
    value: float | None
    """The figure as a number, for the trend (None when not checked)."""
    evidence: tuple[Evidence, ...] = ()
    note: str = ""

    @property
    def failed(self) -> bool:
        """The indicator fails."""
        return self.status == FAIL


@dataclass(frozen=True)
class WorkLine:
    """One line of the 工作内容表 (附件1) in the report."""

    code: str
    area: str
    task: str
    way: str
    status: str
    figure: str
    evidence: tuple[Evidence, ...] = ()


@dataclass
class Context:
    """What every check reads: the county as published, its links, the built site, the rules, the date."""

    county: County
    links: Links
    site: BuiltSite
    table: RuleTable
    today: dt.date
    root: Path
    online: bool = False
    chromium: str | None = None
    found: dict[str, Outcome] = field(default_factory=dict)
    """Indicators already judged, by 编号 (work items reuse them)."""


def judged(
    rule: AuditRule,
    problems: int,
    figure: str,
    evidence: list[Evidence],
    note: str = "",
    checked: Sequence[Evidence] = (),
) -> Outcome:
    """An outcome from a count of problems against the rule's 允许数; without problems, what was checked is the
    evidence."""
    status = FAIL if problems >= rule.allowed else PASS
    shown = evidence or list(checked)
    return Outcome(rule, status, figure, float(problems), tuple(shown[:MAX_EVIDENCE]), note)


def doc_evidence(doc: Document, text: str, key: str = "") -> Evidence:
    """Evidence pointing at a document's page and its source line."""
    line = doc.origin.line_of(key) if key else doc.origin.line
    return Evidence(text, urls.document(doc), doc.origin.path, line)
