"""The stages after the web pages: PDF sheets and the search index, shared by build and serve."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path

from ..model import Abbreviation, County, Village
from ..render.report import print_jobs
from ..render.search import SearchReport, build_index, settle, unstage
from ..render.search.output import OWN, Linked
from ..render.sheets import SheetJob, SheetReport, render_sheets, require_cjk_font, sheet_context
from ..render.sheets.village import catalogue_context, year_context
from ..render.site import THEME_DIR, SitePlan, urls
from ..render.site.contexts import VillageContext

CACHE_DIR = ".cache/sheets"
SEARCH_CACHE_DIR = ".cache/search"
SEARCH_BUNDLE = "pagefind"
"""The folder of the search bundle in the site."""
SPARED = tuple(f"{SEARCH_BUNDLE}/{name}" for name in OWN)
"""The folders whose subfolders an old site kept for the next build keeps whole (``write.part``,
``write.recycled_staging``): the search bundle's own, which its writer places its files over."""


def sheet_jobs(county: County, plan: SitePlan) -> list[SheetJob]:
    """The sheets the village pages link to, then the reports and the application form."""
    return village_jobs(county, plan) + print_jobs(county)  # the annual reports and the 依申请公开 form


def village_jobs(county: County, plan: SitePlan) -> list[SheetJob]:
    """Each village's sheets as its web page links them: the 公开事项目录, and the payout sheets in their window."""
    pages = [p.context for p in plan.pages.values() if isinstance(p.context, VillageContext)]
    linked = {s.sheet for ctx in pages for s in ctx.payouts if s.sheet}
    return [job for ctx in pages for _, job in village_sheets(county, ctx.village, linked=linked)]


def village_sheets(
    county: County, village: Village, *, year: int | None = None, linked: Collection[str] | None = None
) -> list[tuple[str, SheetJob]]:
    """The one list of a village's sheets, each with what a bundle's cover calls it.

    Its 公开事项目录; its payout lists, in the order of their notice periods (of one year, for print;
    or those whose path is in linked: the web publishes a list only in its window); and, for a year,
    the year-end 发放结果公示 of that year's lists. The web and the print bundle both read it.
    """
    config = county.config
    town = next(t for t in county.towns if t.code == village.town)
    url = urls.village(village)
    found = [("公开事项目录", SheetJob.of(catalogue_context, url + urls.CATALOGUE_SHEET, village, town, config, url))]
    lists = sorted(
        (p for p in county.payouts if (p.town, p.village) == (village.town, village.code)),
        key=lambda p: (p.notice_start, p.slug),
    )
    lists = [p for p in lists if (year is None or p.year == year) and (linked is None or urls.sheet(p) in linked)]
    found += [(p.title, SheetJob.of(sheet_context, urls.sheet(p), p, village, town, config, url)) for p in lists]
    if year is not None and lists:
        job = SheetJob.of(year_context, url + urls.year_sheet(year), tuple(lists), village, town, config, url)
        found.append((f"{year}年度发放结果公示", job))
    return found


def render_sheets_for(
    county: County,
    plan: SitePlan,
    root: Path,
    site_dir: Path,
    progress: Callable[[int, int], None] | None = None,
    jobs: list[SheetJob] | None = None,
    clean: bool = False,
    published: Collection[tuple[int, int]] = (),
    place: Callable[[Path, Path], None] | None = None,
    link_kept: Callable[[str, Path], bool] | None = None,
) -> SheetReport:
    """Render (or take from the cache) every sheet into ``site_dir``: the given jobs, or sheet_jobs'; ``clean``: each
    found by its context, not by what it was made of (render_sheets' ``recall``); ``published``: the published
    site's files by (device, inode), proved unwritten (render_sheets'); ``place`` and ``link_kept``: a preview's
    (render_sheets')."""
    require_cjk_font()
    jobs = sheet_jobs(county, plan) if jobs is None else jobs
    folder, themes = root / CACHE_DIR, [root / THEME_DIR]
    return render_sheets(
        jobs,
        site_dir,
        folder,
        template_dirs=themes,
        progress=progress,
        recall=not clean,
        published=published,
        place=place,
        link_kept=link_kept,
    )


def settle_search(
    site_dir: Path, root: Path, stats: Mapping[str, os.stat_result] | None = None, *, cache: Path | None = None
) -> None:
    """Once ``site_dir`` is published by the build that wrote its search bundle: the bundle's files as they
    are now (``stats``: as a walk of the site just found them), for the next build to link
    (render/search/index.py::settle). ``cache``: the search cache, if not the project's (``render_search``)."""
    settle(site_dir, SEARCH_BUNDLE, cache or root / SEARCH_CACHE_DIR, stats)


def unstage_search(
    staging: Path, site_dir: Path, root: Path, cache: Path | None = None, told: Linked | None = None
) -> None:
    """Before the staging tree of a build that failed (or a preview's index that stopped) is removed: its search
    bundle's links of the published bundle's files unlinked, those files listed again for the next build to link
    (render/search/index.py::unstage; ``cache`` and ``told`` as ``render_search``'s ``cache`` and ``linked``).
    Never raises: the build's own error is the one to report."""
    with contextlib.suppress(OSError, ValueError):
        unstage(staging / SEARCH_BUNDLE, site_dir / SEARCH_BUNDLE, cache or root / SEARCH_CACHE_DIR, told)


def render_search(
    site_dir: Path,
    abbreviations: Iterable[Abbreviation],
    root: Path,
    published: Path | None = None,
    into: Path | None = None,
    linked: Linked | None = None,
    known: Mapping[str, os.stat_result] | None = None,
    placed: set[int] | None = None,
    cache: Path | None = None,
) -> SearchReport:
    """Index the built pages, with the county's own search abbreviations beside gongkai's; what each page
    gives the index is cached under root (in ``cache``: the preview's, whose pages and bundles are not the
    build's), and the files of the published site's bundle are linked. The bundle goes into ``site_dir``, or into
    ``into`` (the preview's search folder; ``linked``: see ``build_index``). ``known``: the files of ``published``
    as the detect stage's walk found it, vouched for as a whole (``unchanged.Tree.files``; see ``build_index``,
    and for ``placed``)."""
    previous = published / SEARCH_BUNDLE if published is not None else None
    return build_index(
        site_dir,
        bundle_dir=SEARCH_BUNDLE,
        abbreviations=abbreviations,
        cache=cache or root / SEARCH_CACHE_DIR,
        previous=previous if previous is not None and previous.is_dir() else None,
        into=into,
        linked=linked,
        known=known if previous is not None and previous.is_dir() else None,
        placed=placed,
    )
