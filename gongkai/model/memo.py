"""Answers about a frozen record kept beside it: a lookup asked once per document (an agency by name, a domain,
a catalogue row) was a linear search each time, 0.2–0.3 s of every build at county scale."""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
_UNKNOWN = object()
_MEMOS: dict[int, tuple[weakref.ref[Any], dict[Any, Any]]] = {}
"""By the record's id: a weak reference to the record and its answers, dropped with the record (so that they never
keep a county's records alive, nor outlive them to be taken by another record given the same id)."""


def memo(owner: object) -> dict[Any, Any]:
    """The answers kept for ``owner``: a frozen record whose parts are frozen too (the same question, the same
    answer), which the answers do not refer to."""
    key = id(owner)
    found = _MEMOS.get(key)
    if found is not None and found[0]() is owner:
        return found[1]
    answers: dict[Any, Any] = {}
    _MEMOS[key] = (weakref.ref(owner, functools.partial(_forget, key)), answers)
    return answers


def remembered(owner: object, question: Any, answer: Callable[[], T]) -> T:
    """``answer()``, asked once per ``question`` about ``owner`` (``memo``)."""
    found = _MEMOS.get(id(owner))
    answers = found[1] if found is not None and found[0]() is owner else memo(owner)
    known = answers.get(question, _UNKNOWN)
    if known is _UNKNOWN:
        known = answers[question] = answer()
    return known


def _forget(key: int, gone: weakref.ref[Any]) -> None:
    found = _MEMOS.get(key)
    if found is not None and found[0] is gone:
        del _MEMOS[key]
