"""Load ``import-map.yml``, the county's own 栏目 → 领域 and 组配分类 tables for imports (optional)."""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from ..model.importmap import ImportMap
from .optional import load_optional

IMPORT_MAP_FILE = "import-map.yml"


def load_import_map(root: Path) -> tuple[ImportMap, list[Problem]]:
    """The county's import tables (empty when the file does not exist) and the problems of the file."""
    record, _, problems = load_optional(root, IMPORT_MAP_FILE, ImportMap)
    return record, problems
