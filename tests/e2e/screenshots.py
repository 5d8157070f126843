"""Screenshots of the built site for review (`make screenshots`): the pages a reader meets most, at a desktop
and a phone width, in the normal and 大字 modes, served by nginx as in the tests.

    .venv/bin/python tests/e2e/screenshots.py [--site site] [--out screenshots]

Writes <out>/<page>-<width>-<mode>.png (full page) and <out>/index.html to look at them side by side.
"""

from __future__ import annotations

import argparse
import html
import sys
import tempfile
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parent.parent)]

from a11y_checks import launch  # noqa: E402
from test_hosting import CSP, SUB_PATH, running_nginx  # noqa: E402

WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
MODES = {"normal": "", "large": "large"}


def review_pages(site: Path) -> list[tuple[str, str]]:
    """(name, path): home, a catalogue, a document, the newest 年报, 依申请公开 and a village page."""
    domain = sorted((site / "jcgk").glob("*/index.html"))[0].parent
    documents = sorted(site.glob("documents/[0-9]*/*/index.html"), key=lambda p: p.parent.as_posix())
    attached = [p.parent for p in documents if any(f.suffix != ".html" for f in p.parent.iterdir())]
    document = (attached or [documents[-1].parent])[-1]
    report = sorted((site / "xxgk/nianbao").glob("[0-9]*/index.html"))[-1].parent
    villages = sorted(site.glob("villages/*/*/index.html"), key=lambda p: -p.stat().st_size)
    rel = [folder.relative_to(site).as_posix() + "/" for folder in (domain, document, report, villages[0].parent)]
    return [("home", ""), ("catalogue", rel[0]), ("document", rel[1]), ("nianbao", rel[2]),
            ("ysqgk", "xxgk/ysqgk/"), ("village", rel[3])]  # fmt: skip


def shoot(site: Path, out: Path) -> list[Path]:
    """Every review page at every width and mode, as PNG files in ``out``."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    with (
        tempfile.TemporaryDirectory() as prefix,
        running_nginx(Path(prefix), {SUB_PATH: (site, CSP)}) as origin,
        sync_playwright() as p,
    ):
        browser = launch(p)
        for width, (w, h) in WIDTHS.items():
            for mode, value in MODES.items():
                context = browser.new_context(viewport={"width": w, "height": h}, device_scale_factor=1)
                context.add_init_script(f"localStorage.setItem('gk-a11y', '{value}')")
                page = context.new_page()
                for name, path in review_pages(site):
                    page.goto(f"{origin}{SUB_PATH}{path}", wait_until="networkidle")
                    shots.append(out / f"{name}-{width}-{mode}.png")
                    # A window as tall as the page (not Chromium's full-page capture, which scrolls:
                    # Material then hides its tabs, as it does for a reader who scrolls down).
                    tall = page.evaluate("document.documentElement.scrollHeight")
                    page.set_viewport_size({"width": w, "height": tall})
                    page.screenshot(path=shots[-1])
                    page.set_viewport_size({"width": w, "height": h})
                context.close()
        browser.close()
    _index(out, shots)
    return shots


def _index(out: Path, shots: list[Path]) -> None:
    rows = "".join(f'<figure><figcaption>{html.escape(s.stem)}</figcaption><img src="{s.name}" alt=""></figure>'
                   for s in shots)  # fmt: skip
    style = "figure{display:inline-block;vertical-align:top;margin:8px}img{max-width:600px;border:1px solid #ccc}"
    page = f'<!doctype html><meta charset="utf-8"><title>screenshots</title><style>{style}</style>{rows}'
    (out / "index.html").write_text(page, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("site"), help="the built site (make build)")
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    args = parser.parse_args()
    for shot in shoot(args.site.resolve(), args.out):
        print(shot)


if __name__ == "__main__":
    main()
