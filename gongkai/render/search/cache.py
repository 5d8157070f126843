"""The search cache (``.cache/search/`` of the project): what indexing derived from each page, and the
list of each bundle's files (output.py), so that a build where little changed redoes little.

Entries are stored under the hash of everything they are derived from, the search code included (so a
code change is a miss, never a stale hit): a page's record under its HTML; its index words' parts
(postings.py) under its record, the common grams and the abbreviation groups; the common grams under the
sample of pages they were counted on. Each file holds a checksum of its content: an entry that is
damaged, truncated or of another version reads as missing, and the build computes it again; entries
are written atomically (sheets/cache.py) and those a build did not use are removed after it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import marshal
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from ...cachefile import entries, seal, store, unseal
from ...workers import worker_pool

T = TypeVar("T")

log = logging.getLogger(__name__)

_CODE = ("cache.py", "cbor.py", "derived.py", "forms.py", "grams.py", "markers.py", "postings.py", "records.py",
         "text.py", "tokens.py")  # fmt: skip
"""The modules whose code shapes what is cached: their bytes are part of every key."""

_MAGIC = b"gk-search-4\0"
_KINDS = ("record", "parts", "grams", "bundle", "entries")


PARALLEL_FROM = 300
"""Pages missing from the cache from which their work is spread over worker processes (fewer: one process)."""


def _workers(jobs: int) -> int:
    """Processes for this many jobs: one per core from PARALLEL_FROM on, else this one only."""
    workers = os.cpu_count() or 1
    return workers if jobs >= PARALLEL_FROM and workers >= 2 else 1


def fingerprint() -> bytes:
    """The hash of the code that derives the cached data."""
    digest = hashlib.sha256(_MAGIC)
    for name in _CODE:
        digest.update(name.encode() + b"\0" + (Path(__file__).parent / name).read_bytes())
    return digest.digest()


def key(*parts: bytes | str) -> str:
    """A cache key: the hash of the parts, the code's fingerprint first."""
    digest = hashlib.sha256(_FINGERPRINT)
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


_FINGERPRINT = fingerprint()


