"""The downloadable and machine-readable files of the site: catalogues, normative-document lists,
open data and Atom feeds, as bytes keyed by site path. Pure functions of the model; no MkDocs.

Each file is ``Deferred``: what its bytes are made from is gathered first (cheap: the tables' values, the
feeds' entries) and its repr is the file's key, so that an incremental build links the published file
when the key is unchanged (render/site/plugin.py) and makes the bytes only for the files that changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from ...link import Links
from ...model import County, Document
from .csvfile import table_csv
from .feeds import FeedSource, feed_bytes, feed_source
from .opendata import catalog_rows_table, document_table, table_json
from .tables import Table, catalog_table, newest, normative_tables

__all__ = ["Deferred", "data_files", "made"]

CATALOG_SHEET = "标准目录"


@dataclass(frozen=True)
class Deferred:
    """A data file: its bytes are made only when the published one cannot be reused."""

    key: str
    """Everything the bytes are made from, as text (with gongkai's own code, the whole of its key): ``make``
    reads nothing but what went into it."""
    make: Callable[[], bytes]


def _csv(table: Table) -> Deferred:
    return Deferred(repr(("csv", table.fingerprint)), partial(table_csv, table))


def _json(table: Table, today: dt.date) -> Deferred:
    return Deferred(repr(("json", table.fingerprint, today)), partial(table_json, table, today))


def _feed(source: FeedSource) -> Deferred:
    return Deferred(repr(("feed", source)), partial(feed_bytes, source))


def _workbook(sheets: Sequence[tuple[str, Table]], today: dt.date) -> Deferred:
    made_from = [(name, table.fingerprint) for name, table in sheets]
    return Deferred(repr(("xlsx", made_from, today)), partial(_xlsx, sheets, today))


def _xlsx(sheets: Sequence[tuple[str, Table]], today: dt.date) -> bytes:
    from .xlsx import workbook  # here: openpyxl takes 0.15 s to import, and a build that changed no list makes none

    return workbook(sheets, today)


def data_files(
    county: County, links: Links, today: dt.date, documents: Sequence[Document] | None = None
) -> dict[str, Deferred]:
    """Site path (no leading slash) → content of every data file; the same bytes for the same input and day.
    ``documents``: the county's, newest first (``tables.newest``), when the caller sorted them already (the
    site's plan: a sort of 20 000 documents, 0.05 s at county scale)."""
    files: dict[str, Deferred] = {}
    documents = newest(county.documents) if documents is None else documents
    by_code: dict[str, list[Document]] = {}  # each domain's documents, newest first: one pass, not one a domain
    for doc in documents:
        if (found := links.domain_of.get(doc.origin.path)) is not None:
            by_code.setdefault(found.code, []).append(doc)
    for domain in county.domains:
        base = f"jcgk/{domain.code}/"
        catalog = catalog_table(domain, links.catalogs.get(domain.code))
        files[base + "catalog.csv"] = _csv(catalog)
        files[base + "catalog.xlsx"] = _workbook([(CATALOG_SHEET, catalog)], today)
        own = [doc for doc in by_code.get(domain.code, []) if links.domain_of[doc.origin.path] == domain]
        files[base + "feed.xml"] = _feed(
            feed_source(base + "feed.xml", f"{county.config.site_name}：{domain.name}", own, county, today)
        )
    normative = normative_tables(county, links, today)
    files["xxgk/gfxwj/list.csv"] = _csv(normative[0][1])
    files["xxgk/gfxwj/list.xlsx"] = _workbook(normative, today)
    shown = (("documents", document_table(county, links, documents)), ("catalog", catalog_rows_table(county, links)))
    for name, table in shown:
        files[f"data/{name}.csv"] = _csv(table)
        files[f"data/{name}.json"] = _json(table, today)
    files["feed.xml"] = _feed(feed_source("feed.xml", county.config.site_name, documents, county, today))
    return dict(sorted(files.items()))


def made(files: dict[str, Deferred]) -> dict[str, bytes]:
    """Every data file's bytes."""
    return {name: content.make() for name, content in files.items()}
