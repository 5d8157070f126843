"""`gongkai build`: load → check → render site → sheets → search → publish, as one linear function."""

from __future__ import annotations

import ctypes
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..check import check_all
from ..errors import Problem, SourceErrors
from ..guard import allowed_numbers, guard_site
from ..load import load_county
from ..model import County
from ..render.search import SearchReport
from ..render.sheets import SheetReport, require_cjk_font
from ..render.site import render_site
from . import faults
from .progress import Progress
from .stages import render_search, render_sheets_for


@dataclass
class BuildReport:
    """What a build did, stage by stage (also written as JSON for the benchmarks)."""

    documents: int = 0
    warnings: list[str] = field(default_factory=list)
    pages: int = 0
    sheets: SheetReport | None = None
    search: SearchReport | None = None
    stages: list[tuple[str, float]] = field(default_factory=list)

    def to_json(self) -> str:
        """The report as JSON."""
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)


def build(
    root: Path, site_dir: Path, today: dt.date, progress: Progress | None = None, strict: bool = False
) -> BuildReport:
    """Build the site of the county at ``root`` into ``site_dir``; the old site stays until all succeeded."""
    progress = progress or Progress(quiet=True)
    require_cjk_font()  # fail before any work, naming the package to install
    county, warnings = load_and_check(root, today, progress, strict)
    report = BuildReport(documents=len(county.documents), warnings=[str(w) for w in warnings])
    clean_leftovers(site_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.", dir=site_dir.parent))
    try:
        with progress.stage("生成网页"):
            plan = render_site(root, county, today, staging)
            faults.pause_at("pages")
        report.pages = len(plan.pages) + len(plan.documents)
        with progress.stage(f"生成公示表 PDF（{len(plan.sheets)} 份）"):
            count = faults.pause_midway("sheets", progress.count)
            report.sheets = render_sheets_for(county, plan, root, staging, count)
        with progress.stage("建立搜索索引"):
            report.search = render_search(staging)
            faults.pause_at("search")
        with progress.stage("检查个人信息"):
            guard_site(staging, root, site_dir.name, allowed_numbers(county.config))
        with progress.stage("发布"):
            publish(staging, site_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report.stages = list(progress.timings)
    return report


def load_and_check(
    root: Path, today: dt.date, progress: Progress, strict: bool = False
) -> tuple[County, list[Problem]]:
    """Load and check every source; raise SourceErrors on any error (or warning, when strict).

    Returns the county and the warnings found."""
    with progress.stage("读取源文件"):
        county = load_county(root)
    with progress.stage("检查"):
        problems = check_all(county, root, today)
    if any(strict or not p.warning for p in problems):
        raise SourceErrors(problems)
    return county, problems


def publish(staging: Path, site_dir: Path) -> None:
    """Swap the finished staging directory in for ``site_dir``: one atomic exchange where Linux offers it.

    Elsewhere two renames, with an instant between them where ``site_dir`` is missing; a build
    killed in that instant is undone by the next one (clean_leftovers)."""
    faults.pause_at("publish")
    if site_dir.exists() and _exchange(staging, site_dir):
        shutil.rmtree(staging)  # now the old site
        return
    old = _old(site_dir)
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)


def clean_leftovers(site_dir: Path) -> None:
    """Undo what a killed build left: the old site if it died mid-swap, then every staging dir."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    if _old(site_dir).is_dir() and not site_dir.exists():
        _old(site_dir).rename(site_dir)
    for path in site_dir.parent.iterdir():
        if path.name.startswith(f".{site_dir.name}.") and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


def _old(site_dir: Path) -> Path:
    return site_dir.with_name(f".{site_dir.name}.old")


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step with Linux's renameat2(RENAME_EXCHANGE); False where unsupported."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None) if sys.platform == "linux" else None
    if renameat2 is None:
        return False
    at_cwd, rename_exchange = -100, 2
    return bool(renameat2(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), rename_exchange) == 0)
