"""Cache entries in ``.cache/`` of a project: written atomically and sealed with a checksum, so that a
reader never sees half an entry and a damaged, truncated or foreign one reads as missing.

Shared by the sheet cache (render/sheets/cache.py), the search cache (render/search/cache.py) and the
load cache (load/cache.py).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def store(path: Path, data: bytes) -> None:
    """Write a cache entry so that no reader ever sees half a file."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    partial.write_bytes(data)
    os.replace(partial, path)


def seal(magic: bytes, body: bytes) -> bytes:
    """An entry's bytes: the cache's magic, the body's checksum, the body."""
    return magic + hashlib.sha256(body).digest() + body


def unseal(magic: bytes, data: bytes) -> bytes | None:
    """The body of a sealed entry, or None when it is of another cache or version, damaged or truncated."""
    body = data[len(magic) + 32 :]
    if data[: len(magic)] != magic or data[len(magic) : len(magic) + 32] != hashlib.sha256(body).digest():
        return None
    return body
