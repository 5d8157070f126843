"""Typed records of everything a county publishes. Imports nothing from loading, rendering or MkDocs."""

from .catalog import Catalog, CatalogRow, Domain
from .config import Abbreviation, Agency, ApplicationOffice, CountyConfig, Phone
from .content import PageMeta
from .county import County
from .document import AttachmentEntry, Document
from .importmap import ColumnDomain, ImportMap, KindAlias
from .origin import Origin
from .public import NumberPattern, PublicNumber, PublicNumbers
from .report import AnnualReport
from .village import PayoutList, PayoutRow, Town, Village, VillageItem

__all__ = [
    "Abbreviation",
    "Agency",
    "AnnualReport",
    "ApplicationOffice",
    "AttachmentEntry",
    "Catalog",
    "CatalogRow",
    "ColumnDomain",
    "County",
    "CountyConfig",
    "Document",
    "Domain",
    "ImportMap",
    "KindAlias",
    "NumberPattern",
    "Origin",
    "PageMeta",
    "PayoutList",
    "PayoutRow",
    "Phone",
    "PublicNumber",
    "PublicNumbers",
    "Town",
    "Village",
    "VillageItem",
]
