"""`gongkai import documents`: a raw CMS export goes in whole; every guess is in the review file with its
reason; the review is read back; nothing personal is written; `--dry-run` shows exactly what a run writes."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import openpyxl
import pytest

from gongkai.check import check_all
from gongkai.commands.importer import add_parser, changes, import_documents, review_path_for, summary
from gongkai.errors import SourceErrors, UsageError
from gongkai.load import load_county
from gongkai.load.legacy import parse_date

from kit import write_county

sys.path.insert(0, str(Path(__file__).parent))
from cms_export import DOMAINS_YML, write_export

TODAY = dt.date(2026, 3, 12)
DOCS = "content/documents/2024"


@pytest.fixture
def county(tmp_path: Path) -> Path:
    return write_county(tmp_path / "county", {"catalog/domains.yml": DOMAINS_YML})


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return write_export(tmp_path / "exports")


def _sheet(path: Path, name: str) -> list[dict[str, object]]:
    rows = list(openpyxl.load_workbook(path)[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _edit(path: Path, name: str, match: dict[str, object], values: dict[str, object]) -> None:
    """Change the review file as a clerk does in Excel: the cells of the lines that match."""
    book = openpyxl.load_workbook(path)
    sheet = book[name]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if all(row[header.index(k)].value == v for k, v in match.items()):
            for key, value in values.items():
                row[header.index(key)].value = value
    book.save(path)


def _small_export(folder: Path, name: str, rows: list[list[object]]) -> Path:
    """A small export: 信息名称, 文号, 发布机构, 发布日期, 信息类别, 正文 and the rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["信息名称", "文号", "发布机构", "发布日期", "信息类别", "正文"])
    for row in rows:
        sheet.append(row)
    folder.mkdir(parents=True, exist_ok=True)
    book.save(folder / name)
    return folder / name


def _read(root: Path, rel: str) -> str:
    return (root / rel).read_text(encoding="utf-8")


def test_one_run_takes_every_row_and_writes_the_review_file(county, export):
    report = import_documents(county, export, today=TODAY)
    assert report.plan.refused == [] and len(report.plan.documents) == 14
    assert report.review_path == export.with_name("旧网站导出-核对.xlsx")
    lines = {line["行"]: line for line in _sheet(report.review_path, "文件")}
    assert len(lines) == 14 and all(line["文件"] for line in lines.values())
    assert lines[8]["领域"] == "医疗卫生"
    assert (
        lines[8]["领域依据"]
        == "标题含「预防接种」、「门诊」；正文含「卫生院」、「接种」、「预防接种」；发布机构含「卫健」"
    )
    assert lines[11]["领域"] == "待定"
    assert lines[11]["领域依据"] == "无法判断：标题、栏目、主题分类、正文和发布机构中都没有指向某个领域的词"
    assert lines[11]["状态"] == "已导入，暂不发布"
    problems = check_all(load_county(county), county, TODAY)
    assert [p for p in problems if not p.warning] == []


def test_unknown_bodies_are_added_with_blank_codes_aliases_map_to_one_joint_issues_keep_all(county, export):
    import_documents(county, export, today=TODAY)
    text = _read(county, "county.yml")
    assert (
        "  - 名称: 测试县民政局\n    简称: 县民政局\n    统一社会信用代码:\n"
        "  - 名称: 测试县财政局\n    简称: 县财政局\n    统一社会信用代码:\n"
        "  - 名称: 测试县卫健委\n    简称: 县卫健委\n    统一社会信用代码:\n"
        "  - 名称: 测试县人民政府\n    统一社会信用代码:\n公开电话:"
    ) in text
    joint = _read(county, f"{DOCS}/20240402-imp-0006.md")
    assert "发布机构: 测试县民政局\n联合发文机构: [测试县财政局]\n" in joint
    assert "索引号" not in joint  # waits for the code
    assert "发布机构: 测试县民政局\n" in _read(county, f"{DOCS}/20240710-imp-0007.md")  # 「县民政局」
    assert "发布机构: 测试县人民政府办公室\n" in _read(county, f"{DOCS}/20240125-imp-0010.md")  # none: the sponsor
    agencies = {line["导出写法"]: line for line in _sheet(review_path_for(export), "发布机构")}
    assert agencies["县民政局"]["机构名称"] == agencies["测试县民政局"]["机构名称"] == "测试县民政局"
    assert agencies["县政府办"]["统一社会信用代码"] == "11341700MB1714830K"


