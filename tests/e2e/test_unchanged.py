"""The whole-build shortcut (write/unchanged.py): nothing read changed and the site is as published → the site is
left as it is; any change to the sources, the options or the published tree → a normal build, equal to a full one."""

from __future__ import annotations

import datetime as dt
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from gongkai import write
from gongkai.commands import build as build_command
from gongkai.commands.build import BuildReport, build
from gongkai.commands.cli import main
from gongkai.errors import SourceErrors
from gongkai.write import clean_leftovers, part
from gongkai.write.unchanged import (
    intact,
    listed_digest,
    record_path,
    recorded,
    recorded_listing,
    tree_digest,
    walk_site,
)

from kit import cold_site, kept_spare, kill_paused, paused_build, site_digests, write_county

TODAY = dt.date(2026, 11, 26)
NOTICE = "content/documents/2026/dbns.md"


def _identities(site: Path) -> dict[str, tuple[int, ...]]:
    return {
        path.relative_to(site).as_posix(): (s.st_ino, s.st_size, s.st_mtime_ns, s.st_ctime_ns)
        for path in site.rglob("*")
        for s in [os.lstat(path)]
    }


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_county(tmp_path_factory.mktemp("county"))
    assert not build(root, root / "site", TODAY).unchanged
    return root


def test_nothing_changed_leaves_the_site_untouched(county: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build(county, county / "site", TODAY)
    before = _identities(county / "site")
    assert main(["build", str(county), "--today", TODAY.isoformat(), "-q"]) == 0
    said = capsys.readouterr().err
    assert "没有改动" in said and "--clean" in said
    assert _identities(county / "site") == before  # not one file written, linked or removed


def test_the_unchanged_report_repeats_the_published_build(county: Path) -> None:
    first = build(county, county / "site", TODAY, clean=True)
    again = build(county, county / "site", TODAY)
    assert again.unchanged and not first.unchanged
    assert (again.documents, again.pages, again.warnings) == (first.documents, first.pages, first.warnings)
    assert again.sheets is not None and first.sheets is not None
    assert again.sheets.cached == first.sheets.rendered + first.sheets.cached


def _in_place(site: Path) -> None:
    page = site / "documents/2026/dbns/index.html"
    before = os.stat(page)
    with page.open("r+b") as changed:
        changed.write(b"<!-- x -->")
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))


CHANGES: list[tuple[str, Callable[[Path], None], dict[str, object]]] = [
    ("a source edited", lambda r: (r / NOTICE).write_text((r / NOTICE).read_text("utf-8") + "\n补充。\n", "utf-8"), {}),
    ("a source touched", lambda r: os.utime(r / "county.yml"), {}),
    ("a file added to the sources", lambda r: (r / "content/xxgk/new.md").write_text("# 新页面\n", "utf-8"), {}),
    ("a page of the site written in place, its time set back", lambda r: _in_place(r / "site"), {}),
    ("a file added to the site", lambda r: (r / "site/extra.html").write_text("x", "utf-8"), {}),
    ("a file removed from the site", lambda r: (r / "site/sitemap.xml").unlink(), {}),
    ("another build date", lambda r: None, {"today": dt.date(2026, 11, 27)}),
    ("--clean", lambda r: None, {"clean": True}),
    ("--guide", lambda r: None, {"guide": True}),
    ("the record damaged", lambda r: record_path(r, r / "site").write_text("{", "utf-8"), {}),
]


@pytest.mark.parametrize("change", CHANGES, ids=[c[0] for c in CHANGES])
def test_any_change_is_a_normal_build_equal_to_a_full_one(
    county: Path, change: tuple[str, Callable[[Path], None], dict[str, object]]
) -> None:
    _, edit, options = change
    build(county, county / "site", TODAY)
    edit(county)
    report: BuildReport = build(county, county / "site", **{"today": TODAY, **options})  # type: ignore[arg-type]
    assert not report.unchanged
    full = county.parent / f"full-{len(os.listdir(county.parent))}"
    build(county, full, report_today(options), guide=bool(options.get("guide")), clean=True)
    assert site_digests(county / "site") == site_digests(full)


