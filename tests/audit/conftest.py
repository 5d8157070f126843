"""The small county built once; each test writes its own sources and audits them against that site."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from gongkai.commands.build import build
from gongkai.commands.cli import main

from kit import write_county

TODAY = "2026-03-10"
NO_BROWSER = """\
版本日期: 2026-12-01
依据: 测试用：不开浏览器
指标:
  - 编号: slh
    指标: 适老化与无障碍
    类别: 扣分
    规则: 抽查页面没有严重或关键的无障碍问题（axe 检查）
    依据: 测试
    启用: 否
"""
"""audit-rules.yml of every test but the browser's: the axe check off (it needs a minute of Chromium)."""


@dataclass
class Run:
    """One `gongkai audit` run: its exit code, the terminal summary, the report page and the project."""

    code: int
    summary: str
    html: str
    root: Path
    out: Path


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small county's site, built once."""
    root = write_county(tmp_path_factory.mktemp("audit") / "county")
    build(root, root / "site", dt.date.fromisoformat(TODAY))
    return root / "site"


@pytest.fixture
def audit_run(tmp_path: Path, built_site: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Write the small county with changes, run `gongkai audit` on it; the site is a copy of the built one."""

    def run(
        changes: dict[str, str | bytes | None] | None = None,
        today: str = TODAY,
        site: Callable[[Path], None] | None = None,
        *options: str,
    ) -> Run:
        root = write_county(tmp_path / "county", {"audit-rules.yml": NO_BROWSER, **(changes or {})})
        site_dir = tmp_path / "site"
        if not site_dir.exists():
            shutil.copytree(built_site, site_dir)
        if site:
            site(site_dir)
        out = tmp_path / "out"
        capsys.readouterr()
        code = main(["audit", str(root), "--today", today, "--site-dir", str(site_dir), "--out", str(out), *options])
        captured = capsys.readouterr()
        html = (out / "index.html").read_text(encoding="utf-8") if (out / "index.html").is_file() else ""
        return Run(code, captured.out + captured.err, html, root, out)

    return run


def place(html: str, text: str) -> str:
    """The source file and line the report gives beside the evidence that contains ``text``."""
    start = html.index(text)
    marker = '<span class="place">'
    at = html.index(marker, start) + len(marker)
    assert html.index("</li>", start) > at, f"no place beside {text}"
    return html[at : html.index("<", at)]
