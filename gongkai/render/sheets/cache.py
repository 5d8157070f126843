"""The sheet cache: PDFs stored under the hash of everything that shapes them.

An entry is published by a hard link, so it cannot be sealed like the other caches' entries (cachefile.py);
it is taken only when it is a file of its own (a symbolic link would publish whatever it points to) that
reads as a whole PDF at both ends (``complete``): a damaged or truncated one — which the leak guard would
refuse on every build, telling the clerk to export again a file gongkai made — is rendered again.
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

from ...cachefile import store
from .context import PrintContext

__all__ = ["cache_key", "canonical", "complete", "publish", "store"]

TAIL = 1024
"""Bytes at the end of an entry in which its PDF trailer's ``%%EOF`` must stand."""


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


def complete(cached: Path) -> bool:
    """Whether the entry ``cached`` may be published: a regular file (not a link) that starts and ends as a
    PDF does. A damaged entry is removed (to be rendered and stored again)."""
    try:
        with open(cached, "rb", opener=_no_follow) as entry:
            if not stat.S_ISREG(os.fstat(entry.fileno()).st_mode):
                return False
            head = entry.read(5)
            entry.seek(max(0, os.fstat(entry.fileno()).st_size - TAIL))
            tail = entry.read()
    except OSError:
        return False
    if head == b"%PDF-" and b"%%EOF" in tail:
        return True
    with contextlib.suppress(OSError):
        cached.unlink()
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
