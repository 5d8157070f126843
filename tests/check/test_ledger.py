"""The 索引号 ledger: loading with row numbers, and the checks against it and against the template."""

import datetime as dt
from pathlib import Path

import pytest

from gongkai.check.ledger import check_ledger
from gongkai.errors import SourceErrors
from gongkai.link.indexno import BadTemplate, IndexParts, compile_template, format_index, parse_index
from gongkai.load import load_county
from gongkai.load.ledger import format_ledger
from gongkai.model.ledger import LedgerEntry

from kit import COUNTY_YML, document, write_county

CODE = "11341700MB1714830K"
FIRST, SECOND, THIRD = f"{CODE}/202604-00001", f"{CODE}/202604-00002", f"{CODE}/202604-00003"
NEW, OLD = "content/documents/2026/new.md", "content/documents/2026/old.md"
LEDGER = (
    "索引号,文件,分配日期\n"
    f"{FIRST},content/documents/2026/a.md,2026-04-10\n"
    f"{SECOND},content/documents/2026/b.md,2026-04-11\n"
)


def _new(index_no: str) -> str:
    """A new document published on 2026-04-10."""
    return document("新文件", index_no, "2026-04-10")


def _kit_ledger(tmp_path: Path, *rows: str) -> str:
    """A ledger registering every document of the kit county, plus these rows."""
    county = load_county(write_county(tmp_path / "kit"))
    entries = [
        LedgerEntry(index_no=doc.index_no or "", path=doc.origin.path, assigned=doc.published)
        for doc in county.documents
    ]
    return format_ledger(entries) + "".join(f"{row}\n" for row in rows)


def _problems(tmp_path: Path, changes: dict[str, str | None], *rows: str) -> list[str]:
    """The ledger checks' problems, with a ledger of the kit's documents and these rows."""
    changes = {"index-ledger.csv": _kit_ledger(tmp_path, *rows), **changes}
    return [str(p) for p in check_ledger(load_county(write_county(tmp_path / "county", changes)))]


def _unledgered(tmp_path: Path, text: str) -> list[str]:
    """The ledger checks' problems of a new document, in a county without a ledger."""
    return [str(p) for p in check_ledger(load_county(write_county(tmp_path, {NEW: text})))]


def _load_errors(tmp_path: Path, ledger: str) -> list[str]:
    with pytest.raises(SourceErrors) as caught:
        load_county(write_county(tmp_path, {"index-ledger.csv": ledger}))
    return [str(p) for p in caught.value.problems]


def test_ledger_loads_with_row_numbers(tmp_path):
    county = load_county(write_county(tmp_path, {"index-ledger.csv": LEDGER}))
    assert county.ledger == (
        LedgerEntry(index_no=FIRST, path="content/documents/2026/a.md", assigned=dt.date(2026, 4, 10)),
        LedgerEntry(index_no=SECOND, path="content/documents/2026/b.md", assigned=dt.date(2026, 4, 11)),
    )
    assert [entry.origin.line for entry in county.ledger] == [2, 3]


def test_missing_ledger_is_empty_and_clean(county_dir):
    county = load_county(county_dir)
    assert county.ledger == ()
    assert list(check_ledger(county)) == []


def test_registered_county_is_clean(tmp_path):
    assert _problems(tmp_path, {}) == []


def test_malformed_ledger_rows(tmp_path):
    ledger = LEDGER + f"{THIRD},content/documents/2026/c.md\n{CODE}/202604-00004,content/documents/2026/d.md,2026-4-7\n"
    assert _load_errors(tmp_path, ledger) == [
        "index-ledger.csv 第 4 行：应有 3 列（索引号,文件,分配日期），实际有 2 列。请恢复原样；登记簿由 gongkai index assign 维护，不要手工修改。",
        "index-ledger.csv 第 5 行，字段「分配日期」：日期「2026-4-7」格式不对。应写成 YYYY-MM-DD，例如 2025-03-05。",
    ]


