"""`gongkai serve`: a local preview that rebuilds when a source changes and reloads the browser.

The preview is the build without its output checks relaxed: the same load, check, pages, sheets,
search and leak guard, into staging directories swapped in whole (in ``.cache/preview/``, kept for the next
preview: ``PREVIEW_DIR``). The pages and the search bundle live
in two folders, each swapped on its own: a rebuild publishes the pages first (the last search bundle
serves meanwhile, untouched) and the new bundle right after, so an edit shows as soon as its page is
written, and neither step links the other's files (at county scale 50 000 bundle files and 74 000 page
files, a third of a rebuild). A build that fails leaves the last good preview in the directories, and
every page the browser asks for shows the Chinese message until the file is fixed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import html
import logging
import os
import posixpath
import re
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Collection, Container, Iterator
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

import yaml
from mkdocs.livereload import LiveReloadServer
from watchdog.events import (
    EVENT_TYPE_EVENTS_LOST,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    EventsLostEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from ..cachefile import identity
from ..cancel import Cancelled, cancellable
from ..errors import BuildFailed, EnvironmentProblem, Problem, SourceErrors, UsageError
from ..guard import allowed_numbers, guard_site
from ..guard.site import SiteScan
from ..link import link
from ..link.held import publishable
from ..load import frozen_collector
from ..load.site_config import CONFIG_FILE, check_site_config
from ..load.tree import hidden
from ..model import County
from ..render.search.output import Stat
from ..render.sheets.cache import publish as publish_sheet
from ..render.site import THEME_DIR, render_site
from ..render.site.policy import META
from ..write import clean_leftovers, give_back, keep_spare, part, prune, publish, recycled_staging, seed_spare
from ..write.reuse import Reuse, manifest_path
from .build import Checks, load
from .progress import Progress
from .stages import SEARCH_BUNDLE, render_search, render_sheets_for, settle_search, unstage_search

WATCHED = (
    "county.yml", "catalog", "content", "villages", "theme", "reports",
    "index-ledger.csv", "public-numbers.yml", CONFIG_FILE,
)  # fmt: skip
"""What a preview depends on, relative to the project."""
PREVIEW_DIR = ".cache/preview"
"""The preview's pages (``site/``) and search bundle (``search/``), kept between runs: the next ``gongkai serve`` links
what is unchanged instead of building every page again (the site ``gongkai build`` publishes has no 使用指南 in its
navigation, so none of its pages would do). Another preview of the project running meanwhile uses a temporary
folder."""
SEARCH_CACHE = f"{PREVIEW_DIR}/search-cache"
"""The preview's search cache. Each cache keeps the entries of its last run only (the guard's, the search
index's records and its last bundles' lists), and the preview's pages are not the site's (the 使用指南 is in
every page's navigation): sharing the build's caches, a preview left the next ``gongkai build`` to read every
page again for the guard and to write its search bundle anew. The guard's are ``.cache/guard/preview`` (the
pages) and ``.cache/guard/search`` (the bundle)."""

CHECKS_PATIENCE = 180.0
"""Seconds a rebuild waits for its checks' child, from when it needs their result, before it takes the child to be
stuck, ends it and checks in its own process (a warning says so). The child is forked under the server's threads
(``build.Checks``): no lock it needs is known to be held by one of them at the fork, but should one be, the preview
hung for good instead of answering later. A county's checks take about a second beside the pages, and 20–25 s when
nothing of them is cached on 2 cores."""

ERROR_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>预览暂停：源文件有误</title></head>
<body style="font: 18px/1.7 sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em">
<h1 style="color: #b00020">源文件有误，预览暂停在上一次成功的版本</h1>
<p>请按下面的提示修改文件并保存，这个页面会自动刷新。</p>
<pre style="white-space: pre-wrap; background: #fff4f4; border: 1px solid #e0b4b4; padding: 1em">{message}</pre>
</body></html>
"""


