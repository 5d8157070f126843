"""The abbreviations search expands: gongkai's curated list (abbreviations.yml) and the county's own.

A group holds the spellings of one meaning (低保, 最低生活保障). A query term holding one of them is
also searched with it replaced by each other spelling of its group; what only such a spelling finds is
an expanded result, marked and listed after the literal ones (assets/terms.js, search.js).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml

from ...errors import Problem, SourceErrors
from ...model import Abbreviation
from .forms import fold

MOST = 36**3
"""Groups at most: a group's index word spells its number in three base-36 digits (tokens.group_word, terms.js)."""

BUILT_IN = Path(__file__).with_name("abbreviations.yml")
"""gongkai's curated list, documented in its comments and in the clerk guide."""


def built_in() -> tuple[Abbreviation, ...]:
    """The curated list."""
    entries = yaml.safe_load(BUILT_IN.read_text(encoding="utf-8"))
    return tuple(Abbreviation(forms=tuple(e["写法"]), note=e.get("说明")) for e in entries)


def groups(extra: Iterable[Abbreviation] = ()) -> list[list[str]]:
    """Every group's folded spellings, the curated list's first, each group once."""
    found: dict[tuple[str, ...], None] = {}
    for entry in (*built_in(), *extra):
        forms = tuple(dict.fromkeys(fold(form) for form in entry.forms if form.strip()))
        if len(forms) > 1:
            found.setdefault(forms)
    if len(found) > MOST:
        too_many = f"缩略语连同内置的共 {len(found)} 组，搜索最多能用 {MOST} 组"
        raise SourceErrors([Problem("county.yml", None, "搜索缩略语", too_many, "请删去多余的组")])
    return [list(forms) for forms in found]
