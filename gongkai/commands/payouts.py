"""`gongkai import payouts`: a clerk's payout table → masked CSV and YAML description per village."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from ..errors import IMPORT_OUTCOME, Problem, SourceErrors, UsageError
from ..load.payouts import PayoutReadError, find_village, read_payouts
from ..load.villages import PAYOUTS_DIR, VILLAGES_DIR, load_villages
from ..model import PayoutList, PayoutRow, Phone, Town, Village
from ..model.config import PAPERS
from ..model.schema import specs

HEADER = tuple(s.key for _, s in specs(PayoutRow))
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class PayoutOptionError(UsageError):
    """An option of `import payouts` is missing or names something the county does not have."""


@dataclass(frozen=True)
class Description:
    """What the options say about the list: everything of the .yml besides the table."""

    slug: str
    subsidy: str
    year: int
    basis: str
    start: dt.date
    end: dt.date
    issued: dt.date
    unit: str | None = None
    paper: str | None = None
    phones: tuple[Phone, ...] = ()


@dataclass
class Written:
    """One village's list as written: where, how many households, the total."""

    village: Village
    town: Town
    csv: Path
    rows: int
    total: Decimal


@dataclass
class PayoutImport:
    """What an import did; nothing is written when a row is refused."""

    written: list[Written] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    """With --force: what each replaced list was (「…2026-gdlb.yml（耕地地力保护补贴，18 户，金额合计 …）」)."""


def import_payouts(
    root: Path,
    table: Path,
    about: Description,
    *,
    village: str | None = None,
    sheet: str | None = None,
    force: bool = False,
) -> PayoutImport:
    """Read, mask and check ``table``; write one masked list per village unless a row is refused.

    A list whose households and amounts equal an existing list's (another slug: the same payment
    imported twice) is refused, naming that list; --force replaces a list of the same slug and says so.
    """
    towns, villages, existing = _county(root)
    chosen = _chosen(village, towns, villages) if village else None
    try:
        found = read_payouts(table, villages, village=chosen, sheet=sheet, towns=towns)
    except PayoutReadError as error:
        raise SourceErrors([error.problem], IMPORT_OUTCOME) from None
    result = PayoutImport(refused=found.refused)
    if found.refused:
        return result
    by_code = {t.code: t for t in towns}
    targets = {v: _folder(root, v) / f"{about.slug}.csv" for v in found.rows}
    _refuse_copies(found.rows, existing, about.slug, table.name)
    _refuse_overwrite(targets.values(), root, force)
    result.replaced = [
        _described(p)
        for p in existing
        if (p.town, p.village, p.slug) in {(v.town, v.code, about.slug) for v in targets}
    ]
    for target_village, rows in found.rows.items():
        town = by_code[target_village.town]
        write_list(targets[target_village], [row for _, row in rows], about, town, target_village)
        total = sum((Decimal(row["金额"]) for _, row in rows), Decimal(0))
        result.written.append(Written(target_village, town, targets[target_village], len(rows), total))
    return result


def _refuse_copies(
    rows: dict[Village, list[tuple[int, dict[str, str]]]], existing: list[PayoutList], slug: str, name: str
) -> None:
    """Refuse a list whose households and amounts equal another list's of the same village."""
    problems = []
    for village, found in rows.items():
        mine = sorted((row["户主姓名"], Decimal(row["金额"])) for _, row in found)
        for other in existing:
            if (other.town, other.village) != (village.town, village.code) or other.slug == slug:
                continue
            if sorted((r.name, r.amount) for r in other.rows) == mine:
                problems.append(
                    Problem(
                        name,
                        None,
                        "",
                        f"{village.name}的这份名单与已有的 {_described(other)}户主和金额完全相同，"
                        "同一笔发放导入两次会使年度发放结果公示的合计翻倍",
                        f"如果是同一份名单，不必再导入；要替换它，请用同一个 --slug {other.slug} 加 --force",
                    )
                )
    if problems:
        raise SourceErrors(problems, IMPORT_OUTCOME)


