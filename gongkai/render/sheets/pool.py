"""Rendering sheets into the cache, here or in a pool of worker processes."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator, Sequence
from concurrent.futures import as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from gongkai.errors import BuildFailed, EnvironmentProblem
from gongkai.workers import worker_pool

from .cache import store_sheet
from .context import PrintContext
from .pdf import batchable, render_batch, render_document

CHUNKS_PER_WORKER = 4
"""At least this many chunks per worker, to even out sheets of different lengths."""
CHUNK_SIZE = 8
"""At most this many sheets per chunk, so that progress is reported every few seconds."""
BATCH_ROWS = 2000
"""At most about this many table rows in one WeasyPrint document: its memory grows with its length."""


@dataclass(frozen=True)
class Task:
    """One sheet to render: its cache key, the first output that wants it (for messages), its context."""

    key: str
    output: str
    context: PrintContext


@dataclass(frozen=True)
class Rendered:
    """A sheet now in the cache, with its page count and the renderer's warnings (from a worker only)."""

    key: str
    pages: int
    warnings: tuple[str, ...] = ()


def render_tasks(
    tasks: Sequence[Task], cache_dir: Path, template_dirs: Sequence[Path], workers: int
) -> Iterator[Rendered]:
    """Render every task into the cache, yielding each as it is done; in this process if workers is 1."""
    if workers <= 1 or len(tasks) <= 1:
        yield from render_group(list(tasks), cache_dir, template_dirs)
        return
    chunks = split(tasks, max(workers * CHUNKS_PER_WORKER, math.ceil(len(tasks) / CHUNK_SIZE)))
    yield from _render_in_pool(chunks, cache_dir, tuple(template_dirs), min(workers, len(chunks)))


def render_group(tasks: list[Task], cache_dir: Path, template_dirs: Sequence[Path]) -> Iterator[Rendered]:
    """Render tasks into the cache, sheets in shared documents of up to BATCH_ROWS rows, other prints alone."""
    for batch in batches(tasks):
        if len(batch) == 1:
            yield render_task(batch[0], cache_dir, template_dirs)
            continue
        try:
            results = render_batch([task.context for task in batch], template_dirs)
        except Exception:  # find the sheet that failed, to name it
            for task in batch:
                yield render_task(task, cache_dir, template_dirs)
            continue
        for task, (pdf, pages) in zip(batch, results, strict=True):
            store_sheet(cache_dir / f"{task.key}.pdf", pdf)
            yield Rendered(task.key, pages)


def batches(tasks: list[Task]) -> list[list[Task]]:
    """Consecutive sheets grouped up to BATCH_ROWS rows; prints that are whole documents stand alone."""
    groups: list[list[Task]] = []
    rows = 0
    for task in tasks:
        size = _rows(task)
        if (
            not batchable(task.context)
            or not groups
            or not batchable(groups[-1][0].context)
            or rows + size > BATCH_ROWS
        ):
            groups.append([task])
            rows = size
        else:
            groups[-1].append(task)
            rows += size
    return groups


def _rows(task: Task) -> int:
    ctx = task.context
    return len(getattr(ctx, "rows", ())) + sum(len(s.rows) for s in getattr(ctx, "sections", ())) + 20


def render_task(task: Task, cache_dir: Path, template_dirs: Sequence[Path]) -> Rendered:
    """Render one sheet and store it in the cache."""
    try:
        pdf, pages = render_document(task.context, template_dirs)
    except Exception as error:
        raise BuildFailed(f"{task.output}：公示表生成失败：{error}") from error
    store_sheet(cache_dir / f"{task.key}.pdf", pdf)
    return Rendered(task.key, pages)


def split(tasks: Sequence[Task], count: int) -> list[list[Task]]:
    """At most count chunks of similar work: longest sheets first, dealt out in turn.

    The pool's processes live until every chunk is done, so chunks only need to be big enough
    to keep the messages between processes rare; WeasyPrint is imported once per process.
    """
    ordered = sorted(tasks, key=lambda task: _rows(task), reverse=True)
    count = max(1, min(count, len(ordered)))
    return [ordered[start::count] for start in range(count)]


def _render_in_pool(
    chunks: list[list[Task]], cache_dir: Path, template_dirs: tuple[Path, ...], workers: int
) -> Iterator[Rendered]:
    # "spawn": a forked child of a process with threads (MkDocs' live server) can deadlock.
    pool = worker_pool(workers, spawn=True, initializer=_collect_warnings)
    try:
        futures = [pool.submit(_render_chunk, chunk, cache_dir, template_dirs) for chunk in chunks]
        for future in as_completed(futures):
            yield from future.result()
    except BrokenProcessPool as error:
        raise EnvironmentProblem(f"生成公示表的进程意外退出（可能是内存不足）：{error}") from error
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class _WarningCollector(logging.Handler):
    """Keeps the sheet renderer's warnings in a worker, which has nowhere to show them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


_collector = _WarningCollector()


def _collect_warnings() -> None:
    logging.getLogger("gongkai.render.sheets").addHandler(_collector)


def _render_chunk(chunk: list[Task], cache_dir: Path, template_dirs: tuple[Path, ...]) -> list[Rendered]:
    _collector.messages.clear()
    done = list(render_group(chunk, cache_dir, template_dirs))
    # The warnings of a shared document are not told apart by sheet: the chunk's first sheet carries them.
    if done and _collector.messages:
        done[0] = Rendered(done[0].key, done[0].pages, tuple(_collector.messages))
    return done
