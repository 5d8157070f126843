"""Write the bundle the search page reads: the word index in Pagefind's format, and gongkai's files.

The bundle holds Pagefind's JavaScript and WebAssembly (from index.py's run over one small page) and:

- ``pagefind.<lang>_<hash>.pf_meta``: every page, oldest first (so that sorting by date is sorting by
  page number, and a new document leaves the other pages their numbers: numbered), named by its number
  in base 36, its length rounded to steps about three times apart (used only for ranking); no filters,
  no sorts;
- ``index/<hash>/<n>.pf_index``: each index word of tokens.py with its pages and positions, in word
  order, chunked by about ``CHUNK_BYTES`` compressed where the words say (chunked: a changed page changes the
  chunks of its words only); numbered, under a folder named by their hash;
- ``gk/<version>/facets.json``: each facet's values and, per page, the index of its value;
- ``gk/<version>/grams.json``: the common grams (grams.py), for terms.js to choose a term's words,
  and the abbreviation groups a term is expanded with (abbreviations.py);
- ``gk/<version>/r/<page>.json``: what a result shows (URL, title, date, 文号, the first LEAD
  characters of its body, the metadata block's lines) and, for a longer body, ``t/<page>.json`` with
  the whole body, fetched only when no term is in the lead or the metadata (the excerpt is the body
  around the first hit, else the metadata line holding it);
- ``gongkai.json``: the version, fetched first; ``pagefind-entry.json``: Pagefind's entry.

The files keyed by page number live under a version named by the hash of everything written, so a
browser never pairs a cached record with a different page. The layout written is Pagefind's
``PAGEFIND_VERSION`` (pinned in pyproject.toml; checked against the runtime's entry file).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import cbor2

from gongkai.errors import BuildFailed

from .cbor import head
from .grams import Grams
from .join import Postings
from .markers import FILTERS
from .output import Reuse, Stat, Writer, gzipped
from .postings import PageParts, Word
from .records import Record
from .tokens import HEAD

SIGNATURE = b"pagefind_dcd"
"""Every Pagefind binary file is gzip(SIGNATURE + CBOR)."""

PAGEFIND_VERSION = "1.5.2"
"""The bundle layout this module reads and writes (pinned in pyproject.toml)."""

CHUNK_BYTES = 38_000
"""A word chunk holds words of about this many bytes compressed (postings.weight); see chunked."""

KEEP = ("pagefind.js", "pagefind-worker.js")
"""Pagefind's files the search page loads, besides its wasm.*.pagefind."""

LEAD = 300
"""Characters of a page's body in its record; many hits are in the first paragraph."""

FACET_BASE = 0x3A
"""Facet columns are strings: the character FACET_BASE + i stands for value i - 1, FACET_BASE for none.
Above the ASCII digits, so that no run of codes can look like a phone or ID number to the leak guard."""


def pack(
    records: dict[str, Record],
    parts: Iterable[tuple[str, PageParts]],
    grams: Grams,
    runtime: Path,
    bundle: Path,
    abbreviations: list[list[str]] | None = None,
    reuse: Reuse | None = None,
) -> Packed:
    """Write the bundle: the pages' index words (``parts``: each page's URL and parts, postings.py, in any
    order; each is joined as it comes, so that they are never all held at once), Pagefind's runtime from
    ``runtime``, gongkai's files; abbreviations are the groups of spellings a query term is expanded
    with (abbreviations.py). A file whose content ``reuse`` holds already is linked, not written."""
    entry = _runtime_entry(runtime)
    reuse = reuse or Reuse()
    order = numbered(records)
    numbers = {record.url: i for i, record in enumerate(order)}
    # Joined before the writer starts its threads: parts may come from worker processes forked meanwhile.
    joined = Postings(((numbers[url], page) for url, page in parts), len(order))
    bundle.mkdir(parents=True)
    (bundle / "index").mkdir()
    with Writer(bundle, reuse) as writer:
        for file in [*(runtime / name for name in KEEP), *sorted(runtime.glob("wasm.*.pagefind"))]:
            writer.put(file.name, file.read_bytes())
        chunks = _write_chunks(writer, joined)
        lengths = joined.lengths
        del joined
        meta = [PAGEFIND_VERSION, [[_name(i), length] for i, length in enumerate(lengths)], chunks, [], [], []]
        meta_name = write_hashed(bundle, "pagefind.zh", ".pf_meta", meta, 10)
        writer.note(f"{meta_name}.pf_meta")
        languages = {"zh": {"hash": meta_name.removeprefix("pagefind."), "wasm": None, "page_count": len(order)}}
        entry = {**entry, "languages": languages}  # Pagefind's other keys, such as include_characters
        writer.put("pagefind-entry.json", _json(entry).encode())
        version = _write_records(writer, order, meta_name.removeprefix("pagefind."), grams, abbreviations or [])
        return Packed(len(order), version, writer.listing(), writer.written, writer.linked)


