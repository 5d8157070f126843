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

import functools
import gzip
import hashlib
import json
import zlib
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import cbor2
import numpy as np

from gongkai.errors import BuildFailed

from .cache import SearchCache
from .cbor import Array, head
from .grams import Grams
from .join import Postings
from .markers import FILTERS
from .output import Entry, Reuse, Writer, gzipped
from .postings import PageParts, Word
from .records import Record
from .tokens import HEAD, speller

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
FACET_END = 0xD800
"""A column holds one UTF-16 code unit per page, below the surrogates (facets.js reads them one by one)."""


def pack(
    records: dict[str, Record],
    parts: Iterable[tuple[str, PageParts]],
    grams: Grams,
    runtime: Path,
    bundle: Path,
    abbreviations: list[list[str]] | None = None,
    reuse: Reuse | None = None,
    store: SearchCache | None = None,
) -> Packed:
    """Write the bundle: the pages' index words (``parts``: each page's URL and parts, postings.py, in any
    order; each is joined as it comes, so that they are never all held at once), Pagefind's runtime from
    ``runtime``, gongkai's files; abbreviations are the groups of spellings a query term is expanded
    with (abbreviations.py). A file whose content ``reuse`` holds already is linked, not written; the
    sizes of each chunk's entries are kept in ``store`` (for delta.py)."""
    entry = _runtime_entry(runtime)
    reuse = reuse or Reuse()
    order = numbered(records)
    numbers = {record.url: i for i, record in enumerate(order)}
    # Joined before the writer starts its threads: parts may come from worker processes forked meanwhile.
    joined = Postings(((numbers[url], page) for url, page in parts), len(order), speller(grams))
    with Writer(bundle, reuse) as writer:
        for file in [*(runtime / name for name in KEEP), *sorted(runtime.glob("wasm.*.pagefind"))]:
            writer.put(file.name, file.read_bytes())
        index = Index.of(*_write_chunks(writer, joined, store or SearchCache(None)))
        lengths = joined.lengths
        del joined
        meta_name = write_meta(writer, entry, lengths, index)
        files: dict[str, str | bytes] = {
            **shared_files(grams, abbreviations or []),
            "facets.json": facets_json([r.filters for r in order]),
        }
        for i, r in enumerate(order):
            files.update(page_files(i, r))
        version = write_records(writer, meta_name, files)
        listing = writer.listing()
        return Packed(len(order), version, listing, writer.written, writer.linked, index, lengths, writer.kept)


@dataclass(frozen=True)
class Index:
    """The word index as written, as delta.py patches it: the words in order (ASCII, newline-separated),
    per word its record's size, entries and weight, per chunk its words and key (native uint32 arrays)."""

    words: bytes
    sizes: bytes
    counts: bytes
    weights: bytes
    chunks: bytes
    keys: list[str]  # of each chunk (output.Writer's: of its bytes before gzip)

    @classmethod
    def of(cls, words: list[Word], sizes: list[int], counts: list[int], chunks: list[int], keys: list[str]) -> Index:
        def packed(values: Iterable[int]) -> bytes:
            return array("I", values).tobytes()

        spelled = "\n".join(w.word for w in words).encode("ascii")
        return cls(spelled, packed(sizes), packed(counts), packed(w.weight for w in words), packed(chunks), keys)


@dataclass(frozen=True)
class Packed:
    """What pack wrote: pages, the bundle's version (gongkai.json), its files as output.Writer lists
    them, how many were written and linked (of those, found in place already: kept), the word index and the
    pages' lengths."""

    pages: int
    version: str
    files: dict[str, Entry]  # path in the bundle → (key, stat_of it, its sum)
    written: int
    linked: int
    index: Index
    lengths: list[int]
    kept: int = 0


def numbered(records: dict[str, Record]) -> list[Record]:
    """The pages in the order of their numbers: oldest first, so that a new document (the newest) is
    numbered last and leaves every other page its number, chunks and record. Sorting by date is sorting
    by number, descending: the newest first, pages of one date by URL, pages without a date last."""
    return sorted(records.values(), key=lambda r: number_key(r.date, r.url), reverse=True)


