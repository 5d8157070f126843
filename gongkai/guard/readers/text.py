"""Text files (HTML, XML, Markdown, YAML, CSV, JSON, JavaScript, CSS …) and the strings of known binary formats."""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from ..normalise import (
    HARD,
    Part,
    decode_code_escapes,
    decode_css_escapes,
    fold,
    markup_parts,
    plain_part,
    without_hard,
)
from . import Reading, Unreadable

CELLS = {".csv": ",", ".tsv": "\t"}
FONTS = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf", b"wOFF", b"wOF2")
WASM = b"\x00asm"
UTF8_BINARY = {".pf_meta", ".pf_index", ".pagefind", ".wasm"}
"""Pagefind's index (CBOR) and runtime (WebAssembly): binary; read by their ASCII strings (an index word is a
piece of a page's text, and every page is read whole)."""
FONT_SUFFIXES = {".woff", ".woff2", ".ttf", ".otf", ".eot"}
_MARKDOWN_EMPHASIS = re.compile(r"(?<=[0-9])(?:\*{1,3}|_{1,3}|`+|~{1,2})(?=[0-9])")
_MARKDOWN_LINK = re.compile(r'(!?)\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"([^"]*)")?\s*\)')
_MARKDOWN_REFERENCE = re.compile(r"\[([^\]]*)\]\[[^\]\n]*\]")
_NOT_PRINTABLE = bytes(b if 0x20 <= b < 0x7F or b == 0x0A else 0x3B for b in range(256))  # others → ";"


