"""Reproducible builds: the same sources and --today give the same bytes — pages, PDFs and search bundle."""

from __future__ import annotations

import gzip
import hashlib
import shutil
from pathlib import Path

import pytest

from gongkai.commands.cli import main
from gongkai.render.search.pack import name36 as _name
from gongkai.render.search.pack import read

from kit import site_digests, write_county

TODAY = "2026-11-26"


@pytest.fixture(scope="module")
def twice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The small county built twice from the same sources, the PDF cache cleared before each build."""
    root = write_county(tmp_path_factory.mktemp("county"))
    sites = root.parent / "a", root.parent / "b"
    for site in sites:
        shutil.rmtree(root / ".cache", ignore_errors=True)  # render the PDFs again, not from the cache
        assert main(["build", str(root), "--site-dir", str(site), "--today", TODAY, "-q"]) == 0
    return sites




def test_two_builds_are_byte_identical(twice: tuple[Path, Path]) -> None:
    first, second = (site_digests(site) for site in twice)
    assert any(name.endswith(".pdf") for name in first) and any(name.endswith(".pf_index") for name in first)
    differing = sorted(name for name in first.keys() | second.keys() if first.get(name) != second.get(name))
    assert not differing, f"files differ between two builds of the same sources: {differing}"


def test_search_bundle_files_carry_no_time(twice: tuple[Path, Path]) -> None:
    bundle = twice[0] / "pagefind"
    for path in bundle.rglob("*.pf_*"):
        header = path.read_bytes()[:10]
        assert header[:2] == b"\x1f\x8b" and header[4:8] == b"\0\0\0\0", path  # gzip, MTIME zero


def test_word_chunks_are_in_word_order_under_a_folder_named_by_their_content(twice: tuple[Path, Path]) -> None:
    (folder,) = (twice[0] / "pagefind/index").iterdir()
    chunks = sorted(folder.iterdir(), key=lambda path: int(path.stem, 36))
    assert len(chunks) >= 1 and [path.stem for path in chunks] == [_name(i) for i in range(len(chunks))]
    words = [w[0] for path in chunks for w in read(path)[0]]
    assert words == sorted(words)
    keys = (hashlib.sha1(gzip.decompress(path.read_bytes())).digest() for path in chunks)  # of the bytes gzipped
    digest = hashlib.sha1(b"".join(keys)).digest()
    assert folder.name == "".join(chr(ord("a") + byte % 26) for byte in digest[:8])  # letters: never a number
