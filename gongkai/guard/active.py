"""Active content in HTML: what would run in a reader's browser, or load from another site.

Bodies are sanitised (render/sanitize.py) and source values escaped, but a county's theme/ templates
write HTML of their own. So every staged page is read once more before it is published, and the same
rules are applied to theme/ templates by ``check`` (located by line): a script must be a file of the
site (``<script src>`` with nothing inside, or a JSON data block), no event attribute (``on…``), no
``<base>``, frames or plug-ins, no ``javascript:``/``vbscript:``/``data:`` link, nothing loaded from
another site. Markup that cannot be read as tags (an unbalanced quote inside a tag) is refused too:
what cannot be checked is not published.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..cachefile import seeded, store
from ..workers import mapped

ATTRIBUTE = r"""\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>`=]+))?"""
TAG = re.compile(rf"<([A-Za-z][A-Za-z0-9:-]*)((?:{ATTRIBUTE})*)\s*/?>")
TAG_START = re.compile(r"<[A-Za-z]")
ONE_ATTRIBUTE = re.compile(r"""\s+([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>`=]+)))?""")
COMMENT = re.compile(r"<!--.*?-->", re.S)
JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}", re.S)
JINJA_VALUE = re.compile(r"\{\{.*?\}\}", re.S)
"""Template syntax: statements read as space, values as an opaque word (templates are checked as written)."""
SCRIPT_END = re.compile(r"\s*</script\s*>", re.I)

FORBIDDEN_TAGS = {
    "base", "iframe", "frame", "frameset", "object", "embed", "applet", "portal",
    "animate", "set", "animatemotion", "animatetransform", "foreignobject", "handler", "listener",
}  # fmt: skip
"""Elements that load or run something; SVG's animation elements can rewrite a link into script."""
PLAIN = re.compile(r"(?i)\son|[:&\\]|//")
"""Attributes worth reading one by one: an event name, a scheme, an entity (everything else is inert)."""
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background", "srcset"}
LOADING = {("script", "src"), ("link", "href"), ("img", "src"), ("img", "srcset"), ("source", "src"),
           ("source", "srcset"), ("video", "src"), ("audio", "src"), ("track", "src"), ("input", "src")}  # fmt: skip
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "file:", "blob:")
LINK_LOADS = {"stylesheet", "preload", "modulepreload", "prefetch", "icon", "manifest", "import", "apple-touch-icon"}
_PARALLEL_FROM = 64  # pages to read before a process pool pays for itself (as the leak scan's)
_CHUNK = 32
RULES_VERSION = "2"
"""Part of each cached page hash: a change of the rules above re-reads every page."""
DATA_TYPES = {"application/json", "application/ld+json"}
"""Script elements that hold data, which browsers never run."""


@dataclass(frozen=True)
class Active:
    """One piece of active content: where (offset) and what, in Chinese."""

    offset: int
    what: str
    snippet: str


def find_active(text: str, template: bool = False) -> Iterator[Active]:
    """Every piece of active content in an HTML text (a template: its Jinja syntax set aside)."""
    masked = COMMENT.sub(lambda m: " " * len(m.group(0)), text)
    if template:
        masked = JINJA.sub(lambda m: " " * len(m.group(0)), masked)
        masked = JINJA_VALUE.sub(lambda m: "x" * len(m.group(0)), masked)
    position = 0
    for start in (m.start() for m in TAG_START.finditer(masked)):
        if start < position:
            continue
        tag = TAG.match(masked, start)
        if tag is None:
            yield Active(start, "无法按标签读取的写法（引号不成对或属性写法异常）", _snippet(text, start))
            continue
        position = tag.end()
        yield from _tag(tag, text, masked)


def _tag(tag: re.Match[str], text: str, masked: str) -> Iterator[Active]:
    name = tag.group(1).lower()
    if name not in FORBIDDEN_TAGS and name not in ("script", "meta") and not PLAIN.search(tag.group(2)):
        return
    attributes = {m.group(1).lower(): html.unescape(_value(m)) for m in ONE_ATTRIBUTE.finditer(tag.group(2))}
    here = _snippet(text, tag.start())
    if name in FORBIDDEN_TAGS:
        yield Active(tag.start(), f"不能使用 <{name}> 元素", here)
    if name == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
        yield Active(tag.start(), "不能用 <meta http-equiv=refresh> 跳转", here)
    for key, value in attributes.items():
        if key.startswith("on"):
            yield Active(tag.start(), f"不能使用事件属性「{key}」（会运行脚本）", here)
        if key in URL_ATTRIBUTES and _scheme(value) in BAD_SCHEMES:
            yield Active(tag.start(), f"「{key}」的地址以「{_scheme(value)}」开头（会运行脚本或嵌入内容）", here)
        elif (name, key) in LOADING and _elsewhere(value) and (name != "link" or _loads(attributes)):
            yield Active(tag.start(), f"<{name}> 从其他网站加载内容（{key}）", here)
    if name == "script":
        if attributes.get("type", "").lower() in DATA_TYPES:
            return
        if "src" not in attributes:
            yield Active(tag.start(), "不能写内联脚本（<script> 只能引用本站的脚本文件）", here)
        elif SCRIPT_END.match(masked, tag.end()) is None:
            yield Active(tag.start(), "<script src> 之间不能再写脚本", here)


