"""What a document page's key needs of its source file — the SHA-256 of its bytes and the files its Markdown
links to — kept by the file's identity (device, inode, size, modification and change time: a write moves the
change time, which cannot be set back; a file changed just before it was read is not kept so,
``cachefile.SETTLED_NS``), in one sealed file keyed with gongkai's code (``.cache/site/sources.bin``): an
incremental build reads only the documents that changed. A damaged, truncated or foreign cache file, or one
of another version of gongkai, reads as empty: every source is read again.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from typing import Any

from ...cachefile import code_fingerprint, keep, read_kept, settled_before
from .keys import link_targets

CACHE_FILE = ".cache/site/sources.bin"
_MAGIC = b"gk-site-sources-1\0"
log = logging.getLogger(__name__)


class SourceDigests:
    """The sources of the last incremental build by identity (``old``), and those of this one (``new``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.old: dict[str, Any] = {}
        self.new: dict[str, Any] = {}
        self.settled = settled_before()
        self.read = 0
        """Sources read (not taken by their identity)."""
        self.data: bytes | None = None
        """The bytes of the source the last ``source`` read; None when it took the source by its identity (unchanged
        since an earlier build read it: so since before this build loaded it)."""
        kept = read_kept(path, _MAGIC, code_fingerprint())
        if type(kept) is dict:
            self.old = kept

    @classmethod
    def open(cls, root: Path) -> SourceDigests:
        return cls(root / CACHE_FILE)

    def source(self, path: str, src_uri: str) -> tuple[bytes, tuple[str, ...]]:
        """The digest of the file at ``path`` (the document ``src_uri`` of content/) and the files it links to
        (keys.link_targets), from the last build when its identity is the same."""
        found = os.stat(path)  # before it is read: a write after this moves the identity recorded
        identity = (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)
        slot = f"{src_uri}\0{path}"
        entry = self.old.get(slot)
        if entry is not None and _valid(entry) and entry[0] == identity:
            self.new[slot] = entry
            self.data = None
            return entry[1], entry[2]
        with open(path, "rb") as file:
            self.data = data = file.read()
        self.read += 1
        digest, targets = hashlib.sha256(data).digest(), tuple(link_targets(data, src_uri))
        if found.st_ctime_ns < self.settled:
            self.new[slot] = (identity, digest, targets)
        return digest, targets

    def save(self) -> None:
        """Keep this build's sources (those of documents gone are dropped)."""
        if self.new != self.old and not keep(self.path, _MAGIC, code_fingerprint(), self.new):
            log.debug("source digests not kept: %s", self.path)  # costs the next build a read of each source


def _valid(entry: Any) -> bool:
    """An entry as ``source`` writes it: (identity, digest, targets)."""
    return (
        type(entry) is tuple
        and len(entry) == 3
        and type(entry[0]) is tuple
        and type(entry[1]) is bytes
        and type(entry[2]) is tuple
        and all(type(target) is str for target in entry[2])
    )
