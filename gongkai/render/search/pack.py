"""Write the bundle the search page reads: the word index in Pagefind's format, and gongkai's files.

The bundle holds Pagefind's JavaScript and WebAssembly (from index.py's run over one small page) and:

- ``pagefind.<lang>_<hash>.pf_meta``: every page, newest first (so that sorting by date is sorting by
  page number), named by its number in base 36, its length rounded to steps about three times
  apart (used only for ranking); no filters, no sorts;
- ``index/<hash>/<n>.pf_index``: each index word of tokens.py with its pages and positions, in word
  order, chunked by about ``CHUNK_BYTES`` compressed; numbered, under a folder named by their hash;
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
import shutil
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain, pairwise
from pathlib import Path
from typing import Any

import cbor2

from gongkai.errors import BuildFailed

from .forms import aliases, fold
from .grams import Grams
from .markers import FILTERS
from .records import Record
from .text import SearchText
from .tokens import HEAD, page_words

SIGNATURE = b"pagefind_dcd"
"""Every Pagefind binary file is gzip(SIGNATURE + CBOR)."""

PAGEFIND_VERSION = "1.5.2"
"""The bundle layout this module reads and writes (pinned in pyproject.toml)."""

CHUNK_BYTES = 38_000
"""A word chunk holds words of about this many bytes compressed (_Word.weight); a bigger word is alone."""

KEEP = ("pagefind.js", "pagefind-worker.js")
"""Pagefind's files the search page loads, besides its wasm.*.pagefind."""

LEAD = 300
"""Characters of a page's body in its record; many hits are in the first paragraph."""

GZIP_LEVEL = 7
"""Pagefind files are stored gzipped: level 7 is 2 % larger than 9 at a sixth of the time (county scale)."""

FACET_BASE = 0x3A
"""Facet columns are strings: the character FACET_BASE + i stands for value i - 1, FACET_BASE for none.
Above the ASCII digits, so that no run of codes can look like a phone or ID number to the leak guard."""


def pack(
    records: dict[str, Record], grams: Grams, runtime: Path, bundle: Path, abbreviations: list[list[str]] | None = None
) -> int:
    """Write the bundle: the pages' index words, Pagefind's runtime from ``runtime``, gongkai's files;
    abbreviations are the groups of spellings a query term is expanded with (abbreviations.py)."""
    entry = _runtime_entry(runtime)
    order = sorted(records.values(), key=lambda r: (r.date == "", _negated(r.date), r.url))
    postings: dict[str, array[int]] = {}  # gram word: page, count, positions …; page word: 2 × page + in body
    pages: list[Any] = []
    for number, record in enumerate(order):
        laid = page_words(record.text.title, record.text.doc_no, indexed_rest(record.text), grams, abbreviations or [])
        pages.append([_name(number), _rounded(laid.length)])
        for word, positions in laid.words.items():
            found = postings.get(word)
            if found is None:
                found = postings[word] = array("i")
            if word[0] in _PAGE_WORDS:
                found.append(2 * number + (positions[0] >= HEAD))
            else:
                found.append(number)
                found.append(len(positions))
                found.extend(positions)
    bundle.mkdir(parents=True)
    for name in KEEP:
        shutil.copy2(runtime / name, bundle / name)
    for wasm in runtime.glob("wasm.*.pagefind"):
        shutil.copy2(wasm, bundle / wasm.name)
    (bundle / "index").mkdir()
    chunks = _write_chunks(bundle / "index", _entries(postings))
    meta = [PAGEFIND_VERSION, pages, chunks, [], [], []]
    meta_name = write_hashed(bundle, "pagefind.zh", ".pf_meta", meta, 10).removeprefix("pagefind.")
    languages = {"zh": {"hash": meta_name, "wasm": None, "page_count": len(pages)}}
    entry = {**entry, "languages": languages}  # Pagefind's other keys, such as include_characters
    (bundle / "pagefind-entry.json").write_text(_json(entry), encoding="utf-8")
    _write_records(bundle, order, meta_name, grams, abbreviations or [])
    return len(pages)


def indexed_rest(text: SearchText) -> str:
    """The text indexed after title and 文号: the rest as shown, then the other spellings of its dates."""
    return "\n".join([text.rest, *aliases(fold(text.whole))])


def _runtime_entry(runtime: Path) -> dict[str, Any]:
    """Pagefind's entry file of the runtime run, checked to be of the layout this module writes."""
    entry: dict[str, Any] = json.loads((runtime / "pagefind-entry.json").read_text(encoding="utf-8"))
    if entry.get("version") != PAGEFIND_VERSION:
        raise BuildFailed(
            f"Pagefind 的版本与预期不同（{entry.get('version')}，需要 {PAGEFIND_VERSION}）。"
            "请按 pyproject.toml 安装固定版本的 pagefind。"
        )
    return entry


@dataclass(frozen=True)
class _Word:
    """One word's record, CBOR-encoded as Pagefind reads it: [word, [[page delta, locations, []], …]]."""

    word: str
    body: bytes
    weight: int  # about its compressed size


