"""What an import carries from stage to stage: the county as read, and each row's document being decided."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem
from ..guard.allow import Allowance
from ..load.legacy import Draft
from ..model import CountyConfig, Document, Domain
from ..model.document import PENDING
from ..model.ledger import LedgerEntry
from .agencies import AgencyResolver, NewAgency
from .domains import DomainInference
from .numbers import Spot
from .review import DocumentLine, Review

COUNTY_FILE = "county.yml"
NUMBER_COLUMNS = (("title", "信息名称", False), ("doc_no", "文号", False), ("summary", "内容概述", False),
                  ("body", "正文", True))  # fmt: skip
"""(Document field, the column the review names, read as Markdown): the cells a document is made of."""
NEW, CHANGED = "新建", "修改"


@dataclass
class Planned:
    """One row's document: its path, the values decided, and whether its file exists already."""

    draft: Draft
    path: str
    update: bool
    line: DocumentLine
    agencies: tuple[str, ...] = ()
    domain: str = PENDING
    kind: str = PENDING
    policy: str | None = None
    """The key of the policy a 解读 interprets: an export row number, or an existing document's path."""
    index_no: str | None = None
    spots: list[Spot] = field(default_factory=list)
    public: set[tuple[int, str, str]] = field(default_factory=set)
    """The keys of the spots the clerk declared public (left as they stand, registered in public-numbers.yml)."""


@dataclass
class ImportPlan:
    """Everything one import would write, and what it has to tell the clerk."""

    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    """Relative path → (新建 or 修改, the new content); the review workbook is not among them."""
    review: Review = field(default_factory=Review)
    documents: list[Planned] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    new_agencies: list[NewAgency] = field(default_factory=list)
    dropped_agencies: list[str] = field(default_factory=list)
    """Bodies without a code removed from county.yml: the clerk mapped their spellings to another body."""
    assigned: list[LedgerEntry] = field(default_factory=list)
    unbuildable: list[Problem] = field(default_factory=list)
    """What ``check`` would refuse in the documents written (gongkai.migrate.verify), for the clerk to fix."""
    waiting: list[str] = field(default_factory=list)
    """Documents that wait for their agency's 统一社会信用代码 (no 索引号, not published yet)."""


@dataclass
class Context:
    """The county an import writes into, as read once, and the clerk's review."""

    root: Path
    rel: str
    config: CountyConfig
    domains: list[Domain]
    review: Review
    resolver: AgencyResolver
    inference: DomainInference
    kind_table: dict[str, str]
    allowance: Allowance
    existing: dict[str, Document] = field(default_factory=dict)
    """Existing documents by source path (read leniently)."""
    renames: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Export spelling → (its body before the review, the body the clerk chose on the 发布机构 sheet)."""
    review_name: str = "核对表"
    """The review workbook's file name, as messages name it."""
    prints: dict[int, str] = field(default_factory=dict)
    """Export row → its content fingerprint (gongkai.migrate.match)."""
    titles: dict[int, str] = field(default_factory=dict)
    """Export row → its title with every personal number masked (as the review workbook shows it)."""
