"""What the guard reports: a personal number's kind and digits, and how the house rule masks it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..load.masking import mask_bank, mask_id, mask_phone
from .finder import ACCOUNT, BANK, ID, PHONE, classify_weak, find
from .normalise import markup_parts

_MASKS = {ID: mask_id, BANK: mask_bank, ACCOUNT: mask_bank, PHONE: mask_phone}


@dataclass(frozen=True, order=True)
class Found:
    """One personal number found in a text: its kind (身份证号 …) and its digits without separators."""

    kind: str
    number: str

    @property
    def masked(self) -> str:
        """The number as the house rule lets it be shown."""
        return _MASKS[self.kind](self.number)


def find_numbers(data: bytes | str, allow: frozenset[str] = frozenset()) -> set[Found]:
    """Every personal number in ``data`` (text, HTML or XML; bytes as UTF-8), except allowed ones."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    return {
        Found(hit.kind, hit.number)
        for part in markup_parts(text, line=None)
        for hit in find(part.text)
        if hit.number not in allow
    }


def classify(number: str) -> str | None:
    """The kind of personal number ``number`` (digits only, maybe ending in X) is, or None."""
    return classify_weak(number.upper())[0]


def digits_of(text: str) -> str:
    """A number's digits (and a final X), for comparing with the allow-list."""
    return re.sub(r"[^0-9X]", "", text.upper())


__all__ = ["ACCOUNT", "BANK", "ID", "PHONE", "Found", "classify", "digits_of", "find_numbers"]
