"""The load cache (``.cache/load/`` of the project): what parsing made of each source file — its record
(or records) and its problems, file and line included — so that an unchanged file is not parsed again.

An entry is stored under the hash of the file's bytes, its path, whatever else its parse is given (the
village of a payout list), gongkai's code and the libraries' versions (cachefile.code_fingerprint): a
changed byte, a renamed file or a code change is a miss, never a stale hit. What a parse reads besides
the file itself — whether an attachment or a payout table exists, its size — is not cached but looked
up on every load. Entries are sealed with their key (cachefile.py: a damaged one, or one moved to another
key, reads as missing) and pickled; unpickling constructs only the model's dataclasses, ``Problem``,
dates and decimals (``_Unpickler``), never other code. A load's new entries are written after it, and the
entries it did not use removed (``prune``); a worker process that parses for a load hands its entries back
(``adopt``). The last load's entries are kept in memory too (``_MEMORY``), for the next load in the same
process (``gongkai serve``).
Threat model as for the other caches (DEVELOPING.md): whoever can write ``.cache/`` is trusted like the
sources.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import io
import logging
import marshal
import os
import pickle
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence, Set
from pathlib import Path
from typing import Any, NamedTuple, overload

from ..cachefile import code_fingerprint, entries, identity, keep, read_kept, seal, settled_before, store, unseal
from ..errors import BuildFailed, Problem
from .files import MAX_SOURCE_BYTES, decode_text, read_text

log = logging.getLogger(__name__)

CACHE_DIR = ".cache/load"
_MAGIC = b"gk-load-2\0"
INDEX = "index.bin"
_INDEX_MAGIC = b"gk-load-index-1\0"
PACK = "pack.bin"
_PACK_MAGIC = b"gk-load-pack-1\0"
BATCH = "batch.bin"
_BATCH_MAGIC = b"gk-load-batch-1\0"
PACK_FROM = 1000
"""Loose entries (one file each) — or entries of the pack and batch no longer used, or records found in the pack
that belong in the batch — that make a load gather the entries it used into a new pack and batch: a build that
changed a few files writes a few loose entries, not the pack."""

Parsed = tuple[Any, list[Problem]]


_MEMORY: dict[tuple[str, str], Parsed] = {}
"""The entries of the last load in this process, by cache folder (a string: a Path's hash costs) and name:
``gongkai serve`` loads again after each edit, and need not read and unpickle what it holds already."""


_HELD: dict[str, tuple[tuple[int, ...], frozenset[str]]] = {}
"""The names the pack and batch files held when this process last read or wrote them, by path, with each file's
identity then (``LoadCache._held``): a later load in the process (``gongkai serve``, after an edit) that looks up a
name they do not hold need not read them (a county's batch: a second to read and unpickle, for nothing). Only a
hint: a wrong one costs a parse or a read, never a wrong record."""


_NAMED: dict[int, tuple[Any, str]] = {}
"""The last load's records by id: the record (held, so that no other takes its id) and the name of the entry it was
parsed from (``named``)."""


def release_loaded() -> None:
    """Forget the last load's entries kept in memory and collect what only they held: a one-shot build
    calls this once the records are no longer needed, before the search index's join takes the memory."""
    _MEMORY.clear()
    _NAMED.clear()
    _HELD.clear()
    gc.collect()


def name_loaded(records: dict[str, Any], names: dict[str, str]) -> None:
    """Remember the entry each of the last load's records (by its file) was parsed from (``names``, by file)."""
    _NAMED.clear()
    _NAMED.update((id(record), (record, names[rel])) for rel, record in records.items() if rel in names)


def named(record: Any) -> str | None:
    """The name of the load cache entry ``record`` (of the last load in this process) was parsed from: the hash of its
    file's bytes, path and gongkai's code, so that what depends on these alone can be kept under it (check/cache.py)
    without hashing the record's text again; None when it was not loaded so."""
    found = _NAMED.get(id(record))
    return found[1] if found is not None and found[0] is record else None


class _Source(NamedTuple):
    """A source file as a load reads it through the cache: what kind of record it parses into, where it is (and
    its path in the project), what else its parse was given, and its ``stat`` taken before it is read."""

    kind: str
    path: Path | str
    rel: str
    given: tuple[str, ...]
    status: os.stat_result

    def slot(self) -> str:
        """Its place in the index of the last load's files (``LoadCache._index``)."""
        return "\0".join((self.kind, self.rel, *self.given))

    def identity(self) -> tuple[int, ...]:
        """Device, inode, size, modification and change time: a write moves the change time (never set back)."""
        return identity(self.status)


class Missing(Exception):
    """A probing cache holds no entry for this file (LoadCache.probing)."""


class LoadCache:
    """Parse results under ``folder``; ``LoadCache(None)`` keeps nothing and parses every file."""

    def __init__(self, folder: Path | None, code: bytes | None = None, packed: bool = True) -> None:
        self.folder = folder
        self.at = os.fspath(folder) if folder is not None else ""  # the folder as _MEMORY's keys name it
        self.packed = packed and folder is not None
        """Whether this is a load's cache (it reads and writes the pack, the batch and the index); False on a worker
        process, which parses the misses only: no pack, no index, no file of its own; the entries
        it made go back to the parent (``entry_made``), which keeps them (``adopt``)."""
        self.code = code if code is not None else _MAGIC + code_fingerprint()
        self.used: set[str] = set()
        self.hits: Counter[str] = Counter()  # by kind
        self.misses: Counter[str] = Counter()
        self.probe = False
        self.made: set[Path] = set()  # entry folders made (or found) already
        self.known: dict[str, tuple[tuple[int, ...], str]] | None = None  # the last load's index (_index)
        self.seen: dict[str, tuple[tuple[int, ...], str]] = {}  # this load's
        self.lookups = 0
        self.settled = settled_before()
        self.pack: dict[str, bytes] | None = None  # the pack's entries by name (_pack)
        self.batch: dict[str, Any] | None = None  # the batch's records by name (_batch)
        self.rows: set[str] = set()  # names of the entries kept pickled until read (``Rows``): gathered in the pack
        self.bodies: dict[str, bytes] = {}  # this load's entries as pickled, by name
        self.fresh: set[str] = set()  # the names of those this load made (``_put``, ``adopt``), written by prune
        self.adopted: set[str] = set()  # the names of those a worker process parsed (``adopt``)
        self.last: str | None = None
        """The name of the entry the last lookup gave (without a folder, the name it would have): the hash of
        everything its records were parsed from, so a record made of them can be known by it without reading
        them (render/sheets: a payout list's 150 000 rows)."""

    @classmethod
    def open(cls, root: Path) -> LoadCache:
        """The cache of the project at ``root``."""
        return cls(root / CACHE_DIR)

    @contextlib.contextmanager
    def probing(self) -> Iterator[None]:
        """Within: a file without an entry raises Missing instead of being parsed (to parse the misses
        on worker processes)."""
        self.probe = True
        try:
            yield
        finally:
            self.probe = False

    def parse(self, kind: str, path: Path | str, rel: str, parse: Callable[[str], Parsed], *given: str) -> Parsed:
        """``parse`` of the file's text (UTF-8, read_text's rules), through the cache: stored under the
        file's bytes, ``kind``, ``rel`` and ``given`` (everything else the parse result depends on)."""
        found = os.stat(path)
        if found.st_size > MAX_SOURCE_BYTES:
            return None, read_text(Path(path), rel)[1]  # refused before it is read
        return self._cached(_Source(kind, path, rel, given, found), lambda data: _decoded(data, rel, parse))

    def parse_bytes(
        self, kind: str, path: Path | str, rel: str, parse: Callable[[bytes], Parsed], *given: str
    ) -> Parsed:
        """``parse`` of the file's bytes, through the cache (as ``parse``)."""
        return self._cached(_Source(kind, path, rel, given, os.stat(path)), parse)

    def summarized(
        self,
        kind: str,
        path: Path,
        rel: str,
        parse: Callable[[bytes], Parsed],
        summarize: Callable[[Any], Any],
        *given: str,
    ) -> tuple[Sequence[Any], Any, list[Problem]]:
        """``parse_bytes`` of a file parsed into records (a payout table's rows), with ``summarize(records)``: what
        the later stages need of them, kept in an entry of its own beside theirs. When that entry is cached, the
        records are not unpickled until they are read (``Rows``): a build that did not change the table never
        pays for its rows. ``summarize`` must depend on the records and gongkai's code only."""
        source = _Source(kind, path, rel, given, os.stat(path))
        if self.folder is None:
            records, problems = self._cached(source, parse)
            return records, summarize(records), problems
        name, data = self._name(source)
        facts = _named(self.code, "facts", name)  # (not a file's name: no file read)
        found = _MEMORY.get((self.at, facts)) or self._get(facts)
        held = _MEMORY.get((self.at, name))
        records = held[0] if held is not None else None
        self.rows.add(name)
        if found is not None and records is None:
            body = self._packed(name) or self._loose(name)
            if body is not None:
                self.bodies[name] = body
                again = functools.partial(_parsed_again, path, self.code, (kind, rel, *given), name, parse)
                records = Rows(body, again)
        (self.misses if found is None else self.hits)["facts"] += 1  # an entry of its own, as it is stored
        if found is not None and records is not None:
            self.hits[kind] += 1
            self.used.add(facts)
            _MEMORY[self.at, facts] = found
            _MEMORY[self.at, name] = records, found[1]
            return records, found[0], list(found[1])
        records, problems = self._fetch(source, parse, name, data)
        self.rows.add(self.last or name)
        summary = summarize(records)
        facts = _named(self.code, "facts", self.last or name)  # (named by its bytes again when its entry was gone)
        self.used.add(facts)
        self._put(facts, (summary, problems))
        _MEMORY[self.at, facts] = summary, list(problems)
        return records, summary, problems

    def _cached(self, source: _Source, parse: Callable[[bytes], Parsed]) -> Parsed:
        """The entry of the file as ``source.status`` found it (before it is read): named by its bytes' hash, or,
        when the file has the identity the last load indexed (device, inode, size, modification and change time: a
        write moves the change time, which cannot be set back), by the name indexed, without reading the file."""
        if self.folder is None:
            read = _read(source.path)
            self.last = self._named_by(source, read)  # named as a cache would: the same records, the same name
            return _collected(parse, read)
        name, data = self._name(source)
        return self._fetch(source, parse, name, data)

    def _named_by(self, source: _Source, data: bytes) -> str:
        """The name of the entry of ``source`` holding these bytes."""
        return self._key(source.kind, source.rel, *source.given, data)

    def _name(self, source: _Source) -> tuple[str, bytes | None]:
        """The name of the file's entry (by its identity when indexed, by this load or the last, else by its bytes,
        then read and returned), counted as used and indexed (``_cached``)."""
        self.lookups += 1
        slot, now = source.slot(), source.identity()
        known = self.seen.get(slot) or self._index().get(slot)
        data = None
        if known is not None and known[0] == now:
            name = known[1]
        else:
            data = _read(source.path)
            name = self._named_by(source, data)
        if source.status.st_ctime_ns < self.settled:
            self.seen[slot] = (now, name)
        self.used.add(name)
        self.last = name
        return name, data

    def _fetch(self, source: _Source, parse: Callable[[bytes], Parsed], name: str, data: bytes | None) -> Parsed:
        """The entry ``name`` (``_name``), or the file parsed and kept under it (``_put``)."""
        assert self.folder is not None
        found = _MEMORY.get((self.at, name)) or self._get(name)
        if found is not None:
            (self.misses if name in self.adopted else self.hits)[source.kind] += 1
            _MEMORY[self.at, name] = found
            return found[0], list(found[1])  # the records are frozen; a caller may add to the problems
        if self.probe:
            raise Missing(source.rel)
        if data is None:  # indexed, but its entry is gone: read (and named by its bytes again)
            self.used.discard(name)
            data = _read(source.path)
            name = self.last = self._named_by(source, data)
            self.used.add(name)
            self.seen[source.slot()] = (source.identity(), name)
        self.misses[source.kind] += 1
        result = _collected(parse, data)
        self._put(name, result)
        _MEMORY[self.at, name] = result[0], list(result[1])
        return result

    def _index(self) -> dict[str, tuple[tuple[int, ...], str]]:
        """The last load's files by identity: ``slot`` (kind, path, what the parse was given) → (identity, name)."""
        if self.known is None:
            self.known = {}
            assert self.folder is not None and self.code is not None
            if not self.packed:
                return self.known
            kept = read_kept(self.folder / INDEX, _INDEX_MAGIC, self.code)
            if isinstance(kept, dict):
                self.known = kept
        return self.known

    def prune(self) -> None:
        """At the end of a load: write the entries it made (``fresh``) — gathered with the rest in the batch and the
        pack when it gathers them, else each in a file of its own —, remove those it did not use (a file changed or
        deleted since), and index its files by identity."""
        if self.folder is None:
            return
        unchanged = self.seen == self._index() and len(self.seen) == self.lookups and not self.misses
        if self.seen != self._index() and not keep(self.folder / INDEX, _INDEX_MAGIC, self.code, self.seen):
            log.debug("读取缓存无法写入：%s", self.folder)  # only costs the next load a read of each file
        for key in [key for key in _MEMORY if key[0] != self.at or key[1] not in self.used]:
            del _MEMORY[key]  # one county's records at most (a test session loads hundreds)
        if unchanged and self.pack is None and self.batch is None:  # all from memory (gongkai serve), as found last
            return
        pack, batch = self._names(PACK, self._pack), self._names(BATCH, self._batch)  # (their names will do)
        loose = self.used.difference(pack).difference(batch)
        unused = len(pack - self.used) + len(batch - self.used)
        unbatched = len(self.used.intersection(pack).difference(self.rows))  # (a pack of an earlier layout)
        packed = len(loose) >= PACK_FROM or unused >= PACK_FROM or unbatched >= PACK_FROM
        if packed:
            packed = self._gather()
        elif unchanged:  # every file as the last load found it: it left no other entry
            return
        if not packed:
            self._write_loose()
        for path in entries(self.folder):
            if packed or path.name not in self.used:
                with contextlib.suppress(OSError):
                    os.unlink(path)

    def _pack(self) -> dict[str, bytes]:
        """The entries gathered in the pack file, by name (read once, checked whole: a damaged pack is empty)."""
        if self.pack is None:
            self.pack = {}
            assert self.folder is not None
            if not self.packed:
                return self.pack
            with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
                was = identity(os.stat(self.folder / PACK))  # before the read (see _HELD)
                data = memoryview((self.folder / PACK).read_bytes())
                start = len(_PACK_MAGIC) + 4
                if data[: len(_PACK_MAGIC)] == _PACK_MAGIC and data[len(_PACK_MAGIC) : start] == _crc(data[start:]):
                    code, found = marshal.loads(data[start:])
                    if code == self.code and isinstance(found, dict):
                        self.pack = found
                self._hold(PACK, was, self.pack)
        return self.pack

    def _batch(self) -> dict[str, Any]:
        """The records gathered in the batch file, by name: one unpickling for all of them (20 500 documents: a
        third of the CPU of one unpickling each). Read once, checked whole: a damaged batch is empty."""
        if self.batch is None:
            self.batch = {}
            assert self.folder is not None
            if not self.packed:
                return self.batch
            with contextlib.suppress(OSError, ValueError):
                was = identity(os.stat(self.folder / BATCH))  # before the read (see _HELD)
                data = memoryview((self.folder / BATCH).read_bytes())
                start = len(_BATCH_MAGIC) + 4
                if data[: len(_BATCH_MAGIC)] == _BATCH_MAGIC and data[len(_BATCH_MAGIC) : start] == _crc(data[start:]):
                    size = int.from_bytes(data[start : start + 4], "big")
                    if data[start + 4 : start + 4 + size] == self.code:
                        found = _unpickled_value(data[start + 4 + size :])
                        if isinstance(found, dict):
                            self.batch = found
                self._hold(BATCH, was, self.batch)
        return self.batch

    def _names(self, file: str, read: Callable[[], dict[str, Any]]) -> Set[str]:
        """The names the pack or batch ``file`` holds: as ``_held`` knows them, else its entries as ``read``."""
        held = self._held(file)
        return held if held is not None else read().keys()

    def _hold(self, file: str, was: tuple[int, ...], entries: Mapping[str, object]) -> None:
        """Remember the names the pack or batch ``file`` holds (``_HELD``), the file's identity ``was`` before it was
        read or once written. Only this cache's files are remembered: a process that loads one county after
        another (the tests) does not keep every earlier one's names."""
        for path in [path for path in _HELD if os.path.dirname(path) != self.at]:
            del _HELD[path]
        _HELD[os.path.join(self.at, file)] = (was, frozenset(entries))

    def _packed(self, name: str) -> bytes | None:
        """The entry ``name`` of the pack file, which is not read for a name it is known not to hold (``_held``)."""
        held = self._held(PACK)
        return self._pack().get(name) if held is None or name in held else None

    def _held(self, file: str) -> frozenset[str] | None:
        """The names the pack or batch ``file`` held when this process last read or wrote it, if it is still that
        file (its identity); None when unknown or read already by this load (its entries then tell)."""
        if (self.pack if file == PACK else self.batch) is not None:
            return None
        path = os.path.join(self.at, file)
        held = _HELD.get(path)
        if held is None:
            return None
        try:
            return held[1] if identity(os.stat(path)) == held[0] else None
        except OSError:
            return None

    def _gather(self) -> bool:
        """Write the entries this load used as the new pack (the rows kept pickled) and batch (every other record,
        pickled as one); whether both were written."""
        assert self.folder is not None
        pack = self._pack()
        gathered: dict[str, bytes] = {}
        batch: dict[str, Parsed] = {}
        for name in sorted(self.used):
            value = None if name in self.rows else self._memory(name)
            if value is not None:
                batch[name] = value
                continue
            body = self.bodies.get(name) or pack.get(name) or self._loose(name)
            if body is not None:
                gathered[name] = body
        body = marshal.dumps((self.code, gathered))
        records = len(self.code).to_bytes(4, "big") + self.code + pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            store(self.folder / BATCH, _BATCH_MAGIC + _crc(records) + records)  # no per-entry seal: checked whole
            store(self.folder / PACK, _PACK_MAGIC + _crc(body) + body)
            self._hold(BATCH, identity(os.stat(self.folder / BATCH)), batch)
            self._hold(PACK, identity(os.stat(self.folder / PACK)), gathered)
        except OSError as error:  # the loose entries stay
            log.debug("读取缓存无法写入（%s）：%s", self.folder, error)
            return False
        return True

    def _memory(self, name: str) -> Parsed | None:
        """The records and problems of the entry ``name`` as this load took them (unpickled now when a worker
        parsed it), for the batch; None when it has none."""
        assert self.folder is not None
        found = _MEMORY.get((self.at, name))
        if found is not None and not isinstance(found[0], Rows):
            return found
        body = self.bodies.get(name) or self._packed(name) or self._loose(name)
        return _unpickled(body) if body is not None else None

    def _loose(self, name: str) -> bytes | None:
        """The pickled body of the entry in its own file (sealed: a damaged one, or one moved to another key,
        reads as missing)."""
        assert self.folder is not None
        if not self.packed:  # a worker's: its parent looked for the entry already
            return None
        try:
            with open(os.path.join(self.at, name[:2], name), "rb") as entry:  # a string: Path costs 0.2 s a county
                body = unseal(_MAGIC, name, entry.read())
        except OSError:
            return None
        if body is None:
            log.debug("读取缓存条目已损坏，重新读取源文件：%s", name)
        return body

    def _key(self, *parts: bytes | str) -> str:
        assert self.code is not None
        return _named(self.code, *parts)

    def _path(self, name: str) -> Path:
        assert self.folder is not None
        return self.folder / name[:2] / name

    def _get(self, name: str) -> Parsed | None:
        assert self.folder is not None
        self.used.add(name)
        batched = self._held(BATCH)
        found = self._batch().get(name) if batched is None or name in batched else None
        if type(found) is tuple and len(found) == 2 and type(found[1]) is list:
            return found
        body = self._packed(name) or self._loose(name)
        if body is None:
            return None
        self.bodies[name] = body
        return _unpickled(body)

    def adopt(self, name: str, parsed: Parsed) -> None:
        """The entry ``name`` a worker process parsed (``entry_made``): kept as if this cache had made it, and found
        by the lookup of its file. (Handed over as records, not each pickled on its own: the pool pickles a chunk of
        them at once, so that the strings they share stay shared here, as a load from the batch shares them.)"""
        self.fresh.add(name)
        self.adopted.add(name)
        _MEMORY[self.at, name] = parsed[0], list(parsed[1])

    def entry_made(self) -> tuple[str, Parsed] | None:
        """The entry the last lookup gave, with its records, when this cache parsed it (a worker's, for ``adopt``)."""
        name = self.last
        found = _MEMORY.get((self.at, name)) if name is not None and name in self.fresh else None
        return None if name is None or found is None else (name, found)

    def _put(self, name: str, value: Parsed) -> None:
        """Keep a new entry, written by ``prune``: gathered (its records in the batch, a table's rows in the pack),
        or in a file of its own when the load changed too few files to gather (a county's first load wrote 20 000
        files, read them back and removed them: a third of its time)."""
        self.fresh.add(name)
        if self.packed:  # (a worker's go back as records: ``entry_made``)
            self.bodies[name] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)

    def _write_loose(self) -> None:
        """Write each entry this load made (``_put``) or a worker made for it (``adopt``), and used, in its own
        file."""
        for name in sorted(self.fresh.intersection(self.used)):
            path = self._path(name)
            try:
                if path.parent not in self.made:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    self.made.add(path.parent)
                body = self.bodies.get(name)
                if body is None:  # adopted: pickled now
                    body = pickle.dumps(_MEMORY[self.at, name], protocol=pickle.HIGHEST_PROTOCOL)
                store(path, seal(_MAGIC, name, body))
            except OSError as error:  # a cache that cannot be written only costs the next load a parse
                log.debug("读取缓存无法写入（%s）：%s", path, error)


def _named(code: bytes, *parts: bytes | str) -> str:
    """The name of an entry: the hash of gongkai's code (``LoadCache.code``) and ``parts``."""
    digest = hashlib.sha256(code)
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _unpickled(body: bytes) -> Parsed | None:
    """An entry's pickled body as (records, problems); None when it does not read as one."""
    value = _unpickled_value(body)
    if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], list)):
        return None
    return value[0], value[1]


