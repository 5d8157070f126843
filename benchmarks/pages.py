#!/usr/bin/env python3
"""The pages stage (「生成网页」) alone on a synthetic county: cold, then with nothing changed (through
write/reuse.py, on two processes, as `gongkai build` does), wall and CPU seconds (of the main process);
--one-process as `gongkai serve` renders; with --profile (one process), cProfile's top entries of the cold
run by cumulative time. Usage:

    python benchmarks/pages.py --scale small|medium|county [--one-process] [--profile 40]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import shutil
import sys
import time
from pathlib import Path

from gongkai.link.held import publishable
from gongkai.load import load_sources
from gongkai.render.site import render_site
from gongkai.write.reuse import Reuse

HERE = Path(__file__).resolve().parent
TODAY = dt.date(2026, 11, 26)
sys.path.insert(0, str(HERE))

from run import prepare  # noqa: E402

from synth import SCALES  # noqa: E402


def pages(
    src: Path, county: object, site: Path, profile: cProfile.Profile | None, split: bool
) -> tuple[float, float, int]:
    """One pages stage into a staging folder beside ``site``, then published as ``site``: wall, CPU, files linked."""
    staging = site.with_name(site.name + ".staging")
    shutil.rmtree(staging, ignore_errors=True)
    reuse = Reuse.open(src, site, staging)
    wall, cpu = time.perf_counter(), time.process_time()
    if profile is not None:
        profile.enable()
    render_site(src, county, TODAY, staging, reuse=reuse, split=split)  # type: ignore[arg-type]
    if profile is not None:
        profile.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    shutil.rmtree(site, ignore_errors=True)
    os.rename(staging, site)
    reuse.save()
    return wall, cpu, reuse.linked


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(SCALES), default="medium")
    parser.add_argument("--profile", type=int, default=0, help="print this many cProfile entries of the cold run")
    parser.add_argument("--one-process", action="store_true", help="no second process (as gongkai serve)")
    args = parser.parse_args()
    out = HERE / "out" / args.scale
    out.mkdir(parents=True, exist_ok=True)
    src = prepare(args.scale, out)
    loaded, _ = load_sources(src)
    assert loaded is not None
    county = publishable(loaded)
    site = out / "pages-site"
    shutil.rmtree(site, ignore_errors=True)
    Reuse.open(src, site, site).forget()  # cold: no manifest of an earlier run
    profile = cProfile.Profile() if args.profile else None
    print(f"| pages stage ({args.scale}) | wall s | CPU s | files linked |\n|---|---:|---:|---:|")
    for name, prof in (("cold", profile), ("nothing changed", None)):
        wall, cpu, linked = pages(src, county, site, prof, not (args.one_process or args.profile))
        print(f"| {name} | {wall:.1f} | {cpu:.1f} | {linked} |", flush=True)
    if profile is not None:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
