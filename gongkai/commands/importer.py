"""`gongkai import documents`: turn a list exported from a legacy CMS into document sources, once."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem, SourceErrors, UsageError
from ..load.catalog import load_domains
from ..load.config import load_config
from ..load.documents import DOCUMENTS_DIR, document_paths, split_front_matter
from ..load.files import read_text, rel_path
from ..load.legacy import DEFAULT_KIND, Draft, Vocabulary, read_legacy
from ..load.yamlsrc import parse_yaml
from ..model import Document
from ..model.schema import specs

_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Document)}
_NO_WRAP = 1 << 30  # yaml folds long titles otherwise


class ImportOptionError(UsageError):
    """An option of the import command names something the county does not have."""


@dataclass
class ImportReport:
    """What an import did: the documents taken, the rows skipped or refused, the warnings, the files written."""

    taken: list[Path] = field(default_factory=list)
    """Where each document taken goes (written, unless it was a dry run)."""
    skipped: list[Problem] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def import_documents(
    root: Path, table: Path, *, domain: str | None = None, kind: str = DEFAULT_KIND, dry_run: bool = False
) -> ImportReport:
    """Write a document source for every row of ``table`` that can be one; never overwrite a file."""
    vocabulary = _vocabulary(root, domain, kind)
    legacy, problems = read_legacy(table, table.name, vocabulary)
    if problems:
        raise SourceErrors(problems)
    report = ImportReport(refused=legacy.refused, warnings=legacy.warnings)
    existing = existing_documents(root)
    drafts = _new_drafts(legacy.drafts, existing, table.name, report)
    known = set(existing.by_index) | {d.document.index_no for d in drafts if d.document.index_no}
    for draft in drafts:
        if not _refuse_orphan(draft, known, table.name, report):
            _place(root, draft, report, dry_run)
    _in_row_order(report, {d.row for d in drafts})
    return report


def _in_row_order(report: ImportReport, rows: set[int]) -> None:
    """Sort skipped and refused rows; keep only the warnings of the file and of the rows taken."""
    report.skipped.sort(key=lambda p: p.line or 0)
    report.refused.sort(key=lambda p: p.line or 0)
    taken = rows - {p.line for p in report.skipped + report.refused}
    report.warnings = [w for w in report.warnings if w.line is None or w.line in taken]


def _vocabulary(root: Path, domain: str | None, kind: str) -> Vocabulary:
    config, problems = load_config(root)
    domains, found = load_domains(root)
    if problems or found or config is None:
        raise SourceErrors(problems + found)
    vocabulary = Vocabulary(config, tuple(domains), domain, kind)
    if domain and vocabulary.find_domain(domain) is None:
        names = "、".join(f"{d.code}（{d.name}）" for d in domains)
        raise ImportOptionError(f"--domain「{domain}」不是 catalog/domains.yml 中的领域；可用：{names}")
    if kind not in config.kinds:
        raise ImportOptionError(f"--kind「{kind}」不在组配分类列表中；可用：" + "、".join(config.kinds))
    return vocabulary


@dataclass
class Existing:
    """The documents already in the county: file by 索引号, and file by 标题 and 发布日期."""

    by_index: dict[str, str] = field(default_factory=dict)
    by_title: dict[tuple[str, str], str] = field(default_factory=dict)

    def find(self, document: Document) -> tuple[str, str] | None:
        """(field, message) when the document is already there."""
        if document.index_no in self.by_index:
            return "索引号", f"索引号「{document.index_no}」已存在（{self.by_index[document.index_no]}），跳过"
        same = self.by_title.get((document.title, document.published.isoformat()))
        return ("标题", f"已有标题和发布日期相同的文件（{same}），跳过") if same else None


def existing_documents(root: Path) -> Existing:
    """The county's documents, read leniently so that a file with mistakes still counts."""
    existing = Existing()
    for path in sorted(document_paths(root)):
        rel = rel_path(path, root)
        text, _ = read_text(path, rel)
        front = split_front_matter(text)[0] if text else None
        data, _ = parse_yaml(front, rel) if front else (None, [])
        if not isinstance(data, dict):
            continue
        if data.get("索引号"):
            existing.by_index.setdefault(str(data["索引号"]).strip(), rel)
        existing.by_title.setdefault((str(data.get("标题", "")).strip(), str(data.get("发布日期", ""))), rel)
    return existing


def _new_drafts(drafts: list[Draft], existing: Existing, rel: str, report: ImportReport) -> list[Draft]:
    """The drafts not in the county already, nor repeating the 索引号 of an earlier row."""
    first_row: dict[str, int] = {}
    new = []
    for draft in drafts:
        index_no = draft.document.index_no
        found = existing.find(draft.document)
        if found:
            report.skipped.append(Problem(rel, draft.row, *found))
        elif index_no and index_no in first_row:
            report.refused.append(
                Problem(
                    rel,
                    draft.row,
                    "索引号",
                    f"索引号「{index_no}」与第 {first_row[index_no]} 行重复",
                    "索引号全站唯一：请核对这两行，删去重复的一行或这一行的索引号",
                )
            )
        else:
            if index_no:
                first_row[index_no] = draft.row
            new.append(draft)
    return new


