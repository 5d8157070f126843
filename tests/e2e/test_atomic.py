"""Atomic publish: a build killed at any stage leaves the published site as it was; the next build cleans up."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from gongkai import faults, write
from gongkai.commands.cli import main
from gongkai.write import clean_leftovers

from kit import paused_build, site_digests, staging_leftovers, write_county

TODAY = "2026-11-26"
PAGE = "content/xxgk/zhinan.md"


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small county with a published site."""
    root = write_county(tmp_path_factory.mktemp("county"))
    assert main(["build", str(root), "--today", TODAY, "-q"]) == 0
    return root


def _leftovers(root: Path) -> list[str]:
    return staging_leftovers(root)


def _kill_at(root: Path, stage: str) -> None:
    """Run `gongkai build`, wait until it pauses at ``stage``, SIGKILL its process group."""
    process = paused_build(root, stage, TODAY)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    if process.stderr:
        process.stderr.close()


@pytest.mark.parametrize("stage", faults.STAGES)
def test_a_killed_build_leaves_the_site_intact(county: Path, stage: str) -> None:
    site = county / "site"
    (county / PAGE).write_text(f"# 政府信息公开指南\n\n修改于{stage}阶段。\n", encoding="utf-8")
    if stage == "sheets":
        shutil.rmtree(county / ".cache", ignore_errors=True)  # so that the PDF pool really runs
    if stage == "linking":  # pages are linked where the last old site kept none (after a first build it keeps all)
        for spare in county.glob(".site.*-spare"):
            spare.rename(county.parent / f"aside-{spare.name}")  # (its links stay: no published file's time moves)
    before = site_digests(site)
    _kill_at(county, stage)
    assert site_digests(site) == before
    assert _leftovers(county), "the killed build should have left its staging directory behind"
    assert main(["build", str(county), "--today", TODAY, "-q"]) == 0
    assert f"修改于{stage}阶段" in (site / "xxgk/zhinan/index.html").read_text(encoding="utf-8")
    assert _leftovers(county) == []


def test_the_next_build_restores_a_site_killed_between_two_renames(tmp_path: Path) -> None:
    site, old = tmp_path / "site", tmp_path / ".site.old"
    old.mkdir()
    (old / "index.html").write_text("旧网站", encoding="utf-8")
    (tmp_path / ".site.abc123xy").mkdir()
    clean_leftovers(site)
    assert (site / "index.html").read_text(encoding="utf-8") == "旧网站"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_publish_swaps_in_the_new_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool) -> None:
    if not exchange:
        monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    site, staging = tmp_path / "site", tmp_path / ".site.new"
    for folder, text in ((site, "旧"), (staging, "新")):
        folder.mkdir()
        (folder / "index.html").write_text(text, encoding="utf-8")
    write.publish(staging, site)
    assert (site / "index.html").read_text(encoding="utf-8") == "新"
    assert _leftovers(tmp_path) == []


def test_faults_are_inert_without_the_test_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(faults.STAGE, raising=False)
    faults.pause_at("pages")
    count = print
    assert faults.pause_midway("sheets", count) is count


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _gone(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


def test_a_build_killed_while_its_pages_are_split_leaves_no_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_county(tmp_path / "county")
    monkeypatch.setenv(faults.SPLIT_MINIMUM, "1")
    process = paused_build(root, "split", TODAY)  # the child pages process pauses; the parent waits for it
    children = _children(process.pid)
    assert children, "the pages stage should have forked"
    os.kill(process.pid, signal.SIGKILL)  # the parent alone
    process.wait()
    if process.stderr:
        process.stderr.close()
    deadline = time.monotonic() + 10
    while not all(_gone(pid) for pid in children):
        assert time.monotonic() < deadline, "the pages child outlived its parent"
        time.sleep(0.05)
    assert not (root / "site").exists()
    monkeypatch.delenv(faults.STAGE, raising=False)
    assert main(["build", str(root), "--today", TODAY, "-q"]) == 0


def test_a_pages_child_killed_alone_fails_the_build_as_the_machine_s_and_leaves_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The out-of-memory killer may take the forked pages child alone: the parent says so in Chinese (exit 3,
    not an internal error with a log file), the published site stays, and the next build is a full one's."""
    root = write_county(tmp_path / "county")
    assert main(["build", str(root), "--today", TODAY, "-q"]) == 0
    (root / PAGE).write_text("# 政府信息公开指南\n\n子进程被终止后。\n", encoding="utf-8")
    before = site_digests(root / "site")
    monkeypatch.setenv(faults.SPLIT_MINIMUM, "1")
    process = paused_build(root, "split", TODAY)
    (child,) = _children(process.pid)
    os.kill(child, signal.SIGKILL)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 3, err
    assert (
        "错误：生成网页的子进程被系统终止（信号 SIGKILL），多半是内存不足。请关闭其他程序后重新生成。已发布的网站保持原样。"
        in err
    )
    assert "内部错误" not in err
    assert site_digests(root / "site") == before
    monkeypatch.delenv(faults.STAGE, raising=False)
    assert main(["build", str(root), "--today", TODAY, "-q"]) == 0
    assert main(["build", str(root), "--today", TODAY, "-q", "--clean", "--site-dir", str(tmp_path / "cold")]) == 0
    assert site_digests(root / "site") == site_digests(tmp_path / "cold")


def test_ctrl_c_stops_the_build_in_chinese_without_its_workers_tracebacks(tmp_path: Path) -> None:
    """Ctrl+C signals the terminal's whole process group: the sheet workers printed English tracebacks."""
    root = write_county(tmp_path / "county")
    process = paused_build(root, "sheets", TODAY)  # the PDF workers are up, the parent pauses after a sheet
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.strip().splitlines() == ["已中断。已发布的网站保持原样。"], err
