"""A county's own tables for importing a legacy export (import-map.yml, optional): they come before any guess."""

from __future__ import annotations

from dataclasses import dataclass, field

from .origin import NOWHERE, Origin
from .schema import spec


@dataclass(frozen=True, kw_only=True)
class ColumnDomain:
    """One line of the 栏目 → 领域 table."""

    column: str = spec("栏目", "旧网站导出表「栏目」或「信息类别」列中的写法。", example="惠民政策")
    domain: str = spec("领域", "这个栏目的文件都属于的领域（代码或名称）。", example="涉农补贴")
    origin: Origin = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, kw_only=True)
class KindAlias:
    """One line of the county's 组配分类 table."""

    name: str = spec("写法", "旧网站导出表「信息类别」列中的写法。", example="公示公告栏")
    kind: str = spec("组配分类", "对应的组配分类（须在 county.yml 的组配分类中）。", example="公示公告")
    origin: Origin = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, kw_only=True)
class ImportMap:
    """The whole of ``import-map.yml``: what the county's old CMS called things."""

    columns: tuple[ColumnDomain, ...] = spec(
        "栏目领域",
        "栏目对照表：导入时先查这个表，栏目在表中的行直接用表中的领域，不再推断。",
        kind="records",
        record=ColumnDomain,
        required=False,
        default=(),
    )
    kinds: tuple[KindAlias, ...] = spec(
        "组配分类对照",
        "本县旧网站信息类别的写法与组配分类的对照，先于 gongkai 自带的对照表。",
        kind="records",
        record=KindAlias,
        required=False,
        default=(),
    )
    origin: Origin = field(default=NOWHERE, compare=False)