def _described(payout: PayoutList) -> str:
    """「villages/…/2026-gdlb.yml（耕地地力保护补贴，18 户，金额合计 9,366.75 元）」."""
    where = f"{VILLAGES_DIR}/{payout.town}/{payout.village}/{PAYOUTS_DIR}/{payout.slug}.yml"
    return f"{where}（{payout.subsidy}，{len(payout.rows)} 户，金额合计 {payout.total:,.2f} 元）"


def write_list(path: Path, rows: list[dict[str, str]], about: Description, town: Town, village: Village) -> None:
    """The masked CSV (UTF-8, PayoutRow keys) and its .yml description beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.StringIO()
    writer = csv.DictWriter(out, HEADER, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    writer.writerows({key: row.get(key, "") for key in HEADER} for row in rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    path.with_suffix(".yml").write_text(description_yaml(about, path.name, town, village), encoding="utf-8")


def description_yaml(about: Description, table: str, town: Town, village: Village) -> str:
    """The .yml of a payout list; phones from the options, else the village's and the town's."""
    phones = about.phones or village.phones + town.phones
    data: dict[str, object] = {
        "补贴项目": about.subsidy,
        "年度": about.year,
        "依据": about.basis,
        "单位": about.unit,
        "数据文件": table,
        "公示开始": about.start,
        "公示结束": about.end,
        "落款日期": about.issued,
        "纸张": about.paper,
        "电话": [{"名称": p.name, "号码": p.number} for p in phones],
    }
    data = {key: value for key, value in data.items() if value is not None}
    # No anchors and aliases: with 公示开始 and 落款日期 the same date, PyYAML would write &id001 / *id001,
    # and a clerk editing 公示开始 would silently move 落款日期 too.
    return yaml.dump(data, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=1 << 30)


class _PlainDumper(yaml.SafeDumper):
    """SafeDumper that writes every value out in full, never as an alias."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _county(root: Path) -> tuple[list[Town], list[Village], list[PayoutList]]:
    towns, villages, payouts, problems = load_villages(root)
    problems = [p for p in problems if not p.path.endswith((".csv", ".xlsx")) and "payouts" not in p.path]
    if problems:
        raise SourceErrors(problems, IMPORT_OUTCOME)
    if not villages:
        raise PayoutOptionError(f"{root / VILLAGES_DIR} 下没有村：请先建好 town.yml 和 village.yml")
    return towns, villages, payouts


def _chosen(option: str, towns: list[Town], villages: list[Village]) -> Village:
    town_part, _, village_part = option.partition("/")
    town = next((t for t in towns if town_part in (t.code, t.name)), None)
    found = find_village(village_part, [v for v in villages if town and v.town == town.code])
    if town is None or found is None:
        raise PayoutOptionError(
            f"--village「{option}」：本县没有这个村（写法：乡镇代码/村代码，例如 chengguan/shangxi）"
        )
    return found


def _folder(root: Path, village: Village) -> Path:
    return root / VILLAGES_DIR / village.town / village.code / PAYOUTS_DIR


def _refuse_overwrite(targets: Iterable[Path], root: Path, force: bool) -> None:
    existing = [p for p in targets if p.exists() or p.with_suffix(".yml").exists()]
    if existing and not force:
        names = "、".join(str(p.relative_to(root)) for p in existing)
        raise PayoutOptionError(f"这些公示名单已经存在：{names}。确认要替换时加 --force")


