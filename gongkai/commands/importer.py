"""`gongkai import documents`: a raw CMS export in, document sources out, with every guess in one review file.

One run plans everything (``gongkai.migrate.plan``), reports it, and then — unless ``--dry-run`` — writes
it: the documents, county.yml's new bodies, index-ledger.csv, public-numbers.yml, and the review workbook
beside the export. The clerk corrects the workbook in Excel and runs the same command again: the
rows already imported are updated in place, nothing is imported twice.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import IMPORT_OUTCOME, Problem, SourceErrors, UsageError
from ..guard.sources import SOURCE_DIRS
from ..migrate.plan import NEW, ImportPlan, plan_import
from ..migrate.review import Review, read_review, review_bytes
from ..model.document import PENDING

REVIEW_SUFFIX = "-核对.xlsx"


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    plan: ImportPlan
    review_path: Path
    written: list[str] = field(default_factory=list)
    """Relative paths of the files written (none in a dry run)."""


def review_path_for(table: Path) -> Path:
    """Where the review workbook of an export lives: beside it, 「<export>-核对.xlsx」."""
    return table.with_name(table.stem + REVIEW_SUFFIX)


def import_documents(
    root: Path, table: Path, *, review: Path | None = None, today: dt.date | None = None, dry_run: bool = False
) -> ImportReport:
    """Plan the import of ``table`` with the review read back (if there is one), then write it all."""
    review_path = review or review_path_for(table)
    _outside_sources(root, table, review_path)
    reviewed, problems = read_review(review_path, review_path.name) if review_path.is_file() else (Review(), [])
    if problems:
        raise SourceErrors(problems, IMPORT_OUTCOME)
    plan, problems = plan_import(root, table, reviewed, today or dt.date.today(), review_path.name)
    if problems:
        raise SourceErrors(problems, IMPORT_OUTCOME)
    report = ImportReport(plan, review_path)
    if dry_run:
        return report
    for rel, (_, content) in plan.files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        report.written.append(rel)
    from ..load.catalog import load_domains
    from ..load.config import load_config

    config, _ = load_config(root)
    domains, _ = load_domains(root)
    kinds = list(config.kinds) if config else []
    review_path.write_bytes(review_bytes(plan.review, [d.name for d in domains], kinds))
    return report


def _outside_sources(root: Path, *paths: Path) -> None:
    """The export holds raw numbers and the review names every guess: neither may lie in the project (the
    repository the site is built and published from), where a commit would carry them along."""
    project = root.resolve()
    for path in paths:
        resolved = path.resolve()
        folder = next((f for f in SOURCE_DIRS if resolved.is_relative_to(project / f)), None)
        if folder is not None:
            raise UsageError(
                f"{path} 在项目的 {folder}/ 目录中：导出表含有未遮盖的个人号码，"
                "它和核对表都不能放在网站的源文件目录里。请把导出表移到项目目录以外（例如 ~/迁移/）再导入"
            )
        if resolved.is_relative_to(project):
            raise UsageError(
                f"{path} 在项目目录 {root} 中：导出表含有未遮盖的个人号码，放在项目（仓库）里会随提交一起上传。"
                "请把导出表和核对表移到项目目录以外（例如 ~/迁移/）再导入"
            )


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `gongkai import documents FILE [--review FILE] [--today D] [--project DIR] [--dry-run]`."""
    command = commands.add_parser(
        "import",
        help="从旧网站导出的表格导入历史文件",
        description="把旧网站（内容管理系统）导出的列表转成 gongkai 的源文件。",
    )
    what = command.add_subparsers(title="导入内容", required=True, metavar="内容")
    documents = what.add_parser(
        "documents",
        help="导入政府信息文件（.xlsx 或 .csv）",
        description="每行写成 content/documents/<年>/ 下的一个 Markdown 文件。"
        "导出表没有的（领域、机构的统一社会信用代码、解读对象）由 gongkai 推断，"
        "每项推断和依据写进核对表（与导出表同目录的「<文件名>-核对.xlsx」）；"
        "在 Excel 中改好核对表，再运行一次同样的命令即可。网站上已有的文件跳过，已导入的行按核对表更新。",
    )
    documents.add_argument(
        "file", type=Path, help="旧系统导出的表格（.xlsx 或 .csv，表头行中要有「标题」或「信息名称」列）"
    )
    documents.add_argument(
        "--review", type=Path, default=None, help="核对表的位置（默认：导出表旁的「<文件名>-核对.xlsx」）"
    )
    documents.add_argument("--today", type=_date, default=None, help="记入索引号登记簿的日期 YYYY-MM-DD（默认：今天）")
    documents.add_argument("--project", type=Path, default=Path("."), help="项目目录（默认：当前目录）")
    documents.add_argument("--dry-run", action="store_true", help="只显示将要写入的全部内容，不写任何文件")
    documents.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Import and print the summary (and, for a dry run, every change); 1 when a row was refused."""
    root = args.project.resolve()
    report = import_documents(root, args.file, review=args.review, today=args.today, dry_run=args.dry_run)
    if args.dry_run:
        print(changes(root, report.plan))
    print(summary(report, args.dry_run), file=sys.stderr)
    return 1 if report.plan.refused else 0


def changes(root: Path, plan: ImportPlan) -> str:
    """Every file the import would write, as a unified diff against what is there now."""
    parts = []
    for rel, (mode, content) in sorted(plan.files.items()):
        old = [] if mode == NEW else (root / rel).read_text(encoding="utf-8").splitlines(keepends=True)
        new = content.decode("utf-8").splitlines(keepends=True)
        parts.append("".join(difflib.unified_diff(old, new, f"a/{rel}" if old else "/dev/null", f"b/{rel}")))
    return "".join(parts)


def summary(report: ImportReport, dry_run: bool = False) -> str:
    """The report for the clerk, in Chinese: what was (or would be) written, what waits, what to check."""
    plan = report.plan
    verb = "将" if dry_run else "已"
    documents = plan.documents
    years = Counter(p.draft.fields["published"].year for p in documents if not p.update)
    per_year = "，".join(f"{year} 年 {count} 份" for year, count in sorted(years.items()))
    new = sum(not p.update for p in documents)
    lines = [f"{verb}导入 {new} 份文件" + (f"（{per_year}）" if per_year else "") + "。"]
    if len(documents) > new:
        lines.append(f"{verb}按核对表更新 {len(documents) - new} 份文件。")
    unsure_domain = [p for p in documents if p.domain == PENDING]
    unsure_kind = [p for p in documents if p.kind == PENDING]
    decided = len(documents) - len(unsure_domain)
    lines.append(
        f"领域：推断 {decided} 份，无法判断 {len(unsure_domain)} 份（写为「待定」，暂不发布）" + _colon(unsure_domain)
    )
    lines += [
        f"  第 {p.draft.row} 行「{p.draft.title}」：{p.line.domain_reason.removeprefix('无法判断：')}"
        for p in unsure_domain
    ]
    if unsure_kind:
        lines.append(f"组配分类：{len(unsure_kind)} 份无法判断（写为「待定」，暂不发布）：")
        lines += [f"  第 {p.draft.row} 行「{p.draft.title}」：{p.line.kind_reason}" for p in unsure_kind]
    interpretations = [p for p in documents if p.kind == "政策解读"]
    if interpretations:
        lines.append(f"政策解读：{len(interpretations)} 份，已关联所解读的文件。")
    if plan.new_agencies:
        lines.append(f"新的发布机构 {len(plan.new_agencies)} 个（{verb}加入 county.yml，统一社会信用代码待填）：")
        lines += [
            f"  {a.name}（导出表写作：{'、'.join(a.spellings)}；第 {'、'.join(map(str, a.rows))} 行）"
            for a in plan.new_agencies
        ]
    if plan.dropped_agencies:
        names = "、".join(plan.dropped_agencies)
        lines.append(f"核对表把它们的写法改为其他机构，{verb}从 county.yml 删去没有文件使用、也没有代码的机构：{names}")
    if plan.waiting:
        lines.append(f"{len(plan.waiting)} 份文件的发布机构还没有统一社会信用代码：暂不分配索引号、暂不发布。")
    given = [e for e in plan.assigned if e.path in {p.path for p in documents}]
    if given:
        lines.append(f"{verb}分配或登记索引号 {len(given)} 个（记入 index-ledger.csv）。")
    masked = [s for p in documents for s in p.spots if s.key not in p.public]
    public = [s for p in documents for s in p.spots if s.key in p.public]
    if masked:
        lines.append(f"发现个人号码 {len(masked)} 个，已遮盖（依法公开的请在核对表「号码」中改为「公开」并写明理由）：")
        lines += [f"  第 {s.row} 行「{s.column}」：{s.kind} {s.masked}（{s.context}）" for s in masked]
    if public:
        lines.append(f"按核对表公开号码 {len(public)} 个（{verb}记入 public-numbers.yml）：")
        lines += [f"  第 {s.row} 行「{s.column}」：{s.kind} {s.masked}" for s in public]
    if plan.unbuildable:
        count = len(plan.unbuildable)
        lines.append(f"构建会拒绝 {count} 处（{verb}写入，请在文件或核对表中改正，gongkai check 同样会指出）：")
        lines += [f"  {problem}" for problem in plan.unbuildable]
    for heading, problems in (("跳过", plan.skipped), ("警告", plan.warnings), ("未导入", plan.refused)):
        if problems:
            lines += [f"{heading} {len(problems)} 条：", *(f"  {problem}" for problem in problems)]
    if dry_run:
        lines.append(f"试运行：没有写入任何文件（将写入 {len(plan.files)} 个文件和核对表 {report.review_path.name}）。")
    else:
        lines.append(f"核对表：{report.review_path}。请在 Excel 中核对后保存，再运行一次同样的命令。")
    return "\n".join(lines)


def _colon(items: Sequence[object]) -> str:
    return "：" if items else "。"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期「{text}」应写成 YYYY-MM-DD，例如 2026-11-26") from None


__all__ = ["ImportReport", "Problem", "import_documents", "review_path_for", "summary"]
