"""Template fragments that are the same HTML on many pages, rendered once a build and reused.

Material renders its navigation (``partials/nav.html``), its tabs (``partials/tabs.html``) and the
``__config`` script on every page; at county scale that is most of the time of a page. Outside the
navigation (documents, data pages: no nav item is active), the navigation's HTML depends on the page
only through the links the ``url`` filter makes relative to it. So a fragment is rendered once while
the filter records what it was asked for, and reused for every page that the same links, made
relative to it, give the same text — the same HTML, byte for byte, as rendering it again.

A fragment whose recorded links differ between two renders (it branched on the page) is not reused from then on.
Pages in the navigation are always rendered (their nav item is active and shows their headings). When the
county's theme/ has partials of its own (which may read the page), nothing is reused.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from jinja2 import pass_context
from mkdocs.utils import normalize_url

MATERIAL = "material-original"
"""Prefix under which gongkai's partials include Material's own template of the same name."""


class Fragments:
    """The fragments of one build (``gk_fragments`` in the theme's templates)."""

    def __init__(self, url_filter: Callable[[Any, str], str], in_nav: Collection[str], enabled: bool = True) -> None:
        self._url_filter = url_filter
        self._enabled = enabled
        self._in_nav = frozenset(in_nav)
        self._recording: list[str] | None = None
        self._links: dict[str, tuple[str, ...] | None] = {}  # fragment → the url filter's arguments (None: branches)
        self._done: dict[tuple[str, str, tuple[str, ...]], str] = {}
        self.hits = 0

    def url_filter(self) -> Callable[[Any, str], str]:
        """MkDocs' ``url`` filter, recording its arguments while a fragment renders."""
        original = self._url_filter

        @pass_context
        def url(context: Any, value: str) -> str:
            if self._recording is not None:
                self._recording.append(str(value))
            return original(context, value)

        return url

    def get(self, name: str, page: Any, base_url: str, anywhere: bool = False) -> str | None:
        """The fragment ``name`` as rendered for a page at the same relative place; None: render it (and call
        ``start`` and ``put``). ``anywhere``: the fragment does not depend on the page being in the navigation."""
        links = self._links.get(name)
        if links is None or not self._reusable(page, anywhere):
            return None
        found = self._done.get(self._key(name, page, base_url, links))
        if found is not None:
            self.hits += 1
        return found

    def start(self, name: str) -> str:
        """Record the url filter's arguments from here to ``put``."""
        self._recording = []
        return ""

    def put(self, name: str, page: Any, base_url: str, html: str, anywhere: bool = False) -> str:
        """Keep ``html``, the fragment just rendered for ``page``; return it."""
        links, self._recording = tuple(self._recording or ()), None
        if not self._reusable(page, anywhere):
            return html
        if self._links.setdefault(name, links) == links:
            self._done[self._key(name, page, base_url, links)] = html
        else:  # another page made it ask for other links: it depends on the page
            self._links[name] = None
        return html

    def _reusable(self, page: Any, anywhere: bool) -> bool:
        return self._enabled and page is not None and (anywhere or page.url not in self._in_nav)

    @staticmethod
    def _key(name: str, page: Any, base_url: str, links: tuple[str, ...]) -> tuple[str, str, tuple[str, ...]]:
        return name, base_url, tuple(normalize_url(link, page=page, base=base_url) for link in links)
