"""Index the built site: read the indexed pages, find the common grams, write the bundle.

Pagefind's own Chinese segmentation (jieba at build time, Intl.Segmenter in the browser) disagrees
with itself, and its indexer can put one word only at each position; the index here stands several
grams at each character (tokens.py, grams.py). So pack.py writes the word index in Pagefind's format
itself, and Pagefind (the extended binary, the one tested with zh) is run over one small page only, for
the runtime the search page loads: pagefind.js, its worker and its WebAssembly.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import logging
import os
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from operator import itemgetter
from pathlib import Path, PurePosixPath
from typing import Any

from gongkai.cachefile import entries
from gongkai.cancel import checkpoint
from gongkai.errors import BuildFailed, EnvironmentProblem
from gongkai.model import Abbreviation

from . import delta as delta_module
from . import grams as grams_module
from . import output as output_module
from . import pack as pack_module
from .abbreviations import groups
from .cache import SearchCache, key
from .columns import read_rows, read_strings, rows, strings
from .delta import Listed, State, Unpatchable, patch
from .derived import grams_name, grams_used, pages_parts_of, stored_grams, stored_parts
from .grams import Grams, common_grams, sample
from .output import OWN, SUM_BYTES, Entry, Linked, NotLinked, Reuse, Writer, stat_from, stat_of
from .pack import RECORD_FOLDERS, numbered, pack
from .postings import PageParts
from .records import Record, load_records, scan
from .text import SearchText
from .tokens import runs

log = logging.getLogger(__name__)

LANGUAGE = "zh"
"""Forced on every page: one index, segmented as Chinese, whatever a page's lang attribute says."""

# Pagefind says this when it indexes only pages marked data-pagefind-body; otherwise it
# falls back to indexing every page whole, listings and search page included.
_BODY_FOUND = "Found a data-pagefind-body element on the site"


_RUNTIME_PAGE = (
    '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>gongkai</title></head>'
    "<body><main data-pagefind-body><p>gongkai</p></main></body></html>\n"
)


@dataclass(frozen=True)
class SearchReport:
    """What indexing produced."""

    pages: int
    common: int  # common grams
    seconds: float
    bundle_bytes: int
    files: int
    written: int = 0  # files of the bundle written
    linked: int = 0  # … and linked from the previous bundle (the rest are Pagefind's runtime and the meta)
    cached: int = 0  # pages whose index words came from the cache (or from the previous bundle, patched)
    patched: bool = False  # the previous bundle patched (delta.py), not built in full
    kept: int = 0  # of the files linked, those the staging tree held already (the kept old site's: output.py)


def build_index(
    site_dir: Path,
    *,
    bundle_dir: str = "pagefind",
    abbreviations: Iterable[Abbreviation] = (),
    cache: Path | None = None,
    previous: Path | None = None,
    into: Path | None = None,
    linked: Linked | None = None,
    known: Mapping[str, os.stat_result] | None = None,
    placed: set[int] | None = None,
) -> SearchReport:
    """Index the pages of site_dir marked data-pagefind-body into site_dir/bundle_dir (``into``/bundle_dir
    when given: a preview serves its bundle from a folder of its own); abbreviations are the county's,
    searched beside gongkai's own list.

    With a ``cache`` folder, what each page gives the index is kept there and taken back while the page
    is unchanged (cache.py); with the ``previous`` bundle (the published one), a file it holds already is
    hard-linked from it (output.py), and ``linked`` told of each such file as it now is (the preview serves
    ``previous`` meanwhile). Either way the bundle is byte for byte the one a cold build writes. What
    ``bundle_dir`` holds already (the kept old site's bundle: write.recycled_staging) is placed over, never
    written through: what this bundle does not hold is removed (output.Writer). ``known``: every file of the site
    ``previous`` is the bundle of, by its path in that site, as a walk that vouched for the site as a whole found
    it earlier in this build (``unchanged.Tree.files``): a file of ``previous`` found in place is not looked up
    again while nothing this build did moved it (``output.Reuse.known_now``); ``placed``: filled with the inodes of
    those the bundle holds, unmoved (``output.Reuse.placed``)."""
    bundle = (site_dir if into is None else into) / _relative(bundle_dir)
    if bundle.is_symlink() or (bundle.exists() and not bundle.is_dir()):
        bundle.unlink()
    started = time.perf_counter()
    with _paused_gc():
        store = SearchCache(cache)
        report = _build(site_dir, bundle, abbreviations, store, previous, linked, known, bundle_dir, placed)
    report = replace(report, seconds=time.perf_counter() - started)
    log.info(
        "搜索索引：%d 个页面，%d 个文件（新写 %d 个，沿用 %d 个），%.1f MB，用时 %.1f 秒",
        report.pages,
        report.files,
        report.written,
        report.linked,
        report.bundle_bytes / 1e6,
        report.seconds,
    )
    return report


