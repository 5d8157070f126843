"""Loading a whole county: every file, every problem, with its place."""

from pathlib import Path

import pytest

from gongkai.errors import SourceErrors
from gongkai.load import load_county

from kit import PAYOUT_CSV, county_files, write_county


def _errors(root: Path) -> list[str]:
    with pytest.raises(SourceErrors) as caught:
        load_county(root)
    return [str(p) for p in caught.value.problems]


def test_small_county_loads(county_dir):
    county = load_county(county_dir)
    assert [d.slug for d in county.documents] == [
        "documents/2026/dbns",
        "documents/2026/gdlb-jd",
        "documents/2026/gdlb",
    ]
    assert county.payouts[0].rows[0].name == "王秀兰"
    assert county.villages[0].issuer == "上溪村民委员会"


APPLE_DOUBLE = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x02"
"""What a Mac writes beside each file it copies to a USB stick or a shared folder, as ._name."""


def test_hidden_files_and_folders_are_no_sources(tmp_path):
    """As MkDocs publishes none and git's tools hide them, no loader reads a hidden file or folder: a Mac's ._x.yml
    beside a catalogue, a desktop's .Trash-1000 among the villages, an editor's copy of a document. Each was read
    (a YAML error, a village without village.yml, a second document with the same 索引号)."""
    import datetime as dt

    from gongkai.commands.build import load_and_check
    from gongkai.commands.progress import Progress

    files = county_files()
    root = write_county(
        tmp_path,
        {
            "catalog/._snbt.yml": APPLE_DOUBLE,
            "content/documents/2026/.dbns.md": files["content/documents/2026/dbns.md"],
            "content/documents/.old/gdlb.md": files["content/documents/2026/gdlb.md"],
            "content/.notes.md": "# 草稿\n\n[还没写的页面](nowhere.md)\n",
            "villages/chengguan/.Trash-1000/files/village.yml": "名称: 回收站\n",
            "villages/chengguan/.shangxi/village.yml": files["villages/chengguan/shangxi/village.yml"],
            "villages/chengguan/shangxi/payouts/._2026-gdlb.yml": APPLE_DOUBLE,
            "reports/._2025.yml": APPLE_DOUBLE,
        },
    )
    county, warnings = load_and_check(root, dt.date(2026, 11, 26), Progress(quiet=True))
    assert [d.slug for d in county.documents] == [
        "documents/2026/dbns",
        "documents/2026/gdlb-jd",
        "documents/2026/gdlb",
    ]
    assert [v.code for v in county.villages] == ["shangxi"] and len(county.payouts) == 1
    assert len(county.catalogs) == 2 and not county.reports
    assert not [str(w) for w in warnings if "/." in f"/{w.path}"]


def test_a_hidden_file_named_by_a_source_is_refused(tmp_path, capsys):
    """A hidden file is read by no loader and published by no one, so no source may name one: an attachment or a
    payout table named so was a dead link (or read, and then its edits never rebuilt the preview)."""
    from gongkai.commands.cli import main

    files = county_files()
    document = files["content/documents/2026/dbns.md"].replace(
        "组配分类: 通知公告\n", "组配分类: 通知公告\n附件:\n  - 文件: .dbns-fj1.pdf\n"
    )
    payouts = "villages/chengguan/shangxi/payouts/"
    root = write_county(
        tmp_path,
        {
            "content/documents/2026/dbns.md": document,
            "content/documents/2026/.dbns-fj1.pdf": b"%PDF-1.4\n%%EOF\n",
            f"{payouts}2026-gdlb.yml": files[f"{payouts}2026-gdlb.yml"].replace("2026-gdlb.csv", ".2026-gdlb.csv"),
            f"{payouts}.2026-gdlb.csv": files[f"{payouts}2026-gdlb.csv"],
            "mkdocs.yml": files["mkdocs.yml"].replace("      - 政府信息公开制度: xxgk/zhidu.md\n",
                                                      "      - 政府信息公开制度: xxgk/zhidu.md\n      - 草稿: xxgk/.draft.md\n"),
            "content/xxgk/.draft.md": "# 草稿\n",
            "county.yml": files["county.yml"] + "标志: images/.logo.png\n",
            "theme/images/.logo.png": b"\x89PNG\r\n\x1a\n",
            "content/xxgk/zhidu.md": "# 制度\n\n见[草稿](.draft.md)和[附件](../documents/.att/x.pdf)。\n",
            "content/documents/.att/x.pdf": b"%PDF-1.4\n%%EOF\n",
        },
    )  # fmt: skip
    assert main(["check", str(root), "--today", "2026-11-26"]) == 1
    err = capsys.readouterr().err
    for said in (
        "content/documents/2026/dbns.md 第 11 行，字段「附件」：附件「.dbns-fj1.pdf」是隐藏文件",
        f"{payouts}2026-gdlb.yml 第 5 行，字段「数据文件」：数据文件「.2026-gdlb.csv」是隐藏文件",
        "导航中的「xxgk/.draft.md」是隐藏文件",
        "标志图片「images/.logo.png」是隐藏文件",
    ):
        assert said in err, err
    assert "正文链接「.draft.md」指向隐藏文件，它不会发布" in err, err
    assert "正文链接「../documents/.att/x.pdf」指向隐藏文件，它不会发布" in err, err
    assert err.count("去掉开头的「.」") == 6, err


