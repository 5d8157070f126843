"""Cross-record checks: exact messages with file, line and fix."""

import datetime as dt
from pathlib import Path

from gongkai.check import check_county
from gongkai.load import load_county

from kit import PAYOUT_CSV, PAYOUT_YML, document, write_county

INDEX = "11341700MB1714830K/202603-00001"
TODAY = dt.date(2026, 3, 10)


def _problems(tmp_path: Path, changes: dict[str, str | None]) -> list[str]:
    return [str(p) for p in check_county(load_county(write_county(tmp_path, changes)), TODAY)]


def test_small_county_is_clean(county_dir):
    assert check_county(load_county(county_dir), TODAY) == []


def test_duplicate_index_number(tmp_path):
    problems = _problems(tmp_path, {"content/documents/2026/copy.md": document("另一个文件", INDEX)})
    assert problems == [
        "content/documents/2026/gdlb.md 第 3 行，字段「索引号」：索引号「11341700MB1714830K/202603-00001」与 "
        "content/documents/2026/copy.md 重复。索引号全站唯一且一经分配不能改动：请删除本文件的索引号，由 gongkai 重新分配。"
    ]


def test_unknown_agency_domain_subject_and_kind(tmp_path):
    text = (
        document("文件", "X/1")
        .replace("测试县人民政府办公室", "不存在的局")
        .replace("领域: 涉农补贴", "领域: 不存在")
        .replace("主题分类: 农业、林业、水利", "主题分类: 农业")
        .replace("组配分类: 政策文件", "组配分类: 公告")
    )
    problems = _problems(tmp_path, {"content/documents/2026/x.md": text})
    assert problems == [
        "content/documents/2026/x.md 第 5 行，字段「发布机构」：「不存在的局」不在 county.yml 的发布机构列表中。请写列表中的全称或简称，或先在 county.yml 中添加这个机构。",
        "content/documents/2026/x.md 第 8 行，字段「领域」：没有名为「不存在」的领域。请写 catalog/domains.yml 中某个领域的代码、名称或别名。",
        "content/documents/2026/x.md 第 9 行，字段「主题分类」：「农业」不是主题分类的大类。请从 22 个大类中选一个，如「农业、林业、水利」，小类写成「大类\\小类」。",
        "content/documents/2026/x.md 第 10 行，字段「组配分类」：「公告」不在组配分类列表中。您是不是要写「通知公告」？可选：通知公告、政策文件、行政规范性文件、"
        "政策解读、意见征集、回应关切、政策咨询、工作动态、规划计划、财政信息、人事信息、统计信息、其他、公示公告、年度报告。",
    ]


def test_a_misspelt_agency_or_domain_gets_a_suggestion(tmp_path):
    text = (
        document("文件", "X/1")
        .replace("测试县人民政府办公室", "测试县农业农材局")
        .replace("领域: 涉农补贴", "领域: 社会救济")
    )
    assert _problems(tmp_path, {"content/documents/2026/x.md": text}) == [
        "content/documents/2026/x.md 第 5 行，字段「发布机构」：「测试县农业农材局」不在 county.yml 的发布机构列表中。"
        "您是不是要写「测试县农业农村局」？请写列表中的全称或简称，或先在 county.yml 中添加这个机构。",
        "content/documents/2026/x.md 第 8 行，字段「领域」：没有名为「社会救济」的领域。"
        "您是不是要写「社会救助」？请写 catalog/domains.yml 中某个领域的代码、名称或别名。",
    ]


def test_interpretation_of_a_missing_document(tmp_path):
    text = document("解读", "11341700MB1714830K/202603-00009", kind="政策解读", extra="解读对象: X/404\n")
    problems = _problems(tmp_path, {"content/documents/2026/jd.md": text})
    assert problems == [
        "content/documents/2026/jd.md 第 13 行，字段「解读对象」：找不到索引号为「X/404」的文件。请核对所解读文件的索引号。"
    ]


def test_short_notice_period_and_wrong_amount(tmp_path):
    problems = _problems(
        tmp_path,
        {
            "villages/chengguan/shangxi/payouts/2026-gdlb.yml": PAYOUT_YML.replace("2026-11-26", "2026-11-25"),
            "villages/chengguan/shangxi/payouts/2026-gdlb.csv": PAYOUT_CSV.replace("572.00", "575.00"),
        },
    )
    assert problems == [
        "villages/chengguan/shangxi/payouts/2026-gdlb.csv 第 2 行，字段「金额」：金额 575.00 不等于 数量 5.2 × 标准 110 = 572.00。请核对数量、标准和金额。",
        "villages/chengguan/shangxi/payouts/2026-gdlb.yml 第 7 行，字段「公示结束」：公示期只有 6 天（2026-11-20 至 2026-11-25）。公示期至少 7 天，请推迟公示结束日期。",
    ]


def test_two_bodies_with_one_credit_code(tmp_path):
    from kit import COUNTY_YML

    text = COUNTY_YML.replace("11341700MB1714849G", "11341700MB1714830K")
    problems = _problems(tmp_path, {"county.yml": text})
    lines = text.split("\n")
    line = lines.index("    简称: 县农业农村局") + 2
    assert (
        f"county.yml 第 {line} 行，字段「统一社会信用代码」：「测试县农业农村局」的统一社会信用代码 11341700MB1714830K"
        " 与「测试县人民政府办公室」相同。每个机构的代码不同，请核对。"
    ) in problems
