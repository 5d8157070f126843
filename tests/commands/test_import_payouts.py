"""`gongkai import payouts` on exports shaped like real county systems' (made up here, no real person's data).

GB18030 CSV with title rows, 合计 and 制表人 lines; XLSX with a merged title, the header on row 3,
numbers as text, Excel dates, a blank row, a 小计 row and the list on the second sheet.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from gongkai.commands.cli import main

from kit import write_county

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def valid_id(first17: str) -> str:
    """An ID number with its GB 11643 check digit."""
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


ID_A, ID_B, ID_C = valid_id("34172219650304001"), valid_id("34172219720815002"), valid_id("34172219801201003")
WRONG = ID_C[:17] + ("0" if ID_C[17] != "0" else "1")  # one typo: the check digit no longer matches
SHANTANG = "代码: shantang\n名称: 山塘村\n"
ARGS = ["--subsidy", "耕地地力保护补贴", "--unit", "亩", "--start", "2026-11-20", "--basis", "《测试县方案》"]

CSV_ROWS = [
    "城关镇2026年耕地地力保护补贴发放花名册,,,,,,,",
    "填报单位：上溪村　　单位：元,,,,,,,",
    "序号,户主姓名,组别,身份证号码,补贴面积（亩）,补贴标准（元/亩）,补贴金额（元）,备注",
    f"1,王秀兰 ,第一村民组,{ID_A},5.20,103.50,538.20,",
    f"2,李建国,第二村民组,{ID_B},3.00,103.50,310.50,",
    ",,,,,,,",
    f'3,张桂英,第二村民组,{ID_C},10.00,103.50,"1,035.00",代领',
    "合计,,,,18.20,,{total},",
    "制表人：赵会计　　审核人：钱主任　　负责人：孙书记,,,,,,,",
    "2026年11月18日,,,,,,,",
]


@pytest.fixture
def county(tmp_path: Path) -> Path:
    return write_county(
        tmp_path / "county",
        {
            "villages/liutang/town.yml": "代码: liutang\n名称: 柳塘镇\n",
            "villages/liutang/shantang/village.yml": SHANTANG,
            "villages/taoling/town.yml": "代码: taoling\n名称: 桃岭镇\n",
            "villages/taoling/shantang/village.yml": SHANTANG,
        },
    )


def run(root: Path, table: Path, *extra: str) -> int:
    return main(["import", "payouts", str(table), "--project", str(root), *ARGS, *extra])


def gb18030_csv(folder: Path, total: str = "1,883.70", rows: list[str] | None = None) -> Path:
    path = folder / "花名册.csv"
    text = "\r\n".join(rows or CSV_ROWS).replace("{total}", total)
    path.write_bytes(text.encode("gb18030"))
    return path


def test_gb18030_csv_with_title_total_and_footer_rows_imports_the_households(county, tmp_path, capsys) -> None:
    table = gb18030_csv(tmp_path, total='"1,883.70"')
    assert run(county, table, "--village", "chengguan/shangxi", "--slug", "2026-gdlb2") == 0
    written = (county / "villages/chengguan/shangxi/payouts/2026-gdlb2.csv").read_text("utf-8").splitlines()
    assert len(written) == 4  # the header and three households: no 合计, 制表人 or date row
    assert written[1].startswith("王秀兰,第一村民组,341722********") and ",5.20,103.50,538.20," in written[1]
    assert ",10,103.50,1035.00,,代领" in written[3]
    yml = (county / "villages/chengguan/shangxi/payouts/2026-gdlb2.yml").read_text("utf-8")
    assert "&id" not in yml and "*id" not in yml
    assert "公示开始: 2026-11-20" in yml and "落款日期: 2026-11-20" in yml
    assert "城关镇上溪村：3 户，金额合计 1,883.70 元" in capsys.readouterr().err


def test_a_total_that_disagrees_with_the_rows_names_both_numbers(county, tmp_path, capsys) -> None:
    assert run(county, gb18030_csv(tmp_path, total='"1,893.70"'), "--village", "chengguan/shangxi", "--slug", "x") == 1
    err = capsys.readouterr().err
    assert (
        "花名册.csv 第 8 行，字段「补贴金额（元）」：合计行的补贴金额（元）是 1,893.70，上面各行相加是 1,883.70。"
        "请核对合计行和上面各行的补贴金额（元）。"
    ) in err
    assert not (county / "villages/chengguan/shangxi/payouts/x.csv").exists()


def test_a_wrong_check_digit_is_named_by_row_and_heading_and_masked(county, tmp_path, capsys) -> None:
    rows = [row.replace(ID_C, WRONG) for row in CSV_ROWS]
    assert run(county, gb18030_csv(tmp_path, rows=rows), "--village", "chengguan/shangxi", "--slug", "x") == 1
    err = capsys.readouterr().err
    assert (
        f"花名册.csv 第 7 行，字段「身份证号码」：身份证号 {WRONG[:6]}********{WRONG[-4:]} 的校验位（第 18 位）"
        "与前 17 位不符，号码有误。请对照身份证或户口簿核对这个号码"
    ) in err
    assert WRONG not in err


def xlsx_export(path: Path, id_c: str = ID_C, rate: object = 103.5) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "填表说明"
    book.active.append(["请在第二张表填写发放明细"])
    sheet = book.create_sheet("发放明细")
    sheet.append(["柳塘镇2026年耕地地力保护补贴发放花名册"])
    sheet.merge_cells("A1:K1")
    sheet.append(["填报单位：柳塘镇农业综合服务站", None, None, None, None, None, None, None, None, None, "单位：元"])
    sheet.append(
        [
            "序号",
            "乡镇",
            "村",
            "组别",
            "户主",
            "补贴面积（亩）",
            "补贴标准",
            "发放金额",
            "发放日期",
            "备注",
            "身份证号码",
        ]
    )
    sheet.append(
        [1, "柳塘镇", "山塘村", "一组", "周海燕", "2.50", rate, "258.75", dt.datetime(2026, 6, 30), None, ID_A]
    )
    sheet.append([2, "柳塘镇", "山塘村", "二组", "吴志军", 4, rate, "414.00", dt.datetime(2026, 6, 30), None, ID_B])
    sheet.append([])
    sheet.append([None, None, None, None, "小计", "6.50", None, "672.75"])
    sheet.append([3, "桃岭镇", "山塘", "三组", "郑春花", "1.00", rate, "103.50元", "2026年6月30日", None, id_c])
    sheet.append(["总计", None, None, None, None, "7.50", None, "776.25"])
    book.save(path)
    return path


def test_xlsx_with_merged_title_second_sheet_town_and_village_columns(county, tmp_path, capsys) -> None:
    table = xlsx_export(tmp_path / "柳塘镇.xlsx")
    assert run(county, table, "--sheet", "发放明细", "--slug", "2026-gdlb") == 0
    liutang = (county / "villages/liutang/shantang/payouts/2026-gdlb.csv").read_text("utf-8").splitlines()
    taoling = (county / "villages/taoling/shantang/payouts/2026-gdlb.csv").read_text("utf-8").splitlines()
    assert [line.split(",")[0] for line in liutang[1:]] == ["周海燕", "吴志军"]
    assert [line.split(",")[0] for line in taoling[1:]] == ["郑春花"]
    assert ",2.50,103.50,258.75,2026-06-30," in liutang[1] and ",4,103.50,414.00,2026-06-30," in liutang[2]
    assert ",1,103.50,103.50,2026-06-30," in taoling[1]
    err = capsys.readouterr().err
    assert "柳塘镇山塘村：2 户" in err and "桃岭镇山塘村：1 户" in err


def test_xlsx_errors_name_the_cell(county, tmp_path, capsys) -> None:
    table = xlsx_export(tmp_path / "柳塘镇.xlsx", id_c=WRONG)
    assert run(county, table, "--sheet", "发放明细", "--slug", "2026-gdlb") == 1
    err = capsys.readouterr().err
    assert (
        f"柳塘镇.xlsx 第 8 行，字段「身份证号码」：单元格 K8：身份证号 {WRONG[:6]}********{WRONG[-4:]} 的校验位" in err
    )


def test_an_impossible_birth_date_is_refused(county, tmp_path, capsys) -> None:
    bad = valid_id("34172219651304001")  # month 13
    table = xlsx_export(tmp_path / "柳塘镇.xlsx", id_c=bad)
    assert run(county, table, "--sheet", "发放明细", "--slug", "2026-gdlb") == 1
    assert "单元格 K8：身份证号 341722********" in (err := capsys.readouterr().err)
    assert "中的出生日期不是有效日期（第 7–14 位）" in err


def test_a_village_name_in_two_towns_needs_the_town(county, tmp_path, capsys) -> None:
    table = tmp_path / "名单.csv"
    table.write_text("户主姓名,村,金额\n周海燕,山塘村,100\n", encoding="utf-8")
    assert run(county, table, "--slug", "x") == 1
    assert "字段「村」：「山塘村」在几个乡镇都有（柳塘镇、桃岭镇）。请在表格中加一列「乡镇」" in capsys.readouterr().err


def test_the_same_payment_imported_twice_is_refused_and_force_says_what_it_replaced(county, tmp_path, capsys) -> None:
    table = gb18030_csv(tmp_path, total='"1,883.70"')
    assert run(county, table, "--village", "chengguan/shangxi", "--slug", "2026-first") == 0
    capsys.readouterr()
    assert run(county, table, "--village", "chengguan/shangxi", "--slug", "2026-again") == 1
    err = capsys.readouterr().err
    assert (
        "花名册.csv：上溪村的这份名单与已有的 villages/chengguan/shangxi/payouts/2026-first.yml"
        "（耕地地力保护补贴，3 户，金额合计 1,883.70 元）户主和金额完全相同"
    ) in err
    assert "没有导入任何内容，源文件保持原样。" in err and "未生成网站" not in err
    assert not (county / "villages/chengguan/shangxi/payouts/2026-again.csv").exists()
    assert run(county, table, "--village", "chengguan/shangxi", "--slug", "2026-first", "--force") == 0
    assert (
        "已替换原有名单：villages/chengguan/shangxi/payouts/2026-first.yml（耕地地力保护补贴，3 户，金额合计 1,883.70 元）"
        in capsys.readouterr().err
    )


def test_numbers_are_written_the_same_from_csv_and_xlsx(county, tmp_path) -> None:
    assert run(county, gb18030_csv(tmp_path, total='"1,883.70"'), "--village", "chengguan/shangxi", "--slug", "a") == 0
    csv_rate = (county / "villages/chengguan/shangxi/payouts/a.csv").read_text("utf-8").splitlines()[1].split(",")[4]
    assert run(county, xlsx_export(tmp_path / "t.xlsx"), "--sheet", "发放明细", "--slug", "b") == 0
    xlsx_rate = (county / "villages/liutang/shantang/payouts/b.csv").read_text("utf-8").splitlines()[1].split(",")[4]
    assert csv_rate == xlsx_rate == "103.50"
