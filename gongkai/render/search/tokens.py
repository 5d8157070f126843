"""Text → the ASCII words of the search index and their positions, so that no segmenter ever sees Chinese.

A page's text is laid out on character positions: title and 文号 first, their runs (whitespace-separated
pieces of text) one position apart, then the body from position HEAD on; a hit below HEAD is a title or
文号 hit and ranks first. Each character's code is three base-36 digits, or 'z' and four for the rare
code points above them (prefix-free), and at each position stand:

- the gram of its character and the next (a bigram), and the longer grams grams.py calls for where a
  common gram starts here or at the next position: ``gram_word``, its length as one base-36 digit, then
  its codes, with every position it stands at;
- once per page, each character and each common gram: ``page_word``, 'y' before the same spelling, at
  one position only (0 when it is in the head, else HEAD): a term that is exactly one of them needs no
  positions;
- once per page, for each abbreviation group (abbreviations.py) one of whose spellings the page holds:
  ``group_word``, 'x' and the group's number in three base-36 digits. All of them sort together, so a
  query expanded to another spelling of its term costs one small chunk, not the chunks of that spelling.

Grams never cross runs, and a run ends one position before the next starts, so that no term is found
across two lines. assets/terms.js maps a query term to the same words; keep the two files in step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import numpy.typing as npt

from .cbor import Array
from .forms import fold
from .grams import Grams

HEAD = 128
"""Positions below this hold title and 文号: a hit there ranks before body hits."""

SHORT = 35 * 36 * 36
"""Code points below this are 3 base-36 digits whose first is not 'z'; the rest 'z' + 4 digits."""

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"

__all__ = ["HEAD", "code", "decode", "fold", "gram_word", "group_word", "page_word", "page_words", "runs"]


def runs(text: str) -> list[str]:
    """The runs of a text as the index sees them: folded (forms.py), split at whitespace."""
    return fold(text).split()


@cache
def code(char: str) -> str:
    """The fixed-width code of one character (prefix-free: no code starts another)."""
    point = ord(char)
    return _base36(point, 3) if point < SHORT else "z" + _base36(point, 4)


def _base36(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, digit = divmod(number, 36)
        digits.append(_DIGITS[digit])
    return "".join(reversed(digits))


def gram_word(gram: str) -> str:
    """The index word of a gram (2 … LONGEST characters) at each of its positions."""
    return _DIGITS[len(gram)] + "".join(code(c) for c in gram)


def page_word(gram: str) -> str:
    """The index word saying that a page holds a character or a common gram (one position)."""
    return "y" + _DIGITS[len(gram)] + "".join(code(c) for c in gram)


def group_word(index: int) -> str:
    """The index word saying that a page holds a spelling of abbreviation group ``index`` (one position)."""
    return "x" + _base36(index, 3)


@dataclass(frozen=True)
class PageWords:
    """One page's index words and their positions: the words (in no particular order), how many positions
    each has, and the positions themselves, word after word (ascending within each)."""

    spellings: list[str]
    counts: Array
    positions: Array
    length: int  # positions used

    @classmethod
    def of(cls, words: dict[str, list[int]], length: int) -> PageWords:
        """The page words of a mapping: word → its positions (ascending)."""
        counts = np.array([len(p) for p in words.values()], np.int64)
        flat = np.array([at for p in words.values() for at in p], np.int64)
        return cls(list(words), counts, flat, length)

    @property
    def words(self) -> dict[str, list[int]]:
        """Word → its positions (for tests and readers; the index uses the arrays)."""
        ends = np.cumsum(self.counts).tolist()
        flat = self.positions.tolist()
        return {w: flat[b - n : b] for w, n, b in zip(self.spellings, self.counts.tolist(), ends, strict=True)}


def page_words(title: str, doc_no: str, body: str, grams: Grams, groups: Sequence[Sequence[str]] = ()) -> PageWords:
    """Lay out a page's text on positions and list the words standing at each; groups are the
    abbreviation groups (abbreviations.py), each a group word where the page holds one of its spellings.

    Every word is found at once for the whole page, on numpy arrays of its code points, and named by an
    integer key (_Keys) until it is spelled, once per word (tests/render/test_search_tokens.py keeps the
    plain walk along each run that this replaced, and checks that both find the same)."""
    whole = fold("\n".join((title, doc_no, body)))
    found = np.array([i for i, group in enumerate(groups) if any(spelling in whole for spelling in group)], np.int64)
    laid = _Laid(title, doc_no, body, grams.longest)
    trie = _trie(grams)
    common = _Common(laid, trie, grams.longest)
    gram_at, gram_keys = _longer_grams(laid, common, grams.longest)
    once_at, once_keys = _once(laid, common)
    pairs = laid.pairs
    keys = np.concatenate([
        _Keys.BIGRAM | laid.points[pairs] << 21 | laid.points[pairs + 1], gram_keys, once_keys, _Keys.GROUP | found
    ])  # fmt: skip
    positions = np.concatenate([pairs, gram_at, once_at, np.full(len(found), HEAD, np.int64)])
    order = np.argsort(keys, kind="stable")  # a word's positions come from one of the parts, ascending there
    keys, positions = keys[order], positions[order]
    new = np.flatnonzero(_firsts(keys))
    counts = np.diff(np.r_[new, len(keys)])
    return PageWords(trie.spelled(keys[new]), counts, positions, laid.size)


class _Laid:
    """A page's text on its positions: one string, each run followed by a space (the gap between runs),
    title and 文号 first, the body from HEAD on (or right after them, when they reach past HEAD)."""

    def __init__(self, title: str, doc_no: str, body: str, longest: int) -> None:
        head = "".join(run + " " for run in (*runs(title), *runs(doc_no)))
        laid = head.ljust(HEAD) + "".join(run + " " for run in runs(body))
        self.size = size = len(laid)
        # Each position's code point, -1 in a gap, and past the end for the longest gram read from the last.
        self.points = np.full(size + longest + 1, -1, np.int64)
        self.points[:size] = np.frombuffer(laid.encode("utf-32-le"), "<u4")
        self.points[self.points == ord(" ")] = -1
        self.valid = valid = self.points[:size] >= 0
        at = np.arange(size)
        gaps = np.flatnonzero(~valid)  # never none: the last position is one (each run is followed by a space)
        run_start = np.maximum.accumulate(np.where(valid & ~np.r_[False, valid[:-1]], at, 0))
        # Where a page word found at each position stands: 0 in a run of the head starting before HEAD.
        self.where = np.where((at < len(head)) & (run_start < HEAD), 0, HEAD)
        # Characters from each position to the end of its run (0 in a gap).
        self.room = np.where(valid, gaps[np.searchsorted(gaps, at)] - at, 0)
        self.pairs = np.flatnonzero(valid[:-1] & valid[1:])  # where a bigram starts


class _Common:
    """The common grams standing at each position of a page: the longest one's length (0 where none), and
    the node (_Trie) of each of lengths 2 … that, one after the other in ``nodes`` from the position's
    ``offset`` on; and, by length, the positions where one starts and its node."""

    def __init__(self, laid: _Laid, trie: _Trie, longest: int) -> None:
        self.longest_at = np.zeros(laid.size + 1, np.int64)  # one more: a gram's next position is one
        self.levels: list[tuple[Array, Array]] = []
        starts, nodes = laid.pairs, laid.points[laid.pairs]  # a character is its own node
        for length in range(2, longest + 1):
            starts, nodes = trie.walk(starts, nodes, laid.points[starts + length - 1])
            if not len(starts):
                break
            self.longest_at[starts] = length
            self.levels.append((starts, nodes))
        held = np.maximum(self.longest_at - 1, 0)
        self.offset = np.cumsum(held) - held
        self.nodes = np.zeros(int(held.sum()), np.int64)
        for length, (starts, nodes) in enumerate(self.levels, 2):
            self.nodes[self.offset[starts] + length - 2] = nodes

    def node(self, at: Array, length: Array) -> Array:
        """The nodes of the common grams of these lengths (2 … each position's longest) at these positions."""
        return self.nodes[self.offset[at] + length - 2]


def _longer_grams(laid: _Laid, common: _Common, longest: int) -> tuple[Array, Array]:
    """The positions and keys of the grams of 3 … characters standing where a common gram starts or at the
    position before, up to one longer than the longest there: each is a common gram and the character after
    it (when its first characters are common), else the character before it and a common gram."""
    longest_at = common.longest_at
    top = np.minimum(np.minimum(np.maximum(longest_at[:-1], longest_at[1:]) + 1, longest), laid.room)
    chosen = np.flatnonzero(top >= 3)
    many = top[chosen] - 2
    at = np.repeat(chosen, many)
    size = 3 + np.arange(len(at)) - np.repeat(np.cumsum(many) - many, many)
    right = size - 1 <= longest_at[at]
    extended = common.node(np.where(right, at, at + 1), size - 1)
    extra = laid.points[np.where(right, at + size - 1, at)]
    return at, np.where(right, _Keys.RIGHT, _Keys.LEFT) | extended << 21 | extra


def _once(laid: _Laid, common: _Common) -> tuple[Array, Array]:
    """The positions and keys of the page words: each character and each common gram of the page, once, at
    the first place it stands (0 in the head, else HEAD)."""
    chars = laid.points[: laid.size][laid.valid]
    keys = np.concatenate([_Keys.PAGE_CHAR | chars, *(_Keys.PAGE_GRAM | n << 21 for _, n in common.levels)])
    at = np.concatenate([laid.where[laid.valid], *(laid.where[s] for s, _ in common.levels)])
    order = np.lexsort((at, keys))
    first = order[_firsts(keys[order])]
    return at[first], keys[first]


def _firsts(keys: Array) -> npt.NDArray[np.bool_]:
    """Of sorted keys, which is the first of its value."""
    out = np.ones(len(keys), bool)
    out[1:] = keys[1:] != keys[:-1]
    return out


class _Keys:
    """An index word's key: a tag in the top bits, then what the word is made of: a common gram's node
    (_Trie) or a character's code point in the upper place (bits 21 … 59), a code point in the lower one
    (bits 0 … 20). Each word has one key: a longer gram is RIGHT when its first characters are common,
    else LEFT."""

    BIGRAM = 0 << 60  # its two characters
    PAGE_CHAR = 1 << 60  # its character
    PAGE_GRAM = 2 << 60  # its common gram (in the upper place)
    RIGHT = 3 << 60  # a common gram, and the character after it
    LEFT = 4 << 60  # a common gram, and the character before it
    GROUP = 5 << 60  # the abbreviation group's number
    LOW = (1 << 21) - 1


NODES = 1 << 21
"""A common gram's node number in _Trie is NODES and its place there: above every code point."""

_SPELLINGS_KEPT = 1 << 20
"""Spellings kept by key at most (a worker spells each word once while it stays under this)."""


class _Trie:
    """The common grams of a Grams, as steps: (a common gram or character, the next character) → the
    common gram they make. Spells the words of its keys, keeping what it spelled."""

    def __init__(self, grams: Grams) -> None:
        found = sorted((g for g in grams.common if 2 <= len(g) <= grams.longest), key=lambda g: (len(g), g))
        number: dict[str, int] = {}
        steps: list[int] = []
        self.codes: list[str] = []  # of each common gram (node - NODES): its characters' codes
        self.sizes: list[int] = []  # of each common gram: its characters
        for gram in found:
            before = ord(gram[0]) if len(gram) == 2 else number.get(gram[:-1])
            if before is None:  # not reached: a walk along the text stops before it
                continue
            number[gram] = NODES + len(self.codes)
            steps.append(before << 21 | ord(gram[-1]))
            self.codes.append("".join(code(c) for c in gram))
            self.sizes.append(len(gram))
        order = np.argsort(np.array(steps, np.int64), kind="stable")
        self.steps = np.array(steps, np.int64)[order]
        self.to = (NODES + order).astype(np.int64)
        self.kept = _Spellings(self)

    def walk(self, starts: Array, nodes: Array, following: Array) -> tuple[Array, Array]:
        """Of positions where these common grams (or characters) stand, those where the one more character
        following makes a common gram, and that gram."""
        wanted = np.where(following >= 0, nodes << 21 | following, -1)
        found = np.searchsorted(self.steps, wanted)
        found[found == len(self.steps)] = 0
        hit = (self.steps[found] == wanted) if len(self.steps) else np.zeros(len(wanted), bool)
        return starts[hit], self.to[found[hit]]

    def spelled(self, keys: Array) -> list[str]:
        """The words of these keys."""
        if len(self.kept) > _SPELLINGS_KEPT:
            self.kept.clear()
        return list(map(self.kept.__getitem__, keys.tolist()))

    def spell(self, key: int) -> str:
        """The word of one key."""
        tag, low, high = key >> 60 << 60, key & _Keys.LOW, key >> 21 & ((1 << 39) - 1)
        if tag == _Keys.BIGRAM:
            word = "2" + _code(high) + _code(low)
        elif tag == _Keys.PAGE_CHAR:
            word = "y1" + _code(low)
        elif tag == _Keys.PAGE_GRAM:
            word = "y" + _DIGITS[self.sizes[high - NODES]] + self.codes[high - NODES]
        elif tag == _Keys.RIGHT:
            word = _DIGITS[self.sizes[high - NODES] + 1] + self.codes[high - NODES] + _code(low)
        elif tag == _Keys.LEFT:
            word = _DIGITS[self.sizes[high - NODES] + 1] + _code(low) + self.codes[high - NODES]
        else:
            word = group_word(low)
        return word


class _Spellings(dict[int, str]):
    """The words a _Trie spelled, by key: a key missing is spelled and kept."""

    def __init__(self, trie: _Trie) -> None:
        super().__init__()
        self.trie = trie

    def __missing__(self, key: int) -> str:
        word = self[key] = self.trie.spell(key)
        return word


def _code(point: int) -> str:
    return code(chr(point))


@lru_cache(maxsize=4)
def _trie(grams: Grams) -> _Trie:
    return _Trie(grams)


def decode(word: str) -> str:
    """The characters a gram or page word stands for (for tests)."""
    spelled = word[1:] if word.startswith("y") else word
    size, rest = _DIGITS.index(spelled[0]), spelled[1:]
    chars = []
    while rest:
        width = 5 if rest.startswith("z") else 3
        chars.append(chr(int(rest[1:5] if width == 5 else rest[:3], 36)))
        rest = rest[width:]
    if len(chars) != size:
        raise ValueError(f"not an index word: {word!r}")
    return "".join(chars)
