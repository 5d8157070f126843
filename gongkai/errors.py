"""The small exception hierarchy; only the CLI turns these into messages and exit codes."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ExitCode(enum.IntEnum):
    """What a gongkai command's exit status means; CI scripts may tell the failures apart by it."""

    OK = 0
    SOURCES = 1
    """The sources (or the theme, or a number the leak guard found) need a change; the message says where."""
    USAGE = 2
    """The command line was wrong (argparse's own code)."""
    ENVIRONMENT = 3
    """The machine: a missing package or font, a full disk, no permission, too little memory, a build running."""
    INTERNAL = 4
    """A fault in gongkai itself; the message names the file holding the details to report."""
    VETOED = 5
    """`gongkai audit` only: the report is written and a 单项否决 indicator fails (the site would be 不合格)."""
    INTERRUPTED = 130


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the sources: where it is, which field, what is wrong, what would be right."""

    path: str
    line: int | None
    field: str
    message: str
    fix: str = ""
    warning: bool = False
    """A finding to fix soon (a late 解读, a stale column) that does not by itself stop the build."""

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path} 第 {self.line} 行"
        where = f"警告：{where}" if self.warning else where
        field = f"，字段「{self.field}」" if self.field else ""
        return f"{where}{field}：{_sentence(self.message)}{_sentence(self.fix)}"


def _sentence(text: str) -> str:
    """Text ending in full-width punctuation, or nothing."""
    if not text:
        return ""
    return text if text.endswith(("。", "？", "！")) else text + "。"


class GongkaiError(Exception):
    """Base class of every error gongkai raises on purpose."""


def ordered(problems: list[Problem]) -> list[Problem]:
    """Problems in file and line order, errors before warnings within a line."""
    return sorted(problems, key=lambda p: (p.path, p.line or 0, p.warning, p.field, p.message))


IMPORT_OUTCOME = "没有导入任何内容，源文件保持原样"


class SourceErrors(GongkaiError):
    """The sources have problems; carries every problem found in one run (warnings included)."""

    def __init__(self, problems: list[Problem], outcome: str = "未生成网站") -> None:
        self.problems = ordered(problems)
        self.outcome = outcome
        """What did not happen because of them (「未生成网站」, 「没有导入任何内容」 …), for the last line."""
        super().__init__(f"{len(self.problems)} 处问题")

    def __str__(self) -> str:
        lines = [str(p) for p in self.problems]
        errors = sum(not p.warning for p in self.problems)
        warnings = len(self.problems) - errors
        counts = f"{errors} 处错误" + (f"、{warnings} 条警告" if warnings else "")
        lines.append(f"共 {counts}，{self.outcome}。改正以上问题后重新运行。")
        return "\n".join(lines)


class UsageError(GongkaiError):
    """The command's options are wrong or contradict the files they name (exit code 2, like argparse's)."""


class EnvironmentProblem(GongkaiError):
    """The machine lacks something the build needs (a font, a binary, disk space, memory, the site lock)."""


class BuildFailed(GongkaiError):
    """A render or write stage refused what the sources produced (a leak, a template error); site/ untouched."""


PUBLISHED = "gongkai: raised after the new site was published"
"""The note a build adds to whatever stops it once the new site is in place (``published_then``): the CLI must
not say that the published site stayed as it was."""


def published_then(error: BaseException) -> None:
    """Mark ``error`` as raised after the build published the new site."""
    if PUBLISHED not in getattr(error, "__notes__", ()):
        error.add_note(PUBLISHED)


def after_publishing(error: BaseException) -> bool:
    """Whether ``error`` stopped a build after it had published the new site."""
    return PUBLISHED in getattr(error, "__notes__", ())
