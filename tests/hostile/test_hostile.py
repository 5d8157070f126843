"""Hostile and broken sources: each gives its exact Chinese error, and `gongkai build` writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.commands.cli import main
from gongkai.errors import Problem

from kit import document, staging_leftovers, write_county

CASES = Path(__file__).parent / "cases"
TODAY = "2026-11-26"
DOC = "content/documents/2026/gdlb.md"
PAYOUT = "villages/chengguan/shangxi/payouts/2026-gdlb.yml"
TAG_FIX = (
    "正文的 HTML 只能用这些标签：a、abbr、b、blockquote、br、caption、cite、code、col、colgroup、dd、del、dfn、div、dl、dt、"
    "em、figcaption、figure、h1、h2、h3、h4、h5、h6、hr、i、img、ins、kbd、li、mark、ol、p、pre、q、s、small、span、strong、"
    "sub、sup、table、tbody、td、tfoot、th、thead、time、tr、u、ul；脚本、样式、框架、表单、SVG 等请删除"
)
IMG_FIX = "<img> 只能用这些属性：alt、height、id、lang、src、title、width；事件属性（on…）和 style 属性都不能用"
SCHEME_FIX = "链接只能是 http://、https://、mailto:、tel: 地址，或指向 content/ 中文件的相对链接"
LINK_FIX = "相对链接只能指向 content/ 中已有的文件、页面或附件；外部网址请写完整的 http(s):// 地址"
TYPE_FIX = "请直接写文字；含冒号等符号时加引号"

# case file → (where it goes in the county, the errors expected: line, field, message, fix)
EXPECTED: dict[str, tuple[str, list[tuple[int | None, str, str, str]]]] = {
    "malformed.md": (
        DOC,
        [
            (
                2,
                "",
                "YAML 格式错误：这里不能出现冒号，可能是缩进不对或值里有「: 」",
                "按「键: 值」书写，同级的键左侧对齐，用空格缩进",
            )
        ],
    ),
    "tab.md": (DOC, [(8, "", "YAML 格式错误：用了制表符（Tab）", "用空格缩进，不要用 Tab")]),
    "duplicate-key.md": (DOC, [(5, "文号", "键「文号」重复（第一次出现在第 3 行）", "每个键只写一次，删除多余的一个")]),
    "alias-bomb.yml": (
        "catalog/snbt.yml",
        [(None, "", "YAML 内容过大或含有层层展开的别名（&/*）", "不要用别名，直接写出内容")],
    ),
    "title-list.md": (DOC, [(2, "标题", "应为文字，实际是列表", TYPE_FIX)]),
    "date-mapping.md": (DOC, [(7, "发布日期", "应为文字，实际是键值对", TYPE_FIX)]),
    "town-wrong-type.yml": (
        "villages/chengguan/town.yml",
        [(3, "电话", "应为列表（每项以「- 」开头），实际是「0550-7020001」", "请填写：乡镇的监督举报和咨询电话。")],
    ),
    "impossible-date.md": (DOC, [(7, "发布日期", "日期「2024-02-30」不存在", "请写真实存在的日期，格式 YYYY-MM-DD")]),
    "unknown-key.md": (
        DOC,
        [
            (
                12,
                "日期",
                "未知的键「日期」",
                "如果想写「施行日期」，请改正。可用的键：标题、索引号、文号、发布机构、联合发文机构、成文日期、发布日期、领域、主题分类、组配分类、关键词、内容概述、有效性、解读对象、目录事项、附件、施行日期、有效期至、统一登记号、征集开始、征集结束、采纳情况",
            )
        ],
    ),
    "script.md": (DOC, [(16, "", "正文含有不允许的 HTML 标签「<script>」", TAG_FIX)]),
    "iframe.md": (DOC, [(16, "", "正文含有不允许的 HTML 标签「<iframe>」", TAG_FIX)]),
    "onerror.md": (
        DOC,
        [
            (16, "", "正文中 <img> 的属性「onerror」不允许", IMG_FIX),
            (
                16,
                "",
                "正文图片「https://example.com/a.png」不是本站的文件",
                "图片请放在 content/ 中，用相对链接引用；网站不加载其他网站的图片",
            ),
        ],
    ),
    "javascript.md": (DOC, [(14, "", "正文链接「javascript:alert(1)」的协议「javascript:」不允许", SCHEME_FIX)]),
    "links.md": (
        DOC,
        [
            (14, "", "正文链接「missing.pdf」指向的文件不存在", LINK_FIX),
            (16, "", "正文链接「../2025/nothere.md」指向的文件不存在", LINK_FIX),
        ],
    ),
    "escape-link.md": (DOC, [(14, "", "正文链接「../../../etc/passwd」指向 content/ 以外", LINK_FIX)]),
    "escape-attachment.md": (
        DOC,
        [
            (
                12,
                "附件",
                "附件「../../../etc/passwd」不在文件所在目录内",
                "附件放在文件旁边（同一目录或其子目录），这里只写文件名",
            )
        ],
    ),
    "payout-escape.yml": (
        PAYOUT,
        [(5, "数据文件", "路径「../x.csv」不在本目录内", "应写同一目录下的文件名，例如 2025-gdlb.csv")],
    ),
}
GB_DOC = document(
    "测试县2026年耕地地力保护补贴实施方案", "11341700MB1714830K/202603-00001", extra="目录事项: 耕地地力保护\n"
)
GENERATED: dict[str, tuple[str, bytes, list[tuple[int | None, str, str, str]]]] = {
    "invalid-utf8": (
        DOC,
        GB_DOC.encode()[:40] + b"\xff\xfe\n" + GB_DOC.encode()[40:],
        [(2, "", "文件不是 UTF-8 编码，含有无法识别的字节", "请用 UTF-8 编码另存这个文件")],
    ),
    "gbk": (
        DOC,
        GB_DOC.encode("gb18030"),
        [(2, "", "文件是 GBK/GB18030 编码，不是 UTF-8", "请用 UTF-8 编码另存这个文件")],
    ),
    "empty": ("county.yml", b"", [(None, "", "文件是空的", "请写入内容，或删除这个文件")]),
}


def _errors(root: Path, capsys) -> list[str]:
    """Build, expecting the sources to be refused: nothing published, no staging left; the error lines."""
    assert main(["build", str(root), "--today", TODAY, "-q"]) == 1
    assert not (root / "site").exists()
    assert not staging_leftovers(root)
    lines = capsys.readouterr().err.splitlines()
    return [line for line in lines[:-1] if not line.startswith("警告：")]


def _expected(path: str, problems: list[tuple[int | None, str, str, str]]) -> list[str]:
    return [str(Problem(path, line, field, message, fix)) for line, field, message, fix in problems]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_hostile_source_is_refused_with_its_place(name, tmp_path, capsys):
    path, problems = EXPECTED[name]
    root = write_county(tmp_path, {path: (CASES / name).read_text(encoding="utf-8")})
    assert _errors(root, capsys) == _expected(path, problems)


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_a_broken_file_is_refused_with_its_place(name, tmp_path, capsys):
    path, data, problems = GENERATED[name]
    root = write_county(tmp_path, {path: data})
    assert _errors(root, capsys) == _expected(path, problems)


def test_a_huge_file_is_refused_without_reading_it(tmp_path, capsys):
    root = write_county(tmp_path)
    with (root / "content/documents/2026/huge.md").open("wb") as huge:
        huge.truncate(21 * 1024 * 1024)  # sparse: costs no disk
    assert _errors(root, capsys) == [
        "content/documents/2026/huge.md：文件过大（21 MB）。源文件不应超过 20 MB；大表格请拆分。"
    ]


def test_code_may_show_html_as_text(tmp_path):
    root = write_county(tmp_path, {DOC: (CASES / "code.md").read_text(encoding="utf-8")})
    assert main(["check", str(root), "--today", TODAY]) == 0


def test_a_broken_body_link_fails_the_build_in_chinese_before_mkdocs(tmp_path, capsys):
    root = write_county(tmp_path, {DOC: (CASES / "links.md").read_text(encoding="utf-8")})
    assert main(["build", str(root), "--today", TODAY, "-q"]) == 1
    err = capsys.readouterr().err
    assert f"{DOC} 第 14 行：正文链接「missing.pdf」指向的文件不存在。{LINK_FIX}。" in err
    assert "WARNING" not in err and "contains a link" not in err
