"""The rules table and the evidence file (located errors), the report's files, the trend, the exit codes."""

from __future__ import annotations

import io
import sys

import pytest
from conftest import NO_BROWSER, TODAY
from openpyxl import load_workbook

from gongkai.audit.report import CHART_FILE, XLSX_FILE
from gongkai.audit.trend import TREND_FILE
from gongkai.commands.cli import main

from kit import document, write_county

UNKNOWN_RULE = (
    NO_BROWSER
    + """\
  - 编号: wzbgz
    指标: 网站不更新
    类别: 单项否决
    规则: 首页 1 周没有新信息
    天数: 7
    依据: 测试省通知
  - 编号: jdbl
    指标: 解读比例
    类别: 扣分
    规则: 都要解读
    比例: 100
    依据: 测试省通知
"""
)
EVIDENCE = """\
佐证材料:
  - 编号: zzjs-hy
    日期: 2026-03-01
    内容: 县政务公开工作领导小组 2026 年第一次会议
    链接: https://www.ceshi.example.cn/hy/
  - 编号: zzjs-xx
    日期: 2026-03-02
    内容: 培训
"""


def test_rule_table_errors_name_file_line_and_fix(audit_run) -> None:
    run = audit_run({"audit-rules.yml": UNKNOWN_RULE, "audit-evidence.yml": EVIDENCE})
    assert run.code == 1
    assert (
        "audit-rules.yml 第 10 行，字段「编号」：没有编号为「wzbgz」的指标。您是不是要写「wzbgx」？"
        "指标只能调整，不能新增；请写自带规则表中的编号。"
    ) in run.summary
    assert (
        "audit-rules.yml 第 16 行，字段「天数」：指标「解读比例」缺少「天数」。"
        "请参照自带规则表（gongkai/audit/rules.yml）中编号为 jdbl 的指标补上。"
    ) in run.summary
    assert (
        "audit-evidence.yml 第 6 行，字段「编号」：没有编号为「zzjs-xx」的工作内容。您是不是要写「zzjs-ld」？"
        "请写自查报告「工作内容表」中的编号。"
    ) in run.summary
    assert "未生成自查报告" in run.summary
    assert run.html == ""


def test_a_kind_the_county_does_not_use_is_refused(audit_run) -> None:
    rule = NO_BROWSER + "  - 编号: hdhyc\n    指标: 互动回应差\n    类别: 单项否决\n    规则: 3 个月\n    天数: 92\n"
    rule += "    组配分类: [回应关注]\n    依据: 测试\n"
    run = audit_run({"audit-rules.yml": rule})
    assert (
        "audit-rules.yml 第 15 行，字段「组配分类」：「回应关注」不在 county.yml 的组配分类列表中。您是不是要写「回应关切」？"
        in run.summary
    )


def test_evidence_is_listed_and_missing_evidence_is_pending(audit_run) -> None:
    run = audit_run({"audit-evidence.yml": EVIDENCE.split("  - 编号: zzjs-xx")[0]})
    assert (
        '<a href="https://www.ceshi.example.cn/hy/">2026年3月1日：县政务公开工作领导小组 2026 年第一次会议</a>'
        in run.html
    )
    assert 'class="status 达标" data-label="结论">达标' in run.html.split('id="zzjs-hy"')[1].split("</tr>")[0]
    assert 'class="status 待补充" data-label="结论">待补充' in run.html.split('id="zzjs-ld"')[1].split("</tr>")[0]
    assert "待补充：请在 audit-evidence.yml 中登记" in run.html


def test_the_workbook_has_the_assessors_sheets(audit_run) -> None:
    run = audit_run()
    book = load_workbook(io.BytesIO((run.out / XLSX_FILE).read_bytes()))
    assert book.sheetnames == ["检查指标", "工作内容表", "问题清单"]
    rows = [[c.value for c in row] for row in book["检查指标"].iter_rows(min_row=3)]
    blank = next(r for r in rows if r[2] == "空白栏目")
    assert blank[1] == "单项否决" and blank[6] == "不合格"
    assert blank[5] == "12 个空白栏目（检查 17 个，达到 5 个即不合格）"
    problems = [[c.value for c in row] for row in book["问题清单"].iter_rows(min_row=3)]
    assert ["空白栏目", "组配分类栏目「人事信息」没有任何信息", None, None, "/xxgk/fdzdgknr/kind-11/"] in problems


