"""The plugin's path helpers work on strings (they run for every file of content/): the same answers as Path's."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest
from mkdocs.structure import pages
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_build_date

from gongkai.render.site import build_date_once
from gongkai.render.site.plugin import GongkaiPlugin, _inside, _known_pages, _Linked, _suffix


def test_suffix_is_paths_suffix() -> None:
    for name in ("a/b.PDF", "a/b.tar.gz", "a/.hidden", "a/name.", "a/plain", "a.b/c", "/x/y.md", "", "."):
        assert _suffix(name) == Path(name).suffix.lower(), name


def test_inside_is_is_relative_to() -> None:
    for path, folder in (("/a/b/c", "/a/b"), ("/a/bc", "/a/b"), ("/a/b", "/a/b"), ("/a", "/a/b"), ("/x", "/")):
        assert _inside(path, folder) == Path(path).is_relative_to(folder), (path, folder)


def test_linked_finds_a_link_at_the_file_or_a_folder_above_it_inside_content(tmp_path: Path) -> None:
    docs, outside = tmp_path / "content", tmp_path / "outside"
    (docs / "real").mkdir(parents=True)
    outside.mkdir()
    (outside / "x.md").write_text("x", encoding="utf-8")
    (docs / "real/page.md").write_text("x", encoding="utf-8")
    (docs / "real/link.md").symlink_to(outside / "x.md")
    (docs / "via").symlink_to(outside)
    linked = _Linked(os.fspath(docs))
    assert not linked(os.fspath(docs / "real/page.md"))
    assert linked(os.fspath(docs / "real/link.md"))
    assert linked(os.fspath(docs / "via/x.md"))


def test_linked_asks_the_file_system_of_a_path_its_walk_did_not_meet(tmp_path: Path) -> None:
    docs, outside = tmp_path / "content", tmp_path / "outside"
    (docs / "real").mkdir(parents=True)
    outside.mkdir()
    (outside / "x.md").write_text("x", encoding="utf-8")
    linked = _Linked(os.fspath(docs))
    (docs / "real/late.md").symlink_to(outside / "x.md")  # after the walk
    (docs / "later").symlink_to(outside)
    (docs / "real/plain.md").write_text("x", encoding="utf-8")
    assert linked(os.fspath(docs / "real/late.md"))
    assert linked(os.fspath(docs / "later/x.md"))
    assert not linked(os.fspath(docs / "real/plain.md"))


def test_the_build_date_is_made_once_and_mkdocs_own_again_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")  # 2026-11-26
    with build_date_once() as date:
        assert date == get_build_date() == "2026-11-26"
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # (render_site changes it only before the build)
        assert pages.get_build_date() == date
    assert pages.get_build_date is get_build_date


def test_the_collector_paused_for_planning_runs_again_after_keying_or_a_failure() -> None:
    plugin = GongkaiPlugin()
    plugin._pause()
    assert gc.isenabled()  # not asked (a preview: nothing frozen for it)
    for ends in (plugin._made, plugin.release):
        plugin.freeze = True
        frozen = gc.get_freeze_count()
        plugin._pause()
        assert not gc.isenabled()
        ends()
        assert gc.isenabled()
        if ends == plugin._made:  # what was made is frozen (the caller unfreezes it after the stage)
            assert gc.get_freeze_count() > frozen
            gc.unfreeze()


def test_each_files_kind_is_known_once_as_mkdocs_tells_it(tmp_path: Path) -> None:
    names = ("index.md", "a/b.markdown", "a/c.PDF", "d.html", "e.md.txt", "README.md", "f/g.mdown")
    files = Files([File(name, str(tmp_path), str(tmp_path / "site"), True) for name in names])
    told = [File.is_documentation_page(file) for file in files]
    _known_pages(files)
    assert [file.is_documentation_page() for file in files] == told
    assert [file.src_uri for file in files.documentation_pages()] == [n for n, page in zip(names, told, strict=True) if page]
