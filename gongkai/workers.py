"""Process pools whose workers end with the build: a build killed with ``kill -9`` leaves no worker behind.

Linux ends each worker when its parent dies (``PR_SET_PDEATHSIG``); a watchdog thread in the worker covers
the instant before that is set and systems without it. Workers ignore Ctrl+C (SIGINT): the build handles it.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

_PR_SET_PDEATHSIG = 1
_WATCH_SECONDS = 1.0


def worker_pool(
    workers: int, *, spawn: bool = False, initializer: Callable[..., Any] | None = None, initargs: tuple[Any, ...] = ()
) -> ProcessPoolExecutor:
    """A process pool of ``workers`` that die with this process; ``spawn`` for a fresh interpreter each."""
    context = multiprocessing.get_context("spawn" if spawn else "fork")
    return ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(os.getpid(), initializer, initargs)
    )


J = TypeVar("J")
R = TypeVar("R")


def mapped(
    function: Callable[[J], R],
    jobs: Sequence[J],
    *,
    pooled_from: int,
    chunksize: int,
    initializer: Callable[..., Any] | None = None,
) -> list[R]:
    """``function`` of each job, in order: on a pool of forked workers (one a CPU, at most 8) when there are
    ``pooled_from`` jobs or more and two CPUs, else in this process (a pool costs its start-up)."""
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < pooled_from or workers < 2:
        return [function(job) for job in jobs]
    with worker_pool(workers, initializer=initializer) as pool:
        return list(pool.map(function, jobs, chunksize=chunksize))


def _start_worker(parent: int, initializer: Callable[..., Any] | None, initargs: tuple[Any, ...]) -> None:
    # Ctrl+C reaches every process of the terminal's group: the build stops and says so, in Chinese, and
    # its workers end with it — each printing a KeyboardInterrupt traceback in English would be noise.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="gongkai-parent-watch").start()
    if initializer is not None:
        initializer(*initargs)


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_WATCH_SECONDS)
    os._exit(1)
