"""Load ``county.yml`` into a CountyConfig."""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from ..model import CountyConfig
from .files import read_text
from .records import build
from .yamlsrc import parse_yaml

CONFIG_FILE = "county.yml"


def load_config(root: Path) -> tuple[CountyConfig | None, list[Problem]]:
    """The county configuration and its problems."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return None, [Problem(CONFIG_FILE, None, "", "找不到县级配置文件",
                              f"请在项目根目录创建 {CONFIG_FILE}，参照使用指南中的示例")]
    text, problems = read_text(path, CONFIG_FILE)
    if text is None:
        return None, problems
    data, problems = parse_yaml(text, CONFIG_FILE)
    if problems:
        return None, problems
    return build(CountyConfig, data, CONFIG_FILE)
