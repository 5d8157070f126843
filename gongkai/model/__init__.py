"""Typed records of everything a county publishes. Imports nothing from loading, rendering or MkDocs."""

from .catalog import Catalog, CatalogRow, Domain
from .config import Agency, ApplicationOffice, CountyConfig, Phone
from .content import PageMeta
from .county import County
from .document import AttachmentEntry, Document
from .origin import Origin
from .public import NumberPattern, PublicNumber, PublicNumbers
from .report import AnnualReport
from .village import PayoutList, PayoutRow, Town, Village, VillageItem

__all__ = [
    "Agency",
    "AnnualReport",
    "ApplicationOffice",
    "AttachmentEntry",
    "Catalog",
    "CatalogRow",
    "County",
    "CountyConfig",
    "Document",
    "Domain",
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
