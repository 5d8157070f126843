#!/usr/bin/env python3
"""Benchmark gongkai against the baseline approach on a synthetic county, side by side in one run.

Baseline: a plain `mkdocs build` of the same documents with mkdocs-material and its built-in search
(documents kept out of the nav, as they must be at this scale). Usage:

    python benchmarks/run.py --scale small|medium|county [--builds-only]

After the build sequence it runs the preview, sheet, search, layout and page-speed benchmarks (serve.py, sheets.py,
search.py, layout.py, lighthouse.py); ``--builds-only`` stops after the build sequence and the baseline (at county
scale the others take about an hour more on two cores: the single-process WeasyPrint baseline most of it).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PY = sys.executable
TODAY = "2026-11-26"
BASELINE_MKDOCS = """\
site_name: 基线
docs_dir: docs
theme:
  name: material
  language: zh
  font: false
plugins:
  - search
nav:
  - index.md
not_in_nav: |
  /documents/**
"""

sys.path.insert(0, str(HERE))
from synth import SCALES, generate  # noqa: E402


def measure(command: list[str], cwd: Path) -> dict[str, float]:
    """Wall time and peak memory of a command run through measure.py, started once the writes of the runs before it
    are on disk: a cold build leaves ~1.4 GB of written pages for the kernel to flush, and on this two-core VM the
    flush takes a core for ~10 s — the next run would measure the flush (a one-document build: 18 s instead of 11)."""
    os.sync()
    out = subprocess.run(
        [PY, str(HERE / "measure.py"), *command], cwd=cwd, check=True, capture_output=True, text=True, env=_env()
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["returncode"]:
        sys.stderr.write(out.stderr[-4000:])
        raise SystemExit(f"failed: {' '.join(command)}")
    return result


def _env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def prepare(scale: str, out: Path) -> Path:
    """The synthetic county sources for ``scale`` (generated once, reused while the generator is unchanged)."""
    src = out / "county"
    stamp = out / "generator.stamp"
    key = f"{scale}:{(HERE / 'synth.py').stat().st_mtime_ns}:reports"
    if not (src.exists() and stamp.exists() and stamp.read_text() == key):
        shutil.rmtree(src, ignore_errors=True)
        generate(src, scale)
        for name in ("mkdocs.yml", "theme", "content/xxgk", "content/guide", "reports"):  # 年报: the demo's
            copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy
            copy(REPO / name, src / name)
        stamp.write_text(key)
    return src


def baseline_project(src: Path, out: Path) -> Path:
    """The same documents as a plain MkDocs + Material project with the built-in search."""
    project = out / "baseline"
    shutil.rmtree(project, ignore_errors=True)
    docs = project / "docs"
    shutil.copytree(src / "content/documents", docs / "documents")
    (docs / "index.md").write_text("# 基线\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(BASELINE_MKDOCS, encoding="utf-8")
    return project


def size(path: Path) -> tuple[int, int]:
    """Raw and gzip-compressed size of a file."""
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, 6))


def tree_size(path: Path) -> int:
    """Bytes under a directory."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> int:
    """Run the benchmark and print the comparison table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--builds-only", action="store_true", help="only the build sequence and the baseline")
    args = parser.parse_args()
    out = HERE / "out" / args.scale
    out.mkdir(parents=True, exist_ok=True)
    print(f"准备合成县（{args.scale}）……", file=sys.stderr)
    src = prepare(args.scale, out)
    documents = sum(1 for _ in (src / "content/documents").rglob("*.md"))
    rows = sum(max(0, len(p.read_text(encoding="utf-8").splitlines()) - 1) for p in (src / "villages").rglob("*.csv"))
    shutil.rmtree(src / ".cache", ignore_errors=True)
    site, report = out / "site", out / "report.json"
    # The last run's site goes now, not in the background: a cold build replacing it hands its 100 000 files to a
    # remover, whose unlinking slowed the runs after it by half (a one-document build: 21 s, the next one 13 s).
    for old in (site, *out.glob(f".{site.name}*")):
        shutil.rmtree(old, ignore_errors=True)
    build_cmd = [
        PY,
        "-m",
        "gongkai",
        "build",
        str(src),
        "--site-dir",
        str(site),
        "--today",
        TODAY,
        "--report",
        str(report),
        "-q",
    ]
    runs: list[tuple[str, str, dict, dict]] = []  # label, goal, measure, stage report
    for label, goal, edit in EDITS:
        print(f"gongkai build（{label}）……", file=sys.stderr)
        edit(src)
        result = measure(build_cmd, REPO)
        runs.append((label, goal, result, json.loads(report.read_text(encoding="utf-8"))))
    cold, stages = runs[0][2], runs[0][3]
    print("基线：mkdocs build + Material 内置搜索……", file=sys.stderr)
    project = baseline_project(src, out)
    base = measure([PY, "-m", "mkdocs", "build", "-q"], project)
    print("基线：Pagefind（extended）为同一批页面建立索引……", file=sys.stderr)
    plain = plain_pagefind(site, out / "pagefind-plain")
    print_table(args.scale, documents, rows, cold, stages, base, site, project / "site")
    print_runs(runs, base)
    print_search(runs, plain)
    if args.builds_only:
        return 0
    subprocess.run([PY, str(HERE / "serve.py"), "--scale", args.scale], check=True)  # an edit shown by the preview
    subprocess.run([PY, str(HERE / "sheets.py"), "--scale", args.scale], check=True)  # notice sheets vs WeasyPrint
    subprocess.run([PY, str(HERE / "search.py"), "--scale", args.scale], check=True)  # search accuracy and bytes
    # nothing cut off on a sample of 500 pages, in Chromium behind nginx (fails the run if anything is)
    subprocess.run([PY, str(HERE / "layout.py"), "--scale", args.scale, "--site", str(site)], check=True)
    # page speed on a phone: Lighthouse's performance score, beside the baseline's pages (timed, so here, not in a test)
    lighthouse = [PY, str(HERE / "lighthouse.py"), "--site", str(site), "--baseline", str(project / "site")]
    subprocess.run(lighthouse, check=True)
    return 0


def plain_pagefind(site: Path, work: Path) -> dict[str, float]:
    """Plain Pagefind (the extended binary gongkai ships, Chinese forced as gongkai forces it) indexing the pages
    of the last build, a hard-linked copy without gongkai's bundle: the index baseline on the very same pages.
    Pagefind has no incremental mode: any change costs this whole run."""
    from gongkai.render.search.index import LANGUAGE, _executable

    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(site, work, copy_function=os.link, ignore=shutil.ignore_patterns("pagefind"))
    try:
        command = [str(_executable()), "--site", str(work), "--output-subdir", "pagefind", "--force-language", LANGUAGE]
        result = measure(command, REPO)
        result["mb"] = tree_size(work / "pagefind") / 1e6
        result["pages"] = sum(1 for _ in (work / "pagefind" / "fragment").iterdir())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def print_search(runs: list[tuple[str, str, dict, dict]], plain: dict) -> None:
    """The search stage of each build beside plain Pagefind over the same pages (goal: ≤ its time)."""
    print(
        f"\n| search index | gongkai's stage | plain Pagefind (extended): the whole index, {plain['pages']:.0f} pages, "
        f"peak {plain['peak_mb']:.0f} MB, {plain['mb']:.0f} MB | gongkai ÷ Pagefind |\n|---|---:|---:|---:|"
    )
    for label, _, _, stages in runs:
        seconds = next((s for n, s in stages["stages"] if n == "建立搜索索引"), None)
        if seconds is not None:  # (nothing changed: no stage ran)
            ratio = seconds / max(plain["seconds"], 0.01)
            print(f"| {label} | {seconds:.1f} s | {plain['seconds']:.1f} s | {ratio:.2f} |")


def _no_change(src: Path) -> None:
    pass


def _one_document(src: Path) -> None:
    """Append a sentence to one document's body (the same one every run: the first in path order)."""
    path = min((src / "content/documents").rglob("*.md"))
    path.write_text(path.read_text(encoding="utf-8") + "\n本文件于基准测试中修改。\n", encoding="utf-8")


def _one_list(src: Path) -> None:
    """Change one household's 备注 in one payout list."""
    path = min((src / "villages").rglob("*.csv"))
    with path.open(encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    table[1][-1] = "基准测试乙" if table[1][-1] == "基准测试甲" else "基准测试甲"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(table)


EDITS = [
    ("cold, no cache", "≤ baseline without sheets", _no_change),
    ("nothing changed", "≤ 5 s", _no_change),
    ("one document's text changed", "≤ 10 s", _one_document),
    ("the same document changed again", "≤ 10 s", _one_document),  # the everyday case: not the first after cold
    ("one payout list changed", "≤ 15 s", _one_list),
]


def print_runs(runs: list[tuple[str, str, dict, dict]], base: dict) -> None:
    """Each build of the sequence beside the baseline, with its stages."""
    print("\n| run | wall time | peak memory | goal | stages |\n|---|---:|---:|---|---|")
    for label, goal, result, stages in runs:
        parts = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in stages["stages"])
        reused = f"; {stages.get('reused', 0)} reused, {stages.get('rebuilt', 0)} built" if stages.get("reused") else ""
        print(f"| gongkai build, {label} | {result['seconds']:.1f} s | {result['peak_mb']:.0f} MB | {goal} | "
              f"{parts}{reused} |")
    print(f"| plain mkdocs build + Material search | {base['seconds']:.1f} s | {base['peak_mb']:.0f} MB | baseline | |")


def print_table(
    scale: str, documents: int, rows: int, cold: dict, stages: dict, base: dict, site: Path, base_site: Path
) -> None:
    """The comparison as a Markdown table."""
    index_raw, index_gz = size(base_site / "search/search_index.json")
    bundle = tree_size(site / "pagefind")
    sheets = stages["sheets"] or {}
    print(f"\n### gongkai benchmark — scale `{scale}`: {documents} documents, {rows} payout rows\n")
    print("| stage | wall time | note |\n|---|---:|---|")
    for name, seconds in stages["stages"]:
        print(f"| {name} | {seconds:.1f} s | |")
    rate = rows / next((s for n, s in stages["stages"] if n.startswith("生成公示表")), 1) or 0
    print(
        f"| **gongkai build, total** | **{cold['seconds']:.1f} s** | peak {cold['peak_mb']:.0f} MB; "
        f"{sheets.get('pages', 0)} PDF pages, {rate:.0f} payout rows/s |"
    )
    print(
        f"| **baseline: mkdocs build + Material search** | **{base['seconds']:.1f} s** | "
        f"peak {base['peak_mb']:.0f} MB; no sheets, no facets |"
    )
    print("\n| measure | gongkai | baseline | gongkai ÷ baseline |\n|---|---:|---:|---:|")
    ours = _pages_and_search(stages)
    print(
        f"| load + check + pages + search index | {ours:.1f} s | {base['seconds']:.1f} s | "
        f"{ours / max(base['seconds'], 0.01):.2f} |"
    )
    print(
        f"| peak memory (largest process) | {cold['peak_mb']:.0f} MB | {base['peak_mb']:.0f} MB | "
        f"{cold['peak_mb'] / max(base['peak_mb'], 1):.2f} |"
    )
    print(
        f"| search download before the first result | chunked, see search issue | "
        f"{index_raw / 1e6:.1f} MB ({index_gz / 1e6:.2f} MB gzip), whole index | |"
    )
    print(f"| search index on disk | {bundle / 1e6:.1f} MB (Pagefind bundle) | {index_raw / 1e6:.1f} MB | |")


def _pages_and_search(stages: dict) -> float:
    return sum(s for n, s in stages["stages"] if n in ("读取源文件", "检查", "生成网页", "建立搜索索引"))


if __name__ == "__main__":
    sys.exit(main())
