"""Masked numbers (180****3266, 340123********1234, **** **** **** 1234) render as written, never as emphasis.

Markdown reads the asterisks of a masked number as emphasis: 「180****3266 和 139****1234」 would show
「1803266 和 1391234」 with the words between in bold. An inline pattern that runs before emphasis takes
each asterisk run of a masked number as literal text:

- a run of two or more between digits (or an ID's final X): ``180****3266``;
- a run of four or more touching a digit, or another such run across one space or hyphen:
  ``****1234``, ``6217****``, ``**** **** **** 1234`` (a run of asterisks alone is Markdown's, whatever
  its length: 「*****强调*****」 stays emphasis, and its nesting is still limited by ``check``).

Emphasis of digits (``**2024年**``, ``*3*``) is untouched. Used by the site's pages (bodies, tables,
hand-written pages), the search text, feeds and the ``check`` that compares with the build.
"""

from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.inlinepatterns import InlineProcessor

MASK_RUN = (
    r"(?<=[0-9Xx])\*{2,}(?=[0-9Xx])"
    r"|\*{4,}(?=[0-9Xx]|[ -][0-9*])"
    r"|(?<=[0-9])\*{4,}"
    r"|(?<=[0-9*][ -])\*{4,}"
)
PRIORITY = 185  # after `code` (190), before backslash escapes (180) and every emphasis pattern (≤ 60)


class _MaskRun(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str, int, int]:  # type: ignore[override]
        return m.group(0), m.start(0), m.end(0)  # a string is stashed as text: no later pattern sees it


class MaskedNumbers(Extension):
    """The Python-Markdown extension: asterisks of masked numbers stay literal."""

    def extendMarkdown(self, md: Markdown) -> None:
        """Register the pattern before emphasis."""
        md.inlinePatterns.register(_MaskRun(MASK_RUN, md), "gongkai_masked", PRIORITY)


__all__ = ["MASK_RUN", "MaskedNumbers"]
