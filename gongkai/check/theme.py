"""The county's theme/ folder: templates, and static files MkDocs publishes as they are — only harmless types.

MkDocs copies every file of the theme folder that is not a template into the site, where it can
replace Material's own files: a ``.js`` there runs on every page, an ``.svg`` opened on its own can
run script. So only templates, style sheets, images and fonts may be there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..errors import Problem
from ..load.files import rel_path

THEME_DIR = "theme"
TEMPLATES = {".html"}
STATIC = {".css", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2", ".ttf", ".otf"}
NOTES = {".md", ".txt"}
"""Notes for the people who edit the theme; MkDocs does not publish them."""


def check_theme(root: Path) -> Iterator[Problem]:
    """A problem for every file in theme/ of a type that must not be published."""
    folder = root / THEME_DIR
    allowed = "、".join(sorted(TEMPLATES | STATIC))
    for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
        if path.is_dir() or any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue  # MkDocs skips hidden files
        suffix = path.suffix.lower()
        if suffix not in TEMPLATES | STATIC | NOTES:
            yield Problem(
                rel_path(path, root),
                None,
                "",
                f"theme/ 中不能放「{suffix or path.name}」文件：主题中的文件会原样发布到网站上",
                f"可用的类型：{allowed}；页面上的功能请通过模板块实现",
            )


EMBLEM_TYPES = (".png", ".jpg", ".jpeg", ".webp")


def check_emblem(emblem: str | None, origin: str, line: int | None, root: Path) -> Iterator[Problem]:
    """county.yml's 标志 names a picture in theme/ (published there by MkDocs)."""
    if emblem is None:
        return
    path = root / THEME_DIR / emblem
    if Path(emblem).suffix.lower() not in EMBLEM_TYPES:
        yield Problem(origin, line, "标志", f"标志「{emblem}」不是图片", "请用 PNG、JPG 或 WebP 图片")
    elif not path.is_file():
        yield Problem(
            origin,
            line,
            "标志",
            f"找不到标志图片 theme/{emblem}",
            "请把图片放进 theme/ 目录，这里写相对于 theme/ 的路径，例如 images/logo.png",
        )
