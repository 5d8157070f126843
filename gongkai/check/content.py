"""Markdown bodies: no scripts, frames or event attributes, and every relative link leads somewhere.

The raw-HTML rule is one rule for every Markdown file under content/: tables and plain formatting HTML
may be written, but a ``<script>``, an embedded frame, an ``on…=`` attribute or a ``javascript:`` link is
refused at its line. Code (fenced blocks and `inline code`) is shown as text, so it is not checked.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from ..errors import Problem
from ..load.documents import CONTENT_DIR, DOCUMENTS_DIR, split_front_matter
from ..load.files import read_text, rel_path
from ..model import County

HTML_FIX = "正文只能用 Markdown 和普通表格 HTML；脚本、内嵌框架和事件属性会被拒绝"
LINK_FIX = "相对链接只能指向 content/ 中已有的文件、页面或附件；外部网址请写完整的 http(s):// 地址"
_TAG = re.compile(r"<\s*(script|iframe|frame|frameset|object|embed|applet)\b", re.IGNORECASE)
_EVENT = re.compile(r"<[^>]*?\s(on[a-z]+)\s*=", re.IGNORECASE)
_SCRIPT_URL = re.compile(r"\b(javascript|vbscript)\s*:", re.IGNORECASE)
_LINKS = (
    re.compile(r"\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^)]*)?\)"),  # [text](target "title"), ![alt](target)
    re.compile(r"^\s*\[[^\]]+\]:\s*<?([^\s>]+)"),  # [ref]: target
    re.compile(r"\b(?:href|src)\s*=\s*[\"']([^\"']*)[\"']", re.IGNORECASE),  # raw HTML
)
_CODE_SPAN = re.compile(r"`+[^`]*`+")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_PAGE_IN_CONFIG = re.compile(r"[\w./-]+\.md\b")


def check_content(county: County, root: Path) -> Iterator[Problem]:
    """Raw HTML that is refused, and relative links that lead nowhere, in every Markdown body."""
    known = _known_paths(root)
    for doc in county.documents:
        yield from check_body(doc.origin.path, doc.body, doc.body_line, known)
    for path in sorted((root / CONTENT_DIR).rglob("*.md")):
        rel = rel_path(path, root)
        text, _ = read_text(path, rel)
        if text is not None and not rel.startswith(DOCUMENTS_DIR + "/"):
            _, body, first = split_front_matter(text)
            yield from check_body(rel, body, first, known)


def check_body(path: str, body: str, first_line: int, known: frozenset[str]) -> Iterator[Problem]:
    """The problems of one body, at file lines; ``known`` holds every linkable path under the root."""
    for line, text in _prose_lines(body, first_line):
        yield from _raw_html(path, line, text)
        yield from _links(path, line, text, known)


def _prose_lines(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    """Lines outside fenced code blocks, with inline code removed."""
    fence = ""
    for line, text in enumerate(body.split("\n"), start=first_line):
        stripped = text.lstrip()
        if fence and stripped.startswith(fence):
            fence = ""
        elif not fence and stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        elif not fence:
            yield line, _CODE_SPAN.sub("", text)


def _raw_html(path: str, line: int, text: str) -> Iterator[Problem]:
    found = [f"<{m.group(1).lower()}>" for m in _TAG.finditer(text)]
    found += [f"{m.group(1).lower()}=" for m in _EVENT.finditer(text)]
    found += [f"{m.group(1).lower()}:" for m in _SCRIPT_URL.finditer(text)]
    for what in dict.fromkeys(found):
        yield Problem(path, line, "", f"正文含有不允许的 HTML（{what}）", HTML_FIX)


def _links(path: str, line: int, text: str, known: frozenset[str]) -> Iterator[Problem]:
    targets = [m.group(1) for pattern in _LINKS for m in pattern.finditer(text)]
    for target in targets:
        if not target or target.startswith(("#", "/")) or _SCHEME.match(target):
            continue  # anchors, site URLs and external links (javascript: is refused as HTML)
        resolved = _resolve(path, target)
        if not resolved.startswith(CONTENT_DIR + "/"):
            yield Problem(path, line, "", f"正文链接「{target}」指向 content/ 以外", LINK_FIX)
        elif not {resolved, f"{resolved}.md", f"{resolved}/index.md"} & known:
            yield Problem(path, line, "", f"正文链接「{target}」指向的文件不存在", LINK_FIX)


def _resolve(path: str, target: str) -> str:
    """The target as a path from the root: relative to the page's folder, without #anchor or ?query."""
    clean = unquote(re.split(r"[#?]", target, maxsplit=1)[0])
    return posixpath.normpath(posixpath.join(posixpath.dirname(path), clean))


def _known_paths(root: Path) -> frozenset[str]:
    """Every file under content/, and the generated pages named in mkdocs.yml's nav."""
    files = {rel_path(p, root) for p in (root / CONTENT_DIR).rglob("*") if p.is_file()}
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8", errors="replace") if config.is_file() else ""
    pages = {f"{CONTENT_DIR}/{page}" for page in _PAGE_IN_CONFIG.findall(text)}
    return frozenset(files | pages)