@contextlib.contextmanager
def _paused_gc() -> Iterator[None]:
    """Python's cycle collector paused: the index allocates tens of millions of small lists and bytes
    (never in cycles), and the collector, woken by each few hundred of them, would cost a fifth more."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _build(
    site_dir: Path,
    bundle: Path,
    abbreviations: Iterable[Abbreviation],
    store: SearchCache,
    previous: Path | None,
    told: Linked | None = None,
    known: Mapping[str, os.stat_result] | None = None,
    bundle_dir: str = "",
    unmoved: set[int] | None = None,
) -> SearchReport:
    spellings = groups(abbreviations)
    settings = _settings(spellings)
    listed = _listed(previous, store)
    state = listed.state if listed is not None else None
    state = state if state is not None and state.settings == settings else None
    scanned = scan(site_dir, bundle, *((state.known, state.since) if state else ()))
    if not scanned.pages:
        raise BuildFailed(f"网站中没有页面带 data-pagefind-body 标记（{site_dir}），搜索索引无从建立。")
    # (no "\0" in a path: the joins tell the pages apart)
    inputs = key("inputs", settings, "\0".join(scanned.pages), "\0".join(map(itemgetter(1), scanned.pages.values())))
    # One Reuse for every try: it lists again each file a try linked or unlinked (its change time moved)
    reuse = Reuse.of(listed.folder, listed.files, told) if listed is not None else Reuse()
    if known is not None and listed is not None:
        reuse.vouched(known, f"{_relative(bundle_dir)}/", unmoved)
    try:
        if listed is not None and listed.inputs == inputs:
            placed = _link_all(listed, bundle, reuse)
            if placed is not None:
                log.info("搜索索引：页面没有变化，沿用已发布的索引")  # the cache is not pruned: nothing else was read
                files, linked, kept = placed
                store.put("bundle", listed.version, _listing(listed.inputs, listed.common, files))
                report = _report(files, len(scanned.pages), listed.common, 0, linked, len(scanned.pages))
                return replace(report, kept=kept)
        if listed is not None and state is not None:
            try:
                patched = patch(scanned, site_dir, bundle, listed, state, spellings, store, reuse)
            except Unpatchable as why:
                log.debug("搜索索引无法修补（%s），完整重建", why)  # over what it placed (output.Writer)
            else:
                _relist(listed, reuse, store)
                state = replace(patched.state, known=scanned.files, since=scanned.started, settings=settings)
                _put(store, patched.packed.version, _listing(inputs, listed.common, patched.packed.files), state)
                _prune_bundles(store)
                packed = patched.packed
                deleted = f"、删除了 {patched.deleted} 个" if patched.deleted else ""
                log.info("搜索索引：%d 个页面有变化%s，修补了已发布的索引", patched.changed, deleted)
                report = _report(
                    packed.files, packed.pages, listed.common, packed.written, packed.linked, patched.cached
                )
                return replace(report, patched=True, kept=packed.kept)
        records = load_records(site_dir, scanned, store)
        checkpoint()  # (gongkai serve: a newer edit stops the index, cancel.py; the records read are cached)
        scanned.html.clear()  # (the pages' HTML: hundreds of MB at county scale)
        log.info("搜索索引：读取了 %d 个页面，统计常见字串", len(records))
        grams, grams_name, chars = _common_grams(records, store)
        parts = _parts(records, grams, spellings, store)
        checkpoint()
        with tempfile.TemporaryDirectory(prefix="gongkai-search-") as work:
            runtime = _runtime(Path(work))
            log.info("搜索索引：写入索引（%d 个常见字串）", len(grams.common))
            packed = pack(records, parts, grams, runtime, bundle, spellings, reuse, store)
        state = State.of(packed, numbered(records), chars, grams_name, scanned, settings)
        if listed is not None:
            _relist(listed, reuse, store)
        _put(store, packed.version, _listing(inputs, len(grams.common), packed.files), state)
        store.prune()
        _prune_bundles(store)
        report = _report(
            packed.files, packed.pages, len(grams.common), packed.written, packed.linked, store.hits["parts"]
        )
        return replace(report, kept=packed.kept)
    except BaseException:
        # Stopped (gongkai serve: cancel.py), failed, Ctrl+C: the published files it linked, listed as linking left
        # them; else unstage, finding their change time moved, could list none of them again, and the next index
        # would link none (written anew: a minute at county scale).
        if listed is not None:
            with contextlib.suppress(OSError):
                _relist(listed, reuse, store)
        raise


def _report(files: dict[str, Entry], pages: int, common: int, written: int, linked: int, cached: int) -> SearchReport:
    """The report of a bundle of these files (every file of it, as output.Writer lists them)."""
    size = sum(stat[0] for _, stat, _ in files.values())
    return SearchReport(pages, common, 0.0, size, len(files), written, linked, cached)


def _settings(spellings: list[list[str]]) -> str:
    """The hash of everything the bundle is made of but the pages: the abbreviations, the search code, its
    settings and the Pagefind binary (the same settings and pages give the same bundle, byte for byte)."""
    code = sorted(Path(__file__).parent.glob("*.py"))
    binary = os.stat(_executable())
    settings = [grams_module.COMMON, grams_module.LONGEST, grams_module.SAMPLE_CHARS, pack_module.CHUNK_BYTES,
                pack_module.LOW_SHARE, pack_module.SPREAD_SHARE, pack_module.HIGH_SHARE, pack_module.LEAD,
                output_module.GZIP_LEVEL, delta_module.SHARE, binary.st_size, binary.st_mtime_ns]  # fmt: skip
    return key("settings", *(p.read_bytes() for p in code), repr(settings), repr(spellings))


def _listing(inputs: str, common: int, files: dict[str, Entry]) -> dict[str, Any]:
    """A bundle's list as the cache keeps it, its files in columns (columns.py); its state is kept apart (_put), so
    that listing the files again (settle, _relist, unstage) leaves the state as it is."""
    return {
        "inputs": inputs,
        "common": common,
        "paths": strings(files),
        "keys": strings(map(itemgetter(0), files.values())),
        "stats": rows(map(itemgetter(1), files.values())),
        "sums": b"".join(map(itemgetter(2), files.values())),
    }


_STATE = "s"
"""The suffix of a bundle's version that names its state in the cache (a version is hexadecimal)."""


