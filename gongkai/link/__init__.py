"""Linking: the references between records resolved once (解读 ↔ policy, document ↔ catalogue row,
normative status), for the checks and the renderers to share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..model import Catalog, CatalogRow, County, Document, Domain
from ..model.memo import remembered
from .calendar import WorkCalendar
from .normative import NormativeEntry, normative_entry

__all__ = ["Links", "NormativeEntry", "WorkCalendar", "link", "resolve_row"]


@dataclass(frozen=True)
class Links:
    """Every cross-record reference of a county, resolved."""

    by_index: dict[str, Document] = field(default_factory=dict)
    domain_of: dict[str, Domain] = field(default_factory=dict)
    """Document source path → its domain."""
    catalogs: dict[str, Catalog] = field(default_factory=dict)
    """Domain code → its catalogue."""
    policy_of: dict[str, Document] = field(default_factory=dict)
    """Interpretation source path → the policy it interprets."""
    interpretations: dict[str, tuple[Document, ...]] = field(default_factory=dict)
    """Policy source path → its interpretations, oldest first."""
    row_of: dict[str, CatalogRow] = field(default_factory=dict)
    """Document source path → the catalogue row it is published under."""
    documents_of: dict[tuple[str, str], tuple[Document, ...]] = field(default_factory=dict)
    """(domain code, row 序号) → documents published under that row, newest first."""
    normative: tuple[NormativeEntry, ...] = ()
    """Every normative document, newest first."""
    calendar: WorkCalendar = field(default_factory=WorkCalendar)

    def normative_of(self, doc: Document) -> NormativeEntry | None:
        """The normative-catalogue entry of a document, if it is a normative document."""
        if not doc.is_normative:
            return None
        return self._normative_by_document.get(id(doc))

    @cached_property
    def _normative_by_document(self) -> dict[int, NormativeEntry]:
        """Each entry by its document (the first, as a search of ``normative`` finds it): asked for every page and
        check, a search was quadratic (~0.3 s at county scale). The entries hold their documents, so no id is
        reused while this lives."""
        found: dict[int, NormativeEntry] = {}
        for entry in self.normative:
            found.setdefault(id(entry.document), entry)
        return found


def link(county: County, today: dt.date) -> Links:
    """Resolve every reference; unresolvable ones are simply absent (the checks report them)."""
    by_index = {d.index_no: d for d in county.documents if d.index_no}
    domain_of = {d.origin.path: dom for d in county.documents if (dom := county.domain(d.domain))}
    catalogs = {dom.code: c for c in county.catalogs if (dom := county.domain(c.domain))}
    by_title = _unique_titles(county.documents)
    policy_of = {
        d.origin.path: policy
        for d in county.documents
        if d.interprets and (policy := by_index.get(d.interprets) or by_title.get(d.interprets))
    }
    interpretations = _group(((p.origin.path, d) for d, p in _pairs(county.documents, policy_of)), oldest=True)
    row_of = {}
    for doc in county.documents:
        catalog = catalogs.get(domain_of[doc.origin.path].code) if doc.origin.path in domain_of else None
        row = resolve_row(catalog, doc.catalog_item) if catalog and doc.catalog_item else None
        if isinstance(row, CatalogRow):
            row_of[doc.origin.path] = row
    documents_of = _group(
        ((domain_of[d.origin.path].code, row_of[d.origin.path].number), d)
        for d in county.documents
        if d.origin.path in row_of
    )
    normative = tuple(
        normative_entry(d, today, interpretations.get(d.origin.path, ()))
        for d in _newest(county.documents)
        if d.is_normative
    )
    calendar = WorkCalendar(frozenset(county.config.holidays), frozenset(county.config.extra_workdays))
    return Links(by_index, domain_of, catalogs, policy_of, interpretations, row_of, documents_of, normative, calendar)


def resolve_row(catalog: Catalog, reference: str) -> CatalogRow | list[CatalogRow] | None:
    """The row a 目录事项 names (序号, 二级事项, 一级事项 or 一级/二级); a list when ambiguous. Kept beside the
    catalogue (asked once per document, by the links and the checks: a search of its rows each time cost 0.3 s)."""
    found = remembered(catalog, ("row", reference), lambda: _resolve_row(catalog, reference))
    return list(found) if isinstance(found, list) else found


def _resolve_row(catalog: Catalog, reference: str) -> CatalogRow | list[CatalogRow] | None:
    reference = reference.strip()
    for row in catalog.rows:
        if reference in (row.number, row.title, f"{row.item}/{row.subitem}"):
            return row
    matches = [row for row in catalog.rows if reference in (row.subitem, row.item)]
    if len(matches) == 1:
        return matches[0]
    return matches or None


def _unique_titles(documents: Iterable[Document]) -> dict[str, Document]:
    """「《标题》」 → the one document with that title (a 解读对象 written before its policy had a 索引号)."""
    titles: dict[str, list[Document]] = {}
    for doc in documents:
        titles.setdefault(f"《{doc.title}》", []).append(doc)
    return {title: docs[0] for title, docs in titles.items() if len(docs) == 1}


def _pairs(documents: Iterable[Document], policy_of: dict[str, Document]) -> Iterable[tuple[Document, Document]]:
    return ((d, policy_of[d.origin.path]) for d in documents if d.origin.path in policy_of)


def _newest(documents: Iterable[Document]) -> list[Document]:
    return sorted(documents, key=lambda d: (d.published, d.slug), reverse=True)


def _group(pairs: Iterable[tuple[Any, Document]], oldest: bool = False) -> dict[Any, tuple[Document, ...]]:
    groups: dict[Any, list[Document]] = {}
    for key, doc in pairs:
        groups.setdefault(key, []).append(doc)
    return {
        key: tuple(sorted(docs, key=lambda d: (d.published, d.slug), reverse=not oldest))
        for key, docs in groups.items()
    }
