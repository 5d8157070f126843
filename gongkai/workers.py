"""Process pools whose workers end with the build: a build killed with ``kill -9`` leaves no worker behind.

Linux ends each worker when its parent dies (``PR_SET_PDEATHSIG``); a watchdog thread in the worker covers
the instant before that is set and systems without it. Workers ignore Ctrl+C (SIGINT): the build handles it.

``Beside`` runs one call in a forked child while the build goes on (the checks, a patched search index), and
``pack_failure``/``unpack_failure`` carry a child's exception back to its parent (render/site/split.py's too).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import pickle
import select
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Generic, TypeVar

from .errors import EnvironmentProblem, GongkaiError

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


class ChildFailed(Exception):
    """A child's failure that could not travel as itself (an internal error): its traceback as text."""


def pack_failure(error: BaseException) -> tuple[Any, ...]:
    """A child's exception as its class, args and attributes, for ``unpack_failure`` in the parent (gongkai's errors
    do not take their args back in their constructors); what does not pickle travels as ``ChildFailed``. A fault
    (not one of gongkai's errors, which say what to do) carries the child's traceback as a note, for the report
    file; an ``OSError`` its file names."""
    args, attributes = error.args, dict(vars(error))
    if isinstance(error, OSError) and error.filename is not None and len(args) == 2:
        args = (*args, error.filename, *(() if error.filename2 is None else (0, error.filename2)))
    if not isinstance(error, GongkaiError):
        where = "".join(traceback.format_exception(error))
        attributes["__notes__"] = [*attributes.get("__notes__", []), f"(in the child process)\n{where}"]
    parts: tuple[Any, ...] = (type(error), args, attributes)
    try:
        pickle.dumps(parts)
    except Exception:
        parts = (ChildFailed, ("".join(traceback.format_exception(error)),), {})
    return parts


def unpack_failure(parts: tuple[Any, ...]) -> BaseException:
    """The exception ``pack_failure`` packed. A built-in one is made by its constructor too: some keep what their
    message shows in fields only it sets (a ``UnicodeDecodeError`` from a child said nothing:
    「内部错误（UnicodeDecodeError：）」)."""
    kind, args, attributes = parts
    error: BaseException = kind.__new__(kind, *args)
    if kind.__module__ == "builtins":
        with contextlib.suppress(Exception):  # (its args as it was made with: else as they are)
            kind.__init__(error, *args)
    error.args = args
    vars(error).update(attributes)
    return error


def ended_badly(status: int, what: str) -> BaseException:
    """The error for a child (doing ``what``, in Chinese) that ended without sending its result: killed by the
    system (out of memory, most likely), or ended some other way."""
    if os.WIFSIGNALED(status):
        return EnvironmentProblem(
            f"{what}的子进程被系统终止（信号 {signal.Signals(os.WTERMSIG(status)).name}），多半是内存不足。"
            "请关闭其他程序后重新生成。"
        )
    return ChildFailed(f"{what}的子进程意外结束（状态 {status}）")


