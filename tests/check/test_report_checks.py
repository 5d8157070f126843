"""Annual reports: loading the tables, their arithmetic, and section 二 against the site's documents."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gongkai.check import check_county
from gongkai.errors import SourceErrors
from gongkai.load import load_county

from kit import ROOT, document, write_county

TODAY = dt.date(2026, 3, 10)
REPORT_2025 = (ROOT / "reports/2025.yml").read_text(encoding="utf-8")
REPORT_2019 = (ROOT / "reports/2019.yml").read_text(encoding="utf-8")
SITE_COUNTS = "  行政规范性文件: [0, 0, 0]\n"
"""The small test county has no normative documents."""


def _report(text: str = REPORT_2025, *replacements: tuple[str, str]) -> str:
    text = text.replace("  行政规范性文件: [5, 0, 14]\n", SITE_COUNTS)
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return text


def _problems(tmp_path: Path, changes: dict[str, str | None]) -> list[str]:
    return [str(p) for p in check_county(load_county(write_county(tmp_path, changes)), TODAY)]


def _load_errors(tmp_path: Path, changes: dict[str, str | None]) -> list[str]:
    with pytest.raises(SourceErrors) as caught:
        load_county(write_county(tmp_path, changes))
    return [str(p) for p in caught.value.problems]


def test_both_demo_reports_load_and_are_consistent(tmp_path):
    county = load_county(write_county(tmp_path, {"reports/2025.yml": _report(), "reports/2019.yml": REPORT_2019}))
    assert [(r.year, r.format) for r in county.reports] == [(2019, "2019"), (2025, "2021")]
    assert check_county(county, TODAY) == []
    applications = county.reports[1].applications
    assert applications is not None and applications.row("总计").values == (40, 3, 0, 0, 2, 1, 46)


def test_the_demo_county_reports_are_clean():
    county = load_county(ROOT)
    assert [str(p) for p in check_county(county, TODAY) if p.path.startswith("reports/")] == []


def test_balance_and_total_row_name_row_column_and_numbers(tmp_path):
    broken = _report(REPORT_2025, ("  总计:         [40, 3,", "  总计:         [38, 3,"))
    assert _problems(tmp_path, {"reports/2025.yml": broken}) == [
        "reports/2025.yml 第 52 行，字段「申请情况」：第三部分「（七）总计」行「总计」列：应为 44"
        "（= 自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他六列之和），实际为 46。请核对这一行和相关各行的数。",
        "reports/2025.yml 第 52 行，字段「申请情况」：第三部分「（七）总计」行「自然人」列：应为 40"
        "（= 一 + 二 − 四 = 41 + 2 − 3），实际为 38。请核对这一行和相关各行的数。",
        "reports/2025.yml 第 52 行，字段「申请情况」：第三部分「（七）总计」行「自然人」列：应为 40"
        "（= （一）至（六）各项之和），实际为 38。请核对这一行和相关各行的数。",
    ]


def test_an_item_off_by_one_breaks_the_total_row_only(tmp_path):
    broken = _report(REPORT_2025, ("  不掌握:       [8, 1, 0, 0, 0, 1, 10]", "  不掌握:       [8, 1, 0, 0, 0, 1, 11]"))
    assert _problems(tmp_path, {"reports/2025.yml": broken}) == [
        "reports/2025.yml 第 41 行，字段「申请情况」：第三部分「（四）无法提供·1．本机关不掌握相关政府信息」行「总计」列："
        "应为 10（= 自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他六列之和），实际为 11。请核对这一行和相关各行的数。",
        "reports/2025.yml 第 52 行，字段「申请情况」：第三部分「（七）总计」行「总计」列：应为 47"
        "（= （一）至（六）各项之和），实际为 46。请核对这一行和相关各行的数。",
    ]


def test_review_totals_are_checked(tmp_path):
    broken = _report(REPORT_2025, ("件数: [2, 0, 0, 1, 3,", "件数: [2, 0, 0, 1, 2,"))
    assert _problems(tmp_path, {"reports/2025.yml": broken}) == [
        "reports/2025.yml 第 56 行，字段「复议诉讼情况」：第四部分「行政复议·总计」列：应为 3"
        "（= 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 2 + 0 + 0 + 1），实际为 2。请核对这一行和相关各行的数。"
    ]


def test_counts_must_be_whole_and_not_negative_amounts_may_be_decimal(tmp_path):
    broken = _report(
        REPORT_2025,
        ("  本年新收:     [41, 3, 0, 0, 2, 1, 47]", "  本年新收:     [41, 3, -1, 0, 2.5, 1, 47]"),
        ("  上年结转:     [2, 0, 0, 0, 0, 0, 2]", "  上年结转:     [2, 0, 0, 0, 0, 2]"),
        ("  行政事业性收费: [326.48]", "  行政事业性收费: 326.48"),
    )
    assert _load_errors(tmp_path, {"reports/2025.yml": broken}) == [
        "reports/2025.yml 第 29 行，字段「申请情况.本年新收」：第 3 个数「-1」（「科研机构」列）应为不小于 0 的整数。"
        "请改正，没有的写 0。",
        "reports/2025.yml 第 29 行，字段「申请情况.本年新收」：第 5 个数「2.5」（「法律服务机构」列）应为不小于 0 的整数。"
        "请改正，没有的写 0。",
        "reports/2025.yml 第 30 行，字段「申请情况.上年结转」：应有 7 个数（自然人、商业企业、科研机构、社会公益组织、"
        "法律服务机构、其他、总计），实际有 6 个。按表中列的顺序写成 [数, 数, …]，没有的写 0。",
    ]


def test_missing_and_unknown_rows_and_a_wrong_file_name(tmp_path):
    broken = _report(REPORT_2025, ("  重复申请:     [1, 0, 0, 0, 0, 0, 1]\n", "  重复:     [1, 0, 0, 0, 0, 0, 1]\n"))
    assert _load_errors(tmp_path, {"reports/2024.yml": broken}) == [
        "reports/2024.yml 第 2 行，字段「年度」：文件名应为 2025.yml。文件名写年度，如 2025.yml。",
        "reports/2024.yml 第 27 行，字段「申请情况」：缺少「重复申请」行。请补上这一行（2．重复申请），没有的数写 0。",
        "reports/2024.yml 第 45 行，字段「重复」：第三部分没有「重复」行。如果想写「重复申请」，请改正。可用的行："
        "本年新收、上年结转、予以公开、部分公开、国家秘密、法律法规禁止、三安全一稳定、第三方权益、内部事务、过程性信息、"
        "执法案卷、行政查询、不掌握、需另行制作、补正后不明确、信访举报投诉、重复申请、公开出版物、大量反复申请、"
        "确认或重新出具、逾期不补正、逾期不缴费、其他、总计、结转下年度。",
    ]


def test_the_2019_format_has_its_own_rows(tmp_path):
    wrong = REPORT_2019.replace("格式: 2019", "格式: 2021")
    problems = _load_errors(tmp_path, {"reports/2019.yml": wrong})
    assert (
        "reports/2019.yml 第 15 行，字段「主动公开情况」：缺少「行政规范性文件」行。请补上这一行（行政规范性文件），没有的数写 0。"
        in problems
    )
    assert any("第三部分没有「其他处理」行" in p for p in problems)


def test_section_two_is_cross_checked_with_the_site(tmp_path):
    normative = document(
        "测试县村级公益事业建设一事一议财政奖补管理办法",
        "11341700MB1714830K/202503-00009",
        "2025-03-05",
        kind="行政规范性文件",
        written="2025-03-01",
    )
    problems = _problems(tmp_path, {"reports/2025.yml": _report(), "content/documents/2025/yyy.md": normative})
    report_problems = [p for p in problems if p.startswith("警告：reports/")]
    fix = "请核对：统计的是本网站组配分类为「行政规范性文件」的文件（见使用指南「年报」一节的统计口径）；如果网站上缺少文件，请补发。"
    assert report_problems == [
        "警告：reports/2025.yml 第 22 行，字段「主动公开情况」：第二部分「行政规范性文件」行「本年制发件数」列填写 0，"
        "本网站发布的文件统计为 1。" + fix,
        "警告：reports/2025.yml 第 22 行，字段「主动公开情况」：第二部分「行政规范性文件」行「现行有效件数」列填写 0，"
        "本网站发布的文件统计为 1。" + fix,
    ]


def test_the_guide_names_every_row_key_of_every_format():
    from gongkai.model.report import FORMATS

    guide = (ROOT / "content/guide/index.md").read_text(encoding="utf-8")
    section = guide[guide.index("## 八、政府信息公开工作年度报告和依申请公开") :]
    for report_format in FORMATS.values():
        for part in report_format.sections:
            assert f"{part.key}:" in section
            for row in part.rows:
                assert row.key in section, (report_format.name, row.key)
