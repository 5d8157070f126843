"""Working days, the 公开时限 of catalogue items, and the freshness inspections judge."""

import datetime as dt

from gongkai.check import check_county
from gongkai.link import WorkCalendar
from gongkai.load import load_county

from kit import CATALOG_YML, write_county

D = dt.date


def test_working_days_skip_weekends_and_holidays_but_count_swapped_days():
    calendar = WorkCalendar(frozenset({D(2026, 10, 1), D(2026, 10, 2)}), frozenset({D(2026, 10, 10)}))
    assert calendar.working_days_after(D(2026, 9, 30), D(2026, 10, 5)) == 1  # 10-01/02 holidays, weekend, Mon 10-05
    assert calendar.working_days_after(D(2026, 10, 9), D(2026, 10, 12)) == 2  # swapped Saturday 10-10, Monday
    assert calendar.add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 7)
    assert calendar.working_days_after(D(2026, 3, 5), D(2026, 3, 5)) == 0


def _warnings(root, today):
    return [str(p) for p in check_county(load_county(root), today) if p.warning]


def test_stale_home_page_and_columns_are_warned(county_dir):
    assert _warnings(county_dir, D(2026, 3, 12)) == []
    assert _warnings(county_dir, D(2026, 10, 1)) == [
        "警告：content/documents：栏目「政策文件、行政规范性文件」超过 6 个月没有更新（最新一条：2026-03-05）。"
        "请及时发布该栏目的信息：通知公告、政策文件栏目至少每半年更新一次。",
        "警告：content/documents：栏目「通知公告」超过 6 个月没有更新（最新一条：2026-03-02）。"
        "请及时发布该栏目的信息：通知公告、政策文件栏目至少每半年更新一次。",
        "警告：content/documents：首页最近 14 天没有新信息（最新一条发布于 2026-03-06）。请发布新信息：政府网站首页至少每两周更新一次。",
    ]


def test_catalogue_item_with_nothing_published_past_its_deadline(tmp_path):
    rows = CATALOG_YML.split("目录:\n")[1]
    second = rows.replace("序号: 1", "序号: 2").replace("耕地地力保护", "农机购置补贴")
    catalog = f"领域: snbt\n施行日期: 2026-02-02\n目录:\n{rows}{second}"
    root = write_county(tmp_path, {"catalog/snbt.yml": catalog})
    assert [w for w in _warnings(root, D(2026, 3, 12)) if "catalog" in w] == [
        "警告：catalog/snbt.yml 第 14 行，字段「公开时限」：目录事项「农业生产发展资金 / 农机购置补贴」自 2026-02-02 施行，"
        "已超过公开时限（信息形成或者变更之日起20个工作日内，2026-03-02 到期）仍没有发布信息。"
        "请发布该事项的信息，并在文件中写「目录事项: 2」。"
    ]
