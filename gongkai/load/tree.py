"""The source tree itself: no symbolic links anywhere in it, and content/ holds only files the site may publish.

Run before any file is read: a link could point anywhere on the build machine (``ln -s /etc/passwd``),
so no loader may follow one, and MkDocs would publish whatever content/ holds.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from ..errors import Problem
from ..model.content import CONTENT_FILES
from .files import rel_path

SOURCE_FILES = ("county.yml", "mkdocs.yml", "index-ledger.csv", "public-numbers.yml")
SOURCE_DIRS = ("content", "catalog", "villages", "reports", "theme")
LINK_FIX = "源文件夹中不能有符号链接：请把文件本身复制到这里，或删除这个链接"
TYPE_FIX = (
    "content/ 只发布这些类型的文件："
    + "、".join(CONTENT_FILES)
    + "；网页请改写成 Markdown（.md），其他文件请转换成 PDF，或放到网站以外"
)

NAME_FIX = (
    "请给它改名：文件名和目录名会成为网址，不能含制表符、换行等控制字符和 # ? % \\ \" < > 这些字符"
    "（可以用汉字、字母、数字、「-」和「_」）"
)
_UNSAFE = frozenset('#?%\\"<>')
"""Characters that a URL's path cannot carry as they are: a page or file named with one is cut off or misread."""


SPECIAL_FIX = "源文件夹中只能有普通文件和文件夹：请删除它"


def refused_entries(root: Path) -> list[Problem]:
    """An error for every symbolic link among the source files and in the source folders (none is followed), and for
    every entry there that is neither a file nor a folder, unless hidden (no loader reads one, and theme/ reads only
    files: ``theme/.git/fsmonitor--daemon.ipc`` is git's socket): a named pipe (FIFO) in place of a document made
    every loader's read wait for a writer, and check, build and the preview hung for good."""
    found = [root / name for name in SOURCE_FILES if (root / name).is_symlink() or _kind(root / name)]
    start = len(os.fspath(root)) + 1
    found += [
        Path(entry.path)
        for folder in SOURCE_DIRS
        for entry in walk(root / folder)
        if entry.is_symlink() or (_special_entry(entry) and not hidden(entry.path[start:].replace(os.sep, "/")))
    ]
    return [
        Problem(rel_path(path, root), None, "", f"是符号链接（指向 {os.readlink(path)}）", LINK_FIX)
        if path.is_symlink()
        else Problem(rel_path(path, root), None, "", f"不是普通文件（{_kind(path)}）", SPECIAL_FIX)
        for path in found
    ]


def _special_entry(entry: os.DirEntry[str]) -> bool:
    """Whether a directory entry (not a link) is neither a file nor a folder."""
    return not entry.is_dir(follow_symlinks=False) and not entry.is_file(follow_symlinks=False)


