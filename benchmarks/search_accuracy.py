"""Ctrl-F accuracy of search: seeded queries from a county's sources, answered in headless Chromium.

A document matches a query when its searchable text (gongkai.render.search.text, the one
definition the index is built from) contains every space-separated term, Latin case ignored.
Queries are drawn deterministically from the corpus: words, pieces of longer words, agency names,
文号 fragments, numbers, Latin and mixed Chinese/Latin strings, several terms, single characters.
Recall and precision are micro-averaged over all queries (queries with no results count too); only
document pages are scored. Bytes are what Chromium received per query (headers + body, as served).
"""

from __future__ import annotations

import contextlib
import gzip
import http.server
import json
import random
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from gongkai.load import load_county
from gongkai.render.search.records import read_records
from gongkai.render.search.tokens import fold

CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SEED = "gongkai-search-accuracy"
CJK = "\u4e00-\u9fff"
KINDS = {  # kind → share of the queries
    "word": 24, "inner": 12, "agency": 10, "doc_no": 14, "number": 8, "latin": 8, "mixed": 8, "multi": 12,
    "single": 2, "punct": 2, "straddle": 4,
}  # fmt: skip
PROBES = ("居民", "低保", "特困人员", "耕地地力保护", "PM2.5", "App")
"""Always asked when the corpus holds them: the queries the baseline names."""
SEARCH_PATHS = ("/pagefind", *(f"/assets/gongkai/{name}" for name in ("search.", "terms.js", "facets.js", "forms.js")))
"""Requests counted as search bytes (the page itself and the theme's site.css and a11y.js are not)."""


@dataclass(frozen=True)
class Query:
    """One query and what kind of string it is."""

    kind: str
    text: str


@dataclass
class Score:
    """Micro-averaged counts over a set of queries."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    queries: int = 0
    empty: int = 0  # queries that found nothing although some document matches
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind → [tp, fp, fn]

    @property
    def recall(self) -> float:
        """Found matching documents ÷ matching documents."""
        return self.tp / max(1, self.tp + self.fn)

    @property
    def precision(self) -> float:
        """Found matching documents ÷ found documents."""
        return self.tp / max(1, self.tp + self.fp)


def corpus(root: Path, site: Path | None = None) -> dict[str, str]:
    """URL path of each document page → its searchable text, Latin case folded."""
    site = site or root / "site"
    records = read_records(site, site / "pagefind")
    texts = {f"/{url}": fold(r.text.whole) for url, r in records.items() if url.startswith("documents/")}
    return dict(sorted(texts.items()))


def agencies(root: Path) -> list[str]:
    """The agency names of the county's documents, for agency queries."""
    return sorted({doc.agency for doc in load_county(root).documents})


def doc_numbers(root: Path) -> list[str]:
    """Every 文号 of the county."""
    return sorted({doc.doc_no for doc in load_county(root).documents if doc.doc_no != "无"})


def truth(query: Query, texts: dict[str, str]) -> set[str]:
    """The documents whose text contains every term of the query."""
    terms = fold(query.text).split()
    return {url for url, text in texts.items() if all(term in text for term in terms)}


def make_queries(root: Path, texts: dict[str, str], count: int = 120, seed: str = SEED) -> list[Query]:
    """``count`` queries drawn from the corpus; the same corpus and seed give the same queries."""
    rng = random.Random(seed)
    runs = [run for text in texts.values() for run in text.split() if '"' not in run]
    found = [Query("probe", p) for p in PROBES if any(fold(p) in run for run in runs)]
    makers = _makers(rng, runs, agencies(root), doc_numbers(root))
    total = sum(KINDS.values())
    for kind, share in KINDS.items():
        wanted = max(1, round(share * (count - len(found)) / total))
        found += [Query(kind, q) for q in _draw(makers[kind], wanted)]
    asked = {q.text for q in found}
    top_up = [q for q in _draw(makers["word"], 2 * count) if q not in asked]  # small pools run dry
    return found + [Query("word", q) for q in top_up[: max(0, count - len(found))]]


def _draw(maker: Callable[[], str | None], wanted: int) -> list[str]:
    drawn: list[str] = []
    for _ in range(wanted * 50):
        query = maker()
        if query and query not in drawn:
            drawn.append(query)
        if len(drawn) == wanted:
            break
    return drawn


