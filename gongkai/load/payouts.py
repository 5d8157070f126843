"""Read a payout list as a clerk has it (CSV or XLSX, Chinese headers), mask it, check it, split it by village.

Personal numbers are masked the moment a cell is read, so no raw ID, bank or phone number is kept
in a row, a problem message or a written file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..guard.normalise import fold
from ..model import Town, Village
from .masking import mask_bank, mask_id, mask_phone

ALIASES: dict[str, tuple[str, ...]] = {
    "户主姓名": ("户主姓名", "姓名", "户主", "户主名称"),
    "村民小组": ("村民小组", "组别", "组", "村民组", "居民小组"),
    "身份证号": ("身份证号", "身份证号码", "证件号码", "身份证"),
    "银行卡号": ("银行卡号", "卡号", "账号", "一卡通账号", "银行账号", "社保卡号"),
    "联系电话": ("联系电话", "手机号", "手机号码", "电话"),
    "数量": ("数量", "补贴面积", "面积", "补贴数量", "人数"),
    "标准": ("标准", "补贴标准", "单价"),
    "金额": ("金额", "补贴金额", "发放金额"),
    "发放日期": ("发放日期", "发放时间"),
    "备注": ("备注",),
}
"""Each PayoutRow key and the headers clerks use for it (compared without spaces and units in brackets)."""
VILLAGE_HEADERS = ("村", "村(居)", "村居", "行政村", "村名", "所在村", "村(社区)", "社区")
VILLAGE = "村"
TOWN_HEADERS = ("乡镇", "乡镇(街道)", "乡镇街道", "镇", "乡", "街道", "镇(街道)", "所在乡镇", "乡镇名称")
TOWN = "乡镇"
TOTAL = re.compile(r"^(合计|小计|总计)([:：（(].*)?$")
"""A total row's word, wherever the export put it (序号, 户主姓名 …), with or without 「：」 or a note."""
FOOTER = re.compile(
    r"^(制表人|制表|审核人|审核|负责人|单位负责人|填报人|填表人|经办人|制表日期|填报日期|填表日期|日期)[:：]"
)
"""The signature lines under a table: 「制表人：… 审核人：…」, 「填报日期：…」."""
SUMMED = ("数量", "金额")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
REQUIRED = ("户主姓名", "金额")
MASKS = {"身份证号": mask_id, "银行卡号": mask_bank, "联系电话": mask_phone}
CENT = Decimal("0.01")
_UNIT = re.compile(r"[（(][^）)]*[）)]$")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


class PayoutReadError(Exception):
    """The file cannot be read as a payout table at all; carries the problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class PayoutTable:
    """What the importer takes: masked rows (PayoutRow keys, source row number) by village, and refusals."""

    rows: dict[Village, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    refused: list[Problem] = field(default_factory=list)


def read_payouts(
    path: Path,
    villages: Sequence[Village],
    *,
    village: Village | None = None,
    sheet: str | None = None,
    towns: Sequence[Town] = (),
) -> PayoutTable:
    """The masked rows of a payout file, by village; raises PayoutReadError if it cannot be read.

    Blank rows and footers (制表人：…, a date alone) are skipped; 合计/小计/总计 rows are not
    imported but their numbers are checked against the rows above them.
    """
    cells = read_cells(path, sheet)
    index, columns = find_header(cells, path.name)
    place = Place(path.name, cells[index][1], columns, path.suffix.lower() != ".csv")
    result = PayoutTable()
    seen: dict[tuple[Village, str, str], int] = {}
    sums = Sums()
    for number, cells_of_row in cells[index + 1 :]:
        values = {key: cells_of_row[i] if i < len(cells_of_row) else "" for key, i in columns.items()}
        texts = [_compact(c) for c in cells_of_row]
        if not any(texts) or _footer(texts, values):
            continue
        word = _total_word(texts, values)
        if word is not None:
            result.refused += sums.check(word, values, place, number)
            continue
        row, problems = convert_row(values, path.name, number, place)
        sums.add(values)
        target, found = _village_of(values, village, villages, path.name, number, VILLAGE in columns, towns)
        problems += found
        if target is not None and row is not None:
            problems += _duplicate(row, target, seen, path.name, number, place.field("户主姓名"))
        if problems or row is None or target is None:
            result.refused.extend(problems)
            continue
        result.rows.setdefault(target, []).append((number, row))
    return result


@dataclass(frozen=True)
class Place:
    """Where a file's cells are, to name them in a message: the file's own headings, and Excel's cell names."""

    file: str
    headings: list[Any]
    columns: dict[str, int]
    excel: bool

    def field(self, key: str) -> str:
        """The column as the file heads it: 「身份证号码」 rather than our 身份证号."""
        index = self.columns.get(key)
        return key if index is None else str(self.headings[index]).strip() or key

    def cell(self, key: str, row: int) -> str:
        """「单元格 K8：」 for an Excel file, "" for a CSV (its row number is enough)."""
        index = self.columns.get(key)
        return "" if not self.excel or index is None else f"单元格 {_letters(index)}{row}："


