"""The self-inspection (`gongkai audit`): its rules table, the 附件1 work items and the county's evidence, as data.

gongkai ships one dated table (gongkai/audit/rules.yml) with every indicator a static site can check, each with
its source document; a province or county adjusts it in ``audit-rules.yml`` (same keys). Work no software can
judge (meetings, training) is recorded by the county in ``audit-evidence.yml``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .origin import NOWHERE, Origin
from .schema import CODE, CODE_DOC, spec

COUNTY_RULES = "audit-rules.yml"
"""The county's adjustments of the rules table, at the project root."""
EVIDENCE_FILE = "audit-evidence.yml"
"""The county's evidence for the work items no software can judge, at the project root."""

VETO = "单项否决"
DEDUCT = "扣分"
GROUPS = (VETO, DEDUCT)

WORK_AREAS = ("组织推进", "条例贯彻", "标准指引", "解读回应", "机制完善", "平台建设", "直达村居", "开拓创新")
"""The eight areas of the provincial action's 工作内容表 (附件1), in its order."""
SOFTWARE = "软件检查"
EVIDENCE = "佐证材料"
WAYS = (SOFTWARE, EVIDENCE)


@dataclass(frozen=True, kw_only=True)
class ColumnClass:
    """A class of columns that must update within so many days (动态要闻类, 通知公告/政策文件类 …)."""

    name: str = spec("名称", "栏目类别的名称。", example="动态要闻类")
    kinds: tuple[str, ...] = spec("组配分类", "属于这一类的栏目（组配分类）。", kind="list", example="[工作动态]")
    days: int = spec("天数", "超过这么多天没有新信息，栏目即算不更新。", kind="int", example="14")
    origin: Origin = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, kw_only=True)
class AuditRule:
    """One indicator: what is checked, the threshold, and the document that sets it."""

    code: str = spec(
        "编号", "指标编号，gongkai 按编号找到检查方法；不要改。", example="lmbgx", pattern=CODE, pattern_doc=CODE_DOC
    )
    name: str = spec("指标", "指标名称，报告中的一行。", example="栏目不更新")
    group: str = spec("类别", "单项否决或扣分。", kind="choice", choices=GROUPS, example=VETO)
    rule: str = spec(
        "规则", "报告中写出的检查规则。", example="动态要闻类栏目 2 周、通知公告和政策文件类栏目 6 个月未更新"
    )
    days: int | None = spec("天数", "时限（天），用于更新和回应类指标。", kind="int", required=False, example="14")
    limit: int | None = spec(
        "允许数",
        "问题数达到这个数即不合格；不写则为 1（有一处问题即不合格）。",
        kind="int",
        required=False,
        example="5",
    )
    ratio: int | None = spec(
        "比例", "合格所需的最低百分比（0–100），用于比例类指标。", kind="int", required=False, example="100"
    )
    kinds: tuple[str, ...] = spec(
        "组配分类", "指标涉及的组配分类（栏目）。", kind="list", required=False, default=(), example="[政策文件]"
    )
    columns: tuple[ColumnClass, ...] = spec(
        "栏目类别", "栏目不更新指标的各类栏目及其时限。", kind="records", record=ColumnClass, required=False, default=()
    )
    basis: str = spec(
        "依据", "规定这个指标的文件（名称和文号）。", example="《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）"
    )
    enabled: bool = spec(
        "启用",
        "写「否」则报告中不检查这个指标（注明已停用）。",
        kind="bool",
        required=False,
        default=True,
        example="否",
    )
    origin: Origin = field(default=NOWHERE, compare=False)

    @property
    def allowed(self) -> int:
        """The number of problems at which the indicator fails."""
        return self.limit if self.limit is not None else 1


