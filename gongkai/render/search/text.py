"""A page's searchable text, defined once: the text a browser shows of the page's indexed element.

The index is built from the built HTML, never from the sources: whatever the page shows inside its
``data-pagefind-body`` element is searchable (the metadata block with its dates as displayed, the 目录事项
and 政策解读 rows, the attachment titles and 「PDF」 notes, tables), and nothing else. The text follows
the rules of a browser's ``innerText`` (benchmarks/search_accuracy.py checks it against Chromium's):
elements with ``hidden``, ``data-pagefind-ignore``, scripts and styles are left out; a block element
or ``<br>`` ends a line, a table cell is set apart by a tab; inline elements join their neighbours.
"""

from __future__ import annotations

from dataclasses import dataclass

BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "legend", "li",
    "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
})  # fmt: skip
"""Elements that begin and end a line of text."""

CELLS = frozenset({"td", "th"})
"""Elements set apart from their neighbours by a tab."""

UNSHOWN = frozenset({"script", "style", "template", "noscript", "head", "title", "select", "textarea"})
"""Elements whose text a reader never sees as text."""


@dataclass(frozen=True)
class SearchText:
    """A page's searchable text: title and 文号 rank first; meta is the metadata block, body the rest."""

    title: str
    doc_no: str
    meta: str
    body: str

    @property
    def rest(self) -> str:
        """Everything but title and 文号: the metadata block's lines, then the body."""
        return "\n".join(part for part in (self.meta, self.body) if part)

    @property
    def whole(self) -> str:
        """All of the text, parts on their own lines: a query matches when it is a substring of this."""
        return "\n".join((self.title, self.doc_no, self.rest))


def lines(chunks: list[str]) -> str:
    """Text pieces (with the "\\n" and "\\t" the rules above put between elements) as lines of runs."""
    out = (" ".join(line.split()) for line in "".join(chunks).splitlines())
    return "\n".join(line for line in out if line)
