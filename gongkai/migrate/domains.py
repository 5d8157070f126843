"""领域 inference for rows of a legacy export, which never has a 领域 column.

Evidence, strongest first: the county's own table (import-map.yml 栏目 → 领域) decides alone; otherwise
words of each domain (``domain_words.yml``, plus the domain's name and aliases) found in the title and
the 栏目/信息类别 (weight 3), the 主题分类 and the body (1 each, at most 3 from the body), and words of
the issuing body's name (2). Text is read as words, longest first: a word inside a longer word counts
only as the longer one (「医疗救助」 is not 「救助」), and no word is read across a longer word's boundary
(「政府信息公开工作年度报告」 holds 公开、工作、年度报告, not 「开工」).
The best domain is taken when it scores at least ``DECIDE``
and at least ``MARGIN`` times the next; otherwise the row is unsure: reported with its candidates and
left 「待定」, never guessed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..model import Domain

WORDS_FILE = Path(__file__).with_name("domain_words.yml")
NEUTRAL = "不指向领域"
DECIDE = 3
MARGIN = 1.5
WEIGHTS = {"标题": 4, "栏目": 3, "主题分类": 1, "正文": 0.5, "发布机构": 1.5}
BODY_CAP = 3
_SPACES = re.compile(r"[\s“”\"'‘’「」]+")  # 「“三公”经费」 is 三公经费
_COUNTY = re.compile(r"^.{1,6}?[县区市旗]")


@dataclass(frozen=True)
class Evidence:
    """What a row says, by where it says it."""

    title: str
    column: str = ""
    """The 栏目 / 信息类别 cell, as exported."""
    subject: str = ""
    body: str = ""
    agencies: tuple[str, ...] = ()


@dataclass(frozen=True)
class DomainGuess:
    """A domain (None: unsure) and why, in Chinese."""

    domain: Domain | None
    reason: str
    candidates: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class _Lexicon:
    words: dict[str, tuple[str, ...]]
    """Domain code → its words."""
    hints: dict[str, tuple[str, ...]]
    """Domain code → words of issuing bodies' names."""


class DomainInference:
    """Guess the 领域 of export rows for one county's domains and 栏目 table."""

    def __init__(self, domains: Iterable[Domain], columns: Mapping[str, Domain] | None = None) -> None:
        self.domains = tuple(domains)
        self.columns = dict(columns or {})
        self.lexicon = _lexicon(self.domains)

    def guess(self, evidence: Evidence) -> DomainGuess:
        """The row's domain with the reason, or None with the candidates and why they do not decide."""
        for column in evidence.column.split():  # the 栏目 and the 信息类别, each looked up on its own
            if column in self.columns:
                domain = self.columns[column]
                return DomainGuess(domain, f"import-map.yml 的栏目对照：「{column}」→ {domain.name}")
        scores, found = self._score(evidence)
        ranked = sorted(scores.items(), key=lambda item: -item[1])
        if not ranked:
            return DomainGuess(None, "标题、栏目、主题分类、正文和发布机构中都没有指向某个领域的词")
        best, score = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0
        names = {d.code: d.name for d in self.domains}
        said = {code: _said(found[code]) for code, _ in ranked[:3]}
        candidates = tuple(f"{names[code]}（{points:g} 分：{said[code]}）" for code, points in ranked[:3])
        if score >= DECIDE and score >= MARGIN * second:
            return DomainGuess(self._by_code(best), said[best], candidates)
        why = "证据不足" if score < DECIDE else "几个领域难以区分"
        return DomainGuess(None, f"{why}，候选：" + "；".join(candidates), candidates)

    def _by_code(self, code: str) -> Domain:
        return next(d for d in self.domains if d.code == code)

    def _score(self, evidence: Evidence) -> tuple[dict[str, float], dict[str, dict[str, list[str]]]]:
        scores: dict[str, float] = {}
        found: dict[str, dict[str, list[str]]] = {}
        fields = (("标题", evidence.title), ("栏目", evidence.column), ("主题分类", evidence.subject),
                  ("正文", evidence.body))  # fmt: skip
        for where, text in fields:
            for name in _spellings(evidence.agencies):  # 「县城市管理局2024年度部门决算」 is about 决算
                text = text.replace(name, "")
            for code, words in _matches(_clean(text), self.lexicon.words).items():
                if where == "正文":
                    words = words[:BODY_CAP]
                scores[code] = scores.get(code, 0) + WEIGHTS[where] * len(words)
                found.setdefault(code, {})[where] = words
        names = "；".join(evidence.agencies).replace("人民政府", "")  # 人民政府 is no 民政
        for code, words in _matches(names, self.lexicon.hints).items():
            scores[code] = scores.get(code, 0) + WEIGHTS["发布机构"]  # once: the body hints, it does not decide
            found.setdefault(code, {})["发布机构"] = words[:1]
        return scores, found


def _spellings(agencies: tuple[str, ...]) -> list[str]:
    """Each agency's name as titles write it: in full, without the county (民政局) and with 县 (县民政局)."""
    found = []
    for name in agencies:
        short = _COUNTY.sub("", name, count=1)
        found += [name, "县" + short, short] if short != name else [name]
    return sorted({n for n in found if len(n) > 2}, key=len, reverse=True)


def _said(found: dict[str, list[str]]) -> str:
    return "；".join(f"{where}含" + "、".join(f"「{w}」" for w in words) for where, words in found.items())


def _matches(text: str, words: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
    """Domain code → the distinct words found in ``text``, read as words: the longest known words (of any
    domain, or neutral ones like 「公开」「工作」「年度报告」) are taken first and consume their characters, so a
    word inside a longer one counts only as that (「医疗救助」 is not 「救助」) and no word is read across the
    boundary of a longer or earlier one (「信息公开工作」 holds no 「开工」)."""
    spans = [
        (start, start + len(word), code, word)
        for code, all_words in (*words.items(), (None, _neutral_words()))
        for word in all_words
        for start in _starts(text, word)
    ]
    taken = [False] * len(text)
    read = set()
    for span in sorted(spans, key=lambda span: (span[0] - span[1], span[0])):
        start, end = span[0], span[1]
        if not any(taken[start:end]):
            taken[start:end] = [True] * (end - start)
            read.add(span)
    kept: dict[str, list[str]] = {}
    for span in spans:  # in the vocabulary's order
        start, end, code, word = span
        if span in read and code is not None and word not in kept.setdefault(code, []):
            kept[code].append(word)
    return {code: found for code, found in kept.items() if found}


def _starts(text: str, word: str) -> Iterable[int]:
    start = text.find(word)
    while start >= 0:
        yield start
        start = text.find(word, start + 1)


def _clean(text: str) -> str:
    return _SPACES.sub("", text or "")


def _lexicon(domains: tuple[Domain, ...]) -> _Lexicon:
    table = _default_words()
    words, hints = {}, {}
    for domain in domains:
        entry = next((table[n] for n in (domain.name, *domain.aliases) if n in table), {})
        words[domain.code] = tuple(dict.fromkeys([domain.name, *domain.aliases, *entry.get("词", ())]))
        hints[domain.code] = tuple(entry.get("机构", ()))
    return _Lexicon(words, hints)


@functools.cache
def _neutral_words() -> tuple[str, ...]:
    """Words that point to no domain, read as words so that no domain word is read across them."""
    return _default_words().get(NEUTRAL, {}).get("词", ())


@functools.cache
def _default_words() -> dict[str, dict[str, tuple[str, ...]]]:
    data = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    return {name: {k: tuple(str(w) for w in v) for k, v in entry.items()} for name, entry in data.items()}