def _makers(rng: random.Random, runs: list[str], names: list[str], numbers: list[str]) -> dict[str, Any]:
    cjk = [r for r in (m for run in runs for m in re.findall(f"[{CJK}]{{4,}}", run))]
    latin = sorted({m for run in runs for m in re.findall(r"[a-z][a-z0-9.]*[a-z0-9]|[0-9]+[a-z][a-z0-9.]*", run)})
    mixed_pattern = f"[a-z0-9.]+[{CJK}]{{1,3}}|[{CJK}]{{1,3}}[a-z0-9.]*[a-z][a-z0-9.]*"
    mixed = sorted({m for run in runs for m in re.findall(mixed_pattern, run)})
    digits = sorted({m for run in runs for m in re.findall(r"\d{2,}", run)})
    punct = sorted({m for run in runs for m in re.findall(f"[《（“][{CJK}]{{2,6}}", run)})

    def piece(low: int, high: int) -> str | None:
        run = rng.choice(cjk)
        size = rng.randint(low, min(high, len(run)))
        at = rng.randint(0, len(run) - size)
        return run[at : at + size]

    def inner() -> str | None:
        run = rng.choice(cjk)
        at = rng.randint(1, len(run) - 2)
        return run[at : at + rng.choice((2, 2, 3))]

    def doc_no() -> str | None:
        number = rng.choice(numbers) if numbers else ""
        parts = re.match(r"^(.*?〔\d{4}〕)(\d+号)$", number)
        if not parts:
            return number or None
        return rng.choice((parts[1], parts[1][-6:] + parts[2], number))

    def agency() -> str | None:
        name = rng.choice(names)
        return rng.choice((name, name.removeprefix("青溪县")))

    def straddle() -> str | None:
        """The end of one run of text and the start of the next, joined: a match would be a false one."""
        at = rng.randrange(len(runs) - 1)
        before, after = runs[at], runs[at + 1]
        query = before[-2:] + after[:2]
        return query if len(query) == 4 and re.search(f"[{CJK}]", query) else None

    def latin_case() -> str | None:
        word = rng.choice(latin) if latin else None
        return word.upper() if word and rng.random() < 0.3 else word

    return {
        "word": lambda: piece(2, 4),
        "inner": inner,
        "agency": agency,
        "doc_no": doc_no,
        "number": lambda: rng.choice(digits) if digits else None,
        "latin": latin_case,
        "mixed": lambda: rng.choice(mixed) if mixed else None,
        "multi": lambda: f"{piece(2, 3)} {piece(2, 3)}",
        "single": lambda: piece(1, 1),
        "punct": lambda: rng.choice(punct) if punct else None,
        "straddle": straddle,
    }


def score(queries: list[Query], answers: list[set[str]], texts: dict[str, str]) -> Score:
    """Micro-averaged recall and precision of the answers (document pages only)."""
    total = Score()
    for query, answer in zip(queries, answers, strict=True):
        expected, got = truth(query, texts), answer & texts.keys()
        tp, fp, fn = len(expected & got), len(got - expected), len(expected - got)
        total.tp, total.fp, total.fn, total.queries = total.tp + tp, total.fp + fp, total.fn + fn, total.queries + 1
        total.empty += int(bool(expected) and not got)
        kind = total.by_kind.setdefault(query.kind, [0, 0, 0])
        kind[0], kind[1], kind[2] = kind[0] + tp, kind[1] + fp, kind[2] + fn
    return total


def fragment_urls(bundle: Path) -> dict[str, str]:
    """Page id of a result → the page's URL path: gongkai's records, else Pagefind's fragments."""
    urls = {}
    if (bundle / "gongkai.json").is_file():
        version = json.loads((bundle / "gongkai.json").read_text(encoding="utf-8"))["version"]
        for path in (bundle / "gk" / version / "r").glob("*.json"):
            urls[path.stem] = "/" + json.loads(path.read_text(encoding="utf-8"))["u"]
        return urls
    for path in bundle.glob("fragment/*.pf_fragment"):
        data = gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")
        urls[path.stem] = json.loads(data)["url"]
    return urls


# ---------------------------------------------------------------- serving and the browser


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text types gzipped as a production server would (Pagefind's own files are gzip already)."""

    TEXT = (".html", ".js", ".css", ".json", ".svg", ".xml")

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix.lower() not in self.TEXT or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        if not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *_: Any) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """directory over HTTP with gzip, on a free loopback port; yields the base URL."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_GzipHandler, directory=str(directory)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


class _Bytes:
    """Bytes received per request (headers + body as served), page and worker requests alike.

    Pagefind fetches from a Web Worker, which the page's CDP Network domain does not see; the
    context's requestfinished events include it."""

    def __init__(self, page: Any) -> None:
        self.search = 0
        self.total = 0
        self.files: list[tuple[str, int]] = []  # (search file, bytes) since the last take
        page.context.on("requestfinished", self._finished)

    def _finished(self, request: Any) -> None:
        sizes = request.sizes()
        size = int(sizes["responseBodySize"]) + int(sizes["responseHeadersSize"])
        self.total += size
        if any(p in request.url for p in SEARCH_PATHS):
            self.search += size
            self.files.append((request.url, size))

    def take(self) -> tuple[int, int]:
        """(search bytes, all bytes) since the last take."""
        taken = (self.search, self.total)
        self.search = self.total = 0
        self.files = []
        return taken