def test_kinds_map_through_the_documented_table(county, export):
    report = import_documents(county, export, today=TODAY, dry_run=True)
    kinds = {p.draft.row: (p.kind, p.line.kind_reason) for p in report.plan.documents}
    assert kinds[7] == ("公示公告", "对照表：「公示」→ 公示公告")
    assert kinds[8] == ("公示公告", "对照表：「公告」→ 公示公告")
    assert kinds[10] == ("年度报告", "对照表：「年报」→ 年度报告")
    assert kinds[11] == ("人事信息", "导出表的信息类别")
    assert kinds[12][0] == "规划计划" and kinds[13][0] == "统计信息" and kinds[14][0] == "财政信息"


def test_interpretations_are_linked_by_the_title_in_the_export_and_on_the_site(county, export):
    import_documents(county, export, today=TODAY)
    policy = "11341700MB1714830K/202403-00001"
    assert f"索引号: {policy}\n" in _read(county, f"{DOCS}/20240305-imp-0003.md")
    assert f"组配分类: 政策解读\n解读对象: {policy}\n" in _read(county, f"{DOCS}/20240306-imp-0004.md")
    assert f"组配分类: 政策解读\n解读对象: {policy}\n" in _read(county, f"{DOCS}/20240307-imp-0005.md")  # 图解：
    on_site = _read(county, "content/documents/2026/20260306-imp-0015.md")
    assert "解读对象: 11341700MB1714830K/202603-00001\n" in on_site  # content/documents/2026/gdlb.md
    lines = {line["行"]: line for line in _sheet(review_path_for(export), "文件")}
    assert lines[4]["解读依据"] == "标题中的《测试县2024年耕地地力保护补贴实施方案》是第 3 行的标题"
    assert (
        lines[15]["解读依据"]
        == "标题中的《测试县2026年耕地地力保护补贴实施方案》是content/documents/2026/gdlb.md的标题"
    )


def test_the_county_table_comes_before_any_guess(county, export):
    (county / "import-map.yml").write_text("栏目领域:\n  - 栏目: 人事信息\n    领域: 财政预决算\n", encoding="utf-8")
    report = import_documents(county, export, today=TODAY, dry_run=True)
    row = next(p for p in report.plan.documents if p.draft.row == 11)
    assert (row.domain, row.line.domain_reason) == ("财政预决算", "import-map.yml 的栏目对照：「人事信息」→ 财政预决算")


def test_personal_numbers_are_reported_with_row_and_column_before_anything_is_written(county, export, capsys):
    parser = argparse.ArgumentParser(prog="gongkai")
    add_parser(parser.add_subparsers())
    args = parser.parse_args(["import", "documents", str(export), "--project", str(county), "--dry-run"])
    assert args.run(args) == 0
    captured = capsys.readouterr()
    assert (
        "发现个人号码 6 个，已遮盖（依法公开的请在核对表「号码」中改为「公开」并写明理由）：\n"
        "  第 7 行「正文」：身份证号 340123********1219（示。申请人李四（身份证号340123********1219）已纳入保障。）\n"
        "  第 8 行「正文」：手机号 180****3266（城关镇人民路8号 | 180****3266 | | 桃岭镇卫生院预）\n"
    ) in captured.err
    assert not (county / DOCS).exists() and not review_path_for(export).exists()
    assert "340123199003071219" not in captured.out + captured.err  # the diff shows the masked body
    assert "+申请人李四（身份证号340123********1219）" not in captured.out
    assert "身份证号340123********1219" in captured.out
    assert (
        "  第 16 行「信息名称」：手机号 138****5678（关于低保对象李四（手机138****5678）信息更正的公告）\n"
        in captured.err
    )


