"""The check cache (``.cache/check/`` of the project): what checking found in each Markdown body, so that
an unchanged body is not parsed and rendered again.

A body's findings, URLs and what the sanitiser would remove (``Found``) depend on its text and on
gongkai's code and libraries only; they are stored under the hash of those (cachefile.code_fingerprint),
all in one sealed file (a damaged one reads as empty), written when it changed, keeping only the bodies
of the last run. Whether a relative link leads somewhere depends on the other files, so it is judged on
every run (content.py).
"""

from __future__ import annotations

import hashlib
import html
import logging
import marshal
from pathlib import Path
from typing import Any, NamedTuple

from ..cachefile import code_fingerprint, seal, store, unseal
from ..model.content import url_scheme
from .markup import Finding, Target, mask_code, removed_by_build, scan

log = logging.getLogger(__name__)

CACHE_DIR = ".cache/check"
BODIES = "bodies.bin"
_MAGIC = b"gk-check-3\0"


class Scanned(NamedTuple):
    """What a body shows by itself: refused HTML, the URLs it holds, what the sanitiser would remove."""

    findings: list[Finding]
    targets: list[Target]
    removed: list[str]


def scan_body(body: str) -> Scanned:
    """A body's findings and URLs; what the build would remove is asked only of a body without findings."""
    findings, targets = scan(mask_code(body))
    return Scanned(findings, targets, [] if findings else removed_by_build(body))


def relative_url(url: str) -> bool:
    """Whether a URL written in a body may be a relative link to a file (not an anchor, a site URL or an external
    link, which lead nowhere to check)."""
    return bool(url) and not url_scheme(url) and not html.unescape(url).strip().startswith(("#", "/"))


Found = tuple[list[tuple[int, str, str]], list[tuple[int, str]], list[str]]
"""What check_body needs of a body: its findings as (line, message, fix), its URLs that may be relative links
(``relative_url``) as (line, URL), what the sanitiser would remove."""


def found_in(body: str) -> Found:
    """``Found`` of a body, scanned now."""
    scanned = scan_body(body)
    return (
        [(f.line, f.message, f.fix) for f in scanned.findings],
        [(t.line, t.url) for t in scanned.targets if relative_url(t.url)],
        scanned.removed,
    )


class BodyCache:
    """What each body shows by itself (``Found``) by content hash, in the file ``path``; ``BodyCache(None)`` keeps
    nothing. Kept as plain tuples and taken as they are read (no record made for each of a county's URLs)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.code: Any = None  # the hash of gongkai's code, continued with each body's (_key)
        self.old: dict[bytes, Any] = {}
        self.new: dict[bytes, Any] = {}
        if path is None:
            return
        try:
            body = unseal(_MAGIC, BODIES, path.read_bytes())
            loaded = marshal.loads(body) if body is not None else {}
        except (OSError, EOFError, ValueError, TypeError):
            loaded = {}
        self.old = loaded if isinstance(loaded, dict) else {}

    @classmethod
    def open(cls, root: Path) -> BodyCache:
        """The cache of the project at ``root``."""
        return cls(root / CACHE_DIR / BODIES)

    def found(self, body: str, entry: str | None = None) -> Found:
        """found_in, through the cache; ``entry``: the name of the load cache entry the body was parsed from (load/
        cache.py ``named``: the hash of its file's bytes, path and gongkai's code), which names it as well as its
        own hash, without hashing it (20 500 bodies, 70 MB: 0.3 s)."""
        if self.path is None:
            return found_in(body)
        key = b"load:" + entry.encode() if entry else self._key(body)
        value: Found = self.old.get(key)  # type: ignore[assignment]
        if not _valid(value):
            value = found_in(body)
        self.new[key] = value
        return value

    def _key(self, body: str) -> bytes:
        if self.code is None:
            self.code = hashlib.sha256(code_fingerprint())
        digest = self.code.copy()
        digest.update(body.encode())
        return digest.digest()

    def save(self) -> None:
        """Write this run's entries, when they are not what the file holds (atomically, cachefile.store)."""
        if self.path is None or self.new == self.old:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            store(self.path, seal(_MAGIC, BODIES, marshal.dumps(self.new)))
        except OSError as error:  # a cache that cannot be written only costs the next check a scan
            log.debug("检查缓存无法写入（%s）：%s", self.path, error)


def _valid(entry: Any) -> bool:
    """Whether an entry read back has the shape of a ``Found`` (the file is sealed and of this layout: its parts are
    what ``found_in`` gave, through marshal)."""
    return type(entry) is tuple and len(entry) == 3 and all(type(part) is list for part in entry)
