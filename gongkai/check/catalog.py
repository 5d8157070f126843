"""Checks on domains and catalogues: unique codes, every catalogue naming a known domain once."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import Problem
from ..model import County

_CODE = re.compile(r"^[a-z][a-z0-9-]*$")


def check_catalog(county: County) -> Iterator[Problem]:
    """Domain codes are URL-safe and unique; each catalogue belongs to exactly one known domain."""
    seen: dict[str, str] = {}
    for domain in county.domains:
        line = domain.origin.line_of("代码")
        if not _CODE.match(domain.code):
            yield Problem(domain.origin.path, line, "代码", f"领域代码「{domain.code}」只能用小写字母、数字和「-」",
                          "例如 snbt（涉农补贴）")
        for name in (domain.code, domain.name, *domain.aliases):
            if name in seen and seen[name] != domain.code:
                yield Problem(domain.origin.path, line, "名称", f"「{name}」同时属于两个领域",
                              "代码、名称和别名不能重复")
            seen[name] = domain.code
    owner: dict[str, str] = {}
    for catalog in county.catalogs:
        found = county.domain(catalog.domain)
        where = (catalog.origin.path, catalog.origin.line_of("领域"), "领域")
        if found is None:
            yield Problem(*where, f"没有名为「{catalog.domain}」的领域", "请写 catalog/domains.yml 中的领域代码")
        elif found.code in owner:
            yield Problem(*where, f"领域「{found.name}」的目录已在 {owner[found.code]} 中",
                          "每个领域只写一个目录文件")
        else:
            owner[found.code] = catalog.origin.path