def test_dry_run_shows_exactly_what_a_run_writes(county, export):
    dry = import_documents(county, export, today=TODAY, dry_run=True)
    shown = changes(county, dry.plan)
    real = import_documents(county, export, today=TODAY)
    assert sorted(real.written) == sorted(dry.plan.files)
    for rel in real.written:
        assert f"+++ b/{rel}\n" in shown
        if rel.startswith("content/"):
            added = "".join(line[1:] + "\n" for line in _hunk(shown, rel) if line.startswith("+"))
            assert added == _read(county, rel)


def _hunk(diff: str, rel: str) -> list[str]:
    part = diff.split(f"+++ b/{rel}\n", 1)[1].split("\n--- ", 1)[0]
    return part.splitlines()[1:]


def test_credit_codes_and_numbers_in_separate_cells_are_not_personal(county, export):
    import_documents(county, export, today=TODAY)
    body = _read(county, f"{DOCS}/20240618-imp-0009.md")
    assert "| 测试县丰收农资有限公司 | 913501287531147743 | 12771 | 0001210800 |" in body
    assert "电话 139****5678。" in body
    problems = [p for p in check_all(load_county(county), county, TODAY) if "0009" in p.path]
    assert problems == []


def test_the_review_file_is_read_back_and_applied_in_place(county, export):
    import_documents(county, export, today=TODAY)
    review = review_path_for(export)
    _edit(review, "发布机构", {"机构名称": "测试县卫健委"}, {"统一社会信用代码": "11341700MB1715024Q"})
    _edit(review, "文件", {"行": 10}, {"领域": "财政预决算"})
    reason = "县卫健委公布的预防接种门诊咨询电话，供群众预约接种"
    _edit(review, "号码", {"行": 8}, {"处理": "公开", "理由": reason})
    clinic = f"{DOCS}/20240520-imp-0008.md"
    (county / clinic).write_text(
        _read(county, clinic).replace("主题分类: 其他", "主题分类: 卫生、体育"), encoding="utf-8"
    )
    report = import_documents(county, export, today=TODAY)
    assert report.plan.refused == [] and all(p.update for p in report.plan.documents)
    text = _read(county, clinic)
    assert text.startswith("---\n标题: 全县预防接种门诊信息\n索引号: 11341700MB1715024Q/202405-00001\n")
    assert "主题分类: 卫生、体育\n" in text  # the clerk's own edit stays
    assert "| 城关镇卫生院预防接种门诊 | 城关镇人民路8号 | 180 1234 3266 |" in text
    assert "    统一社会信用代码: 11341700MB1715024Q\n" in _read(county, "county.yml")
    assert _read(county, "public-numbers.yml") == (
        "# 依法公开、但形如个人号码的号码（见使用指南「个人信息保护和内容安全」）\n公开号码:\n"
        + "".join(
            f'  - 号码: "{n}"\n    位置: [{clinic}]\n    理由: {reason}\n'
            for n in ("180 1234 3266", "13905501234", "15855012345")
        )
    )
    assert "领域: 财政预决算\n" in _read(county, f"{DOCS}/20240125-imp-0010.md")
    problems = check_all(load_county(county), county, TODAY)
    assert [p for p in problems if not p.warning] == []
    assert not any("0008" in p.path or "0010" in p.path for p in problems)


