"""What the search cache keeps of the pages besides their records: the common grams and each page's parts,
and the names they are kept under (cache.py); shared by the full build (index.py) and the patch (delta.py)."""

from __future__ import annotations

from . import grams as grams_module
from .cache import SearchCache, key
from .grams import Grams
from .postings import PageParts, pages_parts
from .text import SearchText


def grams_name(names: list[str], step: int, keys: dict[str, str]) -> str:
    """The name in the cache of the common grams counted on these pages (of these keys)."""
    return key("grams", str(step), str(grams_module.COMMON), str(grams_module.LONGEST),
               *(part for url in names for part in (url, keys[url])))  # fmt: skip


def stored_grams(store: SearchCache, name: str) -> Grams | None:
    """The common grams kept in the cache under name."""
    found = store.get("grams", name)
    if isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], int) and isinstance(found[1], list):  # noqa: SIM102
        if all(isinstance(gram, str) for gram in found[1]) and 2 <= found[0] <= 35:
            return Grams(frozenset(found[1]), found[0])
    return None


def grams_used(grams: Grams, spellings: list[list[str]]) -> str:
    """What a page's parts depend on besides its HTML: the common grams and the abbreviation groups."""
    return key("grams-used", str(grams.longest), *sorted(grams.common), "\0", *("\t".join(g) for g in spellings))


def page_parts_of(text: SearchText, grams: Grams, spellings: list[list[str]]) -> tuple[int, bytes, bytes, bytes]:
    """A page's parts (postings.py), as the cache keeps them."""
    return pages_parts_of([text], grams, spellings)[0]


def pages_parts_of(
    texts: list[SearchText], grams: Grams, spellings: list[list[str]]
) -> list[tuple[int, bytes, bytes, bytes]]:
    """Pages' parts (postings.py), all worked out at once, as the cache keeps them."""
    return [(p.length, p.keys, p.parts, p.ends) for p in pages_parts(texts, grams, spellings)]


def stored_parts(value: object) -> PageParts | None:
    """A page's parts read back from the cache, or None for anything else."""
    if not (isinstance(value, tuple) and len(value) == 4 and isinstance(value[0], int)):
        return None
    length, keys, parts, ends = value
    if not (isinstance(keys, bytes) and isinstance(parts, bytes) and isinstance(ends, bytes)):
        return None
    return PageParts(length, keys, parts, ends)  # join.py checks that they match
