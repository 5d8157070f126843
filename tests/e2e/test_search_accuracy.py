"""Ctrl-F accuracy of search on the demo county, in headless Chromium, beside plain Pagefind."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_hosting import SOURCES, TODAY, _placeholder_sheets

from gongkai.commands import stages
from gongkai.commands.cli import main
from gongkai.render.search.index import LANGUAGE, _executable

from kit import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import search_accuracy as harness

pytestmark = pytest.mark.browser
RECALL, PRECISION = 0.99, 0.98
PLAIN = "pagefind-plain"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(sources, built site) of the demo county, PDFs as placeholders; plain Pagefind beside ours."""
    root = tmp_path_factory.mktemp("demo")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        elif source.exists():
            shutil.copy2(source, root / name)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stages, "render_sheets", _placeholder_sheets)
        assert main(["build", str(root), "--today", TODAY, "-q"]) == 0
    site = root / "site"
    command = [str(_executable()), "--site", str(site), "--output-subdir", PLAIN, "--force-language", LANGUAGE]
    subprocess.run(command, check=True, capture_output=True)
    return root, site


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(harness.CHROMIUM).exists():
        pytest.skip(f"no {harness.CHROMIUM}")
    with sync_api.sync_playwright() as playwright:
        browser = harness.launch(playwright)
        yield browser
        browser.close()


def test_queries_are_many_varied_and_deterministic(demo: tuple[Path, Path]) -> None:
    root, _ = demo
    texts = harness.corpus(root)
    queries = harness.make_queries(root, texts)
    assert len(queries) >= 100
    assert queries == harness.make_queries(root, texts)
    wanted = {"word", "inner", "agency", "doc_no", "number", "latin", "mixed", "multi", "straddle"}
    assert set(harness.kinds(queries)) >= wanted
    assert sum(1 for q in queries if harness.truth(q, texts)) >= 100


def test_search_finds_what_ctrl_f_finds(demo: tuple[Path, Path], chromium: Any) -> None:
    root, site = demo
    texts = harness.corpus(root)
    queries = harness.make_queries(root, texts)
    with harness.serve(site) as base:
        ours = harness.run_ours(chromium, base, queries, harness.fragment_urls(site / "pagefind"))
        plain = harness.run_plain(chromium, base, PLAIN, queries, harness.fragment_urls(site / PLAIN))
    mine, theirs = harness.score(queries, ours.answers, texts), harness.score(queries, plain.answers, texts)
    print(f"\n{harness.describe('gongkai', mine)}\n{harness.describe('plain Pagefind', theirs)}")
    wrong = harness.misses(queries, ours.answers, texts)
    assert mine.recall >= RECALL, wrong
    assert mine.precision >= PRECISION, wrong
    assert mine.recall > theirs.recall
