"""A document's searchable text, defined once: what search must find, and what the harness checks against."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

import markdown

from gongkai.model import Document

from ..masked import MaskedNumbers

_BLOCKS = frozenset({"p", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "br", "div", "pre", "blockquote"})


@dataclass(frozen=True)
class SearchText:
    """The parts of a page search finds a query in; title and 文号 rank first."""

    title: str
    doc_no: str
    rest: str

    @property
    def whole(self) -> str:
        """All of the text, parts on their own lines: a query matches when it is a substring of this."""
        return "\n".join((self.title, self.doc_no, self.rest))


def document_text(doc: Document, domain_name: str) -> SearchText:
    """Title + 文号 + metadata values + body text with the Markdown stripped."""
    dates = (doc.written.isoformat(), doc.published.isoformat())
    values = (doc.index_no, doc.kind, doc.agency, doc.subject, *dates, domain_name, "、".join(doc.keywords),
              doc.validity, doc.summary)  # fmt: skip
    rest = "\n".join([*(v for v in values if v), markdown_text(doc.body)])
    return SearchText(doc.title, doc.doc_no if doc.doc_no != "无" else "", rest)


def markdown_text(source: str) -> str:
    """The text a reader sees of a Markdown body: no markup, one line per block."""
    return html_text(markdown.markdown(source, extensions=["tables", "attr_list", MaskedNumbers()]))


def html_text(html: str) -> str:
    """The text of an HTML fragment, one line per block element."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
