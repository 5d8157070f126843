"""Read a list exported from a legacy CMS (XLSX or CSV) into drafts: every field the export carries, converted;
what exports lack (领域, credit codes, 解读对象) is left to ``gongkai.migrate``. Only a row without a title
or a readable 发布日期 is refused."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from ..errors import Problem
from ..model.document import SUBJECTS, VALIDITY
from .docno import normalise_doc_no
from .tables import Row, read_table

DEFAULT_KIND = "通知公告"
OTHER_SUBJECT = "其他"
COLUMNS: dict[str, tuple[str, ...]] = {
    # field → the headers legacy systems give it; the first is the Document key (正文, 链接 are not keys)
    "索引号": ("索引号",),
    "标题": ("标题", "信息名称", "名称", "文件名称"),
    "文号": ("文号", "发文字号", "发布文号"),
    "发布机构": ("发布机构", "发文机关", "发文单位", "信息来源"),
    "成文日期": ("成文日期", "发文日期", "生成日期"),
    "发布日期": ("发布日期", "公开日期", "发布时间"),
    "主题分类": ("主题分类", "主题", "主题导航"),
    "领域": ("领域",),
    "组配分类": ("组配分类", "信息类别", "体裁分类", "文种", "信息分类"),
    "栏目": ("栏目", "所属栏目", "栏目名称", "频道"),
    "关键词": ("关键词", "主题词"),
    "内容概述": ("内容概述", "摘要"),
    "有效性": ("有效性", "时效"),
    "解读对象": ("解读对象",),
    "正文": ("正文", "内容"),
    "链接": ("链接", "原文链接", "URL"),
}
_HEADER_OF = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}
IGNORED = frozenset({"序号", "编号"})
"""Columns every export has that carry nothing a document keeps: left out without a warning."""
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]+\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d+)?)?)?"
)  # a time after the date is dropped
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_LATEST_SERIAL = (dt.date(2100, 1, 1) - _EXCEL_EPOCH).days
_EARLIEST_YEAR = 1949
_NO_DOC_NO = ("-", "—", "/", "／", "——")  # what CMS exports put for 「无」
_KEYWORD_SPLIT = re.compile(r"[、，,;；\s]+")
_URL = re.compile(r"https?://[^\s<>\"]+")
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_BLANK_LINES = re.compile(r"\n{3,}")


RAW = ("发布机构", "组配分类", "栏目", "领域", "解读对象")
"""The cells kept as written, for the guesses of ``gongkai.migrate``."""


@dataclass(frozen=True)
class Draft:
    """One row that can become a document: the fields read from it, and the cells left to guess from."""

    row: int
    fields: dict[str, Any]
    """Document keyword arguments: title, index_no, doc_no, written, published, subject, keywords, summary,
    validity, body."""
    cells: dict[str, str]
    """RAW key → the cell's text (maybe empty)."""

    @property
    def title(self) -> str:
        """The document's title."""
        return str(self.fields["title"])


@dataclass
class LegacyTable:
    """Every row of a legacy list: the drafts, the refused rows' problems and the warnings."""

    drafts: list[Draft] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def read_legacy(path: Path, rel: str) -> tuple[LegacyTable, list[Problem]]:
    """The rows of a legacy list as drafts; problems that stop the whole file come second."""
    rows, problems = _read_rows(path, rel)
    table = LegacyTable()
    if problems:
        return table, problems
    table.warnings += _column_warnings(rel, rows)
    for number, values in rows:
        row = _Row(rel, number, _by_field(values))
        draft = _draft(row)
        table.refused += row.refused
        if draft is not None:
            table.drafts.append(draft)
            table.warnings += row.warnings
    return table, []


def _read_rows(path: Path, rel: str) -> tuple[list[Row], list[Problem]]:
    """The rows under the header, the first row naming a title column; title rows above it are skipped."""
    return read_table(path, rel, tuple(COLUMNS["标题"]))


