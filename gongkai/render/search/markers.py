"""The search markers a page carries: the one place their names are spelled.

They keep Pagefind's attribute names (data-pagefind-body, -filter, -meta, -ignore) so a page reads as
Pagefind expects, but records.py is what reads them: filters and meta go into the page's record
(facets.json, r/<page>.json), never into Pagefind's own index."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from html import escape

FILTERS = ("领域", "发布机构", "年份", "组配分类", "有效性", "乡镇", "村")
"""Facets of the search page, in display order; each is a `data-pagefind-filter` name (one value per page)."""

META_DATE = "date"
"""Meta key holding the publication date (YYYY-MM-DD) shown in a result."""

META_DOC_NO = "文号"
"""Meta key holding the 文号 shown in a result."""

SORT_DATE = "date"
"""Value of the search page's sort parameter (?sort=date): newest first, the reverse of the
order pack.py numbers pages in."""

META_CLASS = "gk-meta"
"""The class of a page's metadata block: indexed like the rest, but a result's excerpt prefers the body."""

BODY_ATTRIBUTE = "data-pagefind-body"
"""Put on the main content element of every page to index; pages without it are left out."""


def markers(filters: Mapping[str, str], meta: Mapping[str, str], sort_date: str) -> str:
    """The hidden HTML of a page's facet values, result metadata and date sort key."""
    _check(filters, meta, sort_date)
    spans = [_span("filter", name, value) for name, value in filters.items()]
    spans += [_span("meta", META_DATE, sort_date)]
    spans += [_span("meta", name, value) for name, value in meta.items()]
    # hidden and data-pagefind-ignore keep the values out of the searchable text; records.py still
    # reads the filters and meta inside.
    return f"<div hidden data-pagefind-ignore>{''.join(spans)}</div>"


@lru_cache(maxsize=4096)
def _span(kind: str, name: str, value: str) -> str:
    """One marker; most values recur on page after page (a domain, an agency, a year): made once each."""
    return f'<span data-pagefind-{kind}="{escape(name)}">{escape(value)}</span>'


def _check(filters: Mapping[str, str], meta: Mapping[str, str], sort_date: str) -> None:
    unknown = sorted(set(filters) - set(FILTERS))
    if unknown:
        raise ValueError(f"unknown search filters {unknown}; known: {FILTERS}")
    blank = sorted(k for k, v in [*filters.items(), *meta.items()] if not v.strip())
    if blank:
        raise ValueError(f"blank search marker values for {blank}")
    if META_DATE in meta:
        raise ValueError(f"meta {META_DATE!r} is written from sort_date; do not pass it")
    # Only the ISO form sorts correctly as text, which is how Pagefind sorts dates.
    if dt.date.fromisoformat(sort_date).isoformat() != sort_date:
        raise ValueError(f"sort_date must be YYYY-MM-DD, got {sort_date!r}")
