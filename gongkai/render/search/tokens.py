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
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise

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


@dataclass
class PageWords:
    """One page's index words → their positions (ascending)."""

    words: dict[str, list[int]] = field(default_factory=dict)
    length: int = 0  # positions used


def group_word(index: int) -> str:
    """The index word saying that a page holds a spelling of abbreviation group ``index`` (one position)."""
    return "x" + _base36(index, 3)


def page_words(title: str, doc_no: str, body: str, grams: Grams, groups: Sequence[Sequence[str]] = ()) -> PageWords:
    """Lay out a page's text on positions and list the words standing at each; groups are the
    abbreviation groups (abbreviations.py), each a group word where the page holds one of its spellings."""
    out = PageWords()
    whole = fold("\n".join((title, doc_no, body)))
    for index, group in enumerate(groups):
        if any(spelling in whole for spelling in group):
            out.words[group_word(index)] = [HEAD]
    seen: set[str] = set()
    at = 0
    for text, head in ((title, True), (doc_no, True), (body, False)):
        at = at if head else max(at, HEAD)
        for run in runs(text):
            where = 0 if head and at < HEAD else HEAD  # where a page word stands: head, or not
            codes = [code(c) for c in run]
            for c, char_code in zip(run, codes, strict=True):
                if c not in seen:
                    seen.add(c)
                    out.words.setdefault("y1" + char_code, [where])
            _run_words(run, codes, at, grams, out.words, seen, where)
            at += len(run) + 1
    out.length = at
    return out


def _run_words(
    run: str,
    codes: list[str],
    at: int,
    grams: Grams,
    words: dict[str, list[int]],
    seen: set[str],
    where: int,
) -> None:
    n = len(run)
    common, longest = grams.common, grams.longest
    chain: dict[int, int] = {}  # start → length of the longest common gram there
    for j in [j for j in range(n - 1) if run[j : j + 2] in common]:
        size = 3
        while size <= longest and j + size <= n and run[j : j + size] in common:
            size += 1
        chain[j] = size - 1
        for k in range(2, size):
            gram = run[j : j + k]
            if gram not in seen:
                seen.add(gram)
                words.setdefault("y" + _DIGITS[k] + "".join(codes[j : j + k]), [where])
    for i, word in enumerate(["2" + a + b for a, b in pairwise(codes)]):
        positions = words.get(word)
        if positions is None:
            words[word] = [at + i]
        else:
            positions.append(at + i)
    for i in sorted({*chain, *(j - 1 for j in chain if j)}):  # where a common gram starts, or next
        top = max(chain.get(i, 0), chain.get(i + 1, 0))
        for size in range(3, min(longest, n - i, top + 1) + 1):
            word = _DIGITS[size] + "".join(codes[i : i + size])
            positions = words.get(word)
            if positions is None:
                words[word] = [at + i]
            else:
                positions.append(at + i)


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
