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