@dataclass(frozen=True)
class Packed:
    """What pack wrote: pages, the bundle's version (gongkai.json), its files as output.Writer lists
    them, and how many were written and linked."""

    pages: int
    version: str
    files: dict[str, tuple[str, Stat]]  # path in the bundle → (key, stat_of it)
    written: int
    linked: int


def numbered(records: dict[str, Record]) -> list[Record]:
    """The pages in the order of their numbers: oldest first, so that a new document (the newest) is
    numbered last and leaves every other page its number, chunks and record. Sorting by date is sorting
    by number, descending: the newest first, pages of one date by URL, pages without a date last."""
    return sorted(records.values(), key=lambda r: (r.date == "", _negated(r.date), r.url), reverse=True)


def _negated(date: str) -> str:
    """A key that sorts ISO dates newest first."""
    return date.translate(_NEGATE)


_NEGATE = str.maketrans("0123456789", "9876543210")


def _runtime_entry(runtime: Path) -> dict[str, Any]:
    """Pagefind's entry file of the runtime run, checked to be of the layout this module writes."""
    entry: dict[str, Any] = json.loads((runtime / "pagefind-entry.json").read_text(encoding="utf-8"))
    if entry.get("version") != PAGEFIND_VERSION:
        raise BuildFailed(
            f"Pagefind 的版本与预期不同（{entry.get('version')}，需要 {PAGEFIND_VERSION}）。"
            "请按 pyproject.toml 安装固定版本的 pagefind。"
        )
    return entry


