"""The number finder: every personal number in normalised text, however its digits are grouped.

Digits stand in *groups* joined by *separators*: soft ones (a space, ``-``, ``.``, ``/``, ``·``, one
line break inside a paragraph, each maybe with spaces around it) and hard ones (``HARD``: a table
cell, a block, a form field). A *span* is groups joined by either kind. The rules:

- **Full ID numbers** (18 characters, valid province, birth date and GB 11643 check character) are
  found in any run of whole groups joined by one kind of separator — one group per table cell
  included — and inside longer runs of digits.
- **Everything else is weaker** and never read across a hard separator, so numbers in different
  cells are not glued into a false one. In a run of groups joined by soft separators of one kind:
  each group alone; the whole run (any grouping where every group has 3 or more digits, the last
  maybe fewer, or every group one digit: letter-spacing, one digit per box); and, inside a longer
  run, the usual groupings (3-4-4 and 3-8 for phones, 4-4-4-4 and more for cards that pass Luhn,
  6-6-3 and 6-9 for old IDs). A row of years (2021 2022 2023 2024) is never a number. A run left
  over beside a full ID number counts as a whole run of its own, so 「340123 19900307 1219 138 1234
  5671」 gives both the ID and the phone.
- What a run of digits is: 17 digits and X with a real province and birth date (wrong check
  character or not) → ID; 16 to 19 digits → bank card (Luhn) or account (any other: passbooks
  fail Luhn); 15 digits with a real province and a 19YY birth date of someone alive → old ID;
  ``1[3-9]`` and 9 digits, maybe after ``86``/``0086`` → mobile phone. A public code (统一社会信用代码,
  15-character 税务登记号, see ``codes``) is none of these.
- A mobile number that begins a run (right after text) may be grouped in any way: text wrapped in
  a narrow table cell of a PDF breaks it anywhere, and the next row's numbers follow it
  (「电话 １\n３８ 123\n4 5678\n110 330.00」).
- Digits glued to Latin letters are part of a code (``1134179900992623XG``, a hash), not a number
  of their own; only a full ID number is found there.
- Amounts are not phones or accounts: a run followed by 元/万元/亿元, preceded by ¥, or with a
  decimal part (``13500000000.00``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from . import codes
from .normalise import HARD

ID = "身份证号"
BANK = "银行卡号"
ACCOUNT = "银行账号"
PHONE = "手机号"

_SEP = r"(?:[ \n\x1e]*[-./·,、|:;+_()][ \n\x1e]*|[ \n\x1e]+)"
_SPAN = re.compile(
    rf"[0-9](?<![0-9]{{2}})(?=[0-9 \n\x1e\-./·,、|:;+_()]{{10}})[0-9]*(?:{_SEP}[0-9]+)*(?:{_SEP}?[Xx](?![A-Za-z0-9]))?"
)  # a digit first, for a quick search; the lookahead skips short runs (dates, years): a number spans 11 or more
_GROUP = re.compile(r"[0-9]+[Xx]?|[Xx]")
_AMOUNT_AFTER = re.compile(r" *(?:元|[万亿] *元|块)")
"""Words after an amount: 元, 万元, 亿元, 块 — not 万 alone, a surname (「13800000102 万老师」)."""
_PHONE_LABEL = re.compile(r"(?:电话|手机|联系|号码|热线|tel|mob|phone|cell)", re.IGNORECASE)
_LABEL = re.compile(r"[A-Za-z]{1,6}")
"""Latin letters glued to a number that are a label (Tel, Mob, No, ID), not part of a code."""
_LIST_SEPS = frozenset(",、|:;+_()")
"""Separators of lists and tables as much as of numbers: only the written groupings count across them."""
_AMOUNT_BEFORE = re.compile(r"[¥$] *$")
_PARAGRAPH = re.compile(r"\n *\n")
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
MIN_DIGITS = 11
_CANONICAL: dict[int, set[tuple[int, ...]]] = {
    11: {(3, 4, 4), (3, 8), (7, 4)},
    15: {(6, 6, 3), (6, 9)},
    16: {(4, 4, 4, 4)},
    17: {(4, 4, 4, 4, 1)},
    18: {(4, 4, 4, 4, 2), (6, 12)},
    19: {(4, 4, 4, 4, 3), (6, 13)},
}
"""Groupings of a number inside a longer run of groups: how phones, old IDs and cards are written."""


@dataclass(frozen=True, order=True)
class Hit:
    """A personal number found at ``start``:``end`` of a text; ``number`` is its digits (and X)."""

    start: int
    end: int
    kind: str
    number: str


@dataclass
class _Group:
    text: str
    start: int
    end: int
    sep: str = ""
    """The kind of separator before this group: " ", "-", ".", "/", "·", HARD, or "" for the first."""


def find(text: str) -> list[Hit]:
    """Every personal number in normalised ``text``, in order."""
    hits: list[Hit] = []
    for span in _SPAN.finditer(text):
        if span.end() - span.start() >= MIN_DIGITS:
            hits += _in_span(text, span)
    return hits


def _in_span(text: str, span: re.Match[str]) -> list[Hit]:
    groups = _groups(span)
    if sum(len(g.text) for g in groups) < MIN_DIGITS:
        return []
    used = [False] * len(groups)
    hits = list(_full_ids(groups, used))
    for run in _soft_runs(groups, used):
        hits += _weak(text, run)
    return sorted(hits)


def _groups(span: re.Match[str]) -> list[_Group]:
    groups: list[_Group] = []
    for match in _GROUP.finditer(span.group()):
        start, end = span.start() + match.start(), span.start() + match.end()
        sep = ""
        if groups:
            between = span.string[groups[-1].end : start]
            sep = _sep_kind(between)
        groups.append(_Group(match.group().upper(), start, end, sep))
    return groups


def _sep_kind(between: str) -> str:
    if HARD in between or _PARAGRAPH.search(between):
        return HARD
    for char in "-./·,、|:;+_()":
        if char in between:
            return char
    return " "


def _full_ids(groups: list[_Group], used: list[bool]) -> Iterator[Hit]:
    """Valid 18-character ID numbers: whole groups joined by one kind of separator, or inside one long group."""
    for i, first in enumerate(groups):
        if used[i]:
            continue
        if len(first.text) > 18:
            yield from _ids_inside(first, used, i)
            continue
        length, kind = 0, None
        for j in range(i, len(groups)):
            if j > i:
                kind = kind or groups[j].sep
                if groups[j].sep != kind or used[j]:
                    break
            length += len(groups[j].text)
            if length > 18:
                break
            if length == 18:
                number = "".join(g.text for g in groups[i : j + 1])
                if codes.is_id18(number):
                    used[i : j + 1] = [True] * (j + 1 - i)
                    yield Hit(first.start, groups[j].end, ID, number)
                break


def _ids_inside(group: _Group, used: list[bool], index: int) -> Iterator[Hit]:
    """Valid ID numbers inside a run of more than 18 digits."""
    text = group.text
    for k in range(len(text) - 17):
        number = text[k : k + 18]
        if codes.is_id18(number):
            used[index] = True
            yield Hit(group.start + k, group.start + k + 18, ID, number)


def _soft_runs(groups: list[_Group], used: list[bool]) -> Iterator[list[_Group]]:
    """Runs of groups not yet taken by a full ID, split at hard separators."""
    run: list[_Group] = []
    for group, taken in zip(groups, used, strict=True):
        if taken or group.sep == HARD:
            if run:
                yield run
            run = [] if taken else [group]
        else:
            run.append(group)
    if run:
        yield run


def _weak(text: str, run: list[_Group]) -> list[Hit]:
    if sum(len(g.text) for g in run) < MIN_DIGITS:
        return []
    run = _country_code_apart(text, run)
    if len(run) > 1 and run[-1].text == "X" and sum(len(g.text) for g in run[:-1]) != 17:
        run = run[:-1]  # a lone x after a spaced number («5678 x 2») belongs to no ID
    hits: list[Hit] = []
    taken = [False] * len(run)
    upto = list(itertools.accumulate((len(g.text) for g in run), initial=0))  # digits before each group
    for i, j in _ranges(run):
        if not MIN_DIGITS <= upto[j + 1] - upto[i] <= 20:
            continue  # the cheapest test first: most ranges of a long run of numbers are too short or too long
        if any(taken[i : j + 1]):
            continue
        hit = _weak_hit(text, run, i, j)
        if hit:
            taken[i : j + 1] = [True] * (j + 1 - i)
            hits.append(hit)
    return hits


def _country_code_apart(text: str, run: list[_Group]) -> list[_Group]:
    """「+8613…」 or 「0086138…」 glued to the first group of a spaced number: the code as a group of its own."""
    first = run[0]
    for code in ("0086", "86"):
        glued = first.text.startswith(code) and len(first.text) > len(code) and first.text[len(code)] == "1"
        if glued and (code == "0086" or text[first.start - 1 : first.start] == "+") and len(run) > 1:
            head = _Group(code, first.start, first.start + len(code), first.sep)
            return [head, _Group(first.text[len(code) :], head.end, first.end, "+"), *run[1:]]
    return run


def _ranges(run: list[_Group]) -> Iterator[tuple[int, int]]:
    """Candidate ranges (first, last group), the most telling first: each stretch of groups joined by
    one kind of separator (without a leading +86), then single groups, then groupings inside a stretch."""
    n = len(run)
    for i, j in _stretches(run):
        if j > i:
            yield i, j
        if j > i + 1 and run[i].text in ("86", "0086"):
            yield i + 1, j
    for i in range(n):
        yield i, i
    for i in range(n):
        for j in range(i + 1, min(n, i + 5)):
            yield i, j


def _stretches(run: list[_Group]) -> Iterator[tuple[int, int]]:
    """Maximal ranges whose groups are joined by one kind of separator."""
    first = 0
    for k in range(1, len(run) + 1):
        if k == len(run) or (k > first + 1 and run[k].sep != run[k - 1].sep):
            yield first, k - 1
            first = k - 1 if k < len(run) else k


def _delimited(run: list[_Group], i: int, j: int) -> bool:
    """A range that is a whole stretch: no group joined to it by the same separator on either side.
    A +86 or 0086 just before it is its own prefix, whatever joins them."""
    inner = run[i + 1].sep if j > i else None
    start = i - 1 if i >= 1 and run[i - 1].text in ("86", "0086") else i
    before = start == 0 or run[start].sep != inner
    after = j == len(run) - 1 or run[j + 1].sep != inner or _float_tail(run, j + 1)
    return before and after


def _float_tail(run: list[_Group], k: int) -> bool:
    """The last group is a float's 「.0」 or 「.00」 after a longer group: no part of the number."""
    return k == len(run) - 1 and k > 0 and run[k].sep == "." and run[k].text in ("0", "00") and len(run[k - 1].text) > 2


