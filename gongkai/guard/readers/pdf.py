"""PDF: page text, document information, XMP, annotations, form fields and bookmarks, all through pypdf.

A PDF that pypdf cannot parse, or whose pages it can only read in part (a stream that does not
decode), is refused: the guard never falls back to guessing from raw bytes. A page with pictures and
no text is read as far as it goes and noted for a person to check (pixels are not read).
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from typing import Any

from ..normalise import HARD, Part, markup_parts, plain_part
from . import MAX_PAGES, Active, Budget, Reading, Unreadable

log = logging.getLogger(__name__)

MAGIC = b"%PDF-"
ANNOTATION_KEYS = ("/Contents", "/T", "/TU", "/TM", "/Subj", "/NM", "/V", "/DV", "/CA")
FIELD_KEYS = ("/T", "/TU", "/TM")
MAX_OBJECTS = 100_000
"""Annotations, form fields and bookmarks read from one PDF."""
BROKEN = "PDF 文件已损坏或格式不标准"
REEXPORT = "请用原来的软件重新「导出为 PDF」（或「打印」为 PDF）后替换这个文件"


def claims(data: bytes, suffix: str) -> bool:
    """A PDF: its header in the first kilobyte, as readers accept it."""
    return MAGIC in data[:1024]


def read(name: str, data: bytes, *, lines: bool, depth: int, budget: Budget) -> Reading:
    """Everything a PDF viewer shows or keeps as text."""
    from pypdf import PdfReader  # slow to import; only PDFs need it
    from pypdf.errors import PyPdfError

    with _Troubles() as troubles:
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            _decrypt(reader)
            reading = _read(reader, budget)
        except Unreadable:
            raise
        except (
            PyPdfError,
            RecursionError,
            MemoryError,
            ValueError,
            TypeError,
            KeyError,
            AttributeError,
            IndexError,
            OSError,
            AssertionError,
            ZeroDivisionError,
            NotImplementedError,
        ) as err:
            log.debug("pypdf: %s: %r", name, err)
            raise Unreadable(BROKEN, REEXPORT) from None
    if troubles.records:
        log.debug("pypdf: %s: %s", name, troubles.records[0])
        raise Unreadable(f"{BROKEN}，有的内容无法解码", REEXPORT)
    return reading


def _decrypt(reader: Any) -> None:
    if not reader.is_encrypted:
        return
    try:
        opened = reader.decrypt("")
    except Exception:  # pypdf needs the cryptography package for AES; either way it stays locked
        opened = 0
    if not opened:
        raise Unreadable("PDF 有打开密码，无法检查", "请去掉密码后重新导出 PDF")


ACTIVE_KEYS = {
    "/JS": "JavaScript 脚本",
    "/JavaScript": "JavaScript 脚本",
    "/EmbeddedFiles": "嵌入的文件",
    "/EmbeddedFile": "嵌入的文件",
    "/EF": "嵌入的文件",
    "/XFA": "XFA 动态表单（可含脚本）",
    "/RichMediaContent": "富媒体（Flash、视频）",
}
"""Keys of a PDF dictionary that make the file run or carry something by itself."""
ACTIVE_ACTIONS = {
    "/JavaScript": "JavaScript 脚本",
    "/Launch": "启动外部程序的动作",
    "/ImportData": "导入数据的动作",
    "/RichMediaExecute": "富媒体（Flash、视频）",
    "/GoToE": "打开嵌入文件的动作",
    "/Rendition": "播放媒体的动作",
    "/Movie": "播放媒体的动作",
    "/Sound": "播放媒体的动作",
}
"""Action types (/S) that run something: /OpenAction, /AA, a link's /A or a form field's action."""
ACTIVE_ANNOTATIONS = {
    "/RichMedia": "富媒体（Flash、视频）",
    "/FileAttachment": "嵌入文件的批注",
    "/Movie": "媒体批注",
    "/Sound": "媒体批注",
    "/Screen": "媒体批注",
    "/3D": "3D 模型",
}


def active_content(reader: Any) -> str | None:
    """What in a PDF runs or opens by itself, or None: every object reachable from the trailer is
    looked at (names as pypdf decodes them, so ``/J#53`` is ``/JS``)."""
    from pypdf.generic import IndirectObject

    stack: list[Any] = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    count = 0
    while stack:
        value = stack.pop()
        if isinstance(value, IndirectObject):
            key = (value.idnum, value.generation)
            if key in seen:
                continue
            seen.add(key)
            value = value.get_object()
        count += 1
        if count > MAX_OBJECTS * 10:
            raise Unreadable("PDF 中的对象太多", REEXPORT)
        if isinstance(value, dict):
            for name, what in ACTIVE_KEYS.items():
                if name in value:
                    return what
            if value.get("/S") in ACTIVE_ACTIONS:
                return ACTIVE_ACTIONS[str(value.get("/S"))]
            if value.get("/Type") == "/Annot" or "/Subtype" in value:
                subtype = str(value.get("/Subtype"))
                if subtype in ACTIVE_ANNOTATIONS and value.get("/Type") != "/XObject":
                    return ACTIVE_ANNOTATIONS[subtype]
            stack += [v for k, v in value.items() if k != "/Parent"]
        elif isinstance(value, list):
            stack += value
    return None


def _read(reader: Any, budget: Budget) -> Reading:
    root = reader.trailer["/Root"]
    what = active_content(reader)
    if what:
        raise Active(f"PDF 中的{what}")
    if _embedded_files(root):
        raise Unreadable(
            "PDF 中嵌入了其他文件（附件），无法逐一检查", "请去掉 PDF 中嵌入的附件，把它们作为单独的附件发布"
        )
    pages = reader.pages
    if len(pages) > MAX_PAGES:
        raise Unreadable(f"PDF 超过 {MAX_PAGES} 页", "请拆分成几个文件")
    reading = Reading()
    annotations: list[str] = []
    checked: set[int] = set()
    for number, page in enumerate(pages, start=1):
        _check_fonts(page, number, checked)
        text = page.extract_text() or ""
        budget.take(len(text))
        reading.parts.append(plain_part(text, f"第 {number} 页", None))
        visible = _visible_text(page, reader)
        if visible is not None:
            budget.take(len(visible))
            reading.parts.append(plain_part(visible, f"第 {number} 页的可见文字", None))
        if not text.strip() and _has_images(page):
            reading.notes.append(f"第 {number} 页只有图片，没有文字")
        annotations += _annotation_strings(page, number)
        reading.parts += [plain_part(t, f"第 {number} 页的批注外观", None) for t in _appearance_texts(page, budget)]
    if annotations:
        reading.parts.append(plain_part(HARD.join(annotations), "批注和链接", None))
    reading.parts += _information(reader)
    reading.parts += _xmp(root)
    reading.parts += _fields(root)
    reading.parts += _outline(reader)
    return reading


INVISIBLE_MODES = (3, 7)
"""Text render modes that draw nothing (3: invisible, 7: clip only): an OCR layer, or digits hidden inside a number."""
_SHOWS = (b"Tj", b"TJ", b"'", b'"')
_HIDING = re.compile(
    rb"Tr|(?<![0-9.])1(?:\.0*)?\s+g\b|(?:1(?:\.0*)?\s+){3}rg|(?:0(?:\.0*)?\s+){4}k|(?<![0-9.])(?:0|0?\.[0-9]+)\s+T[fz]"
)
"""What may hide text on a page: a render mode, a white fill, a tiny font size or a zero horizontal scale."""


def _visible_text(page: Any, reader: Any) -> str | None:
    """The page's text without what is drawn so that nobody sees it, when there is any (None otherwise):
    invisible render modes, white fill (on the white page), a font size under half a point, zero horizontal
    scaling — on the page and inside the forms (XObjects) it draws, which inherit its state. 「138」 shown,
    「99」 invisible, 「00000308」 shown is read as 13800000308 too; both readings are scanned."""
    from pypdf.generic import ContentStream, DictionaryObject, NameObject

    contents = page.get_contents()
    if contents is None:
        return None
    resources = _resolve(page.get("/Resources"))
    forms = _forms(resources)
    if not _HIDING.search(contents.get_data()) and not any(_HIDING.search(f.get_data()) for f in forms.values()):
        return None
    unseen = _Unseen(reader)
    stream = ContentStream(contents, reader)
    stream.operations = unseen.filter(stream.operations, resources, {}, 0)
    if not unseen.hidden:
        return None
    merged = DictionaryObject(resources) if isinstance(resources, dict) else DictionaryObject()
    fonts = _resolve(merged.get("/Font"))
    merged[NameObject("/Font")] = DictionaryObject({**(fonts if isinstance(fonts, dict) else {}), **unseen.fonts})
    return _blank_page(merged, stream).extract_text() or ""


def _forms(resources: Any) -> dict[str, Any]:
    """The form XObjects a content stream may draw, by name."""
    objects = _resolve(resources.get("/XObject")) if isinstance(resources, dict) else None
    if not isinstance(objects, dict):
        return {}
    found = {}
    for name, value in objects.items():
        form = _resolve(value)
        if isinstance(form, dict) and form.get("/Subtype") == "/Form" and hasattr(form, "get_data"):
            found[str(name)] = form
    return found


class _Unseen:
    """Drops the text operations nobody sees, following the page into the forms it draws (inlined, their
    fonts renamed into the page's); non-form XObjects (pictures) are left out, they hold no text."""

    MAX_DEPTH = 5

    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self.hidden = False
        self.fonts: dict[Any, Any] = {}
        self.inherited: dict[str, Any] = {}
        """The state at the form being inlined: a form inherits the graphics state where it is drawn."""

    def filter(self, operations: list[Any], resources: Any, rename: dict[str, Any], depth: int) -> list[Any]:
        from pypdf.generic import ContentStream, NameObject

        state = dict(self.inherited) if depth else {"mode": 0.0, "white": False, "size": 12.0, "scale": 100.0}
        stack: list[dict[str, Any]] = []
        kept: list[tuple[Any, bytes]] = []
        for operands, operator in operations:
            numbers = [float(o) for o in operands if isinstance(o, (int, float))]
            if operator == b"Tr" and numbers:
                state["mode"] = numbers[0]
            elif operator in (b"g", b"rg", b"k"):
                white = {b"g": [1.0], b"rg": [1.0, 1.0, 1.0], b"k": [0.0, 0.0, 0.0, 0.0]}[operator]
                state["white"] = numbers == white
            elif operator == b"Tf" and numbers:
                state["size"] = abs(numbers[-1])
                if operands and str(operands[0]) in rename:
                    operands = [rename[str(operands[0])], *operands[1:]]
            elif operator == b"Tz" and numbers:
                state["scale"] = abs(numbers[0])
            elif operator == b"q":
                stack.append(dict(state))
            elif operator == b"Q" and stack:
                state = stack.pop()
            elif operator in _SHOWS and _unseen(state):
                self.hidden = True
                if operator != b"Tj" and operator != b"TJ":
                    kept.append(([], b"T*"))  # ' and " move to the next line before they show
                continue
            elif operator == b"Do":
                form = _forms(resources).get(str(operands[0])) if operands else None
                if form is not None and depth < self.MAX_DEPTH:
                    inner = _resolve(form.get("/Resources")) or resources
                    names = {}
                    fonts = _resolve(inner.get("/Font")) if isinstance(inner, dict) else None
                    for name, font in fonts.items() if isinstance(fonts, dict) else []:
                        names[str(name)] = NameObject(f"/GkForm{len(self.fonts)}")
                        self.fonts[names[str(name)]] = font
                    matrix = [m for m in _items(form.get("/Matrix")) if isinstance(m, (int, float))]
                    self.inherited = dict(state)
                    inlined = self.filter(ContentStream(form, self.reader).operations, inner, names, depth + 1)
                    kept += [([], b"q"), *([(matrix, b"cm")] if len(matrix) == 6 else []), *inlined, ([], b"Q")]
                continue  # a picture holds no text
            kept.append((operands, operator))
        return kept


def _unseen(state: dict[str, Any]) -> bool:
    mode = int(state["mode"])
    white = state["white"] and mode in (0, 4)  # filled only, in white: nothing shows on the white page
    return mode in INVISIBLE_MODES or white or state["size"] < 0.5 or state["scale"] < 1


def _blank_page(resources: Any, contents: Any) -> Any:
    """A page of its own holding these contents and resources, for reading text out of a form or a filtered page."""
    from pypdf import PageObject
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    page = PageObject.create_blank_page(None, 1000, 1000)
    resources = _resolve(resources)
    page[NameObject("/Resources")] = resources if isinstance(resources, dict) else DictionaryObject()
    if not hasattr(contents, "get_data"):
        raise TypeError
    stream = DecodedStreamObject()
    stream.set_data(contents.get_data())
    page[NameObject("/Contents")] = stream
    return page


def _appearance_texts(page: Any, budget: Budget) -> list[str]:
    """The text drawn by each annotation's appearance streams (a stamp, a signature, a filled field): a viewer
    shows it, though it is no part of the page's own text."""
    texts = []
    for annotation in _items(page.get("/Annots")):
        annotation = _resolve(annotation)
        appearance = _resolve(annotation.get("/AP")) if isinstance(annotation, dict) else None
        if not isinstance(appearance, dict):
            continue
        for key in ("/N", "/R", "/D"):
            entry = _resolve(appearance.get(key))
            forms = (
                [entry]
                if hasattr(entry, "get_data")
                else [_resolve(v) for v in entry.values()]
                if isinstance(entry, dict)
                else []
            )
            for form in forms:
                if not hasattr(form, "get_data"):
                    continue
                data = form.get_data()
                if not any(op in data for op in _SHOWS):
                    continue
                text = _blank_page(form.get("/Resources"), form).extract_text() or ""
                budget.take(len(text))
                texts.append(text)
    return texts


DIGIT_NAMES = dict(
    zip(("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"), "0123456789", strict=True)
)
SIMPLE_FONTS = ("/Type1", "/TrueType", "/MMType1", "/Type3")


def _check_fonts(page: Any, number: int, checked: set[int]) -> None:
    """Refuse a page whose font says, through its ToUnicode map, that a digit it draws is something else.

    The guard cannot see glyphs; it reads what the PDF says they mean. A simple font's codes 0x30–0x39 draw
    the digits zero … nine unless its /Differences name other glyphs, and any code a /Differences entry
    names ``zero`` … ``nine`` draws that digit: a ToUnicode map that turns such a code into anything but
    its digit makes the extracted text differ from what a reader sees (「13800000201」 read as 「bdiaaaaacab」).
    Fonts of fonts (Type3 glyph procedures, forms) are looked at through the page's resources only."""
    resources = _resolve(page.get("/Resources"))
    fonts = _resolve(resources.get("/Font")) if isinstance(resources, dict) else None
    if not isinstance(fonts, dict):
        return
    for name, reference in fonts.items():
        idnum = getattr(reference, "idnum", None)
        if idnum is not None and idnum in checked:
            continue  # the same font on every page is looked at once
        if idnum is not None:
            checked.add(idnum)
        font = _resolve(reference)
        if not isinstance(font, dict) or "/ToUnicode" not in font:
            continue
        unicode = _to_unicode(_resolve(font["/ToUnicode"]))
        drawn = _digit_codes(font)
        for code, digit in drawn.items():
            if code in unicode and unicode[code] != digit:
                raise Unreadable(
                    f"PDF 第 {number} 页的字体 {str(name).lstrip('/')} 把显示为数字的字形标成了别的文字"
                    f"（{digit} → {unicode[code]!r}），提取的文字与看到的不同",
                    REEXPORT,
                )


def _digit_codes(font: dict[str, Any]) -> dict[int, str]:
    """Codes of a font that draw a digit, by its encoding: code → the digit."""
    if font.get("/Subtype") not in SIMPLE_FONTS:
        return _cid_digit_codes(font)
    encoding = _resolve(font.get("/Encoding"))
    codes = {0x30 + d: str(d) for d in range(10)} if font.get("/Subtype") != "/Type3" else {}
    if isinstance(encoding, dict):
        code = 0
        for item in _items(encoding.get("/Differences")):
            item = _resolve(item)
            if isinstance(item, int):
                code = item
                continue
            glyph = str(item).lstrip("/")
            digit = DIGIT_NAMES.get(glyph.split(".")[0]) or _uni_digit(glyph)
            if digit:
                codes[code] = digit
            else:
                codes.pop(code, None)
            code += 1
    return codes


def _uni_digit(glyph: str) -> str | None:
    if glyph.lower() in {f"uni003{d}" for d in range(10)} | {f"u003{d}" for d in range(10)}:
        return glyph[-1]
    return None


def _cid_digit_codes(font: dict[str, Any]) -> dict[int, str]:
    """A composite (Type0) font's codes that draw digits, by the embedded font's own cmap: with Identity
    encoding and no CIDToGIDMap stream, a code is its glyph; the font's cmap says which glyph a digit is."""
    descendants = _items(font.get("/DescendantFonts"))
    if font.get("/Encoding") != "/Identity-H" or not descendants:
        return {}
    cid_font = _resolve(descendants[0])
    if not isinstance(cid_font, dict) or hasattr(_resolve(cid_font.get("/CIDToGIDMap")), "get_data"):
        return {}
    descriptor = _resolve(cid_font.get("/FontDescriptor"))
    program = _resolve(descriptor.get("/FontFile2")) if isinstance(descriptor, dict) else None
    if program is None or not hasattr(program, "get_data"):
        return {}
    try:
        from fontTools.ttLib import TTFont

        embedded = TTFont(io.BytesIO(program.get_data()), lazy=True)
        table = embedded.getBestCmap() or {}
        order = embedded.getReverseGlyphMap()
    except Exception:  # a font program fontTools cannot read says nothing either way
        return {}
    return {order[glyph]: chr(point) for point, glyph in table.items() if 0x30 <= point <= 0x39 and glyph in order}


_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def _to_unicode(stream: Any) -> dict[int, str]:
    """A ToUnicode CMap's bfchar and bfrange entries: code → text."""
    if not hasattr(stream, "get_data"):
        return {}
    data = stream.get_data()
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.DOTALL):
        values = _HEX.findall(block)
        for code, text in zip(values[::2], values[1::2], strict=False):
            mapping[int(code, 16)] = _utf16(text)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.DOTALL):
        for low, high, rest in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]+>)", block):
            first, last = int(low, 16), int(high, 16)
            if last - first > 0xFFFF:
                continue
            if rest.startswith(b"["):
                for offset, text in enumerate(_HEX.findall(rest)):
                    mapping[first + offset] = _utf16(text)
            else:
                start = _HEX.match(rest)
                base = int(start.group(1), 16) if start else 0
                for offset in range(last - first + 1):
                    mapping[first + offset] = (
                        chr(min(base + offset, 0x10FFFF)) if base + offset < 0xD800 or base + offset > 0xDFFF else ""
                    )
    return mapping


