"""The shadow site Pagefind indexes: per page, its markers and its searchable text as ASCII tokens.

The published pages keep their readable HTML; Pagefind reads a copy of each indexed page, at the
same relative path (so the same URL), in which the text is replaced by tokens.encode(...). Title
and 文号 carry a higher data-pagefind-weight so that hits there rank first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from .markers import BODY_ATTRIBUTE, TEXT_ATTRIBUTE
from .text import SearchText, html_text
from .tokens import encode

WEIGHTS = {"title": 10, "doc_no": 6, "rest": 1}
"""data-pagefind-weight of each part of the text (Pagefind's default is 1)."""

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})
_MARKERS = ("data-pagefind-filter", "data-pagefind-meta", "data-pagefind-sort")


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


def write_shadow(site_dir: Path, shadow_dir: Path, skip: Path) -> int:
    """Write the shadow copy of every page of site_dir marked for indexing; return how many."""
    count = 0
    for path in sorted(site_dir.rglob("*.html")):
        if skip in path.parents:
            continue
        html = path.read_text(encoding="utf-8", errors="replace")
        start = html.find(BODY_ATTRIBUTE)
        if start < 0:
            continue
        page = parse(html[html.rfind("<", 0, start) :])
        target = shadow_dir / path.relative_to(site_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(shadow_html(page), encoding="utf-8")
        count += 1
    return count


def parse(html: str) -> ShadowPage:
    """Read the markers, text parts, title and body text of the element marked data-pagefind-body."""
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser.page


def shadow_html(page: ShadowPage) -> str:
    """The page Pagefind indexes in place of the published one."""
    text = page.text()
    hidden = "".join(f'<span {a}="{escape(n)}">{escape(v)}</span>' for a, n, v in page.markers)
    title = f'<span data-pagefind-meta="title">{escape(text.title or page.title)}</span>'
    parts = {"title": text.title, "doc_no": text.doc_no, "rest": text.rest}
    body = "".join(f'<p data-pagefind-weight="{WEIGHTS[k]}">{encode(v)}</p>' for k, v in parts.items() if v.strip())
    return (
        '<!doctype html><html lang="zh"><head><meta charset="utf-8"></head><body>'
        f"<main {BODY_ATTRIBUTE}><div data-pagefind-ignore>{title}{hidden}</div>{body}</main></body></html>\n"
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
