"""Checks that need more than one record; they run before anything is written.

Errors stop the build; warnings (``Problem.warning``) are reported and stop it only with ``--strict``.
"""

from __future__ import annotations

import datetime as dt

from ..errors import Problem, ordered
from ..link import link
from ..model import County
from .catalog import check_catalog, check_coverage
from .documents import check_documents
from .freshness import check_freshness
from .ledger import check_ledger
from .report import check_reports
from .villages import check_villages


def check_county(county: County, today: dt.date) -> list[Problem]:
    """Every cross-record problem in the county on the build date, in file and line order."""
    links = link(county, today)
    return ordered(
        [
            *check_catalog(county),
            *check_coverage(county, links, today),
            *check_documents(county, links, today),
            *check_villages(county),
            *check_freshness(county, today),
            *check_ledger(county),
            *check_reports(county, links),
        ]
    )