def _utf16(hexdigits: bytes) -> str:
    raw = bytes.fromhex(hexdigits.decode("ascii").rjust(len(hexdigits) + len(hexdigits) % 2, "0"))
    return raw.decode("utf-16-be", "replace") if len(raw) >= 2 else raw.decode("latin-1")


def _information(reader: Any) -> list[Part]:
    info = reader.metadata or {}
    return [plain_part(_string(info[key]), f"文档属性 {str(key).lstrip('/')}", None) for key in info]


def _xmp(root: Any) -> list[Part]:
    metadata = _resolve(root.get("/Metadata"))
    if metadata is None or not hasattr(metadata, "get_data"):
        return []
    return markup_parts(metadata.get_data().decode("utf-8", "replace"), "XMP 元数据", None, mode="data")


def _annotation_strings(page: Any, number: int) -> list[str]:
    found = []
    for annotation in _items(page.get("/Annots")):
        annotation = _resolve(annotation)
        if not isinstance(annotation, dict):
            continue
        if annotation.get("/Subtype") == "/FileAttachment":
            raise Unreadable(f"PDF 第 {number} 页有嵌入文件的批注", "请去掉这个批注，把文件作为单独的附件发布")
        found += [_string(annotation[key]) for key in ANNOTATION_KEYS if key in annotation]
        if "/RC" in annotation:
            found += [p.text for p in markup_parts(_string(annotation["/RC"]), "", None)]
        action = _resolve(annotation.get("/A"))
        if isinstance(action, dict):
            found += [_string(action[key]) for key in ("/URI", "/F") if key in action]
    return found


