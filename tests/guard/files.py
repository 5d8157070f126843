"""Files made for the guard's tests: Office, OLE, PDF parts and pictures holding a given text."""

from __future__ import annotations

import gzip
import io
import struct
import zipfile
from xml.sax.saxutils import escape

from PIL import Image, PngImagePlugin
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, NumberObject, TextStringObject

from kit import document


def gdlb(body: str) -> str:
    """The test county's farmland-subsidy plan (content/documents/2026/gdlb.md) with this body, from line 16."""
    return document(
        "测试县2026年耕地地力保护补贴实施方案",
        "11341700MB1714830K/202603-00001",
        extra="目录事项: 耕地地力保护\n",
        body=body,
    )


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx(runs: list[str], creator: str = "县政府办") -> bytes:
    """A Word document whose one paragraph is these runs (each in its own <w:r>, bold every other)."""
    body = "".join(
        f'<w:r>{"<w:rPr><w:b/></w:rPr>" if i % 2 else ""}<w:t xml:space="preserve">{escape(run)}</w:t></w:r>'
        for i, run in enumerate(runs)
    )
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body><w:p>{body}</w:p></w:body></w:document>'
    core = (
        '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
        'package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>通知</dc:title><dc:creator>{escape(creator)}</dc:creator></cp:coreProperties>"
    )
    return _zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": document, "docProps/core.xml": core})


def docx_with_picture(picture: bytes) -> bytes:
    """A Word document holding one picture in word/media/."""
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body><w:p/></w:body></w:document>'
    return _zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": document, "word/media/image1.png": picture})


def _zip(members: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in members.items():
            book.writestr(name, data)
    return out.getvalue()


def zip_bomb(size: int) -> bytes:
    """A DOCX whose document part unpacks to ``size`` bytes of nothing."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        with book.open("word/document.xml", "w", force_zip64=True) as member:
            block = b" " * (1024 * 1024)
            for _ in range(size // len(block)):
                member.write(block)
    return out.getvalue()


def gzip_bomb(size: int) -> bytes:
    """Gzip data that unpacks to ``size`` zero bytes (what a .doc named bomb held)."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as packed:
        block = b"\0" * (1024 * 1024)
        for _ in range(size // len(block)):
            packed.write(block)
    return out.getvalue()


def ole(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (version 3, 512-byte sectors) holding these streams: small ones in the
    mini stream, large ones (4096 bytes or more) in sectors of their own — as Word and Excel write them."""
    sector, mini, cutoff, end, free = 512, 64, 4096, 0xFFFFFFFE, 0xFFFFFFFF
    big = {n: d for n, d in streams.items() if len(d) >= cutoff}
    small = {n: d for n, d in streams.items() if len(d) < cutoff}
    mini_stream, mini_fat, mini_start = b"", [], {}
    for name, data in small.items():
        mini_start[name] = len(mini_stream) // mini
        count = -(-len(data) // mini)
        mini_fat += [mini_start[name] + k + 1 for k in range(count - 1)] + [end]
        mini_stream += data.ljust(count * mini, b"\0")
    blobs = {name: data for name, data in big.items()}
    if mini_stream:
        blobs["\0mini"] = mini_stream
    mini_fat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat) if mini_fat else b""
    entries = 1 + len(streams)
    layout = [("dir", b"\0" * (128 * entries)), ("minifat", mini_fat_bytes), *blobs.items()]
    starts, fat, at = {}, [], 1  # sector 0 is the FAT
    for name, data in layout:
        count = -(-len(data) // sector) if data else 0
        starts[name] = at if count else end
        fat += [at + k + 1 for k in range(count - 1)] + ([end] if count else [])
        at += count
    fat = [0xFFFFFFFD, *fat]  # the FAT's own sector
    assert len(fat) <= sector // 4, "one FAT sector is enough for a test file"
    fat += [free] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, start: int, size: int, child: int = free, right: int = free) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return struct.pack("<64sHBB3I16sI16sIQ", raw, len(raw), kind, 1, free, right, child, b"", 0, b"", start, size)

    names = list(streams)
    directory = entry("Root Entry", 5, starts.get("\0mini", end), len(mini_stream), child=1 if names else free)
    for index, name in enumerate(names, start=1):
        start = starts[name] if name in big else mini_start[name]
        directory += entry(name, 2, start, len(streams[name]), right=index + 1 if index < len(names) else free)
    body = {"dir": directory, "minifat": mini_fat_bytes, **blobs}
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"",
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"",
        0,
        1,
        starts["dir"],
        0,
        cutoff,
        starts["minifat"] if mini_fat_bytes else end,
        -(-len(mini_fat_bytes) // sector),
        end,
        0,
    ) + struct.pack("<109I", 0, *([free] * 108))
    out = header + struct.pack(f"<{len(fat)}I", *fat)
    for name, _ in layout:
        data = body[name]
        out += data.ljust(-(-len(data) // sector) * sector, b"\0") if data else b""
    return out


def pdf_with_metadata(title: str) -> bytes:
    """A blank PDF whose Title and Author are ``title``."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": title, "/Author": title})
    return _pdf(writer)


def pdf_with_annotation(text: str) -> bytes:
    """A blank PDF with one comment (a FreeText annotation) saying ``text``."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Text"),
            NameObject("/Rect"): ArrayObject([FloatObject(x) for x in (50, 700, 80, 730)]),
            NameObject("/Contents"): TextStringObject(text),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    return _pdf(writer)


def pdf_with_boxes(characters: list[str]) -> bytes:
    """A blank PDF form with one text field per character, each holding its character (one digit per box)."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    fields = []
    for index, char in enumerate(characters):
        field = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Widget"),
                NameObject("/FT"): NameObject("/Tx"),
                NameObject("/T"): TextStringObject(f"box{index + 1}"),
                NameObject("/V"): TextStringObject(char),
                NameObject("/Rect"): ArrayObject(
                    [NumberObject(50 + 20 * index), NumberObject(700), NumberObject(68 + 20 * index), NumberObject(720)]
                ),
            }
        )
        fields.append(writer._add_object(field))
    page[NameObject("/Annots")] = ArrayObject(fields)
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): ArrayObject(fields)})
    return _pdf(writer)


