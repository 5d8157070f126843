"""The body of the /search/ page: a form whose fields are the URL state, filled in by search.js."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from .markers import FILTERS, SORT_DATE

ASSETS = Path(__file__).parent / "assets"
"""search.js, the modules it imports and search.css; the site plugin copies them to <site>/assets/gongkai/."""

ASSETS_URL = "assets/gongkai"
"""Where the site keeps ASSETS, relative to the site root."""

PLACEHOLDER = "输入关键词，例如：耕地地力保护"


def search_page_html(root: str) -> str:
    """The body HTML of the search page; root is the relative URL from that page to the site root."""
    if not root:
        raise ValueError("root must be a relative URL such as '..', not empty")
    base = escape(root.rstrip("/"))
    facets = "\n".join(_fieldset(name) for name in FILTERS)
    assets = f"{base}/{ASSETS_URL}"
    preloads = "\n".join(f'<link rel="modulepreload" href="{url}">' for url in _modules(base, assets))
    return _TEMPLATE.format(
        base=base,
        assets=assets,
        facets=facets,
        placeholder=escape(PLACEHOLDER),
        sort=escape(SORT_DATE),
        preloads=preloads,
    )


def _modules(base: str, assets: str) -> list[str]:
    """What search.js imports, directly or not, and Pagefind's module: fetched at once beside search.js, not
    one import level after another (on a phone's connection each level costs a round trip). Pagefind's own
    worker (pagefind-worker.js, started with ``new Worker``) is no module of the page and cannot be preloaded."""
    return [f"{assets}/{name}" for name in _imported("search.js")] + [f"{base}/pagefind/pagefind.js"]


_RELATIVE = re.compile(r"""["'`]\./([^"'`?#]+)["'`]""")
"""A relative module path written in a module of ASSETS. Our modules write one only to name a module they import
(statically, dynamically or re-exported), so every one counts, however the statement is written: a path too many
costs one small download, a path missed a round trip on every search."""


def _imported(module: str) -> list[str]:
    """The modules in ASSETS that ``module`` imports, directly or through another, in the order first met."""
    found: dict[str, None] = {}
    waiting = [module]
    while waiting:
        importer = waiting.pop(0)
        for name in _RELATIVE.findall((ASSETS / importer).read_text(encoding="utf-8")):
            if name != module and name not in found:
                if not (ASSETS / name).is_file():
                    raise ValueError(f"{importer} imports ./{name}, which is not in {ASSETS}")
                found[name] = None
                waiting.append(name)
    return list(found)


def _fieldset(name: str) -> str:
    return (
        f'<fieldset class="gk-facet" data-filter="{escape(name)}"><legend>{escape(name)}</legend>'
        '<ul class="gk-facet__values"></ul></fieldset>'
    )


# Everything but the notice starts hidden: without JavaScript the form could not search. search.js
# shows the form as it starts, results and facets once the index data has loaded. On a phone the
# results come first and the facets open from one button (筛选, with the number ticked) above them.
# One top-level element without blank lines, so it passes through Markdown unchanged.
_TEMPLATE = """\
<div class="gk-search" data-root="{base}" data-sort-key="{sort}">
<noscript><p class="gk-search__notice">搜索需要浏览器启用 JavaScript。\
也可以在<a href="{base}/documents/">文件列表</a>中按发布日期浏览全部文件。</p></noscript>
<p class="gk-search__notice gk-search__failed" hidden>搜索暂时无法使用。\
可以在<a href="{base}/documents/">文件列表</a>中按发布日期浏览全部文件。</p>
<form class="gk-search__form" role="search" aria-label="站内搜索" hidden>
<label for="gk-q">搜索</label>
<input id="gk-q" name="q" type="search" placeholder="{placeholder}" autocomplete="off">
<button type="submit">搜索</button>
<label for="gk-sort">排序</label>
<select id="gk-sort" name="sort"><option value="">相关度</option><option value="{sort}">发布日期</option></select>
</form>
<div class="gk-search__main" hidden>
<button type="button" class="gk-search__toggle" aria-expanded="false" aria-controls="gk-filters">\
筛选<span class="gk-search__active"></span></button>
<div class="gk-search__facets" id="gk-filters" role="group" aria-label="筛选条件">
{facets}
<div class="gk-search__bar">\
<button type="button" class="gk-search__apply">查看结果</button>\
<button type="button" class="gk-search__clear">清除筛选</button></div>
</div>
<section class="gk-search__results" aria-label="搜索结果">
<p class="gk-search__status" role="status" aria-live="polite" tabindex="-1"></p>
<div class="gk-search__suggest" hidden></div>
<ol class="gk-search__list"></ol>
<button type="button" class="gk-search__more" hidden>加载更多</button>
</section>
</div>
<link rel="stylesheet" href="{assets}/search.css">
{preloads}
<script type="module" src="{assets}/search.js"></script>
</div>
"""
