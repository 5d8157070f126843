"""Domains (领域) and the standard catalogue rows (基层政务公开标准目录) of each domain."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .origin import NOWHERE, Origin
from .schema import CODE, CODE_DOC, spec

CHANNELS = (
    "政府网站",
    "政府公报",
    "两微一端",
    "发布会/听证会",
    "广播电视",
    "纸质媒体",
    "公开查阅点",
    "政务服务中心",
    "便民服务站",
    "入户/现场",
    "社区/企事业单位/村公示栏（电子屏）",
    "精准推送",
    "12345政务服务热线",
    "其他",
)
AUDIENCES = ("全社会", "特定群体")
MODES = ("主动", "依申请")
LEVELS = ("县级", "乡级", "村级")
DEFAULT_DEADLINE = "信息形成或者变更之日起20个工作日内"


@dataclass(frozen=True, kw_only=True)
class Domain:
    """A disclosure domain; data, not an enum, because counties rename them."""

    code: str = spec(
        "代码", "小写拼音缩写，用作网址，定下后不要改。", example="snbt", pattern=CODE, pattern_doc=CODE_DOC
    )
    name: str = spec("名称", "领域名称。", example="涉农补贴")
    aliases: tuple[str, ...] = spec(
        "别名",
        "旧名或其他叫法，文件的「领域」写别名也可以。",
        kind="list",
        required=False,
        default=(),
        example="[惠农补贴]",
    )
    department: str | None = spec("主管部门", "省级主管部门。", required=False, example="省农业农村厅")
    origin: Origin = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, kw_only=True)
class CatalogRow:
    """One row of a domain's standard catalogue (ten columns, two header rows)."""

    number: str = spec("序号", "序号或事项编码。", example="1")
    item: str = spec("一级事项", "公开事项的一级事项。", example="农业生产发展资金")
    subitem: str | None = spec("二级事项", "公开事项的二级事项。", required=False, example="耕地地力保护")
    content: str = spec("公开内容", "公开内容（要素）。", example="政策依据、申请指南、补贴结果、监督渠道")
    basis: str = spec("公开依据", "法律法规和文件，带文号。", example="《中华人民共和国政府信息公开条例》")
    deadline: str = spec("公开时限", "公开时限。", required=False, default=DEFAULT_DEADLINE, example=DEFAULT_DEADLINE)
    body: str = spec("公开主体", "负责公开的单位。", example="县农业农村局")
    channels: tuple[str, ...] = spec(
        "公开渠道",
        "使用的公开渠道和载体，从固定词表中选。",
        kind="list",
        choices=CHANNELS,
        example="[政府网站, 社区/企事业单位/村公示栏（电子屏）]",
    )
    audience: str = spec("公开对象", "全社会 或 特定群体。", kind="choice", choices=AUDIENCES, example="全社会")
    mode: str = spec("公开方式", "主动 或 依申请。", kind="choice", choices=MODES, example="主动")
    levels: tuple[str, ...] = spec(
        "公开层级",
        "县级、乡级、村级中的一个或几个。",
        kind="list",
        choices=LEVELS,
        required=False,
        default=(),
        example="[县级]",
    )
    note: str | None = spec("备注", "备注。", required=False)
    origin: Origin = field(default=NOWHERE, compare=False)

    @property
    def title(self) -> str:
        """The item as one line: 一级事项 / 二级事项."""
        return f"{self.item} / {self.subitem}" if self.subitem else self.item


@dataclass(frozen=True, kw_only=True)
class Catalog:
    """A domain's catalogue file: which domain, then its rows."""

    domain: str = spec("领域", "领域代码或名称。", example="snbt")
    rows: tuple[CatalogRow, ...] = spec("目录", "目录各行。", kind="records", record=CatalogRow)
    since: dt.date | None = spec(
        "施行日期",
        "目录开始执行的日期；超过公开时限仍没有发布信息的事项会被提示。",
        kind="date",
        required=False,
        example="2026-01-01",
    )
    origin: Origin = field(default=NOWHERE, compare=False)
