"""`check` finds every spelling in the sources first, located by file and line, with the guard's own
normaliser; numbers published on purpose pass only as county.yml and public-numbers.yml allow."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path

import files
import openpyxl
import pytest
from files import gdlb
from personal import BANK as CARD
from personal import ID as ID_NUMBER
from personal import PHONE as MOBILE

from gongkai.commands.build import load_and_check
from gongkai.commands.cli import main
from gongkai.commands.progress import Progress
from gongkai.errors import Problem, SourceErrors
from gongkai.guard.allow import ID_SHAPE_FIX, OVERRIDE_FIX, PHONE_FIX
from gongkai.guard.sources import FIX, scan_sources
from gongkai.load.public import QUOTE_FIX

from kit import COUNTY_YML, PAYOUT_CSV, blank_pdf, staging_leftovers, write_county

TODAY = dt.date(2026, 11, 26)
GDLB = "content/documents/2026/gdlb.md"
GUIDE = "content/xxgk/zhinan.md"
PAYOUTS = "villages/chengguan/shangxi/payouts/2026-gdlb.csv"
TREASURY = "6217000012345678909"  # a 19-digit account that fails Luhn


def _errors(root: Path) -> list[Problem]:
    try:
        load_and_check(root, TODAY, Progress(quiet=True))
    except SourceErrors as errors:
        return [p for p in errors.problems if not p.warning]
    return []


def _raw(path: str, line: int | None, what: str) -> Problem:
    return Problem(path, line, "", f"发现未遮盖的{what}", FIX)


@pytest.mark.parametrize(
    ("body", "what"),
    [
        ("联系人手机：１３８－１２３４－５６７８。", "手机号 138****5678"),
        ("联系人手机：138\u200b1234\u20605678。", "手机号 138****5678"),
        ("联系人手机：138\u00a01234\u30005678。", "手机号 138****5678"),
        ("联系人手机：+86 138.1234.5678。", "手机号 138****5678"),
        ("联系人手机：&#49;38&#x31;234&#53;678。", "手机号 138****5678"),
        ("联系人手机：&#49;38&#x31;234&#53&#54;78。", "手机号 138****5678"),
        ("联系人手机：<b>138</b>1234<span>5678</span>。", "手机号 138****5678"),
        ("联系人手机：**138**12345678。", "手机号 138****5678"),
        ("联系人手机：[138](https://www.example.cn/)12345678。", "手机号 138****5678"),  # <a>138</a>12345678
        (
            f"身份证：{ID_NUMBER[:6]} {ID_NUMBER[6:10]} {ID_NUMBER[10:14]} {ID_NUMBER[14:]}。",
            "身份证号 340123********1234",
        ),
        (f"身份证：{ID_NUMBER[:17]}Ｘ。".replace(ID_NUMBER[:17], ID_NUMBER[:16] + "5"), "身份证号 340123********125X"),
        ("存折：6217 0000 1234 5678 909。", "银行账号 ***************8909"),
    ],
)
def test_a_spelling_in_a_document_body_is_found_at_its_line(tmp_path, body, what):
    root = write_county(tmp_path, {GDLB: gdlb(body)})
    assert _errors(root) == [_raw(GDLB, 16, what)]


def test_a_number_split_over_two_lines_of_a_paragraph_is_found_at_its_first_line(tmp_path):
    root = write_county(tmp_path, {GDLB: gdlb("联系人手机：1381234\n5678。")})
    assert _errors(root) == [_raw(GDLB, 16, "手机号 138****5678")]


def test_a_remark_in_a_payout_list(tmp_path):
    csv = PAYOUT_CSV.replace("2026-06-30,\n王秀兰", "2026-06-30,\n王秀兰").replace(
        "572.00,2026-06-30,\n", "572.00,2026-06-30,电话 138 1234 5678\n"
    )
    root = write_county(tmp_path, {PAYOUTS: csv})
    assert _errors(root) == [_raw(PAYOUTS, 2, "手机号 138****5678")]


def test_one_group_per_table_cell_on_a_hand_written_page(tmp_path):
    table = (
        "# 政府信息公开指南\n\n| 姓名 | 证件 | 出生 | 尾号 |\n|---|---|---|---|\n"
        f"| 王秀兰 | {ID_NUMBER[:6]} | {ID_NUMBER[6:14]} | {ID_NUMBER[14:]} |\n\n"
        f"<table>\n<tr><td>{ID_NUMBER[:6]}</td>\n<td>{ID_NUMBER[6:14]}</td>\n<td>{ID_NUMBER[14:]}</td></tr>\n</table>\n"
    )
    root = write_county(tmp_path, {GUIDE: table})
    assert _errors(root) == [
        _raw(GUIDE, 5, "身份证号 340123********1234"),
        _raw(GUIDE, 8, "身份证号 340123********1234"),
    ]


def test_an_image_alt_and_a_link(tmp_path):
    page = (
        "# 政府信息公开指南\n\n"
        '<img src="https://www.example.cn/a.png" alt="值班电话 138 1234 5678">\n\n'
        "[查询](https://www.example.cn/?tel=139%201234%205678)\n"
    )
    root = write_county(tmp_path, {GUIDE: page})
    numbers = [p for p in _errors(root) if p.message.startswith("发现未遮盖")]  # the foreign image is refused too
    assert numbers == [
        _raw(GUIDE, 3, "手机号 138****5678（标签属性）"),
        _raw(GUIDE, 5, "手机号 139****5678（标签属性）"),
    ]


def test_the_theme_mkdocs_yml_and_file_names_are_sources_too(tmp_path):
    root = write_county(tmp_path, {"theme/partials/extra.html": "<footer>\n值班：13812345678\n</footer>\n"})
    (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text(encoding="utf-8") + "# 联系 13912345678\n")
    (root / "content/xxgk/13712345678.pdf").write_bytes(blank_pdf())
    mkdocs_lines = (root / "mkdocs.yml").read_text(encoding="utf-8").count("\n")
    assert _errors(root) == [
        _raw("content/xxgk/13712345678.pdf", None, "手机号 137****5678（文件名）"),
        _raw("mkdocs.yml", mkdocs_lines, "手机号 139****5678"),
        _raw("theme/partials/extra.html", 2, "手机号 138****5678"),
    ]


def test_an_attachment_that_cannot_be_read_is_refused(tmp_path):
    root = write_county(tmp_path, {GDLB: gdlb("见附件。").replace("---\n\n", "附件: [名单.doc]\n---\n\n")})
    (root / "content/documents/2026/名单.doc").write_bytes(files.gzip_bomb(64 * 1024 * 1024))
    assert _errors(root) == [
        Problem(
            "content/documents/2026/名单.doc",
            None,
            "",
            "无法完整读取：压缩比异常（解压后超过原文件的 50 倍），不能确认其中没有个人信息",
            "这不像正常的文档；请用原来的软件重新保存后替换",
        )
    ]


def test_public_codes_and_amounts_are_no_false_alarm(tmp_path):
    body = (
        "统一社会信用代码 913501287531147743，税务登记号 340123704372574，"
        "总投资 13500000000 元，合计 13500000000.00，监督电话 0550-7011234。"
    )
    root = write_county(tmp_path, {GDLB: gdlb(body)})
    assert _errors(root) == []


# --- county.yml ---------------------------------------------------------------------------------


def test_an_id_entered_as_a_public_phone_is_refused(tmp_path):
    county = COUNTY_YML.replace('    号码: "12345"', f'    号码: "12345"\n  - 名称: 监督电话\n    号码: "{ID_NUMBER}"')
    root = write_county(tmp_path, {"county.yml": county})
    assert _errors(root) == [
        _raw("county.yml", 21, "身份证号 340123********1234"),
        Problem("county.yml", 21, "号码", "「340123********1234」不是电话号码，看起来是身份证号", PHONE_FIX),
    ]


def test_a_credit_code_must_pass_its_check(tmp_path):
    county = COUNTY_YML.replace("11341700MB1714849G", "11341700MB1714849H")
    root = write_county(tmp_path, {"county.yml": county})
    assert _errors(root) == [
        Problem(
            "county.yml",
            16,
            "统一社会信用代码",
            "统一社会信用代码「11341700MB1714849H」的校验码不对（按 GB 32100 应为「G」）",
            "请核对这 18 位代码（最后一位是校验码），可在国家企业信用信息公示系统或机构的登记证书上查到",
        )
    ]


def test_a_public_mobile_in_county_yml_is_allowed_everywhere(tmp_path):
    county = COUNTY_YML.replace('    号码: "12345"', f'    号码: "12345"\n  - 名称: 监督电话\n    号码: "+86 {MOBILE}"')
    root = write_county(
        tmp_path, {"county.yml": county, GDLB: gdlb(f"监督电话：{MOBILE[:3]}-{MOBILE[3:7]}-{MOBILE[7:]}。")}
    )
    assert _errors(root) == []


# --- public-numbers.yml -------------------------------------------------------------------------


def _public(entries: str) -> str:
    return "公开号码:\n" + entries


TREASURY_ENTRY = f"""\
  - 号码: "6217 0000 1234 5678 909"
    位置: [{GDLB}]
    理由: 县财政局国库存款账户，缴款通知须公开
