"""Property-based: no input makes a loader raise anything but SourceErrors, or leaves a half-built site."""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.commands.build import build, load_and_check
from gongkai.commands.progress import Progress
from gongkai.errors import Problem, SourceErrors
from gongkai.load import load_county
from gongkai.load.documents import split_front_matter
from gongkai.load.records import build as build_record
from gongkai.load.tables import read_table
from gongkai.load.yamlsrc import parse_yaml
from gongkai.model.catalog import Catalog, CatalogRow, Domain
from gongkai.model.config import Agency, ApplicationOffice, CountyConfig, Phone
from gongkai.model.document import Document
from gongkai.model.ledger import LedgerEntry
from gongkai.model.public import NumberPattern, PublicNumber, PublicNumbers
from gongkai.model.schema import specs
from gongkai.model.village import PayoutList, PayoutRow, Town, Village, VillageItem

from kit import county_files, staging_leftovers, write_county

RECORDS = [
    Town,
    VillageItem,
    Village,
    PayoutRow,
    PayoutList,
    Domain,
    CatalogRow,
    Catalog,
    Agency,
    Phone,
    ApplicationOffice,
    CountyConfig,
    Document,
    LedgerEntry,
    PublicNumber,
    NumberPattern,
    PublicNumbers,
]
TODAY = dt.date(2026, 11, 26)
YAML_CHARS = st.sampled_from(list(":-[]{}&*!|>'\"#%@`,? \t\n\r") + list("abc键值一二2026-03-05\ufeff\x00"))
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _problems_only(found: list[Problem]) -> None:
    assert all(isinstance(p, Problem) for p in found)


@given(st.text(YAML_CHARS, max_size=200) | st.text(max_size=200))
def test_parse_yaml_never_raises(text):
    _, problems = parse_yaml(text, "x.yml")
    _problems_only(problems)


@given(st.lists(st.sampled_from(["---", "...", "\n", "a", " ", "键: 值", "\r"]), max_size=30).map("".join) | st.text())
def test_split_front_matter_keeps_the_body_and_its_line(text):
    front, body, line = split_front_matter(text)
    if front is None:
        assert (body, line) == (text, 1)
    else:  # a body that is empty at the end of the file starts on the line after it
        assert "\n".join(text.split("\n")[line - 1 :]) == body


@settings(suppress_health_check=[HealthCheck.too_slow])  # nested records draw a lot on a busy machine
@given(st.sampled_from(RECORDS), st.data())
def test_every_record_builds_or_reports_from_any_mapping(cls, data):
    keys = [s.key for _, s in specs(cls)]
    mapping = data.draw(st.dictionaries(st.sampled_from(keys) | st.text(max_size=4), VALUES, max_size=len(keys) + 2))
    record, problems = build_record(cls, mapping, "x.yml")
    _problems_only(problems)
    assert (record is None) == bool(problems)


@settings(deadline=None)
@given(st.binary(max_size=300))
def test_read_table_never_raises_on_any_bytes(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_bytes(data)
        _, problems = read_table(path, "t.csv", "户主姓名")
    _problems_only(problems)


def test_read_table_reports_a_carriage_return_inside_a_field(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"\r\x00")
    _, problems = read_table(path, "t.csv", "户主姓名")
    _problems_only(problems)


@SLOW
@given(
    st.sampled_from(sorted(n for n in county_files() if n.endswith((".yml", ".md", ".csv")))), st.binary(max_size=200)
)
def test_a_county_with_one_file_of_random_bytes_loads_or_reports(name, data):
    with tempfile.TemporaryDirectory() as folder:
        root = write_county(Path(folder), {name: data})
        try:
            load_and_check(root, TODAY, Progress(quiet=True))
        except SourceErrors as errors:
            _problems_only(errors.problems)


@settings(max_examples=5, deadline=None)
@given(st.binary(min_size=1, max_size=100))
def test_a_refused_build_publishes_nothing(data):
    with tempfile.TemporaryDirectory() as folder:
        root = write_county(Path(folder), {"catalog/snbt.yml": b"\xff" + data})
        with contextlib.suppress(SourceErrors):
            build(root, root / "site", TODAY)
        assert not (root / "site").exists()
        assert not staging_leftovers(root)


def test_load_county_reports_a_random_file_with_its_path(tmp_path):
    root = write_county(tmp_path, {"villages/chengguan/town.yml": b"\x00\x01\x02"})
    try:
        load_county(root)
    except SourceErrors as errors:
        assert {p.path for p in errors.problems} == {"villages/chengguan/town.yml"}
