"""Cache entries in ``.cache/`` of a project: written atomically and sealed with a checksum, so that a
reader never sees half an entry and a damaged, truncated or foreign one reads as missing.

Shared by the sheet cache (render/sheets/cache.py), the search cache (render/search/cache.py) and the
load cache (load/cache.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import sysconfig
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


def code_fingerprint() -> bytes:
    """The hash of every file of gongkai and the name and version of every installed library: what a
    cached result computed by gongkai's code may depend on (a change to either is a miss, never a stale hit)."""
    if not _FINGERPRINT:
        package = Path(__file__).resolve().parent
        digest = hashlib.sha256(sys.version.encode())
        for folder in sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}):
            with contextlib.suppress(OSError):
                digest.update("\n".join(sorted(n for n in os.listdir(folder) if n.endswith("-info"))).encode())
        for path in sorted(package.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                data = path.read_bytes()
                digest.update(f"{path.relative_to(package).as_posix()}\0{len(data)}\0".encode() + data)
        _FINGERPRINT.append(digest.digest())
    return _FINGERPRINT[0]


_FINGERPRINT: list[bytes] = []