def _letters(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _compact(cell: Any) -> str:
    return re.sub(r"[\s\u3000]+", "", str(cell)) if cell is not None else ""


def _total_word(texts: list[str], values: dict[str, Any]) -> str | None:
    """合计, 小计 or 总计 when the row is a total row: the word in any cell, and no household named."""
    name = _compact(values.get("户主姓名", ""))
    for text in texts:
        match = TOTAL.match(text)
        if match and (not name or name == text):
            return match.group(1)
    return None


def _footer(texts: list[str], values: dict[str, Any]) -> bool:
    """A signature line (制表人：…) or a date alone under the table, with no household named."""
    name = _compact(values.get("户主姓名", ""))
    filled = [t for t in texts if t]
    if any(FOOTER.match(t) for t in filled) and (not name or FOOTER.match(name)):
        return True
    if len(filled) == 1 and not name and not _compact(values.get("金额", "")):
        try:
            date(filled[0])
        except ValueError:
            return False
        return True
    return False


class Sums:
    """The running sums of the number columns: over the whole file, and since the last 小计."""

    def __init__(self) -> None:
        self.whole = dict.fromkeys(SUMMED, Decimal(0))
        self.part = dict.fromkeys(SUMMED, Decimal(0))

    def add(self, values: dict[str, Any]) -> None:
        for key in SUMMED:
            try:
                value = number(values[key]) if key in values and not _blank(values[key]) else Decimal(0)
            except ValueError:
                continue
            self.whole[key] += value
            self.part[key] += value

    def check(self, word: str, values: dict[str, Any], place: Place, row: int) -> list[Problem]:
        """A total row's numbers against the rows above it (小计: since the last 小计; 合计, 总计: all)."""
        sums = self.part if word == "小计" else self.whole
        problems = []
        for key in SUMMED:
            if key not in values or _blank(values[key]):
                continue
            label = place.field(key)
            try:
                given = number(values[key])
            except ValueError:
                problems.append(
                    Problem(
                        place.file,
                        row,
                        label,
                        f"{place.cell(key, row)}{word}行的「{_compact(values[key])}」不是数字",
                        "请核对这一格",
                    )
                )
                continue
            if given.quantize(CENT, ROUND_HALF_UP) != sums[key].quantize(CENT, ROUND_HALF_UP):
                message = (
                    f"{place.cell(key, row)}{word}行的{label}是 {_plain(given)}，上面各行相加是 {_plain(sums[key])}"
                )
                problems.append(Problem(place.file, row, label, message, f"请核对{word}行和上面各行的{label}"))
        if word == "小计":
            self.part = dict.fromkeys(SUMMED, Decimal(0))
        return problems


def _plain(value: Decimal) -> str:
    return f"{value.quantize(CENT, ROUND_HALF_UP):,.2f}"


def read_cells(path: Path, sheet: str | None = None) -> list[tuple[int, list[Any]]]:
    """Every row of a CSV or XLSX file with its row number; merged XLSX cells repeat their value."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_cells(path)
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_cells(path, sheet)
    raise PayoutReadError(Problem(path.name, None, "", f"不支持的表格格式「{path.suffix}」", "请另存为 .csv 或 .xlsx"))


def decode(data: bytes) -> str | None:
    """Strict UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK, as Excel saves in China)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _csv_cells(path: Path) -> list[tuple[int, list[Any]]]:
    text = decode(path.read_bytes())
    if text is None:
        raise PayoutReadError(
            Problem(
                path.name,
                None,
                "",
                "无法识别文件编码（既不是 UTF-8，也不是 GBK/GB18030）",
                "请在 Excel 中另存为「CSV UTF-8」或 .xlsx",
            )
        )
    return list(enumerate(csv.reader(io.StringIO(text)), start=1))