def _entries(postings: dict[str, array[int]]) -> Iterator[_Word]:
    """Each word's record, in word order. The CBOR is written here, not by cbor2: a county has tens of
    millions of (word, page) entries, and this is several times faster (tests check it is the same).

    A page entry's locations are a weight marker (-25: weight 1), then each position as the step from
    the one before; title and 文号 rank first by their positions (tokens.HEAD), so all keep weight 1."""
    for word in sorted(postings):
        flat = postings.pop(word)
        parts = []
        previous = 0
        if word[0] in _PAGE_WORDS:
            for value in flat:
                page, body = divmod(value, 2)
                parts.append(_ENTRY + _uint(page - previous) + _PAGE_WORD[body])
                previous = page
            weight = len(flat)  # entries all alike: about a byte each, compressed
        else:
            k = 0
            while k < len(flat):
                page, count = flat[k], flat[k + 1]
                positions = flat[k + 2 : k + 2 + count]
                steps = [_uint(positions[0]), *(_uint(b - a) for a, b in pairwise(positions))]
                parts.append(b"".join([_ENTRY, _uint(page - previous), _head(4, count + 1), _MARK, *steps, _EMPTY]))
                previous, k = page, k + 2 + count
            weight = 5 * (len(flat) - len(parts)) // 2  # 2.5 bytes a position, compressed
        text = word.encode()
        yield _Word(word, b"".join([_PAIR, _head(3, len(text)), text, _head(4, len(parts)), *parts]), weight)


_PAGE_WORDS = "xy"
"""First letters of the words standing once per page (tokens.py: page words and group words)."""


def _head(major: int, value: int) -> bytes:
    """A CBOR head: major type and value, in the shortest form (as cbor2 writes it)."""
    if value < 0:
        raise ValueError(f"not a CBOR head value: {value}")
    if value < 24:
        return bytes([major << 5 | value])
    for extra, width in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * width):
            return bytes([major << 5 | extra]) + value.to_bytes(width, "big")
    raise ValueError(f"too large for CBOR: {value}")


_UINTS = [_head(0, n) for n in range(1 << 16)]


def _uint(value: int) -> bytes:
    return _UINTS[value] if 0 <= value < 1 << 16 else _head(0, value)  # a negative one raises


_ENTRY, _PAIR, _EMPTY = _head(4, 3), _head(4, 2), _head(4, 0)
_MARK = _head(1, 24)  # -25
_PAGE_WORD = (  # a page word's locations (its one position: in the head, or not), and the empty list
    _head(4, 2) + _MARK + _uint(0) + _EMPTY,
    _head(4, 2) + _MARK + _uint(HEAD) + _EMPTY,
)


def _negated(date: str) -> str:
    """A key that sorts ISO dates newest first."""
    return date.translate(_NEGATE)


_NEGATE = str.maketrans("0123456789", "9876543210")


def _rounded(words: int) -> int:
    """A page's length on a scale of steps about three times apart: enough for ranking, and it packs
    small (the meta, with every page, is part of every reader's first download)."""
    if words < 10:
        return words
    scale = 10 ** (len(str(words)) - 2)
    return min((step * scale for step in _STEPS), key=lambda value: (abs(value - words), value))


_STEPS = (10, 30, 100)


def _name(number: int) -> str:
    """A page's name in the meta: its number in base 36 (the search page reads it back)."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    name = ""
    while True:
        number, digit = divmod(number, 36)
        name = digits[digit] + name
        if number == 0:
            return name


def _write_chunks(folder: Path, words: Iterator[_Word]) -> list[list[str]]:
    """Write the words in chunks of about CHUNK_BYTES; return the meta's [from, to, name] list.

    Pagefind's browser side loads, per query word, the chunk whose range holds it; a word is never
    split. Chunks are named by number under a folder named by the hash of them all (short names keep
    the meta, which every reader downloads, small; the folder keeps them apart from another build's)."""
    work = folder / "_"
    work.mkdir()
    digest = hashlib.sha1()
    chunks: list[list[str]] = []
    chunk: list[_Word] = []
    size = 0
    for word in chain(words, [None]):
        weight = word.weight if word is not None else 0
        if chunk and (word is None or size + weight > CHUNK_BYTES):  # a big word gets a chunk of its own
            name = _name(len(chunks))
            data = _gzipped(b"".join([_head(4, 1), _head(4, len(chunk)), *(w.body for w in chunk)]))
            digest.update(data)
            (work / f"{name}.pf_index").write_bytes(data)
            chunks.append([chunk[0].word, chunk[-1].word, name])
            chunk, size = [], 0
        if word is not None:
            chunk.append(word)
            size += weight
    version = digest.hexdigest()[:8]
    work.rename(folder / version)
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


def _write_records(bundle: Path, order: list[Record], meta_name: str, grams: Grams, abbr: list[list[str]]) -> None:
    """facets.json and one record per page, under a version that changes whenever any of them does."""
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
        (bundle / "gk" / version / folder).mkdir(parents=True)
    for name, text in files.items():
        (bundle / "gk" / version / name).write_text(text, encoding="utf-8")
    (bundle / "gongkai.json").write_text(_json({"version": version}), encoding="utf-8")


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
    return gzip.compress(SIGNATURE + body, compresslevel=GZIP_LEVEL, mtime=0)


def _grams_json(grams: Grams) -> dict[str, Any]:
    """What the search page needs of the grams (terms.js)."""
    return {"longest": grams.longest, "common": sorted(grams.common)}
