"""model/memo.py: lookups kept beside frozen records answer as the lookups do, and go with their records."""

from __future__ import annotations

import dataclasses
import functools
import gc

from gongkai.model import memo as memo_module
from gongkai.model.memo import remembered


@dataclasses.dataclass(frozen=True)
class Record:
    name: str


def test_answers_are_kept_per_record_and_dropped_with_it():
    asked: list[str] = []

    def answer(record: Record) -> str:
        asked.append(record.name)
        return record.name.upper()

    def ask(record: Record) -> str:
        return remembered(record, "q", functools.partial(answer, record))

    first, second = Record("a"), Record("b")
    assert ask(first) == "A" and ask(first) == "A" and ask(second) == "B"
    assert asked == ["a", "b"]
    gc.collect()  # the records earlier tests left in cycles go first: the count is of this test's
    kept = len(memo_module._MEMOS)
    del first
    gc.collect()
    assert len(memo_module._MEMOS) == kept - 1  # (never keeps a county alive, nor answers for another record)
    for _ in range(50):  # records made and dropped, ids reused: each asked afresh
        record = Record(str(len(asked)))
        assert ask(record) == record.name.upper()
        del record
    assert len(asked) == 52


def test_a_county_lookup_answers_as_the_search_does(tmp_path):
    from gongkai.link import _resolve_row, resolve_row
    from gongkai.load import load_sources

    from kit import copy_demo

    county, _ = load_sources(copy_demo(tmp_path))
    assert county is not None
    config = county.config
    names = [n for a in config.agencies for n in (a.name, a.short, *a.aliases) if n]
    names += ["县" + config.agencies[0].name, "无此机构"]
    for name in names * 2:
        assert config.agency(name) is config._agency(name)
    for name in [n for d in county.domains for n in (d.code, d.name, *d.aliases)] + ["无此领域"]:
        assert county.domain(name) is county._domain(name)
    for catalog in county.catalogs:
        references = [r for row in catalog.rows for r in (row.number, row.title, row.item, row.subitem or "")]
        for reference in [*references, "无"]:
            assert resolve_row(catalog, reference) == _resolve_row(catalog, reference)
