"""Compressed files: gzip (Pagefind's files, ``.gz``) and zip (XLSX, DOCX, PPTX, OFD, ODF), unpacked within caps."""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import replace
from pathlib import PurePosixPath

from ..normalise import markup_parts, plain_part
from . import MAX_MEMBERS, Active, Budget, Reading, Unreadable, images
from . import read as read_any
from .text import binary_part

GZIP = b"\x1f\x8b"
ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_PIECE = 1024 * 1024
RICH_XML = (
    "word/",
    "xl/sharedstrings.xml",
    "xl/worksheets/",
    "xl/comments",
    "xl/drawings/",
    "ppt/slides/",
    "ppt/notesslides/",
    "ppt/comments",
    "content.xml",
    "doc_0/",
)
"""Zip members whose XML is running text (the runs of a paragraph join); the other XML (document
properties, relationships) is data, one field per element."""
XML_SUFFIXES = {".xml", ".rels", ".vml", ".xhtml", ".html", ".htm", ".txt", ".json", ".csv", ".svg"}
SKIPPED_SUFFIXES = {".odttf", ".fntdata"}
"""Obfuscated fonts embedded by Office: glyphs only."""
BINARY_SUFFIXES = {".bin", ".emf", ".wmf", ".emz", ".wmz", ".dat", ".sigs", ".bmp", ".tif", ".tiff"}
"""Embedded objects and vector pictures: read by their strings."""


def claims(data: bytes, suffix: str) -> bool:
    """Gzip or zip by its first bytes."""
    return data.startswith(GZIP) or data.startswith(ZIP)


def read(name: str, data: bytes, *, lines: bool, depth: int, budget: Budget) -> Reading:
    """The file inside a gzip, or every member of a zip."""
    if data.startswith(GZIP):
        inner = gunzip(data, budget)
        inner_name = name[:-3] if name.lower().endswith(".gz") else name
        return read_any(inner_name, inner, lines=False, depth=depth + 1, budget=budget)
    return _zip(data, depth, budget)


def gunzip(data: bytes, budget: Budget) -> bytes:
    """A gzip file's content, decompressed piece by piece so that a bomb stops at the cap, not at the memory's end."""
    out, rest = [], data
    while rest.startswith(GZIP):  # a gzip file may hold several members
        engine = zlib.decompressobj(16 + zlib.MAX_WBITS)
        chunk = rest
        try:
            while True:
                piece = engine.decompress(chunk, _PIECE)
                budget.take(len(piece))
                out.append(piece)
                chunk = engine.unconsumed_tail
                if engine.eof or (not chunk and not piece):
                    break
        except zlib.error:
            raise Unreadable("gzip 压缩文件已损坏") from None
        if not engine.eof:
            raise Unreadable("gzip 压缩文件不完整")
        rest = engine.unused_data
    return b"".join(out)


def _zip(data: bytes, depth: int, budget: Budget) -> Reading:
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        members = book.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise Unreadable("压缩包（Office 文档）已损坏，无法打开") from None
    if len(members) > MAX_MEMBERS:
        raise Unreadable(f"压缩包中的文件太多（超过 {MAX_MEMBERS} 个）")
    what = active_members([m.filename for m in members])
    if what:
        raise Active(what)
    reading = Reading([plain_part("\n".join(m.filename for m in members), "文件中的部件名", None)])
    for member in members:
        if member.is_dir():
            continue
        if member.flag_bits & 0x1:
            raise Unreadable("文件有密码保护，无法检查", "请去掉密码后重新保存，或导出为 PDF")
        reading.add(_member(member.filename, _unpack(book, member, budget), depth, budget))
    return reading


MACRO_MEMBERS = ("vbaproject.bin", "vbadata.xml", "vbaprojectsignature.bin")
"""OOXML parts that hold VBA macros (a .docm, .xlsm or .pptm, or a renamed one)."""


def active_members(names: list[str]) -> str | None:
    """What in an Office (OOXML, ODF, WPS) package runs by itself, by its part names, or None."""
    for name in names:
        lower = name.lower()
        base = PurePosixPath(lower).name
        if base in MACRO_MEMBERS or (base.startswith("vbaproject") and base.endswith(".bin")):
            return "Office 宏（VBA）"
        if "/activex/" in f"/{lower}":
            return "ActiveX 控件"
        if lower.startswith(("basic/", "scripts/")):
            return "OpenDocument 宏或脚本"
    return None


def _unpack(book: zipfile.ZipFile, member: zipfile.ZipInfo, budget: Budget) -> bytes:
    pieces = []
    try:
        with book.open(member) as stream:
            while piece := stream.read(_PIECE):
                budget.take(len(piece))
                pieces.append(piece)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, NotImplementedError, RuntimeError):
        raise Unreadable(f"压缩包中的「{member.filename}」已损坏，无法读取") from None
    return b"".join(pieces)


def _member(path: str, content: bytes, depth: int, budget: Budget) -> Reading:
    """One member: XML through the markup normaliser, embedded objects by their strings, the rest by its type."""
    suffix = PurePosixPath(path).suffix.lower()
    where = f"文件中的「{path}」"
    if suffix in SKIPPED_SUFFIXES:
        return Reading()
    if suffix in XML_SUFFIXES:
        bom = content.startswith((b"\xff\xfe", b"\xfe\xff"))
        text = content.decode("utf-16" if bom else "utf-8", "replace")
        if path == "[Content_Types].xml" and "macroenabled" in text.lower():
            raise Active("Office 宏（启用宏的文档类型）")
        rich = path.lower().startswith(RICH_XML) or path.lower().endswith("content.xml")
        return Reading(markup_parts(text, where, None, mode="xml" if rich else "data"))
    if suffix in BINARY_SUFFIXES and not images.claims(content, suffix):
        return Reading([binary_part(content, where)])
    inner = read_any(path, content, lines=False, depth=depth + 1, budget=budget)
    return Reading([part if part.where else replace(part, where=where) for part in inner.parts], inner.notes)