def _unpickled_value(body: bytes | memoryview) -> Any:
    """What ``body`` unpickles to (model records, problems, dates and decimals only); None when it does not read."""
    try:
        return _Unpickler(io.BytesIO(body)).load()
    except Exception:
        return None


class Rows(Sequence[Any]):
    """The records of a cache entry, unpickled when first read (``LoadCache.summarized``): at county scale the
    150 000 rows of the payout tables cost a second of every build, and a build that changed no table needs
    none of them (their facts are kept beside them). Reads as the tuple of records, pickles as one."""

    __slots__ = ("_again", "_body", "_records")

    def __init__(self, body: bytes, again: Callable[[], Sequence[Any]]) -> None:
        self._body: bytes | None = body
        self._again: Callable[[], Sequence[Any]] | None = again
        self._records: tuple[Any, ...] | None = None

    def _loaded(self) -> tuple[Any, ...]:
        if self._records is None:
            found = _unpickled(self._body) if self._body is not None else None
            if found is not None and isinstance(found[0], tuple | list):
                self._records = tuple(found[0])
            else:  # (the pack is checked whole and a loose entry sealed: not expected)
                assert self._again is not None
                self._records = tuple(self._again())
            self._body = self._again = None
        return self._records

    def __len__(self) -> int:
        return len(self._loaded())

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Any, ...]: ...
    def __getitem__(self, index: int | slice) -> Any:
        return self._loaded()[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._loaded())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Rows):
            other = other._loaded()
        return self._loaded() == other if isinstance(other, tuple) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._loaded())

    def __repr__(self) -> str:
        return repr(self._loaded())

    def __reduce__(self) -> tuple[Any, ...]:
        return tuple, (self._loaded(),)


