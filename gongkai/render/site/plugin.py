"""The MkDocs plugin: a thin shell that hands the model's pages to MkDocs as virtual files."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import functools
import gc
import gzip
import io
import logging
import os
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import material
from markupsafe import escape
from mkdocs import utils as mkdocs_utils
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import base
from mkdocs.config import config_options as opt
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import YAML_RE

from ...cachefile import code_fingerprint
from ...errors import Problem, SourceErrors
from ...link import Links
from ...load.documents import CONTENT_DIR, parse_document, split_front_matter
from ...load.tree import OWNER_PREFIX, hidden, walk
from ...model import County, Document
from ...model.content import CONTENT_FILES, PageMeta
from ...model.schema import specs
from ...write import OutputDir
from ...write.reuse import Linker, Reuse
from ..data import data_files
from ..masked import MaskedNumbers
from ..report import urls as report_urls
from ..sanitize import first_heading, sanitize, text_html
from ..search import ASSETS as SEARCH_ASSETS
from . import urls
from .contexts import ChromeContext, Link, VillageContext
from .crumbs import crumbs
from .document import document_html
from .fragments import MATERIAL, Fragments
from .guide import guide_nav
from .html import digits, render, scroll_tables, tel, tel_links
from .keys import data_key, document_key, file_key, hand_key, page_key, site_key
from .plan import Planned, SitePlan, plan_site
from .policy import with_policy
from .sandbox import Sandbox
from .sources import SourceDigests
from .split import Split

log = logging.getLogger(__name__)
THEME = Path(__file__).parent / "theme"
MATERIAL_TEMPLATES = Path(material.__file__).parent / "templates"
SITE_ASSETS = Path(__file__).parent / "assets"
ASSET_URL = "assets/gongkai/"
SITEMAP = "sitemap.xml"
MKDOCS_TEMPLATES = (Path(mkdocs_build.__file__).parents[1] / "templates").resolve()
"""MkDocs' own theme templates (its ``sitemap.xml``)."""
PLAIN_MKDOCS = (
    "请用「gongkai build」生成网站、用「gongkai serve」预览：mkdocs 的命令会直接写入输出目录，"
    "无法在发布前检查个人信息和页面安全，所以不能用。"
)
WIDE_TEMPLATES = ("domain.html", "normative.html", "report.html")  # wide tables get the navigation sidebar's room
PLACEHOLDER = "# 页面\n"  # a generated page's Markdown: MkDocs needs one heading; the title comes from the model
PAGE_KEYS = {name: spec.key for name, spec in specs(PageMeta)}
_HAND_META: dict[str, dict[str, Any]] = {}
"""The front matter MkDocs' templates saw of each hand-written page this process built last, by the page's key
(``keys.hand_key``): a page in the navigation is linked unread only when its title here is known (every page's
navigation shows it; MkDocs reads no title of a page it leaves alone). A long-lived ``gongkai serve``
rendered its guide and columns again at every edit (1.85 s at county scale)."""


class GongkaiConfig(base.Config):
    """Options of the ``gongkai`` plugin in mkdocs.yml."""

    today = opt.Optional(opt.Type(str))
    """Unused (kept so older mkdocs.yml files load): the build date is the command's --today."""


def template_cache() -> jinja2.BytecodeCache | None:
    """Jinja's own per-user cache folder (in the temporary folder, made by Jinja only when it is the user's
    alone), or none. Never a folder of the project: a compiled template is code, and Jinja reads an entry's
    header with pickle — a file planted in the project's ``.cache/`` would run at the next build (the other
    caches run none: load/cache.py). Named by gongkai's code (cachefile.code_fingerprint): how a template
    compiles depends on the environment, which another program or version of gongkai may set otherwise."""
    try:
        return jinja2.FileSystemBytecodeCache(pattern=f"__gongkai_{code_fingerprint().hex()[:16]}_%s.cache")
    except (RuntimeError, OSError):
        return None


