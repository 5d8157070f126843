"""The guard in the pipeline: check refuses raw numbers in the sources; build refuses them in the output."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import weasyprint
from files import gdlb
from personal import BANK as CARD
from personal import ID as ID_NUMBER
from personal import PHONE as MOBILE

from gongkai.commands.build import build
from gongkai.commands.cli import main
from gongkai.errors import BuildFailed, Problem, SourceErrors
from gongkai.guard.sources import FIX

from kit import CATALOG_YML, COUNTY_YML, PAYOUT_CSV, VILLAGE_YML, staging_leftovers, write_county

TODAY = dt.date(2026, 11, 26)
GDLB = "content/documents/2026/gdlb.md"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The small county, built once."""
    root = write_county(tmp_path_factory.mktemp("county"))
    build(root, root / "site", TODAY)
    return root


def _copy(built: Path, tmp_path: Path, changes: dict[str, str | bytes]) -> Path:
    root = tmp_path / "copy"
    shutil.copytree(built, root)
    return write_county(root, changes)


def _problems(root: Path) -> list[Problem]:
    with pytest.raises(SourceErrors) as raised:
        build(root, root / "site", TODAY)
    return raised.value.problems


def test_check_refuses_raw_numbers_anywhere_in_the_sources(tmp_path):
    root = write_county(
        tmp_path,
        {
            GDLB: gdlb("联系人手机：138-1234-5678。\n\n第二条　补贴对象为实际种粮农民。"),
            "villages/chengguan/shangxi/village.yml": VILLAGE_YML + f"# 村会计银行卡 {CARD}\n",
            "catalog/snbt.yml": CATALOG_YML.replace("补贴结果、监督渠道", f"补贴结果（如 {ID_NUMBER}）"),
        },
    )
    assert [p for p in _problems(root) if p.fix == FIX] == [
        Problem("catalog/snbt.yml", 6, "", "发现未遮盖的身份证号 340123********1234", FIX),
        Problem(GDLB, 16, "", "发现未遮盖的手机号 138****5678", FIX),
        Problem("villages/chengguan/shangxi/village.yml", 10, "", "发现未遮盖的银行卡号 ***************0128", FIX),
    ]


def test_a_raw_id_in_a_payout_table_stays_a_load_error_of_its_column(tmp_path):
    csv = f"户主姓名,村民小组,身份证号,数量,标准,金额,发放日期,备注\n王秀兰,第一村民组,{ID_NUMBER},5.2,110,572.00,2026-06-30,\n"
    root = write_county(tmp_path, {"villages/chengguan/shangxi/payouts/2026-gdlb.csv": csv})
    problems = _problems(root)
    assert [(p.path, p.line, p.field) for p in problems if not p.warning] == [
        ("villages/chengguan/shangxi/payouts/2026-gdlb.csv", 2, "身份证号")
    ]


def test_published_phone_lines_are_allowed(tmp_path):
    county = COUNTY_YML.replace('    号码: "12345"', f'    号码: "12345"\n  - 名称: 监督电话\n    号码: "{MOBILE}"')
    root = write_county(tmp_path, {"county.yml": county, GDLB: gdlb(f"监督电话：{MOBILE}。")})
    build(root, root / "site", TODAY)
    assert MOBILE in (root / "site/documents/2026/gdlb/index.html").read_text(encoding="utf-8")


def test_a_leak_the_source_check_missed_stops_the_build_and_names_its_source(built, tmp_path, monkeypatch):
    root = _copy(built, tmp_path, {GDLB: gdlb("联系人手机：138-1234-5678。")})
    before = (root / "site/index.html").read_bytes()
    monkeypatch.setattr("gongkai.guard.scan_sources", lambda root, config: [])  # a gap in the source check
    with pytest.raises(BuildFailed) as raised:
        build(root, root / "site", TODAY)
    lines = str(raised.value).split("\n")
    assert (
        "site/documents/2026/gdlb/index.html：发现疑似手机号 138****5678（来源：content/documents/2026/gdlb.md 第 16 行）"
        in lines
    )
    assert all("（来源：content/documents/2026/gdlb.md 第 16 行）" in line for line in lines[:-1])
    # The search bundle holds the text as bigram tokens (render/search/tokens.py), built from these same
    # pages, so the number is caught in the pages it came from.
    assert lines[-1].startswith(f"共 {len(lines) - 1} 处疑似个人信息，网站没有发布，site/ 保持原样。")
    assert MOBILE not in str(raised.value) and "1381234" not in str(raised.value)
    assert (root / "site/index.html").read_bytes() == before
    assert not staging_leftovers(root)


def test_a_number_in_an_attachment_is_refused_by_check_first(built, tmp_path, capsys):
    pdf = weasyprint.HTML(string=f"<p>申请人身份证号 {ID_NUMBER}</p>").write_pdf()
    root = _copy(built, tmp_path, {GDLB: gdlb("见附件。").replace("---\n\n", "附件: [名单.pdf]\n---\n\n")})
    (root / "content/documents/2026/名单.pdf").write_bytes(pdf)
    before = (root / "site/index.html").read_bytes()
    assert main(["build", str(root), "--today", str(TODAY), "-q"]) == 1
    err = capsys.readouterr().err
    assert f"content/documents/2026/名单.pdf：发现未遮盖的身份证号 340123********1234（第 1 页）。{FIX}。" in err
    assert ID_NUMBER not in err
    assert (root / "site/index.html").read_bytes() == before


def test_a_leak_in_an_attachment_the_check_missed_names_its_source(built, tmp_path, monkeypatch):
    pdf = weasyprint.HTML(string=f"<p>申请人身份证号 {ID_NUMBER}</p>").write_pdf()
    root = _copy(built, tmp_path, {GDLB: gdlb("见附件。").replace("---\n\n", "附件: [名单.pdf]\n---\n\n")})
    (root / "content/documents/2026/名单.pdf").write_bytes(pdf)
    monkeypatch.setattr("gongkai.guard.scan_sources", lambda root, config: [])  # a gap in the source check
    with pytest.raises(BuildFailed) as raised:
        build(root, root / "site", TODAY)
    assert (
        "site/documents/2026/gdlb/名单.pdf（第 1 页）：发现疑似身份证号 340123********1234"
        "（来源：content/documents/2026/名单.pdf（第 1 页））"
    ) in str(raised.value).split("\n")


def test_a_remark_on_a_notice_sheet_is_caught_in_the_pdf_and_located(built, tmp_path, monkeypatch):
    payouts = "villages/chengguan/shangxi/payouts/2026-gdlb.csv"
    remark = PAYOUT_CSV.replace("572.00,2026-06-30,\n", "572.00,2026-06-30,电话 １３８ 1234 5678\n")
    root = _copy(built, tmp_path, {payouts: remark})
    monkeypatch.setattr("gongkai.guard.scan_sources", lambda root, config: [])  # a gap in the source check
    with pytest.raises(BuildFailed) as raised:
        build(root, root / "site", TODAY)
    lines = str(raised.value).split("\n")
    source = f"（来源：{payouts} 第 2 行）"
    # The remark wraps in its narrow column (「电话 １\n３８ 123\n4 5678」) and is still read as one number.
    assert lines == [
        f"site/villages/chengguan/shangxi/2026-gdlb.pdf（第 1 页）：发现疑似手机号 138****5678{source}",
        "共 1 处疑似个人信息，网站没有发布，site/ 保持原样。请在源文件中遮盖这些号码（见使用指南「个人信息保护和内容安全」）后重新生成。",
    ]
