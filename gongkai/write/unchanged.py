"""The whole-build shortcut: a build whose inputs are those the published site was built from, and whose
site is still the very tree that build published, leaves the site as it is.

After publishing, a build records (in ``.cache/site/``, beside write/reuse.py's manifest) the key of its
inputs and the digest of the published tree. The inputs key covers gongkai's code and the installed
libraries (``cachefile.code_fingerprint``), the build's options (``--today``, ``--strict``, ``--guide``,
the output directory) and every file of the project a build may read, by its identity — path, type,
device, inode, size, modification and change time: any write moves the change time, which cannot be set
back, so an edit, a new or removed file is a different key (a file touched without a change only costs
a normal build). The tree digest covers every file and folder of the published site by the same
identity: a file changed, added or removed by hand is a different digest. Any doubt — a symbolic link
in the project, a mkdocs.yml that reaches outside it or reads the environment, a record that cannot be
read — means a normal build. Folders never read by a build (``.git``, ``.cache``, the code and the
tests, any other hidden folder at the top) are left out of the key.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..cachefile import code_fingerprint, keep, read_kept
from .reuse import manifest_path

VERSION = 2
NOT_READ = frozenset({"gongkai", "tests", "benchmarks", "scripts", "node_modules", "__pycache__"})
"""Top-level folders of a project that no build reads (the code is in the key by its fingerprint)."""
_REACHING_OUT = re.compile(
    r"!ENV|INHERIT|!relative|^\s*hooks\s*:|^\s*(custom_dir|docs_dir)\s*:\s*['\"]?(/|~|\.\.)", re.M
)
"""What in mkdocs.yml could make a build read beyond the project's files (the environment, another config,
folders outside, hooks — Python run by MkDocs): then no shortcut."""


@dataclass
class Built:
    """What the published site was built from, and what the build said about it."""

    inputs: str
    tree: str
    documents: int = 0
    pages: int = 0
    sheets: int = 0
    warnings: list[str] = field(default_factory=list)


def inputs_key(root: Path, site_dir: Path, today: dt.date, strict: bool, guide: bool) -> str | None:
    """The key of everything a build of ``root`` into ``site_dir`` reads; None when it cannot be told."""
    try:
        config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return None
    if _REACHING_OUT.search(config):
        return None
    site, root = site_dir.resolve(), root.resolve()
    digest = hashlib.sha256(code_fingerprint())
    digest.update(f"{VERSION}\0{today.isoformat()}\0{strict}\0{guide}\0{site}\0".encode())
    parent, own = os.fspath(site.parent), f".{site.name}"

    def skipped(folder: str, name: str) -> bool:  # the output directory, its staging folders and lock
        return folder == parent and (name == site.name or name.startswith(own))

    try:
        for name in sorted(os.listdir(root)):
            if name.startswith(".") or name in NOT_READ or skipped(os.fspath(root), name):
                continue
            if not _walk(root / name, name, digest, skipped):
                return None
    except OSError:  # a file gone while it was walked, a folder that cannot be read
        return None
    return digest.hexdigest()


def tree_digest(
    site_dir: Path, files: set[tuple[int, int]] | None = None, stats: dict[str, os.stat_result] | None = None
) -> str | None:
    """The digest of every file and folder of ``site_dir`` as the file system knows it; None when it has none.
    ``files``: filled with the device and inode of every file; ``stats``: with every file as the walk found it,
    by its path in the site (for write/reuse.py's manifest: one walk of the site, not two)."""
    digest = hashlib.sha256()
    try:
        _walk(site_dir, "", digest, None, links=True, files=files, stats=stats)
    except OSError:
        return None
    return digest.hexdigest()


@dataclass
class Tree:
    """A published site as one walk found it (``walk_site``): what the build's other stages would otherwise
    walk it again for."""

    digest: str
    files: dict[str, os.stat_result]
    """Every entry but the folders, by its path in the site: ``write.part`` unlinks them without a walk."""
    inodes: dict[tuple[int, int], os.stat_result] | frozenset[tuple[int, int]]
    """Each file by its device and inode, for the leak guard (``guard_site(..., published)``): a mapping when
    each directory entry's inode number (``DirEntry.inode()``, no system call) was the file's own (``st_ino``),
    so that the guard can know a staged file from its directory entry alone; else the bare set."""


def _of(digest: str, stats: dict[str, os.stat_result], mapping: bool) -> Tree:
    """The Tree of these entries (by path: every entry but the folders), its files by inode a mapping or a set."""
    by_inode = {(found.st_dev, found.st_ino): found for found in stats.values() if stat.S_ISREG(found.st_mode)}
    return Tree(digest, stats, by_inode if mapping else frozenset(by_inode))


def listed_tree(site_dir: Path, listing: tuple[list[str], bool]) -> Tree | None:
    """``walk_site``'s Tree of ``site_dir`` by the paths of a listing (``listing``): each entry looked up by its
    path, no folder read (``listed_digest``: half the system time of a walk). Every folder is listed, and an entry
    added to or removed from one moves its times; still, only a build whose inputs changed (the site is replaced)
    takes it, the shortcut walks (it publishes nothing: the site is vouched for as a whole). The listing's
    flag: whether each directory entry's inode number was its file's own where the guard could tell (its
    mapping, as ``walk_site``'s)."""
    paths, agree = listing
    stats: dict[str, os.stat_result] = {}
    digest = listed_digest(site_dir, paths, stats)
    if digest is None:
        return None
    return _of(digest, stats, agree)


def walk_site(site_dir: Path) -> Tree | None:
    """``site_dir`` walked once: its tree digest, files and inodes; None when it cannot be walked."""
    digest = hashlib.sha256()
    stats: dict[str, os.stat_result] = {}
    entries: dict[int, int] = {}
    try:
        _walk(site_dir, "", digest, None, links=True, stats=stats, entries=entries)
    except OSError:
        return None
    return _of(digest.hexdigest(), stats, all(entry == inode for entry, inode in entries.items()))


def listed_digest(
    site_dir: Path,
    paths: Iterable[str],
    stats: dict[str, os.stat_result] | None = None,
    known: Mapping[str, os.stat_result] | None = None,
) -> str | None:
    """``tree_digest`` of ``site_dir`` when it holds ``paths`` (every folder and file under it, relative to it):
    each looked up by its path, no folder read — half the system time of a walk. Equal to the walk's digest
    when the tree holds nothing else; an entry added since only makes the next walk differ (a normal build),
    one gone makes it None. ``stats`` as ``tree_digest``'s.

    ``known``: entries whose ``lstat`` is known already (taken no earlier than the leak guard vouched for what it
    describes, and nothing has moved them since — a link made or removed moves the change time): not looked up.
    A stale one can only make the digest differ from the next build's walk (the change time never goes back):
    a normal build, never a site vouched for that is not the one published."""
    top = os.fspath(site_dir)
    lines: list[str] = []
    lstat, folder, add, line = os.lstat, stat.S_ISDIR, lines.append, _line  # ~98 000 entries at county scale
    told = (known if known is not None else {}).get
    try:
        add(_line("", lstat(top)))
        for path in paths:
            found = told(path) or lstat(f"{top}/{path}")
            add(line(f"/{path}", found))
            if stats is not None and not folder(found.st_mode):
                stats[path] = found
    except OSError:
        return None
    return hashlib.sha256(_hashed(lines).digest()).hexdigest()  # as tree_digest's walk adds it


def _walk(
    path: Path,
    name: str,
    digest: hashlib._Hash,
    skipped: Callable[[str, str], bool] | None,
    links: bool = False,
    files: set[tuple[int, int]] | None = None,
    stats: dict[str, os.stat_result] | None = None,
    entries: dict[int, int] | None = None,
) -> bool:
    """Add ``path`` and everything under it to ``digest`` by identity (one line each, in sorted order: a tree
    listed another way, ``listed_digest``, gives the same digest); False at a symbolic link (unless ``links``).
    ``entries``: filled with each file's directory entry's inode number → its ``st_ino`` where they differ."""
    found = os.lstat(path)
    if stat.S_ISLNK(found.st_mode) and not links:
        return False
    lines = [_line(name, found)]
    add, line, is_folder, is_link = lines.append, _line, stat.S_ISDIR, stat.S_ISLNK  # ~98 000 entries at county scale
    if is_folder(found.st_mode):
        stack = [(os.fspath(path), name)]
        while stack:
            folder, prefix = stack.pop()
            with os.scandir(folder) as scan:
                for entry in scan:
                    if skipped is not None and skipped(folder, entry.name):
                        continue
                    here = f"{prefix}/{entry.name}"
                    found = entry.stat(follow_symlinks=False)
                    mode = found.st_mode
                    if not links and is_link(mode):
                        return False
                    add(line(here, found))
                    if is_folder(mode):
                        stack.append((entry.path, here))
                        continue
                    if files is not None:
                        files.add((found.st_dev, found.st_ino))
                    if stats is not None:
                        stats[here[1:]] = found  # (here starts with "/" when name is the root's "")
                    if entries is not None and entry.inode() != found.st_ino:
                        entries[entry.inode()] = found.st_ino
    digest.update(_hashed(lines).digest())
    return True


def _line(name: str, found: os.stat_result) -> str:
    return (
        f"{name}\0({found.st_mode}, {found.st_dev}, {found.st_ino}, {found.st_size}, {found.st_mtime_ns}, "
        f"{found.st_ctime_ns})\n"
    )


def _hashed(lines: list[str]) -> hashlib._Hash:
    """The lines (one per entry, each starting with its path: no two alike) in sorted order, hashed."""
    lines.sort()
    return hashlib.sha256("".join(lines).encode("utf-8", "surrogateescape"))


def record_path(root: Path, site_dir: Path) -> Path:
    """Where the record of the build that published ``site_dir`` is kept."""
    return manifest_path(root, site_dir).with_suffix(".built.json")


def recorded(root: Path, site_dir: Path) -> Built | None:
    """The record of the build that published ``site_dir``, if there is one that can be read."""
    try:
        data = json.loads(record_path(root, site_dir).read_text(encoding="utf-8"))
        if data.pop("version", None) != VERSION:
            return None
        return Built(**data)
    except (OSError, ValueError, TypeError):
        return None


def intact(built: Built | None, site_dir: Path, listing: tuple[list[str], bool] | None = None) -> Tree | None:
    """When ``site_dir`` is still the very tree the recorded build published (and its leak guard passed): the
    site as the walk that proved it found it (``Tree``: its files' devices and inodes for the guard, its files
    for ``write.part``); None otherwise. ``listing`` (``recorded_listing``; when the site is to be replaced):
    the site's entries looked up by path, no folder read (``listed_tree``) — walked when they differ."""
    if built is None:
        return None
    if listing is not None:
        tree = listed_tree(site_dir, listing)
        if tree is not None and tree.digest == built.tree:
            return tree
    tree = walk_site(site_dir)
    return tree if tree is not None and tree.digest == built.tree else None


def listing_path(root: Path, site_dir: Path) -> Path:
    """Where the paths of the site the recorded build published are kept (``recorded_listing``)."""
    return manifest_path(root, site_dir).with_suffix(".listed.bin")


def recorded_listing(root: Path, site_dir: Path) -> tuple[list[str], bool] | None:
    """The paths of every folder and file of the published ``site_dir`` as the build that published it listed
    them, and whether their directory entries' inode numbers were their files' own (``intact``'s ``listing``);
    None when there is none that can be read. Any listing will do: it proves nothing unless its entries give
    the recorded tree digest."""
    value = read_kept(listing_path(root, site_dir), _LISTED_MAGIC, str(VERSION))
    if not (type(value) is tuple and len(value) == 2 and type(value[0]) is list and type(value[1]) is bool):
        return None
    return (value[0], value[1]) if all(type(path) is str for path in value[0]) else None


_LISTED_MAGIC = b"gk-site-listed-1\0"


def record(root: Path, site_dir: Path, built: Built, listing: tuple[list[str], bool] | None = None) -> None:
    """Record the build that has just published ``site_dir`` (an unwritable record only costs a normal build);
    ``listing``: its paths (every folder and file: ``built.tree``'s) and their entries' flag (``recorded_listing``)."""
    if listing is not None:
        keep(listing_path(root, site_dir), _LISTED_MAGIC, str(VERSION), (listing[0], listing[1]))
    path = record_path(root, site_dir)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.part")
        partial.write_text(json.dumps({"version": VERSION, **asdict(built)}, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, path)


def forget(root: Path, site_dir: Path) -> None:
    """Drop the record: from here until a new one is written, the site is not the one it describes."""
    path = record_path(root, site_dir)
    try:
        path.unlink(missing_ok=True)
    except OSError:
        if os.path.lexists(path):  # a record that stays could vouch for a site it does not describe
            raise
        # else there is none to drop (its folder is not one, say: a .cache that cannot be written)
