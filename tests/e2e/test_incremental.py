"""Incremental builds: after each edit, the site built on top of the previous one is byte for byte the site a
full build of the same sources gives — and the unchanged pages really were linked, not built again."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gongkai.commands import build as build_command
from gongkai.commands.build import BuildReport, build
from gongkai.errors import BuildFailed
from gongkai.render.site import sources
from gongkai.write.paths import OutputDir
from gongkai.write.reuse import Reuse

from kit import document, paused_build, site_digests, write_county

TODAY = dt.date(2026, 11, 26)
NEW_DOC = "content/documents/2026/xinwen.md"
NOTICE_PATH = "content/documents/2026/dbns.md"


def _touch(root: Path) -> None:
    """Touch a source without changing it: no whole-build shortcut (write/unchanged.py), every page is reused."""
    os.utime(root / "county.yml")


def _edit(root: Path, name: str, change: Callable[[str], str]) -> None:
    path = root / name
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def _add(root: Path) -> None:
    (root / NEW_DOC).write_text(
        document(
            "测试县关于公布2026年第二批补贴对象的公告",
            "11341700MB1714830K/202603-00004",
            "2026-03-09",
            kind="通知公告",
            body="现将第二批补贴对象公告如下。",
        ),
        encoding="utf-8",
    )


EDITS: list[tuple[str, Callable[[Path], None]]] = [
    (
        "one document's text",
        lambda r: _edit(r, "content/documents/2026/gdlb.md", lambda t: t + "\n第二条　补贴标准每亩110元。\n"),
    ),
    ("a document added", _add),
    ("a document's title", lambda r: _edit(r, NEW_DOC, lambda t: t.replace("第二批", "第三批"))),
    ("a document deleted", lambda r: (r / NEW_DOC).unlink()),
    (
        "a catalogue row",
        lambda r: _edit(r, "catalog/snbt.yml", lambda t: t.replace("补贴结果、", "补贴结果、补贴标准、")),
    ),
    (
        "a village list",
        lambda r: _edit(
            r,
            "villages/chengguan/shangxi/payouts/2026-gdlb.csv",
            lambda t: t.replace(",3,110,330.00,", ",4,110,440.00,"),
        ),
    ),
    ("county.yml", lambda r: _edit(r, "county.yml", lambda t: t.replace("测试县", "测试县", 1) + "\n")),
    ("a template", lambda r: _edit(r, "theme/main.html", lambda t: t + "\n{# 模板改动 #}\n")),
    (
        "the interpretation's policy",
        lambda r: _edit(
            r, "content/documents/2026/gdlb.md", lambda t: t.replace("测试县2026年耕地", "测试县2026年度耕地")
        ),
    ),
]


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """The small county with a published site, built in full."""
    root = write_county(tmp_path_factory.mktemp("county"))
    return root, build(root, root / "site", TODAY)


def _cold(root: Path, name: str) -> dict[str, str]:
    site = root.parent / f"cold-{name}"
    build(root, site, TODAY, clean=True)
    return site_digests(site, every_entry=True)


def test_every_edit_gives_the_site_a_full_build_gives(county: tuple[Path, BuildReport]) -> None:
    root, first = county
    assert first.reused == 0 and first.rebuilt > 0
    for number, (what, edit) in enumerate(EDITS):
        edit(root)
        report = build(root, root / "site", TODAY)
        assert report.reused > 0, f"after {what}: nothing was reused"
        incremental, cold = site_digests(root / "site", every_entry=True), _cold(root, str(number))
        differing = sorted(n for n in incremental.keys() | cold.keys() if incremental.get(n) != cold.get(n))
        assert not differing, f"after {what}, the incremental site differs from a full build: {differing}"


@pytest.mark.parametrize("share", [1.0, -1.0], ids=["search beside the guard", "search alone"])
def test_the_search_index_made_beside_the_guard_or_alone_gives_the_full_build_s_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], share: float
) -> None:
    """A patched index is made in a child beside the guard's pass over the pages, which guards its bundle once made;
    a whole one alone: either way, each edit's site is the one a full build gives."""
    monkeypatch.setattr(build_command, "PATCHED_SHARE", share)  # every build's index beside, or none
    root = write_county(tmp_path / "county")
    build(root, root / "site", TODAY)
    beside = "▶ 建立搜索索引（与检查个人信息同时进行）……"
    for number, (what, edit) in enumerate(EDITS[:4]):
        edit(root)
        capsys.readouterr()
        report = build(root, root / "site", TODAY, progress=build_command.Progress())
        gone = what == "a document deleted"  # (a page gone: the index renumbered, alone, the county let go)
        assert (beside in capsys.readouterr().err) == (share > 0 and not gone), what
        assert report.search is not None and report.search.pages > 0
        # (built from a copy: a full build sharing the project's caches moves the published files' change times —
        # the sheet cache's links —, so that the next build would not find its site as published, and not patch)
        copy = shutil.copytree(root, tmp_path / f"copy-{number}", ignore=shutil.ignore_patterns(".cache", "site"))
        incremental, cold = site_digests(root / "site", every_entry=True), _cold(copy, "cold")
        differing = sorted(n for n in incremental.keys() | cold.keys() if incremental.get(n) != cold.get(n))
        assert not differing, f"after {what}, the incremental site differs from a full build: {differing}"


