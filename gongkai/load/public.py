"""Load ``public-numbers.yml``, the reviewed list of numbers published on purpose (optional)."""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from ..model.public import PublicNumbers
from .optional import load_optional

PUBLIC_FILE = "public-numbers.yml"
QUOTE_FIX = '号码要加英文引号，例如 号码: "6217 0000 1234 5678 901"（不加引号时，以 0 开头或很长的号码会被改变）'


def load_public_numbers(root: Path) -> tuple[PublicNumbers, list[Problem]]:
    """The county's public numbers (none when the file does not exist) and the problems of the file."""
    record, data, problems = load_optional(root, PUBLIC_FILE, PublicNumbers)
    return record, (_unquoted(data) if data is not None else []) + problems


def _unquoted(data: object) -> list[Problem]:
    """A number YAML read as a number (not text) may have lost leading zeros or digits."""
    items = data.get("公开号码") if isinstance(data, dict) else None
    problems = []
    for item in items if isinstance(items, list) else []:
        value = item.get("号码") if isinstance(item, dict) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            line = getattr(item, "lines", {}).get("号码")
            problems.append(Problem(PUBLIC_FILE, line, "号码", "号码没有加引号", QUOTE_FIX))
    return problems
