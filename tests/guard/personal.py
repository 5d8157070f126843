"""Valid personal numbers for the tests, made here so that no real person's number is in the repository."""

from __future__ import annotations

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id18(first17: str) -> str:
    """An 18-character ID number with its GB 11643 check character."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def card(first: str) -> str:
    """A card number: ``first`` with the Luhn check digit appended."""
    for last in "0123456789":
        number = first + last
        total = sum(n - 9 if n > 9 else n for n in (int(d) * (2 if i % 2 else 1) for i, d in enumerate(number[::-1])))
        if total % 10 == 0:
            return number
    raise AssertionError


ID = id18("34012319900307123")
BANK = card("622202123456789012")  # 19 digits
PHONE = "13812345678"
