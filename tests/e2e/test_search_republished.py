"""A search page left open while the site is published again: the index it loaded is the old one (its files
removed in the background, its words no longer the pages'); the next search loads the page again instead of
saying 「找到 0 条结果」 for a word the site now holds, or 「搜索出错」."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from gongkai.commands.build import build

from kit import CHROMIUM, CHROMIUM_ARGS, served, watched_tab, write_county

pytestmark = pytest.mark.browser
TODAY = dt.date(2026, 11, 26)
NOTICE = "content/documents/2026/dbns.md"


def _status(page: Any, query: str) -> str:
    page.wait_for_function(
        "(q) => { const done = document.querySelector('.gk-search')?.gkDone; return done && done.q === q }",
        arg=query,
        timeout=20000,
    )
    text: str = page.locator(".gk-search__status").text_content()
    return text


def _ask(page: Any, query: str) -> str:
    page.fill("#gk-q", query)
    page.press("#gk-q", "Enter")
    return _status(page, query)


def _add(root: Path, words: str) -> None:
    notice = root / NOTICE
    notice.write_text(notice.read_text(encoding="utf-8") + f"\n{words}。\n", encoding="utf-8")


def test_a_search_after_the_site_is_published_again_finds_the_new_words(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    root = write_county(tmp_path / "county")
    _add(root, "珊瑚海螺")
    build(root, root / "site", TODAY)
    with served(root / "site") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for page in watched_tab(browser):
            page.goto(f"{base}/search/?q={quote('珊瑚海螺')}")
            assert _status(page, "珊瑚海螺") == "找到 1 条结果"
            _add(root, "琉璃灯盏")
            assert not build(root, root / "site", TODAY).unchanged
            deadline = time.monotonic() + 30
            while any(
                (p.name.startswith(".site.") and p.name.endswith("-old")) for p in root.iterdir()
            ):  # the old bundle's files gone
                assert time.monotonic() < deadline
                time.sleep(0.1)
            assert _ask(page, "琉璃灯盏") == "找到 1 条结果"  # the index in memory had not the word
            assert _ask(page, "珊瑚海螺") == "找到 1 条结果"
        browser.close()
