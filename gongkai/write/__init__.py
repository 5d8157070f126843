"""The write stage: where a build may write, one build at a time, and the swap into the published site.

A build renders into a staging directory beside the published one and exchanges the two only when
every stage (the leak guard included) has passed. Nothing under the output directory is touched
before that, and the output directory must be one gongkai made (or a new or empty one), never the
project or one of its source folders.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import errno
import fcntl
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Collection, Container, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from .. import faults
from ..errors import EnvironmentProblem, SourceErrors, published_then
from ..mounts import mount_table
from .paths import PROTECTED, OutputDir, inside, output_path

__all__ = [
    "MARKER",
    "OutputDir",
    "build_lock",
    "check_site_dir",
    "clean_leftovers",
    "give_back",
    "inside",
    "keep_spare",
    "output_path",
    "part",
    "prune",
    "publish",
    "recycled_staging",
    "remove_later",
    "seed_spare",
    "staging_dir",
]

MARKER = ".gongkai-site"
"""A file in every built site: a directory holding it is a previous gongkai output that a build may replace."""
MARKER_TEXT = "此目录由 gongkai build 生成，下次生成时会被整个替换，请不要在这里存放其他文件。\n"
_GENERATOR = b'<meta name="generator" content="gongkai">'
"""What every page of a gongkai site carries; recognises outputs built before the marker file existed."""


def check_site_dir(site_dir: Path, root: Path) -> None:
    """Refuse an output directory a build must not replace: the project, a folder around it or among its
    sources, or a directory holding anything but a previous gongkai site."""
    site_dir, root = site_dir.resolve(), root.resolve()
    fix = "请用 --site-dir 指定一个新的或空的目录，或者上次 gongkai build 生成的目录（默认是项目中的 site/）"
    if site_dir == root or root.is_relative_to(site_dir):
        _refuse(f"输出目录「{site_dir}」是项目目录本身或它的上级目录，生成时会被整个替换", fix)
    for name in PROTECTED:
        if site_dir.is_relative_to(root / name):
            _refuse(f"输出目录「{site_dir}」在项目的「{name}」目录中", fix)
    if site_dir.exists() and not site_dir.is_dir():
        _refuse(f"输出目录「{site_dir}」已存在，但不是普通目录", fix)
    if site_dir.is_dir() and _mount_point(site_dir):  # rename(2) cannot move it: the swap failed as a fault
        _refuse(
            f"输出目录「{site_dir}」是一个挂载点（mount），发布时无法把它整体替换",
            f"请用 --site-dir 指定挂载点中的一个子目录（例如「{site_dir / 'site'}」），并让网站服务器指向那里；"
            "或者挂载它的上级目录",
        )
    if site_dir.is_dir() and any(site_dir.iterdir()) and not is_previous_output(site_dir):
        _refuse(f"输出目录「{site_dir}」中已有其他文件，不是 gongkai 生成的网站，生成时会被整个替换", fix)


def _refuse(message: str, fix: str) -> None:
    from ..errors import Problem

    raise SourceErrors([Problem("--site-dir", None, "", message, fix)])


def _mount_point(folder: Path) -> bool:
    """Whether something is mounted at ``folder`` (a bind mount of the same file system too, which
    ``os.path.ismount`` does not see)."""
    if os.path.ismount(folder):
        return True
    point = os.fsencode(os.path.realpath(folder))
    return any(found == point for found, _ in mount_table() or ())


def is_previous_output(site_dir: Path) -> bool:
    """A directory a gongkai build wrote: it holds the marker, or (older builds) its home page says so."""
    if (site_dir / MARKER).is_file():
        return True
    home = site_dir / "index.html"
    try:
        return home.is_file() and _GENERATOR in home.read_bytes()[:8192]
    except OSError:
        return False


@contextmanager
def build_lock(site_dir: Path) -> Iterator[None]:
    """Hold the output directory's lock for the whole build: a second build of it stops at once, saying why.

    While it is held, files are created world-readable whatever the caller's umask: the site is public,
    and a web server running as another user must read it."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    path = _lock_path(site_dir)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _took(fd):
            holder = os.read(fd, 32).decode(errors="replace").strip()
            if not _alive(holder):  # the last build's number: another program holds the lock (flock rsync …)
                raise EnvironmentProblem(
                    f"另一个程序正在使用「{site_dir}」（持有锁文件 {path}，例如正在复制网站的 flock rsync）。"
                    "请等它结束后再运行。"
                ) from None
            raise EnvironmentProblem(
                f"另一个 gongkai build 正在生成「{site_dir}」（进程号 {holder}）。请等它结束后再运行。"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        umask = os.umask(0o022)
        try:
            yield
        finally:
            os.umask(umask)
    finally:
        os.close(fd)  # closing releases the lock; the file stays, so that no two builds lock different files


def _lock_path(site_dir: Path) -> Path:
    """The lock file of the output directory ``site_dir`` (``build_lock``, and a sibling's look at it: ``_locked``)."""
    return site_dir.parent / f".{site_dir.name}-build.lock"


def _took(fd: int, tries: int = 5) -> bool:
    """Whether the lock on ``fd`` was taken (a moment's wait, a few times: a sibling's build looks at this lock, taking
    it for an instant, ``_locked``)."""
    for attempt in range(tries):
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if attempt + 1 < tries:
                time.sleep(0.05)
    return False


def _alive(pid: str) -> bool:
    """Whether ``pid`` (as the lock file holds it) names a running process."""
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def staging_dir(site_dir: Path) -> Path:
    """A new, world-readable directory beside ``site_dir`` for the build to write into, with the marker."""
    return _marked(_new_dir(site_dir))


def _new_dir(site_dir: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.", dir=site_dir.parent))


def _marked(staging: Path) -> Path:
    staging.chmod(0o755)  # mkdtemp makes it 0700: a web server running as another user could read nothing
    (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    return staging


def recycled_staging(
    site_dir: Path,
    published: Container[str] | None = None,
    kept: Collection[str] = (),
    staged: dict[str, int | None] | None = None,
) -> tuple[Path, list[str]]:
    """``staging_dir``, made of the folders of the last old site when one was kept (``keep_spare``; or made for it by
    ``seed_spare``, the same folders and links): emptied of everything but its folders first, so that nothing in it
    is anything this build did not put there — but the subfolders of the ``kept`` folders, whole: their writer places
    its files over them, removing what it does not put there (the search bundle's version folders:
    render/search/output.py).

    With ``staged`` (a dict, filled here) its regular files stay too — ``part(..., pages=)`` kept the old site's
    links of the published files (``seed_spare`` made such links) —, each listed with its directory entry's inode
    (None where its folder is on another device: never the published file); everything else that is not a folder (a
    symbolic link, a FIFO) and the marker go. The caller's ``write.reuse.Reuse`` then leaves a file that is the very
    published file it would link (``Reuse.take``) and unlinks every other one before anything is written
    (``Reuse.sweep``): MkDocs writes with ``open(..., "wb")``, and a link left where it writes would write through
    into the live site.

    Making a folder is the dearest part of staging a site (ext4: ~24 000 page folders at county scale cost
    seconds of system time; the files are hard links, cheap). Returns the staging directory and the folders
    it already holds (relative, deepest first), for ``prune``. ``published``: the path of every entry of
    ``site_dir`` but its folders, as this build listed it (``unchanged.Tree.files``), else each is looked up."""
    staging = _new_dir(site_dir)
    folders: list[str] = []
    spares = _spares(site_dir)
    if spares:
        try:
            os.rename(spares[0], staging)  # onto mkdtemp's empty directory: the name stays this build's own
            folders = _empty(staging, site_dir, published, kept, staged)
        except OSError:  # gone, or not emptied: start afresh (clean_leftovers removes what is left)
            if staged is not None:
                staged.clear()
            shutil.rmtree(staging, ignore_errors=True)
            if staging.exists():  # not removable either (a folder of another user's): beside it
                staging = _new_dir(site_dir)
            else:
                staging.mkdir()
            folders = []
    for spare in spares[1:]:
        remove_later(spare)
    return _marked(staging), folders


def _empty(
    top: Path,
    site_dir: Path,
    published: Container[str] | None = None,
    kept: Collection[str] = (),
    staged: dict[str, int | None] | None = None,
) -> list[str]:
    """Unlink everything under ``top`` that is not a folder (symbolic links too) or in a subfolder of a ``kept``
    folder (those are neither walked nor returned) — but, with ``staged``, its regular files outside the ``kept``
    folders and the marker, listed there by path with their inode (``recycled_staging``); its folders, deepest
    first, each
    made world-readable as a new folder is (a folder of the published site left 0700 or setgid by ``chmod`` was
    kept so by every later build, unlike a clean build's: a web server running as another user read none of it).
    A folder where the published ``site_dir`` has a file goes too: the build would write that file there again,
    and a folder in its way made it fail, or left the site without it (a stylesheet linked over was copied into
    the folder)."""
    folders: list[str] = []
    site = os.fspath(site_dir)
    device = os.lstat(top).st_dev
    stack = [(os.fspath(top), "", True)]
    while stack:
        path, name, trusted = stack.pop()
        keep = staged is not None and name not in kept
        with os.scandir(path) as entries:
            for entry in entries:
                if keep and entry.is_file(follow_symlinks=False) and (name or entry.name != MARKER):
                    assert staged is not None
                    staged[f"{name}/{entry.name}" if name else entry.name] = entry.inode() if trusted else None
                elif entry.is_dir(follow_symlinks=False):
                    if name in kept:
                        continue
                    inner = f"{name}/{entry.name}" if name else entry.name
                    if published is not None:
                        if inner in published:
                            shutil.rmtree(entry.path)
                            continue
                    else:
                        with contextlib.suppress(FileNotFoundError):
                            if not stat.S_ISDIR(os.lstat(f"{site}/{inner}").st_mode):
                                shutil.rmtree(entry.path)
                                continue
                    found = entry.stat(follow_symlinks=False)
                    if stat.S_IMODE(found.st_mode) != 0o755:  # a look costs less
                        os.chmod(entry.path, 0o755)
                    folders.append(inner)
                    stack.append((entry.path, inner, trusted and found.st_dev == device))
                else:
                    os.unlink(entry.path)
    folders.sort(key=lambda folder: folder.count("/"), reverse=True)
    return folders


def prune(staging: Path, folders: list[str], kept: Iterable[str]) -> None:
    """Remove the ``folders`` of a recycled staging tree (``recycled_staging``) that the build left empty — a
    deleted page's, the search bundle's renamed ones —, so that the tree is a fresh build's. ``kept``: files the
    build put there (their folders are not tried)."""
    full = {""}
    for uri in kept:
        folder = uri.rpartition("/")[0]
        while folder not in full:
            full.add(folder)
            folder = folder.rpartition("/")[0]
    root = os.fspath(staging)
    for folder in folders:  # deepest first: a folder holding only empty ones is empty once they are gone
        if folder not in full:
            with contextlib.suppress(OSError):  # not empty
                os.rmdir(f"{root}/{folder}")


def publish(staging: Path, site_dir: Path, later: bool = False) -> Path | None:
    """Swap the finished staging directory in for ``site_dir``: one atomic exchange where Linux offers it.

    Elsewhere two renames, with an instant between them where ``site_dir`` is missing; a build
    killed in that instant is undone by the next one (clean_leftovers). The old site is removed, or with
    ``later`` moved aside and returned (None when there was none): see ``part`` and ``remove_later``."""
    faults.pause_at("publish")
    if site_dir.exists() and _exchange(staging, site_dir):
        old: Path | None = staging  # now the old site
    else:
        old = _old(site_dir)
        shutil.rmtree(old, ignore_errors=True)
        if site_dir.exists():
            site_dir.rename(old)
        staging.rename(site_dir)
        old = old if old.is_dir() else None
    try:  # the new site is out: an error (Ctrl+C) from here on must say so (``published_then``), not 「保持原样」
        if old is None or not later:
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
            return None
        trash = _aside(site_dir, old, TRASH)
        old.rename(trash)
        faults.pause_at("trash")
        return trash
    except BaseException as error:
        published_then(error)
        raise


TRASH = "-old"
"""``.<site>.<suffix>-old``: an old site moved aside after a swap, removed in the background (remove_later)."""
PARTED = 2000
"""Files of an old site found nowhere else that ``part`` removes at once: a few pages and data files of an
edit; more (a site built anew: 74 000 at county scale, a minute of the disk's time) are left to remove_later."""
SPARE = "-spare"
"""``.<site>.<suffix>-spare``: the next build's staging folders — an old site's folders, emptied of its files but its
links of the published pages and of the search bundle's files (``part``, ``keep_spare``), or the same made afresh after
a build that kept no old site (``seed_spare``)."""
_REMOVER = (
    "import fcntl, os, shutil, sys\n"
    "os.nice(19)\n"
    "fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)\n"
    "try:\n    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\n"
    "except OSError:\n    sys.exit(0)\n"  # another remover is at it
    "shutil.rmtree(sys.argv[1], ignore_errors=True)\n"
)


def part(
    trash: Path,
    site_dir: Path,
    old: Mapping[str, os.stat_result] | None = None,
    shared: Container[int] | None = None,
    kept: Collection[str] = (),
    pages: Container[str] = (),
    moved: set[int] | None = None,
) -> bool:
    """Unlink from the old site ``trash`` every file linked elsewhere — many are files of ``site_dir`` too
    (linked over unchanged, at their path or another: the search bundle's folders are renamed), and removing
    them later would move the published file's change time (its link count changes) after the build
    recorded it (write/reuse.py, write/unchanged.py): so this runs before the build records anything. Its
    other files go too while they are few (``PARTED``; they hold data, whose freeing is slow): then True, the
    old site holds its folders only, for the next build's staging directory (``keep_spare``).

    But the files in the subfolders of the ``kept`` folders that the new site holds too stay when the old site is
    to be kept (True, and no other kept already): they are the next build's to place its own over
    (``recycled_staging``), and they stay linked, so that no published file's change time moves. The others
    there are alone, as any other file of the old site (the next build could only remove them, in its search
    stage: after a new index, tens of thousands of files holding data).

    ``old``: every file of ``trash`` as the build found it while it was the published site, by its path
    (``unchanged.Tree.files``), and ``shared``: the inode of every file of ``site_dir`` (``guard_site``): then
    the old site is not walked — a file of it is linked elsewhere when it had other links already or the new
    site holds it. Anything in ``trash`` that ``old`` does not list (nothing, unless the site was written
    during the build) stays, and goes with the next build's staging (``recycled_staging``) or the remover.

    ``pages`` (with ``old`` and ``shared``): the paths the pages stage offers to reuse (``reuse.Reuse.keys``); a file
    of the old site at one of them that the new site holds too (by inode) stays as well, on the same terms — the
    next build's pages stage leaves such a file where it is the published one it would link
    (``recycled_staging(..., staged=)``, ``reuse.Reuse.take``) instead of linking the ~24 000 unchanged pages
    again, and this build need not unlink as many here. No other file stays: the next build would unlink it before
    its pages are written, and unlinking a link of a published file moves that file's change time (the search
    bundle's top files would be written again, not linked).

    ``moved`` (with ``old`` and ``shared``): filled with the inode of every file of ``site_dir`` a link of which was
    unlinked here (its change time moved: ``unchanged.listed_digest``'s ``known`` must not tell it)."""
    inside = tuple(f"{folder}/" for folder in kept)
    if old is None or shared is None:
        return _part_walking(trash, site_dir, inside)
    top = os.fspath(trash)
    alone: list[str] = []
    spared: list[str] = []
    inodes: set[int] = set()  # of the spared
    unlink = os.unlink
    for name, found in old.items():  # ~74 000 at county scale
        if inside and name.startswith(inside) and _below(name, inside):
            # Only a file of the new site is of use to the next build (its writer keeps a link of a published
            # file, removes anything else): the link count found is stale here — the last kept site's link of
            # it, counted then, is gone if the new site does not hold it — and such a file holds data.
            if found.st_ino in shared:
                spared.append(f"{top}/{name}")
                inodes.add(found.st_ino)
            else:
                alone.append(f"{top}/{name}")
        elif found.st_ino in shared and name in pages:
            spared.append(f"{top}/{name}")
            inodes.add(found.st_ino)
        elif found.st_nlink > 1 or found.st_ino in shared:  # linked elsewhere
            if moved is not None and found.st_ino in shared:
                moved.add(found.st_ino)
            with contextlib.suppress(OSError):
                unlink(f"{top}/{name}")
        else:
            alone.append(f"{top}/{name}")
    emptied, kept_spared = _part_alone(alone, spared, site_dir)
    if moved is not None and not kept_spared:
        moved |= inodes
    return emptied


def _below(name: str, inside: tuple[str, ...]) -> bool:
    """Whether ``name`` is in a subfolder of one of the folders ``inside`` (each with its slash)."""
    return any(name.startswith(folder) and name.find("/", len(folder)) >= 0 for folder in inside)


def _part_walking(trash: Path, site_dir: Path, inside: tuple[str, ...]) -> bool:
    alone: list[str] = []
    spared: list[str] = []
    top = len(os.fspath(trash)) + 1
    for entry in _entries(os.fspath(trash)):
        try:
            linked = entry.stat(follow_symlinks=False).st_nlink > 1
            if inside and _below(entry.path[top:], inside):
                (spared if linked else alone).append(entry.path)  # alone: of no use to the next build (part)
            elif linked:
                os.unlink(entry.path)
            else:
                alone.append(entry.path)
        except OSError:
            continue
    return _part_alone(alone, spared, site_dir)[0]


def _part_alone(alone: list[str], spared: list[str], site_dir: Path) -> tuple[bool, bool]:
    """Whether the old site was emptied (``part``), and whether the ``spared`` stay."""
    emptied = len(alone) <= PARTED  # else a site built anew: its old files are removed in the background
    if emptied:
        for path in alone:
            with contextlib.suppress(OSError):
                os.unlink(path)
    if not emptied or _spares(site_dir):  # not kept (keep_spare): the remover would unlink these later
        for path in spared:
            with contextlib.suppress(OSError):
                os.unlink(path)
        return emptied, False
    return emptied, True


def keep_spare(trash: Path, site_dir: Path, emptied: bool = True) -> Path | None:
    """Keep the old site ``trash``, ``emptied`` by ``part``, as the folders of the next build's staging directory
    (``recycled_staging``), and return it; else, or when one is kept already, remove it in the background
    (``remove_later``): None."""
    if not emptied or _spares(site_dir):
        remove_later(trash)
        return None
    spare = _aside(site_dir, trash, SPARE)
    try:
        trash.rename(spare)
    except OSError:
        remove_later(trash)
        return None
    return spare


def seed_spare(
    site_dir: Path,
    paths: Iterable[str],
    files: Mapping[str, os.stat_result],
    kept: Collection[str] = (),
    pages: Container[str] = (),
    moved: set[int] | None = None,
) -> bool:
    """After a build that keeps no old site — the first one, or one whose old site ``part`` could not empty (a site
    built anew: more than ``PARTED`` files found nowhere else) — make the next build's staging folders now, as ``part``
    leaves an old site for ``keep_spare``: every folder of ``site_dir``, with a link of each of its files at a path of
    ``pages`` and in a subfolder of the ``kept`` folders. Else the first edit after a cold build made the site's
    ~24 000 folders and linked its ~73 000 files itself (county scale: 10.8 s against 8.7 s for the edits after it);
    here it costs the cold build as much, once.

    ``paths``: every folder and file of ``site_dir`` (``guard.site.SiteScan.paths``), ``files``: its files by path,
    with their ``lstat``. Linking moves a file's change time, so this runs before the build records anything (as
    ``part``); ``moved`` is filled with the inode of every file linked. Made under a staging directory's name, renamed
    into place once whole (a build killed meanwhile leaves it to ``clean_leftovers``); what cannot be made (a full
    disk, a file system without hard links: tried on one file before any folder is made, which on such a system
    every build would otherwise make and remove again) leaves no spare and fails nothing. Whether a spare was made
    (none when one is kept already)."""
    if _spares(site_dir):
        return False
    inside = tuple(f"{folder}/" for folder in kept)
    linked = [
        name
        for name, found in files.items()
        if stat.S_ISREG(found.st_mode) and (name in pages or (inside and _below(name, inside)))
    ]
    spare: Path | None = None
    try:
        spare = _new_dir(site_dir)
        top, source = os.fspath(spare), os.fspath(site_dir)
        if linked:  # (a link of a published file, unlinked at once: the change time it moves is moved anyway below)
            os.link(f"{source}/{linked[0]}", f"{top}/{MARKER}", follow_symlinks=False)
            os.unlink(f"{top}/{MARKER}")
        for name in sorted(p for p in paths if p not in files):  # a folder before what it holds
            os.mkdir(f"{top}/{name}")
        for number, name in enumerate(linked):
            os.link(f"{source}/{name}", f"{top}/{name}", follow_symlinks=False)
            if moved is not None:
                moved.add(files[name].st_ino)
            if number == 1:
                faults.pause_at("seeding")  # (tests) a build killed after publishing, while it makes these
        spare.chmod(0o755)  # as a staging directory is (mkdtemp makes it 0700)
        spare.rename(_aside(site_dir, spare, SPARE))
    except OSError:
        if spare is not None:
            shutil.rmtree(spare, ignore_errors=True)  # (now: its links move change times, and nothing is recorded yet)
        if moved is not None:  # (the probe's file too)
            moved.update(files[name].st_ino for name in linked[:1])
        return False
    return True


def give_back(staging: Path, site_dir: Path) -> None:
    """A staging directory ``recycled_staging`` made of the kept old site, nothing written in it since but its marker,
    kept again as that old site for the next build (a build stopped by its checks: removing it would unlink its links
    of the published files, whose change times would then tell the next build that the site is not as recorded)."""
    try:
        (staging / MARKER).unlink(missing_ok=True)
        staging.rename(_aside(site_dir, staging, SPARE))
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)


def _spares(site_dir: Path) -> list[Path]:
    with contextlib.suppress(OSError):
        return sorted(
            p for p in site_dir.parent.iterdir() if _own(site_dir, p.name, SPARE) and p.is_dir() and not p.is_symlink()
        )
    return []


_SUFFIX = re.compile(r"[a-z0-9_]{8}")
"""``tempfile.mkdtemp``'s random part (eight of these): of a staging directory's name, and so of its old site's and its
spare's. A folder ``.site.bak`` or ``.site.preview`` beside ``site`` (a backup, another output directory) is none
of them."""


def _own(site_dir: Path, name: str, kind: str) -> bool:
    """Whether ``name`` (beside ``site_dir``) is one of its own folders of ``kind`` (``""``: a staging directory,
    ``TRASH``, ``SPARE``): ``.<site>.``, a mkdtemp suffix and the kind, nothing more. No other output directory's
    folder has such a name: the output directory ``site.test`` beside ``site`` stages in ``.site.test.abc123``, which
    starts with ``.site.`` too (a build of ``site`` removed it, in the middle of that build, whose swap then moved
    ``site.test`` aside and found nothing to put in its place); and the kind follows the suffix, with a character no
    suffix has — before it, ``.site-spare.abc123``, the spare of ``site``, was the staging directory of an output
    directory ``site-spare`` beside it."""
    prefix = f".{site_dir.name}."
    end = len(name) - len(kind)
    return name.startswith(prefix) and name.endswith(kind) and _SUFFIX.fullmatch(name, len(prefix), end) is not None


def _aside(site_dir: Path, folder: Path, kind: str) -> Path:
    """The name of ``folder`` (a staging directory of ``site_dir``, or an old site or spare of it) as a folder of
    ``kind`` (``TRASH``, ``SPARE``): its suffix kept, or a new one for ``.<site>.old`` (the two renames' old site:
    else every old site had the same name, and one not yet removed kept the next from being put aside)."""
    suffix = folder.name.rpartition(".")[2].removesuffix(TRASH).removesuffix(SPARE)
    if _SUFFIX.fullmatch(suffix) is None:
        suffix = base64.b32encode(os.urandom(5)).decode("ascii").lower()  # eight of [a-z2-7]
    return site_dir.with_name(f".{site_dir.name}.{suffix}{kind}")


_LEGACY = ("-old.", "-spare.")
"""What named an old site and a spare before the kind followed the suffix (``.<site>-old.<suffix>``): such a name is
also that of a staging directory of the output directory ``<site>-old`` beside the site (``_legacy_leftover``)."""


def _legacy_leftover(site_dir: Path, name: str) -> str | None:
    """The kind of folder (``TRASH``, ``SPARE``) ``name`` (beside ``site_dir``) is when it is an old site or spare an
    earlier gongkai left under its earlier name, to be removed; None when it is not one, or when a build of the output
    directory whose staging directory it may also be (``<site>-old``, ``<site>-spare``) holds that one's lock.

    Its lock is looked at after the folder was found. Held: the folder is left (it may be that build's). Free: no build
    of that output directory is under way, so the folder is no staging directory in use — a build of it started since
    stages in a new folder of its own, and removes this one too as a leftover of its own."""
    for kind in _LEGACY:
        prefix = f".{site_dir.name}{kind}"
        if name.startswith(prefix) and _SUFFIX.fullmatch(name, len(prefix)) is not None:
            if _locked(site_dir.with_name(f"{site_dir.name}{kind[:-1]}")):
                return None
            return TRASH if kind == "-old." else SPARE
    return None


def _locked(site_dir: Path) -> bool:
    """Whether a build of ``site_dir`` holds its lock (``build_lock``; True when that cannot be told)."""
    try:
        fd = os.open(_lock_path(site_dir), os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return False
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def _entries(top: str) -> Iterator[os.DirEntry[str]]:
    """Every entry under ``top`` but its folders (symbolic links not followed)."""
    stack = [top]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    yield entry


def remove_later(trash: Path) -> None:
    """Remove the old site ``trash`` in a detached background process (lowest priority), so that the build
    ends without waiting for it; a remover killed midway is started again by the next build."""
    command = [sys.executable, "-c", _REMOVER, os.fspath(trash)]
    quoted = " ".join(shlex.quote(part) for part in command)
    try:  # through sh: the remover is nobody's child and never a zombie of a long-lived process
        subprocess.run(["sh", "-c", f"{quoted} </dev/null >/dev/null 2>&1 &"], check=False, timeout=30)
    except (OSError, subprocess.SubprocessError):
        shutil.rmtree(trash, ignore_errors=True)


def clean_leftovers(site_dir: Path) -> None:
    """Undo what a killed build left: the old site if it died mid-swap, then every staging dir; old sites
    still to be removed (killed removers) are handed to a remover again.

    Only under the build lock: another build's staging directory is never in reach."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    if _old(site_dir).is_dir() and not site_dir.exists():
        _old(site_dir).rename(site_dir)
    for path in site_dir.parent.iterdir():
        if not path.is_dir() or path.is_symlink():
            continue
        legacy = _legacy_leftover(site_dir, path.name)
        if _own(site_dir, path.name, TRASH) or legacy == TRASH:
            remove_later(path)
        elif _own(site_dir, path.name, "") or path.name == _old(site_dir).name or legacy == SPARE:
            # (a spare holds links of the published files: removed now, before this build lists the site, not while
            # it records it — a link removed moves a published file's change time)
            shutil.rmtree(path, ignore_errors=True)


def _old(site_dir: Path) -> Path:
    return site_dir.with_name(f".{site_dir.name}.old")


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step with Linux's renameat2(RENAME_EXCHANGE); False where unsupported. Any other
    failure (``a`` gone, say) is raised: the two renames instead would move the published site aside first."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None) if sys.platform == "linux" else None
    if renameat2 is None:
        return False
    at_cwd, rename_exchange = -100, 2
    if renameat2(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), rename_exchange) == 0:
        return True
    failed = ctypes.get_errno()
    if failed in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):  # not on this kernel or file system
        return False
    raise OSError(failed, os.strerror(failed), os.fspath(a))