def read(name: str, data: bytes, *, lines: bool = False) -> Reading:
    """A text file as parts; a binary file of a known kind by its strings; any other binary file is refused."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in UTF8_BINARY or data.startswith(WASM):
        return Reading([plain_part(data.translate(_NOT_PRINTABLE).decode("ascii"), "", None)])
    if suffix in FONT_SUFFIXES or data.startswith(FONTS):
        return Reading([binary_part(data, "")])
    text = decode(data)
    if text is None:
        raise Unreadable(
            "不是文字文件，也不是能检查的文档、表格或图片格式",
            "请转换为 PDF、Word、Excel 或常见图片格式；确需发布的其他格式请先转换",
        )
    return Reading(text_parts(text, suffix, lines))


def decode(data: bytes) -> str | None:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with its BOM, or GB18030; None for binary data."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None if "\x00" in text else text
    return None


def text_parts(text: str, suffix: str, lines: bool) -> list[Part]:
    """The parts of a text file of this type: markup stripped, escapes decoded, cells kept apart."""
    text = without_hard(text)
    if lines and "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # JSON, JavaScript (inline too) and YAML strings may hold escapes (\u0033) that their reader sees as
    # characters; decoding them everywhere costs little and hides nothing.
    numbers = yaml_numbers(text, suffix, lines)  # (YAML decodes its own escapes, as the loader reads it)
    text = decode_css_escapes(text) if suffix == ".css" else decode_code_escapes(text)
    if suffix in (".md", ".markdown"):
        text = _markdown_as_html(fold(text))  # folded first: emphasis between full-width digits joins them too
    elif suffix in CELLS:
        text = _cells(text, CELLS[suffix])
    return markup_parts(text, "", 1 if lines else None) + numbers


_YAML_NUMBER_TAGS = {"tag:yaml.org,2002:int": "int", "tag:yaml.org,2002:float": "float"}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def yaml_numbers(text: str, suffix: str, lines: bool) -> list[Part]:
    """YAML numbers as the build prints them: ``13_800_000_605``, ``0x336A8F3A6``, ``0o…``, ``1.38e10`` and
    ``!!int`` scalars are integers (or floats) to YAML, and a page shows them in decimal. One part per
    number, at its line; for ``.yml``/``.yaml`` files and Markdown front matter — as the loader cuts it
    (load/documents.py ``split_front_matter``) and as MkDocs does (a hand-written page's), both when they
    differ."""
    if suffix in (".md", ".markdown"):
        from ...load.documents import split_front_matter

        match, front = _FRONT_MATTER.match(text), split_front_matter(text)[0]
        spans = [match.group(1)] if match else []
        if front is not None and front + "\n" not in spans:
            spans.append(front + "\n")
        return list(dict.fromkeys(part for span in spans for part in _numbers_in(span, 1, lines)))
    if suffix in (".yml", ".yaml"):
        return _numbers_in(text, 0, lines)
    return []


def _numbers_in(text: str, offset: int, lines: bool) -> list[Part]:
    """``yaml_numbers`` of a YAML text whose first line is line ``offset + 1`` of its file: of the node tree the
    loader makes of it (load/yamlsrc.py ``_compose``: by libyaml where it may and can, else by PyYAML), every tag
    resolved as the loader resolves it; when neither reads it (the loader reports the error), of PyYAML's tokens up
    to the error."""
    if not any(c.isdigit() for c in text):
        return []
    import yaml  # only YAML sources need it

    from ...load.yamlsrc import fast_loader

    for loader in (fast_loader(text), yaml.SafeLoader):
        if loader is None:
            continue
        try:
            node = yaml.compose(text, Loader=loader)
        except (yaml.YAMLError, UnicodeError, RecursionError):
            continue
        return _node_numbers(node, offset, lines)
    parts: list[Part] = []
    with contextlib.suppress(yaml.YAMLError):
        _token_numbers(yaml.scan(text, Loader=yaml.SafeLoader), offset, lines, parts)
    return parts


def _node_numbers(root: Any, offset: int, lines: bool) -> list[Part]:
    """The numbers of a YAML node tree, in the order of the text; a node an alias repeats read once."""
    import yaml

    found: list[tuple[int, Part]] = []
    stack, seen = ([root] if root is not None else []), set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack += [item for pair in node.value for item in pair]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
        elif node.tag in _YAML_NUMBER_TAGS:
            part = _number(node.tag, node.value, node.start_mark.line, offset, lines)
            if part is not None:
                found.append((node.start_mark.index, part))
    return [part for _, part in sorted(found, key=lambda item: item[0])]


def _token_numbers(tokens: Iterator[Any], offset: int, lines: bool, parts: list[Part]) -> None:
    """The numbers of a YAML token stream, each added to ``parts`` as it is found (those before an error stay)."""
    import yaml

    resolver = yaml.resolver.Resolver()
    tag = None
    for token in tokens:
        if isinstance(token, yaml.TagToken):
            tag = "tag:yaml.org,2002:" + token.value[1] if token.value[0] == "!!" else None
            continue
        if not isinstance(token, yaml.ScalarToken):
            continue
        resolved = tag or (resolver.resolve(yaml.ScalarNode, token.value, (True, False)) if token.plain else "")
        tag = None
        part = _number(resolved, token.value, token.start_mark.line, offset, lines)
        if part is not None:
            parts.append(part)


def _number(tag: str, written: str, line: int, offset: int, lines: bool) -> Part | None:
    """A scalar of this resolved tag as the page prints it, when that is not as it is written."""
    import yaml

    if tag not in _YAML_NUMBER_TAGS or not any(c.isdigit() for c in written):
        return None
    try:
        value = yaml.SafeLoader("").construct_object(yaml.ScalarNode(tag, written))
    except (ValueError, yaml.YAMLError):
        return None
    shown = str(value)
    if shown == written:
        return None
    return Part(fold(shown), "YAML 数值", line + 1 + offset if lines else None)


def _markdown_as_html(text: str) -> str:
    """What Markdown becomes in HTML, as far as numbers go: emphasis markers between digits gone (they
    become inline tags), links and images as <a>/<img> (their text joins what follows; URLs and alt
    text are attributes), table cells apart."""
    text = _MARKDOWN_EMPHASIS.sub("", text)
    text = _MARKDOWN_LINK.sub(_link, text)
    return _table_cells(_MARKDOWN_REFERENCE.sub(r"\1", text))


_DELIMITER_ROW = re.compile(r"^ {0,3}\|? *:?-+:? *(?:\| *:?-+:? *)+\|? *$", re.MULTILINE)
_BLOCKS = re.compile(r"(\n[ \t]*\n)")


def _table_cells(text: str) -> str:
    """A Markdown table's pipes as cell boundaries; a pipe outside a table is text (「138|0000|0113」 is
    one number on the page)."""
    if "|" not in text:
        return text
    blocks = _BLOCKS.split(text)
    return "".join(b.replace("|", HARD) if "|" in b and _DELIMITER_ROW.search(b) else b for b in blocks)


def _link(match: re.Match[str]) -> str:
    image, label, url, title = match.group(1), match.group(2), match.group(3), match.group(4) or ""
    title = title.replace('"', "&quot;")
    if image:
        return f'<img alt="{label.replace(chr(34), "&quot;")}" src="{url}" title="{title}">'
    return f'<a href="{url}" title="{title}">{label}</a>'


def _cells(text: str, delimiter: str) -> str:
    """A table's text with every cell and row end a hard separator; line breaks inside a cell stay soft."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:  # not really CSV: every delimiter and line end counts as a cell boundary
        return text.replace(delimiter, HARD).replace("\n", HARD + "\n")
    return "".join(HARD.join(row) + HARD + "\n" for row in rows)


def binary_part(data: bytes, where: str) -> Part:
    """The strings of binary data: its printable ASCII, and its text as UTF-16LE at either byte alignment."""
    ascii_view = data.translate(_NOT_PRINTABLE).decode("ascii")
    views = [ascii_view]
    if b"\x00" in data:
        views += [data[k : len(data) - (len(data) - k) % 2].decode("utf-16-le", "replace") for k in (0, 1)]
    return plain_part(" ; ".join(views), where, None)


__all__ = ["binary_part", "decode", "read", "text_parts"]
