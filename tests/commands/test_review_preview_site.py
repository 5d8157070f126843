"""Review: a preview beside the published site leaves the site as the build recorded it. The published
sheets are links of .cache/sheets' files, which the preview links (and unlinks) too: each moves their change time,
so after any preview the next build is no 「没有改动」, its guard does not vouch for the published site as a whole
and the kept spare is not trusted (the cost serve2's own caches meant to spare the build)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path


def test_a_preview_leaves_the_published_site_vouched_for(county_dir: Path, tmp_path: Path) -> None:
    from gongkai.commands.build import build
    from gongkai.commands.serve import Preview as Builder

    today = dt.date(2026, 11, 26)
    site = county_dir / "site"
    build(county_dir, site, today)
    assert build(county_dir, site, today).unchanged
    out, search = tmp_path / "preview/site", tmp_path / "preview/search"
    out.mkdir(parents=True)
    search.mkdir()
    preview = Builder(county_dir, today, out, lambda _: None, search)
    for _ in range(3):
        preview.rebuild()
        preview.index()
        assert preview.failure is None, preview.failure
    assert build(county_dir, site, today).unchanged
