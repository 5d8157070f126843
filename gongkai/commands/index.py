"""`gongkai index assign`: number the documents that have no 索引号 and record every number in the ledger."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..check.ledger import KEY, REASSIGN, check_ledger
from ..errors import Problem, SourceErrors
from ..link.indexno import IndexParts, IndexTemplate, Scope, compile_template
from ..load import load_county
from ..load.ledger import LEDGER_FILE, format_ledger
from ..model import County, Document
from ..model.ledger import LedgerEntry

_TITLE = re.compile("^标题[ \t]*:".encode())
_FENCES = (b"---", b"...")


@dataclass(frozen=True)
class Assignment:
    """What `index assign` did, or with --dry-run would do."""

    assigned: tuple[LedgerEntry, ...]
    """New numbers, written into documents that had none."""
    registered: tuple[LedgerEntry, ...]
    """Numbers the documents already had, now entered in the ledger."""
    ledger_size: int
    """How many numbers the ledger holds afterwards."""
    waiting: tuple[tuple[str, str], ...] = ()
    """(agency, source path) of the documents left without a number: the agency has no 统一社会信用代码 yet."""


@dataclass(frozen=True)
class Unnumbered:
    """A document to number: its source path, its agency's 统一社会信用代码 and its 发布日期."""

    path: str
    credit_code: str
    published: dt.date


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `gongkai index` and its sub-command `assign`."""
    index = commands.add_parser(
        "index",
        help="分配和登记索引号",
        description=f"索引号一经分配不得改动或重复使用；所有分配过的索引号记在 {LEDGER_FILE}。",
    )
    actions = index.add_subparsers(title="子命令", required=True, metavar="子命令")
    assign = actions.add_parser(
        "assign",
        help="给没有索引号的文件分配索引号，并登记所有已有的索引号",
        description="按发布日期顺序给没有索引号的文件分配下一个空闲的索引号，写在文件的「标题」下一行，"
        f"并把它们和已有但未登记的索引号记入 {LEDGER_FILE}。",
    )
    assign.add_argument("project", nargs="?", type=Path, default=Path("."), help="项目目录（默认：当前目录）")
    assign.add_argument(
        "--today", type=_date, default=dt.date.today(), help="记入登记簿的分配日期 YYYY-MM-DD（默认：今天）"
    )
    assign.add_argument("--dry-run", action="store_true", help="只列出将要分配和登记的索引号，不修改任何文件")
    assign.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Assign and register numbers; print what was done."""
    result = assign_numbers(args.project.resolve(), args.today, dry_run=args.dry_run)
    print(summary(result, args.dry_run))
    return 0


def summary(result: Assignment, dry_run: bool) -> str:
    """What was assigned and registered, with paths, in Chinese."""
    lines = waiting_lines(result.waiting)
    if not result.assigned and not result.registered:
        return "\n".join([f"没有需要分配或登记的索引号（{LEDGER_FILE} 共 {result.ledger_size} 个）。", *lines])
    will = "将" if dry_run else "已"
    lines[:0] = [f"{will}分配 {len(result.assigned)} 个索引号，{will}登记 {len(result.registered)} 个已有的索引号。"]
    lines += [f"  分配 {entry.path}：{entry.index_no}" for entry in result.assigned]
    lines += [f"  登记 {entry.path}：{entry.index_no}" for entry in result.registered]
    lines.append("试运行，没有修改任何文件。" if dry_run else f"{LEDGER_FILE} 共 {result.ledger_size} 个索引号。")
    return "\n".join(lines)


def waiting_lines(waiting: tuple[tuple[str, str], ...]) -> list[str]:
    """The documents that wait for their agency's 统一社会信用代码, grouped by agency."""
    by_agency: dict[str, list[str]] = {}
    for agency, path in waiting:
        by_agency.setdefault(agency, []).append(path)
    return [
        f"  {agency} 还没有统一社会信用代码，{len(paths)} 份文件暂不分配索引号、暂不发布"
        f"（{'、'.join(paths[:3])}{' 等' if len(paths) > 3 else ''}）：请在 county.yml 中填写后再运行本命令"
        for agency, paths in by_agency.items()
    ]


def assign_numbers(root: Path, today: dt.date, *, dry_run: bool = False) -> Assignment:
    """Register every unregistered number, number every document without one, and write both back."""
    county = load_county(root)
    _refuse_problems(county)
    template = compile_template(county.config.index_template)
    registered = _register(county, today)
    unnumbered, waiting = _unnumbered(county)
    used = {entry.index_no for entry in [*county.ledger, *registered]}
    assigned = number_documents(template, used, unnumbered, today)
    ledger = (*county.ledger, *registered, *assigned)
    if not dry_run:
        for entry in assigned:
            path = root / entry.path
            path.write_bytes(insert_index_line(path.read_bytes(), entry.index_no))
        if registered or assigned:
            (root / LEDGER_FILE).write_bytes(format_ledger(ledger).encode("utf-8"))
    return Assignment(tuple(assigned), tuple(registered), len(ledger), waiting)


