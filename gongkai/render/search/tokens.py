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

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

import numpy as np
import numpy.typing as npt

from .cbor import Array, starts
from .forms import fold
from .grams import Grams

HEAD = 128
"""Positions below this hold title and 文号: a hit there ranks before body hits."""

SHORT = 35 * 36 * 36
"""Code points below this are 3 base-36 digits whose first is not 'z'; the rest 'z' + 4 digits."""

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"

__all__ = [
    "HEAD", "PageWords", "PagesWords", "Speller", "code", "decode", "fold", "gram_word", "group_word", "page_word",
    "page_words", "pages_words", "runs", "speller",
]  # fmt: skip


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
    if not 0 <= index < 36**3:  # abbreviations.MOST: no two groups may share a word
        raise ValueError(f"no index word for abbreviation group {index}")
    return "x" + _base36(index, 3)


Speller = Callable[[Array], list[str]]
"""The words of keys (of one Grams: speller)."""


def speller(grams: Grams) -> Speller:
    """The words of the keys pages_words gives with these common grams."""
    return _trie(grams).spelled


@dataclass(frozen=True)
class PageWords:
    """One page's index words and their positions: the words' keys (_Keys; ``spell`` spells them), how many
    positions each has, and the positions themselves, word after word (ascending within each)."""

    keys: Array
    counts: Array
    positions: Array
    length: int  # positions used
    spell: Speller = field(compare=False, repr=False)

    @property
    def spellings(self) -> list[str]:
        """The words, spelled."""
        return self.spell(self.keys)

    @property
    def words(self) -> dict[str, list[int]]:
        """Word → its positions (for tests and readers; the index uses the arrays)."""
        ends = np.cumsum(self.counts).tolist()
        flat = self.positions.tolist()
        return {w: flat[b - n : b] for w, n, b in zip(self.spellings, self.counts.tolist(), ends, strict=True)}


def page_words(title: str, doc_no: str, body: str, grams: Grams, groups: Sequence[Sequence[str]] = ()) -> PageWords:
    """Lay out a page's text on positions and list the words standing at each (pages_words, of one page)."""
    return pages_words([(title, doc_no, body)], grams, groups).page(0)


@dataclass(frozen=True)
class PagesWords:
    """The index words of several pages, one page after the other: as PageWords, and where each page's
    words start in them (and where the last ends)."""

    keys: Array
    counts: Array
    positions: Array
    lengths: list[int]
    bounds: Array
    spell: Speller

    def page(self, number: int) -> PageWords:
        """One page's words."""
        a, b = int(self.bounds[number]), int(self.bounds[number + 1])
        first, last = int(self.counts[:a].sum()), int(self.counts[:b].sum())
        return PageWords(self.keys[a:b], self.counts[a:b], self.positions[first:last], self.lengths[number], self.spell)


def pages_words(
    pages: Sequence[tuple[str, str, str]], grams: Grams, groups: Sequence[Sequence[str]] = ()
) -> PagesWords:
    """Lay out each page's text (title, 文号, body) on positions and list the words standing at each; groups are
    the abbreviation groups (abbreviations.py), each a group word where the page holds one of its spellings.

    Every word of the pages is found at once, on numpy arrays of their code points (the pages one after the
    other: many pages at once cost the array operations' overhead once), and named by an integer key (_Keys):
    the index joins the pages' words by their keys and spells each once (join.py). tests/render/
    test_search_tokens.py checks them against a plain walk along each run, as this module did before."""
    laid = _Laid(pages, grams.longest)
    trie = _trie(grams)
    common = _Common(laid, trie, grams.longest)
    gram_at, gram_keys = _longer_grams(laid, common, grams.longest)
    once_page, once_at, once_keys = _once(laid, common)
    group_page, group_keys = _groups(pages, groups)
    pairs = laid.pairs
    page = np.concatenate([laid.page[pairs], laid.page[gram_at], once_page, group_page])
    keys = np.concatenate([
        _Keys.BIGRAM | laid.points[pairs] << 21 | laid.points[pairs + 1], gram_keys, once_keys, group_keys
    ])  # fmt: skip
    positions = np.concatenate([
        pairs - laid.start[laid.page[pairs]], gram_at - laid.start[laid.page[gram_at]], once_at,
        np.full(len(group_keys), HEAD, np.int64),
    ])  # fmt: skip
    order = np.lexsort((keys, page))  # stable: a word's positions come from one of the parts, ascending there
    page, keys, positions = page[order], keys[order], positions[order]
    new = np.flatnonzero(_firsts(keys, page))
    counts = np.diff(np.r_[new, len(keys)])
    bounds = np.searchsorted(page[new], np.arange(len(pages) + 1))
    return PagesWords(keys[new], counts, positions, laid.sizes.tolist(), bounds, trie.spelled)