def summary(result: PayoutImport, root: Path) -> str:
    """The report for the clerk: households and totals per village, then the rows refused and why."""
    lines = []
    for item in result.written:
        where = item.csv.relative_to(root)
        lines.append(f"{item.town.name}{item.village.name}：{item.rows} 户，金额合计 {item.total:,.2f} 元 → {where}")
    lines += [f"已替换原有名单：{old}" for old in result.replaced]
    if result.refused:
        rows = len({p.line for p in result.refused})
        lines.append(f"有 {rows} 行不能导入，未写入任何文件。请改正后重新导入：")
        lines += [f"  {problem}" for problem in sorted(result.refused, key=lambda p: p.line or 0)]
    elif not result.written:
        lines.append("表格中没有数据行。")
    return "\n".join(lines)


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `gongkai import payouts FILE --subsidy … --basis … --start … [--village T/V] [--sheet S]`."""
    parent = commands.choices["import"]
    what = next(a for a in parent._actions if isinstance(a, argparse._SubParsersAction))
    command = what.add_parser(
        "payouts",
        help="导入惠民惠农补贴发放名单（.xlsx 或 .csv）",
        description="读取发放名单，遮盖身份证号、银行卡号和手机号，按「村」列分到各村，写成 "
        "villages/<乡镇>/<村>/payouts/<名称>.csv 和 .yml。有一行不合格就不写任何文件。",
    )
    command.add_argument("file", type=Path, help="发放名单（.xlsx 或 .csv，表头要有「户主姓名」和「金额」）")
    command.add_argument("--project", type=Path, default=Path("."), help="项目目录（默认：当前目录）")
    command.add_argument("--village", default=None, help="整张表属于一个村：乡镇代码/村代码，例如 chengguan/shangxi")
    command.add_argument("--sheet", default=None, help="Excel 工作表名称（默认：第一个）")
    command.add_argument("--slug", required=True, help="文件名（小写字母、数字和连字符），例如 2026-gdlb")
    command.add_argument("--subsidy", required=True, help="补贴项目，例如 耕地地力保护补贴")
    command.add_argument("--year", type=int, default=None, help="年度（默认：公示开始的年份）")
    command.add_argument("--basis", required=True, help="发放依据（文件名称和文号）")
    command.add_argument("--unit", default=None, help="数量的单位，例如 亩")
    command.add_argument("--start", type=_date, required=True, help="公示开始 YYYY-MM-DD")
    command.add_argument("--end", type=_date, default=None, help="公示结束（默认：开始后第 7 天）")
    command.add_argument("--issued", type=_date, default=None, help="落款日期（默认：公示开始）")
    command.add_argument("--paper", choices=PAPERS, default=None, help="纸张（默认：村或 county.yml 的设置）")
    command.add_argument(
        "--phone",
        action="append",
        default=[],
        metavar="名称=号码",
        help="监督举报或咨询电话，可写多次（默认：村和乡镇的电话）",
    )
    command.add_argument("--force", action="store_true", help="替换已有的同名公示名单")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Import, print the summary; exit code 1 when any row was refused."""
    root = args.project.resolve()
    result = import_payouts(
        root, args.file, _description(args), village=args.village, sheet=args.sheet, force=args.force
    )
    print(summary(result, root), file=sys.stderr)
    return 1 if result.refused else 0


def _description(args: argparse.Namespace) -> Description:
    if not _SLUG.match(args.slug):
        raise PayoutOptionError(f"--slug「{args.slug}」只能用小写字母、数字和连字符，例如 2026-gdlb")
    phones = tuple(_phone(text) for text in args.phone)
    return Description(
        slug=args.slug,
        subsidy=args.subsidy,
        year=args.year or args.start.year,
        basis=args.basis,
        start=args.start,
        end=args.end or args.start + dt.timedelta(days=6),
        issued=args.issued or args.start,
        unit=args.unit,
        paper=args.paper,
        phones=phones,
    )


def _phone(text: str) -> Phone:
    name, _, number = text.partition("=")
    if not name.strip() or not number.strip():
        raise PayoutOptionError(f"--phone「{text}」应写成 名称=号码，例如 县财政局监督电话=0550-7012345")
    return Phone(name=name.strip(), number=number.strip())


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期「{text}」应写成 YYYY-MM-DD，例如 2026-11-20") from None
