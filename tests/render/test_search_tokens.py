"""The index words tokens.py finds on numpy arrays are those of a plain walk along each run, one position and
one gram length at a time, as tokens.py found them before (rewritten here as the reference, and checked
against that code when it was replaced): the same words, at the same positions, whatever the text and common
grams."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.render.search.grams import Grams, common_grams
from gongkai.render.search.postings import pages_parts
from gongkai.render.search.text import SearchText
from gongkai.render.search.tokens import (
    HEAD,
    code,
    fold,
    gram_word,
    group_word,
    page_word,
    page_words,
    pages_words,
    runs,
    speller,
)


def reference(title: str, doc_no: str, body: str, grams: Grams, groups: Sequence[Sequence[str]] = ()) -> dict:
    """The words of a page and their positions, found one position and one gram length at a time (the
    module docstring of tokens.py says which words stand where)."""
    words: dict[str, list[int]] = {}
    whole = fold("\n".join((title, doc_no, body)))
    for index, group in enumerate(groups):
        if any(spelling in whole for spelling in group):
            words[group_word(index)] = [HEAD]
    at = 0
    for text, head in ((title, True), (doc_no, True), (body, False)):
        at = at if head else max(at, HEAD)
        for run in runs(text):
            where = 0 if head and at < HEAD else HEAD
            for c in run:
                words.setdefault(page_word(c), [where])
            _run_words(run, at, grams, words, where)
            at += len(run) + 1
    words["length"] = [at]
    return words


def _run_words(run: str, at: int, grams: Grams, words: dict[str, list[int]], where: int) -> None:
    n, common, longest = len(run), grams.common, grams.longest
    chain: dict[int, int] = {}  # start → length of the longest common gram there
    for j in range(n - 1):
        size = 2
        while size <= longest and j + size <= n and run[j : j + size] in common:
            words.setdefault(page_word(run[j : j + size]), [where])
            size += 1
        if size > 2:
            chain[j] = size - 1
    for i in range(n - 1):
        words.setdefault(gram_word(run[i : i + 2]), []).append(at + i)
    for i in range(n):
        top = max(chain.get(i, 0), chain.get(i + 1, 0))
        if top:
            for size in range(3, min(longest, n - i, top + 1) + 1):
                words.setdefault(gram_word(run[i : i + size]), []).append(at + i)


def found(title: str, doc_no: str, body: str, grams: Grams, groups: Sequence[Sequence[str]] = ()) -> dict:
    laid = page_words(title, doc_no, body, grams, groups)
    assert len(set(laid.spellings)) == len(laid.spellings)  # a word stands once in a page's words
    return {**laid.words, "length": [laid.length]}


# Few characters, so that grams repeat and chain; one beyond the 3-digit codes; spaces of two widths.
_TEXT = st.text(st.sampled_from("耕地力保护补贴发放工作ab1.𠀀 　\n"), max_size=160)
_GROUPS = [["耕地", "补贴"], ["工作保护"], ["zz"]]


@settings(max_examples=300, deadline=None)
@given(title=_TEXT, doc_no=st.text(st.sampled_from("青政办〔2〕1号 "), max_size=12), body=_TEXT,
       sample=st.lists(_TEXT, min_size=1, max_size=4), common=st.integers(1, 4), longest=st.sampled_from([3, 5, 20]))  # fmt: skip
def test_the_words_are_those_of_the_plain_walk(
    title: str, doc_no: str, body: str, sample: list[str], common: int, longest: int
) -> None:
    """With the common grams counted as the site counts them (closed under substrings)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("gongkai.render.search.grams.COMMON", common)
        counted = common_grams({str(i): runs(text) for i, text in enumerate([*sample, body])})
    grams = Grams(counted.common, min(longest, counted.longest))
    assert found(title, doc_no, body, grams, _GROUPS) == reference(title, doc_no, body, grams, _GROUPS)


@settings(max_examples=200, deadline=None)
@given(title=_TEXT, body=_TEXT, common=st.frozensets(st.text(st.sampled_from("耕地力保护补贴a1𠀀"), min_size=1, max_size=7)),
       longest=st.integers(2, 8))  # fmt: skip
def test_any_set_of_common_grams_gives_the_words_of_the_plain_walk(
    title: str, body: str, common: frozenset[str], longest: int
) -> None:
    """Even one not closed under substrings, with grams longer than the longest and single characters."""
    grams = Grams(common, longest)
    assert found(title, "", body, grams) == reference(title, "", body, grams)


