"""What every page family shares: the planned page, and document lists with their pager."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ....model import Document
from .. import urls
from ..contexts import DocumentRow, Link, ListingContext, Pager

PER_PAGE = 20
LATEST = 12


@dataclass(frozen=True)
class Planned:
    """A generated page: its title, template and context."""

    title: str
    template: str
    context: object
    searchable: bool = False


PlannedPage = tuple[str, Planned, str]
"""A page's URL, the page, and the source it comes from (for error messages)."""


def row(doc: Document | DocumentRow) -> DocumentRow:
    """A document as one line of a list (a line already made is kept)."""
    if isinstance(doc, DocumentRow):
        return doc
    return DocumentRow(doc.title, urls.document(doc), doc.published, doc.doc_no, doc.agency, doc.kind)


def listing(
    base: str, heading: str, intro: str, docs: Sequence[Document | DocumentRow], origin: str
) -> Iterator[PlannedPage]:
    """A list of documents, PER_PAGE to a page."""
    pages = max(1, -(-len(docs) // PER_PAGE))
    for page in range(1, pages + 1):
        chunk = docs[(page - 1) * PER_PAGE : page * PER_PAGE]
        context = ListingContext(heading, intro, tuple(row(d) for d in chunk), pager(base, page, pages), len(docs))
        title = heading if page == 1 else f"{heading}（第 {page} 页）"
        yield urls.paged(base, page), Planned(title, "listing.html", context), origin


def pager(base: str, page: int, pages: int) -> Pager:
    window = range(max(1, page - 4), min(pages, page + 4) + 1)
    links = tuple(Link(str(n), urls.paged(base, n)) for n in window)
    previous = urls.paged(base, page - 1) if page > 1 else None
    following = urls.paged(base, page + 1) if page < pages else None
    return Pager(page, links, previous, following, pages, urls.paged(base, 1), urls.paged(base, pages))