def _owner_file(user: str) -> bytes:
    """The owner file Excel, Word or WPS writes as ~$name beside a file open in it: the user's name, twice."""
    name = user.encode()
    body = bytes([len(name)]) + name.ljust(53) + bytes([len(name), 0]) + user.encode("utf-16-le")
    return body.ljust(165, b"\x00")


def test_an_office_programs_owner_file_is_no_source_and_is_not_published(tmp_path, capsys):
    """A clerk with a payout list open in Excel, or a document's attachment open in Word, has an owner file beside it
    (~$2026-gdlb.csv, ~$-fj1.docx): the guard could not read it, so neither check nor build ran until the program was
    closed, with a message to convert a file the clerk never made; MkDocs would have published one in content/. Now
    no loader reads one, the site has none, and a source that names one is told so."""
    from gongkai.commands.cli import main

    files, owner = county_files(), _owner_file("zhangsan")
    payouts = "villages/chengguan/shangxi/payouts/"
    root = write_county(
        tmp_path,
        {
            f"{payouts}~$2026-gdlb.csv": owner,
            f"{payouts}~$2026-gdlb.yml": owner,
            "catalog/~$snbt.yml": owner,
            "content/documents/2026/~$bns-fj1.docx": owner,
            "content/documents/2026/~$dbns.md": owner,
            "content/xxgk/~$zhidu.md": owner,
            "content/~$files/x.pdf": b"%PDF-1.4\n%%EOF\n",
            "reports/~$2025.yml": owner,
        },
    )
    site = tmp_path / "site"
    assert main(["build", str(root), "--site-dir", str(site), "--today", "2026-11-26", "-q"]) == 0, capsys.readouterr()
    err = capsys.readouterr().err
    assert "~$" not in err, err
    published = [p for p in site.rglob("*") if p.is_file()]
    assert published and not [p for p in published if "~$" in p.as_posix()]
    assert not [p for p in published if b"zhangsan" in p.read_bytes() or "zhangsan".encode("utf-16-le") in p.read_bytes()]

    document = files["content/documents/2026/dbns.md"].replace(
        "组配分类: 通知公告\n", "组配分类: 通知公告\n附件:\n  - 文件: ~$bns-fj1.docx\n"
    )
    (root / "content/documents/2026/dbns.md").write_text(document, encoding="utf-8")
    (root / "content/xxgk/zhidu.md").write_text("# 制度\n\n见[草稿](~$zhidu.md)。\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        files["mkdocs.yml"].replace("      - 政府信息公开制度: xxgk/zhidu.md\n",
                                    "      - 政府信息公开制度: xxgk/zhidu.md\n      - 草稿: xxgk/~$zhidu.md\n"),
        encoding="utf-8",
    )  # fmt: skip
    assert main(["check", str(root), "--today", "2026-11-26"]) == 1
    err = capsys.readouterr().err
    assert "content/documents/2026/dbns.md 第 11 行，字段「附件」：附件「~$bns-fj1.docx」是隐藏文件" in err, err
    assert "正文链接「~$zhidu.md」指向隐藏文件，它不会发布" in err, err
    assert "导航中的「xxgk/~$zhidu.md」是隐藏文件，不会发布" in err, err
    # not to be renamed over the file it stands beside: the source is to name the file itself
    assert err.count("请写文件本身的名称") == 3 and "去掉开头的「~$」" not in err, err


