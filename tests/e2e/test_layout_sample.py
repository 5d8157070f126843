"""benchmarks/layout.py's sample: up to N pages, spread evenly over the page families, the same every run."""

from __future__ import annotations

import sys

from kit import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

from layout import family, sample

PAGES = (
    [f"documents/2026/d{i:04}/" for i in range(900)]
    + [f"jcgk/d{i:02}/" for i in range(26)]
    + [f"villages/t{i // 10}/v{i}/" for i in range(60)]
    + [f"documents/page/{i}/" for i in range(2, 60)]
    + ["xxgk/nianbao/", "xxgk/nianbao/2025/", "", "404.html", "xxgk/ysqgk/", "jcgk/"]
)


def test_pages_are_sorted_into_their_families() -> None:
    assert [family(p) for p in ("documents/2026/a/", "jcgk/snbt/", "villages/t/v/", "documents/page/3/")] == [
        "文件", "目录", "村务", "列表"]  # fmt: skip
    assert [family(p) for p in ("xxgk/nianbao/2025/", "jcgk/", "", "404.html")] == ["年报", "其他", "其他", "其他"]


def test_the_sample_shares_the_budget_over_the_families_and_repeats() -> None:
    chosen = sample(PAGES, 500)
    sizes = {name: len(paths) for name, paths in chosen.items()}
    assert sum(sizes.values()) == 500
    # the small families whole, the rest shared: 2 年报, 4 其他, 26 目录, 58 列表, 60 村务, documents the remainder
    assert sizes == {"年报": 2, "文件": 350, "目录": 26, "村务": 60, "列表": 58, "其他": 4}
    assert chosen["文件"][0] == "documents/2026/d0000/" and chosen["文件"][-1] > "documents/2026/d0890/"  # spread
    assert sample(list(reversed(PAGES)), 500) == chosen
    assert sum(map(len, sample(PAGES[:50], 500).values())) == 50
