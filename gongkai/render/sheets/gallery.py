"""The sheet gallery: a sample of every sheet kind and size, as PDF and PNG, with one index page.

``make gallery`` (``python -m gongkai.render.sheets.gallery``) writes ``gallery/``: look at
``gallery/index.html`` to see every sheet as a village committee would post it. The same samples
are what the layout tests measure (tests/render/test_layout.py), so what is looked at is what is
tested. The data is made up here, deterministically; the names include CJK Extension A/B
characters and 「·」 minority names.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import html
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from gongkai.model import Agency, CountyConfig, PayoutList, PayoutRow, Phone, Town, Village, VillageItem

from .context import PrintContext, sheet_context
from .pdf import render_batch
from .village import CoverContext, CoverLine, catalogue_context, year_context

ROW_COUNTS = (1, 5, 12, 20, 21, 37, 300)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("秀兰", "建国", "桂英", "志强", "玉梅", "德华", "小明", "春花", "海燕", "国平", "丽", "军")
LONG_NAMES = ("欧阳春花", "阿卜杜·热合曼", "买买提·艾力", "司马䶮", "吉𠮷祥", "诸葛明月光", "古丽娜尔·吐")
"""Six characters and more, Extension A (䶮) and B (𠮷), minority names with 「·」."""
GROUPS = ("第一村民组", "第二村民组", "第三村民组", "第十二村民小组", "东山组", "第五居民小组")
BASIS = "《青溪县2026年耕地地力保护补贴实施方案》（青政办〔2026〕12号）"
PHONES = (
    Phone(name="县财政局监督电话", number="0550-7012345"),
    Phone(name="县农业农村局政策咨询电话", number="0550-7023456"),
)
TOWN = Town(code="chengguan", name="城关镇", phones=(Phone(name="城关镇纪委监督电话", number="0550-7045678"),))
VILLAGE = Village(code="shangxi", name="上溪村", town="chengguan")
COUNTY = CountyConfig(
    name="青溪县",
    site_name="青溪县人民政府信息公开网",
    sponsor="青溪县人民政府办公室",
    contact_phone="0550-7011234",
    address="青溪县城关镇人民路 1 号",
    site_code="3417000012",
    icp="皖ICP备12345678号",
    police_filing="皖公网安备34170002000123号",
    agencies=(Agency(name="青溪县人民政府办公室", credit_code="11341700MB1714830K"),),
)
ITEMS = (
    ("村年度工作计划和村民代表会议决议", "《中华人民共和国村民委员会组织法》第三十条", "每季度至少一次"),
    ("村级财务收支情况", "《中华人民共和国村民委员会组织法》第三十条", "每月一次"),
    ("5万元以上重大事项及进度", "《中华人民共和国村民委员会组织法》第二十四条", "随时公开"),
    ("宅基地审批", "《中华人民共和国土地管理法》第六十二条", "审批结果形成后10日内"),
    ("政府部门对农业补贴", "《安徽省惠民惠农财政补贴资金“一卡通”管理办法》", "补贴发放后7日内"),
    ("低保对象名单", "《社会救助暂行办法》", "每季度一次"),
    ("残疾人两项补贴名单", "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》", "每年至少一次"),
)


@dataclass(frozen=True)
class Sample:
    """One sheet of the gallery: a file name, what it shows, its context, its table rows."""

    name: str
    caption: str
    context: PrintContext
    rows: int


def person(i: int, long_names: bool) -> str:
    if long_names and i % 3 == 0:
        return LONG_NAMES[(i // 3) % len(LONG_NAMES)]
    return SURNAMES[i * 7 % len(SURNAMES)] + GIVEN[i * 5 % len(GIVEN)]


def row(i: int, *, long_names: bool = False, bank: bool = False, unit: str = "亩") -> PayoutRow:
    quantity = Decimal(1 + i * 37 % 900) / 100 + 1 if unit == "亩" else Decimal(1 + i % 3)
    rate = Decimal("103.5") if unit == "亩" else Decimal(960)
    return PayoutRow(
        name=person(i, long_names),
        group=GROUPS[i % len(GROUPS)] if long_names else GROUPS[i % 3],
        id_number=f"341722********{i * 7919 % 10000:04d}",
        quantity=quantity,
        rate=rate,
        amount=(quantity * rate).quantize(Decimal("0.01")),
        paid_on=dt.date(2026, 6, 30),
        note="新增农户补发上年度补贴" if long_names and i % 7 == 3 else ("代领" if i % 11 == 5 else None),
        bank_card=f"***************{i * 31 % 10000:04d}" if bank else None,
    )


def payout(
    count: int, *, subsidy: str = "耕地地力保护补贴", unit: str = "亩", phones: int = 3, **kinds: bool
) -> PayoutList:
    return PayoutList(
        subsidy=subsidy,
        year=2026,
        basis=BASIS,
        unit=unit,
        table="sample.csv",
        notice_start=dt.date(2026, 11, 20),
        notice_end=dt.date(2026, 11, 26),
        issued=dt.date(2026, 11, 20),
        phones=PHONES[: min(phones, 2)],
        rows=tuple(row(i, unit=unit, **kinds) for i in range(count)),
        slug=f"s{count}",
        town="chengguan",
        village="shangxi",
    )


def samples() -> Iterator[Sample]:
    """Every sheet kind and size worth looking at."""
    town = TOWN
    for count in ROW_COUNTS:
        ctx = sheet_context(payout(count), VILLAGE, town, COUNTY)
        yield Sample(f"payout-{count:03d}", f"补贴公示表，{count} 户，A4 竖向，3 个电话", ctx, count)
    long = sheet_context(payout(37, long_names=True), VILLAGE, town, COUNTY)
    yield Sample("payout-long-names", "长姓名（6 字、扩展 A/B 区汉字、少数民族姓名）、长组名、长备注，37 户", long, 37)
    bank = sheet_context(payout(20, bank=True, long_names=True), VILLAGE, town, COUNTY)
    yield Sample("payout-bank", "带银行卡号列，20 户，A4 竖向", bank, 20)
    many = dataclasses.replace(town, phones=(*town.phones, Phone(name="城关镇党政办公室", number="0550-7122689")))
    six = sheet_context(
        payout(18),
        dataclasses.replace(VILLAGE, phones=(Phone(name="上溪村委会", number="0550-7034567"),)),
        many,
        COUNTY,
    )
    yield Sample("payout-018-phones", "18 户，5 个电话", six, 18)
    for size, paper in (("A4 landscape", "a4-landscape"), ("A3 landscape", "a3-landscape")):
        for count in (21, 37):
            ctx = dataclasses.replace(sheet_context(payout(count), VILLAGE, town, COUNTY), page_size=size)
            yield Sample(f"payout-{paper}-{count:03d}", f"补贴公示表，{count} 户，{size}", ctx, count)
    site = dataclasses.replace(COUNTY, site_url="https://www.qingxi.example.cn")
    qr = sheet_context(payout(20), VILLAGE, town, site, "villages/chengguan/shangxi/")
    yield Sample("payout-020-qr", "20 户，印二维码（county.yml 写了网站地址）", qr, 20)
    lists = [
        payout(12),
        dataclasses.replace(payout(7, unit="人", subsidy="农村部分计划生育家庭奖励扶助金"), slug="jlfz"),
        dataclasses.replace(payout(23, long_names=True, subsidy="农机购置补贴"), slug="njgz"),
    ]
    year = year_context(lists, VILLAGE, town, COUNTY)
    yield Sample("year-3-subsidies", "年度发放结果公示：3 个补贴项目（12、7、23 户）", year, 42)
    big = year_context(
        [*lists, dataclasses.replace(payout(37), subsidy="耕地地力保护补贴（第二批）", slug="b2")],
        VILLAGE,
        town,
        COUNTY,
    )
    yield Sample("year-4-subsidies", "年度发放结果公示：4 个补贴项目，79 户次", big, 79)
    for count in (7, 15):
        village = dataclasses.replace(VILLAGE, items=tuple(item(i) for i in range(count)))
        listed = catalogue_context(village, town, COUNTY)
        yield Sample(f"catalogue-{count:02d}", f"公开事项目录，{count} 项，A4 横向", listed, count)
    community = dataclasses.replace(VILLAGE, name="城东社区", items=tuple(item(i) for i in range(7)))
    yield Sample("catalogue-community", "社区的居务公开事项目录，7 项", catalogue_context(community, town, COUNTY), 7)
    yield Sample("cover-40", "打印包目录页，40 张公示表", cover(40), 40)


def item(i: int) -> VillageItem:
    name, basis, deadline = ITEMS[i % len(ITEMS)]
    return VillageItem(
        number=str(i + 1),
        item=name,
        basis=basis,
        deadline=deadline,
        body="村民委员会" if i % 3 else "村民委员会、乡镇人民政府",
        channels=("村务公开栏", "村民微信群") if i % 2 else ("村务公开栏",),
    )


def cover(count: int) -> CoverContext:
    lines, first = [], 3
    for i in range(count):
        pages = 1 + i % 3
        lines.append(
            CoverLine(
                village=f"{'上下东西南北'[i % 6]}溪村",
                sheet=f"2026年耕地地力保护补贴发放结果公示（第{i + 1}批）",
                pages=pages,
                first_page=first,
            )
        )
        first += pages
    return CoverContext(
        title="城关镇2026年度村（居）务公开公示表",
        town_name="城关镇",
        year=2026,
        villages=6,
        lines=tuple(lines),
        pages=first - 1,
        cover_pages=2,
        issued=dt.date(2026, 12, 1),
    )


def render(out: Path, resolution: int = 60) -> list[tuple[Sample, int]]:
    """Write every sample's PDF and PNG pages into out, and out/index.html; the samples and page counts."""
    if shutil.which("pdftoppm") is None:
        raise SystemExit("错误：画廊需要 pdftoppm 把 PDF 转成图片。请安装：sudo apt-get install poppler-utils")
    out.mkdir(parents=True, exist_ok=True)
    found = list(samples())
    done = render_batch([s.context for s in found])
    shown = []
    for sample, (pdf, pages) in zip(found, done, strict=True):
        (out / f"{sample.name}.pdf").write_bytes(pdf)
        for old in out.glob(f"{sample.name}-*.png"):
            old.unlink()
        subprocess.run(
            ["pdftoppm", "-r", str(resolution), "-png", f"{sample.name}.pdf", sample.name], cwd=out, check=True
        )
        shown.append((sample, pages))
    (out / "index.html").write_text(index(out, shown), encoding="utf-8")
    return shown


