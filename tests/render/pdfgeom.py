"""What a PDF page shows, by its own coordinates: text lines with their place, and the ruled lines.

pypdf's text visitor gives each text run with its matrix; the ruled lines are the thin filled paths
of the content stream (WeasyPrint draws every border as one). Points (1/72 in), origin bottom left.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pypdf
from pypdf.generic import ContentStream

ROW = re.compile(r"^\s*(\d+)\s")


@dataclass(frozen=True)
class Run:
    x: float
    y: float
    text: str


@dataclass
class PageGeometry:
    width: float
    height: float
    runs: list[Run] = field(default_factory=list)
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)
    """(x0, y0, x1, y1) of each ruled line."""

    @property
    def text(self) -> str:
        return re.sub(r"\s+", "", "".join(r.text for r in self.runs))

    @property
    def vertical_rules(self) -> list[tuple[float, float, float, float]]:
        return [r for r in self.rules if r[2] - r[0] < 2 and r[3] - r[1] > 5]

    @property
    def table_left(self) -> float:
        return min(r[0] for r in self.vertical_rules)

    @property
    def table_right(self) -> float:
        return max(r[2] for r in self.vertical_rules)

    def table_lines(self) -> list[Run]:
        """The text lines that begin at the table's left edge (a row, a heading or a total), top first."""
        if not self.vertical_rules:
            return []
        left = self.table_left
        return [r for r in self.runs if left + 1.5 < r.x < left + 6]

    def row_numbers(self) -> list[int]:
        """The 序号 of every table row on the page, in order."""
        return [int(m.group(1)) for r in self.table_lines() if (m := ROW.match(r.text))]

    def continuation_lines(self) -> list[str]:
        """Table lines that are neither a row's first line, a heading line nor a total: wrapped cells."""
        found = []
        for run in self.table_lines():
            text = run.text.strip()
            if ROW.match(run.text) or text.startswith(("序号", "(", "合计", "小计", "补贴项目", "村")):
                continue
            found.append(text)
        return found


def geometry(pdf: bytes) -> list[PageGeometry]:
    """Every page's text runs and ruled lines."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = []
    for page in reader.pages:
        box = page.mediabox
        found = PageGeometry(float(box.width), float(box.height))

        def visit(
            text: str, cm: list[float], tm: list[float], font: object, size: float, found: PageGeometry = found
        ) -> None:
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                found.runs.append(Run(x, y, text.rstrip("\n")))

        page.extract_text(visitor_text=visit)
        found.rules = _rules(page, reader)
        pages.append(found)
    return pages


def _rules(page: pypdf.PageObject, reader: pypdf.PdfReader) -> list[tuple[float, float, float, float]]:
    """The ruled lines: WeasyPrint clips each border side to its own thin polygon (m l l l W* n), then fills."""
    stack: list[list[float]] = []
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    points: list[tuple[float, float]] = []
    clipping = False
    found = []
    for operands, op in ContentStream(page.get_contents(), reader).operations:
        if op == b"q":
            stack.append(list(ctm))
        elif op == b"Q":
            ctm = stack.pop()
        elif op == b"cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            m = ctm
            ctm = [
                a * m[0] + b * m[2],
                a * m[1] + b * m[3],
                c * m[0] + d * m[2],
                c * m[1] + d * m[3],
                e * m[0] + f * m[2] + m[4],
                e * m[1] + f * m[3] + m[5],
            ]
        elif op in (b"m", b"l"):
            x, y = (float(v) for v in operands)
            points.append((x * ctm[0] + y * ctm[2] + ctm[4], x * ctm[1] + y * ctm[3] + ctm[5]))
        elif op in (b"W", b"W*"):
            clipping = True
        elif op in (b"n", b"f", b"f*", b"S", b"B", b"b"):
            if clipping and len(points) >= 3:
                xs, ys = [p[0] for p in points], [p[1] for p in points]
                box = (min(xs), min(ys), max(xs), max(ys))
                if min(box[2] - box[0], box[3] - box[1]) < 2:
                    found.append(box)
            points, clipping = [], False
    return found