def _fields(root: Any) -> list[Part]:
    """Form fields: their values in order, joined by spaces (one digit per box reads as one number), and their names."""
    form = _resolve(root.get("/AcroForm"))
    if not isinstance(form, dict):
        return []
    values: list[str] = []
    names: list[str] = []
    for field in _walk(form.get("/Fields"), "/Kids"):
        names += [_string(field[key]) for key in FIELD_KEYS if key in field]
        for key in ("/V", "/DV"):
            value = _resolve(field.get(key))
            values += [_string(v) for v in (value if isinstance(value, list) else [value]) if v is not None]
        names += [_string(option) for option in _items(field.get("/Opt"))]
    parts = [plain_part(" ".join(values), "表单域的内容", None)] if values else []
    return parts + ([plain_part(HARD.join(names), "表单域的名称", None)] if names else [])


def _outline(reader: Any) -> list[Part]:
    titles: list[str] = []
    stack = list(reader.outline or [])
    while stack and len(titles) < MAX_OBJECTS:
        item = stack.pop(0)
        if isinstance(item, list):
            stack[:0] = item
        elif getattr(item, "title", None):
            titles.append(str(item.title))
    return [plain_part(HARD.join(titles), "书签", None)] if titles else []


def _embedded_files(root: Any) -> bool:
    names = _resolve(root.get("/Names"))
    return isinstance(names, dict) and "/EmbeddedFiles" in names


