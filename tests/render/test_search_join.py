"""The words' records joined from the pages' parts (join.py) are the CBOR Pagefind reads, and the same
as the plain dict-of-lists join they replaced."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

import cbor2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.render.search import pack, postings
from gongkai.render.search.cbor import head
from gongkai.render.search.join import Postings, Vocabulary
from gongkai.render.search.postings import PageParts
from gongkai.render.search.tokens import HEAD

_SPELLED: list[str] = []
"""The words of the tests' keys: a word's key is its place here (tokens.py's keys need real text)."""


def key(word: str) -> int:
    if word not in _SPELLED:
        _SPELLED.append(word)
    return _SPELLED.index(word)


def spell(keys: np.ndarray) -> list[str]:
    return [_SPELLED[k] for k in keys.tolist()]


def joined(pages: list[PageParts]) -> dict[str, bytes]:
    """Each word's record, in word order, as join.py writes them."""
    found = Postings(enumerate(pages), len(pages), spell)
    return {w.word: found.records(w.number, w.number + 1) for w in found.weighed()}


def reference(pages: list[PageParts]) -> Iterator[tuple[str, bytes, int]]:
    """Each word's record and weight, in word order: the dict-of-lists join of before (word → pages and
    parts, then each record joined from head bytes), kept as the reference."""
    found: dict[str, list[tuple[int, bytes]]] = {}
    for number, page in enumerate(pages):
        for word, part in page.unpacked(spell).items():
            found.setdefault(word, []).append((number, part))
    for word in sorted(found):
        numbers = [n for n, _ in found[word]]
        steps = [numbers[0], *(b - a for a, b in pairwise(numbers))]
        entries = [head(4, 3) + head(0, s) + part for s, (_, part) in zip(steps, found[word], strict=True)]
        body = b"".join([head(4, 2), head(3, len(word)), word.encode(), head(4, len(entries)), *entries])
        yield word, body, postings.weight(word, len(body), len(entries))


def encoded(word: str, positions: list[int]) -> bytes:
    """A page's part of a word's record, as postings.pages_parts encodes it."""
    return postings.framed(postings.encoded(np.array([len(positions)]), np.array(positions, np.int64))[0].tobytes())


def packed(length: int, parts: dict[int, bytes]) -> PageParts:
    """A page's words' keys and their parts (framed), packed as postings.pages_parts packs them."""
    kept = [postings.unframed(part) for part in parts.values()]
    ends = np.cumsum([len(part) for part in kept], dtype=np.uint32)
    return PageParts(length, np.array(list(parts), np.int64).tobytes(), b"".join(kept), ends.tobytes())


def parts(words: dict[str, list[int]]) -> PageParts:
    return packed(1, {key(word): encoded(word, positions) for word, positions in words.items()})


def test_word_records_are_the_cbor_pagefind_reads() -> None:
    pages = [parts({}) for _ in range(72_000)]
    pages[1] = parts({"y2abc": [HEAD]})
    pages[3] = parts({"2abc": [5, 70_000]})
    pages[7] = parts({"y2abc": [0]})
    pages[9] = parts({"2abc": [200]})
    pages[70_000] = parts({"y2abc": [0]})
    words = joined(pages)
    assert list(words) == ["2abc", "y2abc"]  # in word order
    assert cbor2.loads(words["2abc"]) == ["2abc", [[3, [-25, 5, 69_995], []], [6, [-25, 200], []]]]
    assert words["2abc"] == cbor2.dumps(["2abc", [[3, [-25, 5, 69_995], []], [6, [-25, 200], []]]])
    expected = ["y2abc", [[1, [-25, HEAD], []], [6, [-25, 0], []], [69_993, [-25, 0], []]]]
    assert words["y2abc"] == cbor2.dumps(expected)


_WORDS = st.sampled_from(["2abc", "2abd", "3abcabd", "y1abc", "y2abcabd", "x000", "x001", "2" + "z0000" * 2])
_PAGE = st.dictionaries(_WORDS, st.lists(st.integers(0, 70_000), min_size=1, max_size=4, unique=True).map(sorted))


@settings(max_examples=60, deadline=None)
@given(pages=st.lists(_PAGE, max_size=30), spread=st.integers(1, 3_000))
def test_joined_records_equal_the_dict_join(pages: list[dict[str, list[int]]], spread: int) -> None:
    laid = [parts(words) for words in pages for _ in range(spread if not words else 1)]  # page deltas of every size
    expected = list(reference(laid))
    found = Postings(reversed(list(enumerate(laid))), len(laid), spell)  # in any order
    weighed = list(found.weighed())
    assert [(w.word, w.weight) for w in weighed] == [(word, weight) for word, _, weight in expected]
    assert {w.word: found.records(w.number, w.number + 1) for w in weighed} == {w: b for w, b, _ in expected}
    if weighed:  # a chunk's records are its words' records, one after the other
        assert found.records(0, len(weighed)) == b"".join(body for _, body, _ in expected)


def test_a_page_s_parts_are_packed_and_read_back() -> None:
    words = {"2abc": encoded("2abc", [1, 300]), "y1abc": encoded("y1abc", [0]), "x000": encoded("x000", [HEAD])}
    page = packed(7, {key(word): part for word, part in words.items()})
    assert page.unpacked(spell) == words and page.length == 7
    assert len(page.parts) == sum(map(len, words.values())) - 3 * postings.FRAME  # kept without their frames
    assert packed(0, {}).unpacked(spell) == {}
    for wrong in (b"\x01", b"\x82\x38\x18\x01\x81", b"\x82\x38\x19\x01\x80", b"\x82\x38\x18\x80"):
        with pytest.raises(ValueError, match="not a part"):
            packed(1, {key("2abc"): wrong})


def test_parts_that_do_not_match_their_words_are_refused() -> None:
    page = parts({"2abc": [1], "2abd": [2, 5]})
    with pytest.raises(ValueError, match="page 0"):
        Postings(enumerate([PageParts(1, page.keys, page.parts, page.ends[:4])]), 1, spell)
    with pytest.raises(ValueError, match="page 0"):
        Postings(enumerate([PageParts(1, page.keys[:-1], page.parts, page.ends)]), 1, spell)  # a key cut short
    with pytest.raises(ValueError, match="page 0"):
        Postings(enumerate([PageParts(1, page.keys, page.parts, page.ends + b"\0")]), 1, spell)
    with pytest.raises(ValueError, match="page 0"):
        Postings(enumerate([PageParts(1, b"", page.parts, b"")]), 1, spell)  # parts of no word
    with pytest.raises(ValueError, match="page 0"):
        Postings(enumerate([PageParts(1, page.keys, page.parts, page.ends[4:] + page.ends[:4])]), 1, spell)
    with pytest.raises(ValueError, match="page 1: no parts"):
        Postings([(0, page), (2, page)], 3, spell)
    for number in (-1, 1):
        with pytest.raises(ValueError, match=f"page {number}: not one of pages 0"):
            Postings([(number, page)], 1, spell)
    with pytest.raises(ValueError, match="two keys spell the same word"):
        Postings([(0, page)], 1, lambda keys: ["2abc"] * len(keys))
    for wrong in (lambda keys: ["2abc"], lambda keys: ["", "2abd"], lambda keys: ["2a c", "2abd"]):
        with pytest.raises(ValueError, match="one ASCII word"):
            Postings([(0, page)], 1, wrong)
    twice = PageParts(1, page.keys[:8] * 2, page.parts, page.ends)  # one word's key for both parts
    with pytest.raises(ValueError, match="a page holds a word twice"):
        Postings([(0, twice)], 1, spell)


def test_keys_are_numbered_in_the_order_first_seen() -> None:
    """Across the vocabulary's sorting in of its recent keys (from 4 096 of them on)."""
    rng = np.random.default_rng(18)
    vocabulary, expected = Vocabulary(), {}
    for _ in range(300):
        keys = np.unique(rng.integers(-5, 20_000, rng.integers(0, 400)) << rng.integers(0, 40))
        found = vocabulary.numbers(keys)
        assert found.tolist() == [expected.setdefault(k, len(expected)) for k in keys.tolist()]
    assert vocabulary.keys().tolist() == list(expected) and vocabulary.count == len(expected) > 4_096


def test_a_chunk_file_is_the_cbor_of_its_words() -> None:
    pages = [parts({"2abc": [1, 2], "y1abc": [0]}), parts({"2abc": [300]}), parts({"3abcabd": [9]})]
    found = Postings(enumerate(pages), len(pages), spell)
    chunk = list(found.weighed())
    raw = head(4, 1) + head(4, len(chunk)) + found.records(0, len(chunk))
    assert cbor2.loads(raw) == [[
        ["2abc", [[0, [-25, 1, 1], []], [1, [-25, 300], []]]],
        ["3abcabd", [[2, [-25, 9], []]]],
        ["y1abc", [[0, [-25, 0], []]]],
    ]]  # fmt: skip
    assert [w.word for w in next(pack.chunked(chunk))] == ["2abc", "3abcabd", "y1abc"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.integers(0, 1 << 20), min_size=1, max_size=30, unique=True).map(sorted), max_size=12))
def test_parts_are_encoded_as_one_at_a_time(positions: list[list[int]]) -> None:
    flat = np.array([at for word in positions for at in word], np.int64)
    blob, ends = postings.encoded(np.array([len(word) for word in positions], np.int64), flat)
    parts, bounds = blob.tobytes(), [0, *ends.tolist()]
    for i, at in enumerate(positions):
        steps = [at[0], *(b - a for a, b in pairwise(at))]
        one = b"".join([head(4, len(at) + 1), head(1, 24), *(head(0, s) for s in steps), head(4, 0)])
        assert postings.framed(parts[bounds[i] : bounds[i + 1]]) == one
        assert postings.unframed(one) == parts[bounds[i] : bounds[i + 1]]
        assert cbor2.loads(one) == [-25, *steps]
    assert len(parts) == bounds[-1]
