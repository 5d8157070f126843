"""The last old site keeps its search bundle's files for the next build (write.part, render/search/output.py): the
next build places its own over them — leaving a file that is the published one it would link, removing anything
else — and the site is still byte for byte a full build's, whatever was planted among them."""

from __future__ import annotations

import datetime as dt
import os
import signal
from pathlib import Path

import pytest

from gongkai.commands.build import BuildReport, build

from kit import append_line, cold_site, document, kept_spare, paused_build, site_digests, write_county

TODAY = dt.date(2026, 11, 26)
NEW_DOC = "content/documents/2026/xinwen.md"
CHANGED = "content/documents/2026/gdlb.md"
OWN = ("pagefind/gk/", "pagefind/index/")








def _kept(spare: Path) -> list[Path]:
    return sorted(p for p in (spare / "pagefind").rglob("*") if p.is_file() and not p.is_dir())




def _add(root: Path) -> None:
    body = "现将第二批补贴对象公告如下。"
    (root / NEW_DOC).write_text(
        document("测试县关于公布第二批补贴对象的公告", "11341700MB1714830K/202603-00004", "2026-03-09", body=body),
        encoding="utf-8",
    )


@pytest.fixture
def county(tmp_path: Path) -> Path:
    """A county built twice (the second time over an edit): the old site is kept, with its bundle's files."""
    root = write_county(tmp_path / "county")
    build(root, root / "site", TODAY)
    append_line(root, CHANGED, "第二条　补贴标准每亩110元。")
    build(root, root / "site", TODAY)
    assert _kept(kept_spare(root))
    return root


def _searched(report: BuildReport) -> tuple[int, int, int, int]:
    assert report.search is not None
    return report.search.files, report.search.written, report.search.linked, report.search.kept


def test_each_edit_over_the_kept_bundle_gives_a_full_builds_site_and_the_next_builds_keep_reusing(
    county: Path,
) -> None:
    """Changed, added and deleted documents, each built over the last old site's bundle: the site is a full
    build's; a build that changed one page keeps the files the published bundle shares with the kept one (their
    change time never moved: the build after it links them still, and the one after that)."""
    edits = [
        ("changed", lambda: append_line(county, CHANGED, "第三条　补贴标准每亩120元。")),
        ("changed again", lambda: append_line(county, CHANGED, "第四条　补贴标准每亩130元。")),
        ("added", lambda: _add(county)),
        ("deleted", lambda: (county / NEW_DOC).unlink()),
        ("changed after", lambda: append_line(county, CHANGED, "第五条　补贴标准每亩140元。")),
        ("changed last", lambda: append_line(county, CHANGED, "第六条　补贴标准每亩150元。")),
    ]
    for number, (what, edit) in enumerate(edits):
        edit()
        files, written, _, kept = _searched(build(county, county / "site", TODAY))
        assert site_digests(county / "site", every_entry=True) == cold_site(county, str(number), TODAY), f"after {what}"
        if what.startswith("changed"):
            assert kept > 0 and written < files / 4, (what, files, written, kept)  # the meta is neither
    # the build after a build of one change: the bundle's files are as the last build stamped them
    append_line(county, CHANGED, "第七条　补贴标准每亩160元。")
    files, written, _, kept = _searched(build(county, county / "site", TODAY))
    assert written < files / 4 and kept > files / 2, (files, written, kept)


def test_nothing_changed_in_the_pages_keeps_the_whole_bundle(county: Path) -> None:
    """Pages unchanged: every file of the bundle is the published one, the second time each of its own folders'
    found in place already."""
    for _ in range(2):
        os.utime(county / "county.yml")
        files, written, linked, kept = _searched(build(county, county / "site", TODAY))
        assert written == 0 and linked == files
    own = [
        p
        for p in (county / "site/pagefind").rglob("*")
        if p.is_file() and p.relative_to(county / "site").as_posix().startswith(OWN)
    ]
    assert kept == len(own)  # the top's few files (Pagefind's runtime, the meta) are linked again
    assert site_digests(county / "site", every_entry=True) == cold_site(county, "touched", TODAY)


def test_what_was_planted_among_the_kept_files_is_neither_kept_nor_published(county: Path) -> None:
    """A new file (with a phone number), a hard link of a published file at another path, a symbolic link, a
    FIFO, a folder where a file goes, a file changed in place (its time set back), a folder of another version:
    none of it survives the next build, nothing unguarded is published, and the site is a full build's."""
    site, spare = county / "site", kept_spare(county)
    [records] = sorted(spare.glob("pagefind/gk/*/r"))
    [chunks] = sorted(spare.glob("pagefind/index/*"))
    published = sorted(site.glob("pagefind/gk/*/r/*.json"))
    (records / "zz.json").write_text('{"x":"手机 13812345678"}', encoding="utf-8")
    (records / "0.json").unlink(missing_ok=True)
    os.link(published[-1], records / "0.json")  # a published file, at another page's path
    (chunks / "0.pf_index").unlink(missing_ok=True)
    (chunks / "0.pf_index").symlink_to(site / "index.html")
    (chunks / "1.pf_index").unlink(missing_ok=True)
    os.mkfifo(chunks / "1.pf_index")
    (records / "1.json").unlink(missing_ok=True)
    (records / "1.json").mkdir()
    (records / "1.json" / "x.json").write_text("13812345678", encoding="utf-8")
    alone = next(p for p in _kept(spare) if p.suffix == ".pf_index")  # a copy of a kept file, changed, time set back
    times, data = alone.stat(), alone.read_bytes()
    alone.unlink()
    alone.write_bytes(b"13812345678" + data[11:])
    os.utime(alone, ns=(times.st_atime_ns, times.st_mtime_ns))
    (spare / "pagefind/gk/other").mkdir()
    os.link(published[0], spare / "pagefind/gk/other/x.json")
    (spare / "pagefind/gk/loose.json").write_text("13812345678", encoding="utf-8")
    (spare / "pagefind/stray.js").write_text("13812345678", encoding="utf-8")
    append_line(county, CHANGED, "第三条　补贴标准每亩120元。")
    build(county, site, TODAY)  # the leak guard fails the build if any number is published
    found = site_digests(site, every_entry=True)
    assert found == cold_site(county, "planted", TODAY)
    assert not [name for name in found if name.endswith(("zz.json", "loose.json", "stray.js")) or "other" in name]


