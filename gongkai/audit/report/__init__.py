"""The audit's report, written outside the public site: an HTML page with the trend chart, and an XLSX."""

from __future__ import annotations

import os
from pathlib import Path

from ..run import AuditResult
from ..trend import Row, trend_svg
from .html import report_html
from .xlsx import report_xlsx

HTML_FILE = "index.html"
XLSX_FILE = "自查报告.xlsx"
CHART_FILE = "trend.svg"


def write_report(result: AuditResult, out: Path, trend: list[Row]) -> list[Path]:
    """Write the report's files into ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    files = {
        CHART_FILE: trend_svg(trend, result.today).encode("utf-8"),
        HTML_FILE: report_html(result, out, CHART_FILE).encode("utf-8"),
        XLSX_FILE: report_xlsx(result),
    }
    for name, data in files.items():
        # A new file renamed over the old one: a link left in ``out`` (to the site's home page, say) is replaced,
        # never followed, so the report cannot land in the public site.
        partial = out / f".{name}.partial"
        partial.unlink(missing_ok=True)
        partial.write_bytes(data)
        os.replace(partial, out / name)
    return [out / HTML_FILE, out / XLSX_FILE]
