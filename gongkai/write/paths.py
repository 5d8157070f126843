"""Output paths: every file a build writes is computed from the model, then proven to lie inside its directory."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from ..errors import BuildFailed

PROTECTED = (".git", "content", "catalog", "villages", "reports", "theme", "gongkai", "tests", "benchmarks", "scripts")
"""Project folders no output may be written into (the sources, the code, the history)."""


def inside(base: Path, path: Path) -> bool:
    """``path``, with every symlink and ``..`` resolved, lies inside ``base`` (or is it)."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(base))


def output_path(base: Path, relative: str) -> Path:
    """``base / relative`` for writing, after proving it stays inside ``base``; BuildFailed otherwise."""
    pure = PurePosixPath(relative)
    if (
        not relative
        or "\x00" in relative
        or "\\" in relative
        or pure.is_absolute()
        or any(part in ("..", ".") for part in relative.split("/"))
        or not inside(base, base / pure)
    ):
        raise BuildFailed(f"要写入的文件「{relative}」不在输出目录之内，已停止。请检查生成它的代码或源文件。")
    return base / pure
