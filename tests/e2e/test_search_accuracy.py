"""Search against what the pages show (innerText in headless Chromium), on the demo and a second corpus."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_hosting import TODAY, _placeholder_sheets

from gongkai.commands import stages
from gongkai.commands.cli import main
from gongkai.render.search.index import LANGUAGE, _executable

from kit import ROOT, copy_demo

sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus2
import search_accuracy as harness

pytestmark = pytest.mark.browser
RECALL, PRECISION = 0.99, 0.98
PLAIN = "pagefind-plain"


def _build(root: Path) -> Path:
    """Build root's county (PDFs as placeholders) with plain Pagefind beside ours; the site."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stages, "render_sheets", _placeholder_sheets)
        assert main(["build", str(root), "--today", TODAY, "-q"]) == 0
    site = root / "site"
    command = [str(_executable()), "--site", str(site), "--output-subdir", PLAIN, "--force-language", LANGUAGE]
    subprocess.run(command, check=True, capture_output=True)
    return site


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(sources, built site) of the demo county."""
    root = tmp_path_factory.mktemp("demo")
    copy_demo(root)
    return root, _build(root)


@pytest.fixture(scope="module")
def second(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(sources, built site) of benchmarks/corpus2.py's county."""
    root = corpus2.write(tmp_path_factory.mktemp("corpus2") / "county")
    return root, _build(root)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(harness.CHROMIUM).exists():
        pytest.skip(f"no {harness.CHROMIUM}")
    with sync_api.sync_playwright() as playwright:
        browser = harness.launch(playwright)
        yield browser
        browser.close()


def test_the_second_corpus_is_written_otherwise() -> None:
    text = "\n".join(corpus2.documents().values())
    for spelled in ("[20", "【20", "（20", "(20", "〔20", "０", "-0", "/", "|---|"):
        assert spelled in text, spelled
    for word in ("低保", "最低生活保障", "公租房", "公共租赁住房", "危改", "新农合", "新型农村合作医疗"):
        assert word in text, word
    assert corpus2.documents() == corpus2.documents()


@pytest.mark.parametrize("corpus", ["demo", "second"])
def test_search_finds_what_the_pages_show(corpus: str, request: pytest.FixtureRequest, chromium: Any) -> None:
    _, site = request.getfixturevalue(corpus)
    with harness.serve(site) as base:
        result = harness.evaluate(chromium, base, site, 150, PLAIN)
    print(harness.report(corpus, result))
    kinds = harness.kinds(result.queries)
    assert len(result.queries) >= 140 and {"doc_no_form", "date_form", "abbr", "straddle"} <= set(kinds)
    assert result.mine.recall >= RECALL, result.wrong
    assert result.mine.precision >= PRECISION, result.wrong
    assert result.theirs is not None and result.mine.recall > result.theirs.recall
    assert result.abbreviations.queries > 0 and result.abbreviations.recall >= RECALL
