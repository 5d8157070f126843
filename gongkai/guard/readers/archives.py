"""Compressed files: gzip (Pagefind's files, ``.gz``) and zip (XLSX, DOCX, PPTX, OFD, ODF), unpacked within caps."""

from __future__ import annotations

import html
import io
import re
import zipfile
import zlib
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath

from ..normalise import Part, markup_parts, plain_part
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
    hidden_styles: set[str] = set()  # Word's character styles that hide their runs, read before the text
    for member in sorted(members, key=lambda m: m.filename.lower() != "word/styles.xml"):
        if member.is_dir():
            continue
        if member.flag_bits & 0x1:
            raise Unreadable("文件有密码保护，无法检查", "请去掉密码后重新保存，或导出为 PDF")
        reading.add(_member(member.filename, _unpack(book, member, budget), depth, budget, hidden_styles))
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


_HIDING_PROPERTY = (
    r"<w:(?:vanish|specVanish|webHidden)\b(?![^>]*w:val=\"(?:0|false|off)\")[^>]*>"
    r"|<w:color\b[^>]*w:val=\"(?i:FFFFFF)\"[^>]*>|<w:sz\b[^>]*w:val=\"[0-3]\"[^>]*>"
)
"""Run properties that hide a run: hidden text, white, or at most 1.5 points."""
_HIDDEN_RUN = re.compile(rf"<w:r\b[^>]*>(?:(?!</w:r>).)*?(?:{_HIDING_PROPERTY})(?:(?!</w:r>).)*?</w:r>", re.DOTALL)
_STYLE = re.compile(r"<w:style\b[^>]*w:styleId=\"([^\"]+)\"[^>]*>(.*?)</w:style>", re.DOTALL)
_DELETED = re.compile(r"<w:(del|moveFrom)\b[^>]*?(?<!/)>.*?</w:\1>|<w:delText\b.*?</w:delText>", re.DOTALL)
_CELL_VALUE = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.DOTALL)
_FORMULA = re.compile(r"<f\b[^>]*(?:/>|>.*?</f>)", re.DOTALL)
_NUMBER_VALUE = re.compile(r"<v>([-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)</v>")
_ODF_VALUE = re.compile(r'office:value="([-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)"')
_FORMAT_CODE = re.compile(r"<numFmt\b[^>]*formatCode=\"([^\"]*)\"")
_FORMAT_LITERAL = re.compile(r"\"[^\"]*[0-9][^\"]*\"|\\[0-9]")
SPREADSHEET_FIX = "请在 Excel 中把这些单元格设为「常规」或「文本」格式、把公式转为数值（选择性粘贴为数值）后重新保存"


def office_parts(path: str, text: str, where: str, hidden_styles: set[str]) -> list[Part]:
    """One XML part of an Office file, read as Word and Excel show it:

    - a Word part is read twice: every run (deleted and hidden text included, as the file holds it), and
      only what is shown (without ``w:vanish`` runs and ``w:del`` deletions), so a hidden digit inside a
      number hides nothing;
    - a worksheet's numbers are read as Excel displays them (``1.3800000303E10`` → 13800000303); a formula
      without a cached value is refused (its result is unknown until Excel computes it);
    - number formats that write digits of their own (``"1380000"0000``) are refused: the cell shows
      digits that are in no cell."""
    lower = path.lower()
    rich = lower.startswith(RICH_XML) or lower.endswith("content.xml")
    if lower == "word/styles.xml":
        hidden_styles.update(style for style, body in _STYLE.findall(text) if re.search(_HIDING_PROPERTY, body))
    if lower.startswith("xl/worksheets/"):
        text = _sheet_numbers(text, path)
    if lower.endswith("content.xml") and "office:value=" in text:  # an OpenDocument spreadsheet's numbers
        text = _ODF_VALUE.sub(lambda m: f'office:value="{_integer(m.group(1)) or m.group(1)}"', text)
    if lower == "xl/styles.xml":
        for code in _FORMAT_CODE.findall(text):
            if _FORMAT_LITERAL.search(html.unescape(code)):
                raise Unreadable(
                    f"表格的数字格式「{html.unescape(code)}」含有照写的数字，单元格显示的号码与它的值不同",
                    SPREADSHEET_FIX,
                )
    parts = markup_parts(text, where, None, mode="xml" if rich else "data")
    if lower.startswith("word/") and (
        hidden_styles
        or "vanish" in text
        or "webHidden" in text
        or "<w:del" in text
        or "moveFrom" in text
        or "FFFFFF" in text.upper()
        or "<w:sz " in text
    ):
        shown = _HIDDEN_RUN.sub("", _DELETED.sub("", text))
        if hidden_styles:
            names = "|".join(re.escape(style) for style in sorted(hidden_styles))
            styled = rf"<w:r\b[^>]*>(?:(?!</w:r>).)*?<w:rStyle\b[^>]*w:val=\"(?:{names})\"[^>]*>(?:(?!</w:r>).)*?</w:r>"
            shown = re.sub(styled, "", shown, flags=re.DOTALL)
        parts += markup_parts(shown, f"{where}显示的文字", None, mode="xml")[:1]
    return parts


def _sheet_numbers(text: str, path: str) -> str:
    """A worksheet with each number cell's value as Excel shows it, integers in full; refused when a formula
    has no cached value."""

    def cell(match: re.Match[str]) -> str:
        body = match.group(2) or ""
        if _FORMULA.search(body) and not re.search(r"<v>[^<]", body):
            reference = re.search(r'\br="([A-Z]+[0-9]+)"', match.group(1) or "")
            where = f"单元格 {reference.group(1)} " if reference else ""
            raise Unreadable(f"工作表「{path}」{where}的公式没有保存计算结果，无法确认它显示的内容", SPREADSHEET_FIX)
        if 't="' in (match.group(1) or "") and not re.search(r'\bt="n"', match.group(1) or ""):
            return match.group()
        return _NUMBER_VALUE.sub(_shown, match.group())

    return _CELL_VALUE.sub(cell, text) if "<c" in text else text


def _shown(match: re.Match[str]) -> str:
    whole = _integer(match.group(1))
    return f"<v>{whole}</v>" if whole else match.group()


def _integer(text: str) -> str | None:
    """A number's digits in full when it is a whole number (``1.3800000303E10`` → 13800000303), else None."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if value.is_finite() and value == value.to_integral_value() and abs(value) < Decimal(10) ** 20:
        return str(int(value))
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


def _member(path: str, content: bytes, depth: int, budget: Budget, hidden_styles: set[str] | None = None) -> Reading:
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
        return Reading(office_parts(path, text, where, hidden_styles if hidden_styles is not None else set()))

    if suffix in BINARY_SUFFIXES and not images.claims(content, suffix):
        return Reading([binary_part(content, where)])
    inner = read_any(path, content, lines=False, depth=depth + 1, budget=budget)
    return Reading([part if part.where else replace(part, where=where) for part in inner.parts], inner.notes)
