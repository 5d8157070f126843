"""Index the built site: read the indexed pages, find the common grams, write the bundle.

Pagefind's own Chinese segmentation (jieba at build time, Intl.Segmenter in the browser) disagrees
with itself, and its indexer can put one word only at each position; the index here stands several
grams at each character (tokens.py, grams.py). So pack.py writes the word index in Pagefind's format
itself, and Pagefind (the extended binary, the one tested with zh) is run over one small page only, for
the runtime the search page loads: pagefind.js, its worker and its WebAssembly.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from gongkai.errors import BuildFailed, EnvironmentProblem
from gongkai.model import Abbreviation

from .abbreviations import groups
from .grams import common_grams
from .pack import pack
from .records import read_records
from .tokens import runs

log = logging.getLogger(__name__)

LANGUAGE = "zh"
"""Forced on every page: one index, segmented as Chinese, whatever a page's lang attribute says."""

# Pagefind says this when it indexes only pages marked data-pagefind-body; otherwise it
# falls back to indexing every page whole, listings and search page included.
_BODY_FOUND = "Found a data-pagefind-body element on the site"


_RUNTIME_PAGE = (
    '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>gongkai</title></head>'
    "<body><main data-pagefind-body><p>gongkai</p></main></body></html>\n"
)


@dataclass(frozen=True)
class SearchReport:
    """What indexing produced."""

    pages: int
    common: int  # common grams
    seconds: float
    bundle_bytes: int
    files: int


def build_index(
    site_dir: Path, *, bundle_dir: str = "pagefind", abbreviations: Iterable[Abbreviation] = ()
) -> SearchReport:
    """Index the pages of site_dir marked data-pagefind-body into site_dir/bundle_dir; abbreviations
    are the county's, searched beside gongkai's own list."""
    bundle = site_dir / _relative(bundle_dir)
    if bundle.exists():
        shutil.rmtree(bundle)  # hashed file names: a stale bundle would leave orphans behind
    started = time.perf_counter()
    records = read_records(site_dir, bundle)
    if not records:
        raise BuildFailed(f"网站中没有页面带 data-pagefind-body 标记（{site_dir}），搜索索引无从建立。")
    log.info("搜索索引：读取了 %d 个页面，统计常见字串", len(records))
    grams = common_grams([runs(r.text.whole) for r in records.values()])
    with tempfile.TemporaryDirectory(prefix="gongkai-search-") as work:
        runtime = _runtime(Path(work))
        log.info("搜索索引：写入索引（%d 个常见字串）", len(grams.common))
        pages = pack(records, grams, runtime, bundle, groups(abbreviations))
    seconds = time.perf_counter() - started
    files = [p for p in bundle.rglob("*") if p.is_file()]
    report = SearchReport(pages, len(grams.common), seconds, sum(p.stat().st_size for p in files), len(files))
    log.info(
        "搜索索引：%d 个页面，%d 个文件，%.1f MB，用时 %.1f 秒",
        report.pages,
        report.files,
        report.bundle_bytes / 1e6,
        report.seconds,
    )
    return report


def _runtime(work: Path) -> Path:
    """Pagefind's runtime files, from a run over one small page."""
    site = work / "runtime-site"
    site.mkdir()
    (site / "index.html").write_text(_RUNTIME_PAGE, encoding="utf-8")
    output = work / "runtime"
    if _BODY_FOUND not in run_pagefind(site, output) or _indexed_pages(output) != 1:
        raise EnvironmentProblem(
            "Pagefind 没有生成搜索所需的文件。请按 pyproject.toml 安装固定版本的 pagefind[extended]。"
        )
    return output


def _relative(bundle_dir: str) -> PurePosixPath:
    path = PurePosixPath(bundle_dir)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"bundle_dir must be a folder inside the site, got {bundle_dir!r}")
    return path


def run_pagefind(site_dir: Path, output: Path) -> str:
    """Run the extended binary over site_dir, writing the bundle to output; return its report."""
    command = [str(_executable()), "--site", str(site_dir), "--output-path", str(output), "--force-language", LANGUAGE]
    log.debug("运行 %s", " ".join(command))
    try:
        done = subprocess.run(command, capture_output=True, encoding="utf-8", errors="replace", check=False)
    except OSError as error:
        raise EnvironmentProblem(f"无法运行 Pagefind（{command[0]}）：{error}。请重新运行 make build 安装。") from error
    log.debug("Pagefind 输出：\n%s%s", done.stdout, done.stderr)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()
        raise EnvironmentProblem(f"Pagefind 建立搜索索引失败（退出码 {done.returncode}）：{detail}")
    return done.stdout


def _executable() -> Path:
    # Imported here, not through pagefind's own lookup, which would settle for the standard
    # binary (no Chinese segmentation) or whatever PAGEFIND_BINARY_PATH names.
    try:
        from pagefind_bin_extended import get_executable
    except ImportError as error:
        raise EnvironmentProblem("缺少 Pagefind 扩展版（中文分词需要）：请安装 pagefind[extended]。") from error
    return Path(get_executable())


def _indexed_pages(bundle: Path) -> int:
    entry = bundle / "pagefind-entry.json"
    if not entry.is_file():
        return 0
    languages = json.loads(entry.read_text(encoding="utf-8"))["languages"]
    return sum(int(language["page_count"]) for language in languages.values())
