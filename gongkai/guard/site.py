"""Scan every file of a built site for personal numbers before it is published; a file that cannot be read is not.

Every file is read by ``readers`` (pages, feeds, open data, the search bundle, XLSX, PDF, pictures,
fonts …) and its path is read too. Results are cached by content hash, so an unchanged page costs a hash.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..workers import worker_pool
from .patterns import Found
from .readers import MAX_FILE, Active, Unreadable
from .scan import FileScan, ScanCache, cache_key, file_identity, scan_bytes, scan_name

SITE_CACHE = "site.json"
_PARALLEL_FROM = 64  # files to read before a process pool pays for itself
_CHUNK = 16


@dataclass(frozen=True, order=True)
class Leak:
    """A personal number in one output file; ``path`` is relative to the site root."""

    path: str
    found: Found
    where: str = field(default="", compare=False)
    """The part of the file (「第 2 页」, 「文件名」), for the message."""


@dataclass(frozen=True, order=True)
class Unread:
    """An output file the guard could not read completely: it is not published."""

    path: str
    reason: str
    fix: str
    active: bool = field(default=False, compare=False)
    """Refused for what it would run (a script, a macro, an embedded file), not for what could not be read."""


@dataclass
class SiteScan:
    """What the guard found in a staged site."""

    leaks: list[Leak] = field(default_factory=list)
    unreadable: list[Unread] = field(default_factory=list)


def scan_site(
    site_dir: Path, allow: frozenset[str] | Callable[[Found], bool], cache_dir: Path | None = None
) -> SiteScan:
    """Every personal number in every file (and file name) under ``site_dir``, except the allowed ones."""
    permits = allow if callable(allow) else (lambda found: found.number in allow)
    files = sorted(p for p in site_dir.rglob("*") if p.is_file() or p.is_symlink())
    names = [p.relative_to(site_dir).as_posix() for p in files]
    cache = ScanCache(cache_dir / SITE_CACHE if cache_dir else None)
    result = SiteScan()
    for name, outcome in zip(names, _scan_all(files, names, cache), strict=True):
        if isinstance(outcome, Unread):
            result.unreadable.append(Unread(name, outcome.reason, outcome.fix, outcome.active))
            continue
        seen: set[Found] = set()
        for spot in [*scan_name(name), *outcome.spots]:
            if spot.found not in seen and not permits(spot.found):
                seen.add(spot.found)
                result.leaks.append(Leak(name, spot.found, spot.where))
    cache.save()
    result.leaks.sort()
    return result


def _scan_all(files: list[Path], names: list[str], cache: ScanCache) -> list[FileScan | Unread]:
    """Each file's result: from the cache by content hash, the others read (in a process pool when many)."""
    outcomes: list[FileScan | Unread | None] = []
    missing: list[tuple[int, str]] = []
    for index, (path, name) in enumerate(zip(files, names, strict=True)):
        refused = _refused(path, name)
        if refused:
            outcomes.append(refused)
            continue
        found = path.stat()
        identity = file_identity(found, name)
        # A file shared with the published site (linked by write/reuse.py, or a sheet from its cache) is the
        # one scanned before: its content key is remembered. Every file written by this build is read.
        known = cache.known(identity) if found.st_nlink > 1 else None
        key = known or cache_key(path.read_bytes(), name, False)
        cache.remember(identity, key)
        cached = cache.get(key)
        outcomes.append(cached)
        if cached is None:
            missing.append((index, key))
    jobs = [(files[i], names[i]) for i, _ in missing]
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < _PARALLEL_FROM or workers < 2:
        fresh = [_scan_one(job) for job in jobs]
    else:
        with worker_pool(workers) as pool:
            fresh = list(pool.map(_scan_one, jobs, chunksize=_CHUNK))
    for (index, key), outcome in zip(missing, fresh, strict=True):
        outcomes[index] = outcome
        if isinstance(outcome, FileScan):
            cache.put(key, outcome)
    return [o for o in outcomes if o is not None]


def _refused(path: Path, name: str) -> Unread | None:
    if path.is_symlink() or not path.is_file():
        return Unread(name, "是符号链接，不是普通文件", "网站里只能有普通文件；请删除这个链接，把文件本身放进来")
    size = path.stat().st_size
    if size > MAX_FILE:
        return Unread(name, f"文件过大（{size // 1024 // 1024} MB）", "请压缩或拆分后再发布")
    return None


def _scan_one(job: tuple[Path, str]) -> FileScan | Unread:
    path, name = job
    try:
        return scan_bytes(path.read_bytes(), name, lines=False)
    except Unreadable as unreadable:
        return Unread(name, unreadable.reason, unreadable.fix, isinstance(unreadable, Active))
    except MemoryError:
        return Unread(name, "内存不足，无法读完", "请拆分这个文件，或把它转换为 PDF")