_KINDS = (  # (kind, what its URLs contain), first match wins
    ("wasm", ".pagefind"), ("meta", ".pf_meta"), ("word chunks", ".pf_index"), ("filter chunks", ".pf_filter"),
    ("fragments", ".pf_fragment"), ("records", "/r/"), ("record texts", "/t/"), ("facets", "facets.json"),
    ("grams", "grams.json"),
    ("entry", "-entry.json"), ("entry", "gongkai.json"), ("Pagefind JS", "pagefind"),
    ("search page JS/CSS", "/assets/gongkai/"),
)  # fmt: skip


def file_kinds(files: list[tuple[str, int]]) -> dict[str, int]:
    """Bytes by kind of search file: where a query's download goes."""
    kinds: dict[str, int] = {}
    for url, size in files:
        kind = next((k for k, part in _KINDS if part in url), "other")
        kinds[kind] = kinds.get(kind, 0) + size
    return dict(sorted(kinds.items(), key=lambda item: -item[1]))


@dataclass
class Run:
    """What one search engine answered: result URLs and bytes per query."""

    answers: list[set[str]]
    search_bytes: list[int]
    total_bytes: list[int]
    first_files: dict[str, int] = field(default_factory=dict)  # the first query's bytes by kind of file

    def record(self, meter: _Bytes, answer: set[str]) -> None:
        """One query's answer and the bytes the meter counted for it."""
        if not self.search_bytes:
            self.first_files = file_kinds(meter.files)
        search, total = meter.take()
        self.answers.append(answer)
        self.search_bytes.append(search)
        self.total_bytes.append(total)


def run_ours(browser: Any, base: str, queries: list[Query], urls: dict[str, str]) -> Run:
    """The queries typed into the site's /search/ page one after another (the first one loads the page)."""
    from urllib.parse import quote

    page = browser.new_context().new_page()
    meter = _Bytes(page)
    run = Run([], [], [])
    for i, query in enumerate(queries):
        if i == 0:
            page.goto(f"{base}/search/?q={quote(query.text)}")
        else:
            page.fill("#gk-q", query.text)
            page.press("#gk-q", "Enter")
        page.wait_for_function("q => document.querySelector('.gk-search').gkDone?.q === q", arg=query.text.strip())
        ids = page.evaluate("document.querySelector('.gk-search').gkDone.ids")
        page.wait_for_timeout(30)  # let the last network events arrive
        run.record(meter, {urls.get(i, i) for i in ids})
    page.context.close()
    return run


_PLAIN = """async ([bundle, q]) => {
  window.pf ??= await import(bundle);
  const search = await window.pf.search(q);
  await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  return search.results.map((r) => r.id);
}"""


def run_plain(browser: Any, base: str, bundle: str, queries: list[Query], urls: dict[str, str]) -> Run:
    """The same queries through plain Pagefind's JS API (its own segmentation), ten results loaded each."""
    page = browser.new_context().new_page()
    page.route("**/gk-blank.html", lambda route: route.fulfill(body="<!doctype html><title>x</title>"))
    page.goto(f"{base}/gk-blank.html")
    meter = _Bytes(page)
    run = Run([], [], [])
    for query in queries:
        ids = page.evaluate(_PLAIN, [f"{base}/{bundle}/pagefind.js", query.text])
        page.wait_for_timeout(30)
        run.record(meter, {urls.get(i, i) for i in ids})
    page.context.close()
    return run


def launch(playwright: Any) -> Any:
    """Headless Debian Chromium."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)


def describe(name: str, result: Score) -> str:
    """One Markdown table row."""
    return f"| {name} | {result.queries} | {result.recall:.3f} | {result.precision:.3f} | {result.empty} |"


def misses(queries: list[Query], answers: list[set[str]], texts: dict[str, str], limit: int = 10) -> list[str]:
    """The queries answered wrongly, for a failure message."""
    wrong = []
    for query, answer in zip(queries, answers, strict=True):
        expected, got = truth(query, texts), answer & texts.keys()
        if expected != got:
            wrong.append(f"{query.kind} {query.text!r}: missed {len(expected - got)}, extra {len(got - expected)}")
    return wrong[:limit]


def kinds(queries: list[Query]) -> Counter[str]:
    """How many queries of each kind."""
    return Counter(q.kind for q in queries)
