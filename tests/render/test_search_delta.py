"""The previous bundle patched where few pages changed (delta.py): byte for byte the cold bundle of the same
pages over a sequence of edits, and built in full where it cannot be patched."""

from __future__ import annotations

import gzip
import hashlib
import os
import random
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from test_search import DOCUMENTS, SMALL_CHUNK, _document, _write
from test_search_incremental import _cold, _files, assert_same

from gongkai.render.search import SearchReport, build_index, delta, pack
from gongkai.render.search import grams as grams_module
from gongkai.render.search import previous as previous_bundle
from gongkai.render.search.records import scan

BOILERPLATE = "根据上级文件精神，结合本县实际，现就有关事项通知如下。各乡镇、各部门要高度重视，认真抓好落实。"
COUNT = 40


@pytest.fixture(autouse=True)
def _settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Common grams from the boilerplate only (a rare text never makes one), many small chunks, and room
    for a few changed pages at once."""
    monkeypatch.setattr(grams_module, "COMMON", 60)
    monkeypatch.setattr(pack, "CHUNK_BYTES", SMALL_CHUNK * 4)
    monkeypatch.setattr(delta, "SHARE", 0.1)
    yield


def _rare(rng: random.Random, length: int) -> str:
    return "".join(chr(0x4E00 + rng.randrange(4000)) for _ in range(length))


def _page(site: Path, i: int, rare: str, **fields: str) -> None:
    """Document i: a date of its own (one day after document i - 1), the boilerplate and its rare text."""
    day = f"2020-{1 + i // 28:02d}-{1 + i % 28:02d}"
    doc = DOCUMENTS[i % len(DOCUMENTS)]._replace(slug=f"d/{i:03d}", date=day, body=BOILERPLATE * 3 + rare)
    doc = doc._replace(**fields)
    _write(site / "documents" / doc.slug, doc.title, _document(doc))


def _site(site: Path) -> dict[int, str]:
    rng = random.Random(18)
    texts = {i: _rare(rng, 60) for i in range(COUNT)}
    for i, text in texts.items():
        _page(site, i, text)
    return texts


Edit = Callable[[Path, dict[int, str]], None]


def _insert(site: Path, texts: dict[int, str]) -> None:  # text put in the middle: the positions after it move
    texts[20] = texts[20][:30] + "新插入的一句话。" + texts[20][30:]
    _page(site, 20, texts[20])


def _newest(site: Path, texts: dict[int, str]) -> None:
    n = max(texts) + 1
    texts[n] = _rare(random.Random(n), 50)
    _page(site, n, texts[n])


def _title_and_facet(site: Path, texts: dict[int, str]) -> None:
    _page(site, 10, texts[10], title="改过标题的文件", agency="青溪县水利局")


def _two_and_a_new_one(site: Path, texts: dict[int, str]) -> None:
    texts[3] = texts[3][:-5]  # shortened
    texts[35] = "开头加上" + texts[35]
    for i in (3, 35):
        _page(site, i, texts[i])
    _newest(site, texts)


def _outside_the_indexed_text(site: Path, texts: dict[int, str]) -> None:
    page = site / "documents" / "d" / "007" / "index.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- 页脚 -->", encoding="utf-8")


def _back(site: Path, texts: dict[int, str]) -> None:  # an earlier edit undone
    texts[20] = texts[20].replace("新插入的一句话。", "")
    _page(site, 20, texts[20])


def _delete(site: Path, texts: dict[int, str]) -> None:
    shutil.rmtree(site / "documents" / "d" / "005")
    del texts[5]


def _delete_the_newest(site: Path, texts: dict[int, str]) -> None:  # numbered last: no other page moves
    newest = max(texts)
    shutil.rmtree(site / "documents" / "d" / f"{newest:03d}")
    del texts[newest]


def _replace_the_newest(site: Path, texts: dict[int, str]) -> None:  # a new page takes the deleted one's number
    _delete_the_newest(site, texts)
    n = max(texts) + 2  # (another name and date)
    texts[n] = _rare(random.Random(n), 50)
    _page(site, n, texts[n])


def _delete_an_old_one_and_change_one(site: Path, texts: dict[int, str]) -> None:
    shutil.rmtree(site / "documents" / "d" / "001")  # the oldest but one: every other moves
    del texts[1]
    texts[30] = texts[30] + "删改之后"
    _page(site, 30, texts[30])


def _delete_the_page_of_a_changed_word(site: Path, texts: dict[int, str]) -> None:
    """A page whose words are also another changed page's: the word loses one entry and gains one. (A newest page
    of the same kind keeps the common grams: the fixture's are near their threshold.)"""
    texts[25] = texts[25] + texts[24][:20]
    _page(site, 25, texts[25])
    shutil.rmtree(site / "documents" / "d" / "024")
    del texts[24]
    n = max(texts) + 1
    n += (24 - n) % len(DOCUMENTS)
    texts[n] = _rare(random.Random(n), 60)
    _page(site, n, texts[n])