def report_today(options: dict[str, object]) -> dt.date:
    today = options.get("today", TODAY)
    assert isinstance(today, dt.date)
    return today


def test_a_symbolic_link_in_the_project_means_no_shortcut(county: Path, tmp_path: Path) -> None:
    """What a link leads to can change without the project changing: no shortcut while one is there."""
    from gongkai.write.unchanged import inputs_key

    assert inputs_key(county, county / "site", TODAY, False, False) is not None
    (county / "tools").mkdir(exist_ok=True)
    (county / "tools/link").symlink_to(tmp_path)
    try:
        assert inputs_key(county, county / "site", TODAY, False, False) is None
    finally:
        (county / "tools/link").unlink()


def test_a_mkdocs_yml_reaching_outside_the_project_means_no_shortcut(county: Path) -> None:
    from gongkai.write.unchanged import inputs_key

    config = county / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    try:
        for reaching in (
            "extra:\n  x: !ENV HOME",
            "hooks:\n  - ../hook.py",
            "docs_dir: ../elsewhere",
            "INHERIT: ../base.yml",
        ):
            config.write_text(text + "\n" + reaching + "\n", encoding="utf-8")
            assert inputs_key(county, county / "site", TODAY, False, False) is None, reaching
    finally:
        config.write_text(text, encoding="utf-8")


def _trash(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.name.startswith(".site.") and p.name.endswith("-old"))


def _until_removed(root: Path) -> None:
    deadline = time.monotonic() + 60
    while _trash(root):
        assert time.monotonic() < deadline, "the old site was never removed"
        time.sleep(0.1)


def test_the_old_site_is_removed_in_the_background_without_touching_the_new_one(county: Path) -> None:
    """The swap moves the old site aside; its files linked unchanged into the new site are unlinked from it at
    once, so that its removal later moves no published file's change time: the record stays true."""
    notice = county / NOTICE
    notice.write_text(notice.read_text(encoding="utf-8") + "\n又补充。\n", encoding="utf-8")
    report = build(county, county / "site", TODAY)
    assert report.reused > 0 and not report.unchanged
    before = _identities(county / "site")
    _until_removed(county)
    assert _identities(county / "site") == before
    assert build(county, county / "site", TODAY).unchanged


def test_part_empties_the_old_site_of_its_files_and_leaves_the_new_one_alone(tmp_path: Path) -> None:
    """Every file of the old site goes at once (those linked into the new one, at their path or another,
    included: removed later, they would move a published file's change time); its folders stay, for the next
    build's staging directory (keep_spare)."""
    site, old = tmp_path / "site", tmp_path / ".site.xxxxxxxx-old"
    for folder in (site / "a", old / "a"):
        folder.mkdir(parents=True)
    (old / "a/same.html").write_text("同", encoding="utf-8")
    os.link(old / "a/same.html", site / "a/same.html")
    (old / "a/changed.html").write_text("旧", encoding="utf-8")
    (site / "a/changed.html").write_text("新", encoding="utf-8")
    (old / "b").mkdir()
    (old / "b/moved.pf_index").write_bytes(b"x")
    (site / "c").mkdir()
    os.link(old / "b/moved.pf_index", site / "c/moved.pf_index")  # the same file at another path
    (old / "b/link").symlink_to(site / "a/same.html")
    assert part(old, site)
    assert sorted(p.relative_to(old).as_posix() for p in old.rglob("*")) == ["a", "b"]
    assert (site / "c/moved.pf_index").read_bytes() == b"x"
    assert (site / "a/same.html").read_text(encoding="utf-8") == "同"
    assert (site / "a/changed.html").read_text(encoding="utf-8") == "新"


def test_a_tree_listed_has_the_digest_of_the_tree_walked(tmp_path: Path) -> None:
    """listed_digest (the site published, looked up by the guard's list of it) equals tree_digest (the next
    build's walk) for the same tree, stats included; a tree holding more than listed differs."""
    site = tmp_path / "site"
    (site / "a/b").mkdir(parents=True)
    (site / "a/b/p.html").write_text("页", encoding="utf-8")
    (site / "a/q.html").write_text("页", encoding="utf-8")
    (site / "link").symlink_to("a/q.html")
    listed, walked = {}, {}
    paths = ["a", "a/b", "a/b/p.html", "a/q.html", "link"]
    assert listed_digest(site, paths, listed) == tree_digest(site, stats=walked) is not None
    assert listed == walked
    (site / "a/planted.html").write_text("页", encoding="utf-8")
    assert listed_digest(site, paths) != tree_digest(site)
    assert listed_digest(site, [*paths, "gone.html"]) is None


