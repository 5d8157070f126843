"""PDF notice sheets for village notice boards (村务公开栏), cached by content hash.

``sheet_context`` turns a payout list into a SheetContext, ``render_pdf`` makes one PDF, and
``render_sheets`` writes many into the site, rendering only those whose inputs changed.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import tempfile
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from gongkai.errors import BuildFailed

from .cache import KEYS, KeyMemo, cache_key, complete, inputs_key, publish, sheet_inputs
from .context import PrintContext, SheetContext, SheetRow, sheet_context
from .pdf import render_pdf, require_cjk_font, require_fast_subsetting, templates_fingerprint
from .pool import Task, render_tasks

__all__ = [
    "PrintContext",
    "SheetContext",
    "SheetJob",
    "SheetReport",
    "SheetRow",
    "render_pdf",
    "render_sheets",
    "require_cjk_font",
    "require_fast_subsetting",
    "sheet_context",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class SheetJob:
    """One sheet to write: its context and its path in the site, e.g. ``villages/chengguan/shangxi/2026-gdlb.pdf``.

    ``made`` is the context, or a function making it from ``inputs`` (``SheetJob.of``): then the context is made
    only when the cache has not seen these inputs before (``KeyMemo``) — at county scale the contexts of 900
    payout lists (150 000 rows formatted, a QR code each) and their hashes cost seconds of every build, though
    nearly all of their sheets come from the cache."""

    made: PrintContext | Callable[..., PrintContext]
    output: str
    inputs: tuple[Any, ...] | None = None

    @classmethod
    def of(cls, make: Callable[..., PrintContext], output: str, *inputs: Any) -> SheetJob:
        """The job of the context ``make(*inputs)``, made when needed. ``make`` must depend on its arguments and
        gongkai's code only; a payout list among them is known by its rows' source (``sheet_inputs``)."""
        return cls(make, output, inputs)

    @functools.cached_property
    def context(self) -> PrintContext:
        """The sheet's context (made once, when first asked for)."""
        if self.inputs is None:
            return self.made  # type: ignore[return-value]
        return self.made(*self.inputs)  # type: ignore[operator]

    def inputs_key(self, memo: dict[int, Any]) -> str | None:
        """The hash of what the context is made of (None for a job given its context), for ``KeyMemo``."""
        if self.inputs is None:
            return None
        name = f"{self.made.__module__}.{self.made.__qualname__}"  # type: ignore[union-attr]
        return inputs_key(name, [sheet_inputs(value) for value in self.inputs], memo)


@dataclass(frozen=True)
class SheetReport:
    """What render_sheets did; pages counts the sheets rendered in this run, not those from the cache."""

    rendered: int
    cached: int
    pages: int
    seconds: float


def render_sheets(
    jobs: Sequence[SheetJob],
    site_dir: Path,
    cache_dir: Path,
    *,
    template_dirs: Sequence[Path] = (),
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    recall: bool = True,
    published: Collection[tuple[int, int]] = (),
    place: Callable[[Path, Path], None] | None = None,
    link_kept: Callable[[str, Path], bool] | None = None,
) -> SheetReport:
    """Write every job's PDF into site_dir, rendering in a process pool only those not in cache_dir; without
    ``recall`` (``build --clean``) every context is made, the sheets keyed by them alone (``keys.bin`` unread).
    ``published``: the files of the published site by (device, inode), proved unwritten (cache.complete).
    ``place``: puts a cached sheet at its path in the site (``cache.publish``: a link; a preview copies).
    ``link_kept``: asked first of each sheet whose key is known, with that key and the sheet's path: True when it placed
    there the very sheet the preview published last (see commands/serve.py), which is neither read nor copied again."""
    start = time.perf_counter()
    targets = _targets(jobs, site_dir)
    counter = _Counter(len(jobs), progress)
    with writable(cache_dir) as cache_dir:
        fingerprint = templates_fingerprint(template_dirs)
        place = place or publish
        waiting = _publish_cached(jobs, targets, fingerprint, cache_dir, counter, recall, published, place, link_kept)
        cached = counter.done
        pages = _render_missing(waiting, cache_dir, template_dirs, workers or os.cpu_count() or 1, counter, place)
    report = SheetReport(len(jobs) - cached, cached, pages, time.perf_counter() - start)
    logger.info(
        "公示表 %d 张：新生成 %d 张（%d 页），沿用缓存 %d 张，用时 %.1f 秒",
        len(jobs),
        report.rendered,
        report.pages,
        report.cached,
        report.seconds,
    )
    return report


