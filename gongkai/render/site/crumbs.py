"""当前位置 (the breadcrumb of a government site): the home page, each page above this one, this page."""

from __future__ import annotations

from collections.abc import Mapping

from . import urls
from .contexts import Link

HOME = "首页"


def crumbs(url: str, title: str, titles: Mapping[str, str]) -> tuple[Link, ...]:
    """The trail to the page at site URL ``url`` (titled ``title``); ``titles`` names the pages above it.

    A folder of the URL that is no page (such as a document's year) is left out."""
    if url == urls.HOME:
        return (Link(HOME, urls.HOME),)
    parts = url.strip("/").split("/")
    above = ["/".join(parts[:n]) + "/" for n in range(1, len(parts))]
    return (Link(HOME, urls.HOME), *(Link(titles[p], p) for p in above if p in titles), Link(title, url))
