#!/usr/bin/env python3
# ruff: noqa: E501  (the bodies are prose: a paragraph is one line, as a clerk writes it)
"""A second search corpus, written unlike the demo: the demo county's sources with other documents.

The demo's documents (benchmarks/synth.py) are short and regular. These read like a county's real
notices: numbered sections (一、（一）1.), tables of amounts and dates, dates in prose written every
way clerks write them (2022年3月15日, 2022-03-15, 2022.3.15, 2022/3/15, 2023年03月), 文号 cited in the
body with any brackets (〔〕 [] 【】 () （）, full-width digits), and the abbreviations and full forms
of issue 16 (低保 or 最低生活保障, 公租房 or 公共租赁住房 …), each document using one of them only.
Deterministic: the same seed gives the same files. Usage:

    python benchmarks/corpus2.py --out DIR      # DIR gets county.yml, catalog/, content/ … of a county
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KEEP = ("county.yml", "mkdocs.yml", "catalog", "content", "villages", "theme", "reports")
"""The demo's sources kept; content/documents is replaced, index-ledger.csv starts empty."""
SEED = "gongkai-corpus2"
TOWNS = ("城关镇", "桃岭镇", "石门镇", "柳塘乡", "云山乡")
BRACKETS = ("〔{}〕", "[{}]", "【{}】", "({})", "（{}）")
WIDE = str.maketrans("0123456789", "０１２３４５６７８９")


def date_spelled(rng: random.Random, year: int, month: int, day: int) -> str:
    """One date as some clerk writes it."""
    forms = (
        f"{year}年{month}月{day}日", f"{year}年{month}月{day}日", f"{year}-{month:02d}-{day:02d}",
        f"{year}.{month}.{day}", f"{year}/{month}/{day}", f"{year}年{month:02d}月{day:02d}日",
    )  # fmt: skip
    return rng.choice(forms)


def month_spelled(rng: random.Random, year: int, month: int) -> str:
    """A month as some clerk writes it."""
    return rng.choice((f"{year}年{month}月", f"{year}年{month:02d}月", f"{year}-{month:02d}", f"{year}.{month}"))


def doc_no_cited(rng: random.Random, prefix: str, year: int, number: int) -> str:
    """A 文号 cited in a body, with any brackets; now and then in full-width digits."""
    text = f"{prefix}{rng.choice(BRACKETS).format(year)}{number}号"
    return text.translate(WIDE) if rng.random() < 0.15 else text


class Writer:
    """Draws the parts of one document."""

    def __init__(self, rng: random.Random, year: int) -> None:
        self.rng = rng
        self.year = year

    def day(self, year: int | None = None) -> str:
        return date_spelled(self.rng, year or self.year, self.rng.randint(1, 12), self.rng.randint(1, 28))

    def month(self, year: int | None = None) -> str:
        return month_spelled(self.rng, year or self.year, self.rng.randint(1, 12))

    def cite(self, prefix: str) -> str:
        return doc_no_cited(self.rng, prefix, self.rng.randint(self.year - 4, self.year), self.rng.randint(1, 60))

    def amount(self, low: int, high: int) -> str:
        return f"{self.rng.randint(low, high):,}"

    def table(self, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)


def dibao(w: Writer, short: bool) -> tuple[str, str, str, str, str]:
    """(title, domain, agency, kind, body) of a 最低生活保障 notice; short: it says 低保 only."""
    name = "低保" if short else "最低生活保障"
    city, rural = w.rng.randint(620, 780), w.rng.randint(480, 640)
    rows = [(town, str(w.rng.randint(80, 400)), str(w.rng.randint(150, 700)), w.amount(60_000, 400_000))
            for town in TOWNS]  # fmt: skip
    body = f"""各乡镇人民政府，县直有关单位：

根据《安徽省最低生活保障办法》（{w.cite("皖政")}）和{w.cite("市民发")}文件精神，经县人民政府同意，现就调整{w.year}年城乡{name}标准有关事项通知如下：

一、调整标准

（一）城市{name}标准由每人每月{city - 40}元提高到{city}元。

（二）农村{name}标准由每人每年{(rural - 30) * 12}元提高到{rural * 12}元。

二、执行时间

新标准自{w.day()}起执行，各乡镇应于{w.month()}底前将调整后的{name}金按月足额发放到户。

三、各乡镇{name}对象人数及资金

{w.table(("乡镇", "城市" + name + "对象（人）", "农村" + name + "对象（人）", "月发放资金（元）"), rows)}

四、工作要求

各乡镇要严格落实{name}对象动态管理，对家庭收入发生变化的及时调整{name}金。发现不符合条件的，按照{w.cite("青民")}规定停发。

青溪县民政局

{w.day()}
"""
    return f"关于调整{w.year}年城乡{name}标准的通知", "社会救助", "青溪县民政局", "政策文件", body


