"""One normaliser for every scan: text as a reader sees it, every number spelt in ASCII digits.

Every reader (sources for ``check``, outputs for the publish guard) turns what it reads into
``Part``s through these functions, so that the number finder sees one spelling of each number:

- Unicode NFKC (full-width ``３４１７`` and ``Ｘ``, circled and mathematical digits → ASCII), digits of
  any script → ASCII, every format or invisible character removed (soft hyphen, zero-width and
  joiner characters, word joiner, BOM, variation selectors, combining marks …), every space-like
  character → one space, dash-likes → ``-``, middle-dot-likes → ``·``;
- HTML and XML: entities decoded (named, decimal, hex, with or without the semicolon); tags removed,
  *inline* elements joined without a separator (``<b>3417</b>99`` is one number) and *block and cell*
  elements, ``<br>`` included, kept as ``HARD``; every attribute value (alt, title, href, content …)
  read as a part of its own; percent-encoded URLs decoded;
- escapes of JSON, JavaScript and YAML double-quoted strings (``\\u0033``) and of CSS decoded.

``HARD`` marks a cell or block boundary: only a full ID number with a valid check character may be
read across it (see ``finder``). Newlines are kept one for one, so a part's line numbers stay true.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


HARD = "\x1e"
"""A cell, block or field boundary in normalised text (the ASCII record separator)."""

# Elements that end a line or a cell where they stand: HTML blocks and cells, feed and sitemap fields,
# Office paragraphs, cells and rows (w:p, w:tc, a:p, xlsx <c>, <si>, <row>, ODF text:p …), by local name.
BLOCK_TAGS = _words(
    """
    address article aside audio blockquote body br canvas caption center col colgroup dd details dialog dir div dl dt
    embed fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe
    legend li link main menu meta nav noscript object ol optgroup option p pre script section select source style
    summary svg table tbody td template textarea tfoot th thead title tr track ul video
    feed entry subtitle content updated published id author name email uri category rights generator icon logo rss
    channel item description pubdate guid lastbuilddate language urlset url loc lastmod changefreq priority
    tc cr si c f row is comment text sheetdata h table-cell table-row line-break textobject
    """
)
"""Elements that separate what stands before and after them; every other element (b, span, w:r, w:t …) joins."""
SPACE_TAGS = frozenset({"tab", "s"})
"""Elements that stand for white space (Word's and ODF's tab, ODF's <text:s/>)."""
GEOMETRY_ATTRIBUTES = _words(
    "d points viewbox transform x y x1 x2 y1 y2 cx cy r rx ry width height offset dx dy rotate"
    " deltax deltay boundary ctm"
)
"""SVG and OFD drawing data: long runs of small numbers that no reader sees as text; each number is read alone."""

_TAG = re.compile(r"<[A-Za-z/!?][^<>]*>")
_TAG_NAME = re.compile(r"<[/!?]?([A-Za-z][\w:.-]*)")
_WORTH = "0-9&%\\\\\x80-\U0010ffff"  # what a value needs to hold part of a number: digits, escapes, non-ASCII
_VALUE = re.compile(
    rf"""=[ \t\n]*(?:"([^"]*?[{_WORTH}][^"]*)"|'([^']*?[{_WORTH}][^']*)'|([^\s"'<>=`]*[{_WORTH}][^\s"'<>=`]*))"""
)
_NAME_BEFORE = re.compile(r"([\w:.-]+)[ \t\n]*$")
_DIGIT_TAG = re.compile(r"<[A-Za-z/!?][^<>0-9]*[0-9][^<>]*>")
"""A tag holding a digit: its words outside attribute values may hold a number too."""
_QUOTED_VALUE = re.compile(r"""=[ \t\n]*(?:"[^"]*"|'[^']*'|[^\s"'<>=`]*)""")


def _alternation(words: frozenset[str]) -> str:
    """A regular expression matching any of ``words``, as a trie (one branch per first letter is quick)."""
    heads: dict[str, set[str]] = {}
    for word in words:
        heads.setdefault(word[0], set()).add(word[1:])
    branches = []
    for head, tails in sorted(heads.items()):
        rest = {t for t in tails if t}
        inner = _alternation(frozenset(rest)) if rest else ""
        optional = "" in tails
        branches.append(re.escape(head) + (f"(?:{inner})" + ("?" if optional else "") if rest else ""))
    return "|".join(branches)


_BLOCKS = "(?:" + _alternation(BLOCK_TAGS) + r")(?=[\s/>])[^<>]*>"
_BLOCK_TAG = {
    "html": re.compile(r"<[/!?]?" + _BLOCKS, re.IGNORECASE),  # <o:p> in pasted Word HTML is inline, as browsers see it
    "xml": re.compile(r"<[/!?]?(?:[\w.-]+:)?" + _BLOCKS, re.IGNORECASE),  # <w:p>, <a:p>, <text:p>
}
_SPACE_TAG = re.compile(r"<[/]?(?:[\w.-]+:)?(?:tab|s)(?=[\s/>])[^<>]*>", re.IGNORECASE)
_NOT_DIGITS = re.compile(r"[^0-9]+")
_MARKERS = re.compile(r"<!--|-->|<!\[CDATA\[|\]\]>")
_ENTITY = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]{1,31};?)")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}(?:%[0-9A-Fa-f]{2})*")  # a literal first: much quicker to search
_CODE_ESCAPE = re.compile(
    r"\\(?:u([dD][89abAB][0-9A-Fa-f]{2})\\u([dD][c-fC-F][0-9A-Fa-f]{2})"  # a surrogate pair, as JSON writes 𝟑
    r"|u\{([0-9A-Fa-f]{1,6})\}|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|x([0-9A-Fa-f]{2})|(\n)|(.))"
)
_CSS_ESCAPE = re.compile(r"\\([0-9A-Fa-f]{1,6}) ?")
_SIMPLE_ESCAPES = {"n": " ", "t": " ", "r": " ", "f": " ", "v": " ", "b": "", "0": "", "_": " ", "N": " ", "L": " "}
_MAX_ROUNDS = 3  # entities that decode to tags that hold entities …: enough for any honest file


