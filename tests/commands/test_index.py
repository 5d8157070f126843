"""`gongkai index assign`: numbers written into sources byte for byte, the ledger, and the checks after it."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from gongkai.check.ledger import check_ledger
from gongkai.commands.index import add_parser
from gongkai.errors import SourceErrors
from gongkai.load import load_county

from kit import county_files, document, write_county

OFFICE, FARMING = "11341700MB1714830K", "11341700MB1714849G"
DOCS = "content/documents/2026"
TODAY = "2026-11-26"


def _unnumbered(title: str, published: str, agency: str = "测试县人民政府办公室") -> str:
    """A document source without 索引号."""
    return document(title, "", published).replace("索引号: \n", "").replace("测试县人民政府办公室", agency)


def _county(tmp_path: Path, documents: dict[str, str | None]) -> Path:
    """The kit county with its documents replaced by these."""
    kit_documents = {name: None for name in county_files() if name.startswith("content/documents/")}
    return write_county(tmp_path, {**kit_documents, **documents})


SOURCES = {
    f"{DOCS}/a.md": document("已有索引号的文件", f"{OFFICE}/202603-00007", "2026-03-05"),
    f"{DOCS}/b.md": _unnumbered("三月十日的文件", "2026-03-10"),
    f"{DOCS}/c.md": _unnumbered("三月八日的文件", "2026-03-08"),
    f"{DOCS}/d.md": _unnumbered("农业农村局的文件", "2026-03-08", "测试县农业农村局"),
    f"{DOCS}/e.md": _unnumbered("四月的文件", "2026-04-01"),
}
LEDGER = f"""\
索引号,文件,分配日期
{OFFICE}/202603-00007,{DOCS}/a.md,2026-11-26
{OFFICE}/202603-00008,{DOCS}/c.md,2026-11-26
{OFFICE}/202603-00009,{DOCS}/b.md,2026-11-26
{OFFICE}/202604-00001,{DOCS}/e.md,2026-11-26
{FARMING}/202603-00001,{DOCS}/d.md,2026-11-26
"""
SUMMARY = f"""\
已分配 4 个索引号，已登记 1 个已有的索引号。
  分配 {DOCS}/c.md：{OFFICE}/202603-00008
  分配 {DOCS}/d.md：{FARMING}/202603-00001
  分配 {DOCS}/b.md：{OFFICE}/202603-00009
  分配 {DOCS}/e.md：{OFFICE}/202604-00001
  登记 {DOCS}/a.md：{OFFICE}/202603-00007
index-ledger.csv 共 5 个索引号。
"""


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="gongkai")
    add_parser(parser.add_subparsers(required=True))
    args = parser.parse_args(["index", "assign", *argv])
    return int(args.run(args))


def _with_index(source: str, title: str, index_no: str) -> str:
    return source.replace(f"标题: {title}\n", f"标题: {title}\n索引号: {index_no}\n", 1)


def _snapshot(root: Path) -> dict[str, bytes]:
    """The project's files, its caches left out (loading may fill .cache/load; no source is written)."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.relative_to(root).parts[0] != ".cache"
    }


def _check(root: Path) -> list[str]:
    return [str(p) for p in check_ledger(load_county(root))]


def test_assign_numbers_documents_and_writes_the_ledger(tmp_path, capsys):
    root = _county(tmp_path, dict(SOURCES))
    assert _run(str(root), "--today", TODAY) == 0
    assert capsys.readouterr().out == SUMMARY
    assert (root / "index-ledger.csv").read_bytes() == LEDGER.encode("utf-8")
    assert (root / f"{DOCS}/a.md").read_text(encoding="utf-8") == SOURCES[f"{DOCS}/a.md"]
    assert (root / f"{DOCS}/c.md").read_text(encoding="utf-8") == _with_index(
        SOURCES[f"{DOCS}/c.md"], "三月八日的文件", f"{OFFICE}/202603-00008"
    )
    assert (root / f"{DOCS}/d.md").read_text(encoding="utf-8") == _with_index(
        SOURCES[f"{DOCS}/d.md"], "农业农村局的文件", f"{FARMING}/202603-00001"
    )
    assert "\n标题: 三月十日的文件\n索引号: 11341700MB1714830K/202603-00009\n文号:" in (
        root / f"{DOCS}/b.md"
    ).read_text(encoding="utf-8")
    assert _check(root) == []


def test_second_run_assigns_nothing(tmp_path, capsys):
    root = _county(tmp_path, dict(SOURCES))
    _run(str(root), "--today", TODAY)
    before = _snapshot(root)
    capsys.readouterr()
    assert _run(str(root), "--today", "2026-12-01") == 0
    assert capsys.readouterr().out == "没有需要分配或登记的索引号（index-ledger.csv 共 5 个）。\n"
    assert _snapshot(root) == before


def test_dry_run_writes_nothing(tmp_path, capsys):
    root = _county(tmp_path, dict(SOURCES))
    before = _snapshot(root)
    assert _run(str(root), "--today", TODAY, "--dry-run") == 0
    out = capsys.readouterr().out
    assert out.startswith("将分配 4 个索引号，将登记 1 个已有的索引号。\n")
    assert out.endswith("试运行，没有修改任何文件。\n")
    assert _snapshot(root) == before


def test_sequence_continues_after_the_ledger_and_never_reuses_it(tmp_path):
    ledger = f"索引号,文件,分配日期\n{OFFICE}/202603-00007,{DOCS}/a.md,2026-03-05\n{OFFICE}/202603-00011,{DOCS}/gone.md,2026-03-06\n"
    root = _county(
        tmp_path,
        {
            "index-ledger.csv": ledger,
            f"{DOCS}/a.md": SOURCES[f"{DOCS}/a.md"],
            f"{DOCS}/n.md": _unnumbered("新文件", "2026-03-20"),
        },
    )
    _run(str(root), "--today", TODAY)
    assert (root / "index-ledger.csv").read_text(
        encoding="utf-8"
    ) == ledger + f"{OFFICE}/202603-00012,{DOCS}/n.md,{TODAY}\n"


