"""The review workbook: every guess of an import with its reason, for the clerk to correct in Excel,
read back by the next import.

Sheets: 说明 (how to use it), 文件 (one line per export row: the file written, its bodies, 领域,
组配分类, 解读对象 — each with the reason — and its state), 发布机构 (every spelling met, the body it
was read as, and the 统一社会信用代码 to fill for new bodies), 号码 (every personal number found: row,
column, kind, the number masked, a masked glimpse of its text, and the choice 遮盖/公开 with a reason).
Only the white columns are read back; no full personal number is ever written here: every text cell goes
through the import's masking (``numbers.masked_text``).
"""

from __future__ import annotations

import io
from dataclasses import astuple, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem

DOCUMENTS, AGENCIES, NUMBERS, HELP = "文件", "发布机构", "号码", "说明"
DOCUMENT_COLUMNS = ("行", "标题", "文件", "状态", "发布机构", "联合发文机构", "发布机构依据", "领域", "领域依据",
                    "组配分类", "组配分类依据", "解读对象", "解读依据", "指纹")  # fmt: skip
OPTIONAL_COLUMNS = ("指纹", "同形序号")
UNMASKED = ("统一社会信用代码", "号码（已遮盖）", "指纹", "文件")
"""Columns written as they are; every other text cell goes through the same masking as the sources."""
"""Columns a workbook of an earlier version lacks; read as empty."""
DOCUMENT_EDITABLE = ("发布机构", "联合发文机构", "领域", "组配分类", "解读对象")
AGENCY_COLUMNS = ("导出写法", "机构名称", "统一社会信用代码", "行", "依据")
AGENCY_EDITABLE = ("机构名称", "统一社会信用代码")
NUMBER_COLUMNS = ("行", "列", "种类", "号码（已遮盖）", "上下文", "处理", "理由", "同形序号")
NUMBER_EDITABLE = ("处理", "理由")
HELP_LINES = (
    "这是 gongkai import documents 生成的导入核对表。每一项推断都写了依据，请逐项核对：",
    "1. 「文件」：领域、组配分类写「待定」的文件暂不发布，请改为正确的值；发布机构、解读对象也可以改。",
    "2. 「发布机构」：新机构请填写 18 位统一社会信用代码（填写前它的文件不分配索引号、暂不发布）；"
    "某种写法其实是另一个机构时，把「机构名称」改为 county.yml 中那个机构的名称。",
    "3. 「号码」：导入时发现的个人号码默认遮盖；确属依法公开的号码（如接种门诊的电话），"
    "把「处理」改为「公开」并写明理由，它会记入 public-numbers.yml。身份证号不能公开。",
    "只改白色的列，灰色的列由 gongkai 填写。改完保存，再运行一次同样的导入命令即可。",
)
_GREY = "DDDDDD"


@dataclass
class DocumentLine:
    """One export row: where it went and every guess about it."""

    row: int
    title: str
    path: str = ""
    status: str = ""
    agency: str = ""
    co_issuers: str = ""
    agency_reason: str = ""
    domain: str = ""
    domain_reason: str = ""
    kind: str = ""
    kind_reason: str = ""
    interprets: str = ""
    interprets_reason: str = ""
    fingerprint: str = ""
    """The export row's content digest (gongkai.migrate.match): how the next run finds the row again."""

    def cells(self) -> tuple[Any, ...]:
        """The line in DOCUMENT_COLUMNS order."""
        return astuple(self)


@dataclass
class AgencyLine:
    """One spelling of an issuing body met in the export."""

    spelling: str
    name: str
    credit_code: str = ""
    rows: str = ""
    reason: str = ""
    sheet_row: int | None = None
    """The line's row on the 发布机构 sheet, when read back (for messages)."""

    def cells(self) -> tuple[Any, ...]:
        """The line in AGENCY_COLUMNS order."""
        return astuple(self)[: len(AGENCY_COLUMNS)]


@dataclass
class NumberLine:
    """One personal number found in a cell of the export (masked) and the clerk's choice."""

    row: int
    column: str
    kind: str
    masked: str
    context: str = ""
    choice: str = "遮盖"
    reason: str = ""
    nth: int = 1
    """Which of the cell's numbers with this masked form (「同形序号」): two numbers can look alike masked."""

    def cells(self) -> tuple[Any, ...]:
        """The line in NUMBER_COLUMNS order."""
        return astuple(self)

    @property
    def key(self) -> tuple[int, str, str, int]:
        """(row, column, masked number, nth)."""
        return self.row, self.column, self.masked, self.nth


@dataclass
class Review:
    """The whole workbook."""

    documents: dict[int, DocumentLine] = field(default_factory=dict)
    agencies: dict[str, AgencyLine] = field(default_factory=dict)
    numbers: dict[tuple[int, str, str, int], NumberLine] = field(default_factory=dict)


