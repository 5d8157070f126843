"""The source digests of the page keys (render/site/sources.py): a document unchanged since the last build is
not read again; anything else — an edit, a damaged, truncated or foreign cache file — means reading it."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from gongkai.cachefile import seal
from gongkai.render.site import sources
from gongkai.render.site.sources import SourceDigests

TEXT = "---\n标题: 通知\n---\n\n见[附件](../2025/other.md)。\n"


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path]:
    doc = tmp_path / "content/documents/2026/notice.md"
    doc.parent.mkdir(parents=True)
    doc.write_text(TEXT, encoding="utf-8")
    return tmp_path, doc


def _digests(root: Path) -> SourceDigests:
    """Digests that take every file as settled (a test writes its files just before reading them)."""
    found = SourceDigests.open(root)
    found.settled = time.time_ns() + 10**12
    return found


def _kept(root: Path, doc: Path) -> SourceDigests:
    """A cache file that remembers ``doc``, then opened again."""
    first = _digests(root)
    first.source(str(doc), "documents/2026/notice.md")
    first.save()
    return _digests(root)


def test_a_source_is_its_digest_and_the_files_it_links_to(project: tuple[Path, Path]) -> None:
    root, doc = project
    digest, targets = _digests(root).source(str(doc), "documents/2026/notice.md")
    assert digest == hashlib.sha256(TEXT.encode()).digest()
    assert targets == ("documents/2025/other.md",)


def test_an_unchanged_source_is_not_read_again(project: tuple[Path, Path]) -> None:
    root, doc = project
    again = _kept(root, doc)
    assert again.source(str(doc), "documents/2026/notice.md")[0] == hashlib.sha256(TEXT.encode()).digest()
    assert again.read == 0


def test_an_edited_source_is_read_again(project: tuple[Path, Path]) -> None:
    root, doc = project
    again = _kept(root, doc)
    doc.write_text(TEXT + "补充。\n", encoding="utf-8")
    assert (
        again.source(str(doc), "documents/2026/notice.md")[0] == hashlib.sha256((TEXT + "补充。\n").encode()).digest()
    )
    assert again.read == 1


def test_a_source_changed_just_before_it_was_read_is_not_kept(project: tuple[Path, Path]) -> None:
    """Two writes in one tick of the file system's clock leave the identity as it was (cachefile.SETTLED_NS)."""
    root, doc = project
    first = SourceDigests.open(root)  # the file was written just now: not settled
    first.source(str(doc), "documents/2026/notice.md")
    first.save()
    assert _digests(root).old == {}


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-3],  # truncated
        lambda data: data[:40] + bytes([data[40] ^ 1]) + data[41:],  # one bit flipped
        lambda data: b"",
        lambda data: seal(b"gk-seen-2\0", sources.CACHE_FILE.rpartition("/")[2], data[60:]),  # another cache's
        lambda data: seal(b"gk-site-sources-1\0", "other.bin", data[50:]),  # sealed for another name
    ],
)
def test_a_damaged_or_foreign_cache_file_reads_as_empty(project: tuple[Path, Path], damage) -> None:  # type: ignore[no-untyped-def]
    root, doc = project
    _kept(root, doc)
    cache = root / sources.CACHE_FILE
    cache.write_bytes(damage(cache.read_bytes()))
    again = _digests(root)
    assert again.old == {}
    assert again.source(str(doc), "documents/2026/notice.md")[0] == hashlib.sha256(TEXT.encode()).digest()
    assert again.read == 1


def test_an_entry_of_another_shape_is_not_trusted(project: tuple[Path, Path]) -> None:
    root, doc = project
    again = _kept(root, doc)
    slot = next(iter(again.old))
    identity = again.old[slot][0]
    for wrong in [(identity, "digest", ()), (identity, b"x", ("a", 1)), (identity, b"x"), [identity, b"x", ()]]:
        again.old[slot] = wrong
        assert again.source(str(doc), "documents/2026/notice.md")[0] == hashlib.sha256(TEXT.encode()).digest()


def test_a_cache_that_cannot_be_written_costs_nothing_but_a_read(project: tuple[Path, Path]) -> None:
    root, doc = project
    (root / ".cache").write_text("not a folder", encoding="utf-8")
    digests = _digests(root)
    digests.source(str(doc), "documents/2026/notice.md")
    digests.save()  # no error
    assert _digests(root).old == {}
