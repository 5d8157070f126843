"""One file, read and searched: the spots where a personal number stands, shared by ``check`` and the publish guard.

Results are cached by content hash (``ScanCache``): an unchanged page or attachment is not read again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .finder import find
from .normalise import Part, plain_part
from .patterns import Found
from .readers import read

log = logging.getLogger(__name__)

CACHE_VERSION = "6"
"""Bump when the readers, the normaliser or the finder change, so that cached results are not trusted."""


@dataclass(frozen=True, order=True)
class Spot:
    """A personal number in a file: what it is, in which part of the file (「第 2 页」) and on which line."""

    found: Found
    where: str = ""
    line: int | None = None


@dataclass
class FileScan:
    """Every spot of one file and the notes on what could not be read (a page that is only a picture)."""

    spots: list[Spot] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class ScanCache:
    """Results by content hash, kept in one JSON file; saving keeps only the entries used in this run."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.old: dict[str, object] = {}
        self.new: dict[str, object] = {}
        self._clean_names: set[str] | None = None
        self._now_clean: list[str] = []
        if path is not None:
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
                self.old = loaded if isinstance(loaded, dict) else {}
            except (OSError, ValueError):
                self.old = {}  # missing or damaged: every file is read again

    def get(self, key: str) -> FileScan | None:
        """The cached result for ``key``, if any."""
        entry = self.old.get(key)
        try:
            found, notes = entry["spots"], entry["notes"]  # type: ignore[index]
            spots = [] if found == [] else [Spot(Found(k, n), w, line) for k, n, w, line in found]
            result = FileScan(spots, [] if notes == [] else [str(note) for note in notes])
        except (TypeError, KeyError, ValueError):
            return None
        self.new[key] = entry
        return result

    def known(self, identity: str) -> str | None:
        """The content key recorded for a file ``identity`` (file_identity) in the last run, if any."""
        key = self.old.get(IDENTITY + identity)
        if isinstance(key, str) and isinstance(self.old.get(key), dict):
            return key
        return None

    def remember(self, identity: str, key: str) -> None:
        """Record that the file ``identity`` had the content ``key``."""
        self.new[IDENTITY + identity] = key

    def name(self, name: str) -> list[Spot]:
        """``scan_name(name)``, with the names found clean last time remembered (one list in the cache)."""
        if self._clean_names is None:
            listed = self.old.get(NAMES)
            self._clean_names = set(listed) if isinstance(listed, list) else set()
            self.new[NAMES] = self._now_clean
        if name in self._clean_names:
            self._now_clean.append(name)
            return []
        spots = scan_name(name)
        if not spots:
            self._now_clean.append(name)
        return spots

    def put(self, key: str, result: FileScan) -> None:
        """Remember a fresh result."""
        spots = [[s.found.kind, s.found.number, s.where, s.line] for s in result.spots]
        self.new[key] = {"spots": spots, "notes": result.notes}

    def save(self) -> None:
        """Write the entries of this run (atomically: a concurrent reader sees the old file or the new)."""
        if self.path is None or self.new == self.old:  # unchanged: the file holds this run's entries already
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".scan-", suffix=".json")
        except OSError as error:  # a cache that cannot be written (a read-only project) only costs the next scan
            log.debug("扫描缓存无法写入（%s）：%s", self.path, error)
            return
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(json.dumps(self.new, ensure_ascii=False))  # json.dump would encode in Python, 10× slower
        os.replace(temporary, self.path)


NAMES = f"{CACHE_VERSION}:names"
"""The cache entry listing the file names found clean (``ScanCache.name``)."""
IDENTITY = "file:"
"""Prefix of the cache entries that map a file's identity to its content key."""


def file_identity(found: os.stat_result, name: str) -> str:
    """A file as the file system knows it — device, inode, size and modification time — and the type its
    name gives it. An unchanged page linked from the published site keeps all of them, so its content need
    not be read again to be hashed. Only for a file write/reuse.py vouches for: a write in place may keep the
    size and set the time back."""
    suffix = _suffix(name)
    return f"{CACHE_VERSION}:{suffix}:{found.st_dev}:{found.st_ino}:{found.st_size}:{found.st_mtime_ns}"


def cache_key(data: bytes, name: str, lines: bool) -> str:
    """What a result depends on: the content, the type the name gives it, and whether lines are counted."""
    return f"{CACHE_VERSION}:{hashlib.sha256(data).hexdigest()}:{_suffix(name)}:{int(lines)}"


def _suffix(name: str) -> str:
    """``PurePosixPath(name).suffix.lower()``, without making a path (called for every file of a site)."""
    base = name.rpartition("/")[2]
    dot = base.rfind(".")
    return base[dot:].lower() if 0 < dot < len(base) - 1 else ""


def scan_parts(parts: list[Part]) -> list[Spot]:
    """Every personal number in normalised parts, located."""
    return [
        Spot(Found(hit.kind, hit.number), part.where, part.line_at(hit.start))
        for part in parts
        for hit in find(part.text)
    ]


def scan_bytes(data: bytes, name: str, *, lines: bool) -> FileScan:
    """Read a file's bytes (``name`` tells its type) and find every number; raise Unreadable if it cannot be read."""
    reading = read(name, data, lines=lines)
    return FileScan(scan_parts(reading.parts), reading.notes)


def scan_file(path: Path, name: str, *, lines: bool, cache: ScanCache | None = None) -> FileScan:
    """``scan_bytes`` of a file, through the cache."""
    data = path.read_bytes()
    key = cache_key(data, name, lines) if cache else ""
    cached = cache.get(key) if cache else None
    if cached is not None:
        return cached
    result = scan_bytes(data, name, lines=lines)
    if cache:
        cache.put(key, result)
    return result


def scan_name(name: str) -> list[Spot]:
    """Personal numbers in a file's path (a file name is published too)."""
    return scan_parts([plain_part(name, "文件名", None)])
