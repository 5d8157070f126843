"""The word index's records, in Pagefind's CBOR: each page's part encoded once, the words' records joined.

A page's part of a word's record is its page entry ``[page delta, locations, []]`` without the page delta:
the locations are a weight marker (-25: weight 1), then each position as the step from the one before;
title and 文号 rank first by their positions (tokens.HEAD), so all keep weight 1. A page word (tokens.py)
stands once, at 0 (in the head) or HEAD. The page's parts depend on its text, the common grams and the
abbreviation groups only (not on its number), so they are computed apart (and cached, cache.py) and the
records are joined from them: the CBOR is written here, not by cbor2, as a county has tens of millions of
(word, page) entries (tests check it is the same).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, pairwise

from .forms import aliases, fold
from .grams import Grams
from .text import SearchText
from .tokens import HEAD, page_words

PAGE_WORDS = "xy"
"""First letters of the words standing once per page (tokens.py: page words and group words)."""


@dataclass(frozen=True)
class PageParts:
    """One page's part of the index: its length in positions, rounded (for ranking), and its words' parts."""

    length: int
    parts: dict[str, bytes]


def page_parts(text: SearchText, grams: Grams, groups: Sequence[Sequence[str]]) -> PageParts:
    """A page's words (tokens.py) and, for each, the page's part of its record."""
    laid = page_words(text.title, text.doc_no, indexed_rest(text), grams, groups)
    parts: dict[str, bytes] = {}
    single, page_word = _SINGLE, _PAGE_WORD
    for word, positions in laid.words.items():
        if word[0] in PAGE_WORDS:
            parts[word] = page_word[positions[0] >= HEAD]
        elif len(positions) == 1 and positions[0] < _TABLE:
            parts[word] = single[positions[0]]
        else:
            steps = [positions[0], *(b - a for a, b in pairwise(positions))]
            parts[word] = b"".join([_head(4, len(positions) + 1), _MARK, *map(_uint, steps), _EMPTY])
    return PageParts(rounded(laid.length), parts)


def indexed_rest(text: SearchText) -> str:
    """The text indexed after title and 文号: the rest as shown, then the other spellings of its dates."""
    return "\n".join([text.rest, *aliases(fold(text.whole))])


@dataclass(frozen=True)
class Word:
    """One word's record, CBOR-encoded as Pagefind reads it: [word, [[page delta, locations, []], …]]."""

    word: str
    body: bytes
    weight: int  # about its compressed size


def collect(pages: Sequence[PageParts]) -> dict[str, list[int | bytes]]:
    """Each word → its pages and their parts, alternating, pages ascending (page i is pages[i])."""
    postings: dict[str, list[int | bytes]] = {}
    for number, page in enumerate(pages):
        for word, part in page.parts.items():
            found = postings.get(word)
            if found is None:
                postings[word] = [number, part]
            else:
                found.append(number)
                found.append(part)
    return postings


def records(postings: dict[str, list[int | bytes]]) -> Iterator[Word]:
    """Each word's record, in word order (emptying postings as it goes)."""
    entry = _ENTRY_STEP
    for word in sorted(postings):
        flat = postings.pop(word)
        pages: list[int] = flat[0::2]  # type: ignore[assignment]
        parts: list[bytes] = flat[1::2]  # type: ignore[assignment]
        steps = [pages[0], *(b - a for a, b in pairwise(pages))]
        heads = [entry[s] if s < _TABLE else _ENTRY + _uint(s) for s in steps]
        text = word.encode()
        entries = chain.from_iterable(zip(heads, parts, strict=True))
        body = b"".join([_PAIR, _head(3, len(text)), text, _head(4, len(parts)), *entries])
        yield Word(word, body, _weight(word, body, len(parts)))


def _weight(word: str, body: bytes, entries: int) -> int:
    """About the compressed size of a record: a page word's entries are all alike, about a byte each; a
    gram word's positions about 2.5 bytes each (the raw record spends about 2.2 on a position and 6 more
    on an entry's frame)."""
    if word[0] in PAGE_WORDS:
        return entries
    return max(1, (len(body) - 6 * entries) * 5 // 4 + 5 * entries // 2)


def rounded(words: int) -> int:
    """A page's length on a scale of steps about three times apart: enough for ranking, and it packs
    small (the meta, with every page, is part of every reader's first download)."""
    if words < 10:
        return words
    scale = 10 ** (len(str(words)) - 2)
    return min((step * scale for step in _STEPS), key=lambda value: (abs(value - words), value))


_STEPS = (10, 30, 100)


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


_head = head
_TABLE = 1 << 16
_UINTS = [head(0, n) for n in range(_TABLE)]


def _uint(value: int) -> bytes:
    return _UINTS[value] if 0 <= value < _TABLE else head(0, value)  # a negative one raises


_ENTRY, _PAIR, _EMPTY = head(4, 3), head(4, 2), head(4, 0)
_MARK = head(1, 24)  # -25
_PAGE_WORD = (  # a page word's locations (its one position: in the head, or not), and the empty list
    head(4, 2) + _MARK + _uint(0) + _EMPTY,
    head(4, 2) + _MARK + _uint(HEAD) + _EMPTY,
)
_SINGLE = [head(4, 2) + _MARK + u + _EMPTY for u in _UINTS]  # a gram word's part at one position
_ENTRY_STEP = [_ENTRY + u for u in _UINTS]  # an entry's start: its page delta
