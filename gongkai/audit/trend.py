"""The trend: every run's figures in one CSV of the repository (one row per date), and its chart as SVG."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem, SourceErrors
from ..load.tables import decode_csv
from ..model.audit import DEDUCT, VETO

if TYPE_CHECKING:  # the audit itself is imported only by `gongkai audit` (cli.py builds its parser)
    from .run import AuditResult

TREND_FILE = "reports/audit-trend.csv"
DATE = "日期"
VETOED = "单项否决不合格"
DEDUCTED = "扣分不合格"
QUARTERS = 4
CHART_DAYS = 92 * QUARTERS
SALT = "gongkai-audit"
EXCEL_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
"""Excel rewrites 2026-03-02 as 2026/3/2 when the file is opened and saved there."""

Row = dict[str, str]


def record_trend(path: Path, result: AuditResult) -> list[Row]:
    """Add (or replace) the row of this run's date; return every row, oldest first. SourceErrors (nothing
    written) when a row of the file has no date."""
    row = {
        DATE: result.today.isoformat(),
        VETOED: str(sum(o.failed for o in result.outcomes if o.rule.group == VETO)),
        DEDUCTED: str(sum(o.failed for o in result.outcomes if o.rule.group == DEDUCT)),
    }
    row |= {column(o.rule.name, o.rule.code): "" if o.value is None else f"{o.value:g}" for o in result.outcomes}
    rows = [r for r in read_trend(path) if r.get(DATE) != row[DATE]] + [row]
    rows.sort(key=lambda r: r.get(DATE, ""))
    headers = list(dict.fromkeys(key for r in [row, *rows] for key in r))
    out = io.StringIO()
    writer = csv.DictWriter(out, headers, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(out.getvalue(), encoding="utf-8")
    return rows


def column(name: str, code: str) -> str:
    """The CSV column of one indicator's figure."""
    return f"{name}（{code}）"


def read_trend(path: Path) -> list[Row]:
    """The rows of the trend file (none when it does not exist), each with its date as YYYY-MM-DD: UTF-8 with or
    without BOM, or GB18030, as Excel saves it; blank rows are left out."""
    if not path.is_file():
        return []
    text = decode_csv(path.read_bytes())
    if text is None:
        raise SourceErrors(
            [Problem(TREND_FILE, None, "", "无法识别文件编码", "请在 Excel 中另存为「CSV UTF-8」")], UNDONE
        )
    rows, problems = [], []
    for number, raw in enumerate(csv.DictReader(io.StringIO(text, newline="")), 2):
        values = {key: value or "" for key, value in raw.items() if key is not None}
        if not any(values.values()):
            continue
        date = _date(values.get(DATE, ""))
        if date is None:
            problems.append(
                Problem(
                    TREND_FILE, number, DATE, f"「{values.get(DATE, '')}」不是日期", "请写成 YYYY-MM-DD，或删除这一行"
                )
            )
            continue
        rows.append(values | {DATE: date})
    if problems:
        raise SourceErrors(problems, UNDONE)
    return rows


UNDONE = "未生成自查报告，趋势文件没有改动"


def _date(text: str) -> str | None:
    found = EXCEL_DATE.fullmatch(text.strip())
    try:
        return dt.date(*map(int, found.groups())).isoformat() if found else None
    except ValueError:
        return None


def trend_svg(rows: list[Row], today: dt.date) -> str:
    """The failing indicators of the runs in the last four quarters, as a small SVG line chart (deterministic)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.dates import DateFormatter, date2num
    from matplotlib.ticker import MaxNLocator

    since = today - dt.timedelta(days=CHART_DAYS)
    shown = [r for r in rows if r.get(DATE) and since <= dt.date.fromisoformat(r[DATE]) <= today]
    dates = [date2num(dt.date.fromisoformat(r[DATE])) for r in shown]
    style = {
        "svg.hashsalt": SALT,
        "font.family": ["Noto Sans CJK SC", "Noto Sans CJK JP", "sans-serif"],
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with matplotlib.rc_context(style):  # type: ignore[arg-type]
        figure, axes = pyplot.subplots(figsize=(6.4, 2.4))
        for key, colour in ((VETOED, "#b3261e"), (DEDUCTED, "#c77700")):
            axes.plot(dates, [_number(r.get(key)) for r in shown], marker="o", color=colour, label=key)
        axes.set_xlim(date2num(since), date2num(today))
        axes.set_ylim(bottom=0)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.xaxis.set_major_formatter(DateFormatter("%Y-%m"))
        axes.set_ylabel("不合格指标数")
        axes.legend(loc="lower left", bbox_to_anchor=(0, 1), ncol=2, frameon=False)
        figure.tight_layout()
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
        pyplot.close(figure)
    return out.getvalue()


def _number(value: str | None) -> float:
    try:
        return float(value or 0)
    except ValueError:
        return 0.0
