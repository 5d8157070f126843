"""The `gongkai` command line: the one place where errors become messages and exit codes."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from pathlib import Path

from ..errors import GongkaiError, SourceErrors
from . import bundle, importer, index, payouts
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
    """Run one command; return its exit code (0 success, 1 problems in the sources, 2 other failure)."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, format="%(message)s")
    try:
        return int(args.run(args) or 0)
    except SourceErrors as errors:
        print(errors, file=sys.stderr)
        return 1
    except GongkaiError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断，已发布的网站没有改动。", file=sys.stderr)
        return 130


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
    build.set_defaults(run=_build)
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
    report = build(root, site_dir, args.today, Progress(quiet=args.quiet), strict=args.strict)
    for warning in report.warnings:
        print(warning, file=sys.stderr)
    if args.report:
        args.report.write_text(report.to_json(), encoding="utf-8")
    sheets = report.sheets
    print(
        f"网站已生成：{site_dir}（{report.pages} 个页面，{report.documents} 份文件，"
        f"{sheets.rendered + sheets.cached if sheets else 0} 份公示表）",
        file=sys.stderr,
    )
    return 0


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
    sys.exit(main())
