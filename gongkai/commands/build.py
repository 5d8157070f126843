"""`gongkai build`: load → check → render site → sheets → search → guard → publish, as one linear function (on two
CPUs the checks run in a child while the published site is proven, and a patched search index in a child beside the
guard's pass over the pages: ``workers.Beside``)."""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from .. import faults
from ..check import check_all
from ..errors import Problem, SourceErrors, after_publishing, published_then
from ..guard import SiteScan, allowed_numbers, guard_site
from ..link import Links, link
from ..link.held import publishable
from ..load import frozen_collector, load_sources, paused_collector
from ..load.cache import release_loaded
from ..model import Abbreviation, County
from ..render.search import SearchReport
from ..render.search.delta import SHARE as PATCHED_SHARE
from ..render.sheets import SheetReport, require_cjk_font, require_fast_subsetting
from ..render.site import render_site
from ..workers import Beside
from ..write import (
    build_lock,
    check_site_dir,
    clean_leftovers,
    give_back,
    keep_spare,
    part,
    prune,
    publish,
    recycled_staging,
    seed_spare,
)
from ..write.reuse import Reuse
from ..write.unchanged import (
    Built,
    Tree,
    forget,
    inputs_key,
    intact,
    listed_digest,
    record,
    recorded,
    recorded_listing,
)
from .progress import Progress
from .stages import SEARCH_BUNDLE, SPARED, render_search, render_sheets_for, settle_search, sheet_jobs, unstage_search

SHARED_SOURCES = ("county.yml", "catalog/domains.yml")
"""Files every record refers to: while one of them is wrong, the cross-record checks would only echo it."""


@dataclass
class BuildReport:
    """What a build did, stage by stage (also written as JSON for the benchmarks)."""

    documents: int = 0
    warnings: list[str] = field(default_factory=list)
    pages: int = 0
    reused: int = 0
    """Pages and files linked unchanged from the published site (write/reuse.py)."""
    kept: int = 0
    """Of those reused, the files the kept old site held in place already (write.recycled_staging): not linked."""
    rebuilt: int = 0
    """Pages and files that could have been reused but were built again (changed, or no record of them)."""
    sheets: SheetReport | None = None
    search: SearchReport | None = None
    stages: list[tuple[str, float]] = field(default_factory=list)
    unchanged: bool = False
    """Nothing the build reads had changed since the published site was built: the site was left as it was
    (write/unchanged.py); documents, pages and warnings are the ones that build reported."""

    def to_json(self) -> str:
        """The report as JSON."""
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)


