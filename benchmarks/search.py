#!/usr/bin/env python3
"""Search at scale: accuracy and bytes per query of gongkai's search beside plain Pagefind, one run.

The synthetic county is built once (PDF sheets skipped: they do not touch search) and kept under
benchmarks/out/<scale>/search-site; plain Pagefind indexes the same pages into pagefind-plain/.
Each query is run in headless Chromium against a gzip-serving HTTP server. Usage:

    python benchmarks/search.py --scale county [--queries 150] [--pages 2000] [--rebuild] [--reuse-index]
"""

from __future__ import annotations

import argparse
import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TODAY = "2026-11-26"
PLAIN = "pagefind-plain"
"""Folder of the plain Pagefind bundle inside the site."""
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))


def _repair_config(src: Path) -> None:
    """Write a mapping synth.py flattened into a quoted dict (its serializer lags the model) as nested YAML."""
    config = src / "county.yml"
    lines = []
    for line in config.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition(": ")
        if not line.startswith(" ") and value.startswith("\"{'"):
            mapping = ast.literal_eval(json.loads(value))
            line = "\n".join([f"{key}:", *(f"  {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in mapping.items())])
        lines.append(line)
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build_site(src: Path, site: Path) -> None:
    """The pages of src rendered into site: load and render only (no checks, no PDF sheets, no index).

    The checks are skipped because synth.py may lag the checks of the day; search needs only pages."""
    import datetime as dt

    from gongkai.load import load_county
    from gongkai.render.site import render_site

    src, site = src.resolve(), site.resolve()  # MkDocs reads a relative site_dir from the config's folder
    _repair_config(src)
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    render_site(src, load_county(src), dt.date.fromisoformat(TODAY), site)


def index_ours(site: Path) -> dict[str, Any]:
    """gongkai's index of site, with the assets of today's search page."""
    from gongkai.render.search import ASSETS, build_index

    shutil.copytree(ASSETS, site / "assets" / "gongkai", dirs_exist_ok=True)
    report = build_index(site)
    return {"pages": report.pages, "bytes": report.bundle_bytes, "files": report.files}


def index_plain(site: Path) -> dict[str, Any]:
    """Plain Pagefind (its own Chinese segmentation) over the same pages, into site/PLAIN."""
    from gongkai.render.search.index import LANGUAGE, _executable

    shutil.rmtree(site / PLAIN, ignore_errors=True)
    command = [str(_executable()), "--site", str(site), "--output-subdir", PLAIN, "--force-language", LANGUAGE]
    subprocess.run(command, check=True, capture_output=True)
    files = [p for p in (site / PLAIN).rglob("*") if p.is_file()]
    return {"bytes": sum(p.stat().st_size for p in files), "files": len(files)}


def measured(step: str, *args: str) -> dict[str, Any]:
    """Run ``search.py STEP ARGS`` under measure.py: its result, wall time and peak memory."""
    out = subprocess.run(
        [sys.executable, str(HERE / "measure.py"), sys.executable, str(HERE / "search.py"), step, *args],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    lines = out.stdout.strip().splitlines()
    timing = json.loads(lines[-1])
    if timing["returncode"]:
        sys.stderr.write(out.stderr[-4000:])
        raise SystemExit(f"search.py {step} failed")
    result = json.loads(lines[-2]) if len(lines) > 1 else {}
    return {**result, **timing}


STEPS = {
    "build": lambda a: build_site(Path(a[0]), Path(a[1])) or {},
    "index": lambda a: index_ours(Path(a[0])),
    "plain": lambda a: index_plain(Path(a[0])),
}


def accuracy(site: Path, count: int, pages: int | None) -> dict[str, Any]:
    """Both engines on the same seeded queries, in one browser; truth from each page's innerText."""
    import search_accuracy as harness
    from playwright.sync_api import sync_playwright

    with harness.serve(site) as base, sync_playwright() as playwright:
        browser = harness.launch(playwright)
        result = harness.evaluate(browser, base, site, count, PLAIN, pages)
        browser.close()
    assert result.plain is not None and result.theirs is not None
    abbr = result.abbreviations
    return {
        "documents": result.pages,
        "queries": len(result.queries),
        "kinds": dict(harness.kinds(result.queries)),
        "ours": _summary(result.mine, result.ours),
        "plain": _summary(result.theirs, result.plain),
        "abbreviations": {"queries": abbr.queries, "recall": round(abbr.recall, 4),
                          "precision": round(abbr.precision, 4)},
        "misses": result.wrong,
    }


def _summary(score: Any, run: Any) -> dict[str, Any]:
    later = sorted(run.search_bytes[1:])
    return {
        "recall": round(score.recall, 4),
        "precision": round(score.precision, 4),
        "empty": score.empty,
        "first_query_bytes": run.search_bytes[0],
        "first_query_files": run.first_files,
        "first_query_page_bytes": run.total_bytes[0],
        "later_median_bytes": later[len(later) // 2],
        "later_p90_bytes": later[int(len(later) * 0.9)],
        "later_max_bytes": later[-1],
        "by_kind": {k: v for k, v in sorted(score.by_kind.items())},
    }


def print_table(scale: str, result: dict[str, Any]) -> None:
    """The comparison as Markdown."""
    ours, plain = result["ours"], result["plain"]
    print(f"\n### Search — scale `{scale}`: {result['documents']} pages read, {result['queries']} queries\n")
    print("| measure | gongkai (character grams) | plain Pagefind 1.5 (jieba) |\n|---|---:|---:|")
    for key, label in (("recall", "recall"), ("precision", "precision"), ("empty", "queries that found nothing")):
        print(f"| {label} | {ours[key]} | {plain[key]} |")
    for key, label in (
        ("first_query_bytes", "first query, search files (KB, as served)"),
        ("first_query_page_bytes", "first query, whole page (KB)"),
        ("later_median_bytes", "later query, median (KB)"),
        ("later_p90_bytes", "later query, 90th percentile (KB)"),
        ("later_max_bytes", "later query, largest (KB)"),
    ):
        print(f"| {label} | {ours[key] / 1000:.0f} | {plain[key] / 1000:.0f} |")
    for engine in ("ours", "plain"):
        files = ", ".join(f"{kind} {size / 1000:.0f}" for kind, size in result[engine]["first_query_files"].items())
        print(f"| first query by file (KB), {engine} | {files} | |")
    abbr = result["abbreviations"]
    print(f"| abbreviation queries ({abbr['queries']}): recall / precision against the pages meaning them | "
          f"{abbr['recall']} / {abbr['precision']} | |")  # fmt: skip
    for engine in ("ours", "plain"):
        index = result["index"][engine]
        print(f"| index build, {engine} | {index['seconds']:.1f} s, peak {index['peak_mb']:.0f} MB, "
              f"{index['bytes'] / 1e6:.1f} MB | |")  # fmt: skip


def main() -> int:
    """Build (once), index both ways, run the queries, print and save the figures."""
    from run import prepare

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="county")
    parser.add_argument("--queries", type=int, default=150)
    parser.add_argument("--rebuild", action="store_true", help="render the pages again")
    parser.add_argument("--reuse-index", action="store_true", help="measure the indexes already built again")
    parser.add_argument("--pages", type=int, default=None, help="read this many pages (an even sample) for truth")
    args = parser.parse_args()
    out = HERE / "out" / args.scale
    out.mkdir(parents=True, exist_ok=True)
    src, site = prepare(args.scale, out), out / "search-site"
    if args.rebuild or not (site / "index.html").exists():
        print("生成网页（不含公示表 PDF）……", file=sys.stderr)
        measured("build", str(src), str(site))
    saved = out / "search-index.json"
    if args.reuse_index and saved.exists():
        index = json.loads(saved.read_text(encoding="utf-8"))
    else:
        print("建立搜索索引（gongkai 与 Pagefind 默认）……", file=sys.stderr)
        index = {"ours": measured("index", str(site)), "plain": measured("plain", str(site))}
        saved.write_text(json.dumps(index), encoding="utf-8")
    print("在 Chromium 中逐条搜索……", file=sys.stderr)
    result = {**accuracy(site, args.queries, args.pages), "index": index}
    (out / "search.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print_table(args.scale, result)
    return 0


def _step(argv: list[str]) -> int:
    """python search.py STEP ARGS: one step in its own process, its result as JSON on stdout."""
    print(json.dumps(STEPS[argv[0]](argv[1:])))
    return 0


if __name__ == "__main__":
    sys.exit(_step(sys.argv[1:]) if sys.argv[1:2] and sys.argv[1] in STEPS else main())
