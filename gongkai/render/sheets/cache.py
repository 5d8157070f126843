"""The sheet cache: PDFs stored under the hash of everything that shapes them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

from ...cachefile import store
from .context import PrintContext

__all__ = ["cache_key", "canonical", "publish", "store"]


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


def publish(cached: Path, target: Path) -> None:
    """Put a cached PDF at its place in the site: a hard link, or a copy across file systems."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(cached, target)
    except OSError:
        shutil.copyfile(cached, target)