def test_ledger_with_a_wrong_header(tmp_path):
    assert _load_errors(tmp_path, LEDGER.replace("分配日期", "日期")) == [
        "index-ledger.csv 第 1 行：第一行应为表头「索引号,文件,分配日期」。请恢复原样；登记簿由 gongkai index assign 维护，不要手工修改。",
    ]


def test_ledger_giving_a_number_twice_or_a_file_two_numbers(tmp_path):
    ledger = (
        LEDGER + f"{FIRST},content/documents/2026/c.md,2026-04-12\n{THIRD},content/documents/2026/a.md,2026-04-12\n"
    )
    assert _load_errors(tmp_path, ledger) == [
        "index-ledger.csv 第 4 行，字段「索引号」：索引号「11341700MB1714830K/202604-00001」在第 2 行已登记。请删除重复的一行。",
        "index-ledger.csv 第 5 行，字段「文件」：content/documents/2026/a.md 在第 2 行已登记索引号「11341700MB1714830K/202604-00001」。"
        "每个文件只有一个索引号：请保留文件中实际使用的那一个，删除另一行。",
    ]


def test_changed_number(tmp_path):
    assert _problems(tmp_path, {NEW: _new(SECOND)}, f"{FIRST},{NEW},2026-04-10") == [
        "content/documents/2026/new.md 第 3 行，字段「索引号」：索引号被改动：登记为「11341700MB1714830K/202604-00001」，"
        "现在是「11341700MB1714830K/202604-00002」。索引号一经分配不得改动，请改回「11341700MB1714830K/202604-00001」。",
    ]


def test_removed_number(tmp_path):
    removed = _new("").replace("索引号: \n", "")
    assert _problems(tmp_path, {NEW: removed}, f"{FIRST},{NEW},2026-04-10") == [
        "content/documents/2026/new.md 第 2 行，字段「索引号」：索引号被改动：登记为「11341700MB1714830K/202604-00001」，"
        "现在没有写。索引号一经分配不得改动，请改回「11341700MB1714830K/202604-00001」。",
    ]


def test_number_of_a_deleted_file_is_not_reused(tmp_path):
    assert _problems(tmp_path, {NEW: _new(FIRST)}, f"{FIRST},{OLD},2026-04-10") == [
        "content/documents/2026/new.md 第 3 行，字段「索引号」：索引号「11341700MB1714830K/202604-00001」已分配给 "
        "content/documents/2026/old.md，不能重复使用。删除本文件的索引号，运行 gongkai index assign 重新分配。",
    ]


def test_unregistered_number_is_a_warning(tmp_path):
    root = write_county(tmp_path / "county", {"index-ledger.csv": _kit_ledger(tmp_path), NEW: _new(FIRST)})
    assert [(str(p), p.warning) for p in check_ledger(load_county(root))] == [
        (
            "警告：content/documents/2026/new.md 第 3 行，字段「索引号」：索引号未登记。运行 gongkai index assign 登记。",
            True,
        ),
    ]


def test_unregistered_is_not_reported_without_a_ledger(tmp_path):
    assert _unledgered(tmp_path, _new(FIRST)) == []


def test_number_that_does_not_fit_the_template(tmp_path):
    assert _unledgered(tmp_path, _new("QX-2026-3")) == [
        "警告：content/documents/2026/new.md 第 3 行，字段「索引号」：索引号「QX-2026-3」不符合索引号模板「{机构代码}/{年月}-{序号:05d}」，"
        "应形如「11341700MB1714830K/202604-00001」。删除本文件的索引号，运行 gongkai index assign 重新分配。",
    ]


def test_number_of_another_agency(tmp_path):
    assert _unledgered(tmp_path, _new("11341700MB1714849G/202604-00001")) == [
        "警告：content/documents/2026/new.md 第 3 行，字段「索引号」：索引号中的机构代码「11341700MB1714849G」不是"
        "测试县人民政府办公室的统一社会信用代码「11341700MB1714830K」。删除本文件的索引号，运行 gongkai index assign 重新分配。",
    ]


