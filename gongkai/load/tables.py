"""Read CSV and XLSX payout tables into rows keyed by header, each with its row number."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from ..errors import Problem

Row = tuple[int, dict[str, Any]]  # (row number as the clerk sees it in Excel, values by header)
ENCODINGS = ("utf-8-sig", "gb18030")


def read_table(
    path: Path, rel: str, hints: str | tuple[str, ...], data: bytes | None = None
) -> tuple[list[Row], list[Problem]]:
    """Rows of a .csv or .xlsx file (its bytes ``data`` when already read); the header is the first row
    containing one of ``hints``."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path.read_bytes() if data is None else data, rel, hints)
    if suffix == ".xlsx":
        return _read_xlsx(path if data is None else io.BytesIO(data), rel, hints)
    return [], [Problem(rel, None, "", f"不支持的表格格式「{path.suffix}」", "请另存为 .csv 或 .xlsx")]


def decode_csv(data: bytes) -> str | None:
    """CSV text: UTF-8 (with or without BOM), else GB18030 as Excel saves it in China."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _read_csv(data: bytes, rel: str, hints: str | tuple[str, ...]) -> tuple[list[Row], list[Problem]]:
    text = decode_csv(data)
    if text is None:
        return [], [Problem(rel, None, "", "无法识别文件编码", "请在 Excel 中另存为「CSV UTF-8」")]
    try:
        cells = [(number, row) for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1)]
    except csv.Error as error:  # e.g. a NUL byte or a bare CR inside a field
        return [], [Problem(rel, None, "", f"CSV 格式错误（{error}）", "请在 Excel 中打开后另存为「CSV UTF-8」")]
    return _rows(cells, rel, hints)


def _read_xlsx(path: Path | io.BytesIO, rel: str, hints: str | tuple[str, ...]) -> tuple[list[Row], list[Problem]]:
    import openpyxl  # slow to import; only tables need it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged file
        return [], [
            Problem(rel, None, "", f"无法打开 Excel 文件（{type(err).__name__}）", "请用 Excel 打开后重新保存为 .xlsx")
        ]
    sheet = book.worksheets[0]
    cells = [
        (number, ["" if v is None else v for v in row])
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
    ]
    book.close()
    return _rows(cells, rel, hints)


def _rows(
    cells: list[tuple[int, list[Any]]], rel: str, hints: str | tuple[str, ...]
) -> tuple[list[Row], list[Problem]]:
    wanted = {hints} if isinstance(hints, str) else set(hints)
    index = next((i for i, (_, row) in enumerate(cells) if any(str(c).strip() in wanted for c in row)), None)
    if index is None:
        return [], [
            Problem(
                rel,
                None,
                "",
                f"找不到表头（应有一列「{'」或「'.join([hints] if isinstance(hints, str) else hints)}」）",
                "请在数据上方加一行表头，列名见使用指南",
            )
        ]
    header = [str(cell).strip() for cell in cells[index][1]]
    rows = []
    for number, row in cells[index + 1 :]:
        if not any(str(cell).strip() for cell in row):
            continue
        values = {name: _cell(cell) for name, cell in zip(header, row, strict=False) if name}
        rows.append((number, values))
    return rows, []


def _cell(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value
