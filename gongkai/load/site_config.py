"""mkdocs.yml, checked against an allow-list before MkDocs reads it.

MkDocs reads its configuration with PyYAML's full loader and imports what it names: a ``!!python/…``
tag, a ``hooks:`` entry, a plugin or a Markdown extension would run code or read files at build time, and
``extra_javascript``, ``extra`` or a theme option would put another site's script on every page. So the
file is parsed here first with the safe loader, and only the keys a county site needs are accepted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import Problem
from .files import read_text
from .tree import hidden, hidden_fix
from .yamlsrc import YList, YMap, parse_yaml

CONFIG_FILE = "mkdocs.yml"
PLUGIN = "gongkai"
TEXT = re.compile(r"[^<>\"'&\\`\x00-\x1f\x7f]*")
"""Plain text: nothing that means something in HTML, a template or a shell."""
URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%/-]*)?")
PAGE = re.compile(r"(?!/)(?!.*\.\./)[A-Za-z0-9._/\u4e00-\u9fff-]+\.md")
NAME = re.compile(r"[a-z][a-z0-9_.-]*")
MARKDOWN_EXTENSIONS = {
    "tables": (),
    "attr_list": (),
    "toc": ("permalink", "toc_depth", "title"),
    "footnotes": (),
    "def_list": (),
    "abbr": (),
    "admonition": (),
    "sane_lists": (),
    "md_in_html": (),
}
"""Python-Markdown's own extensions that read nothing and run nothing; the options each may take."""
TEXT_FIX = "mkdocs.yml 中的文字原样写进每个网页，不能含有 < > \" ' & \\ ` 这些符号"
REFUSED = {
    "hooks": "会在生成网站时运行其中的 Python 程序",
    "extra_javascript": "会在每个网页加入脚本",
    "extra_css": "会在每个网页加入样式表（样式请写在 theme/ 中）",
    "extra": "会让主题在每个网页加入其他网站的脚本或内容（访问统计、Cookie 提示、社交链接等）",
    "repo_url": "会让每个网页向代码托管网站请求数据",
}
REFUSED_FIX = "网站只运行 gongkai 和主题自带的脚本，不加载其他网站的内容；请删除这一项"

Check = Callable[[Any, str, int | None], Iterator[Problem]]


