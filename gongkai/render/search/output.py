"""Writing the bundle's files: gzip on threads, and a file an earlier bundle holds already linked, not written.

Each file is known by the SHA-1 of its bytes before gzip (its key). After a build, the bundle's list of
files (key, path, the size, modification time, inode and change time each file had then, and the SHA-256 of its
bytes as stored: its sum) is kept in the search cache (cache.py) under the bundle's version, and stamped again once
the bundle is published (index.settle: publishing changes the change time of a file it links). Given the published
bundle (``previous``), its list is read back and a file of the same key is hard-linked from it instead of
compressed and written, if the file there still has the size, times and inode listed (else it is written
as in a cold build: the bytes are the same either way). The change time is what tells a file changed in
place with its modification time set back (``touch -r``): such a file was linked into every later bundle.
A file whose change time alone moved is taken when its bytes have the listed sum: a hard link made or removed
elsewhere moves it too (a backup of the site made with ``cp -al`` or ``rsync --link-dest``, the spare removed by
hand), and without the sum the whole bundle was written again (half a minute at county scale, against about a
second to read and sum it).

The staging tree may hold an earlier bundle already: the last old site, kept for the build's folders
(write.keep_spare, or made for it after a build that kept none: write.seed_spare), keeps the files of the bundle's
own folders (``OWN``: only this module writes there), and most of them are links of the published bundle's files, at
the path this build puts them. Writer takes such a folder over (renamed to the name this build gives it) and leaves
a file there that is the very file it would link (same inode as the published file ``Reuse.find`` vouches for): no
link, no change of the file's change time. Any other entry at a path it puts a file at is removed first, and every
file is written to a new inode (``O_EXCL``), never through an entry found there (it may be a link of a published
file); the entries of those folders it puts nothing at are unlinked before the bundle is listed (and so before the
leak guard runs).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
import zlib
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from ... import faults
from ...cancel import checkpoint
from ...write.paths import fresh_mode

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


OWN = ("gk", "index")
"""The bundle's folders whose subfolders (one per version: ``gk/<version>``, ``index/<hash>``) only Writer writes:
the last old site keeps their files (write.seed_spare links them when there is none) for the next build's Writer to
place its own over (write.recycled_staging)."""

Stat = tuple[int, int, int, int]  # size, modification time (ns), inode, change time (ns)

Entry = tuple[str, Stat, bytes]
"""A file of a bundle's list: its key (or path, keyed the other way), ``stat_of`` it, and its sum (``summed``)."""

SUM_BYTES = 32
"""The length of a sum (SHA-256)."""


def summed(stored: bytes) -> bytes:
    """A file's sum: the SHA-256 of its bytes as stored (gzipped or not), proving them byte for byte."""
    return hashlib.sha256(stored).digest()


