"""The 政府信息公开工作年度报告 (annual report): its source record and its table formats, declared as data.

A report is one YAML file per year. Its text sections are ordinary fields; its tables (sections 二, 三
and 四) are written row by row, each row a list of numbers in column order. The shape of each table —
rows, columns, merged header cells and which cells are sums of which — is declared once below, per
format, and the loader, the arithmetic checks, the web page, the PDF and the 使用指南 all read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from .origin import NOWHERE, Origin
from .schema import spec

COUNT, SIGNED, AMOUNT = "count", "signed", "amount"
"""Cell kinds: a count (integer ≥ 0), a signed integer (本年增/减), an amount in 万元 (decimal ≥ 0)."""


@dataclass(frozen=True)
class Column:
    """A column of numbers; ``groups`` are the merged header cells above it, outermost first."""

    label: str
    groups: tuple[str, ...] = ()
    kind: str = COUNT
    name: str = ""
    """How error messages name the column; the label when empty."""

    @property
    def title(self) -> str:
        """The column's name in messages."""
        return self.name or self.label


@dataclass(frozen=True)
class Row:
    """A row of a table: its key in the YAML file, its printed label and the merged label cells to its left."""

    key: str
    label: str
    groups: tuple[str, ...] = ()
    name: str = ""
    """How error messages name the row; the label when empty."""

    @property
    def title(self) -> str:
        """The row's name in messages."""
        return self.name or self.label


@dataclass(frozen=True)
class Rule:
    """A cell that must equal the sum of ``plus`` less the sum of ``minus`` (row keys or column indexes).

    On rows, it holds in every column; on columns, in every row.
    """

    target: str | int
    plus: tuple[str, ...] | tuple[int, ...]
    minus: tuple[str, ...] | tuple[int, ...] = ()
    text: str = ""
    """The formula as the message shows it, e.g. 「一 + 二 − 四」."""


@dataclass(frozen=True)
class Table:
    """One printed table: caption, the corner cell, columns, rows and the sums that tie them."""

    caption: str
    corner: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    row_rules: tuple[Rule, ...] = ()
    column_rules: tuple[Rule, ...] = ()


@dataclass(frozen=True)
class Section:
    """A report section made of tables; ``key`` is its key in the YAML file."""

    number: str
    title: str
    key: str
    tables: tuple[Table, ...]

    @property
    def rows(self) -> tuple[Row, ...]:
        """Every row of every table, in order."""
        return tuple(row for table in self.tables for row in table.rows)


@dataclass(frozen=True)
class ReportFormat:
    """A national report format: its name (the 格式 key), its basis and its three table sections."""

    name: str
    basis: str
    sections: tuple[Section, ...]


# ── Section 二 ────────────────────────────────────────────────────────────────────────────────


def _info_table(caption: str, labels: tuple[str, ...], rows: tuple[str, ...], kinds: tuple[str, ...] = ()) -> Table:
    columns = tuple(Column(label, kind=kinds[i] if kinds else COUNT) for i, label in enumerate(labels))
    return Table(caption, "信息内容", columns, tuple(Row(key, key) for key in rows))


ACTIVE_2021 = Section(
    "二",
    "主动公开政府信息情况",
    "主动公开情况",
    (
        _info_table("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"), ("规章", "行政规范性文件")),
        _info_table("第二十条第（五）项", ("本年处理决定数量",), ("行政许可",)),
        _info_table("第二十条第（六）项", ("本年处理决定数量",), ("行政处罚", "行政强制")),
        _info_table("第二十条第（八）项", ("本年收费金额（单位：万元）",), ("行政事业性收费",), (AMOUNT,)),
    ),
)

ACTIVE_2019 = Section(
    "二",
    "主动公开政府信息情况",
    "主动公开情况",
    (
        _info_table(
            "第二十条第（一）项", ("本年新制作数量", "本年新公开数量", "对外公开总数量"), ("规章", "规范性文件")
        ),
        _info_table(
            "第二十条第（五）项",
            ("上一年项目数量", "本年增/减", "处理决定数量"),
            ("行政许可", "其他对外管理服务事项"),
            (COUNT, SIGNED, COUNT),
        ),
        _info_table(
            "第二十条第（六）项",
            ("上一年项目数量", "本年增/减", "处理决定数量"),
            ("行政处罚", "行政强制"),
            (COUNT, SIGNED, COUNT),
        ),
        _info_table("第二十条第（八）项", ("上一年项目数量", "本年增/减"), ("行政事业性收费",), (COUNT, SIGNED)),
        _info_table("第二十条第（九）项", ("采购项目数量", "采购总金额"), ("政府集中采购",), (COUNT, AMOUNT)),
    ),
)