def _name(number: int) -> str:
    """A page's name in the meta: its number in base 36 (the search page reads it back)."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    name = ""
    while True:
        number, digit = divmod(number, 36)
        name = digits[digit] + name
        if number == 0:
            return name


def chunked(words: Iterable[Word]) -> Iterator[list[Word]]:
    """The words in chunks of about CHUNK_BYTES (a word is never split), cut where the words say.

    The cuts depend on the words near them only: past a chunk's first LOW_SHARE of CHUNK_BYTES, a word
    ends it with a chance of its weight in a SPREAD_SHARE of CHUNK_BYTES, drawn from its spelling's hash;
    a chunk that would pass HIGH_SHARE of it is cut before the word. A change to some words' records
    moves the cuts near them only, so the other chunks keep their bytes (and a later build links them)."""
    low, spread, high = (int(CHUNK_BYTES * share) for share in (LOW_SHARE, SPREAD_SHARE, HIGH_SHARE))
    chunk: list[Word] = []
    size = 0
    for word in words:
        if chunk and size + word.weight > high:  # a big word gets a chunk of its own
            yield chunk
            chunk, size = [], 0
        chunk.append(word)
        size += word.weight
        if size >= low and zlib.crc32(word.word.encode()) * spread < word.weight << 32:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


LOW_SHARE, SPREAD_SHARE, HIGH_SHARE = 0.5, 0.5, 2.0
"""Chunks are about (LOW_SHARE + SPREAD_SHARE) × CHUNK_BYTES, at most HIGH_SHARE × it (chunked); the
chunk holding a word is then of about the size the cuts at CHUNK_BYTES made before (medium synthetic
county: 19.4 KB on average as downloaded, against 19.5 KB; 1 286 chunks against 1 132)."""


def _write_chunks(writer: Writer, joined: Postings) -> list[list[str]]:
    """Write the words in chunks (chunked); return the meta's [from, to, name] list.

    Pagefind's browser side loads, per query word, the chunk whose range holds it; a word is never
    split. Chunks are named by number under a folder named by the hash of them all (short names keep
    the meta, which every reader downloads, small; the folder keeps them apart from another build's)."""
    work = "index/_"
    (writer.bundle / work).mkdir()
    digest = hashlib.sha1()
    chunks: list[list[str]] = []
    for chunk in chunked(joined.weighed()):
        name = _name(len(chunks))
        raw = b"".join([head(4, 1), head(4, len(chunk)), joined.records(chunk[0].number, chunk[-1].number + 1)])
        digest.update(writer.put(f"{work}/{name}.pf_index", SIGNATURE + raw, gzip=True))
        chunks.append([chunk[0].word, chunk[-1].word, name])
    writer.wait()
    version = digest.hexdigest()[:8]
    writer.rename(work, f"index/{version}")
    for before, after in pairwise(chunks):
        last, first = _prefixes(before[1], after[0])
        if last >= before[0]:  # never shorten a chunk's end below its start (a one-word chunk, say)
            before[1] = last
        after[0] = first
    return [[start, end, f"{version}/{name}"] for start, end, name in chunks]


def _prefixes(last: str, first: str) -> tuple[str, str]:
    """The shortest prefixes that still tell two neighbouring chunks apart (Pagefind's chunk_meta)."""
    common = 0
    for a, b in zip(first, last, strict=False):
        if a != b:
            break
        common += 1
    return last[: common + 1], first[: common + 1]


def _write_records(writer: Writer, order: list[Record], meta_name: str, grams: Grams, abbr: list[list[str]]) -> str:
    """facets.json and one record per page, under a version that changes whenever any of them does;
    return the version."""
    facets = []
    for name in FILTERS:
        values = sorted({r.filters[name] for r in order if name in r.filters})
        index = {value: i + 1 for i, value in enumerate(values)}
        column = "".join(chr(FACET_BASE + index.get(r.filters.get(name, ""), 0)) for r in order)
        facets.append({"name": name, "values": values, "column": column})
    files = {
        "facets.json": _json({"pages": len(order), "head": HEAD, "facets": facets}),
        "grams.json": _json({**_grams_json(grams), "abbr": abbr}),
    }
    for i, r in enumerate(order):
        body, meta = r.text.body, r.text.meta
        more = {"m": 1} if len(body) > LEAD else {}
        shown = {"u": r.url, "t": r.title, "d": r.date, "n": r.text.doc_no, "x": body[:LEAD], "h": meta, **more}
        files[f"r/{_name(i)}.json"] = _json(shown)
        if more:
            files[f"t/{_name(i)}.json"] = _json({"x": body})
    digest = hashlib.sha1(meta_name.encode())
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name].encode() + b"\0")
    version = digest.hexdigest()[:10]
    for folder in ("r", "t"):
        (writer.bundle / "gk" / version / folder).mkdir(parents=True)
    for name, text in files.items():
        writer.put(f"gk/{version}/{name}", text.encode())
    writer.put("gongkai.json", _json({"version": version}).encode())
    return version


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def read(path: Path) -> Any:
    """Decode one Pagefind binary file."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise BuildFailed(f"Pagefind 搜索索引文件无法识别：{path}")
    return cbor2.loads(data[len(SIGNATURE) :])


def write_hashed(folder: Path, prefix: str, suffix: str, record: Any, length: int) -> str:
    """Write ``record`` as ``<prefix>_<sha1>.<suffix>``, the hash lengthened past any clash; return the stem."""
    data = _encoded(record)
    digest = hashlib.sha1(data).hexdigest()
    for end in range(length, len(digest) + 1):
        path = folder / f"{prefix}_{digest[:end]}{suffix}"
        if not path.exists() or path.read_bytes() == data:
            path.write_bytes(data)
            return path.name.removesuffix(suffix)
    raise BuildFailed(f"Pagefind 搜索索引文件名冲突：{folder / prefix}")


def _encoded(record: Any) -> bytes:
    """A Pagefind binary file: gzip(SIGNATURE + CBOR), without a time stamp."""
    return _gzipped(cbor2.dumps(record))


def _gzipped(body: bytes) -> bytes:
    return gzipped(SIGNATURE + body)


def _grams_json(grams: Grams) -> dict[str, Any]:
    """What the search page needs of the grams (terms.js)."""
    return {"longest": grams.longest, "common": sorted(grams.common)}
