"""End to end: `gongkai build` on a small county, the pages, the PDF text, and search in Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from gongkai.commands.cli import main

from kit import CHROMIUM, CHROMIUM_ARGS, served, staging_leftovers, write_county

TODAY = "2026-11-26"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The small county, built once for this module."""
    root = write_county(tmp_path_factory.mktemp("county"))
    assert main(["build", str(root), "--today", TODAY, "-q"]) == 0
    return root


def _html(built: Path, url: str) -> str:
    return (built / "site" / url / "index.html").read_text(encoding="utf-8")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_page_has_the_statutory_footer(built):
    pages = list((built / "site").rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        text = _text(page.read_text(encoding="utf-8"))
        assert "主办单位：测试县人民政府办公室" in text and "网站标识码：3417000099" in text, page
        assert "皖ICP备00000001号" in text and "皖公网安备34170002000999号" in text, page


def test_document_page_has_its_metadata_block_and_interpretation(built):
    text = _text(_html(built, "documents/2026/gdlb"))
    assert "索引号 11341700MB1714830K/202603-00001" in text
    assert "文号 测政办〔2026〕12号" in text and "发布日期 2026年3月5日" in text
    assert "政策解读 《测试县2026年耕地地力保护补贴实施方案》政策解读" in text


def test_documents_stay_out_of_the_navigation(built):
    assert "gdlb-jd" not in _html(built, "xxgk/zhinan")


def test_sheet_pdf_text(built):
    pdf = built / "site/villages/chengguan/shangxi/2026-gdlb.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "2026年耕地地力保护补贴发放结果公示" in flat
    assert "341722********0317" in flat and "王秀兰" in flat
    assert "2026年11月20日至2026年11月26日" in flat
    assert "第1页共1页" in flat
    assert "上溪村民委员会" in flat


def test_failed_build_leaves_the_published_site_untouched(built, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(built, root)
    before = (root / "site/index.html").read_bytes()
    (root / "content/documents/2026/gdlb.md").write_text("---\n标题: 坏\n---\n", encoding="utf-8")
    assert main(["build", str(root), "--today", TODAY, "-q"]) == 1
    assert (root / "site/index.html").read_bytes() == before
    assert not staging_leftovers(root)


serve = served  # the site is under the /gov/ sub-path


@pytest.mark.browser
def test_a_reader_finds_a_document_through_search(built, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    shutil.copytree(built / "site", tmp_path / "www/gov")
    with serve(tmp_path / "www") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{base}/gov/")
        page.get_by_label("搜索本站").fill("耕地地力保护")
        page.get_by_label("搜索本站").press("Enter")
        expect(page).to_have_url(re.compile(r"/gov/search/\?q="))
        result = page.get_by_role("link", name="测试县2026年耕地地力保护补贴实施方案", exact=True)
        expect(result).to_be_visible(timeout=15000)
        result.click()
        expect(page.locator("h1")).to_have_text("测试县2026年耕地地力保护补贴实施方案")
        browser.close()
