"""mkdocs.yml: its text reaches every page as it is written, and nothing in it may bring a script in.

Material prints mkdocs.yml's strings (nav titles, site_description, palette names …) unescaped, in
element text and in double-quoted attributes: so none may hold ``<``, ``>`` or ``"``. Settings that add
a script, run code or load another site's content on every page are refused, whatever their value.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..load.files import read_text
from ..load.yamlsrc import parse_yaml
from ..model.content import is_network_path, url_scheme

CONFIG_FILE = "mkdocs.yml"
UNSAFE = '<>"'
TEXT_FIX = "mkdocs.yml 中的文字原样写进每个网页，不能含有 < > \" 这三个符号"
REFUSED = {
    "extra_javascript": "会在每个网页加入脚本",
    "hooks": "会在生成网站时运行其中的 Python 程序",
    "repo_url": "会让每个网页向代码托管网站请求数据",
    "extra.analytics": "会在每个网页加入其他网站的访问统计脚本",
    "extra.consent": "会在每个网页加入 Cookie 提示和脚本",
    "extra.polyfills": "会在每个网页加入脚本",
}
REFUSED_FIX = "网站只运行 gongkai 和主题自带的脚本，不加载其他网站的内容；请删除这一项"
FONT_FIX = "请写「font: false」：字体由访问者的系统提供，不从其他网站加载"
URL_KEYS = frozenset({"site_url", "edit_uri", "homepage", "logo", "favicon", "link", "extra_css"})
"""Keys whose values are links or paths; so is every page or link named in ``nav``."""
URL_FIX = "这里只能写本站的相对路径，或 http:// 、https:// 开头的网址"


def check_site_config(root: Path) -> list[Problem]:
    """Every refused setting and every unsafe string in mkdocs.yml, at its line."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return []  # building says what is missing
    text, problems = read_text(path, CONFIG_FILE)
    if text is None:
        return problems
    data, problems = parse_yaml(text, CONFIG_FILE)
    if problems or not isinstance(data, dict):
        return problems
    return list(_settings(data)) + list(_strings(data, "", None))


def _settings(data: dict[str, Any]) -> Iterator[Problem]:
    for dotted, effect in REFUSED.items():
        mapping, key = _parent(data, dotted)
        if mapping is not None and key in mapping:
            yield Problem(CONFIG_FILE, _line(mapping, key), dotted, f"这一项{effect}", REFUSED_FIX)
    theme, _ = _parent(data, "theme.font")
    if theme is not None and theme.get("font", False) is not False:
        yield Problem(CONFIG_FILE, _line(theme, "font"), "theme.font", "这一项会从 Google 加载字体", FONT_FIX)


def _strings(value: Any, field: str, line: int | None, url: bool = False) -> Iterator[Problem]:
    """Every string with an unsafe character (keys too: nav titles are keys), every link of another kind."""
    if isinstance(value, dict):
        for key, item in value.items():
            here = _line(value, key)
            yield from _unsafe(str(key), field or str(key), here)
            inner = field if field == "nav" else f"{field}.{key}" if field else str(key)
            yield from _strings(item, inner, here, url or inner == "nav" or key in URL_KEYS)
    elif isinstance(value, list):
        lines = getattr(value, "lines", [])
        for index, item in enumerate(value):
            yield from _strings(item, field, lines[index] if index < len(lines) else line, url)
    elif isinstance(value, str):
        unsafe = list(_unsafe(value, field, line))
        yield from unsafe
        if url and not unsafe and not _web_or_relative(value):
            yield Problem(CONFIG_FILE, line, field, f"「{value}」不是网址或本站路径", URL_FIX)


def _unsafe(text: str, field: str, line: int | None) -> Iterator[Problem]:
    found = [c for c in UNSAFE if c in text]
    if found:
        yield Problem(CONFIG_FILE, line, field, f"「{text}」含有「{found[0]}」", TEXT_FIX)


def _web_or_relative(value: str) -> bool:
    scheme = url_scheme(value)
    return scheme in ("http", "https") if scheme else not is_network_path(value)


def _parent(data: dict[str, Any], dotted: str) -> tuple[dict[str, Any] | None, str]:
    *path, key = dotted.split(".")
    mapping: Any = data
    for part in path:
        mapping = mapping.get(part) if isinstance(mapping, dict) else None
    return (mapping if isinstance(mapping, dict) else None), key


def _line(mapping: Any, key: str) -> int | None:
    return getattr(mapping, "lines", {}).get(key, getattr(mapping, "line", None))