def housing(w: Writer, short: bool) -> tuple[str, str, str, str, str]:
    """A 公共租赁住房 allocation notice; short: 公租房 only."""
    name = "公租房" if short else "公共租赁住房"
    estates = w.rng.sample(("阳光花园", "滨河小区", "桃源新村", "城南家园", "翠柏苑", "惠民小区"), 3)
    rows = [(estate, str(w.rng.randint(10, 90)), f"{w.rng.randint(38, 60)}平方米", w.day()) for estate in estates]
    body = f"""按照《青溪县{name}管理办法》（{w.cite("青政办")}）规定，县住房和城乡建设局对{w.year}年第{w.rng.randint(1, 4)}批{name}申请家庭进行了审核，现将分配结果公示如下。

**{w.year}年{name}分配情况**

{w.table(("小区", "分配套数", "户型面积", "选房日期"), rows)}

公示时间：{w.day()}至{w.day()}，共7个工作日。

公示期间，如对分配结果有异议，请以书面形式向县住房和城乡建设局保障股反映，联系电话：0550-7021234。

租金标准按{w.cite("青价")}执行，承租家庭应在签订合同之日起按月缴纳租金。
"""
    return f"{w.year}年第{w.rng.randint(1, 4)}批{name}分配结果公示", "保障性住房", "青溪县住房和城乡建设局", "通知公告", body


def weifang(w: Writer, short: bool) -> tuple[str, str, str, str, str]:
    """Money for 危房改造; short: 危改 only."""
    name = "危改" if short else "农村危房改造"
    rows = [(town, str(w.rng.randint(5, 60)), w.amount(50_000, 900_000)) for town in TOWNS]
    body = f"""各乡镇人民政府：

依据省财政厅、省住房城乡建设厅《关于下达{w.year}年中央财政{name}补助资金的通知》（{w.cite("皖财建")}），现将我县{w.year}年{name}补助资金分配下达如下：

{w.table(("乡镇", "改造户数（户）", "补助资金（元）"), rows)}

一、资金用途。补助资金专项用于{name}对象的住房加固和翻建，不得用于其他支出。

二、拨付方式。资金通过惠民惠农财政补贴资金一卡通发放到户，各乡镇于{w.month()}前完成竣工验收。

三、绩效目标。{w.year}年底前完成全部改造任务，竣工验收合格率达到100%。

附：{w.year}年{name}对象花名册（另行印发）

青溪县财政局　青溪县住房和城乡建设局

{w.day()}
"""
    return f"关于下达{w.year}年{name}补助资金的通知", "农村危房改造", "青溪县财政局", "财政信息", body


def medical(w: Writer, short: bool) -> tuple[str, str, str, str, str]:
    """Contributions to 城乡居民基本医疗保险; short: 医保 and 新农合, else the full forms."""
    name, old = ("居民医保", "新农合") if short else ("居民基本医疗保险", "新型农村合作医疗")
    fee = w.rng.randint(320, 400)
    body = f"""为做好{w.year + 1}年度城乡{name}参保缴费工作，根据{w.cite("皖医保发")}要求，现将有关事项公告如下：

一、缴费标准：{w.year + 1}年度个人缴费标准为每人每年{fee}元，财政补助每人每年不低于{fee + 270}元。

二、缴费时间：{w.day()}起至{w.day(w.year + 1)}止。

三、缴费方式：参保人可通过“皖事通”App、银行网点或村（社区）代收点缴纳。

四、特殊群体：特困人员、低收入人口个人缴费部分由医疗救助基金全额或定额资助。

我县自{w.rng.randint(2003, 2007)}年起实行{old}制度，{w.rng.randint(2016, 2018)}年与城镇居民医疗保险整合为城乡{name}，原{old}参保人员自动转入。

咨询电话：0550-7065432（县医疗保障局）。
"""
    return f"关于开展{w.year + 1}年度城乡{name}参保缴费工作的公告", "医疗卫生", "青溪县医疗保障局", "通知公告", body


def tekun(w: Writer, short: bool) -> tuple[str, str, str, str, str]:
    """特困人员救助供养 standards; short: 五保 and 特困, else the full forms."""
    name = "特困供养" if short else "特困人员救助供养"
    rows = [("基本生活标准", f"{w.rng.randint(700, 900)}元/人·月", w.day()),
            ("全自理照料护理标准", f"{w.rng.randint(60, 120)}元/人·月", w.day()),
            ("全护理照料护理标准", f"{w.rng.randint(400, 700)}元/人·月", w.day())]  # fmt: skip
    origin = "原农村五保供养对象" if short else "原农村五保对象"
    body = f"""根据《国务院关于进一步健全特困人员救助供养制度的意见》（{w.cite("国发")}）和{w.cite("皖民救字")}，结合我县实际，现将{w.year}年{name}标准公布如下：

{w.table(("项目", "标准", "执行日期"), rows)}

{origin}，全部纳入{name}范围，享受同等待遇。

供养服务机构（敬老院）应于每季度末向县民政局报送{name}对象变动情况。{w.month()}起，分散供养对象的基本生活费按月通过一卡通发放。
"""
    return f"青溪县{w.year}年{name}标准", "社会救助", "青溪县民政局", "政策文件", body


