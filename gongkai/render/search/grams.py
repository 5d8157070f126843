"""The common grams: character sequences so frequent that search must not need their word positions.

A query term is found from index words standing at fixed offsets from one start (tokens.py), so the
browser downloads each word's positions. For a word in most pages (工作, 人民政府, 2023 …) those are
hundreds of KB at county scale. So a common gram is also indexed one character longer, at every one
of its occurrences, to the right and to the left (工作 → 工作要, 理工作), and again while the longer
gram is common, up to LONGEST characters; and once per page, without positions, for a term that is
exactly that gram. A term can then be covered by rare grams, whose position lists are short.

The set is closed under substrings (every part of at least two characters of a common gram is common), so
a gram one longer than a common one is common itself or not indexed at all (tokens.py finds a position's
common grams one character longer at a time, along their prefixes). It is counted on a
sample of the pages, so that counting stays cheap at county scale; whatever the sample, the index
and the search page use the same set (it is published as grams.json), so no hit is ever lost.
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

COMMON = 8_000
"""A gram is common when it stands at more word positions than this in the whole site (estimated)."""

LONGEST = 20
"""The longest gram indexed; a common gram this long is not extended. At most 35: an index word spells
its length as one base-36 digit (tokens.py, terms.js)."""

SAMPLE_CHARS = 4_000_000
"""Characters counted: every k-th page, k chosen to count about this many."""


@dataclass(frozen=True)
class Grams:
    """The common grams of a site, and the longest gram its index holds (2 … 35)."""

    common: frozenset[str] = frozenset()
    longest: int = LONGEST

    def __post_init__(self) -> None:
        if not 2 <= self.longest <= 35:
            raise ValueError(f"the longest gram must be of 2 to 35 characters, not {self.longest}")


def sample(chars: Mapping[str, int]) -> tuple[list[str], int]:
    """The pages counted (by name, in name order) and the step, given each page's characters: one page in
    about every step, chosen by the hash of its name, so that adding or changing one page changes the
    sample by that page at most (while the step stays)."""
    step = max(1, math.ceil(sum(chars.values()) / SAMPLE_CHARS))
    return sorted(name for name in chars if zlib.crc32(name.encode()) % step == 0), step


def common_grams(pages: Mapping[str, Sequence[str]], chosen: tuple[list[str], int] | None = None) -> Grams:
    """The common grams of the site, given each page's runs of text (whitespace-free, case-folded) by name
    (of the pages sampled at least, when ``chosen`` gives the sample: names and step)."""
    common, longest = COMMON, LONGEST  # read here, so that tests can lower them
    names, step = chosen or sample({name: sum(map(len, found)) for name, found in pages.items()})
    runs = [run for name in names for run in pages[name]]
    threshold = common / step

    counts = Counter(run[i : i + 2] for run in runs for i in range(len(run) - 1))
    level = {gram for gram, n in counts.items() if n > threshold}
    found = set(level)
    # Where a common gram of length - 1 starts: the places its one-longer grams can stand.
    starts = [(r, i) for r, run in enumerate(runs) for i in range(len(run) - 1) if run[i : i + 2] in level]
    for length in range(3, longest + 1):
        counts = Counter()
        kept = []
        for r, i in starts:
            gram = runs[r][i : i + length]
            if len(gram) == length and gram[1:] in level:
                counts[gram] += 1
                kept.append((r, i))
        level = {gram for gram, n in counts.items() if n > threshold}
        if not level:
            break
        found |= level
        starts = [(r, i) for r, i in kept if runs[r][i : i + length] in level]
    return Grams(frozenset(found), longest)
