"""How wide text is in the fonts the sheets print with, read from the installed font files.

The sheets are laid out here, not by WeasyPrint: every line is broken and every page filled in
Python, so the widths must be the fonts' own. Advance widths come from the font files that
fontconfig names (fc-match), in thousandths of an em. A character the font lacks is counted as
one em (a fallback font draws it, usually a CJK ideograph).
"""

from __future__ import annotations

import functools
import math
import subprocess
import unicodedata
from collections.abc import Callable

from fontTools.ttLib import TTFont

MONO = "Noto Sans Mono CJK SC"
"""The table grid: ASCII half an em, CJK one em (so one *cell* is half an em)."""
SERIF = "Noto Serif CJK SC"
"""Body text (仿宋's free stand-in)."""
SANS = "Noto Sans CJK SC"
"""Titles and headings (小标宋's free stand-in), bold."""
FACES = {MONO: "Regular", SERIF: "Regular", SANS: "Bold"}

BREAK_BEFORE = set("，。、；：？！）》」』】〕〉’”…·・%％,.;:?!)]}")
"""Characters that never begin a line (Chinese line-breaking rules, 禁则)."""
BREAK_AFTER = set("（《「『【〔〈‘“([{")
"""Characters that never end a line."""
_WORD = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.,-/:%*+#@_'")


@functools.lru_cache(maxsize=8)
def advances(family: str) -> dict[int, int]:
    """Each code point's advance width in the family's installed font, in 1/1000 em; {} if none is found."""
    found = _font_file(family, FACES.get(family, "Regular"))
    if found is None:
        return {}
    path, index = found
    font = TTFont(path, fontNumber=index, lazy=True)
    scale = 1000 / font["head"].unitsPerEm
    hmtx = font["hmtx"].metrics
    return {cp: round(hmtx[glyph][0] * scale) for cp, glyph in font.getBestCmap().items()}


def _font_file(family: str, style: str) -> tuple[str, int] | None:
    try:
        result = subprocess.run(
            ["fc-match", "--format", "%{family}\n%{file}\n%{index}", f"{family}:style={style}"],
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        return None
    lines = result.stdout.splitlines()
    if len(lines) != 3 or family not in lines[0]:
        return None
    return lines[1], int(lines[2] or 0)


def char_em(char: str, family: str) -> float:
    """The advance of one character in ems; a missing one counts as an ideograph (or as half for narrow ones)."""
    width = advances(family).get(ord(char))
    if width is None:
        return 1.0 if unicodedata.east_asian_width(char) in "WFA" else 0.6
    return width / 1000


def text_em(text: str, family: str) -> float:
    """The width of text in ems (no kerning: the lines are broken with a margin to spare)."""
    return sum(char_em(c, family) for c in text)


def char_cells(char: str) -> int:
    """The half-em cells one character takes in the grid font, rounded up."""
    if " " <= char <= "~":
        return 1
    return max(1, math.ceil(char_em(char, MONO) * 2 - 0.05))


def cells(text: str) -> int:
    """The width of text in the grid's half-em cells."""
    return sum(char_cells(c) for c in text)


def break_lines(text: str, width: float, measure: Callable[[str], float] | None = None) -> list[str]:
    """Text cut into lines of at most width (in the measure's unit), by the Chinese line-breaking rules.

    measure is a function of one character (default: grid cells). Runs of Latin letters and digits
    (numbers, phone numbers, dates) stay whole unless one alone is wider than a line; a line never
    begins with 「，。）」」 and the like, nor ends with 「（《」, if moving one character mends it.
    """
    size = measure or char_cells
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += _break(paragraph, width, size)
    return lines


def _break(text: str, width: float, size: Callable[[str], float]) -> list[str]:
    """Greedy lines; a unit that may not begin a line takes the unit before it along, and so on."""
    lines: list[list[str]] = [[]]
    used = 0.0
    for unit in _units(text):
        wide = sum(size(c) for c in unit)
        if lines[-1] and used + wide > width:
            if wide > width:  # a run wider than a line is cut by characters
                for char in unit:
                    if lines[-1] and used + size(char) > width:
                        lines.append([])
                        used = 0.0
                    lines[-1].append(char)
                    used += size(char)
                continue
            lines.append(_carried(lines[-1], unit))
            used = sum(size(c) for u in lines[-1] for c in u)
        lines[-1].append(unit)
        used += wide
    return ["".join(line) for line in lines if line] or [""]


def _carried(line: list[str], unit: str) -> list[str]:
    """The units taken from the end of line to begin the next one with unit: none, unless the rules ask."""
    cut = len(line)
    while cut > 1 and (
        (unit if cut == len(line) else line[cut])[0] in BREAK_BEFORE or line[cut - 1][-1] in BREAK_AFTER
    ):
        cut -= 1
    carried = line[cut:]
    del line[cut:]
    return carried


def _units(text: str) -> list[str]:
    """Characters, with runs of Latin letters and digits kept as one unit."""
    units: list[str] = []
    for char in text:
        if units and char in _WORD and units[-1][-1] in _WORD:
            units[-1] += char
        else:
            units.append(char)
    return units
