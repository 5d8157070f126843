"""The words' records, joined from the pages' parts (postings.py) on numpy arrays.

A county has tens of millions of (word, page) entries; as Python objects (a dict per page, a list per
word) they took about 9 GB. Here an entry is its page's number and its part's place in one blob of all the
parts, and the entries are put in word order page by page (each takes the next free place of its word:
a word's pages stay ascending, and no sort is needed); the records are written straight from these
arrays, a batch of words at a time.

A word's record is the CBOR ``[word, [[page delta, locations, []], …]]``: its head, then per page the
entry's head (an array of 3, the page's step from the word's previous page) and the page's part.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from .postings import PageParts, Word, head, weight

BATCH = 1 << 18
"""Entries handled at once while weighing the words (a dozen arrays of this many int64 each)."""

_ENTRY = 0x83  # an array of 3: [page delta, locations, []]
_Array = npt.NDArray[np.int64]


class Postings:
    """Every page's parts joined by word."""

    def __init__(self, pages: Iterable[tuple[int, PageParts]], count: int) -> None:
        """pages: each page's number (0 … count - 1) and its parts, in any order (each dropped once read)."""
        vocabulary: defaultdict[bytes, int] = defaultdict(itertools.count().__next__)  # a new word: the next number
        # per page: its first entry in the order read, where its parts start in the blob, its words, their ends
        read: list[tuple[int, int, npt.NDArray[np.uint32], npt.NDArray[np.uint32]] | None] = [None] * count
        blob = bytearray()
        self.lengths = [0] * count  # each page's, rounded (postings.rounded)
        entries = 0
        for number, page in pages:
            words = page.words.split()
            ends = np.frombuffer(page.ends, np.uint32)
            if read[number] is not None or len(ends) != len(words) or (words and int(ends[-1]) != len(page.parts)):
                raise ValueError(f"page {number}: its words, parts and ends do not match")
            ids = np.fromiter(map(vocabulary.__getitem__, words), np.uint32, len(words))
            read[number] = (entries, len(blob), ids, ends)
            entries += len(words)
            blob += page.parts
            self.lengths[number] = page.length
        self.blob = np.frombuffer(blob, np.uint8)
        self.bounds = np.zeros(entries + 1, _fitting(len(blob)))  # entry e's part: blob[bounds[e]:bounds[e + 1]]
        for number, found in enumerate(read):
            if found is None:
                raise ValueError(f"page {number}: no parts")
            into = self.bounds[found[0] + 1 : found[0] + 1 + len(found[3])]
            into[:] = found[3]
            into += found[1]
            read[number] = (*found[:3], found[3][:0])  # its ends are in bounds now
        self.words = sorted(vocabulary)
        rank = np.empty(len(self.words), np.uint32)
        rank[np.fromiter(map(vocabulary.__getitem__, self.words), np.uint32, len(self.words))] = np.arange(len(rank))
        del vocabulary
        per_word = np.zeros(len(self.words), np.int64)
        for found in read:
            assert found is not None
            found[2][:] = rank[found[2]]  # now the words' places in word order
            per_word[found[2]] += 1  # a word stands once in a page
        self.first = _starts(per_word)  # word w's entries: first[w] … first[w + 1] - 1 in word order
        # Page by page, each entry takes the next free place of its word: pages ascending in each word.
        self.order = np.empty(entries, _fitting(entries))  # entries in word order → in the order read
        self.page = np.empty(entries, _fitting(count))  # entries in word order → their pages
        free = self.first[:-1].copy()
        for number, found in enumerate(read):
            assert found is not None
            first, _, ids, _ = found
            self.order[free[ids]] = np.arange(first, first + len(ids))
            self.page[free[ids]] = number
            free[ids] += 1
            read[number] = None

    def weighed(self) -> Iterator[Word]:
        """The words in word order, with the weights of their records."""
        first, number = self.first.tolist(), 0
        while number < len(self.words):
            stop = number + 1
            while stop < len(self.words) and first[stop + 1] - first[number] <= BATCH:
                stop += 1
            sizes = self._layout(number, stop)[0]
            for i, size in enumerate(sizes.tolist(), number):
                word = self.words[i].decode()
                yield Word(word, weight(word, size, first[i + 1] - first[i]), i)
            number = stop

    def records(self, start: int, stop: int) -> bytes:
        """The records of words start … stop - 1 (their numbers), one after the other."""
        sizes, heads, entry_at, deltas, part_at, part_from, part_size = self._layout(start, stop)
        record_at = _starts(sizes)
        out = np.empty(int(record_at[-1]), np.uint8)
        heads_at = _starts(np.array([len(h) for h in heads], np.int64))
        _copy(out, record_at[:-1], np.frombuffer(b"".join(heads), np.uint8), heads_at[:-1], np.diff(heads_at))
        out[entry_at] = _ENTRY
        _put_uints(out, entry_at + 1, deltas)
        _copy(out, part_at, self.blob, part_from, part_size)
        return out.tobytes()

    def _layout(self, start: int, stop: int) -> tuple[_Array, list[bytes], _Array, _Array, _Array, _Array, _Array]:
        """Of words start … stop - 1: their records' sizes and heads; of their entries, in word order,
        where each starts in the records, its page delta, and where its part goes, comes from and its size."""
        first = self.first[start : stop + 1] - self.first[start]
        entries = self.order[self.first[start] : self.first[stop]]
        pages = self.page[self.first[start] : self.first[stop]].astype(np.int64)
        deltas = np.diff(pages, prepend=0)
        deltas[first[:-1]] = pages[first[:-1]]  # a word's first entry: its page number
        part_from = self.bounds[entries].astype(np.int64)
        part_size = self.bounds[entries + 1].astype(np.int64) - part_from
        delta_size = _uint_sizes(deltas)
        entry_size = 1 + delta_size + part_size
        heads = [_record_head(self.words[i], int(first[i - start + 1] - first[i - start])) for i in range(start, stop)]
        head_size = np.array([len(h) for h in heads], np.int64)
        ends = np.cumsum(entry_size)
        sizes = head_size + np.diff(ends[first[1:] - 1], prepend=0)
        # each entry starts after the records before its word's, its word's head and the entries before it
        word_of = np.repeat(np.arange(stop - start), np.diff(first))
        entry_at = np.cumsum(head_size)[word_of] + ends - entry_size
        return sizes, heads, entry_at, deltas, entry_at + 1 + delta_size, part_from, part_size


