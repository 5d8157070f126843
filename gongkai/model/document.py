"""A published information item (政府信息): a Markdown file with its metadata block in front matter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import ClassVar

from .origin import NOWHERE, Origin
from .schema import spec

SUBJECTS = (
    "综合政务",
    "国民经济管理、国有资产监管",
    "财政、金融、审计",
    "国土资源、能源",
    "农业、林业、水利",
    "工业、交通",
    "商贸、海关、旅游",
    "市场监管、安全生产监管",
    "城乡建设、环境保护",
    "科技、教育",
    "文化、广电、新闻出版",
    "卫生、体育",
    "人口与计划生育、妇女儿童工作",
    "劳动、人事、监察",
    "公安、安全、司法",
    "民政、扶贫、救灾",
    "民族、宗教",
    "对外事务",
    "港澳台侨工作",
    "国防",
    "国务院组织机构",
    "其他",
)
VALIDITY = ("有效", "修改", "废止", "失效")
NORMATIVE_KIND = "行政规范性文件"
INTERPRETATION_KIND = "政策解读"
CONSULTATION_KIND = "意见征集"
POLICY_KINDS = ("政策文件", NORMATIVE_KIND)
PENDING = "待定"
"""The 领域 or 组配分类 of a document nobody has decided yet (an import's unsure row): it is held back from the
public site, with a warning, until the clerk writes a real one."""


@dataclass(frozen=True, kw_only=True)
class AttachmentEntry:
    """One item of a document's 附件: the file and the title readers see."""

    file: str = spec(
        "文件", "与本文件放在同一目录的附件文件名（PDF、Word、Excel、图片）。", example="sqb.docx"
    )  # a text: load/attachments.py checks the path, with the line of 附件 and an attachment's own words
    title: str | None = spec(
        "名称",
        "附件的标题，网页上作为下载链接的文字；不写则用文件名（去掉扩展名）。",
        required=False,
        example="青溪县农机购置补贴申请表",
    )
    origin: Origin = field(default=NOWHERE, compare=False)
    SHORTHAND: ClassVar[str] = "文件"
    """An item may be the file name alone: ``- sqb.docx``."""


@dataclass(frozen=True, kw_only=True)
class Attachment:
    """A file published with a document, found beside its source."""

    name: str
    """As written in 附件, relative to the document's folder."""
    title: str
    """What readers see: the 名称 given in 附件, else the file name without its extension."""
    kind: str
    """What readers see as its type: PDF, Word, Excel, 图片 …"""
    size: int
    source: str
    """Path relative to the project root."""

    @property
    def size_text(self) -> str:
        """The size as readers expect it: 356 KB, 1.2 MB."""
        if self.size < 1024 * 1024:
            return f"{max(1, round(self.size / 1024))} KB"
        return f"{self.size / 1024 / 1024:.1f} MB"


@dataclass(frozen=True, kw_only=True)
class Document:
    """One document page: the metadata block of the provincial standard plus a Markdown body."""

    title: str = spec("标题", "信息名称，即文件标题。", example="青溪县2025年耕地地力保护补贴实施方案")
    index_no: str | None = spec(
        "索引号",
        "索引号；新文件可以先不写，由 gongkai 按模板分配。",
        required=False,
        example="11341700MB1714830K/202503-00012",
    )
    doc_no: str = spec("文号", "发文字号，没有就写「无」。括号用〔〕。", example="青政办〔2025〕12号")
    agency: str = spec(
        "发布机构", "发布机构全称或简称，须在 county.yml 的「发布机构」中。", example="青溪县人民政府办公室"
    )
    co_issuers: tuple[str, ...] = spec(
        "联合发文机构",
        "联合发文时除「发布机构」（牵头机构，用它的统一社会信用代码生成索引号）以外的其他机构，写成列表。",
        kind="list",
        required=False,
        default=(),
        example="[青溪县财政局]",
    )
    written: dt.date = spec("成文日期", "成文（生成）日期，YYYY-MM-DD。", kind="date", example="2025-03-01")
    published: dt.date = spec("发布日期", "发布日期，YYYY-MM-DD。", kind="date", example="2025-03-05")
    domain: str = spec(
        "领域",
        f"领域代码或名称，见 catalog/domains.yml。写「{PENDING}」的文件暂不发布（导入时无法判断领域的文件）。",
        example="涉农补贴",
    )
    subject: str = spec("主题分类", "22 个主题大类之一，可写「大类\\小类」。", example="农业、林业、水利")
    kind: str = spec(
        "组配分类", f"组配分类（文种），见 county.yml。写「{PENDING}」的文件暂不发布。", example="政策文件"
    )
    keywords: tuple[str, ...] = spec(
        "关键词", "关键词列表。", kind="list", required=False, default=(), example="[耕地地力保护, 补贴]"
    )
    summary: str | None = spec(
        "内容概述", "100 字以内，不要照抄标题。", required=False, example="明确2025年补贴对象、标准和发放程序。"
    )
    validity: str = spec(
        "有效性",
        "有效、修改（已被修改，修改后继续有效）、废止或失效。",
        kind="choice",
        choices=VALIDITY,
        required=False,
        default="有效",
        example="有效",
    )
    interprets: str | None = spec(
        "解读对象",
        "政策解读所解读的文件的索引号；该文件还没有索引号时，写它的标题并加书名号，如「《青溪县耕地地力保护补贴实施办法》」。",
        required=False,
        example="11341700MB1714830K/202503-00012",
    )
    catalog_item: str | None = spec(
        "目录事项", "本文件属于本领域标准目录的哪一项：写序号或事项名称。", required=False, example="耕地地力保护"
    )
    attachments: tuple[AttachmentEntry, ...] = spec(
        "附件",
        "与本文件放在同一目录的附件：每项写文件名，或写「文件」和「名称」（网页上显示的标题）两个键。",
        kind="records",
        record=AttachmentEntry,
        required=False,
        default=(),
        example="[{文件: sqb.docx, 名称: 农机购置补贴申请表}]",
    )
    effective: dt.date | None = spec(
        "施行日期", "行政规范性文件的施行日期；不写则为发布日期。", kind="date", required=False, example="2025-04-01"
    )
    expires: dt.date | None = spec(
        "有效期至",
        "规范性文件的有效期；不写则按施行日期起 5 年（暂行、试行 2 年）计算。",
        kind="date",
        required=False,
        example="2030-03-31",
    )
    registration_no: str | None = spec(
        "统一登记号", "行政规范性文件的统一登记号。", required=False, example="QXDR-2025-0010001"
    )
    consult_start: dt.date | None = spec(
        "征集开始", "意见征集的开始日期。", kind="date", required=False, example="2026-11-01"
    )
    consult_end: dt.date | None = spec(
        "征集结束", "意见征集的截止日期。", kind="date", required=False, example="2026-11-30"
    )
    adoption: str | None = spec(
        "采纳情况",
        "意见征集结束后公布的意见采纳情况。",
        required=False,
        example="共收到意见 12 条，采纳 5 条，未采纳的已说明理由。",
    )
    files: tuple[Attachment, ...] = ()
    """The attachments, resolved and measured by the loader."""
    doc_no_raw: str = ""
    """The 文号 as the clerk wrote it, before brackets were normalised to 〔〕."""
    body: str = ""
    body_line: int = 0
    """The line of the source file where the body starts (0 when not read from a file)."""
    slug: str = ""
    """The document's path under content/ without '.md'; the page URL derives from it."""
    origin: Origin = field(default=NOWHERE, compare=False)

    @property
    def agencies(self) -> tuple[str, ...]:
        """Every issuing body: the 发布机构 first, then the 联合发文机构."""
        return (self.agency, *self.co_issuers)

    @property
    def is_normative(self) -> bool:
        """A 行政规范性文件."""
        return self.kind == NORMATIVE_KIND

    @property
    def is_consultation(self) -> bool:
        """A draft put out for public comment (意见征集)."""
        return self.kind == CONSULTATION_KIND

    @property
    def is_interpretation(self) -> bool:
        """A 政策解读 of another document."""
        return self.kind == INTERPRETATION_KIND
