"""Scan every file of a built site for personal numbers before it is published; a file that cannot be read is not.

Every file is read by ``readers`` (pages, feeds, open data, the search bundle, XLSX, PDF, pictures,
fonts …) and its path is read too. Results are cached by content hash, so an unchanged page costs a hash.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..cachefile import identity
from ..cancel import checkpoint
from ..mounts import mount_table
from ..workers import mapped
from .patterns import Found
from .readers import MAX_FILE, Active, Unreadable
from .scan import FileScan, ScanCache, cache_key, file_identity, scan_bytes

SITE_CACHE = "site.bin"
_CLEAN = FileScan()
"""The result of every file known clean (``ScanCache.clean``), shared: only read."""
_PARALLEL_FROM = 64  # files to read before a process pool pays for itself
_CHUNK = 16


@dataclass(frozen=True, order=True)
class Leak:
    """A personal number in one output file; ``path`` is relative to the site root."""

    path: str
    found: Found
    where: str = field(default="", compare=False)
    """The part of the file (「第 2 页」, 「文件名」), for the message."""


@dataclass(frozen=True, order=True)
class Unread:
    """An output file the guard could not read completely: it is not published."""

    path: str
    reason: str
    fix: str
    active: bool = field(default=False, compare=False)
    """Refused for what it would run (a script, a macro, an embedded file), not for what could not be read."""


@dataclass
class SiteScan:
    """What the guard found in a staged site."""

    leaks: list[Leak] = field(default_factory=list)
    unreadable: list[Unread] = field(default_factory=list)
    digests: dict[str, str] = field(default_factory=dict, compare=False)
    """Each file read or vouched for: its content key (``scan.cache_key``, the SHA-256 of its bytes within)."""
    inodes: set[int] = field(default_factory=set, compare=False)
    """The inode of every file scanned (``write.part``: the old site's files linked into this one)."""
    paths: list[str] = field(default_factory=list, compare=False)
    """Every folder and file found, by its path (``unchanged.listed_digest``: the site published, not walked)."""
    stats: dict[str, os.stat_result] = field(default_factory=dict, compare=False)
    """Every file found, by its path, with its ``lstat`` as the guard knew it: looked up by this scan, before it read
    the file, or (``told``) the published site's walk's, the file known by its directory entry (``_files``)."""
    told: set[str] = field(default_factory=set, compare=False)
    """The files of ``stats`` known by their directory entry: their stat is the detect walk's, older than this scan."""
    agree: bool = field(default=True, compare=False)
    """Whether each file's directory entry named its inode (``DirEntry.inode() == st_ino``) where a ``stat`` was
    made, the others being known by that very number (``unchanged.recorded_listing``: the next build's listed tree)."""


def scan_site(
    site_dir: Path,
    allow: frozenset[str] | Callable[[Found], bool],
    cache_dir: Path | None = None,
    linked: Collection[str] = frozenset(),
    published: Collection[tuple[int, int]] | None = None,
    seed: Path | None = None,
    unwritten: Mapping[str, tuple[int, ...]] | None = None,
    later: str = "",
    between: Callable[[], None] | None = None,
) -> SiteScan:
    """Every personal number in every file (and file name) under ``site_dir``, except the allowed ones.

    ``linked`` names the files linked unchanged from a site this guard passed (write/reuse.py vouches that
    they are the very files, unwritten since); ``published`` are the files (device, inode) of such a site as a
    whole (write/unchanged.py vouches that it is the tree a guarded build published, unwritten since): a file
    of ``site_dir`` that is one of them, at any path, is vouched for too. Those are known by their identity,
    not read again. When ``published`` maps each to its ``os.stat_result`` (``unchanged.Tree.inodes``), a
    regular file whose directory entry names one of those inodes is that file: it is not even looked up (at
    county scale 74 000 ``stat`` calls). Every other file is read, a link into a cache too (a file changed in
    place may keep its size and time). ``seed``: a folder of another tree's caches, read while ``cache_dir`` has
    none (``ScanCache``). ``unwritten``: files linked from a site this guard passed, each with its identity as the
    link left it (``cachefile.identity``, change time included): vouched for only while the scan finds it so — a
    write in place since, even one that kept the size and set the time back, moved the change time.

    ``later``: a folder at the top of ``site_dir`` scanned last, after ``between()`` returns (a build's search
    bundle, written meanwhile by another process: commands/build.py)."""
    permits = allow if callable(allow) else (lambda found: found.number in allow)
    known, one_device = None, True
    if isinstance(published, Mapping):
        mounted, one_device = _mounts_under(site_dir)
        known = None if mounted else published
    cache = ScanCache(cache_dir / SITE_CACHE if cache_dir else None, seed / SITE_CACHE if seed else None)
    result = SiteScan()
    for part in ("", later) if later else ("",):
        if part and between is not None:
            between()
        files, vouched, inodes, folders, agree = _files(site_dir, known, one_device, later, part)
        by_entry = set(vouched)
        if published is not None or linked or unwritten:
            vouched |= _vouched(files if len(vouched) < len(files) else [], vouched, linked, published, unwritten)
        result.inodes |= inodes
        result.paths += folders
        result.paths += [name for name, _ in files]
        result.stats.update(files)
        result.told |= by_entry
        result.agree = result.agree and agree
        _scanned(site_dir, files, cache, vouched, permits, result)
    cache.save()
    result.leaks.sort()
    return result


def _scanned(
    site_dir: Path,
    files: list[tuple[str, os.stat_result]],
    cache: ScanCache,
    vouched: set[str],
    permits: Callable[[Found], bool],
    result: SiteScan,
) -> None:
    """Scan ``files`` (of ``site_dir``) into ``result``: their content keys, leaks and unreadable files."""
    outcomes = _scan_all(site_dir, files, cache, vouched)
    digests = result.digests
    name_spots = cache.name
    for (name, _), (outcome, key) in zip(files, outcomes, strict=True):
        if key:
            digests[name] = key
        if isinstance(outcome, Unread):
            result.unreadable.append(Unread(name, outcome.reason, outcome.fix, outcome.active))
            continue
        spots = name_spots(name)
        if outcome.spots:
            spots = [*spots, *outcome.spots]
        if not spots:
            continue
        seen: set[Found] = set()
        for spot in spots:  # (nearly always none)
            if spot.found not in seen and not permits(spot.found):
                seen.add(spot.found)
                result.leaks.append(Leak(name, spot.found, spot.where))


def _files(
    site_dir: Path,
    known: Mapping[tuple[int, int], os.stat_result] | None = None,
    one_device: bool = True,
    skip: str = "",
    only: str = "",
) -> tuple[list[tuple[str, os.stat_result]], set[str], set[int], list[str], bool]:
    """Every entry under ``site_dir`` but its folders, by path (sorted), as the file system knows it; the names
    of those known by their directory entry alone (a regular file whose inode is one of ``known``'s: it is
    that file, and ``known`` holds its ``stat``); the inode of every file; every folder; whether the directory
    entry of each file looked up named its inode (``SiteScan.agree``).

    ``DirEntry.inode()`` and ``is_file`` come from the directory listing itself (no system call); the device is
    the top folder's (``scan_site`` passes ``known`` only when nothing is mounted below it), and, unless
    ``one_device`` (a file system that has no devices but its mounts: ext4, XFS, tmpfs …), each folder's is checked
    against it (a btrfs subvolume is a device of its own, mounted nowhere: one stat a folder).

    ``skip``: the entry at the top of that name left out, whatever it is; ``only``: the entry at the top of that name
    walked alone, whatever it is now (a folder, or a file or link listed as one; nothing when there is none)."""
    found: list[tuple[str, os.stat_result]] = []
    by_entry: set[str] = set()
    inodes: set[int] = set()
    folders: list[str] = []
    agree = True
    device = os.lstat(site_dir).st_dev if known is not None else 0
    stack: list[tuple[str, str, bool]] = [("", os.fspath(site_dir), known is not None)]
    if only:
        top = os.path.join(site_dir, only)
        try:
            here = os.lstat(top)
        except FileNotFoundError:
            return found, by_entry, inodes, folders, agree
        if not stat.S_ISDIR(here.st_mode):
            return [(only, here)], by_entry, {here.st_ino}, folders, agree
        folders.append(only)
        trusted = known is not None and (one_device or here.st_dev == device)
        stack = [(only + "/", top, trusted)]
    while stack:
        checkpoint()  # (gongkai serve: a newer edit stops the search index and its guard, cancel.py)
        prefix, folder, trusted = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                name = prefix + entry.name
                if not prefix and name == skip:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    folders.append(name)
                    # A folder on another device, mounted or not (a btrfs subvolume: /proc/self/mountinfo does not
                    # list it), numbers its inodes by itself: its entries are looked up (one stat a folder).
                    inner = trusted and (one_device or entry.stat(follow_symlinks=False).st_dev == device)
                    stack.append((name + "/", entry.path, inner))
                    continue
                if trusted and known is not None and entry.is_file(follow_symlinks=False):
                    inode = entry.inode()
                    same = known.get((device, inode))
                    if same is not None:
                        found.append((name, same))
                        by_entry.add(name)
                        inodes.add(inode)
                        continue
                here = entry.stat(follow_symlinks=False)
                found.append((name, here))
                inodes.add(here.st_ino)
                if agree and entry.inode() != here.st_ino:
                    agree = False
    found.sort(key=lambda item: item[0].replace("/", "\0"))  # component by component: "/" before any character
    return found, by_entry, inodes, folders, agree


_ONE_DEVICE = frozenset({"ext2", "ext3", "ext4", "xfs", "tmpfs", "f2fs", "jfs", "reiserfs", "vfat", "exfat", "ntfs3"})
"""File systems whose folders are all of the device of their mount (no subvolumes of their own device)."""


def _mounts_under(folder: Path) -> tuple[bool, bool]:
    """Whether anything is mounted below ``folder`` (a file there could then share an inode number with one of the
    published site, on another device), True when it cannot be told (no ``/proc``); and whether the file system
    holding it is one of ``_ONE_DEVICE`` (else a folder below may be a device of its own, mounted nowhere: a btrfs
    subvolume)."""
    below = os.fsencode(os.path.realpath(folder)) + b"/"
    table = mount_table()
    if table is None:
        return True, False
    points, kinds = [point for point, _ in table], [kind for _, kind in table]
    holding = [i for i, point in enumerate(points) if below.startswith(point.rstrip(b"/") + b"/")]
    one_device = bool(holding) and kinds[max(holding, key=lambda i: len(points[i]))] in _ONE_DEVICE
    return any(point.startswith(below) for point in points), one_device


def _vouched(
    files: list[tuple[str, os.stat_result]],
    known: set[str],
    linked: Collection[str],
    published: Collection[tuple[int, int]] | None,
    unwritten: Mapping[str, tuple[int, ...]] | None = None,
) -> set[str]:
    """The files (other than those ``known`` already) known to be ones this guard passed: linked by reuse, or a
    file of the published site (at any path: the search bundle links its unchanged files into renamed
    folders), by device and inode, or linked and found as the link left it (``unwritten``)."""
    return {
        name
        for name, found in files
        if name not in known
        and found.st_nlink > 1
        and (
            name in linked
            or (published is not None and (found.st_dev, found.st_ino) in published)
            or (unwritten is not None and unwritten.get(name) == identity(found))
        )
    }


def _scan_all(
    site_dir: Path, files: list[tuple[str, os.stat_result]], cache: ScanCache, vouched: set[str]
) -> list[tuple[FileScan | Unread, str]]:
    """Each file's result and content key: from the cache by content hash, the others read (in a process
    pool when many)."""
    outcomes: list[tuple[FileScan | Unread | None, str]] = []
    missing: list[tuple[int, str]] = []
    recall, remember, clean, get, known_clean = cache.known, cache.remember, cache.clean, cache.get, cache.known_clean
    regular = stat.S_ISREG
    for index, (name, found) in enumerate(files):
        checkpoint()
        if not regular(found.st_mode) or found.st_size > MAX_FILE:
            outcomes.append((_refused(found, name), ""))
            continue
        identity = file_identity(found, name)
        if name in vouched:  # nearly every file of a build: the one scanned before, and clean
            key = known_clean(identity)
            if key is not None:
                outcomes.append((_CLEAN, key))
                continue
        # A file vouched for is the one scanned before: its content key is remembered.
        key = (recall(identity) if name in vouched else None) or cache_key((site_dir / name).read_bytes(), name, False)
        remember(identity, key)
        if clean(key):  # nearly every file: one result for all, read only
            outcomes.append((_CLEAN, key))
            continue
        cached = get(key)
        outcomes.append((cached, key))
        if cached is None:
            missing.append((index, key))
    jobs = [(site_dir / files[i][0], files[i][0]) for i, _ in missing]
    fresh = mapped(_scan_one, jobs, pooled_from=_PARALLEL_FROM, chunksize=_CHUNK)
    for (index, key), outcome in zip(missing, fresh, strict=True):
        outcomes[index] = (outcome, key)
        if isinstance(outcome, FileScan):
            cache.put(key, outcome)
    return [(o, k) for o, k in outcomes if o is not None]


def _refused(found: os.stat_result, name: str) -> Unread:
    if stat.S_ISLNK(found.st_mode):
        return Unread(name, "是符号链接，不是普通文件", "网站里只能有普通文件；请删除这个链接，把文件本身放进来")
    if not stat.S_ISREG(found.st_mode):  # a FIFO, a socket, a device: never read (a FIFO would block the guard)
        fix = "网站里只能有普通文件；请删除它，把要发布的文件本身放进来"
        return Unread(name, "是管道、套接字或设备文件，不是普通文件", fix)
    return Unread(name, f"文件过大（{found.st_size // 1024 // 1024} MB）", "请压缩或拆分后再发布")


def _scan_one(job: tuple[Path, str]) -> FileScan | Unread:
    path, name = job
    try:
        return scan_bytes(path.read_bytes(), name, lines=False)
    except Unreadable as unreadable:
        return Unread(name, unreadable.reason, unreadable.fix, isinstance(unreadable, Active))
    except MemoryError:
        return Unread(name, "内存不足，无法读完", "请拆分这个文件，或把它转换为 PDF")
