"""Accuracy of search against what each built page shows, in headless Chromium, beside plain Pagefind.

Ground truth is the visible text of every indexed page as Chromium renders it: the ``innerText`` of its
``[data-pagefind-body]`` element (``visible_texts``), read under the equivalences search documents
(gongkai/render/search/forms.py: Latin case, full-width forms, the brackets around a year, and each
date also in its canonical spelling). A page matches a query when, for every space-separated term,
it holds one of the term's spellings. Queries are drawn deterministically from those texts: words,
pieces of longer words, agency names, 文号 fragments, numbers, Latin and mixed strings, several terms,
single characters, runs straddling two lines (which must find nothing), and the forms a reader types:
a 文号 with other brackets, none, or full-width digits (``doc_no_form``), a date shown as 2022-03,
2022.3, 2022/3/5 … (``date_form``), an abbreviation or full form (``abbr``). Recall and precision are
micro-averaged over all queries and every indexed page, against the literal results (what Ctrl-F
finds); the results an abbreviation's other spelling found are scored apart, against the pages that
hold any spelling of the group (``abbreviation_score``). Bytes are what Chromium received per query.
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

from gongkai.audit.chromium import BROWSER_ARGS
from gongkai.render.search.abbreviations import groups as abbreviation_groups
from gongkai.render.search.forms import aliases, fold, query_text, term_forms

CHROMIUM = "/usr/bin/chromium"
SEED = "gongkai-search-accuracy"
CJK = "\u4e00-\u9fff"
KINDS = {  # kind → share of the queries
    "word": 20, "inner": 10, "agency": 8, "doc_no": 10, "number": 6, "latin": 6, "mixed": 6, "multi": 10,
    "single": 2, "punct": 2, "straddle": 4, "doc_no_form": 10, "date_form": 10, "abbr": 8,
}  # fmt: skip
PROBES = ("居民", "低保", "特困人员", "耕地地力保护", "PM2.5", "App")
"""Always asked when the corpus holds them: the queries the baseline names."""
SEARCH_PATHS = ("/pagefind", *(f"/assets/gongkai/{name}" for name in ("search.", "terms.js", "facets.js", "forms.js",
                                                                        "suggest.js")))  # fmt: skip
"""Requests counted as search bytes (the page itself and the theme's site.css and a11y.js are not)."""
BRACKETS = ("[{}]", "【{}】", "({})", "（{}）", "〔{}〕", "［{}］")
WIDE = str.maketrans("0123456789", "０１２３４５６７８９")


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
    empty: int = 0  # queries that found nothing although some page matches
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind → [tp, fp, fn]

    @property
    def recall(self) -> float:
        """Found matching pages ÷ matching pages."""
        return self.tp / max(1, self.tp + self.fn)

    @property
    def precision(self) -> float:
        """Found matching pages ÷ found pages."""
        return self.tp / max(1, self.tp + self.fp)


# What the page marks data-pagefind-ignore (the payout lists' household names, the hidden markers) is
# shown but declared unsearchable: it is taken out of the live page before innerText is read.
_INNER_TEXT = """() => {
  const body = document.querySelector("[data-pagefind-body]");
  if (!body) return null;
  for (const ignored of body.querySelectorAll("[data-pagefind-ignore]")) ignored.remove();
  return body.innerText;
}"""


def visible_texts(browser: Any, base: str, urls: list[str]) -> dict[str, str]:
    """URL path → the innerText of the page's [data-pagefind-body] element (less what it marks
    data-pagefind-ignore), as Chromium renders it."""
    page = browser.new_context().new_page()
    page.route("**/*", lambda route: route.abort() if route.request.resource_type in ("image", "font", "media")
               else route.continue_())  # fmt: skip
    texts = {}
    for url in urls:
        page.goto(base + url, wait_until="load")
        text = page.evaluate(_INNER_TEXT)
        if text is not None:
            texts[url] = text
    page.context.close()
    return texts


def searchable(texts: dict[str, str]) -> dict[str, str]:
    """Each visible text as search reads it: folded, and its dates also in their canonical spelling."""
    return {url: "\n".join([fold(text), *aliases(fold(text))]) for url, text in sorted(texts.items())}


def terms(query: str) -> list[list[str]]:
    """The spellings of each term of a query (a page holding one of them holds the term)."""
    return [term_forms(term) for term in query_text(query.replace('"', " ")).split()]


def truth(query: Query, texts: dict[str, str]) -> set[str]:
    """The pages holding every term of the query."""
    wanted = terms(query.text)
    return {url for url, text in texts.items() if all(any(form in text for form in forms) for forms in wanted)}


def meaning(query: Query, texts: dict[str, str], groups: list[list[str]]) -> set[str]:
    """The pages holding every term in any spelling, an abbreviation's other spellings included."""
    wanted = []
    for forms in terms(query.text):
        spelled = set(forms)
        for group in groups:
            for short in group:
                spelled |= {form.replace(short, other) for form in forms if short in form for other in group}
        wanted.append(spelled)
    return {url for url, text in texts.items() if all(any(form in text for form in forms) for forms in wanted)}


def make_queries(texts: dict[str, str], count: int = 150, seed: str = SEED) -> list[Query]:
    """``count`` queries drawn from the pages' texts; the same texts and seed give the same queries."""
    rng = random.Random(seed)
    runs = [run for text in texts.values() for run in text.split() if '"' not in run]
    found = [Query("probe", p) for p in PROBES if any(fold(p) in run for run in runs)]
    makers = _makers(rng, runs, texts)
    total, left = sum(KINDS.values()), count - len(found)
    for kind, share in KINDS.items():
        wanted = max(1, round(share * left / total))
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


def _makers(rng: random.Random, runs: list[str], texts: dict[str, str]) -> dict[str, Any]:
    whole = "\n".join(texts.values())
    cjk = [r for r in (m for run in runs for m in re.findall(f"[{CJK}]{{4,}}", run))]
    latin = sorted({m for run in runs for m in re.findall(r"[a-z][a-z0-9.]*[a-z0-9]|[0-9]+[a-z][a-z0-9.]*", run)})
    mixed_pattern = f"[a-z0-9.]+[{CJK}]{{1,3}}|[{CJK}]{{1,3}}[a-z0-9.]*[a-z][a-z0-9.]*"
    mixed = sorted({m for run in runs for m in re.findall(mixed_pattern, run)})
    digits = sorted({m for run in runs for m in re.findall(r"\d{2,}", run)})
    punct = sorted({m for run in runs for m in re.findall(f"[《（“][{CJK}]{{2,6}}", run)})
    names = sorted(set(re.findall(f"发布机构\\s+([{CJK}]+)", whole)))
    numbers = sorted(set(re.findall(f"[{CJK}]{{1,8}}〔\\d{{4}}〕\\d{{1,4}}号", whole)))
    dates = sorted(set(re.findall(r"(?<!\d)((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日", whole)))
    groups = [g for g in abbreviation_groups() if any(form in whole for form in g)]

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

    def doc_no_form() -> str | None:
        """A 文号 shown on a page as a reader types it: other brackets, none, full-width digits."""
        parts = re.match(r"^(.*?)〔(\d{4})〕(\d+号)$", rng.choice(numbers)) if numbers else None
        if not parts:
            return None
        prefix, year, number = parts[1], parts[2], parts[3]
        spelled = rng.choice([*(prefix + b.format(year) + number for b in BRACKETS), f"{prefix}{year} {number}",
                              f"{year} {number}", prefix + "[" + year + "]"])  # fmt: skip
        return spelled.translate(WIDE) if rng.random() < 0.2 else spelled

    def date_form() -> str | None:
        """A date shown on a page (Y年M月D日) as a reader types it."""
        if not dates:
            return None
        year, month, day = (int(part) for part in rng.choice(dates))
        return rng.choice((
            f"{year}年{month}月", f"{year}-{month:02d}", f"{year}.{month}", f"{year}/{month}/{day}",
            f"{year}-{month:02d}-{day:02d}", f"{year}年{month:02d}月{day:02d}日", f"{year}年", f"{year}.{month}.{day}",
        ))  # fmt: skip

    def abbr() -> str | None:
        return rng.choice(rng.choice(groups)) if groups else None

    def agency() -> str | None:
        name = rng.choice(names) if names else None
        return rng.choice((name, name.removeprefix("青溪县"))) if name else None

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
        "doc_no_form": doc_no_form,
        "date_form": date_form,
        "abbr": abbr,
    }


