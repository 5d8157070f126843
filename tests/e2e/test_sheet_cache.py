"""Sheets are cached by content: an unchanged build renders no PDF, a changed village only its own."""

from __future__ import annotations

import datetime as dt

from gongkai.commands.build import build

from kit import PAYOUT_CSV, PAYOUT_YML, VILLAGE_YML, write_county

TODAY = dt.date(2026, 11, 26)
SECOND_VILLAGE = {
    "villages/chengguan/xiaxi/village.yml": VILLAGE_YML.replace("shangxi", "xiaxi").replace("上溪村", "下溪村"),
    "villages/chengguan/xiaxi/payouts/2026-gdlb.yml": PAYOUT_YML,
    "villages/chengguan/xiaxi/payouts/2026-gdlb.csv": PAYOUT_CSV,
}


def test_only_changed_villages_are_rendered_again(tmp_path):
    root = write_county(tmp_path, SECOND_VILLAGE)
    first = build(root, root / "site", TODAY)
    assert first.sheets is not None and first.sheets.rendered > 0 and first.sheets.cached == 0
    again = build(root, root / "site", TODAY)
    assert again.sheets is not None and (again.sheets.rendered, again.sheets.cached) == (0, first.sheets.rendered)

    changed = root / "villages/chengguan/xiaxi/payouts/2026-gdlb.csv"
    changed.write_text(PAYOUT_CSV.replace("王秀兰", "王秀英"), encoding="utf-8")
    third = build(root, root / "site", TODAY)
    assert third.sheets is not None
    assert third.sheets.rendered < first.sheets.rendered  # only 下溪村's sheets
    assert third.sheets.rendered + third.sheets.cached == first.sheets.rendered
    assert third.sheets.rendered >= 1
