"""The last old site keeps its links of the published pages for the next build (write.part(..., pages=True),
write.recycled_staging(..., staged=), write/reuse.py): the next build leaves a file there that is the very published
file it would link, removes anything else before a page is written — and the site is still byte for byte a full
build's, whatever was planted among the kept files, with nothing unguarded published."""

from __future__ import annotations

import datetime as dt
import os
import signal
from pathlib import Path

import pytest

from gongkai import write
from gongkai.commands.build import BuildReport, build
from gongkai.errors import BuildFailed, SourceErrors

from kit import append_line, cold_site, kept_spare, paused_build, site_digests, staging_leftovers, write_county

TODAY = dt.date(2026, 11, 26)
CHANGED = "content/documents/2026/gdlb.md"
PAGE = "documents/2026/dbns/index.html"
OTHER = "xxgk/index.html"


@pytest.fixture
def county(tmp_path: Path) -> Path:
    """A county built twice (the second time over an edit): the old site is kept, with its links of the pages the
    new site holds too."""
    root = write_county(tmp_path / "county")
    build(root, root / "site", TODAY)
    append_line(root, CHANGED, "第二条　补贴标准每亩110元。")
    build(root, root / "site", TODAY)
    spare = kept_spare(root)
    assert (spare / PAGE).stat().st_ino == (root / "site" / PAGE).stat().st_ino
    return root


def test_the_kept_pages_are_left_in_place_and_the_site_is_a_full_builds(county: Path) -> None:
    """One document changed, build after build: nearly every page is found in place (not linked), the old site
    keeps only links of files the new site holds, and the site is a full build's each time."""
    site = county / "site"
    for number in range(3):
        append_line(county, CHANGED, f"第{number + 3}条　补贴标准每亩{120 + number}元。")
        report = build(county, site, TODAY)
        assert report.kept > report.reused / 2 and report.reused - report.kept < 10, report
        assert site_digests(site, every_entry=True) == cold_site(county, str(number), TODAY)
        published = {path.stat().st_ino for path in site.rglob("*") if path.is_file()}
        kept = [p for p in kept_spare(county).rglob("*") if p.is_file()]
        assert kept and [p for p in kept if p.stat().st_ino not in published] == []


def test_what_was_planted_beside_the_kept_pages_is_neither_kept_nor_published(county: Path) -> None:
    """Planted where no page was kept (a page changed in the last build, new names): a file with a phone number, a
    symbolic link, a FIFO, a folder. The kept pages are still taken (the published site is as recorded), none of
    the planted entries survives, the leak guard passes, and the site is a full build's."""
    site, spare = county / "site", kept_spare(county)
    changed = spare / "documents/2026/gdlb/index.html"
    assert not changed.exists()  # changed in the last build: the old site's page was not kept
    changed.write_text("<p>手机 13812345678</p>", encoding="utf-8")
    (spare / "documents/2026/link.html").symlink_to(site / OTHER)
    os.mkfifo(spare / "documents/2026/fifo.html")
    (spare / "documents/2026/folder").mkdir()
    (spare / "documents/2026/folder/x.html").write_text("13812345678", encoding="utf-8")
    (spare / "stray.html").write_text("13812345678", encoding="utf-8")
    append_line(county, CHANGED, "第三条　补贴标准每亩120元。")
    report = build(county, site, TODAY)  # the leak guard fails the build if any number is published
    assert report.kept > report.reused / 2, report
    found = site_digests(site, every_entry=True)
    assert found == cold_site(county, "beside", TODAY)
    assert not [n for n in found if n.endswith(("stray.html", "/x.html", "link.html", "fifo.html")) or "folder" in n]