@dataclass(frozen=True, kw_only=True)
class RenamedBody:
    """An organisation name abolished by an institutional reform, and the name that replaced it."""

    old: str = spec("旧名称", "已撤销机构的名称（不含县名），现行有效的文件中不应再出现。", example="国土资源局")
    new: str = spec("新名称", "改革后的机构名称。", example="自然资源局")
    since: dt.date = spec(
        "日期", "改革生效的日期：此后发布的现行有效文件中出现旧名称才报告。", kind="date", example="2019-03-01"
    )
    basis: str = spec("依据", "撤销或更名的依据文件。", example="《深化党和国家机构改革方案》（2018年3月）")
    origin: Origin = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, kw_only=True)
class WorkItem:
    """One line of the 工作内容表: what the county must do, and how the report shows it is done."""

    code: str = spec(
        "编号",
        "工作内容的编号，佐证材料按编号对应；软件检查的编号不要改。",
        example="zzjs-hy",
        pattern=CODE,
        pattern_doc=CODE_DOC,
    )
    area: str = spec("工作项", "工作内容表的八项之一。", kind="choice", choices=WORK_AREAS, example="组织推进")
    task: str = spec("工作内容", "报告中的一行。", example="召开政务公开工作领导小组会议，研究部署提升行动")
    way: str = spec(
        "方式",
        "软件检查（gongkai 从源文件和网站判断）或佐证材料（县里在 audit-evidence.yml 中登记）。",
        kind="choice",
        choices=WAYS,
        example=EVIDENCE,
    )
    basis: str = spec("依据", "规定这项工作的文件。", example="《安徽省基层政务公开提升行动工作内容表》（附件1）")
    origin: Origin = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, kw_only=True)
class AuditRules:
    """The whole rules table: gongkai/audit/rules.yml, and the county's audit-rules.yml in the same shape."""

    dated: dt.date = spec(
        "版本日期", "这张表的日期（据以编制的文件的日期或调整的日期）。", kind="date", example="2026-12-01"
    )
    basis: str = spec("依据", "这张表依据的文件。", example="《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）")
    rules: tuple[AuditRule, ...] = spec(
        "指标",
        "各项指标；本县文件中写的指标按编号整条替换自带的同编号指标。",
        kind="records",
        record=AuditRule,
        required=False,
        default=(),
    )
    renamed: tuple[RenamedBody, ...] = spec(
        "机构更名",
        "已撤销或更名的机构；本县文件中写的按旧名称替换或增加。",
        kind="records",
        record=RenamedBody,
        required=False,
        default=(),
    )
    work: tuple[WorkItem, ...] = spec(
        "工作内容",
        "工作内容表的各项；本县文件中写的按编号整条替换或增加。",
        kind="records",
        record=WorkItem,
        required=False,
        default=(),
    )
    places: tuple[str, ...] = spec(
        "另有地名",
        "与本县县名、乡镇名、村名只差一个字、但确实存在的其他地名（如邻县），严重错误检查不报告它们。",
        kind="list",
        required=False,
        default=(),
        example="[青阳县, 城官镇]",
    )
    origin: Origin = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, kw_only=True)
class EvidenceEntry:
    """One piece of evidence for a work item no software can judge: a meeting, a training, a notice."""

    work: str = spec("编号", "工作内容的编号（见自查报告或使用指南中的工作内容表）。", example="zzjs-hy")
    date: dt.date = spec("日期", "开展的日期。", kind="date", example="2026-03-15")
    what: str = spec("内容", "做了什么。", example="县政务公开工作领导小组 2026 年第一次会议")
    link: str | None = spec(
        "链接",
        "佐证的网址或项目中的文件路径（会议纪要、通知、照片）。",
        required=False,
        example="content/documents/2026/2026-0315-zfb-001.md",
    )
    origin: Origin = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, kw_only=True)
class AuditEvidence:
    """The whole of ``audit-evidence.yml``: the county's evidence for the work items, by 编号."""

    entries: tuple[EvidenceEntry, ...] = spec(
        "佐证材料", "每项一次活动或一份材料。", kind="records", record=EvidenceEntry, required=False, default=()
    )
    origin: Origin = field(default=NOWHERE, compare=False)
