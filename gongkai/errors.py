"""The small exception hierarchy; only the CLI turns these into messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the sources: where it is, which field, what is wrong, what would be right."""

    path: str
    line: int | None
    field: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path} 第 {self.line} 行"
        field = f"，字段「{self.field}」" if self.field else ""
        return f"{where}{field}：{_sentence(self.message)}{_sentence(self.fix)}"


def _sentence(text: str) -> str:
    """Text ending in full-width punctuation, or nothing."""
    if not text:
        return ""
    return text if text.endswith(("。", "？", "！")) else text + "。"


class GongkaiError(Exception):
    """Base class of every error gongkai raises on purpose."""


class SourceErrors(GongkaiError):
    """The sources have problems; carries every problem found in one run."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or 0, p.field, p.message))
        super().__init__(f"{len(self.problems)} 处问题")

    def __str__(self) -> str:
        lines = [str(p) for p in self.problems]
        lines.append(f"共 {len(self.problems)} 处问题，未生成网站。改正以上问题后重新运行。")
        return "\n".join(lines)


class EnvironmentProblem(GongkaiError):
    """The machine lacks something the build needs (a font, a binary)."""


class BuildFailed(GongkaiError):
    """A render or write stage failed; the published site was left untouched."""