def test_what_was_planted_over_the_kept_pages_is_neither_kept_nor_published(county: Path) -> None:
    """Put over kept pages: a new file (with a phone number), a hard link of another published file, a symbolic
    link, a FIFO, a folder with a file. Removing a kept link moves its published file's change time (and a link
    adds one): the published site is no longer the one recorded, and no kept file is trusted — the pages are
    linked as before, none of the planted entries survives, and the site is a full build's."""
    site, spare = county / "site", kept_spare(county)
    pages = sorted(p for p in spare.rglob("index.html") if p.stat().st_nlink > 1)
    planted, linked, symbolic, fifo, folder = pages[:5]
    planted.unlink()
    planted.write_text("<p>手机 13812345678</p>", encoding="utf-8")
    linked.unlink()
    os.link(site / OTHER, linked)
    symbolic.unlink()
    symbolic.symlink_to(site / OTHER)
    fifo.unlink()
    os.mkfifo(fifo)
    folder.unlink()
    folder.mkdir()
    (folder / "x.html").write_text("13812345678", encoding="utf-8")
    append_line(county, CHANGED, "第三条　补贴标准每亩120元。")
    report = build(county, site, TODAY)  # the leak guard fails the build if any number is published
    assert report.kept == 0, report
    found = site_digests(site, every_entry=True)
    assert found == cold_site(county, "over", TODAY)
    assert not [name for name in found if name.endswith("/x.html")]


