"""适老化与无障碍: axe-core's serious and critical findings on a sample of pages, in headless Chromium.

Optional: without Chromium, Playwright or axe-playwright-python the indicator is reported 未检查 with the reason.
"""

from __future__ import annotations

import importlib.util

from ..model.audit import AuditRule
from ..render.site import urls
from .chromium import BROWSER_ARGS, chromium
from .findings import SKIPPED, Context, Evidence, Outcome, judged

BLOCKING = ("serious", "critical")
IMPACT = {"serious": "严重", "critical": "关键"}


def sample(ctx: Context) -> list[tuple[str, str]]:
    """The pages checked: home, a catalogue, the newest document, a village, the normative catalogue."""
    county = ctx.county
    pages = [("首页", urls.HOME), ("现行有效行政规范性文件目录", urls.NORMATIVE)]
    if county.domains:
        pages.append((f"领域「{county.domains[0].name}」", urls.domain(county.domains[0].code)))
    newest = max(county.documents, key=lambda d: (d.published, d.slug), default=None)
    if newest is not None:
        pages.append((f"文件「{newest.title}」", urls.document(newest)))
    if county.villages:
        pages.append((f"村「{county.villages[0].name}」", urls.village(county.villages[0])))
    return [(name, url) for name, url in pages if ctx.site.exists(url)]


def accessibility(ctx: Context, rule: AuditRule) -> Outcome:
    """The axe findings of the sample pages (file URLs of the built site)."""
    binary = ctx.chromium if ctx.chromium is not None else chromium()
    missing = [name for name in ("playwright", "axe_playwright_python") if importlib.util.find_spec(name) is None]
    if not binary or missing:
        why = "本机没有 Chromium" if not binary else f"没有安装 {'、'.join(missing)}"
        note = f"{why}，未检查。安装 Chromium 和测试依赖（scripts/setup.sh test）后重新运行 gongkai audit。"
        return Outcome(rule, SKIPPED, "未检查", None, (), note)
    pages = sample(ctx)
    found = _axe(ctx, [url for _, url in pages], binary)
    evidence = [Evidence(f"{name}：{line}", url) for name, url in pages for line in found[url]]
    figure = f"{len(evidence)} 处严重或关键问题（抽查 {len(pages)} 个页面）"
    return judged(rule, len(evidence), figure, evidence or [Evidence(name, url) for name, url in pages])


def _axe(ctx: Context, pages: list[str], binary: str) -> dict[str, list[str]]:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=binary, args=BROWSER_ARGS)
        try:
            page = browser.new_page()
            for url in pages:
                page.goto((ctx.site.root / url / "index.html").resolve().as_uri())
                violations = Axe().run(page).response["violations"]
                found[url] = sorted(
                    f"{v['id']}（{IMPACT[v['impact']]}）{', '.join(map(str, node['target']))}"
                    for v in violations
                    if v["impact"] in BLOCKING
                    for node in v["nodes"]
                )
        finally:
            browser.close()
    return found
