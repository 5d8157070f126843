"""What content/ may hold: the HTML a Markdown body may use, the links it may make, the files it may publish.

Declared once here: ``check`` refuses anything else at its file and line, the renderer's sanitiser
(nh3) keeps only this, and the 使用指南 lists it. Nothing here imports from loading or rendering.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from .origin import NOWHERE, Origin
from .schema import spec

GLOBAL_ATTRIBUTES = frozenset({"id", "title", "lang"})
"""Attributes any allowed tag may carry (``id``: the anchors MkDocs' table of contents adds to headings)."""

TAGS: dict[str, frozenset[str]] = {
    tag: frozenset(attributes)
    for tag, attributes in {
        **dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre"), ()),
        "code": ("class",),
        **dict.fromkeys(("em", "strong", "b", "i", "u", "s", "del", "ins", "sub", "sup", "mark", "small"), ()),
        **dict.fromkeys(("span", "div", "abbr", "kbd", "q", "cite", "dfn", "figure", "figcaption"), ()),
        **dict.fromkeys(("ul", "li", "dl", "dt", "dd", "caption", "thead", "tbody", "tfoot", "tr"), ()),
        "ol": ("start", "reversed"),
        "table": (),
        "col": ("span",),
        "colgroup": ("span",),
        "th": ("colspan", "rowspan", "align", "scope"),
        "td": ("colspan", "rowspan", "align"),
        "time": ("datetime",),
        "a": ("href",),
        "img": ("src", "alt", "width", "height"),
    }.items()
}
"""Each HTML tag a body may use, with the attributes it may carry besides GLOBAL_ATTRIBUTES.

No script, style, frame, object, embed, SVG, MathML, form, input, base, meta or link; no event
(``on…``) or ``style`` attribute, and ``class`` only as a code block's language (VALUES). Tables align
columns with ``align`` (the plugin has Python-Markdown write it instead of ``style``)."""

VALUES = {("code", "class"): (re.compile(r"language-[A-Za-z0-9_+-]+"), "language-语言名")}
"""Attributes whose value must match, and how a message names the form: a fenced code block's language
(Python-Markdown writes it; nothing on the page acts on it)."""

URL_ATTRIBUTES = frozenset({("a", "href"), ("img", "src")})
"""The (tag, attribute) pairs that hold a URL and are checked by LINK_SCHEMES / IMAGE_SCHEMES."""

LINK_SCHEMES = ("http", "https", "mailto", "tel")
"""Schemes a link may use; a link without a scheme is relative to the page (and must lead to a file)."""

IMAGE_SCHEMES: tuple[str, ...] = ()
"""Schemes an image may use: none, an image is a file of the site (the CSP loads no other site's image)."""

RESERVED_IDS = ("__", "md-", "gk-")
"""Prefixes of the ids of the page's own parts (Material's ``__config``, gongkai's ``gk-title``): a body may
not reuse them, or its element would stand in for the part (DOM clobbering)."""

PAGE_FILES = {".md": "网页（Markdown）"}
DOCUMENT_FILES = {
    ".pdf": "PDF",
    ".doc": "Word",
    ".docx": "Word",
    ".wps": "WPS 文字",
    ".xls": "Excel",
    ".xlsx": "Excel",
    ".et": "WPS 表格",
    ".ofd": "OFD",
    ".jpg": "图片",
    ".jpeg": "图片",
    ".png": "图片",
    ".gif": "图片",
}
"""Attachments and images: the only files besides pages that content/ publishes (by suffix, lower case).

Refused among others: .html/.htm/.svg/.xml (a browser runs their scripts), .js/.css (they would replace
the theme's), archives and unknown formats (the leak guard cannot read them)."""

CONTENT_FILES = {**PAGE_FILES, **DOCUMENT_FILES}

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]")


@dataclass(frozen=True, kw_only=True)
class PageMeta:
    """The front matter a hand-written page (a .md under content/ that is not a document) may have."""

    title: str | None = spec(
        "标题",
        "页面标题（浏览器标签和导航中显示）；不写则用正文的第一个一级标题。",
        required=False,
        example="政府信息公开指南",
    )
    summary: str | None = spec(
        "内容概述",
        "一句话介绍本页，写入网页的 description（搜索引擎显示）。",
        required=False,
        example="本县政府信息公开的范围、方式和程序。",
    )
    origin: Origin = field(default=NOWHERE, compare=False)


def url_for_scheme(url: str) -> str:
    """The URL as a browser reads its scheme: entities decoded, ASCII whitespace and controls removed,
    backslashes read as slashes."""
    return _INVISIBLE.sub("", html.unescape(url)).replace("\\", "/")


def url_scheme(url: str) -> str | None:
    """The URL's scheme in lower case (``javascript`` for ``JaVa&#x09;Script&colon;…``), None if relative."""
    found = _SCHEME.match(url_for_scheme(url))
    return found.group(1).lower() if found else None


def is_network_path(url: str) -> bool:
    """``//host/…``: another site without a scheme."""
    return url_for_scheme(url).startswith("//")


def allowed_attributes(tag: str) -> frozenset[str]:
    """The attributes ``tag`` may carry (empty for a tag that is not allowed)."""
    return TAGS[tag] | GLOBAL_ATTRIBUTES if tag in TAGS else frozenset()


def url_refusal(tag: str, attribute: str, url: str) -> str | None:
    """Why this URL may not stand in this attribute (a Chinese phrase), or None if it may."""
    scheme = url_scheme(url)
    if (tag, attribute) == ("img", "src"):
        if (scheme is not None and scheme not in IMAGE_SCHEMES) or is_network_path(url):
            return "不是本站的文件"
        return None
    if scheme is not None and scheme not in LINK_SCHEMES:
        return f"的协议「{scheme}:」不允许"
    if scheme is None and is_network_path(url):
        return "缺少协议（以 // 开头）"
    return None


def value_allowed(tag: str, attribute: str, value: str) -> bool:
    """False for an attribute whose value VALUES restricts and this value does not match."""
    rule = VALUES.get((tag, attribute))
    return rule is None or rule[0].fullmatch(value) is not None


def reserved_id(value: str) -> bool:
    """True for an id that belongs to the page's own parts."""
    return value.strip().startswith(RESERVED_IDS)


GENERATED_PAGES = ("guide/fields/index.md",)
"""Pages of content/ that gongkai writes itself (the 使用指南's field reference): links to them are not broken."""
