#!/usr/bin/env python3
"""Benchmark the notice sheets against plain single-process WeasyPrint on the same sheets, in one run.

Baseline: one plain HTML document per payout list (auto table layout, collapsed borders, repeated
<thead>, 「第 X 页 共 Y 页」 footer, Noto Sans CJK SC), rendered one after the other in one process, on
a fixed sample of rows spread over the villages. Both rows/s (speed) and pages per 100 households
(paper: gongkai's layout rules against WeasyPrint's own pagination) are measured on the same
sheets. gongkai: render_sheets (batched documents, process
pool, content-hash cache) on the same sample, then on every list of the scale, then again unchanged.

    python benchmarks/sheets.py --scale small|county [--sample 3000] [--full]
"""

from __future__ import annotations

import argparse
import html
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from run import prepare  # noqa: E402

from gongkai.load.villages import load_villages  # noqa: E402
from gongkai.model import CountyConfig, PayoutList  # noqa: E402
from gongkai.render.sheets import SheetContext, SheetJob, render_sheets, require_cjk_font, sheet_context  # noqa: E402

from synth import SCALES  # noqa: E402

PLAIN_CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm;
  @bottom-center { content: "第 " counter(page) " 页 共 " counter(pages) " 页"; font-family: "Noto Sans CJK SC"; } }
body { font-family: "Noto Sans CJK SC"; font-size: 10.5pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.75pt solid #000; padding: 1mm; }
"""


def plain_html(ctx: SheetContext) -> str:
    """The sheet as someone would first write it: a title, a table, the closing lines."""
    cells = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in _cells(row)) + "</tr>" for row in ctx.rows
    )
    head = "".join(f"<th>{html.escape(c)}</th>" for c in ctx.columns)
    return (
        f"<html><head><meta charset=utf-8><style>{PLAIN_CSS}</style></head><body><h1>{html.escape(ctx.title)}</h1>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{cells}"
        f"<tr><td colspan=6>合计</td><td>{ctx.total_amount}</td><td></td><td></td></tr></tbody></table>"
        f"<p>公示期：{ctx.notice_start}至{ctx.notice_end}</p><p>{html.escape(ctx.issuer)}</p></body></html>"
    )


def _cells(row: object) -> tuple[object, ...]:
    names = ("number", "name", "group", "id_number", "quantity", "rate", "amount", "paid_on", "note")
    return tuple(getattr(row, name) for name in names)


def contexts(src: Path) -> list[SheetContext]:
    """Every payout list of the synthetic county as a sheet context."""
    towns, villages, payouts, problems = load_villages(src)
    if problems:
        raise SystemExit(f"{len(problems)} problems in the synthetic county: {problems[0]}")
    by_town = {t.code: t for t in towns}
    by_village = {(v.town, v.code): v for v in villages}
    config = _config()
    return [sheet_context(p, by_village[(p.town, p.village)], by_town[p.town], config) for p in _ordered(payouts)]


def _ordered(payouts: list[PayoutList]) -> list[PayoutList]:
    return sorted(payouts, key=lambda p: (p.town, p.village, p.slug))


def _config() -> CountyConfig:
    return CountyConfig(
        name="青溪县", site_name="", sponsor="", contact_phone="", address="", site_code="", icp="", police_filing="",
        agencies=(), site_url="https://www.qingxi.example.cn/",
    )  # fmt: skip


def sample(all_contexts: list[SheetContext], rows: int) -> list[SheetContext]:
    """Lists spread evenly over the county until about ``rows`` rows."""
    step = max(1, len(all_contexts) * 200 // max(rows, 1) // 200 or 1)
    chosen, total = [], 0
    for ctx in all_contexts[::step] + all_contexts:
        if total >= rows or ctx in chosen:
            continue
        chosen.append(ctx)
        total += len(ctx.rows)
    return chosen


def baseline(chosen: list[SheetContext]) -> tuple[float, int]:
    """Seconds and pages of plain WeasyPrint, one document per sheet, in this process."""
    import weasyprint

    start, pages = time.perf_counter(), 0
    for ctx in chosen:
        document = weasyprint.HTML(string=plain_html(ctx)).render()
        document.write_pdf()
        pages += len(document.pages)
    return time.perf_counter() - start, pages


def ours(chosen: list[SheetContext], work: Path) -> tuple[float, int, float]:
    """Seconds and pages of a cold render_sheets, and the seconds of the same again with nothing changed."""
    jobs = [SheetJob(ctx, f"s/{n}.pdf") for n, ctx in enumerate(chosen)]
    shutil.rmtree(work, ignore_errors=True)
    report = render_sheets(jobs, work / "site", work / "cache", workers=os.cpu_count())
    again = render_sheets(jobs, work / "site", work / "cache", workers=os.cpu_count())
    assert again.rendered == 0
    return report.seconds, report.pages, again.seconds


def peak_mb() -> float:
    """The largest resident size of this process or any pool worker it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def main() -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--sample", type=int, default=3000, help="rows for the side-by-side comparison")
    parser.add_argument("--full", action="store_true", help="also render every list of the scale")
    args = parser.parse_args()
    require_cjk_font()
    out = HERE / "out" / args.scale
    out.mkdir(parents=True, exist_ok=True)
    every = contexts(prepare(args.scale, out))
    chosen = sample(every, args.sample)
    rows = sum(len(c.rows) for c in chosen)
    print(f"样本：{len(chosen)} 张公示表，{rows} 行；基线（单进程 WeasyPrint）……", file=sys.stderr)
    base_s, base_pages = baseline(chosen)
    print("gongkai（同一样本）……", file=sys.stderr)
    with tempfile.TemporaryDirectory() as folder:
        our_s, our_pages, warm_s = ours(chosen, Path(folder))
        full = ours(every, Path(folder) / "full") if args.full else None
    print(f"\n### notice sheets — scale `{args.scale}`, {os.cpu_count()} cores\n")
    print("| run | sheets | rows | pages | pages per 100 households | time | pages/s | rows/s | × baseline |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    base_rate = rows / base_s
    print(_line("baseline: plain WeasyPrint, 1 process", len(chosen), rows, base_pages, base_s, base_rate))
    print(_line("gongkai, same sample", len(chosen), rows, our_pages, our_s, base_rate))
    if full:
        every_rows = sum(len(c.rows) for c in every)
        print(_line("gongkai, every list", len(every), every_rows, full[1], full[0], base_rate))
    print(f"\nno-change rebuild of the sample: {warm_s:.2f} s (0 rendered)")
    if full:
        print(f"no-change rebuild of every list: {full[2]:.2f} s (0 rendered)")
    print(f"peak memory (largest process): {peak_mb():.0f} MB")
    return 0


def _line(name: str, sheets: int, rows: int, pages: int, seconds: float, base_rate: float) -> str:
    rate = rows / seconds
    return (
        f"| {name} | {sheets} | {rows} | {pages} | {100 * pages / rows:.1f} | {seconds:.1f} s | "
        f"{pages / seconds:.1f} | {rate:.0f} | {rate / base_rate:.2f} |"
    )


if __name__ == "__main__":
    sys.exit(main())
