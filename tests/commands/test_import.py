"""`gongkai import documents`: a legacy CMS list becomes document sources that pass `gongkai check`."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from gongkai.check import check_county
from gongkai.commands.importer import ImportOptionError, add_parser, import_documents, summary
from gongkai.errors import SourceErrors
from gongkai.load import load_county
from gongkai.load.legacy import parse_date

HEADER = [
    "索引号",
    "信息名称",
    "发文字号",
    "发布机构",
    "发文日期",
    "发布日期",
    "主题分类",
    "信息类别",
    "关键词",
    "内容概述",
    "正文",
    "原文链接",
    "解读对象",
    "点击量",
]
POLICY_INDEX = "11341700MB1714830K/202403-00001"
BODY_HTML = (
    "<div class='article'><style>p { color: red }</style>"
    "<p style='text-indent:2em'>　　各乡镇人民政府，县直各单位：</p>"
    "<script>var hits = 1; document.write(hits);</script>"
    "<p>现将《测试县2024年春耕生产工作方案》印发给你们，请认真贯彻执行。</p>"
    "<table border='1'><tr><td>补贴项目</td><td>标准</td></tr><tr><td>耕地地力保护</td><td>110元/亩</td></tr></table>"
    "<ul><li>一、加强农资供应</li><li>二、抓好农机作业</li></ul>"
    "<p>附件：<a href='/module/download?id=7'>申请表</a><img src='javascript:void(0)' alt=''></p></div>"
)
ROWS = [
    [
        POLICY_INDEX,
        "测试县2024年春耕生产工作方案",
        "测政办【2024】3号",
        "县政府办",
        "2024/3/1",
        dt.datetime(2024, 3, 5),
        "农业、林业、水利\\农业",
        "政策文件",
        "春耕 生产；农资",
        "部署春耕生产: 农资供应和农机作业。",
        BODY_HTML,
        "https://old.ceshi.gov.cn/art/2024/3/5/art_1.html",
        "",
        120,
    ],
    [
        "",
        "关于开展2024年&ldquo;农资打假&rdquo;专项行动的通知",
        "—",
        "测试县农业农村局",
        "",
        "2024年4月8日",
        "农业",
        "",
        "",
        "",
        "",
        "https://old.ceshi.gov.cn/art/2024/4/8/art_2.html",
        "",
        35,
    ],
    [
        "",
        "关于做好汛期水利工程安全管理的通知",
        "测水〔2024〕5号",
        "测试县水利局",
        "",
        "2024-04-09",
        "综合政务",
        "通知公告",
        "",
        "",
        "<p>各乡镇：</p>",
        "",
        "",
        8,
    ],
    ["", "", "", "县政府办", "", "2024-04-10", "综合政务", "", "", "", "<p>正文</p>", "", "", 2],
    [
        "11341700MB1714830K/202403-00002",
        "《测试县2024年春耕生产工作方案》政策解读",
        "",
        "县政府办",
        "",
        "2024-03-06 10:20:00",
        "农业、林业、水利",
        "政策解读",
        "",
        "",
        "一、出台背景\n\n　　为做好春耕生产。\n二、主要内容",
        "",
        POLICY_INDEX,
        40,
    ],
    ["", "关于征集2024年民生实事项目的公告", "", "县政府办", "", "2024-02-30", "综合政务", "", "", "", "", "", "", 1],
]
POLICY_SOURCE = """\
---
标题: 测试县2024年春耕生产工作方案
索引号: 11341700MB1714830K/202403-00001
文号: 测政办〔2024〕3号
发布机构: 测试县人民政府办公室
成文日期: 2024-03-01
发布日期: 2024-03-05
领域: 涉农补贴
主题分类: 农业、林业、水利\\农业
组配分类: 政策文件
关键词: [春耕, 生产, 农资]
内容概述: '部署春耕生产: 农资供应和农机作业。'
---

各乡镇人民政府，县直各单位：

现将《测试县2024年春耕生产工作方案》印发给你们，请认真贯彻执行。

| 补贴项目 | 标准 |
| --- | --- |
| 耕地地力保护 | 110元/亩 |

- 一、加强农资供应
- 二、抓好农机作业

