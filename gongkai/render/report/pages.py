"""The report and 依申请公开 pages of the site plan, computed from the model alone."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import AnnualReport, County
from ...model.report import TEXT_SECTIONS
from . import urls
from .contexts import ApplyContext, Part, ReportContext, ReportLink, ReportsContext
from .layout import table_view

DEFAULT_FEES = (
    "依申请提供政府信息，不收取费用。申请人申请公开政府信息的数量、频次明显超过合理范围的，"
    "行政机关可以依照《政府信息公开信息处理费管理办法》收取信息处理费，并事先书面告知申请人。"
)

Page = tuple[str, str, str, object, str]
"""(url, title, template, context, source file) of one generated page."""


def report_pages(county: County) -> Iterator[Page]:
    """The list of reports, one page per report, and the 依申请公开 指南."""
    name = county.config.name
    config = county.config.origin.path
    links = tuple(_link(report, name) for report in reversed(county.reports))
    yield urls.REPORTS, "政府信息公开年报", "reports.html", ReportsContext(name, links), config
    for report in county.reports:
        context = ReportContext(
            report.heading(name),
            report.published,
            report.report_format.basis,
            paragraphs(report.preface or ""),
            parts(report),
            urls.report_pdf(report.year),
            urls.REPORTS,
        )
        yield urls.report(report.year), context.title, "report.html", context, report.origin.path
    yield urls.APPLY, "依申请公开", "ysqgk.html", apply_context(county), config


def _link(report: AnnualReport, county: str) -> ReportLink:
    return ReportLink(
        report.year,
        report.heading(county),
        urls.report(report.year),
        urls.report_pdf(report.year),
        report.published,
        report.report_format.basis,
    )


def parts(report: AnnualReport) -> tuple[Part, ...]:
    """The six sections in order: text sections and table sections by their numbers."""
    found = [
        (number, Part(f"{number}、{title}", paragraphs(getattr(report, attr)), ()))
        for number, title, attr in TEXT_SECTIONS
    ]
    for section in report.report_format.sections:
        numbers = report.section_numbers(section)
        tables = tuple(table_view(table, numbers) for table in section.tables)
        found.append((section.number, Part(f"{section.number}、{section.title}", (), tables)))
    order = "一二三四五六"
    return tuple(part for _, part in sorted(found, key=lambda item: order.index(item[0])))


def paragraphs(text: str) -> tuple[str, ...]:
    """The paragraphs of a text field: one per non-empty line."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def apply_context(county: County) -> ApplyContext:
    """The 指南 page from the county's 依申请公开 settings."""
    office = county.config.application
    assert office is not None  # required by the loader
    channels = [("当面申请", f"到{office.office}（{office.address}）填写《政府信息公开申请表》，工作人员当场登记。")]
    channels.append(
        (
            "邮寄申请",
            f"将申请表邮寄至{office.office}（邮政编码 {office.postcode}），信封左下角注明“政府信息公开申请”字样。",
        )
    )
    if office.fax:
        channels.append(("传真申请", f"将申请表传真至 {office.fax}，并电话确认。"))
    if office.email:
        channels.append(("电子邮件申请", f"将申请表电子版发送至 {office.email}，邮件主题注明“政府信息公开申请”。"))
    return ApplyContext(county.config.name, office, office.fees or DEFAULT_FEES, urls.FORM, tuple(channels))