def index(out: Path, shown: list[tuple[Sample, int]]) -> str:
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><meta charset='utf-8'><title>公示表画廊</title>",
        "<style>body{font-family:sans-serif;background:#777;margin:1em}h2{color:#fff;font-size:1em;margin:1.5em 0 .3em}"
        "img{background:#fff;margin:0 .5em .5em 0;box-shadow:0 0 4px #000;vertical-align:top}</style>",
        "<h1 style='color:#fff'>公示表画廊</h1>",
    ]
    for sample, pages in shown:
        parts.append(f"<h2>{html.escape(sample.name)}：{html.escape(sample.caption)}（{pages} 页）</h2><div>")
        for png in sorted(out.glob(f"{sample.name}-*.png")):
            parts.append(f"<a href='{sample.name}.pdf'><img src='{png.name}' alt=''></a>")
        parts.append("</div>")
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="gallery", description="把各种公示表的样张生成为 PDF 和 PNG，放在一个网页里查看"
    )
    parser.add_argument("--out", type=Path, default=Path("gallery"), help="输出目录（默认：gallery/）")
    parser.add_argument("--dpi", type=int, default=60, help="图片分辨率（默认：60）")
    args = parser.parse_args(argv)
    shown = render(args.out, args.dpi)
    print(f"画廊：{args.out / 'index.html'}（{len(shown)} 张公示表，{sum(p for _, p in shown)} 页）", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
