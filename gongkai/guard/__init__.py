"""The leak guard: no ID, bank card or mobile number reaches the published site or the repository.

``scan_sources`` runs with ``check`` (every source file, located by file and line);
``guard_site`` scans the staged site before it is published. Both read files through ``readers``
and ``normalise`` and find numbers with ``finder``; a file that cannot be read completely is refused.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from ..errors import BuildFailed
from .active import scan_pages
from .allow import allowed_numbers, load_allowance
from .site import Leak, SiteScan, Unread, scan_site
from .sources import CACHE_DIR, locate, scan_sources

ACTIVE_CACHE = "active.json"
MAX_FILES_PER_NUMBER = 5
"""Output files named for one number; a number in the theme is on every page, and one line says so."""


def guard_site(
    staging: Path,
    root: Path,
    site_name: str,
    allow: frozenset[str],
    linked: Collection[str] = frozenset(),
    published: Collection[tuple[int, int]] | None = None,
    caches: str = "",
    unwritten: Mapping[str, tuple[int, ...]] | None = None,
    later: str = "",
    between: Callable[[], None] | None = None,
) -> SiteScan:
    """Raise BuildFailed naming every leak in the staged site and the source line it came from, and
    every file that could not be read completely. ``allow``: county.yml's numbers (``allowed_numbers``);
    ``linked``: the files linked unchanged from a site this guard passed, ``published``: the files (device,
    inode) of such a site, as a whole unchanged since, ``unwritten``: files linked from such a site, each vouched for
    while it has the identity the link left it (``scan_site``). Returns what the scan found: every staged
    folder and file and their inodes (for publishing: ``write.part``, ``unchanged.listed_digest``).

    ``caches``: a sub-folder of the guard's caches for a tree guarded apart from the site (the preview's search
    bundle): each cache keeps only the entries of its last run, so two trees guarded in turn into one cache
    would each find the other's entries gone (a preview's every rebuild read all its pages again). Until it has
    entries of its own, it starts from the site's (results by content: a county's first preview read all its
    74 000 files again, some 150 s on two cores).

    ``later``, ``between``: a folder at the top of the staged site guarded last, once ``between()`` returns
    (``scan_site``'s: a build's search bundle, made meanwhile in another process)."""
    cache_dir = root / CACHE_DIR / caches if caches else root / CACHE_DIR
    seed = root / CACHE_DIR if caches else None  # a tree's first run: the build's results, by content, are as good
    allowance, _ = load_allowance(root, None, validate=False)  # checked with the sources already
    allowance.everywhere = allowance.everywhere | allow
    with _collector_paused():
        scanned = scan_site(
            staging, allowance.in_outputs, cache_dir, linked, published, seed, unwritten, later, between
        )
    if scanned.leaks or scanned.unreadable:
        places = locate(root, {leak.found.number for leak in scanned.leaks})
        raise BuildFailed(describe(scanned, places, site_name))
    active = scan_pages(staging, cache_dir / ACTIVE_CACHE, scanned.digests, seed and seed / ACTIVE_CACHE)
    if active:
        raise BuildFailed(describe_active(active, site_name))
    return scanned


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic collector paused: the guard's bookkeeping of every staged file (74 000 at county scale) makes
    no cycles, only objects enough to set off full passes over everything alive (~0.7 s at county scale)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def describe_active(found: list[str], site_name: str) -> str:
    """The Chinese report of pages that would run or load something not the site's own."""
    lines = [f"{site_name}/{item}" for item in found[:20]]
    if len(found) > 20:
        lines.append(f"……另有 {len(found) - 20} 处")
    lines.append(
        f"共 {len(found)} 处网页中有会运行的脚本或从其他网站加载的内容，网站没有发布，{site_name}/ 保持原样。"
        "这些内容不是来自正文（正文已经过滤），请检查 theme/ 中的模板：页面只能引用本站的脚本文件，"
        "不能写内联脚本、事件属性（on…）、<base>、<iframe> 或其他网站的脚本和样式。"
    )
    return "\n".join(lines)


def describe(scanned: SiteScan, places: dict[str, tuple[str, int | None, str]], site_name: str) -> str:
    """The Chinese report: each leak masked, with its output file and its source; each unreadable file."""
    lines = [
        f"{site_name}/{u.path}：{u.reason}。{u.fix}。"
        if u.active
        else f"{site_name}/{u.path}：无法完整读取（{u.reason}），不能确认其中没有个人信息。{u.fix}。"
        for u in scanned.unreadable
    ]
    shown: dict[str, int] = {}
    for leak in scanned.leaks:
        count = shown[leak.found.number] = shown.get(leak.found.number, 0) + 1
        if count <= MAX_FILES_PER_NUMBER:
            where = f"（{leak.where}）" if leak.where else ""
            found = f"发现疑似{leak.found.kind} {leak.found.masked}"
            lines.append(f"{site_name}/{leak.path}{where}：{found}（{_source(places, leak)}）")
    for number, count in shown.items():
        if count > MAX_FILES_PER_NUMBER:
            masked = next(leak.found for leak in scanned.leaks if leak.found.number == number).masked
            lines.append(f"……另有 {count - MAX_FILES_PER_NUMBER} 个文件含有同一号码 {masked}")
    unread = f"、{len(scanned.unreadable)} 个无法检查的文件" if scanned.unreadable else ""
    lines.append(
        f"共 {len(scanned.leaks)} 处疑似个人信息{unread}，网站没有发布，{site_name}/ 保持原样。"
        "请在源文件中遮盖这些号码（见使用指南「个人信息保护和内容安全」）后重新生成。"
    )
    return "\n".join(lines)


def _source(places: dict[str, tuple[str, int | None, str]], leak: Leak) -> str:
    place = places.get(leak.found.number)
    if place is None:
        return "来源不明"
    path, line, where = place
    return f"来源：{path}" + (f" 第 {line} 行" if line else "") + (f"（{where}）" if where and not line else "")


__all__ = ["Leak", "SiteScan", "Unread", "allowed_numbers", "guard_site", "scan_site", "scan_sources"]
