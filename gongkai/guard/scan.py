"""One file, read and searched: the spots where a personal number stands, shared by ``check`` and the publish guard.

Results are cached by content hash (``ScanCache``): an unchanged page or attachment is not read again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..cachefile import keep, read_kept, seeded
from .finder import find
from .normalise import Part, plain_part
from .patterns import Found
from .readers import read

log = logging.getLogger(__name__)

CACHE_VERSION = "7"
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
    """Results by content hash, kept in one file; saving keeps only the entries used in this run.

    At county scale a site has some 74 000 files, nearly all without a number, so the file holds few objects:
    the keys of those clean results, the file identities (``file_identity``) with their content keys and the
    names found clean are each one string joined by NUL characters (``LAYOUT``); only results with a spot or
    a note are entries of their own. The file is a sealed marshal one (``cachefile.keep``: 17 MB at county
    scale, read and written in ~0.05 s, where JSON took ~0.35 s with its NUL escapes); a JSON file of the
    same name with ``.json`` (the earlier format) is read when there is none, so that an upgrade reads no
    file again."""

    def __init__(self, path: Path | None, seed: Path | None = None) -> None:
        """``seed``: the cache file of another tree, read when ``path`` has none (its results are by content; the
        file identities it records are another tree's, never found in this one unless they are its very files)."""
        self.path = path
        self._results: dict[str, object] = {}
        self._clean: set[str] = set()
        self._files: dict[str, str] = {}
        self._names: list[str] = []
        self._clean_names: set[str] | None = None
        self.new: dict[str, object] = {}
        """The results with a spot or a note used or found in this run, by key."""
        self._now_clean: set[str] = set()
        self._now_files: dict[str, str] = {}
        self._now_names: list[str] | None = None
        self.seeded = False
        if path is not None:
            try:
                source = seeded(path, seed) or path
                data = read_kept(source, _MAGIC, _KEPT_VERSION)
                self.seeded = source is not path and data is not None  # then saved even if this run used no other
                if data is None and path.suffix != ".json":  # none yet: the earlier format's file, if any
                    data = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
                if data is not None:
                    self._load(data)
            except (OSError, ValueError, TypeError, AttributeError):  # missing or damaged: every file is read again
                self._results, self._clean, self._files, self._names = {}, set(), {}, []

    def _load(self, data: dict[str, object]) -> None:
        if "layout" not in data:
            self._load_flat(data)
            return
        if data["layout"] != LAYOUT:
            return  # another layout: every file is read again
        results, clean, identities, keys, names = (data[k] for k in ("results", "clean", "identities", "keys", "names"))
        if not all(isinstance(text, str) for text in (clean, identities, keys, names)) or not isinstance(results, dict):
            raise ValueError("damaged")
        self._results = results
        self._clean = set(_split(clean))  # type: ignore[arg-type]
        self._files = dict(zip(_split(identities), _split(keys), strict=True))  # type: ignore[arg-type]
        self._names = _split(names)  # type: ignore[arg-type]

    def _load_flat(self, data: dict[str, object]) -> None:
        """The earlier layout (one entry per result, per file identity, and the clean names): read, so that an
        upgrade reads no file again."""
        for key, entry in data.items():
            if key.startswith("file:") and isinstance(entry, str):
                self._files[key.removeprefix("file:")] = entry
            elif key == f"{CACHE_VERSION}:names" and isinstance(entry, list):
                self._names = [name for name in entry if isinstance(name, str)]
            elif isinstance(entry, dict) and entry.get("spots") == [] and entry.get("notes") == []:
                self._clean.add(key)
            elif isinstance(entry, dict):
                self._results[key] = entry

    def get(self, key: str) -> FileScan | None:
        """The cached result for ``key``, if any."""
        if key in self._clean:
            self._now_clean.add(key)
            return FileScan()
        entry = self._results.get(key)
        try:
            found, notes = entry["spots"], entry["notes"]  # type: ignore[index]
            spots = [Spot(Found(k, n), w, line) for k, n, w, line in found]
            result = FileScan(spots, [str(note) for note in notes])
        except (TypeError, KeyError, ValueError):
            return None
        self.new[key] = entry
        return result

    def clean(self, key: str) -> bool:
        """Whether ``key``'s result is known to hold no spot and no note (then it is used in this run): ``get``
        without making a result, for the ~74 000 files of a site at county scale."""
        if key in self._clean:
            self._now_clean.add(key)
            return True
        return False

    def known(self, identity: str) -> str | None:
        """The content key recorded for a file ``identity`` (file_identity) in the last run, if any."""
        key = self._files.get(identity)
        if key is not None and (key in self._clean or isinstance(self._results.get(key), dict)):
            return key
        return None

    def known_clean(self, identity: str) -> str | None:
        """``known(identity)`` when its result is clean, remembered and used in this run as ``remember`` and
        ``clean`` would (one call for each of the ~74 000 files of a site linked unchanged); else None."""
        key = self._files.get(identity)
        if key is not None and key in self._clean:
            self._now_files[identity] = key
            self._now_clean.add(key)
            return key
        return None

    def remember(self, identity: str, key: str) -> None:
        """Record that the file ``identity`` had the content ``key``."""
        self._now_files[identity] = key

    def name(self, name: str) -> list[Spot]:
        """``scan_name(name)``, with the names found clean last time remembered."""
        if self._clean_names is None:
            self._clean_names = set(self._names)
            self._now_names = []
        assert self._now_names is not None
        if name in self._clean_names:
            self._now_names.append(name)
            return []
        spots = scan_name(name)
        if not spots:
            self._now_names.append(name)
        return spots

    def put(self, key: str, result: FileScan) -> None:
        """Remember a fresh result."""
        if not result.spots and not result.notes:
            self._now_clean.add(key)
            return
        spots = [[s.found.kind, s.found.number, s.where, s.line] for s in result.spots]
        self.new[key] = {"spots": spots, "notes": result.notes}

    def save(self) -> None:
        """Write the entries of this run (atomically: a concurrent reader sees the old file or the new)."""
        names = self._names if self._now_names is None else self._now_names
        if self.path is None or (
            not self.seeded
            and self.new == self._results
            and self._now_clean == self._clean
            and self._now_files == self._files
            and names == self._names
        ):  # unchanged: the file holds this run's entries already
            return
        data = {
            "layout": LAYOUT,
            "results": self.new,
            "clean": _SEPARATOR.join(self._now_clean),  # (any order: read back as a set)
            "identities": _SEPARATOR.join(self._now_files),
            "keys": _SEPARATOR.join(self._now_files.values()),
            "names": _SEPARATOR.join(names),
        }
        # Atomic, owner-only (as before: the results hold the numbers found); a read-only project costs the next scan.
        if not keep(self.path, _MAGIC, _KEPT_VERSION, data, private=True):
            log.debug("扫描缓存无法写入：%s", self.path)
            return
        if self.path.suffix != ".json":  # the earlier format's file, read once
            with contextlib.suppress(OSError):
                self.path.with_suffix(".json").unlink(missing_ok=True)


LAYOUT = 2
"""Of the cache file (``ScanCache``); a file of another layout is read as empty."""
_SEPARATOR = "\x00"  # in no key, file identity or path
_MAGIC = b"gk-guard-scans-1\0"
_KEPT_VERSION = f"{CACHE_VERSION}:{LAYOUT}"


def _split(joined: str) -> list[str]:
    return joined.split(_SEPARATOR) if joined else []


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
    dot = name.rfind(".")
    return name[dot:].lower() if name.rfind("/") + 1 < dot < len(name) - 1 else ""


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


_PLAIN_NAME = re.compile(r"[A-Za-z0-9._/-]*")
"""A path that normalising leaves as it is: ASCII without entities, escapes, controls or spaces (the search
bundle's ~49 000 files, renamed into a new version folder by every build that changes the index)."""


def scan_name(name: str) -> list[Spot]:
    """Personal numbers in a file's path (a file name is published too)."""
    if _PLAIN_NAME.fullmatch(name):  # plain_part(name) would be the name itself: only the finder is left
        return [Spot(Found(hit.kind, hit.number), "文件名", None) for hit in find(name)]
    return scan_parts([plain_part(name, "文件名", None)])
