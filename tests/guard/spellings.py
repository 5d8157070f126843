"""Hypothesis strategies: invented personal numbers and every way of spelling them the normaliser folds.

Numbers are made as in ``personal.py``: ID numbers in the unused area code 341799 (so no real
person's), cards and accounts from a fixed invented prefix, mobiles in 138 0000 …; never a real one.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import assume
from hypothesis import strategies as st
from personal import card, id18

from gongkai.guard.normalise import fold
from gongkai.guard.patterns import ACCOUNT, BANK, ID, PHONE, Found

FULL_WIDTH = {str(d): chr(0xFF10 + d) for d in range(10)}
INVISIBLE = [
    "\u00ad",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u2060",
    "\u2061",
    "\u2063",
    "\ufeff",
    "\u034f",
    "\u180e",
    "\ufe0f",
]
SEPARATORS = [" ", "-", ".", "/", "·", "\n", "－", "\u00a0", "\u3000", " - ", "\u2009", "\u30fb", "\u2013"]
LIST_SEPARATORS = ["，", ",", "、", "|", ":", "：", "+", ";", "_"]
"""Separators of lists as much as of numbers: a phone or a card in its written grouping is read across them."""
CHINESE = "〇一二三四五六七八九"
CHINESE_OTHER = {"0": "零", "1": "幺"}
LABELS = ["Tel", "TEL", "Mob", "tel:", "Phone"]
"""Latin labels glued to a phone (「Tel13800000101」)."""
INLINE = ["b", "strong", "span", "em", "i", "u", "a", "font", "mark", "small", "code", "o:p"]
PHONE_PREFIXES = ["+86 ", "+86", "86-", "0086 ", "(+86) "]


@dataclass(frozen=True)
class Spelling:
    """A number, what the guard must report for it, and how it is written."""

    found: Found
    text: str
    """The spelling as plain text (what a reader sees)."""
    references: str
    """The same as HTML without tags: character references inside it (for an attribute value)."""
    markup: str
    """The same as HTML: inline tags and character references inside it."""


@st.composite
def numbers(draw: st.DrawFn) -> tuple[Found, str]:
    """An invented personal number: (what the guard reports, the digits to spell)."""
    kind = draw(st.sampled_from([ID, BANK, ACCOUNT, PHONE]))
    if kind == ID:
        year = draw(st.integers(1930, 2020))
        month, day = draw(st.integers(1, 12)), draw(st.integers(1, 28))
        number = id18(f"341799{year}{month:02}{day:02}{draw(st.integers(0, 999)):03}")
        return Found(ID, number), number
    if kind == BANK:
        number = card("62179912" + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=7, max_size=10))))
        return Found(BANK, number), number
    if kind == ACCOUNT:
        body = "62179913" + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=10, max_size=10)))
        number = next(body + d for d in "0123456789" if card(body) != body + d)  # 19 digits that fail Luhn
        return Found(ACCOUNT, number), number
    number = "1380000" + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=4, max_size=4)))
    return Found(PHONE, number), number


def groupings(kind: str, size: int) -> st.SearchStrategy[tuple[int, ...]]:
    """Groupings the finder reads as one number: any for a full ID; the written forms for the others."""
    common = [(size,), (1,) * size]
    if kind == ID:
        return st.sampled_from([*common, (6, 8, 4), (6, 4, 4, 4), (3, 3, 8, 4), (4, 4, 4, 4, 2), (2,) * 9, (6, 12)]) | (
            st.lists(st.integers(1, 9), min_size=2, max_size=8).filter(lambda g: sum(g) == size).map(tuple)
        )
    if kind == PHONE:
        return st.sampled_from([*common, (3, 4, 4), (3, 8), (7, 4), (4, 4, 3), (3, 3, 5)])
    fours = (4,) * (size // 4) + ((size % 4,) if size % 4 else ())
    return st.sampled_from([*common, fours, (6, size - 6), (4, size - 4)])


@st.composite
def spellings(draw: st.DrawFn, *, lines: bool = True, fonts: bool = False, written: bool = False) -> Spelling:
    """A number spelt as a person or a program might: widths, Chinese numerals, invisible characters,
    groupings, separators (list ones in a written grouping), a line break, +86 or a glued label, a float's
    「.0」 or an x after it, and (in the markup) inline tags and character references.

    ``lines``: line breaks may separate groups (not in a file name); ``fonts``: only characters our
    PDF fonts draw (ASCII and full-width digits), for PDFs made from the spelling; ``written``: also list
    separators (「138，0000，0106」) and a float's 「.0」, as text and tables are written (not one digit per box)."""
    found, number = draw(numbers())
    grouping = draw(groupings(found.kind, len(number)))
    separators = [s for s in SEPARATORS if lines or "\n" not in s]
    if written and _written(found.kind, grouping):
        separators += LIST_SEPARATORS
    separator = draw(st.sampled_from(separators))
    mixed = written and found.kind == PHONE and grouping in ((3, 4, 4), (3, 8), (7, 4)) and draw(st.booleans())
    # a phone's groups may each be joined by another separator: 「(138)0000-0108」, 「138 - 0000 . 0121」
    groups, at = [], 0
    for size in grouping:
        groups.append(number[at : at + size])
        at += size
    chars: list[str] = []
    last = ""  # the separator before the last group
    for index, group in enumerate(groups):
        if index:
            last = separator if not mixed else draw(st.sampled_from([s for s in separators if "\n" not in s]))
            chars.append(last)
        for digit in group:
            chars.append(_glyph(draw, digit, fonts))
            if draw(st.integers(0, 5)) == 0:
                chars.append(draw(st.sampled_from(INVISIBLE[:6] if fonts else INVISIBLE)))
    # 「6217.9912.0000.0067.0」: a last group 0 after a dot is a float's .0 to any reader (the guard still finds
    # the number, as the 16 digits before it); such a spelling says nothing about the 17-digit one.
    assume(not (groups[-1] == "0" and len(groups) > 1 and ("." in fold(last) or "·" in fold(last))))
    markup = [_reference(draw, char, chars[i + 1] if i + 1 < len(chars) else "") for i, char in enumerate(chars)]
    prefix = draw(st.sampled_from(["", *PHONE_PREFIXES, *LABELS])) if found.kind == PHONE else ""
    dotted = (
        "." in fold(separator) or "·" in fold(separator) or set(grouping) == {1}
    )  # a float's .0 would be one more group
    suffix = draw(st.sampled_from(_suffixes(found.kind, written and not dotted)))
    tagged = _tagged(draw, markup)
    return Spelling(
        found, prefix + "".join(chars) + suffix, prefix + "".join(markup) + suffix, prefix + tagged + suffix
    )


