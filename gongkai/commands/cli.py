"""The `gongkai` command line: the one place where errors become messages and exit codes."""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import io
import logging
import os
import sys
import tempfile
import traceback
from pathlib import Path

from ..errors import (
    BuildFailed,
    EnvironmentProblem,
    ExitCode,
    GongkaiError,
    SourceErrors,
    UsageError,
    after_publishing,
)
from . import audit, bundle, importer, index, payouts
from .progress import Progress

# argparse's own words, for clerks: argparse looks its messages up through a module-level `_`.
ARGPARSE_WORDS = {
    "usage: ": "用法：",
    "options": "选项",
    "positional arguments": "参数",
    "show this help message and exit": "显示帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
}
argparse._ = lambda text: ARGPARSE_WORDS.get(text, text)  # type: ignore[attr-defined]

EPILOG = "使用指南：生成网站后打开「使用指南」栏目，或阅读 content/guide/。"


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit code (see ``ExitCode``): every failure is one Chinese message."""
    for stream in (sys.stdout, sys.stderr):  # a GBK console or log file: a rare character is「?」, not a crash
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")
    args = _parser().parse_args(argv)
    terminal = logging.StreamHandler()
    if not args.verbose:
        terminal.addFilter(_shown)
    level = logging.DEBUG if args.verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(message)s", handlers=[terminal])
    logging.captureWarnings(True)  # a library's Python warnings are log records too (py.warnings)
    publishes = getattr(args, "publishes", False)
    try:
        return int(args.run(args) or 0)
    except GongkaiError as error:
        code = next((c for kind, c in _EXIT_CODES.items() if isinstance(error, kind)), ExitCode.SOURCES)
        after = _site_after(error, publishes) if code == ExitCode.ENVIRONMENT else ""
        print(error if isinstance(error, SourceErrors) else f"错误：{error}{after}", file=sys.stderr)
        return code
    except KeyboardInterrupt as error:
        print(f"已中断。{_site_after(error, publishes)}", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except MemoryError as error:
        after = _site_after(error, publishes)
        print(f"错误：内存不足，无法完成。请关闭其他程序或换一台内存更大的机器后重试。{after}", file=sys.stderr)
        return ExitCode.ENVIRONMENT
    except OSError as error:
        message = machine_problem(error)
        if message is None:
            return _internal(error, args.verbose, _site_after(error, publishes))
        print(f"错误：{message}{_site_after(error, publishes)}", file=sys.stderr)
        return ExitCode.ENVIRONMENT
    except Exception as error:  # a fault in gongkai: a message and a report file, never a bare traceback
        return _internal(error, args.verbose, _site_after(error, publishes))


def entry(argv: list[str] | None = None) -> None:
    """The ``gongkai`` command: ``main``, then the process ends at once, without freeing what it built.

    At county scale a build holds millions of small objects (the loaded county, the search postings); letting
    the interpreter free them one by one at exit took 3–8 s after the work was done. Everything a command
    writes is closed by then, its worker processes ended; only the streams are flushed here."""
    code = main(argv)
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(code)


UNTOUCHED = "已发布的网站保持原样。"
PUBLISHED_ALREADY = "新网站已经发布，只是收尾没有做完，下次生成会补上（会多花些时间）。"


def _site_after(error: BaseException, publishes: bool) -> str:
    """What a command that publishes says of the site when ``error`` stopped it: untouched, unless the build
    had already published the new one (and was stopped while recording it)."""
    if not publishes:
        return ""
    return PUBLISHED_ALREADY if after_publishing(error) else UNTOUCHED


_EXIT_CODES: dict[type[GongkaiError], ExitCode] = {
    SourceErrors: ExitCode.SOURCES,
    BuildFailed: ExitCode.SOURCES,
    UsageError: ExitCode.USAGE,
    EnvironmentProblem: ExitCode.ENVIRONMENT,
}


_MACHINE = {
    errno.ENOSPC: "磁盘空间不足（{path}）。请清理磁盘后重试",
    errno.EDQUOT: "磁盘配额已用完（{path}）。请清理磁盘后重试",
    errno.EACCES: "没有权限读写「{path}」。请检查这个文件或目录的权限，或换一个用户运行",
    errno.EPERM: "没有权限读写「{path}」。请检查这个文件或目录的权限，或换一个用户运行",
    errno.EROFS: "「{path}」所在的磁盘是只读的。请换一个可写的目录",
    errno.ENOMEM: "内存不足（{path}）。请关闭其他程序后重试",
    errno.ENAMETOOLONG: "文件名或路径太长（{path}）。请用较短的名称（如 --slug）或较浅的目录",
    errno.EMFILE: "同时打开的文件太多（{path}）。请提高系统的文件数限制（ulimit -n）后重试",
}


def machine_problem(error: OSError) -> str | None:
    """A Chinese sentence for an error of the machine (disk full, no permission …); None for anything else."""
    template = _MACHINE.get(error.errno or 0)
    if template is None:
        return None
    if not error.filename:  # the system did not say which file: say nothing rather than 「未知文件」
        return template.replace("（{path}）", "").replace("「{path}」", "文件或目录") + "。"
    return template.format(path=error.filename) + "。"


SHOWN = ("gongkai", "mkdocs")
"""The loggers whose records reach the terminal without ``--verbose``: gongkai's own (in Chinese) and MkDocs'
(gongkai turns what it can into Chinese; the rest are build problems a clerk must still see). Other libraries'
lines — pypdf's 「EOF marker not found」 while the guard reads a damaged PDF, which gongkai reports in Chinese
anyway — are for developers (``-v``)."""


def _shown(record: logging.LogRecord) -> bool:
    return record.name.partition(".")[0] in SHOWN


def _internal(error: BaseException, verbose: bool, untouched: str) -> int:
    """Report a fault in gongkai itself: one Chinese line, the details in a file to send to the maintainers."""
    details = "".join(traceback.format_exception(error))
    if verbose:
        print(details, file=sys.stderr)
    try:
        with tempfile.NamedTemporaryFile("w", prefix="gongkai-error-", suffix=".log", delete=False) as log:
            log.write(details)
        where = f"详细信息已写入 {log.name}，请把这个文件发给维护人员。"
    except OSError:
        where = "请用 -v 重新运行并把输出发给维护人员。"
    print(f"错误：gongkai 内部错误（{type(error).__name__}）。{untouched}{where}", file=sys.stderr)
    return ExitCode.INTERNAL


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongkai", description="县级政务公开网站生成工具。", epilog=EPILOG)
    parser.add_argument("-v", "--verbose", action="store_true", help="显示详细日志")
    commands = parser.add_subparsers(title="命令", required=True, metavar="命令")
    build = commands.add_parser(
        "build",
        help="检查源文件并生成网站（网页、公示表 PDF、搜索索引）",
        description="检查 → 生成网页 → 公示表 PDF → 搜索索引 → 发布。出错时已发布的网站保持不变。",
    )
    _common(build)
    build.add_argument("--site-dir", type=Path, default=None, help="输出目录（默认：项目目录下的 site/）")
    build.add_argument("--report", type=Path, default=None, help="把各阶段耗时写入这个 JSON 文件")
    build.add_argument("-q", "--quiet", action="store_true", help="不显示进度")
    build.add_argument(
        "--guide", action="store_true", help="把给工作人员看的使用指南也发布到网站的 guide/ 下（默认不发布）"
    )
    build.add_argument(
        "--clean", action="store_true", help="全部重新生成，不沿用上次生成的未改动页面（默认只重新生成改动过的部分）"
    )
    build.set_defaults(run=_build, publishes=True)
    check = commands.add_parser(
        "check", help="只检查源文件，不生成网站", description="与 build 相同的检查，但不写任何文件。"
    )
    _common(check)
    check.set_defaults(run=_check)
    serve = commands.add_parser(
        "serve",
        help="本地预览，修改源文件后自动刷新",
        description="在本机启动预览服务器，源文件改动后自动重新生成并刷新浏览器。",
    )
    _common(serve)
    serve.add_argument("-a", "--address", default="127.0.0.1:8000", help="监听地址（默认 127.0.0.1:8000）")
    serve.set_defaults(run=_serve)
    importer.add_parser(commands)
    payouts.add_parser(commands)
    bundle.add_parser(commands)
    index.add_parser(commands)
    audit.add_parser(commands)
    return parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", nargs="?", type=Path, default=Path("."), help="项目目录（默认：当前目录）")
    parser.add_argument(
        "--today",
        type=_date,
        default=dt.date.today(),
        help="生成日期 YYYY-MM-DD（默认：今天）；相同源文件和日期生成完全相同的网站",
    )
    parser.add_argument("--strict", action="store_true", help="把警告（如解读发布过晚、栏目长期未更新）也当作错误")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期「{text}」应写成 YYYY-MM-DD，例如 2026-11-26") from None


def _build(args: argparse.Namespace) -> int:
    from .build import build

    root = args.project.resolve()
    site_dir = (args.site_dir or root / "site").resolve()
    report = build(
        root, site_dir, args.today, Progress(quiet=args.quiet), strict=args.strict, guide=args.guide, clean=args.clean
    )
    for warning in report.warnings:
        print(warning, file=sys.stderr)
    if args.report:
        args.report.write_text(report.to_json(), encoding="utf-8")
    sheets = report.sheets
    if report.unchanged:
        print(
            f"没有改动：源文件、程序和选项都与上次生成时相同，网站也没有被改动过，保持原样：{site_dir}"
            f"（{report.pages} 个页面，{report.documents} 份文件，{sheets.cached if sheets else 0} 份公示表）。"
            "要全部重新生成，请加 --clean。",
            file=sys.stderr,
        )
        return ExitCode.OK
    print(
        f"网站已生成：{site_dir}（{report.pages} 个页面，{report.documents} 份文件，"
        f"{sheets.rendered + sheets.cached if sheets else 0} 份公示表）",
        file=sys.stderr,
    )
    if report.reused:
        reused = f"其中 {report.reused} 个页面和文件没有改动，沿用了上次生成的结果（--clean 可全部重新生成）。"
        print(reused, file=sys.stderr)
    return ExitCode.OK


def _check(args: argparse.Namespace) -> int:
    from .check import check

    documents, warnings = check(args.project.resolve(), args.today, Progress(), strict=args.strict)
    for warning in warnings:
        print(warning, file=sys.stderr)
    found = f"有 {len(warnings)} 条警告，请尽快处理" if warnings else "没有发现问题"
    print(f"检查通过：{documents} 份文件，{found}。", file=sys.stderr)
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .serve import serve

    serve(args.project.resolve(), args.today, args.address)
    return 0


if __name__ == "__main__":
    entry()