def check_site_config(root: Path) -> list[Problem]:
    """Every problem of mkdocs.yml: YAML errors, tags, and keys or values outside the allow-list."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return [Problem(CONFIG_FILE, None, "", "缺少这个文件", "请从演示项目复制 mkdocs.yml")]
    text, problems = read_text(path, CONFIG_FILE)
    if text is None:
        return problems
    data, found = parse_yaml(text, CONFIG_FILE)
    if not isinstance(data, YMap):
        return found or [Problem(CONFIG_FILE, None, "", "内容应为「键: 值」", "请从演示项目复制 mkdocs.yml 后修改")]
    for key, value in data.items():
        line = data.lines.get(key)
        check = _KEYS.get(key)
        if key in REFUSED:
            found.append(Problem(CONFIG_FILE, line, key, f"这一项{REFUSED[key]}", REFUSED_FIX))
        elif check is None:
            found.append(Problem(CONFIG_FILE, line, key, f"不允许的设置「{key}」", "可用的设置：" + "、".join(_KEYS)))
        else:
            found += check(value, key, line)
    if PLUGIN not in _plugin_names(data.get("plugins")):
        found.append(
            Problem(CONFIG_FILE, data.line, "plugins", "plugins 中缺少 gongkai", "请加上「plugins: [gongkai]」")
        )
    return found


def _text(value: Any, key: str, line: int | None) -> Iterator[Problem]:
    if not isinstance(value, str):
        yield Problem(CONFIG_FILE, line, key, f"「{value}」应为文字", "请直接写文字")
    elif not TEXT.fullmatch(value):
        bad = next(c for c in value if not TEXT.fullmatch(c))
        shown = bad if bad.isprintable() else f"U+{ord(bad):04X}"
        yield Problem(CONFIG_FILE, line, key, f"「{value}」含有「{shown}」", TEXT_FIX)


def _url(value: Any, key: str, line: int | None) -> Iterator[Problem]:
    if not isinstance(value, str) or not URL.fullmatch(value) or not value.endswith("/"):
        yield Problem(
            CONFIG_FILE,
            line,
            key,
            f"网址「{value}」不对",
            "应为以 / 结尾的完整网址，例如 https://www.qingxi.gov.cn/gov/",
        )


def _exactly(expected: Any) -> Check:
    def check(value: Any, key: str, line: int | None) -> Iterator[Problem]:
        if value != expected:
            yield Problem(
                CONFIG_FILE,
                line,
                key,
                f"「{key}」只能是 {expected!r}".replace("'", ""),
                "gongkai 依赖这个设置，请不要修改",
            )

    return check


def _bool(value: Any, key: str, line: int | None) -> Iterator[Problem]:
    if not isinstance(value, bool):
        yield Problem(CONFIG_FILE, line, key, f"「{value}」应为 true 或 false", "请写 true 或 false")


def _theme(value: Any, key: str, line: int | None) -> Iterator[Problem]:
    if not isinstance(value, YMap):
        yield Problem(CONFIG_FILE, line, key, "theme 应为「键: 值」", "请从演示项目复制 theme 部分")
        return
    for name, item in value.items():
        at = value.lines.get(name)
        check = _THEME.get(name)
        if check is None:
            yield Problem(CONFIG_FILE, at, f"theme.{name}", f"不允许的主题设置「{name}」", "可用：" + "、".join(_THEME))
        else:
            yield from check(item, f"theme.{name}", at)


def _names(value: Any, key: str, line: int | None) -> Iterator[Problem]:
    """A list of lower-case names (theme features)."""
    items = value if isinstance(value, list) else [value]
    for item in items:
        if not isinstance(item, str) or not NAME.fullmatch(item):
            yield Problem(CONFIG_FILE, line, key, f"「{item}」不是有效的名称", "只能用小写英文字母、数字和「. _ -」")


def _palette(value: Any, key: str, line: int | None) -> Iterator[Problem]:
    for item in value if isinstance(value, list) else [value]:
        if not isinstance(item, dict):
            yield Problem(CONFIG_FILE, line, key, "配色应为「键: 值」", "例如 primary: indigo")
            continue
        for name, colour in item.items():
            at = getattr(item, "lines", {}).get(name, line)
            if name not in ("scheme", "primary", "accent") or not isinstance(colour, str):
                fix = "可用：scheme、primary、accent"
                yield Problem(CONFIG_FILE, at, f"{key}.{name}", f"不允许的配色设置「{name}」", fix)
            elif not re.fullmatch(r"[a-z][a-z -]*", colour):
                yield Problem(CONFIG_FILE, at, f"{key}.{name}", f"「{colour}」不是颜色名称", "例如 indigo、blue grey")


def _plugins(value: Any, key: str, line: int | None) -> Iterator[Problem]:
    for name in _plugin_names(value):
        if name != PLUGIN:
            yield Problem(CONFIG_FILE, line, key, f"不允许的插件「{name}」", "插件在生成时运行代码，只能用 gongkai")
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and isinstance(item.get(PLUGIN), dict):
                yield from _options(item[PLUGIN], ("today",), f"{key}.{PLUGIN}", line)


def _plugin_names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else []
    return [str(next(iter(item))) if isinstance(item, dict) and item else str(item) for item in items]


def _extensions(value: Any, key: str, line: int | None) -> Iterator[Problem]:
    if not isinstance(value, list):
        yield Problem(CONFIG_FILE, line, key, "markdown_extensions 应为列表", "例如 markdown_extensions: [tables, toc]")
        return
    for index, item in enumerate(value):
        at = value.lines[index] if isinstance(value, YList) else line
        name = next(iter(item)) if isinstance(item, dict) and item else item
        if name not in MARKDOWN_EXTENSIONS:
            allowed = "、".join(MARKDOWN_EXTENSIONS)
            yield Problem(
                CONFIG_FILE,
                at,
                key,
                f"不允许的 Markdown 扩展「{name}」",
                f"扩展在生成时运行代码或读取文件；可用：{allowed}",
            )
        elif isinstance(item, dict) and item[name] is not None:
            yield from _options(item[name], MARKDOWN_EXTENSIONS[name], f"{key}.{name}", at)


def _options(value: Any, allowed: tuple[str, ...], key: str, line: int | None) -> Iterator[Problem]:
    if not isinstance(value, dict):
        yield Problem(CONFIG_FILE, line, key, "选项应为「键: 值」", "可用的选项：" + ("、".join(allowed) or "无"))
        return
    for name, option in value.items():
        if name not in allowed:
            yield Problem(
                CONFIG_FILE,
                line,
                f"{key}.{name}",
                f"不允许的选项「{name}」",
                "可用的选项：" + ("、".join(allowed) or "无"),
            )
        elif not isinstance(option, bool | int) and not (isinstance(option, str) and TEXT.fullmatch(option)):
            yield Problem(
                CONFIG_FILE,
                line,
                f"{key}.{name}",
                f"「{option}」应为普通文字、数字或 true/false",
                "不要用 < > \" ' & 等符号",
            )


def _nav(value: Any, key: str, line: int | None) -> Iterator[Problem]:
    items = value if isinstance(value, list) else [value]
    for index, item in enumerate(items):
        at = items.lines[index] if isinstance(items, YList) else line
        if isinstance(item, str):
            if hidden(item):  # (before the pattern, which no owner file's ~$ matches: said as what it is)
                yield Problem(CONFIG_FILE, at, key, f"导航中的「{item}」是隐藏文件，不会发布", hidden_fix(item))
            elif not PAGE.fullmatch(item):
                yield Problem(
                    CONFIG_FILE,
                    at,
                    key,
                    f"导航中的「{item}」不是 content/ 中的页面",
                    "应写 .md 文件相对于 content/ 的路径，例如 xxgk/zhinan.md",
                )
        elif isinstance(item, dict) and len(item) == 1:
            title, target = next(iter(item.items()))
            yield from _text(title, key, at)
            yield from _nav(target, key, at)
        else:
            yield Problem(
                CONFIG_FILE,
                at,
                key,
                "导航的每一项应为「标题: 页面」或页面路径",
                "例如 - 政府信息公开指南: xxgk/zhinan.md",
            )


def _font(value: Any, key: str, line: int | None) -> Iterator[Problem]:
    if value is not False:
        yield Problem(
            CONFIG_FILE,
            line,
            key,
            "这一项会从 Google 加载字体",
            "请写「font: false」：字体由访问者的系统提供，不从其他网站加载",
        )


_THEME: dict[str, Check] = {
    "name": _exactly("material"),
    "custom_dir": _exactly("theme"),
    "language": _exactly("zh"),
    "font": _font,
    "features": _names,
    "palette": _palette,
}
_KEYS: dict[str, Check] = {
    "site_name": _text,
    "site_url": _url,
    "site_description": _text,
    "site_author": _text,
    "copyright": _text,
    "docs_dir": _exactly("content"),
    "site_dir": _exactly("site"),
    "use_directory_urls": _exactly(True),
    "strict": _bool,
    "theme": _theme,
    "plugins": _plugins,
    "markdown_extensions": _extensions,
    "nav": _nav,
}
