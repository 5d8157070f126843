"""The whole loaded county: every record of every source, ready to be checked and rendered."""

from __future__ import annotations

from dataclasses import dataclass

from .catalog import Catalog, Domain
from .config import CountyConfig
from .document import Document
from .ledger import LedgerEntry
from .memo import remembered
from .report import AnnualReport
from .village import PayoutList, Town, Village


@dataclass(frozen=True, kw_only=True)
class County:
    """Everything the sources say, as typed records."""

    config: CountyConfig
    domains: tuple[Domain, ...]
    catalogs: tuple[Catalog, ...]
    documents: tuple[Document, ...]
    towns: tuple[Town, ...]
    villages: tuple[Village, ...]
    payouts: tuple[PayoutList, ...]
    ledger: tuple[LedgerEntry, ...] = ()
    """index-ledger.csv: every 索引号 ever given; empty when the file does not exist."""
    reports: tuple[AnnualReport, ...] = ()
    """reports/<年度>.yml: the 政府信息公开工作年度报告, oldest first."""
    failed: frozenset[str] = frozenset()
    """Source files that did not load (their problems are reported): a reference that may point into one of
    them is not reported again as missing."""

    def may_hold(self, folder: str) -> bool:
        """Whether a record under ``folder`` (say 「catalog/」) may be missing only because its file failed to load."""
        return any(path.startswith(folder) for path in self.failed)

    def domain(self, name: str) -> Domain | None:
        """The domain with this code, name or alias."""
        return remembered(self, ("domain", name), lambda: self._domain(name))

    def _domain(self, name: str) -> Domain | None:
        for domain in self.domains:
            if name in (domain.code, domain.name) or name in domain.aliases:
                return domain
        return None
