"""The XSS corpus built with `check` bypassed, served by nginx behind the tested CSP and without it, opened in
Chromium: no dialog opens, nothing is requested from another origin, and no script but the site's own runs.

`check` refuses every case in REFUSED (test_xss.py); here the sanitiser, the escaping and the plugin's file
rules must hold on their own, and the CSP must add nothing to catch.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from xss import REFUSED, executable_parts, inert_values

import gongkai.check
import gongkai.load
from gongkai.commands import stages
from gongkai.commands.cli import main

from kit import MKDOCS_YML, ROOT, document, write_county

sys.path.insert(0, str(Path(__file__).parents[1] / "e2e"))  # the nginx of the hosting guide and its CSP
from a11y_checks import browser_page
from test_hosting import CSP, CSP_PROBE, NGINX, _placeholder_sheets, running_nginx

TODAY = "2026-11-26"
MATERIAL = Path(__import__("material").__file__).parent / "templates"
BUNDLE = next((MATERIAL / "assets/javascripts").glob("bundle.*.min.js")).name
SEARCH_WORD = "恶意正文"
# Files content/ may not publish: the plugin leaves them out even when check is bypassed.
REFUSED_FILES = {
    f"content/assets/javascripts/{BUNDLE}": "alert('bundle replaced')",
    "content/assets/gongkai/head.js": "alert('head.js replaced')",
    "content/xxgk/evil.html": "<script>alert('html')</script>",
    "content/xxgk/evil.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(\'svg\')"/>',
}
NOT_PUBLISHED = ["xxgk/evil.html", "xxgk/evil.svg", "xxgk/secret.pdf"]

pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed (scripts/setup.sh test)")


def _hostile_sources() -> dict[str, str | bytes | None]:
    documents = {
        f"content/documents/2026/xss-{number:02}.md": document(
            f"{SEARCH_WORD}{number:02}：{name}", f"11341700MB1714830K/202604-{number:05}", kind="通知公告", body=body
        )
        for number, (name, (body, _)) in enumerate(sorted(REFUSED.items()), start=1)
    }
    mkdocs = MKDOCS_YML.replace("  - 首页: index.md", "  - \"<img src=x onerror=alert('nav')>\": index.md")
    mkdocs = mkdocs.replace("site_name:", 'site_description: \'"><script>alert("description")</script>\'\nsite_name:')
    return {**inert_values(), **documents, **REFUSED_FILES, "mkdocs.yml": mkdocs}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every hostile source, built as if `check` had let it through (PDF sheets as placeholders)."""
    root = write_county(tmp_path_factory.mktemp("hostile"), _hostile_sources())
    os.symlink("/etc/passwd", root / "content/xxgk/secret.pdf")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gongkai.check, "check_content", lambda county, root: iter(()))
        patch.setattr(gongkai.load, "check_site_config", lambda root: [])
        patch.setattr(gongkai.load, "content_types", lambda root: [])
        patch.setattr(gongkai.load, "refused_entries", lambda root: [])
        patch.setattr(stages, "render_sheets", _placeholder_sheets)
        assert main(["build", str(root), "--today", TODAY, "-q"]) == 0
    return root / "site"


@pytest.fixture(scope="module")
def server(hostile_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The hostile site under /gov/ with the hosting guide's CSP, and under /bare/ with no CSP at all."""
    sites = {"/gov/": (hostile_site, CSP), "/bare/": (hostile_site, None)}
    with running_nginx(tmp_path_factory.mktemp("nginx"), sites) as origin:
        yield origin


def test_the_built_pages_hold_nothing_executable(hostile_site: Path) -> None:
    assert executable_parts(hostile_site) == []


def test_refused_files_are_not_published_and_the_theme_keeps_its_own(hostile_site: Path) -> None:
    assert [path for path in NOT_PUBLISHED if (hostile_site / path).exists()] == []
    bundle = hostile_site / "assets/javascripts" / BUNDLE
    assert _digest(bundle) == _digest(MATERIAL / "assets/javascripts" / BUNDLE)
    head = hostile_site / "assets/gongkai/head.js"
    assert _digest(head) == _digest(ROOT / "gongkai/render/site/assets/head.js")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pages(site: Path) -> list[str]:
    documents = sorted(
        p.parent.relative_to(site).as_posix() + "/" for p in site.glob("documents/2026/xss-*/index.html")
    )
    assert len(documents) == len(REFUSED) + 2  # every case, and the two hostile titles of inert_values
    # Not the 404 page: without site_url it links the site's files from the server's root, not from /gov/;
    # its HTML is checked by test_the_built_pages_hold_nothing_executable.
    return ["", "documents/", "villages/chengguan/", "villages/chengguan/shangxi/", "xxgk/zhinan/", *documents,
            f"search/?q={SEARCH_WORD}"]  # fmt: skip


DOM_PROBE = """() => {
  const found = [];
  for (const script of document.scripts) {
    if (!script.src && script.type !== "application/json") found.push("inline script: " + script.text.slice(0, 60));
  }
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      if (attribute.name.startsWith("on")) found.push(`<${element.localName} ${attribute.name}>`);
    }
  }
  for (const element of document.querySelectorAll("base, iframe, object, embed, meta[http-equiv=refresh i]")) {
    found.push(`<${element.localName}>`);
  }
  return found;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("where", ["/gov/", "/bare/"])
def test_no_hostile_page_runs_a_script_in_chromium(server: str, hostile_site: Path, where: str) -> None:
    own = urlsplit(server).netloc
    foreign: list[str] = []
    scripts: set[str] = set()
    found: list[str] = []

    def route(route) -> None:  # type: ignore[no-untyped-def]
        if urlsplit(route.request.url).netloc != own:
            foreign.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    with browser_page() as page:
        page.context.route("**/*", route)
        page.on("request", lambda r: scripts.add(r.url) if r.resource_type == "script" else None)
        page.on("console", lambda m: found.append(m.text) if "Content Security" in m.text else None)
        page.add_init_script(CSP_PROBE)
        for path in _pages(hostile_site):
            page.goto(f"{server}{where}{path}")
            if path.startswith("search/"):
                page.locator(".gk-search__list a").first.wait_for(timeout=15000)
            page.wait_for_load_state("networkidle")
            found += [f"{path}: {what}" for what in page.evaluate(DOM_PROBE)]
            found += [f"{path}: CSP {what}" for what in page.evaluate("window.gkViolations")]
        dialogs = list(page.gk_popups)
    assert dialogs == []
    assert foreign == []
    assert found == []
    prefix = f"{server}{where}"
    others = sorted(u for u in scripts if not u.startswith((prefix + "assets/", prefix + "pagefind/")))
    assert others == [], "scripts that are not the site's own"
    assert f"{prefix}assets/javascripts/{BUNDLE}" in scripts and f"{prefix}assets/gongkai/head.js" in scripts
