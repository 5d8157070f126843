"""The stages after the web pages: PDF sheets and the search index, shared by build and serve."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..model import County
from ..render.report import print_jobs
from ..render.search import SearchReport, build_index
from ..render.sheets import SheetJob, SheetReport, render_sheets, require_cjk_font, sheet_context
from ..render.sheets.village import catalogue_context
from ..render.site import SitePlan, urls
from ..render.site.contexts import VillageContext

CACHE_DIR = ".cache/sheets"
THEME_DIR = "theme"


def sheet_jobs(county: County, plan: SitePlan) -> list[SheetJob]:
    """The sheets the village pages link to, then the reports and the application form."""
    return village_jobs(county, plan) + print_jobs(county)  # the annual reports and the 依申请公开 form


def village_jobs(county: County, plan: SitePlan) -> list[SheetJob]:
    """Each village's 公开事项目录, and the payout sheets its page links to (inside their window only)."""
    towns = {t.code: t for t in county.towns}
    villages = {(v.town, v.code): v for v in county.villages}
    pages = [p.context for p in plan.pages.values() if isinstance(p.context, VillageContext)]
    linked = {s.sheet for ctx in pages for s in ctx.payouts if s.sheet}
    config = county.config
    jobs = [
        SheetJob(
            catalogue_context(c.village, towns[c.village.town], config, urls.village(c.village)), c.catalogue_sheet
        )
        for c in pages
    ]
    for path, p in plan.sheets:
        if path in linked:
            village = villages[(p.town, p.village)]
            jobs.append(SheetJob(sheet_context(p, village, towns[p.town], config, urls.village(village)), path))
    return jobs


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
