"""Each guess of an import, with its reason: bodies, 组配分类, 领域, the policy a 解读 interprets, numbers."""

from __future__ import annotations

from pathlib import Path

from gongkai.migrate.agencies import AgencyResolver
from gongkai.migrate.domains import DomainInference, Evidence
from gongkai.migrate.interprets import Candidate, find_policy, named_policy
from gongkai.migrate.kinds import KIND_TABLE, guess_kind
from gongkai.migrate.numbers import apply, find_spots
from gongkai.model import Agency, CountyConfig, Domain
from gongkai.model.config import DEFAULT_KINDS

CONFIG = CountyConfig(
    name="青溪县", site_name="", sponsor="青溪县人民政府办公室", contact_phone="", address="", site_code="", icp="",
    police_filing="",
    agencies=(Agency(name="青溪县人民政府办公室", short="县政府办", credit_code="11341799MB0867413A"),
              Agency(name="青溪县民政局", short="县民政局", credit_code="11341799015941241F")),
)  # fmt: skip
DOMAINS = (
    Domain(code="shjz", name="社会救助"),
    Domain(code="jz", name="救灾"),
    Domain(code="ylws", name="医疗卫生", aliases=("卫生健康",)),
    Domain(code="snbt", name="涉农补贴"),
)


def test_spellings_joint_issues_and_blank_cells():
    resolver = AgencyResolver(CONFIG)
    assert resolver.resolve("民政局", 3).names == ("青溪县民政局",)
    joint = resolver.resolve("中共青溪县委党工委 青溪经开区管委会、县民政局", 4)
    assert joint.names == ("中共青溪县委党工委", "青溪经开区管委会", "青溪县民政局")
    assert joint.reason.startswith("联合发文（3 个机构，第一个为牵头机构）；中共青溪县委党工委（county.yml 中没有，")
    assert resolver.resolve("县卫健委", 5).names == resolver.resolve("青溪县卫健委", 6).names == ("青溪县卫健委",)
    new = resolver.new["卫健委"]
    assert (new.name, new.short, new.aliases, new.rows) == ("青溪县卫健委", "县卫健委", [], [5, 6])
    blank = resolver.resolve("  ", 7)
    assert blank.names == ("青溪县人民政府办公室",)
    assert blank.reason == "导出表没有发布机构，按网站主办单位填写「青溪县人民政府办公室」"
    reviewed = AgencyResolver(CONFIG, {"县卫健委": "青溪县民政局"})
    assert reviewed.resolve("县卫健委", 8).names == ("青溪县民政局",) and not reviewed.new


def test_kinds_from_the_county_table_the_vocabulary_the_documented_table_and_the_title():
    assert guess_kind("公示", "", DEFAULT_KINDS, {}).kind == "公示公告"
    assert (
        guess_kind("公示", "", DEFAULT_KINDS, {"公示": "通知公告"}).reason
        == "import-map.yml 的组配分类对照：「公示」→ 通知公告"
    )
    assert guess_kind("", "关于《青溪县低保办法》的政策解读", DEFAULT_KINDS, {}).kind == "政策解读"
    assert (
        guess_kind("其他信息", "关于召开会议的通知", DEFAULT_KINDS, {}).reason
        == "「其他信息」不在组配分类列表和对照表中，标题也看不出"
    )
    assert guess_kind("年报", "", ("通知公告",), {}).kind == "待定"
    assert set(KIND_TABLE.values()) <= set(DEFAULT_KINDS)