def test_no_cell_of_the_workbook_is_longer_than_excel_allows(audit_run) -> None:
    long = "测试县" + "补贴" * 20000 + "方案"
    run = audit_run({"content/documents/2026/long.md": document(long, "11341700MB1714830K/202603-00004")})
    book = load_workbook(io.BytesIO((run.out / XLSX_FILE).read_bytes()))
    cells = [c.value for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert max(len(c) for c in cells) == 32767
    assert any(c.startswith("「测试县补贴") and c.endswith("……（以下从略，见网页报告）") for c in cells)
    assert long in run.html  # the page shows it whole


def test_same_sources_and_date_give_the_same_report(audit_run) -> None:
    first = audit_run()
    files = {name: (first.out / name).read_bytes() for name in ("index.html", XLSX_FILE, CHART_FILE)}
    again = audit_run()
    assert {name: (again.out / name).read_bytes() for name in files} == files
    svg = files[CHART_FILE].decode()
    assert "<dc:date>" not in svg and "<svg" in svg


def test_the_trend_keeps_one_row_per_date(audit_run) -> None:
    audit_run(today="2026-03-10")
    audit_run(today="2026-03-10")
    run = audit_run(today="2026-03-20")
    lines = (run.root / TREND_FILE).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("日期,单项否决不合格,扣分不合格,网站不更新（wzbgx）,栏目不更新（lmbgx）")
    assert [line.split(",")[0] for line in lines[1:]] == ["2026-03-10", "2026-03-20"]
    assert lines[1].split(",")[1:3] == ["2", "2"]  # 空白栏目, 互动回应差; 年报, 依申请公开指南


TREND_HEAD = "日期,单项否决不合格,扣分不合格\n"


def test_a_trend_file_saved_by_excel_is_read(audit_run) -> None:
    # Excel in China: GB18030 and 2026/1/2; its 「CSV UTF-8」: a BOM
    for data in [
        (TREND_HEAD + "2026/1/2,1,2\n").encode("gb18030"),
        ("\ufeff" + TREND_HEAD + "2026-01-02,1,2\n").encode(),
    ]:
        run = audit_run({TREND_FILE: data})
        assert run.code == 5
        lines = (run.root / TREND_FILE).read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("日期,单项否决不合格,扣分不合格,")
        assert [line.split(",")[:3] for line in lines[1:]] == [["2026-01-02", "1", "2"], ["2026-03-10", "2", "2"]]


def test_a_trend_row_without_a_date_is_located_and_nothing_is_written(audit_run) -> None:
    data = TREND_HEAD + "2026-01-02,1,2\n,,\n上季度,1,2\n"
    run = audit_run({TREND_FILE: data})
    assert run.code == 1
    assert (
        "reports/audit-trend.csv 第 4 行，字段「日期」：「上季度」不是日期。请写成 YYYY-MM-DD，或删除这一行。"
    ) in run.summary
    assert "未生成自查报告，趋势文件没有改动" in run.summary
    assert (run.root / TREND_FILE).read_text(encoding="utf-8") == data


def test_the_report_may_not_go_into_the_site(audit_run, tmp_path) -> None:
    run = audit_run({}, "2026-03-10", None, "--out", str(tmp_path / "site" / "audit"))
    assert run.code == 2
    assert "自查报告不公开，请用 --out 指定网站以外的目录" in run.summary


@pytest.mark.browser
def test_axe_runs_on_a_sample_of_pages(audit_run) -> None:
    run = audit_run({"audit-rules.yml": None})
    assert "√ 适老化与无障碍：合格，0 处严重或关键问题（抽查 5 个页面）" in run.summary


def test_the_report_may_not_go_into_a_source_folder(audit_run, tmp_path) -> None:
    run = audit_run({}, "2026-03-10", None, "--out", str(tmp_path / "county/reports/audit"))
    assert run.code == 2
    assert "在源文件目录 reports/ 中：请用 --out 指定其他目录（默认 audit/）" in run.summary


def test_check_passes_with_the_report_and_trend_in_their_default_places(tmp_path, built_site, capsys) -> None:
    root = write_county(tmp_path / "county", {"audit-rules.yml": NO_BROWSER})
    assert main(["audit", str(root), "--today", TODAY, "--site-dir", str(built_site)]) == 5
    assert (root / "audit/index.html").is_file() and (root / TREND_FILE).is_file()
    assert main(["check", str(root), "--today", TODAY]) == 0


def test_the_shipped_table_has_one_rule_per_check_and_a_source_for_each() -> None:
    from gongkai.audit.rules import SHIPPED_NAME, read_table
    from gongkai.audit.run import CHECKS
    from gongkai.audit.work import SOFTWARE_WORK
    from gongkai.model.audit import SOFTWARE

    from kit import ROOT

    table, problems = read_table(ROOT, SHIPPED_NAME)
    assert problems == [] and table is not None
    assert [r.code for r in table.rules] == list(CHECKS)
    assert {w.code for w in table.work if w.way == SOFTWARE} == SOFTWARE_WORK
    assert all(r.basis and w.basis for r in table.rules for w in table.work)
    assert {w.area for w in table.work} == {
        "组织推进",
        "条例贯彻",
        "标准指引",
        "解读回应",
        "机制完善",
        "平台建设",
        "直达村居",
        "开拓创新",
    }


ADJUSTED_NAMES = (
    NO_BROWSER
    + """\
机构更名:
  - 旧名称: 扶贫开发局
    新名称: 乡村振兴局
    日期: 2021-06-01
    依据: 测试省机构改革方案
另有地名: [测式县]
"""
)


def test_the_county_adds_renamed_bodies_and_places_that_exist(audit_run) -> None:
    body = "县扶贫开发局和测式县的同志参加。\n"
    run = audit_run(
        {
            "audit-rules.yml": ADJUSTED_NAMES,
            "content/documents/2026/x.md": document("测试县示例", "11341700MB1714830K/202603-00004", body=body),
        }
    )
    assert (
        "使用了已撤销的机构名称「扶贫开发局」，现为「乡村振兴局」（2021年6月1日起，依据测试省机构改革方案）" in run.html
    )
    assert "疑似" not in run.html


def test_without_a_built_site_the_audit_says_to_build_first(tmp_path, capsys) -> None:
    root = write_county(tmp_path / "county", {"audit-rules.yml": NO_BROWSER})
    assert main(["audit", str(root), "--today", TODAY]) == 2
    assert (
        f"错误：{root / 'site'} 中没有生成的网站：请先运行 gongkai build（或用 --site-dir 指定网站目录）"
        in capsys.readouterr().err
    )


def test_the_report_replaces_links_in_its_folder_and_never_writes_through_them(audit_run, tmp_path) -> None:
    out = tmp_path / "report"
    out.mkdir()
    home = tmp_path / "site" / "index.html"
    run = audit_run(
        {}, "2026-03-10", lambda site: (out / "index.html").symlink_to(site / "index.html"), "--out", str(out)
    )
    assert run.code == 5
    assert not (out / "index.html").is_symlink()
    assert "自查报告" not in home.read_text(encoding="utf-8")  # the site's home page is untouched


def test_a_file_as_the_report_folder_is_a_usage_error(audit_run, tmp_path) -> None:
    run = audit_run({}, "2026-03-10", None, "--out", str(tmp_path / "county" / "county.yml"))
    assert run.code == 2
    assert "county.yml 是一个文件：请用 --out 指定一个目录（默认 audit/）" in run.summary


PERSONAL_EVIDENCE = """\
佐证材料:
  - 编号: zzjs-hy
    日期: 2026-03-15
    内容: 培训签到 张三 110101199003071234 13812345678
"""


def test_personal_numbers_in_the_audit_files_are_refused_before_any_report(audit_run) -> None:
    rules = NO_BROWSER.replace("依据: 测试用：不开浏览器", "依据: 李四 110101199003071234")
    run = audit_run({"audit-rules.yml": rules, "audit-evidence.yml": PERSONAL_EVIDENCE})
    assert run.code == 1
    assert "audit-evidence.yml 第 4 行：发现未遮盖的身份证号 110101********1234" in run.summary
    assert "audit-evidence.yml 第 4 行：发现未遮盖的手机号 138****5678" in run.summary
    assert "audit-rules.yml 第 2 行：发现未遮盖的身份证号 110101********1234" in run.summary
    assert "110101199003071234" not in run.summary
    assert "未生成自查报告" in run.summary
    assert run.html == ""


def test_days_and_allowed_counts_below_one_are_refused(audit_run) -> None:
    rules = NO_BROWSER + (
        "  - 编号: wzbgx\n    指标: 网站不更新\n    类别: 单项否决\n    规则: 首页 2 周\n    天数: -3\n"
        "    允许数: 0\n    依据: 测试\n"
    )
    run = audit_run({"audit-rules.yml": rules})
    assert run.code == 1
    assert "audit-rules.yml 第 14 行，字段「天数」：天数 -3 小于 1。请写 1 或更大的整数，例如 天数: 14。" in run.summary
    assert (
        "audit-rules.yml 第 15 行，字段「允许数」：允许数 0 小于 1。请写 1 或更大的整数，例如 允许数: 5。"
        in run.summary
    )


@pytest.mark.browser
@pytest.mark.parametrize("width", [1366, 390])
def test_the_report_fits_the_screen_on_a_desktop_and_a_phone(audit_run, width) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    from gongkai.audit.chromium import BROWSER_ARGS

    run = audit_run()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto((run.out / "index.html").as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") == width
        assert page.evaluate("document.querySelector('img').getBoundingClientRect().right") <= width
        if width < 500:  # each cell says what it is when the header row is hidden
            label = "getComputedStyle(document.querySelector('#kblm td.status'), '::before').content"
            assert "结论：" in page.evaluate(label)
        browser.close()


def test_the_summary_prints_on_a_gbk_console(tmp_path, built_site, monkeypatch) -> None:
    root = write_county(tmp_path / "county", {"audit-rules.yml": NO_BROWSER})
    raw = io.BytesIO()
    monkeypatch.setattr("sys.stdout", io.TextIOWrapper(raw, encoding="gbk"))
    code = main(["audit", str(root), "--today", TODAY, "--site-dir", str(built_site)])
    sys.stdout.flush()
    assert code == 5
    assert "× 空白栏目：不合格" in raw.getvalue().decode("gbk")