def _refuse_orphan(draft: Draft, known: set[str], rel: str, report: ImportReport) -> bool:
    """Refuse a 政策解读 whose 解读对象 is neither in the county nor in this table."""
    target = draft.document.interprets
    if not target or target in known:
        return False
    report.refused.append(
        Problem(
            rel,
            draft.row,
            "解读对象",
            f"找不到索引号为「{target}」的文件",
            "请先导入或发布所解读的文件，或核对解读对象的索引号",
        )
    )
    return True


def _place(root: Path, draft: Draft, report: ImportReport, dry_run: bool) -> None:
    path = next(path for path in _candidates(root, draft) if not path.exists())
    report.taken.append(path)
    if not dry_run:
        _write_new(path, source_text(draft.document))
        report.written.append(path)


def _candidates(root: Path, draft: Draft) -> Iterator[Path]:
    """The draft's file, then numbered variants for when another file already has that name."""
    published = draft.document.published
    stem = f"{published:%Y%m%d}-imp-{draft.row:04d}"
    folder = root / DOCUMENTS_DIR / str(published.year)
    yield folder / f"{stem}.md"
    number = 2
    while True:
        yield folder / f"{stem}-{number}.md"
        number += 1


def _write_new(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as file:  # "x": never overwrite
        file.write(text)


def source_text(document: Document) -> str:
    """The Markdown source of a document: its front matter keys in declaration order, then the body."""
    lines = [
        f"{field_spec.key}: {_yaml_value(getattr(document, name))}"
        for name, field_spec in specs(Document)
        if _written_out(name, getattr(document, name))
    ]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + document.body + "\n"


def _written_out(name: str, value: Any) -> bool:
    return value not in (None, "", ()) and value != _DEFAULTS[name]


def _yaml_value(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return yaml.safe_dump(list(value), allow_unicode=True, default_flow_style=True, width=_NO_WRAP).strip()
    dumped = yaml.safe_dump(value, allow_unicode=True, width=_NO_WRAP)
    return dumped.removesuffix("\n...\n").strip()


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `gongkai import documents FILE [--domain D] [--kind K] [--project DIR] [--dry-run]`."""
    command = commands.add_parser(
        "import",
        help="从旧网站导出的表格导入历史文件",
        description="把旧网站（内容管理系统）导出的列表转成 gongkai 的源文件。",
    )
    what = command.add_subparsers(title="导入内容", required=True, metavar="内容")
    documents = what.add_parser(
        "documents",
        help="导入政府信息文件（.xlsx 或 .csv）",
        description="每行写成 content/documents/<年>/ 下的一个 Markdown 文件，已有的文件不会被覆盖；"
        "索引号已存在的行跳过，所以同一个表格可以重复导入。没有成文日期的行按发布日期填写。",
    )
    documents.add_argument(
        "file", type=Path, help="旧系统导出的表格（.xlsx 或 .csv，表头行中要有「标题」或「信息名称」列）"
    )
    documents.add_argument("--domain", default=None, help="表格没有「领域」时使用的领域（代码或名称）")
    documents.add_argument(
        "--kind", default=DEFAULT_KIND, help=f"表格没有「组配分类」时使用的组配分类（默认：{DEFAULT_KIND}）"
    )
    documents.add_argument("--project", type=Path, default=Path("."), help="项目目录（默认：当前目录）")
    documents.add_argument("--dry-run", action="store_true", help="只检查并报告，不写任何文件")
    documents.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Import, print the summary; exit code 0 when every row was taken or skipped, else 1."""
    report = import_documents(
        args.project.resolve(), args.file, domain=args.domain, kind=args.kind, dry_run=args.dry_run
    )
    print(summary(report, args.dry_run), file=sys.stderr)
    return 1 if report.refused else 0


def summary(report: ImportReport, dry_run: bool = False) -> str:
    """The report for the clerk: documents taken per year, then the rows skipped, the warnings and the rows refused."""
    years = Counter(path.parent.name for path in report.taken)
    per_year = "，".join(f"{year} 年 {count} 份" for year, count in sorted(years.items()))
    verb = "可导入" if dry_run else "已导入"
    lines = [f"{verb} {len(report.taken)} 份文件" + (f"（{per_year}）" if per_year else "") + "。"]
    if dry_run:
        lines.append("试运行：没有写入任何文件。")
    refused_rows = len({p.line for p in report.refused})
    for heading, problems in (
        (f"跳过 {len(report.skipped)} 行：", report.skipped),
        (f"警告 {len(report.warnings)} 条：", report.warnings),
        (f"未导入 {refused_rows} 行：", report.refused),
    ):
        if problems:
            lines += [heading, *(f"  {problem}" for problem in problems)]
    return "\n".join(lines)
