"""The county's configuration (county.yml): names, filing numbers, contacts and issuing bodies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .memo import remembered
from .origin import NOWHERE, Origin
from .schema import spec

DEFAULT_INDEX_TEMPLATE = "{机构代码}/{年月}-{序号:05d}"

PAPERS = ("A4竖向", "A4横向", "A3横向")
"""Paper for notice sheets; wide tables go landscape (GB/T 9704)."""

DEFAULT_KINDS = (
    "通知公告",
    "政策文件",
    "行政规范性文件",
    "政策解读",
    "意见征集",
    "回应关切",
    "政策咨询",
    "工作动态",
    "规划计划",
    "财政信息",
    "人事信息",
    "统计信息",
    "其他",
    "公示公告",
    "年度报告",
)
"""Appended, never inserted: a kind's listing URL is its position (/xxgk/fdzdgknr/kind-N/)."""
REPORT_KIND = "年度报告"
"""The 组配分类 whose column lists the 政府信息公开工作年度报告 (reports/) beside its documents."""


@dataclass(frozen=True, kw_only=True)
class Agency:
    """An issuing body (发布机构)."""

    name: str = spec("名称", "机构全称，文件的「发布机构」必须与此一致。", example="青溪县人民政府办公室")
    credit_code: str | None = spec(
        "统一社会信用代码",
        "18 位统一社会信用代码，用于生成索引号。导入时新增的机构先空着；空着时它的文件不分配索引号、暂不发布"
        "（check 逐个警告），填写后运行 gongkai index assign。",
        required=False,
        example="11341700MB1714830K",
    )
    short: str | None = spec("简称", "简称，也可以写在文件的「发布机构」中。", required=False, example="县政府办")
    aliases: tuple[str, ...] = spec(
        "别名",
        "旧网站或其他文件里的其他写法（如「县民政局」「民政局」），导入和检查时都认作本机构。",
        kind="list",
        required=False,
        default=(),
        example="[青溪民政局]",
    )
    origin: Origin = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, kw_only=True)
class Phone:
    """A named telephone line printed on sheets and pages."""

    name: str = spec("名称", "电话的用途或单位。", example="县财政局监督电话")
    number: str = spec("号码", "电话号码（固定电话或热线，不写个人手机）。", example="0550-7012345")
    origin: Origin = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, kw_only=True)
class ApplicationOffice:
    """Where and how to apply for government information (county.yml's 依申请公开): the 指南 page and the form."""

    office: str = spec("受理机构", "受理政府信息公开申请的机构。", example="青溪县人民政府办公室（县政务公开办公室）")
    address: str = spec(
        "地址", "受理机构的办公地址（当面申请、邮寄申请）。", example="青溪县城关镇人民路1号县政务中心3楼"
    )
    postcode: str = spec("邮政编码", "受理机构的 6 位邮政编码。", example='"247100"')
    hours: str = spec("受理时间", "当面受理的时间。", example="工作日 8:30-12:00，14:30-17:30（法定节假日除外）")
    phone: str = spec("电话", "咨询电话。", example="0550-7073558")
    fax: str | None = spec("传真", "受理传真申请的号码；不写则不受理传真申请。", required=False, example="0550-7073559")
    email: str | None = spec(
        "电子邮箱",
        "受理网上申请的电子邮箱；不写则不受理电子邮件申请。",
        required=False,
        example="ysq@qingxi.example.cn",
    )
    fees: str | None = spec(
        "收费",
        "收费说明；不写则为「依申请提供政府信息，不收取费用」（超出合理范围的按国家规定收取信息处理费）。",
        required=False,
        example="依申请提供政府信息，不收取费用。",
    )
    origin: Origin = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, kw_only=True)
class Abbreviation:
    """写法相同意思的一组词（简称与全称），搜索时互相查找。"""

    forms: tuple[str, ...] = spec(
        "写法",
        "同一个意思的两种或几种写法（简称、全称），每种写法中间不能有空格。搜索其中一种，也会找到写另一种的页面，"
        "这些结果排在后面并注明「按某某找到」。",
        kind="list",
        example="[一事一议, 村民一事一议筹资筹劳]",
    )
    note: str | None = spec("说明", "这组写法的来历或用法，只给维护的人看。", required=False, example="村级公益事业")
    origin: Origin = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, kw_only=True)
