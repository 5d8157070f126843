"""A build interrupted inside the swap, once the new site is out (the old one not yet aside, or aside but not parted),
says so — 「已发布的网站保持原样」 would be false —, and leaves nothing that vouches for a site it does not describe."""

from __future__ import annotations

import datetime as dt
import os
import signal
from pathlib import Path

from gongkai.commands.build import build
from gongkai.commands.cli import PUBLISHED_ALREADY
from gongkai.write.reuse import manifest_path

from kit import paused_build, site_digests, write_county

TODAY = dt.date(2026, 11, 26)
NOTICE = "content/documents/2026/dbns.md"


def test_ctrl_c_while_the_old_site_is_put_aside_says_the_new_one_is_out(tmp_path: Path) -> None:
    root = write_county(tmp_path / "county")
    site = root / "site"
    build(root, site, TODAY)
    notice = root / NOTICE
    notice.write_text(notice.read_text(encoding="utf-8") + "\n交换之后中断。\n", encoding="utf-8")
    process = paused_build(root, "trash", TODAY.isoformat())  # in publish(): exchanged, the old site moved aside
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "交换之后中断" in (site / "documents/2026/dbns/index.html").read_text(encoding="utf-8")
    assert err.strip().splitlines()[-1] == f"已中断。{PUBLISHED_ALREADY}", err
    assert not manifest_path(root, site).exists(), "the old build's manifest came back for the new site"
    report = build(root, site, TODAY)
    assert not report.unchanged
    full = tmp_path / "full"
    build(root, full, TODAY, clean=True)
    assert site_digests(site) == site_digests(full)
