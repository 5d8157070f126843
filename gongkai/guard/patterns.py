"""What a personal number looks like: ID numbers (GB 11643-1999), bank cards (Luhn), mobile phones."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..load.masking import mask_bank, mask_id, mask_phone

ID = "身份证号"
BANK = "银行卡号"
PHONE = "手机号"
_MASKS = {ID: mask_id, BANK: mask_bank, PHONE: mask_phone}

# Where a number may be: digits, maybe in groups; cheap to find, so the exact patterns run only here.
_SPAN = re.compile(rb"\d(?:[ -]?\d){10,}[Xx]?")
# A run of digits that is not part of a longer run; 17 digits may end in the check character X.
_BARE = re.compile(rb"(?<!\d)(\d{11,19})([Xx])?(?!\d)")
# Numbers written in groups: 138-1234-5678, 6222 0212 3456 7890 128, 340123 19900307 1234.
_GROUPED = re.compile(
    rb"(?<!\d)(?<!\d[ -])"
    rb"(?:1[3-9]\d[ -]?\d{4}[ -]?\d{4}|\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?|\d{6}[ -]\d{8}[ -]\d{3}[\dXx])"
    rb"(?![\dXx])(?![ -]\d)"
)
_SEPARATORS = re.compile(rb"[ -]")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


@dataclass(frozen=True, order=True)
class Found:
    """One personal number found in a text: its kind (身份证号 …) and its digits without separators."""

    kind: str
    number: str

    @property
    def masked(self) -> str:
        """The number as the house rule lets it be shown."""
        return _MASKS[self.kind](self.number)


def find_numbers(data: bytes, allow: frozenset[str] = frozenset()) -> set[Found]:
    """Every personal number in ``data`` (UTF-8 or any ASCII-compatible text), except allowed ones."""
    return {f for f in _candidates(data) if f.number not in allow}


def _candidates(data: bytes) -> Iterator[Found]:
    for span in _SPAN.finditer(data):
        yield from _exact(data[max(span.start() - 2, 0) : span.end() + 2])


def _exact(data: bytes) -> Iterator[Found]:
    for match in _BARE.finditer(data):
        digits, x = match.group(1).decode(), match.group(2)
        kind = classify(digits + "X" if x and len(digits) == 17 else digits)
        if kind:
            yield Found(kind, digits + "X" if x and len(digits) == 17 else digits)
    for match in _GROUPED.finditer(data):
        if not _SEPARATORS.search(match.group()):
            continue  # a plain run, already seen above
        number = _SEPARATORS.sub(b"", match.group()).decode().upper()
        kind = classify(number)
        if kind:
            yield Found(kind, number)


def classify(number: str) -> str | None:
    """The kind of personal number ``number`` (digits only, maybe ending in X) is, or None."""
    if len(number) == 18 and is_id18(number):
        return ID
    if len(number) == 15 and is_id15(number):
        return ID
    if 16 <= len(number) <= 19 and number.isdigit() and luhn(number):
        return BANK
    if len(number) == 11 and number.isdigit() and number[0] == "1" and number[1] in "3456789":
        return PHONE
    return None


def is_id18(number: str) -> bool:
    """An 18-character ID number: ISO 7064 MOD 11-2 check character and a plausible birth date."""
    if not number[:17].isdigit() or number[17] not in "0123456789X":
        return False
    total = sum(int(d) * w for d, w in zip(number, _WEIGHTS, strict=False))
    return _CHECK[total % 11] == number[17] and _birth(number[6:14]) is not None


def is_id15(number: str) -> bool:
    """An old 15-digit ID number: a valid YYMMDD birth date at positions 7 to 12."""
    return number.isdigit() and _birth("19" + number[6:12]) is not None


def luhn(number: str) -> bool:
    """The Luhn check every bank card number passes."""
    total = 0
    for i, d in enumerate(reversed(number)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _birth(text: str) -> dt.date | None:
    try:
        date = dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None
    return date if date.year >= 1900 and date <= dt.date.today() else None


def digits_of(text: str) -> str:
    """A phone number's digits, for comparing with the allow-list."""
    return re.sub(r"\D", "", text)
