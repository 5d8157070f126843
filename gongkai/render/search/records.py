"""The indexed pages of the built site, read back: per page, its searchable text and its record.

Pages marked data-pagefind-body are indexed, with the text that element shows (text.py). Everything a
result shows (URL, title, date, 文号, facet values, readable text) goes into the page's Record;
tokens.py lays its text out for the index.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from ...cancel import checkpoint
from .cache import SearchCache, key
from .markers import BODY_ATTRIBUTE, META_CLASS, META_DATE, META_DOC_NO
from .text import BLOCKS, CELLS, UNSHOWN, SearchText, lines

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})
_MARKERS = ("data-pagefind-filter", "data-pagefind-meta")
_NO_DOC_NO = "无"


@dataclass
class IndexedPage:
    """What one indexed page gives the index: its markers and the text of each part of it."""

    markers: list[tuple[str, str, str]] = field(default_factory=list)  # (attribute, name, value)
    title: list[str] = field(default_factory=list)
    meta: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)

    def text(self) -> SearchText:
        """The page's searchable text: its first <h1>, 文号, metadata block and the rest, as shown."""
        doc_no = next((v for a, n, v in self.markers if a == "data-pagefind-meta" and n == META_DOC_NO), "")
        return SearchText(
            " ".join(lines(self.title).split()),
            "" if doc_no == _NO_DOC_NO else doc_no,
            lines(self.meta),
            lines(self.body),
        )


@dataclass(frozen=True)
class Record:
    """What a search result shows of one indexed page; url is relative to the site root."""

    url: str
    text: SearchText
    date: str
    filters: dict[str, str]
    key: str = field(default="", compare=False)  # of its HTML (cache.py): what its derived data is keyed by

    @property
    def title(self) -> str:
        """The page's title."""
        return self.text.title


Known = dict[str, tuple[int, int, int, str]]
"""Of each HTML file of the site as a build read it: path in the site → (size, mtime_ns, inode, its record's
key, "" for a page not indexed)."""

TRUSTED_AFTER = 2_000_000_000
"""A file's stat is trusted to tell its bytes (ns): only when it was last written this long before the
scan that read it, so that a write in the same tick of a coarse clock is never missed."""


@dataclass(frozen=True)
class Scan:
    """The indexed pages of a site: URL → (path in the site, key of its HTML), in path order; every HTML
    file's stat (Known) and when the scan started (time.time_ns)."""

    pages: dict[str, tuple[str, str]]
    files: Known
    started: int
    html: dict[str, bytes] = field(default_factory=dict, compare=False)  # URL → HTML from the body on, if read


def scan(site_dir: Path, skip: Path, known: Known | None = None, since: int = 0) -> Scan:
    """Every page of site_dir marked for indexing (not under skip): its key, read from ``known`` when the
    file's size, mtime and inode are those a scan at ``since`` found and it was last written well before
    then (TRUSTED_AFTER), else from its bytes."""
    started = time.time_ns()
    known = known or {}
    files: Known = {}
    pages: dict[str, tuple[str, str]] = {}
    html_of: dict[str, bytes] = {}
    for relative, full in _html_files(str(site_dir), str(skip)):
        checkpoint()  # (gongkai serve: a newer edit stops the index, cancel.py)
        stat = os.stat(full)
        before = known.get(relative)
        if (
            before is not None
            and before[:3] == (stat.st_size, stat.st_mtime_ns, stat.st_ino)
            and (stat.st_mtime_ns < since - TRUSTED_AFTER)
        ):
            files[relative] = before
            if before[3]:
                pages[page_url(relative)] = (relative, before[3])
            continue
        with open(full, "rb") as file:
            html = file.read()
        name = ""
        cut = _cut(html)
        if cut is not None:
            name = key("record", cut)
            url = page_url(relative)
            pages[url] = (relative, name)
            html_of[url] = cut
        files[relative] = (stat.st_size, stat.st_mtime_ns, stat.st_ino, name)
    return Scan(pages, files, started, html_of)


def _html_files(root: str, skip: str) -> list[tuple[str, str]]:
    """(path in the site, full path) of every .html file under root, not under skip, in path order."""
    found: list[tuple[str, str]] = []
    folders = [("", root)]
    while folders:
        prefix, folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.path != skip:
                        folders.append((prefix + entry.name + "/", entry.path))
                elif entry.name.endswith(".html"):
                    found.append((prefix + entry.name, entry.path))
    found.sort(key=lambda item: item[0].replace("/", "\0"))  # component by component, without a list each
    return found


def _cut(html: bytes) -> bytes | None:
    """The HTML from the element marked for indexing on, or None for a page not indexed."""
    start = html.find(_BODY)
    return None if start < 0 else html[html.rfind(b"<", 0, start) :]


def read_records(site_dir: Path, skip: Path, cache: SearchCache | None = None) -> dict[str, Record]:
    """The record of every page of site_dir marked for indexing (not under skip), by URL, in path order;
    a page's record is taken from the cache when its HTML is unchanged (the others are read on
    worker processes when they are many)."""
    return load_records(site_dir, scan(site_dir, skip), cache)


