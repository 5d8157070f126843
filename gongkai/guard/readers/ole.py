"""OLE compound files (Word 97–2003 .doc, Excel .xls, WPS .wps/.et): every stream, read by its strings.

Their text is stored as 8-bit or UTF-16LE characters inside the streams; the streams are followed
through the file's sector tables, so text split over scattered sectors is read in order.
"""

from __future__ import annotations

import struct

from ..normalise import plain_part
from . import Active, Budget, Reading, Unreadable
from .text import binary_part

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_STORAGE, _STREAM, _ROOT = 1, 2, 5
DAMAGED = "Office 97–2003 格式的文件已损坏"


def claims(data: bytes, suffix: str) -> bool:
    """An OLE compound file by its first bytes."""
    return data.startswith(MAGIC)


def read(name: str, data: bytes, *, lines: bool, depth: int, budget: Budget) -> Reading:
    """The names and strings of every stream."""
    try:
        streams = _streams(data)
    except (struct.error, IndexError, ValueError):
        raise Unreadable(DAMAGED) from None
    names = {name for name, _ in streams} | _storages(data)
    if names & MACRO_NAMES:
        raise Active("Office 宏（VBA）")
    reading = Reading([plain_part("\n".join(name for name, _ in streams), "文件中的数据流名称", None)])
    for stream_name, content in streams:
        budget.take(len(content))
        reading.parts.append(binary_part(content, f"文件中的「{stream_name}」"))
    return reading


MACRO_NAMES = frozenset({"Macros", "_VBA_PROJECT_CUR", "VBA", "_VBA_PROJECT", "PROJECT", "PROJECTwm"})
"""Storages and streams of an OLE file that hold VBA macros (Word's Macros, Excel's _VBA_PROJECT_CUR)."""


def _storages(data: bytes) -> set[str]:
    """The names of every storage in an OLE file (macros live in storages, not streams)."""
    try:
        return {name for name, _ in _streams(data, kind=_STORAGE)}
    except (struct.error, IndexError, ValueError):
        raise Unreadable(DAMAGED) from None


def _streams(data: bytes, kind: int = _STREAM) -> list[tuple[str, bytes]]:
    if len(data) < 512:
        raise ValueError
    sector_shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if sector_shift not in (9, 12) or mini_shift != 6:
        raise ValueError
    size = 1 << sector_shift
    first_dir, cutoff, first_mini_fat, mini_fat_count, first_difat, difat_count = struct.unpack_from(
        "<I4xIIIII", data, 0x30
    )
    sectors = (len(data) + size - 1) // size - 1

    def sector(n: int) -> bytes:
        if n >= sectors:
            raise ValueError
        return data[(n + 1) * size : (n + 2) * size]

    difat = [n for n in struct.unpack_from("<109I", data, 0x4C) if n < sectors]
    n, seen = first_difat, 0
    while n < sectors and seen <= difat_count:
        words = struct.unpack(f"<{size // 4}I", sector(n))
        difat += [w for w in words[:-1] if w < sectors]
        n, seen = words[-1], seen + 1
    fat = [w for s in difat for w in struct.unpack(f"<{size // 4}I", sector(s))]

    def chain(start: int, table: list[int]) -> list[int]:
        found: list[int] = []
        while start not in (_END, _FREE):
            if start >= len(table) or len(found) > len(table):
                raise ValueError  # out of range, or a loop
            found.append(start)
            start = table[start]
        return found

    directory = b"".join(sector(s) for s in chain(first_dir, fat))
    entries = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
    root = entries[0]
    mini_stream = b"".join(sector(s) for s in chain(struct.unpack_from("<I", root, 0x74)[0], fat))
    mini_fat_bytes = b"".join(sector(s) for s in chain(first_mini_fat, fat)) if mini_fat_count else b""
    mini_fat = list(struct.unpack(f"<{len(mini_fat_bytes) // 4}I", mini_fat_bytes))
    streams = []
    for entry in entries[1:]:
        if entry[0x42] != kind:
            continue
        length = min(struct.unpack_from("<H", entry, 0x40)[0], 64)
        name = entry[: max(length - 2, 0)].decode("utf-16-le", "replace")
        if kind == _STORAGE:
            streams.append((name, b""))
            continue
        start, stream_size = struct.unpack_from("<IQ", entry, 0x74)
        if size == 512:
            stream_size &= 0xFFFFFFFF  # version 3 files leave the high half undefined
        if stream_size < cutoff:
            pieces = [mini_stream[s * 64 : (s + 1) * 64] for s in chain(start, mini_fat)]
        else:
            pieces = [sector(s) for s in chain(start, fat)]
        content = b"".join(pieces)
        if len(content) < stream_size:
            raise ValueError
        streams.append((name, content[:stream_size]))
    return streams
