"""The HTML and the links of a Markdown body, checked against the model's allow-list at their lines.

Raw HTML is read by a real parser (Python's ``html.parser``: entities decoded, a tag over several lines
located by the parser's position); link, image and reference targets are read as a browser reads their
scheme (``model.content.url_scheme``). What these located checks cannot see (a link inside nested
brackets, an image by reference) is caught by rendering the body and asking the sanitiser's allow-list
what it would remove: ``check`` refuses everything the build would remove.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown
from markdown import inlinepatterns
from markdown.extensions.fenced_code import FencedBlockPreprocessor

from ..model.content import (
    LINK_SCHEMES,
    RESERVED_IDS,
    TAGS,
    URL_ATTRIBUTES,
    VALUES,
    allowed_attributes,
    reserved_id,
    url_refusal,
    value_allowed,
)
from ..render.masked import MaskedNumbers
from ..render.sanitize import sanitize

TAG_FIX = "正文的 HTML 只能用这些标签：" + "、".join(sorted(TAGS)) + "；脚本、样式、框架、表单、SVG 等请删除"
LINK_FIX = (
    "链接只能是 "
    + "、".join(f"{s}:" if s in ("mailto", "tel") else f"{s}://" for s in LINK_SCHEMES)
    + (" 地址，或指向 content/ 中文件的相对链接")
)
IMAGE_FIX = "图片请放在 content/ 中，用相对链接引用；网站不加载其他网站的图片"
ID_FIX = "锚点（id）不能以 " + "、".join(RESERVED_IDS) + " 开头"
ATTR_LIST_FIX = "属性列表只能写锚点，例如 {#第一条}"
REMOVED_FIX = "正文只能用 Markdown 和使用指南「个人信息保护和内容安全」中列出的 HTML 标签、属性和链接"
SHOWN = 60  # characters of a found value quoted in a message


@dataclass(frozen=True, order=True)
class Finding:
    """Something refused in a body: its line within the body (1-based), the message and the fix."""

    line: int
    message: str
    fix: str


@dataclass(frozen=True)
class Target:
    """A URL written in a body: its line within the body, the tag and attribute it becomes, as written."""

    line: int
    tag: str
    attribute: str
    url: str


def scan(masked: str) -> tuple[list[Finding], list[Target]]:
    """Refused HTML and every URL of a body whose code is masked (see ``mask_code``).

    The body is read as HTML twice: whole, as a browser reads a raw HTML block, and tag by tag where
    Python-Markdown's inline pattern finds one (the two disagree on text such as ``</x<y>``)."""
    without_autolinks, autolinks = _autolinks(masked)
    parser = _Parser()
    _feed(parser, without_autolinks)
    findings, targets = set(parser.findings), {*parser.targets, *autolinks, *_markdown_targets(masked)}
    for inline in _INLINE_HTML.finditer(without_autolinks):
        tag = _Parser(_line(without_autolinks, inline.start()) - 1)
        _feed(tag, inline.group(0))
        findings.update(tag.findings)
        targets.update(tag.targets)
    findings.update(_attr_lists(masked))
    findings.update(f for t in targets if (f := _url_finding(t)))
    return sorted(findings), sorted(targets, key=lambda t: (t.line, t.url))


def attribute_fix(tag: str) -> str:
    """What a tag may carry, in the words of a fix."""
    names = "、".join(
        f"{name}（只能是 {VALUES[(tag, name)][1]}）" if (tag, name) in VALUES else name
        for name in sorted(allowed_attributes(tag))
    )
    return f"<{tag}> 只能用这些属性：{names}；事件属性（on…）和 style 属性都不能用"


def shown(value: str) -> str:
    """A found value as quoted in a message: one line, at most SHOWN characters."""
    value = " ".join(value.split())
    return value if len(value) <= SHOWN else value[: SHOWN - 1] + "…"


