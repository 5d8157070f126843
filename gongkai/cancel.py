"""Cooperative cancellation: work that a newer request has made pointless stops at its next checkpoint.

``gongkai serve`` builds the search index after it has shown an edit's pages; at county scale that takes
longer than the pages did. When the clerk saves again meanwhile, the index of the old sources is of no
use: the preview stops it (``Cancelled`` at the next ``checkpoint``) and shows the new edit first.

The long loops of the search index and of the leak guard call ``checkpoint``. Outside ``cancellable`` it does
nothing, so a build (which never cancels) is unchanged. ``Cancelled`` is a ``BaseException``, like Ctrl+C's
``KeyboardInterrupt``: no ``except Exception`` on the way may take it for a failure and carry on (a fallback
to a full index, say). Code that survives Ctrl+C survives a cancellation: ``finally`` blocks run. The search
index, stopped or failed, lists the published bundle's files it linked as the links left them, and the preview
then removes its staging folder as a failed build does (``unstage``): the next index links those files again.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

_local = threading.local()
_open = 0
"""``cancellable`` contexts open, in any thread: while none is (a build), ``checkpoint`` returns at once — it is
called for every file of the site the guard and the search index pass (~200 000 a county's rebuild), and the
thread-local look-up cost 0.3–0.7 µs each."""
_counting = threading.Lock()


class Cancelled(BaseException):
    """Raised by ``checkpoint`` once the event its ``cancellable`` watches is set."""


@contextlib.contextmanager
def cancellable(event: threading.Event) -> Iterator[None]:
    """Within (on this thread): every ``checkpoint`` raises ``Cancelled`` once ``event`` is set."""
    global _open
    before = getattr(_local, "event", None)
    _local.event = event
    with _counting:
        _open += 1
    try:
        yield
    finally:
        with _counting:
            _open -= 1
        _local.event = before


def checkpoint() -> None:
    """Raise ``Cancelled`` if this thread's work was cancelled (``cancellable``); nothing otherwise."""
    if _open:
        event = getattr(_local, "event", None)
        if event is not None and event.is_set():
            raise Cancelled
