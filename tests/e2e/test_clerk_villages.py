"""A clerk's year of village notices: import a GBK CSV and a messy XLSX, build, print the bundle."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import openpyxl
import pypdf
import pytest

from gongkai.commands.cli import main

from kit import write_county

RAW_ID = "341722199001010312"
RAW_CARD = "6228480012345678901"
RAW_PHONE = "13812345678"
RAW = (RAW_ID, RAW_CARD, RAW_PHONE, "341722198502021234", "6217000098765432")
XIAXI = "代码: xiaxi\n名称: 下溪村\n纸张: A4横向\n"
CSV_GBK = (
    "户主姓名,组别,身份证号码,一卡通账号,手机号,村,补贴面积（亩）,补贴标准,补贴金额（元）,发放日期,备注\n"
    f"王秀兰,第一村民组,{RAW_ID},{RAW_CARD},{RAW_PHONE},上溪村,5.2,110,572.00,2026/6/30,\n"
    "李建国,第二村民组,341722198502021234,6217000098765432,,下溪,3,110,330元,2026年6月30日,代领\n"
    '张桂英,第二村民组,341722197705050022,,,下溪村,10,110,"1,100.00",2026-06-30,\n'
)


def _xlsx(path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "说明"
    sheet = book.create_sheet("发放明细")
    sheet.append(["城关镇2026年农机购置补贴发放明细表"])
    sheet.append(["填报单位：城关镇农业站", None, None, "单位：元"])
    sheet.append(["序号", "村(居)", "户主", "证件号码", "数量", "单价", "发放金额"])
    sheet.append([1, "上溪村", "赵小明", "340123196602021235", 1, 3000, 3000])
    sheet.append([2, None, "陈玉梅", "34012319700303432X", 2, 1500, 3000])
    sheet.append([3, "下溪村", "刘志强", "340123198004045674", 1, 2000, 2000])
    sheet.merge_cells("B4:B5")  # the 村 cell spans two households
    book.save(path)


def _import(root: Path, table: Path, *extra: str) -> int:
    return main(["import", "payouts", str(table), "--project", str(root), *extra])


def _pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", out)


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    root = write_county(
        tmp_path_factory.mktemp("county"),
        {
            "villages/chengguan/xiaxi/village.yml": XIAXI,
            "villages/chengguan/shangxi/payouts/2026-gdlb.yml": None,
            "county.yml": None,
        },
    )
    from kit import COUNTY_YML

    (root / "county.yml").write_text(
        COUNTY_YML + "网站地址: https://www.ceshi.example.cn/\n公示后保留天数: 10\n", "utf-8"
    )
    (root / "villages/chengguan/shangxi/payouts/2026-gdlb.csv").unlink()
    return root


@pytest.fixture(scope="module")
def imported(county: Path, tmp_path_factory) -> Path:
    inbox = tmp_path_factory.mktemp("inbox")
    csv_path = inbox / "耕地地力保护补贴.csv"
    csv_path.write_bytes(CSV_GBK.encode("gbk"))
    args = ["--slug", "2026-gdlb", "--subsidy", "耕地地力保护补贴", "--unit", "亩", "--start", "2026-11-20"]
    args += ["--basis", "《测试县2026年耕地地力保护补贴实施方案》（测政办〔2026〕12号）"]
    assert _import(county, csv_path, *args) == 0
    xlsx = inbox / "农机.xlsx"
    _xlsx(xlsx)
    args = ["--slug", "2026-njgz", "--subsidy", "农机购置补贴", "--unit", "台", "--start", "2026-09-01"]
    args += ["--basis", "《测试县2026年农机购置补贴实施方案》", "--sheet", "发放明细", "--end", "2026-09-10"]
    assert _import(county, xlsx, *args) == 0
    return county


def test_import_masks_and_splits_by_village(imported: Path) -> None:
    shangxi = (imported / "villages/chengguan/shangxi/payouts/2026-gdlb.csv").read_text("utf-8")
    assert shangxi.splitlines()[0] == "户主姓名,村民小组,身份证号,数量,标准,金额,发放日期,备注,银行卡号,联系电话"
    assert (
        shangxi.splitlines()[1]
        == "王秀兰,第一村民组,341722********0312,5.20,110,572.00,2026-06-30,,***************8901,138****5678"
    )
    xiaxi = (imported / "villages/chengguan/xiaxi/payouts/2026-gdlb.csv").read_text("utf-8")
    assert "李建国,第二村民组,341722********1234,3,110,330.00,2026-06-30,代领" in xiaxi
    machines = (imported / "villages/chengguan/shangxi/payouts/2026-njgz.csv").read_text("utf-8")
    assert "陈玉梅" in machines  # the merged 村 cell gave her row its village
    description = (imported / "villages/chengguan/shangxi/payouts/2026-gdlb.yml").read_text("utf-8")
    assert "公示结束: 2026-11-26" in description and "城关镇纪委监督电话" in description


def test_nothing_raw_in_the_repository(imported: Path) -> None:
    for path in (imported / "villages").rglob("*"):
        if path.is_file():
            text = path.read_text("utf-8")
            assert not any(raw in text for raw in RAW), path


def test_refused_rows_are_named_and_nothing_written(imported: Path, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "姓名,身份证号,村,数量,标准,金额\n"
        f"王五,{RAW_ID},上溪村,2,100,200\n"
        f"王五,{RAW_ID},上溪村,2,100,200\n"
        "孙八,,上溪村,2,100,250\n"
        "赵六,,东山村,1,100,100\n"
        "钱七,,上溪村,1,100,\n",
        encoding="utf-8-sig",
    )
    args = ["--slug", "2026-bad", "--subsidy", "测试", "--basis", "测试", "--start", "2026-11-20"]
    assert _import(imported, bad, *args) == 1
    err = capsys.readouterr().err
    assert "有 4 行不能导入，未写入任何文件" in err
    assert "bad.csv 第 3 行，字段「姓名」：「王五」（341722********0312）与第 2 行重复。" in err
    assert "bad.csv 第 4 行，字段「金额」：金额 250.00 不等于 数量 2 × 标准 100 = 200.00。" in err
    assert "bad.csv 第 5 行，字段「村」：本县没有「东山村」。" in err
    assert "bad.csv 第 6 行，字段「金额」：必填项为空。" in err
    assert RAW_ID not in err
    assert not (imported / "villages/chengguan/shangxi/payouts/2026-bad.csv").exists()


def test_undecodable_file_is_refused(imported: Path, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xff\xfe\x00\x81\x30" * 3)
    assert _import(imported, bad, "--slug", "x", "--subsidy", "x", "--basis", "x", "--start", "2026-11-20") == 1
    assert "bad.csv：无法识别文件编码（既不是 UTF-8，也不是 GBK/GB18030）。" in capsys.readouterr().err


def test_no_overwrite_without_force(imported: Path, tmp_path: Path, capsys) -> None:
    table = tmp_path / "again.csv"
    table.write_text("户主姓名,金额\n王秀兰,10\n", encoding="utf-8")
    args = ["--village", "chengguan/shangxi", "--slug", "2026-gdlb", "--subsidy", "x", "--basis", "x"]
    assert _import(imported, table, *args, "--start", "2026-11-20") == 2
    assert "已经存在" in capsys.readouterr().err


@pytest.fixture(scope="module")
def during(imported: Path) -> Path:
    assert main(["build", str(imported), "--today", "2026-11-22", "-q"]) == 0
    return imported / "site"


def test_during_the_notice_period_the_web_shows_names_not_numbers(during: Path) -> None:
    html = (during / "villages/chengguan/shangxi/index.html").read_text("utf-8")
    assert "王秀兰" in html and "572.00" in html and "2026-gdlb.pdf" in html
    assert "341722" not in html and "8901" not in html and "5678" not in html
    assert (during / "villages/chengguan/shangxi/2026-gdlb.pdf").exists()
    assert (during / "villages/chengguan/shangxi/catalogue.pdf").exists()
    # the machinery list's window (2026-09-01 … 09-10, + 10 days) is over: totals only, no PDF
    assert "赵小明" not in html and not (during / "villages/chengguan/shangxi/2026-njgz.pdf").exists()


def test_the_sheet_is_masked_and_complete(during: Path) -> None:
    text = _pdf_text(during / "villages/chengguan/shangxi/2026-gdlb.pdf")
    assert "上溪村2026年耕地地力保护补贴发放结果公示" in text
    assert "341722********0312" in text and "****8901" in text
    assert "138" not in text.replace("0550", "")  # the household's phone is never printed
    assert "公示期：2026年11月20日至2026年11月26日。" in text and "扫码查看网上公示" in text
    assert "第1页共1页" in text and "上溪村民委员会（盖章）" in text


def test_no_raw_number_in_any_built_file(during: Path) -> None:
    for path in during.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".csv", ".txt"):
            text = path.read_text("utf-8", errors="replace")
            assert not any(raw in text for raw in RAW), path
    for pdf in during.rglob("*.pdf"):
        assert not any(raw in _pdf_text(pdf) for raw in RAW), pdf


def test_after_the_window_only_totals_stay(imported: Path, during: Path) -> None:
    site = imported / "later"
    assert main(["build", str(imported), "--today", "2026-12-07", "--site-dir", str(site), "-q"]) == 0
    html = (site / "villages/chengguan/shangxi/index.html").read_text("utf-8")
    assert "王秀兰" not in html and "572.00" in html and "公示期已结束" in html
    assert not (site / "villages/chengguan/shangxi/2026-gdlb.pdf").exists()
    assert (site / "villages/chengguan/shangxi/catalogue.pdf").exists()


def test_print_bundle_has_cover_and_every_sheet(imported: Path, during: Path) -> None:
    assert main(["bundle", str(imported), "--year", "2026", "--today", "2026-12-07"]) == 0
    bundle = imported / "print/2026/chengguan.pdf"
    text = _pdf_text(bundle)
    assert text.startswith("城关镇2026年度村（居）务公开公示表")
    assert "上溪村2026年度惠民惠农财政补贴资金发放结果公示" in text
    assert "下溪村2026年度惠民惠农财政补贴资金发放结果公示" in text
    assert "王秀兰" in text and "赵小明" in text and "城关镇上溪村村务公开事项目录" in text
    assert not any(raw in text for raw in RAW)
    reader = pypdf.PdfReader(bundle)
    assert len(reader.pages) >= 1 + 2 * 4
    # The cover's page numbers are the PDF's: each listed sheet begins on its page, as its own 第 1 页.
    printed = [re.sub(r"\s+", "", page.extract_text()) for page in reader.pages]
    listed = re.findall(r"(上溪村|下溪村)(公开事项目录|2026年[^0-9]*?公示)(\d+)(\d+(?:–\d+)?)", printed[0])
    assert len(listed) == 8
    for _, _, _, numbers in listed:
        first = int(numbers.split("–")[0])
        assert "第1页共" in printed[first - 1]
    # Fonts embedded once for the whole bundle, not once per sheet.
    fonts = {font.idnum for page in reader.pages for font in page["/Resources"].get_object()["/Font"].values()}
    assert 0 < len(fonts) <= 6