class _Laid:
    """Pages' text on their positions, the pages one after the other: each one string, each run followed by a
    space (the gap between runs), title and 文号 first, the body from HEAD on (or right after them, when they
    reach past HEAD)."""

    def __init__(self, pages: Sequence[tuple[str, str, str]], longest: int) -> None:
        heads = ["".join(run + " " for run in (*runs(title), *runs(doc_no))) for title, doc_no, _ in pages]
        laid = [h.ljust(HEAD) + "".join(run + " " for run in runs(p[2])) for h, p in zip(heads, pages, strict=True)]
        self.sizes = np.array([len(text) for text in laid], np.int64)
        self.start = starts(self.sizes)  # of each page, and the end of the last
        self.size = size = int(self.start[-1])
        # Each position's code point, -1 in a gap, and past the end for the longest gram read from the last.
        self.points = np.full(size + longest + 1, -1, np.int64)
        # (A lone surrogate is a code point like any other, as it was to the walk along the text before.)
        self.points[:size] = np.frombuffer("".join(laid).encode("utf-32-le", "surrogatepass"), "<u4")
        self.points[self.points == ord(" ")] = -1
        self.valid = valid = self.points[:size] >= 0
        self.page = np.repeat(np.arange(len(pages)), self.sizes)  # each position's
        at = np.arange(size)
        gaps = np.flatnonzero(~valid)  # each page ends with one (its last run is followed by a space)
        run_start = np.maximum.accumulate(np.where(valid & ~np.r_[False, valid[:-1]], at, 0)) - self.start[self.page]
        # Where a page word found at each position stands: 0 in a run of the head starting before HEAD.
        head = np.array([len(h) for h in heads], np.int64)
        self.where = np.where((at - self.start[self.page] < head[self.page]) & (run_start < HEAD), 0, HEAD)
        # Characters from each position to the end of its run (0 in a gap).
        self.room = np.where(valid, gaps[np.searchsorted(gaps, at)] - at, 0) if size else np.zeros(0, np.int64)
        self.pairs = np.flatnonzero(valid[:-1] & valid[1:])  # where a bigram starts


class _Common:
    """The common grams standing at each position of a page: the longest one's length (0 where none), and
    the node (_Trie) of each of lengths 2 … that, one after the other in ``nodes`` from the position's
    ``offset`` on; and, by length, the positions where one starts and its node."""

    def __init__(self, laid: _Laid, trie: _Trie, longest: int) -> None:
        self.longest_at = np.zeros(laid.size + 1, np.int64)  # and past the last: _longer_grams reads the next
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


def _once(laid: _Laid, common: _Common) -> tuple[Array, Array, Array]:
    """The pages, positions and keys of the page words: each character and each common gram of a page, once, at
    the first place it stands (0 in the head, else HEAD)."""
    levels = common.levels
    chars = laid.points[: laid.size][laid.valid]
    keys = np.concatenate([_Keys.PAGE_CHAR | chars, *(_Keys.PAGE_GRAM | n << 21 for _, n in levels)])
    at = np.concatenate([laid.where[laid.valid], *(laid.where[s] for s, _ in levels)])
    page = np.concatenate([laid.page[laid.valid], *(laid.page[s] for s, _ in levels)])
    order = np.lexsort((at, keys, page))
    first = order[_firsts(keys[order], page[order])]
    return page[first], at[first], keys[first]


def _groups(pages: Sequence[tuple[str, str, str]], groups: Sequence[Sequence[str]]) -> tuple[Array, Array]:
    """The pages and keys of the group words: each page holding a spelling of a group has its word."""
    found = [
        (number, index)
        for number, texts in enumerate(pages)
        for whole in [fold("\n".join(texts))]
        for index, group in enumerate(groups)
        if any(spelling in whole for spelling in group)
    ]
    pairs = np.array(found, np.int64).reshape(-1, 2)
    return pairs[:, 0].copy(), _Keys.GROUP | pairs[:, 1]


def _firsts(keys: Array, page: Array) -> npt.NDArray[np.bool_]:
    """Of keys sorted by page, then key, which is the first of its value in its page."""
    out = np.ones(len(keys), bool)
    out[1:] = (keys[1:] != keys[:-1]) | (page[1:] != page[:-1])
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


_LAST = 0x10FFFF
"""The last code point."""

NODES = 1 << 21
"""A common gram's node number in _Trie is NODES plus its place in the trie's list: above every code point, and
below 2³⁹ (the upper place of a key) for fewer than 5·10¹¹ common grams, far more than a site can have."""


class _Trie:
    """The common grams of a Grams, as steps: (a common gram or character, the next character) → the
    common gram they make; and the words of keys (_Keys) made of them."""

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
        return [self.spell(key) for key in keys.tolist()]

    def spell(self, key: int) -> str:
        """The word of one key (of tokens.py's making, or refused: a key is read back from the cache too)."""
        tag, low, high = key >> 60 << 60, key & _Keys.LOW, key >> 21 & ((1 << 39) - 1)
        if not self._names_a_word(key):
            raise ValueError(f"not an index word's key: {key:#x}")
        if tag == _Keys.BIGRAM:
            return "2" + _code(high) + _code(low)
        if tag == _Keys.PAGE_CHAR:
            return "y1" + _code(low)
        if tag == _Keys.GROUP:
            return group_word(low)
        size, codes = self.sizes[high - NODES], self.codes[high - NODES]
        if tag == _Keys.PAGE_GRAM:
            return "y" + _DIGITS[size] + codes
        return _DIGITS[size + 1] + (codes + _code(low) if tag == _Keys.RIGHT else _code(low) + codes)

    def _names_a_word(self, key: int) -> bool:
        """Whether a key is one _Keys makes: a known tag, code points no higher than the last, a common
        gram of this trie, and nothing in the places its tag leaves empty."""
        tag, low, high = key >> 60 << 60, key & _Keys.LOW, key >> 21 & ((1 << 39) - 1)
        if key < 0 or low > _LAST or tag > _Keys.GROUP:
            return False
        if tag == _Keys.BIGRAM:
            return high <= _LAST
        if tag in (_Keys.PAGE_CHAR, _Keys.GROUP):
            return high == 0
        return 0 <= high - NODES < len(self.codes) and (tag != _Keys.PAGE_GRAM or low == 0)


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