def test_a_long_title_runs_past_head_and_the_body_follows_it() -> None:
    title = "耕地力保护" * 30  # 150 characters: the body starts right after, not at HEAD
    grams = Grams(frozenset({"耕地", "地力", "耕地力"}))
    words = found(title, "", "耕地力", grams)
    assert words == reference(title, "", "耕地力", grams)
    assert words[gram_word("耕地")][-1] == len(title) + 1 and words["length"] == [len(title) + 5]
    assert words[page_word("耕地")] == [0]  # the title's run starts in the head


def test_an_empty_page_has_no_words_and_the_head_s_length() -> None:
    assert found("", "", " \n ", Grams(frozenset({"耕地"}))) == {"length": [HEAD]}
    words = found("", "", "耕　地", Grams())  # a full-width space is whitespace: it splits runs
    assert words == reference("", "", "耕　地", Grams()) and gram_word("耕　") not in words


@settings(max_examples=100, deadline=None)
@given(pages=st.lists(st.tuples(_TEXT, st.text(st.sampled_from("青政办〔2〕1号 "), max_size=12), _TEXT), max_size=6))
def test_pages_at_once_have_the_words_each_has_alone(pages: list[tuple[str, str, str]]) -> None:
    """No gram reaches from one page into the next, and each page's positions start at 0."""
    grams = Grams(frozenset({"耕地", "地力", "耕地力", "保护", "护补", "保护补", "1."}), 4)
    together = pages_words(pages, grams, _GROUPS)
    for number, page in enumerate(pages):
        alone = page_words(*page, grams, _GROUPS)
        assert together.page(number).words == alone.words and together.page(number).length == alone.length


def test_pages_parts_at_once_are_each_page_s_parts() -> None:
    texts = [
        SearchText("耕地", "", "", "地力保护 补贴"),
        SearchText("", "", "", ""),
        SearchText("补", "1号", "a", "𠀀耕地"),
    ]
    grams = Grams(frozenset({"耕地", "补贴"}))
    assert pages_parts(texts, grams, _GROUPS) == [pages_parts([text], grams, _GROUPS)[0] for text in texts]


def test_a_key_of_no_word_is_refused() -> None:
    """Keys come from the cache too: one that names no word fails the join (join.py), never spells a wrong word."""
    spell = speller(Grams(frozenset({"耕地", "地力"})))
    nodes = 1 << 21  # tokens.NODES: the trie's two common grams are nodes + 0 and nodes + 1
    good = [ord("耕") << 21 | ord("地"), 1 << 60 | ord("耕"), 2 << 60 | nodes << 21, 3 << 60 | (nodes + 1) << 21 | 5]
    spelled = ["2" + code("耕") + code("地"), page_word("耕"), page_word("地力"), gram_word("耕地\x05")]
    assert spell(np.array(good, np.int64)) == spelled
    for wrong in [
        7 << 60,  # no such tag
        -1,
        0x110000,  # past the last code point
        1 << 60 | 1 << 21 | ord("耕"),  # an upper place where the tag leaves it empty
        2 << 60 | (nodes - 1) << 21,  # below the trie's nodes: it must not wrap around to its last
        2 << 60 | (nodes + 2) << 21,  # past them
        2 << 60 | nodes << 21 | 5,  # a character beside a page word's gram
        5 << 60 | 36**3,  # a group no word can number
    ]:
        with pytest.raises(ValueError):
            spell(np.array([wrong], np.int64))


def test_a_lone_surrogate_is_a_character_like_any_other() -> None:
    """The HTML decoder replaces one, but the index must not fail on what it is given."""
    grams = Grams(frozenset({"a\ud800", "\ud800b"}))
    assert found("a\ud800b", "", "\udfff", grams) == reference("a\ud800b", "", "\udfff", grams)


def test_grams_longer_than_a_word_can_spell_or_shorter_than_two_are_refused() -> None:
    for longest in (0, 1, 36):
        with pytest.raises(ValueError, match="2 to 35"):
            Grams(frozenset(), longest)


def test_more_abbreviation_groups_than_their_words_can_number_are_a_located_error(monkeypatch) -> None:
    from gongkai.errors import SourceErrors
    from gongkai.model import Abbreviation
    from gongkai.render.search import abbreviations

    monkeypatch.setattr(abbreviations, "MOST", 3)
    extra = [Abbreviation(forms=(f"甲{i}", f"乙{i}")) for i in range(5)]
    with pytest.raises(SourceErrors, match=r"county\.yml.*搜索缩略语"):
        abbreviations.groups(extra)
    with pytest.raises(ValueError):
        group_word(36**3)  # no two groups share a word