def test_part_by_the_listing_of_the_old_site_empties_it_without_a_walk(tmp_path: Path) -> None:
    """Given the old site as the build listed it while it was published and the new site's inodes, part unlinks
    what the listing names (linked elsewhere or not); what was put there after the listing stays, for the next
    build's staging to remove."""
    site, old = tmp_path / "site", tmp_path / ".site.xxxxxxxx-old"
    for folder in (site / "a", old / "a", old / "b", site / "c"):
        folder.mkdir(parents=True)
    (old / "a/same.html").write_text("同", encoding="utf-8")
    (old / "a/changed.html").write_text("旧", encoding="utf-8")
    (old / "b/moved.pf_index").write_bytes(b"x")
    (old / "b/link").symlink_to("../a/same.html")
    listed = walk_site(old)
    assert listed is not None
    os.link(old / "a/same.html", site / "a/same.html")
    (site / "a/changed.html").write_text("新", encoding="utf-8")
    os.link(old / "b/moved.pf_index", site / "c/moved.pf_index")
    (old / "b/planted.html").write_text("后来", encoding="utf-8")
    shared = {os.lstat(path).st_ino for path in site.rglob("*") if path.is_file()}
    assert part(old, site, listed.files, shared)
    assert sorted(p.relative_to(old).as_posix() for p in old.rglob("*")) == ["a", "b", "b/planted.html"]
    assert (site / "c/moved.pf_index").read_bytes() == b"x"
    assert (site / "a/same.html").read_text(encoding="utf-8") == "同"


