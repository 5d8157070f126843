"""Rendering of the web site: plan the pages from the model, then let MkDocs write them."""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, MkDocsException

from ...errors import BuildFailed
from ...model import County
from .plan import SitePlan, plan_site
from .plugin import GongkaiPlugin

__all__ = ["SitePlan", "plan_site", "render_site"]
CONFIG_FILE = "mkdocs.yml"


def render_site(root: Path, county: County, today: dt.date, site_dir: Path) -> SitePlan:
    """Build the web pages of ``county`` into ``site_dir`` with MkDocs; return the plan it used."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    # MkDocs stamps sitemap dates from SOURCE_DATE_EPOCH: pin it to the build date.
    os.environ["SOURCE_DATE_EPOCH"] = str(int(dt.datetime(today.year, today.month, today.day,
                                                          tzinfo=dt.UTC).timestamp()))
    try:
        config = load_config(str(root / CONFIG_FILE), site_dir=str(site_dir))
    except MkDocsException as err:
        raise BuildFailed(f"{CONFIG_FILE} 有误：{err}") from None
    plugin = config.plugins.get("gongkai")
    if not isinstance(plugin, GongkaiPlugin):
        raise BuildFailed(f"{CONFIG_FILE} 的 plugins 中缺少 gongkai，请加上「- gongkai」")
    plugin.county, plugin.today, plugin.driven = county, today, True
    try:
        mkdocs_build(config)
    except Abort as err:
        raise BuildFailed(f"生成网页时出现警告，已停止（{err}）。请按上面的提示修改。") from None
    logging.getLogger(__name__).debug("site rendered into %s", site_dir)
    return plugin.plan
