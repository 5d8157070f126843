"""The summary printed on the terminal, in Chinese."""

from __future__ import annotations

from pathlib import Path

from ...model.audit import DEDUCT, VETO
from ..findings import FAIL, MISSING, NOT_DONE
from ..run import AuditResult

MARKS = {"合格": "√", "不合格": "×", "未检查": "－"}
"""Marks a GBK console or log file can print (「✓」「✗」 are not in GBK: the summary failed there after the report)."""


def summary(result: AuditResult, written: list[Path]) -> str:
    """Each indicator on one line, then the work items not done and where the report is."""
    lines = [f"{result.county.config.site_name} 自查（{result.today.isoformat()}）"]
    for group in (VETO, DEDUCT):
        lines.append(f"{group}指标：")
        for o in (o for o in result.outcomes if o.rule.group == group):
            lines.append(f"  {MARKS[o.status]} {o.rule.name}：{o.status}，{o.figure}")
    open_work = [w for w in result.work if w.status in (NOT_DONE, MISSING)]
    lines.append(
        f"工作内容表：{len(result.work) - len(open_work)}/{len(result.work)} 项达标"
        + ("，" + "；".join(f"{w.task}（{w.status}）" for w in open_work) if open_work else "")
    )
    failed = sum(o.status == FAIL for o in result.outcomes)
    if result.vetoed:
        names = "、".join(o.rule.name for o in result.vetoed)
        lines.append(f"结论：单项否决指标「{names}」不合格，网站会被判为不合格，请立即整改。")
    else:
        lines.append(f"结论：单项否决指标全部合格；{failed} 项扣分指标不合格。")
    lines.append("报告：" + "、".join(str(p) for p in written))
    return "\n".join(lines)
