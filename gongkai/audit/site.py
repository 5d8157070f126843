"""The built site, read back for the audit: every HTML page's links, ids and heading, and which files exist."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import UsageError
from ..render.search.records import page_url
from ..render.site import urls
from ..write import MARKER

AS_OF = re.compile(r"截至 (\d{4})年(\d{1,2})月(\d{1,2})日")
SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:")
LINKING = {
    "a": "href",
    "link": "href",
    "img": "src",
    "script": "src",
    "source": "src",
    "iframe": "src",
    "audio": "src",
    "video": "src",
    "embed": "src",
    "object": "data",
}


@dataclass
class Page:
    """One built HTML page: the links it makes (as written), the ids it defines, its first heading."""

    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    title: str = ""


@dataclass(frozen=True)
class BuiltSite:
    """The output directory of `gongkai build`, read once."""

    root: Path
    pages: dict[str, Page]
    """Page URL (relative to the site root, '' for home, 'xxgk/' …) → the page."""
    files: frozenset[str]
    """Every file of the site, relative to its root."""

    def exists(self, target: str) -> bool:
        """Whether a site-relative path (a page URL or a file) was built."""
        path = unquote(target).rstrip("/")
        return path in self.files or posixpath.join(path, "index.html").lstrip("/") in self.files

    def resolve(self, page: str, link: str) -> str | None:
        """A link of the page at ``page`` as a site-relative target ('' = home); None if external or not a file."""
        if link.startswith(SKIPPED_SCHEMES) or link.startswith("#"):
            return None
        parts = urlsplit(link)
        if parts.scheme or parts.netloc:
            return None
        base = posixpath.dirname("/" + page) if not page.endswith("/") and page else "/" + page.rstrip("/")
        target = posixpath.normpath(posixpath.join(base, parts.path)) if parts.path else "/" + page
        target = target.lstrip("/")
        if target == ".":
            target = ""
        if parts.path.endswith("/") and target:
            target += "/"
        return target

    def normative_date(self) -> dt.date | None:
        """The date the built 现行有效行政规范性文件目录 says it is current to (None when it is missing)."""
        found = AS_OF.search(self.text(urls.NORMATIVE))
        return dt.date(*map(int, found.groups())) if found else None

    def text(self, page: str) -> str:
        """The HTML of a built page ('' when it was not built)."""
        path = self.root / page / "index.html"
        return path.read_text(encoding="utf-8") if path.is_file() else ""

    def links_to(self, page: str, target: str) -> bool:
        """Whether the page links to the page at ``target``."""
        found = self.pages.get(page)
        return found is not None and any(self.resolve(page, link) == target for link in found.links)


def read_site(site_dir: Path) -> BuiltSite:
    """Every HTML page of the built site; a UsageError when the directory holds no gongkai site."""
    if not (site_dir / MARKER).is_file() or not (site_dir / "index.html").is_file():
        raise UsageError(f"{site_dir} 中没有生成的网站：请先运行 gongkai build（或用 --site-dir 指定网站目录）")
    pages = {}
    files = frozenset(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file())
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir).as_posix()
        reader = _Reader()
        reader.feed(path.read_text(encoding="utf-8", errors="replace"))
        reader.close()
        pages[page_url(relative)] = reader.page
    return BuiltSite(site_dir, pages, files)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v for k, v in attrs if v is not None}
        attribute = LINKING.get(tag)
        if attribute and found.get(attribute, "").strip():
            self.page.links.append(found[attribute].strip())
        if "id" in found:
            self.page.ids.add(found["id"])
        if tag == "h1" and not self.page.title:
            self.in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.page.title += data.strip()
