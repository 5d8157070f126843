"""mkdocs.yml is checked with the safe loader against an allow-list before MkDocs (whose loader runs code) reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.commands.cli import main
from gongkai.load.site_config import check_site_config

from kit import MKDOCS_YML, write_county

TODAY = "2026-11-26"
KEYS = (
    "可用的设置：site_name、site_url、site_description、site_author、copyright、docs_dir、site_dir、use_directory_urls、"
    "strict、theme、plugins、markdown_extensions、nav。"
)


def _problems(tmp_path: Path, extra: str, replace: tuple[str, str] = ("", "")) -> list[str]:
    text = MKDOCS_YML.replace(*replace) if replace[0] else MKDOCS_YML
    root = write_county(tmp_path, {"mkdocs.yml": text + extra})
    return [str(p) for p in check_site_config(root)]


def _line() -> int:
    """The line of the first setting added after the demo configuration."""
    return MKDOCS_YML.count("\n") + 1


def test_the_demo_configuration_passes(tmp_path):
    assert _problems(tmp_path, "") == []


def test_a_python_tag_is_refused_and_never_runs(tmp_path, capsys):
    flag = tmp_path / "pwned"
    extra = f'x: !!python/object/apply:os.system ["touch {flag}"]\n'
    root = write_county(tmp_path / "county", {"mkdocs.yml": MKDOCS_YML + extra})
    assert main(["build", str(root), "--today", TODAY, "-q"]) == 1
    err = capsys.readouterr().err
    line = _line()
    assert (
        f"mkdocs.yml 第 {line} 行：不支持 YAML 标签「!!python/object/apply:os.system」。删除这个标签，直接写值。" in err
    )
    assert not flag.exists() and not (root / "site").exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("hooks: [evil.py]\n", "字段「hooks」：这一项会在生成网站时运行其中的 Python 程序。"),
        ("extra_javascript: [https://evil.example/x.js]\n", "字段「extra_javascript」：这一项会在每个网页加入脚本。"),
        ("extra:\n  analytics: {provider: google, property: G-X}\n", "字段「extra」：这一项会让主题在每个网页加入"),
        (
            "site_description: '\"><script>alert(1)</script>'\n",
            '字段「site_description」：「"><script>alert(1)</script>」含有「"」。',
        ),
        ("site_url: javascript:alert(1)//\n", "字段「site_url」：网址「javascript:alert(1)//」不对。"),
        ("dev_addr: 0.0.0.0:80\n", f"字段「dev_addr」：不允许的设置「dev_addr」。{KEYS}"),
        ("x: !ENV HOME\n", "不支持 YAML 标签「!ENV」。"),
    ],
    ids=["hooks", "extra_javascript", "extra", "description", "site_url", "unknown", "env"],
)
def test_a_dangerous_setting_is_refused_at_its_line(tmp_path, extra, message):
    problems = _problems(tmp_path, extra)
    assert any(p.startswith(f"mkdocs.yml 第 {_line()} 行") and message in p for p in problems), problems


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("docs_dir: content", "docs_dir: /etc", "字段「docs_dir」：「docs_dir」只能是 content。"),
        ("custom_dir: theme", "custom_dir: /", "字段「theme.custom_dir」：「theme.custom_dir」只能是 theme。"),
        ("font: false", "font: {text: Roboto}", "字段「theme.font」：这一项会从 Google 加载字体。"),
        ("  - gongkai\n", "  - gongkai\n  - search\n", "字段「plugins」：不允许的插件「search」。"),
        (
            "  - tables\n",
            "  - tables\n  - pymdownx.snippets: {base_path: /}\n",
            "不允许的 Markdown 扩展「pymdownx.snippets」",
        ),
        (
            "  - 首页: index.md\n",
            "  - 首页: javascript:alert(1)\n",
            "导航中的「javascript:alert(1)」不是 content/ 中的页面",
        ),
        (
            "  - 首页: index.md\n",
            "  - 首页: ../../etc/passwd.md\n",
            "导航中的「../../etc/passwd.md」不是 content/ 中的页面",
        ),
        ("  - 首页: index.md\n", "  - '<img src=x onerror=alert(1)>': index.md\n", "含有「<」"),
    ],
    ids=["docs_dir", "custom_dir", "font", "plugin", "snippets", "nav-script", "nav-escape", "nav-title"],
)
def test_a_changed_setting_is_refused(tmp_path, old, new, message):
    assert old in MKDOCS_YML
    problems = _problems(tmp_path, "", (old, new))
    assert any(message in p for p in problems), problems
