"""`import payouts` masks on the way in: a cell with a star must have the rule's shape, through the guard's normaliser."""

from __future__ import annotations

import pytest
from personal import BANK as CARD
from personal import ID as ID_NUMBER
from personal import PHONE as MOBILE

from gongkai.errors import Problem
from gongkai.load.payouts import convert_row

FIX = "请按 {} 的样式遮盖，或在原表中填写完整号码，由 gongkai import payouts 统一遮盖"


def _row(**cells: str) -> tuple[dict[str, str] | None, list[Problem]]:
    return convert_row({"户主姓名": "王秀兰", "金额": "572.00", **cells}, "名单.csv", 3)


@pytest.mark.parametrize(
    ("key", "cell", "stored"),
    [
        ("身份证号", ID_NUMBER, "340123********1234"),
        ("身份证号", "３４０１２３１９９００３０７１２３４", "340123********1234"),
        ("身份证号", "340123\u200b199003071234\ufeff", "340123********1234"),
        ("身份证号", "340123 19900307 1234", "340123********1234"),
        ("身份证号", "340123********1234", "340123********1234"),
        ("身份证号", "3401231990030*1234", "340123********1234"),  # masked too little: masked again
        ("银行卡号", CARD, "***************0128"),
        ("银行卡号", "6222 0212 3456 7890 128", "***************0128"),
        ("银行卡号", "6222****34567890128", "***************0128"),  # four stars is not the rule
        ("联系电话", MOBILE, "138****5678"),
        ("联系电话", "+86 138-1234-5678", "138****5678"),
        ("联系电话", "１３８\u00a01234\u00a05678", "138****5678"),
        ("联系电话", "138****5678", "138****5678"),
        ("联系电话", "13812**5678", "138****5678"),  # stars in the wrong place: masked again
    ],
)
def test_a_cell_is_stored_in_the_rules_shape(key, cell, stored):
    row, problems = _row(**{key: cell})
    assert problems == []
    assert row is not None and row[key] == stored


@pytest.mark.parametrize(
    ("key", "cell", "message", "example"),
    [
        (
            "身份证号",
            "340123199003***234",
            "身份证号已部分遮盖，但不是「前 6 位 + 星号 + 后 4 位」的样式",
            "340123********1234",
        ),
        (
            "身份证号",
            "34012319900307****",
            "身份证号已部分遮盖，但不是「前 6 位 + 星号 + 后 4 位」的样式",
            "340123********1234",
        ),
        (
            "银行卡号",
            "6222021234567890***",
            "银行卡号已部分遮盖，但不是「星号 + 后 4 位」的样式",
            "***************0128",
        ),
        ("联系电话", "1381234567*", "联系电话已部分遮盖，但不是「前 3 位 + 4 个星号 + 后 4 位」的样式", "138****5678"),
    ],
)
def test_a_cell_that_cannot_be_masked_again_is_refused_with_its_row_and_column(key, cell, message, example):
    row, problems = _row(**{key: cell})
    assert row is None
    assert problems == [Problem("名单.csv", 3, key, message, FIX.format(example))]
    assert cell not in str(problems[0])


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        ("Tel13800000502", "Tel138****0502"),
        ("联系 13800000504 万主任", "联系 138****0504 万主任"),
        ("卡号6217991200181590838.00", "卡号***************0838.00"),
        ("老证341799590721018", "老证341799*****1018"),
        ("电话 一三八〇〇〇〇〇五〇七", "电话 138****0507"),
        ("已发放", "已发放"),
    ],
)
def test_a_remark_is_masked_with_the_guards_finder(cell, stored):
    row, problems = _row(备注=cell)
    assert problems == []
    assert row is not None and row["备注"] == stored
