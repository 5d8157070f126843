#!/usr/bin/env python3
"""Page speed as a resident's phone meets it: Lighthouse's performance score (mobile emulation, simulated slow 4G
and a 4× slower CPU) for the home page, a document and the search page with a query and a facet, each run several
times (the score is timed, so it moves with the machine: the median counts, the range is shown). Beside them, the
same home page and document of the baseline site (plain MkDocs + Material search) when ``--baseline`` is given.

The tests check Lighthouse's untimed categories (accessibility, best practices; tests/e2e/test_a11y.py); the timed
one is measured here, never in a test: a page below the budget is marked ✘ in the table and never fails the run.
Run by benchmarks/run.py after its build; on its own:

    python benchmarks/lighthouse.py [--site DIR] [--baseline DIR] [--runs 3] [--scale small|county]

Without --site it reads benchmarks/out/<scale>/site (run.py's build). Served by nginx under a sub-path, as
deployed, with the site's Content-Security-Policy.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO / "tests/e2e"), str(REPO / "tests"), str(REPO)]

from a11y_checks import checked_pages, lighthouse  # noqa: E402

from synth import SCALES  # noqa: E402

BUDGET = 0.95
"""The performance score a page should reach (median of the runs)."""
PAGES = ("home", "document", "search")
METRICS = {"first-contentful-paint": "FCP", "largest-contentful-paint": "LCP", "total-blocking-time": "TBT"}


def measure(url: str, runs: int, work: Path) -> dict[str, list[float]]:
    """Each run's performance score and metrics (ms) of one page."""
    found: dict[str, list[float]] = {"score": [], **{name: [] for name in METRICS.values()}}
    for run in range(runs):
        report: dict[str, Any] = lighthouse(url, work / f"{run}.json", ("performance",))
        score = report["categories"]["performance"]["score"]
        if score is None:  # Lighthouse could not score the run (no largest paint, a page error): say why
            raise SystemExit(f"Lighthouse 没有给出分数：{url}：{report.get('runtimeError', {}).get('message', '')}")
        found["score"].append(score)
        for audit, name in METRICS.items():
            found[name].append(report["audits"][audit]["numericValue"])
    return found


def row(label: str, found: dict[str, list[float]], goal: bool) -> str:
    """One Markdown row: median score with its range, median metrics, and the budget when it applies."""
    score = statistics.median(found["score"])
    spread = f"{min(found['score']):.2f}–{max(found['score']):.2f}"
    metrics = " | ".join(f"{statistics.median(found[name]) / 1000:.2f} s" if name != "TBT"
                         else f"{statistics.median(found[name]):.0f} ms" for name in METRICS.values())  # fmt: skip
    met = ("✔" if score >= BUDGET else "✘") if goal else ""
    return f"| {label} | {score:.2f} ({spread}) | {metrics} | {met} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--site", type=Path, help="a built site (default: benchmarks/out/<scale>/site)")
    parser.add_argument("--baseline", type=Path, help="the baseline's built site, for its home page and document")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (the median counts)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs 至少为 1")
    site = (args.site or HERE / "out" / args.scale / "site").resolve()
    if not (site / "index.html").exists():
        raise SystemExit(f"没有找到生成的网站：{site}（先运行 make bench 或 gongkai build）")
    from test_hosting import CSP, SUB_PATH, running_nginx

    pages = [page for page in checked_pages(site) if page.name in PAGES]
    sites = {SUB_PATH: (site, CSP)}
    baseline = args.baseline.resolve() if args.baseline else None
    if baseline:
        sites["/baseline/"] = (baseline, None)
    rows: list[str] = []
    with tempfile.TemporaryDirectory() as work, running_nginx(Path(work), sites) as origin:
        for page in pages:
            print(f"Lighthouse：{page.name}（{args.runs} 次）……", file=sys.stderr)
            (Path(work) / page.name).mkdir()
            rows.append(row(f"gongkai {page.name}", measure(origin + SUB_PATH + page.path, args.runs,
                                                            Path(work) / page.name), goal=True))  # fmt: skip
            if baseline and page.name != "search" and not (baseline / page.file).exists():
                print(f"基线网站没有这个页面，不作比较：{page.file}", file=sys.stderr)
            elif baseline and page.name != "search":
                (Path(work) / f"base-{page.name}").mkdir()
                found = measure(f"{origin}/baseline/{page.path}", args.runs, Path(work) / f"base-{page.name}")
                rows.append(row(f"baseline {page.name}", found, goal=False))
    print(f"\n### Lighthouse performance (mobile, simulated slow 4G) — median of {args.runs} runs, budget {BUDGET}\n")
    print("| page | score (range) | FCP | LCP | TBT | budget |\n|---|---|---:|---:|---:|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
