"""Hosting: the demo county served under a sub-path by a real nginx — every link resolves, 404 and CSP work."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from crawl import crawl

from gongkai.commands import stages
from gongkai.commands.cli import main
from gongkai.render.sheets import SheetReport

from kit import ROOT, blank_pdf, copy_demo

TODAY = "2026-11-26"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SUB_PATH = "/gov/"
GUIDE = ROOT / "content/guide/hosting.md"
CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)

pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed (scripts/setup.sh test)")

CONFIG = """\
worker_processes 1;
{user}
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {prefix}/tmp; proxy_temp_path {prefix}/tmp; fastcgi_temp_path {prefix}/tmp;
    uwsgi_temp_path {prefix}/tmp; scgi_temp_path {prefix}/tmp;
    gzip on;
    gzip_types text/css application/javascript application/json image/svg+xml application/atom+xml text/xml application/xml;
    server {{
        listen 127.0.0.1:{port};
{locations}
    }}
}}
"""
LOCATION = """\
        location {path} {{
            alias {site}/;
            index index.html;
            error_page 404 {path}404.html;
            add_header X-Content-Type-Options "nosniff" always;
            {csp}
        }}
"""


def _placeholder_sheets(jobs: Sequence[Any], site_dir: Path, cache_dir: Path, **options: Any) -> SheetReport:
    """Stand-in for WeasyPrint: a blank PDF per sheet. Links are checked here, PDFs in test_build."""
    blank = blank_pdf()
    for job in jobs:
        (site_dir / job.output).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / job.output).write_bytes(blank)
    return SheetReport(len(jobs), 0, len(jobs), 0.0)


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The repository's demo county, built with site_url under the sub-path (PDFs as placeholders: minutes saved)."""
    root = tmp_path_factory.mktemp("demo")
    copy_demo(root)
    config = root / "mkdocs.yml"
    config.write_text(f"site_url: http://127.0.0.1{SUB_PATH}\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stages, "render_sheets", _placeholder_sheets)
        assert main(["build", str(root), "--today", TODAY, "-q"]) == 0
    yield root / "site"


@pytest.fixture(scope="module")
def nginx(demo_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """nginx on a free loopback port with its own prefix and config; the site under SUB_PATH."""
    with running_nginx(tmp_path_factory.mktemp("nginx"), {SUB_PATH: (demo_site, CSP)}) as base:
        yield base


@contextlib.contextmanager
def running_nginx(prefix: Path, sites: dict[str, tuple[Path, str | None]]) -> Iterator[str]:
    """nginx on a free loopback port with its own prefix and config: each site under its path, with its
    Content-Security-Policy header (None: none); yields the server's origin."""
    (prefix / "tmp").mkdir()
    port = _free_port()
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read the pytest temp dir
    locations = "".join(
        LOCATION.format(path=path, site=site, csp=f'add_header Content-Security-Policy "{csp}" always;' if csp else "")
        for path, (site, csp) in sites.items()
    )
    config = CONFIG.format(user=user, prefix=prefix, port=port, locations=locations)
    (prefix / "nginx.conf").write_text(config, encoding="utf-8")
    command = [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")]
    process = subprocess.Popen([*command, "-g", "daemon off;"], stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"nginx did not start: {process.stderr.read() if process.stderr else ''}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    pytest.fail("nginx did not listen in time")


def test_every_internal_link_and_asset_resolves(nginx: str, demo_site: Path) -> None:
    broken, fetched = crawl(f"{nginx}{SUB_PATH}", f"{nginx}{SUB_PATH}")
    pages = sum(1 for _ in demo_site.rglob("index.html"))
    assert fetched > pages, f"the crawler reached {fetched} URLs, the site has {pages} pages"
    assert not broken, "broken links:\n" + "\n".join(map(str, broken))


def test_a_missing_url_gets_the_404_page_with_working_links(nginx: str) -> None:
    missing = f"{nginx}{SUB_PATH}no/such/page/"
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(missing, timeout=10)
    assert error.value.code == 404
    assert "页面不存在" in error.value.read().decode("utf-8")  # in Chinese, as the rest of the site
    broken, fetched = crawl(missing, f"{nginx}{SUB_PATH}", recursive=False)
    assert fetched > 10
    assert not broken, "broken links on the 404 page:\n" + "\n".join(map(str, broken))


def test_the_guide_documents_the_tested_policy() -> None:
    text = re.sub(r"\s+", " ", GUIDE.read_text(encoding="utf-8"))
    assert CSP in text


@pytest.mark.browser
def test_search_works_under_the_content_security_policy(nginx: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    from kit import CHROMIUM, CHROMIUM_ARGS

    violations: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on(
            "console", lambda message: violations.append(message.text) if "Content Security" in message.text else None
        )
        page.goto(f"{nginx}{SUB_PATH}search/?q=低保")
        expect(page.locator("a[href*='/documents/']").first).to_be_visible(timeout=15000)
        browser.close()
    assert not violations, "\n".join(violations)


CSP_PROBE = """
window.gkViolations = [];
document.addEventListener("securitypolicyviolation", (event) =>
  window.gkViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`));
"""


@pytest.mark.browser
def test_no_page_violates_the_content_security_policy(nginx: str, demo_site: Path) -> None:
    """A sample of every kind of page, the 适老化 modes and search: nothing blocked, Material's JS and ours run."""
    from a11y_checks import browser_page, checked_pages, open_checked

    base = f"{nginx}{SUB_PATH}"
    extra = ["xxgk/", "documents/", "xxgk/zhinan/", "villages/", "no/such/page/"]
    violations: list[str] = []
    with browser_page() as page:
        page.add_init_script(CSP_PROBE)
        page.on("console", lambda m: violations.append(m.text) if "Content Security" in m.text else None)
        page.goto(base)
        page.get_by_role("button", name="大字").click()  # remembered: every later page starts in this mode
        for checked in checked_pages(demo_site):
            open_checked(page, base, checked)
            violations += [f"{checked.path}: {v}" for v in page.evaluate("window.gkViolations")]
            assert page.evaluate("document.documentElement.classList.contains('gk-large')"), checked.path
            assert page.evaluate("__md_scope.pathname") == SUB_PATH  # Material's helpers, now in head.js
            assert page.evaluate("document.documentElement.classList.contains('js')")  # Material's bundle ran
        for path in extra:
            page.goto(base + path)
            violations += [f"{path}: {v}" for v in page.evaluate("window.gkViolations")]
        assert not page.gk_popups, page.gk_popups
    assert not violations, "\n".join(violations)
