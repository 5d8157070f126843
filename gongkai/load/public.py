"""Load ``public-numbers.yml``, the reviewed list of numbers published on purpose (optional)."""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from ..model.public import PublicNumbers
from .files import read_text
from .records import build
from .yamlsrc import parse_yaml

PUBLIC_FILE = "public-numbers.yml"
QUOTE_FIX = '号码要加英文引号，例如 号码: "6217 0000 1234 5678 901"（不加引号时，以 0 开头或很长的号码会被改变）'


def load_public_numbers(root: Path) -> tuple[PublicNumbers, list[Problem]]:
    """The county's public numbers (none when the file does not exist) and the problems of the file."""
    path = root / PUBLIC_FILE
    if not path.is_file():
        return PublicNumbers(), []
    text, problems = read_text(path, PUBLIC_FILE)
    if text is None:
        return PublicNumbers(), problems
    data, problems = parse_yaml(text, PUBLIC_FILE)
    if problems:
        return PublicNumbers(), problems
    if data is None:
        return PublicNumbers(), []
    problems = _unquoted(data)
    record, found = build(PublicNumbers, data, PUBLIC_FILE)
    return (record or PublicNumbers()), problems + found


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
