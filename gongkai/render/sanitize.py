"""Every Markdown-rendered body (documents, hand-written pages) passes through nh3 (Rust's ammonia).

The allow-list is the model's (``model/content.py``); ``check`` refuses at their lines the same things
this removes, so on a checked county nothing is removed here. This is the guarantee, the check the help.
"""

from __future__ import annotations

import re

import nh3
from markupsafe import Markup, escape

from ..model.content import (
    LINK_SCHEMES,
    TAGS,
    URL_ATTRIBUTES,
    allowed_attributes,
    reserved_id,
    url_refusal,
    value_allowed,
)

# Whose content goes with the tag: text inside them is code or markup, never prose.
DROPPED_WITH_CONTENT = frozenset(
    {
        *("script", "style", "template", "noscript", "iframe", "noembed", "noframes", "object", "embed"),
        *("applet", "svg", "math", "textarea", "title", "xmp", "select"),
    }
)
_ATTRIBUTES = {tag: set(allowed_attributes(tag)) for tag in TAGS}


def sanitize(html: str) -> str:
    """The body with every tag, attribute and URL outside the allow-list removed (text kept)."""
    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes=_ATTRIBUTES,
        attribute_filter=_attribute,
        url_schemes=set(LINK_SCHEMES),
        strip_comments=True,
        link_rel=None,  # no target=_blank is allowed, so no rel is needed; internal links stay as MkDocs wrote them
    )


def _attribute(tag: str, attribute: str, value: str) -> str | None:
    """Rules nh3 cannot express: an image only from the site, no id of the page's own parts, set values."""
    if (attribute == "id" and reserved_id(value)) or not value_allowed(tag, attribute, value):
        return None
    if (tag, attribute) in URL_ATTRIBUTES and url_refusal(tag, attribute, value):
        return None
    return value


def text_html(value: object) -> Markup:
    """A source value (a title, a name) as HTML text, marked safe so that Material's ``| e`` keeps it as is.

    Material's templates print such values unescaped (MkDocs' theme environment has no autoescaping), so
    every value handed to them goes through here."""
    return escape(" ".join(str(value).split()))


def first_heading(html: str) -> Markup | None:
    """The text of the first <h1> of a sanitised body, as HTML text (entities kept, tags gone)."""
    found = _H1.search(html)
    if found is None:
        return None
    text = " ".join(nh3.clean(found.group(1), tags=set()).split())
    return Markup(text) if text else None


_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.DOTALL)