def sum_of(path: str) -> bytes | None:
    """The sum of the file at path (never a link's target: O_NOFOLLOW); None when it cannot be read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        with open(fd, "rb") as file:
            return summed(file.read())
    except OSError:
        return None


Linked = Callable[[str, Stat], None]
"""Told that the earlier bundle's file at this path (in it) was just linked or a link of it removed, checked as
listed, or found with its change time alone moved and its bytes as listed (``Reuse.find``): it is now as the stat
says (a link made or removed, here or elsewhere, moves the file's change time)."""


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
    """The files of an earlier bundle in ``folder``: key → (path in it, stat_of it when listed, its sum). A file this
    build linked is listed again as linking left it (``linked``): a link moves the file's change time, and
    a second file of the same key (two pages of the same text), or the full build after a patch that could
    not be finished, would take it for a file changed since. So is a file found with its change time alone
    moved and its bytes of the listed sum (``find``)."""

    folder: Path | None = None
    files: dict[str, Entry] = field(default_factory=dict)
    taken: dict[str, Stat] = field(default_factory=dict)
    """Path in ``folder`` → its stat once this build linked it (its identity checked just before), or found it with
    its change time moved and its bytes as listed."""
    told: Linked | None = None
    """Told of each file linked, as ``taken`` is (a preview serving ``folder`` meanwhile: ``build_index``)."""
    mode: int | None = None
    """The mode of a file written into the bundle now (``paths.fresh_mode``, set by Writer): a file found by its sum is
    taken only with it, since a ``chmod`` by hand moves the change time alone (None: none is taken by its sum)."""
    _inodes: dict[int, str] | None = field(default=None, repr=False, compare=False)
    _known: Mapping[str, os.stat_result] | None = field(default=None, repr=False, compare=False)
    _prefix: str = field(default="", repr=False, compare=False)
    _moved: set[int] = field(default_factory=set, repr=False, compare=False)
    """The inodes of ``folder``'s files this build linked or unlinked a link of (their change time moved)."""
    placed: set[int] = field(default_factory=set, repr=False, compare=False)
    """The inodes of the files of ``folder`` found in place and told by ``known_now`` (``Writer.must_link_all``)
    that this build has not moved since (the walk's stat of each is still its own, but for racing writes)."""

    @classmethod
    def of(cls, folder: Path | None, listed: dict[str, Entry], told: Linked | None = None) -> Reuse:
        """The files of a bundle as the cache lists them (path → key, stat, sum)."""
        return cls(folder, {k: (path, stat, sum_) for path, (k, stat, sum_) in listed.items()}, told=told)

    def vouched(self, known: Mapping[str, os.stat_result], prefix: str, placed: set[int] | None = None) -> None:
        """``known``: the files of the site ``folder`` is the bundle of, by their path in it (``folder`` at
        ``prefix``), as a walk that vouched for that site as a whole found them earlier in this build
        (``unchanged.Tree.files``, ``build_index(..., known=)``): ``known_now`` tells one from them, not looked up,
        while nothing this build did moved it (a link made or removed; one removed whose inode is not known to be
        trusted: none is told any more). ``placed``: the set to keep ``placed`` in (the caller's)."""
        self._known, self._prefix = known, prefix
        if placed is not None:
            self.placed = placed

    def known_now(self, relative: str) -> Stat | None:
        """``stat_of`` the file at ``relative`` in ``folder`` as the vouching walk found it (``vouched``), while
        this build moved it in no way; None when not known so (then it is to be looked up)."""
        if self._known is None:
            return None
        found = self._known.get(self._prefix + relative)
        if found is None or found.st_ino in self._moved or not stat.S_ISREG(found.st_mode):
            return None
        return found.st_size, found.st_mtime_ns, found.st_ino, found.st_ctime_ns

    def find(self, key: str) -> Entry | None:
        """The earlier file of this key (its path), its stat and sum, if it is still the file listed: its stat the
        listed one, or that but for the change time and its bytes of the listed sum (then listed again so)."""
        found = self.files.get(key)
        if found is None or self.folder is None:
            return None
        path = os.path.join(self.folder, found[0])
        try:
            there = os.lstat(path)
            now = stat_from(there, path)
        except OSError:
            return None
        if now == found[1]:
            return path, now, found[2]
        if now[:3] != found[1][:3] or stat.S_IMODE(there.st_mode) != self.mode or sum_of(path) != found[2]:
            return None
        try:
            if stat_of(path) != now:  # written while it was read
                return None
        except OSError:
            return None
        self._listed_again(key, now)
        return path, now, found[2]

    def linked(self, key: str, now: Stat) -> None:
        """The file of ``key`` was just linked (checked as listed): it is now as ``now`` says."""
        self._moved.add(now[2])
        self.placed.discard(now[2])
        self._listed_again(key, now)

    def _listed_again(self, key: str, now: Stat) -> None:
        relative, _, sum_ = self.files[key]
        self.files[key] = (relative, now, sum_)
        self.taken[relative] = now
        if self.told is not None:
            self.told(relative, now)

    def unlink(self, path: str, inode: int | None) -> None:
        """Unlink ``path`` (of the staging tree; ``inode``: its inode as a walk found it, None when not trusted): when
        it was a link of a file listed here and still as listed, that file is listed again as unlinking left it
        (its change time moved; else a later link of it would take it for a file changed since)."""
        key = self._by_inode().get(inode) if inode is not None else None
        found = self.find(key) if key is not None else None
        try:
            os.unlink(path)
        except FileNotFoundError:
            return
        if inode is None:  # a link of which file, if of one: no file is told from the vouching walk any more
            self._known = None
            self.placed.clear()
        else:
            self._moved.add(inode)
            self.placed.discard(inode)
        if key is not None and found is not None:
            try:
                now = stat_of(found[0])
            except OSError:
                return
            if now[:3] == found[1][:3]:
                self.linked(key, now)

    def _by_inode(self) -> dict[int, str]:
        if self._inodes is None:
            self._inodes = {stat[2]: key for key, (_, stat, _) in self.files.items()}
        return self._inodes

    def device(self) -> int | None:
        """The device of ``folder`` (a file elsewhere with one of its inode numbers is another file)."""
        try:
            return os.lstat(self.folder).st_dev if self.folder is not None else None
        except OSError:
            return None


class NotLinked(Exception):
    """A file to be linked from the earlier bundle is not there as listed."""


class Writer:
    """Puts files into a bundle: linked from ``reuse`` where it can, else written (gzipped if asked) on threads;
    over what the bundle folder holds already (the kept old site's, or a patch's given up): see the module's
    docstring."""

    def __init__(self, bundle: Path, reuse: Reuse) -> None:
        self.bundle = bundle
        self.reuse = reuse
        self.keys: dict[str, str] = {}  # path in the bundle → key
        self.stats: dict[str, Stat] = {}  # path in the bundle → stat_of it, of the files linked
        self.sums: dict[str, bytes] = {}  # path in the bundle → its sum (the writing threads put theirs)
        self._root = str(bundle)
        self.linked = 0
        self.written = 0
        self.kept = 0
        """Files linked that were there already (the kept old site's links of the published bundle's)."""
        self._staged: dict[str, int | None] = {}  # path → inode of each file found (None: not to be trusted)
        self._dirs: set[str] = set()  # every folder found in the own folders
        self._free: dict[str, list[str]] = {name: [] for name in OWN}  # their subfolders not taken yet
        self._made: set[str] = set()  # folders this bundle puts files in
        bundle.mkdir(parents=True, exist_ok=True)
        if reuse.mode is None and reuse.folder is not None:
            reuse.mode = fresh_mode(bundle)
        self._take_stock()
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

    def _take_stock(self) -> None:
        """List what the bundle folder holds: every file of the own folders' subfolders with its inode (the
        directory entry's: no system call), trusted where its folder is on the published bundle's device; remove
        anything else (the top's files, anything but a regular file or a folder)."""
        device = self.reuse.device()
        with os.scandir(self._root) as entries:
            top = list(entries)
        for entry in top:
            if entry.name in OWN and entry.is_dir(follow_symlinks=False):
                _world_readable(entry)
                with os.scandir(entry.path) as inner:
                    versions = list(inner)
                for version in versions:
                    relative = f"{entry.name}/{version.name}"
                    if version.is_dir(follow_symlinks=False):
                        self._free[entry.name].append(version.name)
                        self._list(relative, version, device)
                    else:
                        self.reuse.unlink(version.path, None)
            elif entry.is_dir(follow_symlinks=False):
                self._list(entry.name, entry, device)
                self._remove(entry.name)
            else:
                self.reuse.unlink(entry.path, entry.inode() if entry.is_file(follow_symlinks=False) else None)
        self._free = {name: sorted(found) for name, found in self._free.items()}

    def _list(self, relative: str, folder: os.DirEntry[str], device: int | None) -> None:
        stack = [(relative, folder)]
        while stack:
            relative, folder = stack.pop()
            self._dirs.add(relative)
            trusted = _world_readable(folder).st_dev == device
            with os.scandir(folder.path) as entries:
                for entry in entries:
                    inner = f"{relative}/{entry.name}"
                    if entry.is_dir(follow_symlinks=False):
                        stack.append((inner, entry))
                    elif entry.is_file(follow_symlinks=False):
                        self._staged[inner] = entry.inode() if trusted else None
                    else:  # a symbolic link, a FIFO …: never a file of the bundle
                        os.unlink(entry.path)

    def _remove(self, relative: str) -> None:
        """Remove the entry found at relative (a file, or a folder with all it holds), unless it is not there."""
        prefix = relative + "/"
        if relative in self._staged:
            self.reuse.unlink(os.path.join(self._root, relative), self._staged.pop(relative))
        elif relative in self._dirs:
            for inner in [p for p in self._staged if p.startswith(prefix)]:
                self.reuse.unlink(os.path.join(self._root, inner), self._staged.pop(inner))
            shutil.rmtree(os.path.join(self._root, relative))
            self._dirs = {d for d in self._dirs if d != relative and not d.startswith(prefix)}

    def folder(self, relative: str, inner: tuple[str, ...] = ()) -> None:
        """Make the folder ``relative`` (``<own folder>/<name>``, OWN) and its ``inner`` folders for files to be put
        in: a folder of the same own folder that the bundle holds already, taken over (renamed), else a new one."""
        own, _, name = relative.partition("/")
        free = self._free[own]
        if own == "gk" and free:  # the chunks placed, the pages' files next
            faults.pause_at("placing")  # (tests) a build killed while it places its files over the kept ones
        if name in free:
            free.remove(name)
        elif free:
            self._move(f"{own}/{free.pop(0)}", relative)
        else:
            os.makedirs(os.path.join(self._root, relative))
        self._made.add(relative)
        for folder in inner:
            path = f"{relative}/{folder}"
            if path not in self._dirs:
                self._remove(path)
                os.mkdir(os.path.join(self._root, path))
            self._made.add(path)

    def _move(self, before: str, after: str) -> None:
        os.rename(os.path.join(self._root, before), os.path.join(self._root, after))
        prefix, size = before + "/", len(before)
        self._staged = {(after + p[size:] if p.startswith(prefix) else p): i for p, i in self._staged.items()}
        self._dirs = {(after + d[size:] if d == before or d.startswith(prefix) else d) for d in self._dirs}
        self._made = {(after + d[size:] if d == before or d.startswith(prefix) else d) for d in self._made}

    def put(self, relative: str, data: bytes, *, gzip: bool = False, digest: str | None = None) -> str:
        """Put data (gzipped if asked) at relative; return its key (the hex digest of data, given or not)."""
        key = digest or hashlib.sha1(data).hexdigest()
        self.keys[relative] = key
        if self.link(relative, key):
            return key
        self._remove(relative)
        self.written += 1
        self.later(_write, os.path.join(self._root, relative), data, gzip, self.sums, relative)
        return key

    def link(self, relative: str, key: str) -> bool:
        """Link the earlier file of this key at relative, if reuse holds it; whether it did. The file found there
        already is left when it is that file."""
        checkpoint()  # every file the bundle writes or links comes here (gongkai serve: a newer edit stops the index)
        found = self.reuse.find(key)
        if found is None:
            return False
        source, stat, sum_ = found
        if self._staged.get(relative, 0) == stat[2]:
            del self._staged[relative]
            self.kept += 1
        else:
            self._remove(relative)
            target = os.path.join(self._root, relative)
            try:
                os.link(source, target)
            except OSError:
                return False  # another file system, say
            stat = stat_of(target)  # linking moved the file's change time
            self.reuse.linked(key, stat)
        self.stats[relative] = stat
        self.sums[relative] = sum_
        self.keys[relative] = key
        self.linked += 1
        return True

    def must_link(self, relative: str, key: str) -> None:
        """Link the earlier file of this key at relative; NotLinked if reuse does not hold it (any more)."""
        if not self.link(relative, key):
            raise NotLinked(f"{relative}: the earlier file of its key is gone or changed")

    def must_link_all(self, pairs: list[tuple[str, str]]) -> None:
        """``must_link`` of each (relative, key), in a loop of its own for the many files a patch links: a file of
        the published bundle found in place already (the kept old site's link of it, as listed) is taken here, any
        other the general way."""
        files, staged, stats, keys, sums = self.reuse.files, self._staged, self.stats, self.keys, self.sums
        folder = os.fspath(self.reuse.folder) if self.reuse.folder is not None else None
        join, lstat, regular, known_now = os.path.join, os.lstat, stat.S_ISREG, self.reuse.known_now
        for relative, key in pairs:
            checkpoint()  # (a patch's files found in place do not come to ``link``)
            found = files.get(key)
            if found is not None and folder is not None:
                listed = found[1]
                if staged.get(relative, 0) == listed[2]:
                    now = told = known_now(found[0])  # (~49 000 at county scale: the detect walk's, no lstat)
                    if now is None:
                        try:
                            there = lstat(join(folder, found[0]))
                        except OSError:
                            there = None
                        if there is not None and regular(there.st_mode):
                            now = (there.st_size, there.st_mtime_ns, there.st_ino, there.st_ctime_ns)
                    if now == listed:
                        if told is not None:
                            self.reuse.placed.add(listed[2])
                        del staged[relative]
                        stats[relative] = listed
                        sums[relative] = found[2]
                        keys[relative] = key
                        self.kept += 1
                        self.linked += 1
                        continue
            self.must_link(relative, key)

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
        """Rename a folder of the bundle (its files written: wait first); a folder found at ``after`` goes first."""
        self.wait()
        own, _, name = after.partition("/")
        if name in self._free.get(own, ()):
            self._free[own].remove(name)
            self._remove(after)
        self._move(before, after)
        prefix = before.rstrip("/") + "/"
        for relative in [r for r in self.keys if r.startswith(prefix)]:
            moved = after.rstrip("/") + "/" + relative.removeprefix(prefix)
            self.keys[moved] = self.keys.pop(relative)
            if relative in self.stats:
                self.stats[moved] = self.stats.pop(relative)
            if relative in self.sums:
                self.sums[moved] = self.sums.pop(relative)

    def note(self, relative: str) -> None:
        """Add a file written otherwise to the list (keyed by its bytes)."""
        data = (self.bundle / relative).read_bytes()
        self.keys[relative] = hashlib.sha1(data).hexdigest()
        self.sums[relative] = summed(data)

    def listing(self) -> dict[str, Entry]:
        """Every file put or noted, as the cache keeps it: path → (key, stat_of it now, its sum); what the bundle
        folder held and this bundle does not is gone first."""
        self.wait()
        self._sweep()
        root, sums = self._root, self.sums
        return {
            relative: (key, self.stats.get(relative) or stat_of(os.path.join(root, relative)), sums[relative])
            for relative, key in self.keys.items()
        }

    def _sweep(self) -> None:
        """Unlink the files found in the bundle folder that nothing was put over, and the folders left empty."""
        for relative, inode in self._staged.items():
            self.reuse.unlink(os.path.join(self._root, relative), inode)
        self._staged.clear()
        for relative in sorted(self._dirs - self._made, key=lambda d: d.count("/"), reverse=True):
            with contextlib.suppress(OSError):  # not empty: a file was put there after all
                os.rmdir(os.path.join(self._root, relative))
        self._dirs &= self._made
        self._free = {name: [] for name in OWN}


def _world_readable(folder: os.DirEntry[str]) -> os.stat_result:
    """The folder's lstat, after making it world-readable as a new folder is (as write._empty does)."""
    found = folder.stat(follow_symlinks=False)
    if stat.S_IMODE(found.st_mode) != 0o755:
        os.chmod(folder.path, 0o755)
    return found


def _write(target: str, data: bytes, gzip: bool, sums: dict[str, bytes], relative: str) -> None:
    """Write a new file at target (``x``: never through a file found there, which may be a link of a published one),
    its sum in ``sums`` at ``relative``."""
    stored = gzipped(data) if gzip else data
    with open(target, "xb") as file:
        file.write(stored)
    sums[relative] = summed(stored)
