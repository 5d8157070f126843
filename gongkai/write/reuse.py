"""Reuse of the published site's unchanged files: a build hard-links them into its staging directory.

Each build records, for every page and file it could reuse next time, the key of what shaped it
(``render/site/keys.py``), the identity of the file it published (device, inode, size, modification
and change time) and the SHA-256 of its content. The next build links a file over only when the key is
the same and the file is still the one that build wrote: its identity unchanged (no write since: even
one in place with the time set back by ``touch -r`` moves the change time, which cannot be set back),
or, when the identity moved but the size did not, its content hashed again and equal. The change time
also moves for reasons that change no byte — another hard link made or removed (``cp -al`` or
``rsync --link-dest`` backups, the old site removed after a swap), a copy restored from a backup — and
those files cost a hash, not a rebuild. So a site changed by hand is never trusted, and a manifest left
behind by a killed build can only cost a rebuild, never a wrong page. The leak guard reads every file
again but those linked here (``taken``), which it scanned when it published them. Assumed: while a
build runs, nothing but gongkai writes the published site.

The manifest is kept outside the site, in the project's ``.cache/site/`` (one per output directory).
Linking never writes through a link: MkDocs is told the file is unchanged and leaves it alone, and
every other stage writes into names nothing links to.

The staging directory may hold the files to link already: the last old site, kept as the build's folders
(``write.recycled_staging(..., staged=)``), keeps its links of the files the site published after it holds too
(``write.part(..., pages=)``; after a build that kept no old site, ``write.seed_spare`` made such links). ``take``
leaves such a file where it is the very published file it would link (same device and inode as the file it vouched
for): no link made now, none unlinked at the swap. Any other file found there is unlinked before one is linked at
its path, and ``sweep`` unlinks those no page took before anything is written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .. import faults
from ..cachefile import identity, keep, read_kept
from .paths import OutputDir, fresh_mode

_ABSENT = -1
"""No file staged at a path (``Reuse.staged``; an inode is never negative)."""

VERSION = 4
"""Of the manifest's layout: a manifest of another version is ignored (one full build). Since 4 a sealed
marshal file (``cachefile.keep``), not JSON: decoding 24 000 entries of JSON took a second at county scale."""
_MAGIC = b"gk-site-manifest-4\0"
CACHE_DIR = ".cache/site"


@dataclass
class Reuse:
    """What the published site at ``site_dir`` offers a build writing into ``staging``."""

    site_dir: Path
    staging: Path
    manifest: Path
    previous: dict[str, list[object]] = field(default_factory=dict)
    """dest URI → [key, device, inode, size, mtime_ns, ctime_ns, sha256] of the published file."""
    keys: dict[str, str] = field(default_factory=dict)
    """dest URI → key, of this build."""
    taken: set[str] = field(default_factory=set)
    """dest URIs linked from the published site in this build."""
    linked: int = 0
    """Files taken (linked, or found in place: ``kept``)."""
    kept: int = 0
    """Files taken that the staging directory held already: the kept old site's links of the published ones."""
    built: int = 0
    in_place: dict[int, os.stat_result] = field(default_factory=dict)
    """Of the files taken that the staging directory held already (``kept``): inode → the published file's lstat
    when taken (this build made no link of it, nor removed one)."""
    saved: dict[str, list[object]] | None = None
    """What ``save`` recorded (a long-lived process passes it to the next ``open`` instead of reading it back)."""
    staged: dict[str, int | None] = field(default_factory=dict)
    """dest URI → inode of each file the staging directory holds already (``write.recycled_staging(...,
    staged=)``: the kept old site's; None where the inode is not to be trusted): ``take`` leaves one that is the
    published file it would link, ``sweep`` unlinks the others."""
    found: Mapping[str, os.stat_result] = field(default_factory=dict)
    """The published site's files as the detect stage found them, by path (``write.unchanged.Tree.files``: only
    when it vouched for the site as a whole): ``take`` looks none of them up again (24 000 ``lstat`` calls, 0.25 s
    at county scale). Nothing but gongkai writes the published site while a build runs (assumed above, as the
    leak guard assumes of the same walk's inodes); what gongkai does to it meanwhile (the kept old site's links
    removed: ``write.recycled_staging``) moves a change time, never a byte."""
    out: OutputDir = field(init=False)
    """The staging directory, its folders proven and made once."""

    def __post_init__(self) -> None:
        self.out = OutputDir(self.staging)
        self._published = os.fspath(self.site_dir)
        self._mode: int | None = None
        self._staging = os.fspath(self.staging)
        self._staging_device: int | None = None

    @classmethod
    def open(
        cls,
        root: Path,
        site_dir: Path,
        staging: Path,
        trust: bool = True,
        saved: dict[str, list[object]] | None = None,
        staged: dict[str, int | None] | None = None,
        found: Mapping[str, os.stat_result] | None = None,
    ) -> Reuse:
        """The manifest of ``site_dir`` (an empty one when there is none, it cannot be read or ``trust`` is False:
        then everything is built, and recorded for the next build). ``saved``: the manifest as the last build of
        this process saved it (``Reuse.saved``), not read again. ``staged``: the files ``staging`` holds already
        (``Reuse.staged``); the caller must ``sweep`` before anything else writes there. ``found``: the published
        files as the detect stage found them (``Reuse.found``)."""
        reuse = cls(
            site_dir,
            staging,
            manifest_path(root, site_dir),
            staged=staged if staged is not None else {},
            found=found if found is not None else {},
        )
        if not trust:
            return reuse
        if saved is not None:
            reuse.previous = saved
            return reuse
        files = read_kept(reuse.manifest, _MAGIC, str(VERSION))
        if isinstance(files, dict):  # else no manifest, or a damaged one: everything is built
            reuse.previous = files
        return reuse

    def take(self, dest_uri: str, key: str, later: Linker | None = None) -> bool:
        """Link the published ``dest_uri`` into the staging directory when it was built from ``key``;
        False (build it) otherwise. The key is recorded either way, for the next build. ``later``: the link is
        made on that linker's thread (but the first, made here), True meaning it will be tried — ``Linker.done``
        says which failed, to be built after all."""
        self.keys[dest_uri] = key
        entry = self.previous.get(dest_uri)
        if type(entry) is not list or len(entry) != 7 or entry[0] != key:
            self.built += 1
            return False
        source = f"{self._published}/{dest_uri}"  # strings, not Paths: this runs for every file of the site
        try:
            found = self._unchanged(source, entry, self.found.get(dest_uri))
            if found is None:
                self.built += 1
                return False
            self.out.check(dest_uri)  # a plain relative path, before anything is linked at it
            staged = self.staged.get(dest_uri, _ABSENT)
            if staged is not _ABSENT:
                if staged == found.st_ino and found.st_dev == self._device():  # the very published file: left
                    del self.staged[dest_uri]
                    self.in_place[found.st_ino] = found
                    self.kept += 1
                    self.linked += 1
                    self.taken.add(dest_uri)
                    if self.kept == 1:
                        faults.pause_at("keeping")
                    return True
                self._unstage(dest_uri)  # (one that cannot be unlinked stays listed: sweep fails the build)
                del self.staged[dest_uri]
            if later is not None and self.linked > self.kept:
                later.add(source, dest_uri)
            else:
                self.out.link(source, dest_uri)
        except OSError:  # gone, another file system, no hard links: build it
            self.built += 1
            return False
        self.linked += 1
        self.taken.add(dest_uri)
        if self.linked - self.kept == 1:
            faults.pause_at("linking")
        return True

    def linker(self) -> Linker:
        """Links to make on a thread of their own while the caller goes on (``take(..., later=)``)."""
        return Linker(self)

    def _failed(self, dest_uri: str) -> None:
        """A link ``take`` promised could not be made: the file is built."""
        self.taken.discard(dest_uri)
        self.linked -= 1
        self.built += 1

    def _unchanged(
        self, source: str, entry: list[object], known: os.stat_result | None = None
    ) -> os.stat_result | None:
        """``source``'s lstat (``known``: as the detect stage found it) when it is still the file the manifest's
        ``entry`` recorded: by its identity, or else (the size unchanged) by its content, and of the mode a file
        written now gets (``paths.fresh_mode``); None when it is not."""
        found = os.lstat(source) if known is None else known
        if self._mode is None:
            self._mode = fresh_mode(self.staging)
        if not stat.S_ISREG(found.st_mode) or stat.S_IMODE(found.st_mode) != self._mode:
            return None
        now = [*identity(found)]  # (the manifest's entries are lists)
        if now == entry[1:6] or (now[2] == entry[3] and _digest(source) == entry[6]):
            return found
        return None

    def _device(self) -> int:
        """The staging directory's device (a staged file's inode number names a published file only there)."""
        if self._staging_device is None:
            self._staging_device = os.lstat(self._staging).st_dev
        return self._staging_device

    def _unstage(self, dest_uri: str) -> None:
        """Unlink the file the staging directory held at ``dest_uri`` (``staged``), not this build's."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{self._staging}/{dest_uri}")

    def sweep(self) -> None:
        """Unlink every file the staging directory held (``staged``) that ``take`` did not leave: before anything
        else writes the staging directory (MkDocs writes through a name, and such a file may be a link of a
        published one). Call it once every file to take was offered (in the pages stage: ``on_nav``)."""
        staged, self.staged = self.staged, {}
        for dest_uri in staged:
            self._unstage(dest_uri)

    def save(self, stats: Mapping[str, os.stat_result] | None = None) -> None:
        """Record the published files of this build; call it once ``site_dir`` holds them. A file linked
        over keeps the digest recorded for it; the others are hashed (once, while still in the page cache).
        ``stats``: every file of ``site_dir`` as it is now, by its path (else each is looked up)."""
        files: dict[str, list[object]] = {}
        published, regular, recorded, taken = self._published, stat.S_ISREG, self.previous.get, self.taken
        for dest_uri, key in sorted(self.keys.items()):  # ~45 000 at county scale
            try:
                found = os.lstat(f"{published}/{dest_uri}") if stats is None else stats[dest_uri]
                if not regular(found.st_mode):
                    continue
                previous = recorded(dest_uri) if dest_uri in taken else None
                if isinstance(previous, list) and len(previous) == 7:
                    digest = previous[6]
                else:
                    digest = _digest(f"{published}/{dest_uri}")
            except (OSError, KeyError):  # gone (or never written)
                continue
            files[dest_uri] = [key, *identity(found), digest]
        with contextlib.suppress(OSError):  # a read-only project: the next build builds every page again
            self._write(files)
            self.saved = files

    def keep(self, linked: Iterable[str] | None = None) -> None:
        """After a build that did not publish: the files it linked (``linked``: all those recorded) are still
        the published ones, but removing its links changed their change time; record the new one where
        nothing else changed, so that the next build can still link them."""
        kept = dict(self.previous)
        for dest_uri in self.taken if linked is None else [uri for uri in linked if uri in kept]:
            entry = kept[dest_uri]
            try:
                found = [*identity(os.lstat(self.site_dir / dest_uri))]
            except OSError:
                continue
            if found[:-1] == entry[1:5]:
                kept[dest_uri] = [entry[0], *found, entry[6]]
        if kept:
            with contextlib.suppress(OSError):  # else the old manifest stays: these files are built again
                self._write(kept)

    def _write(self, files: dict[str, list[object]]) -> None:
        if not keep(self.manifest, _MAGIC, str(VERSION), files):
            raise OSError(f"{self.manifest}: not written")

    def forget(self) -> None:
        """Drop the manifest (a build that fails after publishing must not vouch for what it left). One that
        cannot be removed (a read-only project) stays: it still links only a file of the same key and bytes."""
        with contextlib.suppress(OSError):
            self.manifest.unlink(missing_ok=True)


class Linker:
    """Hard links made on one thread of their own, in order, while the build goes on computing keys: a link costs
    ~30 µs of the file system's time (24 000 at county scale), which the thread spends beside the caller's
    work. ``done`` waits for them all and names those that failed (their files are built instead)."""

    BATCH = 512

    def __init__(self, reuse: Reuse) -> None:
        self.reuse = reuse
        self._batch: list[tuple[str, str]] = []
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="gongkai-link")
        self._work: list[Future[list[str]]] = []

    def add(self, source: str, dest_uri: str) -> None:
        self._batch.append((source, dest_uri))
        if len(self._batch) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            self._work.append(self._pool.submit(_link_all, self.reuse.out, self._batch))
            self._batch = []

    def done(self) -> list[str]:
        """Wait for every link; the dest URIs that could not be linked (no longer taken: to be built)."""
        self._flush()
        try:
            failed = [dest_uri for work in self._work for dest_uri in work.result()]
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)
        for dest_uri in failed:
            self.reuse._failed(dest_uri)
        return failed


def _link_all(out: OutputDir, links: list[tuple[str, str]]) -> list[str]:
    """Make each link (the thread alone uses ``out`` meanwhile); those that could not be made."""
    failed = []
    for source, dest_uri in links:
        try:
            out.link(source, dest_uri)
        except OSError:
            failed.append(dest_uri)
    return failed


def _digest(path: str | Path) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def manifest_path(root: Path, site_dir: Path) -> Path:
    """Where the manifest of the output directory ``site_dir`` is kept."""
    name = hashlib.sha256(os.fsencode(site_dir.resolve())).hexdigest()[:24]
    return root / CACHE_DIR / f"{name}.bin"
