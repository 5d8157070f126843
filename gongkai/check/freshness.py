"""Freshness as inspections judge it (domain.md §7): the home page and the policy columns must update."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator

from ..errors import Problem
from ..load.documents import DOCUMENTS_DIR
from ..model import County, Document

HOME_DAYS = 14
COLUMN_DAYS = 183
COLUMNS = (("通知公告",), ("政策文件", "行政规范性文件"))


def check_freshness(county: County, today: dt.date) -> Iterator[Problem]:
    """Warn when the home page has nothing from the last two weeks, or a policy column from six months."""
    top, columns = _latest(county.documents, today)
    newest = top.published if top else None
    if newest is None or (today - newest).days > HOME_DAYS:
        since = f"（最新一条发布于 {newest}）" if newest else "（还没有任何信息）"
        yield Problem(
            DOCUMENTS_DIR,
            None,
            "",
            f"首页最近 {HOME_DAYS} 天没有新信息{since}",
            "请发布新信息：政府网站首页至少每两周更新一次",
            warning=True,
        )
    for kinds, shown in zip(COLUMNS, columns, strict=True):
        column = shown.published if shown else None
        if column is None or (today - column).days > COLUMN_DAYS:
            name = "、".join(kinds)
            yield Problem(
                DOCUMENTS_DIR,
                None,
                "",
                f"栏目「{name}」超过 6 个月没有更新（最新一条：{column or '无'}）",
                "请及时发布该栏目的信息：通知公告、政策文件栏目至少每半年更新一次",
                warning=True,
            )


def latest(documents: Iterable[Document], today: dt.date, kinds: Collection[str] | None = None) -> Document | None:
    """The newest document published by ``today`` (of these 组配分类, when given): what a column shows on top."""
    shown = [d for d in documents if d.published <= today and (kinds is None or d.kind in kinds)]
    return max(shown, key=lambda d: (d.published, d.slug), default=None)


def _latest(documents: Iterable[Document], today: dt.date) -> tuple[Document | None, list[Document | None]]:
    """``latest`` of every document and of each of ``COLUMNS``, in one pass (three cost 0.1 s at county scale)."""
    top: Document | None = None
    columns: list[Document | None] = [None] * len(COLUMNS)
    for doc in documents:
        if doc.published > today:
            continue
        if top is None or (doc.published, doc.slug) > (top.published, top.slug):
            top = doc
        for number, kinds in enumerate(COLUMNS):
            shown = columns[number]
            if doc.kind in kinds and (shown is None or (doc.published, doc.slug) > (shown.published, shown.slug)):
                columns[number] = doc
    return top, columns