def test_crlf_source_with_bom_keeps_its_bytes(tmp_path):
    source = "\ufeff" + _unnumbered("新文件", "2026-03-20").replace("\n", "\r\n")
    root = _county(tmp_path, {f"{DOCS}/n.md": source.encode("utf-8")})
    _run(str(root), "--today", TODAY)
    expected = source.replace("标题: 新文件\r\n", f"标题: 新文件\r\n索引号: {OFFICE}/202603-00001\r\n")
    assert (root / f"{DOCS}/n.md").read_bytes() == expected.encode("utf-8")


def test_title_on_several_lines(tmp_path):
    source = _unnumbered("新文件", "2026-03-20").replace(
        "标题: 新文件\n", "标题: >-\n  关于做好\n  低保年审工作的通知\n"
    )
    root = _county(tmp_path, {f"{DOCS}/n.md": source})
    _run(str(root), "--today", TODAY)
    expected = source.replace("  低保年审工作的通知\n", f"  低保年审工作的通知\n索引号: {OFFICE}/202603-00001\n")
    assert (root / f"{DOCS}/n.md").read_text(encoding="utf-8") == expected
    doc = load_county(root).documents[0]
    assert (doc.title, doc.index_no) == ("关于做好 低保年审工作的通知", f"{OFFICE}/202603-00001")


def test_assign_refuses_a_reused_number(tmp_path):
    ledger = f"索引号,文件,分配日期\n{OFFICE}/202603-00007,{DOCS}/gone.md,2026-03-05\n"
    root = _county(tmp_path, {"index-ledger.csv": ledger, **SOURCES})
    before = _snapshot(root)
    with pytest.raises(SourceErrors) as caught:
        _run(str(root), "--today", TODAY)
    assert [str(p) for p in caught.value.problems] == [
        "content/documents/2026/a.md 第 3 行，字段「索引号」：索引号「11341700MB1714830K/202603-00007」已分配给 "
        "content/documents/2026/gone.md，不能重复使用。删除本文件的索引号，运行 gongkai index assign 重新分配。",
    ]
    assert _snapshot(root) == before


def test_assign_refuses_duplicates_and_unknown_agencies(tmp_path):
    root = _county(
        tmp_path,
        {
            f"{DOCS}/a.md": SOURCES[f"{DOCS}/a.md"],
            f"{DOCS}/copy.md": document("副本", f"{OFFICE}/202603-00007"),
            f"{DOCS}/n.md": _unnumbered("新文件", "2026-03-20", "不存在的局"),
        },
    )
    with pytest.raises(SourceErrors) as caught:
        _run(str(root), "--today", TODAY)
    assert [str(p) for p in caught.value.problems] == [
        "content/documents/2026/copy.md 第 3 行，字段「索引号」：索引号「11341700MB1714830K/202603-00007」与 "
        "content/documents/2026/a.md 重复。删除本文件的索引号，运行 gongkai index assign 重新分配。",
        "content/documents/2026/n.md 第 2 行，字段「索引号」：发布机构「不存在的局」不在 county.yml 的发布机构列表中，无法生成索引号。"
        "请写列表中的全称或简称，或先在 county.yml 中添加这个机构。",
    ]


def test_changed_number_after_assign(tmp_path):
    root = _county(tmp_path, dict(SOURCES))
    _run(str(root), "--today", TODAY)
    path = root / f"{DOCS}/b.md"
    path.write_text(path.read_text(encoding="utf-8").replace("202603-00009", "202603-00010"), encoding="utf-8")
    assert _check(root) == [
        "content/documents/2026/b.md 第 3 行，字段「索引号」：索引号被改动：登记为「11341700MB1714830K/202603-00009」，"
        "现在是「11341700MB1714830K/202603-00010」。索引号一经分配不得改动，请改回「11341700MB1714830K/202603-00009」。",
    ]


def test_number_of_a_deleted_file_reused_after_assign(tmp_path):
    root = _county(tmp_path, dict(SOURCES))
    _run(str(root), "--today", TODAY)
    (root / f"{DOCS}/c.md").unlink()
    (root / f"{DOCS}/f.md").write_text(document("新文件", f"{OFFICE}/202603-00008", "2026-03-08"), encoding="utf-8")
    assert _check(root) == [
        "content/documents/2026/f.md 第 3 行，字段「索引号」：索引号「11341700MB1714830K/202603-00008」已分配给 "
        "content/documents/2026/c.md，不能重复使用。删除本文件的索引号，运行 gongkai index assign 重新分配。",
    ]


def test_unregistered_number_after_assign(tmp_path):
    root = _county(tmp_path, dict(SOURCES))
    _run(str(root), "--today", TODAY)
    (root / f"{DOCS}/g.md").write_text(document("新文件", f"{OFFICE}/202603-00010", "2026-03-20"), encoding="utf-8")
    assert _check(root) == [
        "警告：content/documents/2026/g.md 第 3 行，字段「索引号」：索引号未登记。运行 gongkai index assign 登记。",
    ]


def test_help_is_in_chinese(capsys):
    with pytest.raises(SystemExit):
        _run("--help")
    out = capsys.readouterr().out
    assert (
        "按发布日期顺序给没有索引号的文件分配下一个空闲的索引号" in out
        and "--dry-run" in out
        and "不修改任何文件" in out
    )