class CountyConfig:
    """The county site's own settings, read from ``county.yml``."""

    name: str = spec("县名", "县（区）名称。", example="青溪县")
    site_name: str = spec("网站名称", "显示在每页顶部的网站名称。", example="青溪县人民政府信息公开网")
    sponsor: str = spec("主办单位", "页脚的主办单位。", example="青溪县人民政府办公室")
    contact_phone: str = spec("联系电话", "页脚的主办单位联系电话。", example="0550-7011234")
    address: str = spec("联系地址", "政府信息公开工作机构的地址。", example="青溪县城关镇人民路 1 号")
    email: str | None = spec("电子邮箱", "网上联系方式。", required=False, example="xxgk@qingxi.example.cn")
    office_hours: str | None = spec(
        "办公时间", "依申请公开受理时间。", required=False, example="工作日 8:30-12:00，14:30-17:30"
    )
    emblem: str | None = spec(
        "标志",
        "网站顶部横幅中县名旁的标志图片（如县徽），也用作浏览器标签上的图标。图片放在 theme/ 目录中，"
        "这里写相对于 theme/ 的路径；PNG、JPG 或 WebP，正方形，至少 96×96 像素。不写则横幅只显示网站名称。",
        kind="path",
        required=False,
        example="images/logo.png",
    )
    site_code: str = spec("网站标识码", "10 位网站标识码。", example="3417000012")
    icp: str = spec("ICP备案号", "形如「皖ICP备12345678号」。", example="皖ICP备12345678号")
    police_filing: str = spec(
        "公安备案号", "形如「皖公网安备34170002000123号」。", example="皖公网安备34170002000123号"
    )
    index_template: str = spec(
        "索引号模板",
        "生成索引号的模板，可用 {机构代码}、{年}、{年月}、{序号:05d}。",
        required=False,
        default=DEFAULT_INDEX_TEMPLATE,
        example=DEFAULT_INDEX_TEMPLATE,
    )
    agencies: tuple[Agency, ...] = spec("发布机构", "本县所有发布机构的列表。", kind="records", record=Agency)
    hotlines: tuple[Phone, ...] = spec(
        "公开电话", "可以公开的政务热线和监督电话。", kind="records", record=Phone, required=False, default=()
    )
    kinds: tuple[str, ...] = spec(
        "组配分类",
        "可用的组配分类（文种）列表；不写则用默认列表。",
        kind="list",
        required=False,
        default=DEFAULT_KINDS,
        example="[通知公告, 政策文件]",
    )
    holidays: tuple[dt.date, ...] = spec(
        "节假日",
        "法定节假日（不算工作日）的日期列表，用于计算解读是否在 3 个工作日内发布。",
        kind="dates",
        required=False,
        default=(),
        example="[2026-10-01, 2026-10-02]",
    )
    extra_workdays: tuple[dt.date, ...] = spec(
        "调休工作日", "调休上班的周六、周日日期列表。", kind="dates", required=False, default=(), example="[2026-10-11]"
    )
    application: ApplicationOffice | None = spec(
        "依申请公开",
        "受理政府信息公开申请的机构和联系方式（下一行起缩进书写各项）。",
        kind="record",
        record=ApplicationOffice,
        default=None,  # required in county.yml; None only for records built in code
    )
    site_url: str | None = spec(
        "网站地址",
        "网站的公网地址（https://…），用于公示表上的二维码；不写则公示表不印二维码。",
        kind="url",
        required=False,
        example="https://www.qingxi.example.cn/",
    )
    keep_days: int = spec(
        "公示后保留天数",
        "公示期结束后，网页上继续显示名单的天数；此后只显示各项补贴的户数和金额合计。",
        kind="int",
        required=False,
        default=30,
        example="30",
    )
    paper: str = spec(
        "纸张",
        "公示表的默认纸张：A4竖向、A4横向或A3横向；村和公示名单可以另行指定。",
        kind="choice",
        choices=PAPERS,
        required=False,
        default="A4竖向",
        example="A4竖向",
    )
    abbreviations: tuple[Abbreviation, ...] = spec(
        "搜索缩略语",
        "本县另加的简称和全称（gongkai 已内置「低保—最低生活保障」「医保—医疗保障」等常用的一组，见使用指南）。",
        kind="records",
        record=Abbreviation,
        required=False,
        default=(),
    )
    origin: Origin = field(default=NOWHERE, compare=False)

    def agency(self, name: str) -> Agency | None:
        """The agency with this full name, short name or alias; else the one whose name differs only by the
        county's name or 「县」 in front (「民政局」, 「县民政局」 and 「青溪县民政局」 are one)."""
        return remembered(self, ("agency", name), lambda: self._agency(name))

    def _agency(self, name: str) -> Agency | None:
        for agency in self.agencies:
            if name in (agency.name, agency.short) or name in agency.aliases:
                return agency
        key = self.agency_key(name)
        return next((a for a in self.agencies if key in {self.agency_key(n) for n in (a.name, a.short) if n}), None)

    def agency_key(self, name: str) -> str:
        """An agency name without the county's name or 「县」 in front, white space removed."""
        name = "".join(name.split())
        for prefix in (self.name, self.name.removesuffix("县").removesuffix("区"), "县"):
            if prefix and name.startswith(prefix) and len(name) > len(prefix) + 1:
                return name[len(prefix) :]
        return name
