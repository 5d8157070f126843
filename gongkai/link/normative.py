"""The 现行有效行政规范性文件目录: status and expiry of every normative document on the build date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import Document

FULL_TERM_YEARS = 5
TRIAL_TERM_YEARS = 2
TRIAL_WORDS = ("暂行", "试行")
EXPIRED = "失效"


@dataclass(frozen=True)
class NormativeEntry:
    """One normative document as the catalogue lists it."""

    document: Document
    effective: dt.date
    expires: dt.date
    status: str
    """有效 / 修改 / 废止 / 失效 on the build date (失效 also when the term ran out)."""
    interpretations: tuple[Document, ...]

    @property
    def in_force(self) -> bool:
        """Listed in the catalogue of documents currently in force."""
        return self.status in ("有效", "修改")


def expiry(doc: Document, effective: dt.date) -> dt.date:
    """The source's 有效期至, else 5 years (2 for 暂行/试行) from the effective date, less a day."""
    if doc.expires:
        return doc.expires
    years = TRIAL_TERM_YEARS if any(word in doc.title for word in TRIAL_WORDS) else FULL_TERM_YEARS
    try:
        end = effective.replace(year=effective.year + years)
    except ValueError:  # 29 February
        end = effective.replace(year=effective.year + years, day=28)
    return end - dt.timedelta(days=1)


def normative_entry(doc: Document, today: dt.date, interpretations: tuple[Document, ...]) -> NormativeEntry:
    """The entry of a normative document on ``today``."""
    effective = doc.effective or doc.published
    expires = expiry(doc, effective)
    status = doc.validity
    if status in ("有效", "修改") and today > expires:
        status = EXPIRED
    return NormativeEntry(doc, effective, expires, status, interpretations)
