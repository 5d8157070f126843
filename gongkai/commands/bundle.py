"""`gongkai bundle`: per town, every sheet of its villages for one year, as one PDF ready to print.

The bundle goes to ``print/<year>/<town>.pdf``, outside site/: it is for the village committees,
and keeps the lists with names after the web has taken them down.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..model import County, Town, Village
from ..render.sheets import SheetJob, require_cjk_font, require_fast_subsetting
from ..render.sheets.cache import store
from ..render.sheets.compose import compose
from ..render.sheets.pdf import render_joined
from ..render.sheets.village import CoverContext, CoverLine
from .build import load_and_check
from .progress import Progress
from .stages import THEME_DIR, village_sheets

PRINT_DIR = "print"


@dataclass
class BundleReport:
    """The bundles written, with their page counts and sizes."""

    files: list[tuple[Path, int]] = field(default_factory=list)


def make_bundles(root: Path, year: int, today: dt.date, town: str | None = None) -> BundleReport:
    """Write ``print/<year>/<town>.pdf`` for every town (or one): a cover, then every village's sheets."""
    require_cjk_font()
    require_fast_subsetting(exact=True)  # a bundle always draws: ask WeasyPrint itself
    county, _ = load_and_check(root, today, Progress(quiet=True))
    report = BundleReport()
    for item in county.towns:
        if town is None or town in (item.code, item.name):
            report.files.append(_bundle(county, item, year, today, root))
    return report


def town_sheets(county: County, town: Town, year: int) -> list[tuple[Village, str, SheetJob]]:
    """Every sheet of the town's villages for the year: (village, what the cover calls it, job)."""
    return [
        (village, what, job)
        for village in county.villages
        if village.town == town.code
        for what, job in village_sheets(county, village, year=year)
    ]


def _bundle(county: County, town: Town, year: int, today: dt.date, root: Path) -> tuple[Path, int]:
    """One PDF, laid out as one document: fonts are embedded once, and the cover knows every page number."""
    found = town_sheets(county, town, year)
    pages = [compose(job.context).count for _, _, job in found]
    cover = _cover(town, year, today, found, pages)
    pdf, _ = render_joined([cover, *(job.context for _, _, job in found)], [root / THEME_DIR])
    target = root / PRINT_DIR / str(year) / f"{town.code}.pdf"
    target.parent.mkdir(parents=True, exist_ok=True)
    store(target, pdf)
    return target, cover.pages


def _cover(
    town: Town, year: int, today: dt.date, found: list[tuple[Village, str, SheetJob]], pages: list[int]
) -> CoverContext:
    """The cover, numbered with the pages a printer shows: its own pages come first."""
    cover_pages = 1
    while True:
        lines, first = [], cover_pages + 1
        for (village, what, _), count in zip(found, pages, strict=True):
            lines.append(CoverLine(village=village.name, sheet=what, pages=count, first_page=first))
            first += count
        ctx = CoverContext(
            title=f"{town.name}{year}年度村（居）务公开公示表",
            town_name=town.name,
            year=year,
            villages=len({v.code for v, _, _ in found}),
            lines=tuple(lines),
            pages=first - 1,
            cover_pages=cover_pages,
            issued=today,
        )
        laid = compose(ctx).count
        if laid == cover_pages:
            return ctx
        cover_pages = laid


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `gongkai bundle [PROJECT] [--year Y] [--town CODE] [--today D]`."""
    command = commands.add_parser(
        "bundle",
        help="按乡镇生成一年的公示表打印包（PDF）",
        description="每个乡镇一个 PDF：目录页，然后各村的公开事项目录、各项补贴公示表和年度发放结果公示。"
        "写到 print/<年>/<乡镇代码>.pdf，不放到网站上。",
    )
    command.add_argument("project", nargs="?", type=Path, default=Path("."), help="项目目录（默认：当前目录）")
    command.add_argument("--year", type=int, default=None, help="年度（默认：生成日期的年份）")
    command.add_argument("--town", default=None, help="只生成这个乡镇（代码或名称）")
    command.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today(), help="生成日期 YYYY-MM-DD")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Make the bundles and list them."""
    root = args.project.resolve()
    report = make_bundles(root, args.year or args.today.year, args.today, args.town)
    for path, pages in report.files:
        size = path.stat().st_size
        print(f"打印包：{path.relative_to(root)}（{pages} 页，{size / 1024 / 1024:.1f} MB）", file=sys.stderr)
    if not report.files:
        print("没有找到这个乡镇。", file=sys.stderr)
        return 1
    return 0
