"""The typed context of every site template: one documented dataclass per template.

URLs in contexts are site URLs (``jcgk/snbt/``); templates turn them into relative links with
the ``rel`` function, so the site works under any sub-path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from ...model import CatalogRow, CountyConfig, Domain, Phone, Town, Village, VillageItem

T = TypeVar("T")


def tree_repr(cls: type[T]) -> type[T]:
    """A context dataclass's own repr without its guard against cycles (a context is a tree: nothing holds
    itself). The page keys (keys.py) take the repr of every page's context: the guard cost ~0.9 s a county build."""
    setattr(cls, "__repr__", cls.__repr__.__wrapped__)  # type: ignore[attr-defined]
    return cls


def kept_repr(cls: type[T]) -> type[T]:
    """``tree_repr``, made once an object: a link or a document's listing line stands in many pages' contexts (a
    line in four lists or more, a domain's link in 20 000 document pages). The class must be frozen."""
    made = cls.__repr__.__wrapped__  # type: ignore[attr-defined]

    def __repr__(self: Any) -> str:
        found: str | None = self.__dict__.get("_repr")
        if found is None:
            found = self.__dict__["_repr"] = made(self)  # frozen: nothing changes what it is made of
        return found

    setattr(cls, "__repr__", __repr__)
    return cls


@kept_repr
@dataclass(frozen=True)
class Link:
    """A labelled link to a site URL."""

    text: str
    url: str
    note: str = ""


@kept_repr
@dataclass(frozen=True)
class DocumentRow:
    """One document in a listing."""

    title: str
    url: str
    published: dt.date
    doc_no: str
    agency: str
    kind: str


@tree_repr
@dataclass(frozen=True)
class Pager:
    """Where a listing page stands among its siblings."""

    page: int
    pages: tuple[Link, ...]
    """The numbered links around this page."""
    previous: str | None
    next: str | None
    total: int = 1
    """How many pages the listing has (共N页)."""
    first: str = ""
    last: str = ""


@tree_repr
@dataclass(frozen=True)
class HomeContext:
    """home.html: the front page, in the columns of a county site."""

    county: CountyConfig
    latest: tuple[DocumentRow, ...]
    columns: tuple[Link, ...]
    """政府信息公开's entries."""
    domains: tuple[Link, ...]
    """基层政务公开's domains."""
    today: dt.date
    towns: tuple[Link, ...] = ()
    """村（居）务公开 by town."""


@tree_repr
@dataclass(frozen=True)
class ListingContext:
    """listing.html: a paginated list of documents, newest first."""

    heading: str
    intro: str
    rows: tuple[DocumentRow, ...]
    pager: Pager
    total: int


@tree_repr
@dataclass(frozen=True)
class LinksContext:
    """links.html: a section page that lists its sub-pages (政府信息公开, 法定主动公开内容 …)."""

    heading: str
    intro: str
    groups: tuple[tuple[str, tuple[Link, ...]], ...]


@tree_repr
@dataclass(frozen=True)
class CatalogRowView:
    """A catalogue row with its channel checklist (■/□) and the documents published under it."""

    row: CatalogRow
    anchor: str
    channels: tuple[tuple[str, bool], ...]
    documents: tuple[Link, ...]


@tree_repr
@dataclass(frozen=True)
class DomainContext:
    """domain.html: a domain's standard catalogue, then its documents (first page)."""

    domain: Domain
    rows: tuple[CatalogRowView, ...]
    documents: tuple[DocumentRow, ...]
    total: int
    more: str | None
    downloads: tuple[Link, ...]
    feed: str


@tree_repr
@dataclass(frozen=True)
class NormativeRow:
    """One line of the 现行有效行政规范性文件目录."""

    number: int
    title: str
    url: str
    doc_no: str
    registration_no: str
    agency: str
    written: dt.date
    effective: dt.date
    expires: dt.date
    status: str
    interpretations: tuple[Link, ...]


@tree_repr
@dataclass(frozen=True)
class NormativeContext:
    """normative.html: the catalogue of normative documents in force, and those abolished or expired."""

    as_of: dt.date
    sections: tuple[tuple[str, str, tuple[NormativeRow, ...]], ...]
    """(heading, caption, rows): 现行有效, 已废止, 已失效."""
    downloads: tuple[Link, ...]


@tree_repr
@dataclass(frozen=True)
class ConsultationRow:
    """A draft put out for comment, with its status on the build date."""

    title: str
    url: str
    start: dt.date
    end: dt.date
    status: str
    has_feedback: bool


