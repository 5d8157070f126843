"""The URL scheme of the site, in one place. URLs are directory URLs without a leading slash."""

from __future__ import annotations

import posixpath

from ...model import Document, PayoutList, Town, Village

HOME = ""
COLUMN = "xxgk/"
STATUTORY = "xxgk/fdzdgknr/"
TOPIC = "jcgk/"
DOCUMENTS = "documents/"
VILLAGES = "villages/"
NORMATIVE = "xxgk/gfxwj/"
INTERACT = "hdjl/"
CONSULTATIONS = "hdjl/yjzj/"
RESPONSES = "hdjl/hygz/"
QUESTIONS = "hdjl/zczx/"
OPEN_DATA = "data/"
FEED = "feed.xml"
SEARCH = "search/"
GUIDE = "guide/"
GUIDE_FIELDS = "guide/fields/"


def src_uri(url: str) -> str:
    """The virtual source file MkDocs gets for a page URL."""
    return url + "index.md"


def paged(base: str, page: int) -> str:
    """Page ``page`` (1-based) of a paginated listing at ``base``."""
    return base if page == 1 else f"{base}page/{page}/"


def document(doc: Document) -> str:
    """A document's page, from its path under content/."""
    return doc.slug + "/"


def domain(code: str) -> str:
    """A domain's page: its catalogue and its documents."""
    return f"{TOPIC}{code}/"


def domain_file(code: str, name: str) -> str:
    """A file of a domain: catalog.csv, catalog.xlsx, feed.xml."""
    return f"{TOPIC}{code}/{name}"


def attachment(doc: Document, name: str) -> str:
    """An attachment, published beside its document's page."""
    return f"{document(doc)}{name}"


def catalog_row(code: str, number: str) -> str:
    """A catalogue row on its domain page."""
    return f"{domain(code)}#row-{number}"


def kind(index: int) -> str:
    """A listing of one 组配分类, by its position in the configured list."""
    return f"{STATUTORY}kind-{index + 1}/"


def town(item: Town) -> str:
    """A town's page."""
    return f"{VILLAGES}{item.code}/"


def village(item: Village) -> str:
    """A village's page."""
    return f"{VILLAGES}{item.town}/{item.code}/"


CATALOGUE_SHEET = "catalogue.pdf"
"""A village's 公开事项目录 sheet, beside its payout sheets (on the web and in the print bundle)."""


def year_sheet(year: int) -> str:
    """The file name of a village's year-end notice."""
    return f"year-{year}.pdf"


def sheet(payout: PayoutList) -> str:
    """The file path of a payout list's PDF sheet."""
    return f"{VILLAGES}{payout.town}/{payout.village}/{payout.slug}.pdf"


def relative(target: str, current: str) -> str:
    """``target`` as a link from the page at ``current`` (works under any sub-path)."""
    link = posixpath.relpath("/" + target, "/" + current) if target != current else "."
    if (target == "" or target.endswith("/")) and not link.endswith("/"):
        link += "/"
    return link
