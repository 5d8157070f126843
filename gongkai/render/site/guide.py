"""The 使用指南's field reference, generated from the model's declarations so it cannot drift."""

from __future__ import annotations

from pathlib import Path

from ...model import (
    Abbreviation,
    Agency,
    AttachmentEntry,
    AnnualReport,
    ApplicationOffice,
    AuditEvidence,
    AuditRule,
    AuditRules,
    Catalog,
    CatalogRow,
    ColumnClass,
    ColumnDomain,
    CountyConfig,
    Document,
    Domain,
    EvidenceEntry,
    ImportMap,
    KindAlias,
    PageMeta,
    NumberPattern,
    PayoutList,
    PayoutRow,
    Phone,
    PublicNumber,
    PublicNumbers,
    RenamedBody,
    Town,
    Village,
    VillageItem,
    WorkItem,
)
from ...model.content import GENERATED_PAGES
from ...model.schema import Spec, specs
from .contexts import FieldRow, FieldsContext

KIND_NAMES = {
    "text": "文字", "date": "日期", "dates": "日期列表", "int": "整数", "number": "数字", "bool": "是/否", "list": "列表",
    "choice": "单选", "record": "若干键（缩进书写）", "records": "列表（每项若干键）", "path": "文件名",
    "url": "网址",
}

NAV_TITLE = "使用指南"
NAV: tuple[tuple[str | None, str], ...] = (
    (None, "guide/index.md"),
    ("源文件格式", "guide/fields/index.md"),
    ("村务公开和补贴公示", "guide/villages.md"),
    ("发布与托管", "guide/hosting.md"),
    ("个人信息保护和内容安全", "guide/privacy.md"),
    ("从旧网站迁移", "guide/migration.md"),
    ("自查报告", "guide/audit.md"),
)
"""The 使用指南's pages in navigation order (title None: the page's own heading)."""


def guide_nav(docs_dir: Path) -> dict[str, list[str | dict[str, str]]]:
    """The 使用指南 section of the navigation: its pages that exist (the field reference always does)."""
    pages = [path if title is None else {title: path} for title, path in NAV
             if (docs_dir / path).is_file() or path in GENERATED_PAGES]
    return {NAV_TITLE: pages}


# (heading, where the file lives, record class)
SECTIONS: tuple[tuple[str, str, type], ...] = (
    ("县级配置", "county.yml", CountyConfig),
    ("发布机构（county.yml 的「发布机构」各项）", "county.yml", Agency),
    ("电话（各文件的「电话」「公开电话」各项）", "county.yml、town.yml、village.yml、payouts/*.yml", Phone),
    ("领域", "catalog/domains.yml 的「领域」各项", Domain),
    ("领域目录文件", "catalog/<领域代码>.yml", Catalog),
    ("目录行（标准目录的一行）", "catalog/<领域代码>.yml 的「目录」各项", CatalogRow),
    ("文件（政府信息）", "content/documents/<年份>/<文件名>.md 开头的元数据", Document),
    ("附件（文件的「附件」各项）", "content/documents/ 中文件开头元数据的「附件」", AttachmentEntry),
    ("其他页面", "content/ 中 documents/ 以外的 .md 开头的元数据（可以不写）", PageMeta),
    ("乡镇", "villages/<乡镇代码>/town.yml", Town),
    ("村（居）", "villages/<乡镇代码>/<村代码>/village.yml", Village),
    ("村（居）公开事项目录的一行", "village.yml 的「公开事项目录」各项", VillageItem),
    ("补贴发放名单说明", "villages/<乡镇>/<村>/payouts/<名称>.yml", PayoutList),
    ("补贴发放名单的列（表头）", "villages/<乡镇>/<村>/payouts/<名称>.csv 或 .xlsx", PayoutRow),
    ("依申请公开（county.yml 的「依申请公开」）", "county.yml", ApplicationOffice),
    ("搜索缩略语（county.yml 的「搜索缩略语」各项）", "county.yml", Abbreviation),
    ("政府信息公开工作年度报告", "reports/<年度>.yml", AnnualReport),
    ("依法公开的号码", "public-numbers.yml（可选）", PublicNumbers),
    ("公开号码（public-numbers.yml 的「公开号码」各项）", "public-numbers.yml", PublicNumber),
    ("编号规则（public-numbers.yml 的「编号规则」各项）", "public-numbers.yml", NumberPattern),
    ("导入对照表", "import-map.yml（可选，只在导入旧网站数据时使用）", ImportMap),
    ("栏目对照（import-map.yml 的「栏目领域」各项）", "import-map.yml", ColumnDomain),
    ("组配分类对照（import-map.yml 的「组配分类对照」各项）", "import-map.yml", KindAlias),
    ("自查规则表", "audit-rules.yml（可选；gongkai 自带的表是 gongkai/audit/rules.yml）", AuditRules),
    ("指标（规则表的「指标」各项）", "audit-rules.yml", AuditRule),
    ("栏目类别（指标的「栏目类别」各项）", "audit-rules.yml", ColumnClass),
    ("机构更名（规则表的「机构更名」各项）", "audit-rules.yml", RenamedBody),
    ("工作内容（规则表的「工作内容」各项）", "audit-rules.yml", WorkItem),
    ("自查佐证材料", "audit-evidence.yml（可选）", AuditEvidence),
    ("佐证（audit-evidence.yml 的「佐证材料」各项）", "audit-evidence.yml", EvidenceEntry),
)


def fields_context() -> FieldsContext:
    """Every source format with each key's meaning, kind, example and allowed values."""
    sections = []
    for heading, where, cls in SECTIONS:
        rows = tuple(FieldRow(s.key, s.required, KIND_NAMES[s.kind], _doc(s), s.example, s.choices)
                     for _, s in specs(cls))
        sections.append((heading, where, rows))
    return FieldsContext(tuple(sections))


def _doc(field: Spec) -> str:
    """The field's sentence, and what its pattern allows."""
    return f"{field.doc}{field.pattern_doc}。" if field.pattern_doc else field.doc