@dataclass(frozen=True)
class Part:
    """Normalised text and where it came from: a part of a file (a page, a property, an attribute)."""

    text: str
    where: str = ""
    """For a clerk: 「第 2 页」, 「文档属性 Author」, 「标签属性」; empty for a file's main text."""
    line: int | None = 1
    """Line of the text's first character in its file; None where lines mean nothing (PDF, XLSX parts)."""

    def line_at(self, position: int) -> int | None:
        """The file line of the character at ``position`` of ``text``."""
        return None if self.line is None else self.line + self.text.count("\n", 0, position)


# --- characters ---------------------------------------------------------------------------------


_RARE = re.compile("[^\n\x1e\x20-\x7e\u4e00-\u9fff\u3001-\u3029\u302e-\u303f\u2018-\u201f]+")
"""Characters outside ASCII, CJK ideographs, CJK punctuation and quotes: few in any text, each looked at."""
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d\u2e3a\u2e3b")
_DOTS = frozenset("\u00b7\u0387\u2027\u2219\u22c5\u30fb\uff65\u2022\u2981")
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")  # Hangul fillers: letters that show nothing


def fold(text: str) -> str:
    """Text with every number spelt in ASCII: NFKC, invisibles dropped, spaces, dashes and dots made one.

    ASCII, CJK ideographs and CJK punctuation are NFKC already; every other character is normalised
    on its own (the same as NFKC of the text for what a number is made of: digits, X and separators)."""
    if not text or text.isascii():
        return _fold_ascii(text)
    return _chinese_digits(_RARE.sub(_fold_rare, text))


_CHINESE_DIGITS = dict(zip("〇○零一幺二三四五六七八九壹贰叁肆伍陆柒捌玖", "0001123456789123456789", strict=True))
_NUMERAL = "[0-9〇○零一幺二三四五六七八九壹贰叁肆伍陆柒捌玖]"
_CHINESE_RUN = re.compile(rf"{_NUMERAL}(?:[ \n\x1e\-./·,、|:;+_()]{{0,3}}{_NUMERAL})+")
_CHINESE_TABLE = str.maketrans(_CHINESE_DIGITS)


def _chinese_digits(text: str) -> str:
    """Numbers read out digit by digit in Chinese numerals (「一三八〇〇〇〇〇一一一」, 「幺三八」, 「壹叁捌」) as
    ASCII digits: every run of two or more numerals or digits, at most three separators apart. A numeral on its
    own (「第一」, 「一一对应」 stays harmless: two digits are no number) is left as it is."""
    return _CHINESE_RUN.sub(lambda m: m.group().translate(_CHINESE_TABLE), text)


