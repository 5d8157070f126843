"""The document page: metadata block (domain.md §3), body, attachments and the comment period."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ...link import Links
from ...model import Document
from ..search import markers
from . import urls
from .contexts import ConsultationView, DocumentContext, Link, MetadataContext, tree_repr
from ..formats import cn_date
from .html import render


SUBJECT_SEPARATOR = "／"
"""Between a 主题分类's class and subclass (written 「大类\\小类」 in the source, as CMS exports have it)."""


SIGNATURE = re.compile(r"(?:<p>[^<>。；，：:！？]{2,40}</p>\s*)?<p>\d{4}年\d{1,2}月\d{1,2}日</p>\s*$")
"""The 落款 that closes a document: the issuing body's name (optional) and the date, a paragraph each."""


def mark_signature(body: str) -> str:
    """Wrap a body's closing 落款 so that it is set right-aligned, as on the paper document (site.css)."""
    found = SIGNATURE.search(body)
    if found is None:
        return body
    return f'{body[: found.start()]}<div class="gk-signature">{found.group(0).strip()}</div>\n'


def consultation_status(start: dt.date, end: dt.date, today: dt.date) -> str:
    """未开始 / 征集中 / 已结束 on the build date."""
    if today < start:
        return "未开始"
    return "征集中" if today <= end else "已结束"


@tree_repr
@dataclass(frozen=True)
class Linked:
    """What a document's page shows of other records (``link/``): all it shows that its own file does not hold,
    but the attachments found beside it (``Document.files``). A page key that holds this, the file's digest and
    the attachments holds everything the page shows of the document (keys.document_key)."""

    domain: Link
    catalog_row: Link | None
    interprets: Link | None
    interpretations: tuple[Link, ...]
    normative: tuple[str, dt.date] | None
    """The normative catalogue's status of the document on the build date, and its 有效期至."""


def linked(doc: Document, links: Links, made: dict[tuple[int, str], Link] | None = None) -> Linked:
    """What the page of ``doc`` shows of other records; the only reader of ``links`` for a document page.
    ``made``: the links to other records made for the documents before, kept for the next (keys.document_key:
    20 000 documents link to 26 domains; a link's repr is made once, contexts.py)."""
    path = doc.origin.path
    domain = links.domain_of[path]
    row = links.row_of.get(path)
    entry = links.normative_of(doc)
    policy = links.policy_of.get(path)
    made = {} if made is None else made
    to_domain = made.get((id(domain), ""))  # by the record's id: ``made`` lives no longer than the model
    if to_domain is None:
        to_domain = made[(id(domain), "")] = Link(domain.name, urls.domain(domain.code))
    to_row = None
    if row is not None:
        to_row = made.get((id(row), domain.code))  # a row's link is under its domain's URL
        if to_row is None:
            to_row = made[(id(row), domain.code)] = Link(row.title, urls.catalog_row(domain.code, row.number))
    return Linked(
        to_domain,
        to_row,
        _to_document(policy, made) if policy else None,
        tuple(_to_document(d, made) for d in links.interpretations.get(path, ())),
        (entry.status, entry.expires) if entry else None,
    )


def _to_document(doc: Document, made: dict[tuple[int, str], Link]) -> Link:
    found = made.get((id(doc), ""))
    if found is None:
        found = made[(id(doc), "")] = Link(doc.title, urls.document(doc))
    return found


def metadata_context(doc: Document, links: Links) -> MetadataContext:
    """The metadata block of one document: of other records, only what ``linked`` finds (the page key relies on it)."""
    other = linked(doc, links)
    validity = doc.validity
    if other.normative and other.normative[0] != doc.validity:
        validity = f"{other.normative[0]}（有效期至 {cn_date(other.normative[1])}）"
    elif other.normative:
        validity = f"{doc.validity}（有效期至 {cn_date(other.normative[1])}）"
    fields = (
        ("索引号", doc.index_no or ""), ("组配分类", doc.kind), ("发布机构", "、".join(doc.agencies)),
        ("主题分类", doc.subject.replace("\\", SUBJECT_SEPARATOR)), ("名称", doc.title), ("文号", doc.doc_no),
        ("成文日期", cn_date(doc.written)), ("发布日期", cn_date(doc.published)),
        ("关键词", "、".join(doc.keywords) or "无"), ("有效性", validity), ("内容概述", doc.summary or "无"),
    )
    search = markers(
        {"领域": other.domain.text, "发布机构": doc.agency, "年份": str(doc.published.year), "组配分类": doc.kind,
         "有效性": other.normative[0] if other.normative else doc.validity},
        {"文号": doc.doc_no}, doc.published.isoformat())
    return MetadataContext(fields, other.domain, other.catalog_row, other.interprets, other.interpretations, search)


def document_context(doc: Document, links: Links, body_html: str, today: dt.date) -> DocumentContext:
    """Everything the document page shows."""
    attachments = tuple(Link(f.title, urls.attachment(doc, f.name), f"{f.kind}，{f.size_text}") for f in doc.files)
    consultation = None
    if doc.is_consultation and doc.consult_start and doc.consult_end:
        status = consultation_status(doc.consult_start, doc.consult_end, today)
        consultation = ConsultationView(doc.consult_start, doc.consult_end, status, doc.adoption)
    return DocumentContext(doc.title, metadata_context(doc, links), mark_signature(body_html), attachments,
                           consultation)


def document_html(doc: Document, links: Links, body_html: str, today: dt.date) -> str:
    """A document page's HTML fragment, wrapped around the body MkDocs rendered."""
    return render("document.html", document_context(doc, links, body_html, today), urls.document(doc))