def _has_images(page: Any) -> bool:
    resources = _resolve(page.get("/Resources"))
    objects = _resolve(resources.get("/XObject")) if isinstance(resources, dict) else None
    return isinstance(objects, dict) and any(
        _resolve(obj).get("/Subtype") == "/Image" for obj in objects.values() if isinstance(_resolve(obj), dict)
    )


def _walk(fields: Any, kids: str) -> Iterator[dict[str, Any]]:
    stack, seen = list(_items(fields)), 0
    while stack:
        field = _resolve(stack.pop(0))
        seen += 1
        if seen > MAX_OBJECTS:
            raise Unreadable("PDF 表单域太多", REEXPORT)
        if isinstance(field, dict):
            yield field
            stack[:0] = list(_items(field.get(kids)))


def _items(value: Any) -> list[Any]:
    value = _resolve(value)
    return list(value) if isinstance(value, list) else []


def _resolve(value: Any) -> Any:
    return value.get_object() if hasattr(value, "get_object") else value


def _string(value: Any) -> str:
    value = _resolve(value)
    if isinstance(value, bytes):
        if value.startswith((b"\xfe\xff", b"\xff\xfe")):
            return value.decode("utf-16", "replace")
        return value.decode("latin-1")
    return str(value)


class _Troubles(logging.Handler):
    """pypdf's warnings while one PDF is read: a stream that did not decode means text was lost.

    Warnings about the file's structure (a wrong cross-reference offset) are recovered from and ignored."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []
        self.logger = logging.getLogger("pypdf")

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith("pypdf._reader"):
            self.records.append(record.getMessage()[:80])

    def __enter__(self) -> _Troubles:
        self.logger.addHandler(self)
        return self

    def __exit__(self, *_: object) -> None:
        self.logger.removeHandler(self)
