"""组配分类 of export rows: the 信息类别/栏目 names real CMSs use, mapped to gongkai's vocabulary.

``KIND_TABLE`` is the documented table (the clerk guide prints it): a name on the left is read as the
kind on the right. A county's own table (import-map.yml 组配分类对照) comes first; a name already in the
vocabulary stays itself. With no column, or a name nobody maps, the title decides when it says what it
is (「……政策解读」, 「……公示」, 「……年度报告」); otherwise the row is 「待定」 and reported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..model.document import INTERPRETATION_KIND, PENDING

KIND_TABLE: dict[str, str] = {
    "公示": "公示公告",
    "公告": "公示公告",
    "公告公示": "公示公告",
    "公示公告": "公示公告",
    "通知": "通知公告",
    "通告": "通知公告",
    "年报": "年度报告",
    "年度报告": "年度报告",
    "政府信息公开年报": "年度报告",
    "政府信息公开年度报告": "年度报告",
    "工作年报": "年度报告",
    "规划": "规划计划",
    "计划": "规划计划",
    "计划总结": "规划计划",
    "规划计划": "规划计划",
    "发展规划": "规划计划",
    "工作计划": "规划计划",
    "人事": "人事信息",
    "人事任免": "人事信息",
    "任免信息": "人事信息",
    "人事信息": "人事信息",
    "招录招聘": "人事信息",
    "统计": "统计信息",
    "统计数据": "统计信息",
    "统计公报": "统计信息",
    "统计信息": "统计信息",
    "财政": "财政信息",
    "财政资金": "财政信息",
    "财政预决算": "财政信息",
    "预决算": "财政信息",
    "部门预决算": "财政信息",
    "财政信息": "财政信息",
    "规范性文件": "行政规范性文件",
    "行政规范性文件": "行政规范性文件",
    "政策法规": "政策文件",
    "政府文件": "政策文件",
    "部门文件": "政策文件",
    "政策文件": "政策文件",
    "解读": INTERPRETATION_KIND,
    "政策解读": INTERPRETATION_KIND,
    "图解": INTERPRETATION_KIND,
    "解读回应": INTERPRETATION_KIND,
    "动态": "工作动态",
    "工作动态": "工作动态",
    "政务动态": "工作动态",
    "部门动态": "工作动态",
    "乡镇动态": "工作动态",
    "工作信息": "工作动态",
    "征求意见": "意见征集",
    "意见征集": "意见征集",
    "回应关切": "回应关切",
}
_TITLE_HINTS = (
    (re.compile(r"解读|图解|一图读懂|问答"), INTERPRETATION_KIND, "标题含「{0}」"),
    (re.compile(r"公示|公告"), "公示公告", "标题含「{0}」"),
    (re.compile(r"年度报告|年报"), "年度报告", "标题含「{0}」"),
    (re.compile(r"征求.{0,30}意见"), "意见征集", "标题含「{0}」"),
    (re.compile(r"规划|计划"), "规划计划", "标题含「{0}」"),
    (re.compile(r"统计"), "统计信息", "标题含「{0}」"),
)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class KindGuess:
    """The kind (「待定」 when unsure) and why, in Chinese."""

    kind: str
    reason: str

    @property
    def decided(self) -> bool:
        """Whether a kind was found."""
        return self.kind != PENDING


def guess_kind(cell: str, title: str, vocabulary: tuple[str, ...], county: Mapping[str, str]) -> KindGuess:
    """The kind of a row from its 信息类别/栏目 cell, else from its title."""
    name = _SPACES.sub("", cell or "")
    if name in county:
        return _in(county[name], vocabulary, f"import-map.yml 的组配分类对照：「{name}」→ {county[name]}")
    if name in vocabulary:
        return KindGuess(name, "导出表的信息类别")
    if name in KIND_TABLE:
        return _in(KIND_TABLE[name], vocabulary, f"对照表：「{name}」→ {KIND_TABLE[name]}")
    for pattern, kind, reason in _TITLE_HINTS:
        found = pattern.search(title)
        if found and kind in vocabulary:
            said = f"导出表的信息类别「{name}」不在列表中；" if name else ""
            return KindGuess(kind, said + reason.format(found.group()))
    if name:
        return KindGuess(PENDING, f"「{name}」不在组配分类列表和对照表中，标题也看不出")
    return KindGuess(PENDING, "导出表没有信息类别，标题也看不出")


def _in(kind: str, vocabulary: tuple[str, ...], reason: str) -> KindGuess:
    if kind in vocabulary:
        return KindGuess(kind, reason)
    return KindGuess(PENDING, f"{reason}，但 county.yml 的组配分类中没有「{kind}」")
