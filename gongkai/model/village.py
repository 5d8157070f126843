"""Towns, villages, each village's 公开事项目录, and the payout lists posted on notice boards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from .config import PAPERS, Phone
from .origin import NOWHERE, Origin
from .schema import CODE, CODE_DOC, spec

if TYPE_CHECKING:
    from ..errors import Problem


@dataclass(frozen=True, kw_only=True)
class Town:
    """A town (乡镇), read from ``villages/<town>/town.yml``."""

    code: str = spec("代码", "小写拼音缩写，用作网址。", example="chengguan", pattern=CODE, pattern_doc=CODE_DOC)
    name: str = spec("名称", "乡镇全称。", example="城关镇")
    phones: tuple[Phone, ...] = spec(
        "电话", "乡镇的监督举报和咨询电话。", kind="records", record=Phone, required=False, default=()
    )
    origin: Origin = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, kw_only=True)
class VillageItem:
    """One row of a village's 村(居)务公开事项目录."""

    number: str = spec("序号", "序号。", example="1")
    item: str = spec("公开事项", "公开事项。", example="村年度计划和村民代表会议决议")
    basis: str = spec("公开依据", "依据。", example="《中华人民共和国村民委员会组织法》第三十条")
    deadline: str = spec("公开时限", "公开时限或频次。", example="每季度至少一次")
    body: str = spec("公开主体", "负责公开的组织。", example="村民委员会")
    channels: tuple[str, ...] = spec("公开渠道", "公开渠道。", kind="list", example="[村务公开栏]")
    levels: tuple[str, ...] = spec(
        "公开层级", "公开层级。", kind="list", required=False, default=("村级",), example="[村级]"
    )
    origin: Origin = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, kw_only=True)
class Village:
    """A village (村) or residents' community (居), read from ``villages/<town>/<village>/village.yml``."""

    code: str = spec(
        "代码", "小写拼音缩写，用作网址，在本乡镇内唯一。", example="shangxi", pattern=CODE, pattern_doc=CODE_DOC
    )
    name: str = spec("名称", "村（居）名称。", example="上溪村")
    committee: str | None = spec(
        "发布单位", "公示落款单位；不写则为「××村民委员会」。", required=False, example="上溪村民委员会"
    )
    phones: tuple[Phone, ...] = spec("电话", "村委会电话。", kind="records", record=Phone, required=False, default=())
    items: tuple[VillageItem, ...] = spec(
        "公开事项目录", "本村的公开事项目录。", kind="records", record=VillageItem, required=False, default=()
    )
    paper: str | None = spec(
        "纸张",
        "本村公示表的纸张（A4竖向、A4横向、A3横向）；不写则用 county.yml 的设置。",
        kind="choice",
        choices=PAPERS,
        required=False,
        example="A4横向",
    )
    town: str = ""
    origin: Origin = field(default=NOWHERE, compare=False)

    @property
    def issuer(self) -> str:
        """Who signs this village's sheets."""
        if self.committee:
            return self.committee
        stem = self.name[:-1] if self.name.endswith("村") else self.name
        return f"{stem}村民委员会" if self.name.endswith("村") else f"{self.name}居民委员会"


