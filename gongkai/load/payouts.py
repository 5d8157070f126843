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
from ..model import Village
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
    path: Path, villages: Sequence[Village], *, village: Village | None = None, sheet: str | None = None
) -> PayoutTable:
    """The masked rows of a payout file, by village; raises PayoutReadError if it cannot be read."""
    cells = read_cells(path, sheet)
    index, columns = find_header(cells, path.name)
    result = PayoutTable()
    seen: dict[tuple[Village, str, str], int] = {}
    for number, cells_of_row in cells[index + 1 :]:
        if not any(str(c).strip() for c in cells_of_row):
            continue
        values = {key: cells_of_row[i] if i < len(cells_of_row) else "" for key, i in columns.items()}
        row, problems = convert_row(values, path.name, number)
        target, found = _village_of(values, village, villages, path.name, number, VILLAGE in columns)
        problems += found
        if target is not None and row is not None:
            problems += _duplicate(row, target, seen, path.name, number)
        if problems or row is None or target is None:
            result.refused.extend(problems)
            continue
        result.rows.setdefault(target, []).append((number, row))
    return result


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
    return text if text in VILLAGE_HEADERS else _UNIT.sub("", text)


def column_of(header: Any) -> str | None:
    """The PayoutRow key (or 「村」) a header stands for, if any."""
    text = normalize(header)
    if text in VILLAGE_HEADERS:
        return VILLAGE
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


def convert_row(values: dict[str, Any], name: str, number: int) -> tuple[dict[str, str] | None, list[Problem]]:
    """One row in PayoutRow keys, masked and checked; None with the problems if it is refused."""
    row: dict[str, str] = {}
    problems: list[Problem] = []
    for key in ALIASES:
        if key not in values:
            continue
        try:
            row[key] = _value(key, values[key])
        except ValueError as bad:
            problems.append(Problem(name, number, key, str(bad), getattr(bad, "fix", _FIXES[key])))
    for key in REQUIRED:
        if key in values and key not in {p.field for p in problems} and not row.get(key):
            problems.append(Problem(name, number, key, "必填项为空", f"请填写{key}"))
    problems += _product(row, name, number)
    return (None if problems else row), problems


def _value(key: str, raw: Any) -> str:
    if key in MASKS:
        return _masked(key, raw)
    if key in ("数量", "标准", "金额"):
        return "" if _blank(raw) else str(number(raw))
    if key == "发放日期":
        return "" if _blank(raw) else date(raw).isoformat()
    return "" if _blank(raw) else str(raw).strip()


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
    "身份证号": "请把身份证号列设为「文本」格式后重新填写",
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


def _product(row: dict[str, str], name: str, number: int) -> list[Problem]:
    if not (row.get("数量") and row.get("标准") and row.get("金额")):
        return []
    expected = (Decimal(row["数量"]) * Decimal(row["标准"])).quantize(CENT, ROUND_HALF_UP)
    if abs(expected - Decimal(row["金额"])) <= CENT:
        return []
    message = f"金额 {row['金额']} 不等于 数量 {row['数量']} × 标准 {row['标准']} = {expected}"
    return [Problem(name, number, "金额", message, "请核对数量、标准和金额")]


def _village_of(
    values: dict[str, Any],
    chosen: Village | None,
    villages: Sequence[Village],
    name: str,
    number: int,
    has_column: bool,
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
    matches = [v for v in villages if find_village(written, [v])]
    if len(matches) == 1:
        return matches[0], []
    if matches:
        return None, [Problem(name, number, VILLAGE, f"「{written}」在几个乡镇都有", "请用 --village 分别导入")]
    return None, [Problem(name, number, VILLAGE, f"本县没有「{written}」", "请核对村名（与 village.yml 的名称一致）")]


def find_village(written: str, villages: Sequence[Village]) -> Village | None:
    """The village with this name, with or without its 村/社区 suffix, or this code."""
    for village in villages:
        stem = village.name.removesuffix("村").removesuffix("社区")
        if written in (village.name, village.code, stem, f"{stem}村委会", f"{stem}村民委员会"):
            return village
    return None


def _duplicate(
    row: dict[str, str], village: Village, seen: dict[tuple[Village, str, str], int], name: str, number: int
) -> list[Problem]:
    key = (village, row["户主姓名"], row.get("身份证号", ""))
    if key in seen:
        who = f"「{row['户主姓名']}」" + (f"（{key[2]}）" if key[2] else "")
        return [Problem(name, number, "户主姓名", f"{who}与第 {seen[key]} 行重复", "同一户只列一次，请删除重复行")]
    seen[key] = number
    return []


def _blank(raw: Any) -> bool:
    return raw is None or str(raw).strip() == ""