def _older(site: Path, texts: dict[int, str]) -> None:  # a new page numbered among the others
    _page(site, 900, _rare(random.Random(900), 40), date="2019-06-01")


def _words_of_a_page_all_gone(site: Path, texts: dict[int, str]) -> None:
    texts[12] = ""
    _page(site, 12, texts[12])


EDITS: list[tuple[Edit, bool]] = [  # an edit and whether it is patched in
    (_insert, True),
    (_newest, True),
    (_title_and_facet, True),
    (_two_and_a_new_one, True),
    (_outside_the_indexed_text, True),
    (_back, True),
    (_words_of_a_page_all_gone, True),
    (_delete, True),
    (_insert, True),
    (_delete_the_newest, True),
    (_replace_the_newest, True),
    (_delete_an_old_one_and_change_one, True),
    (_delete_the_page_of_a_changed_word, True),
    (_older, False),
    (_newest, True),
]


FEW_CHUNKS = {_insert, _title_and_facet, _outside_the_indexed_text, _back, _words_of_a_page_all_gone}
"""The edits that rewrite few chunks: a new or deleted page changes every boilerplate word's record, and a deleted one the
page step after it in every word of a later page."""


def test_a_sequence_of_edits_gives_the_cold_bundle_each_time(tmp_path: Path) -> None:
    site = tmp_path / "s"
    texts = _site(site)
    cache = tmp_path / "cache"
    build_index(site, cache=cache)
    assert_same(site / "pagefind", _cold(site, tmp_path))
    for step, (edit, patched) in enumerate(EDITS):
        previous, site = site, tmp_path / f"s{step}"
        shutil.copytree(previous, site, ignore=shutil.ignore_patterns("pagefind"))
        edit(site, texts)
        report = build_index(site, cache=cache, previous=previous / "pagefind")
        assert report.patched == patched, edit.__name__
        assert_same(site / "pagefind", _cold(site, tmp_path))
        if patched and edit in FEW_CHUNKS:
            chunks = [p for p in _files(site / "pagefind") if p.suffix == ".pf_index"]
            assert len(chunks) > 20
            assert report.written < len(chunks) / 2 + 8, (edit.__name__, report, len(chunks))
        # the cache keeps the entry sizes of this bundle's chunks and of the previous one's, no more
        kept = {p.name for p in (cache / "entries").glob("*/*")}
        assert kept <= _keys(site / "pagefind") | _keys(previous / "pagefind")
        assert _keys(site / "pagefind") <= kept


@pytest.mark.parametrize("edit", [_delete_the_newest, _replace_the_newest])
def test_the_newest_page_deleted_moves_no_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: Edit) -> None:
    """Its entries are dropped as a changed page's are: no chunk is renumbered (nor read but its words')."""
    site = tmp_path / "s"
    texts = _site(site)
    cache = tmp_path / "cache"
    build_index(site, cache=cache)

    def renumbering(*args: object) -> None:
        raise AssertionError("renumbered")

    monkeypatch.setattr(previous_bundle, "_renumbering", renumbering)
    _patched_as_cold(site, texts, cache, edit)