def _parsed_again(
    path: Path, code: bytes, parts: tuple[str, ...], name: str, parse: Callable[[bytes], Parsed]
) -> Sequence[Any]:
    """The records of the entry ``name`` parsed again from its file, which must still be the bytes it was named
    by (``Rows``, when the entry did not read)."""
    data = path.read_bytes()
    if _named(code, *parts, data) != name:
        raise BuildFailed(f"读取期间文件被改动：{path}，请重新生成")
    return _collected(parse, data)[0]


def _read(path: Path | str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def _crc(body: bytes | memoryview) -> bytes:
    """The pack's checksum: CRC-32, for damage (whoever can write .cache/ is trusted; SHA-256 of a county's
    150 MB would cost 0.2 s a load)."""
    return zlib.crc32(body).to_bytes(4, "big")


def _collected(parse: Callable[[bytes], Parsed], data: bytes) -> Parsed:
    """``parse(data)``, and the cycles it left collected even while loading pauses the collector (an
    openpyxl workbook is one: 200 workbooks kept 90 MB). Only the parse's own objects are walked: what was
    made before is moved out of the youngest generation first (freeze; load_sources unfreezes)."""
    if gc.isenabled():
        return parse(data)
    gc.freeze()
    result = parse(data)
    gc.collect(0)
    return result


def _decoded(data: bytes, rel: str, parse: Callable[[str], Parsed]) -> Parsed:
    text, problems = decode_text(data, rel)
    return (None, problems) if text is None else parse(text)


_PLAIN = {("datetime", "date"), ("decimal", "Decimal"), ("gongkai.errors", "Problem")}


class _Unpickler(pickle.Unpickler):
    """Constructs the model's dataclasses, Problem, dates and decimals only: a cache entry runs no code."""

    def find_class(self, module: str, name: str) -> Any:
        found = _ALLOWED.get((module, name))  # asked some 70 000 times a county: once per class and entry
        if found is not None:
            return found
        if (module, name) in _PLAIN:
            found = super().find_class(module, name)
        elif module.startswith("gongkai.model."):
            found = super().find_class(module, name)
            if not (isinstance(found, type) and dataclasses.is_dataclass(found)):
                found = None
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not a model record")
        _ALLOWED[module, name] = found
        return found


_ALLOWED: dict[tuple[str, str], Any] = {}
"""The classes ``_Unpickler`` found allowed, by module and name."""
