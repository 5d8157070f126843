"""Index the built site with Pagefind: shadow pages of ASCII tokens, in shards, packed into one bundle.

Pagefind's own Chinese segmentation (jieba at build time, Intl.Segmenter in the browser) disagrees
with itself; tokens.py sidesteps both. The extended binary is kept: it is the one tested with zh.
Pagefind keeps everything it indexes in memory, so the shadow pages are indexed in shards
(shadow.SHARD_BYTES each) and pack.py joins the shards' outputs into the published bundle.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from gongkai.errors import BuildFailed, EnvironmentProblem

from .pack import pack
from .shadow import SHARD_BYTES, write_shadow

log = logging.getLogger(__name__)

LANGUAGE = "zh"
"""Forced on every page: one index, segmented as Chinese, whatever a page's lang attribute says."""

# Pagefind says this when it indexes only pages marked data-pagefind-body; otherwise it
# falls back to indexing every page whole, listings and search page included.
_BODY_FOUND = "Found a data-pagefind-body element on the site"


@dataclass(frozen=True)
class SearchReport:
    """What indexing produced."""

    pages: int
    shards: int
    seconds: float
    bundle_bytes: int
    files: int


def build_index(site_dir: Path, *, bundle_dir: str = "pagefind", shard_bytes: int = SHARD_BYTES) -> SearchReport:
    """Index the pages of site_dir marked data-pagefind-body into site_dir/bundle_dir."""
    bundle = site_dir / _relative(bundle_dir)
    if bundle.exists():
        shutil.rmtree(bundle)  # hashed file names: a stale bundle would leave orphans behind
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gongkai-search-") as work:
        shards, records = write_shadow(site_dir, Path(work) / "shadow", bundle, shard_bytes)
        if not shards:
            raise BuildFailed(f"网站中没有页面带 data-pagefind-body 标记（{site_dir}），搜索索引无从建立。")
        outputs = []
        for i, shard in enumerate(shards):
            log.info("搜索索引：第 %d/%d 批页面", i + 1, len(shards))
            output = Path(work) / "out" / str(i)
            if _BODY_FOUND not in run_pagefind(shard, output) or _indexed_pages(output) == 0:
                raise BuildFailed(f"搜索索引没有收录任何页面（{site_dir}）。请确认文件页带有 data-pagefind-body 标记。")
            outputs.append(output)
        pages = pack(outputs, records, bundle)
    seconds = time.perf_counter() - started
    files = [p for p in bundle.rglob("*") if p.is_file()]
    report = SearchReport(pages, len(outputs), seconds, sum(p.stat().st_size for p in files), len(files))
    log.info(
        "搜索索引：%d 个页面（分 %d 批），%d 个文件，%.1f MB，用时 %.1f 秒",
        report.pages,
        report.shards,
        report.files,
        report.bundle_bytes / 1e6,
        report.seconds,
    )
    return report


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
        raise BuildFailed(f"无法运行 Pagefind（{command[0]}）：{error}") from error
    log.debug("Pagefind 输出：\n%s%s", done.stdout, done.stderr)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()
        raise BuildFailed(f"Pagefind 建立搜索索引失败（退出码 {done.returncode}）：{detail}")
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
