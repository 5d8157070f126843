"""Atom 1.0 feeds of the latest documents, site-wide and per domain, built with ElementTree."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from functools import lru_cache
from html.parser import HTMLParser

import markdown

from ...model import County, Document
from ..masked import MaskedNumbers

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LATEST = 50
SUMMARY_CHARS = 100
TAG_DATE = "2026"
"""The date part of every tag: URI; fixed for good, since an entry's id must never change."""
SPACES = re.compile("[ \t\r\n]+")  # ASCII only: an ideographic space is part of Chinese text
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def feed(path: str, title: str, documents: Sequence[Document], county: County, today: dt.date) -> bytes:
    """The feed at site path ``path`` of the first 50 of ``documents`` (newest first); links are relative."""
    here = posixpath.dirname(path) or "."
    latest = documents[:LATEST]
    root = ET.Element("feed", {"xmlns": ATOM, XML_LANG: "zh-CN"})
    _add(root, "title", title)
    _add(root, "id", _tag(county, path))
    ET.SubElement(root, "link", rel="self", type="application/atom+xml", href=posixpath.basename(path))
    ET.SubElement(root, "link", rel="alternate", type="text/html", href="./")
    _add(root, "updated", _timestamp(latest[0].published if latest else today))
    _add(ET.SubElement(root, "author"), "name", county.config.sponsor)
    _add(root, "generator", "gongkai")
    for doc in latest:
        _entry(root, doc, county, here)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _entry(root: ET.Element, doc: Document, county: County, here: str) -> None:
    entry = ET.SubElement(root, "entry")
    _add(entry, "title", doc.title)
    ET.SubElement(entry, "link", rel="alternate", type="text/html", href=posixpath.relpath(doc.slug, here) + "/")
    _add(entry, "id", _tag(county, doc.slug + "/"))
    _add(entry, "published", _timestamp(doc.published))
    _add(entry, "updated", _timestamp(doc.published))
    _add(ET.SubElement(entry, "author"), "name", doc.agency)
    _add(entry, "summary", doc.summary or excerpt(doc.body))


def _add(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = NOT_XML.sub("", value)


def _tag(county: County, specific: str) -> str:
    # The site's absolute URL may not be configured, so ids are tag: URIs under the 网站标识码.
    return f"tag:{county.config.site_code},{TAG_DATE}:{specific}"


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00+08:00"


@lru_cache(maxsize=4096)
def excerpt(body: str) -> str:
    """The first 100 characters of a Markdown body as plain text, with 「…」 when cut (a document is in two
    feeds or more, and a preview builds them again: each body rendered once)."""
    words = plain_text(body)
    return words if len(words) <= SUMMARY_CHARS else words[:SUMMARY_CHARS] + "…"


def plain_text(body: str) -> str:
    """A Markdown body without its syntax: the text of the HTML it renders to, white space collapsed."""
    parser = _TextParser()
    parser.feed(markdown.markdown(body, extensions=["tables", MaskedNumbers()]))
    parser.close()
    return SPACES.sub(" ", "".join(parser.parts)).strip(" ")


class _TextParser(HTMLParser):
    """Collects text; blocks are separated by a space (inline tags by nothing: CJK has no word spaces)."""

    BLOCKS = frozenset(
        ("p", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr", "pre", "blockquote", "div", "hr")
    )
    HIDDEN = frozenset(("script", "style"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)