class GongkaiPlugin(BasePlugin[GongkaiConfig]):
    """Turn the loaded county into MkDocs pages; rendering itself lives in plain modules."""

    def __init__(self) -> None:
        self.release()

    def release(self) -> None:
        """Drop what a build held (the county, its plan, the reuse, the pages' titles). MkDocs keeps the
        last plugin collection on a class attribute, so without this the county stays in memory after
        render_site, beside the search index's join (county scale: a quarter of a GB). The collector runs again
        if the build stopped while it was paused (``_pause``)."""
        if getattr(self, "_paused", False):
            gc.enable()
        self._paused = False
        self.county: County | None = None  # set by render_site (`gongkai build` and `gongkai serve`)
        self.today: dt.date | None = None
        self.links: Links | None = None  # link(county, today) when render_site was given it (the check stage's)
        self.guide = False  # publish the clerks' 使用指南 (`gongkai build --guide`; `gongkai serve` always)
        self.plan = SitePlan()
        self._generated: dict[str, tuple[str, Planned]] = {}
        self.current_page: str | None = None  # the source of the page being rendered, for error messages
        self.titles: dict[str, str] = {}  # every page's title by site URL, for 当前位置
        self.reuse: Reuse | None = None  # the published site's unchanged files (render_site, when incremental)
        self._site: str | None = None
        self._nav_urls: set[str] = set()  # the pages in the navigation (their nav item is active: no fragments)
        self.fragments: Fragments | None = None
        self._placeholder = _Placeholder()
        self.workers = 1  # 2: pages outside the navigation shared with a forked child (split.py; `gongkai build`)
        self.split: Split | None = None
        self._hands: dict[str, str] = {}  # the hand-written pages' keys by source URI (_reuse)
        self.freeze = False  # render_site's ``frozen``: the collector paused while planning and keying (_pause)
        self.ready: Callable[[], object] | None = None  # render_site's: called before anything is written (on_nav)
        self._sitemap: dict[str, bool] | None = None  # the sitemap's files, each taken or not (_take_sitemap)
        self._nav: Navigation | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Only MkDocs' own command line calls this (render_site does not): refuse it."""
        raise PluginError(PLAIN_MKDOCS)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Plan the pages of the county render_site gave; register the theme parts."""
        if self.county is None or self.today is None:
            raise PluginError(PLAIN_MKDOCS)
        county, today = self.county, self.today
        self._site = None
        self._placeholder = _Placeholder()
        self.split = None
        self._pause()
        self.plan = plan_site(county, today, guide=self.guide, links=self.links)
        if self.guide and config.nav is not None:
            config.nav.append(guide_nav(Path(config.docs_dir)))
        config.site_name = text_html(county.config.site_name)  # county.yml is the one place the name is kept
        for key in ("site_description", "site_author", "copyright"):  # check refuses markup in them; escape anyway
            if config[key] is not None:
                config[key] = text_html(config[key])
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))
        config.extra_css.insert(0, ASSET_URL + "site.css")
        config.markdown_extensions.append(MaskedNumbers())  # type: ignore[arg-type]  # 180****3266 is no emphasis
        # The county's own 标志, never Material's logo and favicon (none: the banner shows the name alone).
        emblem = county.config.emblem
        config.theme["logo"] = emblem
        config.theme["favicon"] = emblem or ASSET_URL + "favicon.svg"
        if "tables" in config.markdown_extensions:  # the sanitiser drops style="text-align: …"; align stays
            config.mdx_configs["tables"] = {**config.mdx_configs.get("tables", {}), "use_align_attribute": True}
        return config

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Titles written in mkdocs.yml's nav reach Material's templates as HTML text, like every other value.

        Here MkDocs has read everything and written nothing yet (render_site's ``ready`` is called first): from here
        on pages and files are linked and written into the site directory."""
        if self.ready is not None:
            self.ready()
        for item in _nav_items(nav.items):
            if "title" in vars(item) and item.title is not None:  # a page's own title is set from its source
                item.title = text_html(item.title)
        self._nav_urls = {page.url for page in nav.pages}
        self._nav = nav
        self.titles = {url: planned.title for url, planned in self.plan.pages.items()}
        self.titles.update({urls.document(doc): doc.title for doc in self.plan.documents.values()})
        for item in _nav_items(nav.items):
            if item.is_section and item.children and item.children[0].is_page:  # a section's index page
                self.titles.setdefault(item.children[0].url, item.title)
            elif item.is_page and vars(item).get("title"):
                self.titles.setdefault(item.url, item.title)
        if self.reuse is not None:
            self._reuse(self.reuse, files, config)
        out = OutputDir(Path(config.site_dir))
        linked = self.reuse.taken if self.reuse is not None else set()
        for file in files:  # every page and file MkDocs will write, proven inside the output directory before
            if file.dest_uri not in linked:  # it writes any (reuse linked the others there, proven as it did)
                out.path(file.dest_uri)
        self._made()  # before the fork: the child collects as usual
        if self.workers > 1:
            self.split = Split.start(config, files, {page.file.src_uri for page in nav.pages})
        return nav

    def _pause(self) -> None:
        """With ``freeze``: the cyclic collector paused from planning to the end of keying (``_made``). What is made
        meanwhile (the plan, MkDocs' files and pages, the keys, the data files' tables) lives through the stage and
        holds few cycles; the collections its millions of objects set off walked it again and again (county
        scale, one document changed: 0.2–0.3 s)."""
        if self.freeze and gc.isenabled():
            gc.disable()
            self._paused = True

    def _made(self) -> None:
        """The collector runs again, what was made frozen out of its sight as the caller froze the county (and
        unfreezes after the stage, ``render_site(..., frozen=True)``): the pages it renders are collected as usual."""
        if self._paused:
            gc.freeze()
            gc.enable()
            self._paused = False

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The child ends here with its warnings; the parent takes them (or the child's failure)."""
        if self.split is not None:
            self.split.finish() if self.split.child else self.split.join()

    def _site_key(self, config: MkDocsConfig) -> str:
        """The key every page's key starts from (render/site/keys.py), computed once a build."""
        if self._site is None:
            assert self.county is not None and self.today is not None
            config_file, docs = Path(config.config_file_path), Path(config.docs_dir)
            root, theme = config_file.parent, config.theme.custom_dir  # the county's theme/ (mkdocs.yml custom_dir)
            shared = [config_file, *(p for p in Path(theme).rglob("*") if p.is_file())] if theme else [config_file]
            unpublished = {"documents"} if self.guide else {"documents", urls.GUIDE.strip("/")}  # guide: --guide
            tops = [top for top in docs.iterdir() if top.name not in unpublished]  # content/documents: 20 000 files
            found = (p for top in tops for p in (top, *(() if top.is_symlink() else top.rglob("*"))))
            # MkDocs publishes no dot file of docs_dir, and no Markdown extension allowed reads one (site_config.py):
            # an editor's swap file (vim's .x.md.swp, written every few seconds while the clerk types) changed every
            # page's key, and each save built every page again
            shared += [p for p in found if not hidden(p.relative_to(docs).as_posix()) and p.is_file()]
            self._site = site_key(root, self.county, self.today, self.guide, shared, repr(config.site_url))
        return self._site

    def _reuse(self, reuse: Reuse, files: Files, config: MkDocsConfig) -> None:
        """Link every page and file whose key is unchanged from the published site, and tell MkDocs to leave
        it alone; everything else is built as in a full build. Runs once every page's 当前位置 is known."""
        assert self.today is not None
        site = self._site_key(config)
        documents = {doc.slug + ".md": doc for doc in self.plan.documents.values()}
        sources = SourceDigests.open(Path(config.config_file_path).parent)
        trails: dict[str, str] = {}
        later, taken = reuse.linker(), dict[str, File]()  # links made on a thread while the keys are computed
        made: dict[tuple[int, str], Link] = {}
        nav = repr(sorted((url, self.titles.get(url)) for url in self._nav_urls))
        self._hands = {}
        try:
            for file in files:
                if file.src_uri in self._generated:
                    url, planned = self._generated[file.src_uri]
                    key = page_key(site, url, repr(planned), self.titles)
                elif file.src_uri in documents and file.abs_src_path:
                    doc = documents[file.src_uri]
                    source, linked = sources.source(file.abs_src_path, file.src_uri)
                    targets = {t: files.get_file_from_path(t) is not None for t in linked}
                    parsed = sources.data is None or _parsed_from(sources.data, doc)
                    key = document_key(site, doc, self.plan.links, self.today, source, targets, file.url, self.titles,
                                       parsed, trails, made)
                elif not file.is_documentation_page() and file.abs_src_path:
                    key = file_key(Path(file.abs_src_path))  # an attachment, an asset: published as it is
                elif file.abs_src_path and not file.generated_by:  # a hand-written page
                    source, linked = sources.source(file.abs_src_path, file.src_uri)
                    targets = {t: files.get_file_from_path(t) is not None for t in linked}
                    key = self._hands[file.src_uri] = hand_key(site, file.url, source, targets, self.titles, nav)
                    meta = _HAND_META.get(key)
                    if file.url in self._nav_urls and (meta is None or file.page is None):
                        reuse.keys[file.dest_uri] = key  # built, its key recorded: its title is not known unread
                        continue
                    if meta is not None and file.page is not None:
                        file.page.markdown, file.page.meta = "", dict(meta)  # its title, for the others' navigation
                else:
                    continue  # data files: on_files
                if reuse.take(file.dest_uri, key, later):
                    file.is_modified = _unchanged  # type: ignore[method-assign]  # MkDocs skips it (dirty build)
                    taken[file.dest_uri] = file
            self._take_sitemap(reuse, files, config, site, later)
        finally:  # every link made (or failed) before anything else reads or removes the staging directory
            try:
                failed = later.done()
            finally:  # and no file the staging directory held stays where something may be written: none taken
                reuse.sweep()
        for dest_uri in failed:  # built after all
            if dest_uri in taken:
                del taken[dest_uri].is_modified
            elif self._sitemap is not None and dest_uri in self._sitemap:
                self._sitemap[dest_uri] = False
        sources.save()
        kept = {key: meta for src_uri, key in self._hands.items() if (meta := _HAND_META.get(key)) is not None}
        _HAND_META.clear()  # this build's pages only: those built add theirs (on_page_content)
        _HAND_META.update(kept)

    def _take_sitemap(self, reuse: Reuse, files: Files, config: MkDocsConfig, site: str, later: Linker) -> None:
        """Link MkDocs' sitemap (``sitemap.xml`` and its ``.gz``) from the published site when the pages it lists are
        the same: its template, MkDocs' own, shows of each page only its URL and the build date (both in the site's
        key), in the order of ``files``. Rendering it took 0.2 s of a one-document build at county scale. A theme's
        own sitemap template may show anything of the pages: MkDocs renders it as ever (``_sitemap`` is None). The links
        are made on ``later``'s thread, as the pages' (which alone uses the staging directory meanwhile)."""
        if SITEMAP not in config.theme.static_templates or _template_dir(config, SITEMAP) != MKDOCS_TEMPLATES:
            return
        listed = "\n".join(file.url for file in files.documentation_pages())
        key = data_key(site, f"sitemap\0{listed}")
        self._sitemap = {uri: reuse.take(uri, key, later) for uri in (SITEMAP, SITEMAP + ".gz")}

    def _sitemap_files(self, files: Files, config: MkDocsConfig, env: jinja2.Environment) -> None:
        """The sitemap's files as ``_take_sitemap`` found them: each taken one left alone, the others made here as
        MkDocs makes them (``_build_theme_template``), which then renders no sitemap itself: it would write through
        a taken file's link into the published site."""
        if self._sitemap is None or self._nav is None or (self.split is not None and self.split.child):
            return  # (the split's child writes no template: split.py)
        config.theme.static_templates.discard(SITEMAP)
        made: dict[str, bytes] = {}
        if not all(self._sitemap.values()):
            template = env.get_template(SITEMAP)  # (MkDocs' own: never empty, which MkDocs would not write)
            made[SITEMAP] = mkdocs_build._build_template(SITEMAP, template, files, config, self._nav).encode("utf-8")
            pages = [file.page for file in files.documentation_pages() if file.page is not None]
            packed = io.BytesIO()
            stamp = mkdocs_utils.get_build_timestamp(pages=pages)
            with gzip.GzipFile(fileobj=packed, filename=SITEMAP + ".gz", mode="wb", mtime=stamp) as gz:
                gz.write(made[SITEMAP])
            made[SITEMAP + ".gz"] = packed.getvalue()
        for uri, taken in self._sitemap.items():
            if taken:
                files.append(kept := File.generated(config, uri, content=b""))  # linked: never written
                kept.is_modified = _unchanged  # type: ignore[method-assign]
            else:
                files.append(File.generated(config, uri, content=made[uri]))

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add every planned page as a virtual file; keep data pages and documents out of the nav."""
        in_nav = set(_nav_paths(config.nav))
        assert self.county is not None and self.today is not None
        for file in [f for f in files if OWNER_PREFIX in f.src_uri and hidden(f.src_uri)]:
            files.remove(file)  # an office program's owner file (~$x.xlsx): MkDocs leaves out only dot files
        data = data_files(self.county, self.plan.links, self.today, self.plan.newest)
        clashes = _clashes(files, self.plan.pages, data, config.docs_dir, _printed(self.county, self.plan))
        if clashes:
            raise SourceErrors(clashes)
        for url, planned in self.plan.pages.items():
            uri = urls.src_uri(url)
            inclusion = InclusionLevel.UNDEFINED if uri in in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, uri, content=PLACEHOLDER, inclusion=inclusion))
            self._generated[uri] = (url, planned)
        root = Path(config.config_file_path).parent
        self._documents(files, config, root)
        for folder in (SITE_ASSETS, SEARCH_ASSETS):
            for asset in sorted(folder.iterdir()):
                files.append(File.generated(config, ASSET_URL + asset.name, abs_src_path=str(asset)))
        for uri, content in sorted(data.items()):
            if self.reuse is not None and self.reuse.take(uri, data_key(self._site_key(config), content.key)):
                files.append(kept := File.generated(config, uri, content=b""))  # linked: never written
                kept.is_modified = _unchanged  # type: ignore[method-assign]
            else:
                files.append(File.generated(config, uri, content=content.make()))
        _known_pages(files)
        return files

    def _documents(self, files: Files, config: MkDocsConfig, root: Path) -> None:
        """Documents stay out of the nav; only the attachments they name are published, beside them; a document
        held back (``link.held``) is not published at all.

        Of content/ only the types of CONTENT_FILES are published, and never a link (``check`` refuses both)."""
        docs = os.path.normpath(config.docs_dir)  # paths as strings: this runs for every file of content/
        linked = _Linked(docs)
        for file in list(files):
            source = file.abs_src_path or ""
            if file.generated_by is not None or not _inside(source, docs):
                continue  # the theme's files and generated pages
            unlisted = file.src_uri.startswith("documents/") and not file.src_uri.endswith(".md")
            unlisted |= file.src_uri.startswith(urls.GUIDE) and not self.guide  # the clerks' guide
            held = file.src_uri.startswith("documents/") and f"content/{file.src_uri}" not in self.plan.documents
            if unlisted or held or _suffix(source) not in CONTENT_FILES or linked(source):
                files.remove(file)
                shadowed = _theme_file(config, file.src_uri)  # MkDocs left out the theme's file of that name
                if shadowed is not None:
                    files.append(shadowed)
        by_uri = files.src_uris  # get_file_from_path's mapping, without a PurePath a document
        for doc in self.plan.documents.values():
            page = by_uri.get(doc.slug + ".md")
            if page is not None:
                page.inclusion = InclusionLevel.NOT_IN_NAV
            for attachment in doc.files:
                files.append(
                    File.generated(
                        config, urls.attachment(doc, attachment.name), abs_src_path=str(root / attachment.source)
                    )
                )

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        """A data page's Markdown is the same placeholder on every page: converted once a build (_Placeholder).
        A document's front matter, which load/ parsed, is not parsed again (on_page_markdown drops it)."""
        if page.file.src_uri in self._generated:
            page.render = functools.partial(self._placeholder.render, page)  # type: ignore[method-assign]
        elif self._document(page) is not None:
            page.read_source = functools.partial(_read_document, page)  # type: ignore[method-assign]
        return page

    def on_page_markdown(self, markdown: str, page: Page, **_: Any) -> str:
        """Give each page its title from the model; Material sees no front matter key but ours, as HTML text.

        Material prints ``page.meta.title`` unescaped and, where it is missing, ``page.title | striptags``
        (which unescapes): so every page gets a ``title`` here or in on_page_content."""
        self.current_page = _source_path(page)
        generated = self._generated.get(page.file.src_uri)
        doc = self._document(page)
        written, page.meta = page.meta, {}
        if generated:
            page.meta["title"] = text_html(generated[1].title)
            wide = generated[0] in (urls.HOME, urls.SEARCH) or generated[1].template in WIDE_TEMPLATES
            page.meta["hide"] = ["navigation", "toc"] if wide else ["toc"]
        elif doc:
            page.meta["title"] = text_html(doc.title)
        else:  # a hand-written page: PageMeta's keys only, as check allowed them
            title, summary = written.get(PAGE_KEYS["title"]), written.get(PAGE_KEYS["summary"])
            if title is not None:
                page.meta["title"] = text_html(title)
            if summary is not None:
                page.meta["description"] = text_html(summary)
        return markdown

    def on_page_content(self, html: str, page: Page, **_: Any) -> str:
        """Replace a data page's placeholder with its rendered HTML; sanitise and wrap a document's body."""
        generated = self._generated.get(page.file.src_uri)
        doc = self._document(page)
        if generated:
            html = render(generated[1].template, generated[1].context, generated[0])
        elif doc is not None and self.today is not None:
            html = document_html(doc, self.plan.links, scroll_tables(tel_links(sanitize(html))), self.today)
        else:  # a hand-written page
            html = scroll_tables(tel_links(sanitize(html)))
            named = vars(page).get("title")  # a title given in mkdocs.yml's nav, made safe by on_nav
            page.meta.setdefault("title", named or first_heading(html) or text_html(page.file.name))
            key = self._hands.get(page.file.src_uri)
            if key is not None:
                _HAND_META[key] = dict(page.meta)
            return html
        return _anchor_title(html, page)

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Every page carries the site's Content-Security-Policy, whatever host serves it."""
        return with_policy(output)

    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        """So do static pages such as 404.html."""
        return with_policy(output_content) if template_name.endswith(".html") else output_content

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        """MkDocs' template environment, sandboxed: the county's theme/ templates cannot reach Python's internals.
        Compiled templates are kept by each template's source (template_cache), so that a build does not
        compile Material again. Material's own partials stay reachable under ``material-original/`` for
        gongkai's, which render them once for many pages (fragments.py)."""
        cache = template_cache()
        material = jinja2.PrefixLoader({MATERIAL: jinja2.FileSystemLoader(MATERIAL_TEMPLATES)})
        sandbox = Sandbox(
            loader=jinja2.ChoiceLoader([material, env.loader]) if env.loader is not None else material,
            auto_reload=False,
            cache_size=-1,  # a dict: Jinja's default LRU cache pays a linear search on every include
            extensions=[type(e) for e in env.extensions.values()],
            bytecode_cache=cache,
        )
        sandbox.filters.update(env.filters)
        sandbox.filters.update(tel=tel, digits=digits)
        sandbox.tests.update(env.tests)
        sandbox.globals.update(env.globals)
        sandbox.policies.update(env.policies)
        if self.split is not None:
            self.split.building = True
        custom = config.theme.custom_dir  # the county's theme/: its own partials may read the page
        own_partials = custom is not None and any(p.is_file() for p in (Path(custom) / "partials").rglob("*"))
        self.fragments = Fragments(env.filters["url"], self._nav_urls, enabled=not own_partials)
        sandbox.filters["url"] = self.fragments.url_filter()
        sandbox.globals["gk_fragments"] = self.fragments
        self._sitemap_files(files, config, sandbox)
        return sandbox

    def on_page_context(self, context: Any, /, *, page: Page, **_: Any) -> Any:
        """Site-wide parts (footer, search link) for Material's templates."""
        context["gongkai"] = self._chrome(page.url, page.title or "")
        return context

    def on_template_context(self, context: Any, /, *, template_name: str, config: MkDocsConfig, **_: Any) -> Any:
        """The same parts for static templates such as 404.html."""
        context["gongkai"] = self._chrome(None, site_url=config.site_url)
        return context

    def _chrome(self, url: str | None, title: str = "", site_url: str | None = None) -> ChromeContext:
        assert self.county is not None
        config = self.county.config
        if url is None:  # 404.html is served at any depth: link from the site's root path
            root = urlsplit(site_url or "/").path.rstrip("/") + "/"
            trail: tuple[Link, ...] = (Link("首页", root), Link("页面不存在", ""))
            emblem = root + config.emblem if config.emblem else None
            return ChromeContext(config, root + urls.SEARCH, root + urls.FEED, root, emblem, trail)
        trail = tuple(Link(link.text, urls.relative(link.url, url)) for link in crumbs(url, title, self.titles))
        emblem = urls.relative(config.emblem, url) if config.emblem else None
        return ChromeContext(config, urls.relative(urls.SEARCH, url), urls.relative(urls.FEED, url),
                             urls.relative(urls.HOME, url), emblem, trail)

    def _document(self, page: Page) -> Document | None:
        src = page.file.src_uri
        if not src.startswith("documents/"):
            return None
        return self.plan.documents.get("content/" + src)


class _Placeholder:
    """MkDocs' rendering of PLACEHOLDER (a new Markdown instance for each page), done once and copied: what
    Page.render sets depends only on the Markdown text, which names no file."""

    def __init__(self) -> None:
        self._made: tuple[Any, ...] | None = None

    def render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        if page.markdown != PLACEHOLDER:  # another plugin changed it: render it as MkDocs does
            Page.render(page, config, files)
            return
        if self._made is None:
            Page.render(page, config, files)
            self._made = (page.content, page.toc, page._title_from_render, page.present_anchor_ids,
                          vars(page).get("links_to_anchors"))
        content, toc, title, anchors, links = copy.deepcopy(self._made)
        page.content, page.toc, page._title_from_render, page.present_anchor_ids = content, toc, title, anchors
        if links is not None:
            page.links_to_anchors = links


def _read_document(page: Page, config: MkDocsConfig) -> None:
    """``Page.read_source`` of a document: its Markdown after the front matter, as MkDocs would cut it, without
    parsing the front matter (load/ parsed it into a mapping, so MkDocs' YAML loader would too). When MkDocs
    and load/ would not find the same front matter, MkDocs reads it."""
    source = config.plugins.on_page_read_source(page=page, config=config)
    if source is None:
        source = page.file.content_string
    found = YAML_RE.match(source)
    if found is None or found.group(1) != f"{split_front_matter(source)[0]}\n":
        Page.read_source(page, config)
        return
    page.markdown, page.meta = source[found.end() :].lstrip("\n"), {}


def _parsed_from(data: bytes, doc: Document) -> bool:
    """Whether ``doc`` is what the bytes ``data`` of its file hold (else the file changed after it was loaded)."""
    return parse_document(data, doc.origin.path) == dataclasses.replace(doc, files=())


def _unchanged() -> bool:
    return False


def _known_pages(files: Files) -> None:
    """Each file's ``is_documentation_page`` answered once: MkDocs asks it of every file again and again
    (``Files.documentation_pages``, five times a build, and each ``is_media_file``…), each time testing the name
    against every Markdown suffix (24 000 files at county scale: 0.1 s). The answer depends on the file's name
    alone, which nothing changes after ``on_files``; the bound ``bool.__bool__`` of the answer costs no Python call."""
    for file in files:
        file.is_documentation_page = (True if file.is_documentation_page() else False).__bool__  # type: ignore[method-assign]


def _source_path(page: Page) -> str:
    """The page's source file as clerks see it (content/…), or its URL for a generated page."""
    return f"content/{page.file.src_uri}" if not page.file.generated_by else f"/{page.file.url}"


def _anchor_title(html: str, page: Page) -> str:
    """Give our <h1> the id MkDocs' table of contents (and Material's skip link) points to."""
    first = next(iter(page.toc), None)
    if first is None or "<h1>" not in html:
        return html
    return html.replace("<h1>", f'<h1 id="{escape(first.id)}">', 1)


BUNDLE_DIR = "pagefind/"
"""The search bundle's folder in the site (render/search): no page of content/ may be published under it."""
CLASH_FIX = "请给这个文件或它所在的目录改名：两个文件不能用同一个网址"
BUNDLE_FIX = f"{BUNDLE_DIR} 目录留给搜索索引使用：请把这个文件移到别的目录"


def content_clashes(root: Path, county: County, plan: SitePlan, today: dt.date) -> list[Problem]:
    """``_clashes`` of the files of content/ a build publishes (not the 使用指南: ``gongkai check`` plans without it),
    without MkDocs: ``gongkai check`` reports what the build would refuse."""
    docs = os.fspath(root / CONTENT_DIR)
    start = len(docs) + 1
    found = Files(
        [
            File(entry.path[start:].replace(os.sep, "/"), docs, os.fspath(root / "site"), True)
            for entry in walk(Path(docs))
            if entry.is_file(follow_symlinks=False) and _suffix(entry.path) in CONTENT_FILES
            and not entry.path[start:].replace(os.sep, "/").startswith(urls.GUIDE)
        ]
    )
    data = data_files(county, plan.links, today, plan.newest)
    return _clashes(found, plan.pages, data, docs, _printed(county, plan))


def _printed(county: County, plan: SitePlan) -> set[str]:
    """Where the sheet stage puts its PDFs (commands/stages.py ``sheet_jobs``): each village's 公开事项目录 and the
    payout sheets its page links, the 年报 and, when the county takes applications, the form."""
    villages = [planned.context for planned in plan.pages.values() if isinstance(planned.context, VillageContext)]
    found = {urls.village(ctx.village) + urls.CATALOGUE_SHEET for ctx in villages}
    found |= {summary.sheet for ctx in villages for summary in ctx.payouts if summary.sheet}
    found |= {report_urls.report_pdf(report.year) for report in county.reports}
    if county.config.application is not None:
        found.add(report_urls.FORM)
    return found


def _clashes(
    files: Files, planned: dict[str, Any], data: dict[str, Any], docs_dir: str, printed: Collection[str] = ()
) -> list[Problem]:
    """A problem for every file of content/ published at a URL the site makes itself: a generated page (the
    ``planned`` pages, by URL), a data file (``data``, by path), a printed sheet (``printed``, by path: the sheet
    stage unlinks what is there), the search bundle's folder. Such a file was dropped without a word (the generated
    one won)."""
    docs = os.path.normpath(docs_dir)
    problems = []
    for file in files:
        if file.generated_by is not None or not _inside(file.abs_src_path or "", docs):
            continue  # the theme's files
        page = file.is_documentation_page()
        target = file.url if page else file.dest_uri
        if page and target in planned:
            what, fix = f"网址「/{target}」已被网站自动生成的「{planned[target].title}」页面占用", CLASH_FIX
        elif not page and target in data:
            what, fix = f"网址「/{target}」已被网站自动生成的同名数据文件占用", CLASH_FIX
        elif not page and target in printed:
            what, fix = f"网址「/{target}」已被网站自动生成的同名打印文件占用", CLASH_FIX
        elif target.startswith(BUNDLE_DIR):
            what, fix = f"网址「/{target}」在搜索索引的目录中", BUNDLE_FIX
        else:
            continue
        problems.append(Problem(f"content/{file.src_uri}", None, "", what, fix))
    return problems


def _template_dir(config: MkDocsConfig, name: str) -> Path | None:
    """The theme folder whose template ``name`` the theme's loader finds first (none: not found)."""
    for folder in config.theme.dirs:
        if (Path(folder) / name).is_file():
            return Path(folder).resolve()
    return None


def _theme_file(config: MkDocsConfig, src_uri: str) -> File | None:
    """The theme's own file at ``src_uri`` (such as Material's bundle), if a theme folder has one."""
    for folder in config.theme.dirs:
        if (Path(folder) / src_uri).is_file():
            return File(src_uri, folder, config.site_dir, config.use_directory_urls)
    return None


class _Linked:
    """Whether a path or a folder between it and ``folder`` is a symbolic link. ``folder`` is walked once
    (``os.scandir``: each entry's type comes with it, no system call a file — 20 000 ``lstat`` calls at county
    scale); a path the walk did not meet is asked of the file system, each folder once."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self._folders: dict[str, bool] = {folder: False}
        self._seen: dict[str, bool] = {}
        self._walk(folder)

    def __call__(self, path: str) -> bool:
        return self._is_link(path) or self._in_link(os.path.dirname(path))

    def _walk(self, folder: str) -> None:
        try:
            with os.scandir(folder) as entries:
                found = [(entry.path, entry.is_symlink(), entry.is_dir(follow_symlinks=False)) for entry in entries]
        except OSError:
            return  # asked of the file system, path by path
        for path, link, directory in found:
            self._seen[path] = link
            if directory:
                self._walk(path)

    def _is_link(self, path: str) -> bool:
        link = self._seen.get(path)
        return os.path.islink(path) if link is None else link

    def _in_link(self, folder: str) -> bool:
        found = self._folders.get(folder)
        if found is None:
            inner = _inside(folder, self.folder)
            found = self._folders[folder] = inner and (self._is_link(folder) or self._in_link(os.path.dirname(folder)))
        return found


def _inside(path: str, folder: str) -> bool:
    """``Path(path).is_relative_to(folder)`` for normalised absolute paths, without making Paths."""
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _suffix(path: str) -> str:
    """``Path(path).suffix.lower()``."""
    name = path.rpartition("/")[2]
    dot = name.rfind(".")
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""


def _nav_items(items: list[Any]) -> Iterator[Any]:
    for item in items:
        yield item
        yield from _nav_items(item.children or []) if item.is_section else ()


def _nav_paths(nav: Any) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in _nav_paths(value)]
    if isinstance(nav, list):
        return [p for item in nav for p in _nav_paths(item)]
    return []