def test_number_of_another_month(tmp_path):
    assert _unledgered(tmp_path, _new(f"{CODE}/202603-00101")) == [
        "警告：content/documents/2026/new.md 第 3 行，字段「索引号」：索引号中的年月「202603」与发布日期 2026-04-10 不符，"
        "应为「202604」。删除本文件的索引号，运行 gongkai index assign 重新分配。",
    ]


def test_number_of_another_year_with_a_yearly_template(tmp_path):
    config = COUNTY_YML + '索引号模板: "{机构代码}-{年}-{序号:04d}"\n'
    root = write_county(tmp_path, {"county.yml": config, NEW: _new(f"{CODE}-2025-0001")})
    problems = [str(p) for p in check_ledger(load_county(root)) if p.path == NEW]
    assert problems == [
        "警告：content/documents/2026/new.md 第 3 行，字段「索引号」：索引号中的年份「2025」与发布日期 2026-04-10 不符，"
        "应为「2026」。删除本文件的索引号，运行 gongkai index assign 重新分配。",
    ]


def test_registered_number_is_not_judged_by_the_template(tmp_path):
    assert _problems(tmp_path, {NEW: _new("QX-2026-3")}, f"QX-2026-3,{NEW},2026-04-10") == []


def test_bad_template(tmp_path):
    line = COUNTY_YML.count("\n") + 1
    root = write_county(tmp_path, {"county.yml": COUNTY_YML + '索引号模板: "{机构代码}/{年月}"\n'})
    assert [str(p) for p in check_ledger(load_county(root))] == [
        f"county.yml 第 {line} 行，字段「索引号模板」：索引号模板中没有 {{序号}}。模板必须含有 {{序号}}，例如 {{机构代码}}/{{年月}}-{{序号:05d}}。",
    ]


@pytest.mark.parametrize(
    ("template", "value", "parts"),
    [
        ("{机构代码}/{年月}-{序号:05d}", f"{CODE}/202603-00012", IndexParts(CODE, 2026, 3, 12)),
        ("{机构代码}/{年月}-{序号:05d}", f"{CODE}/202603-123456", IndexParts(CODE, 2026, 3, 123456)),
        ("{机构代码}/{年月}-{序号:05d}", f"{CODE}/202603-012", None),
        ("{机构代码}/{年月}-{序号:05d}", f"{CODE}/202603-000012", None),
        ("{机构代码}/{年月}-{序号:05d}", f"{CODE}/202613-00012", None),
        ("{机构代码}/{年月}-{序号:05d}", f"{CODE.lower()}/202603-00012", None),
        ("{机构代码}/{年}-{序号}", f"{CODE}/2026-7", IndexParts(CODE, 2026, None, 7)),
        ("{机构代码}/{年}-{序号}", f"{CODE}/2026-07", None),
        ("QX{年月}{序号:04d}", "QX2026030012", IndexParts(None, 2026, 3, 12)),
        ("{序号:d}", "12", IndexParts(None, None, None, 12)),
    ],
)
def test_parse_index(template, value, parts):
    assert parse_index(template, value) == parts


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{机构代码}/{年月}-{序号:05d}", f"{CODE}/202603-00012"),
        ("{机构代码}/{年}-{序号}", f"{CODE}/2026-12"),
        ("QX-{年月}-{序号:03d}", "QX-202603-012"),
    ],
)
def test_format_index(template, expected):
    assert format_index(template, CODE, dt.date(2026, 3, 5), 12) == expected
    assert parse_index(template, expected) is not None


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{机构代码}/{年月}", "索引号模板中没有 {序号}"),
        ("{机构}/{序号}", "索引号模板中的「{机构}」无法识别"),
        ("{序号:5d}", "索引号模板中的「{序号:5d}」无法识别"),
        ("{年}-{序号}-{序号}", "索引号模板中「{序号}」出现了不止一次"),
        ("{年-{序号}", "索引号模板「{年-{序号}」中的花括号不成对"),
    ],
)
def test_bad_templates(template, message):
    with pytest.raises(BadTemplate) as caught:
        compile_template(template)
    assert caught.value.message == message
