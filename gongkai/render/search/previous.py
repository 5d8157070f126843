"""The previous bundle's word index read back for a patch (delta.py): each word's record and its entries' sizes,
from the chunk holding it, renumbered where pages were deleted.

A record is its head (join.record_head: the word and its count of entries), then its entries; an entry is its own
head (an array of 3: join.ENTRY), the page's step from the word's entry before, then the page's part. A deleted page
moves every page after it one number down: its entries are dropped and, in every record, the first entry after it
takes a new page step; the others keep their bytes (_renumbered, on a whole chunk at once).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
import zlib
from array import array
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import numpy as np
import numpy.typing as npt

from .cache import SearchCache
from .cbor import copy_runs, head, head_sizes, put_heads, read_heads, starts
from .join import ENTRY, record_head
from .output import Entry, stat_of, summed
from .pack import SIGNATURE, Index
from .postings import weight

Numbers = npt.NDArray[Any]
"""A numpy array of integers (or of booleans: a mask)."""

Chunk = tuple[bytes, list[int], Numbers, list[int]]
"""A chunk read back (Previous._read_chunk): its bytes, where its records start (and the last ends), its entries'
sizes, where each record's entries start among them (and the last's end)."""

_LOADED = 4
"""Chunks of the previous bundle held at once (they are read in word order)."""


P = ParamSpec("P")
R = TypeVar("R")


class Unpatchable(Exception):
    """The pages cannot be patched in, or the previous bundle is not as listed: build in full."""


class Previous:
    """The previous bundle's word index: its words and their records, read from its chunks as needed.

    When pages were deleted (``gone``: their earlier numbers), the records are given renumbered: a deleted page's
    entries dropped, and each page after it numbered lower by the deleted pages before it (the first entry after a
    deleted page takes a new page step; the others keep their bytes). Every chunk is read once first, for the
    records' new sizes (the chunks are cut by them; its renumbered records kept, ``held`` bytes at most), and read
    again past those as its records are needed."""

    def __init__(
        self,
        folder: Path,
        files: dict[str, Entry],
        index: Index,
        pages: int,
        store: SearchCache,
        gone: list[int] | None = None,
        held: int = 0,
    ) -> None:
        """The bundle in ``folder`` (its files: path → key, stat, sum) of this word index and number of ``pages``; its
        chunks' entries' sizes in ``store``; ``gone``: the pages deleted; ``held``: bytes of renumbered chunks
        kept from the first reading to the writing, at most."""
        self.folder, self.files = folder, files
        self.store = store
        self.words = index.words.decode("ascii").split("\n") if index.words else []
        self.number = {word: i for i, word in enumerate(self.words)}
        self.sizes = np.frombuffer(index.sizes, np.uint32).astype(np.int64)
        self.counts = np.frombuffer(index.counts, np.uint32).astype(np.int64)
        self.weights = array("I", index.weights).tolist()
        per_chunk = np.frombuffer(index.chunks, np.uint32).astype(np.int64)
        if not (len(self.sizes) == len(self.counts) == len(self.weights) == len(self.words) == per_chunk.sum()):
            raise Unpatchable("the state does not add up")
        if len(per_chunk) != len(index.keys):
            raise Unpatchable("the state does not add up")
        self.first = starts(per_chunk)  # chunk c: words first[c] … first[c + 1] - 1
        self.chunk_of = np.repeat(np.arange(len(per_chunk)), per_chunk).tolist()
        self.keys = index.keys
        self.paths = {k: path for path, (k, *_) in files.items()}
        self._loaded: OrderedDict[int, Chunk] = OrderedDict()
        # As written before: how the chunks are read
        self._sizes, self._counts = self.sizes, self.counts
        self.same_chunk = [True] * len(self.keys)  # the chunk's bytes left as they were by the renumbering
        self._held: dict[int, Chunk] = {}  # renumbered chunks, up to held bytes
        self._released = 0  # the chunks before it are no longer held (passed)
        self._checked: set[int] = set()  # chunks whose bytes were found to be the ones listed
        self._renumber: Numbers | None = None
        if gone:
            self._renumber = _renumbering(pages, gone)
            self._renumber_all(held)

    def emptied(self) -> set[str]:
        """The words of deleted pages alone (their records have no entry left)."""
        return {self.words[i] for i in np.flatnonzero(self.counts == 0).tolist()}

    def _renumber_all(self, most: int) -> None:
        """The records' sizes, entries and weights once renumbered, and which chunks that changed."""
        assert self._renumber is not None
        sizes, counts = self.sizes.copy(), self.counts.copy()
        held = 0
        for chunk in range(len(self.keys)):
            a, b = int(self.first[chunk]), int(self.first[chunk + 1])
            found = self._read_chunk(chunk)
            new = _renumbered(*found, self._renumber, self.words[a:b], write=held <= most)
            sizes[a:b], counts[a:b] = new.sizes, new.counts
            self.same_chunk[chunk] = new.same
            if new.data is not None:  # kept for the writing (read again past most)
                self._held[chunk] = renumbered = new.chunk(found[1][0])
                held += len(renumbered[0]) + renumbered[2].nbytes
            for i in np.flatnonzero(new.changed).tolist():
                word, count = self.words[a + i], int(new.counts[i])
                self.weights[a + i] = weight(word, int(new.sizes[i]), count) if count else 0
        self.sizes, self.counts = sizes, counts

    def passed(self, word: str) -> None:
        """The chunks are written up to ``word``: the renumbered chunks of no later word are let go."""
        while self._released < len(self.keys) and self.words[int(self.first[self._released + 1]) - 1] <= word:
            self._held.pop(self._released, None)
            self._released += 1

    def entry(self) -> dict[str, Any]:
        """Pagefind's entry file of the previous bundle."""
        name = "pagefind-entry.json"
        data = self._read(name)
        entry: dict[str, Any] = json.loads(data)
        return entry

    def _read(self, relative: str) -> bytes:
        """The bytes of a file of the bundle, if it is the file listed: its stat as listed, or but for the change time
        (a hard link made or removed elsewhere) and its bytes of the listed sum (output.Reuse.find)."""
        found = self.files.get(relative)
        path = os.path.join(self.folder, relative)
        try:
            if found is None:
                raise Unpatchable(f"{relative} is not listed")
            now = stat_of(path)
            if now[:3] != found[1][:3]:
                raise Unpatchable(f"{relative} of the previous bundle is not as listed")
            with open(path, "rb") as file:
                data = file.read()
            if now[3] != found[1][3] and (summed(data) != found[2] or stat_of(path) != now):
                raise Unpatchable(f"{relative} of the previous bundle is not as listed")
            return data
        except OSError as error:
            raise Unpatchable(str(error)) from error

    def record(self, number: int) -> tuple[bytes, Numbers]:
        """Word ``number``'s record and the sizes of its entries (renumbered)."""
        chunk = self.chunk_of[number]
        data, record_at, sizes, entry_at = self.chunk(chunk)
        i = number - int(self.first[chunk])
        return data[record_at[i] : record_at[i + 1]], sizes[entry_at[i] : entry_at[i + 1]].astype(np.int64)

    def chunk(self, chunk: int) -> Chunk:
        """A chunk as _read_chunk gives it, renumbered."""
        found = self._held.get(chunk) or self._loaded.get(chunk)
        if found is not None:
            if chunk in self._loaded:
                self._loaded.move_to_end(chunk)
            return found
        found = self._read_chunk(chunk)
        if self._renumber is not None and not self.same_chunk[chunk]:
            a, b = int(self.first[chunk]), int(self.first[chunk + 1])
            found = _renumbered(*found, self._renumber, self.words[a:b], write=True).chunk(found[1][0])
        self._loaded[chunk] = found
        if len(self._loaded) > _LOADED:
            self._loaded.popitem(last=False)
        return found

    def _read_chunk(self, chunk: int) -> Chunk:
        """A chunk as written: its bytes, where its records start (and the last ends), its entries' sizes, where
        each record's entries start among them (and the last's end)."""
        chunk_key = self.keys[chunk]
        path = self.paths.get(chunk_key)
        if path is None:
            raise Unpatchable("a chunk is not listed")
        try:
            data = gzip.decompress(self._read(path))  # (its stat checked: as listed)
        except (OSError, EOFError, zlib.error) as error:
            raise Unpatchable(f"{path}: {error}") from error
        if chunk not in self._checked and hashlib.sha1(data).hexdigest() != chunk_key:
            raise Unpatchable(f"{path} is not the chunk listed")
        self._checked.add(chunk)
        stored = self.store.get("entries", chunk_key)
        if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] in (2, 4)):
            raise Unpatchable("a chunk's entries are not in the cache")
        if not isinstance(stored[1], bytes) or len(stored[1]) % stored[0]:
            raise Unpatchable("a chunk's entries are not in the cache")
        sizes = np.frombuffer(stored[1], np.uint16 if stored[0] == 2 else np.uint32)
        a, b = int(self.first[chunk]), int(self.first[chunk + 1])
        start = len(SIGNATURE) + len(head(4, 1)) + len(head(4, b - a))
        record_at = (start + starts(self._sizes[a:b])).tolist()
        entry_at = starts(self._counts[a:b]).tolist()
        if record_at[-1] != len(data) or entry_at[-1] != len(sizes):
            raise Unpatchable(f"{path}: its entries do not add up")
        return data, record_at, sizes, entry_at


