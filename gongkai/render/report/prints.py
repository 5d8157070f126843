"""The printed report of each year and the application form, as jobs for the sheet machinery (cache, pool)."""

from __future__ import annotations

import datetime as dt

from ...model import County
from ..sheets import SheetJob
from . import urls
from .contexts import FormPrint, ReportPrint
from .pages import paragraphs, parts

FORM_DATE = dt.date(2019, 5, 15)
"""The revised 政府信息公开条例 took effect on this day; the form follows it."""


def print_jobs(county: County) -> list[SheetJob]:
    """One PDF per report and the application form, each at its place beside its page."""
    name = county.config.name
    jobs = [
        SheetJob(
            ReportPrint(
                title=report.heading(name),
                issuer=f"{name}人民政府",
                issued=report.published,
                preface=paragraphs(report.preface or ""),
                parts=parts(report),
            ),
            urls.report_pdf(report.year),
        )
        for report in county.reports
    ]
    office = county.config.application
    if office is not None:
        form = FormPrint(
            title="政府信息公开申请表",
            county=name,
            office=office.office,
            address=office.address,
            postcode=office.postcode,
            phone=office.phone,
            fax=office.fax or "",
            email=office.email or "",
            issued=FORM_DATE,
        )
        jobs.append(SheetJob(form, urls.FORM))
    return jobs