"""


def test_a_registered_number_stands_in_its_place_and_nowhere_else(tmp_path):
    root = write_county(
        tmp_path,
        {
            "public-numbers.yml": _public(TREASURY_ENTRY),
            GDLB: gdlb(f"缴款账户：{TREASURY}。"),
            GUIDE: f"# 政府信息公开指南\n\n账户 {TREASURY}\n",
        },
    )
    assert _errors(root) == [
        Problem(
            GUIDE,
            3,
            "",
            "银行账号 ***************8909符合 public-numbers.yml 第 2 行登记的号码，但这个文件不在它的「位置」中",
            f"登记的位置：{GDLB}。如果这里也要公开，请把「{GUIDE}」加入该项的「位置」",
        )
    ]


def test_a_card_that_passes_luhn_needs_an_override_and_each_use_is_logged(tmp_path, caplog):
    entry = f'  - 号码: "{CARD}"\n    位置: [{GDLB}]\n    理由: 县社保中心收款账户\n'
    body = {GDLB: gdlb(f"收款账户：{CARD}。")}
    root = write_county(tmp_path, {"public-numbers.yml": _public(entry), **body})
    assert _errors(root) == [
        Problem(
            "public-numbers.yml",
            2,
            "覆盖",
            "号码 ***************0128 是能通过银行卡号校验（Luhn）的号码，没有「覆盖: 是」不能登记",
            OVERRIDE_FIX,
        )
    ]
    write_county(root, {"public-numbers.yml": _public(entry + "    覆盖: 是\n"), **body})
    with caplog.at_level(logging.WARNING, logger="gongkai.guard.allow"):
        assert _errors(root) == []
    assert caplog.messages == [f"public-numbers.yml 第 2 行的「覆盖: 是」放行了号码 622202*********0128：{GDLB}"]


def test_a_valid_id_cannot_be_registered_without_an_override(tmp_path):
    entry = f'  - 号码: "{ID_NUMBER}"\n    位置: [{GDLB}]\n    理由: 示例\n'
    root = write_county(tmp_path, {"public-numbers.yml": _public(entry)})
    assert _errors(root) == [
        Problem(
            "public-numbers.yml",
            2,
            "覆盖",
            "号码 340123********1234 是有效的身份证号，没有「覆盖: 是」不能登记",
            OVERRIDE_FIX,
        )
    ]


def test_a_number_must_be_quoted(tmp_path):
    entry = f"  - 号码: {TREASURY}\n    位置: [{GDLB}]\n    理由: 县财政局国库存款账户\n"
    root = write_county(tmp_path, {"public-numbers.yml": _public(entry)})
    assert _errors(root) == [Problem("public-numbers.yml", 2, "号码", "号码没有加引号", QUOTE_FIX)]


CASE_PATTERN = """\
编号规则:
  - 名称: 办件编号
    模式: "341722 YYYYMMDD NNNN"
    位置: [content/documents/]
    理由: 政务服务办件编号：区划代码 + 受理日期 + 4 位序号
