"""The words' records, joined from the pages' parts (postings.py) on numpy arrays.

A county has tens of millions of (word, page) entries; as Python objects (a dict per page, a list per
word) they took about 9 GB. Here the parts (without their frames, postings.FRAME) are one blob in the order
read, with each part's end in its page's; an entry is its page's number and its place among that page's
parts (16-bit each while they fit: 66 million entries, 800 MB in all with the blob), and the entries are put
in word order page by page (each takes the next free place of its word: a word's pages stay ascending, and
no sort is needed); the records are written straight from these arrays, a batch of words at a time.

A word's record is the CBOR ``[word, [[page delta, locations, []], …]]``: its head, then per page the
entry's head (an array of 3, the page's step from the word's previous page) and the page's part.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from .cbor import Array, copy_runs, first_head_sizes, head, head_sizes, put_heads, starts
from .postings import EMPTY, FRAME, MARK, PageParts, Word, weight
from .tokens import Speller

BATCH = 1 << 18
"""Entries handled at once while weighing the words (a dozen arrays of this many int64 each)."""

ENTRY = 0x83
"""An entry's head: an array of 3, [page delta, locations, []]."""


class Postings:
    """Every page's parts joined by word."""

    def __init__(self, pages: Iterable[tuple[int, PageParts]], count: int, spell: Speller) -> None:
        """pages: each page's number (0 … count - 1) and its parts, in any order (each dropped once read);
        spell: the words of the pages' keys (tokens.speller)."""
        vocabulary = Vocabulary()
        blob = bytearray()  # the parts (without their frames: postings.PageParts), in the order read
        ends = bytearray()  # of each part in the order read: where it ends in its page's (native uint32)
        # Of each page: its words' numbers (while the word order is not known); its first entry in the order
        # read; where its parts start in the blob.
        ids: list[npt.NDArray[np.unsignedinteger[Any]] | None] = [None] * count
        first_read, base = np.zeros(count, np.int64), np.zeros(count + 1, np.int64)
        self.lengths = [0] * count  # each page's, rounded (postings.rounded)
        entries = 0
        for number, page in pages:
            if not 0 <= number < count or ids[number] is not None:
                raise ValueError(f"page {number}: not one of pages 0 … {count - 1}, or given twice")
            words = len(page.keys) // 8
            found = np.frombuffer(page.ends[: 4 * words], np.uint32)
            if (
                len(page.keys) % 8
                or len(page.ends) != 4 * words
                or (int(found[-1]) if words else 0) != len(page.parts)
                or bool(np.any(found[1:] < found[:-1]))
            ):
                raise ValueError(f"page {number}: its words, parts and ends do not match")
            page_ids = vocabulary.numbers(np.frombuffer(page.keys, np.int64))
            ids[number] = page_ids.astype(np.uint16) if vocabulary.count <= 1 << 16 else page_ids.astype(np.uint32)
            first_read[number], base[number] = entries, len(blob)
            entries += words
            blob += page.parts
            ends += page.ends
            self.lengths[number] = page.length
        missing = next((number for number, page_ids in enumerate(ids) if page_ids is None), None)
        if missing is not None:
            raise ValueError(f"page {missing}: no parts")
        base[count] = len(blob)
        self.blob = np.frombuffer(blob, np.uint8)
        self.ends = np.frombuffer(ends, np.uint32)
        self.base, self.first_read = base, first_read
        spelled = [word.encode("ascii") for word in spell(vocabulary.keys())]  # by number
        if len(spelled) != vocabulary.count or not all(spelled) or (spelled and not b"".join(spelled).isalnum()):
            raise ValueError("the words spelled are not one ASCII word (letters and digits) a key")
        if len(set(spelled)) != len(spelled):
            raise ValueError("two keys spell the same word")
        by_spelling = sorted(range(len(spelled)), key=spelled.__getitem__)
        self.words = [spelled[number] for number in by_spelling]
        rank = np.empty(len(self.words), _fitting(len(self.words)))
        rank[np.array(by_spelling, np.int64)] = np.arange(len(rank))
        del vocabulary, spelled
        per_word = np.zeros(len(self.words), np.int64)
        widest = 0
        for number, numbered in enumerate(ids):
            assert numbered is not None
            ids[number] = numbered = rank[numbered]  # now the words' places in word order
            per_word[numbered] += 1  # a word stands once in a page
            widest = max(widest, len(numbered))
        if int(per_word.sum()) != entries:
            raise ValueError("a page holds a word twice")
        self.first = starts(per_word)  # word w's entries: first[w] … first[w + 1] - 1 in word order
        # Page by page, each entry takes the next free place of its word: pages ascending in each word.
        self.local = np.empty(entries, _fitting(widest))  # entries in word order → their places in their pages
        self.page = np.empty(entries, _fitting(count))  # entries in word order → their pages
        free = self.first[:-1].copy()
        for number, numbered in enumerate(ids):
            assert numbered is not None
            at = free[numbered]
            self.local[at] = np.arange(len(at))
            self.page[at] = number
            free[numbered] += 1
            ids[number] = None

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
        return self.laid(start, stop)[0]

    def laid(self, start: int, stop: int) -> tuple[bytes, Array, Array]:
        """The records of words start … stop - 1, one after the other; their sizes; the sizes of their
        entries, in word order (what delta.py needs to patch them)."""
        sizes, heads, entry_at, deltas, part_at, part_from, kept = self._layout(start, stop)
        record_at = starts(sizes)
        out = np.empty(int(record_at[-1]), np.uint8)
        heads_at = starts(np.array([len(h) for h in heads], np.int64))
        copy_runs(out, record_at[:-1], np.frombuffer(b"".join(heads), np.uint8), heads_at[:-1], np.diff(heads_at))
        out[entry_at] = ENTRY
        put_heads(out, entry_at + 1, 0, deltas)
        # Each part framed (postings.framed): what the blob keeps lands len(MARK) bytes late, its steps in
        # their place; then its head in its place, MARK after it and EMPTY at the end.
        copy_runs(out, part_at + len(MARK), self.blob, part_from, kept)
        out[part_at] = self.blob[part_from]
        counted = first_head_sizes(out[part_at])
        longer = np.flatnonzero(counted > 1)  # 24 positions or more: a head of 2 bytes or more
        copy_runs(out, part_at[longer] + 1, self.blob, part_from[longer] + 1, counted[longer] - 1)
        for i, byte in enumerate(MARK):
            out[part_at + counted + i] = byte
        out[part_at + kept + len(MARK)] = EMPTY[0]
        return out.tobytes(), sizes, part_at + kept + FRAME - entry_at

    def _layout(self, start: int, stop: int) -> tuple[Array, list[bytes], Array, Array, Array, Array, Array]:
        """Of words start … stop - 1: their records' sizes and heads; of their entries, in word order,
        where each starts in the records, its page delta, where its part goes, where what the blob keeps
        of it starts, and its size."""
        first = self.first[start : stop + 1] - self.first[start]
        span = slice(int(self.first[start]), int(self.first[stop]))
        pages = self.page[span].astype(np.int64)
        local = self.local[span].astype(np.int64)
        deltas = np.diff(pages, prepend=0)
        deltas[first[:-1]] = pages[first[:-1]]  # a word's first entry: its page number
        read = self.first_read[pages] + local  # the entries in the order read
        begin = np.where(local > 0, self.ends[read - 1], 0).astype(np.int64)
        part_from = self.base[pages] + begin
        kept = self.ends[read].astype(np.int64) - begin
        delta_size = head_sizes(deltas)
        entry_size = 1 + delta_size + kept + FRAME
        heads = [record_head(self.words[i], int(first[i - start + 1] - first[i - start])) for i in range(start, stop)]
        head_size = np.array([len(h) for h in heads], np.int64)
        ends = np.cumsum(entry_size)
        sizes = head_size + np.diff(ends[first[1:] - 1], prepend=0)
        # each entry starts after the records before its word's, its word's head and the entries before it
        word_of = np.repeat(np.arange(stop - start), np.diff(first))
        entry_at = np.cumsum(head_size)[word_of] + ends - entry_size
        return sizes, heads, entry_at, deltas, entry_at + 1 + delta_size, part_from, kept


