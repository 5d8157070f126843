"""Output paths: every file a build writes is computed from the model, then proven to lie inside its directory."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from ..errors import BuildFailed

PROTECTED = (".git", "content", "catalog", "villages", "reports", "theme", "gongkai", "tests", "benchmarks", "scripts")
"""Project folders no output may be written into (the sources, the code, the history)."""
FILE_MODE = 0o644
"""The mode of every file a build writes (``build_lock``'s umask), on a file system with Unix modes."""
_MODES: dict[int, int] = {}


def fresh_mode(folder: str | Path) -> int:
    """The mode a file written into ``folder`` gets (``FILE_MODE`` in a build, on a file system with Unix modes; on one
    without — vfat, a Windows drive under WSL — the one every file shows): a file linked into the site instead (a
    published file reuse links over, a cached sheet) is taken only with it, else a ``chmod`` by hand, or a cache
    entry stored under another umask (``gongkai serve`` holds no build lock), would be published so by every later
    build — one a web server running as another user cannot read, unlike a full build's. Found once per device."""
    device = os.lstat(folder).st_dev
    found = _MODES.get(device)
    if found is None:
        probe = os.path.join(folder, f".gongkai-mode-{os.getpid()}")
        handle = os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
        try:
            found = _MODES[device] = stat.S_IMODE(os.fstat(handle).st_mode)
        finally:
            os.close(handle)
            os.unlink(probe)
    return found


def inside(base: Path, path: Path) -> bool:
    """``path``, with every symlink and ``..`` resolved, lies inside ``base`` (or is it)."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(base))


def output_path(base: Path, relative: str) -> Path:
    """``base / relative`` for writing, after proving it stays inside ``base``; BuildFailed otherwise."""
    pure = _pure(relative)
    if not inside(base, base / pure):
        raise _outside(relative)
    return base / pure


class OutputDir:
    """``output_path`` for the many files of one output directory: each folder is proven inside once (its
    files are then inside unless one is a symbolic link, which is proven on its own). Nothing but the build
    writes the directory while it runs (write/reuse.py), so a folder proven stays proven. Paths are handled
    as strings (``ensure``, ``link``): a build links some 24 000 files this way, where Path objects cost
    seconds."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self._root = os.fspath(base)
        self._folders: dict[str, bool] = {}
        self.made: set[str] = set()
        """Folders ``ensure`` made (or found a folder at)."""

    def path(self, relative: str) -> Path:
        """``output_path(self.base, relative)``."""
        _check(relative)
        full = f"{self._root}/{relative}"
        if not self._inside(relative.rpartition("/")[0]):
            raise _outside(relative)
        try:
            mode = os.lstat(full).st_mode
        except OSError:  # nothing there yet (nearly always)
            return self.base / relative
        if stat.S_ISLNK(mode) and not inside(self.base, Path(full)):
            raise _outside(relative)
        if stat.S_ISDIR(mode) and not any(_files_under(full)):
            # A folder of a recycled staging tree (write/__init__.py) where this build writes a file: MkDocs
            # copied the file into it (a page at t.pdf/ two builds ago, an attachment t.pdf now), or failed.
            shutil.rmtree(full)
        return self.base / relative

    def _inside(self, folder: str) -> bool:
        """A folder is inside when its parent is and it is no link (else as far as its link leads)."""
        proven = self._folders.get(folder)
        if proven is None:
            path = f"{self._root}/{folder}"
            if not folder:
                proven = True
            elif os.path.islink(path):
                proven = inside(self.base, Path(path))
            else:
                proven = self._inside(folder.rpartition("/")[0])
            self._folders[folder] = proven
        return proven

    def folder(self, relative: str) -> Path:
        """``self.path(relative)``, its folder made."""
        path = self.path(relative)
        self.ensure(relative.rpartition("/")[0])
        return path

    def ensure(self, folder: str) -> str:
        """The folder ``folder`` (relative, already checked by ``_pure``), made with its parents where missing
        and proven inside; as an absolute path. OSError when something else than a folder is in the way."""
        path = f"{self._root}/{folder}" if folder else self._root
        if folder in self.made:
            return path
        parent = folder.rpartition("/")[0]
        if folder:
            self.ensure(parent)
            try:
                os.mkdir(path)
                self._folders[folder] = True  # made here: a folder, no link
            except FileExistsError:  # a folder of a recycled staging tree (write/__init__.py), or a link
                if not self._inside(folder):
                    raise _outside(folder + "/") from None
        self.made.add(folder)
        return path

    @staticmethod
    def check(relative: str) -> None:
        """Refuse (BuildFailed) a path that is empty, absolute, or steps out or in place."""
        _check(relative)

    def link(self, source: str, relative: str) -> None:
        """Hard-link the file ``source`` at ``relative`` (proven inside, its folder made); OSError if it cannot
        be (another file system, a name taken)."""
        _check(relative)
        folder, _, name = relative.rpartition("/")
        os.link(source, f"{self.ensure(folder)}/{name}", follow_symlinks=False)


def _files_under(folder: str) -> Iterator[str]:
    """Every entry under ``folder`` that is not a folder (symbolic links not followed)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from _files_under(entry.path)
            else:
                yield entry.path


def _pure(relative: str) -> PurePosixPath:
    _check(relative)
    return PurePosixPath(relative)


def _check(relative: str) -> None:
    """Refuse a path that is empty, absolute, or steps out or in place (``..``, ``.``)."""
    if (
        not relative
        or "\x00" in relative
        or "\\" in relative
        or relative.startswith("/")
        or any(part in ("..", ".") for part in relative.split("/"))
    ):
        raise _outside(relative)


def _outside(relative: str) -> BuildFailed:
    return BuildFailed(f"要写入的文件「{relative}」不在输出目录之内，已停止。请检查生成它的代码或源文件。")