def _written(kind: str, grouping: tuple[int, ...]) -> bool:
    """A grouping as phones and cards are written (3-4-4, 4-4-4-4 …), or the number in one piece."""
    return (
        len(grouping) == 1
        or (kind == PHONE and grouping in ((3, 4, 4), (3, 8), (7, 4)))
        or (kind == BANK and set(grouping[:-1]) == {4} and len(grouping) >= 4)
    )


def _suffixes(kind: str, written: bool) -> list[str]:
    """What a program or a hand adds after a number: an x after a phone; with ``written``, a float's 「.0」
    (and 「.00」 on a card or an account)."""
    floats = [".0"] + ([".00"] if kind in (BANK, ACCOUNT) else []) if written else []
    return ["", "", *floats, *(["X", "x"] if kind == PHONE else [])]


def _glyph(draw: st.DrawFn, digit: str, fonts: bool) -> str:
    if digit == "X":
        return draw(st.sampled_from(["X", "x", "Ｘ", "ｘ"]))
    math = [] if fonts else [chr(0x1D7CE + int(digit))]  # 𝟎 …: mathematical bold digits
    chinese = [] if fonts else [CHINESE[int(digit)], CHINESE_OTHER.get(digit, CHINESE[int(digit)])]  # 一三八〇…
    return draw(st.sampled_from([digit, digit, FULL_WIDTH[digit], *math, *chinese]))


def _reference(draw: st.DrawFn, char: str, following: str) -> str:
    """The character as itself or as a character reference (decimal, hex, or without its semicolon
    where the next character cannot run on into it)."""
    if len(char) > 1:  # a separator such as " - "
        return "".join(_reference(draw, c, (char[k + 1 :] + following)[:1]) for k, c in enumerate(char))
    if char == "\u00a0" and draw(st.booleans()):
        return "&nbsp;"
    how = draw(st.integers(0, 5))
    if how == 0:
        return f"&#{ord(char)};"
    if how == 1:
        return f"&#x{ord(char):X};"
    if how == 2 and not (following.isascii() and (following.isalnum() or following == ";")):
        return f"&#{ord(char)}"  # no semicolon: browsers read it all the same
    return char


def _tagged(draw: st.DrawFn, pieces: list[str]) -> str:
    """The pieces with inline elements around some runs of them: <b>3417</b>99 is one number."""
    out, index = [], 0
    while index < len(pieces):
        length = draw(st.integers(1, 6))
        chunk = "".join(pieces[index : index + length])
        if draw(st.booleans()):
            tag = draw(st.sampled_from(INLINE))
            attributes = ' class="x"' if draw(st.booleans()) else ""
            chunk = f"<{tag}{attributes}>{chunk}</{tag}>"
        out.append(chunk)
        index += length
    return "".join(out)