def _starts_stretch(run: list[_Group], i: int) -> bool:
    """A range that begins where its run begins (after text), or after a +86."""
    return i == 0 or (i == 1 and run[0].text in ("86", "0086"))


def _weak_hit(text: str, run: list[_Group], i: int, j: int) -> Hit | None:
    part = run[i : j + 1]  # (of MIN_DIGITS to 20 digits: _weak)
    if _in_word(text, part[0].start, part[-1].end):
        return None
    if len(part) > 1 and _float_tail(run, j):
        return None  # a float's decimal part (「6217….0」) is no digit of the number before it
    number = "".join(g.text for g in part)
    if not MIN_DIGITS <= len(number) + number.endswith("X") <= 20:
        return None
    kind, digits = classify_weak(number)
    sizes = tuple(len(g.text) for g in part)
    if kind != ID and number.endswith("X"):
        sizes = (*sizes[:-1], sizes[-1] - 1)  # the letter after a phone is no digit of its grouping
    seps = {g.sep for g in part[1:]}
    whole = _delimited(run, i, j) and not seps & _LIST_SEPS  # across list separators, only written groupings
    if len(seps) > 1 and not (kind == PHONE and sizes in _CANONICAL[11]):
        return None  # one kind of separator inside a number; a phone may mix them: 「(138)0000-0108」
    wrapped = kind == PHONE and _starts_stretch(run, i) and len(set(sizes)) > 1 and not seps & _LIST_SEPS
    # wrapped in a narrow cell (line breaks, spaces): any grouping; never across a list's commas
    if len(part) > 1 and not wrapped and (not _grouping_ok(sizes, whole) or all(_YEAR.fullmatch(g.text) for g in part)):
        return None
    if kind is None or (kind == ACCOUNT and not whole and len(part) > 1) or _is_amount(text, run, i, j, digits):
        return None  # inside a longer run only a card that passes Luhn counts: years and counts in a row are no account
    return Hit(part[0].start, part[-1].end, kind, digits)