class Preview:
    """Builds the county's pages into ``out`` and its search bundle into ``search`` (served as ``out``'s
    ``pagefind/``), and remembers the last failure (shown in place of every page)."""

    def __init__(self, root: Path, today: dt.date, out: Path, say: Callable[[str], None], search: Path) -> None:
        self.root, self.today, self.out, self.say, self.search = root, today, out, say, search
        self.failure: str | None = None
        self.lock = threading.Lock()
        """Held while the preview is built or indexed: one at a time (the first index runs beside the server)."""
        self.stopped = False
        """Set once the server is stopped: an index still running then says nothing of its end (its temporary
        folder going under it made it print 「搜索索引未更新：[Errno 2] …」 after 「预览已停止。」), a rebuild waiting
        starts none."""
        self.mount = "/"  # where the server serves the preview (site_url's path): the pages named are under it
        self.reload: Callable[[], None] = lambda: None  # set by the server: tell browsers to reload
        self.show: Callable[[], None] = lambda: None
        """Set by the server: let browsers load what is published now (``PreviewServer.show_now``). A rebuild calls it
        once its pages are swapped in, before the bookkeeping after them (the old pages emptied, the manifest saved:
        0.5–0.7 s of an edit at county scale), which the clerk then no longer waits for."""
        self.shown: float | None = None
        """When the last rebuild showed its pages (``show``; ``perf_counter``), None if it did not: one that failed
        after them has its error shown anew (``serve``'s builder)."""
        self._sources = self._snapshot()
        self._touched: set[str] = set()
        """The watched files the watcher saw written, created, removed or moved since the last rebuild (``touched``)."""
        self._whole = True  # a folder came or went (or the first preview): the next rebuild looks at every watched file
        self._watching = threading.Lock()
        self.edited = threading.Event()
        """Set when the watcher sees a change the last rebuild did not take (``touched``; of no dot file, ``_shown``):
        an index under way is of old pages and stops (``index``), so that the rebuild the change asks for shows it
        without waiting for the index. Set too when the preview stops."""
        self._allow: frozenset[str] = frozenset()  # county.yml's public numbers, as the last build read them
        self._county: County | None = None  # the county the last good build read (its search abbreviations)
        self._manifest: dict[str, list[object]] | None = None
        """The pages' manifest as the last rebuild saved it (decoding it again took a second at county scale)."""
        self.split = False
        """Render the pages on two processes (render/site/split.py): only while no other thread runs (the first
        preview, before the server starts: a fork copies no thread, nor releases a lock one holds)."""
        self._cache = root / SEARCH_CACHE
        self._listing: dict[str, os.stat_result] | None = None
        """The pages' files as the last rebuild published them, by path, when the guard found each directory entry
        naming its file's inode (``SiteScan.agree``); else None (the next rebuild walks the old pages)."""
        self._staging: tuple[Path, list[str], dict[str, int | None]] | None = None
        """The next rebuild's staging directory, made of the old pages as ``recycled_staging`` makes it (with its
        folders and the files it holds), by the last rebuild once its pages were shown: the walk of a county's old
        pages (24 000 folders, 0.4–0.5 s) is no longer part of an edit. Only beside a ``_listing``; given back as the
        old pages when the preview stops (``close``)."""
        self._staging_lock = threading.Lock()  # (``close`` may run beside a first index, without ``lock``)
        self._sheets: dict[str, str] = {}
        """The sheets the last rebuild published, by path in ``out``: the cache key of each (``_Sheets``)."""
        self.bundle: dict[str, tuple[int, ...]] = {}
        """The search bundle's files as the last index published them (``_settle_bundle``), by path in ``search``:
        only such a file is served (one written in place since, its size and time kept, is not)."""
        self._digests: dict[str, tuple[tuple[int, ...], bytes]] = {}
        """Each shown watched file's identity and the SHA-256 of its bytes as the last good rebuild read them, by
        path (``_read``): a file saved again unchanged (the clerk's habit of pressing Ctrl+S, an editor's 「全部保存」,
        a sync tool) builds nothing (``unchanged``); each such save rebuilt a county's pages (8–10 s) and reloaded the
        browser. A file has an entry only while the last good rebuild is known to have read these very bytes: its
        identity (change time included: any write moves it) was the one it had when it was hashed, before that
        rebuild, and still was once the rebuild was over — checked for every entry after each good rebuild, not only
        for the files it was started for (one written during it, and put back, may have been read either way; which
        writes a rebuild saw is not told by when the watcher's events arrive)."""
        self.stale = False
        """An index was stopped for a change (``edited``) that then built nothing (a file put back as it was, or saved
        unchanged): the index is made again (``serve``'s builder), else search kept the pages before it."""
        self._seen: set[str] | None = None
        """The watched files the watcher named since the last rebuild, as the rebuild took them (``_changed``);
        None when every watched file was compared (the first preview, a folder come or gone): each is hashed then
        (a county's 22 670 files: about a second, beside a first preview's minutes)."""

    def rebuild(self) -> None:
        """Build the preview; never raises, so the server keeps serving the last good version."""
        changed = self._changed()
        changed = [name for name in changed if _shown(name)] or changed  # not the editor's swap files beside
        if changed:
            shown = "、".join(changed[:3]) + (f" 等 {len(changed)} 个文件" if len(changed) > 3 else "")
            self.say(f"检测到修改：{shown}，正在重新生成……")
        start = time.perf_counter()
        self.shown = None
        seen = self._seen if self._seen is not None else set(self._sources)  # (every file: all compared)
        if self._seen is None:
            self._digests.clear()
        for name in seen:  # until this rebuild is known to have read them
            self._digests.pop(name, None)
        read = _fingerprints(self.root, [name for name in seen if _shown(name)])  # (the rest: checked after it)
        try:
            rebuilt, linked, warnings = self._pages()
        except (SourceErrors, BuildFailed, EnvironmentProblem, UsageError) as error:
            self._fail(errors_first(error) if isinstance(error, SourceErrors) else f"错误：{error}")
            return
        except Exception as error:  # a fault in gongkai must not stop the preview
            self._fail(f"错误：gongkai 内部错误（{type(error).__name__}：{error}）。请用 -v 运行并把输出发给维护人员。")
            logging.getLogger(__name__).debug("preview failed", exc_info=True)
            return
        self.failure = None
        self._read(read)
        noted = f"，{warnings} 条警告（运行 gongkai check 查看）" if warnings else ""
        shown = "、".join(rebuilt[:3]) + (f" 等 {len(rebuilt)} 个页面" if len(rebuilt) > 3 else "")
        what = f"重新生成 {shown}" if rebuilt else "没有页面需要重新生成"
        seconds = (self.shown or time.perf_counter()) - start  # (until the browsers could load the pages)
        self.say(f"已更新：{what}，沿用未改动的 {linked} 个页面和文件（{seconds:.1f} 秒）{noted}")

    def index(self, stoppable: bool = True) -> None:
        """Rebuild the search index of the current preview (after its pages are shown). ``stoppable``: a change seen
        meanwhile (``edited``) stops it, and the rebuild that change asks for starts at once (at county scale an
        index takes longer than the pages: the next edit waited for it). The first index is not stopped: a county's
        takes minutes, and the clerk's edits would keep search away for as long as they go on; the rebuild waits."""
        if self.failure is not None or self._county is None:
            return
        start = time.perf_counter()
        staging, recycled = recycled_staging(self.search)
        published = False
        try:  # the pages are read where the preview serves them: nothing swaps them meanwhile (one builder)
            abbreviations = self._county.config.abbreviations
            with cancellable(self.edited) if stoppable else contextlib.nullcontext():
                render_search(
                    self.out, abbreviations, self.root, self.search, into=staging, linked=self._linked,
                    cache=self._cache,
                )  # fmt: skip
                prune(staging, recycled, ())  # the bundle's few folders: those left empty go
                guard_site(staging, self.root, self.out.name, self._allow, caches="search")  # apart: see caches
            published = True  # (from here on the new bundle goes out, and nothing stops it)
            self._publish(staging, self.search)
            self._settle_bundle()
        except Cancelled:  # a newer edit: its pages first (the rebuild says so), then an index of them
            logging.getLogger(__name__).debug("search index stopped: a newer change")
            self.stale = True  # (if that change builds nothing, the index is made again: see serve's builder)
            return
        except Exception as error:  # the pages stay; only search is stale
            if not self.stopped:
                self.say(f"搜索索引未更新：{error}")
            return
        finally:
            if not published:  # its links of the published bundle's files unlinked, each file checked as the link
                # left it, listed again and told to the server as the unlink left it: else every file it had linked
                # was a 404 until the next index, which linked none of them (written anew: a minute for a county)
                unstage_search(staging, self.search, self.root, self._cache, self._linked)
            shutil.rmtree(staging, ignore_errors=True)
        self.stale = False
        self.say(f"搜索索引已更新（{time.perf_counter() - start:.1f} 秒）")

    def _pages(self) -> tuple[list[str], int, int]:
        """Build and publish the pages; the URLs of the pages built again, the files linked, the warnings.

        The checks run in a child (``Checks``) while the pages are planned and MkDocs reads its files, and are
        waited for before any page is linked or anything written (render_site's ``ready``; only the data files were
        offered to reuse, in ``on_files``): at county scale they took a second of each rebuild on their own. Their
        errors stop the rebuild with the staging directory given back as the kept old pages (``write.give_back``):
        nothing of the published pages was linked or unlinked, so the fix's rebuild still knows them as listed
        (``_listing``). The child is forked under the server's threads: it only reads the county, held in this
        process, writes the sources' scan cache (no other thread does) and its result to its own pipe, and says
        nothing (its log travels back): no lock another thread may hold is taken in it (and should it be stuck all the
        same, it is ended after ``CHECKS_PATIENCE``).

        Once the pages are published they are shown (``show``), and the rest is done while the browsers load them:
        the old pages emptied, the manifest saved, the next rebuild's staging directory made."""
        whole, loaded = load(self.root, Progress(quiet=True))
        # As build: the county (millions of objects) out of the full collections' walks (~0.7 s each), here and in the
        # checks' child, where each walk wrote into every object's header and so copied every page of the county
        with frozen_collector():
            return self._frozen(whole, loaded)

    def _frozen(self, whole: County, loaded: list[Problem]) -> tuple[list[str], int, int]:
        """``_pages`` of the loaded county, the collector's objects frozen."""
        links = link(whole, self.today)
        county = publishable(whole)  # as build: what is not decided yet stays off the preview too
        site_links = links if county is whole else None  # the check stage's links are of the whole county
        patience = None if self.split else CHECKS_PATIENCE  # (the first preview forks before any thread runs)
        with Checks(whole, loaded, self.root, self.today, links, patience=patience) as checks:  # (refused: raised)
            listing, self._listing = self._listing, None  # (a rebuild that fails leaves none: the next one walks)
            manifest, made = self._manifest, self._take_staging()
            staged: dict[str, int | None] | None
            if made is not None and listing is not None:  # (made by the last rebuild, of the old pages it listed)
                staging, recycled, staged = made
            else:
                if made is not None:  # (never made without a listing: kept as the old pages, as ever)
                    give_back(made[0], self.out)
                staged = {} if listing is not None else None  # as build: see _publish
                staging, recycled = recycled_staging(self.out, listing, (), staged)
            # The last pages linked where unchanged, each known as the last rebuild listed it once published (no other
            # program writes the preview's folder: as build trusts its detect walk, 24 000 lstat calls spared)
            reuse = Reuse.open(self.root, self.out, staging, saved=manifest, staged=staged, found=listing)
            self._manifest, published, checked = None, False, False  # (read back unless this rebuild saves it)

            def ready() -> None:
                nonlocal checked
                checks()
                checked = True

            try:
                # the clerks' preview: with their 使用指南
                plan = render_site(
                    self.root, county, self.today, staging, True, reuse, split=self.split, links=site_links,
                    ready=ready,
                )  # fmt: skip
                self._county = county
                sheets = _Sheets(self.out, staging, self._sheets, listing)
                self._sheets = {}  # (until this rebuild publishes its own)
                render_sheets_for(county, plan, self.root, staging, place=sheets.copy, link_kept=sheets.link_kept)
                prune(staging, recycled, reuse.taken)
                self._allow = allowed_numbers(county.config)
                scan = guard_site(
                    staging, self.root, self.out.name, self._allow, reuse.taken, caches="preview",
                    unwritten=sheets.linked,
                )  # fmt: skip
                reuse.forget()
                stats = self._publish(staging, self.out, not recycled, (listing, scan, reuse.keys))
                published = True
                reuse.save(stats)
                self._manifest = reuse.saved
                self._listing = stats if scan.agree else None
                self._sheets = sheets.placed
                if self._listing is not None:  # (the pages are shown: the next rebuild's staging made meanwhile)
                    self._make_staging(self._listing)
            except BaseException:
                if not checked:  # (planning failed first) the checks' errors say why, where there are any
                    checks()
                raise
            finally:
                if not checked:  # no page linked nor written: the old pages kept as they were. (The data files
                    # were offered to reuse in on_files, before the wait: ``take`` changed ``staged`` for them, so
                    # the staging directory goes back whole, walked again by the next rebuild's recycled_staging.)
                    give_back(staging, self.out)
                    self._listing, self._manifest = listing, manifest
                else:
                    shutil.rmtree(staging, ignore_errors=True)
                    if not published:
                        reuse.keep()
        rebuilt = [self.mount + uri.removesuffix("index.html") for uri in sorted(reuse.keys) if uri not in reuse.taken]
        return [url for url in rebuilt if url.endswith("/")], reuse.linked + len(sheets.linked), len(checks())

    def _take_staging(self) -> tuple[Path, list[str], dict[str, int | None]] | None:
        """The staging directory the last rebuild made for this one (``_staging``), now this rebuild's alone."""
        with self._staging_lock:
            made, self._staging = self._staging, None
        return made

    def _make_staging(self, listing: dict[str, os.stat_result]) -> None:
        """Make the next rebuild's staging directory of the old pages just kept (``_staging``). Only a gain: when it
        cannot be made (a full disk), the next rebuild makes its own, and this one stays good."""
        following: dict[str, int | None] = {}
        try:
            made = (*recycled_staging(self.out, listing, (), following), following)
        except OSError:  # (what it left is a staging directory: removed when the next preview starts)
            logging.getLogger(__name__).debug("next staging directory not made", exc_info=True)
            return
        with self._staging_lock:
            if self.stopped:  # (the preview stopped meanwhile: ``close`` has run, or runs without it)
                give_back(made[0], self.out)
            else:
                self._staging = made

    def close(self) -> None:
        """The preview stops: the staging directory made for the next rebuild is kept as the old pages again, the
        next preview's folders (``give_back``; a staging directory is removed when a preview starts). Called with
        ``stopped`` set, whether or not a first index still holds ``lock``: no rebuild starts once it is set."""
        made = self._take_staging()
        if made is not None:
            give_back(made[0], self.out)

    def _settle_bundle(self) -> None:
        """Once a bundle is published: its files as they are now, for the next index to link (``settle_search``)."""
        found: dict[str, os.stat_result] = {}
        top = len(os.fspath(self.search)) + 1
        folders = [os.fspath(self.search / SEARCH_BUNDLE)]
        while folders:
            with contextlib.suppress(OSError), os.scandir(folders.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
                    else:
                        found[entry.path[top:]] = entry.stat(follow_symlinks=False)
        settle_search(self.search, self.root, found, cache=self._cache)
        self.bundle = {path: _as_found(stat) for path, stat in found.items()}

    def _linked(self, relative: str, now: Stat) -> None:
        """The index linked this published bundle file, or unlinked its link (``unstage``), checked as listed
        (``build_index``): served as it now is.
        The link moved its change time; else every file the new bundle shares was a 404 while the index was built,
        just when the browsers reload and search (their first search failed: 「搜索出错」)."""
        path = f"{SEARCH_BUNDLE}/{relative}"
        was = self.bundle.get(path)
        size, modified, inode, changed = now
        if was is not None and (was[2], was[3], was[4]) == (inode, size, modified):
            self.bundle[path] = (*was[:5], changed)

    def _publish(
        self,
        staging: Path,
        into: Path,
        skeleton: bool = False,
        pages: tuple[dict[str, os.stat_result] | None, SiteScan, Collection[str]] | None = None,
    ) -> dict[str, os.stat_result] | None:
        """Swap ``staging`` in for ``into`` (the pages or the search folder), as ``gongkai build`` does: the old one
        emptied of the files the new one shares (before anything records the new one's: unlinking moves their
        change time) and kept as the next rebuild's folders. Removing the old tree outright took most of a
        rebuild at county scale (74 000 files, 24 000 folders). ``skeleton``: the old one had not the new one's
        folders (this rebuild started with none: the first preview's, made from nothing): they are made in it once it
        is kept, with its links of the pages the new one offered to reuse (``_skeleton``).

        When no old one is kept (none, or it could not be emptied: its pages all built anew, a first preview after
        gongkai changed), the next rebuild's folders are made now of the new pages, with their links, as after a first
        build (``write.seed_spare``). Else the next rebuild made the 24 000 folders and linked the pages (county scale:
        the first edit 10.0 s against 7.5 s). Neither links anything when the guard's scan does not agree with the
        directory entries: the next rebuild, with no listing to trust, would unlink every such link.

        ``pages``: the old pages' files as published (``listing``, None if unknown: the old tree is walked), the guard's
        scan of the new ones and the paths the pages stage offered to reuse. As build does, the old tree is then
        not walked, and keeps its links of the files the new one holds at those paths (``write.part``): the next
        rebuild finds them in place (``recycled_staging(..., staged=)``) instead of unlinking and linking them
        again (~45 000 at county scale). Returns every file of ``into`` as published (for the manifest and the
        next rebuild's ``listing``), None when one of the scanned paths is gone."""
        trash = publish(staging, into, later=True)
        if pages is not None:  # the new pages are out: the browsers load them while the rest is done
            self.failure, self.shown = None, time.perf_counter()
            self.show()
        spare = None
        linked = pages[2] if pages is not None and pages[1].agree else ()
        if trash is not None:
            listing, scan, offered = pages if pages is not None else (None, None, ())
            emptied = part(trash, into, listing, scan.inodes if scan is not None else None, (), offered)
            spare = keep_spare(trash, into, emptied)
            if spare is not None and skeleton:
                _skeleton(into, spare, linked)
        if pages is not None and spare is None and pages[1].agree:  # no old pages kept: made of the new ones
            seed_spare(into, pages[1].paths, pages[1].stats, (), linked)
        return _listed(into, pages[1].paths) if pages is not None else None  # after part and the links: ctimes moved

    def _read(self, read: dict[str, tuple[tuple[int, ...], bytes]]) -> None:
        """After a good rebuild: keep the digest of each file, taken before this rebuild (``read``) or an earlier one,
        only if the file is still as it was when it was hashed (this rebuild read those bytes: a write since moved its
        change time, and it is left without one). A county's 22 670 files: one ``lstat`` each, 0.1 s."""
        self._digests.update(read)
        gone, top, lstat = [], os.fspath(self.root), os.lstat  # (a Path each: twice the time)
        for name, (was, _) in self._digests.items():
            try:
                if identity(lstat(f"{top}/{name}")) != was:
                    gone.append(name)
            except OSError:
                gone.append(name)
        for name in gone:
            del self._digests[name]

    def _same(self, name: str) -> tuple[tuple[int, ...], bytes] | None:
        """The watched file ``name``'s identity and digest now, if it holds the bytes the last good rebuild read of it
        (``_digests``); else None."""
        known = self._digests.get(name)
        if known is None:
            return None
        found = _fingerprints(self.root, [name]).get(name)
        return found if found is not None and found[1] == known[1] else None

    def _fail(self, message: str) -> None:
        self.failure = message
        self.say(message)
        self.say("预览暂停在上一次成功的版本；改正并保存文件后会自动重新生成。")

    def _snapshot(self) -> dict[str, tuple[int, int]]:
        """Every watched file's modification time and size, by path (scandir: a county's 20 000 files in 0.1 s)."""
        found: dict[str, tuple[int, int]] = {}
        folders: list[str] = []
        for name in WATCHED:
            path = self.root / name
            if path.is_file():
                stat = path.stat()
                found[name] = (stat.st_mtime_ns, stat.st_size)
            elif path.is_dir() and not path.is_symlink():
                folders.append(name)
        while folders:
            folder = folders.pop()
            with contextlib.suppress(OSError), os.scandir(self.root / folder) as entries:  # gone meanwhile
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(f"{folder}/{entry.name}")
                    elif entry.is_file():
                        stat = entry.stat()
                        found[f"{folder}/{entry.name}"] = (stat.st_mtime_ns, stat.st_size)
        return found

    def touched(self, names: list[str], folder: bool) -> None:
        """The watcher saw these watched files (relative to the project) change, or a ``folder`` come or go."""
        edited = folder or any(_shown(name) and self._same(name) is None for name in names)  # (hashed outside the lock)
        with self._watching:
            self._touched.update(names)
            self._whole = self._whole or folder
            if edited:  # (a file saved again unchanged stops no index: nothing is built for it)
                self.edited.set()

    def unchanged(self) -> bool:
        """Whether the changes the watcher saw since the last rebuild are all of hidden files (``_shown``), none of
        them a link, or of files saved again with the bytes the last rebuild read (``_same``), while the preview shows
        no error; they are then taken, and nothing is built. An editor writes its swap file so (vim rewrites
        .x.md.swp every few seconds while the clerk types): each write rebuilt the county's pages (8–15 s) and
        reloaded the browser, as each Ctrl+S of an unchanged file did. No loader reads a hidden file and the site
        publishes none; a hidden link (emacs's .#x.md) is an error the build reports, so it is built."""
        with self._watching:
            touched = self._touched
            if self.failure is not None or self._whole or not touched:
                return False
            if any(os.path.islink(self.root / name) for name in touched):
                return False
            found = {name: self._same(name) for name in touched if _shown(name)}
            same = {name: now for name, now in found.items() if now is not None}
            if len(same) < len(found):
                return False
            self._digests.update(same)  # as it is now: the bytes the last rebuild read, unwritten since this look
            saved = list(same)
            self._touched = set()
            self.edited.clear()  # what stopped an index is taken: the builder makes it again (``stale``)
            for name in saved:  # as found now: the next rebuild names it only if it is written again
                with contextlib.suppress(OSError):
                    status = os.stat(self.root / name)
                    self._sources[name] = (status.st_mtime_ns, status.st_size)
        if saved:
            names = sorted(saved)
            shown = "、".join(names[:3]) + (f" 等 {len(names)} 个文件" if len(names) > 3 else " ")
            self.say(f"{shown}已保存，内容没有改动，不需要重新生成。")
        return True

    def caught_up(self) -> bool:
        """Before the watcher starts: whether a watched file changed since the preview started (during the first
        preview, minutes at county scale); then the next rebuild looks at every watched file."""
        if self._snapshot() == self._sources:
            return False
        self.touched([], True)
        return True

    def _changed(self) -> list[str]:
        """The watched files changed since the last rebuild: those the watcher named (a walk of every watched file
        took 0.1–0.3 s of each rebuild at county scale, 2 s with the folders out of the cache), or all compared."""
        with self._watching:
            touched, whole = self._touched, self._whole
            self._touched, self._whole = set(), False
            self.edited.clear()  # what it saw is taken: the index after this rebuild is of it
        self._seen = None if whole else set(touched)
        if whole:
            now, before = self._snapshot(), self._sources
            self._sources = now
            return sorted(name for name in now.keys() | before.keys() if now.get(name) != before.get(name))
        changed = []
        for name in sorted(touched):
            seen: tuple[int, int] | None = None
            with contextlib.suppress(OSError):
                found = os.stat(self.root / name)
                seen = (found.st_mtime_ns, found.st_size) if stat.S_ISREG(found.st_mode) else None
            if seen != self._sources.get(name):
                changed.append(name)
                if seen is None:
                    self._sources.pop(name, None)
                else:
                    self._sources[name] = seen
        return changed


def errors_first(error: SourceErrors) -> str:
    """The errors that stop the preview, and the warnings only counted (the browser page and the terminal
    showed the one error among every warning of the county)."""
    errors = [str(p) for p in error.problems if not p.warning]
    warnings = len(error.problems) - len(errors)
    if not errors:
        return str(error)
    counted = f"，另有 {warnings} 条警告（运行 gongkai check 查看）" if warnings else ""
    return "\n".join([*errors, f"共 {len(errors)} 处错误{counted}。改正以上问题并保存后，预览会自动更新。"])


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server, in Chinese and quiet; while a build fails, every page shows why."""

    preview: Preview

    def _serve_request(self, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if self.preview.failure is not None and not path.startswith("/livereload/") and _is_page(path):
            page = ERROR_PAGE.format(message=html.escape(self.preview.failure)).encode()
            page = self._inject_js_into_html(page, self._visible_epoch)
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page)))])
            return [page]
        bundled = self._bundle_file(path)
        if bundled is not None:
            return self._send(bundled, start_response)
        if self._not_plain(path):
            return None  # a 404
        return super()._serve_request(environ, start_response)

    def _not_plain(self, path: str) -> bool:
        """Whether MkDocs would open, for this request, something in the preview folder that is neither a file nor a
        folder: a link (MkDocs followed it: /etc/passwd was served) or a FIFO (opening it blocked the request for
        ever). The build writes neither; something else put it there. The path is read as MkDocs reads it."""
        path = path.encode("latin-1", "replace").decode("utf-8", "ignore")
        if not (path + "/").startswith(self.mount_path):
            return False
        relative = path[len(self.mount_path) :] + ("index.html" if path.endswith("/") else "")
        target = self.root
        for name in posixpath.normpath("/" + relative).split("/"):
            if not name:
                continue
            target = os.path.join(target, name)
            try:
                mode = os.lstat(target).st_mode
            except OSError:
                return False  # not there (or not a folder on the way): MkDocs answers 404 itself
            if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
                return True
        return False

    def _bundle_file(self, path: str) -> str | None:
        """A request for the search bundle (``<mount>pagefind/…``): the file's path relative to the preview's
        search folder; None for any other request. The path is read as MkDocs reads it, normalised the same way."""
        path = path.encode("latin-1", "replace").decode("utf-8", "ignore")
        if not path.startswith(self.mount_path):
            return None
        relative = posixpath.normpath("/" + path[len(self.mount_path) :]).lstrip("/")
        return relative if relative.startswith(SEARCH_BUNDLE + "/") else None

    def _send(self, relative: str, start_response: Any) -> Any:
        """The bundle's file, if it is as the last index published it (else a 404: the search page waits for the
        next index); only files the index listed are reachable at all."""
        expected = self.preview.bundle.get(relative)
        if expected is None:
            return None
        path = os.path.join(self.preview.search, relative)
        content = _plain(path, lambda found: _as_found(found) == expected)
        if content is None:
            return None
        start_response("200 OK", [("Content-Type", self._guess_type(path)), ("Content-Length", str(len(content)))])
        return [content]

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        """MkDocs' reload script is inline, which the page's own policy forbids: the preview drops the policy."""
        return super()._inject_js_into_html(content.replace(META.encode(), b"", 1), epoch)

    def show_now(self) -> None:
        """Let browsers load what the builder has published so far (MkDocs 1.6.1's epoch bookkeeping)."""
        with self._epoch_cond:
            self._visible_epoch = self._wanted_epoch
            self._epoch_cond.notify_all()

    def show_rebuilt(self) -> None:
        """After a rebuild: browsers load its pages, or its error. One that failed after its pages were shown (while
        the manifest was saved) takes a newer epoch, so that the browsers that loaded them reload to the error."""
        if self.preview.failure is not None and self.preview.shown is not None:
            self.resume()
        self.show_now()

    def hold(self) -> None:
        """The rebuild just asked for waits (for the first index), or builds nothing (``Preview.unchanged``: once the
        builder returns no browser reloads): the pages are served as they are meanwhile. MkDocs
        holds every page request until the build under way is shown (its epochs): for the whole first index, minutes
        for a county, the preview answered nothing once a source was saved."""
        with self._epoch_cond:
            self._wanted_epoch = self._visible_epoch
            self._epoch_cond.notify_all()

    def resume(self) -> None:
        """The rebuild ``hold`` held starts: page requests wait for it again, and browsers reload once it is shown."""
        with self._epoch_cond:
            self._wanted_epoch = max(round(time.monotonic() * 1000), self._visible_epoch + 1)  # (MkDocs' _timestamp)

    def watch_sources(self, root: Path) -> None:
        """Watch what the preview depends on. MkDocs polls every file twice a second (a quarter of a core for a
        county's 20 000 files, and a quarter second late on average); the kernel's notifications (inotify)
        say at once. Where they cannot be had (the per-user limit reached, another system) the polling stays."""
        handler = _SourceChanges(root, self._source_changed)
        if self.preview.caught_up():  # what changed while the first preview was built, before anything watched
            self._want_rebuild = True
        native: Any = Observer()
        try:
            handler.observe(native)
        except OSError:
            native = PollingObserver(timeout=0.5)
            handler.observe(native)
        self.observer = native
        self._watched_paths = {str(root): 1}  # so that serve() starts the observer

    def _source_changed(self, names: list[str], folder: bool) -> None:
        self.preview.touched(names, folder)
        with self._rebuild_cond:
            self._want_rebuild = True
            self._rebuild_cond.notify_all()


class _SourceChanges(FileSystemEventHandler):
    """A change under a watched source (a file written, created, deleted or moved, a folder moved in or out);
    a file only opened or read — the build reads every source — is none."""

    KINDS = frozenset({"created", "modified", "deleted", "moved", "closed"})
    WANTED = (FileCreatedEvent, DirCreatedEvent, FileModifiedEvent, FileDeletedEvent, DirDeletedEvent, FileMovedEvent,
              DirMovedEvent, FileClosedEvent, EventsLostEvent)  # fmt: skip
    """The events asked of the kernel (inotify's mask): not a file opened or closed unwritten — a rebuild opens the
    sources it reads, and each such event was handled in Python beside the rebuild (a demo edit: 400 of them)."""

    def __init__(self, root: Path, changed: Callable[[list[str], bool], None]) -> None:
        self.root, self.changed = root, changed
        self.observer: Any = None
        self.folders: set[str] = set()

    def observe(self, observer: Any) -> None:
        """Watch the project's top level (its files, saved in place or renamed over) and each watched folder."""
        self.observer = observer
        observer.schedule(self, os.fspath(self.root), recursive=False, event_filter=list(self.WANTED))
        for name in WATCHED:
            self._folder(name)

    def _folder(self, name: str) -> None:
        folder = self.root / name
        if name not in self.folders and folder.is_dir() and not folder.is_symlink():
            self.observer.schedule(self, os.fspath(folder), recursive=True, event_filter=list(self.WANTED))
            self.folders.add(name)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type == EVENT_TYPE_EVENTS_LOST:  # the kernel's queue overflowed (a checkout, a sync, a busy
            self.changed([], True)  # machine): which files changed is unknown, so every watched file is compared
            return
        if event.event_type not in self.KINDS:
            return
        names = []
        for path in (event.src_path, getattr(event, "dest_path", "")):
            name = os.path.relpath(os.fsdecode(path), self.root) if path else ""
            top = name.split(os.sep, 1)[0]
            if top in WATCHED:
                with contextlib.suppress(OSError):
                    self._folder(top)  # a watched folder made after the preview started
                names.append(name.replace(os.sep, "/"))
        if names:
            self.changed(names, event.is_directory)


def serve(root: Path, today: dt.date, address: str = "127.0.0.1:8000", stream: TextIO | None = None) -> None:
    """Serve a preview of the county at ``address`` until interrupted; sources are watched."""
    out_stream = stream or sys.stderr

    def say(text: str) -> None:
        print(text, file=out_stream, flush=True)

    problems = check_site_config(root)  # before MkDocs reads it with a loader that runs what it names
    if problems:
        raise SourceErrors(problems)
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise UsageError(f"地址「{address}」应写成 主机:端口，例如 127.0.0.1:8000")
    logging.getLogger("mkdocs").setLevel(logging.ERROR)  # its English lines; ours say the same in Chinese
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    with _stopped_by_signals(), _preview_folder(root) as (folder, temporary):
        out, search = folder / "site", folder / "search"
        for made in (out, search):
            clean_leftovers(made)  # what a preview killed midway left (its staging folders)
            made.mkdir(exist_ok=True)
        preview = Preview(root, today, out, say, search)

        def builder() -> None:
            if preview.unchanged():  # browsers keep their page, not reloaded (MkDocs shows the epoch it wanted)
                server.hold()
                if preview.stale and preview.lock.acquire(blocking=False):  # an index stopped for it: made again
                    try:
                        preview.index()
                    finally:
                        preview.lock.release()
                return
            if not preview.lock.acquire(blocking=False):  # the first index (a county's: minutes): said, not silent
                say("检测到修改，搜索索引生成完毕后开始重新生成……")
                server.hold()  # meanwhile the pages are served as they are, not held until the rebuild
                preview.lock.acquire()
                server.resume()
            try:
                if preview.stopped:
                    return
                preview.rebuild()
                server.show_rebuilt()  # the pages first (or the error); the search index follows
                if preview.failure is None:
                    preview.index()
            finally:
                preview.lock.release()

        def first_index() -> None:
            with preview.lock:
                preview.index(stoppable=False)

        server = PreviewServer(builder=builder, host=host, port=int(port), root=str(out), mount_path=_mount(root))
        server.preview, preview.mount, preview.show = preview, server.mount_path, server.show_now
        server.error_handler = lambda code: _not_found(out) if code == 404 else None
        try:
            say("正在生成预览……")
            preview.split = threading.active_count() == 1  # the first preview builds every page: on two processes
            preview.rebuild()
            preview.split = False
            server.watch_sources(root)
            say(f"预览地址：{server.url}  （修改并保存源文件后自动刷新；按 Ctrl+C 停止）")
            if preview.failure is None:  # the pages can be read meanwhile (a county's first index: minutes)
                say("正在生成搜索索引，完成前预览中的搜索暂时不能用……")
                threading.Thread(target=first_index, name="gongkai-first-index", daemon=True).start()
            try:
                server.serve()
            except KeyboardInterrupt:
                say("预览已停止。")
            finally:
                server.shutdown()
                preview.stopped = True
                preview.edited.set()  # an index under way stops at its next checkpoint
                preview.lock.acquire(timeout=5)  # a first index under way: a moment to finish, not minutes
                preview.close()  # (after a first index, too: its staging is the search's, never the pages')
        finally:
            if temporary:
                manifest_path(root, out).unlink(missing_ok=True)  # this preview's record goes with its folder


@contextlib.contextmanager
def _preview_folder(root: Path) -> Iterator[tuple[Path, bool]]:
    """The preview's folder (``PREVIEW_DIR``, locked while it serves) and False; while another preview holds it, or
    where it cannot be made, a temporary folder (removed afterwards) and True."""
    kept = root / PREVIEW_DIR
    descriptor = None
    with contextlib.suppress(OSError):
        kept.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(kept / ".lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(descriptor)
            descriptor = None
    if descriptor is None:
        # (ignoring what cannot be removed: a first index stopped with the preview may still be writing into it)
        with tempfile.TemporaryDirectory(prefix="gongkai-preview-", ignore_cleanup_errors=True) as temp:
            yield Path(temp), True
        return
    try:
        yield kept, False
    finally:
        os.close(descriptor)  # closing releases the lock


@contextlib.contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """Within: SIGTERM and SIGHUP (a closed terminal, a service manager, a test's terminate) stop the preview as
    Ctrl+C does, so that a temporary copy of the site and its manifest are removed (a preview ended by them
    left its whole site in the temporary folder)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGHUP)}
    for number in previous:
        signal.signal(number, _interrupt)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _interrupt(number: int, frame: object) -> None:
    raise KeyboardInterrupt


class _Sheets:
    """How a rebuild puts the preview's sheets in place. Each is copied from the sheet cache: a link of a cached
    sheet would move the change time of the published site's sheets, links of the same cached files, and the next
    build would vouch for none of the published site. But a sheet of the key the last rebuild put at the same path,
    that file unwritten since (its stat as that rebuild's listing found it, after publishing), is linked from the
    last preview (``link_kept``): copying a county's 636 sheets took 1.5 s of each rebuild, and the guard read them all
    again. Linked from a preview it passed, unwritten since, they are vouched for to the guard as the link left them
    (``guard_site(unwritten=)``): one written in place after it was linked — its size and time kept — is read again.
    (Between the guard's look and the swap, as for the pages linked, nothing but gongkai is assumed to write the
    preview.)"""

    def __init__(
        self, out: Path, staging: Path, last: dict[str, str], listing: dict[str, os.stat_result] | None
    ) -> None:
        self.out, self.staging, self.last, self.listing = out, staging, last, listing
        self.placed: dict[str, str] = {}
        """Each sheet put in place, by path in the pages: its cache key."""
        self.linked: dict[str, tuple[int, ...]] = {}
        """The sheets linked from the last preview, by path, each with its identity as the link left it."""

    def _path(self, target: Path) -> str:
        return target.relative_to(self.staging).as_posix()

    def copy(self, cached: Path, target: Path) -> None:
        publish_sheet(cached, target, copied=True)
        self.placed[self._path(target)] = cached.stem

    def link_kept(self, key: str, target: Path) -> bool:
        """Link at ``target`` the sheet of ``key`` the last rebuild published there, if unwritten since: whether
        it did (else the sheet is copied from the cache)."""
        path = self._path(target)
        was = self.listing.get(path) if self.listing is not None else None
        if was is None or self.last.get(path) != key:
            return False
        last = self.out / path
        try:
            if _as_found(os.lstat(last)) != _as_found(was):
                return False
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            os.link(last, target)
            self.linked[path] = identity(os.lstat(target))
        except OSError:
            return False
        self.placed[path] = key
        return True


def _shown(name: str) -> bool:
    """Whether a change of the watched file ``name`` (relative to the project) can change the preview, and so stops
    the search index under way: not one of a hidden file or folder (``tree.hidden``) — no loader reads one and the
    site publishes none, and an editor writes its swap and lock files so (vim's .x.md.swp, emacs's .#x.md) every few
    seconds while the clerk types: each stopped the index, which then never ended; Excel writes its owner file
    (``~$名单.xlsx``) when the clerk opens a list. Nor is such a change built (``Preview.unchanged``)
    unless a hidden link is among them. A source may not name a hidden file (``tree.hidden_fix``), but a theme's
    template may include one (``{% include ".parts.html" %}``): theme/'s hidden files are shown, but for vim's swap
    files (``.main.html.swp``, .swo …: else each write rebuilt every page)."""
    if not hidden(name):
        return True
    return name.startswith(f"{THEME_DIR}/") and not _SWAP.fullmatch(name.rpartition("/")[2])


_SWAP = re.compile(r"\..+\.sw[a-p]")
"""vim's swap file of a file (``.main.html.swp``; .swo, .swn … while the first is taken)."""


def _fingerprints(root: Path, names: Collection[str]) -> dict[str, tuple[tuple[int, ...], bytes]]:
    """Each named regular file's identity (``cachefile.identity``) and the SHA-256 of its bytes, read now; a link, a
    FIFO or a file that cannot be read is left out (opened without following a link or waiting on a FIFO)."""
    found: dict[str, tuple[tuple[int, ...], bytes]] = {}
    for name in names:
        try:
            fd = os.open(root / name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            with open(fd, "rb", closefd=True) as file:
                status = os.fstat(file.fileno())
                if stat.S_ISREG(status.st_mode):
                    found[name] = (identity(status), hashlib.file_digest(file, "sha256").digest())
        except OSError:
            continue
    return found


def _as_found(found: os.stat_result) -> tuple[int, ...]:
    """A file's type and mode and its identity (``cachefile.identity``: written since, its change time moved)."""
    return (found.st_mode, *identity(found))


def _listed(tree: Path, paths: list[str]) -> dict[str, os.stat_result] | None:
    """Every file (not folder) of ``tree`` among ``paths`` (its every entry, as the guard listed it) by its path, as
    it is now; None when one is gone (``write.unchanged.listed_digest``'s look-ups, without the digest)."""
    top, found = os.fspath(tree), {}
    lstat, folder = os.lstat, stat.S_ISDIR
    try:
        for path in paths:
            entry = lstat(f"{top}/{path}")
            if not folder(entry.st_mode):
                found[path] = entry
    except OSError:
        return None
    return found


def _skeleton(tree: Path, into: Path, linked: Container[str] = ()) -> None:
    """Make in ``into`` every folder of ``tree``, with a link of each of its regular files at a path of ``linked``:
    the next rebuild finds them in place (a folder that cannot be made, a file that cannot be linked, is left to it;
    after a link fails for want of hard links, or of room, none is tried)."""
    folders, top = [os.fspath(tree)], len(os.fspath(tree)) + 1
    linking = bool(linked)
    while folders:
        with contextlib.suppress(OSError), os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                    with contextlib.suppress(OSError):
                        os.mkdir(os.path.join(into, entry.path[top:]))
                elif linking and entry.path[top:] in linked and entry.is_file(follow_symlinks=False):
                    try:
                        os.link(entry.path, os.path.join(into, entry.path[top:]), follow_symlinks=False)
                    except (FileNotFoundError, FileExistsError, NotADirectoryError):  # that one only (kept by part …)
                        pass
                    except OSError:
                        linking = False


def _is_page(path: str) -> bool:
    return path.endswith(("/", ".html")) or "." not in path.rsplit("/", 1)[-1]


def _mount(root: Path) -> str:
    """The sub-path of mkdocs.yml's site_url, where the preview is served (checked by check_site_config)."""
    try:
        config = yaml.safe_load((root / CONFIG_FILE).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return "/"
    site_url = config.get("site_url") if isinstance(config, dict) else None
    return urlsplit(site_url).path or "/" if isinstance(site_url, str) else "/"


def _not_found(out: Path) -> bytes | None:
    return _plain(os.path.join(out, "404.html"))


def _plain(path: str, wanted: Callable[[os.stat_result], bool] = lambda _: True) -> bytes | None:
    """The bytes of the plain file at ``path`` if ``wanted`` takes it, else None: neither a link put in its place is
    followed nor a FIFO waited on (opening one blocked the request for ever)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    with open(descriptor, "rb") as file:
        found = os.fstat(file.fileno())
        if not stat.S_ISREG(found.st_mode) or not wanted(found):
            return None
        try:
            return file.read()
        except OSError:
            return None
