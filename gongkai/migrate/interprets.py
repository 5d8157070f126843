"""The policy a 解读 interprets: named in its title (「关于《××办法》的政策解读」, 「《××》解读」,
「图解：××」) or by its 文号 in its body; looked for among the other rows of the export and the documents
already on the site, in one run.

A policy matches a name when its title is the name, or carries it in 《》 (「关于印发《××办法》的通知」).
Only a single match is taken; none or several leave the 解读 「待定」 with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..load.docno import normalise_doc_no

INTERPRETATION_TITLE = re.compile(r"解读|图解|一图读懂|问答")
_NAMED = re.compile(r"《([^《》]+)》")
_PICTURE = re.compile(r"^(?:图解|一图读懂)[:：\s]*(.+)$")
_DOC_NO = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[【(（]\s*\d{4}\s*[〕\]】)）]\s*\d{1,4}\s*号")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Candidate:
    """A document a 解读 may interpret: its key (an export row's number or a source path), title, 文号."""

    key: str
    title: str
    doc_no: str
    is_interpretation: bool = False


@dataclass(frozen=True)
class PolicyGuess:
    """The policy found (its candidate key) or None, and why, in Chinese."""

    key: str | None
    reason: str


def named_policy(title: str) -> str | None:
    """The policy name a 解读's title gives, if it gives one."""
    found = _NAMED.search(title)
    if found:
        return _clean(found.group(1))
    picture = _PICTURE.match(title.strip())
    return _clean(picture.group(1)) if picture else None


def find_policy(title: str, body: str, candidates: Iterable[Candidate]) -> PolicyGuess:
    """The one candidate the 解读 names by title, else by a 文号 in its body."""
    policies = [c for c in candidates if not c.is_interpretation]
    name = named_policy(title)
    if name:
        found = [c for c in policies if _clean(c.title) == name or f"《{name}》" in _clean(c.title)]
        if len(found) == 1:
            return PolicyGuess(found[0].key, f"标题中的《{name}》是{_where(found[0])}的标题")
        if len(found) > 1:
            places = "、".join(_where(c) for c in found)
            return PolicyGuess(None, f"标题中的《{name}》对应 {len(found)} 份文件：{places}")
    for text in dict.fromkeys(normalise_doc_no(m.group()) for m in _DOC_NO.finditer(body)):
        found = [c for c in policies if c.doc_no != "无" and text.endswith(c.doc_no)]  # 「根据青政办〔2024〕3号」
        if len(found) == 1:
            return PolicyGuess(found[0].key, f"正文中的文号「{found[0].doc_no}」是{_where(found[0])}的文号")
    named = f"标题中的《{name}》" if name else "标题中没有书名号里的文件名，"
    return PolicyGuess(None, f"{named}在本表和网站上都找不到对应的文件（正文中也没有可对应的文号）")


def _where(candidate: Candidate) -> str:
    return f"第 {candidate.key} 行" if candidate.key.isdigit() else candidate.key


def _clean(text: str) -> str:
    return _SPACES.sub("", text)
