"""YAML parsing keeps lines and refuses what PyYAML would silently accept."""

from pathlib import Path

import pytest
import yaml

from gongkai.load.yamlsrc import parse_yaml

ROOT = Path(__file__).resolve().parents[2]


def test_lines_are_kept_and_shifted_for_front_matter():
    value, problems = parse_yaml("a: 1\nb:\n  - x: 2\n", "f.md", first_line=2)
    assert problems == []
    assert value.lines == {"a": 2, "b": 3}
    assert value["b"][0].lines == {"x": 4}


def test_duplicate_key_is_an_error_with_both_lines():
    _, problems = parse_yaml("标题: 一\n文号: 无\n标题: 二\n", "f.yml")
    assert [str(p) for p in problems] == [
        "f.yml 第 3 行，字段「标题」：键「标题」重复（第一次出现在第 1 行）。每个键只写一次，删除多余的一个。"
    ]


def test_tab_indentation_is_explained():
    _, problems = parse_yaml("a:\n\tb: 1\n", "f.yml")
    assert [str(p) for p in problems] == ["f.yml 第 2 行：YAML 格式错误：用了制表符（Tab）。用空格缩进，不要用 Tab。"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "标题: [关于补贴的通知\n文号: 无\n",
            "f.md 第 2 行，字段「标题」：YAML 格式错误：方括号「[」没有配对的「]」。"
            "在这个值的末尾补上「]」；如果「[」是值里的文字，把整个值放在引号里。",
        ),
        (
            '标题: "关于补贴的通知\n文号: 无\n',
            'f.md 第 2 行，字段「标题」：YAML 格式错误：引号没有闭合。在这个值的末尾补上「"」，或去掉值开头的「"」。',
        ),
        (
            "电话:\n  - {名称: 监督电话, 号码: 0550-7123648\n文号: 无\n",
            "f.md 第 3 行，字段「名称」：YAML 格式错误：花括号「{」没有配对的「}」。"
            "在这个值的末尾补上「}」；如果「{」是值里的文字，把整个值放在引号里。",
        ),
    ],
)
def test_an_unclosed_bracket_or_quote_is_reported_where_it_opens_with_its_field(text: str, expected: str) -> None:
    # the parser notices on the next key's line; the clerk's mistake is on the line the bracket opens
    _, problems = parse_yaml(text, "f.md", first_line=2)  # front matter after its 「---」 line
    assert [str(p) for p in problems] == [expected]


def test_dates_stay_text_so_impossible_dates_can_be_reported():
    value, problems = parse_yaml("d: 2024-02-30\n", "f.yml")
    assert problems == [] and value["d"] == "2024-02-30"


def test_alias_bomb_is_refused():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for name, prev in zip("bcdefgh", "abcdefg", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    _, problems = parse_yaml("\n".join(lines) + "\n", "bomb.yml")
    assert [p.message for p in problems] == ["YAML 内容过大或含有层层展开的别名（&/*）"]


SAMPLES = [
    "a: 1\nb: [x, y]\n",
    "a:\n\t- x\n",  # a tab libyaml would let through
    "a: b: c\n",
    "k: v\nk: w\n",
    "- " * 300 + "x\n",
    "[" * 300 + "]" * 300 + "\n",
    "a: &x [1, 2]\nb: *x\n",
    "日期: 2026-02-30\n金额: 1.50\n编号: 0012\n",
    "a: '未闭合\n",
    "a: |\n  多行\n  文字\n",
    "\ufeffa: 1\n",
    "a: \x07\n",
]


@pytest.mark.parametrize("text", SAMPLES + [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("catalog/*.yml"))])
def test_libyaml_and_pyyaml_read_every_text_alike(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = parse_yaml(text, "x.yml")
    monkeypatch.delattr(yaml, "CSafeLoader")
    slow = parse_yaml(text, "x.yml")
    assert _shape(fast) == _shape(slow)


def _shape(value: object) -> object:
    """The value with the lines it remembers."""
    if isinstance(value, dict):
        return (
            "map",
            getattr(value, "line", None),
            getattr(value, "lines", None),
            [(k, _shape(v)) for k, v in value.items()],
        )
    if isinstance(value, list | tuple):
        return (
            type(value).__name__,
            getattr(value, "line", None),
            getattr(value, "lines", None),
            [_shape(v) for v in value],
        )
    return repr(value)
