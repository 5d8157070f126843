"""Where a record came from, kept so that every later check can name the file and line."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Origin:
    """A source file (relative to the project root), the record's first line, and each key's line."""

    path: str
    line: int | None = None
    keys: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    def line_of(self, key: str) -> int | None:
        """The line of a source key, or the record's own line when the key is absent."""
        return self.keys.get(key, self.line)


NOWHERE = Origin("")
