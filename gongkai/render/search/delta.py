"""The bundle patched from the previous one when few pages changed: only the words those pages changed are
joined again, and only the chunks holding them are written; the rest is linked (output.py).

A build keeps, beside the list of its bundle's files (index.py), the State this needs: the pages in number
order (URL, key of its HTML, date, characters counted for the grams' sample, length, facet values), the
common grams' name in the cache, the word index as written (pack.Index: the words, per word its record's
size, entries and weight, per chunk its words and key) and the stat of every HTML file read (records.scan).
With the sizes of each chunk's entries (kept in the cache under the chunk's key), a word's record in the
previous bundle's chunk is cut into its entries, and a changed page's entry is replaced, dropped or added
where its page number says, the next entry's page step written again; the rest of the record is kept, byte
for byte. The chunks are then cut again (pack.chunked, over every word's weight: cheap) and a chunk of the
same words, none changed, is the previous one.

A deleted page moves every page after it one number down: the previous bundle's records are read back
renumbered (previous.py), the deleted page's entries dropped and, in every record, the first entry after it with
a new page step. Most chunks change then (a word of any later page), but no page is joined again. The newest
pages deleted move no page: their entries are dropped as a changed page's are (from their parts in the cache).

Patched only while the bundle is what a cold build of the same pages writes: the pages kept numbered in the
same order (a new page the newest: numbered last), the same common grams, and few pages changed, added or
deleted (SHARE); else (or when anything read back is not as listed) index.py builds the bundle in full.
"""

from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import repeat
from operator import add, itemgetter, methodcaller
from pathlib import Path
from typing import Any

import numpy as np

from .cache import SearchCache, key
from .cbor import head, head_sizes, read_heads, starts
from .columns import read_rows, read_strings, rows, strings
from .derived import grams_name, grams_used, page_parts_of, stored_grams, stored_parts
from .grams import Grams, common_grams, sample
from .join import ENTRY, record_head
from .output import Entry, NotLinked, Reuse, Writer
from .pack import (
    KEEP,
    RECORD_FOLDERS,
    SIGNATURE,
    Index,
    Packed,
    chunked,
    entry_sizes,
    facets_json,
    name36,
    number_key,
    page_files,
    shared_files,
    write_meta,
    write_records,
)
from .postings import PageParts, Word, weight
from .previous import Numbers, Previous, Unpatchable
from .records import Known, Record, Scan, load_records
from .tokens import runs, speller

SHARE = 0.01
"""Pages changed, added or deleted, at most, as a share of all (at least one): past it the full build is cheaper."""

HELD = 256 << 20
"""Bytes of patched records held from their patching to their chunk's writing, at most (the others are
patched again then): many pages changed at county scale touch most of the 600 MB of records. Apart from them, a
deleted page's renumbered chunks are held up to as many bytes (with their entries' sizes): up to twice this."""


