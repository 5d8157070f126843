"""Personal numbers in an export, found before anything is written, each masked or declared public.

Every cell that becomes part of a document (title, 文号, 内容概述, 关键词, the body as Markdown) is read
by the leak guard's own reader and finder, so the import finds exactly what ``check`` would refuse. Each
number is reported with its row and column. The clerk decides per number in the review file: 遮盖
(the default: the house rule's mask, 180****3266) or 公开 with a reason — the number stays and is
registered in public-numbers.yml for that document only. An ID number cannot be declared public.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..guard.finder import ID, find
from ..guard.normalise import plain_part
from ..guard.patterns import Found
from ..guard.readers.text import text_parts

MASK, PUBLIC = "遮盖", "公开"
CHOICES = (MASK, PUBLIC)
CONTEXT = 12  # characters either side of a number shown in the review file
_FULL_WIDTH = {str(d): chr(0xFF10 + d) for d in range(10)}
_BETWEEN = r"(?:[ \t\u3000\xa0\-－—./·]|\n(?!\n)){0,3}"
_NOT_DIGIT_BEFORE = r"(?<![0-9０-９])"
_NOT_DIGIT_AFTER = r"(?![0-9０-９])"


@dataclass(frozen=True)
class Spot:
    """A personal number in one cell of one row: its kind, digits and spelling, and a masked glimpse of
    the text around it."""

    row: int
    column: str
    kind: str
    number: str
    spelling: str
    context: str
    nth: int = 1
    """Which of the cell's numbers with this masked form it is (two numbers can look alike masked)."""

    @property
    def review_key(self) -> tuple[int, str, str, int]:
        """(row, column, masked number, nth): how the review workbook names a number, without its digits."""
        return self.row, self.column, self.masked, self.nth

    @property
    def masked(self) -> str:
        """The number as the house rule shows it."""
        return Found(self.kind, self.number).masked

    @property
    def key(self) -> tuple[int, str, str]:
        """(row, column, digits): how the review file names a number."""
        return self.row, self.column, self.number


def find_spots(row: int, column: str, text: str, allowed: Callable[[Found], bool], markdown: bool) -> list[Spot]:
    """Every personal number of a cell that no county.yml / public-numbers.yml entry allows, in order."""
    parts = text_parts(text, ".md", False) if markdown else [plain_part(text)]
    spots: list[Spot] = []
    seen: set[str] = set()
    for part in parts:
        for hit in find(part.text):
            found = Found(hit.kind, hit.number)
            if hit.number in seen or allowed(found):
                continue
            seen.add(hit.number)
            spots.append(Spot(row, column, hit.kind, hit.number, _spelling(text, hit.number) or hit.number, ""))
    masked, _ = apply(text, spots, set())  # the glimpses show no number unmasked
    alike: dict[str, int] = {}
    result = []
    for spot in spots:
        alike[spot.masked] = alike.get(spot.masked, 0) + 1
        result.append(dataclasses.replace(spot, context=_context(masked, spot.masked), nth=alike[spot.masked]))
    return result


def masked_text(text: str) -> str:
    """``text`` with every personal number masked, whatever is declared: for the review workbook."""
    spots = find_spots(0, "", text, lambda _: False, False)
    return apply(text, spots, set())[0]


def apply(text: str, spots: list[Spot], public: set[tuple[int, str, str]]) -> tuple[str, list[Spot]]:
    """The text with every spot masked unless declared public; the spots whose spelling was not found
    (the caller refuses the row: a number must never be written as it stands)."""
    missed = []
    for spot in spots:
        if spot.key in public and spot.kind != ID:
            continue
        pattern = _pattern(spot.number)
        text, count = pattern.subn(spot.masked, text)
        if not count:
            missed.append(spot)
    return text, missed


def _spelling(text: str, number: str) -> str | None:
    match = _pattern(number).search(text)
    return match.group() if match else None


def _pattern(number: str) -> re.Pattern[str]:
    chars = [f"[{c}{_FULL_WIDTH[c]}]" if c.isdigit() else "[XxＸｘ]" for c in number]
    return re.compile(_NOT_DIGIT_BEFORE + _BETWEEN.join(chars) + _NOT_DIGIT_AFTER)


def _context(masked_text: str, masked: str) -> str:
    at = masked_text.find(masked)
    if at < 0:
        return masked
    return " ".join(masked_text[max(at - CONTEXT, 0) : at + len(masked) + CONTEXT].split())