def build(
    root: Path,
    site_dir: Path,
    today: dt.date,
    progress: Progress | None = None,
    strict: bool = False,
    guide: bool = False,
    clean: bool = False,
) -> BuildReport:
    """Build the site of the county at ``root`` into ``site_dir`` (with the clerks' 使用指南 when ``guide``);
    the old site stays until all succeeded. What is unchanged since the published site was built is linked
    from it (write/reuse.py), unless ``clean``."""
    progress = progress or Progress(quiet=True)
    check_site_dir(site_dir, root)
    require_cjk_font()  # fail before any work, naming the package to install
    require_fast_subsetting()  # never silently 34× slower
    with build_lock(site_dir):
        clean_leftovers(site_dir)
        with progress.stage("检查是否有改动"), paused_collector():  # the walks' stat results hold no cycles
            inputs = inputs_key(root, site_dir, today, strict, guide)
            before = None if clean else recorded(root, site_dir)
            same = before is not None and inputs is not None and before.inputs == inputs
            published = intact(before, site_dir) if same else None  # walked: the shortcut publishes nothing
        if same and before is not None and published is not None:
            return _unchanged_report(before, progress)
        whole, loaded = load(root, progress)
        staging: Path | None = None
        recycled: list[str] = []
        staged: dict[str, int | None] | None = None
        with progress.stage("检查"), frozen_collector():  # (the county's objects: out of the collector's sight)
            links = link(whole, today)
            # The checks in a child (on the second CPU) while this process proves the published site it is to replace
            # by the entries its record lists, each looked up by its path (no folder read), and takes the last old
            # site, if kept, as the staging directory; when a file did not load, nothing else is done: the build
            # stops with every problem (``Checks``, on entering).
            with Checks(whole, loaded, root, today, links, strict) as checks:
                with paused_collector():  # (74 000 stat results: no cycles)
                    published = _intact_listed(root, site_dir, None if same else before)  # vouched for as a whole
                # The old site's links of the published files, known by their directory entries' inode numbers
                # where the detect walk found those to be the files' own: then they are listed, none unlinked (no
                # published file's change time moved), and the old site is given back should the checks find
                # errors (else its links would go with it, and the next build could not vouch for the site).
                if published is not None and isinstance(published.inodes, dict):
                    staged = {}
                    staging, recycled = recycled_staging(site_dir, published.files, SPARED, staged)
                try:
                    warnings = checks()
                except BaseException:
                    if staging is not None:
                        give_back(staging, site_dir)
                    raise
        county = publishable(whole)  # what is not decided yet stays off the site (check warned)
        site_links = links if county is whole else None  # the check stage's links are of the whole county
        report = BuildReport(documents=len(county.documents), warnings=[str(w) for w in warnings])
        listed = published.files if published is not None else None  # the site as the detect walk found it
        if staging is None:  # (else each of the old site's files is unlinked, all linked again)
            with frozen_collector():  # its 24 000 folders' objects set off full collections over the county (0.7 s)
                staging, recycled = recycled_staging(site_dir, listed, SPARED, staged)  # the last old site, if kept
        reuse = Reuse.open(root, site_dir, staging, trust=not clean, staged=staged, found=listed)
        swapped = False
        try:
            # The model (millions of objects at county scale) lives until the search stage: each full collection
            # walked it again, 1–2 s in each stage; what it leaves of cyclic garbage goes once unfrozen.
            gc.freeze()
            with progress.stage("生成网页"):
                plan = render_site(
                    root, county, today, staging, guide, reuse, split=True, links=site_links, frozen=True
                )
                faults.pause_at("pages")
            report.pages = len(plan.pages) + len(plan.documents)
            report.reused, report.kept, report.rebuilt = reuse.linked, reuse.kept, reuse.built
            jobs = sheet_jobs(county, plan)  # one count: the stage's title and its counter say the same
            with progress.stage(f"生成公示表 PDF（{len(jobs)} 份）"):
                count = faults.pause_midway("sheets", progress.count)
                proved = published.inodes if published is not None and not clean else ()
                report.sheets = render_sheets_for(county, plan, root, staging, count, jobs, clean, proved)
            abbreviations, allow = county.config.abbreviations, allowed_numbers(county.config)
            del county, whole, links, site_links, plan, jobs
            # A whole index (a cold build, many pages changed) is made alone, with the memory its join needs (2.6 →
            # 1.9 GB once the county is let go); a patch (few pages changed) needs little: it is made in a child,
            # beside the guard's pass over the pages (a second, at county scale), the county kept (freeing it: 0.3 s).
            patching = not clean and published is not None and reuse.built <= PATCHED_SHARE * report.pages
            # (a page gone: the patch renumbers the chunks, up to twice delta.HELD held: alone then, the county let go)
            patching = patching and all(uri in reuse.keys for uri in reuse.previous if uri.endswith(".html"))
            if not patching:
                release_loaded()
            known = published.files if published is not None and not clean else None  # its bundle's: no lstat
            prune(staging, [f for f in recycled if not _bundled(f)], reuse.taken)  # the rest once the bundle is made
            search = Search(
                staging,
                abbreviations,
                root,
                None if clean else site_dir,
                known,
                patching,
                progress,
                recycled,
                reuse.taken,
            )
            with search:
                if not search.forked:
                    search.wait()
                with progress.stage("检查个人信息"):
                    inodes = published.inodes if published is not None else None
                    scan = guard_site(
                        staging,
                        root,
                        site_dir.name,
                        allow,
                        reuse.taken,
                        inodes,
                        later=SEARCH_BUNDLE,
                        between=search.wait,
                    )
            report.search, placed = search.report, search.placed
            with progress.stage("发布"), paused_collector():  # its stat results and lines hold no cycles
                reuse.forget()  # until this build's manifest is written, none vouches for the site
                forget(root, site_dir)
                trash = publish(staging, site_dir, later=True)
                swapped = True
                # Before recording (it moves change times); the old site as listed when it was published: no walk.
                moved: set[int] | None = set() if listed is not None else None  # (part walks the old site: unknown)
                emptied = False
                if trash is not None:
                    emptied = part(trash, site_dir, listed, scan.inodes, SPARED, reuse.keys, moved)
                if not emptied:  # no old site, or one not emptied (many files new): the next build's folders now
                    # (write.seed_spare)
                    seed_spare(site_dir, scan.paths, scan.stats, SPARED, reuse.keys, moved)
                faults.pause_at("manifest")
                stats: dict[str, os.stat_result] = {}
                # The site as published, as the guard listed it; the files whose stat is known still not looked up.
                tree = listed_digest(site_dir, scan.paths, stats, _unmoved(scan, reuse.in_place, placed, moved))
                reuse.save(stats if tree is not None else None)
                settle_search(site_dir, root, stats if tree is not None else None)  # as publishing left them
                _record(root, site_dir, inputs, report, tree, (scan.paths, scan.agree))
                if trash is not None:
                    keep_spare(trash, site_dir, emptied)
        except BaseException as error:
            swapped = swapped or after_publishing(error)  # stopped inside publish(), once the new site was out
            if swapped:  # Ctrl+C or a fault while recording: the new site is out, the message must say so
                published_then(error)
            raise
        finally:
            gc.unfreeze()
            if not swapped:  # the search bundle's links of the published one (kept from the old site) go first
                unstage_search(staging, site_dir, root)
            shutil.rmtree(staging, ignore_errors=True)
            if not swapped:
                reuse.keep()  # what this build linked stays reusable
    report.stages = list(progress.timings)
    return report


