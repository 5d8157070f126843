"""The load cache (.cache/load/): loading through it gives exactly what loading every file afresh gives."""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
from pathlib import Path
from typing import Any

from gongkai.cachefile import seal
from gongkai.load import cache as load_cache
from gongkai.load import load_sources
from gongkai.load.cache import _MAGIC, CACHE_DIR, LoadCache

from kit import PAYOUT_CSV, PAYOUT_YML, blank_pdf, copy_demo, document, write_county

DOC = "content/documents/2026/gdlb.md"
CSV = "villages/chengguan/shangxi/payouts/2026-gdlb.csv"
PAYOUT = "villages/chengguan/shangxi/payouts/2026-gdlb.yml"
XLSX = "villages/chengguan/shangxi/payouts/2026-gdlb.xlsx"


def deep(value: Any) -> Any:
    """Every field of every record, those left out of equality (origins) included."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *(deep(getattr(value, f.name)) for f in dataclasses.fields(value)))
    if isinstance(value, tuple | list | load_cache.Rows):  # rows unpickled when read: read here
        return [deep(item) for item in value]
    if isinstance(value, frozenset | set):
        return sorted(deep(item) for item in value)
    if isinstance(value, dict):
        return sorted((key, deep(item)) for key, item in value.items())
    return value


def assert_as_fresh(root: Path) -> LoadCache:
    """Load through the project's cache; the result equals a load without any cache, field for field."""
    fresh = load_sources(root, LoadCache(None))
    cache = LoadCache.open(root)
    cached = load_sources(root, cache)
    assert deep(cached) == deep(fresh)
    return cache


def test_demo_loads_the_same_cold_and_warm(tmp_path):
    copy_demo(tmp_path)
    cold = assert_as_fresh(tmp_path)
    assert cold.misses["document"] > 100 and not cold.hits
    warm = assert_as_fresh(tmp_path)
    assert warm.hits["document"] == cold.misses["document"] and not warm.misses
    assert warm.hits["catalog"] == cold.misses["catalog"] > 0  # the catalogues' YAML is not parsed again


def test_edits_load_as_fresh(tmp_path):
    root = write_county(tmp_path, {"content/documents/2026/fj.pdf": blank_pdf()})
    assert_as_fresh(root)
    edits: list[dict[str, str | bytes | None]] = [
        {DOC: document("改过的标题", "11341700MB1714830K/202603-00001", extra="目录事项: 耕地地力保护\n")},
        {DOC: "---\n标题: [没有闭合\n---\n正文\n"},  # a YAML error, reported with its line
        {DOC: document("标题", "11341700MB1714830K/202603-00001", published="2026-02-30")},
        {CSV: PAYOUT_CSV.encode("gb18030")},  # a GBK CSV as Excel saves it
        {CSV: PAYOUT_CSV.replace("341722********0317", "341722199001010317")},  # an unmasked ID
        {CSV: PAYOUT_CSV.replace("572.00", "五百")},
        {CSV: "户主姓名,村民小组\n"},  # no rows
        {XLSX: _workbook(), PAYOUT: PAYOUT_YML.replace(".csv", ".xlsx")},  # a workbook
        {XLSX: _workbook("五百")},
        {XLSX: b"PK\3\4 not a workbook"},
        {PAYOUT: PAYOUT_YML},
        {"content/documents/2026/gdlb-jd.md": None},  # a document deleted
        {CSV: None},  # the table a payout list names is gone
        {PAYOUT: "补贴项目: [\n"},
        {"villages/chengguan/shangxi/village.yml": "代码: shangxi\n"},
        {DOC: document("附件", "11341700MB1714830K/202603-00001", extra="附件:\n  - 文件: fj.pdf\n")},
        {"content/documents/2026/fj.pdf": None},  # the attachment is gone, its document unchanged
        {"content/documents/2026/new.md": b"\xd6\xd0\xce\xc4"},  # not UTF-8
    ]
    for edit in edits:
        for name, content in edit.items():
            path = root / name
            if content is None:
                path.unlink()
            elif isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        assert_as_fresh(root)
    _, problems = load_sources(root)
    assert any("找不到附件" in p.message for p in problems)  # looked up, not cached with the document


