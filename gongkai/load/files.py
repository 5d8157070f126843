"""Reading source files as text: UTF-8 only for YAML and Markdown, with a clear word when it is not."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import Problem

MAX_SOURCE_BYTES = 20 * 1024 * 1024  # a policy document is never this large; a pasted database is


def read_text(path: Path, rel: str) -> tuple[str | None, list[Problem]]:
    """The file's text, or None and a problem naming the file and what to do."""
    size = path.stat().st_size
    if size > MAX_SOURCE_BYTES:
        return None, [
            Problem(rel, None, "", f"文件过大（{size // 1024 // 1024} MB）", "源文件不应超过 20 MB；大表格请拆分")
        ]
    return decode_text(path.read_bytes(), rel)


def decode_text(data: bytes, rel: str) -> tuple[str | None, list[Problem]]:
    """A source file's bytes as text (read_text's rules)."""
    if not data.strip():
        return None, [Problem(rel, None, "", "文件是空的", "请写入内容，或删除这个文件")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return None, [Problem(rel, line, "", _encoding_message(data), "请用 UTF-8 编码另存这个文件")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def _encoding_message(data: bytes) -> str:
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return "文件不是 UTF-8 编码，含有无法识别的字节"
    return "文件是 GBK/GB18030 编码，不是 UTF-8"


def rel_path(path: Path, root: Path) -> str:
    """The path as clerks see it: relative to the project root, with forward slashes."""
    text, base = str(path), str(root)
    if os.sep == "/" and text.startswith(base + "/"):  # Path.relative_to's answer, without its cost
        return text[len(base) + 1 :]
    return path.relative_to(root).as_posix()