def test_an_owner_file_in_the_theme_is_checked_as_a_template_may_include_it(tmp_path, capsys):
    """Jinja includes a file of any name: an owner file's name in theme/ is read as a template, as a dot file is (its
    script found at its line), and is never refused for a type MkDocs would publish (the site publishes none)."""
    from gongkai.commands.cli import main

    root = write_county(
        tmp_path,
        {
            "theme/~$notes.docx": _owner_file("李四"),
            "theme/partials/~$part.html": "<p>页脚</p>\n<script>alert(1)</script>\n",
        },
    )
    assert main(["check", str(root), "--today", "2026-11-26"]) == 1
    err = capsys.readouterr().err
    assert "theme/partials/~$part.html 第 2 行" in err and "~$notes.docx" not in err, err


def test_problems_from_several_files_come_together(tmp_path):
    root = write_county(
        tmp_path,
        {
            "content/documents/2026/bad.md": "没有元数据\n",
            "villages/chengguan/town.yml": "代码: chengguan\n",
            "catalog/snbt.yml": "领域: snbt\n目录:\n  - 序号: 1\n    一级事项: 甲\n    公开内容: 乙\n    公开依据: 丙\n"
            "    公开主体: 丁\n    公开渠道: [网站]\n    公开对象: 全社会\n    公开方式: 主动\n",
        },
    )
    assert _errors(root) == [
        "catalog/snbt.yml 第 8 行，字段「公开渠道」：「网站」不在可选值中。是不是「政府网站」？可选值：政府网站、政府公报、两微一端、"
        "发布会/听证会、广播电视、纸质媒体、公开查阅点、政务服务中心、便民服务站、入户/现场、社区/企事业单位/村公示栏（电子屏）、"
        "精准推送、12345政务服务热线、其他。",
        "content/documents/2026/bad.md 第 1 行：文件开头缺少元数据（以「---」开头和结尾的 YAML）。"
        "在第一行写「---」，接着写索引号、文号等字段，再写一行「---」。",
        "villages/chengguan/town.yml 第 1 行，字段「名称」：缺少必填字段。请填写：乡镇全称。例如 名称: 城关镇。",
    ]


def test_gbk_markdown_is_named_as_such(tmp_path):
    root = write_county(tmp_path, {"content/documents/2026/gbk.md": "---\n标题: 测试\n---\n".encode("gbk")})
    assert _errors(root) == [
        "content/documents/2026/gbk.md 第 2 行：文件是 GBK/GB18030 编码，不是 UTF-8。请用 UTF-8 编码另存这个文件。"
    ]


def test_unmasked_id_number_is_refused_without_echoing_it(tmp_path):
    raw = PAYOUT_CSV.replace("341722********0317", "341722199001010317")
    root = write_county(tmp_path, {"villages/chengguan/shangxi/payouts/2026-gdlb.csv": raw})
    errors = _errors(root)
    assert errors == [
        "villages/chengguan/shangxi/payouts/2026-gdlb.csv 第 2 行，字段「身份证号」：未遮盖的身份证号。"
        "原始号码不能进入仓库：只保留前 6 位和后 4 位，例如 340123********1234，或用 gongkai import payouts 导入。"
    ]
    assert "199001010317" not in "".join(errors)


def test_gbk_csv_as_excel_saves_it(tmp_path):
    root = write_county(tmp_path, {"villages/chengguan/shangxi/payouts/2026-gdlb.csv": PAYOUT_CSV.encode("gbk")})
    county = load_county(root)
    assert [r.name for r in county.payouts[0].rows] == ["王秀兰", "李建国"]


def test_missing_table_names_the_yaml_line(tmp_path):
    root = write_county(tmp_path, {"villages/chengguan/shangxi/payouts/2026-gdlb.csv": None})
    assert _errors(root) == [
        "villages/chengguan/shangxi/payouts/2026-gdlb.yml 第 5 行，字段「数据文件」："
        "找不到数据文件「2026-gdlb.csv」。请把表格放在同一目录下，或改正文件名。"
    ]
