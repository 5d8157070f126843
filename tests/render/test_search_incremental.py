"""The search index built again with its cache and the previous bundle: byte for byte the cold index."""

from __future__ import annotations

import filecmp
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_search import DOCUMENTS, SMALL_CHUNK, SMALL_COMMON, _document, _write, write_site

from gongkai.render.search import SearchReport, build_index, pack
from gongkai.render.search import grams as grams_module
from gongkai.render.search.output import stat_of


@pytest.fixture(autouse=True)
def _small(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As at county scale: common grams, many small chunks."""
    monkeypatch.setattr(grams_module, "COMMON", SMALL_COMMON)
    monkeypatch.setattr(pack, "CHUNK_BYTES", SMALL_CHUNK)
    yield


def _files(bundle: Path) -> list[Path]:
    return sorted(p.relative_to(bundle) for p in bundle.rglob("*") if p.is_file())


def assert_same(bundle: Path, cold: Path) -> None:
    """Two bundles hold the same files, byte for byte."""
    assert _files(bundle) == _files(cold)
    for name in _files(bundle):
        assert filecmp.cmp(bundle / name, cold / name, shallow=False), name


def _cold(site: Path, tmp: Path) -> Path:
    """The bundle a cold build writes for site's pages (in a copy of them)."""
    copy = tmp / "cold"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pagefind"))
    build_index(copy)
    return copy / "pagefind"


def _edit_add(site: Path) -> None:
    doc = DOCUMENTS[0]._replace(slug="2026/xinwen", title="青溪县2026年冬季防火通知", date="2026-11-20",
                                doc_no="青政办〔2026〕40号", body="冬季天干物燥，各村做好森林防火工作。")  # fmt: skip
    _write(site / "documents" / doc.slug, doc.title, _document(doc))


def _edit_change(site: Path) -> None:
    doc = DOCUMENTS[5]._replace(body=DOCUMENTS[5].body + "自2026年1月1日起执行。")
    _write(site / "documents" / doc.slug, doc.title, _document(doc))


def _edit_delete(site: Path) -> None:
    shutil.rmtree(site / "documents" / DOCUMENTS[8].slug)


def _edit_old(site: Path) -> None:
    doc = DOCUMENTS[3]._replace(slug="2021/jiu", date="2021-02-01", doc_no="无", body="一份旧文件补录。")
    _write(site / "documents" / doc.slug, doc.title, _document(doc))


def test_each_edit_gives_the_cold_bundle_and_links_what_it_did_not_touch(tmp_path: Path) -> None:
    site = write_site(tmp_path / "a")
    cache = tmp_path / "cache"
    first = build_index(site, cache=cache)
    assert_same(site / "pagefind", _cold(site, tmp_path))
    assert first.linked == 0 and first.cached == 0
    for step, edit in enumerate([None, _edit_add, _edit_change, _edit_delete, _edit_old]):
        previous = site
        site = tmp_path / f"s{step}"
        shutil.copytree(previous, site, ignore=shutil.ignore_patterns("pagefind"))
        if edit is not None:
            edit(site)
        report = build_index(site, cache=cache, previous=previous / "pagefind")
        assert_same(site / "pagefind", _cold(site, tmp_path))
        assert report.linked > 0
        if edit is None:  # nothing changed: the previous bundle linked whole
            assert report.cached == report.pages and report.written == 0 and report.linked == report.files
        if edit in (_edit_add, _edit_change):  # a new newest page, or a changed one: most chunks stay
            chunks = [p for p in _files(site / "pagefind") if p.suffix == ".pf_index"]
            assert report.written < len(chunks) / 2, (report, len(chunks))


def test_a_new_document_keeps_the_other_pages_numbers(tmp_path: Path) -> None:
    site = write_site(tmp_path / "a")
    build_index(site)
    before = _records(site / "pagefind")
    _edit_add(site)
    build_index(site)
    after = _records(site / "pagefind")
    assert len(after) == len(before) + 1
    assert {name: after[name] for name in before} == before
    assert after[max(after, key=lambda n: int(n, 36))]["t"] == "青溪县2026年冬季防火通知"  # the newest: last


def _records(bundle: Path) -> dict[str, dict[str, str]]:
    import json

    version = json.loads((bundle / "gongkai.json").read_text(encoding="utf-8"))["version"]
    folder = bundle / "gk" / version / "r"
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")}


def test_a_damaged_cache_is_read_as_missing(tmp_path: Path) -> None:
    site = write_site(tmp_path / "a")
    cache = tmp_path / "cache"
    build_index(site, cache=cache)
    entries = sorted(p for p in cache.rglob("*") if p.is_file())
    assert {p.parent.parent.name for p in entries} == {"record", "parts", "grams", "bundle", "entries"}
    for i, path in enumerate(entries):  # flipped, cut short, emptied, or of another kind's bytes
        data = path.read_bytes()
        damaged = [data[:-1] + bytes([data[-1] ^ 1]), data[: len(data) // 2], b"", entries[0].read_bytes()][i % 4]
        path.write_bytes(damaged)
    again = tmp_path / "b"
    shutil.copytree(site, again, ignore=shutil.ignore_patterns("pagefind"))
    report = build_index(again, cache=cache, previous=site / "pagefind")
    assert_same(again / "pagefind", _cold(site, tmp_path))
    assert report.cached <= 1  # (the one entry left as it was, if it was a page's)


def test_entries_moved_to_another_key_read_as_missing(tmp_path: Path) -> None:
    site = write_site(tmp_path / "a")
    cache = tmp_path / "cache"
    build_index(site, cache=cache)
    for kind in ("record", "parts"):  # each page's entry under the next page's key, of the same kind
        entries = sorted((cache / kind).glob("*/*"))
        contents = [path.read_bytes() for path in entries]
        for path, content in zip(entries, contents[1:] + contents[:1], strict=True):
            path.write_bytes(content)
    again = tmp_path / "b"
    shutil.copytree(site, again, ignore=shutil.ignore_patterns("pagefind"))
    report = build_index(again, cache=cache)
    assert_same(again / "pagefind", _cold(site, tmp_path))
    assert report.cached == 0


def test_pruning_leaves_what_a_link_in_the_cache_points_to(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    kept = outside / ("ab" * 32)
    kept.write_text("不是缓存", encoding="utf-8")
    cache = tmp_path / "cache"
    for kind in ("record", "bundle"):
        (cache / kind).mkdir(parents=True)
        (cache / kind / "ab").symlink_to(outside)
    build_index(write_site(tmp_path / "a"), cache=cache)
    assert kept.exists()


def test_a_replaced_file_of_the_previous_bundle_is_written_not_linked(tmp_path: Path) -> None:
    site = write_site(tmp_path / "a")
    cache = tmp_path / "cache"
    build_index(site, cache=cache)
    chunks = sorted((site / "pagefind" / "index").rglob("*.pf_index"))
    for chunk in chunks:  # same size, other bytes: a file the list does not describe any more
        data = chunk.read_bytes()
        chunk.unlink()
        chunk.write_bytes(bytes(len(data)))
    (site / "pagefind" / "gongkai.json").chmod(0o644)
    again = tmp_path / "b"
    shutil.copytree(site, again, ignore=shutil.ignore_patterns("pagefind"))
    report = build_index(again, cache=cache, previous=site / "pagefind")
    assert_same(again / "pagefind", _cold(again, tmp_path))
    assert report.written >= len(chunks)


def test_a_file_changed_in_place_with_its_time_set_back_is_written_not_linked(tmp_path: Path) -> None:
    # the same size, inode and modification time (touch -r): only the change time tells, as in write/reuse.py
    site = write_site(tmp_path / "a")
    cache = tmp_path / "cache"
    build_index(site, cache=cache)
    result = sorted((site / "pagefind" / "gk").glob("*/r/0.json"))[0]
    data, times = result.read_bytes(), result.stat()
    changed = data.replace(b'"u":"', b'"u":"https://example.invalid/', 1)[: len(data)]  # same size
    assert changed != data
    with result.open("r+b") as file:
        file.write(changed)
    os.utime(result, ns=(times.st_atime_ns, times.st_mtime_ns))
    again = tmp_path / "b"
    shutil.copytree(site, again, ignore=shutil.ignore_patterns("pagefind"))
    build_index(again, cache=cache, previous=site / "pagefind")
    assert_same(again / "pagefind", _cold(site, tmp_path))


def _backed_up(bundle: Path, backup: Path) -> None:
    """A hard-link backup of the bundle (``cp -al``): every file's change time moves, not its bytes."""
    shutil.copytree(bundle, backup, copy_function=os.link)


def test_a_file_whose_change_time_alone_moved_is_taken_by_its_bytes(tmp_path: Path) -> None:
    """A hard link made elsewhere moves every file's change time: the bundle is patched and linked all the same, the
    files taken by their listed sum; the bundle is the cold one."""
    site = write_site(tmp_path / "a")
    cache = tmp_path / "cache"
    build_index(site, cache=cache)
    for step, edit in enumerate([None, _edit_add, _edit_change]):
        _backed_up(site / "pagefind", tmp_path / f"backup{step}")
        previous, site = site, tmp_path / f"s{step}"
        shutil.copytree(previous, site, ignore=shutil.ignore_patterns("pagefind"))
        if edit is not None:
            edit(site)
        report = build_index(site, cache=cache, previous=previous / "pagefind")
        assert_same(site / "pagefind", _cold(site, tmp_path))
        if edit is None:  # nothing changed: the previous bundle linked whole
            assert report.written == 0 and report.linked == report.files, report
        else:  # as without the backup (test_each_edit_gives_the_cold_bundle_and_links_what_it_did_not_touch)
            chunks = [p for p in _files(site / "pagefind") if p.suffix == ".pf_index"]
            assert report.written < len(chunks) / 2, (report, len(chunks))


@pytest.mark.parametrize("where", ["chunk", "record"])
def test_a_file_changed_in_place_with_its_time_set_back_and_linked_elsewhere_is_written_not_linked(
    tmp_path: Path, where: str
) -> None:
    """Changed in place (same size, inode and modification time: ``touch -r``), and its change time moved by a hard
    link as well: its bytes are not of the listed sum, so it is not taken — the patch, which reads the chunk, gives
    up; the record is written again."""
    site = write_site(tmp_path / "a")
    cache = tmp_path / "cache"
    build_index(site, cache=cache)
    bundle = site / "pagefind"
    if where == "chunk":
        target = sorted((bundle / "index").rglob("*.pf_index"))[0]
    else:
        target = sorted((bundle / "gk").glob("*/r/0.json"))[0]
    data, times = target.read_bytes(), target.stat()
    changed = bytes([data[0]]) + bytes(b ^ 1 for b in data[1:4]) + data[4:]
    with target.open("r+b") as file:
        file.write(changed)
    os.utime(target, ns=(times.st_atime_ns, times.st_mtime_ns))
    _backed_up(bundle, tmp_path / "backup")
    again = tmp_path / "b"
    shutil.copytree(site, again, ignore=shutil.ignore_patterns("pagefind"))
    _edit_change(again)
    build_index(again, cache=cache, previous=bundle)
    assert_same(again / "pagefind", _cold(again, tmp_path))
    assert all(not os.path.samefile(target, p) for p in (again / "pagefind").rglob("*") if p.is_file())


@pytest.mark.parametrize("edit", [None, _edit_change])
def test_a_file_changed_by_chmod_is_written_with_the_mode_of_a_file_written_now(tmp_path: Path, edit: Any) -> None:
    """A ``chmod`` by hand moves a file's change time alone, its bytes as listed: it is not taken by its sum (every
    later build would publish it so, perhaps unreadable to the web server), but written again as a cold build does."""
    site = write_site(tmp_path / "a")
    cache = tmp_path / "cache"
    build_index(site, cache=cache)
    bundle = site / "pagefind"
    for target in [sorted((bundle / "gk").glob("*/r/0.json"))[0], sorted((bundle / "index").rglob("*.pf_index"))[0]]:
        target.chmod(0o600)
    again = tmp_path / "b"
    shutil.copytree(site, again, ignore=shutil.ignore_patterns("pagefind"))
    if edit is not None:
        edit(again)
    build_index(again, cache=cache, previous=bundle)
    cold = _cold(again, tmp_path)
    assert_same(again / "pagefind", cold)
    modes = {n: stat.S_IMODE((again / "pagefind" / n).stat().st_mode) for n in _files(again / "pagefind")}
    assert modes == {n: stat.S_IMODE((cold / n).stat().st_mode) for n in _files(cold)}


def test_a_list_without_sums_is_not_used(tmp_path: Path) -> None:
    """A bundle's list kept by a gongkai that did not sum its files (or damaged): the index is built in full."""
    import json

    from gongkai.render.search.cache import SearchCache

    site = write_site(tmp_path / "a")
    cache = tmp_path / "cache"
    build_index(site, cache=cache)
    store = SearchCache(cache)
    version = json.loads((site / "pagefind" / "gongkai.json").read_text(encoding="utf-8"))["version"]
    listed = store.get("bundle", version)
    assert isinstance(listed, dict)
    for sums in (None, listed["sums"][:-1]):
        store.put("bundle", version, {**listed, "sums": sums})
        again = tmp_path / "b"
        shutil.rmtree(again, ignore_errors=True)
        shutil.copytree(site, again, ignore=shutil.ignore_patterns("pagefind"))
        report = build_index(again, cache=cache, previous=site / "pagefind")
        assert report.linked == 0 and not report.patched
        assert_same(again / "pagefind", site / "pagefind")


def test_linked_files_share_the_previous_bundles_inode(tmp_path: Path) -> None:
    site = write_site(tmp_path / "a")
    cache = tmp_path / "cache"
    build_index(site, cache=cache)
    again = tmp_path / "b"
    shutil.copytree(site, again, ignore=shutil.ignore_patterns("pagefind"))
    report = build_index(again, cache=cache, previous=site / "pagefind")
    linked = [n for n in _files(again / "pagefind") if os.path.samefile(again / "pagefind" / n, site / "pagefind" / n)]
    assert len(linked) == report.linked > 0


def test_without_a_cache_a_previous_bundle_is_not_used(tmp_path: Path) -> None:
    site = write_site(tmp_path / "a")
    build_index(site)
    again = tmp_path / "b"
    shutil.copytree(site, again, ignore=shutil.ignore_patterns("pagefind"))
    report: SearchReport = build_index(again, previous=site / "pagefind")
    assert report.linked == 0
    assert_same(again / "pagefind", site / "pagefind")


def test_pages_read_on_worker_processes_give_the_same_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gongkai.render.search import cache as cache_module

    site = write_site(tmp_path / "a")
    cold = _cold(site, tmp_path)  # in this process
    monkeypatch.setattr(cache_module, "PARALLEL_FROM", 1)
    monkeypatch.setattr(cache_module.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(cache_module, "BATCH_ITEMS", 3)  # pages' parts worked out a few at once, not all
    build_index(site, cache=tmp_path / "cache")
    assert_same(site / "pagefind", cold)
    again = build_index(site, cache=tmp_path / "cache")  # what the workers stored is read back
    assert again.cached == again.pages
    assert_same(site / "pagefind", cold)


def test_jobs_are_cut_into_batches_by_count_and_size(monkeypatch: pytest.MonkeyPatch) -> None:
    from gongkai.render.search import cache as cache_module

    monkeypatch.setattr(cache_module, "BATCH_ITEMS", 3)
    monkeypatch.setattr(cache_module, "BATCH_SIZE", 10)
    jobs = [(str(i), size) for i, size in enumerate([1, 1, 1, 1, 20, 1, 9, 1, 0])]
    batches = cache_module._batches(jobs, lambda size: size)
    assert [[int(name) for name, _ in batch] for batch in batches] == [[0, 1, 2], [3, 4], [5, 6], [7, 8]]
    assert cache_module._batches([], lambda size: size) == []


def test_a_changed_word_moves_only_the_chunk_cuts_near_it() -> None:
    import dataclasses
    import random

    from gongkai.render.search.postings import Word

    rng = random.Random(18)
    words = [Word(f"2{i:06x}", rng.choice([1, 2, 5, 40, 300, 2_000]), i) for i in range(20_000)]
    before = [[w.word for w in chunk] for chunk in pack.chunked(words)]
    for at in (0, 7_000, 19_999):
        changed = [*words[:at], dataclasses.replace(words[at], weight=words[at].weight * 50), *words[at + 1 :]]
        after = [[w.word for w in chunk] for chunk in pack.chunked(changed)]
        assert len(before) > 100
        differing = [chunk for chunk in after if chunk not in before]
        assert len(differing) <= 4, (at, len(differing))


def test_unchanged_pages_with_other_settings_or_abbreviations_are_indexed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gongkai.model import Abbreviation

    site = write_site(tmp_path / "a")
    cache = tmp_path / "cache"
    build_index(site, cache=cache)
    monkeypatch.setattr(pack, "CHUNK_BYTES", SMALL_CHUNK * 3)
    again = tmp_path / "b"
    shutil.copytree(site, again, ignore=shutil.ignore_patterns("pagefind"))
    report = build_index(again, cache=cache, previous=site / "pagefind")
    assert report.written > 0
    assert_same(again / "pagefind", _cold(again, tmp_path))
    county = (Abbreviation(forms=("耕保", "耕地地力保护")),)
    third = tmp_path / "c"
    shutil.copytree(site, third, ignore=shutil.ignore_patterns("pagefind"))
    report = build_index(third, cache=cache, previous=again / "pagefind", abbreviations=county)
    assert report.written > 0
    cold = tmp_path / "cold-abbr"
    shutil.copytree(site, cold, ignore=shutil.ignore_patterns("pagefind"))
    build_index(cold, abbreviations=county)
    assert_same(third / "pagefind", cold / "pagefind")


def test_each_file_linked_from_the_previous_bundle_is_told_as_the_link_left_it(tmp_path: Path) -> None:
    """A preview serves the previous bundle while the next is built, each file only as it was listed: a link moves
    the file's change time, so ``linked`` is told its new stat (else the preview's search failed meanwhile)."""
    site = write_site(tmp_path / "a")
    cache = tmp_path / "cache"
    build_index(site, cache=cache)
    for step, edit in enumerate([None, _edit_change]):  # linked whole; patched
        previous = site / "pagefind"
        site = tmp_path / f"s{step}"
        shutil.copytree(previous.parent, site, ignore=shutil.ignore_patterns("pagefind"))
        if edit is not None:
            edit(site)
        told: dict[str, tuple[int, int, int, int]] = {}
        report = build_index(site, cache=cache, previous=previous, linked=told.__setitem__)
        inodes = {(previous / n).stat().st_ino: n.as_posix() for n in _files(previous)}
        shared = {
            inodes[i] for n in _files(site / "pagefind") if (i := (site / "pagefind" / n).stat().st_ino) in inodes
        }
        assert set(told) == shared and report.linked > 0
        assert all(stat_of(previous / path) == now for path, now in told.items())
