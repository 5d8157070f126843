"""The check rules of the numbers the guard meets: personal ones (ID, bank card, mobile) and public codes.

Personal: 公民身份号码 (GB 11643, ISO 7064 MOD 11-2), bank cards (Luhn), mobile phones.
Public, recognised and let through: 统一社会信用代码 (GB 32100, with the GB 11714 organisation code
inside it) and the old 15-character 税务登记号 (6-digit area code + GB 11714 organisation code).
"""

from __future__ import annotations

import datetime as dt
import re

_PROVINCE_LIST = "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65"
PROVINCES = frozenset(f"{_PROVINCE_LIST} 71 81 82 83 91".split())
"""The first two digits of every Chinese administrative area code (GB/T 2260; 71 台湾, 81 香港, 82 澳门, 83 and 91
as the Ministry of Public Security gives them to residents of Taiwan and foreigners)."""
OLDEST = 110
"""Years: a birth date further back belongs to nobody alive, so a 15-digit run with it is not an ID number."""

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z
_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_REGISTRARS = "123456789ANY"  # GB 32100 登记管理部门代码
_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def id_check_char(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits of an ID number."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def is_id18(number: str) -> bool:
    """A valid 18-character ID number: province, plausible birth date and the right check character."""
    return looks_like_id18(number) and id_check_char(number[:17]) == number[17]


def looks_like_id18(number: str) -> bool:
    """17 digits and a digit or X, with a real province and a plausible birth date (check character not tested)."""
    return (
        len(number) == 18
        and number[:17].isdigit()
        and number[17] in "0123456789X"
        and number[:2] in PROVINCES
        and birth(number[6:14]) is not None
    )


def is_id15(number: str, today: dt.date | None = None) -> bool:
    """An old 15-digit ID number held by someone alive: a real province and a 19YYMMDD birth date in range."""
    if len(number) != 15 or not number.isdigit() or number[:2] not in PROVINCES:
        return False
    born = birth("19" + number[6:12], today)
    return born is not None and born.year >= (today or dt.date.today()).year - OLDEST


def luhn(number: str) -> bool:
    """The Luhn check that every bank card number passes."""
    total = 0
    for i, d in enumerate(reversed(number)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def is_mobile(number: str) -> bool:
    """An 11-digit mainland mobile number (1[3-9] and 9 digits)."""
    return bool(_MOBILE.fullmatch(number))


def is_credit_code(code: str) -> bool:
    """A 统一社会信用代码 whose GB 32100 check character is right (``code`` in capitals)."""
    return len(code) == 18 and all(c in CODE_CHARS for c in code) and credit_check_char(code[:17]) == code[17]


def credit_check_char(first17: str) -> str:
    """The GB 32100 check character of the first 17 characters of a 统一社会信用代码."""
    total = sum(CODE_CHARS.index(c) * w for c, w in zip(first17, _CODE_WEIGHTS, strict=True))
    return CODE_CHARS[(31 - total % 31) % 31]


def is_public_code(number: str) -> bool:
    """A run of digits that is a public organisation code, not a personal number:

    - a 统一社会信用代码: registration authority, a real area code, the GB 11714 organisation code
      inside it and the GB 32100 check character all right (two independent check characters);
    - an old 15-character 税务登记号: a real 6-digit area code and a GB 11714 organisation code."""
    if len(number) == 18:
        return (
            number[0] in _REGISTRARS
            and number[2:4] in PROVINCES
            and number[2:8].isdigit()
            and is_org_code(number[8:17])
            and is_credit_code(number)
        )
    if len(number) == 15:
        return number[:6].isdigit() and number[:2] in PROVINCES and is_org_code(number[6:])
    return False


def is_org_code(code: str) -> bool:
    """A 9-character 组织机构代码 (GB 11714) with its check character."""
    if len(code) != 9 or not code[:8].isalnum() or not code[:8].isascii():
        return False
    total = sum(int(c, 36) * w for c, w in zip(code[:8], _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check)) == code[8]


def birth(text: str, today: dt.date | None = None) -> dt.date | None:
    """A YYYYMMDD birth date from 1900 up to today, or None."""
    try:
        date = dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None
    return date if date.year >= 1900 and date <= (today or dt.date.today()) else None
