"""Where the reports, the 指南 and the form are published."""

from __future__ import annotations

REPORTS = "xxgk/nianbao/"
APPLY = "xxgk/ysqgk/"
FORM = f"{APPLY}shenqingbiao.pdf"


def report(year: int) -> str:
    """One year's report page."""
    return f"{REPORTS}{year}/"


def report_pdf(year: int) -> str:
    """One year's report as PDF, beside its page."""
    return f"{report(year)}nianbao-{year}.pdf"
