"""The rules table: gongkai's own (rules.yml beside this module), adjusted by the county's audit-rules.yml,
and the county's evidence (audit-evidence.yml); every problem located by file and line, in Chinese."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ..check.documents import guess
from ..errors import Problem, SourceErrors
from ..load.files import read_text
from ..load.optional import load_optional
from ..load.records import build
from ..load.yamlsrc import parse_yaml
from ..model.audit import (
    COUNTY_RULES,
    EVIDENCE_FILE,
    SOFTWARE,
    AuditEvidence,
    AuditRule,
    AuditRules,
    RenamedBody,
    WorkItem,
)

SHIPPED = Path(__file__).with_name("rules.yml")
SHIPPED_NAME = "gongkai/audit/rules.yml"

T = TypeVar("T", AuditRule, RenamedBody, WorkItem)


@dataclass(frozen=True)
class RuleTable:
    """The rules in force: gongkai's table with the county's adjustments applied."""

    dated: dt.date
    basis: str
    rules: tuple[AuditRule, ...]
    renamed: tuple[RenamedBody, ...]
    work: tuple[WorkItem, ...]
    places: tuple[str, ...]
    adjusted: tuple[dt.date, str] | None = None
    """The county file's date and basis, when it adjusts the table."""

    def rule(self, code: str) -> AuditRule | None:
        """The indicator with this 编号 (None when the table lacks it)."""
        return next((r for r in self.rules if r.code == code), None)


def load_rules(
    root: Path, known_rules: Mapping[str, tuple[str, ...]], known_work: Collection[str], kinds: Collection[str]
) -> tuple[RuleTable, AuditEvidence]:
    """The rules in force and the county's evidence; SourceErrors with every problem of the three files."""
    shipped, problems = read_table(SHIPPED.parent.parent.parent, SHIPPED_NAME)
    county, found = read_table(root, COUNTY_RULES) if (root / COUNTY_RULES).is_file() else (None, [])
    problems += found
    evidence, _, found = load_optional(root, EVIDENCE_FILE, AuditEvidence)
    problems += found
    if shipped is None or problems:
        raise SourceErrors(problems, "未生成自查报告")
    table = merge(shipped, county)
    problems += _unknown(county, known_rules, known_work)
    problems += _kinds(table, kinds)
    problems += _counts(table)
    problems += _needs(table, known_rules)
    problems += _evidence(evidence, table)
    if problems:
        raise SourceErrors(problems, "未生成自查报告")
    return table, evidence


def read_table(root: Path, rel: str) -> tuple[AuditRules | None, list[Problem]]:
    """One rules table; None and the problems when it does not load."""
    path = root / rel
    if not path.is_file():
        return None, [Problem(rel, None, "", "缺少这个文件", "请重新安装 gongkai")]
    text, problems = read_text(path, rel)
    if text is None:
        return None, problems
    data, problems = parse_yaml(text, rel)
    if problems or data is None:
        return None, problems or [
            Problem(rel, None, "", "文件中没有内容", "请参照使用指南「自查报告」书写，或删除这个文件")
        ]
    return build(AuditRules, data, rel)


def merge(shipped: AuditRules, county: AuditRules | None) -> RuleTable:
    """gongkai's table, each county entry replacing the one with its 编号 (旧名称), new ones appended."""
    if county is None:
        return RuleTable(shipped.dated, shipped.basis, shipped.rules, shipped.renamed, shipped.work, shipped.places)
    return RuleTable(
        shipped.dated,
        shipped.basis,
        _replace(shipped.rules, county.rules, lambda r: r.code),
        _replace(shipped.renamed, county.renamed, lambda r: r.old),
        _replace(shipped.work, county.work, lambda w: w.code),
        (*shipped.places, *county.places),
        (county.dated, county.basis),
    )


def _replace(base: Iterable[T], changes: Iterable[T], key: Callable[[T], str]) -> tuple[T, ...]:
    by_key: dict[str, T] = {key(item): item for item in changes}
    kept: list[T] = [by_key.pop(key(item), item) for item in base]
    return tuple(kept + list(by_key.values()))