def _put(store: SearchCache, version: str, listing: dict[str, Any], state: State) -> None:
    """Keep the list of a bundle just written and its state (a state the columns cannot hold, never in gongkai's
    pages, is kept as None: the next build builds in full)."""
    try:
        stored = state.stored()
    except ValueError:
        stored = None
    store.put("bundle", version + _STATE, stored)
    store.put("bundle", version, listing)


def _prune_bundles(store: SearchCache, keep: int = 8) -> None:
    """Keep the lists of the last ``keep`` bundles written and their states (SearchCache.prune_bundles, which knows
    nothing of states); a bundle published earlier than those is written again in full."""
    if store.folder is None:
        return
    try:
        found = list(entries(store.folder / "bundle"))
        lists = sorted((p for p in found if not p.name.endswith(_STATE)), key=lambda p: p.stat().st_mtime_ns)
        kept = {p.name for p in lists[-keep:]}
        for path in found:
            if path.name.removesuffix(_STATE) not in kept:
                os.unlink(path)
    except OSError:
        pass


def _listed(previous: Path | None, store: SearchCache, read_state: bool = True) -> Listed | None:
    """The previous bundle as the cache listed it when it was written, if it did (and its state, if asked)."""
    if previous is None:
        return None
    try:
        version = json.loads((previous / "gongkai.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    listed = store.get("bundle", str(version)) if isinstance(version, str) and version.isalnum() else None
    if not (isinstance(listed, dict) and isinstance(listed.get("inputs"), str)):
        return None
    if not isinstance(listed.get("common"), int):
        return None
    try:
        paths = read_strings(listed.get("paths"))
        keys = read_strings(listed.get("keys"))
        stats = read_rows(listed.get("stats"), 4)
        sums = listed.get("sums")
        if not isinstance(sums, bytes) or len(sums) != SUM_BYTES * len(paths):
            return None
        each = [sums[i : i + SUM_BYTES] for i in range(0, len(sums), SUM_BYTES)]
        files: dict[str, Entry] = dict(zip(paths, zip(keys, stats, each, strict=True), strict=True))
    except ValueError:
        return None
    if ".." in listed["paths"][1] and any(".." in path.split("/") for path in paths):
        return None
    state = State.read(store.get("bundle", version + _STATE)) if read_state else None
    return Listed(previous, files, version, listed["inputs"], listed["common"], state)


def settle(
    site_dir: Path,
    bundle_dir: str = "pagefind",
    cache: Path | None = None,
    stats: Mapping[str, os.stat_result] | None = None,
) -> None:
    """Once the build that wrote the bundle has published it: list its files again as they are now (each was
    written or, checked, linked by that build; removing the other site changed their change time, not them).
    Never for a bundle another build wrote: a file changed in place since would be taken as it is. ``stats``:
    every file of the site as it is now, by its path in the site (else each is looked up)."""
    store = SearchCache(cache)
    listed = _listed(site_dir / bundle_dir, store, read_state=False)
    if listed is None:
        return
    files = dict(listed.files)
    for path, (k, listed_stat, sum_) in listed.files.items():
        try:
            now = stat_of(listed.folder / path) if stats is None else stat_from(stats.get(f"{bundle_dir}/{path}"), path)
        except OSError:
            continue
        if now[:3] == listed_stat[:3]:  # else it is written again by the next build
            files[path] = (k, now, sum_)
    store.put("bundle", listed.version, _listing(listed.inputs, listed.common, files))


def _relist(listed: Listed, reuse: Reuse, store: SearchCache) -> None:
    """List the published bundle's files this build linked (or unlinked a link of) as that left them (``Reuse.taken``:
    each checked as listed just before): linking moved their change time. Else, should the build fail after its
    search stage (the leak guard), removing its staging tree (``unstage``) would find none of them as listed and
    the next build would link none of them: the whole index written again (a minute at county scale)."""
    if reuse.taken:
        files = {path: (k, reuse.taken.get(path, found), sum_) for path, (k, found, sum_) in listed.files.items()}
        store.put("bundle", listed.version, _listing(listed.inputs, listed.common, files))


def unstage(bundle: Path, published: Path, cache: Path | None = None, told: Linked | None = None) -> None:
    """Before the staging tree of a build that failed is removed: unlink each file of its ``bundle`` that is a link of
    a file of the ``published`` bundle (kept from the old site, or linked by the build), and list that file again
    as the unlink left it when it was as listed before (only its change time moved) — else the next build, finding
    every such file's change time moved, would link none of them and build the index anew. ``told``: as
    ``build_index``'s ``linked`` (the preview's server, which serves a bundle file only as last told)."""
    store = SearchCache(cache)
    listed = _listed(published, store, read_state=False) if bundle.is_dir() else None
    if listed is None:
        return
    reuse = Reuse.of(listed.folder, listed.files, told)
    folders = [os.fspath(bundle)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    reuse.unlink(entry.path, entry.inode())
    if reuse.taken:
        files = {path: (k, reuse.taken.get(path, found), sum_) for path, (k, found, sum_) in listed.files.items()}
        store.put("bundle", listed.version, _listing(listed.inputs, listed.common, files))


def _link_all(listed: Listed, bundle: Path, reuse: Reuse) -> tuple[dict[str, Entry], int, int] | None:
    """Place every file of the previous bundle in ``bundle`` (linked, or left where the kept old site holds it), if
    each is still the file listed: the bundle's files as listed, how many were linked and of those kept; else
    None, the bundle half placed (the patch or the full build places over it)."""
    folders: dict[str, set[str]] = {}
    for path in listed.files:
        parts = path.split("/")
        if len(parts) > 2 and parts[0] in OWN:
            folders.setdefault("/".join(parts[:2]), set(RECORD_FOLDERS if parts[0] == "gk" else ()))
    try:
        with Writer(bundle, reuse) as writer:
            for folder, inner in sorted(folders.items()):
                writer.folder(folder, tuple(sorted(inner)))
            for path, (k, *_) in listed.files.items():
                writer.must_link(path, k)
            files = writer.listing()
    except (NotLinked, OSError) as error:
        log.debug("已发布的索引无法沿用（%s），重新写入", error)
        return None
    return files, writer.linked, writer.kept


def _common_grams(records: dict[str, Record], store: SearchCache) -> tuple[Grams, str, dict[str, int]]:
    """The common grams (grams.py), from the cache while the sampled pages are unchanged; their name in
    the cache, and each page's characters counted."""
    texts = {url: runs(r.text.whole) for url, r in records.items()}
    chars = {url: sum(map(len, found)) for url, found in texts.items()}
    names, step = sample(chars)
    name = grams_name(names, step, {url: r.key for url, r in records.items()})
    found = stored_grams(store, name)
    if found is not None:
        return found, name, chars
    grams = common_grams(texts, (names, step))
    store.put("grams", name, (grams.longest, sorted(grams.common)))
    return grams, name, chars


def _parts(
    records: dict[str, Record], grams: Grams, spellings: list[list[str]], store: SearchCache
) -> Iterator[tuple[str, PageParts]]:
    """Each page's URL and part of the index (postings.py), one by one: from the cache where its inputs are
    unchanged, then the others (worked out on worker processes when they are many)."""
    common = grams_used(grams, spellings)
    missing = []
    for url, record in records.items():
        name = key("parts", record.key, common)
        found = stored_parts(store.get("parts", name))
        if found is None:
            missing.append((url, name))
        else:
            yield url, found
    work = functools.partial(pages_parts_of, grams=grams, spellings=spellings)
    jobs = [(name, records[url].text) for url, name in missing]
    for (url, _), parts in zip(missing, store.fill_batched("parts", work, jobs, _characters), strict=True):
        yield url, PageParts(*parts)


def _characters(text: SearchText) -> int:
    return len(text.title) + len(text.doc_no) + len(text.meta) + len(text.body)


def _runtime(work: Path) -> Path:
    """Pagefind's runtime files, from a run over one small page."""
    site = work / "runtime-site"
    site.mkdir()
    (site / "index.html").write_text(_RUNTIME_PAGE, encoding="utf-8")
    output = work / "runtime"
    if _BODY_FOUND not in run_pagefind(site, output) or _indexed_pages(output) != 1:
        raise EnvironmentProblem(
            "Pagefind 没有生成搜索所需的文件。请按 pyproject.toml 安装固定版本的 pagefind[extended]。"
        )
    return output


def _relative(bundle_dir: str) -> PurePosixPath:
    path = PurePosixPath(bundle_dir)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"bundle_dir must be a folder inside the site, got {bundle_dir!r}")
    return path


def run_pagefind(site_dir: Path, output: Path) -> str:
    """Run the extended binary over site_dir, writing the bundle to output; return its report."""
    command = [str(_executable()), "--site", str(site_dir), "--output-path", str(output), "--force-language", LANGUAGE]
    log.debug("运行 %s", " ".join(command))
    try:
        done = subprocess.run(command, capture_output=True, encoding="utf-8", errors="replace", check=False)
    except OSError as error:
        raise EnvironmentProblem(f"无法运行 Pagefind（{command[0]}）：{error}。请重新运行 make build 安装。") from error
    log.debug("Pagefind 输出：\n%s%s", done.stdout, done.stderr)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()
        raise EnvironmentProblem(f"Pagefind 建立搜索索引失败（退出码 {done.returncode}）：{detail}")
    return done.stdout


def _executable() -> Path:
    # Imported here, not through pagefind's own lookup, which would settle for the standard
    # binary (no Chinese segmentation) or whatever PAGEFIND_BINARY_PATH names.
    try:
        from pagefind_bin_extended import get_executable
    except ImportError as error:
        raise EnvironmentProblem("缺少 Pagefind 扩展版（中文分词需要）：请安装 pagefind[extended]。") from error
    return Path(get_executable())


def _indexed_pages(bundle: Path) -> int:
    entry = bundle / "pagefind-entry.json"
    if not entry.is_file():
        return 0
    languages = json.loads(entry.read_text(encoding="utf-8"))["languages"]
    return sum(int(language["page_count"]) for language in languages.values())
