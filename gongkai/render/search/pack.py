"""Join the Pagefind runs over the shards into the one bundle the search page reads.

Pagefind writes, per run, a meta file (page list, word-chunk list), word chunks, filter chunks
and one fragment per page. The search page needs only Pagefind's word search, so the bundle
published here keeps Pagefind's JavaScript, its WebAssembly and, rewritten:

- ``pagefind.<lang>_<hash>.pf_meta``: every page of every shard, newest first (so that sorting by
  date is sorting by page number), named by its number in base 36, its word count rounded to steps
  about 20 % apart (used only for ranking); no filters, no sorts;
- ``index/*.pf_index``: each word's pages from all shards, renumbered and merged, chunked as
  Pagefind chunks them (``CHUNK_LOCATIONS``), named by content hash;
- ``gk/<version>/facets.json``: each facet's values and, per page, the index of its value;
- ``gk/<version>/r/<page>.json``: what a result shows (URL, title, date, 文号, the first LEAD
  characters of its text) and, for a longer text, ``t/<page>.json`` with all of it, fetched only
  when no term is in the lead (the excerpt needs the text around the first hit);
- ``gongkai.json``: the version, fetched first; ``pagefind-entry.json``: Pagefind's entry.

The files keyed by page number live under a version named by the hash of everything written, so a
browser never pairs a cached record with a different page. The layout of Pagefind's files is
checked on reading (``PAGEFIND_VERSION``); tests/render/test_search_pack.py runs the real binary.
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
import itertools
import json
import re
import shutil
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import cbor2

from gongkai.errors import BuildFailed

from .markers import FILTERS
from .shadow import HEAD, Record

SIGNATURE = b"pagefind_dcd"
"""Every Pagefind binary file is gzip(SIGNATURE + CBOR)."""

PAGEFIND_VERSION = "1.5.2"
"""The bundle layout this module reads and writes (pinned in pyproject.toml)."""

CHUNK_LOCATIONS = 20_000
"""A word chunk ends once it holds this many page entries and word positions (Pagefind's own rule)."""

KEEP = ("pagefind.js", "pagefind-worker.js")
"""Pagefind's files the search page loads, besides its wasm.*.pagefind."""

LEAD = 300
"""Characters of a page's text in its record; most hits are in the metadata and first paragraph."""

GZIP_LEVEL = 7
"""Pagefind files are stored gzipped: level 7 is 2 % larger than 9 at a sixth of the time (county scale)."""

FACET_BASE = 0x3A
"""Facet columns are strings: the character FACET_BASE + i stands for value i - 1, FACET_BASE for none.
Above the ASCII digits, so that no run of codes can look like a phone or ID number to the leak guard."""

# Positions in Pagefind's meta record.
_PAGES, _CHUNKS, _META_FIELDS = 1, 2, 5


@dataclass(frozen=True)
class Shard:
    """One Pagefind run's output: its meta record and folder."""

    folder: Path
    entry: dict[str, Any]  # pagefind-entry.json
    meta: list[Any]
    urls: list[str]  # page number → URL


def pack(outputs: list[Path], records: dict[str, Record], bundle: Path) -> int:
    """Write the bundle from the Pagefind outputs of the shards; return the number of pages."""
    shards = [_open(folder, records) for folder in outputs]
    order = sorted(records.values(), key=lambda r: (r.date == "", _negated(r.date), r.url))
    number = {r.url: i for i, r in enumerate(order)}
    pages: list[Any] = [None] * len(order)
    for shard in shards:
        for url, (_, words) in zip(shard.urls, shard.meta[_PAGES], strict=True):
            pages[number[url]] = [_name(number[url]), _rounded(words)]
    if any(page is None for page in pages):
        missing = [r.url for r, page in zip(order, pages, strict=True) if page is None][:3]
        raise BuildFailed(f"搜索索引缺少页面：{'、'.join(missing)}。")
    bundle.mkdir(parents=True)
    for name in KEEP:
        shutil.copy2(shards[0].folder / name, bundle / name)
    for wasm in shards[0].folder.glob("wasm.*.pagefind"):
        shutil.copy2(wasm, bundle / wasm.name)
    (bundle / "index").mkdir()
    remap = [[number[url] for url in shard.urls] for shard in shards]
    chunks, spans = _write_chunks(bundle / "index", _merged_words(shards, remap))
    fields = sorted({str(f) for shard in shards for f in shard.meta[_META_FIELDS]})
    meta = [PAGEFIND_VERSION, pages, chunks, [], [], fields]
    meta_name = write_hashed(bundle, "pagefind.zh", ".pf_meta", meta, 10).removeprefix("pagefind.")
    languages = {"zh": {"hash": meta_name, "wasm": None, "page_count": len(pages)}}
    entry = {**shards[0].entry, "languages": languages}  # Pagefind's other keys, such as include_characters
    (bundle / "pagefind-entry.json").write_text(_json(entry), encoding="utf-8")
    _write_records(bundle, order, meta_name, spans)
    return len(pages)


def _negated(date: str) -> str:
    """A key that sorts ISO dates newest first."""
    return date.translate(_NEGATE)


_NEGATE = str.maketrans("0123456789", "9876543210")


def _rounded(words: int) -> int:
    """A page's word count on a scale of steps about 20 % apart: all ranking needs, and it packs smaller."""
    if words < 10:
        return words
    scale = 10 ** (len(str(words)) - 2)
    return min((step * scale for step in _STEPS), key=lambda value: (abs(value - words), value))


_STEPS = (10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100)


def _name(number: int) -> str:
    """A page's name in the meta: its number in base 36 (the search page reads it back)."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    name = ""
    while True:
        number, digit = divmod(number, 36)
        name = digits[digit] + name
        if number == 0:
            return name


def _open(folder: Path, records: dict[str, Record]) -> Shard:
    entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    if entry.get("version") != PAGEFIND_VERSION or list(entry["languages"]) != ["zh"]:
        raise BuildFailed(
            f"Pagefind 输出的格式与预期不同（版本 {entry.get('version')}，需要 {PAGEFIND_VERSION}）。"
            "请按 pyproject.toml 安装固定版本的 pagefind。"
        )
    meta = read(folder / f"pagefind.{entry['languages']['zh']['hash']}.pf_meta")
    urls = []
    for name, _ in meta[_PAGES]:
        url = unquote(_fragment_url(folder / "fragment" / f"{name}.pf_fragment")).removeprefix("/")
        if url not in records:
            raise BuildFailed(f"搜索索引中的页面 {url} 没有对应的网页。")
        urls.append(url)
    return Shard(folder, entry, meta, urls)


def _fragment_url(path: Path) -> str:
    """The URL of a page's fragment, read from its first bytes (the fragment opens with it)."""
    head = zlib.decompressobj(wbits=31).decompress(path.read_bytes(), 8192).removeprefix(SIGNATURE)
    found = _URL.match(head.decode("utf-8", errors="ignore"))
    if found is None:
        raise BuildFailed(f"Pagefind 搜索索引文件无法识别：{path}")
    return str(json.loads(found.group(1)))


_URL = re.compile(r'\{"url":("(?:[^"\\]|\\.)*")')


def _shard_words(shard: Shard, remap: list[int]) -> Iterator[tuple[str, list[Any], list[Any]]]:
    """(word, [(page, locations, extra)], variants) of one shard in word order, pages renumbered."""
    for _, _, chunk in shard.meta[_CHUNKS]:
        for entry in read(shard.folder / "index" / f"{chunk}.pf_index")[0]:
            word, pages, *rest = entry
            variants = [[form, _absolute(p, remap)] for form, p in (rest[0] if rest else [])]
            yield word, _absolute(pages, remap), variants


def _absolute(pages: list[Any], remap: list[int]) -> list[Any]:
    """Pagefind's [[page delta, locations, extra], …] as [[new page, locations, extra], …]."""
    out, page = [], 0
    for delta, *rest in pages:
        page += delta
        out.append([remap[page], *rest])
    return out


def _merged_words(shards: list[Shard], remap: list[list[int]]) -> Iterator[list[Any]]:
    """Each word of all shards once, in Pagefind's word order, its pages merged and delta-coded again."""
    streams = [_shard_words(shard, numbers) for shard, numbers in zip(shards, remap, strict=True)]
    word, pages, variants = None, [], {}  # type: ignore[var-annotated]
    for next_word, next_pages, next_variants in heapq.merge(*streams, key=lambda item: item[0]):
        if next_word != word:
            if word is not None:
                yield _packed(word, pages, variants)
            word, pages, variants = next_word, [], {}
        pages.extend(next_pages)
        for form, form_pages in next_variants:
            variants.setdefault(form, []).extend(form_pages)
    if word is not None:
        yield _packed(word, pages, variants)


def _packed(word: str, pages: list[Any], variants: dict[str, list[Any]]) -> list[Any]:
    return [word, _deltas(pages), [[form, _deltas(p)] for form, p in sorted(variants.items())]]


def _deltas(pages: list[Any]) -> list[Any]:
    pages.sort(key=lambda page: page[0])
    out, previous = [], 0
    for page, *rest in pages:
        out.append([page - previous, *rest])
        previous = page
    return out


def _write_chunks(folder: Path, words: Iterator[list[Any]]) -> tuple[list[list[str]], dict[str, list[str]]]:
    """Write the words in chunks as Pagefind cuts them; return the meta's [from, to, hash] list and the spans.

    Pagefind's browser side loads one chunk per query word, so a one-character query (the prefix of
    every bigram its character starts) would miss bigrams in later chunks. spans lists, per character
    whose bigrams run on into further chunks, the first word of each: search.js preloads them."""
    chunks: list[list[str]] = []
    chunk: list[Any] = []
    size = 0
    for word in words:
        chunk.append(word)
        size += sum(len(page[1]) + len(page[2]) + 1 for page in word[1])
        if size >= CHUNK_LOCATIONS:
            chunks.append(_write_chunk(folder, chunk))
            chunk, size = [], 0
    if chunk:
        chunks.append(_write_chunk(folder, chunk))
    spans: dict[str, list[str]] = {}
    for before, after in itertools.pairwise(chunks):  # first and last words, not yet shortened
        if _first_code(before[1]) == _first_code(after[0]):
            spans.setdefault(_first_code(after[0]), []).append(after[0])
    for before, after in itertools.pairwise(chunks):
        last, first = _prefixes(before[1], after[0])
        if last >= before[0]:  # never shorten a chunk's end below its start (a one-word chunk, say)
            before[1] = last
        after[0] = first
    return chunks, spans


def _first_code(word: str) -> str:
    """The code of a bigram word's first character (tokens.py: 'z' + 4 digits, or 3 digits)."""
    return word[:5] if word.startswith("z") else word[:3]


def _write_chunk(folder: Path, words: list[Any]) -> list[str]:
    return [words[0][0], words[-1][0], write_hashed(folder, "zh", ".pf_index", [words], 7)]


def _prefixes(last: str, first: str) -> tuple[str, str]:
    """The shortest prefixes that still tell two neighbouring chunks apart (Pagefind's chunk_meta)."""
    common = 0
    for a, b in zip(first, last, strict=False):
        if a != b:
            break
        common += 1
    return last[: common + 1], first[: common + 1]


def _write_records(bundle: Path, order: list[Record], meta_name: str, spans: dict[str, list[str]]) -> None:
    """facets.json and one record per page, under a version that changes whenever any of them does."""
    facets = []
    for name in FILTERS:
        values = sorted({r.filters[name] for r in order if name in r.filters})
        index = {value: i + 1 for i, value in enumerate(values)}
        column = "".join(chr(FACET_BASE + index.get(r.filters.get(name, ""), 0)) for r in order)
        facets.append({"name": name, "values": values, "column": column})
    files = {"facets.json": _json({"pages": len(order), "head": HEAD, "facets": facets}), "spans.json": _json(spans)}
    for i, r in enumerate(order):
        lead = {"x": r.text[:LEAD], "m": 1} if len(r.text) > LEAD else {"x": r.text}
        files[f"r/{_name(i)}.json"] = _json({"u": r.url, "t": r.title, "d": r.date, "n": r.doc_no, **lead})
        if len(r.text) > LEAD:
            files[f"t/{_name(i)}.json"] = _json({"x": r.text})
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
    body = cbor2.dumps(record)
    digest = hashlib.sha1(body).hexdigest()
    data = gzip.compress(SIGNATURE + body, compresslevel=GZIP_LEVEL, mtime=0)
    for end in range(length, len(digest) + 1):
        path = folder / f"{prefix}_{digest[:end]}{suffix}"
        if not path.exists() or path.read_bytes() == data:
            path.write_bytes(data)
            return path.name.removesuffix(suffix)
    raise BuildFailed(f"Pagefind 搜索索引文件名冲突：{folder / prefix}")
