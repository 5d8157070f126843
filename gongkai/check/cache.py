"""The check cache (``.cache/check/`` of the project): what checking found in each Markdown body, so that
an unchanged body is not parsed and rendered again.

A body's findings, URLs and what the sanitiser would remove (``Scanned``) depend on its text and on
gongkai's code and libraries only; they are stored under the hash of those (cachefile.code_fingerprint),
all in one sealed file (a damaged one reads as empty), written when it changed, keeping only the bodies
of the last run. Whether a relative link leads somewhere depends on the other files, so it is judged on
every run (content.py).
"""

from __future__ import annotations

import hashlib
import logging
import marshal
from pathlib import Path
from typing import Any, NamedTuple

from ..cachefile import code_fingerprint, seal, store, unseal
from .markup import Finding, Target, mask_code, removed_by_build, scan

log = logging.getLogger(__name__)

CACHE_DIR = ".cache/check"
BODIES = "bodies.bin"
_MAGIC = b"gk-check-2\0"


class Scanned(NamedTuple):
    """What a body shows by itself: refused HTML, the URLs it holds, what the sanitiser would remove."""

    findings: list[Finding]
    targets: list[Target]
    removed: list[str]


def scan_body(body: str) -> Scanned:
    """A body's findings and URLs; what the build would remove is asked only of a body without findings."""
    findings, targets = scan(mask_code(body))
    return Scanned(findings, targets, [] if findings else removed_by_build(body))


class BodyCache:
    """Scanned bodies by content hash, in the file ``path``; ``BodyCache(None)`` keeps nothing."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
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

    def scanned(self, body: str) -> Scanned:
        """scan_body, through the cache."""
        if self.path is None:
            return scan_body(body)
        key = hashlib.sha256(code_fingerprint() + body.encode()).digest()
        entry = self.old.get(key)
        try:
            findings, targets, removed = entry  # type: ignore[misc]
            result = Scanned([Finding(*f) for f in findings], [Target(*t) for t in targets], [str(r) for r in removed])
        except (TypeError, ValueError):
            result = scan_body(body)
            entry = (
                [(f.line, f.message, f.fix) for f in result.findings],
                [(t.line, t.tag, t.attribute, t.url) for t in result.targets],
                result.removed,
            )
        self.new[key] = entry
        return result

    def save(self) -> None:
        """Write this run's entries, when they are not what the file holds (atomically, cachefile.store)."""
        if self.path is None or self.new == self.old:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            store(self.path, seal(_MAGIC, BODIES, marshal.dumps(self.new)))
        except OSError as error:  # a cache that cannot be written only costs the next check a scan
            log.debug("检查缓存无法写入（%s）：%s", self.path, error)
