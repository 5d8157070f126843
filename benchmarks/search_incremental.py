#!/usr/bin/env python3
"""The search index built cold, with nothing changed, after one page changed and one document added, beside Pagefind.

The pages are those of benchmarks/search.py (built once under benchmarks/out/<scale>/search-site). Each
run indexes its own hard-linked copy of the site with the search cache of the run before and the bundle
of the run before as ``previous``, as a build does with the published site; each bundle is checked to be
byte for byte the cold one of the same pages. Usage:

    python benchmarks/search_incremental.py --scale medium
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _copy(site: Path, to: Path) -> Path:
    """The pages of site (no bundle) as hard links under to."""
    shutil.rmtree(to, ignore_errors=True)
    ignore = shutil.ignore_patterns("pagefind", "pagefind-plain")
    shutil.copytree(site, to, copy_function=os.link, ignore=ignore)
    return to


def _index(site: Path, cache: Path | None, previous: Path | None) -> dict[str, Any]:
    from gongkai.render.search import build_index

    wall, cpu = time.perf_counter(), _cpu()
    report = build_index(site, cache=cache, previous=previous)
    return {
        "seconds": round(time.perf_counter() - wall, 2),
        "cpu": round(_cpu() - cpu, 2),
        "written": report.written,
        "linked": report.linked,
        "cached": report.cached,
        "patched": report.patched,
        "files": report.files,
        "mb": round(report.bundle_bytes / 1e6, 1),
    }


def _plain(site: Path) -> dict[str, Any]:
    from gongkai.render.search.index import LANGUAGE, _executable

    wall, cpu = time.perf_counter(), _cpu()
    command = [str(_executable()), "--site", str(site), "--output-subdir", "pagefind-plain"]
    command += ["--force-language", LANGUAGE]
    subprocess.run(command, check=True, capture_output=True)
    files = [p for p in (site / "pagefind-plain").rglob("*") if p.is_file()]
    return {
        "seconds": round(time.perf_counter() - wall, 2),
        "cpu": round(_cpu() - cpu, 2),
        "files": len(files),
        "mb": round(sum(p.stat().st_size for p in files) / 1e6, 1),
    }


def _change_one(site: Path) -> str:
    """Change the text of one document page (a character of its body); its URL."""
    pages = sorted((site / "documents").rglob("index.html"))
    page = pages[len(pages) // 2]
    html = page.read_text(encoding="utf-8")
    changed = re.sub(r"(<p>)([^<])", r"\1改", html, count=1)
    assert changed != html
    page.unlink()  # a hard link: never write through it into the other copies
    page.write_text(changed, encoding="utf-8")
    return page.parent.relative_to(site).as_posix()


def _add_one(site: Path) -> str:
    """Add a document page, the newest (a copy of one with another date and title); its URL."""
    from gongkai.render.search.markers import META_DATE

    pages = sorted((site / "documents").rglob("index.html"))
    html = pages[len(pages) // 3].read_text(encoding="utf-8")
    html = re.sub(f'(data-pagefind-meta="{META_DATE}">)[^<]*', r"\g<1>2026-11-26", html)
    html = re.sub(r"(<h1[^>]*>)", r"\1新增：", html, count=1)
    page = site / "documents" / "2026" / "2026-1126-new-001" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(html, encoding="utf-8")
    return page.parent.relative_to(site).as_posix()


def _delete_one(site: Path) -> str:
    """Delete a document page from the middle of the numbering (every later page is numbered one lower); its URL."""
    pages = sorted((site / "documents").rglob("index.html"))
    page = pages[len(pages) // 4]
    page.unlink()
    return page.parent.relative_to(site).as_posix()


def _same(a: Path, b: Path) -> bool:
    """Whether two bundles hold the same files, byte for byte."""
    names = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    if names != sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file()):
        return False
    return all(filecmp.cmp(a / n, b / n, shallow=False) for n in names)


def main() -> int:
    """Index cold, warm, one page changed (checked against cold), and with plain Pagefind; print the table."""
    from run import prepare
    from search import build_site

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="medium")
    args = parser.parse_args()
    out = HERE / "out" / args.scale
    src, site = prepare(args.scale, out), out / "search-site"
    if not (site / "index.html").exists():
        build_site(src, site)
    work = out / "incremental"
    shutil.rmtree(work, ignore_errors=True)
    cache = work / "cache"
    runs: dict[str, Any] = {}
    cold = _copy(site, work / "cold")
    runs["cold (empty cache)"] = _index(cold, cache, None)
    warm = _copy(site, work / "warm")
    runs["nothing changed"] = _index(warm, cache, cold / "pagefind")
    one = _copy(site, work / "one")
    changed = _change_one(one)
    runs["one page changed"] = _index(one, cache, warm / "pagefind")
    check = _copy(one, work / "check")
    runs["one page changed, cold (check)"] = _index(check, None, None)
    added = _copy(one, work / "added")
    new = _add_one(added)
    runs["one document added"] = _index(added, cache, one / "pagefind")
    check_added = _copy(added, work / "check-added")
    runs["one document added, cold (check)"] = _index(check_added, None, None)
    deleted = _copy(added, work / "deleted")
    gone = _delete_one(deleted)
    runs["one document deleted"] = _index(deleted, cache, added / "pagefind")
    check_deleted = _copy(deleted, work / "check-deleted")
    runs["one document deleted, cold (check)"] = _index(check_deleted, None, None)
    same = {"nothing changed": _same(cold / "pagefind", warm / "pagefind"),
            "one page changed": _same(one / "pagefind", check / "pagefind"),
            "one document added": _same(added / "pagefind", check_added / "pagefind"),
            "one document deleted": _same(deleted / "pagefind", check_deleted / "pagefind")}  # fmt: skip
    runs["plain Pagefind"] = _plain(cold)
    edits = f"changed: {changed}; added: {new}; deleted: {gone}"
    print(f"\n### Search index, incremental — scale `{args.scale}` ({edits})\n")
    print("| run | wall s | CPU s | files written | linked | pages from cache | patched | bundle MB |")
    print("|---|---:|---:|---:|---:|---:|:-:|---:|")
    for name, r in runs.items():
        patched = {True: "yes", False: "no"}.get(r.get("patched"), "")
        print(f"| {name} | {r['seconds']} | {r['cpu']} | {r.get('written', r['files'])} | {r.get('linked', 0)} | "
              f"{r.get('cached', '')} | {patched} | {r['mb']} |")  # fmt: skip
    print(f"\nbyte-identical to cold: {same}")
    (out / "search-incremental.json").write_text(json.dumps({"runs": runs, "same": same}, indent=2), encoding="utf-8")
    return 0 if all(same.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
