"""Personal numbers in the sources: ``check`` refuses them, located, before anything is built.

Every file the build reads or publishes is read by the same readers and normaliser as the publish
guard uses on the site, so anything the build would catch ``check`` catches first: county.yml,
mkdocs.yml, public-numbers.yml, index-ledger.csv, the audit's audit-rules.yml and audit-evidence.yml
(the self-inspection report quotes them), and every file under catalog/, content/ (attachments
and pictures included), villages/, reports/ and theme/ — and every file's name.
"""

from __future__ import annotations

import contextlib
import gc
import io
import logging
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..cachefile import code_fingerprint, identity, keep, read_kept, settled_before
from ..errors import Problem
from ..load.files import rel_path
from ..load.public import PUBLIC_FILE
from ..load.tree import hidden
from ..model.audit import COUNTY_RULES, EVIDENCE_FILE
from ..model.config import CountyConfig
from ..workers import mapped
from .allow import Allowance, load_allowance
from .normalise import HARD, Part, fold
from .patterns import Found
from .readers import MAX_FILE, Active, Unreadable, read
from .scan import CACHE_VERSION, FileScan, ScanCache, Spot, cache_key, scan_bytes, scan_name, scan_parts

ROOT_FILES = (
    "county.yml",
    "mkdocs.yml",
    PUBLIC_FILE,
    "index-ledger.csv",
    "import-map.yml",
    COUNTY_RULES,
    EVIDENCE_FILE,
)
SOURCE_DIRS = ("catalog", "content", "villages", "reports", "theme")
_PARALLEL_FROM = 64  # files to scan before a process pool pays for itself (as the site guard's)
_CHUNK = 16
log = logging.getLogger(__name__)

CACHE_DIR = ".cache/guard"
SOURCES_CACHE = "sources.bin"
SEEN_CACHE = "sources-seen.bin"
_MAGIC = b"gk-seen-2\0"
FIX = (
    "原始号码不能进入仓库：身份证号只保留前 6 位和后 4 位，银行卡号只保留后 4 位，手机号保留前 3 位和后 4 位；"
    "依法公开的号码（办件编号、国库账户、公共服务电话等）请登记在 public-numbers.yml"
)
SCANNED_FIX = "请人工核对：图片里不能有未遮盖的身份证号、银行卡号和手机号"


def scan_sources(root: Path, config: CountyConfig | None) -> list[Problem]:
    """Every unmasked personal number in the sources, every file that cannot be read, and every problem
    of the numbers published on purpose (county.yml's, public-numbers.yml)."""
    allowance, problems = load_allowance(root, config)
    seen = Seen(root / CACHE_DIR)
    files = list(_source_files(root))
    for (_, rel, _), result in zip(files, seen.scan_all(files), strict=True):
        problems += _file_problems(rel, result, allowance)
    seen.save()
    allowance.log_overrides()
    return problems


