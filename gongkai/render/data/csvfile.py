"""CSV downloads as Excel in China opens them: UTF-8 with a byte-order mark, CRLF line ends."""

from __future__ import annotations

import csv
import io

from .tables import Table, text


def table_csv(table: Table) -> bytes:
    """The table's header rows and values; the title stays out so that the file parses as data."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(table.header_rows())
    writer.writerows([text(value) for value in row] for row in table.rows)
    return out.getvalue().encode("utf-8-sig")
