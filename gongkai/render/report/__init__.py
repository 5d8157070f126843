"""The annual reports (年报) and the 依申请公开 指南 and application form: web pages and PDFs.

Python lives here; the templates live where their engines look for them: the web pages in
``render/site/templates/`` (reports.html, report.html, ysqgk.html), the printed ones in
``render/sheets/templates/`` (report.html, application.html, report.css), so that a theme
overrides them like any other page or sheet.
"""

from .pages import report_pages
from .prints import print_jobs

__all__ = ["print_jobs", "report_pages"]