def test_wrong_values_in_the_review_stop_the_import_before_anything_is_written(county, export):
    import_documents(county, export, today=TODAY)
    review = review_path_for(export)
    _edit(review, "文件", {"行": 11}, {"领域": "人事"})
    _edit(review, "号码", {"行": 7}, {"处理": "公开", "理由": "本人同意"})
    _edit(review, "号码", {"行": 9}, {"处理": "公开"})
    _edit(review, "发布机构", {"导出写法": "县卫健委"}, {"统一社会信用代码": "11341700MB17150240"})
    before = _read(county, "county.yml")
    with pytest.raises(SourceErrors) as raised:
        import_documents(county, export, today=TODAY)
    assert [str(p) for p in raised.value.problems] == [
        "旧网站导出-核对.xlsx「发布机构」 第 7 行，字段「统一社会信用代码」：「县卫健委」：统一社会信用代码「11341700MB17150240」的校验码不对"
        "（按 GB 32100 应为「Q」）。请核对这 18 位代码（最后一位是校验码）。",
        "旧网站导出-核对.xlsx「号码」 第 7 行，字段「处理」：340123********1219 是身份证号，不能公开。请改为「遮盖」。",
        "旧网站导出-核对.xlsx「号码」 第 9 行，字段「理由」：139****5678 要公开，但没有写理由。写明谁的号码、做什么用、为什么可以公开，它会记入 public-numbers.yml。",
        "旧网站导出-核对.xlsx「文件」 第 11 行，字段「领域」：没有名为「人事」的领域。请写 catalog/domains.yml 中的领域名称，或「待定」。",
    ]
    assert _read(county, "county.yml") == before


def test_rows_already_on_the_site_are_skipped(county, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["索引号", "信息名称", "发布机构", "发布日期", "信息类别", "正文"])
    sheet.append(["11341700MB1714830K/202603-00001", "另一个标题", "县政府办", "2026-03-05", "政策文件", "正文"])
    sheet.append(["", "关于做好2026年城乡低保年审工作的通知", "县政府办", "2026-03-02", "通知公告", "正文"])
    path = tmp_path / "again.xlsx"
    book.save(path)
    report = import_documents(county, path, today=TODAY)
    assert [str(p) for p in report.plan.skipped] == [
        "again.xlsx 第 2 行，字段「标题」：网站上已有这份文件（content/documents/2026/gdlb.md），跳过。",
        "again.xlsx 第 3 行，字段「标题」：网站上已有这份文件（content/documents/2026/dbns.md），跳过。",
    ]
    assert report.plan.documents == []


def test_gbk_csv_as_excel_saves_it(county, tmp_path):
    text = (
        "标题,发布机构,发布日期,成文日期,信息类别,正文\r\n"
        '关于2024年临时救助对象的公示,测试县人民政府办公室,2024.03.05,2024.03.01,公示,"第一段。\r\n第二段。"\r\n'
    )
    legacy = tmp_path / "旧目录.csv"
    legacy.write_bytes(text.encode("gbk"))
    report = import_documents(county, legacy, today=TODAY)
    assert _read(county, report.written[0] if report.written[0].startswith("content/") else report.written[1]) == (
        "---\n标题: 关于2024年临时救助对象的公示\n索引号: 11341700MB1714830K/202403-00001\n文号: 无\n"
        "发布机构: 测试县人民政府办公室\n成文日期: 2024-03-01\n发布日期: 2024-03-05\n领域: 社会救助\n主题分类: 其他\n"
        "组配分类: 公示公告\n---\n\n第一段。\n\n第二段。\n"
    )


def test_a_table_without_a_title_column_is_refused_whole(county, tmp_path):
    legacy = tmp_path / "list.csv"
    legacy.write_text("题目,日期\n通知,2024-03-05\n", encoding="utf-8")
    with pytest.raises(SourceErrors) as raised:
        import_documents(county, legacy)
    assert [str(p) for p in raised.value.problems] == [
        "list.csv：找不到表头（应有一列「标题」或「信息名称」或「名称」或「文件名称」）。请在数据上方加一行表头，列名见使用指南。"
    ]


def test_an_export_inside_the_sources_is_refused(county, tmp_path):
    inside = write_export(county / "content/迁移")
    with pytest.raises(UsageError) as raised:
        import_documents(county, inside, today=TODAY)
    assert str(raised.value).startswith(f"{inside} 在项目的 content/ 目录中：导出表含有未遮盖的个人号码")
    assert not (county / DOCS).exists()


