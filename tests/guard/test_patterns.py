"""What counts as a personal number, and what does not."""

from __future__ import annotations

import pytest
from personal import BANK as CARD
from personal import ID as ID_NUMBER
from personal import PHONE as MOBILE
from personal import id18

from gongkai.guard.patterns import BANK, ID, PHONE, Found, classify, find_numbers


def _found(text: str, allow: frozenset[str] = frozenset()) -> set[Found]:
    return find_numbers(text.encode(), allow)


@pytest.mark.parametrize(
    ("text", "kind", "number"),
    [
        (f"身份证号{ID_NUMBER}。", ID, ID_NUMBER),
        (f"<td>{id18('34012319851231002')}</td>", ID, id18("34012319851231002")),
        ("旧身份证 340123900307123 号", ID, "340123900307123"),
        (f"卡号：{CARD}", BANK, CARD),
        ("卡号 6222 0212 3456 7890 128", BANK, "6222021234567890128"),
        (f"手机 {MOBILE}", PHONE, MOBILE),
        ("手机 138-1234-5678", PHONE, MOBILE),
        ("手机 138 1234 5678", PHONE, MOBILE),
    ],
)
def test_personal_numbers_are_found(text, kind, number):
    assert _found(text) == {Found(kind, number)}


def test_an_id_ending_in_x_is_found_in_either_case():
    number = next(n for n in (id18(f"3401231990030712{d}") for d in "0123456789") if n.endswith("X"))
    assert _found(f"号码 {number.lower()}") == {Found(ID, number)}


@pytest.mark.parametrize(
    "text",
    [
        "统一社会信用代码 11341700MB1714830K、91340100MA2NXXXX1Q",
        "索引号 11341700MB1714830K/202603-00003",
        "网站标识码 3417000099，联系电话 0550-7011234",
        "341722********0317 与 138****5678 与 ***************0128",  # already masked
        f"{ID_NUMBER[:17]}{'0' if ID_NUMBER[17] != '0' else '1'}",  # wrong check character
        "340123199013071234",  # month 13
        "340123900230123",  # 15 digits, 30 February
        f"1{CARD}",  # part of a longer run of digits
        f"{MOBILE}9",
        "6222 0212 3456 7890 129",  # fails Luhn
        "2026-06-30 2026-07-01",
        "12345678901",  # 11 digits, but not a mobile prefix
    ],
)
def test_other_numbers_are_not(text):
    assert _found(text) == set()


def test_allowed_numbers_are_skipped():
    assert _found(f"热线 {MOBILE}", frozenset({MOBILE})) == set()


def test_found_numbers_are_masked_by_the_house_rule():
    assert Found(ID, ID_NUMBER).masked == "340123********1234"
    assert Found(BANK, CARD).masked == "***************0128"
    assert Found(PHONE, MOBILE).masked == "138****5678"


def test_classify_prefers_an_id_over_a_card():
    assert classify(ID_NUMBER) == ID