class _Parser(HTMLParser):
    def __init__(self, lines_before: int = 0) -> None:
        super().__init__(convert_charrefs=True)
        self.lines_before = lines_before  # of the parsed text, in the body
        self.findings: list[Finding] = []
        self.targets: list[Target] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.lines_before + self.getpos()[0]
        if tag not in TAGS:
            self.findings.append(Finding(line, f"正文含有不允许的 HTML 标签「<{tag}>」", TAG_FIX))
            return
        raw = self.get_starttag_text() or ""
        allowed = allowed_attributes(tag)
        for name, value in attrs:
            at = line + _attribute_offset(raw, name)
            if name not in allowed:
                self.findings.append(Finding(at, f"正文中 <{tag}> 的属性「{name}」不允许", attribute_fix(tag)))
            elif not value_allowed(tag, name, value or ""):
                message = f"正文中 <{tag}> 的属性「{name}」的值「{shown(value or '')}」不允许"
                self.findings.append(Finding(at, message, attribute_fix(tag)))
            elif name == "id" and reserved_id(value or ""):
                self.findings.append(Finding(at, f"正文中的锚点「{shown(value or '')}」与网页自身的元素重名", ID_FIX))
            elif (tag, name) in URL_ATTRIBUTES:
                self.targets.append(Target(at, tag, name, value or ""))


def _attribute_offset(raw: str, name: str) -> int:
    """How many lines below the tag's ``<`` the attribute stands."""
    found = re.search(rf"[\s/\"']{re.escape(name)}\s*(?:=|[\s/>]|$)", raw, re.IGNORECASE)
    return raw[: found.start()].count("\n") + (found.group(0)[0] == "\n") if found else 0


_INLINE_HTML = re.compile(inlinepatterns.HTML_RE, re.DOTALL)
# Python-Markdown's own autolinks (<scheme://…>, <name@host>): links, not HTML tags.
_AUTOLINK = re.compile(inlinepatterns.AUTOLINK_RE)
_AUTOMAIL = re.compile(inlinepatterns.AUTOMAIL_RE)


def _autolinks(text: str) -> tuple[str, list[Target]]:
    targets = [Target(_line(text, m.start()), "a", "href", m.group(1)) for m in _AUTOLINK.finditer(text)]
    text = _AUTOLINK.sub(lambda m: _blank(m.group(0)), text)
    return _AUTOMAIL.sub(lambda m: _blank(m.group(0)), text), targets


_INLINE_START = re.compile(r"\]\(")
# Python-Markdown's reference definition (blockprocessors.ReferenceProcessor): the URL may stand on the next line.
_REFERENCE = re.compile(r"^[ ]{0,3}\[[^\[\]]*\]:", re.MULTILINE)
_REFERENCE_URL = re.compile(r"[ ]*\n?[ ]*(\S+)")


def _markdown_targets(text: str) -> Iterator[Target]:
    """The targets of ``[text](target)``, ``![alt](target)`` and ``[ref]: target``."""
    for found in _INLINE_START.finditer(text):  # every "](", whatever brackets the text holds
        start = found.end()
        while start < len(text) and text[start] in " \t\n":
            start += 1
        url = _inline_target(text, start)
        tag, attribute = ("img", "src") if _is_image(text, found.start()) else ("a", "href")
        yield Target(_line(text, start), tag, attribute, url)
    text = text.expandtabs(4)
    for found in _REFERENCE.finditer(text):
        written = _REFERENCE_URL.match(text, found.end())
        if written:  # each definition's URL, even where it is the next definition's label
            yield Target(_line(text, written.start(1)), "a", "href", written.group(1).lstrip("<").rstrip(">"))


def _is_image(text: str, closing: int) -> bool:
    """Whether the ``]`` at ``closing`` ends an image's ``![alt``: its matching ``[`` follows a ``!``."""
    depth = 0
    for at in range(closing, -1, -1):
        depth += {"]": 1, "[": -1}.get(text[at], 0)
        if depth == 0:
            return at > 0 and text[at - 1] == "!"
    return False


def _inline_target(text: str, start: int) -> str:
    """The URL of an inline link as Python-Markdown reads it: in <…>, or up to a space or an unbalanced ')'."""
    if text.startswith("<", start):
        end = text.find(">", start)
        return text[start + 1 : end] if end > 0 and "\n" not in text[start:end] else ""
    depth, end = 0, start
    while end < len(text) and not text[end].isspace():
        if text[end] == "(":
            depth += 1
        elif text[end] == ")":
            if depth == 0:
                break
            depth -= 1
        end += 1
    return text[start:end]


# Where Python-Markdown's attr_list reads {…}: alone on a line or after a space at its end (headings,
# blocks, table cells), or right after an inline element (link, emphasis, code).
_ATTR_LIST = re.compile(
    r"(?:^|(?<=[ ]))\{:?[ ]*([^}\n ][^}\n]*)\}(?=[ ]*$)"  # a block's or heading's
    r"|(?<=[)*_`])\{:?[ ]*([^}\n ][^}\n]*)\}",  # an inline element's
    re.MULTILINE,
)
_ATTR = re.compile(r"""([^\s=}]+)(?:=(?:"[^"]*"|'[^']*'|[^\s}]+))?""")


