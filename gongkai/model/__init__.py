"""Typed records of everything a county publishes. Imports nothing from loading, rendering or MkDocs."""

from .audit import AuditEvidence, AuditRule, AuditRules, ColumnClass, EvidenceEntry, RenamedBody, WorkItem
from .catalog import Catalog, CatalogRow, Domain
from .config import Abbreviation, Agency, ApplicationOffice, CountyConfig, Phone
from .content import PageMeta
from .county import County
from .document import AttachmentEntry, Document
from .importmap import ColumnDomain, ImportMap, KindAlias
from .origin import Origin
from .public import NumberPattern, PublicNumber, PublicNumbers
from .report import AnnualReport
from .village import PayoutFacts, PayoutList, PayoutRow, Town, Village, VillageItem

__all__ = [
    "Abbreviation",
    "Agency",
    "AnnualReport",
    "ApplicationOffice",
    "AttachmentEntry",
    "AuditEvidence",
    "AuditRule",
    "AuditRules",
    "Catalog",
    "CatalogRow",
    "ColumnClass",
    "ColumnDomain",
    "County",
    "CountyConfig",
    "Document",
    "Domain",
    "EvidenceEntry",
    "ImportMap",
    "KindAlias",
    "NumberPattern",
    "Origin",
    "PageMeta",
    "PayoutFacts",
    "PayoutList",
    "PayoutRow",
    "Phone",
    "PublicNumber",
    "PublicNumbers",
    "RenamedBody",
    "Town",
    "Village",
    "VillageItem",
    "WorkItem",
]