def _identities(site: Path) -> dict[str, tuple[int, bytes, int, int, int]]:
    return {
        p.relative_to(site).as_posix(): (p.stat().st_ino, p.read_bytes(), p.stat().st_mtime_ns, *_times(p))
        for p in (site / "pagefind").rglob("*")
        if p.is_file()
    }


def _times(path: Path) -> tuple[int, int]:
    found = path.stat()
    return found.st_ctime_ns, found.st_nlink


@pytest.mark.parametrize("edit", ["touched", "changed"])
def test_a_build_never_changes_a_published_file_of_the_bundle_before_it_swaps(county: Path, edit: str) -> None:
    """Paused just before the swap, a build has left every file of the published bundle as it was (inode, bytes,
    modification time); its change time moved only with its link count (a file the last build wrote, linked
    now), and with no page changed, not at all in its own folders. Killed there, the next build gives a full build's site."""
    site = county / "site"
    if edit == "touched":
        os.utime(county / "county.yml")
        build(county, site, TODAY)  # the kept old site's bundle is the published one, file for file
        os.utime(county / "county.yml")
    else:
        append_line(county, CHANGED, "第三条　补贴标准每亩120元。")
    before = _identities(site)
    process = paused_build(county, "publish", TODAY.isoformat())
    try:
        now = _identities(site)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        if process.stderr:
            process.stderr.close()
    assert now.keys() == before.keys()
    assert {name: found[:3] for name, found in now.items()} == {name: found[:3] for name, found in before.items()}
    moved = [name for name in now if now[name][3] != before[name][3]]
    assert all(now[name][4] != before[name][4] for name in moved), moved
    if edit == "touched":  # (the top's few files were emptied from the old site: linked again)
        assert [name for name in moved if name.startswith(OWN)] == []
    build(county, site, TODAY)
    assert site_digests(site, every_entry=True) == cold_site(county, f"after-{edit}", TODAY)


def test_a_build_killed_while_placing_its_bundle_leaves_the_next_one_a_full_builds_site(county: Path) -> None:
    """Killed with the kept bundle half placed over (its chunks placed, its pages' files not): the published
    site is untouched, and the next build cleans up and gives a full build's site."""
    site = county / "site"
    append_line(county, CHANGED, "第三条　补贴标准每亩120元。")
    before = site_digests(site, every_entry=True)
    process = paused_build(county, "placing", TODAY.isoformat())
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


@pytest.mark.parametrize("stage", ["render_sheets_for", "guard_site"], ids=["before-search", "after-search"])
def test_a_failing_build_leaves_the_published_bundle_linkable(
    county: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    """A build that fails with the kept old site's bundle in its staging tree (staged before its pages), or with the
    links its search stage made of the published bundle's files (the leak guard failed): removing that tree moves
    the change time of every published file it held a link of, and the next build linked none of them (the whole
    index written again: a minute at county scale). They are listed again as the links and their removal left them."""
    from gongkai.commands import build as build_command

    append_line(county, CHANGED, "第三条　补贴标准每亩120元。")

    def failing(*args: object, **kwargs: object) -> None:
        raise RuntimeError("失败")

    with monkeypatch.context() as patched:
        patched.setattr(build_command, stage, failing)
        with pytest.raises(RuntimeError):
            build(county, county / "site", TODAY)
    files, written, linked, _ = _searched(build(county, county / "site", TODAY))
    assert linked > files / 2 and written < files / 4, (files, written, linked)
    assert site_digests(county / "site", every_entry=True) == cold_site(county, "after-failure", TODAY)


def test_the_kept_old_site_keeps_only_files_the_published_bundle_holds(county: Path) -> None:
    """A file of the old bundle that the new one does not hold is of no use to the next build (it could only remove
    it, in its search stage): it goes with the old site's other files, not kept with the spare. Its link count, as
    the build found it, counted the last spare's link (gone since): it was kept, holding data — after a new index,
    the whole old index."""
    append_line(county, CHANGED, "第三条　补贴标准每亩120元。")
    build(county, county / "site", TODAY)
    published = {path.stat().st_ino for path in (county / "site").rglob("*") if path.is_file()}
    kept = _kept(kept_spare(county))
    assert kept
    assert [p for p in kept if p.stat().st_ino not in published] == []