def test_the_summary_of_a_first_run(county, export):
    report = import_documents(county, export, today=TODAY)
    assert summary(report).splitlines()[:11] == [
        "已导入 14 份文件（2024 年 13 份，2026 年 1 份）。",
        "领域：推断 12 份，无法判断 2 份（写为「待定」，暂不发布）：",
        "  第 10 行「测试县2023年政府信息公开工作年度报告」：标题、栏目、主题分类、正文和发布机构中都没有指向某个领域的词",
        "  第 11 行「关于张某某同志任职的通知」：标题、栏目、主题分类、正文和发布机构中都没有指向某个领域的词",
        "政策解读：3 份，已关联所解读的文件。",
        "新的发布机构 4 个（已加入 county.yml，统一社会信用代码待填）：",
        "  测试县民政局（导出表写作：测试县民政局、县民政局；第 6、7、16 行）",
        "  测试县财政局（导出表写作：测试县财政局、县财政局；第 6、14 行）",
        "  测试县卫健委（导出表写作：县卫健委；第 8 行）",
        "  测试县人民政府（导出表写作：测试县人民政府；第 11 行）",
        "6 份文件的发布机构还没有统一社会信用代码：暂不分配索引号、暂不发布。",
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-05", dt.date(2024, 3, 5)),
        ("2024/3/5", dt.date(2024, 3, 5)),
        ("2024年3月5日", dt.date(2024, 3, 5)),
        ("2024.03.05", dt.date(2024, 3, 5)),
        ("2024-03-05 10:20:00", dt.date(2024, 3, 5)),
        (dt.datetime(2024, 3, 5, 10, 20), dt.date(2024, 3, 5)),
        (45356, dt.date(2024, 3, 5)),
        ("2024-02-30", None),
        ("三月五日", None),
        ("", None),
        (None, None),
        (2024, None),
    ],
)
def test_dates_in_the_forms_legacy_systems_write(raw, expected):
    assert parse_date(raw) == expected


def test_a_re_export_with_an_inserted_row_keeps_every_decision_on_its_own_row(county, export, tmp_path):
    """Review lines are matched by content (标题, 文号, 发布日期), never by position."""
    import cms_export

    import_documents(county, export, today=TODAY)
    review = review_path_for(export)
    _edit(review, "文件", {"行": 10}, {"领域": "财政预决算"})
    reason = "县卫健委公布的预防接种门诊咨询电话，供群众预约接种"
    _edit(review, "号码", {"行": 8}, {"处理": "公开", "理由": reason})
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["测试县政府信息公开目录导出（2024年）"])
    sheet.append(cms_export.HEADER)
    sheet.append([0, "关于开展2024年城乡低保年审的通知", "", "县民政局", "2024-09-01", "通知公告", "<p>低保年审。</p>"])
    rows = [list(r) for r in cms_export.ROWS]
    rows[-1][1] = "关于低保对象信息更正的公告（更正）"  # no longer matches its review line
    for row in rows:
        sheet.append(row)
    again = export.with_name("重新导出.xlsx")
    book.save(again)
    report = import_documents(county, again, review=review, today=TODAY)
    plan = report.plan
    assert "领域: 财政预决算\n" in _read(county, f"{DOCS}/20240125-imp-0010.md")
    clinic = f"{DOCS}/20240520-imp-0008.md"
    assert "| 城关镇卫生院预防接种门诊 | 城关镇人民路8号 | 180 1234 3266 |" in _read(county, clinic)
    assert f"    位置: [{clinic}]\n    理由: {reason}\n" in _read(county, "public-numbers.yml")
    updated = {p.draft.row: p.path for p in plan.documents if p.update}
    assert updated[11] == f"{DOCS}/20240125-imp-0010.md" and updated[9] == clinic
    new = [p for p in plan.documents if not p.update]
    assert sorted(p.draft.title for p in new) == ["关于低保对象信息更正的公告（更正）", "关于开展2024年城乡低保年审的通知"]
    unmatched = [str(w) for w in plan.warnings if "找不到" in w.message]
    assert len(unmatched) == 1 and "原第 16 行「关于低保对象李四（手机138****5678）信息更正的公告」" in unmatched[0]
    lines = {line["行"]: line for line in _sheet(review, "文件")}
    assert lines[11]["文件"] == f"{DOCS}/20240125-imp-0010.md" and lines[11]["领域"] == "财政预决算"
    assert {n["行"]: n["处理"] for n in _sheet(review, "号码")}[9] == "公开"


