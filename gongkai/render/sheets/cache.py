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
import re
import shutil
import stat
from collections.abc import Collection
from decimal import Decimal
from pathlib import Path
from typing import Any

from ...cachefile import code_fingerprint, keep, read_kept, seal, store, unseal
from ...model import PayoutList
from ...write.paths import fresh_mode
from .context import PrintContext

__all__ = [
    "KeyMemo",
    "cache_key",
    "canonical",
    "complete",
    "inputs_key",
    "publish",
    "sheet_inputs",
    "store",
    "store_sheet",
]

TAIL = 1024
"""Bytes at the end of an entry in which its PDF trailer's ``%%EOF`` must stand."""
_SUM = b"gk-sheet-sum-1\0"
KEYS = "keys.bin"
_KEYS = b"gk-sheet-keys-1\0"
_KEY = re.compile(r"[0-9a-f]{64}")


def cache_key(ctx: PrintContext, fingerprint: str) -> str:
    """The hash of a sheet's context and of the templates, code and WeasyPrint that render it."""
    text = json.dumps({"context": canonical(ctx), "templates": fingerprint}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def inputs_key(make: str, inputs: list[Any], memo: dict[int, Any] | None = None) -> str:
    """The hash of what a sheet's context is made of: the function ``make``, its arguments, and gongkai's code
    (all of it: the context's formatting, masking and QR code live in several packages) and libraries;
    ``memo``: canonical forms of objects shared by many sheets (they must live as long as it)."""
    text = json.dumps({"make": make, "inputs": canonical(inputs, memo)}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(code_fingerprint() + text.encode()).hexdigest()


class KeyMemo:
    """The cache keys (of contexts, ``cache_key``) of the sheets the last builds made, by the hash of what each
    context was made of (``inputs_key``): a sheet whose inputs are known needs no context to be found in the
    cache. After an upgrade of gongkai every inputs key is new, the contexts are made again, and a sheet whose
    context did not change is still taken from the cache, not rendered. Stored sealed as ``keys.bin`` (damaged,
    foreign or of other templates: empty); holds the keys of the last build only."""

    def __init__(self, path: Path | None, fingerprint: str, known: dict[str, str]) -> None:
        self.path, self.fingerprint, self.known = path, fingerprint, known
        self.used: dict[str, str] = {}

    @classmethod
    def open(cls, cache_dir: Path, fingerprint: str) -> KeyMemo:
        """The memo kept in ``cache_dir`` for sheets rendered with the templates of ``fingerprint``."""
        path = cache_dir / KEYS
        stored = read_kept(path, _KEYS, fingerprint)
        fits = isinstance(stored, dict) and all(_KEY.fullmatch(str(v)) for v in stored.values())
        return cls(path, fingerprint, stored if fits else {})

    def get(self, inputs: str | None) -> str | None:
        """The context key recorded for ``inputs``, if any."""
        return self.known.get(inputs) if inputs is not None else None

    def put(self, inputs: str | None, key: str) -> None:
        """Record the context key of a sheet made of ``inputs`` (nothing for None)."""
        if inputs is not None:
            self.used[inputs] = key

    def save(self) -> None:
        """Keep this build's keys, when they differ from the last build's (not writable: the next build makes the
        contexts again)."""
        if self.path is not None and self.used != self.known:
            keep(self.path, _KEYS, self.fingerprint, self.used)


def sheet_inputs(value: Any) -> Any:
    """``value`` as a sheet's cache key takes it: a payout list loaded through the load cache by the name of its
    rows' entry there (the hash of the table's bytes and path), not by its rows."""
    if isinstance(value, PayoutList) and value.rows_key:
        return {"list": dataclasses.replace(value, rows=()), "rows": value.rows_key}
    if isinstance(value, tuple | list):
        return [sheet_inputs(item) for item in value]
    return value


def canonical(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """A JSON-ready copy of a context; fields left out of equality (origins) are left out here too. ``memo``:
    the canonical forms of the dataclasses met, by identity (for objects alive as long as it)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if memo is not None:
            found = memo.get(id(value))
            if found is None:
                found = memo[id(value)] = (value, canonical(value))
            return found[1]
        return {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value) if f.compare}
    if isinstance(value, dict):
        return {str(key): canonical(item, memo) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [canonical(item, memo) for item in value]
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


def complete(cached: Path, published: Collection[tuple[int, int]] = ()) -> bool:
    """Whether the entry ``cached`` may be published: a regular file (not a link) whose bytes are the ones
    stored (its sum) and that starts and ends as a PDF does. A damaged or changed entry is removed (to be
    rendered and stored again). ``published``: the (device, inode) of every file of the published site, proved
    unwritten since it was published (write/unchanged.py): an entry that is one of them is the sheet published
    then — checked then, as this entry — and is not read again (636 sheets, ~0.6 s at county scale)."""
    if published:
        with contextlib.suppress(OSError):
            found = os.lstat(cached)
            if stat.S_ISREG(found.st_mode) and (found.st_dev, found.st_ino) in published:
                return True
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


def publish(cached: Path, target: Path, copied: bool = False) -> None:
    """Put a cached PDF at its place in the site: a hard link, or a copy across file systems. An entry of another
    mode than a file written now (``fresh_mode``: stored by a preview under its user's umask, changed by hand) is stored
    again first, a new file (the published one, a link of it, stays as it is until the swap). ``copied``: a copy
    always (a preview: its links would move the change time of the published site's sheets, links of the same
    cached files, and the next build would vouch for none of the published site)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    if copied:
        shutil.copyfile(cached, target)
        return
    if stat.S_IMODE(os.lstat(cached).st_mode) != fresh_mode(cached.parent):
        store(cached, cached.read_bytes())
    try:
        os.link(cached, target)
    except OSError:
        shutil.copyfile(cached, target)
