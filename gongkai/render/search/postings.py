"""Each page's part of the word index, in Pagefind's CBOR (the words' records are joined from them: join.py).

A page's part of a word's record is its page entry ``[page delta, locations, []]`` without the page delta:
the locations are a weight marker (-25: weight 1), then each position as the step from the one before;
title and 文号 rank first by their positions (tokens.HEAD), so all keep weight 1. A page word (tokens.py)
stands once, at 0 (in the head) or HEAD. The page's parts depend on its text, the common grams and the
abbreviation groups only (not on its number), so they are computed apart (and cached, cache.py) and the
records are joined from them: the CBOR is written here and in join.py, not by cbor2, as a county has tens
of millions of (word, page) entries (tests check it is the same).
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from .cbor import Array, head, head_size, head_sizes, put_heads, starts
from .forms import aliases, fold
from .grams import Grams
from .text import SearchText
from .tokens import Speller, pages_words

PAGE_WORDS = "xy"
"""First letters of the words standing once per page (tokens.py: page words and group words)."""


@dataclass(frozen=True)
class PageParts:
    """One page's part of the index, compact (a county holds tens of millions of (word, page) entries):
    its length in positions, rounded (for ranking); its words' keys (tokens.py: native int64, spelled only
    when the pages are joined, join.py, or compared with the published bundle, delta.py); their parts, one
    after the other, each without the FRAME every part has (framed puts it back); and where each part ends
    in them (native uint32, one per word)."""

    length: int
    keys: bytes
    parts: bytes
    ends: bytes

    def unpacked(self, spell: Speller) -> dict[str, bytes]:
        """The page's words (spelled) → their parts, framed."""
        ends = array("I", self.ends)
        starts = [0, *ends][: len(ends)]
        words = spell(np.frombuffer(self.keys, np.int64))
        return {w: framed(self.parts[a:b]) for w, a, b in zip(words, starts, ends, strict=True)}


MARK = head(1, 24)
"""-25, the weight marker: the first of a part's locations, after their array's head."""

EMPTY = head(4, 0)
"""[]: the end of every part."""

FRAME = len(MARK) + len(EMPTY)
"""The bytes every part has (MARK and EMPTY): a county's parts are 200 MB smaller without them."""


def framed(kept: bytes) -> bytes:
    """A part as it is in a record, from the part without its frame (its locations' head, its steps)."""
    counted = head_size(kept[0])
    return kept[:counted] + MARK + kept[counted:] + EMPTY


def unframed(part: bytes) -> bytes:
    """A part without its frame (framed's inverse)."""
    counted = head_size(part[0])
    if part[counted : counted + len(MARK)] != MARK or part[-len(EMPTY) :] != EMPTY or len(part) <= counted + FRAME:
        raise ValueError(f"not a part of a word's record: {part!r}")
    return part[:counted] + part[counted + len(MARK) : -len(EMPTY)]


def pages_parts(texts: Sequence[SearchText], grams: Grams, groups: Sequence[Sequence[str]]) -> list[PageParts]:
    """Of each page, its words (tokens.py) and, for each, the page's part of its record: all at once."""
    laid = pages_words([(text.title, text.doc_no, indexed_rest(text)) for text in texts], grams, groups)
    blob, ends = encoded(laid.counts, laid.positions)
    edges = np.r_[0, ends]  # where each word's part starts, and the last ends
    out = []
    for number, (a, b) in enumerate(pairwise(laid.bounds.tolist())):
        start, stop = int(edges[a]), int(edges[b])
        page_ends = (ends[a:b] - start).astype(np.uint32).tobytes()
        keys = laid.keys[a:b].tobytes()
        out.append(PageParts(rounded(laid.lengths[number]), keys, blob[start:stop].tobytes(), page_ends))
    return out


def encoded(counts: Array, at: Array) -> tuple[npt.NDArray[np.uint8], Array]:
    """The parts of words standing at these positions (``counts`` of them each, in ``at`` one word after the
    other, ascending in each), without their frames (PageParts), one after the other, and where each ends:
    the head of ``[-25, first position, step, step …]`` then the positions and steps, the CBOR of each
    written at once. A page word stands at 0 or HEAD: its part is that of a gram word at that one position."""
    if not len(counts):
        return np.zeros(0, np.uint8), np.zeros(0, np.int64)
    first = starts(counts)[:-1]
    steps = np.diff(at, prepend=0)
    steps[first] = at[first]
    step_sizes = head_sizes(steps)
    counted = head_sizes(counts + 1)  # the locations: the weight marker, then the positions
    step_ends = np.cumsum(step_sizes)
    sizes = counted + np.add.reduceat(step_sizes, first)
    ends = np.cumsum(sizes)
    out = np.empty(int(ends[-1]), np.uint8)
    begin = ends - sizes
    put_heads(out, begin, 4, counts + 1)
    before = step_ends - step_sizes  # the steps' bytes before each step, counted from the page's first
    word = np.repeat(np.arange(len(counts)), counts)
    put_heads(out, (begin + counted - before[first])[word] + before, 0, steps)
    return out, ends


def indexed_rest(text: SearchText) -> str:
    """The text indexed after title and 文号: the rest as shown, then the other spellings of its dates."""
    return "\n".join([text.rest, *aliases(fold(text.whole))])


@dataclass(frozen=True)
class Word:
    """One index word: its spelling, the weight of its record (about its compressed size) and its number
    in word order (join.py writes its record: [word, [[page delta, locations, []], …]] in CBOR)."""

    word: str
    weight: int
    number: int = 0


def weight(word: str, size: int, entries: int) -> int:
    """About the compressed size of a record of ``size`` bytes: a page word's entries are all alike, about
    a byte each; a gram word's positions about 2.5 bytes each (the raw record spends about 2.2 on a
    position and 6 more on an entry's frame)."""
    if word[0] in PAGE_WORDS:
        return entries
    return max(1, (size - 6 * entries) * 5 // 4 + 5 * entries // 2)


def rounded(words: int) -> int:
    """A page's length on a scale of steps about three times apart: enough for ranking, and it packs
    small (the meta, with every page, is part of every reader's first download)."""
    if words < 10:
        return words
    scale = 10 ** (len(str(words)) - 2)
    return min((step * scale for step in _STEPS), key=lambda value: (abs(value - words), value))


_STEPS = (10, 30, 100)
