"""Checks that need more than one record; they run before anything is written."""

from __future__ import annotations

from ..errors import Problem
from ..model import County
from .catalog import check_catalog
from .documents import check_documents
from .villages import check_villages


def check_county(county: County) -> list[Problem]:
    """Every cross-record problem in the county, in file and line order."""
    problems = [*check_catalog(county), *check_documents(county), *check_villages(county)]
    return sorted(problems, key=lambda p: (p.path, p.line or 0, p.field, p.message))