附件：[申请表](https://old.ceshi.gov.cn/module/download?id=7)
"""
NOTICE_SOURCE = """\
---
标题: 关于开展2024年“农资打假”专项行动的通知
文号: 无
发布机构: 测试县农业农村局
成文日期: 2024-04-08
发布日期: 2024-04-08
领域: 涉农补贴
主题分类: 其他
组配分类: 通知公告
---

原文链接：<https://old.ceshi.gov.cn/art/2024/4/8/art_2.html>
"""
REFUSED = [
    "旧网站信息.xlsx 第 5 行，字段「发布机构」：「测试县水利局」不在 county.yml 的发布机构列表中。"
    "请先在 county.yml 的「发布机构」中添加它（全称或简称），再重新导入。",
    "旧网站信息.xlsx 第 6 行，字段「标题」：缺少标题。请在表格中补上这一行的标题（信息名称）。",
    "旧网站信息.xlsx 第 8 行，字段「发布日期」：日期「2024-02-30」无法识别。应写成 2024-03-05、2024/3/5 或 2024年3月5日。",
    "旧网站信息.xlsx 第 8 行，字段「正文」：既没有正文，也没有原文链接。请在表格中补上正文（文字或网页 HTML）或原文链接。",
]
TAKEN = ["2024/20240305-imp-0003.md", "2024/20240408-imp-0004.md", "2024/20240306-imp-0007.md"]


@pytest.fixture
def legacy_xlsx(tmp_path: Path) -> Path:
    """A legacy list as a CMS exports it: a title row, then the header, then the rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["测试县政府信息公开目录（2024年）"])
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    path = tmp_path / "旧网站信息.xlsx"
    book.save(path)
    return path


def _documents(root: Path) -> Path:
    return root / "content/documents"


def test_each_row_becomes_a_markdown_source(county_dir, legacy_xlsx):
    report = import_documents(county_dir, legacy_xlsx, domain="snbt")
    assert [path.relative_to(_documents(county_dir)).as_posix() for path in report.written] == TAKEN
    assert report.taken == report.written
    assert (_documents(county_dir) / TAKEN[0]).read_text(encoding="utf-8") == POLICY_SOURCE
    assert (_documents(county_dir) / TAKEN[1]).read_text(encoding="utf-8") == NOTICE_SOURCE
    interpretation = (_documents(county_dir) / TAKEN[2]).read_text(encoding="utf-8")
    assert (
        "组配分类: 政策解读\n解读对象: 11341700MB1714830K/202403-00001\n---\n\n一、出台背景\n\n为做好春耕生产。\n\n二、主要内容\n"
        in interpretation
    )


def test_refused_rows_are_reported_with_row_and_reason(county_dir, legacy_xlsx):
    report = import_documents(county_dir, legacy_xlsx, domain="snbt")
    assert [str(problem) for problem in report.refused] == REFUSED
    assert [str(problem) for problem in report.warnings] == [
        "警告：旧网站信息.xlsx，字段「点击量」：未识别的列，已忽略。可识别的列：索引号、标题、文号、发布机构、成文日期、"
        "发布日期、主题分类、领域、组配分类、关键词、内容概述、有效性、解读对象、正文、链接。",
        "警告：旧网站信息.xlsx 第 4 行，字段「主题分类」：「农业」不是主题分类的大类，已写为「其他」。导入后请改为 22 个主题大类之一。",
    ]


def test_the_imported_county_passes_check(county_dir, legacy_xlsx):
    report = import_documents(county_dir, legacy_xlsx, domain="snbt")
    imported = {path.relative_to(county_dir).as_posix() for path in report.written}
    county = load_county(county_dir)
    assert {doc.origin.path for doc in county.documents} >= imported
    assert [str(p) for p in check_county(county, dt.date(2026, 3, 10)) if p.path in imported] == []


def test_reimport_skips_what_is_there_and_overwrites_nothing(county_dir, legacy_xlsx):
    first = import_documents(county_dir, legacy_xlsx, domain="snbt")
    before = {path: path.read_text(encoding="utf-8") for path in first.written}
    again = import_documents(county_dir, legacy_xlsx, domain="snbt")
    assert again.taken == again.written == []
    assert [str(problem) for problem in again.skipped] == [
        "旧网站信息.xlsx 第 3 行，字段「索引号」：索引号「11341700MB1714830K/202403-00001」已存在"
        "（content/documents/2024/20240305-imp-0003.md），跳过。",
        "旧网站信息.xlsx 第 4 行，字段「标题」：已有标题和发布日期相同的文件（content/documents/2024/20240408-imp-0004.md），跳过。",
        "旧网站信息.xlsx 第 7 行，字段「索引号」：索引号「11341700MB1714830K/202403-00002」已存在"
        "（content/documents/2024/20240306-imp-0007.md），跳过。",
    ]
    assert [str(problem) for problem in again.refused] == REFUSED
    assert {path: path.read_text(encoding="utf-8") for path in first.written} == before


def test_reimport_after_editing_a_row_without_index_number_adds_nothing(county_dir, legacy_xlsx):
    notice = import_documents(county_dir, legacy_xlsx, domain="snbt").written[1]
    notice.write_text(NOTICE_SOURCE.replace("主题分类: 其他", "主题分类: 农业、林业、水利"), encoding="utf-8")
    again = import_documents(county_dir, legacy_xlsx, domain="snbt")
    assert again.written == [] and [problem.line for problem in again.skipped] == [3, 4, 7]


def test_a_different_file_in_the_way_is_kept(county_dir, legacy_xlsx):
    mine = _documents(county_dir) / "2024/20240408-imp-0004.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("手写的文件", encoding="utf-8")
    report = import_documents(county_dir, legacy_xlsx, domain="snbt")
    assert mine.read_text(encoding="utf-8") == "手写的文件"
    assert (_documents(county_dir) / "2024/20240408-imp-0004-2.md").read_text(encoding="utf-8") == NOTICE_SOURCE
    assert len(report.written) == 3


