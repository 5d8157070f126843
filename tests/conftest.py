"""Shared fixtures: a small county written into a temporary directory."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from kit import write_county


@pytest.fixture
def county_dir(tmp_path: Path) -> Path:
    """A small, valid county."""
    return write_county(tmp_path / "county")
