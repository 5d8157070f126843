"""Render the site's own templates (strict, autoescaped) to HTML fragments that MkDocs wraps."""

from __future__ import annotations

import datetime as dt
from functools import cache, partial
from pathlib import Path

import jinja2

from ...model import County, Document
from ..search import markers
from . import urls
from .contexts import Link, MetadataContext

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment() -> jinja2.Environment:
    """The Jinja environment of the site's page templates."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["cndate"] = cn_date
    return env


def render(template: str, context: object, url: str) -> str:
    """A page's HTML fragment; links are made relative to ``url``."""
    return environment().get_template(template).render(ctx=context, rel=partial(urls.relative, current=url))


def cn_date(value: dt.date) -> str:
    """2025年3月5日."""
    return f"{value.year}年{value.month}月{value.day}日"


def metadata_context(doc: Document, county: County, interpretations: tuple[Document, ...],
                     policy: Document | None) -> MetadataContext:
    """The metadata block of one document (domain.md §3)."""
    domain = county.domain(doc.domain)
    assert domain is not None, "checked before rendering"
    fields = (
        ("索引号", doc.index_no or "（待分配）"), ("组配分类", doc.kind), ("发布机构", doc.agency),
        ("主题分类", doc.subject), ("名称", doc.title), ("文号", doc.doc_no),
        ("成文日期", cn_date(doc.written)), ("发布日期", cn_date(doc.published)),
        ("关键词", "、".join(doc.keywords) or "无"), ("有效性", doc.validity), ("内容概述", doc.summary or "无"),
    )
    search = markers(
        {"领域": domain.name, "发布机构": doc.agency, "年份": str(doc.published.year), "组配分类": doc.kind,
         "有效性": doc.validity},
        {"文号": doc.doc_no}, doc.published.isoformat())
    return MetadataContext(
        fields, Link(domain.name, urls.domain(domain.code)),
        Link(policy.title, urls.document(policy)) if policy else None,
        tuple(Link(d.title, urls.document(d)) for d in interpretations), search)


def document_html(doc: Document, county: County, body_html: str, interpretations: tuple[Document, ...],
                  policy: Document | None) -> str:
    """A document page: title, metadata block and the Markdown body MkDocs rendered."""
    context = metadata_context(doc, county, interpretations, policy)
    url = urls.document(doc)
    return render("document.html", {"doc": doc, "meta": context, "body": body_html}, url)