def _kind(path: Path) -> str:
    """What is at ``path`` if it is neither a link, a file nor a folder, as a clerk's tools would call it; else ""."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return ""
    if stat.S_ISLNK(mode) or stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return ""
    if stat.S_ISFIFO(mode):
        return "命名管道"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "设备文件" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "特殊文件"


def dotted(rel: str) -> bool:
    """Whether a file or folder at ``rel`` (a "/"-separated path below a source folder) has a part that starts with a
    dot. MkDocs publishes no such file, whatever mkdocs.yml says; an editor writes its swap and lock files so. A theme's
    template may include one (Jinja includes any name: check/theme.py reads each as a template)."""
    return any(part.startswith(".") and part not in (".", "..") for part in rel.replace("\\", "/").split("/"))


OWNER_PREFIX = "~$"
"""The start of the name of the owner file Excel, Word and WPS write beside a file while it is open (``~$名单.xlsx``:
the user's name in 165 bytes, hidden on Windows, gone when the file is closed; Word drops the name's first two
characters: ``~$23-0101.docx``). A clerk who had a payout list open in Excel could neither check nor build: the guard
cannot read one, and MkDocs would publish one found in content/."""


def hidden(rel: str) -> bool:
    """Whether a file or folder at ``rel`` (a "/"-separated path below a source folder) is hidden: a part of it starts
    with a dot (``dotted``), or with ``OWNER_PREFIX`` (an office program's owner file of a file open in it). No loader
    reads one, the site publishes none, and no source may name one (``hidden_fix``)."""
    if dotted(rel):
        return True
    return OWNER_PREFIX in rel and any(part.startswith(OWNER_PREFIX) for part in rel.replace("\\", "/").split("/"))


HIDDEN_FIX = (
    "名称以「.」开头的文件和文件夹是隐藏的，gongkai 不读取也不发布：请给它（或它所在的文件夹）改名，去掉开头的「.」"
)
OWNER_FIX = (
    "以「~$」开头的是 Excel、Word、WPS 打开文件时在旁边生成的临时文件（关闭文件后自动删除），不是文件本身，"
    "gongkai 不读取也不发布：请写文件本身的名称（在文件夹中核对；不要把这个临时文件改名来用）"
)


def hidden_fix(rel: str) -> str:
    """The fix of a source naming the hidden file at ``rel``: a dot file is to be renamed; an office program's owner
    file is no copy of the file it stands beside (renamed over it, it would replace the clerk's list with 165 bytes),
    so the source is to name the file itself."""
    return HIDDEN_FIX if dotted(rel) else OWNER_FIX


def content_types(root: Path) -> list[Problem]:
    """An error for every file under content/ whose type the site does not publish, and for every file or folder
    there whose name cannot be part of a URL (hidden files excepted)."""
    problems = []
    start = len(str(root)) + 1
    for entry in walk(root / "content"):
        rel = entry.path[start:].replace(os.sep, "/")
        published = not hidden(rel)
        if published and (bad := _unsafe(entry.name)):
            shown = "".join(_shown(c) for c in rel)
            problems.append(Problem(shown, None, "", f"名称中有不能用在网址里的字符：{bad}", NAME_FIX))
            continue
        suffix = _suffix(entry.name)
        if published and not entry.is_symlink() and entry.is_file() and suffix not in CONTENT_FILES:
            kind = suffix or "无扩展名的"
            problems.append(Problem(rel, None, "", f"content/ 中不能放 {kind} 文件", TYPE_FIX))
    return problems


def _unsafe(name: str) -> str:
    """The characters of a name that a URL cannot carry (as the clerk would call them), or ""."""
    if name.isascii() and name.isprintable() and _UNSAFE.isdisjoint(name):
        return ""  # the usual case, at C speed
    found = dict.fromkeys(_named(c) for c in name if c in _UNSAFE or _control(c))
    return "、".join(found)


def _control(char: str) -> bool:
    """A control, format or separator character other than the plain space (a tab, a line break, U+200B …)."""
    return char != " " and unicodedata.category(char)[0] in "CZ"


def _named(char: str) -> str:
    if char == "\t":
        return "制表符（Tab）"
    if char in "\n\r\u2028\u2029\x85":
        return "换行符"
    if char == "\u3000":
        return "全角空格"
    return f"「{char}」" if char in _UNSAFE else f"不可见字符 U+{ord(char):04X}"


def _shown(char: str) -> str:
    """A character of a path as an error message can print it (an invisible one by its code)."""
    return f"<U+{ord(char):04X}>" if _control(char) else char


def _suffix(name: str) -> str:
    """``PurePosixPath(name).suffix.lower()``, without making a path for each of a county's files."""
    dot = name.rfind(".")
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""


def walk(folder: Path) -> Iterator[os.DirEntry[str]]:
    """Every entry under ``folder`` (itself included when it is a link) in os.walk's order, following no link."""
    if folder.is_symlink():
        yield from (entry for entry in os.scandir(folder.parent) if entry.name == folder.name)
        return
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:  # as os.walk: a folder that is missing or cannot be read has no entries
        return
    yield from entries  # a folder's entries, then each sub-folder's (os.walk's order)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from walk(Path(entry.path))
