"""The pages stage on two processes: a forked child renders every other page outside the navigation.

MkDocs renders page after page. Once the navigation is built (``on_nav``) every page outside it depends
only on what both processes then hold, so the build forks: the child populates and writes its share
(and populates the pages of the navigation, whose titles the navigation shows, without writing them);
the parent leaves that share alone — marked unchanged, as write/reuse.py marks a linked file — and does
the rest: its own share, the navigation's pages, the theme's files and templates. The child's warnings
travel back to the parent (re-logged there, so that strict mode counts them), and so does its failure,
already turned into gongkai's own error where it happened. The child dies with its parent
(``PR_SET_PDEATHSIG``) and the parent kills it if it fails itself. Only ``gongkai build`` splits:
a preview's server threads make forking unsafe.
"""

from __future__ import annotations

import ctypes
import logging
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterable
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from ... import faults
from ...workers import ended_badly, pack_failure, unpack_failure

MINIMUM = 400
"""Pages to build below which a second process costs more than it saves."""
_PR_SET_PDEATHSIG = 1


class Split:
    """The fork of one pages stage, as the parent or the child sees it."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid, self.fd = pid, fd
        self.child = pid == 0
        self.building = False  # set at on_env: between populating and writing
        self._records: list[logging.LogRecord] = []

    @classmethod
    def start(cls, config: MkDocsConfig, files: Iterable[File], in_nav: set[str]) -> Split | None:
        """Fork when there is enough to share; None otherwise (or where fork is unavailable). ``in_nav``: the
        source URIs of the pages in the navigation."""
        affinity = getattr(os, "sched_getaffinity", None)
        if not hasattr(os, "fork") or (len(affinity(0)) if affinity else os.cpu_count() or 1) < 2:
            return None
        pages = [f for f in files if f.is_documentation_page() and f.src_uri not in in_nav and f.is_modified()]
        if len(pages) < faults.split_minimum(MINIMUM):
            return None
        theirs = {f.src_uri for f in pages[1::2]}
        read, write = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid:  # the parent: the child's share is not ours to build
            os.close(write)
            for file in pages:
                if file.src_uri in theirs:
                    file.is_modified = _no  # type: ignore[method-assign]
            return cls(pid, read)
        try:
            os.close(read)
            if sys.platform == "linux":
                ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
            if os.getppid() != parent:
                os._exit(1)
            split = cls(0, write)
            for file in files:
                if file.is_documentation_page() and file.src_uri in in_nav:  # populated (titles), never written
                    file.is_modified = split._populating  # type: ignore[method-assign]
                elif file.src_uri not in theirs:
                    file.is_modified = _no  # type: ignore[method-assign]
            config.theme.static_templates = set()  # the parent writes 404.html and sitemap.xml
            config.extra_templates = []
            logging.getLogger().handlers = [_Capture(split._records, config, in_nav)]
            faults.pause_at("split")
        except BaseException:
            os._exit(1)  # the child never goes on as the parent (which would clean up the staging folder)
        return split

    def _populating(self) -> bool:
        return not self.building

    def finish(self) -> None:
        """In the child, after its pages: send the warnings and end."""
        self._send(("ok", self._records))

    def fail(self, error: BaseException) -> None:
        """In the child: send its failure and end."""
        self._send(("error", pack_failure(error)))

    def _send(self, message: tuple[str, Any]) -> None:
        try:
            with os.fdopen(self.fd, "wb") as pipe:
                pickle.dump(message, pipe)
        finally:
            os._exit(0)

    def join(self) -> None:
        """In the parent: wait for the child; re-log its warnings, or raise its failure."""
        with os.fdopen(self.fd, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if not data:
            raise ended_badly(status, "生成网页")
        kind, payload = pickle.loads(data)
        if kind == "error":
            raise unpack_failure(payload)
        for record in payload:
            logging.getLogger(record.name).handle(record)

    def abandon(self) -> None:
        """In the parent, failing itself: end the child."""
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            os.close(self.fd)
            self.pid = 0


def _no() -> bool:
    return False


class _Capture(logging.Handler):
    """The child's log: kept for the parent, but what it logs on the navigation's pages (the parent does too)."""

    def __init__(self, records: list[logging.LogRecord], config: MkDocsConfig, in_nav: set[str]) -> None:
        super().__init__(logging.WARNING)
        self.records, self.config, self.in_nav = records, config, in_nav

    def emit(self, record: logging.LogRecord) -> None:
        page = getattr(self.config, "_current_page", None)
        if page is not None and page.file.src_uri in self.in_nav:
            return
        record.msg, record.args, record.exc_info, record.exc_text = record.getMessage(), None, None, None
        self.records.append(record)


def guarded(run: Callable[[], None], split: Callable[[], Split | None]) -> None:
    """Run the build; in a child, whatever happens ends the child with its result (never returns there)."""
    parent = os.getpid()
    try:
        run()
    except BaseException as err:
        current = split()
        if os.getpid() != parent:
            if current is not None and current.child:
                current.fail(err)
            os._exit(1)
        if current is not None:
            current.abandon()
        raise
    if os.getpid() != parent:  # on_post_build ends the child: not reached
        os._exit(1)
