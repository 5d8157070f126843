"""`gongkai audit`: the self-inspection report (HTML, XLSX, terminal) and its trend, outside the public site."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from ..audit.trend import TREND_FILE, record_trend
from ..errors import ExitCode, SourceErrors, UsageError
from ..link.held import publishable
from ..load.tree import SOURCE_DIRS
from .build import load_and_check
from .progress import Progress

DEFAULT_OUT = "audit"


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `gongkai audit [PROJECT] [--today D] [--site-dir DIR] [--out DIR] [--online]`."""
    command = commands.add_parser(
        "audit",
        help="按政府网站检查指标和工作内容表自查，生成自查报告",
        description="读取源文件和已生成的网站，逐项对照《政府网站与政务新媒体检查指标》和提升行动工作内容表，"
        f"把自查报告（网页、Excel）写到 {DEFAULT_OUT}/（不在网站中），并把本次结果记入 {TREND_FILE}。"
        "退出码：0 单项否决指标全部合格；5 有单项否决指标不合格（报告照常生成）；1 源文件或规则表有错；"
        "2 用法错误（如还没有生成网站）。",
    )
    command.add_argument("project", nargs="?", type=Path, default=Path("."), help="项目目录（默认：当前目录）")
    command.add_argument("--today", type=_date, default=dt.date.today(), help="检查日期 YYYY-MM-DD（默认：今天）")
    command.add_argument("--site-dir", type=Path, default=None, help="已生成的网站目录（默认：项目目录下的 site/）")
    command.add_argument("--out", type=Path, default=None, help=f"报告目录（默认：项目目录下的 {DEFAULT_OUT}/）")
    command.add_argument("--online", action="store_true", help="也检查指向其他网站的链接（需要联网）")
    command.set_defaults(run=run)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期「{text}」应写成 YYYY-MM-DD，例如 2026-11-26") from None


def _check_out(out: Path, root: Path, site_dir: Path) -> None:
    """The report goes neither into the site (it is not public) nor into a source folder (check would scan it)."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"报告目录 {out} 是一个文件：请用 --out 指定一个目录（默认 {DEFAULT_OUT}/）")
    if out == site_dir or site_dir in out.parents:
        raise UsageError(f"报告目录 {out} 在网站目录中：自查报告不公开，请用 --out 指定网站以外的目录")
    for folder in (root / name for name in SOURCE_DIRS):
        if out == folder or folder in out.parents:
            raise UsageError(
                f"报告目录 {out} 在源文件目录 {folder.name}/ 中：请用 --out 指定其他目录（默认 {DEFAULT_OUT}/）"
            )


def run(args: argparse.Namespace) -> int:
    """Check, judge, write the report and the trend, print the summary; exit 5 when a 单项否决 fails."""
    from ..audit.report import write_report  # here, not above: every other command would import the audit (0.2 s)
    from ..audit.report.terminal import summary
    from ..audit.run import audit

    root = args.project.resolve()
    site_dir = (args.site_dir or root / "site").resolve()
    out = (args.out or root / DEFAULT_OUT).resolve()
    _check_out(out, root, site_dir)
    try:
        county, _ = load_and_check(root, args.today, Progress(quiet=True))
    except SourceErrors as errors:
        raise SourceErrors(errors.problems, "未生成自查报告") from None
    result = audit(root, publishable(county), site_dir, args.today, args.online)
    trend = record_trend(root / TREND_FILE, result)
    written = write_report(result, out, trend)
    print(summary(result, [path.relative_to(root) if root in path.parents else path for path in written]))
    return ExitCode.VETOED if result.vetoed else ExitCode.OK