@dataclass(frozen=True)
class State:
    """What delta.py needs of the build that wrote a bundle (see the module's docstring)."""

    settings: str  # index._settings: the code, settings and abbreviations it was written with
    known: Known
    since: int
    pages: list[tuple[Any, ...]]  # in number order: (url, key, date, chars, length, *facet name, value pairs)
    grams: str
    index: Index

    def stored(self) -> dict[str, Any]:
        """As the cache keeps it (marshal's types; the pages and files in columns: columns.py, read off in C)."""
        pages, known = self.pages, self.known.values()
        return {
            "settings": self.settings,
            "known": (strings(self.known), strings(map(itemgetter(3), known)), rows(map(itemgetter(0, 1, 2), known))),
            "since": self.since,
            "pages": (
                strings(map(itemgetter(0), pages)),
                strings(map(itemgetter(1), pages)),
                strings(map(itemgetter(2), pages)),
                rows(map(itemgetter(3, 4), pages)),
                _facets(pages),
            ),
            "grams": self.grams,
            "index": [
                self.index.words,
                self.index.sizes,
                self.index.counts,
                self.index.weights,
                self.index.chunks,
                self.index.keys,
            ],
        }

    @classmethod
    def read(cls, value: object) -> State | None:
        """A stored state read back, or None for anything else."""
        if not isinstance(value, dict):
            return None
        try:
            paths, names, stats = value["known"]
            found = map(add, read_rows(stats, 3), zip(read_strings(names)))  # (size, mtime, inode, name): in C
            known = dict(zip(read_strings(paths), found, strict=True))
            urls, keys_, dates, numbers, facets = value["pages"]
            urls, facets = read_strings(urls), read_strings(facets)
            numbered = zip(urls, read_strings(keys_), read_strings(dates), strict=True)
            base = map(add, numbered, read_rows(numbers, 2))  # (url, key, date, chars, length): in C
            pairs = map(tuple, map(itemgetter(slice(1, None)), map(methodcaller("split", "\t"), facets)))
            pages = list(map(add, base, pairs))
            _need(len(pages) == len(urls) == len(facets) and all(len(p) % 2 for p in pages))
            words, sizes, counts, weights, chunks, keys = value["index"]
            _need(all(isinstance(b, bytes) for b in (words, sizes, counts, weights, chunks)))
            _need(isinstance(keys, list) and all(isinstance(k, str) for k in keys))
            index = Index(words, sizes, counts, weights, chunks, keys)
            settings, since, grams = value["settings"], value["since"], value["grams"]
            _need(isinstance(settings, str) and isinstance(since, int) and isinstance(grams, str))
            return cls(settings, known, since, pages, grams, index)
        except (KeyError, TypeError, ValueError):
            return None

    @classmethod
    def of(
        cls, packed: Packed, order: list[Record], chars: dict[str, int], grams: str, scanned: Scan, settings: str
    ) -> State:
        """The state of a bundle pack wrote."""
        pages = [_page(r, chars[r.url], length) for r, length in zip(order, packed.lengths, strict=True)]
        return cls(settings, scanned.files, scanned.started, pages, grams, packed.index)


def _need(condition: bool) -> None:
    """ValueError unless the condition holds: a stored state is read from a file, so its checks must not be
    asserts (``python -O`` strips those)."""
    if not condition:
        raise ValueError("not a stored state")


def _facets(pages: list[tuple[Any, ...]]) -> tuple[int, str]:
    """The pages' facet name and value pairs as a column: each page's, each led by a tab (in C); ValueError if a
    name or value holds a tab."""
    column = strings(map("\t".join, map(add, repeat(("",)), map(itemgetter(slice(5, None)), pages))))
    if column[1].count("\t") != sum(map(len, pages)) - 5 * len(pages):
        raise ValueError("a facet holds a tab")
    return column


def _page(r: Record, chars: int, length: int) -> tuple[Any, ...]:
    pairs = [item for pair in sorted(r.filters.items()) for item in pair]
    return (r.url, r.key, r.date, chars, length, *pairs)


@dataclass(frozen=True)
class Listed:
    """A bundle written earlier (the previous one) in ``folder``, as the cache lists it: its files (path →
    key, stat, sum), version, inputs (index.py), the number of common grams and its State."""

    folder: Path
    files: dict[str, Entry]
    version: str
    inputs: str
    common: int
    state: State | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Patched:
    """What patch wrote: the bundle (as pack's), its state (known and since left to index.py), the pages
    changed or added, the pages kept as they were, the pages deleted."""

    packed: Packed
    state: State
    changed: int
    cached: int
    deleted: int = 0


