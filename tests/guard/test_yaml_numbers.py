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


def test_a_text_with_a_tab_is_read_by_pyyaml_as_the_loader_reads_it():
    text = "电话: 0x336A8F3A6\n备注:\t一\n"
    assert yamlsrc.fast_loader(text) is None
    assert [p.text for p in reader.yaml_numbers(text, ".yml", True)] == ["13801943974"]
