"""A county migrates: a raw CMS export, one import, one edit of the review file in Excel, a site that builds.

The walk-through of the clerk guide's migration chapter (content/guide/migration.md), step by step."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import openpyxl

from gongkai.commands.cli import main

from kit import write_county

sys.path.insert(0, str(Path(__file__).parent.parent / "commands"))
from cms_export import DOMAINS_YML, write_export

TODAY = "2026-03-12"
CLINICS = "documents/2024/20240520-imp-0008/index.html"
REASON = "县卫健委公布的预防接种门诊咨询电话，供群众预约接种"


def _text(path: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))


def _clerk_edits(review: Path) -> None:
    """What the clerk does in Excel: three credit codes, one 领域, the clinics' phones made public."""
    book = openpyxl.load_workbook(review)
    codes = {
        "测试县民政局": "11341700MB17150083",
        "测试县财政局": "11341700MB1715016X",
        "测试县卫健委": "11341700MB1715024Q",
    }
    _fill(
        book["发布机构"],
        lambda line: line["机构名称"] in codes,
        lambda line: {"统一社会信用代码": codes[line["机构名称"]]},
    )
    _fill(book["文件"], lambda line: line["行"] == 10, lambda line: {"领域": "财政预决算"})
    _fill(book["号码"], lambda line: line["行"] == 8, lambda line: {"处理": "公开", "理由": REASON})
    book.save(review)


def _fill(sheet, match, values) -> None:
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        line = dict(zip(header, (cell.value for cell in row), strict=True))
        if match(line):
            for key, value in values(line).items():
                row[header.index(key)].value = value


def test_an_export_becomes_a_site_after_one_import_and_one_review(tmp_path, capsys):
    root = write_county(tmp_path / "county", {"catalog/domains.yml": DOMAINS_YML})
    export = write_export(tmp_path / "exports")
    command = ["import", "documents", str(export), "--project", str(root), "--today", TODAY]

    # The first import takes every row; what it could not decide is held back, and the site builds.
    assert main(command) == 0
    err = capsys.readouterr().err
    assert "已导入 14 份文件（2024 年 13 份，2026 年 1 份）。" in err
    assert "6 份文件的发布机构还没有统一社会信用代码：暂不分配索引号、暂不发布。" in err
    assert main(["build", str(root), "--today", TODAY, "-q"]) == 0
    capsys.readouterr()
    site = root / "site"
    assert not (site / CLINICS).exists()  # its body waits for a credit code
    joint = _text(site / "documents/2024/20240305-imp-0003/index.html")
    assert "索引号 11341700MB1714830K/202403-00001" in joint and "（待分配）" not in joint

    # The clerk fills the review file in Excel; the same command applies it.
    _clerk_edits(export.with_name("旧网站导出-核对.xlsx"))
    assert main(command) == 0
    err = capsys.readouterr().err
    assert "已按核对表更新 14 份文件。" in err
    assert "按核对表公开号码 3 个（已记入 public-numbers.yml）：" in err
    assert main(["build", str(root), "--today", TODAY, "-q"]) == 0
    err = capsys.readouterr().err
    assert (
        "20240220-imp-0011.md 第 7 行，字段「领域」：领域待定，本文件暂不发布" in err
    )  # the 人事 row, still undecided

    clinics = _text(site / CLINICS)
    assert "城关镇卫生院预防接种门诊 城关镇人民路8号 180 1234 3266" in clinics
    assert "索引号 11341700MB1715024Q/202405-00001" in clinics
    credit = (site / "documents/2024/20240618-imp-0009/index.html").read_text(encoding="utf-8")
    assert "<td>913501287531147743</td>" in credit and ">12771</td>" in credit
    assert "电话 139****5678。" in credit  # masked, and shown as written (no emphasis)
    joint = _text(site / "documents/2024/20240402-imp-0006/index.html")
    assert "发布机构 测试县民政局、测试县财政局" in joint
    interpretation = (site / "documents/2024/20240306-imp-0004/index.html").read_text(encoding="utf-8")
    assert 'href="../20240305-imp-0003/"' in interpretation
    assert not (site / "documents/2024/20240220-imp-0011").exists()
    masked_title = "关于低保对象李四（手机138****5678）信息更正的公告"  # a title, masked on import, shown as written
    page = (site / "documents/2024/20240801-imp-0016/index.html").read_text(encoding="utf-8")
    assert f">{masked_title}</h1>" in page and f"<title>{masked_title} - " in page
    assert masked_title in (site / "data/documents.csv").read_text(encoding="utf-8-sig")
    assert "（待分配）" not in "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
