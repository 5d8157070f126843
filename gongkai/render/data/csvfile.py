"""CSV downloads as Excel in China opens them: UTF-8 with a byte-order mark, CRLF line ends.

A cell that begins like a formula (= + - @, a tab or a carriage return; WPS also reads the full-width
signs) would run as one in Excel or WPS (=HYPERLINK(…) sends the reader elsewhere, =cmd|… runs a
program): such a cell starts with an apostrophe, as OWASP advises; plain numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import re

from .tables import Table, text

FORMULA_START = tuple("=+-@\t\r＝＋－＠")
NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def table_csv(table: Table) -> bytes:
    """The table's header rows and values; the title stays out so that the file parses as data."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([inert(cell) for cell in row] for row in table.header_rows())
    writer.writerows([inert(text(value)) for value in row] for row in table.rows)
    return out.getvalue().encode("utf-8-sig")


def inert(cell: str) -> str:
    """The cell as a spreadsheet shows it, never run as a formula."""
    if cell.startswith(FORMULA_START) and not NUMBER.fullmatch(cell):
        return "'" + cell
    return cell
