"""Progress output for long stages, in Chinese, on standard error."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Progress:
    """Prints each stage as it starts and ends, and a counter inside long stages."""

    stream: TextIO = field(default_factory=lambda: sys.stderr)
    quiet: bool = False
    timings: list[tuple[str, float]] = field(default_factory=list)
    _last: float = 0.0

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time a stage and report it."""
        self._say(f"▶ {name}……")
        start = time.perf_counter()
        yield
        seconds = time.perf_counter() - start
        self.timings.append((name, seconds))
        self._say(f"  完成 {name}（{seconds:.1f} 秒）")

    def beside(self, name: str, during: str | None) -> Callable[[float], None]:
        """A stage that runs beside the next ones (``during``: the next one's name; None: it runs alone, later),
        said as it starts; the function returned records and says its end, given the seconds it took (its own
        work, not the wall time since)."""
        self._say(f"▶ {name}（与{during}同时进行）……" if during else f"▶ {name}……")

        def done(seconds: float) -> None:
            self.timings.append((name, seconds))
            self._say(f"  完成 {name}（{seconds:.1f} 秒）")

        return done

    def count(self, done: int, total: int) -> None:
        """Report ``done`` of ``total`` at most twice a second, and always at the end."""
        now = time.perf_counter()
        if done == total or now - self._last > 0.5:
            self._last = now
            self._say(f"  {done}/{total}")

    def _say(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.stream, flush=True)