class Vocabulary:
    """The pages' word keys → their numbers (0, 1, … in the order first seen), on arrays: the keys seen are kept
    sorted with their numbers, and found by a binary search of a page's keys at once, not one by one; those
    seen since they were last sorted in are in a dict, sorted in once it holds 4 096 or a quarter as many as the
    sorted ones (so that all the sort-ins together sort about five times as many keys as there are)."""

    def __init__(self) -> None:
        self.count = 0
        self._sorted = np.zeros(0, np.int64)
        self._numbers = np.zeros(0, np.int64)  # of the keys sorted
        self._recent: dict[int, int] = {}

    def numbers(self, keys: Array) -> Array:
        """The numbers of these keys, new keys numbered from the next free number on."""
        out = np.empty(len(keys), np.int64)
        at = np.minimum(np.searchsorted(self._sorted, keys), len(self._sorted) - 1)
        hit = self._sorted[at] == keys if len(self._sorted) else np.zeros(len(keys), bool)
        out[hit] = self._numbers[at[hit]]
        missed = np.flatnonzero(~hit)
        if len(missed):
            recent = self._recent
            numbered = []
            for key in keys[missed].tolist():
                number = recent.get(key)
                if number is None:
                    number = recent[key] = self.count
                    self.count += 1
                numbered.append(number)
            out[missed] = numbered
            if len(recent) >= max(1 << 12, len(self._sorted) // 4):
                self._sort_in()
        return out

    def keys(self) -> Array:
        """The keys by their numbers."""
        self._sort_in()
        out = np.empty(self.count, np.int64)
        out[self._numbers] = self._sorted
        return out

    def _sort_in(self) -> None:
        if not self._recent:
            return
        keys = np.concatenate([self._sorted, np.fromiter(self._recent, np.int64, len(self._recent))])
        numbers = np.concatenate([self._numbers, np.fromiter(self._recent.values(), np.int64, len(self._recent))])
        order = np.argsort(keys, kind="stable")
        self._sorted, self._numbers = keys[order], numbers[order]
        self._recent.clear()


def record_head(word: bytes, entries: int) -> bytes:
    """A record up to its entries: an array of 2, the word, the head of its array of entries."""
    return b"\x82" + head(3, len(word)) + word + head(4, entries)


def _fitting(largest: int) -> type[np.unsignedinteger[Any]]:
    """The smallest unsigned type of 16 bits or more that holds largest."""
    return np.uint16 if largest < 1 << 16 else np.uint32 if largest < 1 << 32 else np.uint64
