"""Which export row each line of the review workbook is about — by a stable key, never by position.

A re-export may insert, drop or reorder rows, so a review line is matched to the export row whose content
fingerprint (标题, 文号 and 发布日期, read with every personal number masked) it records.
A workbook from before the fingerprint
column is matched by its masked 标题 when exactly one row has it. Lines that match no row are reported and
applied to nothing; their 号码 decisions go with them. The review comes back keyed by today's row numbers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from ..errors import Problem
from ..load.legacy import Draft
from .review import DOCUMENTS, DocumentLine, Review


def fingerprint(draft: Draft, mask: Callable[[str], str]) -> str:
    """A short digest of the row's 标题, 文号 and 发布日期 (masked: no number can be recovered from it)."""
    parts = (mask(draft.title), mask(str(draft.fields.get("doc_no") or "")), str(draft.fields.get("published")))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def align(review: Review, drafts: list[Draft], prints: dict[int, str], titles: dict[int, str],
          rel: str) -> tuple[Review, list[Problem]]:  # fmt: skip
    """The review re-keyed by the rows of this export (``prints``/``titles``: row → fingerprint / masked
    title); the lines that match no row, as warnings."""
    free = [d.row for d in drafts]
    moved: dict[int, int] = {}
    lines = sorted(review.documents.values(), key=lambda line: line.row)
    for line in lines:
        same = [row for row in free if line.fingerprint and prints.get(row) == line.fingerprint]
        if same:
            moved[line.row] = same[0]
            free.remove(same[0])
    for line in lines:  # a workbook without fingerprints: a title only one row has
        if line.row in moved or line.fingerprint:
            continue
        same = [row for row in free if titles.get(row) == line.title]
        if len(same) == 1:
            moved[line.row] = same[0]
            free.remove(same[0])
    aligned, problems = Review(agencies=review.agencies), []
    for line in lines:
        if line.row not in moved:
            where = f"（文件 {line.path}）" if line.path else ""
            problems.append(Problem(
                f"{rel}「{DOCUMENTS}」", None, "标题",
                f"原第 {line.row} 行「{line.title}」{where}在这次的导出表中找不到标题、文号、发布日期都相同的行，"
                "核对表中它的改动没有应用到任何文件",
                "导出表中这一行改过或删了的话，请直接修改它的文件；这一行可以从核对表删去",
            ))  # fmt: skip
            continue
        row = moved[line.row]
        aligned.documents[row] = _at(line, row)
    for number in review.numbers.values():
        if number.row in moved:
            number.row = moved[number.row]
            aligned.numbers[number.key] = number
    return aligned, problems


def _at(line: DocumentLine, row: int) -> DocumentLine:
    line.row = row
    return line