"""


def test_case_numbers_pass_by_their_declared_pattern(tmp_path):
    cases = "办件编号 341722202603050012、341722202611210107 已办结。"
    root = write_county(tmp_path, {GDLB: gdlb(cases)})
    assert {p.message for p in _errors(root)} == {
        "发现未遮盖的身份证号 341722********0012",
        "发现未遮盖的身份证号 341722********0107",
    }
    write_county(root, {"public-numbers.yml": CASE_PATTERN, GDLB: gdlb(cases)})
    assert _errors(root) == []


def test_no_pattern_lets_a_valid_id_through_and_an_id_shaped_one_takes_no_override(tmp_path):
    # Issue 13: with 覆盖: 是 an ID-shaped 编号规则 published a resident's ID number (341799195907210498).
    from personal import id18

    number = id18("34172220260305001")
    root = write_county(tmp_path, {"public-numbers.yml": CASE_PATTERN, GDLB: gdlb(f"办件编号 {number}。")})
    assert [p.message for p in _errors(root)] == ["发现未遮盖的身份证号 341722********" + number[-4:]]
    resident = "341799195907210498"
    pattern = CASE_PATTERN.replace("341722", "341799") + "    覆盖: 是\n"
    write_county(root, {"public-numbers.yml": pattern, GDLB: gdlb(f"办件编号 {resident}。")})
    assert [(p.line, p.field, p.message, p.fix) for p in _errors(root)] == [
        (16, "", "发现未遮盖的身份证号 341799********0498", FIX),
        (
            6,
            "覆盖",
            "编号规则「办件编号」的形状与身份证号相同（6 位地区码 + 出生日期 + 顺序码），可能与居民的身份证号重合，"
            "加「覆盖: 是」会把居民的身份证号当作编号公开",
            ID_SHAPE_FIX,
        ),
    ]
    from gongkai.guard.allow import load_allowance
    from gongkai.guard.patterns import Found

    allowance, _ = load_allowance(root, None, validate=False)
    assert not allowance.in_outputs(Found("身份证号", resident))  # and the build never lets it through either
    assert allowance.in_outputs(Found("身份证号", "341799202603050012"))  # a case number (wrong check character)


@pytest.mark.parametrize(
    ("pattern", "shaped"),
    [
        ("341722 YYYYMMDD NNNN", True),
        ("341722 NNNNNNNN NNNN", True),
        ("341722 2026 NNNN NNNN", True),
        ("341722 NNNNNN NNN", True),  # an old 15-digit ID's shape
        ("991722 YYYYMMDD NNNN", False),  # no province 99
        ("341722 YYYYMMDD NNNNN", False),  # 19 digits
        ("341722 2026 13NN NNNN", False),  # month 13
        ("110000 NNNN NNNN NNNNN", False),
    ],
)
def test_id_shaped_patterns(pattern, shaped):
    from gongkai.guard.allow import id_shaped

    assert id_shaped(pattern) is shaped


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (
            "NNNN YYYYMMDD NNNNNN",
            "模式「NNNN YYYYMMDD NNNNNN」只有 0 位照写的数字，至少要 6 位（如行政区划代码），否则会放过太多号码",
        ),
        ("341722 YYYYMMDD NNNNNNNNNN", "模式「341722 YYYYMMDD NNNNNNNNNN」共 24 位，应为 11 到 19 位"),
        ("341722 年月日", "模式「341722 年月日」中有不认识的字符"),
    ],
)
def test_a_pattern_that_would_let_too_much_through_is_refused(tmp_path, pattern, message):
    root = write_county(tmp_path, {"public-numbers.yml": CASE_PATTERN.replace("341722 YYYYMMDD NNNN", pattern)})
    assert [(p.line, p.field, p.message) for p in _errors(root)] == [(3, "模式", message)]


# --- build --------------------------------------------------------------------------------------


def test_build_refuses_first_and_publishes_nothing(tmp_path, capsys):
    root = write_county(tmp_path, {GDLB: gdlb("联系人手机：１３８ １２３４ ５６７８。")})
    assert main(["build", str(root), "--today", str(TODAY), "-q"]) == 1
    err = capsys.readouterr().err
    assert f"{GDLB} 第 16 行：发现未遮盖的手机号 138****5678。{FIX}。" in err
    assert not (root / "site").exists()
    assert not staging_leftovers(root)


def test_a_workbook_is_read_by_row(tmp_path):
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "发放明细"
    book.active.append(["户主姓名", "村民小组", "身份证号", "数量", "标准", "金额", "发放日期", "备注"])
    book.active.append(
        ["王秀兰", "第一村民组", "341722********0317", 5.2, 110, 572, "2026-06-30", "电话 138 1234 5678"]
    )
    out = io.BytesIO()
    book.save(out)
    xlsx = "villages/chengguan/shangxi/payouts/2026-gdlb.xlsx"
    payout = "villages/chengguan/shangxi/payouts/2026-gdlb.yml"
    root = write_county(tmp_path, {PAYOUTS: None, xlsx: out.getvalue()})
    (root / payout).write_text((root / payout).read_text(encoding="utf-8").replace(".csv", ".xlsx"), encoding="utf-8")
    assert _errors(root) == [_raw(xlsx, 2, "手机号 138****5678（工作表「发放明细」）")]


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("13_800_000_605", "手机号 138****0605"),
        ("0x336A8F3A6", "手机号 138****3974"),  # 13801943974
        ("!!int 13_800_000_605", "手机号 138****0605"),
        ("1.3800000605e+10", "手机号 138****0605"),  # printed 13800000605.0
    ],
)
def test_a_yaml_integer_is_read_as_the_page_prints_it(tmp_path, value, what):
    root = write_county(tmp_path, {GDLB: gdlb("正文。").replace("目录事项:", f"备注: {value}\n目录事项:", 1)})
    line = next(i for i, text in enumerate((root / GDLB).read_text(encoding="utf-8").split("\n"), 1) if "备注" in text)
    found = {(p.line, p.message.removesuffix("（YAML 数值）")) for p in scan_sources(root, None)}
    assert (line, f"发现未遮盖的{what}") in found


def test_locating_numbers_found_in_the_same_file_does_not_crash(tmp_path):
    from gongkai.guard import locate

    (tmp_path / "county.yml").write_text("a: [13_800_000_605]\nb: x13800000606x 13800000607\n", encoding="utf-8")
    wanted = {"13800000605", "13800000606", "13800000607"}
    places = locate(tmp_path, wanted)
    assert places == {
        "13800000605": ("county.yml", 1, "YAML 数值"),
        "13800000606": ("county.yml", 2, ""),
        "13800000607": ("county.yml", 2, ""),
    }


def test_an_unchanged_source_is_not_read_again_and_a_changed_one_is(tmp_path, monkeypatch):
    """The source scan takes an unchanged file by its identity (sources-seen.bin); a file written in place
    with its size and modification time kept (the change time moves) is read and found."""
    import os
    import time

    from gongkai import cachefile
    from gongkai.guard import sources

    monkeypatch.setattr(cachefile, "SETTLED_NS", 0)  # the files just written count as settled
    root = write_county(tmp_path)
    scan_sources(root, None)
    read: list[str] = []
    original = sources._scan_files
    monkeypatch.setattr(
        sources, "_scan_files", lambda files, *a: read.extend(Path(f).name for f, _ in files) or original(files, *a)
    )
    assert not [p for p in scan_sources(root, None) if not p.warning]
    assert read == []
    guide = root / GUIDE
    before = guide.stat()
    time.sleep(0.05)  # past a tick of the file system's clock
    data = f"手机 {MOBILE}\n".encode()
    guide.write_bytes(data + b" " * (before.st_size - len(data)))  # the same size
    os.utime(guide, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert guide.stat().st_size == before.st_size
    found = [p for p in scan_sources(root, None) if not p.warning]
    assert read == [guide.name]
    assert [(p.path, p.message) for p in found] == [(GUIDE, f"发现未遮盖的手机号 {MOBILE[:3]}****{MOBILE[-4:]}")]
    time.sleep(0.05)
    assert [p for p in scan_sources(root, None) if not p.warning] == found  # what it holds, kept by identity
    assert read == [guide.name]


def test_a_first_check_of_many_sources_scans_them_on_worker_processes_with_the_same_findings(tmp_path, monkeypatch):
    """From _PARALLEL_FROM unknown files on (a county's first check: 20 000) the source scan reads them on worker
    processes: every leak, active attachment and unreadable file is still found, located and in path order, exactly
    as scanned in the process itself; a workbook's numbers are still located by row."""
    from files import raw_pdf

    from gongkai.guard import sources

    root = write_county(tmp_path)
    notes = root / "content" / "xxgk" / "notes"
    notes.mkdir(parents=True)
    many = 2 * sources._PARALLEL_FROM
    for i in range(many):
        leak = f"联系电话 {MOBILE}\n" if i % 25 == 3 else ""
        (notes / f"n{i:03d}.md").write_text(f"# 说明 {i}\n\n第 {i} 条。\n{leak}", encoding="utf-8")
    (notes / "attachment.pdf").write_bytes(raw_pdf(catalog="/OpenAction << /S /JavaScript /JS (x) >>"))
    (notes / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00" * 64)
    book = openpyxl.Workbook()
    book.active.append(["姓名", "电话"])
    book.active.append(["王秀兰", MOBILE])
    book.save(notes / "list.xlsx")

    def found() -> list[tuple[str, int | None, str]]:
        return [(p.path, p.line, p.message) for p in scan_sources(root, None) if not p.warning]

    pooled = found()
    shutil.rmtree(root / ".cache")
    monkeypatch.setattr(sources, "_PARALLEL_FROM", 10**9)
    alone = found()
    assert pooled == alone
    paths = [path for path, _, _ in pooled]
    assert paths == sorted(paths, key=lambda path: path.split("/"))
    assert {f"content/xxgk/notes/n{i:03d}.md" for i in range(3, many, 25)} <= set(paths)
    assert any(p == "content/xxgk/notes/attachment.pdf" and "脚本" in m for p, _, m in pooled)
    assert any(p == "content/xxgk/notes/broken.pdf" and "无法完整读取" in m for p, _, m in pooled)
    assert ("content/xxgk/notes/list.xlsx", 2) in {(p, line) for p, line, _ in pooled}