def _xlsx_cells(path: Path, sheet: str | None) -> list[tuple[int, list[Any]]]:
    import openpyxl  # slow to import; only tables need it

    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged file
        raise PayoutReadError(
            Problem(
                path.name, None, "", f"无法打开 Excel 文件（{type(err).__name__}）", "请用 Excel 打开后重新保存为 .xlsx"
            )
        ) from None
    if sheet is not None and sheet not in book.sheetnames:
        names = "、".join(book.sheetnames)
        raise PayoutReadError(Problem(path.name, None, "", f"没有名为「{sheet}」的工作表", f"可用的工作表：{names}"))
    ws = book[sheet] if sheet else book.worksheets[0]
    grid = [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        value = grid[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, merged.max_row):
            for c in range(merged.min_col - 1, merged.max_col):
                grid[r][c] = value
    return list(enumerate(grid, start=1))


def normalize(header: Any) -> str:
    """A header without spaces, in half-width brackets, without its unit: 「补贴面积（亩）」 → 「补贴面积」."""
    text = re.sub(r"\s+", "", str(header)).replace("（", "(").replace("）", ")")
    return text if text in VILLAGE_HEADERS or text in TOWN_HEADERS else _UNIT.sub("", text)


def column_of(header: Any) -> str | None:
    """The PayoutRow key (or 「村」) a header stands for, if any."""
    text = normalize(header)
    if text in VILLAGE_HEADERS:
        return VILLAGE
    if text in TOWN_HEADERS:
        return TOWN
    return next((key for key, names in ALIASES.items() if text in names), None)


def find_header(cells: list[tuple[int, list[Any]]], name: str) -> tuple[int, dict[str, int]]:
    """The header row (the first with a name column and an amount column) and each key's column."""
    for index, (_, row) in enumerate(cells):
        columns: dict[str, int] = {}
        for i, cell in enumerate(row):
            key = column_of(cell)
            if key and key not in columns:
                columns[key] = i
        if "户主姓名" in columns and "金额" in columns:
            return index, columns
    raise PayoutReadError(
        Problem(
            name,
            None,
            "",
            "找不到表头（应有「户主姓名」和「金额」两列，或「姓名」「发放金额」等常用写法）",
            "请检查文件是否选对、编码是否正确，或在数据上方加一行表头",
        )
    )


def convert_row(
    values: dict[str, Any], name: str, number: int, place: Place | None = None
) -> tuple[dict[str, str] | None, list[Problem]]:
    """One row in PayoutRow keys, masked and checked; None with the problems if it is refused."""
    row: dict[str, str] = {}
    problems: list[Problem] = []
    for key in ALIASES:
        if key not in values:
            continue
        try:
            if key == "身份证号":
                check_id(values[key])
            row[key] = _value(key, values[key])
        except ValueError as bad:
            field, cell = (place.field(key), place.cell(key, number)) if place else (key, "")
            problems.append(Problem(name, number, field, f"{cell}{bad}", getattr(bad, "fix", _FIXES[key])))
    failed = {p.field for p in problems}
    for key in REQUIRED:
        field = place.field(key) if place else key
        if key in values and field not in failed and not row.get(key):
            problems.append(
                Problem(name, number, field, f"{place.cell(key, number) if place else ''}必填项为空", f"请填写{key}")
            )
    problems += _product(row, name, number, place.field("金额") if place else "金额")
    return (None if problems else row), problems


def check_id(raw: Any) -> None:
    """Raise ValueError when an unmasked ID's check digit (GB 11643, MOD 11-2) or birth date is wrong.

    The message shows the ID masked only: the 公示 is there to catch such a typo, and once masked
    nobody could see it any more.
    """
    text = "" if _blank(raw) or isinstance(raw, float) else re.sub(r"\s", "", fold(str(raw)))
    if "*" in text or not re.fullmatch(r"[0-9]{17}[0-9Xx]|[0-9]{15}", text):
        return
    shown = mask_id(text)
    born = text[6:14] if len(text) == 18 else "19" + text[6:12]
    try:
        birth = dt.date(int(born[:4]), int(born[4:6]), int(born[6:8]))
    except ValueError:
        raise ValueError(f"身份证号 {shown} 中的出生日期不是有效日期（第 7–14 位）") from None
    if not dt.date(1900, 1, 1) <= birth <= dt.date.today():
        raise ValueError(f"身份证号 {shown} 中的出生日期不在 1900 年至今天之间") from None
    if len(text) == 18:
        digit = "10X98765432"[sum(int(c) * w for c, w in zip(text[:17], ID_WEIGHTS, strict=True)) % 11]
        if text[17].upper() != digit:
            raise ValueError(f"身份证号 {shown} 的校验位（第 18 位）与前 17 位不符，号码有误")


def _value(key: str, raw: Any) -> str:
    if key in MASKS:
        return _masked(key, raw)
    if key in ("数量", "标准", "金额"):
        return "" if _blank(raw) else canonical(number(raw), key == "金额")
    if key == "发放日期":
        return "" if _blank(raw) else date(raw).isoformat()
    return "" if _blank(raw) else masked_text(str(raw).strip())


def masked_text(text: str) -> str:
    """A free-text cell (备注, 户主姓名 …) with every personal number the leak guard finds in it masked by
    the house rule («Tel13800000502» → «Tel138****0502»). The cell is read through the guard's normaliser
    and finder, so it is stored as the guard reads it: what the guard would refuse never reaches the file."""
    from ..guard.finder import find
    from ..guard.normalise import plain_part
    from ..guard.patterns import Found

    folded = plain_part(text).text
    hits = find(folded)
    if not hits:
        return text
    for hit in reversed(hits):
        folded = folded[: hit.start] + Found(hit.kind, hit.number).masked + folded[hit.end :]
    return folded


class MaskError(ValueError):
    """A partly masked number that does not have the rule's shape; carries the fix."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.fix = fix


MASKED_SHAPES = {
    "身份证号": re.compile(r"[0-9]{6}\*{8}[0-9X]{4}|[0-9]{6}\*{5}[0-9]{4}"),
    "银行卡号": re.compile(r"\*{4,15}[0-9]{4}"),
    "联系电话": re.compile(r"1[3-9][0-9]\*{4}[0-9]{4}"),
}
"""The one masking rule's shapes (domain.md §6): ID 6 + stars + 4, bank card stars + 4, mobile 3 + **** + 4."""
_SHAPE_WORDS = {
    "身份证号": ("「前 6 位 + 星号 + 后 4 位」", "340123********1234"),
    "银行卡号": ("「星号 + 后 4 位」", "***************0128"),
    "联系电话": ("「前 3 位 + 4 个星号 + 后 4 位」", "138****5678"),
}
_SEPARATORS = re.compile(r"[\s\-]")


def _masked(key: str, raw: Any) -> str:
    """The cell masked by the rule. A cell that holds a star already must have the rule's shape, or be
    masked again from what it shows; one that cannot be is refused. Read through the guard's normaliser,
    so full-width digits and invisible characters do not slip a raw number past."""
    if _blank(raw):
        return ""
    if isinstance(raw, float):
        raise ValueError(f"{key}存成了数字，后几位可能已经丢失")
    text = _SEPARATORS.sub("", fold(str(raw))).upper()
    if "*" in text:
        return _masked_again(key, text)
    if key == "身份证号" and not re.fullmatch(r"[0-9]{17}[0-9X]|[0-9]{15}", text):
        raise ValueError(f"身份证号应为 18 位（或 15 位），这里是 {len(text)} 位")
    if key == "联系电话":
        text = re.sub(r"[^0-9]", "", text)
        text = (
            text[2:]
            if len(text) == 13 and text.startswith("86")
            else text[4:]
            if len(text) == 15 and text.startswith("0086")
            else text
        )
    return MASKS[key](text)


def _masked_again(key: str, text: str) -> str:
    shape = MASKED_SHAPES[key]
    if shape.fullmatch(text):
        return text
    size = len(text)
    again = {
        "身份证号": text[:6] + "*" * (size - 10) + text[-4:] if size in (15, 18) else text,
        "银行卡号": "*" * (size - 4) + text[-4:],
        "联系电话": text[:3] + "****" + text[-4:] if size == 11 else text,
    }[key]
    if shape.fullmatch(again):
        return again
    words, example = _SHAPE_WORDS[key]
    raise MaskError(
        f"{key}已部分遮盖，但不是{words}的样式",
        f"请按 {example} 的样式遮盖，或在原表中填写完整号码，由 gongkai import payouts 统一遮盖",
    )


def number(raw: Any) -> Decimal:
    """A decimal from a cell: a number, or text with thousands separators and 「元」."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    text = str(raw).strip().replace(",", "").replace("，", "").removesuffix("元").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"「{text}」不是数字") from None
    if not value.is_finite():
        raise ValueError(f"「{text}」不是数字")
    return value


def canonical(value: Decimal, money: bool = False) -> str:
    """A number as written to the repository, the same whatever the source: 「103.50」 from an Excel 103.5
    or a CSV 「103.50」; an amount always to the cent; a whole number without decimals."""
    if money:
        return f"{value.quantize(CENT, ROUND_HALF_UP):f}"
    if value == value.to_integral_value():
        return f"{value.quantize(Decimal(1)):f}"
    text = f"{value.normalize():f}"
    return text + "0" if len(text.partition(".")[2]) == 1 else text


def date(raw: Any) -> dt.date:
    """A date from a cell: an Excel date, or 2026-06-30, 2026/6/30, 2026年6月30日."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    match = _DATE.match(str(raw).strip())
    try:
        return dt.date(*(int(part) for part in match.groups())) if match else _bad_date(raw)
    except ValueError:
        return _bad_date(raw)


def _bad_date(raw: Any) -> dt.date:
    raise ValueError(f"日期「{raw}」看不懂")


_FIXES = {
    "身份证号": "请对照身份证或户口簿核对这个号码；若 Excel 把它存成了数字，请把这一列设为「文本」格式后重新填写",
    "银行卡号": "请把卡号列设为「文本」格式后重新填写",
    "联系电话": "请把电话列设为「文本」格式",
    "数量": "应写数字，例如 5.2",
    "标准": "应写数字，例如 110",
    "金额": "应写数字，例如 572.00 或 1,234.50元",
    "发放日期": "应写成 2026-06-30 或 2026年6月30日",
    "户主姓名": "请填写户主姓名",
    "村民小组": "",
    "备注": "",
}


def _product(row: dict[str, str], name: str, number: int, field: str = "金额") -> list[Problem]:
    if not (row.get("数量") and row.get("标准") and row.get("金额")):
        return []
    expected = (Decimal(row["数量"]) * Decimal(row["标准"])).quantize(CENT, ROUND_HALF_UP)
    if abs(expected - Decimal(row["金额"])) <= CENT:
        return []
    message = f"金额 {row['金额']} 不等于 数量 {row['数量']} × 标准 {row['标准']} = {expected}"
    return [Problem(name, number, field, message, "请核对数量、标准和金额")]


def _village_of(
    values: dict[str, Any],
    chosen: Village | None,
    villages: Sequence[Village],
    name: str,
    number: int,
    has_column: bool,
    towns: Sequence[Town] = (),
) -> tuple[Village | None, list[Problem]]:
    written = "" if not has_column else str(values.get(VILLAGE, "")).strip()
    if chosen is not None:
        if written and find_village(written, [chosen]) is None:
            return None, [
                Problem(
                    name, number, VILLAGE, f"「{written}」不是 {chosen.name}", "请删去这一行，或不用 --village 导入"
                )
            ]
        return chosen, []
    if not has_column:
        return None, [
            Problem(name, number, VILLAGE, "表格没有「村」列", "请加一列「村」，或用 --village 乡镇代码/村代码 指定")
        ]
    if not written:
        return None, [Problem(name, number, VILLAGE, "必填项为空", "请填写村名")]
    town_written = str(values.get(TOWN, "")).strip()
    if town_written:
        town = find_town(town_written, towns)
        if town is None:
            return None, [
                Problem(name, number, TOWN, f"本县没有「{town_written}」", "请核对乡镇名称（与 town.yml 的名称一致）")
            ]
        villages = [v for v in villages if v.town == town.code]
    matches = [v for v in villages if find_village(written, [v])]
    if len(matches) == 1:
        return matches[0], []
    if matches:
        where = "、".join(sorted(next((t.name for t in towns if t.code == v.town), v.town) for v in matches))
        return None, [
            Problem(
                name,
                number,
                VILLAGE,
                f"「{written}」在几个乡镇都有（{where}）",
                "请在表格中加一列「乡镇」，或用 --village 分别导入",
            )
        ]
    if town_written:
        return None, [Problem(name, number, VILLAGE, f"{town_written}没有「{written}」", "请核对村名和乡镇名")]
    return None, [Problem(name, number, VILLAGE, f"本县没有「{written}」", "请核对村名（与 village.yml 的名称一致）")]


def find_town(written: str, towns: Sequence[Town]) -> Town | None:
    """The town with this name (with or without 镇/乡/街道) or code."""
    for town in towns:
        stem = town.name.removesuffix("镇").removesuffix("乡").removesuffix("街道")
        if written in (town.name, town.code, stem):
            return town
    return None


def find_village(written: str, villages: Sequence[Village]) -> Village | None:
    """The village with this name, with or without its 村/社区 suffix, or this code."""
    for village in villages:
        stem = village.name.removesuffix("村").removesuffix("社区")
        if written in (village.name, village.code, stem, f"{stem}村委会", f"{stem}村民委员会"):
            return village
    return None


def _duplicate(
    row: dict[str, str],
    village: Village,
    seen: dict[tuple[Village, str, str], int],
    name: str,
    number: int,
    field: str = "户主姓名",
) -> list[Problem]:
    key = (village, row["户主姓名"], row.get("身份证号", ""))
    if key in seen:
        who = f"「{row['户主姓名']}」" + (f"（{key[2]}）" if key[2] else "")
        return [Problem(name, number, field, f"{who}与第 {seen[key]} 行重复", "同一户只列一次，请删除重复行")]
    seen[key] = number
    return []


def _blank(raw: Any) -> bool:
    return raw is None or str(raw).strip() == ""