def insert_index_line(source: bytes, index_no: str) -> bytes:
    """The source with `索引号: <value>` inserted after its 标题 entry; every other byte unchanged."""
    lines = source.splitlines(keepends=True)
    end = next((n for n, line in enumerate(lines[1:], start=1) if line.strip() in _FENCES), len(lines))
    title = next((n for n in range(1, end) if _TITLE.match(lines[n])), 0)
    after = title + 1
    while after < end and lines[after][:1] in (b" ", b"\t"):  # the title continues on indented lines
        after += 1
    newline = lines[after - 1][len(lines[after - 1].rstrip(b"\r\n")) :] or b"\n"
    line = f"{KEY}: {_yaml_text(index_no)}".encode() + newline
    return b"".join([*lines[:after], line, *lines[after:]])


def _yaml_text(value: str) -> str:
    """The value as YAML reads it back unchanged: plain when it can be, double-quoted otherwise."""
    try:
        plain = yaml.safe_load(f"k: {value}")
    except yaml.YAMLError:
        plain = None
    return value if plain == {"k": value} else json.dumps(value, ensure_ascii=False)


def _refuse_problems(county: County) -> None:
    """Raise SourceErrors when numbering would break a rule: every ledger error, duplicates, unknown agencies."""
    problems = [p for p in check_ledger(county) if not p.warning]
    problems += _duplicates(county)
    problems += [
        _at(
            doc,
            f"发布机构「{doc.agency}」不在 county.yml 的发布机构列表中，无法生成索引号",
            "请写列表中的全称或简称，或先在 county.yml 中添加这个机构",
        )
        for doc in county.documents
        if not doc.index_no and county.config.agency(doc.agency) is None
    ]
    if problems:
        raise SourceErrors(problems)


def _duplicates(county: County) -> list[Problem]:
    """Documents sharing a number that the ledger does not have yet (the ledger check covers the rest)."""
    registered = {entry.index_no for entry in county.ledger}
    seen: dict[str, Document] = {}
    problems = []
    for doc in county.documents:
        if not doc.index_no or doc.index_no in registered:
            continue
        first = seen.setdefault(doc.index_no, doc)
        if first is not doc:
            problems.append(_at(doc, f"索引号「{doc.index_no}」与 {first.origin.path} 重复", REASSIGN))
    return problems


def _at(doc: Document, message: str, fix: str) -> Problem:
    return Problem(doc.origin.path, doc.origin.line_of(KEY), KEY, message, fix)


def _register(county: County, today: dt.date) -> list[LedgerEntry]:
    """Ledger entries for the numbers documents already carry that the ledger lacks."""
    registered = {entry.index_no for entry in county.ledger}
    return [
        LedgerEntry(index_no=doc.index_no, path=doc.origin.path, assigned=today)
        for doc in county.documents
        if doc.index_no and doc.index_no not in registered
    ]


def _unnumbered(county: County) -> tuple[list[Unnumbered], tuple[tuple[str, str], ...]]:
    """The documents to number, and those that wait for their agency's 统一社会信用代码."""
    unnumbered, waiting = [], []
    for doc in county.documents:
        agency = county.config.agency(doc.agency)
        if doc.index_no or agency is None:  # an unknown agency is refused before
            continue
        if agency.credit_code:
            unnumbered.append(Unnumbered(doc.origin.path, agency.credit_code, doc.published))
        else:
            waiting.append((agency.name, doc.origin.path))
    return unnumbered, tuple(waiting)


def number_documents(
    template: IndexTemplate, used: set[str], documents: list[Unnumbered], today: dt.date
) -> list[LedgerEntry]:
    """A new number for each document, by 发布日期 then path: the next free one of its scope."""
    used = set(used)
    highest = _highest_sequences(template, used)
    entries = []
    for doc in sorted(documents, key=lambda doc: (doc.published, doc.path)):
        number = _next_free(template, template.scope(doc.credit_code, doc.published), highest, used)
        used.add(number)
        entries.append(LedgerEntry(index_no=number, path=doc.path, assigned=today))
    return entries


def _highest_sequences(template: IndexTemplate, numbers: set[str]) -> dict[Scope, int]:
    """The highest sequence used in each scope, among the numbers that fit the template."""
    highest: dict[Scope, int] = {}
    for number in numbers:
        parts = template.parse(number)
        if parts is not None:
            highest[parts.scope] = max(highest.get(parts.scope, 0), parts.sequence)
    return highest


def _next_free(template: IndexTemplate, scope: Scope, highest: dict[Scope, int], used: set[str]) -> str:
    """The number after the scope's highest that no ledger entry holds."""
    sequence = highest.get(scope, 0) + 1
    while (number := template.render(IndexParts(*scope, sequence))) in used:
        sequence += 1
    highest[scope] = sequence
    return number


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期「{text}」应写成 YYYY-MM-DD，例如 2026-11-26") from None
