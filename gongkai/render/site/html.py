"""Render the site's own templates (strict, autoescaped) to HTML fragments that MkDocs wraps."""

from __future__ import annotations

import re
from functools import cache, partial
from pathlib import Path

import jinja2

from ..formats import cn_date
from . import urls

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment() -> jinja2.Environment:
    """The Jinja environment of the site's page templates."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["cndate"] = cn_date
    env.filters["tel"] = tel
    return env


def tel(number: str) -> str:
    """A phone number as a ``tel:`` link's target: digits, + and hyphens, without an extension (转 …)."""
    return re.sub(r"[^\d+-]", "", re.split(r"[转,，(（]", number)[0])


# A tag of sanitised HTML (the sanitiser writes every attribute value in double quotes, where ">" may stand).
TAG = re.compile(r"""<(/?)([a-zA-Z0-9]+)(?:[^>"]|"[^"]*")*>""")
UNLINKED = frozenset({"a", "code", "pre", "kbd", "samp"})
"""Elements whose text is never made a link: links themselves, and code shown as typed."""
PHONE = re.compile(
    r"(?<![0-9A-Za-z*＊/.-])"
    r"(?:[(（]0[1-9]\d{1,2}[)）]\s?|0[1-9]\d{1,2}-)[2-9]\d{6,7}(?:转\d{1,5})?(?![0-9*＊]|-\d)"  # 0550-7073558, （0550）7073558
    r"|(?<![0-9A-Za-z*＊/.-])400-?\d{3}-?\d{4}(?![0-9*＊]|-\d)"  # 400 service numbers
    r"|(?<!\d)123\d\d(?=\s?(?:政务|热线|服务|便民|市民))"  # 12345 政务服务便民热线 and the like
)
"""A landline with its area code, a 400 number or a 123xx hotline, whole: never part of a longer number or of a
masked one (138****1234, 0550-****558). Mobile numbers are not linked (the sources mask them)."""
FAX = re.compile(r"传\s*真(?:电话|号码)?[^电话热线手机]{0,8}$")
"""A fax number's label just before it (传真, 传 真 as letterheads space it, 传真电话, 传真号码), and no phone
label after it."""


FAX_TABLE = re.compile(r"<table\b.*?</table>", re.S)
PHONE_LABEL = re.compile(r"电话|热线|咨询|投诉|举报|监督|服务|客服")
ROW = "tr"


def tel_links(body: str) -> str:
    """Make the phone numbers in the text of a sanitised body ``tel:`` links (never inside a link, code or
    an attribute, never a fax number: the nearest label before it is not 传真).

    In a table that names a fax anywhere, the text before a number is no label (the 电话 | 传真 headings
    of a table laid out in columns come before both numbers): a number there is linked only when its own
    row says it is a phone (电话 | 0550-…), so that a fax is never dialled."""
    if PHONE.search(body) is None:  # a number in the text between two tags is one in the whole body too
        return body
    fax_tables = [(m.start(), m.end()) for m in FAX_TABLE.finditer(body) if re.search(r"传\s*真", m.group(0))]
    out: list[str] = []
    skip = 0  # depth inside elements in UNLINKED
    recent = ""  # the text just before, for the label of a number
    cell = ""  # the text of the current table row so far
    position = 0
    for tag in TAG.finditer(body):
        text = body[position : tag.start()]
        strict = any(start <= position < end for start, end in fax_tables)
        out.append(_link_phones(text, cell if strict else recent, strict) if not skip else text)
        recent, cell = (recent + text)[-24:], cell + text
        out.append(tag.group(0))
        name = tag.group(2).lower()
        if name in UNLINKED and not tag.group(0).endswith("/>"):
            skip = max(0, skip + (-1 if tag.group(1) else 1))
        if name == ROW:
            cell = ""
        position = tag.end()
    text = body[position:]
    strict = any(start <= position < end for start, end in fax_tables)
    out.append(_link_phones(text, cell if strict else recent, strict) if not skip else text)
    return "".join(out)


def _link_phones(text: str, recent: str, labelled: bool = False) -> str:
    def link(match: re.Match[str]) -> str:
        before = recent + text[: match.start()]
        if FAX.search(before) or (labelled and not PHONE_LABEL.search(before)):
            return match.group(0)
        number = re.sub(r"[^\d+-]", "", match.group(0).split("转")[0])  # (0550)7012978转8001 → 05507012978
        return f'<a href="tel:{number}">{match.group(0)}</a>'

    return PHONE.sub(link, text)


def digits(text: str) -> str:
    """The digits of a text (a 公安备案号's record code)."""
    return re.sub(r"\D", "", text)


def render(template: str, context: object, url: str) -> str:
    """A page's HTML fragment; links are made relative to ``url``."""
    return environment().get_template(template).render(ctx=context, rel=partial(urls.relative, current=url))




SHORT_CELL = re.compile(r"<(td|th)>([^<>]{1,8})</\1>")
"""A cell of a few characters (a town's name, a heading, a rate) never breaks: the table scrolls instead."""


def scroll_tables(body: str) -> str:
    """Put every table of a sanitised body in a labelled box that scrolls sideways when the table is too wide.

    Material would wrap them itself, in a box that gives no sign it scrolls; a table with a class is left
    to us (``gk-table``), and ``.gk-scroll`` shows the cue (site.css, a11y.js)."""
    count = body.count("<table>")
    for number in range(1, count + 1):
        label = "表格" if count == 1 else f"表格{number}"
        body = body.replace("<table>", f'<div class="gk-scroll" tabindex="0" role="region" aria-label="{label}">'
                                       '<table class="gk-table">', 1)
    body = SHORT_CELL.sub(lambda m: f'<{m.group(1)} class="gk-nowrap">{m.group(2)}</{m.group(1)}>', body)
    return body.replace("</table>", "</table></div>")