def review_bytes(review: Review, domains: list[str], kinds: list[str]) -> bytes:
    """The workbook as XLSX bytes, editable columns white, with drop-down lists for 领域, 组配分类 and 处理."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    help_sheet = book.active
    assert help_sheet is not None
    help_sheet.title = HELP
    for line in HELP_LINES:
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 120
    grey = PatternFill("solid", fgColor=_GREY)
    documents = [review.documents[row].cells() for row in sorted(review.documents)]
    sheets = (
        (DOCUMENTS, DOCUMENT_COLUMNS, DOCUMENT_EDITABLE, documents),
        (AGENCIES, AGENCY_COLUMNS, AGENCY_EDITABLE, [a.cells() for a in review.agencies.values()]),
        (NUMBERS, NUMBER_COLUMNS, NUMBER_EDITABLE, [n.cells() for n in review.numbers.values()]),
    )  # fmt: skip
    for title, columns, editable, unmasked in sheets:
        rows = _masked(columns, unmasked)
        sheet = book.create_sheet(title)
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for values in rows:
            sheet.append(list(values))
        for index, name in enumerate(columns, start=1):
            letter = sheet.cell(1, index).column_letter
            sheet.column_dimensions[letter].width = 40 if "依据" in name or name in ("标题", "上下文") else 18
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if name not in editable:
                    cell.fill = grey
        sheet.freeze_panes = "A2"
        lists = {"领域": [*domains, "待定"], "组配分类": [*kinds, "待定"], "处理": ["遮盖", "公开"]}
        _choices(sheet, columns, rows, lists)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def _masked(columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Every text cell with every personal number masked — titles, spellings, reasons and glimpses alike —
    except the columns that hold no free text (a credit code, a number masked already, a digest)."""
    from .numbers import masked_text

    keep = {columns.index(c) for c in UNMASKED if c in columns}
    return [
        tuple(v if i in keep or not isinstance(v, str) else masked_text(v) for i, v in enumerate(row)) for row in rows
    ]


def _choices(sheet: Any, columns: tuple[str, ...], rows: list[Any], lists: dict[str, list[str]]) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    for name, values in lists.items():
        if name not in columns or not rows:
            continue
        letter = sheet.cell(1, columns.index(name) + 1).column_letter
        joined = ",".join(values)
        if len(joined) > 250:  # Excel's limit for a list written inline
            continue
        check = DataValidation(type="list", formula1=f'"{joined}"', allow_blank=True)
        check.add(f"{letter}2:{letter}{len(rows) + 1}")
        sheet.add_data_validation(check)


def read_review(path: Path, rel: str) -> tuple[Review, list[Problem]]:
    """The workbook as the clerk saved it; problems name the sheet, row and column."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # a damaged or non-XLSX file: the clerk is told, never a traceback
        message = f"无法读取核对表（{type(error).__name__}）"
        return Review(), [Problem(rel, None, "", message, "请用 Excel 另存为 .xlsx")]
    review, problems = Review(), []
    for title, columns in ((DOCUMENTS, DOCUMENT_COLUMNS), (AGENCIES, AGENCY_COLUMNS), (NUMBERS, NUMBER_COLUMNS)):
        if title not in book.sheetnames:
            problems.append(Problem(rel, None, title, f"缺少工作表「{title}」", "请用本次导入生成的核对表"))
            continue
        rows = list(book[title].iter_rows(values_only=True))
        header = [str(v or "").strip() for v in (rows[0] if rows else ())]
        missing = [c for c in columns if c not in header and c not in OPTIONAL_COLUMNS]
        if missing:
            problems.append(Problem(rel, 1, title, "缺少列：" + "、".join(missing), "请不要删改表头"))
            continue
        for number, values in enumerate(rows[1:], start=2):
            line = {c: _cell(values, header, c) for c in columns}
            if any(line.values()):
                problems += _take(review, title, line, rel, number)
    book.close()
    return review, problems + _formulas(path, rel)


def _formulas(path: Path, rel: str) -> list[Problem]:
    """Cells that hold a formula: the import reads values the clerk wrote, never what Excel computed."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=False)
    problems = []
    for title in (DOCUMENTS, AGENCIES, NUMBERS):
        if title not in book.sheetnames:
            continue
        rows = book[title].iter_rows(values_only=True)
        header = [str(v or "").strip() for v in next(rows, ())]
        for number, values in enumerate(rows, start=2):
            for column, value in zip(header, values, strict=False):
                if isinstance(value, str) and value.startswith("="):
                    problems.append(Problem(f"{rel}「{title}」", number, column, f"单元格是公式「{value[:40]}」",
                                            "请直接写值，不要用公式"))  # fmt: skip
    book.close()
    return problems


def _take(review: Review, title: str, line: dict[str, str], rel: str, number: int) -> list[Problem]:
    where = f"{rel}「{title}」"
    try:
        if title == DOCUMENTS:
            document = DocumentLine(int(line["行"]), *(line[c] for c in DOCUMENT_COLUMNS[1:]))
            review.documents[document.row] = document
        elif title == AGENCIES:
            spelling, name, code, rows, reason = (line[c] for c in AGENCY_COLUMNS)
            review.agencies[spelling] = AgencyLine(spelling, name, code, rows, reason, sheet_row=number)
        else:
            column, kind, masked, context, choice, reason = (line[c] for c in NUMBER_COLUMNS[1:-1])
            nth = int(line["同形序号"] or 1)
            found = NumberLine(int(line["行"]), column, kind, masked, context, choice, reason, nth)
            review.numbers[found.key] = found
    except ValueError:
        return [Problem(where, number, "行", f"「{line['行']}」不是行号", "请不要改动灰色的列")]
    return []


def _cell(values: tuple[Any, ...], header: list[str], column: str) -> str:
    at = header.index(column) if column in header else len(values)
    return _text(values[at]) if at < len(values) else ""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
