"""The indexed pages of the built site, read back: per page, its searchable text and its record.

Pages marked data-pagefind-body are indexed. Everything a result shows (URL, title, date, 文号, facet
values, readable text) goes into the page's Record; tokens.py lays its text out for the index.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from .markers import BODY_ATTRIBUTE, META_DATE, TEXT_ATTRIBUTE
from .text import SearchText, html_text

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})
_MARKERS = ("data-pagefind-filter", "data-pagefind-meta")


@dataclass
class IndexedPage:
    """What one indexed page gives the index."""

    markers: list[tuple[str, str, str]] = field(default_factory=list)  # (attribute, name, value)
    parts: dict[str, str] = field(default_factory=dict)  # from the TEXT_ATTRIBUTE spans
    title: str = ""
    body: list[str] = field(default_factory=list)  # visible, not ignored, for pages without parts

    def text(self) -> SearchText:
        """The page's searchable text: its declared parts, else its title and visible body text."""
        if self.parts:
            return SearchText(self.parts.get("title", ""), self.parts.get("doc_no", ""), self.parts.get("rest", ""))
        return SearchText(self.title, "", html_text("".join(self.body)))


@dataclass(frozen=True)
class Record:
    """What a search result shows of one indexed page; url is relative to the site root."""

    url: str
    title: str
    date: str
    doc_no: str
    text: str
    filters: dict[str, str]


def read_records(site_dir: Path, skip: Path) -> dict[str, Record]:
    """The record of every page of site_dir marked for indexing (not under skip), by URL, in path order."""
    records: dict[str, Record] = {}
    for path in sorted(site_dir.rglob("*.html")):
        if skip in path.parents:
            continue
        html = path.read_text(encoding="utf-8", errors="replace")
        start = html.find(BODY_ATTRIBUTE)
        if start < 0:
            continue
        url = page_url(path.relative_to(site_dir).as_posix())
        records[url] = record(parse(html[html.rfind("<", 0, start) :]), url)
    return records


def page_url(relative: str) -> str:
    """The URL Pagefind gives the page at this path under the site root, without the leading slash."""
    return relative.removesuffix("index.html")


def record(page: IndexedPage, url: str) -> Record:
    """The record of one parsed page."""
    text = page.text()
    values = {name: value for attribute, name, value in page.markers if attribute == "data-pagefind-filter"}
    meta = {name: value for attribute, name, value in page.markers if attribute == "data-pagefind-meta"}
    return Record(url, text.title or page.title, meta.get(META_DATE, ""), text.doc_no, text.rest, values)


def parse(html: str) -> IndexedPage:
    """Read the markers, text parts, title and body text of the element marked data-pagefind-body."""
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser.page


class _Capture:
    """The text of one marker or text-part element, stored into the page when it closes."""

    def __init__(self, store: Callable[[str], None]) -> None:
        self.store = store
        self.chunks: list[str] = []


class _PageParser(HTMLParser):
    """A one-pass reader of the body element: a stack of (tag, ignored, capture) per open element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = IndexedPage()
        self.stack: list[tuple[str, bool, _Capture | None]] = []
        self.done = False
        self.in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        found = {k: v or "" for k, v in attrs}
        ignored = bool(self.stack and self.stack[-1][1]) or "data-pagefind-ignore" in found
        capture = self._capture(found)
        self.in_h1 = self.in_h1 or (tag == "h1" and not self.page.title)
        if not ignored and capture is None:
            self.page.body.append(f"<{tag}>")
        if tag not in _VOID:
            self.stack.append((tag, ignored, capture))

    def _capture(self, found: dict[str, str]) -> _Capture | None:
        for attribute in _MARKERS:
            if found.get(attribute):
                return _Capture(partial(self._marker, attribute, found[attribute]))
        part = found.get(TEXT_ATTRIBUTE)
        return _Capture(partial(self.page.parts.__setitem__, part)) if part else None

    def _marker(self, attribute: str, name: str, value: str) -> None:
        self.page.markers.append((attribute, name, " ".join(value.split())))

    def handle_endtag(self, tag: str) -> None:
        if self.done or not self.stack or tag in _VOID:
            return
        while self.stack:
            open_tag, ignored, capture = self.stack.pop()
            if capture is not None:
                capture.store("".join(capture.chunks))
            elif not ignored:
                self.page.body.append(f"</{open_tag}>")
            self.in_h1 = self.in_h1 and open_tag != "h1"
            if open_tag == tag:
                break
        self.done = not self.stack

    def handle_data(self, data: str) -> None:
        if self.done or not self.stack:
            return
        if self.in_h1:
            self.page.title += data
        captures = [c for _, _, c in self.stack if c is not None]
        for capture in captures:
            capture.chunks.append(data)
        if not captures and not self.stack[-1][1]:
            self.page.body.append(escape(data))