@dataclass(frozen=True, kw_only=True)
class PayoutRow:
    """One household's payment in a payout list; personal numbers are stored masked only."""

    name: str = spec("户主姓名", "户主姓名。", example="王秀兰")
    group: str | None = spec("村民小组", "村民小组。", required=False, example="第三村民组")
    id_number: str | None = spec(
        "身份证号", "身份证号，导入时已遮盖为前 6 位和后 4 位。", required=False, example="340123********1234"
    )
    quantity: Decimal | None = spec("数量", "面积或数量。", kind="number", required=False, example="5.2")
    rate: Decimal | None = spec("标准", "补贴标准（元/单位）。", kind="number", required=False, example="110")
    amount: Decimal = spec("金额", "发放金额（元）。", kind="number", example="572.00")
    paid_on: dt.date | None = spec("发放日期", "发放日期。", kind="date", required=False, example="2025-06-30")
    note: str | None = spec("备注", "备注。", required=False)
    bank_card: str | None = spec(
        "银行卡号",
        "惠民惠农一卡通（银行卡）账号，导入时已遮盖为只留后 4 位；只印在公示表上，不上网。",
        required=False,
        example="***************1234",
    )
    phone: str | None = spec(
        "联系电话",
        "户主手机号，导入时已遮盖为前 3 位和后 4 位；不印、不上网，只留作村委会核对。",
        required=False,
        example="138****1234",
    )
    origin: Origin = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class PayoutFacts:
    """What the later stages need of a payout list's rows besides the rows themselves, made once from them when
    the table is parsed and kept in the load cache beside them (load/cache.py ``LoadCache.summarized``): a build
    that did not change the table never unpickles its rows to check, count or sum them."""

    households: int
    total: Decimal
    findings: tuple[Problem, ...]
    """What check/villages.py finds in the rows by themselves (amounts, households listed twice), file and row
    included, in the order it reports them."""


@dataclass(frozen=True, kw_only=True)
class PayoutList:
    """A payout list: the YAML description beside its CSV or XLSX table."""

    subsidy: str = spec("补贴项目", "补贴名称。", example="耕地地力保护补贴")
    year: int = spec("年度", "补贴年度。", kind="int", example="2025")
    basis: str = spec(
        "依据", "发放依据（文件名称和文号）。", example="《青溪县2025年耕地地力保护补贴实施方案》（青政办〔2025〕12号）"
    )
    unit: str | None = spec("单位", "数量的单位，例如「亩」「人」。", required=False, example="亩")
    table: str = spec("数据文件", "同一目录下的 CSV 或 XLSX 文件名。", kind="path", example="2025-gdlb.csv")
    notice_start: dt.date = spec("公示开始", "公示期第一天。", kind="date", example="2025-11-20")
    notice_end: dt.date = spec("公示结束", "公示期最后一天（至少 7 天）。", kind="date", example="2025-11-26")
    issued: dt.date = spec("落款日期", "公示落款日期。", kind="date", example="2025-11-20")
    objection: str = spec(
        "异议方式",
        "对公示有异议时怎么办。",
        required=False,
        default="如有异议，请在公示期内向村民委员会或乡镇人民政府反映。",
    )
    phones: tuple[Phone, ...] = spec("电话", "监督举报电话和政策咨询电话。", kind="records", record=Phone)
    paper: str | None = spec(
        "纸张",
        "这张公示表的纸张（A4竖向、A4横向、A3横向）；不写则用村或 county.yml 的设置。",
        kind="choice",
        choices=PAPERS,
        required=False,
        example="A4横向",
    )
    rows: Sequence[PayoutRow] = ()
    """The households; loaded from the cache only when first read (load/cache.py ``Rows``) when the table is
    unchanged since the cache stored it."""
    rows_key: str = field(default="", compare=False, repr=False)
    """What the rows were loaded from, as a hash (load/cache.py ``LoadCache.last``; "": unknown): a sheet's cache
    key names the rows by it instead of hashing 150 000 of them (render/sheets/cache.py ``sheet_inputs``). Whoever
    replaces the rows must replace it too."""
    facts: PayoutFacts | None = field(default=None, compare=False, repr=False)
    """What was found in the rows when they were parsed (None: not known, found in the rows when asked).
    Whoever replaces the rows must replace it too."""
    slug: str = ""
    """The file name without extension; unique within its village."""
    town: str = ""
    village: str = ""
    origin: Origin = field(default=NOWHERE, compare=False)

    @property
    def title(self) -> str:
        """The heading printed on the sheet."""
        return f"{self.year}年{self.subsidy}发放结果公示"

    @property
    def total(self) -> Decimal:
        """The sum of all amounts."""
        if self.facts is not None:
            return self.facts.total
        return sum((row.amount for row in self.rows), Decimal("0"))

    @property
    def households(self) -> int:
        """The number of rows."""
        return self.facts.households if self.facts is not None else len(self.rows)
