"""The sheet cache: PDFs stored under the hash of everything that shapes them.

An entry is published by a hard link, so it cannot be sealed like the other caches' entries (cachefile.py):
its SHA-256 is kept beside it instead, sealed (``<key>.sum``, ``store_sheet``). It is taken only when it is a
file of its own (a symbolic link would publish whatever it points to) whose bytes are the ones stored and
read as a whole PDF at both ends (``complete``). A damaged, truncated or changed one is rendered again: the
leak guard would refuse a damaged one on every build (``--clean`` too), telling the clerk to export again
a file gongkai made; and the published sheet is the entry itself (a hard link), so a sheet edited in place
in the published site would otherwise be published again by every later build.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import shutil
import stat
from decimal import Decimal
from pathlib import Path
from typing import Any

from ...cachefile import seal, store, unseal
from .context import PrintContext

__all__ = ["cache_key", "canonical", "complete", "publish", "store", "store_sheet"]

TAIL = 1024
"""Bytes at the end of an entry in which its PDF trailer's ``%%EOF`` must stand."""
_SUM = b"gk-sheet-sum-1\0"


def cache_key(ctx: PrintContext, fingerprint: str) -> str:
    """The hash of a sheet's context and of the templates, code and WeasyPrint that render it."""
    text = json.dumps({"context": canonical(ctx), "templates": fingerprint}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def canonical(value: Any) -> Any:
    """A JSON-ready copy of a context; fields left out of equality (origins) are left out here too."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value) if f.compare}
    if isinstance(value, tuple | list):
        return [canonical(item) for item in value]
    if isinstance(value, dt.date | Decimal):
        return str(value)
    if value is None or isinstance(value, str | int | float):
        return value
    raise TypeError(f"cannot hash a {type(value).__name__} in a sheet context")


def store_sheet(path: Path, pdf: bytes) -> None:
    """Store a rendered sheet as the entry ``path``, its SHA-256 beside it (written after it: an entry
    without its sum is rendered again)."""
    store(path, pdf)
    store(_sum(path), seal(_SUM, path.name, hashlib.sha256(pdf).digest()))


def _sum(path: Path) -> Path:
    return path.with_suffix(".sum")


def complete(cached: Path) -> bool:
    """Whether the entry ``cached`` may be published: a regular file (not a link) whose bytes are the ones
    stored (its sum) and that starts and ends as a PDF does. A damaged or changed entry is removed (to be
    rendered and stored again)."""
    try:
        with open(cached, "rb", opener=_no_follow) as entry:
            if not stat.S_ISREG(os.fstat(entry.fileno()).st_mode):
                return False
            head = entry.read(5)
            entry.seek(max(0, os.fstat(entry.fileno()).st_size - TAIL))
            tail = entry.read()
            entry.seek(0)
            digest = hashlib.file_digest(entry, "sha256").digest()
        stored = unseal(_SUM, cached.name, _sum(cached).read_bytes())
    except OSError:
        return False
    if head == b"%PDF-" and b"%%EOF" in tail and digest == stored:
        return True
    for path in (cached, _sum(cached)):
        with contextlib.suppress(OSError):
            path.unlink()
    return False


def _no_follow(path: str, flags: int) -> int:
    return os.open(path, flags | os.O_NOFOLLOW)


def publish(cached: Path, target: Path) -> None:
    """Put a cached PDF at its place in the site: a hard link, or a copy across file systems."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(cached, target)
    except OSError:
        shutil.copyfile(cached, target)