def number_key(date: str, url: str) -> tuple[bool, str, str]:
    """What numbered sorts the pages by (descending)."""
    return date == "", _negated(date), url


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


def name36(number: int) -> str:
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


def _write_chunks(
    writer: Writer, joined: Postings, store: SearchCache
) -> tuple[list[Word], list[int], list[int], list[int], list[str]]:
    """Write the words in chunks (chunked), each chunk's entries' sizes into store; return the words, their
    records' sizes and entries, the words of each chunk and each chunk's key."""
    writer.folder(CHUNKS)
    words: list[Word] = []
    sizes: list[int] = []
    chunks: list[int] = []
    keys: list[str] = []
    for chunk in chunked(joined.weighed()):
        records, record_sizes, entries = joined.laid(chunk[0].number, chunk[-1].number + 1)
        data = b"".join([SIGNATURE, head(4, 1), head(4, len(chunk)), records])
        digest = hashlib.sha1(data).hexdigest()
        writer.put(f"{CHUNKS}/{name36(len(chunks))}.pf_index", data, gzip=True, digest=digest)
        writer.later(store.keep, "entries", digest, functools.partial(entry_sizes, entries))
        words += chunk
        sizes += record_sizes.tolist()
        chunks.append(len(chunk))
        keys.append(digest)
    counts = np.diff(joined.first).tolist()
    return words, sizes, counts, chunks, keys


CHUNKS = "index/_"
"""Where the chunks are written, before their folder is named (chunk_folder)."""


def entry_sizes(sizes: Array) -> tuple[int, bytes]:
    """The sizes of a chunk's entries as the cache keeps them: (bytes per size, native array)."""
    wide = len(sizes) > 0 and int(sizes.max()) >= 1 << 16
    return (4, sizes.astype(np.uint32).tobytes()) if wide else (2, sizes.astype(np.uint16).tobytes())


def chunks_version(keys: list[str]) -> str:
    """The chunks' folder name: the hash of their keys, in letters alone. The leak guard reads every published
    path as text, and a hex hash of digits alone (one in 40) joined the chunks' names across the "/" into a
    number: ``index/18893520/630.pf_index`` held the phone 188****0630, and the build failed as leaking it. Eight
    letters tell 26⁸ bundles apart."""
    digest = hashlib.sha1()
    for k in keys:
        digest.update(bytes.fromhex(k))
    return "".join(chr(ord("a") + byte % 26) for byte in digest.digest()[:8])


def chunk_folder(writer: Writer, index: Index) -> list[list[str]]:
    """Name the chunks' folder by the hash of them all (short names keep the meta, which every reader
    downloads, small; the folder keeps them apart from another build's); return the meta's
    [from, to, name] list.

    Pagefind's browser side loads, per query word, the chunk whose range holds it; a word is never split."""
    version = chunks_version(index.keys)
    writer.rename(CHUNKS, f"index/{version}")
    words = index.words.decode("ascii").split("\n")
    chunks: list[list[str]] = []
    at = 0
    for i, count in enumerate(array("I", index.chunks)):
        chunks.append([words[at], words[at + count - 1], name36(i)])
        at += count
    for before, after in pairwise(chunks):
        last, first = _prefixes(before[1], after[0])
        if last >= before[0]:  # never shorten a chunk's end below its start (a one-word chunk, say)
            before[1] = last
        after[0] = first
    return [[start, end, f"{version}/{name}"] for start, end, name in chunks]


def write_meta(writer: Writer, entry: dict[str, Any], lengths: list[int], index: Index) -> str:
    """Write the meta and Pagefind's entry; return the meta's stem."""
    chunks = chunk_folder(writer, index)
    meta = [PAGEFIND_VERSION, [[name36(i), length] for i, length in enumerate(lengths)], chunks, [], [], []]
    meta_name = write_hashed(writer.bundle, "pagefind.zh", ".pf_meta", meta, 10)
    writer.note(f"{meta_name}.pf_meta")
    languages = {"zh": {"hash": meta_name.removeprefix("pagefind."), "wasm": None, "page_count": len(lengths)}}
    entry = {**entry, "languages": languages}  # Pagefind's other keys, such as include_characters
    writer.put("pagefind-entry.json", _json(entry).encode())
    return meta_name


