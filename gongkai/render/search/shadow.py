"""The shadow site Pagefind indexes: per page, its searchable text as ASCII tokens, and its record.

The published pages keep their readable HTML; Pagefind reads a copy of each indexed page, at the
same relative path (so the same URL), in which the text is replaced by tokens.encode(...). Title and
文号 come first and are padded to HEAD word positions, so that the search page can tell a hit in
them (position < HEAD) from a hit in the body and rank it first. Everything a result shows (URL,
title, date, 文号, facet values, readable text) goes into the page's Record, not to Pagefind.
The shadow pages are written in shards of at most ``shard_bytes``: Pagefind's memory grows with
what one run indexes, so each shard is indexed on its own and pack.py joins the results.
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
from .tokens import PAD, encode

WEIGHTS = {"title": 10, "doc_no": 6}
"""data-pagefind-weight of the head parts (the body keeps Pagefind's default, 1)."""

HEAD = 128
"""Word positions taken by title and 文号, padded: a hit at a lower position is a title or 文号 hit."""


SHARD_BYTES = 32_000_000
"""Shadow HTML per Pagefind run. Pagefind 1.5 peaks at about 65 bytes of memory per shadow byte
(3.1 GB for 48 MB at county scale), so a run stays near 2 GB whatever the size of the county."""

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})
_MARKERS = ("data-pagefind-filter", "data-pagefind-meta")


@dataclass
class ShadowPage:
    """What the shadow copy of one page needs."""

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


def write_shadow(
    site_dir: Path, shadow_dir: Path, skip: Path, shard_bytes: int = SHARD_BYTES
) -> tuple[list[Path], dict[str, Record]]:
    """Write the shadow copy of every page of site_dir marked for indexing, in shards under shadow_dir.

    Returns the shard folders and each page's record by URL."""
    shards: list[Path] = []
    records: dict[str, Record] = {}
    size = shard_bytes
    for path in sorted(site_dir.rglob("*.html")):
        if skip in path.parents:
            continue
        html = path.read_text(encoding="utf-8", errors="replace")
        start = html.find(BODY_ATTRIBUTE)
        if start < 0:
            continue
        page = parse(html[html.rfind("<", 0, start) :])
        relative = path.relative_to(site_dir)
        shadow = shadow_html(page).encode("utf-8")
        if size + len(shadow) > shard_bytes and size > 0:
            shards.append(shadow_dir / str(len(shards)))
            size = 0
        target = shards[-1] / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(shadow)
        size += len(shadow)
        url = page_url(relative.as_posix())
        records[url] = record(page, url)
    return shards, records


def page_url(relative: str) -> str:
    """The URL Pagefind gives the page at this path under the site root, without the leading slash."""
    return relative.removesuffix("index.html")


def record(page: ShadowPage, url: str) -> Record:
    """The record of one parsed page."""
    text = page.text()
    values = {name: value for attribute, name, value in page.markers if attribute == "data-pagefind-filter"}
    meta = {name: value for attribute, name, value in page.markers if attribute == "data-pagefind-meta"}
    return Record(url, text.title or page.title, meta.get(META_DATE, ""), text.doc_no, text.rest, values)


def parse(html: str) -> ShadowPage:
    """Read the markers, text parts, title and body text of the element marked data-pagefind-body."""
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser.page


def shadow_html(page: ShadowPage) -> str:
    """The page Pagefind indexes in place of the published one."""
    text = page.text()
    head = {"title": encode(text.title or page.title), "doc_no": encode(text.doc_no)}
    used = sum(len(tokens.split()) for tokens in head.values())
    spans = "".join(f'<span data-pagefind-weight="{WEIGHTS[k]}">{v}</span> ' for k, v in head.items() if v)
    pad = " ".join([PAD] * max(0, HEAD - used))
    return (
        '<!doctype html><html lang="zh"><head><meta charset="utf-8"></head><body>'
        f"<main {BODY_ATTRIBUTE}><p>{spans}{pad}</p><p>{encode(text.rest)}</p></main></body></html>\n"
    )


class _Capture:
    """The text of one marker or text-part element, stored into the page when it closes."""

    def __init__(self, store: Callable[[str], None]) -> None:
        self.store = store
        self.chunks: list[str] = []


class _PageParser(HTMLParser):
    """A one-pass reader of the body element: a stack of (tag, ignored, capture) per open element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ShadowPage()
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
