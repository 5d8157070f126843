"""Readers: any file the guard meets, as normalised ``Part``s — or ``Unreadable``, and then it is not published.

The file's type is told by its first bytes (magic) and then by its name:

| what | how it is read |
|---|---|
| text (HTML, XML, feeds, SVG, Markdown, YAML, CSV, JSON, JavaScript, CSS, plain text) | ``text`` |
| gzip (``.gz``, Pagefind's ``pf_*`` files) | decompressed in pieces, at most ``MAX_UNPACKED`` |
| zip (XLSX, DOCX, PPTX, OFD, ODF) | every member: XML parts, images' metadata, embedded files |
| OLE (DOC, XLS, WPS, ET) | every stream, as 8-bit and as UTF-16LE text |
| PDF | page text, document information, XMP, annotations, form fields, bookmarks |
| PNG, JPEG, GIF, WebP | their text and metadata chunks (EXIF, XMP, comments); pixels are not read |
| fonts (TTF, OTF, WOFF, WOFF2), WebAssembly, Pagefind's index | known binary formats; their strings are read |

Anything else that is not text, anything larger than ``MAX_FILE``, any archive that unpacks to more
than ``MAX_UNPACKED`` or more than ``MAX_RATIO`` times its size, and any damaged file raises ``Unreadable``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..normalise import Part

log = logging.getLogger(__name__)

MAX_FILE = 50 * 1024 * 1024
"""Bytes: an attachment or output larger than this is refused (a scanned book is; a policy document never is)."""
MAX_UNPACKED = 100 * 1024 * 1024
"""Bytes a compressed file (gzip, zip, a compressed PDF or PNG chunk) may unpack to, in all."""
MAX_RATIO = 50
"""How many times its own size an archive may unpack to (beyond the first 5 MB): more is a zip bomb.
Office files unpack to 5–20 times their size, web text to 3–10."""
RATIO_FROM = 5 * 1024 * 1024
MAX_MEMBERS = 10_000
"""Members of a zip file (an XLSX, DOCX …)."""
MAX_DEPTH = 3
"""Files inside files (a workbook inside a document inside a zip): deeper is refused."""
MAX_PAGES = 5_000
"""Pages of a PDF."""

RESAVE = "请用原来的软件打开，重新保存（或导出为 PDF）后替换这个文件"


class Unreadable(Exception):
    """A file the guard cannot read completely, so it cannot be published: what is wrong, what to do."""

    def __init__(self, reason: str, fix: str = RESAVE) -> None:
        super().__init__(reason)
        self.reason, self.fix = reason, fix


ACTIVE_FIX = "请另存为普通 PDF（或去掉宏后另存为 .docx、.xlsx）后替换这个文件；嵌入的文件请作为单独的附件发布"


class Active(Unreadable):
    """A file that holds something that runs or opens by itself (a PDF script, an Office macro, an
    embedded file): published as it is, a visitor's viewer would run it, so it is refused."""

    def __init__(self, what: str, fix: str = ACTIVE_FIX) -> None:
        super().__init__(f"附件含有脚本或嵌入文件（{what}）", fix)
        self.what = what


@dataclass
class Reading:
    """What a reader found in a file: its normalised parts and notes for a person to check."""

    parts: list[Part] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Parts of the file no scan can read (a scanned page): reported as warnings, not refused."""

    def add(self, other: Reading) -> None:
        """Take in what was read from a file inside this one."""
        self.parts += other.parts
        self.notes += other.notes


class Budget:
    """The bytes a file may still unpack to, shared by everything inside it."""

    def __init__(self, packed: int) -> None:
        self.packed, self.unpacked = max(packed, 1), 0

    def take(self, size: int) -> None:
        """Count ``size`` more unpacked bytes; raise Unreadable past the caps."""
        self.unpacked += size
        if self.unpacked > MAX_UNPACKED:
            raise Unreadable(
                f"解压后超过 {MAX_UNPACKED // 1024 // 1024} MB",
                "请拆分或压缩图片后重新保存；不要上传压缩炸弹一类的文件",
            )
        if self.unpacked > RATIO_FROM and self.unpacked > self.packed * MAX_RATIO:
            raise Unreadable(
                f"压缩比异常（解压后超过原文件的 {MAX_RATIO} 倍）", "这不像正常的文档；请用原来的软件重新保存后替换"
            )


def read(name: str, data: bytes, *, lines: bool = False, depth: int = 0, budget: Budget | None = None) -> Reading:
    """Everything a reader of the file could see, as parts; raise Unreadable if it cannot all be read.

    ``name`` is the file's name (its suffix helps tell the type); ``lines``: keep line numbers (sources)."""
    from . import archives, images, ole, pdf, text

    if len(data) > MAX_FILE:
        raise Unreadable(
            f"文件过大（{len(data) // 1024 // 1024} MB，上限 {MAX_FILE // 1024 // 1024} MB）",
            "请压缩或拆分后再发布，扫描件请降低分辨率",
        )
    if depth > MAX_DEPTH:
        raise Unreadable("文件里套文件的层数太多", "请把嵌入的文件取出，作为单独的附件")
    budget = budget or Budget(len(data))
    suffix = PurePosixPath(name).suffix.lower()
    try:
        for reader in (archives, ole, pdf, images):
            if reader.claims(data, suffix):
                return reader.read(name, data, lines=lines, depth=depth, budget=budget)
        return text.read(name, data, lines=lines)
    except Unreadable:
        raise
    except MemoryError:
        raise Unreadable("内存不足，无法读完", "请拆分这个文件，或把它转换为 PDF") from None
    except Exception as error:  # a parser meeting a file no tool wrote: refused, never published unread
        log.debug("%s: %r", name, error)
        raise Unreadable("文件格式异常，无法完整读取") from None


__all__ = ["MAX_FILE", "MAX_UNPACKED", "Active", "Budget", "Reading", "Unreadable", "read"]