def score(queries: list[Query], answers: list[set[str]], texts: dict[str, str]) -> Score:
    """Micro-averaged recall and precision of the literal answers (every indexed page)."""
    total = Score()
    for query, answer in zip(queries, answers, strict=True):
        expected, got = truth(query, texts), answer & texts.keys()
        tp, fp, fn = len(expected & got), len(got - expected), len(expected - got)
        total.tp, total.fp, total.fn, total.queries = total.tp + tp, total.fp + fp, total.fn + fn, total.queries + 1
        total.empty += int(bool(expected) and not got)
        kind = total.by_kind.setdefault(query.kind, [0, 0, 0])
        kind[0], kind[1], kind[2] = kind[0] + tp, kind[1] + fp, kind[2] + fn
    return total


def abbreviation_score(queries: list[Query], run: Run, texts: dict[str, str]) -> Score:
    """The abbreviation queries' results, literal and expanded, against the pages meaning them."""
    total = Score()
    groups = abbreviation_groups()
    for query, answer, more in zip(queries, run.answers, run.expanded, strict=True):
        if query.kind != "abbr":
            continue
        expected, got = meaning(query, texts, groups), (answer | more) & texts.keys()
        total.tp += len(expected & got)
        total.fp += len(got - expected)
        total.fn += len(expected - got)
        total.queries += 1
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
    httpd.handle_error = lambda *_: None  # type: ignore[method-assign]  # a request the browser gave up on
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
    expanded: list[set[str]] = field(default_factory=list)  # results found by an abbreviation's other spelling

    def record(self, meter: _Bytes, answer: set[str], expanded: set[str] | None = None) -> None:
        """One query's answer and the bytes the meter counted for it."""
        if not self.search_bytes:
            self.first_files = file_kinds(meter.files)
        search, total = meter.take()
        self.answers.append(answer)
        self.expanded.append(expanded or set())
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
        done = page.evaluate("document.querySelector('.gk-search').gkDone")
        page.wait_for_timeout(30)  # let the last network events arrive
        run.record(meter, {urls.get(i, i) for i in done["ids"]}, {urls.get(i, i) for i in done["expanded"]})
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


