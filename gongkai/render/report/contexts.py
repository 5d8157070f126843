"""The typed contexts of the report and 依申请公开 templates (web pages and printed PDFs)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from ...model import ApplicationOffice
from .layout import TableView


@dataclass(frozen=True)
class Part:
    """One numbered section of a report: heading, text paragraphs, tables."""

    heading: str
    """「一、总体情况」."""
    paragraphs: tuple[str, ...]
    tables: tuple[TableView, ...]


@dataclass(frozen=True)
class ReportLink:
    """A report in the list of past years."""

    year: int
    title: str
    url: str
    pdf: str
    published: dt.date
    basis: str


@dataclass(frozen=True)
class ReportsContext:
    """reports.html: the 政府信息公开年报 column, newest year first."""

    county: str
    reports: tuple[ReportLink, ...]


@dataclass(frozen=True)
class ReportContext:
    """report.html: one year's report on the web, with its PDF."""

    title: str
    published: dt.date
    basis: str
    """The format's basis, 「国办公开办函〔2021〕30号」."""
    preface: tuple[str, ...]
    parts: tuple[Part, ...]
    pdf: str
    reports: str
    """The list of all years."""


@dataclass(frozen=True)
class ApplyContext:
    """ysqgk.html: the 依申请公开 指南, generated from county.yml, with the form to print."""

    county: str
    office: ApplicationOffice
    fees: str
    form: str
    """The application form (PDF)."""
    channels: tuple[tuple[str, str], ...]
    """(方式, 办理办法) of every way to apply that the configuration allows."""


@dataclass(frozen=True, kw_only=True)
class ReportPrint:
    """sheets/report.html: the report as a printed document (A4, GB/T 9704 layout)."""

    template: ClassVar[str] = "report.html"
    title: str
    issuer: str
    issued: dt.date
    preface: tuple[str, ...]
    parts: tuple[Part, ...]


@dataclass(frozen=True, kw_only=True)
class FormPrint:
    """sheets/application.html: the blank 政府信息公开申请表 (A4)."""

    template: ClassVar[str] = "application.html"
    title: str
    county: str
    office: str
    address: str
    postcode: str
    phone: str
    fax: str
    email: str
    issued: dt.date
    """The form's version date, for the PDF's metadata: the revised 条例's effective date."""
