"""Personal numbers in the source files themselves: ``check`` refuses them, and the guard finds a leak's origin."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import Problem
from ..load.files import MAX_SOURCE_BYTES, rel_path
from .patterns import find_numbers

SOURCE_DIRS = ("catalog", "content", "villages", "reports")
TEXT_SUFFIXES = {".yml", ".yaml", ".md", ".markdown", ".csv", ".txt", ".html", ".htm", ".json"}
FIX = "原始号码不能进入仓库：身份证号只保留前 6 位和后 4 位，银行卡号只保留后 4 位，手机号保留前 3 位和后 4 位"
_SEPARATORS = re.compile(rb"[\s-]")


def scan_sources(root: Path, allow: frozenset[str]) -> list[Problem]:
    """An error for every unmasked personal number in county.yml, catalog/, content/ and villages/."""
    problems = []
    for path in source_files(root):
        rel = rel_path(path, root)
        for line, text in source_lines(path):
            for found in sorted(find_numbers(text, allow)):
                problems.append(Problem(rel, line, "", f"发现未遮盖的{found.kind} {found.masked}", FIX))
    return problems


def locate(root: Path, numbers: Iterable[str]) -> dict[str, tuple[str, int]]:
    """Where each number first appears in the sources (file, line), ignoring spaces and hyphens."""
    wanted = {n: n.encode() for n in numbers}
    places: dict[str, tuple[str, int]] = {}
    for path in source_files(root):
        for line, text in source_lines(path):
            bare = _SEPARATORS.sub(b"", text).upper()
            for number in [n for n, digits in wanted.items() if digits in bare]:
                places[number] = (rel_path(path, root), line)
                del wanted[number]
        if not wanted:
            break
    return places


def source_files(root: Path) -> Iterator[Path]:
    """county.yml and the text and XLSX files under the source folders, in path order."""
    if (root / "county.yml").is_file():
        yield root / "county.yml"
    for folder in SOURCE_DIRS:
        for path in sorted((root / folder).rglob("*")):
            suffix = path.suffix.lower()
            if (suffix in TEXT_SUFFIXES or suffix == ".xlsx") and path.is_file():
                yield path


def source_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """(line, bytes) of a text file, or (row, cells joined by tabs) of an XLSX; too large a file yields nothing."""
    if path.stat().st_size > MAX_SOURCE_BYTES:
        return  # the loader refuses it already
    if path.suffix.lower() == ".xlsx":
        yield from _xlsx_rows(path)
        return
    # Digits are the same bytes in UTF-8 and GBK, so the file need not be decoded.
    yield from enumerate(path.read_bytes().split(b"\n"), start=1)


def _xlsx_rows(path: Path) -> Iterator[tuple[int, bytes]]:
    import openpyxl  # slow to import; only tables need it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # a damaged workbook is reported by the table loader
        return
    try:
        for sheet in book.worksheets:
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, "\t".join("" if v is None else str(v) for v in row).encode()
    finally:
        book.close()