@tree_repr
@dataclass(frozen=True)
class ConsultationsContext:
    """consultations.html: every 意见征集, open ones first."""

    rows: tuple[ConsultationRow, ...]


@tree_repr
@dataclass(frozen=True)
class QuestionsContext:
    """questions.html: 回应关切 or 政策咨询 items and the phone lines that answer questions."""

    heading: str
    intro: str
    rows: tuple[DocumentRow, ...]
    phones: tuple[Phone, ...]


@tree_repr
@dataclass(frozen=True)
class OpenDataContext:
    """opendata.html: the machine-readable files of the site."""

    files: tuple[Link, ...]
    feeds: tuple[Link, ...]


@tree_repr
@dataclass(frozen=True)
class MetadataContext:
    """The metadata block above every document (part of document.html)."""

    fields: tuple[tuple[str, str], ...]
    domain: Link
    catalog_row: Link | None
    interprets: Link | None
    interpretations: tuple[Link, ...]
    markers: str
    """Hidden search markers (filters, meta, sort) as HTML, from the search stage."""


@tree_repr
@dataclass(frozen=True)
class ConsultationView:
    """The comment period of a 意见征集 on the build date."""

    start: dt.date
    end: dt.date
    status: str
    adoption: str | None


@tree_repr
@dataclass(frozen=True)
class DocumentContext:
    """document.html: a document page — title, metadata block, body, attachments, comment period."""

    title: str
    meta: MetadataContext
    body: str
    """The Markdown body as HTML, rendered by MkDocs."""
    attachments: tuple[Link, ...]
    consultation: ConsultationView | None


@tree_repr
@dataclass(frozen=True)
class PayoutLine:
    """One household as the web shows it during the 公示期: never an ID, card or phone number."""

    name: str
    group: str
    quantity: str
    amount: str


@tree_repr
@dataclass(frozen=True)
class PayoutSummary:
    """A payout list as the village page shows it: names only inside its window, totals always."""

    title: str
    notice_start: dt.date
    notice_end: dt.date
    status: str
    households: int
    total: str
    sheet: str | None
    """The PDF's site URL while names may be shown, else None (and the PDF is not published)."""
    shown_until: dt.date
    """The last day names are online: the end of the 公示期 plus county.yml's 公示后保留天数."""
    lines: Sequence[PayoutLine] = ()
    """The households, while names may be shown (plan/villages.py ``PayoutLines``, or a tuple); empty otherwise."""
    unit: str = ""


@tree_repr
@dataclass(frozen=True)
class TownContext:
    """town.html: a town with its villages and phones."""

    town: Town
    villages: tuple[Link, ...]


@tree_repr
@dataclass(frozen=True)
class VillageContext:
    """village.html: a village's catalogue and its payout publications."""

    village: Village
    town: Link
    items: tuple[VillageItem, ...]
    phones: tuple[Phone, ...]
    payouts: tuple[PayoutSummary, ...]
    catalogue_sheet: str = ""
    """Site URL of the 公开事项目录 as a PDF to print (no personal data: always published)."""


@tree_repr
@dataclass(frozen=True)
class VillagesContext:
    """villages.html: every town and its villages."""

    towns: tuple[tuple[Link, tuple[Link, ...]], ...]


@tree_repr
@dataclass(frozen=True)
class FieldRow:
    """One source key in the 使用指南 field reference."""

    key: str
    required: bool
    kind: str
    doc: str
    example: str
    choices: tuple[str, ...]


@tree_repr
@dataclass(frozen=True)
class FieldsContext:
    """fields.html: the source formats, generated from the model's declarations."""

    sections: tuple[tuple[str, str, tuple[FieldRow, ...]], ...]
    """(heading, where the file lives, its keys)."""


@tree_repr
@dataclass(frozen=True)
class SearchContext:
    """search.html: the search page; its body comes from the search stage."""

    body: str


@tree_repr
@dataclass(frozen=True)
class ChromeContext:
    """Site-wide parts of every page (banner, 当前位置, footer, search form), given to Material's templates."""

    county: CountyConfig
    search: str
    """Relative link from the current page to the search page."""
    feed: str
    """Relative link to the site's Atom feed."""
    home: str = "./"
    """Relative link to the home page."""
    emblem: str | None = None
    """Relative link to the county's 标志 (county.yml), if it has one."""
    crumbs: tuple[Link, ...] = ()
    """当前位置: 首页, each page above this one, then this page (its url is not linked)."""
