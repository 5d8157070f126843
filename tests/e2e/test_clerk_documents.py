"""A clerk's week: a policy with an attachment, its 解读, a late 解读, an abolished normative document —
and what the site, the checks and the exports say about each step."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import openpyxl

from gongkai.commands.cli import main

from kit import blank_pdf, document, write_county

TODAY = "2026-03-12"
POLICY = "11341700MB1714830K/202603-00010"
POLICY_PATH = "content/documents/2026/btbf.md"

FORM = blank_pdf()  # the application form attached to the policy


def _policy(**extra: str) -> str:
    fields = "".join(
        f"{k}: {v}\n"
        for k, v in {
            "目录事项": "耕地地力保护",
            "附件": "[btbf-sqb.pdf]",
            "统一登记号": "CSDR-2026-0010001",
            **extra,
        }.items()
    )
    return document("测试县耕地地力保护补贴管理办法", POLICY, "2026-03-02", kind="行政规范性文件", extra=fields)


def _interpretation(title: str, target: str, published: str, index: str) -> str:
    return document(title, index, published, kind="政策解读", extra=f"解读对象: {target}\n")


def _run(root: Path, capsys, *args: str) -> tuple[int, str]:
    code = main([*args, str(root), "--today", TODAY, *(["-q"] if args[0] == "build" else [])])
    return code, capsys.readouterr().err


def _text(path: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))


def test_a_clerks_week(tmp_path, capsys):
    root = write_county(tmp_path, {POLICY_PATH: _policy(), "content/documents/2026/btbf-sqb.pdf": FORM})
    site = root / "site"

    # Monday: the policy goes up with its application form; the check asks for its 解读.
    code, err = _run(root, capsys, "build")
    assert code == 0
    assert (
        "警告：content/documents/2026/btbf.md 第 10 行，字段「组配分类」：行政规范性文件没有政策解读。"
        "请发布解读，并在解读的「解读对象」中写本文件的索引号。"
    ) in err
    page = _text(site / "documents/2026/btbf/index.html")
    assert "目录事项 农业生产发展资金 / 耕地地力保护" in page
    assert "附件 btbf-sqb （PDF，1 KB）" in page  # no 名称 given: the file name without its extension
    assert (site / "documents/2026/btbf/btbf-sqb.pdf").read_bytes() == FORM
    assert not (site / "documents/2026/btbf-sqb.pdf").exists()  # published beside its page only
    domain = _text(site / "jcgk/snbt/index.html")
    assert "测试县2026年耕地地力保护补贴实施方案 测试县耕地地力保护补贴管理办法" in domain

    # Wednesday: its 解读, two working days later, is in time; both pages link each other.
    (root / "content/documents/2026/btbf-jd.md").write_text(
        _interpretation(
            "《测试县耕地地力保护补贴管理办法》解读", POLICY, "2026-03-04", "11341700MB1714830K/202603-00011"
        ),
        encoding="utf-8",
    )
    code, err = _run(root, capsys, "check")
    assert code == 0 and "btbf.md" not in err and "检查通过：5 份文件，没有发现问题。" in err

    # A 解读 of last week's plan, published five working days after it, is flagged.
    (root / "content/documents/2026/gdlb-jd2.md").write_text(
        _interpretation(
            "图解：耕地地力保护补贴", "11341700MB1714830K/202603-00001", "2026-03-12", "11341700MB1714830K/202603-00012"
        ),
        encoding="utf-8",
    )
    code, err = _run(root, capsys, "check")
    assert code == 0
    assert (
        "警告：content/documents/2026/gdlb-jd2.md 第 7 行，字段「发布日期」：政策解读比所解读的文件晚 5 个工作日发布"
        "（文件 2026-03-05，解读 2026-03-12）。解读应与文件同步发布，最迟不超过 3 个工作日。"
    ) in err
    assert main(["check", str(root), "--today", TODAY, "--strict"]) == 1
    capsys.readouterr()

    # An old normative document is abolished: it leaves the list in force and its exports.
    old = document(
        "测试县农机购置补贴暂行办法",
        "11341700MB1714830K/202401-00001",
        "2024-01-10",
        kind="行政规范性文件",
        extra="有效性: 废止\n",
        written="2024-01-05",
    )
    (root / "content/documents/2024/njgz.md").parent.mkdir(parents=True)
    (root / "content/documents/2024/njgz.md").write_text(old, encoding="utf-8")
    (root / "content/documents/2026/gdlb-jd2.md").unlink()
    code, err = _run(root, capsys, "build")
    assert code == 0, err
    normative = _text(site / "xxgk/gfxwj/index.html")
    assert "截至 2026年3月12日" in normative
    assert (
        "现行有效（1 件） 现行有效的行政规范性文件 序号 文件名称 文号 统一登记号 制定机关 成文日期 施行日期 有效期至 状态 解读 "
        "1 测试县耕地地力保护补贴管理办法 测政办〔2026〕12号 CSDR-2026-0010001 测试县人民政府办公室 2026-03-01 "
        "2026-03-02 2031-03-01 有效 《测试县耕地地力保护补贴管理办法》解读"
    ) in normative
    assert "测试县农机购置补贴暂行办法" in normative.split("已废止（1 件）")[1]
    in_force = list(csv.reader(io.StringIO((site / "xxgk/gfxwj/list.csv").read_text(encoding="utf-8-sig"))))
    assert [row[1] for row in in_force[1:]] == ["测试县耕地地力保护补贴管理办法"]
    book = openpyxl.load_workbook(site / "xxgk/gfxwj/list.xlsx")
    assert book.sheetnames == ["现行有效", "已废止", "已失效"]
    assert "测试县农机购置补贴暂行办法" in [c.value for c in book["已废止"]["B"]]
    records = json.loads((site / "data/documents.json").read_text(encoding="utf-8"))["记录"]
    assert {r["标题"]: r["目录事项"] for r in records}[
        "测试县耕地地力保护补贴管理办法"
    ] == "农业生产发展资金 / 耕地地力保护"
    catalog = (site / "jcgk/snbt/catalog.csv").read_text(encoding="utf-8-sig").splitlines()
    assert catalog[0].startswith("序号,公开事项,,公开内容（要素）")

    # The form is renamed on disk but not in the source: the build stops and the site stays as it was.
    (root / "content/documents/2026/btbf-sqb.pdf").rename(root / "content/documents/2026/form.pdf")
    before = (site / "index.html").read_bytes()
    code, err = _run(root, capsys, "build")
    assert code == 1
    assert (
        "content/documents/2026/btbf.md 第 14 行，字段「附件」：找不到附件「btbf-sqb.pdf」。"
        "请把附件放到 content/documents/2026/ 中，或改正文件名。"
    ) in err
    assert (site / "index.html").read_bytes() == before