def _pdf(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_with_text(text: str) -> bytes:
    """A PNG whose description is ``text`` (an iTXt chunk, UTF-8)."""
    info = PngImagePlugin.PngInfo()
    info.add_itxt("Description", text, zip=True)
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def jpeg_with_comment(text: str) -> bytes:
    """A JPEG with ``text`` as its comment and as its EXIF ImageDescription."""
    exif = Image.Exif()
    exif[0x010E] = text.encode("utf-8").decode("latin-1")
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "JPEG", comment=text.encode("utf-8"), exif=exif.tobytes())
    return out.getvalue()


def gif_with_comment(text: str) -> bytes:
    """A GIF with ``text`` as its comment."""
    out = io.BytesIO()
    Image.new("P", (4, 4)).save(out, "GIF", comment=text.encode("utf-8"))
    return out.getvalue()


def raw_pdf(catalog: str = "", page: str = "", extra: list[str] | None = None) -> bytes:
    """A one-page PDF written by hand (so that any dictionary, even a name spelt with #xx, can be put in)."""
    objects = [
        f"<< /Type /Catalog /Pages 2 0 R {catalog} >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] {page} >>",
        *(extra or []),
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def pdf_stream(content: str, entries: str = "") -> str:
    """A PDF stream object's text, for ``raw_pdf``'s extra objects."""
    return f"<< /Length {len(content.encode('latin-1'))} {entries} >>\nstream\n{content}\nendstream"


HELVETICA = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding {} >>"


def pdf_text(content: str, font: str = HELVETICA.format(""), more: list[str] | None = None) -> bytes:
    """A one-page PDF whose content stream is ``content`` (font /F1 is object 5), with more objects from 6."""
    return raw_pdf(
        page="/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >>",
        extra=[pdf_stream(content), font, *(more or [])],
    )
