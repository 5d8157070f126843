#!/usr/bin/env python3
"""Layout at scale: tests/e2e/test_page_layout.py's overflow probe over a sample of a synthetic county's pages.

The site is served by nginx (as deployed, with the site's Content-Security-Policy) and read in Chromium at
1366 and 390 px, in the normal, 大字 and 高对比 modes. The sample is deterministic: up to --pages pages
(500 by default) spread evenly over the page families (documents, catalogues, villages, listings, 年报,
the other columns) and, within a family, evenly over its sorted pages. Run by benchmarks/run.py after
its build; on its own:

    python benchmarks/layout.py --scale small|county [--pages 500] [--site DIR]

Without --site it reads benchmarks/out/<scale>/site (run.py's build) or else search-site (pages only,
rendered once when missing, shared with search.py). Exits 1 when a page cuts anything off.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO / "tests/e2e"), str(REPO / "tests"), str(REPO)]

from layout_checks import MODES, OVERFLOW_PROBE, WIDTHS, every_page  # noqa: E402

# (family, pattern of its paths); a page belongs to the first family that matches, else to 其他.
FAMILIES = (
    ("年报", re.compile(r"^xxgk/nianbao/")),
    ("文件", re.compile(r"^documents/\d{4}/[^/]+/$")),
    ("目录", re.compile(r"^jcgk/[^/]+/$")),
    ("村务", re.compile(r"^villages/")),
    ("列表", re.compile(r"(^|/)page/\d+/$|^documents/$|^xxgk/fdzdgknr/kind-\d+/$|^xxgk/gfxwj/$")),
)
OTHER = "其他"


def family(path: str) -> str:
    """The page family of a site path (as every_page gives it)."""
    return next((name for name, pattern in FAMILIES if pattern.search(path)), OTHER)


def sample(pages: list[str], budget: int) -> dict[str, list[str]]:
    """Up to ``budget`` pages, shared evenly over the families (a small family's unused share goes to the
    others), each family's picks evenly spaced over its sorted pages."""
    groups: dict[str, list[str]] = {}
    for path in sorted(pages):
        groups.setdefault(family(path), []).append(path)
    quota = dict.fromkeys(groups, 0)
    left, open_ = budget, sorted(groups, key=lambda name: len(groups[name]))
    while left and open_:
        share = max(1, left // len(open_))
        for name in list(open_):
            take = min(share, len(groups[name]) - quota[name], left)
            quota[name] += take
            left -= take
            if quota[name] == len(groups[name]):
                open_.remove(name)
            if not left:
                break
    order = [name for name, _ in FAMILIES] + [OTHER]
    return {name: [groups[name][i * len(groups[name]) // quota[name]] for i in range(quota[name])]
            for name in order if quota.get(name)}  # fmt: skip


def check(site: Path, chosen: dict[str, list[str]]) -> list[tuple[str, str, str, str]]:
    """(width, mode, path, problem) for every problem the probe finds on the chosen pages."""
    from a11y_checks import launch
    from playwright.sync_api import sync_playwright
    from test_hosting import CSP, running_nginx

    problems: list[tuple[str, str, str, str]] = []
    with (
        tempfile.TemporaryDirectory() as prefix,
        running_nginx(Path(prefix), {"/": (site, CSP)}) as origin,
        sync_playwright() as playwright,
    ):
        browser = launch(playwright)
        for width, (w, h) in WIDTHS.items():
            for mode, value in MODES.items():
                context = browser.new_context(viewport={"width": w, "height": h})
                context.add_init_script(f"localStorage.setItem('gk-a11y', '{value}')")
                page = context.new_page()
                for paths in chosen.values():
                    for path in paths:
                        page.goto(f"{origin}/{path}")
                        problems += [(width, mode, path, line) for line in page.evaluate(OVERFLOW_PROBE)]
                context.close()
        browser.close()
    return problems


def report(scale: str, chosen: dict[str, list[str]], total: int, problems: list, seconds: float) -> None:
    """The result as Markdown: pages per family, failing pages, and each problem with its URL."""
    pages = sum(len(paths) for paths in chosen.values())
    failing = {path for _, _, path, _ in problems}
    combos = f"{len(WIDTHS)} widths × {len(MODES)} modes"
    print(f"\n### layout sample — scale `{scale}`: {pages} of {total} pages, {combos}\n")
    print("| family | pages checked | pages with a problem |\n|---|---:|---:|")
    for name, paths in chosen.items():
        print(f"| {name} | {len(paths)} | {len(failing.intersection(paths))} |")
    print(f"| **total** | **{pages}** ({pages * len(WIDTHS) * len(MODES)} page loads) | **{len(failing)}** |")
    print(f"\n{seconds:.0f} s in all ({seconds / max(1, pages * len(WIDTHS) * len(MODES)):.2f} s a page load).")
    for width, mode, path, line in problems[:60]:
        print(f"- {width} px {mode} /{path}: {line}")
    if len(problems) > 60:
        print(f"- … {len(problems) - 60} more")


def site_for(scale: str) -> Path:
    """run.py's build of the scale, or else the pages-only build that search.py shares (rendered if missing)."""
    out = HERE / "out" / scale
    if (out / "site/index.html").exists():
        return out / "site"
    if not (out / "search-site/index.html").exists():
        from run import prepare
        from search import build_site

        out.mkdir(parents=True, exist_ok=True)
        print("生成网页（不含公示表 PDF）……", file=sys.stderr)
        build_site(prepare(scale, out), out / "search-site")
    return out / "search-site"


def main() -> int:
    """Sample, check and report; 1 when a page cuts anything off."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="small")
    parser.add_argument("--pages", type=int, default=500, help="how many pages to read (an even sample)")
    parser.add_argument("--site", type=Path, help="a built site (default: the scale's build under benchmarks/out)")
    args = parser.parse_args()
    site = (args.site or site_for(args.scale)).resolve()
    pages = every_page(site)
    chosen = sample(pages, args.pages)
    print(f"在 Chromium 中检查 {sum(map(len, chosen.values()))} 个页面的版式……", file=sys.stderr)
    start = time.monotonic()
    problems = check(site, chosen)
    report(args.scale, chosen, len(pages), problems, time.monotonic() - start)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
