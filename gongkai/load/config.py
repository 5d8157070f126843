"""Load ``county.yml`` into a CountyConfig."""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from ..model import CountyConfig
from .records import load_record_file

CONFIG_FILE = "county.yml"


def load_config(root: Path) -> tuple[CountyConfig | None, list[Problem]]:
    """The county configuration and its problems."""
    return load_record_file(
        CountyConfig, root / CONFIG_FILE, root, missing=f"请在项目根目录创建 {CONFIG_FILE}，参照使用指南中的示例"
    )
