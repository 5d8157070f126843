"""Two output directories side by side whose names extend one another (``site`` and ``site.test``): a build of one
never takes the other's staging directory, kept old site or old site for a leftover of its own. Each has its own
lock, so they may build at once; a build of ``site`` that removed ``site.test``'s staging directory mid-build left
``site.test`` missing (its build's swap found no staging directory after moving the published site aside)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gongkai import faults
from gongkai.commands.build import build
from gongkai.write import clean_leftovers, publish

from kit import site_digests, write_county

TODAY = dt.date(2026, 11, 26)
NOTICE = "content/documents/2026/dbns.md"
_PAUSED = (
    "import sys\n"
    "from gongkai import faults\n"
    "faults.PAUSE_SECONDS = float(sys.argv[1])\n"
    "from gongkai.commands.cli import main\n"
    "sys.exit(main(sys.argv[2:]))\n"
)


def _paused(root: Path, site: Path, stage: str, seconds: float) -> tuple[subprocess.Popen[str], Path]:
    """`gongkai build --site-dir site`, pausing ``seconds`` at ``stage``; returned once it is there."""
    marker = root.parent / f"paused-{stage}-{time.monotonic_ns()}"
    env = {**os.environ, faults.STAGE: stage, faults.MARKER: str(marker)}
    command = [sys.executable, "-c", _PAUSED, str(seconds), "build", str(root), "--site-dir", str(site)]
    process = subprocess.Popen(
        [*command, "--today", TODAY.isoformat(), "-q"], env=env, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert time.monotonic() < deadline, f"the build never reached {stage}"
        time.sleep(0.05)
    return process, marker


@pytest.mark.parametrize("name", ["site.test", "site-spare", "site-old"])
def test_a_build_of_site_leaves_the_staging_of_site_test_alone(tmp_path: Path, name: str) -> None:
    """Also beside an output directory named as the spare and the old sites of ``site`` were once named
    (``.site-spare.<suffix>`` was the spare of ``site`` and the staging directory of ``site-spare``)."""
    root = write_county(tmp_path / "county")
    site, other = root / "site", root / name
    build(root, site, TODAY)
    build(root, other, TODAY)
    notice = root / NOTICE
    notice.write_text(notice.read_text(encoding="utf-8") + "\n两个网站同时生成。\n", encoding="utf-8")
    process, _ = _paused(root, other, "publish", 20.0)  # guarded, about to swap
    staged = [p for p in root.iterdir() if p.name.startswith(f".{name}.")]
    assert staged
    build(root, site, TODAY)  # the other build of the same project, into its own output directory
    assert all(p.exists() for p in staged), "a build of site/ removed the staging directory of site.test/"
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert other.is_dir(), f"{name}/ is gone"
    assert "两个网站同时生成" in (other / "documents/2026/dbns/index.html").read_text(encoding="utf-8")
    assert site_digests(other) == site_digests(site)


def test_an_exchange_that_fails_leaves_the_published_site_where_it_is(tmp_path: Path) -> None:
    """Only an exchange the system cannot make falls back to two renames (the first moves the site aside): one that
    fails otherwise — the staging directory gone — is an error, the published site in its place."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("已发布", encoding="utf-8")
    with pytest.raises(OSError):
        publish(tmp_path / ".site.gone1234", site, later=True)
    assert (site / "index.html").read_text(encoding="utf-8") == "已发布"


def test_leftovers_are_told_from_a_sibling_output_s_folders(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    siblings = [".site.test.abc123xy", ".site.test.abc123xy-spare", ".site.test.abc123xy-old", ".site.test.old"]
    own = [".site.q1w2e3r4", ".site.q1w2e3r4-old"]
    for name in (*siblings, *own):
        (tmp_path / name).mkdir()
    clean_leftovers(site)
    assert all((tmp_path / name).is_dir() for name in siblings)
    assert not (tmp_path / own[0]).exists()


@pytest.mark.parametrize("name", [".site.bak", ".site.preview", ".site.old-spare", ".site.bak-old", ".site-old.old"])
def test_a_folder_named_as_no_suffix_of_a_build_is_left(tmp_path: Path, name: str) -> None:
    """A backup or another output directory named ``.site.bak`` beside ``site`` is no leftover of a build of it: a
    build's folders have mkdtemp's eight-character suffix."""
    site = tmp_path / "site"
    site.mkdir()
    (tmp_path / name / "deep").mkdir(parents=True)
    clean_leftovers(site)
    time.sleep(0.5)  # (a remover would have been started)
    assert (tmp_path / name / "deep").is_dir()


def test_two_renames_put_each_old_site_aside_under_a_name_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the system cannot exchange two folders, the old site is moved to ``.site.old`` first: put aside under a
    new suffix each time, so that one not yet removed does not keep the next from being put aside."""
    import gongkai.write as write

    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    site = tmp_path / "site"
    site.mkdir()
    trash = []
    for number in range(2):
        staging = tmp_path / f".site.new{number}xyz"
        (staging / "deep").mkdir(parents=True)
        found = publish(staging, site, later=True)
        assert found is not None and found.name.startswith(".site.") and found.name.endswith("-old")
        trash.append(found)
    assert trash[0] != trash[1] and all(p.is_dir() for p in trash)


def test_a_sibling_s_staging_named_as_an_old_site_once_was_left_while_it_builds(tmp_path: Path) -> None:
    """``.site-spare.<suffix>`` and ``.site-old.<suffix>``, an earlier gongkai's spare and old site of ``site``, are the
    staging directories of output directories ``site-spare`` and ``site-old``: left while a build of those holds its
    lock, removed as leftovers when none does."""
    import fcntl

    site = tmp_path / "site"
    site.mkdir()
    names = [".site-spare.abc123xy", ".site-old.abc123xy"]
    for name in names:
        (tmp_path / name).mkdir()
    locks = []
    for other in ("site-spare", "site-old"):
        fd = os.open(tmp_path / f".{other}-build.lock", os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        locks.append(fd)
    clean_leftovers(site)
    assert all((tmp_path / name).is_dir() for name in names)
    for fd in locks:
        os.close(fd)
    clean_leftovers(site)
    deadline = time.monotonic() + 60
    while any((tmp_path / name).exists() for name in names):
        assert time.monotonic() < deadline, "the leftovers were never removed"
        time.sleep(0.1)
