"""Load the domains (catalog/domains.yml) and each domain's catalogue (catalog/<code>.yml)."""

from __future__ import annotations

import functools
from pathlib import Path

from ..errors import Problem
from ..model import Catalog, Domain
from .cache import LoadCache
from .files import read_text, rel_path
from .records import build
from .tree import hidden
from .yamlsrc import YMap, parse_yaml

DOMAINS_FILE = "catalog/domains.yml"
DOMAINS_KEY = "领域"


def load_domains(root: Path) -> tuple[list[Domain], list[Problem]]:
    """The domains declared in catalog/domains.yml."""
    data, problems = _yaml(root / DOMAINS_FILE, root)
    if problems or data is None:
        return [], problems or [Problem(DOMAINS_FILE, None, "", "找不到领域列表", "请创建 catalog/domains.yml")]
    if not isinstance(data, YMap) or set(data) != {DOMAINS_KEY} or not isinstance(data[DOMAINS_KEY], list):
        return [], [
            Problem(
                DOMAINS_FILE,
                getattr(data, "line", None),
                DOMAINS_KEY,
                "文件应只有一个键「领域」，下面是领域列表",
                "请参照使用指南中的示例书写",
            )
        ]
    domains = []
    for item in data[DOMAINS_KEY]:
        domain, item_problems = build(Domain, item, DOMAINS_FILE)
        problems.extend(item_problems)
        if domain:
            domains.append(domain)
    return domains, problems


def load_catalogs(root: Path, cache: LoadCache | None = None) -> tuple[list[Catalog], list[Problem]]:
    """Every catalogue file under catalog/ except the domain list (what parsing made of each, through ``cache``:
    27 files of YAML cost 0.1 s of every build at county scale)."""
    catalogs, problems = [], []
    cache = cache or LoadCache(None)
    for path in sorted(p for p in (root / "catalog").glob("*.yml") if not hidden(p.name)):
        rel = rel_path(path, root)
        if rel == DOMAINS_FILE or not path.is_file():
            continue
        catalog, found = cache.parse("catalog", path, rel, functools.partial(_catalog, rel))
        problems.extend(found)
        if catalog:
            catalogs.append(catalog)
    return catalogs, problems


def _catalog(rel: str, text: str) -> tuple[Catalog | None, list[Problem]]:
    data, problems = parse_yaml(text, rel)
    if data is None:
        return None, problems
    catalog, record_problems = build(Catalog, data, rel)
    return catalog, problems + record_problems


def _yaml(path: Path, root: Path) -> tuple[object, list[Problem]]:
    if not path.is_file():
        return None, []
    rel = rel_path(path, root)
    text, problems = read_text(path, rel)
    if text is None:
        return None, problems
    return parse_yaml(text, rel)
