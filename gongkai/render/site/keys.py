"""The key of each page and file the site writes: a hash of everything that shapes it.

Two builds that give a page the same key write the same bytes, so the second may reuse the first's
file (``write/reuse.py``). A page's key is made of the site's shared key — gongkai's own code and
templates, the renderer's versions, mkdocs.yml, theme/, the hand-written pages (the navigation shows
their titles), county.yml, the build date — and of what the page alone shows: its typed context (a
document's metadata block, links and attachments as the page shows them; a data page's context), its
Markdown source and 当前位置. Whatever cannot be told apart this way belongs in the shared key: a
missed dependency would publish a stale page, an extra one only costs a rebuild.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import metadata
from pathlib import Path

from ...link import Links
from ...model import County, Document
from .contexts import Link
from .crumbs import crumbs
from .document import document_context, linked

RENDERERS = ("mkdocs", "mkdocs-material", "markdown", "jinja2", "markupsafe", "nh3", "pygments", "pymdown-extensions")
"""Packages whose version shapes a page's bytes."""
PACKAGE = Path(__file__).resolve().parents[2]
MARKDOWN_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)|^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
"""The targets of Markdown links and link references, which MkDocs turns into the target page's URL."""


def site_key(root: Path, county: County, today: dt.date, guide: bool, shared: Iterable[Path], extra: str) -> str:
    """The key every page's key starts from; ``shared`` are the source files every page depends on
    (mkdocs.yml, theme/, the hand-written pages), ``extra`` the MkDocs settings that are not in them."""
    digest = hashlib.sha256()
    digest.update(_code().encode())
    for part in (repr(county.config), today.isoformat(), str(guide), extra):
        digest.update(part.encode() + b"\0")
    for path in sorted(shared):
        name = path.relative_to(root) if path.is_relative_to(root) else path  # a theme outside the project
        digest.update(name.as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def page_key(site: str, url: str, planned: str, titles: Mapping[str, str]) -> str:
    """The key of a generated page at ``url``; ``planned`` is the repr of its title, template and context."""
    return _hash(site, "page", url, planned, repr(crumbs(url, "", titles)))


def document_key(
    site: str,
    doc: Document,
    links: Links,
    today: dt.date,
    source: bytes,
    targets: Mapping[str, bool],
    url: str,
    titles: Mapping[str, str],
    parsed: bool,
    trails: dict[str, str] | None = None,
    made: dict[tuple[int, str], Link] | None = None,
) -> str:
    """The key of a document's page: its file (``source``: the SHA-256 of its bytes, sources.py), what it shows
    of other records, where its links lead, its 当前位置.

    ``parsed``: ``doc`` was loaded from the very bytes ``source`` digests. Then the digest stands for all the file
    holds — metadata and body: a Document is its file's bytes parsed (load/documents.py), its URL and the
    attachments found beside it — and the key adds the attachments and what the page shows of other records
    (document.linked): some 5 µs, where the page's whole context took 60 (0.9 s at county scale). Otherwise
    (the file changed after it was loaded) the key holds the page's whole context, as the page shows it.
    ``trails``: the 当前位置 above each folder, kept for the next document of a build (they share folders);
    ``made``: the links to other records made so far (document.linked), kept likewise."""
    if parsed:
        around = f"parsed\0{doc.files!r}\0{linked(doc, links, made)!r}"
    else:
        around = f"changed\0{document_context(doc, links, '', today)!r}"
    targeted = repr(sorted(targets.items())) if targets else "[]"
    return _hash(site, "document", url, around, targeted, _above(url, titles, trails), first=source)


def hand_key(
    site: str, url: str, source: bytes, targets: Mapping[str, bool], titles: Mapping[str, str], nav: str
) -> str:
    """The key of a hand-written page (content/, not a document): its file (``source``: the SHA-256 of its bytes),
    where its links lead, its 当前位置 and ``nav``, the titles of the navigation's pages (every page in the
    navigation shows them). mkdocs.yml, theme/ and the other hand-written pages are in the site's key."""
    targeted = repr(sorted(targets.items())) if targets else "[]"
    return _hash(site, "hand", url, targeted, repr(crumbs(url, "", titles)), nav, first=source)


def data_key(site: str, made_from: str) -> str:
    """The key of a data file (a workbook) made from ``made_from``."""
    return _hash(site, "data", made_from)


def file_key(path: Path) -> str:
    """The key of a file published as it is (an attachment, a theme asset): its bytes."""
    return "file:" + hashlib.file_digest(path.open("rb"), "sha256").hexdigest()


def link_targets(source: bytes, src_uri: str) -> list[str]:
    """The relative files a Markdown source links to, as paths under content/ (anchors and URLs left out)."""
    found: list[str] = []
    if b"](" not in source and b"]:" not in source:  # what every match holds (most documents link nowhere)
        return found
    for match in MARKDOWN_LINK.finditer(source.decode("utf-8", "replace")):
        target = (match.group(1) or match.group(2) or "").split("#", 1)[0].split("?", 1)[0]
        if not target or ":" in target or target.startswith("/"):
            continue
        found.append(posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), target)))
    return found


def _above(url: str, titles: Mapping[str, str], trails: dict[str, str] | None) -> str:
    """The 当前位置 of the page at ``url`` without the page itself: the same for every page of its folder."""
    folder = url.rstrip("/").rpartition("/")[0]
    found = trails.get(folder) if trails is not None else None
    if found is None:
        found = repr(crumbs(url, "", titles)[:-1])
        if trails is not None:
            trails[folder] = found
    return found


def _hash(*parts: str, first: bytes = b"") -> str:
    """The SHA-256 of ``first`` and the parts, each part followed by a NUL (one string encoded: the same bytes as
    part by part)."""
    return hashlib.sha256(first + ("\0".join(parts) + "\0").encode("utf-8", "surrogatepass")).hexdigest()


@cache
def _code() -> str:
    """gongkai's own files and the renderers' versions: a new release renders every page again."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    for name in RENDERERS:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-\0".encode())
    return digest.hexdigest()