def patch(
    scanned: Scan,
    site_dir: Path,
    bundle: Path,
    listed: Listed,
    state: State,
    spellings: list[list[str]],
    store: SearchCache,
    reuse: Reuse,
) -> Patched:
    """The bundle for the scanned pages, patched from the previous one (listed, of this state), its files
    linked through ``reuse``; Unpatchable when the pages cannot be patched in (see the module's docstring),
    the bundle left half-written."""
    before = [p[0] for p in state.pages]
    gone = [i for i, url in enumerate(before) if url not in scanned.pages]  # deleted: the pages after move down
    kept = [i for i, url in enumerate(before) if url in scanned.pages]  # of the pages numbered before
    pages = [state.pages[i] for i in kept]  # the kept pages' earlier state, in their new numbers
    numbers = {p[0]: i for i, p in enumerate(pages)}
    changed = [p[0] for p in pages if scanned.pages[p[0]][1] != p[1]]
    added = [url for url in scanned.pages if url not in numbers]
    if len(changed) + len(added) + len(gone) > max(1, SHARE * len(scanned.pages)):
        raise Unpatchable("many pages changed")
    records = load_records(site_dir, scanned, store, changed + added)
    if len(records) != len(changed) + len(added):
        raise Unpatchable("a page could not be read")
    # Numbered as before (a deleted page's followers one lower each), a new page after them all
    order = _numbered(pages, records, added)
    numbers.update((url, i) for i, url in enumerate(order[len(pages) :], len(pages)))
    # The same common grams
    chars = {p[0]: p[3] for p in pages}
    chars.update((url, sum(map(len, runs(r.text.whole)))) for url, r in records.items())
    grams = stored_grams(store, state.grams)
    if grams is None:
        raise Unpatchable("the common grams are not in the cache")
    names, step = sample(chars)
    counted = grams_name(names, step, {url: scanned.pages[url][1] for url in names})
    if counted != state.grams:  # counted again on the sample (a changed page is in it, or a page left it): the same?
        again = stored_grams(store, counted)
        if again is None:
            sampled = load_records(site_dir, scanned, store, names)
            again = common_grams({url: runs(r.text.whole) for url, r in sampled.items()}, (names, step))
            store.put("grams", counted, (again.longest, sorted(again.common)))
        if again != grams:
            raise Unpatchable("the common grams changed")
    earlier = {numbers[url]: pages[numbers[url]][1] for url in changed}
    moved = gone  # the deleted pages the pages after them move down for (previous.py)
    if gone == list(range(len(pages), len(before))):  # the newest deleted: no page moves, their entries dropped
        earlier.update((i, state.pages[i][1]) for i in gone)
        moved = []
    changes, lengths = _changes(records, numbers, earlier, pages, store, grams, spellings)
    previous = Previous(listed.folder, listed.files, state.index, len(state.pages), store, moved, HELD)
    try:
        with Writer(bundle, reuse) as writer:
            for name in listed.files:
                if name in KEEP or (name.startswith("wasm.") and name.endswith(".pagefind")):
                    writer.must_link(name, listed.files[name][0])
            index = _write_chunks(writer, previous, changes, store)
            meta_name = write_meta(writer, previous.entry(), lengths, index)
            files = _record_files(listed, pages, kept, records, order, numbers, shared_files(grams, spellings))
            version = write_records(writer, meta_name, files)
            listing = writer.listing()
            packed = Packed(len(order), version, listing, writer.written, writer.linked, index, lengths, writer.kept)
    except NotLinked as error:
        raise Unpatchable(str(error)) from error
    now = [_page(records[url], chars[url], lengths[i]) if url in records else pages[i] for i, url in enumerate(order)]
    new_state = State(state.settings, state.known, state.since, now, counted, index)
    store.prune(("entries",), keep={"entries": {*state.index.keys, *index.keys}})  # of this bundle and the previous
    return Patched(packed, new_state, len(records), len(order) - len(records), len(gone))


def _numbered(pages: list[tuple[Any, ...]], records: dict[str, Record], added: list[str]) -> list[str]:
    """The pages in number order (pack.numbered) when the pages kept from before (``pages``, their earlier state in
    their order) keep their order, the new ones after them all; else Unpatchable. Only the changed pages' places
    are looked at: the others keep the dates they were numbered by, in order."""
    kept = [p[0] for p in pages]

    def sort_key(i: int) -> tuple[bool, str, str]:
        url = kept[i]
        return number_key(records[url].date if url in records else pages[i][2], url)

    for i, url in enumerate(kept):
        if url not in records:
            continue
        if (i > 0 and sort_key(i - 1) <= sort_key(i)) or (i + 1 < len(kept) and sort_key(i) <= sort_key(i + 1)):
            raise Unpatchable("the pages are numbered otherwise")
    new = sorted(added, key=lambda url: number_key(records[url].date, url), reverse=True)
    if new and kept and number_key(records[new[0]].date, new[0]) >= sort_key(len(kept) - 1):
        raise Unpatchable("the pages are numbered otherwise")
    return kept + new