def load_records(
    site_dir: Path, scanned: Scan, cache: SearchCache | None = None, urls: list[str] | None = None
) -> dict[str, Record]:
    """The records of the scanned pages (of those of ``urls`` only, if given), by URL in path order: from
    the cache by their keys, else parsed (on worker processes when they are many)."""
    cache = cache or SearchCache(None)
    found: dict[str, tuple[str, Record | None]] = {}  # URL → (cache name, record)
    missing: list[tuple[str, bytes]] = []
    for url in scanned.pages if urls is None else urls:
        relative, name = scanned.pages[url]
        found[url] = (name, _cached(cache.get("record", name)))
        if found[url][1] is None:
            html = scanned.html.get(url)
            if html is None:  # trusted by its stat, not read: read now (the key is of what is read)
                html = _cut((site_dir / relative).read_bytes()) or b""
                name = key("record", html)
                found[url] = (name, None)
            missing.append((url, html))
    jobs = [(found[url][0], (url, html)) for url, html in missing]
    for (url, _), stored in zip(missing, cache.fill("record", _read, jobs), strict=True):
        found[url] = (found[url][0], _cached(stored))
    return {url: Record(url, r.text, r.date, r.filters, name) for url, (name, r) in found.items() if r is not None}


def _read(page: tuple[str, bytes]) -> tuple[str, ...]:
    """A page's record, from its HTML from the body element on, as the cache keeps it."""
    url, html = page
    return _stored(record(parse(html.decode("utf-8", errors="replace")), url))


_BODY = BODY_ATTRIBUTE.encode()


def _stored(found: Record) -> tuple[str, ...]:
    """A record as the cache keeps it (its URL is the page's path, not its HTML)."""
    text, pairs = found.text, [item for pair in sorted(found.filters.items()) for item in pair]
    return (text.title, text.doc_no, text.meta, text.body, found.date, *pairs)


def _cached(value: object) -> Record | None:
    """A stored record read back, or None for anything else."""
    if not isinstance(value, tuple) or len(value) < 5 or len(value) % 2 == 0:
        return None
    if not all(isinstance(item, str) for item in value):
        return None
    title, doc_no, meta, body, date, *pairs = value
    return Record("", SearchText(title, doc_no, meta, body), date, dict(zip(pairs[::2], pairs[1::2], strict=True)))


def page_url(relative: str) -> str:
    """The URL Pagefind gives the page at this path under the site root, without the leading slash."""
    return relative.removesuffix("index.html")


def record(page: IndexedPage, url: str) -> Record:
    """The record of one parsed page."""
    values = {name: value for attribute, name, value in page.markers if attribute == "data-pagefind-filter"}
    meta = {name: value for attribute, name, value in page.markers if attribute == "data-pagefind-meta"}
    return Record(url, page.text(), meta.get(META_DATE, ""), values)


def parse(html: str) -> IndexedPage:
    """Read the markers and the shown text of the element marked data-pagefind-body (html starts with it)."""
    parser = _PageParser()
    try:
        parser.feed(html)
        parser.close()
    except _Closed:  # the rest of the page (its footer, scripts: a third of a document page's HTML) is not read
        pass
    return parser.page


class _Closed(Exception):
    """The element marked for indexing is closed: nothing after it is read."""


@dataclass
class _Open:
    """One open element: whether its text is shown, where its text goes, and a marker it captures."""

    tag: str
    shown: bool
    into: list[str]
    marker: tuple[str, str] | None = None  # (attribute, name)
    chunks: list[str] = field(default_factory=list)


class _PageParser(HTMLParser):
    """A one-pass reader of the body element: a stack of open elements, text sent where it belongs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = IndexedPage()
        self.stack: list[_Open] = []
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        found = {k: v or "" for k, v in attrs}
        parent = self.stack[-1] if self.stack else None
        shown = (parent is None or parent.shown) and not (
            "hidden" in found or "data-pagefind-ignore" in found or tag in UNSHOWN
        )
        into = parent.into if parent else self.page.body
        if tag == "h1" and not self.page.title:
            into = self.page.title
        elif META_CLASS in found.get("class", "").split():
            into = self.page.meta
        marker = next(((a, found[a]) for a in _MARKERS if found.get(a)), None)
        if shown:
            into.append(_boundary(tag))
        if tag not in _VOID:
            self.stack.append(_Open(tag, shown, into, marker))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.done or not self.stack or tag in _VOID or all(o.tag != tag for o in self.stack):
            return
        while self.stack:
            closed = self.stack.pop()
            if closed.marker is not None:
                self.page.markers.append((*closed.marker, " ".join("".join(closed.chunks).split())))
            if closed.shown:
                closed.into.append(_boundary(closed.tag))
            if closed.tag == tag:
                break
        self.done = not self.stack
        if self.done:
            raise _Closed

    def handle_data(self, data: str) -> None:
        if self.done or not self.stack:
            return
        for open_ in self.stack:
            if open_.marker is not None:
                open_.chunks.append(data)
        if self.stack[-1].shown:
            self.stack[-1].into.append(data)


def _boundary(tag: str) -> str:
    """What an element's start or end puts between its text and its neighbours'."""
    return "\n" if tag in BLOCKS else "\t" if tag in CELLS else ""
