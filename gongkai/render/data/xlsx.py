"""XLSX downloads: a title row, bold (merged) header rows, widths, frozen headers; the same bytes every run."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from .tables import Table, Value, text

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="FFE7E6E6")
DATE_FORMAT = "yyyy-mm-dd"
FIRST_ENTRY = "[Content_Types].xml"


def workbook(sheets: Sequence[tuple[str, Table]], today: dt.date) -> bytes:
    """One sheet per (name, table), stamped with ``today`` instead of the clock."""
    book = Workbook()
    book.remove(book.active)
    for name, table in sheets:
        _fill(book.create_sheet(name), table)
    midnight = dt.datetime(today.year, today.month, today.day)
    book.properties.created = book.properties.modified = midnight
    book.properties.creator = "gongkai"
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        # Workbook.save() would stamp the current time into docProps/core.xml; its writer does not.
        ExcelWriter(book, archive).save()
    return _restamped(raw.getvalue(), midnight)


def _fill(sheet: Worksheet, table: Table) -> None:
    width = len(table.columns)
    sheet.append([table.title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    headers = table.header_rows()
    for values in headers:
        sheet.append(values)
    _merge_headers(sheet, table, len(headers))
    for row in table.rows:
        sheet.append([_cell(value) for value in row])
    for column_index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(column_index)].width = column.width
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column_index, max_col=column_index):
            _style(cell, header=cell.row <= 1 + len(headers), centered=column.centered)
    sheet.freeze_panes = sheet.cell(2 + len(headers), 1)
    sheet.print_title_rows = f"2:{1 + len(headers)}"
    sheet.page_setup.orientation = "landscape"


def _merge_headers(sheet: Worksheet, table: Table, header_rows: int) -> None:
    """Group headers across their columns; single headers down both header rows."""
    if header_rows < 2:
        return
    for first, last in table.groups():
        sheet.merge_cells(start_row=2, start_column=first + 1, end_row=2, end_column=last + 1)
    for i, column in enumerate(table.columns, start=1):
        if not column.group:
            sheet.merge_cells(start_row=2, start_column=i, end_row=3, end_column=i)


def _cell(value: Value) -> str | int | dt.date | None:
    if isinstance(value, tuple):
        value = text(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _style(cell: Cell | MergedCell, *, header: bool, centered: bool) -> None:
    if cell.data_type == "f":
        cell.data_type = "s"  # source text that starts with "=" is text, never a formula
    if isinstance(cell.value, dt.date):
        cell.number_format = DATE_FORMAT
    cell.border = BORDER
    cell.alignment = Alignment(
        wrap_text=True, vertical="center" if header else "top", horizontal="center" if header or centered else None
    )
    if header:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL


def _restamped(data: bytes, stamp: dt.datetime) -> bytes:
    """The archive again with one fixed timestamp on every entry and [Content_Types].xml first."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = sorted(source.namelist(), key=lambda name: (name != FIRST_ENTRY, name))
        for name in names:
            entry = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(name))
    return out.getvalue()
