"""Inputs a review found unguarded: malformed IDs echoed, names that clash with generated pages, sub-cent amounts."""

import datetime as dt
from pathlib import Path

import pytest

from gongkai.check import check_county
from gongkai.errors import SourceErrors
from gongkai.load import load_county

from kit import PAYOUT_CSV, PAYOUT_YML, document, write_county


def _errors(root: Path) -> list[str]:
    with pytest.raises(SourceErrors) as caught:
        load_county(root)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("raw", ["340123 19900307 1234", "34012319900307123"])
def test_a_malformed_id_is_never_echoed_in_full(tmp_path, raw):
    csv = PAYOUT_CSV.replace("341722********0317", raw)
    errors = _errors(write_county(tmp_path, {"villages/chengguan/shangxi/payouts/2026-gdlb.csv": csv}))
    assert len(errors) == 1 and "身份证号格式不对「340123" in errors[0]
    assert raw not in errors[0] and "19900307" not in errors[0]


def test_documents_may_not_be_called_index(tmp_path):
    root = write_county(tmp_path, {"content/documents/2026/index.md": document("目录", "X/1")})
    assert _errors(root) == [
        "content/documents/2026/index.md：文件名不能是「index.md」（会与栏目页面的网址冲突）。"
        "请改用能说明内容的文件名，例如 2026-0305-nyj-012.md。"
    ]


def test_payout_lists_may_not_take_the_village_sheets_names(tmp_path):
    folder = "villages/chengguan/shangxi/payouts/"
    root = write_county(tmp_path, {folder + "catalogue.yml": PAYOUT_YML, folder + "catalogue.csv": PAYOUT_CSV})
    assert _errors(root) == [
        "villages/chengguan/shangxi/payouts/catalogue.yml：文件名「catalogue」留给村的其他公示表使用。"
        "请换一个文件名，例如 2026-gdlb.yml（数据文件一并改名）。"
    ]


def test_amounts_are_kept_to_the_cent(tmp_path):
    csv = PAYOUT_CSV.replace("330.00", "330.005")
    county = load_county(write_county(tmp_path, {"villages/chengguan/shangxi/payouts/2026-gdlb.csv": csv}))
    problems = [str(p) for p in check_county(county, dt.date(2026, 11, 26)) if not p.warning]
    assert problems == [
        "villages/chengguan/shangxi/payouts/2026-gdlb.csv 第 3 行，字段「金额」：金额 330.005 超过两位小数。金额以元为单位，保留到分（两位小数）。"
    ]
