"""The 基层政务公开 domain pages with their catalogues, and the normative-document catalogue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from ....link import Links, NormativeEntry
from ....model import CatalogRow, County, Document
from ....model.catalog import CHANNELS
from .. import urls
from ..contexts import CatalogRowView, DocumentRow, DomainContext, Link, NormativeContext, NormativeRow
from .common import PER_PAGE, Planned, PlannedPage, listing, row


def domains(
    county: County, links: Links, newest: list[Document], rows: Callable[[Document | DocumentRow], DocumentRow] = row
) -> Iterator[PlannedPage]:
    """Each domain's page (catalogue and latest documents) and, when long, the list of all its documents
    (``rows``: each document's line)."""
    by_domain: dict[str, list[Document]] = {d.code: [] for d in county.domains}
    for doc in newest:
        by_domain[links.domain_of[doc.origin.path].code].append(doc)
    for domain in county.domains:
        docs = by_domain[domain.code]
        catalog = links.catalogs.get(domain.code)
        views = tuple(_row_view(domain.code, row, links) for row in (catalog.rows if catalog else ()))
        more = f"{urls.domain(domain.code)}documents/" if len(docs) > PER_PAGE else None
        downloads = tuple(
            Link(f"标准目录（{kind}）", urls.domain_file(domain.code, f"catalog.{kind.lower()}"))
            for kind in ("XLSX", "CSV")
        )
        context = DomainContext(
            domain,
            views,
            tuple(rows(d) for d in docs[:PER_PAGE]),
            len(docs),
            more,
            downloads,
            urls.domain_file(domain.code, "feed.xml"),
        )
        origin = domain.origin.path
        yield urls.domain(domain.code), Planned(domain.name, "domain.html", context, searchable=True), origin
        if more:
            intro = f"领域「{domain.name}」的全部政府信息。"
            yield from listing(more, f"{domain.name}：全部信息", intro, docs, origin, rows)


def _row_view(code: str, row: CatalogRow, links: Links) -> CatalogRowView:
    channels = tuple((name, name in row.channels) for name in CHANNELS)
    documents = tuple(Link(d.title, urls.document(d)) for d in links.documents_of.get((code, row.number), ()))
    return CatalogRowView(row, f"row-{row.number}", channels, documents)


def normative_context(links: Links, today: dt.date) -> NormativeContext:
    """The normative-document catalogue on the build date, with its three lists."""

    def rows(entries: list[NormativeEntry]) -> tuple[NormativeRow, ...]:
        return tuple(
            NormativeRow(
                i,
                e.document.title,
                urls.document(e.document),
                e.document.doc_no,
                e.document.registration_no or "—",
                e.document.agency,
                e.document.written,
                e.effective,
                e.expires,
                e.status,
                tuple(Link(d.title, urls.document(d)) for d in e.interpretations),
            )
            for i, e in enumerate(entries, 1)
        )

    sections = (
        ("现行有效", "现行有效的行政规范性文件", rows([e for e in links.normative if e.in_force])),
        ("已废止", "已废止的行政规范性文件", rows([e for e in links.normative if e.status == "废止"])),
        ("已失效", "已失效（含有效期届满）的行政规范性文件", rows([e for e in links.normative if e.status == "失效"])),
    )
    downloads = (
        Link("目录（XLSX，含已废止、已失效）", f"{urls.NORMATIVE}list.xlsx"),
        Link("现行有效目录（CSV）", f"{urls.NORMATIVE}list.csv"),
    )
    return NormativeContext(today, sections, downloads)
