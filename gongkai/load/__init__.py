"""Loading: every source file → typed model records, with every problem collected, not just the first."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from pathlib import Path

from ..errors import Problem, SourceErrors
from ..model import County
from .cache import LoadCache
from .catalog import load_catalogs, load_domains
from .config import load_config
from .documents import load_documents
from .ledger import load_ledger
from .report import load_reports
from .site_config import check_site_config
from .tree import content_types, refused_entries
from .villages import load_villages


def load_county(root: Path) -> County:
    """Load every source under ``root``; raise SourceErrors with all problems if any file is wrong."""
    county, problems = load_sources(root)
    if problems or county is None:
        raise SourceErrors(problems)
    return county


def load_sources(root: Path, cache: LoadCache | None = None) -> tuple[County | None, list[Problem]]:
    """Every record that loads, and the problems of those that do not, so that the cross-record checks
    can run on the rest in the same run; the county is None only when county.yml itself is unusable.
    What parsing made of an unchanged file comes from ``cache`` (by default the project's, load/cache.py)."""
    with paused_collector():
        return _load_sources(root, cache)


@contextlib.contextmanager
def paused_collector() -> Iterator[None]:
    """Within: the cyclic garbage collector paused. Loading makes millions of objects and few cycles, and
    the collector's full passes over them cost more the bigger the county.
    After: what was made is in the oldest generation (freeze + unfreeze moves it there without a pass);
    left in the youngest, the next collections would walk every record of the county two more times."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()  # (also what LoadCache froze while parsing)
        if paused:
            gc.enable()


@contextlib.contextmanager
def frozen_collector() -> Iterator[None]:
    """Within: what exists now (the loaded county) is out of the collector's sight (gc.freeze), so that the
    full collections the checks' garbage triggers (pypdf's, say) do not walk millions of records; what is
    made within is collected as usual."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _load_sources(root: Path, cache: LoadCache | None) -> tuple[County | None, list[Problem]]:
    """Every record that loads, and the problems of those that do not, so that the cross-record checks
    can run on the rest in the same run; the county is None only when county.yml itself is unusable.
    What parsing made of an unchanged file comes from ``cache`` (by default the project's, load/cache.py)."""
    cache = LoadCache.open(root) if cache is None else cache
    refused = refused_entries(root)
    if refused:  # no loader may follow a link or wait on a pipe: refused before any file is read
        raise SourceErrors(refused + content_types(root))
    problems: list[Problem] = [*check_site_config(root), *content_types(root)]
    config, found = load_config(root)
    problems += found
    domains, found = load_domains(root)
    problems += found
    catalogs, found = load_catalogs(root, cache)
    problems += found
    documents, found = load_documents(root, cache)
    problems += found
    towns, villages, payouts, found = load_villages(root, cache)
    problems += found
    ledger, found = load_ledger(root)
    problems += found
    reports, found = load_reports(root)
    problems += found
    cache.prune()
    if config is None:
        return None, problems
    return County(
        config=config,
        domains=tuple(domains),
        catalogs=tuple(catalogs),
        documents=tuple(documents),
        towns=tuple(towns),
        villages=tuple(villages),
        payouts=tuple(payouts),
        ledger=tuple(ledger),
        reports=tuple(reports),
        failed=frozenset(p.path for p in problems),
    ), problems
