"""Open data: every document's metadata and every catalogue row, as CSV and JSON under the source keys."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from operator import attrgetter

from ...link import Links
from ...model import CatalogRow, County, Document, Domain
from ...model.schema import specs
from .tables import Column, Table, Value, newest, table

URL = "网址"
DOMAIN, DOMAIN_CODE = "领域", "领域代码"
DOCUMENT_FIELDS = (
    "index_no",
    "title",
    "doc_no",
    "agency",
    "written",
    "published",
    "domain",
    "subject",
    "kind",
    "keywords",
    "summary",
    "validity",
    "interprets",
    "catalog_item",
)
"""The metadata fields published, in the order of the metadata block; keys come from the model."""


def _key(cls: type, attribute: str) -> str:
    return next(spec.key for name, spec in specs(cls) if name == attribute)


def document_table(county: County, links: Links, documents: Sequence[Document] | None = None) -> Table:
    """One record per document, newest first: the metadata as published, with references resolved
    (``documents``: the county's, newest first, when the caller sorted them already)."""
    status = {entry.document.origin.path: entry.status for entry in links.normative}

    def domain(doc: Document) -> Value:
        found = links.domain_of.get(doc.origin.path)
        return found.name if found else doc.domain

    def validity(doc: Document) -> Value:  # a normative document past its term is 失效 on the build date
        return status.get(doc.origin.path, doc.validity)

    def catalog_item(doc: Document) -> Value:
        row = links.row_of.get(doc.origin.path)
        return row.title if row else None

    resolved = {"domain": domain, "validity": validity, "catalog_item": catalog_item}
    columns: list[Column[Document]] = [
        Column(_key(Document, name), resolved.get(name, attrgetter(name))) for name in DOCUMENT_FIELDS
    ]
    columns.append(Column(URL, lambda doc: doc.slug + "/"))
    return table("公开信息", columns, newest(county.documents) if documents is None else documents)


def _row_field(name: str) -> Callable[[tuple[Domain, CatalogRow]], Value]:
    return lambda item: getattr(item[1], name)


CATALOG_COLUMNS: tuple[Column[tuple[Domain, CatalogRow]], ...] = (
    Column(DOMAIN_CODE, lambda item: item[0].code),
    Column(DOMAIN, lambda item: item[0].name),
    *(Column(spec.key, _row_field(name)) for name, spec in specs(CatalogRow)),
)


def catalog_rows_table(county: County, links: Links) -> Table:
    """Every row of every domain's standard catalogue, domain by domain."""
    rows = [
        (domain, row)
        for domain in county.domains
        if domain.code in links.catalogs
        for row in links.catalogs[domain.code].rows
    ]
    return table("基层政务公开标准目录", CATALOG_COLUMNS, rows)


def table_json(table: Table, today: dt.date) -> bytes:
    """{"生成日期", "记录数", "记录"}: records keyed by column header, in column order, lists as arrays."""
    headers = [column.header for column in table.columns]
    records = [dict(zip(headers, (_json(value) for value in row), strict=True)) for row in table.rows]
    data = {"生成日期": today.isoformat(), "记录数": len(records), "记录": records}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _json(value: Value) -> str | int | list[str] | None:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
