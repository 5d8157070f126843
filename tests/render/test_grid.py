"""The monospace grid of payout sheets: widths in half-width cells, padding, wrapping, headings."""

from gongkai.render.sheets.grid import cells, heading_lines, pad, wrap


def test_chinese_characters_take_two_cells():
    assert cells("王秀兰") == 6 and cells("341722********0317") == 18 and cells("5.20") == 4


def test_padding_aligns_to_exact_width():
    assert pad("572.00", 10, "right") == "    572.00"
    assert pad("王秀兰", 10, "left") == "王秀兰    "
    assert pad("12", 7, "centre") == "  12   "
    assert all(cells(pad("欧阳建国", 12, align)) == 12 for align in ("left", "right", "centre"))


def test_long_text_wraps_by_cells_never_splitting_a_character():
    assert wrap("新增农户补发上年度补贴", 8) == ["新增农户", "补发上年", "度补贴"]
    assert wrap("短", 8) == ["短"]
    assert all(cells(line) <= 8 for line in wrap("abc中文混排测试123", 8))


def test_units_go_under_the_heading():
    assert heading_lines("金额（元）") == ["金额", "(元)"]
    assert heading_lines("户主姓名") == ["户主姓名"]
