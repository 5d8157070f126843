"""The check cache (.cache/check/) and the guard's name cache: checking a county through them finds exactly
what checking it afresh finds."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

from gongkai.check import check_all
from gongkai.check.cache import BODIES, CACHE_DIR
from gongkai.errors import Problem
from gongkai.load import load_sources

from kit import copy_demo, document, write_county

TODAY = dt.date(2026, 12, 1)
DOC = "content/documents/2026/gdlb.md"


def problems(root: Path) -> list[Problem]:
    county, found = load_sources(root)
    assert county is not None
    return found + check_all(county, root, TODAY)


def assert_as_fresh(root: Path) -> list[Problem]:
    """Load and check through the caches, then again with none: the same problems, in the same order."""
    cached = problems(root)
    shutil.rmtree(root / ".cache")
    assert problems(root) == cached
    return cached


def test_demo_checks_the_same_cold_and_warm(tmp_path):
    root = copy_demo(tmp_path)
    cold = problems(root)
    assert (root / CACHE_DIR / BODIES).is_file()
    assert problems(root) == cold


def test_edits_check_as_fresh(tmp_path):
    root = write_county(tmp_path)
    problems(root)  # the caches filled
    edits = [
        document("甲", "11341700MB1714830K/202603-00001", body="<script>alert(1)</script>\n\n[链接](../nowhere.md)"),
        document("甲", "11341700MB1714830K/202603-00001", body="[链接](gdlb-jd.md)　正文"),
        document("甲", "11341700MB1714830K/202603-00001", body="<span>被删除</span>"),
        document("甲", "11341700MB1714830K/202603-00001", body="联系 13912345678"),
    ]
    for text in edits:
        (root / DOC).write_text(text, encoding="utf-8")
        found = assert_as_fresh(root)
        problems(root)  # and the caches filled again
    assert any("13912345678"[:3] in p.message for p in found)
    (root / "content/documents/2026/gdlb-jd.md").unlink()  # a link target gone: judged again, not cached
    (root / DOC).write_text(edits[1], encoding="utf-8")
    assert any("不存在" in p.message for p in assert_as_fresh(root))
    (root / "content/xxgk/13912345678.md").write_text("# 页面\n", encoding="utf-8")  # a number in a file name
    problems(root)
    assert any(p.path == "content/xxgk/13912345678.md" for p in assert_as_fresh(root))


def test_a_damaged_body_cache_reads_as_empty(tmp_path):
    root = write_county(
        tmp_path, {DOC: document("甲", "11341700MB1714830K/202603-00001", body="<script>alert(1)</script>")}
    )
    first = problems(root)
    cache = root / CACHE_DIR / BODIES
    for damaged in (cache.read_bytes()[:-3], b"", b"gk-check-1\0" + b"\0" * 40):
        cache.write_bytes(damaged)
        assert problems(root) == first


def test_a_documents_body_is_kept_under_its_load_entry_and_checked_again_when_changed(tmp_path):
    """A loaded document's body is known by the load cache entry it was parsed from (the hash of its file's bytes):
    not hashed again; a changed file is another entry, checked afresh; an entry of another shape reads as missing."""
    import marshal

    from gongkai.cachefile import seal
    from gongkai.check.cache import _MAGIC, BodyCache
    from gongkai.load.cache import named

    script = document("甲", "11341700MB1714830K/202603-00001", body="<script>alert(1)</script>")
    root = write_county(tmp_path, {DOC: script})
    first = problems(root)
    assert any(p.path == DOC and "script" in p.message for p in first)
    county, _ = load_sources(root)
    assert county is not None
    doc = next(d for d in county.documents if d.origin.path == DOC)
    name = named(doc)
    assert name is not None and named(dataclasses.replace(doc)) is None
    problems(root)
    kept = BodyCache.open(root).old
    assert b"load:" + name.encode() in kept
    (root / DOC).write_text(script.replace("<script>alert(1)</script>", "正文"), encoding="utf-8")
    assert not any(p.path == DOC and "script" in p.message for p in assert_as_fresh(root))
    (root / DOC).write_text(script, encoding="utf-8")
    problems(root)
    county, _ = load_sources(root)
    assert county is not None
    key = b"load:" + (named(next(d for d in county.documents if d.origin.path == DOC)) or "").encode()
    for planted in (([], [], []), "not an entry", ([(1, "m", "f")], []), None):
        entries = dict(BodyCache.open(root).old)
        assert key in entries
        entries[key] = planted
        (root / CACHE_DIR / BODIES).write_bytes(seal(_MAGIC, BODIES, marshal.dumps(entries)))
        if planted == ([], [], []):  # of the shape, under this build's key: taken (whoever writes .cache/ is trusted)
            assert not any(p.path == DOC and "script" in p.message for p in problems(root))
        else:
            assert problems(root) == first