def _workbook(amount: object = 572) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["户主姓名", "村民小组", "身份证号", "数量", "标准", "金额", "发放日期", "备注"])
    book.active.append(["王秀兰", "第一村民组", "341722********0317", 5.2, 110, amount, "2026-06-30", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_damaged_entries_read_as_missing(tmp_path):
    root = write_county(tmp_path)
    assert_as_fresh(root)
    entries = sorted((root / CACHE_DIR).glob("*/*"))
    assert entries
    for number, entry in enumerate(entries):
        data = entry.read_bytes()
        damaged = [data[: len(data) // 2], data[:-1] + bytes([data[-1] ^ 1]), b"", b"gk-search-1\0" + data[10:]]
        entry.write_bytes(damaged[number % len(damaged)])
    load_cache._MEMORY.clear()  # as in a new process
    again = assert_as_fresh(root)
    assert not again.hits and sum(again.misses.values()) == len(entries)
    assert sum(assert_as_fresh(root).hits.values()) == len(entries)  # stored again


def test_an_entry_runs_no_code(tmp_path):
    root = write_county(tmp_path)
    assert_as_fresh(root)
    ran = tmp_path / "ran"
    for entry in (root / CACHE_DIR).glob("*/*"):  # sealed right, but naming a function to call
        entry.write_bytes(seal(_MAGIC, entry.name, pickle.dumps((os.mkdir, (str(ran),)))))
    load_cache._MEMORY.clear()
    again = assert_as_fresh(root)
    assert not ran.exists() and not again.hits


def test_entries_moved_to_another_key_read_as_missing(tmp_path):
    # each entry's content under the next one's key: a document's under another document's, a village's,
    # a payout table's (a swap used to publish the other record, or stop the build with an internal error)
    root = write_county(tmp_path)
    assert_as_fresh(root)
    entries = sorted((root / CACHE_DIR).glob("*/*"))
    assert len(entries) > 3
    contents = [entry.read_bytes() for entry in entries]
    for entry, content in zip(entries, contents[1:] + contents[:1], strict=True):
        entry.write_bytes(content)
    load_cache._MEMORY.clear()
    again = assert_as_fresh(root)
    assert not again.hits and sum(again.misses.values()) == len(entries)


def test_pruning_leaves_what_a_link_in_the_cache_points_to(tmp_path):
    root = write_county(tmp_path / "county")
    outside = tmp_path / "outside"
    (outside / "sub").mkdir(parents=True)
    kept = [outside / "notes.txt", outside / "sub" / ("ab" * 32)]
    for path in kept:
        path.write_text("不是缓存", encoding="utf-8")
    (root / CACHE_DIR).mkdir(parents=True)
    (root / CACHE_DIR / "ab").symlink_to(outside / "sub")
    (root / CACHE_DIR / "zz").symlink_to(outside)
    foreign = root / CACHE_DIR / "cd" / "notes.txt"  # not an entry's name
    foreign.parent.mkdir()
    foreign.write_text("x", encoding="utf-8")
    assert_as_fresh(root)
    assert all(path.exists() for path in [*kept, foreign])


def test_a_second_load_in_the_process_takes_the_entries_from_memory(tmp_path):
    root = write_county(tmp_path, {CSV: PAYOUT_CSV.replace("572.00", "五百")})
    first = load_sources(root)
    first[1].clear()  # what a caller does with its problems is its own
    shutil.rmtree(root / CACHE_DIR)
    cache = assert_as_fresh(root)
    assert not cache.misses and cache.hits["table"] == 1
    (root / CSV).write_text(PAYOUT_CSV, encoding="utf-8")  # changed: parsed again, memory or not
    assert assert_as_fresh(root).misses == {"table": 1, "facts": 1}


def test_other_code_is_a_miss_and_unused_entries_go(tmp_path):
    root = write_county(tmp_path)
    assert_as_fresh(root)
    entries = set((root / CACHE_DIR).glob("*/*"))
    other = LoadCache(root / CACHE_DIR, code=b"other code")
    load_sources(root, other)
    assert not other.hits
    assert not entries & set((root / CACHE_DIR).glob("*/*"))  # pruned after the load


def test_documents_parsed_on_worker_processes_are_stored(tmp_path, monkeypatch):
    from gongkai.load import documents

    monkeypatch.setattr(documents, "_PARALLEL_FROM", 2)  # the demo's documents on worker processes
    root = copy_demo(tmp_path)
    (root / "content/documents/2026/broken.md").write_text("---\n标题: [\n---\n", encoding="utf-8")
    cold = assert_as_fresh(root)
    assert not cold.hits  # parsed by the workers, which stored what they parsed
    warm = assert_as_fresh(root)
    assert warm.hits["document"] > 100 and not warm.misses


def test_a_first_load_writes_no_entry_of_its_own_and_a_later_change_does(tmp_path, monkeypatch):
    """A first load's entries — the documents parsed on worker processes, the tables here — go straight into the
    pack and the batch: none is written as a file of its own, read back and removed (a third of a county's first
    load). A load that changes few files writes theirs, as before."""
    from gongkai.load import documents

    monkeypatch.setattr(documents, "_PARALLEL_FROM", 2)
    monkeypatch.setattr(load_cache, "PACK_FROM", 1)
    root = copy_demo(tmp_path)
    cold = assert_as_fresh(root)
    assert cold.misses["document"] > 100 and not cold.hits
    assert _pack(root).is_file() and _batch(root).is_file()
    assert not [path for path in (root / CACHE_DIR).iterdir() if path.is_dir()]  # not even a folder for them
    monkeypatch.setattr(load_cache, "PACK_FROM", 1000)
    (root / DOC).write_text(document("改过的标题", "11341700MB1714830K/202603-00001"), encoding="utf-8")
    load_cache._MEMORY.clear()
    assert assert_as_fresh(root).misses == {"document": 1}
    assert len(list((root / CACHE_DIR).glob("*/*"))) == 1
    load_cache._MEMORY.clear()
    assert not assert_as_fresh(root).misses


def test_documents_parsed_on_worker_processes_are_named_as_the_next_load_names_them(tmp_path, monkeypatch):
    """The check cache keys each body by its load entry (load.cache.named): a cold build's bodies, parsed on the
    workers, had no name, so the next build scanned the county's every body again (3–4 s at county scale)."""
    from gongkai.load import documents

    monkeypatch.setattr(documents, "_PARALLEL_FROM", 2)
    root = copy_demo(tmp_path)
    cold = {doc.origin.path: load_cache.named(doc) for doc in load_sources(root, LoadCache.open(root))[0].documents}
    warm = {doc.origin.path: load_cache.named(doc) for doc in load_sources(root, LoadCache.open(root))[0].documents}
    assert len(cold) > 100 and None not in cold.values() and cold == warm


def test_a_settled_file_is_taken_by_its_identity_and_a_rewritten_one_is_read(tmp_path, monkeypatch):
    """index.bin: a file as the last load found it is not read again; one written in place with its size
    and modification time kept is (its change time moved); one changed just before a load is not indexed."""
    import time

    from gongkai import cachefile

    monkeypatch.setattr(cachefile, "SETTLED_NS", 0)  # the files just written count as settled
    root = write_county(tmp_path)
    assert_as_fresh(root)
    read: list[str] = []
    key = LoadCache._key

    def reading(self: LoadCache, *parts: str | bytes) -> str:
        if self.folder is not None:  # (a load without a cache names each file it reads too)
            read.append(str(parts[1]))
        return key(self, *parts)

    monkeypatch.setattr(LoadCache, "_key", reading)
    assert not assert_as_fresh(root).misses
    assert read == []
    path = root / DOC
    before = path.stat()
    time.sleep(0.05)  # past a tick of the file system's clock
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("耕地地力保护补贴", "耕地地力保护补助"), encoding="utf-8")  # the same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.read_text(encoding="utf-8") != text
    cache = assert_as_fresh(root)
    assert read == [DOC] and cache.misses == {"document": 1}
    monkeypatch.setattr(cachefile, "SETTLED_NS", 10**15)  # everything changed just now: nothing indexed …
    read.clear()
    assert_as_fresh(root)
    assert read == []  # (taken by the last load's index)
    assert_as_fresh(root)
    assert DOC in read and CSV in read  # … so the next load reads every file


def _pack(root: Path) -> Path:
    return root / CACHE_DIR / load_cache.PACK


def _batch(root: Path) -> Path:
    return root / CACHE_DIR / load_cache.BATCH


def test_entries_are_gathered_in_a_pack_and_a_few_changed_files_stay_loose(tmp_path, monkeypatch):
    """pack.bin and batch.bin: many loose entries are gathered (none stays loose) — the rows kept pickled in the pack,
    every other record in the batch, pickled as one —; a file changed later is stored loose beside them, all read by
    the next load; a damaged pack or batch reads as empty."""
    monkeypatch.setattr(load_cache, "PACK_FROM", 1)
    root = write_county(tmp_path)
    cold = assert_as_fresh(root)
    assert _pack(root).is_file() and _batch(root).is_file() and not list((root / CACHE_DIR).glob("*/*"))
    load_cache._MEMORY.clear()
    warm = assert_as_fresh(root)
    assert warm.hits == cold.misses and not warm.misses
    assert set(warm.batch or ()) == warm.used - warm.rows and set(warm.pack or ()) == warm.rows  # one table's rows
    monkeypatch.setattr(load_cache, "PACK_FROM", 1000)
    packed, batched = _pack(root).read_bytes(), _batch(root).read_bytes()
    (root / CSV).write_text(PAYOUT_CSV.replace("572.00", "五百"), encoding="utf-8")
    load_cache._MEMORY.clear()
    assert assert_as_fresh(root).misses == {"table": 1, "facts": 1}  # the rows and their facts: two entries
    assert _pack(root).read_bytes() == packed and _batch(root).read_bytes() == batched
    assert len(list((root / CACHE_DIR).glob("*/*"))) == 2
    load_cache._MEMORY.clear()
    assert not assert_as_fresh(root).misses  # from the pack, the batch and the loose entries
    loose = {entry: entry.read_bytes() for entry in (root / CACHE_DIR).glob("*/*")}
    for damaged in (lambda data: data[: len(data) // 2], lambda data: data[:-1] + bytes([data[-1] ^ 1]), lambda _: b""):
        for pack, batch in ((damaged(packed), damaged(batched)), (packed, damaged(batched)), (damaged(packed), batched)):
            for entry in (root / CACHE_DIR).glob("*/*"):
                entry.unlink()
            for entry, content in loose.items():
                entry.write_bytes(content)
            _pack(root).write_bytes(pack)
            _batch(root).write_bytes(batch)
            load_cache._MEMORY.clear()
            again = assert_as_fresh(root)
            if batch == batched:  # the pack held only the rows of the table changed since
                assert not again.misses
            else:
                assert again.hits == {"table": 1, "facts": 1}
                assert sum(again.misses.values()) == sum(cold.misses.values()) - 2


def test_a_pack_of_the_earlier_layout_is_gathered_into_the_batch(tmp_path, monkeypatch):
    """A pack that holds every entry pickled on its own (before batch.bin): read as it is, then gathered again."""
    import marshal
    import zlib

    monkeypatch.setattr(load_cache, "PACK_FROM", 1)
    root = write_county(tmp_path)
    cache = assert_as_fresh(root)
    bodies = {name: pickle.dumps(load_cache._MEMORY[cache.at, name]) for name in cache.used - cache.rows}
    bodies.update({name: cache.bodies[name] for name in cache.rows})
    body = marshal.dumps((cache.code, bodies))
    _pack(root).write_bytes(load_cache._PACK_MAGIC + zlib.crc32(body).to_bytes(4, "big") + body)
    _batch(root).unlink()
    load_cache._MEMORY.clear()
    again = assert_as_fresh(root)
    assert not again.misses and _batch(root).is_file()
    load_cache._MEMORY.clear()
    last = assert_as_fresh(root)
    assert not last.misses and set(last.batch or ()) == last.used - last.rows


def test_a_packed_entry_runs_no_code(tmp_path, monkeypatch):
    import marshal
    import zlib

    monkeypatch.setattr(load_cache, "PACK_FROM", 1)
    root = write_county(tmp_path)
    cache = assert_as_fresh(root)
    ran = tmp_path / "ran"
    evil = pickle.dumps((os.mkdir, (str(ran),)))
    body = marshal.dumps((cache.code, dict.fromkeys(cache.used, evil)))
    _pack(root).write_bytes(load_cache._PACK_MAGIC + zlib.crc32(body).to_bytes(4, "big") + body)
    records = len(cache.code).to_bytes(4, "big") + cache.code + pickle.dumps({name: (os.mkdir, str(ran)) for name in cache.used})
    assert b"mkdir" in records
    _batch(root).write_bytes(load_cache._BATCH_MAGIC + zlib.crc32(records).to_bytes(4, "big") + records)
    load_cache._MEMORY.clear()
    again = assert_as_fresh(root)
    assert not ran.exists() and not again.hits


def test_an_unchanged_tables_rows_are_not_read_and_its_problems_still_reported(tmp_path):
    """A payout table unchanged since the cache stored it: its rows stay unpickled (load/cache.py ``Rows``) through
    the load, the checks and the village page's plan, and what the checks find in them is reported on every load,
    file, row and field included, as a load without a cache finds it; reading the rows gives the rows."""
    import datetime as dt

    from gongkai.check import check_county
    from gongkai.render.site.plan import plan_site

    twice = "王秀兰,第一村民组,341722********0317,5.2,110,572.00,2026-06-30,\n"  # listed twice
    rows = PAYOUT_CSV + twice + "张三,第一村民组,,2,110,300.001,,\n"  # three decimals, not 2 × 110
    root = write_county(tmp_path, {CSV: rows})
    today = dt.date(2026, 11, 22)  # the list in its window: the page shows its names
    fresh, _ = load_sources(root, LoadCache(None))
    assert fresh is not None
    expected = [p for p in check_county(fresh, today) if p.path == CSV]
    assert {(p.line, p.field) for p in expected} == {(4, "户主姓名"), (5, "金额")}
    load_sources(root)  # stores the rows and their facts
    for memory in (False, True):  # a new process (gongkai build), or the same one (gongkai serve)
        if not memory:
            load_cache._MEMORY.clear()
        county, _ = load_sources(root)
        assert county is not None
        payout = county.payouts[0]
        assert isinstance(payout.rows, load_cache.Rows)
        assert [p for p in check_county(county, today) if p.path == CSV] == expected
        page = plan_site(county, today).pages["villages/chengguan/shangxi/"].context
        assert repr(page) and page.payouts[0].households == 4 and payout.total == fresh.payouts[0].total
        assert memory or payout.rows._records is None  # not one row read (in memory: read by the last round)
        assert [line.name for line in page.payouts[0].lines] == ["王秀兰", "李建国", "王秀兰", "张三"]
        assert payout.rows == fresh.payouts[0].rows and deep(payout.rows) == deep(fresh.payouts[0].rows)


def test_a_problem_in_an_unchanged_table_stops_every_build(tmp_path):
    """The checks' findings in a table's rows come from the cache on the second run: reported as the first run
    reported them (and as an error still stop the build), with their file, row and field."""
    import datetime as dt

    import pytest

    from gongkai.commands.build import load_and_check
    from gongkai.commands.progress import Progress
    from gongkai.errors import SourceErrors

    twice = "李建国,第二村民组,341722********1234,3,110,330.00,2026-06-30,\n"
    root = write_county(tmp_path, {CSV: PAYOUT_CSV + twice})
    said = []
    for _ in range(2):
        load_cache._MEMORY.clear()
        with pytest.raises(SourceErrors) as raised:
            load_and_check(root, dt.date(2026, 11, 22), Progress(quiet=True))
        said.append([str(p) for p in raised.value.problems])
    assert said[0] == said[1] and any(CSV in line and "第 4 行" in line and "重复" in line for line in said[1])


def test_a_later_load_in_the_process_reads_no_batch_for_what_it_does_not_hold(tmp_path, monkeypatch):
    """gongkai serve loads again after each edit: the edited file's new entry is in no pack or batch, and its
    lookup must not read and unpickle the county's batch to find that out (a second at county scale). Once the
    batch is another file (another process gathered it), it is read again."""
    monkeypatch.setattr(load_cache, "PACK_FROM", 1)
    root = write_county(tmp_path)
    assert_as_fresh(root)  # gathers the pack and the batch, their names known to this process
    monkeypatch.setattr(load_cache, "PACK_FROM", 1000)
    reads: list[str] = []
    for file, method in ((load_cache.BATCH, "_batch"), (load_cache.PACK, "_pack")):
        original = getattr(LoadCache, method)

        def counted(self: LoadCache, original: Any = original, file: str = file) -> Any:
            if getattr(self, "batch" if file == load_cache.BATCH else "pack") is None:
                reads.append(file)
            return original(self)

        monkeypatch.setattr(LoadCache, method, counted)
    (root / DOC).write_text(document("改过的标题", "11341700MB1714830K/202603-00001"), encoding="utf-8")
    cache = LoadCache.open(root)
    edited = load_sources(root, cache)
    assert cache.misses["document"] == 1 and not reads  # the others from memory, the new one parsed
    assert deep(edited) == deep(load_sources(root, LoadCache(None)))
    batched = _batch(root).read_bytes()
    _batch(root).unlink()
    _batch(root).write_bytes(batched)  # the same names, another file: not known to hold them
    (root / DOC).write_text(document("又改过的标题", "11341700MB1714830K/202603-00001"), encoding="utf-8")
    again = LoadCache.open(root)
    assert deep(load_sources(root, again)) == deep(load_sources(root, LoadCache(None)))
    assert reads == [load_cache.BATCH]


def test_what_the_process_remembers_the_pack_and_batch_hold_is_a_hint_and_of_one_cache(tmp_path, monkeypatch):
    """A wrong hint of the names the pack and batch hold costs a parse, never a wrong record; and the process
    remembers the names of one cache's files only (a test session, or a tool, loads one county after another)."""
    monkeypatch.setattr(load_cache, "PACK_FROM", 1)
    root = write_county(tmp_path / "a")
    assert_as_fresh(root)
    assert load_cache._HELD
    for path, (identity, _) in list(load_cache._HELD.items()):
        load_cache._HELD[path] = (identity, frozenset())  # wrongly: they hold nothing
    (root / DOC).write_text(document("改过的标题", "11341700MB1714830K/202603-00001"), encoding="utf-8")
    assert_as_fresh(root)
    other = write_county(tmp_path / "b")
    assert_as_fresh(other)
    assert load_cache._HELD and all(str(other) in path and str(root) not in path for path in load_cache._HELD)