def _in_word(text: str, start: int, end: int) -> bool:
    """Digits glued to Latin letters are part of a code (a credit code, a hash), not a number of their own —
    unless the letters before it are a short label (「Tel13800000101」): a word of at most six letters with
    no digit glued before it. Letters after the digits make a code (「…2623XG」); an X after them is read
    with the number (an ID's check character, or a letter after a phone: 「13800000124X」)."""
    if end < len(text) and text[end].isascii() and text[end].isalpha():
        return True
    if start == 0 or not (text[start - 1].isascii() and text[start - 1].isalpha()):
        return False
    before = start
    while before > 0 and text[before - 1].isascii() and text[before - 1].isalpha():
        before -= 1
    glued = before > 0 and text[before - 1].isascii() and text[before - 1].isalnum()
    return before < start and (glued or not _LABEL.fullmatch(text[before:start]))


def _grouping_ok(sizes: tuple[int, ...], whole: bool) -> bool:
    if whole:
        return all(s == 1 for s in sizes) or all(s >= 3 for s in sizes[:-1])
    return sizes in _CANONICAL.get(sum(sizes), set())


def _is_amount(text: str, run: list[_Group], i: int, j: int, digits: str) -> bool:
    """An amount, not a number: 元 after it, ¥ before it, or cents after it — but no amount has 16 digits,
    a program's float adds 「.0」 to a number (「13800000103.0」), and a phone's label makes 「.00」 a float too."""
    last = run[j]
    if j + 1 < len(run) and run[j + 1].sep == "." and len(run[j + 1].text) <= 2:
        cents = run[j + 1].text
        if j + 2 < len(run) and run[j + 2].sep == ".":
            return False
        if len(digits) >= 16 or cents == "0":
            return False
        return not (set(cents) == {"0"} and _PHONE_LABEL.search(text, max(run[i].start - 12, 0), run[i].start))
    if _AMOUNT_AFTER.match(text, last.end):
        return True
    return bool(_AMOUNT_BEFORE.search(text, max(run[i].start - 3, 0), run[i].start))


