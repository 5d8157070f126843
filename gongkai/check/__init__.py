"""Checks that need more than one record; they run before anything is written.

Errors stop the build; warnings (``Problem.warning``) are reported and stop it only with ``--strict``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..errors import Problem, ordered
from ..link import Links, link
from ..model import County
from .catalog import check_catalog, check_coverage
from .content import check_content
from .documents import check_documents
from .freshness import check_freshness
from .ledger import check_ledger, check_numbered
from .report import check_reports
from .theme import check_emblem, check_theme
from .villages import check_villages


def check_sources(county: County, root: Path) -> list[Problem]:
    """What only the source files show: unmasked personal numbers, refused HTML and broken body links,
    files in theme/ that must not be published (mkdocs.yml is checked when it is loaded)."""
    from ..guard import scan_sources  # the guard's readers and patterns, applied to the sources

    config = county.config
    emblem = check_emblem(config.emblem, config.origin.path, config.origin.line_of("标志"), root)
    return [*scan_sources(root, config), *check_content(county, root), *check_theme(root), *emblem]


def check_all(county: County, root: Path, today: dt.date, links: Links | None = None) -> list[Problem]:
    """Every check `check` and `build` run: cross-record checks and the source scans (``links``: the county's
    ``link(county, today)``, when the caller has it)."""
    return ordered([*check_county(county, today, links), *check_sources(county, root)])


def check_county(county: County, today: dt.date, links: Links | None = None) -> list[Problem]:
    """Every cross-record problem in the county on the build date, in file and line order (``links``: the
    county's ``link(county, today)``, when the caller has it)."""
    links = link(county, today) if links is None else links
    return ordered(
        [
            *check_catalog(county),
            *check_coverage(county, links, today),
            *check_documents(county, links, today),
            *check_villages(county),
            *check_freshness(county, today),
            *check_ledger(county),
            *check_numbered(county),
            *check_reports(county, links),
        ]
    )