def _record_head(word: bytes, entries: int) -> bytes:
    """A record up to its entries: an array of 2, the word, the head of its array of entries."""
    return b"\x82" + head(3, len(word)) + word + head(4, entries)


def _fitting(largest: int) -> type[np.unsignedinteger[Any]]:
    """The smallest unsigned type of 16 bits or more that holds largest."""
    return np.uint16 if largest < 1 << 16 else np.uint32 if largest < 1 << 32 else np.uint64


def _starts(sizes: npt.NDArray[np.int64]) -> _Array:
    """Where each of consecutive pieces of these sizes starts, and where the last ends."""
    out = np.zeros(len(sizes) + 1, np.int64)
    np.cumsum(sizes, out=out[1:])
    return out


def _uint_sizes(values: _Array) -> _Array:
    """The sizes of the CBOR heads of these unsigned values (head(0, value))."""
    if len(values) and int(values.max()) >= 1 << 32:
        raise ValueError("a page number too large for the index")
    return 1 + (values >= 24) + (values >= 1 << 8) + 2 * (values >= 1 << 16)


def _put_uints(out: npt.NDArray[np.uint8], at: _Array, values: _Array) -> None:
    """Write the CBOR heads of unsigned values at these places of out, as head(0, value) writes them."""
    small = values < 24
    out[at[small]] = values[small]
    for extra, width, low in ((24, 1, 24), (25, 2, 1 << 8), (26, 4, 1 << 16)):
        chosen = (values >= low) & (values < 1 << (8 * width))
        where, value = at[chosen], values[chosen]
        out[where] = extra
        for k in range(width):
            out[where + 1 + k] = (value >> (8 * (width - 1 - k))) & 0xFF


def _copy(out: npt.NDArray[np.uint8], to: _Array, source: npt.NDArray[np.uint8], at: _Array, sizes: _Array) -> None:
    """Copy source[at[i]:at[i] + sizes[i]] to out[to[i]:…] for every i, at once."""
    total = int(sizes.sum())
    if total == 0:
        return
    step = np.arange(total) - np.repeat(_starts(sizes)[:-1], sizes)
    out[np.repeat(to, sizes) + step] = source[np.repeat(at, sizes) + step]
