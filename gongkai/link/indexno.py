"""索引号 templates: the one place that formats an index number and reads one back.

A template such as ``{机构代码}/{年月}-{序号:05d}`` may use {机构代码} (the agency's 统一社会信用代码),
{年}, {年月} (of the publication date) and {序号}, optionally zero-padded as {序号:05d}.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

CODE, YEAR, YEAR_MONTH, SEQUENCE = "机构代码", "年", "年月", "序号"
PLACEHOLDERS = f"{{{CODE}}}、{{{YEAR}}}、{{{YEAR_MONTH}}}、{{{SEQUENCE}}} 或 {{{SEQUENCE}:05d}}"
_FIELD = re.compile(r"(\{[^{}]*\})")
_SEQUENCE_WIDTH = re.compile(r"序号(?::(0[1-9][0-9]*)?d)?")
_PATTERNS = {CODE: "[0-9A-Z]{18}", YEAR: "[0-9]{4}", YEAR_MONTH: "[0-9]{6}", SEQUENCE: "[0-9]+"}

Scope = tuple[str | None, int | None, int | None]
"""(机构代码, 年, 月), None where the template does not use it: numbers of one scope share a sequence."""


class BadTemplate(ValueError):
    """The 索引号模板 in county.yml cannot be used; carries the message and the fix, in Chinese."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message, self.fix = message, fix


@dataclass(frozen=True)
class IndexParts:
    """What an index number says: agency code, year, month (None where the template has none), sequence."""

    code: str | None
    year: int | None
    month: int | None
    sequence: int

    @property
    def scope(self) -> Scope:
        """Everything but the sequence."""
        return self.code, self.year, self.month


@dataclass(frozen=True)
class IndexTemplate:
    """A compiled template: literal text and placeholder names, the sequence's width, the parsing pattern."""

    text: str
    pieces: tuple[tuple[bool, str], ...]
    """(is a placeholder, literal text or placeholder name), in order."""
    width: int
    pattern: re.Pattern[str]

    def uses(self, name: str) -> bool:
        """Whether the template contains this placeholder."""
        return (True, name) in self.pieces

    def scope(self, credit_code: str, published: dt.date) -> Scope:
        """The scope of a number given to this agency on this date."""
        return (
            credit_code if self.uses(CODE) else None,
            published.year if self.uses(YEAR) or self.uses(YEAR_MONTH) else None,
            published.month if self.uses(YEAR_MONTH) else None,
        )

    def render(self, parts: IndexParts) -> str:
        """The index number with these parts."""
        values = {
            CODE: parts.code or "",
            YEAR: f"{parts.year or 0:04d}",
            YEAR_MONTH: f"{parts.year or 0:04d}{parts.month or 0:02d}",
            SEQUENCE: f"{parts.sequence:0{self.width}d}" if self.width else str(parts.sequence),
        }
        return "".join(values[piece] if placeholder else piece for placeholder, piece in self.pieces)

    def parse(self, value: str) -> IndexParts | None:
        """The parts of an index number written exactly as this template would write it, else None."""
        match = self.pattern.fullmatch(value)
        if match is None:
            return None
        found = match.groupdict()
        year_month = found.get("year_month")
        year = int(year_month[:4]) if year_month else int(found["year"]) if found.get("year") else None
        month = int(year_month[4:]) if year_month else None
        parts = IndexParts(found.get("code"), year, month, int(found["sequence"]))
        if month is not None and not 1 <= month <= 12:
            return None
        return parts if self.render(parts) == value else None


def format_index(template: str, credit_code: str, published: dt.date, sequence: int) -> str:
    """The index number of the ``sequence``-th item of this agency in this period; raises BadTemplate."""
    compiled = compile_template(template)
    code, year, month = compiled.scope(credit_code, published)
    return compiled.render(IndexParts(code, year, month, sequence))


def parse_index(template: str, value: str) -> IndexParts | None:
    """The parts of an index number, or None if it does not fit the template; raises BadTemplate."""
    return compile_template(template).parse(value)


@lru_cache(maxsize=8)
def compile_template(text: str) -> IndexTemplate:
    """The template compiled for formatting and parsing; raises BadTemplate naming what is wrong."""
    pieces: list[tuple[bool, str]] = []
    width = 0
    for number, piece in enumerate(_FIELD.split(text)):
        if number % 2 == 0:
            _literal(piece, text)
            pieces.append((False, piece))
            continue
        name, piece_width = _placeholder(piece)
        if (True, name) in pieces:
            raise BadTemplate(f"索引号模板中「{{{name}}}」出现了不止一次", f"每个占位符只能用一次；可用 {PLACEHOLDERS}")
        pieces.append((True, name))
        width = max(width, piece_width)
    if (True, SEQUENCE) not in pieces:
        raise BadTemplate("索引号模板中没有 {序号}", "模板必须含有 {序号}，例如 {机构代码}/{年月}-{序号:05d}")
    return IndexTemplate(text, tuple(pieces), width, re.compile("".join(_regex(p) for p in pieces)))


def _literal(piece: str, text: str) -> None:
    if "{" in piece or "}" in piece:
        raise BadTemplate(f"索引号模板「{text}」中的花括号不成对", f"占位符写在成对的花括号里：{PLACEHOLDERS}")


def _placeholder(piece: str) -> tuple[str, int]:
    inner = piece[1:-1].strip()
    if inner in (CODE, YEAR, YEAR_MONTH):
        return inner, 0
    match = _SEQUENCE_WIDTH.fullmatch(inner)
    if match is None:
        raise BadTemplate(f"索引号模板中的「{piece}」无法识别", f"可用的占位符：{PLACEHOLDERS}")
    return SEQUENCE, int(match.group(1) or 0)


def _regex(piece: tuple[bool, str]) -> str:
    placeholder, text = piece
    if not placeholder:
        return re.escape(text)
    group = {CODE: "code", YEAR: "year", YEAR_MONTH: "year_month", SEQUENCE: "sequence"}[text]
    return f"(?P<{group}>{_PATTERNS[text]})"