def _unknown(
    county: AuditRules | None, known_rules: Mapping[str, tuple[str, ...]], known_work: Collection[str]
) -> list[Problem]:
    """A county indicator gongkai has no check for, or a 软件检查 work item it cannot judge."""
    if county is None:
        return []
    problems = []
    for rule in county.rules:
        if rule.code not in known_rules:
            problems.append(
                _at(
                    rule.origin.path,
                    rule.origin.line_of("编号"),
                    "编号",
                    f"没有编号为「{rule.code}」的指标",
                    guess(rule.code, sorted(known_rules)) + "指标只能调整，不能新增；请写自带规则表中的编号",
                )
            )
    for item in county.work:
        if item.way == SOFTWARE and item.code not in known_work:
            problems.append(
                _at(
                    item.origin.path,
                    item.origin.line_of("方式"),
                    "方式",
                    f"gongkai 不会检查工作内容「{item.code}」",
                    guess(item.code, sorted(known_work))
                    + "新增的工作内容请写「方式: 佐证材料」，并在 audit-evidence.yml 中登记佐证",
                )
            )
    return problems


def _needs(table: RuleTable, known_rules: Mapping[str, tuple[str, ...]]) -> list[Problem]:
    """Each indicator has the keys its check reads (天数 for the update rules …)."""
    values = {"天数": "days", "比例": "ratio", "组配分类": "kinds", "栏目类别": "columns"}
    return [
        _at(
            rule.origin.path,
            rule.origin.line,
            key,
            f"指标「{rule.name}」缺少「{key}」",
            f"请参照自带规则表（{SHIPPED_NAME}）中编号为 {rule.code} 的指标补上",
        )
        for rule in table.rules
        for key in known_rules.get(rule.code, ())
        if getattr(rule, values[key]) in (None, ())
    ]


def _kinds(table: RuleTable, kinds: Collection[str]) -> list[Problem]:
    """Every 组配分类 a rule names must be one of county.yml's."""
    problems = []
    for rule in table.rules:
        named = [(rule.kinds, rule.origin)] + [(c.kinds, c.origin) for c in rule.columns]
        for names, origin in named:
            for name in names:
                if name not in kinds:
                    problems.append(
                        _at(
                            origin.path,
                            origin.line_of("组配分类"),
                            "组配分类",
                            f"「{name}」不在 county.yml 的组配分类列表中",
                            guess(name, sorted(kinds)) + "请写本县使用的组配分类",
                        )
                    )
        if rule.ratio is not None and not 0 <= rule.ratio <= 100:
            problems.append(
                _at(
                    rule.origin.path,
                    rule.origin.line_of("比例"),
                    "比例",
                    f"比例 {rule.ratio} 不在 0 到 100 之间",
                    "请写百分数的数字，例如 比例: 80",
                )
            )
    return problems


EXAMPLES = {"天数": 14, "允许数": 5}


def _counts(table: RuleTable) -> list[Problem]:
    """天数 and 允许数 are at least 1: with 0 or less every county fails (or, for a deadline, always passes)."""
    counts = [(rule.origin, "允许数", rule.limit) for rule in table.rules]
    counts += [(rule.origin, "天数", rule.days) for rule in table.rules]
    counts += [(c.origin, "天数", c.days) for rule in table.rules for c in rule.columns]
    return [
        _at(
            origin.path,
            origin.line_of(key),
            key,
            f"{key} {value} 小于 1",
            f"请写 1 或更大的整数，例如 {key}: {EXAMPLES[key]}",
        )
        for origin, key, value in counts
        if value is not None and value < 1
    ]


def _evidence(evidence: AuditEvidence, table: RuleTable) -> list[Problem]:
    codes = [w.code for w in table.work]
    return [
        _at(
            e.origin.path,
            e.origin.line_of("编号"),
            "编号",
            f"没有编号为「{e.work}」的工作内容",
            guess(e.work, codes) + "请写自查报告「工作内容表」中的编号",
        )
        for e in evidence.entries
        if e.work not in codes
    ]


def _at(path: str, line: int | None, key: str, message: str, fix: str) -> Problem:
    return Problem(path, line, key, message, fix)
