"""Load towns, villages and payout lists from villages/<town>/<village>/."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from ..errors import Problem
from ..guard.normalise import fold
from ..model import PayoutFacts, PayoutList, PayoutRow, Town, Village
from ..model.schema import SLUG, SLUG_DOC
from .cache import LoadCache, Rows
from .files import rel_path
from .masking import is_masked_id, is_raw_id, mask_id
from .records import build, load_record_file, row_map
from .tables import read_table
from .tree import hidden, hidden_fix

VILLAGES_DIR = "villages"
TOWN_FILE = "town.yml"
VILLAGE_FILE = "village.yml"
PAYOUTS_DIR = "payouts"
ID_KEY = "身份证号"
RESERVED_SHEETS = ("catalogue",)  # the village's own sheets (render/site/urls.py); year-<YYYY> is the year-end notice
BANK_KEY = "银行卡号"
PHONE_KEY = "联系电话"


def load_villages(
    root: Path, cache: LoadCache | None = None
) -> tuple[list[Town], list[Village], list[PayoutList], list[Problem]]:
    """Every town, village and payout list under villages/."""
    towns, villages, payouts, problems = [], [], [], []
    for town_dir in sorted(p for p in (root / VILLAGES_DIR).glob("*") if p.is_dir() and not hidden(p.name)):
        town, found = load_record_file(Town, town_dir / TOWN_FILE, root, cache=cache)
        problems.extend(found)
        if town is None:
            continue
        towns.append(town)
        for village_dir in sorted(p for p in town_dir.iterdir() if p.is_dir() and not hidden(p.name)):
            village, found = load_record_file(Village, village_dir / VILLAGE_FILE, root, cache=cache, town=town.code)
            problems.extend(found)
            if village is None:
                continue
            villages.append(village)
            lists, found = load_payouts(village_dir / PAYOUTS_DIR, root, village, cache)
            payouts.extend(lists)
            problems.extend(found)
    return towns, villages, payouts, problems


def load_payouts(
    folder: Path, root: Path, village: Village, cache: LoadCache | None = None
) -> tuple[list[PayoutList], list[Problem]]:
    """The payout lists described by the YAML files in a village's payouts/ folder."""
    lists, problems = [], []
    for path in sorted(p for p in folder.glob("*.yml") if not hidden(p.name)):
        if not re.fullmatch(SLUG, path.stem):
            fix = f"{SLUG_DOC}，例如 2026-gdlb.yml（数据文件一并改名）"
            problems.append(Problem(rel_path(path, root), None, "", "文件名不能用作网址", fix))
            continue
        if path.stem in RESERVED_SHEETS or path.stem.startswith("year-"):
            problems.append(
                Problem(
                    rel_path(path, root),
                    None,
                    "",
                    f"文件名「{path.stem}」留给村的其他公示表使用",
                    "请换一个文件名，例如 2026-gdlb.yml（数据文件一并改名）",
                )
            )
            continue
        payout, found = load_record_file(
            PayoutList, path, root, cache=cache, slug=path.stem, town=village.town, village=village.code
        )
        problems.extend(found)
        if payout is None:
            continue
        rows, found, key, facts = load_payout_rows(folder / payout.table, root, payout, cache)
        problems.extend(found)
        lists.append(replace(payout, rows=rows, rows_key=key, facts=facts))
    return lists, problems


def load_payout_rows(
    path: Path, root: Path, payout: PayoutList, cache: LoadCache | None = None
) -> tuple[Sequence[PayoutRow], list[Problem], str, PayoutFacts]:
    """The rows of a payout table; unmasked personal numbers are refused. With them, the name of their load cache
    entry (the hash of the table's bytes, its path and gongkai's code; "" when there is no table) and what the
    later stages need of them (``PayoutFacts``): through the cache, an unchanged table's rows are unpickled only
    when read (load/cache.py ``Rows``)."""
    yml = payout.origin.path
    if hidden(payout.table):
        line = payout.origin.line_of("数据文件")
        refused = Problem(yml, line, "数据文件", f"数据文件「{payout.table}」是隐藏文件", hidden_fix(payout.table))
        return (), [refused], "", payout_facts(())
    if not path.is_file():
        where = payout.origin.line_of("数据文件")
        fix = "请把表格放在同一目录下，或改正文件名"
        missing = Problem(yml, where, "数据文件", f"找不到数据文件「{payout.table}」", fix)
        return (), [missing], "", payout_facts(())
    rel = rel_path(path, root)
    cache = cache or LoadCache(None)
    rows, facts, problems = cache.summarized("table", path, rel, functools.partial(_rows, path, rel), payout_facts)
    return rows if isinstance(rows, Rows) else tuple(rows), problems, cache.last or "", facts


def payout_facts(rows: Sequence[PayoutRow]) -> PayoutFacts:
    """What the later stages need of a table's rows: their number, their total, the checks' findings in them."""
    from ..check.villages import row_problems  # the check's own rules (check imports load's helpers)

    return PayoutFacts(len(rows), sum((row.amount for row in rows), Decimal("0")), row_problems(rows))


def _rows(path: Path, rel: str, data: bytes) -> tuple[list[PayoutRow], list[Problem]]:
    """The rows of a payout table's bytes, and the problems of the rows that do not load."""
    table, problems = read_table(path, rel, "户主姓名", data)
    rows = []
    for number, values in table:
        problems.extend(_raw_numbers(values, rel, number))
        row, found = build(PayoutRow, row_map(values, number), rel)
        problems.extend(found)
        if row:
            rows.append(row)
    if not table and not problems:
        problems.append(Problem(rel, None, "", "表格没有数据行", "请填入发放明细"))
    return rows, problems


def _raw_numbers(values: dict[str, object], rel: str, number: int) -> list[Problem]:
    return _raw_id(values, rel, number) + _raw_account(values, rel, number)


def _raw_account(values: dict[str, object], rel: str, number: int) -> list[Problem]:
    """Bank card and phone: more visible digits than the mask keeps is a raw number."""
    problems = []
    for key, visible in ((BANK_KEY, 4), (PHONE_KEY, 7)):
        value = fold(str(values.get(key) or ""))
        if sum(c.isdigit() for c in value) > visible:
            values[key] = ""
            problems.append(
                Problem(rel, number, key, f"未遮盖的{key}", "原始号码不能进入仓库：请用 gongkai import payouts 导入")
            )
    return problems


def _raw_id(values: dict[str, object], rel: str, number: int) -> list[Problem]:
    value = fold(str(values.get(ID_KEY) or ""))
    if not value or is_masked_id(value):
        return []
    what = "未遮盖的身份证号" if is_raw_id(value) else f"身份证号格式不对「{mask_id(value)}」"
    values[ID_KEY] = ""  # never carry the raw number further, not even into a message
    return [
        Problem(
            rel,
            number,
            ID_KEY,
            what,
            "原始号码不能进入仓库：只保留前 6 位和后 4 位，例如 340123********1234，或用 gongkai import payouts 导入",
        )
    ]
