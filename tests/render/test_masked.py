"""Masked numbers render as written: their asterisks are never Markdown emphasis (bodies, tables, search, feeds)."""

from __future__ import annotations

import datetime as dt

import markdown
import pytest

from gongkai.check.markup import removed_by_build
from gongkai.render.data.feeds import plain_text
from gongkai.render.masked import MaskedNumbers

DAY = dt.date(2026, 3, 5)
TWO_PHONES = "东门诊180****3266，西门诊139****1234。"


def _html(source: str) -> str:
    return markdown.markdown(source, extensions=["tables", MaskedNumbers()])


@pytest.mark.parametrize(
    "source",
    [
        TWO_PHONES,
        "身份证号 340123********123X 和 340123********1234",
        "卡号 **** **** **** 1234 与 ****5678",
        "账户 6217************",
    ],
)
def test_masked_numbers_stay_as_written(source):
    assert _html(source) == f"<p>{source}</p>"


def test_plain_markdown_would_embolden_the_words_between():
    assert markdown.markdown(TWO_PHONES) == "<p>东门诊180<strong><strong>3266，西门诊139</strong></strong>1234。</p>"


def test_emphasis_of_digits_is_untouched():
    assert (
        _html("**2024年**度，*3* 户，**12** 人")
        == "<p><strong>2024年</strong>度，<em>3</em> 户，<strong>12</strong> 人</p>"
    )


def test_table_cells_and_code():
    html = _html("| 门诊 | 电话 |\n| --- | --- |\n| 东门诊 | 180****3266 |\n| 西门诊 | 139****1234 |\n\n`138****0000`")
    assert "<td>180****3266</td>" in html and "<td>139****1234</td>" in html
    assert "<code>138****0000</code>" in html


def test_feed_excerpt_shows_the_masks():
    """(The search index reads the rendered page, whose body went through the same extension.)"""
    assert plain_text(TWO_PHONES) == TWO_PHONES


def test_check_sees_what_the_build_renders():
    assert removed_by_build("<b>x</b> " + TWO_PHONES) == []