def _patched_as_cold(site: Path, texts: dict[int, str], cache: Path, edit: Edit) -> None:
    """A copy of ``site`` edited and indexed with ``site``'s bundle as the previous one: patched, the cold bundle."""
    again = site.parent / "again"
    shutil.copytree(site, again, ignore=shutil.ignore_patterns("pagefind"))
    edit(again, texts)
    report = build_index(again, cache=cache, previous=site / "pagefind")
    assert report.patched
    assert_same(again / "pagefind", _cold(again, site.parent))


def _keys(bundle: Path) -> set[str]:
    """The keys of a bundle's chunks (output.py: the SHA-1 of their bytes before gzip)."""
    return {hashlib.sha1(gzip.decompress(p.read_bytes())).hexdigest() for p in bundle.rglob("*.pf_index")}


@pytest.mark.parametrize("edit", [_insert, _delete])
def test_a_damaged_chunk_or_state_falls_back_to_the_full_build(tmp_path: Path, edit: Edit) -> None:
    site = tmp_path / "s"
    texts = _site(site)
    cache = tmp_path / "cache"
    build_index(site, cache=cache)
    for damage in ("chunk", "entries", "record"):
        again = tmp_path / damage
        shutil.copytree(site, again, ignore=shutil.ignore_patterns("pagefind"))
        edit(again, dict(texts))
        bundle = tmp_path / f"{damage}-previous"
        shutil.copytree(site / "pagefind", bundle, copy_function=os.link)
        if damage == "chunk":  # same size and time, other bytes: read back, its hash tells
            for chunk in bundle.rglob("*.pf_index"):
                data, stat = chunk.read_bytes(), chunk.stat()
                chunk.unlink()
                chunk.write_bytes(data[:-8] + bytes(8))
                os.utime(chunk, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        elif damage == "record":  # a page's record replaced (a new file): it cannot be linked
            record = next(bundle.glob("gk/*/r/1.json"))
            data = record.read_bytes()
            record.unlink()
            record.write_bytes(data)
        else:
            shutil.rmtree(cache / "entries")
        report = build_index(again, cache=cache, previous=bundle)
        assert not report.patched
        assert_same(again / "pagefind", _cold(again, tmp_path))


def test_a_page_is_read_again_unless_its_stat_is_trusted(tmp_path: Path) -> None:
    site = tmp_path / "s"
    _site(site)
    page = site / "documents" / "d" / "004" / "index.html"
    first = scan(site, site / "pagefind")
    assert len(first.html) == len(first.pages) == COUNT
    # written just before the scan: not trusted (a write in the same tick of the clock would be missed)
    again = scan(site, site / "pagefind", first.files, first.started)
    assert len(again.html) == COUNT
    hour = 3600 * 10**9
    for path in site.rglob("*.html"):
        os.utime(path, ns=(first.started - hour, first.started - hour))
    old = scan(site, site / "pagefind")
    trusted = scan(site, site / "pagefind", old.files, old.started)
    assert trusted.html == {} and trusted.pages == old.pages
    page.write_text(page.read_text(encoding="utf-8").replace("各乡镇", "各村组"), encoding="utf-8")
    changed = scan(site, site / "pagefind", old.files, old.started)
    assert list(changed.html) == ["documents/d/004/"]
    assert changed.pages["documents/d/004/"] != old.pages["documents/d/004/"]


@pytest.mark.parametrize("edit", [_two_and_a_new_one, _delete_an_old_one_and_change_one])
def test_records_patched_again_past_the_memory_held_give_the_same_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: Edit
) -> None:
    site = tmp_path / "s"
    texts = _site(site)
    cache = tmp_path / "cache"
    build_index(site, cache=cache)
    monkeypatch.setattr(delta, "HELD", 0)  # (the first record or chunk held, the others worked out again)
    _patched_as_cold(site, texts, cache, edit)


