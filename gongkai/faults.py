"""Test-only fault points: pause the build at a named stage so that a test can kill it exactly there.

Inert unless ``GONGKAI_TEST_PAUSE_AT`` is set (tests/e2e/test_atomic.py sets it); then the build
writes the marker file named by ``GONGKAI_TEST_PAUSE_MARKER`` when it reaches that stage and sleeps.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

STAGE = "GONGKAI_TEST_PAUSE_AT"
MARKER = "GONGKAI_TEST_PAUSE_MARKER"
STAGES = ("linking", "pages", "sheets", "placing", "search", "publish")
"""Where a killed build must leave the published site as it was (``manifest``, after publishing, is tested apart;
``keeping``, reached only after two builds in a row that were not killed, and ``seeding``, after a build that kept
no old site, in tests/e2e/test_kept_pages.py)."""
PAUSE_SECONDS = 120.0
SPLIT_MINIMUM = "GONGKAI_TEST_SPLIT_MINIMUM"
"""Pages below which the pages stage stays on one process (render/site/split.py), when a test sets it."""


def pause_at(stage: str) -> None:
    """Sleep here, after writing the marker, when the test environment asks to pause at ``stage``."""
    if os.environ.get(STAGE) != stage:
        return
    Path(os.environ[MARKER]).write_text(stage, encoding="utf-8")
    time.sleep(PAUSE_SECONDS)


def pause_midway(stage: str, count: Callable[[int, int], None]) -> Callable[[int, int], None]:
    """The progress callback ``count``, pausing at ``stage`` once the first item is done."""
    if os.environ.get(STAGE) != stage:
        return count

    def counting(done: int, total: int) -> None:
        count(done, total)
        if done == 1:
            pause_at(stage)

    return counting


def split_minimum(default: int) -> int:
    """``default``, or the number a test set (so that a small county's pages stage splits)."""
    return int(os.environ.get(SPLIT_MINIMUM, default))
