"""What is mounted where (``/proc/self/mountinfo``), for the output folder's checks (write/) and the leak guard's
device checks (guard/site.py)."""

from __future__ import annotations

import re

_ESCAPED = re.compile(rb"\\([0-7]{3})")


def mount_table(source: str = "/proc/self/mountinfo") -> list[tuple[bytes, str]] | None:
    """Every mount point (as bytes, its path decoded) with its file system's type; None when it cannot be read
    (no ``/proc``). The kernel writes a space, tab, line break or backslash of a path as an octal escape
    (``\\040``, ``\\011``, ``\\012``, ``\\134``)."""
    try:
        with open(source, "rb") as mounts:
            lines = [line.split(b" ") for line in mounts]
        return [(unescaped(fields[4]), fields[fields.index(b"-") + 1].decode("ascii", "replace")) for fields in lines]
    except (OSError, IndexError, ValueError):
        return None


def unescaped(field: bytes) -> bytes:
    """A path field of mountinfo with its octal escapes decoded."""
    return _ESCAPED.sub(lambda m: bytes([int(m.group(1), 8) & 0xFF]), field)
