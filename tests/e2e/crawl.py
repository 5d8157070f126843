"""A link checker for the e2e tests: fetch a served site, follow every internal href/src, report what breaks."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")


@dataclass(frozen=True)
class Broken:
    """One link that does not resolve, and the page it appears on."""

    page: str
    target: str
    problem: str

    def __str__(self) -> str:
        return f"{self.page} -> {self.target}: {self.problem}"


@dataclass
class Fetched:
    """One URL as served: its status, the ids it defines (HTML) and the links it makes."""

    status: int
    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)


class _Page(HTMLParser):
    """Collects the href/src values and the ids (and a-names) of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src"):
                self.links.append(value.strip())
            elif name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)


def fetch(url: str) -> Fetched:
    """GET ``url`` (redirects followed); parse HTML and CSS for links, whatever the status."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            status, kind, body = response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        status, kind, body = error.code, error.headers.get_content_type(), error.read()
    if kind == "text/html":
        page = _Page()
        page.feed(body.decode("utf-8", errors="replace"))
        return Fetched(status, page.ids, [urljoin(url, link) for link in page.links if _followed(link)])
    if kind == "text/css":
        links = CSS_URL.findall(body.decode("utf-8", errors="replace"))
        return Fetched(status, links=[urljoin(url, link) for link in links if _followed(link)])
    return Fetched(status)


def crawl(start: str, scope: str, *, recursive: bool = True, workers: int = 8) -> tuple[list[Broken], int]:
    """Check every link under ``scope`` reachable from ``start``; return the broken ones and the URLs fetched."""
    fetched: dict[str, Fetched] = {}
    todo = {start}
    with ThreadPoolExecutor(workers) as pool:
        while todo:
            batch = sorted(todo)
            fetched.update(zip(batch, pool.map(fetch, batch), strict=True))
            wanted = {urldefrag(link).url for url in batch for link in fetched[url].links}
            todo = {url for url in wanted if url.startswith(scope) and url not in fetched}
            if not recursive:
                fetched.update(zip(sorted(todo), pool.map(fetch, sorted(todo)), strict=True))
                todo = set()
    return _broken(start, scope, fetched), len(fetched)


def _broken(start: str, scope: str, fetched: dict[str, Fetched]) -> list[Broken]:
    host = urlsplit(scope).netloc
    found = []
    for page, result in fetched.items():
        for link in result.links:
            url, fragment = urldefrag(link)
            if urlsplit(url).netloc != host:
                continue  # another site
            problem = _problem(url, unquote(fragment), scope, fetched)
            if problem and (page != start or url != start):
                found.append(Broken(page, link, problem))
    return sorted(set(found), key=str)


def _problem(url: str, fragment: str, scope: str, fetched: dict[str, Fetched]) -> str | None:
    if not url.startswith(scope):
        return f"outside the site ({scope})"
    target = fetched.get(url)
    if target is None:
        return None  # not crawled (recursive=False stops at one level)
    if target.status != 200:
        return f"HTTP {target.status}"
    if fragment and target.ids and fragment not in target.ids:
        return f"no element with id {fragment!r}"
    return None


def _followed(link: str) -> bool:
    return link not in ("", "#") and not link.lower().startswith(SKIPPED_SCHEMES)