def _renumbering(pages: int, gone: list[int]) -> Numbers:
    """Each earlier page number's new one: lower by the deleted pages before it; -1 for a deleted page."""
    deleted = np.zeros(pages, bool)
    deleted[gone] = True
    new = np.arange(pages) - np.cumsum(deleted)
    new[deleted] = -1
    return new


@dataclass(frozen=True)
class _Renumbered:
    """A chunk's records renumbered (_renumbered): of each word, its record's size and entries, whether it
    changed; whether any did; the chunk's new bytes and its entries' sizes (when written)."""

    sizes: Numbers
    counts: Numbers
    changed: Numbers  # bool, per word
    same: bool
    data: bytes | None = None
    entries: Numbers | None = None

    def chunk(self, start: int) -> Chunk:
        """The renumbered chunk as Previous._read_chunk gives one (its records from ``start``, after the chunk's
        head); only of one written."""
        if self.data is None or self.entries is None:
            raise ValueError("the chunk was renumbered without its bytes")
        record_at = (start + starts(self.sizes)).tolist()
        return self.data, record_at, self.entries.astype(np.uint32), starts(self.counts).tolist()


def _as_unpatchable(function: Callable[P, R]) -> Callable[P, R]:
    """``function``, raising Unpatchable for a ValueError or IndexError (read_heads: a head out of range; numpy:
    sizes that do not fit): a chunk that does not agree with its entries' sizes builds the bundle in full."""

    @functools.wraps(function)
    def unpatchable(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except (ValueError, IndexError) as error:
            raise Unpatchable(f"a chunk cannot be renumbered: {error}") from error

    return unpatchable


@_as_unpatchable
def _renumbered(
    data: bytes,
    record_at: list[int],
    sizes: Numbers,
    entry_at: list[int],
    renumber: Numbers,
    words: list[str],
    write: bool,
) -> _Renumbered:
    """A chunk's records (as Previous._read_chunk gives them) with the pages renumbered: ``renumber`` gives each
    earlier page its new number, -1 to drop its entry; ``write``: its new bytes too, else only their sizes.
    Unpatchable if the chunk and its entries' sizes do not agree.

    A record is its head (join.record_head: the word and its count of entries), then its entries; an entry is
    its own head (an array of 3: join.ENTRY), the page's step from the word's entry before (of the first: the
    page's number), then the rest (the page's part), kept byte for byte. All at once on numpy arrays, per entry:
    where it starts (``at``), its step and page (the steps summed within its word), its new page and step."""
    raw = np.frombuffer(data, np.uint8)
    record_at_ = np.array(record_at, np.int64)
    counts: Numbers = np.diff(np.array(entry_at, np.int64))
    n = len(counts)
    entries = sizes.astype(np.int64)
    word_of = np.repeat(np.arange(n), counts)  # of each entry
    before = starts(entries)  # of each entry, the bytes of the chunk's entries before it
    first = before[np.array(entry_at[:-1], np.int64)]  # of each word's entries, the bytes before them
    heads = np.diff(record_at_) - (before[np.array(entry_at[1:], np.int64)] - first)  # a record less its entries
    at = record_at_[:-1][word_of] + heads[word_of] + before[:-1] - first[word_of]
    if len(at) and (int(heads.min()) < 1 or np.any(raw[at] != ENTRY)):
        raise Unpatchable("a chunk's entries are not where their sizes say")
    steps = read_heads(raw, at + 1)
    run = np.cumsum(steps)
    pages = run - np.concatenate(([0], run))[np.array(entry_at[:-1], np.int64)][word_of]
    if len(pages) and (int(pages.min()) < 0 or int(pages.max()) >= len(renumber)):
        raise Unpatchable("a chunk names a page that is not numbered")
    new = renumber[pages]
    alive = new >= 0
    word_alive, new = word_of[alive], new[alive]
    new_steps = np.diff(new, prepend=0)
    firsts = np.flatnonzero(np.diff(word_alive, prepend=-1))  # each word's first entry left
    new_steps[firsts] = new[firsts]
    new_counts = np.bincount(word_alive, minlength=n)
    changed = (new_counts != counts) | (np.bincount(word_alive[new_steps != steps[alive]], minlength=n) > 0)
    if not changed.any():
        return _Renumbered(sizes=np.diff(record_at_), counts=counts, changed=changed, same=True)
    old_step_sizes = head_sizes(steps[alive])
    step_sizes = head_sizes(new_steps)
    rest = entries[alive] - 1 - old_step_sizes
    new_entries = 1 + step_sizes + rest
    recounted = {i: record_head(words[i].encode(), int(new_counts[i])) for i in np.flatnonzero(new_counts != counts)}
    new_heads = heads.copy()
    for i, written in recounted.items():
        new_heads[i] = len(written)
    new_sizes = new_heads + np.bincount(word_alive, new_entries, minlength=n).astype(np.int64)
    new_sizes[new_counts == 0] = 0
    if not write:
        return _Renumbered(new_sizes, new_counts, changed, same=False)
    out = np.empty(record_at[0] + int(new_sizes.sum()), np.uint8)
    out[: record_at[0]] = raw[: record_at[0]]
    new_at = record_at[0] + starts(new_sizes)
    same_head = new_counts == counts
    copy_runs(out, new_at[:-1][same_head], raw, record_at_[:-1][same_head], heads[same_head])
    for i, written in recounted.items():
        if new_counts[i]:
            out[new_at[i] : new_at[i] + len(written)] = np.frombuffer(written, np.uint8)
    new_before = starts(new_entries)
    word_first = np.zeros(n, np.int64)
    word_first[word_alive[firsts]] = new_before[firsts]
    entry_to = new_at[:-1][word_alive] + new_heads[word_alive] + new_before[:-1] - word_first[word_alive]
    out[entry_to] = ENTRY
    put_heads(out, entry_to + 1, 0, new_steps)
    copy_runs(out, entry_to + 1 + step_sizes, raw, at[alive] + 1 + old_step_sizes, rest)
    return _Renumbered(new_sizes, new_counts, changed, False, out.tobytes(), new_entries)
