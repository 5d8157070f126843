"""The trend: every run's figures in one CSV of the repository (one row per date), and its chart as SVG."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from ..model.audit import DEDUCT, VETO
from .run import AuditResult

TREND_FILE = "reports/audit-trend.csv"
DATE = "日期"
VETOED = "单项否决不合格"
DEDUCTED = "扣分不合格"
QUARTERS = 4
CHART_DAYS = 92 * QUARTERS
SALT = "gongkai-audit"

Row = dict[str, str]


def record_trend(path: Path, result: AuditResult) -> list[Row]:
    """Add (or replace) the row of this run's date; return every row, oldest first."""
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
    """The rows of the trend file (none when it does not exist)."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [dict(r) for r in csv.DictReader(handle)]


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
