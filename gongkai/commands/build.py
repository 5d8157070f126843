"""`gongkai build`: load → check → render site → sheets → search → publish, as one linear function."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..check import check_county
from ..errors import Problem, SourceErrors
from ..load import load_county
from ..model import County
from ..render.search import SearchReport
from ..render.sheets import SheetReport, require_cjk_font
from ..render.site import render_site
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
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.", dir=_parent(site_dir)))
    try:
        with progress.stage("生成网页"):
            plan = render_site(root, county, today, staging)
        report.pages = len(plan.pages) + len(plan.documents)
        with progress.stage(f"生成公示表 PDF（{len(plan.sheets)} 份）"):
            report.sheets = render_sheets_for(county, plan, root, staging, progress.count)
        with progress.stage("建立搜索索引"):
            report.search = render_search(staging)
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
        problems = check_county(county, today)
    if any(strict or not p.warning for p in problems):
        raise SourceErrors(problems)
    return county, problems


def publish(staging: Path, site_dir: Path) -> None:
    """Swap the finished staging directory in for ``site_dir`` with renames, never half-written."""
    old = site_dir.with_name(f".{site_dir.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)


def _parent(site_dir: Path) -> Path:
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    return site_dir.parent
