"""Atom 1.0 feeds of the latest documents, site-wide and per domain, built with ElementTree."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import NamedTuple

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


class Entry(NamedTuple):
    """What a feed shows of one document (a named tuple: a feed's key is the repr of 50 of them)."""

    title: str
    slug: str
    published: dt.date
    agency: str
    summary: str | None
    body: str
    """Only when there is no summary: the feed shows the body's first words instead."""


@dataclass(frozen=True)
class FeedSource:
    """Everything a feed's bytes are made from (its repr is their cache key: render/data/__init__.py)."""

    path: str
    title: str
    site_code: str
    sponsor: str
    updated: dt.date
    entries: tuple[Entry, ...]


def feed_source(path: str, title: str, documents: Sequence[Document], county: County, today: dt.date) -> FeedSource:
    """What the feed at site path ``path`` of the first 50 of ``documents`` (newest first) is made from."""
    latest = documents[:LATEST]
    entries = tuple(
        Entry(doc.title, doc.slug, doc.published, doc.agency, doc.summary, "" if doc.summary else doc.body)
        for doc in latest
    )
    updated = latest[0].published if latest else today
    return FeedSource(path, title, county.config.site_code, county.config.sponsor, updated, entries)


def feed(path: str, title: str, documents: Sequence[Document], county: County, today: dt.date) -> bytes:
    """The feed at site path ``path`` of the first 50 of ``documents`` (newest first); links are relative."""
    return feed_bytes(feed_source(path, title, documents, county, today))


def feed_bytes(source: FeedSource) -> bytes:
    """The Atom document of ``source``."""
    here = posixpath.dirname(source.path) or "."
    root = ET.Element("feed", {"xmlns": ATOM, XML_LANG: "zh-CN"})
    _add(root, "title", source.title)
    _add(root, "id", _tag(source.site_code, source.path))
    ET.SubElement(root, "link", rel="self", type="application/atom+xml", href=posixpath.basename(source.path))
    ET.SubElement(root, "link", rel="alternate", type="text/html", href="./")
    _add(root, "updated", _timestamp(source.updated))
    _add(ET.SubElement(root, "author"), "name", source.sponsor)
    _add(root, "generator", "gongkai")
    for entry in source.entries:
        _entry(root, entry, source.site_code, here)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _entry(root: ET.Element, doc: Entry, site_code: str, here: str) -> None:
    entry = ET.SubElement(root, "entry")
    _add(entry, "title", doc.title)
    ET.SubElement(entry, "link", rel="alternate", type="text/html", href=posixpath.relpath(doc.slug, here) + "/")
    _add(entry, "id", _tag(site_code, doc.slug + "/"))
    _add(entry, "published", _timestamp(doc.published))
    _add(entry, "updated", _timestamp(doc.published))
    _add(ET.SubElement(entry, "author"), "name", doc.agency)
    _add(entry, "summary", doc.summary or excerpt(doc.body))


def _add(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = NOT_XML.sub("", value)


def _tag(site_code: str, specific: str) -> str:
    # The site's absolute URL may not be configured, so ids are tag: URIs under the 网站标识码.
    return f"tag:{site_code},{TAG_DATE}:{specific}"


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
