"""Load documents: Markdown files under content/documents/ whose YAML front matter is the metadata block."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import os
import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import Problem
from ..model import Document
from ..model.schema import SLUG, SLUG_DOC
from ..workers import worker_pool
from .attachments import resolve_attachments
from .cache import LoadCache, Missing, Parsed, name_loaded
from .docno import normalise_doc_no
from .files import decode_text, rel_path
from .records import build
from .tree import hidden, walk
from .yamlsrc import parse_yaml

CONTENT_DIR = "content"
DOCUMENTS_DIR = "content/documents"
_PARALLEL_FROM = 2000  # below this, process start-up costs more than it saves
_SLUG = re.compile(SLUG)


def load_documents(root: Path, cache: LoadCache | None = None) -> tuple[list[Document], list[Problem]]:
    """Every document under content/documents/, in path order."""
    cache = cache or LoadCache(None)
    files = sorted(_markdown(root), key=lambda item: item[0].split("/"))  # Path order
    results: dict[str, tuple[Document | None, list[Problem]]] = {}
    names: dict[str, str] = {}  # the cache entry each document was parsed from (named_loaded), by file
    if cache.folder is not None and len(files) >= _PARALLEL_FROM:
        with cache.probing():  # what the cache holds here, the rest on every core
            for rel, path in files:
                with contextlib.suppress(Missing):
                    results[rel] = _load_document(path, rel, root, cache, names)
    missing = [(rel, path) for rel, path in files if rel not in results]
    if len(missing) >= _PARALLEL_FROM:  # parsed on every core
        jobs = [(path, rel) for rel, path in missing]
        with worker_pool(os.cpu_count() or 1, initializer=gc.enable) as pool:  # forked while load pauses it
            if cache.folder is None:  # nothing is kept: the documents themselves come back
                loaded = pool.map(functools.partial(_loaded, root), jobs, chunksize=200)
                for (rel, _), (doc, problems, name) in zip(missing, loaded, strict=True):
                    results[rel] = doc, problems
                    if name is not None:
                        names[rel] = name
            else:  # their entries come back, kept in the cache, where the documents are loaded from below
                for entry in pool.map(functools.partial(_parsed_entry, cache.folder, cache.code), jobs, chunksize=200):
                    if entry is not None:
                        cache.adopt(*entry)
    results.update((rel, _load_document(path, rel, root, cache, names)) for rel, path in missing if rel not in results)
    documents = [doc for doc, _ in (results[rel] for rel, _ in files) if doc is not None]
    name_loaded({rel: doc for rel, (doc, _) in results.items() if doc is not None}, names)
    return documents, [problem for rel, _ in files for problem in results[rel][1]]


def _markdown(root: Path) -> Iterator[tuple[str, str]]:
    """Each document's Markdown file: its path from the root ("/"-separated: no Path made for each of a county's
    documents) and its full path. A hidden one (an editor's copy, a Mac's ._x.md) is none: MkDocs publishes none."""
    start = len(os.fspath(root)) + 1
    for entry in walk(root / DOCUMENTS_DIR):
        if entry.name.endswith(".md"):
            rel = entry.path[start:].replace(os.sep, "/")
            if not hidden(rel):
                yield rel, entry.path


def _parsed_entry(folder: Path, code: bytes | None, job: tuple[str, str]) -> tuple[str, Parsed] | None:
    """The cache entry a worker process parsed the document ``job`` (path, rel) into: its name and records, for the
    parent to keep (``LoadCache.adopt``) and load the document from (its attachments looked up there); None when
    none was made (a name refused before parsing)."""
    path, rel = job
    cache = LoadCache(folder, code, packed=False)
    _parse_only(path, rel, cache)
    return cache.entry_made()


def _loaded(root: Path, job: tuple[str, str]) -> tuple[Document | None, list[Problem], str | None]:
    """The document ``job`` (path, rel) loaded on a worker process without a cache, with the name its entry would
    have (``LoadCache.last``: the check cache keys the body by it)."""
    path, rel = job
    cache = LoadCache(None)
    doc, problems = _load_document(path, rel, root, cache)
    return doc, problems, cache.last


def document_paths(root: Path) -> Iterator[Path]:
    """The Markdown files that are documents, as ``rglob("*.md")`` finds them less the hidden ones (``_markdown``)."""
    return (Path(path) for _, path in _markdown(root))


def load_document(path: Path, root: Path, cache: LoadCache | None = None) -> tuple[Document | None, list[Problem]]:
    """One document from its Markdown file."""
    return _load_document(os.fspath(path), rel_path(path, root), root, cache)


def _load_document(
    path: str, rel: str, root: Path, cache: LoadCache | None, names: dict[str, str] | None = None
) -> tuple[Document | None, list[Problem]]:
    """load_document of the file ``path`` (``rel`` from the root): no Path made for each of a county's documents;
    ``names``: given the name of the cache entry it was parsed from."""
    cache = cache or LoadCache(None)
    doc, problems = _parse_only(path, rel, cache)
    if names is not None and cache.last is not None:
        names[rel] = cache.last
    if doc is None or not doc.attachments:
        return doc, problems
    return resolve_attachments(doc, Path(path), root)


def _parse_only(path: str, rel: str, cache: LoadCache) -> tuple[Document | None, list[Problem]]:
    """The document of the file ``path`` as parsed through ``cache`` (its attachments not looked up)."""
    cache.last = None
    slug = rel.removeprefix(CONTENT_DIR + "/").removesuffix(".md")
    if not all(_SLUG.fullmatch(part) for part in slug.split("/")):
        return None, [Problem(rel, None, "", "文件名不能用作网址", f"{SLUG_DOC}，例如 2026-0305-nyj-012.md")]
    name = os.path.basename(path)
    if _stem(name).lower() in ("index", "readme"):
        return None, [
            Problem(
                rel,
                None,
                "",
                f"文件名不能是「{name}」（会与栏目页面的网址冲突）",
                "请改用能说明内容的文件名，例如 2026-0305-nyj-012.md",
            )
        ]
    return cache.parse("document", path, rel, functools.partial(_parse, rel, slug), slug)


def _stem(name: str) -> str:
    """``PurePosixPath(name).stem``."""
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def parse_document(data: bytes, rel: str) -> Document | None:
    """The document the bytes ``data`` of its file ``rel`` (content/documents/…) hold, as load_document parses
    them, attachments not looked up; None when they hold none."""
    text, _ = decode_text(data, rel)
    slug = rel.removeprefix(CONTENT_DIR + "/").removesuffix(".md")
    return None if text is None else _parse(rel, slug, text)[0]


def _parse(rel: str, slug: str, text: str) -> tuple[Document | None, list[Problem]]:
    """A document from its text, attachments not yet looked up (they are not the file's)."""
    front, body, body_line = split_front_matter(text)
    if front is None:
        return None, [
            Problem(
                rel,
                1,
                "",
                "文件开头缺少元数据（以「---」开头和结尾的 YAML）",
                "在第一行写「---」，接着写索引号、文号等字段，再写一行「---」",
            )
        ]
    data, problems = parse_yaml(front, rel, first_line=2)
    if problems:
        return None, problems
    doc, problems = build(Document, data, rel, body=body, body_line=body_line, slug=slug)
    if doc is not None:
        doc = dataclasses.replace(doc, doc_no=normalise_doc_no(doc.doc_no), doc_no_raw=doc.doc_no)
    return doc, problems


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter, body, line where the body starts); front matter is None when absent."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for number, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return "\n".join(lines[1:number]), "\n".join(lines[number + 1 :]), number + 2
    return None, text, 1