def _column_warnings(rel: str, rows: list[Row]) -> list[Problem]:
    headers = list(dict.fromkeys(h for _, values in rows for h in values))
    known = "、".join(COLUMNS)
    warnings = [
        Problem(rel, None, h, "未识别的列，已忽略", f"可识别的列：{known}", warning=True)
        for h in headers
        if _normal_header(h) not in _HEADER_OF and _normal_header(h) not in IGNORED
    ]
    if rows and not any(_HEADER_OF.get(_normal_header(h)) == "主题分类" for h in headers):
        warnings.append(
            Problem(
                rel,
                None,
                "主题分类",
                f"表格没有主题分类列，主题分类都写为「{OTHER_SUBJECT}」",
                "导入后请逐个改为 22 个主题大类之一",
                warning=True,
            )
        )
    return warnings


def _normal_header(header: str) -> str:
    return re.sub(r"\s+", "", header).strip("*＊:：").upper()


def _by_field(values: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for header, value in values.items():
        key = _HEADER_OF.get(_normal_header(header))
        if key and _blank(found.get(key)):
            found[key] = value
    return found


class _Row:
    """One row being converted: its values by field key, and the problems found so far."""

    def __init__(self, rel: str, number: int, values: dict[str, Any]) -> None:
        self.rel, self.number, self.values = rel, number, values
        self.refused: list[Problem] = []
        self.warnings: list[Problem] = []

    def refuse(self, key: str, message: str, fix: str) -> None:
        self.refused.append(Problem(self.rel, self.number, key, message, fix))

    def warn(self, key: str, message: str, fix: str = "") -> None:
        self.warnings.append(Problem(self.rel, self.number, key, message, fix, warning=True))

    def text(self, key: str) -> str:
        """The cell as one line of text (CMS exports often leave entities such as &ldquo; in titles)."""
        return " ".join(html.unescape(self.block(key)).split())

    def block(self, key: str) -> str:
        """The cell as text, line breaks kept."""
        value = self.values.get(key)
        return "" if value is None else str(value).strip()


def _draft(row: _Row) -> Draft | None:
    published = _published(row)
    fields: dict[str, Any] = {
        "title": _title(row),
        "index_no": row.text("索引号") or None,
        "doc_no": _doc_no(row),
        "written": _written(row, published),
        "published": published,
        "subject": _subject(row),
        "keywords": _keywords(row.text("关键词")),
        "summary": row.text("内容概述") or None,
        "validity": _validity(row),
        "body": _body(row),
    }
    if row.refused:
        return None
    cells = {key: row.text(key) for key in RAW}
    return Draft(row.number, {k: v for k, v in fields.items() if v is not None}, cells)


def _title(row: _Row) -> str:
    title = row.text("标题")
    if not title:
        row.refuse("标题", "缺少标题", "请在表格中补上这一行的标题（信息名称）")
    return title


def _doc_no(row: _Row) -> str:
    text = row.text("文号")
    return normalise_doc_no("" if text in _NO_DOC_NO else text)


def _published(row: _Row) -> dt.date | None:
    published = parse_date(row.values.get("发布日期"))
    if published is None:
        text = row.text("发布日期")
        message = f"日期「{text}」无法识别" if text else "缺少发布日期"
        row.refuse("发布日期", message, "应写成 2024-03-05、2024/3/5 或 2024年3月5日")
    return published


def _written(row: _Row, published: dt.date | None) -> dt.date | None:
    text = row.text("成文日期")
    written = parse_date(row.values.get("成文日期"))
    if text and written is None:
        row.warn("成文日期", f"日期「{text}」无法识别，已按发布日期填写", "导入后请核对成文日期")
    if written and published and written > published:
        row.refuse("成文日期", f"成文日期 {written} 晚于发布日期 {published}", "请核对两个日期")
    return written or published


def parse_date(raw: Any) -> dt.date | None:
    """A date from a cell: an Excel date, a serial number, or text such as 2024-03-05, 2024/3/5, 2024年3月5日."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return _serial_date(raw)
    match = _DATE.fullmatch(str(raw or "").strip())
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _serial_date(serial: float) -> dt.date | None:
    """An Excel serial day number, when it falls in the years a county site can hold."""
    if not 0 < serial < _LATEST_SERIAL:
        return None
    date = _EXCEL_EPOCH + dt.timedelta(days=int(serial))
    return date if date.year >= _EARLIEST_YEAR else None


def _subject(row: _Row) -> str:
    subject = row.text("主题分类").replace("/", "\\")
    if subject.split("\\")[0] in SUBJECTS:
        return subject
    if "主题分类" in row.values:
        found = f"「{subject}」不是主题分类的大类" if subject else "没有主题分类"
        row.warn("主题分类", f"{found}，已写为「{OTHER_SUBJECT}」", "导入后请改为 22 个主题大类之一")
    return OTHER_SUBJECT


def _keywords(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(word for word in _KEYWORD_SPLIT.split(text) if word))


def _validity(row: _Row) -> str | None:
    text = row.text("有效性")
    value = text.removeprefix("已").removeprefix("现行")
    if value in VALIDITY:
        return value
    if text:
        row.warn("有效性", f"「{text}」不是有效性的可选值，已略去", "可选：" + "、".join(VALIDITY))
    return None


def _body(row: _Row) -> str:
    link = _link(row)
    body = to_markdown(row.block("正文"), link)
    if body:
        return body
    if link:
        return f"原文链接：<{link}>"
    row.warn("正文", "没有正文，也没有原文链接，文件的正文为空", "导入后请补上正文或附件")
    return ""


def _link(row: _Row) -> str | None:
    text = row.text("链接")
    if text and not _URL.fullmatch(text):
        row.warn("链接", f"「{text}」不是完整的网址，已略去", "应以 http:// 或 https:// 开头")
        return None
    return text or None


_ENTITY = re.compile(r"&(#?\w+;)")


def to_markdown(text: str, base: str | None = None) -> str:
    """Markdown from a body cell: HTML is converted (scripts and styles dropped), plain text becomes paragraphs."""
    if not _HTML_TAG.search(text):
        paragraphs = (_literal(line.strip(" \t\u3000\xa0")) for line in text.splitlines())
        return "\n\n".join(p for p in paragraphs if p)
    return _tidy(_html_to_markdown(text, base))


def _html_to_markdown(markup: str, base: str | None) -> str:
    from bs4 import BeautifulSoup  # slow to import; only imports need it
    from markdownify import MarkdownConverter

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup.find_all(["script", "style", "noscript", "iframe", "object", "embed"]):
        tag.decompose()
    for link in soup.find_all("a"):
        if not _resolve(link, "href", base):
            link.unwrap()
    for image in soup.find_all("img"):
        if not _resolve(image, "src", base):
            image.replace_with(str(image.get("alt") or ""))
    class Converter(MarkdownConverter):
        def escape(self, text: str, parent_tags: Any) -> str:
            return _literal(super().escape(text, parent_tags))  # type: ignore[misc]

    converter = Converter(heading_style="ATX", bullets="-", table_infer_header=True)
    return str(converter.convert_soup(soup))


def _literal(text: str) -> str:
    """Text the old page showed as text stays text in Markdown: 「<script>」 shown on the page (written
    &lt;script&gt;) is no tag, 「[x](javascript:…)」 no link, 「&lt;」 no entity."""
    text = _ENTITY.sub(r"&amp;\1", text)
    text = text.replace("<", "&lt;").replace("[", "\\[").replace("]", "\\]")
    return text.replace("\\](", "\\]\\(")


def _resolve(tag: Any, attribute: str, base: str | None) -> bool:
    """Make the tag's URL absolute against the original page; False when it cannot point anywhere real."""
    url = urljoin(base or "", str(tag.get(attribute) or "").strip())
    if not (_URL.fullmatch(url) or url.startswith("mailto:")):
        return False
    tag[attribute] = url
    return True


def _tidy(markdown: str) -> str:
    lines = (line.lstrip("\u3000\xa0") for line in markdown.splitlines())
    text = "\n".join(line if line.strip() else "" for line in lines)
    return _BLANK_LINES.sub("\n\n", text).strip()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
