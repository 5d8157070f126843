"""严重错误 found without a network: abolished organisation names in current documents, the county's own place
names misspelt, malformed 文号 and dates. Each finding names the file and line; nothing is corrected."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..load.docno import NONE
from ..load.tree import hidden
from ..model import County, Document
from ..model.audit import AuditRule, RenamedBody
from ..render.formats import cn_date
from ..render.site import urls
from .findings import Context, Evidence, Outcome, judged

IN_FORCE = ("有效", "修改")
FORMER = "原"
"""「原县国土资源局」 names the old body on purpose."""
RENAMING = ("更名", "机构改革")
"""A line that speaks of the renaming (or names the new body too) tells its history: 「县农业局（现农业农村局）」."""
DOC_NO = re.compile(r"[^〔〕\s]+〔(\d{4})〕[1-9]\d*号")
BAD_DOC_NO = re.compile(r"(?<=[\u4e00-\u9fff])((?:[\[［【(（﹝]\d{4}[\]］】)）﹞]|〔\d{2}〕|〔\d{4}〕0)\d+号)")
CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
MONTH_DAY = re.compile(r"(?<![\d年])(\d{1,2})月(\d{1,2})日")
"""A date without its year: 「2月30日」 (29 February may be right)."""
ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")
SUFFIXES = "县区镇乡村"
CONTENT = "content"
NOT_PAGES = ("documents/", "guide/")
"""Documents are read as records (with their validity); the clerk guide is not published."""


def serious_errors(ctx: Context, rule: AuditRule) -> Outcome:
    """严重错误: every finding in the documents on the site."""
    places = Places(ctx.county, ctx.table.places)
    evidence = []
    for doc in ctx.county.documents:
        current = doc.validity in IN_FORCE and _in_force(ctx, doc)
        renamed = [r for r in ctx.table.renamed if doc.published >= r.since] if current else []
        for line, text in _lines(doc):
            found = [*_renamed(text, renamed), *places.misspelt(text), *_dates(text), *_doc_nos(text)]
            evidence += [
                Evidence(f"「{doc.title}」：{message}", urls.document(doc), doc.origin.path, line) for message in found
            ]
        evidence += _field_doc_no(doc)
    pages = 0
    for rel, url, text in _pages(ctx.root):
        pages += 1
        for number, written in enumerate(text.split("\n"), 1):
            evidence += [
                Evidence(f"页面「{rel}」：{message}", url, rel, number)
                for message in _findings(written, ctx.table.renamed, places)
            ]
    figure = f"{len(evidence)} 处"
    read = [Evidence(f"检查了 {len(ctx.county.documents)} 份文件和 {pages} 个手写页面的标题和正文", urls.HOME)]
    return judged(rule, len(evidence), figure, evidence, checked=read)


def _findings(text: str, renamed: Sequence[RenamedBody], places: Places) -> list[str]:
    """Every finding in one line of text."""
    return [*_renamed(text, renamed), *places.misspelt(text), *_dates(text), *_doc_nos(text)]


def _pages(root: Path) -> Iterator[tuple[str, str, str]]:
    """The hand-written pages of the site (指南, 制度 …), current by nature: path, page URL, text."""
    content = root / CONTENT
    for path in sorted(content.rglob("*.md")):
        rel = path.relative_to(content).as_posix()
        if rel.startswith(NOT_PAGES) or hidden(rel):  # MkDocs publishes no hidden page
            continue
        url = rel.removesuffix(".md").removesuffix("index").rstrip("/")
        yield f"{CONTENT}/{rel}", (url + "/" if url else ""), path.read_text(encoding="utf-8", errors="replace")


def _in_force(ctx: Context, doc: Document) -> bool:
    entry = ctx.links.normative_of(doc)
    return entry is None or entry.in_force


def _lines(doc: Document) -> Iterator[tuple[int | None, str]]:
    """The title, then each body line, with its line in the source file."""
    yield doc.origin.line_of("标题"), doc.title
    for number, text in enumerate(doc.body.split("\n")):
        yield (doc.body_line + number if doc.body_line else None), text


def _renamed(text: str, renamed: Sequence[RenamedBody]) -> Iterator[str]:
    for body in renamed:
        if body.new.split("（")[0] in text or any(word in text for word in RENAMING):
            continue
        for match in re.finditer(re.escape(body.old), text):
            before = text[: match.start()]
            if FORMER in before[-8:] or before.count("《") > before.count("》"):
                continue  # 「原……」 or inside a cited title: a historical mention
            yield (
                f"使用了已撤销的机构名称「{body.old}」，现为「{body.new}」（{cn_date(body.since)}起，依据{body.basis}）"
            )


def _dates(text: str) -> Iterator[str]:
    for match in [*CN_DATE.finditer(text), *ISO_DATE.finditer(text)]:
        year, month, day = map(int, match.groups())
        try:
            dt.date(year, month, day)
        except ValueError:
            yield f"日期「{match.group()}」不存在"
    for match in MONTH_DAY.finditer(text):
        month, day = map(int, match.groups())
        try:
            dt.date(2028, month, day)  # a leap year: 2月29日 exists in some year
        except ValueError:
            yield f"日期「{match.group()}」不存在"


def _doc_nos(text: str) -> Iterator[str]:
    for match in BAD_DOC_NO.finditer(text):
        yield f"文号中的「{match.group(1)}」写法不规范：年份用六角括号〔〕，序号不编虚位（如 青政办〔2025〕12号）"


def _field_doc_no(doc: Document) -> list[Evidence]:
    if doc.doc_no == NONE:
        return []
    line = doc.origin.line_of("文号")
    found = DOC_NO.fullmatch(doc.doc_no)
    if found is None:
        message = f"文号「{doc.doc_no}」不是「机关代字〔年份〕序号号」的格式"
    elif int(found.group(1)) > doc.published.year:
        message = f"文号「{doc.doc_no}」的年份晚于发布日期 {cn_date(doc.published)}"
    else:
        return []
    return [Evidence(f"「{doc.title}」：{message}", urls.document(doc), doc.origin.path, line)]


class Places:
    """The county's own place names, and a lookup of the strings one character away from one of them."""

    def __init__(self, county: County, elsewhere: tuple[str, ...]) -> None:
        self.known = {
            county.config.name,
            *(t.name for t in county.towns),
            *(v.name for v in county.villages),
            *elsewhere,
        }
        self.towns = tuple(t.name for t in county.towns)
        self.near: dict[str, str] = {}
        self.lengths: set[int] = set()
        for name in (county.config.name, *self.towns, *(v.name for v in county.villages)):
            if len(name) < 3 or name[-1] not in SUFFIXES:
                continue
            self.lengths.add(len(name))
            for i in range(len(name) - 1):
                self.near.setdefault(name[:i] + "?" + name[i + 1 :], name)
        self.villages = {v.name for v in county.villages}

    def misspelt(self, text: str) -> Iterator[str]:
        """A place name with one character wrong (a village's only right after one of the county's towns)."""
        for end, char in enumerate(text):
            if char not in SUFFIXES:
                continue
            for length in self.lengths:
                start = end + 1 - length
                written = text[start : end + 1]
                if start < 0 or written in self.known or not _cjk(written):
                    continue
                name = self._closest(written)
                if name and (name not in self.villages or text[:start].endswith(self.towns)):
                    yield f"「{written}」疑似「{name}」的错写"

    def _closest(self, written: str) -> str | None:
        for i in range(len(written) - 1):
            if written[i] in SUFFIXES:
                continue  # 「城乡镇」 in 「城乡镇村」 is two words, not 城关镇 misspelt
            name = self.near.get(written[:i] + "?" + written[i + 1 :])
            if name:
                return name
        return None


def _cjk(text: str) -> bool:
    return all("\u4e00" <= c <= "\u9fff" for c in text)
