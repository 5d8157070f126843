"""What every page family shares: the planned page, and document lists with their pager."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
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


class Rows:
    """``row`` once a document of a plan: the lists it stands in share its line (and the line's repr, which the
    page keys take: a document stands in four lists or more)."""

    def __init__(self) -> None:
        self._made: dict[int, DocumentRow] = {}  # by the document's id: the plan's documents outlive it

    def __call__(self, doc: Document | DocumentRow) -> DocumentRow:
        if isinstance(doc, DocumentRow):
            return doc
        found = self._made.get(id(doc))
        if found is None:
            found = self._made[id(doc)] = row(doc)
        return found


def listing(
    base: str,
    heading: str,
    intro: str,
    docs: Sequence[Document | DocumentRow],
    origin: str,
    rows: Callable[[Document | DocumentRow], DocumentRow] = row,
) -> Iterator[PlannedPage]:
    """A list of documents, PER_PAGE to a page (``rows``: each document's line)."""
    pages = max(1, -(-len(docs) // PER_PAGE))
    numbered = [Link(str(n), urls.paged(base, n)) for n in range(1, pages + 1)]  # the pagers' links, made once
    for page in range(1, pages + 1):
        chunk = docs[(page - 1) * PER_PAGE : page * PER_PAGE]
        context = ListingContext(heading, intro, tuple(rows(d) for d in chunk), pager(base, page, pages, numbered),
                                 len(docs))
        title = heading if page == 1 else f"{heading}（第 {page} 页）"
        yield urls.paged(base, page), Planned(title, "listing.html", context), origin


def pager(base: str, page: int, pages: int, numbered: Sequence[Link] = ()) -> Pager:
    """Page ``page`` of ``pages`` at ``base``; ``numbered``: the link to each page, when made already."""
    window = range(max(1, page - 4), min(pages, page + 4) + 1)
    links = tuple(numbered[n - 1] if numbered else Link(str(n), urls.paged(base, n)) for n in window)
    previous = urls.paged(base, page - 1) if page > 1 else None
    following = urls.paged(base, page + 1) if page < pages else None
    return Pager(page, links, previous, following, pages, urls.paged(base, 1), urls.paged(base, pages))
