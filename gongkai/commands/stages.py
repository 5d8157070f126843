"""The stages after the web pages: PDF sheets and the search index, shared by build and serve."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..model import County
from ..render.search import SearchReport, build_index
from ..render.sheets import SheetJob, SheetReport, render_sheets, require_cjk_font, sheet_context
from ..render.site import SitePlan

CACHE_DIR = ".cache/sheets"
THEME_DIR = "theme"


def sheet_jobs(county: County, plan: SitePlan) -> list[SheetJob]:
    """One job per payout list, with its village and town."""
    towns = {t.code: t for t in county.towns}
    villages = {(v.town, v.code): v for v in county.villages}
    return [
        SheetJob(sheet_context(p, villages[(p.town, p.village)], towns[p.town], county.config), path)
        for path, p in plan.sheets
    ]


def render_sheets_for(
    county: County, plan: SitePlan, root: Path, site_dir: Path, progress: Callable[[int, int], None] | None = None
) -> SheetReport:
    """Render (or take from the cache) every payout sheet into ``site_dir``."""
    require_cjk_font()
    return render_sheets(
        sheet_jobs(county, plan), site_dir, root / CACHE_DIR, template_dirs=[root / THEME_DIR], progress=progress
    )


def render_search(site_dir: Path) -> SearchReport:
    """Index the built pages with Pagefind."""
    return build_index(site_dir)
