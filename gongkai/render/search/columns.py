"""Lists kept in the search cache as a few long values (a column each), not as many small ones: marshal writes
and reads a column in one copy, where a list of tuples costs a call per item (the bundle's list of 49 000 files
and its state took a quarter of a second each way at county scale)."""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from itertools import chain
from typing import Any

_SEPARATOR = "\n"


def strings(values: Iterable[str]) -> tuple[int, str]:
    """The strings as one (how many, joined); ValueError if one holds the separator (it would not read back)."""
    found = list(values)
    joined = _SEPARATOR.join(found)
    if joined.count(_SEPARATOR) != max(0, len(found) - 1):
        raise ValueError("a string holds a newline")
    return len(found), joined


def read_strings(column: object) -> list[str]:
    """The strings of ``strings``' value; ValueError for anything else."""
    if not (isinstance(column, tuple) and len(column) == 2 and isinstance(column[0], int)):
        raise ValueError("not a column of strings")
    count, joined = column
    if not isinstance(joined, str):
        raise ValueError("not a column of strings")
    found = joined.split(_SEPARATOR) if count else []
    if len(found) != count:
        raise ValueError("a column of strings of another length")
    return found


def integers(values: Iterable[int]) -> bytes:
    """Integers (signed, 64 bits) as one native array."""
    return array("q", values).tobytes()


def rows(values: Iterable[Iterable[int]]) -> bytes:
    """Rows of integers (signed, 64 bits) as one native array, row after row."""
    return array("q", chain.from_iterable(values)).tobytes()


def read_integers(column: object) -> list[int]:
    """The integers of ``integers``' value; ValueError for anything else."""
    if not isinstance(column, bytes) or len(column) % 8:
        raise ValueError("not a column of integers")
    found = array("q")
    found.frombytes(column)
    return found.tolist()


def read_rows(column: object, width: int) -> list[tuple[Any, ...]]:
    """The integers of ``integers``' value in rows of ``width``; ValueError for anything else."""
    values = read_integers(column)
    if len(values) % width:
        raise ValueError("a column of integers of another length")
    return list(zip(*[iter(values)] * width, strict=True))