class SearchCache:
    """Entries of kinds record, parts, grams and bundle under ``folder``; ``None`` keeps nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.used: set[Path] = set()
        self.hits: Counter[str] = Counter()  # by kind
        self.misses: Counter[str] = Counter()

    def get(self, kind: str, name: str) -> Any:
        """The value stored under (kind, name), or None when missing or unreadable."""
        if self.folder is None:
            return None
        path = self._path(kind, name)
        self.used.add(path)
        try:
            data = path.read_bytes()
        except OSError:
            self.misses[kind] += 1
            return None
        body = unseal(_MAGIC, f"{kind}/{name}", data)
        if body is None:
            log.debug("搜索缓存条目已损坏，重新计算：%s", path)
            self.misses[kind] += 1
            return None
        try:
            value = marshal.loads(body)
        except (EOFError, ValueError, TypeError):
            self.misses[kind] += 1
            return None
        self.hits[kind] += 1
        return value

    def put(self, kind: str, name: str, value: Any) -> None:
        """Store value (of marshal's types) under (kind, name); a cache that cannot be written is skipped."""
        if self.folder is None:
            return
        path = self._path(kind, name)
        self.used.add(path)
        body = marshal.dumps(value)
        try:
            if path.parent not in _MADE:
                path.parent.mkdir(parents=True, exist_ok=True)
                _MADE.add(path.parent)
            store(path, seal(_MAGIC, f"{kind}/{name}", body))
        except OSError as error:
            log.debug("搜索缓存无法写入（%s）：%s", path, error)

    def keep(self, kind: str, name: str, value: Callable[[], Any]) -> None:
        """Store value() under (kind, name) unless an entry is there already (for entries named by their
        content: the same name, the same value)."""
        if self.folder is None:
            return
        path = self._path(kind, name)
        if path.exists():
            self.used.add(path)
        else:
            self.put(kind, name, value())

    def fill(self, kind: str, function: Callable[[T], Any], jobs: Sequence[tuple[str, T]]) -> Iterator[Any]:
        """function of each job's item, in the jobs' order and as each is done, each stored under (kind,
        the job's name): on worker processes, which store what they compute, when the jobs are many
        (_workers); handed to them BATCH_ITEMS at a time."""
        return self.fill_batched(kind, functools.partial(_each, function), jobs, _uncounted)

    def fill_batched(
        self,
        kind: str,
        function: Callable[[list[T]], list[Any]],
        jobs: Sequence[tuple[str, T]],
        size: Callable[[T], int],
    ) -> Iterator[Any]:
        """As fill, with ``function`` of many items at once (a list of them → the list of their values), the
        jobs given it in batches of about BATCH_SIZE (each item's ``size``) and BATCH_ITEMS items at most."""
        work = functools.partial(_fill_many, self.folder, kind, function)
        if self.folder is not None:
            self.used.update(self._path(kind, name) for name, _ in jobs)
        batches = _batches(jobs, size)
        workers = _workers(len(jobs))
        if workers == 1:
            for batch in batches:
                yield from work(batch)
            return
        with worker_pool(workers) as pool:
            for values in pool.map(work, batches):
                yield from values

    def prune(
        self, kinds: tuple[str, ...] = ("record", "parts", "grams", "entries"), keep: dict[str, set[str]] | None = None
    ) -> None:
        """Remove the entries of these kinds this build did not use (nor named in keep: kind → names)."""
        if self.folder is None:
            return
        keep = keep or {}
        for kind in kinds:
            for path in entries(self.folder / kind):
                if path not in self.used and path.name not in keep.get(kind, ()):
                    with contextlib.suppress(OSError):
                        os.unlink(path)

    def prune_bundles(self, keep: int = 8) -> None:
        """Keep the lists of the last ``keep`` bundles written (a bundle published earlier than those is
        written again in full)."""
        if self.folder is None:
            return
        try:
            lists = sorted(entries(self.folder / "bundle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
            for path in lists[keep:]:
                os.unlink(path)
        except OSError:
            pass

    def _path(self, kind: str, name: str) -> Path:
        assert self.folder is not None and kind in _KINDS
        return self.folder / kind / name[:2] / name


_MADE: set[Path] = set()
"""Cache folders this process made (or found) already."""


BATCH_SIZE = 200_000
"""About the size of a batch of fill_batched: a batch ends once it holds this much or more (characters, for the
pages' parts, whose arrays take about 250 bytes a character: some 50 MB; a single page may be larger, and text
of one common gram repeated takes up to 2 KB a character)."""

BATCH_ITEMS = 32
"""Items in a batch of fill_batched at most (a batch's work is done, and stored, before any is handed on)."""


def _batches(jobs: Sequence[tuple[str, T]], size: Callable[[T], int]) -> list[list[tuple[str, T]]]:
    """The jobs in order, cut into batches: each ends once it holds BATCH_ITEMS items or BATCH_SIZE."""
    batches: list[list[tuple[str, T]]] = [[]]
    held = 0
    for job in jobs:
        if len(batches[-1]) == BATCH_ITEMS or (batches[-1] and held >= BATCH_SIZE):
            batches.append([])
            held = 0
        batches[-1].append(job)
        held += size(job[1])
    return [batch for batch in batches if batch]


def _fill_many(
    folder: Path | None, kind: str, function: Callable[[list[T]], list[Any]], jobs: list[tuple[str, T]]
) -> list[Any]:
    values = function([item for _, item in jobs])
    store = SearchCache(folder)
    for (name, _), value in zip(jobs, values, strict=True):
        store.put(kind, name, value)
    return values


def _each(function: Callable[[T], Any], items: list[T]) -> list[Any]:
    return [function(item) for item in items]


def _uncounted(_: object) -> int:
    return 0