def _loads(link: dict[str, str]) -> bool:
    """Whether a <link> makes the browser fetch something (a canonical or feed link does not)."""
    return bool(set(link.get("rel", "").lower().split()) & LINK_LOADS)


def _value(match: re.Match[str]) -> str:
    return next((v for v in match.groups()[1:] if v is not None), "")


def _scheme(url: str) -> str:
    """The scheme as a browser reads it: control characters and whitespace inside are ignored."""
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", url).lower()
    found = re.match(r"[a-z][a-z0-9+.-]*:", cleaned)
    return found.group(0) if found else ""


def _elsewhere(url: str) -> bool:
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", url).replace("\\", "/").lower()
    return cleaned.startswith("//") or _scheme(cleaned) in ("http:", "https:", "ftp:")


def _snippet(text: str, start: int) -> str:
    piece = text[start : start + 80].split("\n")[0]
    return piece + ("…" if len(piece) == 80 else "")


def line_of(text: str, offset: int) -> int:
    """The 1-based line of an offset."""
    return text.count("\n", 0, offset) + 1


def scan_pages(
    site: Path, cache: Path | None = None, known: Mapping[str, str] | None = None, seed: Path | None = None
) -> list[str]:
    """Every piece of active content in the staged site's pages, as Chinese lines naming page and tag.

    ``cache``: a file of the content hashes of pages found clean, so an unchanged page costs a hash;
    ``known``: every file of the site by its path, with its content key (``scan.cache_key``, which holds
    the SHA-256 of its bytes) as the leak guard found it — then a page known clean is not even read; ``seed``: such a
    file of another tree's, read while ``cache`` is none."""
    clean = _load_clean(seeded(cache, seed))
    found: list[str] = []
    now_clean: set[str] = set()
    pages: list[tuple[str, str | None]]
    if known is None:
        pages = [(page.relative_to(site).as_posix(), None) for page in sorted(site.rglob("*.html"))]
    else:
        pages = sorted((name, key.split(":", 2)[1]) for name, key in known.items() if name.endswith(".html"))
    unread: list[tuple[str, str, bytes | None]] = []  # (page, its digest, its bytes if read already)
    for rel, sha in pages:
        data = None if sha else (site / rel).read_bytes()
        digest = f"{RULES_VERSION}:{sha or hashlib.sha256(data or b'').hexdigest()}"
        if digest in clean:
            now_clean.add(digest)
        else:
            unread.append((rel, digest, data))
    jobs = [(site, rel, data) for rel, _, data in unread]
    # (a cold build's 24 000 pages at county scale: 29 s on one core, the other idle)
    results = mapped(_page_active, jobs, pooled_from=_PARALLEL_FROM, chunksize=_CHUNK)
    for (_, digest, _), lines in zip(unread, results, strict=True):
        found += lines
        if not lines:
            now_clean.add(digest)
    if cache is not None and now_clean != clean:
        with contextlib.suppress(OSError):  # a cache that cannot be written (a read-only project) costs a scan
            cache.parent.mkdir(parents=True, exist_ok=True)
            store(cache, json.dumps(sorted(now_clean)).encode())
    return found


def _page_active(job: tuple[Path, str, bytes | None]) -> list[str]:
    """The active content of one page of the site (its bytes, if read already), as ``scan_pages``' lines."""
    site, rel, data = job
    text = ((site / rel).read_bytes() if data is None else data).decode("utf-8", errors="replace")
    return [f"{rel} 第 {line_of(text, i.offset)} 行：{i.what}：{i.snippet}" for i in find_active(text)]


def _load_clean(cache: Path | None) -> set[str]:
    try:
        return set(json.loads(cache.read_text(encoding="utf-8"))) if cache else set()
    except (OSError, ValueError, TypeError):  # missing or damaged (「5」, 「[[1]]」 raised): every page is read
        return set()