class Beside(Generic[R]):
    """One call run in a forked child while this process goes on; ``result()`` waits for it and gives its value,
    or raises its exception. Where ``fork`` is not available, or this process has one CPU, the call runs in this
    process at ``result()``.

    The child ignores Ctrl+C (the parent stops, and ends it; unless ``finish``), dies with its parent
    (``PR_SET_PDEATHSIG``), sends its result pickled through a pipe and ends with ``os._exit`` (no exit handler, no
    buffer or temporary folder of the parent's touched). The call must only read what the parent holds and write
    nothing the parent writes meanwhile; its result must pickle. Under threads (a preview's server) the child has only
    the forking one: the call must then take no lock another thread may hold (no printing, no shared object of
    theirs; the logging module renews its own locks in a fork) — ``gongkai serve``'s checks. What the child logs
    is kept and logged again here at ``result()``, which may be given a time limit (``patience``: a child forked
    under threads that may be stuck). Use as a context manager: leaving it without ``result()`` (the parent failed)
    ends the child (kills it, unless ``finish``)."""

    def __init__(self, call: Callable[[], R], what: str, *, fork: bool = True, finish: bool = False) -> None:
        """``what``: what the call does, in Chinese (for the message should the child be killed); ``fork``: False to
        run the call here (at ``result()``); ``finish``: should this process fail before it takes the result, the
        child is waited for, not killed — a call that tidies up after itself when it ends, or stops (Ctrl+C reaches
        it as a KeyboardInterrupt; a second one while this process waits kills it)."""
        self._call: Callable[[], R] | None = call
        self.what, self._fork, self._finish = what, fork, finish
        self._pid, self._fd = 0, -1

    @property
    def forked(self) -> bool:
        """Whether the call runs in a child (beside this process), until its result is taken."""
        return self._pid != 0

    def __enter__(self) -> Beside[R]:
        affinity = getattr(os, "sched_getaffinity", None)
        if not self._fork or not hasattr(os, "fork") or (len(affinity(0)) if affinity else os.cpu_count() or 1) < 2:
            return self
        read, write = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid:
            os.close(write)
            self._pid, self._fd = pid, read
            return self
        try:  # the child: never returns, never raises
            if not self._finish:  # (a call that tidies up after itself stops on Ctrl+C as this process does)
                signal.signal(signal.SIGINT, signal.SIG_IGN)
            os.close(read)
            if sys.platform == "linux":
                ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
            if os.getppid() != parent:
                os._exit(1)
            records: list[logging.LogRecord] = []
            logging.getLogger().handlers = [_Kept(records)]
            try:
                assert self._call is not None
                data = pickle.dumps(("ok", self._call(), records), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as error:
                data = pickle.dumps(("error", pack_failure(error), records), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as pipe:
                pipe.write(data)
        finally:
            os._exit(0)

    def result(self, patience: float | None = None) -> R:
        """The call's value (waiting for the child), or its exception raised here. ``patience``: seconds, from here,
        the child may still take (it answers once, at its end); one that takes longer is taken to be stuck (forked
        under threads, a lock taken in it that no thread of its own will release): it is ended, said so, and the
        call runs here instead."""
        call, self._call = self._call, None  # what it holds is let go with it
        if call is None:
            raise RuntimeError("Beside.result() called twice")
        if not self._pid:
            return call()
        if patience is not None and not _answers(self._fd, patience):
            self.abandon()
            logging.getLogger(__name__).warning(
                "%s的子进程 %.0f 秒内没有完成，已结束它，改在本进程中%s。", self.what, patience, self.what
            )
            return call()
        fd, self._fd = self._fd, -1  # (closed with its file object, however the reading ends)
        with os.fdopen(fd, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = 0
        if not data:
            raise ended_badly(status, self.what)
        kind, payload, records = pickle.loads(data)
        for record in records:  # said here, in order, to this process's handlers (which count warnings)
            logging.getLogger(record.name).handle(record)
        if kind == "error":
            raise unpack_failure(payload)
        value: R = payload
        return value

    def abandon(self, wait: bool = False) -> None:
        """End the child, if it runs still (this process stopped: its result is not wanted); ``wait``: let it end by
        itself (what it sends is read and dropped)."""
        self._call = None
        if not self._pid:
            return
        pid, fd, self._pid, self._fd = self._pid, self._fd, 0, -1
        if wait and fd >= 0:
            try:
                with os.fdopen(fd, "rb") as pipe:
                    pipe.read()
                os.waitpid(pid, 0)
                return
            except BaseException:  # Ctrl+C meanwhile: killed after all
                _kill(pid)
                raise
        if fd >= 0:
            os.close(fd)
        _kill(pid)

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.abandon(wait=self._finish and kind is not None)


def _answers(fd: int, seconds: float) -> bool:
    """Whether the pipe ``fd`` has something to read, or its end, within ``seconds`` (``poll``: ``select`` refuses a
    descriptor past 1023, which a long-running preview may reach)."""
    waiting = select.poll()
    waiting.register(fd, select.POLLIN | select.POLLHUP)
    return bool(waiting.poll(max(0, round(seconds * 1000))))


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, ChildProcessError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


class _Kept(logging.Handler):
    """A child's log, kept to travel to its parent (as text: its arguments and traceback need not pickle)."""

    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__(logging.NOTSET)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args, record.exc_info, record.exc_text = record.getMessage(), None, None, None
        self.records.append(record)
