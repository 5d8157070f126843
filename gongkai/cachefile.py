"""Cache entries in ``.cache/`` of a project: written atomically and sealed with a checksum, so that a
reader never sees half an entry and a damaged, truncated or foreign one — or one moved or copied to
another key — reads as missing; pruned without following symbolic links (``entries``).

Shared by the sheet cache (render/sheets/cache.py, ``store`` only), the search cache
(render/search/cache.py), the load cache (load/cache.py) and the check cache (check/cache.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import re
import sys
import sysconfig
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_SHARD = re.compile(r"[0-9a-f]{2}")
_ENTRY = re.compile(r"[0-9a-f]{8,64}(\.[0-9]+\.part)?")
"""An entry's file name (its key), or the partial file a killed writer left of one (store)."""


SETTLED_NS = 2_000_000_000
"""A file changed less than this long before a cache looked at it is not taken by its identity (device,
inode, size, modification and change time) next time: a second write in the same tick of the file system's
clock would leave all of them as they were."""


def settled_before() -> int:
    """The change time (ns) before which a file looked at now counts as settled (``SETTLED_NS``)."""
    return time.time_ns() - SETTLED_NS


def identity(found: os.stat_result) -> tuple[int, int, int, int, int]:
    """A file as a ``stat`` of it found it: device, inode, size, modification and change time. Any write moves the
    change time, which — unlike the modification time — cannot be set back: an equal identity is a file unwritten
    since. (Making or removing a hard link of it moves the change time too.)"""
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)


def store(path: Path, data: bytes) -> None:
    """Write a cache entry so that no reader ever sees half a file."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    partial.write_bytes(data)
    os.replace(partial, path)


def seal(magic: bytes, name: str, body: bytes) -> bytes:
    """An entry's bytes: the cache's magic, the checksum of its name (key) and body, the body. The name is
    sealed too, so that an entry copied or moved to another key (a swapped file) reads as missing."""
    return magic + _checksum(name, body) + body


def unseal(magic: bytes, name: str, data: bytes) -> bytes | None:
    """The body of the entry sealed under ``name``, or None when it is of another cache, version or key,
    damaged or truncated."""
    body = data[len(magic) + 32 :]
    if data[: len(magic)] != magic or data[len(magic) : len(magic) + 32] != _checksum(name, body):
        return None
    return body


def read_kept(path: Path, magic: bytes, version: bytes | str) -> Any:
    """What ``keep`` stored at ``path`` for ``version`` (gongkai's code, the templates …), or None when the file is
    missing, damaged, truncated, of another cache or of another version."""
    with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
        data = path.read_bytes()
        start = len(magic) + 32
        body = memoryview(data)[start:]  # unseal's check without copying the body twice (17 MB: the guard's cache)
        digest = hashlib.sha256(path.name.encode() + b"\0")
        digest.update(body)
        if data[: len(magic)] != magic or data[len(magic) : start] != digest.digest():
            return None
        loaded = marshal.loads(body)
        if type(loaded) is tuple and len(loaded) == 2 and loaded[0] == version:
            return loaded[1]
    return None


def seeded(own: Path | None, seed: Path | None) -> Path | None:
    """The cache file to read: ``own``, or ``seed`` — another tree's cache of results kept by content, which hold
    for any tree — while ``own`` does not exist yet (a damaged ``own`` is not replaced by the seed: it reads as
    empty, as any damaged cache does)."""
    if own is not None and seed is not None and not own.exists():
        return seed
    return own


def keep(path: Path, magic: bytes, version: bytes | str, value: Any, private: bool = False) -> bool:
    """Store ``value`` (marshal's types) at ``path`` for ``version``, sealed, atomically; whether it was written (a
    cache that cannot be written only costs the next build the work). ``private``: readable by its owner only
    (0600, from its creation: the guard's results hold the personal numbers found)."""
    body = marshal.dumps((version, value))
    digest = hashlib.sha256(path.name.encode() + b"\0")
    digest.update(body)  # seal's, without copying the body twice (17 MB: the guard's cache)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.part")
        handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o666)  # (less umask)
        if private:
            os.fchmod(handle, 0o600)  # (a partial file left by a killed writer of the same pid keeps its mode)
        with open(handle, "wb") as out:
            out.write(magic + digest.digest())
            out.write(body)
        os.replace(partial, path)
    except OSError:
        return False
    return True


def _checksum(name: str, body: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\0" + body).digest()


def entries(folder: Path) -> Iterator[Path]:
    """The entry files under ``folder`` (``<2 hex>/<hex key>``, and partial ones), for pruning: only real
    folders and files named so — never what a symbolic link points to (a link in ``.cache/`` to a folder
    outside the project must not have that folder's files removed), nor a file of another program."""
    try:
        shards = [s for s in os.scandir(folder) if _SHARD.fullmatch(s.name) and s.is_dir(follow_symlinks=False)]
    except OSError:
        return
    for shard in shards:
        with contextlib.suppress(OSError), os.scandir(shard.path) as found:
            yield from (
                Path(e.path) for e in list(found) if _ENTRY.fullmatch(e.name) and e.is_file(follow_symlinks=False)
            )


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