def _record_files(
    listed: Listed,
    pages: list[tuple[Any, ...]],
    kept: list[int],
    records: dict[str, Record],
    order: list[str],
    numbers: dict[str, int],
    shared: dict[str, str],
) -> dict[str, str | bytes]:
    """The files write_records writes: facets.json and the shared ones, the changed and added pages' own
    (text) and the other pages' (the key of the previous bundle's file, of the page's earlier number in
    ``kept``, to be linked)."""
    files: dict[str, str | bytes] = {**shared}
    filters = [dict(zip(p[5::2], p[6::2], strict=True)) for p in pages]
    filters += [{} for _ in range(len(order) - len(pages))]
    for url, r in records.items():
        filters[numbers[url]] = r.filters
    files["facets.json"] = facets_json(filters)
    old_folder = f"gk/{listed.version}/"
    for i, url in enumerate(order[: len(pages)]):
        if url in records:
            continue
        for folder in RECORD_FOLDERS:
            earlier = listed.files.get(f"{old_folder}{folder}/{name36(kept[i])}.json")
            if earlier is not None:
                files[f"{folder}/{name36(i)}.json"] = earlier[0].encode()
    for url, r in records.items():
        files.update(page_files(numbers[url], r))
    return files


def _changes(
    records: dict[str, Record],
    numbers: dict[str, int],
    earlier: dict[int, str],
    pages: list[tuple[Any, ...]],
    store: SearchCache,
    grams: Grams,
    spellings: list[list[str]],
) -> tuple[dict[str, list[tuple[int, bytes | None]]], list[int]]:
    """The changed entries of these pages (changed or added) and of the pages numbered before as ``earlier`` says
    (number → the key of the page it numbered: a changed page, or a deleted one no page after moves for): word →
    (page, its new part or None), pages ascending (their new numbers); and every page's length (``pages``: the
    earlier state of the pages kept)."""
    common, spell = grams_used(grams, spellings), speller(grams)
    changes: defaultdict[str, list[tuple[int, bytes | None]]] = defaultdict(list)
    lengths = [p[4] for p in pages] + [0] * (len(numbers) - len(pages))
    now_at = {numbers[url]: url for url in records}
    for number in sorted(now_at.keys() | earlier.keys()):
        now: dict[str, bytes] = {}
        url = now_at.get(number)
        if url is not None:
            new = _parts(store, key("parts", records[url].key, common), records[url], grams, spellings)
            lengths[number] = new.length
            now = new.unpacked(spell)
        old: dict[str, bytes] = {}
        if number in earlier:
            found = stored_parts(store.get("parts", key("parts", earlier[number], common)))
            if found is None:
                raise Unpatchable("a changed or deleted page's earlier parts are not in the cache")
            old = found.unpacked(spell)
        for word in old.keys() | now.keys():
            if old.get(word) != now.get(word):
                changes[word].append((number, now.get(word)))
    return dict(changes), lengths


def _parts(store: SearchCache, name: str, record: Record, grams: Grams, spellings: list[list[str]]) -> PageParts:
    """A page's parts, from the cache or worked out (and kept)."""
    found = stored_parts(store.get("parts", name))
    if found is None:
        value = page_parts_of(record.text, grams, spellings)
        store.put("parts", name, value)
        found = PageParts(*value)
    return found