def test_domains_decide_with_a_reason_or_report_the_candidates():
    inference = DomainInference(DOMAINS, {"民生保障": DOMAINS[0]})
    assert (
        inference.guess(Evidence("关于任职的通知", "民生保障")).reason
        == "import-map.yml 的栏目对照：「民生保障」→ 社会救助"
    )
    decided = inference.guess(Evidence("2024年第二季度城乡低保资金发放情况公示", body="低保"))
    assert decided.domain == DOMAINS[0] and decided.reason == "标题含「低保」；正文含「低保」"
    longer = inference.guess(Evidence("关于自然灾害救助资金分配的通知"))  # not 「救助」
    assert longer.domain == DOMAINS[1]
    unsure = inference.guess(Evidence("关于张某某同志任职的通知", agencies=("青溪县人民政府",)))
    assert unsure.domain is None
    assert unsure.reason == "标题、栏目、主题分类、正文和发布机构中都没有指向某个领域的词"
    close = inference.guess(Evidence("困难群众医疗救助和家庭医生签约服务"))
    assert close.domain is None and close.reason.startswith("几个领域难以区分，候选：")


def test_the_policy_of_an_interpretation():
    policies = [Candidate("3", "关于印发《青溪县低保办法》的通知", "青政〔2024〕3号"), Candidate("4", "青溪县救灾预案", "无"),
                Candidate("content/documents/2023/a.md", "青溪县高龄津贴实施方案", "青政办〔2023〕9号")]  # fmt: skip
    assert named_policy("关于《青溪县低保办法》的政策解读") == "青溪县低保办法"
    assert named_policy("图解：青溪县救灾预案") == "青溪县救灾预案"
    assert find_policy("《青溪县低保办法》解读", "", policies).key == "3"
    assert find_policy("图解：青溪县救灾预案", "", policies).reason == "标题中的《青溪县救灾预案》是第 4 行的标题"
    by_number = find_policy("高龄津贴政策问答", "根据青政办〔2023〕9号文件", policies)
    assert by_number.key == "content/documents/2023/a.md"
    assert by_number.reason == "正文中的文号「青政办〔2023〕9号」是content/documents/2023/a.md的文号"
    assert find_policy("《别的办法》解读", "", policies).key is None


def test_numbers_in_cells_credit_codes_and_spellings():
    body = (
        "| 企业 | 统一社会信用代码 | 编号 | 序列 |\n| --- | --- | --- | --- |\n| 某公司 | 913501287531147743 | 12771 | 0001210800 |\n\n"
        "联系电话：１３９ １２３４ ５６７８，身份证 340123199003071219。"
    )
    spots = find_spots(5, "正文", body, lambda found: False, True)
    assert [(s.kind, s.masked, s.spelling) for s in spots] == [
        ("手机号", "139****5678", "１３９ １２３４ ５６７８"),
        ("身份证号", "340123********1219", "340123199003071219"),
    ]
    masked, missed = apply(body, spots, {spots[1].key})  # an ID is masked even when marked public
    assert missed == [] and "139****5678" in masked and "340123********1219" in masked
    assert "913501287531147743 | 12771 | 0001210800" in masked


def test_the_clerk_guide_prints_the_kind_table():
    guide = (Path(__file__).parents[2] / "content/guide/migration.md").read_text(encoding="utf-8")
    table = guide.split("| 组配分类 | 导出表中的写法 |\n|---|---|\n", 1)[1].split("\n\n", 1)[0]
    printed = {name: kind for line in table.splitlines() for kind, names in [line.strip("|").split("|")]
               for name in names.strip().split("、")}  # fmt: skip
    assert {name: kind.strip() for name, kind in printed.items()} == KIND_TABLE


def test_no_domain_word_is_read_across_a_longer_word():
    """「政府信息公开工作年度报告」 holds 公开、工作、年度报告 — never 「开工」 (重大建设项目)."""
    inference = DomainInference((*DOMAINS, Domain(code="zdjsxm", name="重大建设项目")))
    report = inference.guess(Evidence("测试县2023年政府信息公开工作年度报告", body="本县信息公开工作……"))
    assert report.domain is None and "开工" not in report.reason
    assert guess_kind("", "测试县2023年政府信息公开工作年度报告", DEFAULT_KINDS, {}).kind == "年度报告"
    assert guess_kind("年报", "", DEFAULT_KINDS, {}).kind == "年度报告"
    started = inference.guess(Evidence("城东水厂项目开工仪式举行"))
    assert started.domain is not None and started.domain.name == "重大建设项目"
