"""Checks on domains and catalogues: unique codes, every catalogue naming a known domain once."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ..errors import Problem
from ..link import Links
from ..model import Catalog, CatalogRow, County, Domain

_CODE = re.compile(r"^[a-z][a-z0-9-]*$")
_WORKING_DAYS = re.compile(r"(\d+)\s*个工作日")
DEFAULT_WORKING_DAYS = 20


def check_catalog(county: County) -> Iterator[Problem]:
    """Domain codes are URL-safe and unique; each catalogue belongs to exactly one known domain."""
    seen: dict[str, str] = {}
    for domain in county.domains:
        line = domain.origin.line_of("代码")
        if not _CODE.match(domain.code):
            yield Problem(
                domain.origin.path,
                line,
                "代码",
                f"领域代码「{domain.code}」只能用小写字母、数字和「-」",
                "例如 snbt（涉农补贴）",
            )
        for name in (domain.code, domain.name, *domain.aliases):
            if name in seen and seen[name] != domain.code:
                yield Problem(
                    domain.origin.path, line, "名称", f"「{name}」同时属于两个领域", "代码、名称和别名不能重复"
                )
            seen[name] = domain.code
    yield from _credit_codes(county)
    owner: dict[str, str] = {}
    for catalog in county.catalogs:
        found = county.domain(catalog.domain)
        where = (catalog.origin.path, catalog.origin.line_of("领域"), "领域")
        if found is None:
            yield Problem(*where, f"没有名为「{catalog.domain}」的领域", "请写 catalog/domains.yml 中的领域代码")
        elif found.code in owner:
            yield Problem(*where, f"领域「{found.name}」的目录已在 {owner[found.code]} 中", "每个领域只写一个目录文件")
        else:
            owner[found.code] = catalog.origin.path


def _credit_codes(county: County) -> Iterator[Problem]:
    """No two bodies of county.yml share a 统一社会信用代码 (it makes their 索引号)."""
    first: dict[str, str] = {}
    for agency in county.config.agencies:
        code = agency.credit_code
        if code and code in first:
            yield Problem(agency.origin.path, agency.origin.line_of("统一社会信用代码"), "统一社会信用代码",
                          f"「{agency.name}」的统一社会信用代码 {code} 与「{first[code]}」相同",
                          "每个机构的代码不同，请核对")  # fmt: skip
        elif code:
            first[code] = agency.name


def check_coverage(county: County, links: Links, today: dt.date) -> Iterator[Problem]:
    """Warn about domains without a catalogue and items with nothing published past their 公开时限."""
    for domain in county.domains:
        catalog = links.catalogs.get(domain.code)
        if catalog is None or not catalog.rows:
            yield Problem(
                domain.origin.path,
                domain.origin.line_of("代码"),
                "代码",
                f"领域「{domain.name}」没有标准目录",
                f"请在 catalog/{domain.code}.yml 中编制本领域的基层政务公开标准目录",
                warning=True,
            )
        elif catalog.since:
            yield from _overdue(domain, catalog, links, today)


def _overdue(domain: Domain, catalog: Catalog, links: Links, today: dt.date) -> Iterator[Problem]:
    assert catalog.since is not None
    for row in catalog.rows:
        if links.documents_of.get((domain.code, row.number)):
            continue
        due = links.calendar.add_working_days(catalog.since, _deadline_days(row))
        if today > due:
            yield Problem(
                row.origin.path,
                row.origin.line,
                "公开时限",
                f"目录事项「{row.title}」自 {catalog.since} 施行，已超过公开时限（{row.deadline}，"
                f"{due} 到期）仍没有发布信息",
                f"请发布该事项的信息，并在文件中写「目录事项: {row.number}」",
                warning=True,
            )


def _deadline_days(row: CatalogRow) -> int:
    match = _WORKING_DAYS.search(row.deadline)
    return int(match.group(1)) if match else DEFAULT_WORKING_DAYS
