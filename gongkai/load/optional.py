"""An optional YAML file at the project root read into one record: absent means the record's defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from ..errors import Problem
from .files import read_text
from .records import build
from .yamlsrc import parse_yaml

T = TypeVar("T")


def load_optional(root: Path, rel: str, cls: type[T]) -> tuple[T, Any, list[Problem]]:
    """The record (defaults when the file is absent, empty or broken), the parsed data, and the problems."""
    path = root / rel
    if not path.is_file():
        return cls(), None, []
    text, problems = read_text(path, rel)
    if text is None:
        return cls(), None, problems
    data, problems = parse_yaml(text, rel)
    if problems or data is None:
        return cls(), None, problems
    record, found = build(cls, data, rel)
    return (record or cls()), data, found
