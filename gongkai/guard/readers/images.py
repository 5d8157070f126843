"""Pictures: the text they carry besides pixels — PNG text chunks and EXIF, JPEG EXIF/XMP/comments, GIF
comments, WebP EXIF/XMP. Pixels are not read: a photo of a list must be checked by a person."""

from __future__ import annotations

import struct
import zlib

from ..normalise import Part, markup_parts, plain_part
from . import Budget, Reading, Unreadable
from .text import binary_part

PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
GIF = (b"GIF87a", b"GIF89a")
BMP, ICO = b"BM", b"\x00\x00\x01\x00"
DAMAGED = "图片文件已损坏"


def claims(data: bytes, suffix: str) -> bool:
    """A picture by its first bytes."""
    return (
        data.startswith((PNG, JPEG, *GIF, ICO))
        or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
        or (data.startswith(BMP) and suffix == ".bmp")
    )


def read(name: str, data: bytes, *, lines: bool, depth: int, budget: Budget) -> Reading:
    """The picture's metadata as parts."""
    try:
        if data.startswith(PNG):
            return Reading(_png(data, budget))
        if data.startswith(JPEG):
            return Reading(_jpeg(data))
        if data.startswith(GIF):
            return Reading(_gif(data))
        if data[:4] == b"RIFF":
            return Reading(_webp(data))
    except (struct.error, IndexError, ValueError, zlib.error):
        raise Unreadable(DAMAGED) from None
    return Reading([binary_part(data, "图片")])  # BMP, ICO: no metadata blocks, but read their strings all the same


def _png(data: bytes, budget: Budget) -> list[Part]:
    parts: list[Part] = []
    at = len(PNG)
    while at < len(data):
        length, kind = struct.unpack_from(">I4s", data, at)
        body = data[at + 8 : at + 8 + length]
        if len(body) < length:
            raise ValueError
        at += 12 + length
        if kind == b"tEXt":
            parts.append(plain_part(body.replace(b"\x00", b" ").decode("latin-1"), "图片说明（PNG tEXt）", None))
        elif kind == b"zTXt":
            key, _, rest = body.partition(b"\x00")
            parts.append(
                plain_part(
                    key.decode("latin-1") + " " + _inflate(rest[1:], budget).decode("latin-1"),
                    "图片说明（PNG zTXt）",
                    None,
                )
            )
        elif kind == b"iTXt":
            parts.append(plain_part(_itxt(body, budget), "图片说明（PNG iTXt）", None))
        elif kind == b"eXIf":
            parts.append(binary_part(body, "图片的 EXIF 信息"))
        elif kind == b"IEND":
            break
    else:
        raise ValueError  # no IEND: cut short
    return parts


def _itxt(body: bytes, budget: Budget) -> str:
    key, _, rest = body.partition(b"\x00")
    compressed, rest = rest[0], rest[2:]
    language, _, rest = rest.partition(b"\x00")
    translated, _, text = rest.partition(b"\x00")
    if compressed:
        text = _inflate(text, budget)
    return " ".join(part.decode("utf-8", "replace") for part in (key, language, translated, text))


def _inflate(data: bytes, budget: Budget) -> bytes:
    engine = zlib.decompressobj()
    out, chunk = [], data
    while chunk:
        piece = engine.decompress(chunk, 1024 * 1024)
        budget.take(len(piece))
        out.append(piece)
        chunk = engine.unconsumed_tail
        if not piece:
            break
    return b"".join(out)


def _jpeg(data: bytes) -> list[Part]:
    parts: list[Part] = []
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            at = data.find(b"\xff", at)  # entropy-coded data after a scan: find the next marker
            if at < 0:
                break
            continue
        marker = data[at + 1]
        if marker == 0xFF or marker == 0x00 or 0xD0 <= marker <= 0xD7 or marker == 0x01:
            at += 1 if marker == 0xFF else 2
            continue
        if marker == 0xD9:  # end of image
            break
        (length,) = struct.unpack_from(">H", data, at + 2)
        body = data[at + 4 : at + 2 + length]
        if length < 2 or len(body) < length - 2:
            raise ValueError
        if marker == 0xFE:
            parts.append(plain_part(_text(body), "图片注释（JPEG COM）", None))
        elif 0xE0 <= marker <= 0xEF:
            if body.startswith(b"http://ns.adobe.com/xap/1.0/\x00"):
                parts += markup_parts(_text(body[29:]), "图片的 XMP 信息", None, mode="data")
            else:
                parts.append(binary_part(body, f"图片的 APP{marker - 0xE0} 信息（EXIF 等）"))
        at += 2 + length
    return parts


def _gif(data: bytes) -> list[Part]:
    parts: list[Part] = []
    flags = data[10]
    at = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    while at < len(data):
        block = data[at]
        if block == 0x3B:  # trailer
            break
        if block == 0x21:
            label = data[at + 1]
            body, at = _sub_blocks(data, at + 2)
            if label in (0xFE, 0x01, 0xFF):
                parts.append(plain_part(_text(body), "图片注释（GIF）", None))
        elif block == 0x2C:
            packed = data[at + 9]
            at += 10 + (3 << ((packed & 7) + 1) if packed & 0x80 else 0) + 1  # descriptor, colours, LZW size
            _, at = _sub_blocks(data, at)
        else:
            raise ValueError
    return parts


def _sub_blocks(data: bytes, at: int) -> tuple[bytes, int]:
    pieces: list[bytes] = []
    while True:
        size = data[at]
        if size == 0:
            return b"".join(pieces), at + 1
        pieces.append(data[at + 1 : at + 1 + size])
        at += 1 + size


def _webp(data: bytes) -> list[Part]:
    parts: list[Part] = []
    at = 12
    while at + 8 <= len(data):
        kind, length = struct.unpack_from("<4sI", data, at)
        body = data[at + 8 : at + 8 + length]
        if kind == b"EXIF":
            parts.append(binary_part(body, "图片的 EXIF 信息"))
        elif kind == b"XMP ":
            parts += markup_parts(_text(body), "图片的 XMP 信息", None, mode="data")
        at += 8 + length + (length & 1)
    return parts


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("gb18030", "replace")