def test_the_review_workbook_holds_no_full_personal_number(county, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["信息名称", "文号", "发布机构", "发布日期", "信息类别", "正文"])
    sheet.append(["关于340123199003071219号申请人的救助公示", "", "县民政局", "2024-03-05", "公示", "<p>救助。</p>"])
    sheet.append(["关于李四（13812345678）的低保公示", "", "县民政局13912345678", "2024-03-06", "公示", "<p>低保</p>"])
    path = tmp_path / "exports/号码.xlsx"
    path.parent.mkdir()
    book.save(path)
    import_documents(county, path, today=TODAY)
    cells = [
        str(value)
        for sheet in openpyxl.load_workbook(review_path_for(path)).worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    text = "\n".join(cells)
    for number in ("340123199003071219", "13812345678", "13912345678"):
        assert number not in text
    assert "关于340123********1219号申请人的救助公示" in cells


def test_an_export_anywhere_in_the_project_is_refused(county):
    inside = write_export(county / "迁移")
    with pytest.raises(UsageError) as raised:
        import_documents(county, inside, today=TODAY)
    assert str(raised.value).startswith(f"{inside} 在项目目录 {county} 中：导出表含有未遮盖的个人号码")
    assert not (county / DOCS).exists()


def test_a_body_remapped_on_the_agency_sheet_moves_its_documents_and_leaves_county_yml(county, export):
    import_documents(county, export, today=TODAY)
    assert "- 名称: 测试县卫健委\n" in _read(county, "county.yml")
    review = review_path_for(export)
    _edit(review, "发布机构", {"导出写法": "县卫健委"}, {"机构名称": "测试县农业农村局"})
    report = import_documents(county, export, today=TODAY)
    clinic = _read(county, f"{DOCS}/20240520-imp-0008.md")
    assert "发布机构: 测试县农业农村局\n" in clinic and "测试县卫健委" not in clinic
    assert "测试县卫健委" not in _read(county, "county.yml")
    assert report.plan.dropped_agencies == ["测试县卫健委"]
    assert "从 county.yml 删去没有文件使用、也没有代码的机构：测试县卫健委" in summary(report)
    lines = {line["导出写法"]: line["机构名称"] for line in _sheet(review, "发布机构")}
    assert lines["县卫健委"] == "测试县农业农村局"
    assert {line["行"]: line["发布机构"] for line in _sheet(review, "文件")}[8] == "测试县农业农村局"
    problems = check_all(load_county(county), county, TODAY)
    assert not [p for p in problems if not p.warning and "0008" in p.path]


def test_what_the_build_would_refuse_is_caught_at_import(county, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["信息名称", "文号", "发布机构", "发布日期", "信息类别", "正文"])
    sheet.append(["关于《测试县低保办法（征求意见稿）》公开征求意见的公告", "", "县民政局", "2024-03-05", "征求意见",
                  "<p>欢迎提出意见。</p>"])  # fmt: skip
    path = tmp_path / "exports/征求意见.xlsx"
    path.parent.mkdir()
    book.save(path)
    report = import_documents(county, path, today=TODAY)
    (planned,) = report.plan.documents
    assert planned.kind == "待定" and report.plan.unbuildable == []
    line = _sheet(review_path_for(path), "文件")[0]
    assert "意见征集要有征集开始、征集结束日期，导出表没有" in str(line["组配分类依据"])
    _edit(review_path_for(path), "文件", {"行": 2}, {"组配分类": "意见征集"})
    again = import_documents(county, path, today=TODAY)
    assert [p.message for p in again.plan.unbuildable] == ["意见征集缺少征集开始或征集结束日期"]
    assert "构建会拒绝 1 处" in summary(again)
    status = _sheet(review_path_for(path), "文件")[0]["状态"]
    assert str(status).endswith("；构建会拒绝：意见征集缺少征集开始或征集结束日期")


def test_markup_the_old_page_showed_as_text_stays_text(county, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["信息名称", "文号", "发布机构", "发布日期", "信息类别", "正文"])
    body = ("<p>&lt;img src=x onerror=alert(6)&gt;</p><p>[点这里](javascript:alert(7))</p>"
            "<p>&lt;script&gt;alert(8)&lt;/script&gt; 和 &amp;lt;</p><p><a href='https://ok.example/'>链接</a></p>")  # fmt: skip
    sheet.append(["关于低保年审的通知", "", "县民政局", "2024-03-05", "通知公告", body])
    sheet.append(["关于低保复核的通知", "", "县民政局", "2024-03-06", "通知公告", "[x](javascript:alert(1)) 1 < 2"])
    path = tmp_path / "exports/脚本.xlsx"
    path.parent.mkdir()
    book.save(path)
    report = import_documents(county, path, today=TODAY)
    assert report.plan.unbuildable == []
    first = _read(county, report.plan.documents[0].path)
    assert "&lt;img src=x onerror=alert(6)>\n\n\\[点这里\\]\\(javascript:alert(7))\n\n" in first
    assert "&lt;script>alert(8)&lt;/script> 和 &amp;lt;\n\n[链接](https://ok.example/)" in first
    assert "\\[x\\]\\(javascript:alert(1)) 1 &lt; 2" in _read(county, report.plan.documents[1].path)
    problems = check_all(load_county(county), county, TODAY)
    assert not [p for p in problems if not p.warning]


def test_the_grey_file_column_cannot_be_edited(county, export):
    import_documents(county, export, today=TODAY)
    review = review_path_for(export)
    _edit(review, "文件", {"行": 10}, {"文件": "../county.yml"})
    before = _read(county, "county.yml")
    with pytest.raises(SourceErrors) as raised:
        import_documents(county, export, today=TODAY)
    assert [str(p) for p in raised.value.problems] == [
        "旧网站导出-核对.xlsx「文件」 第 10 行，字段「文件」：「../county.yml」不是本次导入写过的文件："
        "灰色的「文件」列由 gongkai 填写，不能修改。请改回原来的值；这份文件已删除的话，把这一行从核对表删去。"
    ]
    assert _read(county, "county.yml") == before


def test_an_exact_duplicate_row_is_reported_and_imported_once(county, tmp_path):
    row: list[object] = ["关于做好2024年防汛工作的通知", "", "县民政局", "2024-05-20", "通知公告", "<p>重复行。</p>"]
    path = _small_export(tmp_path / "exports", "重复.xlsx", [row, row])
    report = import_documents(county, path, today=TODAY)
    assert len(report.plan.documents) == 1
    assert [str(p) for p in report.plan.skipped] == [
        "重复.xlsx 第 3 行，字段「标题」：与第 2 行完全相同（标题、文号、发布日期和正文），只导入第 2 行。"
    ]


def test_an_interpreted_title_that_names_nothing_is_pending_with_the_reason(county, tmp_path):
    header = ["信息名称", "文号", "发布机构", "发布日期", "信息类别", "解读对象", "正文"]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    sheet.append(["关于低保办法的解读", "", "县民政局", "2024-03-05", "政策解读", "《不存在的办法》", "<p>解读。</p>"])
    path = tmp_path / "exports/解读.xlsx"
    path.parent.mkdir()
    book.save(path)
    report = import_documents(county, path, today=TODAY)
    (planned,) = report.plan.documents
    assert planned.kind == "待定" and planned.policy is None
    line = _sheet(review_path_for(path), "文件")[0]
    assert str(line["解读依据"]).startswith("导出表的解读对象列写的解读对象「《不存在的办法》」")
    assert "暂不发布" in str(line["状态"]) and report.plan.unbuildable == []


def test_a_formula_in_the_review_is_refused(county, export):
    import_documents(county, export, today=TODAY)
    review = review_path_for(export)
    _edit(review, "文件", {"行": 10}, {"领域": '=HYPERLINK("https://evil.example","财政预决算")'})
    with pytest.raises(SourceErrors) as raised:
        import_documents(county, export, today=TODAY)
    assert [str(p) for p in raised.value.problems] == [
        '旧网站导出-核对.xlsx「文件」 第 9 行，字段「领域」：单元格是公式「=HYPERLINK("https://evil.example","财政预决算」。'
        "请直接写值，不要用公式。"
    ]


def test_a_new_body_cannot_take_another_bodys_credit_code(county, export):
    import_documents(county, export, today=TODAY)
    review = review_path_for(export)
    _edit(review, "发布机构", {"导出写法": "县卫健委"}, {"统一社会信用代码": "11341700MB1714830K"})
    with pytest.raises(SourceErrors) as raised:
        import_documents(county, export, today=TODAY)
    assert [str(p) for p in raised.value.problems] == [
        "旧网站导出-核对.xlsx「发布机构」 第 7 行，字段「统一社会信用代码」：「县卫健委」：统一社会信用代码 11341700MB1714830K"
        " 已是「测试县人民政府办公室」的代码。请核对这 18 位代码（最后一位是校验码）。"
    ]


def test_body_names_that_are_paths_or_yaml_are_refused(county, tmp_path):
    rows: list[list[object]] = [
        ["机构名里有路径", "", "../../county", "2024-05-10", "通知公告", "<p>x</p>"],
        ["机构名里有冒号", "", "县民政局: 伪造", "2024-05-11", "通知公告", "<p>x</p>"],
        ["正常的通知", "", "县民政局", "2024-05-12", "通知公告", "<p>x</p>"],
    ]
    path = _small_export(tmp_path / "exports", "机构.xlsx", rows)
    report = import_documents(county, path, today=TODAY)
    assert [p.draft.title for p in report.plan.documents] == ["正常的通知"]
    assert [(p.line, p.field) for p in report.plan.refused] == [(2, "发布机构"), (3, "发布机构")]
    assert "发布机构「../../county」含有不能用于机构名称的字符" in report.plan.refused[0].message
    county_yml = _read(county, "county.yml")
    assert "county\n" not in county_yml.split("发布机构:")[1] and "伪造" not in county_yml


def test_two_numbers_that_look_alike_masked_are_two_lines(county, tmp_path):
    body = "<p>值班电话 13912345678，夜间电话 13987655678。</p>"
    path = _small_export(tmp_path / "exports", "同形.xlsx", [["防汛值班安排", "", "县民政局", "2024-05-12", "通知公告", body]])
    import_documents(county, path, today=TODAY)
    review = review_path_for(path)
    lines = _sheet(review, "号码")
    assert [(n["号码（已遮盖）"], n["同形序号"]) for n in lines] == [("139****5678", 1), ("139****5678", 2)]
    _edit(review, "号码", {"同形序号": 2}, {"处理": "公开", "理由": "县防汛办夜间值班电话，供群众报告险情"})
    report = import_documents(county, path, today=TODAY)
    text = _read(county, report.plan.documents[0].path)
    assert "值班电话 139****5678，夜间电话 13987655678。" in text
    public = _read(county, "public-numbers.yml")
    assert '"13987655678"' in public and "13912345678" not in public