def _inserted(site: Path, texts: dict[int, str], cache: Path) -> tuple[Path, SearchReport]:
    """A copy of ``site`` with a text inserted in a page, indexed with ``site``'s bundle as the previous one."""
    again = site.parent / "again"
    shutil.copytree(site, again, ignore=shutil.ignore_patterns("pagefind"))
    _insert(again, texts)
    return again, build_index(again, cache=cache, previous=site / "pagefind")


def test_two_pages_of_the_same_text_are_patched(tmp_path: Path) -> None:
    """Their whole-text files have one key: linking the first moved the change time of the file the second
    is linked from too, and the patch gave up (then the full build, finding the files it had linked moved
    too, wrote most of the bundle again)."""
    site = tmp_path / "s"
    texts = _site(site)
    long = BOILERPLATE * 7 + texts[3]  # past the lead: a t/ file
    for i in (3, 4):
        _page(site, i, "", body=long)
    cache = tmp_path / "cache"
    build_index(site, cache=cache)
    again, report = _inserted(site, texts, cache)
    assert report.patched
    assert_same(again / "pagefind", _cold(again, tmp_path))


def test_a_patch_given_up_midway_leaves_the_full_build_its_links(tmp_path: Path) -> None:
    """A page's record of the previous bundle is not as listed: the patch gives up once it has linked the
    chunks; the full build links them again (their change time moved by the patch's links, nothing else)."""
    site = tmp_path / "s"
    texts = _site(site)
    cache = tmp_path / "cache"
    build_index(site, cache=cache)
    record = next((site / "pagefind").glob("gk/*/r/1.json"))
    data = record.read_bytes()
    record.unlink()
    record.write_bytes(data)  # a new file: it cannot be linked
    again, report = _inserted(site, texts, cache)
    assert not report.patched
    chunks = [p for p in _files(again / "pagefind") if p.suffix == ".pf_index"]
    assert len(chunks) > 20 and report.written < len(chunks) / 2 + 8, (report, len(chunks))
    assert_same(again / "pagefind", _cold(again, tmp_path))


def test_a_malformed_stored_state_reads_as_none_even_under_python_O(tmp_path: Path) -> None:
    """State.read's checks are explicit, not asserts (``python -O`` strips those and a bad state would be used)."""
    import subprocess
    import sys

    probe = (
        "from gongkai.render.search.delta import State\n"
        "good = {'known': ((0, ''), (0, ''), b''), 'pages': ((0, ''),) * 3 + (b'', (0, '')), 'since': 0,"
        " 'settings': 's', 'grams': 'g', 'index': [b'', b'', b'', b'', b'', []]}\n"
        "assert State.read(good) is not None\n"
        "bad = [dict(good, index=[b'', b'', b'', b'', b'', 'not a list']), dict(good, since='0'),"
        " dict(good, index=[1, b'', b'', b'', b'', []]), 'not a dict', dict(good, pages=None)]\n"
        "print(sum(State.read(value) is None for value in bad), len(bad))\n"
    )
    for flags in ([], ["-O"]):
        done = subprocess.run([sys.executable, *flags, "-c", probe], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        found, every = done.stdout.split()
        assert found == every, flags


@pytest.mark.parametrize(
    "data",
    [bytes(10), bytes(5) + b"\x83\x1b" + bytes(3)],  # no entry where the sizes say; a page step's head out of range
    ids=["entry misplaced", "step unreadable"],
)
def test_a_chunk_that_does_not_agree_with_its_entries_sizes_is_unpatchable(data: bytes) -> None:
    sizes = np.array([5], np.uint16)  # one record of 10 bytes: a head of 5, one entry of 5
    with pytest.raises(previous_bundle.Unpatchable):
        previous_bundle._renumbered(data, [0, 10], sizes, [0, 1], np.array([0, 1]), ["ab"], write=True)
