"""CBOR heads, one at a time and many at once on numpy arrays, written as cbor2 writes them (shortest form).

A head is a major type (0: unsigned integer, 3: text, 4: array …) and a value: the value itself below 24,
else 24, 25, 26 or 27 and the value in 1, 2, 4 or 8 bytes, big-endian.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.int64]


def head(major: int, value: int) -> bytes:
    """A CBOR head: major type and value, in the shortest form (as cbor2 writes it)."""
    if value < 0:
        raise ValueError(f"not a CBOR head value: {value}")
    if value < 24:
        return bytes([major << 5 | value])
    for extra, width in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * width):
            return bytes([major << 5 | extra]) + value.to_bytes(width, "big")
    raise ValueError(f"too large for CBOR: {value}")


def head_size(first: int) -> int:
    """The size of a head (of head_sizes' range) from its first byte."""
    info = first & 0x1F
    return 1 if info < 24 else 5 if info == 26 else info - 22


def first_head_sizes(first: npt.NDArray[np.uint8]) -> Array:
    """The sizes of heads (of head_sizes' range) from their first bytes."""
    info = first.astype(np.int64) & 0x1F
    return 1 + (info >= 24) + (info >= 25) + 2 * (info >= 26)


def head_sizes(values: Array) -> Array:
    """The sizes of the heads of these values (0 … 2³² - 1), whatever their major type."""
    if len(values) and (int(values.min()) < 0 or int(values.max()) >= 1 << 32):
        raise ValueError("a CBOR head value out of range")
    return 1 + (values >= 24) + (values >= 1 << 8) + 2 * (values >= 1 << 16)


def put_heads(out: npt.NDArray[np.uint8], at: Array, major: int, values: Array) -> None:
    """Write the heads of these values (of head_sizes' range) at these places of out, as head writes them."""
    small = values < 24
    out[at[small]] = (major << 5) | values[small]
    for extra, width, low in ((24, 1, 24), (25, 2, 1 << 8), (26, 4, 1 << 16)):
        chosen = (values >= low) & (values < 1 << (8 * width))
        where, value = at[chosen], values[chosen]
        out[where] = (major << 5) | extra
        for k in range(width):
            out[where + 1 + k] = (value >> (8 * (width - 1 - k))) & 0xFF


def starts(sizes: Array) -> Array:
    """Where each of consecutive pieces of these sizes starts, and where the last ends."""
    out = np.zeros(len(sizes) + 1, np.int64)
    np.cumsum(sizes, out=out[1:])
    return out


def read_heads(data: npt.NDArray[np.uint8], at: Array) -> Array:
    """The values of the heads at these places of data (of head_sizes' range), as head writes them."""
    info = data[at].astype(np.int64) & 0x1F
    values = info.copy()
    if len(info) and int(info.max()) > 26:
        raise ValueError("a CBOR head value out of range")
    for extra, width in ((24, 1), (25, 2), (26, 4)):
        chosen = info == extra
        where = at[chosen]
        value = np.zeros(len(where), np.int64)
        for k in range(width):
            value = (value << 8) | data[where + 1 + k]
        values[chosen] = value
    return values


def copy_runs(out: npt.NDArray[np.uint8], to: Array, source: npt.NDArray[np.uint8], at: Array, sizes: Array) -> None:
    """Copy source[at[i]:at[i] + sizes[i]] to out[to[i]:…] for every i, at once."""
    total = int(sizes.sum())
    if total == 0:
        return
    before = starts(sizes)[:-1]  # the bytes copied before each piece
    step = np.arange(total)
    out[np.repeat(to - before, sizes) + step] = source[np.repeat(at - before, sizes) + step]