def classify_weak(number: str) -> tuple[str | None, str]:
    """(kind, the number as it is masked) of a run of digits read on its own; (None, "") if it is none."""
    if "X" in number:
        if codes.is_public_code(number):
            return None, ""  # a 统一社会信用代码 whose GB 32100 check character is X, not 17 digits and a letter
        if codes.looks_like_id18(number):
            return ID, number
        if number.endswith("X") and number.count("X") == 1:
            return classify_weak(number[:-1])  # a letter after a phone: 「13800000124X」
        return None, ""
    size = len(number)
    if size == 18 and codes.is_id18(number):
        return ID, number
    if size == 15 and codes.is_id15(number):
        return ID, number  # a plausible area code and birth date: an old ID, even where a 税务登记号 would fit
    if codes.is_public_code(number):
        return None, ""
    if size == 18 and codes.looks_like_id18(number):
        return ID, number
    if 16 <= size <= 19:
        return (BANK if codes.luhn(number) else ACCOUNT), number
    if size == 15 and number.startswith("0086") and codes.is_mobile(number[4:]):
        return PHONE, number[4:]
    if size == 13 and number.startswith("86") and codes.is_mobile(number[2:]):
        return PHONE, number[2:]
    if size == 11 and codes.is_mobile(number):
        return PHONE, number
    return None, ""
