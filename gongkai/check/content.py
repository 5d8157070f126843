"""Markdown bodies and hand-written pages: only the model's HTML and links, and relative links lead somewhere.

One rule for every Markdown file under content/: the HTML, links and images of ``model/content.py``
(checked in ``check/markup.py``), refused at their lines; code (fenced blocks and `inline code`) is shown
as text, so it is not checked. A hand-written page's front matter may hold only ``PageMeta``'s keys.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from ..errors import Problem
from ..load.cache import named
from ..load.documents import CONTENT_DIR, DOCUMENTS_DIR, split_front_matter
from ..load.files import read_text
from ..load.records import build
from ..load.tree import hidden, hidden_fix, walk
from ..load.yamlsrc import parse_yaml
from ..model import County
from ..model.content import GENERATED_PAGES, PageMeta
from .cache import BodyCache, relative_url
from .markup import REMOVED_FIX

LINK_FIX = "相对链接只能指向 content/ 中已有的文件、页面或附件；外部网址请写完整的 http(s):// 地址"
_PAGE_IN_CONFIG = re.compile(r"[\w./-]+\.md\b")


def check_content(county: County, root: Path) -> list[Problem]:
    """Refused HTML and links, relative links that lead nowhere, and unknown front matter, in every body;
    what a body shows by itself comes from the project's cache (check/cache.py) when it is unchanged."""
    cache = BodyCache.open(root)
    problems = list(_content(county, root, cache))
    cache.save()
    return problems


def _content(county: County, root: Path, cache: BodyCache) -> Iterator[Problem]:
    start = len(str(root)) + 1  # rel_path without a Path for each of a county's files
    found = (entry.path[start:].replace(os.sep, "/") for entry in walk(root / CONTENT_DIR) if entry.is_file())
    files = [rel for rel in found if not hidden(rel)]  # MkDocs publishes no hidden file: no link may lead to one
    known = _known_paths(root, files)
    for doc in county.documents:
        yield from check_body(doc.origin.path, doc.body, doc.body_line, known, cache, named(doc))
    pages = [rel for rel in files if rel.endswith(".md") and not rel.startswith(DOCUMENTS_DIR + "/")]
    for rel in sorted(pages, key=lambda rel: rel.split("/")):  # documents are loaded and checked above
        text, problems = read_text(root / rel, rel)
        yield from problems
        if text is not None:
            front, body, first = split_front_matter(text)
            yield from check_page_meta(rel, front)
            yield from check_body(rel, body, first, known, cache)


def check_page_meta(path: str, front: str | None) -> list[Problem]:
    """A hand-written page's front matter: PageMeta's keys only (MkDocs would pass any key to the theme)."""
    if front is None or not front.strip():
        return []
    data, problems = parse_yaml(front, path, first_line=2)
    return problems or build(PageMeta, data, path)[1]


def check_body(
    path: str,
    body: str,
    first_line: int,
    known: frozenset[str],
    cache: BodyCache | None = None,
    entry: str | None = None,
) -> Iterator[Problem]:
    """The problems of one body, at file lines; ``known`` holds every linkable path under the root (``entry``: the
    load cache entry the body was parsed from, BodyCache.found)."""
    findings, targets, removed = (cache or BodyCache(None)).found(body, entry)
    for line, message, fix in sorted(set(findings)):
        yield Problem(path, first_line + line - 1, "", message, fix)
    for line, url in targets:
        problem = _relative(path, url, known)
        if problem:
            yield Problem(path, first_line + line - 1, "", *problem)
    if removed:  # what the located checks could not see, the sanitiser still would remove
        yield Problem(path, None, "", f"正文转换成网页后，{'、'.join(removed[:3])}会被删除", REMOVED_FIX)


def _relative(path: str, target: str, known: frozenset[str]) -> tuple[str, str] | None:
    """Why a relative link leads nowhere and the fix, or None (anchors, site URLs and external links are not files)."""
    if not relative_url(target):
        return None
    resolved = _resolve(path, html.unescape(target).strip())
    if not resolved.startswith(CONTENT_DIR + "/"):
        return f"正文链接「{target}」指向 content/ 以外", LINK_FIX
    if hidden(resolved):
        return f"正文链接「{target}」指向隐藏文件，它不会发布", hidden_fix(resolved)
    if not {resolved, f"{resolved}.md", f"{resolved}/index.md"} & known:
        return f"正文链接「{target}」指向的文件不存在", LINK_FIX
    return None


def _resolve(path: str, target: str) -> str:
    """The target as a path from the root: relative to the page's folder, without #anchor or ?query."""
    clean = unquote(re.split(r"[#?]", target, maxsplit=1)[0])
    return posixpath.normpath(posixpath.join(posixpath.dirname(path), clean))


def _known_paths(root: Path, files: list[str]) -> frozenset[str]:
    """Every file under content/ (``files``), and the generated pages named in mkdocs.yml's nav."""
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8", errors="replace") if config.is_file() else ""
    pages = {f"{CONTENT_DIR}/{page}" for page in (*_PAGE_IN_CONFIG.findall(text), *GENERATED_PAGES)}
    return frozenset({*files, *pages})

