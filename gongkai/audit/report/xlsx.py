"""The report as an XLSX in the assessors' shape: indicators, the 工作内容表, and every problem with its place."""

from __future__ import annotations

from ...render.data.tables import Column, table
from ...render.data.xlsx import workbook
from ..findings import Evidence, Outcome, WorkLine
from ..run import AuditResult

JOIN = "\n"
CELL_LIMIT = 32767
"""Excel refuses a cell longer than this (it calls the workbook damaged); the page shows everything."""
MORE = "……（以下从略，见网页报告）"


def _evidence(items: tuple[Evidence, ...]) -> str:
    return _fit(JOIN.join(f"{e.text}（{e.place}）" if e.place else e.text for e in items))


def _fit(text: str) -> str:
    return text if len(text) <= CELL_LIMIT else text[: CELL_LIMIT - len(MORE)] + MORE


INDICATORS: tuple[Column[tuple[int, Outcome]], ...] = (
    Column("序号", lambda r: r[0], width=6, centered=True),
    Column("类别", lambda r: r[1].rule.group, width=10, centered=True),
    Column("指标", lambda r: r[1].rule.name, width=16),
    Column("规则", lambda r: _fit(r[1].rule.rule), width=40),
    Column("依据", lambda r: _fit(r[1].rule.basis), width=36),
    Column("本县情况", lambda r: _fit(r[1].figure + (f"（{r[1].note}）" if r[1].note else "")), width=36),
    Column("结论", lambda r: r[1].status, width=8, centered=True),
    Column("佐证", lambda r: _evidence(r[1].evidence[:20]), width=60),
)
WORK: tuple[Column[tuple[int, WorkLine]], ...] = (
    Column("序号", lambda r: r[0], width=6, centered=True),
    Column("工作项", lambda r: r[1].area, width=10, centered=True),
    Column("工作内容", lambda r: _fit(r[1].task), width=40),
    Column("编号", lambda r: r[1].code, width=10),
    Column("方式", lambda r: r[1].way, width=10, centered=True),
    Column("完成情况", lambda r: _fit(r[1].figure), width=40),
    Column("结论", lambda r: r[1].status, width=8, centered=True),
    Column("佐证", lambda r: _evidence(r[1].evidence[:20]), width=60),
)
PROBLEMS: tuple[Column[tuple[Outcome, Evidence]], ...] = (
    Column("指标", lambda r: r[0].rule.name, width=16),
    Column("问题", lambda r: _fit(r[1].text), width=60),
    Column("文件", lambda r: r[1].path, width=40),
    Column("行", lambda r: r[1].line, width=6, centered=True),
    Column("页面", lambda r: None if r[1].url is None else "/" + r[1].url, width=40),
)


def report_xlsx(result: AuditResult) -> bytes:
    """The workbook, stamped with the audit date (the same bytes for the same sources and date)."""
    name = result.county.config.site_name
    problems = [(o, e) for o in result.outcomes if o.failed for e in o.evidence]
    sheets = [
        (
            "检查指标",
            table(
                f"{name}检查指标自查表（{result.today.isoformat()}）", INDICATORS, list(enumerate(result.outcomes, 1))
            ),
        ),
        ("工作内容表", table(f"{name}基层政务公开提升行动工作内容表自查", WORK, list(enumerate(result.work, 1)))),
        ("问题清单", table("不合格指标的问题清单", PROBLEMS, problems)),
    ]
    return workbook(sheets, result.today)