@contextlib.contextmanager
def writable(cache_dir: Path) -> Iterator[Path]:
    """``cache_dir``, or, when it cannot be written (a read-only project), a temporary folder for this run:
    a sheet is rendered into the cache and linked from there, and a cache that cannot be written only costs
    the next build the rendering."""
    with contextlib.suppress(OSError):
        cache_dir.mkdir(parents=True, exist_ok=True)
    if cache_dir.is_dir() and os.access(cache_dir, os.W_OK):
        yield cache_dir
        return
    logger.debug("公示表缓存无法写入：%s", cache_dir)
    with tempfile.TemporaryDirectory(prefix="gongkai-sheets-") as temporary:
        yield Path(temporary)


def _publish_cached(
    jobs: Sequence[SheetJob],
    targets: list[Path],
    fingerprint: str,
    cache_dir: Path,
    counter: _Counter,
    recall: bool = True,
    published: Collection[tuple[int, int]] = (),
    place: Callable[[Path, Path], None] = publish,
    link_kept: Callable[[str, Path], bool] | None = None,
) -> dict[str, tuple[Task, list[Path]]]:
    """Publish the sheets already in the cache (or ``link_kept``: render_sheets'); the others by key, each with the
    files that want it."""
    waiting: dict[str, tuple[Task, list[Path]]] = {}
    memo: dict[int, Any] = {}  # the villages, towns and the county's settings many jobs share, hashed once
    known = KeyMemo.open(cache_dir, fingerprint) if recall else KeyMemo(cache_dir / KEYS, fingerprint, {})
    for job, target in zip(jobs, targets, strict=True):
        inputs = job.inputs_key(memo)
        key = known.get(inputs)
        if key is not None and link_kept is not None and link_kept(key, target):
            known.put(inputs, key)
            counter.tick()
            continue
        found = key is not None and complete(cache_dir / f"{key}.pdf", published)  # reads and hashes it: once
        if key is None or not found:
            # A miss makes the context anyway: its own key names the entry, never the memo's (a wrong memo would
            # store this sheet under another sheet's key, for every later build to publish there).
            key = cache_key(job.context, fingerprint)
            found = complete(cache_dir / f"{key}.pdf")
        known.put(inputs, key)
        if found:
            place(cache_dir / f"{key}.pdf", target)
            counter.tick()
        else:
            waiting.setdefault(key, (Task(key, job.output, job.context), []))[1].append(target)
    known.save()
    return waiting


def _render_missing(
    waiting: dict[str, tuple[Task, list[Path]]],
    cache_dir: Path,
    template_dirs: Sequence[Path],
    workers: int,
    counter: _Counter,
    place: Callable[[Path, Path], None] = publish,
) -> int:
    """Render the sheets not in the cache, publish each as it comes; the number of pages rendered."""
    if not waiting:
        return 0
    require_cjk_font()
    require_fast_subsetting(exact=True)
    pages = 0
    tasks = [task for task, _ in waiting.values()]
    for rendered in render_tasks(tasks, cache_dir, template_dirs, workers):
        task, targets = waiting[rendered.key]
        for message in rendered.warnings:
            logger.warning("%s：%s", task.output, message)
        for target in targets:
            place(cache_dir / f"{rendered.key}.pdf", target)
            counter.tick()
        pages += rendered.pages
    return pages


def _targets(jobs: Sequence[SheetJob], site_dir: Path) -> list[Path]:
    """Each job's file in the site; an output outside the site or named twice is an error."""
    seen: set[PurePosixPath] = set()
    targets = []
    for job in jobs:
        path = PurePosixPath(job.output)
        if path.is_absolute() or ".." in path.parts or path.suffix != ".pdf":
            raise BuildFailed(f"公示表的输出路径无效：{job.output}（应为网站内以 .pdf 结尾的相对路径）")
        if path in seen:
            raise BuildFailed(f"两张公示表要写到同一个文件：{job.output}")
        seen.add(path)
        targets.append(site_dir / path)
    return targets


class _Counter:
    """Counts finished jobs and tells the progress callback."""

    def __init__(self, total: int, progress: Callable[[int, int], None] | None) -> None:
        self.total, self.progress, self.done = total, progress, 0

    def tick(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)
