"""`gongkai bundle`: per town, every sheet of its villages for one year, as one PDF ready to print.

The bundle goes to ``print/<year>/<town>.pdf``, outside site/: it is for the village committees,
and keeps the lists with names after the web has taken them down.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pypdf

from ..model import County, PayoutList, Town, Village
from ..render.sheets import SheetJob, SheetReport, render_pdf, render_sheets, require_cjk_font, sheet_context
from ..render.sheets.village import CoverContext, CoverLine, catalogue_context, year_context
from ..render.site import urls
from .build import load_and_check
from .progress import Progress
from .stages import CACHE_DIR, THEME_DIR

PRINT_DIR = "print"


@dataclass
class BundleReport:
    """The bundles written, with their page counts, and what the sheet stage did."""

    files: list[tuple[Path, int]] = field(default_factory=list)
    sheets: list[SheetReport] = field(default_factory=list)


def make_bundles(root: Path, year: int, today: dt.date, town: str | None = None) -> BundleReport:
    """Write ``print/<year>/<town>.pdf`` for every town (or one), from the cache where it can."""
    require_cjk_font()
    county, _ = load_and_check(root, today, Progress(quiet=True))
    report = BundleReport()
    for item in county.towns:
        if town is None or town in (item.code, item.name):
            report.files.append(_bundle(county, item, year, today, root, report))
    return report


def town_jobs(county: County, town: Town, year: int) -> list[tuple[Village, str, SheetJob]]:
    """Every sheet of the town's villages for the year: (village, what the cover calls it, job)."""
    config = county.config
    found = []
    for village in (v for v in county.villages if v.town == town.code):
        url = urls.village(village)
        base = f"{village.code}/"
        catalogue = SheetJob(catalogue_context(village, town, config, url), base + urls.CATALOGUE_SHEET)
        found.append((village, "公开事项目录", catalogue))
        lists = _lists(county, village, year)
        for p in lists:
            job = SheetJob(sheet_context(p, village, town, config, url), f"{base}{p.slug}.pdf")
            found.append((village, p.title, job))
        if lists:
            ctx = year_context(lists, village, town, config, url)
            found.append((village, f"{year}年度发放结果公示", SheetJob(ctx, base + urls.year_sheet(year))))
    return found


def _lists(county: County, village: Village, year: int) -> list[PayoutList]:
    chosen = [p for p in county.payouts if (p.town, p.village) == (village.town, village.code) and p.year == year]
    return sorted(chosen, key=lambda p: (p.notice_start, p.slug))


def _bundle(
    county: County, town: Town, year: int, today: dt.date, root: Path, report: BundleReport
) -> tuple[Path, int]:
    found = town_jobs(county, town, year)
    target = root / PRINT_DIR / str(year) / f"{town.code}.pdf"
    with tempfile.TemporaryDirectory(prefix=".bundle.", dir=root) as folder:
        staging = Path(folder)
        jobs = [job for _, _, job in found]
        report.sheets.append(render_sheets(jobs, staging, root / CACHE_DIR, template_dirs=[root / THEME_DIR]))
        readers = [pypdf.PdfReader(staging / job.output) for job in jobs]
        cover = _cover(town, year, today, found, [len(r.pages) for r in readers], root)
        writer = pypdf.PdfWriter()
        for reader in [pypdf.PdfReader(io.BytesIO(cover)), *readers]:
            writer.append(reader)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as out:
            writer.write(out)
        return target, len(writer.pages)


def _cover(
    town: Town, year: int, today: dt.date, found: list[tuple[Village, str, SheetJob]], pages: list[int], root: Path
) -> bytes:
    lines, first = [], 1
    for (village, what, _), count in zip(found, pages, strict=True):
        lines.append(CoverLine(village=village.name, sheet=what, pages=count, first_page=first))
        first += count
    ctx = CoverContext(
        title=f"{town.name}{year}年度村（居）务公开公示表",
        town_name=town.name,
        year=year,
        villages=len({v for v, _, _ in found}),
        lines=tuple(lines),
        pages=sum(pages),
        issued=today,
    )
    return render_pdf(ctx, [root / THEME_DIR])


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
        print(f"打印包：{path.relative_to(root)}（{pages} 页）", file=sys.stderr)
    if not report.files:
        print("没有找到这个乡镇。", file=sys.stderr)
        return 1
    return 0
