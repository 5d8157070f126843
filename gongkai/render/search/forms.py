"""Spellings a reader takes for the same text: one fold for the page and the query, and date aliases.

Search treats as the same text (both in the index and in a query; assets/forms.js mirrors this file):

- Latin letters in either case, and full-width ASCII (ＡＢＣ１２３（）) and the ideographic space as
  their half-width forms (``fold``, which keeps every character at its place);
- the brackets around a 4-digit year, whatever their style: 〔2024〕, [2024], 【2024】, (2024),
  （2024）, ［2024］, ﹝2024﹞ and 〖2024〗 all read 〔2024〕 (``fold`` too);
- a date written 2022-03-05, 2022.3.5, 2022/03/05 or 2022年03月05日, and the month 2022-03, 2022.3:
  the page's text keeps the spelling it shows, and its index gains the canonical spelling 2022年3月5日
  (2022年3月) beside it (``aliases``); a query term holding such a date is searched in both spellings
  (``term_forms``), so that each spelling finds the pages of all of them;
- a 文号 typed without brackets, 「2024 3号」 or 「青政发2024 3号」: the year and number as 〔2024〕3号
  (``query_text``).
"""

from __future__ import annotations

import re
import unicodedata

_WIDE = {0xFF01 + i: 0x21 + i for i in range(94)} | {0x3000: 0x20}
_UPPER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
_OPEN, _CLOSE = "([【〔﹝〖", ")]】〕﹞〗"
# ASCII digits only, as in JavaScript's \d (folded text has no other digits a reader types).
_YEAR = re.compile(f"[{re.escape(_OPEN)}]([0-9]{{4}})[{re.escape(_CLOSE)}]")
_YEAR_OPEN = re.compile(f"[{re.escape(_OPEN)}]([0-9]{{4}})$")  # a query term ending inside the brackets
_YEAR_CLOSE = re.compile(f"^([0-9]{{4}})[{re.escape(_CLOSE)}]")  # … or beginning inside them
_BARE_DOC_NO = re.compile(r"(?<![0-9])([0-9]{4})[ \t]+([0-9]{1,5}号)")
_NUMERIC_DATE = re.compile(r"(?<![0-9])((?:19|20)[0-9][0-9])([-./])([0-9]{1,2})(?:\2([0-9]{1,2}))?(?![0-9])")
_CHINESE_DATE = re.compile(r"(?<![0-9])((?:19|20)[0-9][0-9])年([0-9]{1,2})月(?:([0-9]{1,2})日)?")


_FOLDED = str.maketrans({chr(wide): chr(_UPPER.get(narrow, narrow)) for wide, narrow in _WIDE.items()} | _UPPER)
_FOLDABLE = re.compile("[A-Z\uff01-\uff5e\u3000]+")  # the keys of _FOLDED: re finds their runs fast


def _fold_run(match: re.Match[str]) -> str:
    return match[0].translate(_FOLDED)


def fold(text: str) -> str:
    """Half-width, lower-case Latin, 〔〕 around years; every character stays at its place."""
    return _YEAR.sub(r"〔\1〕", _FOLDABLE.sub(_fold_run, text))


def _canonical(match: re.Match[str], year: str, month: str, day: str | None) -> str:
    if not 1 <= int(month) <= 12 or (day is not None and not 1 <= int(day) <= 31):
        return match[0]
    return f"{year}年{int(month)}月" + (f"{int(day)}日" if day is not None else "")


def canonical_dates(text: str) -> str:
    """text with every date spelled 2022年3月5日 (or 2022年3月 for a month)."""
    text = _NUMERIC_DATE.sub(lambda m: _canonical(m, m[1], m[3], m[4]), text)
    return _CHINESE_DATE.sub(lambda m: _canonical(m, m[1], m[2], m[3]), text)


def aliases(text: str) -> list[str]:
    """The canonical spelling of each date the (folded) text writes otherwise, once each, in order."""
    found: dict[str, None] = {}
    for pattern, groups in ((_NUMERIC_DATE, (1, 3, 4)), (_CHINESE_DATE, (1, 2, 3))):
        for match in pattern.finditer(text):
            spelled = _canonical(match, *(match[g] for g in groups))
            if spelled != match[0]:
                found.setdefault(spelled)
    return list(found)


def query_text(query: str) -> str:
    """A query as typed, folded, with a 文号's bare year and number joined as 〔year〕number."""
    shown = "".join(c for c in query if unicodedata.category(c) != "Cf")  # a pasted zero-width space, a direction mark
    return _BARE_DOC_NO.sub(r"〔\1〕\2", fold(shown))


def term_forms(term: str) -> list[str]:
    """The spellings one (folded) query term is searched in: itself, and with its dates canonical."""
    term = _YEAR_CLOSE.sub(r"\1〕", _YEAR_OPEN.sub(r"〔\1", term))
    canonical = canonical_dates(term)
    return [term] if canonical == term else [canonical, term]