# ── Section 三 ────────────────────────────────────────────────────────────────────────────────

_APPLICANTS = ("申请人情况",)
_BODIES = ("申请人情况", "法人或其他组织")
APPLICANT_COLUMNS = (
    Column("自然人", _APPLICANTS),
    *(Column(label, _BODIES) for label in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")),
    Column("总计", _APPLICANTS),
)
_COLUMN_TOTAL = Rule(6, (0, 1, 2, 3, 4, 5), text="自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他六列之和")
_RESULTS = "三、本年度办理结果"
_WITHHELD = (
    ("国家秘密", "1．属于国家秘密"),
    ("法律法规禁止", "2．其他法律行政法规禁止公开"),
    ("三安全一稳定", "3．危及“三安全一稳定”"),
    ("第三方权益", "4．保护第三方合法权益"),
    ("内部事务", "5．属于三类内部事务信息"),
    ("过程性信息", "6．属于四类过程性信息"),
    ("执法案卷", "7．属于行政执法案卷"),
    ("行政查询", "8．属于行政查询事项"),
)
_UNAVAILABLE = (
    ("不掌握", "1．本机关不掌握相关政府信息"),
    ("需另行制作", "2．没有现成信息需要另行制作"),
    ("补正后不明确", "3．补正后申请内容仍不明确"),
)
_NOT_HANDLED = (
    ("信访举报投诉", "1．信访举报投诉类申请"),
    ("重复申请", "2．重复申请"),
    ("公开出版物", "3．要求提供公开出版物"),
    ("大量反复申请", "4．无正当理由大量反复申请"),
    ("确认或重新出具", "5．要求行政机关确认或重新出具已获取信息"),
)
_OTHER_2021 = (
    ("逾期不补正", "1．申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("逾期不缴费", "2．申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("其他", "3．其他"),
)


def _group(heading: str, items: tuple[tuple[str, str], ...]) -> tuple[Row, ...]:
    return tuple(Row(key, label, (_RESULTS, heading), f"{heading}·{label}") for key, label in items)


def _applications(other: tuple[Row, ...]) -> Section:
    results = (
        Row("予以公开", "（一）予以公开", (_RESULTS,)),
        Row("部分公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", (_RESULTS,), "（二）部分公开"),
        *_group("（三）不予公开", _WITHHELD),
        *_group("（四）无法提供", _UNAVAILABLE),
        *_group("（五）不予处理", _NOT_HANDLED),
        *other,
    )
    rows = (
        Row("本年新收", "一、本年新收政府信息公开申请数量", name="一、本年新收"),
        Row("上年结转", "二、上年结转政府信息公开申请数量", name="二、上年结转"),
        *results,
        Row("总计", "（七）总计", (_RESULTS,)),
        Row("结转下年度", "四、结转下年度继续办理"),
    )
    row_rules = (
        Rule("总计", tuple(r.key for r in results), text="（一）至（六）各项之和"),
        Rule("总计", ("本年新收", "上年结转"), ("结转下年度",), "一 + 二 − 四"),
    )
    corner = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    table = Table("", corner, APPLICANT_COLUMNS, rows, row_rules, (_COLUMN_TOTAL,))
    return Section("三", "收到和处理政府信息公开申请情况", "申请情况", (table,))


APPLICATIONS_2021 = _applications(_group("（六）其他处理", _OTHER_2021))
APPLICATIONS_2019 = _applications((Row("其他处理", "（六）其他处理", (_RESULTS,)),))

# ── Section 四 ────────────────────────────────────────────────────────────────────────────────

_OUTCOMES = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def _outcomes(groups: tuple[str, ...]) -> tuple[Column, ...]:
    return tuple(Column(label, groups, name="·".join((*groups, label))) for label in _OUTCOMES)


REVIEWS = Section(
    "四",
    "政府信息公开行政复议、行政诉讼情况",
    "复议诉讼情况",
    (
        Table(
            "",
            "",
            (
                *_outcomes(("行政复议",)),
                *_outcomes(("行政诉讼", "未经复议直接起诉")),
                *_outcomes(("行政诉讼", "复议后起诉")),
            ),
            (Row("件数", ""),),
            column_rules=tuple(
                Rule(start + 4, tuple(range(start, start + 4)), text="结果维持 + 结果纠正 + 其他结果 + 尚未审结")
                for start in (0, 5, 10)
            ),
        ),
    ),
)

FORMATS = {
    "2021": ReportFormat("2021", "国办公开办函〔2021〕30号", (ACTIVE_2021, APPLICATIONS_2021, REVIEWS)),
    "2019": ReportFormat("2019", "国办公开办函〔2019〕60号", (ACTIVE_2019, APPLICATIONS_2019, REVIEWS)),
}
"""The report formats by the value of the 格式 key."""

TEXT_SECTIONS = (
    ("一", "总体情况", "overview"),
    ("五", "存在的主要问题及改进情况", "problems"),
    ("六", "其他需要报告的事项", "other"),
)
"""The text sections: number, heading and the AnnualReport attribute that holds the text."""


@dataclass(frozen=True)
class TableRow:
    """One row of numbers as the YAML file gives it, with its line for messages."""

    key: str
    values: tuple[int | Decimal, ...]
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class SectionNumbers:
    """The rows of one table section (二, 三 or 四) as written."""

    key: str
    rows: tuple[TableRow, ...]
    line: int | None = field(default=None, compare=False)

    def row(self, key: str) -> TableRow:
        """The row with this key (the loader guarantees every declared row is present)."""
        return next(row for row in self.rows if row.key == key)


@dataclass(frozen=True, kw_only=True)
class AnnualReport:
    """One year's 政府信息公开工作年度报告, read from ``reports/<年度>.yml``."""

    year: int = spec("年度", "报告的年度（报告的是哪一年的工作）。", kind="int", example="2025")
    format: str = spec(
        "格式",
        "年报格式：2021 为国办公开办函〔2021〕30号的现行格式，2019 为国办公开办函〔2019〕60号的试行格式（旧年报）。",
        kind="choice",
        choices=tuple(FORMATS),
        example="2021",
    )
    published: dt.date = spec("发布日期", "报告的发布日期。", kind="date", example="2026-01-20")
    title: str | None = spec(
        "标题",
        "报告标题；不写则为「<县名>人民政府<年度>年政府信息公开工作年度报告」。",
        required=False,
        example="青溪县人民政府2025年政府信息公开工作年度报告",
    )
    preface: str | None = spec(
        "前言", "标题下、第一部分前的说明（编制依据、数据统计期限、获取方式）。", required=False, example="本报告……"
    )
    overview: str = spec("总体情况", "第一部分正文；段落之间空一行。", example="|\n  2025年，……")
    problems: str = spec("存在的主要问题及改进情况", "第五部分正文。", example="|\n  一是……")
    other: str = spec(
        "其他需要报告的事项", "第六部分正文（含收取信息处理费的情况）。", example="本年度未收取信息处理费。"
    )
    active: SectionNumbers | None = spec(
        "主动公开情况",
        "第二部分的表格（必填）：每行一个键（如「行政许可」），值为该行各列的数，按表中列的顺序写成 [数, 数, …]。",
        kind="list",
        required=False,
        example="{规章: [0, 0, 0], 行政规范性文件: [6, 2, 31], …}",
    )
    applications: SectionNumbers | None = spec(
        "申请情况",
        "第三部分的表格（必填）：每行一个键（如「本年新收」），值为 7 个数：自然人、商业企业、科研机构、"
        "社会公益组织、法律服务机构、其他、总计。",
        kind="list",
        required=False,
        example="{本年新收: [38, 4, 0, 1, 0, 2, 45], …}",
    )
    reviews: SectionNumbers | None = spec(
        "复议诉讼情况",
        "第四部分的表格（必填）：一个键「件数」，值为 15 个数：行政复议、未经复议直接起诉、复议后起诉"
        "各 5 个（结果维持、结果纠正、其他结果、尚未审结、总计）。",
        kind="list",
        required=False,
        example="{件数: [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]}",
    )
    origin: Origin = field(default=NOWHERE, compare=False)

    @property
    def report_format(self) -> ReportFormat:
        """The declared format of this report."""
        return FORMATS[self.format]

    def section_numbers(self, section: Section) -> SectionNumbers:
        """The numbers of one table section (the loader refuses a report without them)."""
        numbers = {"主动公开情况": self.active, "申请情况": self.applications, "复议诉讼情况": self.reviews}[
            section.key
        ]
        assert numbers is not None, section.key
        return numbers

    def heading(self, county: str) -> str:
        """The report's title."""
        return self.title or f"{county}人民政府{self.year}年政府信息公开工作年度报告"
