"""The downloadable and machine-readable files of the site: catalogues, normative-document lists,
open data and Atom feeds, as bytes keyed by site path. Pure functions of the model; no MkDocs."""

from __future__ import annotations

import datetime as dt

from ...link import Links
from ...model import County
from .csvfile import table_csv
from .feeds import feed
from .opendata import catalog_rows_table, document_table, table_json
from .tables import catalog_table, newest, normative_tables
from .xlsx import workbook

__all__ = ["data_files"]

CATALOG_SHEET = "标准目录"


def data_files(county: County, links: Links, today: dt.date) -> dict[str, bytes]:
    """Site path (no leading slash) → content of every data file; the same bytes for the same input and day."""
    files: dict[str, bytes] = {}
    documents = newest(county.documents)
    for domain in county.domains:
        base = f"jcgk/{domain.code}/"
        catalog = catalog_table(domain, links.catalogs.get(domain.code))
        files[base + "catalog.csv"] = table_csv(catalog)
        files[base + "catalog.xlsx"] = workbook([(CATALOG_SHEET, catalog)], today)
        own = [doc for doc in documents if links.domain_of.get(doc.origin.path) == domain]
        files[base + "feed.xml"] = feed(
            base + "feed.xml", f"{county.config.site_name}：{domain.name}", own, county, today
        )
    normative = normative_tables(county, links, today)
    files["xxgk/gfxwj/list.csv"] = table_csv(normative[0][1])
    files["xxgk/gfxwj/list.xlsx"] = workbook(normative, today)
    for name, table in (("documents", document_table(county, links)), ("catalog", catalog_rows_table(county, links))):
        files[f"data/{name}.csv"] = table_csv(table)
        files[f"data/{name}.json"] = table_json(table, today)
    files["feed.xml"] = feed("feed.xml", county.config.site_name, documents, county, today)
    return dict(sorted(files.items()))