def subsidy(w: Writer, short: bool) -> tuple[str, str, str, str, str]:
    """耕地地力保护补贴 paid per town; short: 耕地地力补贴."""
    name = "耕地地力补贴" if short else "耕地地力保护补贴"
    per = w.rng.randint(95, 130)
    rows = [(town, w.amount(8_000, 60_000), f"{per}", w.amount(900_000, 6_000_000)) for town in TOWNS]
    body = f"""{w.year}年{name}已于{w.day()}通过惠民惠农财政补贴资金“一卡通”发放到户，现将发放情况公示如下：

{w.table(("乡镇", "补贴面积（亩）", "补贴标准（元/亩）", "补贴金额（元）"), rows)}

补贴依据：《{w.year}年{name}工作实施方案》（{w.cite("青农")}）。

公示期：{w.day()}—{w.day()}。对公示内容有异议的，可向县农业农村局反映，电话0550-7032211。
"""
    return f"{w.year}年{name}发放情况公示", "涉农补贴", "青溪县农业农村局", "通知公告", body


def jobs(w: Writer, short: bool) -> tuple[str, str, str, str, str]:
    """Public-benefit jobs; short: 社保 and 人社局, else 社会保险 and the full name."""
    insurance, office = ("社保", "县人社局") if short else ("社会保险", "青溪县人力资源和社会保障局")
    rows = [(town, str(w.rng.randint(2, 15)), "保洁、护林、治安协管") for town in TOWNS]
    body = f"""为帮扶就业困难人员实现就业，根据{w.cite("皖人社秘")}精神，{office}决定开发一批公益性岗位，现公告如下：

**岗位分布**

{w.table(("乡镇", "岗位数（个）", "岗位类别"), rows)}

1. 报名条件：本县户籍、处于法定劳动年龄内的就业困难人员，优先安置脱贫人口和{w.rng.choice(("最低生活保障家庭成员", "低保家庭成员"))}。

2. 报名时间：{w.day()}至{w.day()}，逾期不予受理。

3. 岗位待遇：按月发放岗位补贴，由单位为其缴纳{insurance}，个人缴费部分由就业补助资金给予补贴。

4. 聘用期限：自{w.month()}起，期限一般不超过3年。
"""
    return f"{w.year}年公益性岗位招聘公告", "就业创业", "青溪县人力资源和社会保障局", "通知公告", body


KINDS = (dibao, housing, weifang, medical, tekun, subsidy, jobs)
PREFIX = {"青溪县民政局": "青民", "青溪县住房和城乡建设局": "青建", "青溪县财政局": "青财", "青溪县医疗保障局": "青医保",
          "青溪县农业农村局": "青农", "青溪县人力资源和社会保障局": "青人社"}  # fmt: skip
SUBJECT = {"社会救助": "民政、扶贫、救灾\\社会救助", "保障性住房": "城乡建设、环境保护\\住房", "农村危房改造": "城乡建设、环境保护\\村镇建设",
           "医疗卫生": "卫生、体育\\医药管理", "涉农补贴": "农业、林业、水利\\农业、畜牧业、渔业", "就业创业": "劳动、人事、监察\\就业"}  # fmt: skip


def documents(count: int = 70, seed: str = SEED) -> dict[str, str]:
    """Path under content/documents → the document's Markdown with its front matter."""
    rng = random.Random(seed)
    files = {}
    for i in range(count):
        year = 2020 + i % 7
        kind = KINDS[i % len(KINDS)]
        short = (i // len(KINDS)) % 2 == 0
        title, domain, agency, category, body = kind(Writer(rng, year), short)
        month, day = rng.randint(1, 12), rng.randint(1, 25)
        written = f"{year}-{month:02d}-{day:02d}"
        published = f"{year}-{month:02d}-{day + rng.randint(1, 3):02d}"
        doc_no = f"{PREFIX[agency]}〔{year}〕{rng.randint(1, 80)}号" if category == "政策文件" else "无"
        front = "\n".join([
            "---", f"标题: {title}", f"文号: {doc_no}", f"发布机构: {agency}", f"成文日期: {written}",
            f"发布日期: {published}", f"领域: {domain}", f"主题分类: {SUBJECT[domain]}", f"组配分类: {category}",
            f"关键词: [{domain}]", "---", "",
        ])  # fmt: skip
        files[f"{year}/c2-{i:03d}.md"] = front + body
    return files


def copy_demo(out: Path) -> Path:
    """The demo county's sources as they are, under out (replaced)."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for name in (*KEEP, "index-ledger.csv"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, out / name)
        elif source.exists():
            shutil.copy2(source, out / name)
    return out


def write(out: Path) -> Path:
    """The demo county's sources with this corpus's documents, under out (replaced)."""
    copy_demo(out)
    shutil.rmtree(out / "content" / "documents")
    for path, text in documents().items():
        (out / "content" / "documents" / path).parent.mkdir(parents=True, exist_ok=True)
        (out / "content" / "documents" / path).write_text(text, encoding="utf-8")
    (out / "index-ledger.csv").write_text("索引号,文件,分配日期\n", encoding="utf-8")
    return out


def main() -> int:
    """Write the corpus."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    write(parser.parse_args().out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
