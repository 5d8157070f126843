"""The 索引号 ledger (index-ledger.csv): every index number ever given, and the source file it went to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .origin import NOWHERE, Origin
from .schema import spec


@dataclass(frozen=True, kw_only=True)
class LedgerEntry:
    """One index number given to one source file; it is never reused or changed, even if the file goes."""

    index_no: str = spec("索引号", "分配出去的索引号。", example="11341700MB1714830K/202503-00012")
    path: str = spec("文件", "得到这个索引号的源文件，相对于项目目录。", example="content/documents/2025/gdlb.md")
    assigned: dt.date = spec("分配日期", "分配（或登记）的日期，YYYY-MM-DD。", kind="date", example="2025-03-05")
    origin: Origin = field(default=NOWHERE, compare=False)
