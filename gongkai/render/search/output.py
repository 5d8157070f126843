"""Writing the bundle's files: gzip on threads, and a file an earlier bundle holds already linked, not written.

Each file is known by the SHA-1 of its bytes before gzip (its key). After a build, the bundle's list of
files (key, path, and the size, modification time, inode and change time each file had then) is kept in
the search cache (cache.py) under the bundle's version, and stamped again once the bundle is published
(index.settle: publishing changes the change time of a file it links). Given the published bundle
(``previous``), its list is read back and a file of the same key is hard-linked from it instead of
compressed and written, if the file there still has the size, times and inode listed (else it is written
as in a cold build: the bytes are the same either way). The change time is what tells a file changed in
place with its modification time set back (``touch -r``): such a file was linked into every later bundle.
"""

from __future__ import annotations

import hashlib
import os
import stat
import zlib
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

GZIP_LEVEL = 5
"""Pagefind files are stored gzipped: level 5 is 4 % larger than 9 at a twelfth of the time, and 2.6 %
larger than 7 at a third of it (word chunks of the medium synthetic county)."""

THREADS = 2
"""Threads compressing and writing files (zlib works outside Python's lock)."""

_PENDING = 16
"""Files handed to the threads and not yet written, at most (their bytes are in memory)."""


def gzipped(data: bytes) -> bytes:
    """data gzipped without a time stamp (a gzip header of zlib's, the same on every machine)."""
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)
    return compressor.compress(data) + compressor.flush()


Stat = tuple[int, int, int, int]  # size, modification time (ns), inode, change time (ns)


def stat_of(path: Path) -> Stat:
    """What tells a file of the list from another file at its path (the file itself, not a link's target)."""
    found = os.lstat(path)
    if not stat.S_ISREG(found.st_mode):
        raise OSError(f"{path} is not a regular file")
    return found.st_size, found.st_mtime_ns, found.st_ino, found.st_ctime_ns


@dataclass
class Reuse:
    """The files of an earlier bundle in ``folder``: key → (path in it, stat_of it when listed)."""

    folder: Path | None = None
    files: dict[str, tuple[str, Stat]] = field(default_factory=dict)

    def find(self, key: str) -> Path | None:
        """The earlier file of this key, if it is still the file listed."""
        found = self.files.get(key)
        if found is None or self.folder is None:
            return None
        path = self.folder / found[0]
        try:
            return path if stat_of(path) == found[1] else None
        except OSError:
            return None


class Writer:
    """Puts files into a bundle: linked from ``reuse`` where it can, else written (gzipped if asked) on threads."""

    def __init__(self, bundle: Path, reuse: Reuse) -> None:
        self.bundle = bundle
        self.reuse = reuse
        self.keys: dict[str, str] = {}  # path in the bundle → key
        self.linked = 0
        self.written = 0
        self._pool = ThreadPoolExecutor(THREADS, thread_name_prefix="gongkai-search-write")
        self._pending: deque[Future[None]] = deque()

    def __enter__(self) -> Writer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        try:
            self.wait()
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def put(self, relative: str, data: bytes, *, gzip: bool = False) -> bytes:
        """Put data (gzipped if asked) at relative; return its key (the digest of data)."""
        digest = hashlib.sha1(data).digest()
        key = digest.hex()
        self.keys[relative] = key
        target = self.bundle / relative
        source = self.reuse.find(key)
        if source is not None:
            try:
                os.link(source, target)
                self.linked += 1
                return digest
            except OSError:
                pass  # another file system, say: write it
        self.written += 1
        while len(self._pending) >= _PENDING:
            self._pending.popleft().result()
        self._pending.append(self._pool.submit(_write, target, data, gzip))
        return digest

    def wait(self) -> None:
        """Wait until every file handed to the threads is written (raising what failed)."""
        while self._pending:
            self._pending.popleft().result()

    def rename(self, before: str, after: str) -> None:
        """Rename a folder of the bundle (its files written: wait first)."""
        self.wait()
        (self.bundle / before).rename(self.bundle / after)
        prefix = before.rstrip("/") + "/"
        for relative in [r for r in self.keys if r.startswith(prefix)]:
            self.keys[after.rstrip("/") + "/" + relative.removeprefix(prefix)] = self.keys.pop(relative)

    def note(self, relative: str) -> None:
        """Add a file written otherwise to the list (keyed by its bytes)."""
        self.keys[relative] = hashlib.sha1((self.bundle / relative).read_bytes()).hexdigest()

    def listing(self) -> dict[str, tuple[str, Stat]]:
        """Every file put or noted, as the cache keeps it: path → (key, stat_of it now)."""
        self.wait()
        return {relative: (key, stat_of(self.bundle / relative)) for relative, key in self.keys.items()}


def _write(target: Path, data: bytes, gzip: bool) -> None:
    target.write_bytes(gzipped(data) if gzip else data)