def test_a_kept_page_changed_in_place_is_built_again(county: Path) -> None:
    """A kept file is a link of the published one: changed in place (its time set back), the published page
    changed with it — its change time tells, it is built again, never taken over or left unread by the guard."""
    site, spare = county / "site", kept_spare(county)
    kept = spare / PAGE
    good, before = (site / PAGE).read_bytes(), os.stat(kept)
    with kept.open("r+b") as changed:
        changed.write(b"<!-- 110101199003071234 -->")
    os.utime(kept, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (site / PAGE).read_bytes() != good
    append_line(county, CHANGED, "第三条　补贴标准每亩120元。")
    build(county, site, TODAY)
    assert (site / PAGE).read_bytes() == good
    assert site_digests(site, every_entry=True) == cold_site(county, "changed", TODAY)


def test_a_build_never_writes_through_a_kept_page(county: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page changed now, whose link the old site kept: the build writes it to a new file (the kept link is gone
    before any page is written), and the published page stays as it was until the swap."""
    site = county / "site"
    page = site / "documents/2026/gdlb/index.html"
    append_line(county, CHANGED, "第三条　补贴标准每亩120元。")
    build(county, site, TODAY)
    before = page.read_bytes()
    assert (kept_spare(county) / "documents/2026/gdlb/index.html").exists() is False  # changed: not kept
    other = site / PAGE
    other_before = other.read_bytes()
    path = county / "content/documents/2026/dbns.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n请各村于月底前报送。\n", encoding="utf-8")
    assert (kept_spare(county) / PAGE).stat().st_ino == other.stat().st_ino  # kept: a link of the published page
    process = paused_build(county, "publish", TODAY.isoformat())
    try:
        assert other.read_bytes() == other_before and page.read_bytes() == before
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        if process.stderr:
            process.stderr.close()
    build(county, site, TODAY)
    assert "请各村于月底前报送" in other.read_text(encoding="utf-8")
    assert site_digests(site, every_entry=True) == cold_site(county, "written", TODAY)


def test_a_build_killed_while_keeping_leaves_the_site_and_the_next_build_is_a_full_builds(county: Path) -> None:
    site = county / "site"
    append_line(county, CHANGED, "第三条　补贴标准每亩120元。")
    before = site_digests(site, every_entry=True)
    process = paused_build(county, "keeping", TODAY.isoformat())
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    if process.stderr:
        process.stderr.close()
    assert site_digests(site, every_entry=True) == before
    build(county, site, TODAY)
    assert site_digests(site, every_entry=True) == cold_site(county, "after-kill", TODAY)
    append_line(county, CHANGED, "第四条　补贴标准每亩130元。")
    build(county, site, TODAY)
    assert site_digests(site, every_entry=True) == cold_site(county, "after-kill-next", TODAY)
    # Removing the killed build's staging tree moved the published pages' change time: the build after the kill
    # walks the old site (not vouched for) and keeps none of its pages; the one after that keeps them again.
    append_line(county, CHANGED, "第五条　补贴标准每亩140元。")
    report = build(county, site, TODAY)
    assert report.kept > report.reused / 2, report


@pytest.mark.parametrize("stage", ["render_sheets_for", "guard_site"])
def test_a_failing_build_leaves_the_kept_pages_reusable(
    county: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    """A build that fails with the kept pages in its staging tree: removing them moves the published pages' change
    time; the manifest follows (``Reuse.keep``), so the next build rebuilds only what changed."""
    from gongkai.commands import build as build_command

    append_line(county, CHANGED, "第三条　补贴标准每亩120元。")

    def failing(*args: object, **kwargs: object) -> None:
        raise BuildFailed("失败")

    with monkeypatch.context() as patched:
        patched.setattr(build_command, stage, failing)
        with pytest.raises((BuildFailed, SourceErrors)):
            build(county, county / "site", TODAY)
    report: BuildReport = build(county, county / "site", TODAY)
    assert report.rebuilt < 10 and report.reused > 10, report
    assert site_digests(county / "site", every_entry=True) == cold_site(county, "after-failure", TODAY)


@pytest.mark.parametrize("then", ["kept", "removed"])
def test_a_hard_link_backup_of_the_site_costs_the_next_builds_no_search_index(
    county: Path, tmp_path: Path, then: str
) -> None:
    """A backup of the published site made with hard links (``cp -al``, ``rsync --link-dest``), and its removal,
    move the change time of every published file: the search bundle's files are taken by their bytes (their
    listed sum, output.Reuse.find), so the index is patched and its files linked, not written again; the site is a
    full build's."""
    import shutil

    site = county / "site"
    backup = tmp_path / "backup"
    shutil.copytree(site, backup, copy_function=os.link, symlinks=True)
    if then == "removed":  # (as the spare removed by hand: its links gone)
        shutil.rmtree(backup)
    append_line(county, CHANGED, "第四条　补贴标准每亩130元。")
    report = build(county, site, TODAY)
    assert report.search is not None and report.search.patched, report.search
    assert report.search.written < report.search.linked, report.search
    assert site_digests(site, every_entry=True) == cold_site(county, then, TODAY)


@pytest.mark.parametrize("first", ["cold", "clean"])
def test_a_site_built_anew_leaves_the_first_edit_its_pages_and_bundle_in_place(
    tmp_path: Path, first: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build that kept no old site — the first one, or one that built more files anew than it removes at once
    (``--clean`` at county scale: write.PARTED) — makes the next build's folders itself (write.seed_spare): every
    folder of the site, with its links of the pages and of the search bundle's files. The first edit after it then
    finds them in place, as every later edit does, and its site is a full build's."""
    root = write_county(tmp_path / "county")
    site = root / "site"
    build(root, site, TODAY)
    if first == "clean":
        append_line(root, CHANGED, "第二条　补贴标准每亩110元。")
        monkeypatch.setattr(write, "PARTED", 0)  # (this county's old site has fewer files than a county's)
        build(root, site, TODAY, clean=True)
        monkeypatch.undo()
    spare = kept_spare(root)
    assert sorted(p.relative_to(spare) for p in spare.rglob("*") if p.is_dir()) == sorted(
        p.relative_to(site) for p in site.rglob("*") if p.is_dir()
    )
    assert (spare / PAGE).stat().st_ino == (site / PAGE).stat().st_ino
    bundle = [p for p in (spare / "pagefind").rglob("*") if p.is_file()]
    assert bundle and all(p.stat().st_ino == (site / p.relative_to(spare)).stat().st_ino for p in bundle)
    assert oct(spare.stat().st_mode & 0o777) == oct(0o755)
    append_line(root, CHANGED, "第三条　补贴标准每亩120元。")
    report = build(root, site, TODAY)
    assert report.kept > report.reused / 2 and report.reused - report.kept < 10, report
    assert report.search is not None and report.search.kept >= len(bundle) - 10, report.search
    assert site_digests(site, every_entry=True) == cold_site(root, first, TODAY)
    assert kept_spare(root)  # one, and only one


@pytest.mark.parametrize("failure", ["disk full while linking", "no hard links", "no room for its folder"])
def test_a_spare_that_cannot_be_made_leaves_none_and_the_next_build_stages_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    """A failure while the next build's folders are made (write.seed_spare) costs the next build that work only: no
    spare, nothing left beside the site, the site published and recorded, the next build a full build's. Where files
    cannot be hard-linked at all (vfat, some network shares) no folder is made first: one link is tried before."""
    root = write_county(tmp_path / "county")
    site = root / "site"
    real_link, real_mkdir, real_new_dir = os.link, os.mkdir, write._new_dir
    links: list[str] = []
    made: list[Path] = []  # the directories beside the site: the staging one, then the spare's
    folders: list[str] = []  # made in the spare's

    def link(source: str | Path, target: str | Path, **kw: object) -> None:
        if os.fspath(source).startswith(f"{site}/"):  # a cold build links only from the published site
            links.append(os.fspath(target))
            if failure == "no hard links" or len(links) > 3:
                raise OSError(1 if failure == "no hard links" else 28, "refused")
        real_link(source, target, **kw)  # type: ignore[arg-type]

    def mkdir(path: str | Path, *args: object, **kw: object) -> None:
        if len(made) == 2 and os.fspath(path).startswith(f"{made[1]}/"):
            folders.append(os.fspath(path))
        real_mkdir(path, *args, **kw)  # type: ignore[arg-type]

    def new_dir(site_dir: Path) -> Path:
        if failure == "no room for its folder" and len(made) == 1:
            raise OSError(28, "No space left on device")
        made.append(real_new_dir(site_dir))
        return made[-1]

    monkeypatch.setattr(os, "link", link)
    monkeypatch.setattr(os, "mkdir", mkdir)
    monkeypatch.setattr(write, "_new_dir", new_dir)
    build(root, site, TODAY)
    monkeypatch.undo()
    assert len(links) == {"disk full while linking": 4, "no hard links": 1, "no room for its folder": 0}[failure]
    assert (folders != []) == (failure == "disk full while linking")
    assert [p.name for p in root.iterdir() if p.name.startswith(".site")] == [".site-build.lock"]
    assert build(root, site, TODAY).unchanged
    append_line(root, CHANGED, "第二条　补贴标准每亩110元。")
    build(root, site, TODAY)
    assert site_digests(site, every_entry=True) == cold_site(root, "after", TODAY)


def test_a_first_build_killed_while_it_makes_the_next_build_s_folders_leaves_its_site_and_the_next_is_a_full_builds(
    tmp_path: Path,
) -> None:
    """Killed after publishing the first site, while making the next build's folders (write.seed_spare, before the
    manifest): the new site is out whole; the next build removes the half-made folders and its site is a full
    build's, as are the ones after it, which soon find their pages in place again."""
    root = write_county(tmp_path / "county")
    site = root / "site"
    process = paused_build(root, "seeding", TODAY.isoformat())
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    if process.stderr:
        process.stderr.close()
    assert site_digests(site, every_entry=True) == cold_site(root, "killed", TODAY)
    [half] = [p for p in root.iterdir() if p.name.startswith(".site.")]  # the half-made folders, by their name
    assert [p for p in half.rglob("*") if p.is_file()]  # with links of published files in them
    append_line(root, CHANGED, "第二条　补贴标准每亩110元。")
    build(root, site, TODAY)
    assert staging_leftovers(root) == []
    assert site_digests(site, every_entry=True) == cold_site(root, "after-kill", TODAY)
    # Nothing was recorded (the manifest is written after the folders are made): the build after the kill walks the
    # site (not vouched for) and keeps none of its pages; the one after that keeps them again.
    for number in range(3, 5):
        append_line(root, CHANGED, f"第{number}条　补贴标准每亩{100 + 10 * number}元。")
        report = build(root, site, TODAY)
        assert site_digests(site, every_entry=True) == cold_site(root, f"after-kill-{number}", TODAY)
    assert report.kept > report.reused / 2, report
