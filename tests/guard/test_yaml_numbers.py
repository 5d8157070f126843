"""YAML numbers in sources (guard/readers/text.py ``yaml_numbers``): read by libyaml where the loader reads the text
with it (load/yamlsrc.py ``fast_loader``), by PyYAML's own scanner elsewhere, with the same findings at the same
lines either way."""

from __future__ import annotations

import pytest
import yaml

from gongkai.guard.readers import text as reader
from gongkai.load import yamlsrc

pytestmark = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")

FORMS = [
    "13_800_000_605",
    "0x336A8F3A6",
    "0o147",
    "1.38e10",
    '!!int "13800000605"',
    "!!int 13_800_000_605",
    '!!float "1.5e3"',
    "<tag:yaml.org,2002:int> 0x20",
    "+13800000605",
    "-1_0",
    "0b1010",
    "190:20:30",
    "[1_3, 0o777, 0x1F]",
    "{a: 0x10, b: 1e3}",
    "&a 0x10",
    "0x10 # 0x11",
    "!!str 0x10",
    "'13800000605'",
    "6.8523015e+5",
    "1_2_3_4_5_6_7_8_9_0_1",
]


def _texts() -> list[tuple[str, str]]:
    texts = []
    for number, form in enumerate(FORMS):
        form = form.replace("<", "!<", 1)
        body = f"标题: 文件\n编号: {form}\n列表:\n  - {form}\n  - 名称: 第二项\n    金额: {form}\n备注: |\n  {form}\n"
        texts.append((".yml", body))
        texts.append((".md", f"---\n{body}键{number}: {form}\n---\n\n正文 {form}。\n"))
    return texts


@pytest.mark.parametrize(("suffix", "text"), _texts())
def test_libyaml_finds_what_pyyaml_finds_at_the_same_lines(suffix, text, monkeypatch):
    assert yamlsrc.fast_loader(text) is not None  # (read by libyaml here)
    fast = reader.yaml_numbers(text, suffix, True)
    monkeypatch.setattr(yamlsrc, "fast_loader", lambda _: None)
    assert fast == reader.yaml_numbers(text, suffix, True)


def test_a_number_is_found_at_its_line_and_in_decimal():
    parts = reader.yaml_numbers("标题: 文件\n电话: 0x336A8F3A6\n", ".yml", True)
    assert [(p.text, p.line) for p in parts] == [("13801943974", 2)]


def test_what_libyaml_refuses_is_read_by_pyyaml_up_to_its_error():
    """A YAML error after a number: libyaml refuses the whole text, PyYAML's scanner still finds the number before
    it (the loader reports the error; the guard reads what it can, as before libyaml read it)."""
    text = "电话: 0x336A8F3A6\n列表: [\n"
    assert [(p.text, p.line) for p in reader.yaml_numbers(text, ".yml", True)] == [("13801943974", 1)]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("关键词: [补贴,\n\ufeff#, 0x336A8F3A6]\n", 2),  # libyaml scans it, but only PyYAML parses it (the loader's)
        ("a: 1\nb: 2\n\ufeff#: 0x336A8F3A6\n\ufeffc: 3\n", 3),
        ("关键词: !!seq [0x336A8F3A6, 补贴]\n", 1),  # a collection's tag is not its first item's
        ('内容概述: !<tag:yaml.org,2002:int> "0x336A8F3A6"\n', 1),
        ('%TAG !e! tag:yaml.org,2002:\n---\n内容概述: !e!int "0x336A8F3A6"\n', 3),
        ('标题: "引号\\"里"\n电话: 0x336A8F3A6\n', 2),  # a YAML escape: read by YAML, not decoded before it
        ("基础: &a 0x336A8F3A6\n再: *a\n又: *a\n", 1),  # an alias: its anchor's number, once
    ],
)
def test_the_numbers_the_loader_makes_are_found_however_they_are_tagged_or_spelled(text, line):
    assert [(p.text, p.line) for p in reader.yaml_numbers(text, ".yml", True)] == [("13801943974", line)]
    front = f"---\n{text.split('---', 1)[-1].lstrip()}---\n\n正文。\n" if "%TAG" not in text else None
    if front is not None:  # as a document's front matter: one line lower
        assert [(p.line) for p in reader.yaml_numbers(front, ".md", True)] == [line + 1]


@pytest.mark.parametrize("first", ["--- ", " ---", "---\t"])
def test_front_matter_is_read_as_the_loader_and_mkdocs_cut_it(first):
    """The loader takes a first and a last line that are ``---`` once stripped; MkDocs (a hand-written page's)
    only ``---`` with trailing blanks: the numbers of both are found."""
    text = f"{first}\n标题: 文件\n电话: 0x336A8F3A6\n ---\n\n正文。\n"
    assert [(p.text, p.line) for p in reader.yaml_numbers(text, ".md", True)] == [("13801943974", 3)]


def test_a_lone_surrogate_is_no_crash():
    assert reader.yaml_numbers("a: 0x10\n\udfff", ".yml", True) == []


def test_a_text_with_a_tab_is_read_by_pyyaml_as_the_loader_reads_it():
    text = "电话: 0x336A8F3A6\n备注:\t一\n"
    assert yamlsrc.fast_loader(text) is None
    assert [p.text for p in reader.yaml_numbers(text, ".yml", True)] == ["13801943974"]