class Seen:
    """What each source file held when it was last scanned, by its identity — device, inode, size,
    modification and change time (a write moves the change time, which cannot be set back; a file changed
    just before it was scanned is not taken so, ``cachefile.SETTLED_NS``) —, in one
    sealed file keyed with gongkai's code: an unchanged file is neither read nor hashed. A file whose
    identity moved is scanned through the content-hash cache (``ScanCache``, opened only then)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / SEEN_CACHE
        self.scans_path = folder / SOURCES_CACHE
        self.old: dict[str, Any] = {}
        self.new: dict[str, Any] = {}
        self._scans: ScanCache | None = None
        self.settled = settled_before()
        kept = read_kept(self.path, _MAGIC, code_fingerprint())
        if isinstance(kept, dict):
            self.old = kept

    @property
    def scans(self) -> ScanCache:
        """The content-hash cache, opened at the first file whose identity moved."""
        if self._scans is None:
            self._scans = ScanCache(self.scans_path)
        return self._scans

    def scan_all(self, files: list[tuple[str, str, os.stat_result]]) -> list[Scanned]:
        """Each file's scan and its name's spots (each file as its ``stat`` found it before it is read), from the
        last run when its identity is the same; the others read through the content-hash cache, those it does not
        know scanned on worker processes when they are many (a county's first check: 20 000 files, half of it)."""
        results: list[Scanned | None] = [self._known(rel, found) for _, rel, found in files]
        missing = [i for i, result in enumerate(results) if result is None]
        fresh = _scan_files([(files[i][0], files[i][2].st_size) for i in missing], self.scans) if missing else []
        for i, outcome in zip(missing, fresh, strict=True):
            _, rel, found = files[i]
            if isinstance(outcome, Unreadable):
                results[i] = outcome
                continue
            key, scanned = outcome
            names = _name_spots(rel, self.scans)
            if found.st_ctime_ns < self.settled:
                spots, notes, named = [_row(s) for s in scanned.spots], scanned.notes, [_row(s) for s in names]
                kept = (spots, notes, named) if spots or notes or named else ()  # nothing found: kept small
                self.new[rel] = (_identity(found), key, *kept)
            results[i] = scanned, names
        return [result for result in results if result is not None]

    def _known(self, rel: str, found: os.stat_result) -> Scanned | None:
        """The file's scan and its name's spots as the last run kept them, if its identity is the same."""
        entry = self.old.get(rel)
        if entry is not None and entry[0] == _identity(found):
            with contextlib.suppress(TypeError, ValueError, IndexError):
                clean = len(entry) == 2  # (identity, key): nothing found, the common case, kept small
                scanned = FileScan() if clean else FileScan([_spot(s) for s in entry[2]], [str(n) for n in entry[3]])
                names = [] if clean else [_spot(s) for s in entry[4]]
                self.new[rel] = entry
                return scanned, names
        return None

    def save(self) -> None:
        """Keep this run's files (and, in the content-hash cache, the results of the files it did not read)."""
        if self._scans is not None:
            for rel, entry in self.new.items():
                key: str = entry[1]
                if self.old.get(rel) is entry:  # taken by identity: keep its content's and name's entries
                    self._scans.get(key)
                    self._scans.get(_name_key(rel))
            self._scans.save()
        if self.new != self.old and not keep(self.path, _MAGIC, code_fingerprint(), self.new):
            log.debug("扫描缓存无法写入：%s", self.path)  # only costs the next check a hash of each file


def _row(spot: Spot) -> tuple[str, str, str, int | None]:
    return spot.found.kind, spot.found.number, spot.where, spot.line


def _spot(row: tuple[str, str, str, int | None]) -> Spot:
    kind, number, where, line = row
    return Spot(Found(str(kind), str(number)), str(where), None if line is None else int(line))


Scanned = tuple[FileScan, list[Spot]] | Unreadable
"""A source file's scan and its name's spots, or why it cannot be read (``Active``: it would run something)."""


def _identity(found: os.stat_result) -> str:
    """``cachefile.identity`` as a cache key's text."""
    return ":".join(map(str, identity(found)))


def _file_problems(rel: str, result: Scanned, allowance: Allowance) -> list[Problem]:
    if isinstance(result, Active):
        return [Problem(rel, None, "", result.reason, result.fix)]
    if isinstance(result, Unreadable):
        message = f"无法完整读取：{result.reason}，不能确认其中没有个人信息"
        return [Problem(rel, None, "", message, result.fix)]
    scanned, names = result
    problems = [
        Problem(rel, None, "", f"{note}，号码检查看不到图片里的文字", SCANNED_FIX, warning=True)
        for note in scanned.notes
    ]
    seen: set[tuple[Found, int | None]] = set()
    for spot in [*names, *scanned.spots]:
        if (spot.found, spot.line) in seen:
            continue
        seen.add((spot.found, spot.line))
        problem = _judge(spot, rel, allowance)
        if problem:
            problems.append(problem)
    return problems


def _name_key(rel: str) -> str:
    return f"{CACHE_VERSION}:name:{rel}"


def _name_spots(rel: str, cache: ScanCache) -> list[Spot]:
    """scan_name, through the cache (the names of a county's files change seldom, and there are many)."""
    key = _name_key(rel)
    found = cache.get(key)
    if found is None:
        found = FileScan(scan_name(rel))
        cache.put(key, found)
    return found.spots


def _judge(spot: Spot, rel: str, allowance: Allowance) -> Problem | None:
    allowed, entry = allowance.in_source(spot.found, rel)
    if allowed:
        return None
    where = f"（{spot.where}）" if spot.where else ""
    if entry is None:
        return Problem(rel, spot.line, "", f"发现未遮盖的{spot.found.kind} {spot.found.masked}{where}", FIX)
    what = f"「{entry.name}」规则" if hasattr(entry, "name") else "号码"
    return Problem(
        rel,
        spot.line,
        "",
        f"{spot.found.kind} {spot.found.masked}{where}符合 {PUBLIC_FILE} 第 {entry.origin.line} 行登记的{what}，"
        "但这个文件不在它的「位置」中",
        f"登记的位置：{'、'.join(entry.places)}。如果这里也要公开，请把「{rel}」加入该项的「位置」",
    )


def _scan_files(files: list[tuple[str, int]], cache: ScanCache) -> list[tuple[str, FileScan] | Unreadable]:
    """Each file's content key in ``cache`` and what it holds (its worksheets' numbers located by row), or why it
    cannot be read. The files ``cache`` does not know are scanned on worker processes when they are many, each from
    the very bytes its key was made of (read once, here: a file saved meanwhile cannot leave another content's
    result under this key)."""
    results: list[tuple[str, FileScan] | Unreadable] = []
    unknown: list[tuple[int, str, bytes]] = []  # (index, key, bytes) of those to scan
    books: dict[int, bytes] = {}  # the workbooks' bytes, by index: their rows are located from the same bytes
    for path, size in files:
        if size > MAX_FILE:
            too_big = f"文件过大（{size // 1024 // 1024} MB，上限 {MAX_FILE // 1024 // 1024} MB）"
            results.append(Unreadable(too_big, "请压缩或拆分"))
            continue
        data = Path(path).read_bytes()
        key = cache_key(data, os.path.basename(path), True)
        scanned = cache.get(key)
        results.append((key, scanned if scanned is not None else FileScan()))
        if scanned is None:
            unknown.append((len(results) - 1, key, data))
        if path.lower().endswith((".xlsx", ".xlsm")):
            books[len(results) - 1] = data
    jobs = [(data, os.path.basename(files[i][0])) for i, _, data in unknown]
    # (the workers need none of the loaded county: frozen, their collections never walk it)
    fresh = mapped(_scan_one, jobs, pooled_from=_PARALLEL_FROM, chunksize=_CHUNK, initializer=gc.freeze)
    for (i, key, _), outcome in zip(unknown, fresh, strict=True):
        if isinstance(outcome, FileScan):
            cache.put(key, outcome)
            results[i] = key, outcome
        else:
            active, why, fix = outcome
            results[i] = Active(why, fix) if active else Unreadable(why, fix)
    for i, data in books.items():
        found = results[i]
        if not isinstance(found, Unreadable):
            rows = _xlsx_rows(io.BytesIO(data))
            located = {spot.found for spot in rows}
            key, scanned = found
            results[i] = key, FileScan(rows + [s for s in scanned.spots if s.found not in located], scanned.notes)
    return results


def _scan_one(job: tuple[bytes, str]) -> FileScan | tuple[bool, str, str]:
    """A file's scan from its bytes and name, or (whether it would run something, why, the fix) when it cannot be
    read (an exception with its own arguments does not cross between processes as it is)."""
    data, name = job
    try:
        return scan_bytes(data, name, lines=True)
    except Active as active:
        return True, active.what, active.fix
    except Unreadable as unreadable:
        return False, unreadable.reason, unreadable.fix


def locate(root: Path, numbers: Iterable[str]) -> dict[str, tuple[str, int | None, str]]:
    """Where each number first appears in the sources: (file, line, part), read through the same normaliser."""
    wanted = set(numbers)
    places: dict[str, tuple[str, int | None, str]] = {}
    for path in source_files(root):
        if not wanted:
            break
        rel = rel_path(path, root)
        for number, line, where in list(_mentions(path, rel, frozenset(wanted))):
            if number in wanted:
                places[number] = (rel, line, where)
                wanted.discard(number)
    return places


def _mentions(path: Path, rel: str, wanted: frozenset[str]) -> Iterator[tuple[str, int | None, str]]:
    """The wanted numbers in a file: found as numbers, or as a run of digits anywhere in a line."""
    try:
        parts = [*read(path.name, path.read_bytes(), lines=True).parts, *_name_parts(rel)]
    except (Unreadable, OSError):
        return
    for spot in scan_parts(parts):
        yield spot.found.number, spot.line, spot.where
    for part in parts:
        for offset, text in _lines(part):
            bare = "".join(c for c in text if c.isdigit() or c == "X")
            for number in wanted:
                if number in bare:
                    yield number, None if part.line is None else part.line + offset, part.where


def _name_parts(rel: str) -> list[Part]:
    return [Part(fold(rel), "文件名", None)]


def _lines(part: Part) -> Iterator[tuple[int, str]]:
    if part.line is None:
        yield 0, part.text.replace(HARD, "")
        return
    for offset, text in enumerate(part.text.split("\n")):
        yield offset, text.replace(HARD, "")


def source_files(root: Path) -> Iterator[Path]:
    """Every file the build reads or may publish, in path order; hidden files and folders (``tree.hidden``: a dot
    file, an office program's owner file) are left out: the site publishes none of them."""
    for name in ROOT_FILES:
        if (root / name).is_file():
            yield root / name
    for folder in SOURCE_DIRS:
        found = []
        for current, dirs, files in os.walk(root / folder):
            dirs[:] = [d for d in dirs if not hidden(d)]
            found += [Path(current) / f for f in files if not hidden(f)]
        yield from sorted((p for p in found if p.is_file()), key=lambda p: p.parts)  # Path order, faster


def _source_files(root: Path) -> Iterator[tuple[str, str, os.stat_result]]:
    """``source_files`` as (path, relative path, status): no Path made for each of a county's files."""
    base = os.fspath(root)
    for name in ROOT_FILES:
        yield from _regular(os.path.join(base, name), name)
    for folder in SOURCE_DIRS:
        found = []
        for current, dirs, files in os.walk(os.path.join(base, folder)):
            dirs[:] = [d for d in dirs if not hidden(d)]
            at = current[len(base) + 1 :].replace(os.sep, "/")
            found += [(f"{at}/{f}", os.path.join(current, f)) for f in files if not hidden(f)]
        found.sort(key=lambda item: item[0].split("/"))  # Path order
        for rel, path in found:
            yield from _regular(path, rel)


def _regular(path: str, rel: str) -> Iterator[tuple[str, str, os.stat_result]]:
    """The file, if it is one (``Path.is_file``: a link is followed)."""
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return
    if stat.S_ISREG(found.st_mode):
        yield path, rel, found


def _xlsx_rows(path: Path | io.BytesIO) -> list[Spot]:
    """The numbers of a workbook's cells, located by row (cells are kept apart)."""
    import openpyxl  # slow to import; only tables need it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # a damaged workbook is refused by the reader already
        return []
    spots: list[Spot] = []
    try:
        for sheet in book.worksheets:
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                text = HARD.join("" if v is None else str(v) for v in row)
                where = f"工作表「{sheet.title}」"
                spots += [Spot(s.found, where, number) for s in scan_parts([Part(fold(text), where, None)])]
    finally:
        book.close()
    return spots
