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
from collections.abc import Callable
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

Linked = Callable[[str, Stat], None]
"""Told that the earlier bundle's file at this path (in it) was just linked, checked as listed: it is now as the
stat says (a link moves the file's change time)."""


def stat_of(path: Path | str) -> Stat:
    """What tells a file of the list from another file at its path (the file itself, not a link's target)."""
    return stat_from(os.lstat(path), path)


def stat_from(found: os.stat_result | None, path: Path | str = "") -> Stat:
    """``stat_of`` from what an lstat or a walk found (None: not there)."""
    if found is None or not stat.S_ISREG(found.st_mode):
        raise OSError(f"{path} is not a regular file")
    return found.st_size, found.st_mtime_ns, found.st_ino, found.st_ctime_ns


@dataclass
class Reuse:
    """The files of an earlier bundle in ``folder``: key → (path in it, stat_of it when listed). A file this
    build linked is listed again as linking left it (``linked``): a link moves the file's change time, and
    a second file of the same key (two pages of the same text), or the full build after a patch that could
    not be finished, would take it for a file changed since."""

    folder: Path | None = None
    files: dict[str, tuple[str, Stat]] = field(default_factory=dict)
    taken: dict[str, Stat] = field(default_factory=dict)
    """Path in ``folder`` → its stat once this build linked it (its identity checked just before)."""
    told: Linked | None = None
    """Told of each file linked, as ``taken`` is (a preview serving ``folder`` meanwhile: ``build_index``)."""

    @classmethod
    def of(cls, folder: Path | None, listed: dict[str, tuple[str, Stat]], told: Linked | None = None) -> Reuse:
        """The files of a bundle as the cache lists them (path → key, stat)."""
        return cls(folder, {k: (path, stat) for path, (k, stat) in listed.items()}, told=told)

    def find(self, key: str) -> tuple[str, Stat] | None:
        """The earlier file of this key and its stat, if it is still the file listed."""
        found = self.files.get(key)
        if found is None or self.folder is None:
            return None
        path = os.path.join(self.folder, found[0])
        try:
            return (path, found[1]) if stat_of(path) == found[1] else None
        except OSError:
            return None

    def linked(self, key: str, now: Stat) -> None:
        """The file of ``key`` was just linked (checked as listed): it is now as ``now`` says."""
        relative = self.files[key][0]
        self.files[key] = (relative, now)
        self.taken[relative] = now
        if self.told is not None:
            self.told(relative, now)

    def relisted(self, listed: dict[str, tuple[str, Stat]]) -> dict[str, tuple[str, Stat]]:
        """``listed`` with the files this build linked (and unlinked again: a patch given up) as they are now,
        where only their change time moved."""
        files = dict(listed)
        for relative in self.taken:
            key, before = listed[relative]
            try:
                now = stat_of(os.path.join(self.folder or "", relative))
            except OSError:
                continue
            if now[:3] == before[:3]:
                files[relative] = (key, now)
        return files


class NotLinked(Exception):
    """A file to be linked from the earlier bundle is not there as listed."""


class Writer:
    """Puts files into a bundle: linked from ``reuse`` where it can, else written (gzipped if asked) on threads."""

    def __init__(self, bundle: Path, reuse: Reuse) -> None:
        self.bundle = bundle
        self.reuse = reuse
        self.keys: dict[str, str] = {}  # path in the bundle → key
        self.stats: dict[str, Stat] = {}  # path in the bundle → stat_of it, of the files linked
        self._root = str(bundle)
        self.linked = 0
        self.written = 0
        self._pool = ThreadPoolExecutor(THREADS, thread_name_prefix="gongkai-search-write")
        self._pending: deque[Future[object]] = deque()

    def __enter__(self) -> Writer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        try:
            self.wait()
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def put(self, relative: str, data: bytes, *, gzip: bool = False, digest: str | None = None) -> str:
        """Put data (gzipped if asked) at relative; return its key (the hex digest of data, given or not)."""
        key = digest or hashlib.sha1(data).hexdigest()
        self.keys[relative] = key
        if self.link(relative, key, count=False):
            return key
        self.written += 1
        self.later(_write, os.path.join(self._root, relative), data, gzip)
        return key

    def link(self, relative: str, key: str, *, count: bool = True) -> bool:
        """Link the earlier file of this key at relative, if reuse holds it; whether it did."""
        found = self.reuse.find(key)
        if found is None:
            return False
        target = os.path.join(self._root, relative)
        try:
            os.link(found[0], target)
        except OSError:
            return False  # another file system, say
        self.stats[relative] = stat_of(target)  # linking moved the file's change time
        self.reuse.linked(key, self.stats[relative])
        self.keys[relative] = key
        self.linked += 1
        return True

    def must_link(self, relative: str, key: str) -> None:
        """Link the earlier file of this key at relative; NotLinked if reuse does not hold it (any more)."""
        if not self.link(relative, key):
            raise NotLinked(f"{relative}: the earlier file of its key is gone or changed")

    def later(self, function: Callable[..., object], *args: object) -> None:
        """Call function(*args) on the threads (its errors raised by wait)."""
        while len(self._pending) >= _PENDING:
            self._pending.popleft().result()
        self._pending.append(self._pool.submit(function, *args))

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
            moved = after.rstrip("/") + "/" + relative.removeprefix(prefix)
            self.keys[moved] = self.keys.pop(relative)
            if relative in self.stats:
                self.stats[moved] = self.stats.pop(relative)

    def note(self, relative: str) -> None:
        """Add a file written otherwise to the list (keyed by its bytes)."""
        self.keys[relative] = hashlib.sha1((self.bundle / relative).read_bytes()).hexdigest()

    def listing(self) -> dict[str, tuple[str, Stat]]:
        """Every file put or noted, as the cache keeps it: path → (key, stat_of it now)."""
        self.wait()
        root = self._root
        return {
            relative: (key, self.stats.get(relative) or stat_of(os.path.join(root, relative)))
            for relative, key in self.keys.items()
        }


def _write(target: str, data: bytes, gzip: bool) -> None:
    with open(target, "wb") as file:
        file.write(gzipped(data) if gzip else data)
