"""Scan every file of a built site for personal numbers: text, gzip and Pagefind, XLSX, and PDF text."""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..workers import worker_pool
from .patterns import Found, find_numbers

log = logging.getLogger(__name__)

IMAGES_AND_FONTS = {".png", ".jpg", ".jpeg", ".gif", ".ico", ".webp", ".woff", ".woff2", ".ttf", ".otf", ".eot"}
_GZIP = b"\x1f\x8b"
_ZERO_WIDTH_SPACE = "\u200b".encode()
_ZIPPED_XML = {".xlsx", ".docx", ".pptx", ".ofd"}  # text lives in the XML parts of a zip
_CACHE_VERSION = "1"  # bump when the patterns change, so cached PDF results are not trusted
_PARALLEL_FROM = 8  # PDFs to read before a process pool pays for itself


@dataclass(frozen=True, order=True)
class Leak:
    """A personal number in one output file; ``path`` is relative to the site root."""

    path: str
    found: Found


def scan_site(site_dir: Path, allow: frozenset[str], cache_dir: Path | None = None) -> list[Leak]:
    """Every personal number in every file under ``site_dir``, except the allowed ones."""
    files = sorted(p for p in site_dir.rglob("*") if p.is_file() and p.suffix.lower() not in IMAGES_AND_FONTS)
    pdfs = [p for p in files if p.suffix.lower() == ".pdf"]
    leaks = [
        Leak(p.relative_to(site_dir).as_posix(), found)
        for p in files
        if p.suffix.lower() != ".pdf"
        for found in find_numbers(file_bytes(p), allow)
    ]
    for path, found in zip(pdfs, _pdf_numbers(pdfs, cache_dir), strict=True):
        rel = path.relative_to(site_dir).as_posix()
        leaks += [Leak(rel, f) for f in found if f.number not in allow]
    return sorted(leaks)


def file_bytes(path: Path) -> bytes:
    """The bytes to scan: gzip (.gz, Pagefind's pf_* files) decompressed, an XLSX, DOCX or OFD's XML parts joined."""
    # Pagefind segments Chinese text with zero-width spaces, also between the groups of 138-1234-5678.
    return _read(path).replace(_ZERO_WIDTH_SPACE, b"")


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    if data[:2] == _GZIP:
        try:
            return gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            return data
    if path.suffix.lower() in _ZIPPED_XML:
        return _zipped_xml(path, data)
    return data


def _zipped_xml(path: Path, data: bytes) -> bytes:
    try:
        with zipfile.ZipFile(path) as book:
            return b"\n".join(book.read(n) for n in book.namelist() if n.endswith((".xml", ".rels")))
    except (zipfile.BadZipFile, OSError, zlib.error):
        return data


def _pdf_numbers(pdfs: list[Path], cache_dir: Path | None) -> list[set[Found]]:
    """Every number in each PDF's text, from the cache (keyed by the PDF's sha256) when possible."""
    keys = [hashlib.sha256(p.read_bytes()).hexdigest() for p in pdfs]
    results = [_cached(cache_dir, key) for key in keys]
    missing = [i for i, r in enumerate(results) if r is None]
    paths = [pdfs[i] for i in missing]
    if len(paths) >= _PARALLEL_FROM:
        with worker_pool(os.cpu_count() or 1) as pool:
            fresh = list(pool.map(pdf_numbers, paths, chunksize=4))
    else:
        fresh = [pdf_numbers(p) for p in paths]
    for i, found in zip(missing, fresh, strict=True):
        results[i] = found
        _store(cache_dir, keys[i], found)
    return [r or set() for r in results]


def pdf_numbers(path: Path) -> set[Found]:
    """Every number in a PDF's extracted text (all of them: the allow-list is applied later)."""
    return find_numbers(pdf_text(path).encode())


def pdf_text(path: Path) -> str:
    """A PDF's text; for a file pypdf cannot read, its raw bytes (which still show uncompressed text)."""
    from pypdf import PdfReader  # slow to import; only PDFs need it

    try:
        return "\n".join(page.extract_text() for page in PdfReader(path).pages)
    except Exception as err:  # pypdf raises many kinds for a damaged file
        log.warning("无法读取 PDF 文字（%s），按原始字节检查：%s", type(err).__name__, path)
        return path.read_bytes().decode("latin-1")


def _cached(cache_dir: Path | None, key: str) -> set[Found] | None:
    path = cache_dir / f"{_CACHE_VERSION}-{key}.json" if cache_dir else None
    if path is None or not path.is_file():
        return None
    try:
        return {Found(kind, number) for kind, number in json.loads(path.read_text(encoding="utf-8"))}
    except (ValueError, TypeError):
        return None  # a damaged cache entry is read again from the PDF


def _store(cache_dir: Path | None, key: str, found: set[Found]) -> None:
    if cache_dir is None:
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(sorted([f.kind, f.number] for f in found), ensure_ascii=False)
    (cache_dir / f"{_CACHE_VERSION}-{key}.json").write_text(text, encoding="utf-8")