def _fold_rare(match: re.Match[str]) -> str:
    return "".join(_fate(char) for char in match.group())


@functools.cache
def _fate(char: str) -> str:
    """What one character becomes: NFKC, then each character a digit, a space, ``-``, ``·``, nothing
    (format, mark, control) or itself."""
    return "".join(_fate_of_normal(c) for c in unicodedata.normalize("NFKC", char))


def _fate_of_normal(char: str) -> str:
    if char.isascii():
        return _fold_ascii(char)
    if char in _DASHES:
        return "-"
    if char in _DOTS:
        return "·"
    category = unicodedata.category(char)
    if category in ("Cf", "Mn", "Me", "Cc", "Cs", "Co", "Cn") or char in _INVISIBLE_LETTERS:
        return " " if char == "\t" else ""
    if category in ("Zs", "Zl", "Zp") or char == "\u2800":  # braille blank
        return " "
    if category == "Nd":
        return str(unicodedata.digit(char))
    return char


_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1d\x1f\x7f]+")


def _fold_ascii(text: str) -> str:
    return _ASCII_CONTROL.sub("", text.replace("\t", " ")) if _ASCII_CONTROL.search(text) or "\t" in text else text


# --- markup -------------------------------------------------------------------------------------


def markup_parts(text: str, where: str = "", line: int | None = 1, *, mode: str = "html") -> list[Part]:
    """HTML, XML or Markdown text as parts: the text with tags removed, then each attribute value.

    ``text`` may hold ``HARD`` already (a reader's cell boundaries). ``mode``: "html" — only
    ``BLOCK_TAGS`` separate, namespaced tags are inline; "xml" — running text in XML (Word, Excel,
    OFD), ``BLOCK_TAGS`` with any prefix separate; "data" — every element is a field of its own
    (document properties, XMP).
    With ``line`` None (an output file) all attribute values share one part, which is quicker."""
    stream, attributes = _strip(text, keep_lines=line is not None, mode=mode)
    parts = [Part(fold(percent_decode(stream)), where, line)]
    place = f"{where}的标签属性" if where else "标签属性"
    if line is None:
        joined = " ; ".join(value for _, value in attributes)
        return [*parts, Part(_value(joined), place, None)] if joined else parts
    return parts + [Part(_value(value), place, line + before) for before, value in attributes]


def plain_part(text: str, where: str = "", line: int | None = 1) -> Part:
    """Text without markup (PDF text, a file name, a document property), normalised."""
    return Part(fold(percent_decode(decode_entities(without_hard(text)))), where, line)


def without_hard(text: str) -> str:
    """Text from a file, with any ``HARD`` character of its own made a space (only readers mark boundaries)."""
    return text.replace(HARD, " ") if HARD in text else text


def _strip(text: str, keep_lines: bool, mode: str = "html") -> tuple[str, list[tuple[int, str]]]:
    """The text without tags, entities decoded, and (lines before it, raw value) of each attribute value
    that could hold part of a number.

    Entities that decode to markup (``&lt;b&gt;``, as in a feed's escaped HTML) are stripped again."""
    attributes: list[tuple[int, str]] = []
    for _ in range(_MAX_ROUNDS):
        if "<" in text:
            text = _MARKERS.sub("", text)
            if "=" in text:
                attributes += _attributes(text, keep_lines)
            attributes += _bare(text, keep_lines)
            text = _remove_tags(text, keep_lines, mode)
        text = decode_entities(text)
        if "<" not in text or not _TAG.search(text):
            break
    return text, attributes


def _remove_tags(text: str, keep_lines: bool, mode: str) -> str:
    """Tags out: HARD for a block or cell (every element in "data"), a space for a tab, nothing for inline."""
    if keep_lines:
        return _TAG.sub(_replacer(mode), text)
    if mode == "data":
        return _TAG.sub(HARD, text)
    return _TAG.sub("", _SPACE_TAG.sub(" ", _BLOCK_TAG[mode].sub(HARD, text)))


