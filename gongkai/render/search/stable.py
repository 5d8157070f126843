"""Make Pagefind's bundle reproducible: rewrite its filter chunks, which list values in hash-map order.

Pagefind 1.5 names every binary file by the SHA-1 of its CBOR content and fills the filter chunks
and the meta's filter list from Rust hash maps, whose order changes from run to run (Pagefind issue
#638; there is no option to turn it off). Here each filter chunk is decoded, its values sorted,
re-encoded, renamed by its new content hash, and the references in the meta file and in
``pagefind-entry.json`` rewritten the same way. Pagefind's JavaScript fetches files by these names
and never checks the hashes; the names only have to change when the content does.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import cbor2

from gongkai.errors import BuildFailed

SIGNATURE = b"pagefind_dcd"
"""Every Pagefind binary file is gzip(SIGNATURE + CBOR)."""

META_FILTERS = 3
"""Position of ``[[filter name, chunk hash], …]`` in the pf_meta record (version, pages, chunks, filters, …)."""

FILTER_HASH_LENGTH = 7
META_HASH_LENGTH = 10


def stabilise(bundle: Path) -> None:
    """Rewrite the filter chunks, meta files and entry of the Pagefind bundle in a canonical order."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        language["hash"] = _stabilise_language(bundle, language["hash"])
    entry["languages"] = dict(sorted(entry["languages"].items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _stabilise_language(bundle: Path, meta_hash: str) -> str:
    """Rewrite one language's filter chunks and meta file; return the meta file's new hash."""
    language = meta_hash.rpartition("_")[0]
    meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
    meta = read(meta_path)
    chunks = {name: read(bundle / "filter" / f"{chunk}.pf_filter") for name, chunk in _filter_list(meta, meta_path)}
    for _, chunk in meta[META_FILTERS]:
        (bundle / "filter" / f"{chunk}.pf_filter").unlink()
    meta[META_FILTERS] = [
        [name, write_hashed(bundle / "filter", language, ".pf_filter", _sorted_chunk(chunks[name]), FILTER_HASH_LENGTH)]
        for name in sorted(chunks)
    ]
    meta_path.unlink()
    return write_hashed(bundle, f"pagefind.{language}", ".pf_meta", meta, META_HASH_LENGTH).removeprefix("pagefind.")


def _filter_list(meta: Any, meta_path: Path) -> list[tuple[str, str]]:
    """The (filter, chunk hash) pairs of the meta; refuse a layout this module does not know."""
    try:
        pairs = [(str(name), str(chunk)) for name, chunk in meta[META_FILTERS]]
    except (IndexError, TypeError, ValueError) as error:
        raise BuildFailed(f"Pagefind 搜索索引的格式与预期不同（{meta_path.name}），无法固定其内容顺序。") from error
    return pairs


def _sorted_chunk(chunk: list[Any]) -> list[Any]:
    """A filter chunk ``[filter, [[value, [pages]], …]]`` with its values in order."""
    name, values = chunk
    return [name, sorted(values, key=lambda value: value[0])]


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
    data = gzip.compress(SIGNATURE + body, compresslevel=9, mtime=0)
    for end in range(length, len(digest) + 1):
        path = folder / f"{prefix}_{digest[:end]}{suffix}"
        if not path.exists() or path.read_bytes() == data:
            path.write_bytes(data)
            return path.name.removesuffix(suffix)
    raise BuildFailed(f"Pagefind 搜索索引文件名冲突：{folder / prefix}")