@dataclass
class Evaluation:
    """One corpus searched both ways: its pages' texts, the queries, the answers and their scores."""

    pages: int
    queries: list[Query]
    ours: Run
    plain: Run | None
    mine: Score
    theirs: Score | None
    abbreviations: Score
    wrong: list[str]


def evaluate(
    browser: Any, base: str, site: Path, count: int = 150, plain: str | None = None, pages: int | None = None
) -> Evaluation:
    """Read every indexed page of site (served at base) in Chromium — or an even sample of ``pages`` of
    them, the others then left out of the scores —, draw the queries, ask both engines."""
    urls = fragment_urls(site / "pagefind")
    shown = sorted(set(urls.values()))
    step = max(1, len(shown) // pages) if pages else 1
    texts = searchable(visible_texts(browser, base, shown[::step]))
    queries = make_queries(texts, count)
    ours = run_ours(browser, base, queries, urls)
    theirs = run_plain(browser, base, plain, queries, fragment_urls(site / plain)) if plain else None
    return Evaluation(
        len(texts), queries, ours, theirs, score(queries, ours.answers, texts),
        score(queries, theirs.answers, texts) if theirs else None, abbreviation_score(queries, ours, texts),
        misses(queries, ours.answers, texts),
    )  # fmt: skip


def report(name: str, result: Evaluation) -> str:
    """The lines printed for one corpus."""
    lines = [f"\n### {name}: {result.pages} pages, {len(result.queries)} queries ({dict(kinds(result.queries))})\n",
             "| engine | queries | recall | precision | found nothing |", "|---|---:|---:|---:|---:|",
             describe("gongkai", result.mine)]  # fmt: skip
    if result.theirs:
        lines.append(describe("plain Pagefind", result.theirs))
    abbr = result.abbreviations
    lines.append(f"\nabbreviation queries ({abbr.queries}): recall {abbr.recall:.3f} against the pages meaning them "
                 f"(literal and expanded results), precision {abbr.precision:.3f}")  # fmt: skip
    by_kind = ", ".join(f"{k} {tp / max(1, tp + fn):.3f}/{tp / max(1, tp + fp):.3f}"
                        for k, (tp, fp, fn) in sorted(result.mine.by_kind.items()))  # fmt: skip
    lines.append(f"by kind (recall/precision): {by_kind}")
    later = sorted(result.ours.search_bytes[1:])
    lines.append(f"bytes: first query {result.ours.search_bytes[0] / 1000:.0f} KB, later median "
                 f"{later[len(later) // 2] / 1000:.0f} KB, largest {later[-1] / 1000:.0f} KB")  # fmt: skip
    lines += [f"  miss: {line}" for line in result.wrong]
    return "\n".join(lines)


def main() -> int:
    """Build the demo and the second corpus (pages and index only), search both, print the figures."""
    import argparse
    import sys

    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    import corpus2
    import search as bench
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queries", type=int, default=150)
    args = parser.parse_args()
    out = here / "out" / "accuracy"
    sources = {"demo": corpus2.copy_demo(out / "demo-src"), "second corpus": corpus2.write(out / "corpus2-src")}
    failed = False
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for name, src in sources.items():
            site = out / f"{src.name}-site"
            print(f"生成并索引 {name} ……", file=sys.stderr)
            bench.build_site(src, site)
            bench.index_ours(site)
            bench.index_plain(site)
            with serve(site) as base:
                result = evaluate(browser, base, site, args.queries, bench.PLAIN)
            print(report(name, result))
            failed |= result.mine.recall < 0.99 or result.mine.precision < 0.98
        browser.close()
    return int(failed)


if __name__ == "__main__":
    raise SystemExit(main())