def _replacer(mode: str) -> Callable[[re.Match[str]], str]:
    """Where lines are counted: what a tag leaves, and its line breaks."""

    def mark(match: re.Match[str]) -> str:
        name = _TAG_NAME.match(match.group())
        full = name.group(1).lower() if name else ""
        local = full.rsplit(":", 1)[-1] if mode != "html" else full
        kept = " " if local in SPACE_TAGS else HARD if mode == "data" or local in BLOCK_TAGS else ""
        return kept + "\n" * match.group().count("\n")

    return mark


def _attributes(text: str, keep_lines: bool) -> list[tuple[int, str]]:
    """(lines before it, raw value) of every attribute value that could hold part of a number."""
    found = []
    lines, counted = 0, 0
    for match in _VALUE.finditer(text):
        value = match.group(1) or match.group(2) or match.group(3) or ""
        name = _NAME_BEFORE.search(text, max(match.start() - 40, 0), match.start()) if " " in value else None
        if name and name.group(1).rsplit(":", 1)[-1].lower() in GEOMETRY_ATTRIBUTES:
            value = _NOT_DIGITS.sub(";", value)  # each number of a drawing stands alone
        if keep_lines:
            lines += text.count("\n", counted, match.start())
            counted = match.start()
        found.append((lines, value))
    return found


def _bare(text: str, keep_lines: bool) -> list[tuple[int, str]]:
    """(lines before it, words) of every tag whose words outside its attribute values hold a digit: a bare
    attribute (``<meta 13812345678 name="x">``, in the file though no browser shows it) or, in a script,
    what lies between a ``<`` and a ``>`` (``a<b 13812345678 c>d``), which tag removal would drop unread."""
    found = []
    lines, counted = 0, 0
    for match in _DIGIT_TAG.finditer(text):
        tag = match.group()
        name = _TAG_NAME.match(tag)
        words = _QUOTED_VALUE.sub(" ", tag[name.end() if name else 1 : -1])
        if any(char.isdigit() for char in words):
            if keep_lines:
                lines += text.count("\n", counted, match.start())
                counted = match.start()
            found.append((lines, words))
    return found


def _value(value: str) -> str:
    return fold(percent_decode(decode_entities(value))).replace("\n", " ")


def decode_entities(text: str) -> str:
    """HTML entities decoded (named, decimal, hex, with or without ``;``); a decoded line break is a space."""
    if "&" not in text:
        return text
    return _ENTITY.sub(_entity, text)


def _entity(match: re.Match[str]) -> str:
    decoded = html.unescape(match.group())
    return decoded.replace("\n", " ").replace("\r", " ").replace(HARD, " ")


def percent_decode(text: str) -> str:
    """URL percent-encoding decoded (``%33`` → 3, UTF-8 sequences → characters), twice for double encoding."""
    for _ in range(2):
        if "%" not in text:
            return text
        text = _PERCENT.sub(_percent, text)
    return text


def _percent(match: re.Match[str]) -> str:
    data = bytes.fromhex(match.group().replace("%", ""))
    return data.decode("utf-8", "replace").replace("\n", " ").replace("\r", " ").replace(HARD, " ")


def decode_code_escapes(text: str) -> str:
    """Escapes of JSON, JavaScript and YAML double-quoted strings decoded: ``\\u0033`` → 3, ``\\n`` → space.

    An escaped line break (YAML's line continuation) stays a line break, so lines keep their numbers."""
    if "\\" not in text:
        return text
    return _CODE_ESCAPE.sub(_code_escape, text)


def _code_escape(match: re.Match[str]) -> str:
    high, low, braced, short, long, byte, newline, other = match.groups()
    if high:
        return chr(0x10000 + ((int(high, 16) - 0xD800) << 10) + (int(low, 16) - 0xDC00))
    if newline:
        return "\n"
    code = braced or short or long or byte
    if code:
        char = chr(min(int(code, 16), 0x10FFFF))
        return " " if char in "\n\r" + HARD or 0xD800 <= ord(char) <= 0xDFFF else char
    return _SIMPLE_ESCAPES.get(other, other)


def decode_css_escapes(text: str) -> str:
    """CSS escapes decoded: ``content: "\\33 \\34"`` shows 34."""
    if "\\" not in text:
        return text
    return _CSS_ESCAPE.sub(lambda m: _css_char(int(m.group(1), 16)), text)


def _css_char(code: int) -> str:
    char = chr(min(code, 0x10FFFF)) if code else " "
    return " " if char in "\n\r" + HARD or 0xD800 <= ord(char) <= 0xDFFF else char
