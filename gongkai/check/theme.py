"""The county's theme/ folder: templates, and static files MkDocs publishes as they are — only harmless types.

MkDocs copies every file of the theme folder that is not a template into the site, where it can
replace Material's own files: a ``.js`` there runs on every page, an ``.svg`` opened on its own can
run script. So only templates, style sheets, images and fonts may be there. The templates' own HTML
follows the rules of the pages they make (``guard.active``): no inline script, event attribute,
``<base>``, frame or script from another site; style sheets load nothing from another site.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import Problem
from ..guard.active import find_active, line_of
from ..load.files import rel_path
from ..load.tree import hidden, hidden_fix

THEME_DIR = "theme"
TEMPLATES = {".html"}
STATIC = {".css", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2", ".ttf", ".otf"}
CSS_ELSEWHERE = re.compile(
    r"""(?i)(@import\s+(url\(\s*)?['"]?\s*(https?:|//)|url\(\s*['"]?\s*(https?:|//|javascript:|data:text)"""
    r"|expression\(|behavior\s*:)"
)
TEMPLATE_FIX = "页面上的脚本只能是 gongkai 和主题自带的文件；请删除这一处，需要的功能请联系维护人员"
NOTES = {".md", ".txt"}
"""Notes for the people who edit the theme; MkDocs does not publish them (a template may include one)."""
BINARY = STATIC - {".css"}
"""Pictures and fonts: published as they are, never read as a template."""
VERSIONS = {".git", ".svn", ".hg"}
"""Version control's folders (a theme kept in a git checkout of its own): no template includes from them."""


def check_theme(root: Path) -> Iterator[Problem]:
    """A problem for every file in theme/ of a type that must not be published, and every script in a file a
    template can include: Jinja includes a file of any name (``{% include ".parts.html" %}``, ``"notes.txt"``), hidden
    or a note, though MkDocs publishes neither; only pictures and fonts are not read as templates."""
    folder = root / THEME_DIR
    allowed = "、".join(sorted(TEMPLATES | STATIC))
    for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
        if path.is_dir():
            continue
        suffix = path.suffix.lower()
        inside = path.relative_to(folder).as_posix()
        if hidden(inside):  # not published: read only as an included template
            if suffix not in BINARY and path.is_file() and not VERSIONS.intersection(inside.split("/")):
                yield from _template(path, root, includable=True)
            continue
        if suffix in NOTES:
            yield from _template(path, root, includable=True)
        elif suffix not in TEMPLATES | STATIC:
            yield Problem(
                rel_path(path, root),
                None,
                "",
                f"theme/ 中不能放「{suffix or path.name}」文件：主题中的文件会原样发布到网站上",
                f"可用的类型：{allowed}；页面上的功能请通过模板块实现",
            )
        elif suffix in TEMPLATES:
            yield from _template(path, root)
        elif suffix == ".css":
            yield from _style(path, root)


def _template(path: Path, root: Path, includable: bool = False) -> Iterator[Problem]:
    """The scripts of a template; ``includable``: a file read only because a template may include it, left alone when
    it is not UTF-8 text (Jinja could not include it: the build would stop)."""
    try:
        text = path.read_text(encoding="utf-8", errors="strict" if includable else "replace")
    except UnicodeDecodeError:
        return
    for item in find_active(text, template=True):
        yield Problem(
            rel_path(path, root), line_of(text, item.offset), "", f"{item.what}（{item.snippet}）", TEMPLATE_FIX
        )


def _style(path: Path, root: Path) -> Iterator[Problem]:
    text = path.read_text(encoding="utf-8", errors="replace")
    for match in CSS_ELSEWHERE.finditer(text):
        what = f"样式表不能从其他网站加载内容或运行脚本（「{match.group(0)}」）"
        yield Problem(
            rel_path(path, root),
            line_of(text, match.start()),
            "",
            what,
            "请把需要的图片或字体放进 theme/，用相对地址引用",
        )


EMBLEM_TYPES = (".png", ".jpg", ".jpeg", ".webp")


def check_emblem(emblem: str | None, origin: str, line: int | None, root: Path) -> Iterator[Problem]:
    """county.yml's 标志 names a picture in theme/ (published there by MkDocs)."""
    if emblem is None:
        return
    path = root / THEME_DIR / emblem
    if hidden(emblem):
        yield Problem(origin, line, "标志", f"标志图片「{emblem}」是隐藏文件，不会发布", hidden_fix(emblem))
    elif Path(emblem).suffix.lower() not in EMBLEM_TYPES:
        yield Problem(origin, line, "标志", f"标志「{emblem}」不是图片", "请用 PNG、JPG 或 WebP 图片")
    elif not path.is_file():
        yield Problem(
            origin,
            line,
            "标志",
            f"找不到标志图片 theme/{emblem}",
            "请把图片放进 theme/ 目录，这里写相对于 theme/ 的路径，例如 images/logo.png",
        )