def test_a_leak_found_while_the_index_is_made_beside_fails_the_build_and_the_next_links_the_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guard fails on the pages while the index is made beside: the child is let finish (it lists the published
    bundle's files again), the site stays as published, and the next build links the bundle's unchanged files."""
    monkeypatch.setattr(build_command, "PATCHED_SHARE", 1.0)
    root = write_county(tmp_path / "county")
    build(root, root / "site", TODAY)
    published = site_digests(root / "site", every_entry=True)
    _edit(root, NOTICE_PATH, lambda t: t + "\n联系电话：13912345678。\n")
    monkeypatch.setattr("gongkai.guard.scan_sources", lambda root, config: [])  # a gap in the source check
    with pytest.raises(BuildFailed, match="139"):
        build(root, root / "site", TODAY)
    assert site_digests(root / "site", every_entry=True) == published
    _edit(root, NOTICE_PATH, lambda t: t.replace("联系电话：13912345678。", "联系电话见公告栏。"))
    report = build(root, root / "site", TODAY)
    assert report.search is not None and report.search.linked > report.search.written


def test_nothing_changed_reuses_every_page(county: tuple[Path, BuildReport]) -> None:
    """In a new process each time: keys must not depend on anything a process makes up (object addresses)."""
    root, _ = county
    build(root, root / "site", TODAY)
    _touch(root)
    report = root.parent / "report.json"
    command = [sys.executable, "-m", "gongkai", "build", str(root), "--today", TODAY.isoformat(), "-q"]
    subprocess.run([*command, "--report", str(report)], check=True, capture_output=True)
    again = json.loads(report.read_text(encoding="utf-8"))
    assert again["rebuilt"] == 0 and again["reused"] > 0


def test_one_document_changed_builds_only_its_own_page(county: tuple[Path, BuildReport]) -> None:
    """And the data files that show what changed: the notice has no 内容概述, so the site's feed and its domain's
    quote its opening words; a document with one is quoted by none."""
    root, _ = county
    build(root, root / "site", TODAY)
    _edit(root, NOTICE_PATH, lambda t: t + "\n请各村于月底前报送。\n")
    report = build(root, root / "site", TODAY)
    assert report.rebuilt == 3, report  # the page, feed.xml and jcgk/shjz/feed.xml
    assert "请各村于月底前报送" in (root / "site/documents/2026/dbns/index.html").read_text(encoding="utf-8")
    assert "请各村于月底前报送" in (root / "site/jcgk/shjz/feed.xml").read_text(encoding="utf-8")
    _edit(root, "content/documents/2026/gdlb.md", lambda t: t + "\n第三条　补贴资金按时发放。\n")
    assert build(root, root / "site", TODAY).rebuilt == 1


def test_the_published_files_are_taken_as_the_detect_stage_found_them(
    county: tuple[Path, BuildReport], monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the detect stage vouched for the published site as a whole, reuse looks none of its files up again
    (24 000 at county scale); the site is still the one a full build gives."""
    root, _ = county
    build(root, root / "site", TODAY)
    _edit(root, NOTICE_PATH, lambda t: t + "\n请各村于月底前报送。\n")
    unchanged, known = Reuse._unchanged, []

    def watched(reuse: Reuse, source: str, entry: list[object], found: os.stat_result | None = None) -> Any:
        known.append(found is not None)
        return unchanged(reuse, source, entry, found)

    monkeypatch.setattr(Reuse, "_unchanged", watched)
    report = build(root, root / "site", TODAY)
    assert report.reused > 0 and len(known) >= report.reused and all(known), report
    assert site_digests(root / "site", every_entry=True) == _cold(root, "detected")


def test_data_files_are_linked_unless_what_they_show_changed(county: tuple[Path, BuildReport]) -> None:
    """The downloads and feeds are keyed by what they are made from (render/data): a body edit leaves the
    document list as published (the same file, linked), a title edit makes it again."""
    root, _ = county
    build(root, root / "site", TODAY)
    names = ("data/documents.csv", "data/documents.json", "data/catalog.csv", "jcgk/snbt/catalog.csv", "feed.xml")
    before = {name: (root / "site" / name).stat().st_ino for name in names}
    _edit(root, "content/documents/2026/gdlb.md", lambda t: t + "\n第四条　本方案自发布之日起施行。\n")
    build(root, root / "site", TODAY)
    assert {name: (root / "site" / name).stat().st_ino for name in names} == before
    _edit(
        root, "content/documents/2026/gdlb.md", lambda t: t.replace("耕地地力保护补贴实施方案", "耕地地力补贴方案", 1)
    )
    build(root, root / "site", TODAY)
    after = {name: (root / "site" / name).stat().st_ino for name in names}
    assert {name for name in names if after[name] != before[name]} == {
        "data/documents.csv",
        "data/documents.json",
        "feed.xml",
    }
    assert "耕地地力补贴方案" in (root / "site/data/documents.csv").read_text(encoding="utf-8-sig")


def test_the_sitemap_is_linked_unless_the_pages_change_and_is_mkdocs_own(
    county: tuple[Path, BuildReport], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MkDocs' sitemap lists every page's URL with the build date: a body edit leaves it as published (the same
    files, linked; one whose link fails is made instead), a page added makes it again — the very bytes MkDocs' own
    rendering gives."""
    import gzip

    from gongkai.commands.build import load_and_check
    from gongkai.commands.progress import Progress
    from gongkai.render.site import render_site

    root, _ = county
    site, names = root / "site", ("sitemap.xml", "sitemap.xml.gz")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config + "site_url: https://xxgk.example.gov.cn/\n", encoding="utf-8")
    build(root, site, TODAY)  # (without a site_url the sitemap lists no page)
    before = {name: (site / name).stat().st_ino for name in names}
    _edit(root, "content/documents/2026/gdlb.md", lambda t: t + "\n第五条　本方案由县农业农村局负责解释。\n")
    build(root, site, TODAY)
    assert {name: (site / name).stat().st_ino for name in names} == before
    for spare in root.glob(".site.*-spare"):  # no kept old site: each file is linked, none found in place
        shutil.rmtree(spare)
    link, text = OutputDir.link, (site / "sitemap.xml").read_bytes()

    def failing(out: OutputDir, source: str, relative: str) -> None:
        if relative == "sitemap.xml.gz":
            raise OSError("no hard links here")
        link(out, source, relative)

    _touch(root)
    with monkeypatch.context() as patched:
        patched.setattr(OutputDir, "link", failing)
        build(root, site, TODAY)
    assert (site / "sitemap.xml").stat().st_ino == before["sitemap.xml"]
    assert (site / "sitemap.xml.gz").stat().st_ino != before["sitemap.xml.gz"]
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == text == (site / "sitemap.xml").read_bytes()
    _add(root)
    try:
        build(root, site, TODAY)
        assert (site / "sitemap.xml").stat().st_ino != before["sitemap.xml"]
        assert "https://xxgk.example.gov.cn/documents/2026/xinwen/" in (site / "sitemap.xml").read_text(
            encoding="utf-8"
        )
        assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == (site / "sitemap.xml").read_bytes()
        county_model, _ = load_and_check(root, TODAY, Progress(quiet=True))
        render_site(root, county_model, TODAY, tmp_path / "plain")  # no reuse: MkDocs renders the sitemap itself
        assert {name: (site / name).read_bytes() for name in names} == {
            name: (tmp_path / "plain" / name).read_bytes() for name in names
        }
    finally:
        (root / NEW_DOC).unlink()
        (root / "mkdocs.yml").write_text(config, encoding="utf-8")


def test_a_document_edited_while_the_site_is_built_is_built_again_next_time(
    county: tuple[Path, BuildReport], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loaded with one title, saved with another before the pages were keyed (a clerk saving during a build), and
    taken as settled: the page shows the title loaded, so the next build, which loads the new one, builds it
    again (a page key digests the document's file only when the document was loaded from those very bytes)."""
    root, _ = county
    build(root, root / "site", TODAY)
    render = build_command.render_site

    def edited_first(*args: Any, **kwargs: Any) -> Any:
        _edit(root, NOTICE_PATH, lambda t: t.replace("标题: ", "标题: 新", 1))
        return render(*args, **kwargs)

    _touch(root)  # no whole-build shortcut: the edit comes once the build is past it
    with monkeypatch.context() as patched:
        patched.setattr(build_command, "render_site", edited_first)
        patched.setattr(sources, "settled_before", lambda: time.time_ns() + 10**12)
        build(root, root / "site", TODAY)
    build(root, root / "site", TODAY)
    assert site_digests(root / "site", every_entry=True) == _cold(root, "edited-while-built")


def test_a_file_changed_in_the_published_site_is_built_again(county: tuple[Path, BuildReport]) -> None:
    """The manifest vouches only for the very file the last build wrote: a page edited or restored in the
    published site by hand is never taken over as it is."""
    root, _ = county
    build(root, root / "site", TODAY)
    page = root / "site/documents/2026/dbns/index.html"
    good = page.read_bytes()
    page.unlink()
    page.write_bytes(good.replace("各乡镇".encode(), "被改动".encode()))
    build(root, root / "site", TODAY)
    assert page.read_bytes() == good


def test_a_file_changed_in_place_with_its_time_set_back_is_built_again(county: tuple[Path, BuildReport]) -> None:
    """Same inode, same size, the modification time set back (``touch -r``): the change time tells, and the file
    is neither linked over nor taken unread by the leak guard (the number here is in no searchable text)."""
    root, _ = county
    build(root, root / "site", TODAY)
    asset = root / "site/assets/gongkai/site.css"
    good, before = asset.read_bytes(), os.stat(asset)
    with asset.open("r+b") as changed:
        changed.write(b"/*110101199003071234*/")
    os.utime(asset, ns=(before.st_atime_ns, before.st_mtime_ns))
    build(root, root / "site", TODAY)
    assert asset.read_bytes() == good


def test_a_hard_link_backup_of_the_site_costs_no_rebuild(county: tuple[Path, BuildReport], tmp_path: Path) -> None:
    """``cp -al`` or ``rsync --link-dest`` backups add a link to every published file, which moves its change
    time without changing a byte: the content is hashed again and found unchanged, nothing is built."""
    root, _ = county
    build(root, root / "site", TODAY)
    site = root / "site"
    for path in site.rglob("*"):
        if path.is_file():
            copy = tmp_path / "backup" / path.relative_to(site)
            copy.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, copy)
    report = build(root, site, TODAY)
    assert report.rebuilt == 0 and report.reused > 0, report


def test_a_site_restored_from_a_copy_is_reused_where_its_content_is_unchanged(
    county: tuple[Path, BuildReport], tmp_path: Path
) -> None:
    """A published site copied away and back (new inodes, same bytes) is reused; a page of it edited is not."""
    root, _ = county
    site = root / "site"
    build(root, site, TODAY)
    good = site_digests(site, every_entry=True)
    restored = tmp_path / "restored"
    subprocess.run(["cp", "-a", str(site), str(restored)], check=True)
    page = restored / "documents/2026/dbns/index.html"
    page.write_bytes(page.read_bytes().replace("各乡镇".encode(), "被改动".encode()))
    os.rename(site, tmp_path / "gone")
    os.rename(restored, site)
    report = build(root, site, TODAY)
    assert report.rebuilt == 1, report
    assert site_digests(site, every_entry=True) == good


def test_a_failed_build_leaves_what_it_linked_reusable(
    county: tuple[Path, BuildReport], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Removing a failed build's links changes the published files' change time; the manifest follows."""
    root, _ = county
    build(root, root / "site", TODAY)
    _touch(root)
    with monkeypatch.context() as patched:
        patched.setattr(build_command, "render_search", lambda *_, **__: (_ for _ in ()).throw(BuildFailed("索引失败")))
        with pytest.raises(BuildFailed):
            build(root, root / "site", TODAY)
    _edit(root, NOTICE_PATH, lambda t: t + "\n请按时报送。\n")
    assert build(root, root / "site", TODAY).rebuilt == 3  # its page and the two feeds that quote it


def test_a_page_whose_link_fails_is_built_instead(
    county: tuple[Path, BuildReport], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages are linked on a thread of their own while the keys are computed (Reuse.linker): one whose link fails
    there, or for the first page here, is built after all, and the site is the one a full build makes."""
    root, _ = county
    build(root, root / "site", TODAY)
    _touch(root)
    for spare in root.glob(".site.*-spare"):  # no kept old site: every page is linked, none found in place
        shutil.rmtree(spare)
    under = [p for p in (root / "site/documents").rglob("*") if p.is_file()]  # the documents' pages and 文件库
    link = OutputDir.link

    def failing(out: OutputDir, source: str, relative: str) -> None:
        if relative.startswith("documents/"):
            raise OSError("no hard links here")
        link(out, source, relative)

    with monkeypatch.context() as patched:
        patched.setattr(OutputDir, "link", failing)
        report = build(root, root / "site", TODAY)
    assert report.rebuilt == len(under) > 3 and report.reused > 0, report
    assert site_digests(root / "site", every_entry=True) == _cold(root, "unlinked")


def test_a_damaged_manifest_costs_a_full_build(county: tuple[Path, BuildReport]) -> None:
    root, _ = county
    build(root, root / "site", TODAY)
    manifest = Reuse.open(root, root / "site", root / "unused").manifest
    manifest.write_text('{"version": 1, "files": {"index.html": "x"', encoding="utf-8")
    _touch(root)
    report = build(root, root / "site", TODAY)
    assert report.reused == 0 and report.rebuilt > 0


def test_a_build_killed_before_its_manifest_is_written_leaves_nothing_stale(county: tuple[Path, BuildReport]) -> None:
    """Killed after publishing, before recording what it published: the next build still equals a full one."""
    root, _ = county
    build(root, root / "site", TODAY)
    _edit(root, NOTICE_PATH, lambda t: t + "\n第一次改动。\n")
    process = paused_build(root, "manifest", TODAY.isoformat())
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    if process.stderr:
        process.stderr.close()
    assert "第一次改动" in (root / "site/documents/2026/dbns/index.html").read_text(encoding="utf-8")
    _edit(root, NOTICE_PATH, lambda t: t.replace("第一次改动", "第二次改动"))
    build(root, root / "site", TODAY)
    assert site_digests(root / "site", every_entry=True) == _cold(root, "after-kill")


def test_a_project_whose_cache_cannot_be_written_still_builds(tmp_path: Path) -> None:
    """Every cache only saves work: a read-only project (here ``.cache`` is a file, so that nothing can be made
    under it even as root) builds into another folder as a full build does — it used to stop at the leak
    guard's cache, the manifest and the sheet cache."""
    root = write_county(tmp_path / "county")
    (root / ".cache").write_text("", encoding="utf-8")
    site = tmp_path / "site"
    build(root, site, TODAY)
    _edit(root, NOTICE_PATH, lambda t: t + "\n请各村于月底前报送。\n")
    build(root, site, TODAY)
    assert site_digests(site, every_entry=True) == _cold(root, "read-only")
    assert (root / ".cache").is_file()


def test_the_search_bundle_is_linked_across_builds_but_never_a_file_changed_in_place(tmp_path: Path) -> None:
    """Publishing changes the change time of every file a build linked: it is stamped again afterwards, so the
    next build links the bundle; a file changed in place with its modification time set back (touch -r) is
    written again — it used to be linked into every later bundle, even by ``--clean``."""
    root = write_county(tmp_path / "county")
    site = root / "site"
    build(root, site, TODAY)
    _touch(root)
    again = build(root, site, TODAY)
    assert again.search is not None and again.search.linked == again.search.files and again.search.written == 0
    result = sorted(site.glob("pagefind/gk/*/r/0.json"))[0]
    data, times = result.read_bytes(), result.stat()
    changed = data.replace(b'"u":"', b'"u":"https://example.invalid/', 1)[: len(data)]  # the same size
    with result.open("r+b") as file:
        file.write(changed)
    os.utime(result, ns=(times.st_atime_ns, times.st_mtime_ns))
    build(root, site, TODAY)
    assert site_digests(site, every_entry=True) == _cold(root, "search-tampered")
    result = sorted(site.glob("pagefind/gk/*/r/0.json"))[0]
    with result.open("r+b") as file:
        file.write(changed)
    os.utime(result, ns=(times.st_atime_ns, times.st_mtime_ns))
    clean = build(root, site, TODAY, clean=True)
    assert clean.search is not None and clean.search.linked == 0
    assert site_digests(site, every_entry=True) == _cold(root, "search-clean")


def test_an_edit_of_the_unpublished_guide_rebuilds_nothing(county: tuple[Path, BuildReport]) -> None:
    """The clerks' guide is in the shared key only when it is published (--guide): every page was built again."""
    root, _ = county
    build(root, root / "site", TODAY)
    _edit(root, "content/guide/index.md", lambda t: t + "\n指南补充一句。\n")
    report = build(root, root / "site", TODAY)
    assert report.rebuilt == 0, report
    assert site_digests(root / "site", every_entry=True) == _cold(root, "guide")
    guided = build(root, root / "site", TODAY, guide=True)
    assert "指南补充一句" in (root / "site/guide/index.html").read_text(encoding="utf-8") and guided.rebuilt > 0