def _bundled(folder: str) -> bool:
    """Whether a folder of the site is the search bundle's, or in it."""
    return folder == SEARCH_BUNDLE or folder.startswith(SEARCH_BUNDLE + "/")


class Search:
    """The search stage of one build: in a child (``workers.Beside``) beside the leak guard's pass over the pages when
    ``beside``, else alone (at ``wait``); the guard's pass over the bundle waits for it (``guard_site(between=)``).
    Should the build fail meanwhile, the child is let finish, or stop on Ctrl+C as the build does (it lists the
    published bundle's files again): a bundle killed half-way makes the next build write the whole bundle again
    (render/search/index.py: unstage)."""

    def __init__(
        self,
        staging: Path,
        abbreviations: Iterable[Abbreviation],
        root: Path,
        published: Path | None,
        known: Mapping[str, os.stat_result] | None,
        beside: bool,
        progress: Progress,
        recycled: list[str],
        taken: Iterable[str],
    ) -> None:
        """``recycled`` and ``taken``: ``write.prune``'s, for the bundle's folders once it is made."""
        self._recycled, self._taken = recycled, taken
        call = partial(_searched, staging, tuple(abbreviations), root, published, known)
        self._beside = Beside(call, "建立搜索索引", fork=beside, finish=True)
        self._progress, self._staging = progress, staging
        self.report: SearchReport | None = None
        self.placed: set[int] = set()
        """The bundle's files found in place and told by the detect walk, unmoved (``render_search``'s)."""

    def __enter__(self) -> Search:
        self._beside.__enter__()
        self._done = self._progress.beside("建立搜索索引", "检查个人信息" if self.forked else None)
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self._beside.__exit__(kind, *exc)

    @property
    def forked(self) -> bool:
        """Whether the index is being made beside (in a child), not made yet."""
        return self._beside.forked

    def wait(self) -> None:
        """The index made (once): its report, and the bundle's folders the recycled tree held that it left empty
        removed (``write.prune``)."""
        if self.report is not None:
            return
        self.report, self.placed = self._beside.result()
        self._done(self.report.seconds)
        faults.pause_at("search")
        prune(self._staging, [f for f in self._recycled if _bundled(f)], self._taken)


def _searched(
    staging: Path,
    abbreviations: tuple[Abbreviation, ...],
    root: Path,
    published: Path | None,
    known: Mapping[str, os.stat_result] | None,
) -> tuple[SearchReport, set[int]]:
    """``render_search`` of the staged site, with the inodes it found placed."""
    placed: set[int] = set()
    return render_search(staging, abbreviations, root, published, known=known, placed=placed), placed


def _intact_listed(root: Path, site_dir: Path, before: Built | None) -> Tree | None:
    """``intact`` of the site the ``before`` build published, by the paths it recorded (``recorded_listing``)."""
    return None if before is None else intact(before, site_dir, recorded_listing(root, site_dir))


def _unmoved(
    scan: SiteScan, in_place: Mapping[int, os.stat_result], placed: set[int], moved: set[int] | None
) -> dict[str, os.stat_result] | None:
    """The files of the site just published whose ``lstat`` the build knows still (``listed_digest``'s ``known``):
    those the guard looked up itself (before it read them), and those it knew by their directory entry (the detect
    walk's stat: older) that this build left where they were, linking none and unlinking none — the pages kept in
    place (``Reuse.in_place``: the stat when taken equal to the walk's) and the search bundle's (``placed``) —, of
    two links then (the published one and the kept old site's); in either case none ``part`` unlinked a link of
    (``moved``; None: not known, then none). A stale stat only makes the next build walk the site (never vouches
    for a site changed: a change time never goes back)."""
    if moved is None:
        return None
    unmoved: dict[str, os.stat_result] = {}
    told, taken_at = scan.told, in_place.get
    for name, found in scan.stats.items():  # ~74 000 at county scale
        inode = found.st_ino
        if inode in moved:
            continue
        if name in told and inode not in placed:
            taken = taken_at(inode)  # the same inode (device: the staging directory's) of an unchanged change time
            if taken is None or taken.st_ctime_ns != found.st_ctime_ns or found.st_nlink != 2:
                continue
        elif name in told and found.st_nlink != 2:
            continue
        unmoved[name] = found
    return unmoved


