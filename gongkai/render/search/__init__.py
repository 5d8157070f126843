"""Search: the Pagefind index of the built site, the markers pages carry for it, and the /search/ page."""

from .index import SearchReport, build_index, settle, unstage
from .markers import BODY_ATTRIBUTE, FILTERS, META_CLASS, META_DATE, META_DOC_NO, SORT_DATE, markers
from .page import ASSETS, search_page_html
from .text import SearchText

__all__ = [
    "ASSETS",
    "BODY_ATTRIBUTE",
    "FILTERS",
    "META_CLASS",
    "META_DATE",
    "META_DOC_NO",
    "SORT_DATE",
    "SearchReport",
    "SearchText",
    "build_index",
    "markers",
    "search_page_html",
    "settle",
    "unstage",
]
