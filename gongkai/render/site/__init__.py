"""Rendering of the web site: plan the pages from the model, then let MkDocs write them."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import jinja2
from jinja2.sandbox import SecurityError
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, MkDocsException
from mkdocs.structure import pages as mkdocs_pages

from ...errors import BuildFailed, Problem, SourceErrors
from ...link import Links
from ...model import County
from ...write.reuse import Reuse
from .plan import SitePlan, plan_site
from .plugin import GongkaiPlugin
from .split import guarded

__all__ = ["SitePlan", "plan_site", "render_site"]
CONFIG_FILE = "mkdocs.yml"
THEME_DIR = "theme"


def template_problem(err: jinja2.TemplateError, root: Path) -> Problem | None:
    """Where in the county's theme/ a template error is, as a problem; None when it is not in theme/."""
    theme = (root / THEME_DIR).resolve()
    places: list[tuple[str | None, int | None]] = []
    if isinstance(err, jinja2.TemplateSyntaxError):
        places.append((err.filename, err.lineno))
    places += [(f.filename, f.lineno) for f in traceback.extract_tb(err.__traceback__)]
    for filename, line in reversed(places):
        if filename and Path(filename).resolve().is_relative_to(theme):
            rel = Path(filename).resolve().relative_to(root.resolve()).as_posix()
            detail = (err.message or type(err).__name__).rstrip(".")
            what = "模板试图访问 Python 的内部属性，已禁止" if isinstance(err, SecurityError) else "模板错误"
            fix = "请改正这个模板；删除 theme/ 中的这个文件即恢复默认外观"
            return Problem(rel, line, "", f"{what}（Jinja：{detail}）", fix)
    return None


def _mkdocs_build(config: MkDocsConfig, dirty: bool, root: Path, plugin: GongkaiPlugin) -> None:
    """MkDocs' build, its failures as gongkai's errors (in the process where they happen: see split.py)."""
    try:
        mkdocs_build(config, dirty=dirty)
    except Abort as err:
        raise BuildFailed(f"生成网页时出现警告，已停止（{err}）。请按上面的提示修改。") from None
    except jinja2.TemplateError as err:
        problem = template_problem(err, root)
        if problem is None:
            raise  # a template of gongkai's own: an internal error
        raise SourceErrors([problem]) from None
    except RecursionError:
        page = plugin.current_page or "某个页面"
        raise SourceErrors(
            [
                Problem(
                    page, None, "", "正文的嵌套层数太多（引用、列表或强调符号套了几百层）", "请检查是否误粘贴了其他内容"
                )
            ]
        ) from None


@contextlib.contextmanager
def build_date_once() -> Iterator[str]:
    """MkDocs' ``Page`` reads the build date (``get_build_date``: SOURCE_DATE_EPOCH parsed, a datetime formatted)
    for every page (24 000 at county scale: 0.2 s a build): while MkDocs builds, it is made once. The
    same string: render_site pins SOURCE_DATE_EPOCH before, and nothing changes it during the build."""
    made = mkdocs_pages.get_build_date
    date = made()
    mkdocs_pages.get_build_date = lambda: date
    try:
        yield date
    finally:
        mkdocs_pages.get_build_date = made


def _not_mkdocs_page_errors(record: logging.LogRecord) -> bool:
    """MkDocs logs a failing page in English before re-raising; gongkai says it once, in Chinese. Its warning
    about a 'dirty' build is no warning here: gongkai decides page by page what is reused (write/reuse.py)."""
    return not str(record.msg).startswith(("Error building page", "A 'dirty' build"))


def render_site(
    root: Path,
    county: County,
    today: dt.date,
    site_dir: Path,
    guide: bool = False,
    reuse: Reuse | None = None,
    split: bool = False,
    links: Links | None = None,
    frozen: bool = False,
    ready: Callable[[], object] | None = None,
) -> SitePlan:
    """Build the web pages of ``county`` into ``site_dir`` with MkDocs (the clerks' 使用指南 too when
    ``guide``), linking from the published site what ``reuse`` finds unchanged; return the plan it used.
    ``split``: share the pages with a forked process (split.py; not under a preview's threads). ``links``:
    ``link(county, today)`` of this very county, when the caller has it (the check stage computed it). ``frozen``:
    the caller keeps what the collector froze out of its sight until after the stage (``gc.freeze``, then
    ``gc.unfreeze``): the plan, MkDocs' files and pages are frozen too once made (not under a long-lived preview,
    whose old pages would never be collected). ``ready``: called once the pages are planned and MkDocs has read its
    files, before anything is linked or written into ``site_dir`` (``gongkai serve`` waits there for the checks it
    ran meanwhile: their errors stop the rebuild with the staging directory as it was)."""
    build_log = logging.getLogger("mkdocs.commands.build")
    if _not_mkdocs_page_errors not in build_log.filters:
        build_log.addFilter(_not_mkdocs_page_errors)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    # MkDocs stamps sitemap dates from SOURCE_DATE_EPOCH: pin it to the build date.
    os.environ["SOURCE_DATE_EPOCH"] = str(
        int(dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC).timestamp())
    )
    try:
        config = load_config(str(root / CONFIG_FILE), site_dir=str(site_dir))
    except MkDocsException as err:
        raise BuildFailed(f"{CONFIG_FILE} 有误：{err}") from None
    plugin = config.plugins.get("gongkai")
    if not isinstance(plugin, GongkaiPlugin):
        raise BuildFailed(f"{CONFIG_FILE} 的 plugins 中缺少 gongkai，请加上「- gongkai」")
    plugin.county, plugin.today, plugin.guide, plugin.reuse, plugin.links = county, today, guide, reuse, links
    plugin.workers = 2 if split else 1
    plugin.freeze = frozen
    plugin.ready = ready
    # dirty: MkDocs skips the files reuse linked, and those the other process of a split writes
    try:
        with build_date_once():
            guarded(lambda: _mkdocs_build(config, reuse is not None or split, root, plugin), lambda: plugin.split)
        logging.getLogger(__name__).debug("site rendered into %s", site_dir)
        return plugin.plan
    finally:
        plugin.release()