def test_part_leaves_the_files_found_nowhere_else_when_they_are_many(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A site built anew leaves its old files to the background remover (freeing their data takes the disk a
    minute at county scale); those linked into the new site go at once all the same."""
    monkeypatch.setattr(write, "PARTED", 1)
    site, old = tmp_path / "site", tmp_path / ".site.xxxxxxxx-old"
    site.mkdir()
    old.mkdir()
    for name in ("a.html", "b.html"):
        (old / name).write_text("旧", encoding="utf-8")
    (old / "same.html").write_text("同", encoding="utf-8")
    os.link(old / "same.html", site / "same.html")
    assert not part(old, site)
    assert sorted(p.name for p in old.iterdir()) == ["a.html", "b.html"]


@pytest.mark.parametrize("name", [".site.abcdefgh-old", ".site-old.abcdefgh", ".site-spare.abcdefgh"])
def test_an_old_site_left_by_a_killed_remover_is_removed_by_the_next_build(tmp_path: Path, name: str) -> None:
    """Under its name, or under the one an earlier gongkai gave an old site or a spare (``.site-old.abcdefgh``)."""
    site = tmp_path / "site"
    (tmp_path / name / "deep").mkdir(parents=True)
    (tmp_path / name / "deep/index.html").write_text("旧", encoding="utf-8")
    clean_leftovers(site)
    deadline = time.monotonic() + 60
    while (tmp_path / name).exists():
        assert time.monotonic() < deadline, "the old site was never removed"
        time.sleep(0.1)


def test_a_build_killed_once_the_old_site_is_aside_is_finished_by_the_next(county: Path) -> None:
    notice = county / NOTICE
    notice.write_text(notice.read_text(encoding="utf-8") + "\n第三次补充。\n", encoding="utf-8")
    kill_paused(county, "trash", TODAY.isoformat())
    assert "第三次补充" in (county / "site/documents/2026/dbns/index.html").read_text(encoding="utf-8")
    assert _trash(county)
    report = build(county, county / "site", TODAY)
    assert not report.unchanged  # the killed build recorded nothing
    full = county.parent / "full-after-kill"
    build(county, full, TODAY, clean=True)
    assert site_digests(county / "site") == site_digests(full)
    _until_removed(county)


def test_ctrl_c_once_the_new_site_is_out_says_so(county: Path) -> None:
    """Interrupted while recording (after the swap): 「已发布的网站保持原样」 would be false — the new site is out."""
    notice = county / NOTICE
    notice.write_text(notice.read_text(encoding="utf-8") + "\n第四次补充。\n", encoding="utf-8")
    process = paused_build(county, "manifest", TODAY.isoformat())
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.strip().splitlines()[-1] == "已中断。新网站已经发布，只是收尾没有做完，下次生成会补上（会多花些时间）。"
    assert "第四次补充" in (county / "site/documents/2026/dbns/index.html").read_text(encoding="utf-8")
    assert not build(county, county / "site", TODAY).unchanged  # nothing was recorded
    _until_removed(county)


def test_the_guard_takes_the_published_site_as_read_only_while_it_is_as_recorded(
    county: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The leak guard knows the files linked from the published site by identity only while the whole tree is
    the one the record vouches for; a file written in place (same inode, size and modification time, only the
    change time tells) makes it read everything again."""
    given: list[object] = []
    real = build_command.guard_site
    monkeypatch.setattr(build_command, "guard_site", lambda *a, **k: given.append(a[5] is not None) or real(*a, **k))
    notice = county / NOTICE
    for step in ("一", "二", "三"):
        if step == "三":
            _write_in_place(county / "site/pagefind/pagefind-entry.json")
        notice.write_text(notice.read_text(encoding="utf-8") + f"\n第{step}次。\n", encoding="utf-8")
        build(county, county / "site", TODAY)
        _until_removed(county)  # the old site's removal leaves the record true
    assert given[-2:] == [True, False]


def test_a_cached_sheet_is_taken_unread_only_while_the_published_site_is_as_recorded(
    county: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sheets stage takes a cached sheet that is a file of the published site (the same inode) without reading
    it while the whole tree is the one the record vouches for; a sheet written in place there (only its change
    time tells) makes the stage check every entry again: the sheet published is the one rendered, not the edit."""
    given: list[bool] = []
    real = build_command.render_sheets_for
    monkeypatch.setattr(build_command, "render_sheets_for", lambda *a: given.append(bool(a[7])) or real(*a))
    notice = county / NOTICE
    site = county / "site"
    sheet = min(site.rglob("*.pdf")).relative_to(site)
    for step in ("一", "二", "三"):
        if step == "三":
            _write_in_place(site / sheet)
        notice.write_text(notice.read_text(encoding="utf-8") + f"\n第{step}回。\n", encoding="utf-8")
        build(county, site, TODAY)
        _until_removed(county)
    assert given[-2:] == [True, False]
    full = county.parent / "full-after-sheet"
    build(county, full, TODAY, clean=True)
    assert (site / sheet).read_bytes() == (full / sheet).read_bytes()


def _spares(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.name.startswith(".site.") and p.name.endswith("-spare"))


def test_the_next_build_stages_in_the_old_sites_folders_and_publishes_nothing_else_found_there(county: Path) -> None:
    """The old site's folders are kept (making ~24 000 folders costs seconds at county scale) and the next build
    stages in them: whatever appeared there in between — a file, a link out of the project — is removed first,
    and folders the new site has no file in are gone; the site is a full build's."""
    notice = county / NOTICE
    for said in ("先补充一句。", "再补充一句。"):  # two: a build after one that did not keep its site keeps none
        notice.write_text(notice.read_text(encoding="utf-8") + f"\n{said}\n", encoding="utf-8")
        build(county, county / "site", TODAY)
        _until_removed(county)
    [spare] = _spares(county)
    bundle = ("pagefind/gk/", "pagefind/index/")  # the search bundle's version folders keep their files
    files = [p.relative_to(spare).as_posix() for p in spare.rglob("*") if not p.is_dir()]
    site = county / "site"  # and the pages keep their links of the published ones, at their paths (write.part)
    assert files and all(
        (f.startswith(bundle) and f.count("/") >= 3) or ((site / f).exists() and (site / f).samefile(spare / f))
        for f in files
    )
    (spare / "planted.html").write_text("<p>手机 13812345678</p>", encoding="utf-8")
    (spare / "documents/2026/dbns/index.html").symlink_to(county / "county.yml")
    (spare / "documents/empty").mkdir()
    notice.write_text(notice.read_text(encoding="utf-8") + "\n又补充一句。\n", encoding="utf-8")
    build(county, county / "site", TODAY)
    site = county / "site"
    assert not (site / "planted.html").exists() and not (site / "documents/empty").exists()
    assert not (site / "documents/2026/dbns/index.html").is_symlink()
    assert "又补充一句" in (site / "documents/2026/dbns/index.html").read_text(encoding="utf-8")
    full = county.parent / "full-after-spare"
    build(county, full, TODAY, clean=True)
    assert site_digests(site) == site_digests(full)
    assert sorted(p.relative_to(site) for p in site.rglob("*") if p.is_dir()) == sorted(
        p.relative_to(full) for p in full.rglob("*") if p.is_dir()
    )
    assert len(_spares(county)) == 1


def test_a_site_to_be_replaced_is_proven_by_its_listing_as_by_a_walk(county: Path) -> None:
    """A build whose sources changed proves the published site by looking up the entries its build listed (no
    folder read): the tree a walk finds, its inode mapping included; a listed file written in place moves its
    change time, and a file planted by hand its folder's times: then the site is not vouched for."""
    notice, site = county / NOTICE, county / "site"
    for step, spoil in (("四", "written"), ("五", "planted")):
        notice.write_text(notice.read_text(encoding="utf-8") + f"\n第{step}次。\n", encoding="utf-8")
        build(county, site, TODAY)
        _until_removed(county)
        before, listing = recorded(county, site), recorded_listing(county, site)
        assert before is not None and listing is not None and listing[1]
        walked, listed = walk_site(site), intact(before, site, listing)
        assert listed is not None and walked is not None
        assert (listed.digest, listed.files, listed.inodes) == (walked.digest, walked.files, walked.inodes)
        if spoil == "written":
            _write_in_place(site / "pagefind/pagefind-entry.json")
        else:
            (site / "documents/planted.html").write_text("页", encoding="utf-8")
        assert intact(before, site, listing) is None


def _write_in_place(target: Path) -> None:
    """Overwrite the first byte of ``target`` in place and set its modification time back: only the change time
    tells."""
    found = os.stat(target)
    with target.open("r+b") as changed:
        changed.write(b" ")
    os.utime(target, ns=(found.st_atime_ns, found.st_mtime_ns))


def test_a_build_stopped_by_its_checks_gives_the_old_site_back_and_the_next_vouches_for_the_published_one(
    tmp_path: Path,
) -> None:
    """The checks run while the build takes the kept old site as its staging directory (its links of the published
    files listed, none unlinked): their errors give it back as it was, so that no published file's change time
    moves — the next build still vouches for the published site, keeps the old site's files in place and gives the
    full build's site."""
    root = write_county(tmp_path / "county")
    notice, site = root / NOTICE, root / "site"
    for step in ("一", "二"):
        notice.write_text(notice.read_text(encoding="utf-8") + f"\n第{step}次。\n", encoding="utf-8")
        build(root, site, TODAY)
        _until_removed(root)
    spare, before, listing = kept_spare(root), recorded(root, site), recorded_listing(root, site)
    assert before is not None and listing is not None and intact(before, site, listing) is not None
    text = notice.read_text(encoding="utf-8")
    notice.write_text(text.replace("发布机构: 测试县人民政府办公室", "发布机构: 测试县政府办公室"), encoding="utf-8")
    with pytest.raises(SourceErrors, match="发布机构"):
        build(root, site, TODAY)
    assert intact(before, site, listing) is not None  # as recorded: no published file's change time moved
    assert not (kept_spare(root) / write.MARKER).exists() and not spare.exists()  # (kept under the staging name)
    notice.write_text(text + "\n第三次。\n", encoding="utf-8")
    report = build(root, site, TODAY)
    assert report.kept > 0 and report.search is not None and report.search.patched
    assert site_digests(site, every_entry=True) == cold_site(root, "cold", TODAY)