def _write_chunks(
    writer: Writer, previous: Previous, changes: dict[str, list[tuple[int, bytes | None]]], store: SearchCache
) -> Index:
    """The words' records patched, the chunks cut again; write the chunks that changed, link the others."""

    def patched_record(word: str) -> tuple[bytes, Numbers]:
        number = previous.number.get(word)
        if number is None or previous.counts[number] == 0:  # a new word, or one of deleted pages alone
            record, sizes = record_head(word.encode(), 0), np.zeros(0, np.int64)
        else:
            record, sizes = previous.record(number)
        return _patched(word.encode(), record, sizes, changes[word])

    # The patched records, in word order (the previous chunks are read in order): kept up to HELD bytes,
    # the others patched again when their chunk is written; their sizes and entries, all.
    patched: dict[str, tuple[bytes, Numbers] | None] = {}
    sized: dict[str, tuple[int, int]] = {}
    held = 0
    for word in sorted(changes):
        record, sizes = patched_record(word)
        sized[word] = (len(record), len(sizes))
        held += len(record)
        patched[word] = (record, sizes) if held <= HELD else None
    emptied = {w for w, (_, n) in sized.items() if n == 0} | (previous.emptied() - sized.keys())
    words = sorted((previous.number.keys() | patched.keys()) - emptied)
    weighed = []
    for i, word in enumerate(words):
        if word in sized:
            weighed.append(Word(word, weight(word, *sized[word]), i))
        else:
            weighed.append(Word(word, previous.weights[previous.number[word]], i))
    writer.folder("index/_")
    record_sizes: list[int] = []
    counts: list[int] = []
    per_chunk: list[int] = []
    keys: list[str] = []
    for number, chunk in enumerate(chunked(weighed)):
        relative = f"index/_/{name36(number)}.pf_index"
        old = [previous.number.get(w.word, -1) if w.word not in patched else -1 for w in chunk]
        whole = old[0] >= 0 and old[-1] - old[0] == len(chunk) - 1 and min(old) >= 0
        if whole:  # the words of a previous chunk, none patched
            c = previous.chunk_of[old[0]]
            whole = int(previous.first[c]) == old[0] and int(previous.first[c + 1]) == old[-1] + 1
        if whole:
            record_sizes += previous.sizes[old[0] : old[-1] + 1].tolist()
            counts += previous.counts[old[0] : old[-1] + 1].tolist()
        if whole and previous.same_chunk[c]:
            chunk_key = previous.keys[c]
            writer.must_link(relative, chunk_key)
        else:
            if whole:  # renumbered (pages deleted): its records as they are
                data, _, sizes, _ = previous.chunk(c)
                entries = [sizes]
            else:
                records: list[bytes] = []
                entries = []
                for w, o in zip(chunk, old, strict=True):
                    record, sizes = previous.record(o) if o >= 0 else patched[w.word] or patched_record(w.word)
                    records.append(record)
                    entries.append(sizes)
                    record_sizes.append(len(record))
                    counts.append(len(sizes))
                data = b"".join([SIGNATURE, head(4, 1), head(4, len(chunk)), *records])
            chunk_key = hashlib.sha1(data).hexdigest()
            writer.put(relative, data, gzip=True, digest=chunk_key)
            writer.later(store.keep, "entries", chunk_key, functools.partial(entry_sizes, np.concatenate(entries)))
        previous.passed(chunk[-1].word)
        per_chunk.append(len(chunk))
        keys.append(chunk_key)
    return Index.of(weighed, record_sizes, counts, per_chunk, keys)


def _patched(
    word: bytes, record: bytes, sizes: Numbers, changes: list[tuple[int, bytes | None]]
) -> tuple[bytes, Numbers]:
    """A word's record (and its entries' sizes) with these pages' entries replaced (by their new part),
    dropped (None) or added, in page order; the other entries kept byte for byte, but for the page step
    of one following a change."""
    count = len(sizes)
    body = np.frombuffer(record, np.uint8)[len(record_head(word, count)) :]
    at = starts(sizes)
    steps = read_heads(body, at[:-1] + 1)
    pages = np.cumsum(steps)
    out: list[bytes] = []
    out_sizes: list[Numbers] = []
    done = 0  # the next old entry not yet put out
    last = 0  # the page of the last entry put out (a word's first entry's step is its page number)

    def entry(page: int, part: bytes) -> None:
        nonlocal last
        data = bytes([ENTRY]) + head(0, page - last) + part
        out.append(data)
        out_sizes.append(np.array([len(data)], np.int64))
        last = page

    def keep(a: int, b: int) -> None:
        nonlocal last
        if a >= b:
            return
        if int(pages[a]) - last != int(steps[a]):  # its page step changes
            step_size = int(head_sizes(steps[a : a + 1])[0])
            entry(int(pages[a]), body[at[a] + 1 + step_size : at[a + 1]].tobytes())
            a += 1
        if a < b:
            out.append(body[at[a] : at[b]].tobytes())
            out_sizes.append(sizes[a:b])
        last = int(pages[b - 1])

    for page, part in changes:
        i = int(np.searchsorted(pages, page))
        keep(done, i)
        found = i < count and int(pages[i]) == page
        if part is None and not found:
            raise Unpatchable(f"word {word!r}: page {page} is not in its record")
        done = i + 1 if found else i
        if part is not None:
            entry(page, part)
    keep(done, count)
    new_sizes = np.concatenate(out_sizes) if out_sizes else np.zeros(0, np.int64)
    return record_head(word, len(new_sizes)) + b"".join(out), new_sizes
