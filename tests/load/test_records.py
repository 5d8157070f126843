"""Records are built through their declared specs, with exact Chinese errors."""

import datetime as dt
from decimal import Decimal

from gongkai.load.records import build, row_map
from gongkai.load.yamlsrc import parse_yaml
from gongkai.model import Document, PayoutRow

GOOD = """\
标题: 测试
文号: 无
发布机构: 县政府办
成文日期: 2026-03-01
发布日期: 2026-03-05
领域: 涉农补贴
主题分类: 其他
组配分类: 通知公告
关键词: 补贴、耕地
"""


def _doc(text: str):
    data, problems = parse_yaml(text, "content/documents/a.md", first_line=2)
    assert problems == []
    return build(Document, data, "content/documents/a.md")


def test_valid_document_builds_with_origin_lines():
    doc, problems = _doc(GOOD)
    assert problems == []
    assert doc.published == dt.date(2026, 3, 5)
    assert doc.keywords == ("补贴", "耕地")
    assert doc.validity == "有效"
    assert doc.origin.line_of("发布日期") == 6


def test_unknown_key_suggests_the_nearest():
    _, problems = _doc(GOOD + "发布机购: 县政府办\n")
    assert [str(p) for p in problems] == [
        "content/documents/a.md 第 11 行，字段「发布机购」：未知的键「发布机购」。如果想写「发布机构」，请改正。"
        "可用的键：标题、索引号、文号、发布机构、联合发文机构、成文日期、发布日期、领域、主题分类、组配分类、关键词、内容概述、有效性、解读对象、"
        "目录事项、附件、施行日期、有效期至、统一登记号、征集开始、征集结束、采纳情况。"
    ]


def test_every_problem_is_reported_at_once():
    text = GOOD.replace("2026-03-05", "2024-02-30").replace("发布机构: 县政府办\n", "") + "有效性: 有小\n"
    _, problems = _doc(text)
    assert [str(p) for p in problems] == [
        "content/documents/a.md 第 2 行，字段「发布机构」：缺少必填字段。请填写：发布机构全称或简称，须在 county.yml 的「发布机构」中。"
        "例如 发布机构: 青溪县人民政府办公室。",
        "content/documents/a.md 第 5 行，字段「发布日期」：日期「2024-02-30」不存在。请写真实存在的日期，格式 YYYY-MM-DD。",
        "content/documents/a.md 第 10 行，字段「有效性」：「有小」不在可选值中。是不是「有效」？可选值：有效、修改、废止、失效。",
    ]


def test_wrong_date_format_names_the_right_one():
    _, problems = _doc(GOOD.replace("2026-03-05", "2026/3/5"))
    assert [p.message + p.fix for p in problems] == ["日期「2026/3/5」格式不对应写成 YYYY-MM-DD，例如 2025-03-05"]


def test_table_row_numbers_and_money_with_separators():
    row, problems = build(PayoutRow, row_map({"户主姓名": "王秀兰", "金额": "1,234.50元"}, 7), "p.csv")
    assert problems == [] and row.amount == Decimal("1234.50") and row.origin.line == 7
    _, problems = build(PayoutRow, row_map({"户主姓名": "王秀兰", "金额": "五百"}, 8), "p.csv")
    assert [str(p) for p in problems] == ["p.csv 第 8 行，字段「金额」：「五百」不是数字。应写数字，例如 572.50。"]