def test_dry_run_writes_nothing(county_dir, legacy_xlsx):
    before = sorted(_documents(county_dir).rglob("*"))
    report = import_documents(county_dir, legacy_xlsx, domain="snbt", dry_run=True)
    assert sorted(_documents(county_dir).rglob("*")) == before
    assert report.written == [] and len(report.taken) == 3
    assert summary(report, dry_run=True).splitlines()[:2] == [
        "可导入 3 份文件（2024 年 3 份）。",
        "试运行：没有写入任何文件。",
    ]


def test_gbk_csv_as_excel_saves_it(county_dir, tmp_path):
    text = (
        "标题,发布机构,发布日期,成文日期,领域,正文\r\n"
        '关于2024年临时救助对象的公示,测试县人民政府办公室,2024.03.05,2024.03.01,社会救助,"第一段。\r\n第二段。"\r\n'
        "关于春耕备耕的通知,县农业农村局,2024-05-06 10:20:00,,,春耕备耕。\r\n"
    )
    legacy = tmp_path / "旧目录.csv"
    legacy.write_bytes(text.encode("gbk"))
    report = import_documents(county_dir, legacy)
    assert [str(problem) for problem in report.refused] == [
        "旧目录.csv 第 3 行，字段「领域」：缺少领域。请在表格中加「领域」列，或用 --domain 指定所有行的领域。"
    ]
    assert [str(problem) for problem in report.warnings] == [
        "警告：旧目录.csv，字段「主题分类」：表格没有主题分类列，主题分类都写为「其他」。导入后请逐个改为 22 个主题大类之一。"
    ]
    assert report.written[0].read_text(encoding="utf-8") == (
        "---\n标题: 关于2024年临时救助对象的公示\n文号: 无\n发布机构: 测试县人民政府办公室\n成文日期: 2024-03-01\n"
        "发布日期: 2024-03-05\n领域: 社会救助\n主题分类: 其他\n组配分类: 通知公告\n---\n\n第一段。\n\n第二段。\n"
    )


def test_the_command_prints_a_summary_and_fails_on_refused_rows(county_dir, legacy_xlsx, capsys):
    parser = argparse.ArgumentParser(prog="gongkai")
    add_parser(parser.add_subparsers())
    args = parser.parse_args(
        ["import", "documents", str(legacy_xlsx), "--project", str(county_dir), "--domain", "涉农补贴", "--dry-run"]
    )
    assert args.run(args) == 1
    err = capsys.readouterr().err
    assert err.startswith("可导入 3 份文件（2024 年 3 份）。\n试运行：没有写入任何文件。\n警告 2 条：\n")
    assert err.endswith("未导入 3 行：\n" + "".join(f"  {line}\n" for line in REFUSED))
    assert not (_documents(county_dir) / "2024").exists()


def test_the_command_succeeds_when_every_row_is_taken(county_dir, tmp_path, capsys):
    legacy = tmp_path / "list.csv"
    legacy.write_text("信息名称,信息来源,公开日期,正文\n关于春耕的通知,县政府办,2024-03-05,正文。\n", encoding="utf-8")
    parser = argparse.ArgumentParser(prog="gongkai")
    add_parser(parser.add_subparsers())
    args = parser.parse_args(
        ["import", "documents", str(legacy), "--project", str(county_dir), "--domain", "snbt", "--kind", "工作动态"]
    )
    assert args.run(args) == 0
    assert capsys.readouterr().err.startswith("已导入 1 份文件（2024 年 1 份）。\n")
    assert "组配分类: 工作动态\n" in (_documents(county_dir) / "2024/20240305-imp-0002.md").read_text(encoding="utf-8")


def test_options_must_name_what_the_county_has(county_dir, legacy_xlsx):
    with pytest.raises(ImportOptionError) as raised:
        import_documents(county_dir, legacy_xlsx, domain="水利")
    assert (
        str(raised.value)
        == "--domain「水利」不是 catalog/domains.yml 中的领域；可用：snbt（涉农补贴）、shjz（社会救助）"
    )
    with pytest.raises(ImportOptionError) as raised:
        import_documents(county_dir, legacy_xlsx, kind="公告")
    assert str(raised.value).startswith("--kind「公告」不在组配分类列表中；可用：通知公告、政策文件、")


def test_a_table_without_a_title_column_is_refused_whole(county_dir, tmp_path):
    legacy = tmp_path / "list.csv"
    legacy.write_text("题目,日期\n通知,2024-03-05\n", encoding="utf-8")
    with pytest.raises(SourceErrors) as raised:
        import_documents(county_dir, legacy, domain="snbt")
    assert [str(p) for p in raised.value.problems] == [
        "list.csv：找不到表头（应有一列「标题」或「信息名称」或「名称」或「文件名称」）。请在数据上方加一行表头，列名见使用指南。"
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
