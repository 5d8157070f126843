"""Answers about a frozen record kept beside it: a lookup asked once per document (an agency by name, a domain,
a catalogue row) was a linear search each time, 0.2–0.3 s of every build at county scale."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_LIMIT = 64
_MEMOS: dict[int, tuple[object, dict[Any, Any]]] = {}
"""By the record's id: the record itself (held, so that its id is not reused while the answers are kept) and its
answers. A few records at a time (a test session makes hundreds of counties)."""


def memo(owner: object) -> dict[Any, Any]:
    """The answers kept for ``owner``: a frozen record whose parts are frozen too (the same question, the same
    answer)."""
    found = _MEMOS.get(id(owner))
    if found is not None and found[0] is owner:
        return found[1]
    if len(_MEMOS) >= _LIMIT:
        _MEMOS.clear()
    answers: dict[Any, Any] = {}
    _MEMOS[id(owner)] = (owner, answers)
    return answers


def remembered(owner: object, question: Any, answer: Callable[[], T]) -> T:
    """``answer()``, asked once per ``question`` about ``owner`` (``memo``)."""
    answers = memo(owner)
    if question not in answers:
        answers[question] = answer()
    found: T = answers[question]
    return found
