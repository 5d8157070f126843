"""The one masking rule (domain.md §6), applied on import so raw numbers never enter the repository."""

from __future__ import annotations

import re

_ID = re.compile(r"^\d{17}[\dXx]$|^\d{15}$")
_MASKED_ID = re.compile(r"^\d{6}\*+[\dXx*]{0,4}$")


def mask_id(value: str) -> str:
    """ID number: first 6 and last 4 kept (340123********1234)."""
    value = value.strip()
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_bank(value: str) -> str:
    """Bank card: only the last 4 kept."""
    digits = re.sub(r"\s", "", value)
    return "*" * max(len(digits) - 4, 0) + digits[-4:]


def mask_phone(value: str) -> str:
    """Mobile phone: first 3 and last 4 kept (138****1234)."""
    digits = re.sub(r"\D", "", value)
    return digits[:3] + "*" * max(len(digits) - 7, 0) + digits[-4:]


def is_raw_id(value: str) -> bool:
    """A full, unmasked 15- or 18-character ID number."""
    return bool(_ID.match(value.strip()))


def is_masked_id(value: str) -> bool:
    """An ID number already masked to the rule's shape."""
    return bool(_MASKED_ID.match(value.strip()))
