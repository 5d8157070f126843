"""Render the site's own templates (strict, autoescaped) to HTML fragments that MkDocs wraps."""

from __future__ import annotations

import datetime as dt
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
    return env


def render(template: str, context: object, url: str) -> str:
    """A page's HTML fragment; links are made relative to ``url``."""
    return environment().get_template(template).render(ctx=context, rel=partial(urls.relative, current=url))