def _record(
    root: Path,
    site_dir: Path,
    inputs: str | None,
    report: BuildReport,
    tree: str | None,
    listing: tuple[list[str], bool],
) -> None:
    """Record what the site just published (``tree``: its tree_digest of the ``listing``'s paths) was built from,
    for the next build's shortcut and detect stage."""
    if inputs is None or tree is None:
        return
    sheets = report.sheets.rendered + report.sheets.cached if report.sheets else 0
    record(root, site_dir, Built(inputs, tree, report.documents, report.pages, sheets, report.warnings), listing)


def _unchanged_report(before: Built, progress: Progress) -> BuildReport:
    """The report of a build that found nothing changed: what the build of the published site said."""
    report = BuildReport(documents=before.documents, warnings=before.warnings, pages=before.pages, unchanged=True)
    report.sheets = SheetReport(rendered=0, cached=before.sheets, pages=0, seconds=0.0)
    report.stages = list(progress.timings)
    return report


def load_and_check(
    root: Path, today: dt.date, progress: Progress, strict: bool = False
) -> tuple[County, list[Problem]]:
    """Load and check every source; raise SourceErrors on any error (or warning, when strict).

    A file that does not load leaves the other records to the cross-record checks, so that one run
    reports both kinds; only when a file every record depends on is wrong are those checks skipped.
    Returns the county and the warnings found."""
    county, warnings, _ = load_check_link(root, today, progress, strict)
    return county, warnings


def load_check_link(
    root: Path, today: dt.date, progress: Progress, strict: bool = False
) -> tuple[County, list[Problem], Links]:
    """load_and_check, and the county's links the checks resolved (``link(county, today)``), for the pages."""
    county, loaded = load(root, progress)
    with progress.stage("检查"), frozen_collector():
        links = link(county, today)
        found = check_all(county, root, today, links)
    return county, checked(loaded, found, strict), links


class Checks:
    """The checks (``check_all``) of a loaded county, in a forked child (``workers.Beside``) while the caller goes on
    (``build`` proves the published site; ``gongkai serve`` plans its pages: render_site's ``ready``); calling it
    waits for them and returns the warnings, or raises SourceErrors (``checked``) — again at each call. When a file
    did not load, the checks run here at once, and their error is raised on entering (the build stops with every
    problem, nothing else done). Use as a context manager: leaving it before the result is taken ends the child."""

    def __init__(
        self,
        county: County,
        loaded: list[Problem],
        root: Path,
        today: dt.date,
        links: Links,
        strict: bool = False,
        patience: float | None = None,
    ) -> None:
        """``patience``: seconds the child may still take once the caller waits for it, before it is taken to be
        stuck and the checks run here instead (``Beside.result``: ``gongkai serve`` forks it under its server's
        threads)."""
        self._loaded, self._strict, self._patience = loaded, strict, patience
        self._refused = any(strict or not p.warning for p in loaded)
        self._beside = Beside(partial(check_all, county, root, today, links), "检查", fork=not self._refused)
        self._outcome: list[Problem] | SourceErrors | None = None

    def __enter__(self) -> Checks:
        self._beside.__enter__()
        if self._refused:
            try:
                self()
            except BaseException:
                self._beside.__exit__(None, None, None)
                raise
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self._beside.__exit__(kind, *exc)

    def __call__(self) -> list[Problem]:
        if self._outcome is None:
            try:
                self._outcome = checked(self._loaded, self._beside.result(self._patience), self._strict)
            except SourceErrors as error:
                self._outcome = error
        if isinstance(self._outcome, SourceErrors):
            raise self._outcome
        return self._outcome


def load(root: Path, progress: Progress) -> tuple[County, list[Problem]]:
    """Every source loaded: the county, and the problems of the files that did not load. Raises SourceErrors when
    there is no county, or a file every record refers to is wrong (the cross-record checks would only echo it)."""
    with progress.stage("读取源文件"):
        county, problems = load_sources(root)
    if county is None or any(p.path in SHARED_SOURCES for p in problems):
        raise SourceErrors(problems)
    return county, problems


def checked(loaded: list[Problem], found: list[Problem], strict: bool = False) -> list[Problem]:
    """The problems of loading and of the checks (``check_all``), each said once; raises SourceErrors on any error
    (or warning, when strict), else returns them (warnings all)."""
    said = {(p.path, p.line) for p in loaded} | {(p.path, None) for p in loaded}
    problems = loaded + [p for p in found if (p.path, p.line) not in said]
    if any(strict or not p.warning for p in problems):
        raise SourceErrors(problems)
    return problems