def _prefixes(last: str, first: str) -> tuple[str, str]:
    """The shortest prefixes that still tell two neighbouring chunks apart (Pagefind's chunk_meta)."""
    common = 0
    for a, b in zip(first, last, strict=False):
        if a != b:
            break
        common += 1
    return last[: common + 1], first[: common + 1]


def shared_files(grams: Grams, abbreviations: list[list[str]]) -> dict[str, str]:
    """grams.json."""
    return {"grams.json": _json({**_grams_json(grams), "abbr": abbreviations})}


def facets_json(filters: list[dict[str, str]]) -> str:
    """facets.json: each facet's values and, per page (in number order), its value's index."""
    facets = []
    for name in FILTERS:
        values = sorted({f[name] for f in filters if name in f})
        if FACET_BASE + len(values) >= FACET_END:
            raise BuildFailed(
                f"搜索筛选项「{name}」有 {len(values)} 个不同的值，"
                f"超过了搜索页能容纳的 {FACET_END - FACET_BASE - 1} 个。"
                "请检查这一项是否填错了列（例如把文号或标题填进了这一项）"
            )
        index = {value: i + 1 for i, value in enumerate(values)}
        column = "".join(chr(FACET_BASE + index.get(f.get(name, ""), 0)) for f in filters)
        facets.append({"name": name, "values": values, "column": column})
    return _json({"pages": len(filters), "head": HEAD, "facets": facets})


def page_files(number: int, r: Record) -> dict[str, str]:
    """A page's record (r/) and, for a longer body, its whole text (t/)."""
    body, meta = r.text.body, r.text.meta
    more = {"m": 1} if len(body) > LEAD else {}
    shown = {"u": r.url, "t": r.title, "d": r.date, "n": r.text.doc_no, "x": body[:LEAD], "h": meta, **more}
    files = {f"r/{name36(number)}.json": _json(shown)}
    if more:
        files[f"t/{name36(number)}.json"] = _json({"x": body})
    return files


RECORD_FOLDERS = ("r", "t")
"""The folders of a bundle's version folder (gk/<version>/): the pages' records and their whole texts."""


def write_records(writer: Writer, meta_name: str, files: dict[str, str | bytes]) -> str:
    """Write facets.json, grams.json and the pages' files (text, or the key of an earlier file of the
    same bytes, to be linked) under a version that changes whenever any of them does; return the version."""
    keys = {name: bytes.fromhex(v.decode()) if isinstance(v, bytes) else hashlib.sha1(v.encode()).digest()
            for name, v in files.items()}  # fmt: skip
    digest = hashlib.sha1(meta_name.encode())
    for name in sorted(keys):
        digest.update(name.encode() + b"\0" + keys[name] + b"\0")
    version = digest.hexdigest()[:10]
    writer.folder(f"gk/{version}", RECORD_FOLDERS)
    folder = f"gk/{version}/"
    writer.must_link_all([(folder + name, value.decode()) for name, value in files.items() if isinstance(value, bytes)])
    for name, value in files.items():
        if not isinstance(value, bytes):
            writer.put(folder + name, value.encode(), digest=keys[name].hex())
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
    """Write ``record`` as ``<prefix>_<sha1>.<suffix>``, the hash lengthened past any clash; return the stem. A file
    of those bytes there already is left as it is, and a new one is made exclusively (``x``): never written
    through a file found there (in a kept staging tree, a link of a published file)."""
    data = _encoded(record)
    digest = hashlib.sha1(data).hexdigest()
    for end in range(length, len(digest) + 1):
        path = folder / f"{prefix}_{digest[:end]}{suffix}"
        if path.is_symlink():
            path.unlink()  # never followed
        if path.is_file() and path.read_bytes() == data:
            return path.name.removesuffix(suffix)
        if not path.exists():
            with open(path, "xb") as file:
                file.write(data)
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