def _attr_lists(text: str) -> Iterator[Finding]:
    """Python-Markdown's attr_list ``{: key=value }``: only an anchor (``#id``) may be written."""
    text = text.expandtabs(4)  # as Python-Markdown reads it (its whitespace normaliser)
    for found in _ATTR_LIST.finditer(text):
        for attr in _ATTR.finditer(found.group(1) or found.group(2)):
            name = attr.group(1)
            if name.startswith("#") and not reserved_id(name[1:]):
                continue
            key = "id" if name.startswith("#") else "class" if name.startswith(".") else name
            message = f"正文的属性列表「{shown(found.group(0))}」含有不允许的属性「{key}」"
            yield Finding(_line(text, found.start()), message, ID_FIX if key == "id" else ATTR_LIST_FIX)


def _url_finding(target: Target) -> Finding | None:
    refusal = url_refusal(target.tag, target.attribute, target.url)
    if refusal is None:
        return None
    what, fix = ("正文图片", IMAGE_FIX) if target.tag == "img" else ("正文链接", LINK_FIX)
    return Finding(target.line, f"{what}「{shown(target.url)}」{refusal}", fix)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _blank(text: str) -> str:
    """Spaces in place of ``text``, its line breaks kept, so positions after it do not move."""
    return re.sub(r"[^\n]", " ", text)


# Python-Markdown's code span (inlinepatterns.BacktickInlineProcessor), kept within a paragraph.
_CODE_SPAN = re.compile(r"(?<!\\)(`+)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.DOTALL)


def mask_code(body: str) -> str:
    """The body with fenced code blocks (as Python-Markdown finds them) and `code spans` blanked: code shows
    HTML as text. A span never runs over a blank line (a paragraph's end)."""
    body = FencedBlockPreprocessor.FENCED_BLOCK_RE.sub(lambda m: _blank(m.group(0)), body)
    return _CODE_SPAN.sub(lambda m: m.group(1) + _blank(m.group(2)) + m.group(1), body)  # `…`{: attrs} stays seen


# What the build would remove: the body rendered as the site renders it, before and after the sanitiser.
_MAYBE_HTML = re.compile(r"[<{&`]|!\[|\]:")  # an inline link's target is read at its line already
EXTENSIONS = ("toc", "tables", "fenced_code", "attr_list")  # MkDocs' own three, and mkdocs.yml's
_MARKDOWN: list[markdown.Markdown] = []


def removed_by_build(body: str) -> list[str]:
    """What the renderer's sanitiser would remove from this body once rendered, described in Chinese."""
    if not _MAYBE_HTML.search(body):
        return []
    if not _MARKDOWN:
        _MARKDOWN.append(
            markdown.Markdown(
                extensions=[*EXTENSIONS, MaskedNumbers()], extension_configs={"tables": {"use_align_attribute": True}}
            )
        )
    html = _MARKDOWN[0].reset().convert(body)
    removed = _parts(html) - _parts(sanitize(html))
    return sorted(removed)


def _parts(html: str) -> Counter[str]:
    parser = _Parts()
    _feed(parser, html)
    return parser.parts


_NOT_MARKUP = re.compile(r"<(?=[!?/])(?!!--)(?!/[a-zA-Z])")


def _feed(parser: HTMLParser, text: str) -> None:
    """Parse all of ``text`` as Python-Markdown passes it on: only ``<!--…-->`` is a comment. Any other
    ``<!``, ``<?`` or ``</`` without a name is text to it (it writes ``&lt;``), not a declaration or bogus
    comment that would hide the tags after it (and Python 3.11's parser raises on some of those); nor
    is a ``<!--`` never closed."""
    text = _NOT_MARKUP.sub(" ", text)
    unclosed = text.rfind("<!--")
    while unclosed >= 0 and text.find("-->", unclosed + 4) < 0:
        text = text[:unclosed] + "    " + text[unclosed + 4 :]
        unclosed = text.rfind("<!--")
    parser.feed(text)
    parser.close()


class _Parts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts[f"<{tag}>"] += 1
        for name, value in attrs:
            self.parts[f"<{tag}> 的属性「{name}」（{shown(value or '')}）"] += 1
