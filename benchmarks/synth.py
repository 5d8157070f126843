"""Deterministic generator of a fictional county's sources (青溪县), at any scale.

    python benchmarks/synth.py --scale demo|small|medium|county --out DIR [--clean]

Every choice comes from a ``random.Random`` seeded by the scale and a section name, so a run writes
the same bytes every time on any machine: no wall clock, no network. The fictional "today" is
2026-11-26. People, phone numbers, credit codes and document numbers are all invented; ID numbers
are written already masked, as the sources must hold them.

The output follows DEVELOPING.md's source layout: county.yml, catalog/, content/documents/,
villages/. The demo scale is the county committed in the repository.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import shutil
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml

from gongkai.model.catalog import CHANNELS, DEFAULT_DEADLINE
from gongkai.model.document import INTERPRETATION_KIND, NORMATIVE_KIND

COUNTY, CODE6 = "青溪县", "341799"  # 3417xx is 池州; xx = 99 is unused, so no real county is named
TODAY = dt.date(2026, 11, 26)
FIRST_DAY, LAST_DAY, FRESH_FROM = dt.date(2021, 1, 4), dt.date(2026, 11, 20), dt.date(2026, 11, 12)
RELIEF_DEADLINE = "信息形成或者变更之日起10个工作日内"
GENERATED = ("county.yml", "catalog", "content/documents", "villages", "audit-evidence.yml")


@dataclass(frozen=True)
class Scale:
    """How much of everything to generate."""

    documents: int
    domains: int  # 25 = the Anhui default list; 26 adds 统计
    catalog_rows: tuple[int, int]  # rows per domain: the curated rows, filled up with generic ones
    towns: int
    villages: int
    lists_per_village: tuple[int, int]
    rows_per_list: tuple[int, int] = (15, 60)  # used when payout_rows is 0
    payout_rows: int = 0  # exact total, spread over all lists


SCALES = {
    "demo": Scale(220, 25, (6, 10), 5, 30, (1, 3)),
    "small": Scale(1000, 26, (30, 30), 6, 60, (1, 3), payout_rows=10_000),
    "medium": Scale(5000, 26, (30, 30), 10, 120, (1, 3), payout_rows=30_000),
    "county": Scale(20_000, 26, (28, 32), 18, 300, (2, 4), payout_rows=150_000),
}

# ---------------------------------------------------------------------------------------------
# Vocabulary

# abbr, full name ({c} = county), short name, 机关代字, domains it publishes in (* = any)
AGENCIES = (
    ("zf", "{c}人民政府", "县政府", "青政", "*"),
    ("zfb", "{c}人民政府办公室", "县政府办", "青政办", "*"),
    ("fgw", "{c}发展和改革委员会", "县发改委", "青发改", "zdjsxm czyjs"),
    ("jyj", "{c}教育局", "县教育局", "青教", "ywjy"),
    ("gaj", "{c}公安局", "县公安局", "青公", "hjgl aqsc"),
    ("mzj", "{c}民政局", "县民政局", "青民", "shjz ylfw jz"),
    ("sfj", "{c}司法局", "县司法局", "青司", "ggflfw"),
    ("czj", "{c}财政局", "县财政局", "青财", "czyjs snbt shjz"),
    ("rsj", "{c}人力资源和社会保障局", "县人社局", "青人社", "jycy shbx"),
    ("zrj", "{c}自然资源和规划局", "县自然资源规划局", "青自然资规", "zrzy fwzs"),
    ("sthj", "{c}生态环境分局", "县生态环境分局", "青环", "hjbh"),
    ("zjj", "{c}住房和城乡建设局", "县住建局", "青建", "fwzs bzxzf ncwfgz szfw"),
    ("jtj", "{c}交通运输局", "县交通运输局", "青交", "zdjsxm aqsc"),
    ("nyj", "{c}农业农村局", "县农业农村局", "青农", "snbt fp"),
    ("slj", "{c}水利局", "县水利局", "青水", "jz zdjsxm"),
    ("wlj", "{c}文化旅游体育局", "县文旅体局", "青文旅体", "ggwhfw"),
    ("wjw", "{c}卫生健康委员会", "县卫健委", "青卫健", "ylws ylfw"),
    ("yjj", "{c}应急管理局", "县应急管理局", "青应急", "aqsc jz"),
    ("scj", "{c}市场监督管理局", "县市场监管局", "青市监", "spypjg aqsc"),
    ("tjj", "{c}统计局", "县统计局", "青统", "tj czyjs"),
    ("ybj", "{c}医疗保障局", "县医保局", "青医保", "shbx shjz ylws"),
    ("cgj", "{c}城市管理局", "县城管局", "青城管", "cszhzf szfw"),
    ("sjj", "{c}数据资源管理局", "县数据资源局", "青数据", "ggzyjy"),
    ("sw", "国家税务总局{c}税务局", "县税务局", "青税", "ssgl"),
)
TOWN_DOMAINS = "shjz snbt fp jz ncwfgz ylfw hjbh aqsc"


@dataclass(frozen=True)
class DomainSpec:
    """One domain: its data, the county body that leads it, and vocabulary for its documents."""

    code: str
    name: str
    aliases: tuple[str, ...]
    province: str
    lead: str  # agency abbr
    subject: str  # 主题分类 大类\小类
    law: str
    people: str  # who benefits, for prose
    topics: tuple[str, ...]
    items: tuple[tuple[str, str, str], ...]  # 一级事项, 二级事项/二级事项, 公开内容


def _domains(text: str) -> tuple[DomainSpec, ...]:
    """Parse the DOMAINS table below."""
    domains = []
    for block in text.strip().split("\n\n"):
        head, topics, *items = block.splitlines()
        code, name, aliases, *rest = head.split("|")
        domains.append(
            DomainSpec(
                code,
                name,
                tuple(filter(None, aliases.split("/"))),
                *rest,
                topics=tuple(topics.split("/")),
                items=tuple(tuple(i.split("|")) for i in items),
            )
        )
    return tuple(domains)


# One block per domain: 代码|名称|别名/…|主管部门|lead agency|主题分类|law|beneficiaries, then the topics
# used in titles, then one line per catalogue item: 一级事项|二级事项/…|公开内容. The first 25 are the
# Anhui notice's default list; 统计 is the 26th, used at the larger scales.
DOMAINS = _domains(r"""
zrzy|自然资源|国土资源|省自然资源厅|zrj|国土资源、能源\土地|《中华人民共和国土地管理法》|被征地农民
国土空间规划/土地征收/耕地保护/不动产登记/地质灾害防治/林长制
国土空间规划|总体规划/详细规划/专项规划|规划批前公示、批复文件、规划成果（文本、图件）
建设用地审批|农用地转用和土地征收审批/国有建设用地使用权出让|批准文件、用地位置、面积、用途、出让公告、成交结果
征地补偿|征收土地预公告/征地补偿安置方案|拟征收土地范围、土地现状、补偿标准、安置途径、听证告知
不动产登记|办事指南|登记类型、申请材料、办理流程、办理时限、收费标准、咨询电话

zdjsxm|重大建设项目||省发展改革委|fgw|国民经济管理、国有资产监管\固定资产投资|《政府投资条例》|项目单位
重点项目建设/政府投资项目/项目审批/年度重点工程/项目前期工作
批准服务信息|审批结果/核准结果/备案信息|项目名称、项目代码、审批（核准、备案）机关、批复文号、批复时间
批准结果信息|规划许可/用地批准/环评批复|项目名称、批准事项、批准机关、批准文件及文号
招标投标信息|招标公告/中标结果|招标项目、投标人资格要求、中标候选人、中标结果
施工有关信息|参建单位|项目法人单位、施工单位、监理单位及其负责人

ggzyjy|公共资源交易||省公共资源交易监督管理局|sjj|国民经济管理、国有资产监管\其他|《中华人民共和国招标投标法》|市场主体
工程建设项目招标投标/政府采购/国有产权交易/远程异地评标/交易平台建设
工程建设项目招标投标|招标公告/中标候选人公示/中标结果公示|项目名称、招标条件、投标人资格、中标候选人及排序、中标金额
政府采购|采购意向/采购公告/成交结果|采购项目名称、预算金额、采购需求、成交供应商、成交金额
国有产权交易|挂牌公告/交易结果|标的名称、挂牌价格、交易方式、受让方、成交价格

czyjs|财政预决算||省财政厅|czj|财政、金融、审计\财政|《中华人民共和国预算法》|社会公众
财政预算/部门决算/“三公”经费/政府债务/预算绩效管理/转移支付
政府预决算|一般公共预算/政府性基金预算/政府决算|预决算报表、预决算说明、转移支付和政府债务情况
部门预决算|部门预算/部门决算/“三公”经费|收支总表、“三公”经费、机关运行经费、政府采购、绩效目标
专项资金|资金分配结果/绩效评价结果|资金名称、分配对象、分配金额、绩效目标和评价结果

aqsc|安全生产||省应急管理厅|yjj|市场监管、安全生产监管\安全生产监管|《中华人民共和国安全生产法》|企业职工
安全生产专项整治/危险化学品安全/燃气安全/汛期安全/非煤矿山安全/消防安全
安全生产行政许可|许可依据/许可结果|许可事项、办理条件、许可结果、有效期
安全生产行政执法|执法检查计划/行政处罚结果|检查计划、检查结果、处罚对象、违法事实、处罚依据和结果
生产安全事故|事故调查报告|事故概况、原因分析、责任认定、处理建议、整改措施
应急管理|应急预案|预案名称、适用范围、组织体系、响应程序

ssgl|税收管理||国家税务总局安徽省税务局|sw|财政、金融、审计\税务|《中华人民共和国税收征收管理法》|纳税人缴费人
减税降费/增值税留抵退税/个人所得税汇算/纳税信用评价/社保费征缴
税收政策|税收法规/政策解读|税收法律法规、规范性文件、政策解读
办税服务|办税指南/办税地点|办税事项、办理材料、办理时限、办税服务厅地址和电话
税收执法|行政处罚/欠税公告|处罚对象、违法事实、处罚结果、欠税人名称和欠税金额
纳税信用|A级纳税人名单|纳税人名称、纳税人识别号、评价年度

fwzs|国有土地上房屋征收||省住房城乡建设厅|zjj|城乡建设、环境保护\城市建设|《国有土地上房屋征收与补偿条例》|被征收人
房屋征收/棚户区改造/征收补偿方案/老旧小区改造/城市更新
征收决定|征收补偿方案/征收决定公告|征收范围、征收补偿方案、征收决定、征收部门和实施单位
补偿安置|调查登记结果/评估机构选定/分户补偿情况|房屋权属、面积、用途、评估结果、补偿金额
征收监督|投诉举报|投诉举报电话、地址和办理结果

bzxzf|保障性住房||省住房城乡建设厅|zjj|城乡建设、环境保护\住房保障|《公共租赁住房管理办法》|住房困难家庭
公共租赁住房/保障性租赁住房/住房租赁补贴/人才公寓/住房保障
住房保障政策|政策文件/申请指南|保障范围、申请条件、申请材料、办理流程
公租房分配|分配对象名单/轮候情况|申请人姓名（隐去身份信息）、家庭人口、分配房源、轮候序号
保障性租赁住房|项目信息|项目名称、位置、房源套数、租金标准、申请方式

ncwfgz|农村危房改造||省住房城乡建设厅|zjj|城乡建设、环境保护\村镇建设|《村庄和集镇规划建设管理条例》|农村低收入群体
农村危房改造/农房安全隐患排查/农房抗震改造/农村住房安全保障
政策文件|补助标准/申请条件|补助对象、补助标准、申请条件、办理程序
改造对象|对象认定结果/年度任务分配|改造对象名单、改造方式、年度任务
补助资金|资金发放情况|补助对象、补助金额、发放时间
竣工验收|验收结果|验收对象、验收时间、验收结论

hjbh|环境保护|生态环境|省生态环境厅|sthj|城乡建设、环境保护\环境监测、保护与治理|《中华人民共和国环境保护法》|城乡居民
大气污染防治/PM2.5治理/河长制/农村人居环境整治/秸秆禁烧/饮用水水源地保护
环境质量|空气质量/地表水环境质量|空气质量状况（PM2.5、PM10）、水质监测结果
环境影响评价|受理公示/拟批准公示/审批决定|项目名称、建设地点、环境影响报告书（表）、审批意见
环境监管|重点排污单位名录/行政处罚|单位名称、排放信息、处罚对象、违法事实、处罚结果
突发环境事件|应急处置|事件概况、处置措施、影响范围

ggwhfw|公共文化服务||省文化和旅游厅|wlj|文化、广电、新闻出版\文化|《中华人民共和国公共文化服务保障法》|城乡居民
送戏下乡/农家书屋/非物质文化遗产保护/全民阅读/文化惠民工程
公共文化设施|场馆目录/开放时间|场馆名称、地址、开放时间、免费服务项目
文化活动|活动预告|活动名称、时间、地点、参与方式
非物质文化遗产|项目名录/代表性传承人|项目名称、类别、保护单位、传承人
文化惠民|送戏下乡|演出场次、演出地点、演出剧目

ggflfw|公共法律服务||省司法厅|sfj|公安、安全、司法\司法行政|《中华人民共和国法律援助法》|困难群众
法律援助/人民调解/“八五”普法/村（居）法律顾问/公共法律服务中心
法律援助|申请条件/办事指南|援助范围、经济困难标准、申请材料、办理流程、咨询电话
公共法律服务机构|机构名录|机构名称、地址、服务事项、联系电话
人民调解|调解组织名录|调解组织名称、调解员、联系方式
普法|普法责任制清单|责任单位、普法内容、普法对象

fp|扶贫|乡村振兴/巩固拓展脱贫攻坚成果|省农业农村厅|nyj|民政、扶贫、救灾\扶贫|《中华人民共和国乡村振兴促进法》|脱贫户和监测对象
防止返贫动态监测/衔接推进乡村振兴补助资金/小额信贷/消费帮扶/光伏帮扶电站
衔接资金|资金分配/项目库/项目实施|资金规模、分配结果、项目名称、建设内容、实施单位、带贫减贫机制
防止返贫监测|监测对象识别/帮扶措施|识别标准、识别程序、帮扶措施、风险消除情况
帮扶政策|政策文件|政策名称、支持对象、支持标准、申请程序

jz|救灾||省应急管理厅|yjj|民政、扶贫、救灾\救灾|《自然灾害救助条例》|受灾群众
防汛抗旱/自然灾害救助/冬春救助/应急避难场所/防灾减灾
灾害预警|气象预警/地质灾害预警|预警级别、影响范围、防范措施
救灾款物|款物分配/发放结果|资金物资来源、分配方案、发放对象、发放数量
应急避难|避难场所|场所名称、位置、容纳人数、疏散路线
灾情信息|灾情统计|受灾范围、受灾人口、损失情况

spypjg|食品药品监管||省市场监管局|scj|市场监管、安全生产监管\食品药品监管|《中华人民共和国食品安全法》|消费者
食品安全抽检/校园食品安全/药品零售监管/农村集体聚餐/明厨亮灶
行政许可|食品经营许可/药品零售许可|许可事项、办理条件、许可结果
监督抽检|抽检计划/抽检结果|抽检计划、样品名称、被抽样单位、检验结论
行政处罚|处罚决定|处罚对象、违法事实、处罚依据、处罚结果

cszhzf|城市综合执法||省住房城乡建设厅|cgj|城乡建设、环境保护\城市建设|《城市市容和环境卫生管理条例》|城区居民
市容环境整治/违法建设治理/占道经营整治/生活垃圾分类/渣土运输管理
执法依据|权责清单/执法流程|执法事项、执法依据、执法程序、救济途径
行政许可|占道许可/户外广告设置|许可事项、办理条件、许可结果
行政处罚|处罚结果|处罚对象、违法事实、处罚结果
投诉举报|受理方式|投诉电话、受理范围、办理时限

jycy|就业创业|就业|省人力资源社会保障厅|rsj|劳动、人事、监察\就业|《中华人民共和国就业促进法》|城乡劳动者
高校毕业生就业/返乡创业/创业担保贷款/职业技能培训/公益性岗位/春风行动
就业服务|招聘信息/职业介绍|招聘单位、岗位、人数、条件、联系方式
创业扶持|创业担保贷款/一次性创业补贴|扶持对象、条件、标准、申请程序、审核结果
职业技能培训|培训机构目录/补贴标准|培训机构、培训工种、补贴标准、申请程序
就业援助|公益性岗位|岗位名称、安置对象、岗位补贴标准

shbx|社会保险||省人力资源社会保障厅|rsj|劳动、人事、监察\社会保障|《中华人民共和国社会保险法》|参保城乡居民
城乡居民基本养老保险/城乡居民医保/工伤保险/失业保险/社会保障卡
城乡居民基本养老保险|参保缴费/待遇发放|参保条件、缴费档次、政府补贴标准、待遇领取条件和标准
城乡居民基本医疗保险|参保缴费/待遇报销|缴费标准、缴费期限、报销比例、办理流程
工伤保险|工伤认定|认定条件、申请材料、办理时限
失业保险|失业保险金申领|申领条件、发放标准、办理渠道

shjz|社会救助||省民政厅|mzj|民政、扶贫、救灾\社会救助|《社会救助暂行办法》|困难群众
最低生活保障/特困人员救助供养/临时救助/困难群众救助/低保边缘家庭认定/流浪乞讨人员救助
最低生活保障|政策文件/办事指南/审核信息/救助对象名单|保障标准、申请条件、办理流程、初审对象名单（公示7个工作日）、救助对象名单
特困人员救助供养|办事指南/审核信息|供养标准、申请条件、办理流程、初审对象名单
临时救助|办事指南/救助结果|救助对象、救助标准、办理流程、救助金额
医疗救助|救助结果|救助对象类别、救助比例、年度救助限额

ylfw|养老服务||省民政厅|mzj|民政、扶贫、救灾\社会福利|《中华人民共和国老年人权益保障法》|老年人
高龄津贴/居家社区养老服务/养老机构安全/农村幸福院/老年助餐/适老化改造
养老服务机构|机构名录/备案信息/等级评定|机构名称、地址、床位数、收费标准、等级
养老补贴|高龄津贴/经济困难老年人补贴|补贴对象、补贴标准、申请程序、发放结果
居家和社区养老|服务站点|站点名称、服务内容、联系电话

hjgl|户籍管理||省公安厅|gaj|公安、安全、司法\公安|《中华人民共和国户口登记条例》|城乡居民
户籍制度改革/居民身份证办理/居住证/户口迁移/新生儿出生一件事
户口登记|出生登记/户口迁移/变更更正|办理条件、申请材料、办理流程、办理时限
居民身份证|办理指南/临时身份证|办理地点、申请材料、收费标准、办理时限
居住证|申领条件|申领条件、材料、办理地点

snbt|涉农补贴|惠农补贴|省农业农村厅|nyj|农业、林业、水利\农业、农村|《中华人民共和国农业法》|种粮农民
耕地地力保护补贴/农机购置补贴/种粮农民一次性补贴/政策性农业保险/高标准农田建设
农业生产发展资金|耕地地力保护/农机购置补贴/种粮农民一次性补贴|政策依据、申请指南（补贴对象、范围、标准、程序、材料、咨询电话）、补贴结果、监督渠道（举报电话、地址）
农业资源及生态保护补助资金|生态公益林补偿/耕地轮作休耕|补助对象、补助标准、补助面积、补助结果
农业保险保费补贴|政策性农业保险|保险品种、保费补贴比例、承保机构、理赔流程

ywjy|义务教育||省教育厅|jyj|科技、教育\教育|《中华人民共和国义务教育法》|适龄儿童少年
义务教育招生入学/学区划分/家庭经济困难学生资助/农村学生营养改善计划/“双减”/校车安全
招生入学|学区划分/招生计划/录取结果|学区范围、招生计划、报名条件、报名时间、录取结果
学生资助|资助政策/资助名单|资助对象、资助标准、申请程序、受助学生名单（隐去身份信息）
教育收费|收费项目和标准|收费项目、标准、依据、监督电话

ylws|医疗卫生|卫生健康|省卫生健康委|wjw|卫生、体育\卫生|《中华人民共和国基本医疗卫生与健康促进法》|城乡居民
家庭医生签约服务/基本公共卫生服务/紧密型县域医共体/预防接种/爱国卫生运动
医疗机构|机构名录/执业许可|机构名称、地址、诊疗科目、许可结果
基本公共卫生服务|服务项目/家庭医生签约|服务项目、服务对象、签约流程
疾病防控|传染病疫情/预防接种|疫情信息、接种门诊、接种时间
卫生监督|监督检查结果|检查对象、检查结果、处罚结果

szfw|市政服务||省住房城乡建设厅|zjj|城乡建设、环境保护\市政公用事业|《城镇排水与污水处理条例》|城区居民
城市供水/二次供水设施改造/管道燃气/城市道路维修/路灯照明/公园绿地
供水|水质公告/停水通知|水质检测结果、停水时间、停水范围
燃气|安全提示/价格|燃气价格、安全用气常识、报修电话
市政设施|道路施工公告|施工路段、施工时间、交通组织

tj|统计||省统计局|tjj|国民经济管理、国有资产监管\统计|《中华人民共和国统计法》|社会公众
国民经济和社会发展统计公报/经济运行/农业普查/人口抽样调查/规模以上工业
统计数据|月度数据/年度统计公报|主要指标、统计口径、数据来源
统计调查|调查项目|调查名称、调查对象、调查时间
""")

TOWNS = (
    ("chengguan", "城关镇"),
    ("taoling", "桃岭镇"),
    ("shimen", "石门镇"),
    ("liutang", "柳塘乡"),
    ("yunshan", "云山乡"),
    ("baisha", "白沙镇"),
    ("huangtan", "黄潭镇"),
    ("qingshui", "清水镇"),
    ("meiling", "梅岭乡"),
    ("zhuqiao", "竹桥镇"),
    ("longgang", "龙岗镇"),
    ("xinan", "新安镇"),
    ("heshan", "鹤山乡"),
    ("fenghuang", "凤凰镇"),
    ("songlin", "松林乡"),
    ("jinxi", "金溪镇"),
    ("dongbu", "东埠镇"),
    ("shangzhuang", "上庄乡"),
    ("lianhua", "莲花乡"),
    ("wutang", "五塘镇"),
)
COMMUNITIES = (("chengdong", "城东社区"), ("chengnan", "城南社区"), ("chengxi", "城西社区"))
VILLAGE_HEADS = (
    "上shang 下xia 东dong 大da 小xiao 新xin 高gao 黄huang 石shi 杨yang 柳liu 桃tao 李li "
    "王wang 河he 山shan 林lin 龙long 花hua 马ma 陈chen 梅mei 竹zhu 金jin 双shuang 白bai 枫feng 松song"
)
VILLAGE_TAILS = (
    "庄zhuang 岗gang 湾wan 圩wei 塘tang 桥qiao 店dian 集ji 冲chong 岭ling 畈fan 埠bu 铺pu 园yuan "
    "溪xi 坪ping 营ying 洼wa 口kou 滩tan"
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余程汪方鲍葛查"
GIVEN = "秀兰英华明国建军平伟芳丽强文玉红桂荣德福金春海林成志永和云凤珍生根发祥宝喜长家学忠勇翠梅琴霞娟"
ID_PREFIXES = (CODE6,) * 8 + ("341702", "340826", "341003")
DIGITS = "零一二三四五六七八九"

VILLAGE_ITEMS = (
    ("村年度工作计划和村民代表会议决议", "《中华人民共和国村民委员会组织法》第三十条", "每季度至少一次"),
    ("村级财务收支情况", "《中华人民共和国村民委员会组织法》第三十条", "每月一次"),
    ("5万元以上重大事项及进度", "《中华人民共和国村民委员会组织法》第二十四条", "随时公开"),
    ("宅基地审批", "《中华人民共和国土地管理法》第六十二条", "审批结果形成后10日内"),
    ("政府部门对农业的补贴", "《中华人民共和国村民委员会组织法》第三十条", "发放后及时公开，公示期不少于7日"),
    ("最低生活保障对象名单", "《社会救助暂行办法》", "审核后公示7日，结果长期公开"),
    ("残疾人两项补贴名单", "《社会救助暂行办法》", "每年至少一次"),
    ("救助和慰问情况", "《社会救助暂行办法》", "每季度一次"),
    ("集体经济组织收益分配方案", "《中华人民共和国村民委员会组织法》第二十四条", "方案确定后及时公开"),
)

# code, 补贴项目, unit, domain, agency, how rows are drawn, standard rate
SUBSIDIES = (
    ("gdlb", "耕地地力保护补贴", "亩", "snbt", "nyj", "area", "112.36"),
    ("zlyc", "种粮农民一次性补贴", "亩", "snbt", "nyj", "area", "11.52"),
    ("njgz", "农机购置补贴", "台", "snbt", "nyj", "machine", ""),
    ("gylb", "生态公益林补偿", "亩", "snbt", "zrj", "forest", "14.75"),
    ("cxyl", "城乡居民基本养老保险基础养老金", "月", "shbx", "rsj", "months", "168"),
    ("cjlx", "残疾人两项补贴", "月", "shjz", "mzj", "disabled", ""),
    ("gljt", "高龄津贴", "月", "ylfw", "mzj", "elderly", ""),
    ("jlfz", "农村部分计划生育家庭奖励扶助金", "人", "ylws", "wjw", "persons", "960"),
)
FARM_ROWS = ("area", "forest", "machine")
MACHINES = (
    ("拖拉机", 8600),
    ("微耕机", 900),
    ("插秧机", 5100),
    ("植保无人机", 10700),
    ("谷物烘干机", 21000),
    ("联合收割机", 18000),
)
NOTED_RATES = {
    "disabled": (("困难残疾人生活补贴", 90, 6), ("重度残疾人护理补贴", 100, 4)),
    "elderly": (("80-89周岁", 50, 80), ("90-99周岁", 100, 18), ("100周岁及以上", 300, 2)),
}
PAYOUT_HEADER = ("户主姓名", "村民小组", "身份证号", "数量", "标准", "金额", "发放日期", "备注")

OTHER_KINDS = {
    "通知公告": 24,
    "政策文件": 16,
    "工作动态": 30,
    "规划计划": 6,
    "财政信息": 8,
    "人事信息": 4,
    "统计信息": 6,
    "其他": 6,
}
KIND_DOMAINS = {"财政信息": "czyjs", "统计信息": "tj"}  # kinds that belong to one domain when it exists
NUMBERED_KINDS = {NORMATIVE_KIND: 1.0, "政策文件": 1.0, "通知公告": 0.6, "规划计划": 0.7}
EXTRA_CHANNELS = (
    "政府公报",
    "两微一端",
    "公开查阅点",
    "政务服务中心",
    "便民服务站",
    "精准推送",
    "12345政务服务热线",
    "纸质媒体",
    "广播电视",
)
ASPECTS = {
    "政策文件": "文件名称、文号、发布日期、全文",
    "办事指南": "办理条件、申请材料、办理流程、办理时限、咨询电话",
    "办理结果": "办理对象、办理事项、办理结果、办理日期",
    "监督检查": "检查计划、检查结果、整改情况",
    "资金使用情况": "资金来源、分配结果、使用情况、绩效评价结果",
    "年度报告": "年度工作情况、主要指标完成情况",
}
COUNTY_BASES = (
    "《青溪县全面推进基层政务公开标准化规范化工作实施方案》（青政办秘〔2021〕8号）",
    "《青溪县基层政务公开标准目录（2022年版）》（青政办秘〔2022〕3号）",
)

TITLES = {
    NORMATIVE_KIND: (
        "{county}{topic}管理办法",
        "{county}{topic}实施细则",
        "关于印发《{county}{topic}管理办法》的通知",
        "{county}{topic}暂行办法",
        "关于进一步规范{topic}工作的实施意见",
    ),
    "政策文件": (
        "关于做好{year}年{topic}工作的通知",
        "{county}{year}年{topic}实施方案",
        "关于印发《{county}{topic}工作方案》的通知",
        "关于进一步加强{topic}工作的意见",
    ),
    "通知公告": ("关于开展{year}年{topic}申报工作的通知", "关于{topic}有关事项的公告", "{year}年{topic}情况公示"),
    "工作动态": (
        "{short}召开{topic}工作推进会",
        "{town}扎实推进{topic}工作",
        "我县{topic}工作取得阶段性成效",
        "{short}开展{topic}专项检查",
    ),
    "规划计划": ("{county}{year}年{topic}工作要点", "{short}{year}年{topic}工作计划"),
    "财政信息": (
        "{agency}{year}年部门预算公开",
        "{agency}{last}年度部门决算公开",
        "{agency}{year}年部门整体支出绩效目标",
    ),
    "人事信息": ("{short}{year}年公开招聘编外工作人员公告", "{short}{year}年公开招聘编外工作人员拟聘用人员名单公示"),
    "统计信息": ("{year}年1—{month}月全县{topic}情况", "{county}{last}年{topic}统计数据"),
    "其他": ("{short}关于{topic}的政策问答", "{topic}常见问题解答", "{topic}办事指南"),
}
SUMMARIES = {
    NORMATIVE_KIND: "明确{topic}的适用范围、申请条件、审核程序、资金管理和监督责任。",
    "政策文件": "部署{year}年{topic}工作，明确目标任务、责任分工和保障措施。",
    "通知公告": "就{topic}有关事项作出安排，明确办理时间、办理流程和联系方式。",
    "工作动态": "介绍{short}推进{topic}工作的做法和成效。",
    "规划计划": "明确{year}年{topic}工作的总体思路、重点任务和推进措施。",
    "财政信息": "公开部门收支预决算、“三公”经费和政府采购等情况。",
    "人事信息": "公布招聘岗位、报名条件、报名方式和考试安排等事项。",
    "统计信息": "发布{topic}主要指标数据及同比变化情况。",
    "其他": "介绍{topic}的办理条件、所需材料和咨询方式。",
    INTERPRETATION_KIND: "从起草背景、主要内容、适用对象和政策亮点等方面解读{topic}相关政策。",
}

# Paragraph pools for the prose; {i} numbers items within a section, other slots are filled below.
PROSE = """
[intro]
为深入贯彻落实{law}{ref}有关要求，进一步做好{topic}工作，切实保障{people}的合法权益，结合我县实际，制定本方案。
为进一步规范{topic}工作，提升服务质量和群众满意度，根据{law}等有关规定，经{county}人民政府同意，现就有关事项通知如下。
{topic}事关{people}切身利益。为认真落实上级决策部署{ref}，推动全县{domain}工作提质增效，现结合实际提出如下意见。
[goal]
坚持以人民为中心的发展思想，坚持应保尽保、公开透明、动态管理的原则，统筹推进{topic}各项工作。到{year}年底，全县{topic}政策知晓率达到{pct}以上，群众满意度明显提升。
以规范管理为主线，以信息化建设为支撑，健全县、乡镇、村（社区）三级工作体系，确保{topic}政策落实精准、资金发放及时、公开公示到位。
聚焦{people}急难愁盼问题，补齐{topic}短板弱项，力争用三年左右时间，基本建成覆盖全县、运行高效、群众满意的{domain}服务体系。
坚持问题导向和目标导向相结合，对标省、市工作要求，查找{topic}工作中的薄弱环节，逐项明确责任单位和完成时限，确保各项任务按期完成。
[task]
**（{i}）摸清底数**。各乡镇要组织村（社区）干部开展入户走访，全面掌握辖区内{people}基本情况，建立工作台账，实行动态管理，做到底数清、情况明。
**（{i}）规范程序**。严格按照申请、受理、审核、公示、审批、发放的程序办理，审核结果在村务公开栏公示不少于7日，公示期间接受群众监督。
**（{i}）强化资金管理**。{topic}资金通过“一卡通”系统直接发放到户，县财政局、{short}要定期开展资金使用情况检查，严禁截留、挤占、挪用。
**（{i}）推进信息公开**。各责任单位要通过政府网站、“皖事通”App、政务新媒体和村务公开栏等渠道，及时公开政策文件、办事指南和办理结果，方便群众查询。
**（{i}）提升服务水平**。依托县政务服务中心和乡镇便民服务中心，推行“一窗受理、一次办好”，实现{topic}相关事项网上办、掌上办、就近办。
**（{i}）加强数据共享**。{short}要会同有关部门完善{topic}信息系统，与民政、人社、医保等部门每季度开展一次数据比对，提高识别精准度。
**（{i}）开展专项整治**。围绕{topic}领域群众反映强烈的突出问题开展排查整治，建立问题清单、责任清单和整改清单，确保问题整改到位。
**（{i}）关注特殊群体**。对特困人员、低保对象、留守老人、留守儿童和重度残疾人等特殊群体实行分类帮扶，做到精准识别、精准施策。
**（{i}）推进“互联网+”服务**。完善{topic}网上办理系统，实现申请材料电子化、审核流程线上化、办理结果可查询，群众通过手机App即可查询办理进度。
**（{i}）健全动态管理机制**。对享受政策的对象实行定期核查，家庭情况发生变化的及时调整，做到应进则进、应退则退，确保政策精准落地。
**（{i}）强化基层能力建设**。每年至少组织一次乡镇、村（社区）经办人员业务培训，编印政策明白纸和操作手册，提高基层经办人员业务水平。
**（{i}）加强部门协同**。{short}牵头建立联席会议制度，定期研究解决{topic}工作中的重大问题，{other}等单位按照职责分工密切配合，形成工作合力。
[measure]
**（{i}）加强组织领导**。成立由分管副县长任组长、{short}等部门主要负责同志为成员的工作专班，统筹推进全县{topic}工作。各乡镇要明确分管负责同志和具体经办人员。
**（{i}）强化督促检查**。{short}要会同县财政局等部门对各乡镇工作开展情况进行督查，督查结果纳入年度目标管理绩效考核。
**（{i}）加大宣传力度**。充分利用广播电视、微信公众号、村村通广播和村务公开栏等渠道，广泛宣传{topic}政策，提高群众知晓率。
**（{i}）严肃工作纪律**。对工作不力、弄虚作假、优亲厚友的，依法依规严肃追责问责；涉嫌违法犯罪的，移送有关机关处理。
**（{i}）强化经费保障**。县财政局要将{topic}工作经费纳入年度预算，保障工作正常开展，并加强资金使用绩效评价。
**（{i}）注重总结推广**。及时总结各乡镇在{topic}工作中的好经验、好做法，选树一批典型，以点带面推动全县工作整体提升。
[contact]
联系单位：{agency}；联系电话：{phone}。
政策咨询电话：{phone}；监督举报电话：12345政务服务便民热线。
联系人：{short}相关业务股室；联系电话：{phone}。
[notice]
凡符合条件的{people}均可申报。申请人应当如实填写申请表，并对所提交材料的真实性负责。
申报时间为{year}年{next}月1日至{next}月25日，逾期不再受理。
申请表可在{county}人民政府信息公开网下载（PDF格式），也可到各乡镇便民服务中心领取。
申请人向所在村（社区）提交申请材料，村（社区）初核后报乡镇人民政府审核，审核结果在村务公开栏公示7日。
对公示结果有异议的，可在公示期内向乡镇人民政府或{short}反映，乡镇人民政府应当在5个工作日内重新调查核实并反馈结果。
资金发放实行“一卡通”直达到户，严禁代领、冒领。发放结果在村务公开栏公示，公示期不少于7日。
各乡镇要安排专人负责受理工作，于{next}月底前将汇总表报送{short}，电子版发送至工作邮箱。
各乡镇要加强对村（社区）经办人员的业务培训，确保政策解释准确、材料审核规范、信息录入及时。
申报过程中如遇问题，可通过“皖事通”App在线咨询，或在工作日8:30-12:00、14:30-17:30拨打咨询电话，也可拨打12345政务服务便民热线。
[news]
{date}，{short}在{town}召开全县{topic}工作推进会，{other}及各乡镇分管负责同志参加会议。
会议通报了今年以来全县{topic}工作进展情况。截至{month}月底，全县累计受理各类申请{count}件，办结率{pct}。
会议指出，{topic}工作事关群众切身利益，各乡镇、各部门要进一步提高思想认识，压紧压实工作责任，确保各项政策落地见效。
会议要求，要聚焦群众反映的突出问题，建立问题清单，明确整改时限，做到发现一个、整改一个、销号一个。对整改不到位的，将予以通报。
会上，与会人员还实地观摩了{town}的典型做法，并就下一步工作进行了交流讨论。
[story]
近日，{town}组织工作人员深入各村（社区），通过入户走访、发放明白纸、村民微信群推送等方式开展{topic}政策宣传，累计发放宣传资料{count}份，现场解答居民咨询{n}0余次。
今年以来，{short}坚持问题导向，围绕{topic}开展专项检查{n}次，发现问题{small}个，已全部完成整改。
为方便群众办事，{short}依托“皖事通”App开通{topic}线上办理渠道，群众可以通过手机提交申请、查询进度，实现“数据多跑路、群众少跑腿”。
据统计，今年以来全县共发放{topic}相关资金{wan}万元，惠及{count}户，资金全部通过“一卡通”系统发放到户，发放结果已在各村（居）务公开栏公示。
{town}主要负责同志表示，将把{topic}作为为民办实事的重要内容，加强与{other}的沟通协作，推动各项工作走深走实。
活动现场，工作人员设置政策咨询台，向过往居民发放宣传手册，并现场演示如何通过手机App查询政策、办理业务，吸引了不少群众驻足咨询。
在{town}便民服务中心，前来办理业务的群众络绎不绝。工作人员介绍，自推行“一窗受理”以来，办理时限由原来的{n2}个工作日压缩至{n}个工作日。
为确保工作质量，{short}抽调业务骨干组成{small}个督导组，采取“四不两直”方式深入各乡镇开展督导，现场反馈问题，限期整改落实。
据了解，{other}将联合开展“回头看”，对照问题清单逐项核查，确保整改到位、群众满意。
截至目前，全县{topic}相关数据已全部录入省级信息系统，实现县、乡、村三级信息实时共享，群众办事平均跑动次数下降至{small}次以内。
通过公开栏、微信群和“村村通”广播，群众对{topic}政策的知晓率明显提高，主动咨询、按时申报的越来越多。
[outlook]
下一步，{short}将持续加大工作力度，完善长效机制，进一步提升{topic}工作的规范化、精细化水平，不断增强人民群众的获得感、幸福感、安全感。
下一步，{short}将以此次推进会为契机，对标年度目标任务，倒排工期、挂图作战，确保{topic}各项工作按时保质完成。
[interp_background]
《{target}》（{tno}）已于{tdate}印发。为便于社会公众准确理解和把握政策内容，现就有关情况解读如下。
近年来，我县{topic}工作取得积极成效，但也存在政策宣传不够到位、办理程序不够规范、部门之间信息共享不够充分等问题，群众对进一步简化办事流程、提高办理效率的呼声较高。
为贯彻落实{law}{ref}等有关规定，{short}在深入乡镇、村（社区）调研和广泛征求意见的基础上，起草了该文件，经合法性审查和集体讨论后印发实施。
[interp_content]
文件共分{n}个部分，主要包括适用范围、职责分工、申请条件、办理程序、资金管理和监督检查等内容。
一是明确了职责分工。{short}负责统筹协调和监督指导，县财政局负责资金保障，乡镇人民政府负责受理、初审和公示，村（居）民委员会协助做好政策宣传和入户核查。
二是明确了申请条件和办理程序。乡镇人民政府应当在受理申请后{days}个工作日内完成审核，审核结果在村（居）务公开栏公示7日，公示无异议的报{short}审批。
三是明确了资金管理要求。{topic}资金全部通过“一卡通”系统发放到户，严禁以现金形式发放，严禁截留、挤占、挪用。
四是明确了监督检查措施。{short}每年组织开展专项检查，检查结果向社会公开，对发现的问题督促整改到位。
[interp_scope]
文件适用于本县行政区域内符合条件的{people}。居民可以向户籍所在地乡镇人民政府或者{short}咨询具体条件。
已经享受同类政策的，不重复享受；特困人员、最低生活保障对象等困难群众符合条件的，优先纳入。
[interp_highlight]
文件坚持问题导向，对群众反映集中的申请材料多、办理时间长、结果不透明等问题逐一作出回应，进一步提升了政策的可操作性。
一是减少证明材料，能够通过部门数据共享获取的信息，不再要求群众提供。二是压缩办理时限，审核时限压缩至{days}个工作日。三是强化公开监督，办理结果在政府网站和村务公开栏同步公开。
[interp_contact]
政策咨询单位：{agency}，咨询电话：{phone}。也可拨打12345政务服务便民热线咨询，或通过“皖事通”App留言。
[duty]
{agency}主要职责是：贯彻执行国家、省、市有关{domain}工作的方针政策和法律法规，拟订全县相关政策并组织实施，承担本部门职责范围内的监督管理工作。
本部门预算编制范围包括部门本级及所属{small}个二级单位，均为财政拨款单位。本部门内设综合股、业务股、财务股等{n}个股室。
[money]
{year}年收入预算{wan}万元，其中一般公共预算拨款收入占{pct}；支出预算与收入预算相等，主要用于保障机构正常运转和履行职能等重点工作。
{year}年“三公”经费预算{small}.{n}万元，其中因公出国（境）费0万元，公务用车运行维护费占比最高，比上年有所下降，主要原因是严格落实过紧日子要求。
基本支出主要用于在职人员工资福利、离退休人员经费和日常公用经费；项目支出主要用于业务工作专项和信息化建设等。
[money_notes]
**（{i}）机关运行经费**。主要用于办公费、水电费、差旅费等日常公用经费支出，比上年减少{growth}%。
**（{i}）政府采购情况**。{year}年政府采购预算{wan}万元，主要用于信息化设备和服务采购。
**（{i}）国有资产占用情况**。截至上年底，本部门共有车辆{small}辆，单位价值50万元以上通用设备0台（套）。
**（{i}）预算绩效管理情况**。部门整体支出和全部项目支出均已设定绩效目标，绩效目标随部门预算同步公开。
**（{i}）名词解释**。“三公”经费是指用财政拨款安排的因公出国（境）费、公务用车购置及运行维护费、公务接待费。
[stats]
据统计，截至{month}月底，全县{topic}相关事项累计受理{count}件，同比增长{growth}%，办结率{pct}。
从办理渠道看，通过“皖事通”App和政府网站在线办理的占{pct2}，较上年同期提高{g2}个百分点，“网上办、掌上办”已成为群众办事的主要方式。
从区域分布看，城关镇、{town}受理量居前，占全县总量的{small}0%左右；各乡镇办理时限均控制在承诺时限以内。
全年累计发放{topic}相关资金{wan}万元，惠及{count}户（人），资金全部通过“一卡通”系统发放到户。
从服务对象看，老年人、残疾人等特殊群体占服务对象总数的{small}%左右，帮办代办服务覆盖全部乡镇便民服务中心。
从资金使用看，各项资金均按规定程序拨付，未发现截留、挤占、挪用等问题，资金使用效益稳步提高。
与上年同期相比，受理量增长较快的主要原因是政策覆盖面扩大和线上申报渠道更加便捷，群众申报积极性明显提高。
[stats_notes]
从主要指标看，全县{topic}工作运行总体平稳、稳中有进，服务效率持续提升，群众满意度保持在较高水平。
但也要看到，部分乡镇基础数据更新不够及时，个别指标增速放缓，需持续加强调度、补齐短板。
下一步，{short}将加强数据监测分析，按月调度、按季通报，推动各项指标稳步提升。
本数据由{short}根据各乡镇报送的业务台账汇总整理，各乡镇对本辖区数据的真实性、准确性负责。
如需查询历史数据，可登录{county}人民政府信息公开网“统计信息”栏目，或向{short}依申请公开。
注：本表数据为初步统计数，部分指标因四舍五入的原因，存在总计与分项合计不等的情况。
指标解释：办结率是指统计期内已办结件数占受理件数的比重；惠及人数按享受政策的户籍人口计算。
[jobs]
因工作需要，经研究决定，{short}面向社会公开招聘编外工作人员{small}名。现将有关事项公告如下。
报名时间为{year}年{next}月{n}日至{next}月{n2}日，报名采取网上报名方式，报名材料以PDF格式发送至指定邮箱，不接受现场报名。
应聘人员须具有中华人民共和国国籍，遵守宪法和法律，身体健康，年龄在18周岁以上、35周岁以下，具有岗位所需的学历和专业。
考试采取笔试和面试相结合的方式，笔试成绩和面试成绩各占50%。考试时间和地点另行通知，请报考人员关注{county}人民政府信息公开网。
资格审查贯穿招聘工作全过程。在任何环节发现报考人员不符合报考条件或者弄虚作假的，取消其报考或者聘用资格。
根据考试总成绩从高分到低分按岗位招聘人数1:1的比例确定体检和考察人选，体检参照公务员录用体检通用标准执行。
拟聘用人员名单在{county}人民政府信息公开网公示5个工作日。公示期满无异议的，办理聘用手续，试用期为3个月。
本次招聘工作接受纪检监察部门和社会各界的监督，监督电话：12345政务服务便民热线。
聘用人员实行合同管理，薪酬待遇按照{county}编外人员薪酬管理有关规定执行，依法缴纳社会保险和住房公积金。
报考人员应当保持通讯畅通，因本人原因错过考试、体检等环节的，视为自动放弃。本公告由{short}负责解释。
报名时须提交本人有效居民身份证、毕业证书、近期免冠照片等材料的扫描件，并如实填写报名登记表。
同一报考人员只能选择一个岗位报考。报名人数与招聘岗位计划数之比原则上不低于3:1，达不到比例的，相应核减或取消招聘计划。
本次招聘不收取报名费，不举办也不委托任何机构举办考试辅导培训班。
[faq_intro]
为便于群众了解{topic}相关政策，{short}对群众咨询较多的问题进行了梳理，现将常见问题解答如下。
为进一步提高政策知晓度，方便城乡居民办事，现就{topic}有关问题解答如下，供参考。
[faq]
**问：申请{topic}需要满足哪些条件？**|答：本县行政区域内符合条件的{people}均可申请，具体条件以{short}发布的政策文件为准。
**问：到哪里办理？**|答：可以到户籍所在地乡镇便民服务中心窗口办理，也可以通过“皖事通”App或{county}人民政府信息公开网在线办理。
**问：需要提交哪些材料？**|答：一般需要提交居民身份证或户口簿、申请表以及相关证明材料。能够通过部门数据共享获取的，不再要求群众提供。
**问：多长时间能办结？**|答：材料齐全的，乡镇人民政府在{days}个工作日内完成审核，审核结果在村（居）务公开栏公示7日后报{short}审批。
**问：资金怎么发放？**|答：资金通过“一卡通”系统直接发放到户，发放结果在村务公开栏公示，居民可以凭社会保障卡查询到账情况。
**问：对办理结果有异议怎么办？**|答：可以在公示期内向乡镇人民政府或{short}反映，也可以拨打12345政务服务便民热线。
**问：是否收取费用？**|答：不收取任何费用。发现乱收费的，可以向{short}或县纪委监委举报。
**问：申请后多久能知道结果？**|答：审批结果会在作出决定后通过短信告知申请人，同时在村（居）务公开栏公示。群众也可以登录{county}人民政府信息公开网或者通过“皖事通”App查询办理进度，查询时只需输入申请编号。
**问：家庭情况发生变化怎么办？**|答：享受政策期间，家庭人口、收入、财产等情况发生变化的，应当在30日内主动向乡镇人民政府报告。乡镇人民政府核实后及时调整，对隐瞒不报、骗取资金的，依法追回并记入个人信用记录。
**问：不会使用手机的老年人怎么办理？**|答：可以委托家属代办，也可以到村（社区）便民服务站由工作人员帮办代办。行动不便的老年人、重度残疾人，可以申请上门服务，工作人员预约后入户办理。
[tj]
全县实现地区生产总值（GDP）{wan}亿元，同比增长{growth}%。规模以上工业增加值同比增长{g2}%，居民消费价格指数（CPI）同比上涨{cpi}%。
城乡居民人均可支配收入同比增长{growth}%，其中农村居民人均可支配收入增速快于城镇居民。
[hjbh]
今年1—{month}月，全县PM2.5平均浓度为{pm}微克/立方米，同比下降{growth}%，空气质量优良天数比例为{pct}。
"""


def _pools(text: str) -> dict[str, tuple[str, ...]]:
    pools: dict[str, list[str]] = {}
    for line in text.strip().splitlines():
        if line.startswith("["):
            current = pools.setdefault(line.strip("[]"), [])
        else:
            current.append(line.replace("|", "\n\n"))
    return {name: tuple(lines) for name, lines in pools.items()}


POOLS = _pools(PROSE)
ONE_OF = {"intro", "contact", "faq_intro", "outlook"}  # pools that give a single paragraph
ORDERED = ("notice", "news", "interp_")  # pools (by name prefix) read in order, cut where the budget ends
LEAD_FIRST = {"jobs"}  # pools whose first paragraph opens the text
DOMAIN_EXTRAS = ("story", "goal", "stats")  # pools that take a domain's own paragraphs ([hjbh] …)

# Per kind: (heading or "", pool, share of the target length reached after it); pool "table" places the table.
LAYOUTS = {
    "政策文件": (
        ("", "intro", 0.1),
        ("一、总体要求", "goal", 0.25),
        ("二、主要任务", "task", 0.6),
        ("", "table", 0),
        ("三、保障措施", "measure", 0.95),
        ("", "contact", 1),
    ),
    "规划计划": (
        ("一、总体思路", "goal", 0.25),
        ("二、重点任务", "task", 0.65),
        ("", "table", 0),
        ("三、保障措施", "measure", 1),
    ),
    "通知公告": (
        ("", "intro", 0.15),
        ("一、有关事项", "notice", 0.6),
        ("", "table", 0),
        ("二、工作要求", "measure", 0.95),
        ("", "contact", 1),
    ),
    "工作动态": (("", "news", 0.4), ("", "story", 0.95), ("", "table", 0), ("", "outlook", 1)),
    INTERPRETATION_KIND: (
        ("一、起草背景", "interp_background", 0.3),
        ("二、主要内容", "interp_content", 0.7),
        ("三、适用对象", "interp_scope", 0.8),
        ("四、政策亮点", "interp_highlight", 0.9),
        ("五、政策咨询", "interp_contact", 1),
    ),
    "财政信息": (
        ("一、部门主要职责", "duty", 0.2),
        ("二、收支预算情况", "money", 0.5),
        ("", "table", 0),
        ("三、其他重要事项说明", "money_notes", 1),
    ),
    "统计信息": (("", "stats", 0.5), ("", "table", 0), ("", "stats_notes", 1)),
    "人事信息": (("", "jobs", 0.8), ("", "table", 0), ("", "contact", 1)),
    "其他": (("", "faq_intro", 0), ("", "faq", 0.95), ("", "contact", 1)),
}
NORMATIVE_CHAPTERS = (
    (
        "总则",
        (
            "为了规范{topic}工作，保障{people}的合法权益，根据{law}{ref}等有关规定，结合本县实际，制定本办法。",
            "本办法适用于本县行政区域内{topic}的申请、审核、发放及其监督管理。",
            "{topic}工作坚持公开、公平、公正的原则，实行县级统筹、乡镇负责、村（居）协助的工作机制。",
            "{short}是本县{topic}工作的主管部门，负责政策制定、组织实施和监督检查。县财政局负责资金保障和监督管理。"
            "{other}等部门按照各自职责做好相关工作。",
            "乡镇人民政府负责本辖区内{topic}的受理、初审和公示，村（居）民委员会协助做好政策宣传、信息采集和入户核查等工作。",
        ),
    ),
    (
        "申请与审核",
        (
            "申请{topic}的，由申请人向户籍所在地乡镇人民政府提出书面申请，也可以通过“皖事通”App在线提交。申请时应当提交下列材料："
            "（一）居民身份证或者户口簿；（二）家庭收入、财产状况等相关证明材料；（三）其他需要提交的材料。",
            "乡镇人民政府应当自受理申请之日起{days}个工作日内完成审核，必要时可以采取入户调查、邻里访问、信函索证等方式核实申请人的实际情况。",
            "审核结果应当在申请人所在村（居）村务公开栏公示，公示期为7日。公示期满无异议的，报{short}审批；有异议的，乡镇人民政府应当重新调查核实。",
            "{short}应当自收到审核材料之日起{days}个工作日内作出决定。不予批准的，应当书面告知申请人并说明理由。",
            "特困人员、最低生活保障对象等困难群众申请{topic}的，应当开辟绿色通道，优先受理、优先审核。",
        ),
    ),
    (
        "资金管理",
        (
            "{topic}资金实行专账核算、专款专用，通过“一卡通”系统直接发放到户，任何单位和个人不得截留、挤占、挪用。",
            "县财政局应当会同{short}在每年{month}月底前下达年度资金，并按规定做好资金拨付和绩效评价工作。",
            "补助标准按照下表执行。标准调整的，以{short}会同县财政局公布的标准为准。{table}",
        ),
    ),
    (
        "监督管理",
        (
            "{short}应当建立健全{topic}信息公开制度，通过政府网站、政务新媒体和村务公开栏等渠道主动公开政策依据、申请条件、"
            "办理程序、补助标准和发放结果，接受社会监督。",
            "城乡居民对{topic}工作有意见或者建议的，可以拨打12345政务服务便民热线，也可以向{short}或者所在乡镇人民政府反映。"
            "有关单位应当在{days}个工作日内予以答复。",
            "以虚报、隐瞒、伪造等手段骗取{topic}资金的，由{short}责令退回；情节严重的，依法追究法律责任。",
            "工作人员在{topic}工作中滥用职权、玩忽职守、徇私舞弊的，依法依规给予处分；涉嫌犯罪的，移送司法机关处理。",
        ),
    ),
    ("附则", ("本办法由{short}负责解释。", "本办法自{start}起施行，有效期{years}年。{repeal}")),
)
TABLES = {  # caption, header, row template; {k} is the row number, {item} the row's label
    "standard": (
        "{topic}补助标准",
        ("类别", "补助对象", "补助标准（元）", "发放方式"),
        ("{k}类", "{people}", "{rate}", "按{period}发放"),
    ),
    "progress": (
        "各乡镇{topic}工作进度",
        ("乡镇", "年度任务（户）", "已完成（户）", "完成率"),
        ("{item}", "{task}", "{done}", "{done_pct}"),
    ),
    "budget": (
        "部门收支预算总表（单位：万元）",
        ("项目", "上年预算数", "本年预算数", "增减（%）"),
        ("{item}", "{wan}", "{wan_next}", "{change}"),
    ),
    "stats": ("主要指标完成情况", ("指标", "单位", "本期", "同比增长（%）"), ("{item}", "{unit}", "{wan}", "{growth}")),
    "windows": (
        "附件：各乡镇受理窗口联系方式",
        ("乡镇", "受理窗口", "联系电话"),
        ("{item}", "便民服务中心{small}号窗口", "{landline}"),
    ),
    "jobs": (
        "招聘岗位表",
        ("岗位代码", "岗位名称", "招聘人数", "学历要求"),
        ("{year}0{k}", "{item}", "{small}", "大专及以上"),
    ),
}
TABLE_OF_KIND = {"财政信息": "budget", "统计信息": "stats", "人事信息": "jobs", NORMATIVE_KIND: "standard"}
TABLE_ITEMS = {
    "budget": ("一般公共预算拨款", "政府性基金预算拨款", "事业收入", "其他收入", "基本支出", "项目支出"),
    "stats": ("受理件数|件", "办结件数|件", "惠及人数|人", "发放资金|万元", "线上办理量|件", "群众满意率|%"),
    "jobs": ("综合文秘", "财务会计", "信息化管理（IT）", "窗口服务", "执法辅助"),
}
RANDOM_SLOTS = {  # each gets the rng and the paragraph's slots, so that one value can derive from another
    "n": lambda r, f: str(r.randint(3, 9)),
    "n2": lambda r, f: str(r.randint(10, 28)),
    "small": lambda r, f: str(r.randint(2, 12)),
    "days": lambda r, f: str(r.choice((5, 7, 10, 15))),
    "count": lambda r, f: str(r.randint(120, 9800)),
    "pct": lambda r, f: f"{r.uniform(60, 99.9):.1f}%",
    "growth": lambda r, f: f"{r.uniform(0.5, 12):.1f}",
    "g2": lambda r, f: f"{r.uniform(0.5, 12):.1f}",
    "cpi": lambda r, f: f"{r.uniform(0.1, 2.5):.1f}",
    "wan": lambda r, f: f"{r.uniform(20, 5000):.2f}",
    "wan_next": lambda r, f: f"{float(f['wan']) * r.uniform(0.85, 1.2):.2f}",
    "change": lambda r, f: f"{float(f['wan_next']) / float(f['wan']) * 100 - 100:.1f}",
    "task": lambda r, f: str(r.randint(40, 900)),
    "done": lambda r, f: str(int(int(f["task"]) * r.uniform(0.6, 1))),
    "done_pct": lambda r, f: f"{int(f['done']) / int(f['task']):.1%}",
    "pct2": lambda r, f: f"{r.uniform(40, 90):.1f}%",
    "landline": lambda r, f: f"0550-7{r.randint(0, 999999):06d}",
    "pm": lambda r, f: str(r.randint(26, 42)),
    "rate": lambda r, f: str(r.choice((50, 80, 100, 120, 200, 300, 500))),
    "period": lambda r, f: r.choice("月季年"),
}


# ---------------------------------------------------------------------------------------------
# Small helpers


def rng_for(scale: str, section: str) -> random.Random:
    """A stream of its own per section, so that one section's changes do not shift the others."""
    return random.Random(f"{scale}:{section}")


def cn_number(n: int) -> str:
    """1..99 in Chinese numerals."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else DIGITS[tens] + "十")
    return head + (DIGITS[ones] if ones else "") if n else "零"


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def workday(d: dt.date) -> dt.date:
    """Saturday moves back to Friday, Sunday forward to Monday."""
    return d + dt.timedelta(days={5: -1, 6: 1}.get(d.weekday(), 0))


def random_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return workday(first + dt.timedelta(days=rng.randint(0, (last - first).days)))


def credit_code(rng: random.Random) -> str:
    """An 18-character 统一社会信用代码 with valid GB 11714 and GB 32100 check characters."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = rng.choice(("00", "MB", "MB", "01")) + "".join(rng.choices("0123456789", k=6))
    org = sum(w * int(c, 36) for w, c in zip((3, 7, 9, 10, 5, 8, 4, 2), body, strict=True))
    org_check = {10: "X", 11: "0"}.get(11 - org % 11, str(11 - org % 11))
    code17 = "11" + CODE6 + body + org_check
    total = sum(
        w * alphabet.index(c)
        for w, c in zip((1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28), code17, strict=True)
    )
    return code17 + alphabet[(31 - total % 31) % 31]


class Phones:
    """Unique fictional landlines in the county's exchange."""

    def __init__(self, rng: random.Random):
        self.rng, self.used = rng, set()

    def __call__(self, head: str = "70") -> str:
        width, number = 7 - len(head), ""
        while not number or number in self.used:
            number = f"0550-{head}{self.rng.randrange(10**width):0{width}d}"
        self.used.add(number)
        return number


# ---------------------------------------------------------------------------------------------
# YAML and file writing (hand-emitted: block mappings, flow lists of scalars, stable bytes)

_RESOLVER = yaml.resolver.Resolver()


def scalar(value: object, flow: bool = False) -> str:
    """A YAML scalar, plain when that reads back as the same string, else double-quoted."""
    if isinstance(value, int | dt.date):
        return str(value)
    text = str(value)
    plain = (
        text
        and text[0] not in "-?:,[]{}#&*!|>'\"%@` "
        and text == text.strip()
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and "\n" not in text
        and not (flow and any(c in text for c in ",[]{}"))
        and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str"
    )
    return text if plain else json.dumps(text, ensure_ascii=False)


def yaml_lines(data: dict, pad: str = ""):
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            yield f"{pad}{key}:"
            for item in value:
                first, *rest = yaml_lines(item, pad + "    ")
                yield f"{pad}  - {first.lstrip()}"
                yield from rest
        elif isinstance(value, list | tuple):
            yield f"{pad}{key}: [{', '.join(scalar(v, flow=True) for v in value)}]"
        elif isinstance(value, dict):
            yield f"{pad}{key}:"
            yield from yaml_lines(value, pad + "  ")
        else:
            yield f"{pad}{key}: {scalar(value)}"


def to_yaml(data: dict) -> str:
    return "\n".join(yaml_lines(data)) + "\n"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.write(text)


# ---------------------------------------------------------------------------------------------
# County, agencies, catalogue


@dataclass(frozen=True)
class Agency:
    abbr: str
    name: str
    short: str
    prefix: str  # 机关代字
    domains: tuple[str, ...]
    area: str  # the county, or the town of a town government
    code: str
    phone: str


def make_agencies(rng: random.Random, phones: Phones, towns) -> list[Agency]:
    rows = [(a, n.format(c=COUNTY), s, p, tuple(d.split()), COUNTY) for a, n, s, p, d in AGENCIES]
    rows += [
        (code, f"{COUNTY}{name}人民政府", f"{name}政府", name[:2] + "政", tuple(TOWN_DOMAINS.split()), name)
        for code, name in towns
    ]
    return [Agency(*row, code=credit_code(rng), phone=phones()) for row in rows]


DEMO_EVIDENCE = """\
# 开会、培训等软件看不出来的工作的佐证，gongkai audit 读取（见使用指南「自查报告」）。
佐证材料:
  - 编号: zzjs-ld
    日期: 2026-03-02
    内容: 县政府办公室印发通知，成立基层政务公开提升行动工作专班
  - 编号: zzjs-hy
    日期: 2026-03-16
    内容: 县政务公开工作领导小组 2026 年第一次会议，审议提升行动实施方案
    链接: https://www.qingxi.example.cn/xxgk/
"""
"""The demo county's audit-evidence.yml: meetings and a work group on record, training and innovation 待补充."""

EMBLEM = "images/logo.png"
"""The demo county's 标志, in the repository's theme/ (a picture drawn for the fictional county)."""


def county_config(agencies: list[Agency], phones: Phones, rng: random.Random) -> dict:
    by = {a.abbr: a for a in agencies}
    lines = [("12345政务服务便民热线", "12345"), ("县政府信息公开办公室", by["zfb"].phone)]
    lines += [(f"{by[a].short}监督电话", phones()) for a in ("czj", "nyj", "mzj")]
    lines += [("县纪委监委举报电话", phones()), ("县人社局咨询电话", by["rsj"].phone)]
    return {
        "县名": COUNTY,
        "网站名称": f"{COUNTY}人民政府信息公开网",
        "主办单位": by["zfb"].name,
        "联系电话": by["zfb"].phone,
        "联系地址": f"{COUNTY}城关镇人民路1号县政务中心",
        "电子邮箱": "xxgk@qingxi.example.cn",
        "办公时间": "工作日 8:30-12:00，14:30-17:30",
        "网站标识码": CODE6[:4] + "990006",
        "ICP备案号": f"皖ICP备{rng.randint(10**7, 10**8 - 1)}号",
        "公安备案号": f"皖公网安备{CODE6}02{rng.randint(10**5, 10**6 - 1):06d}号",
        "发布机构": [{"名称": a.name, "简称": a.short, "统一社会信用代码": a.code} for a in agencies],
        "公开电话": [{"名称": n, "号码": p} for n, p in lines],
        "依申请公开": {
            "受理机构": f"{by['zfb'].name}（县政务公开办公室）",
            "地址": f"{COUNTY}城关镇人民路1号县政务中心3楼",
            "邮政编码": "247100",
            "受理时间": "工作日 8:30-12:00，14:30-17:30（法定节假日除外）",
            "电话": by["zfb"].phone,
            "传真": "0550-7073559",
            "电子邮箱": "xxgk@qingxi.example.cn",
        },
    }


def catalog_rows(rng: random.Random, spec: DomainSpec, lead: Agency, count: int) -> list[dict]:
    """The domain's curated rows, then generic aspects of its items and topics up to ``count`` rows."""
    pairs = [(item, sub, content) for item, subs, content in spec.items for sub in subs.split("/")]
    generic = [
        (item, aspect, content)
        for aspect, content in ASPECTS.items()
        for item in [i for i, _, _ in spec.items] + list(spec.topics)
    ]
    pairs += [p for p in generic if p[:2] not in {q[:2] for q in pairs}][: max(0, count - len(pairs))]
    return [catalog_row(rng, spec, lead, n, *p) for n, p in enumerate(pairs, 1)]


def catalog_row(rng, spec: DomainSpec, lead: Agency, number: int, item: str, sub: str, content: str) -> dict:
    local = any(w in sub + content for w in ("名单", "审核", "公示", "发放"))
    channels = {"政府网站", *rng.sample(EXTRA_CHANNELS, rng.randint(0, 3))}
    if local or spec.code == "shjz":
        channels |= {"社区/企事业单位/村公示栏（电子屏）", "便民服务站"}
    return {
        "序号": number,
        "一级事项": item,
        "二级事项": sub,
        "公开内容": content,
        "公开依据": f"{spec.law}《中华人民共和国政府信息公开条例》{rng.choice(COUNTY_BASES)}",
        "公开时限": RELIEF_DEADLINE if spec.code == "shjz" else DEFAULT_DEADLINE,
        "公开主体": "乡镇人民政府" if local and rng.random() < 0.5 else lead.short,
        "公开渠道": [c for c in CHANNELS if c in channels],
        "公开对象": "特定群体" if rng.random() < 0.1 else "全社会",
        "公开方式": "依申请" if rng.random() < 0.08 else "主动",
        "公开层级": ["乡级", "村级"] if local else rng.choice((["县级"], ["县级"], ["县级", "乡级"])),
    }


def write_catalog(
    out: Path, scale: str, domains, agencies: dict[str, Agency], rows: tuple[int, int]
) -> dict[str, list[str]]:
    """Write the domains and their catalogues; return, per domain, how documents may name each row."""
    rng = rng_for(scale, "catalog")
    write(
        out / "catalog/domains.yml",
        to_yaml(
            {
                "领域": [
                    {"代码": d.code, "名称": d.name, "别名": list(d.aliases) or None, "主管部门": d.province}
                    for d in domains
                ]
            }
        ),
    )
    names = {}
    for spec in domains:
        table = catalog_rows(rng, spec, agencies[spec.lead], rng.randint(*rows))
        write(out / f"catalog/{spec.code}.yml", to_yaml({"领域": spec.code, "目录": table}))
        subs = [row["二级事项"] for row in table]
        subs_and_items = subs + [row["一级事项"] for row in table]  # a name must be unique among both
        names[spec.code] = [
            sub if subs_and_items.count(sub) == 1 else str(row["序号"]) for sub, row in zip(subs, table, strict=True)
        ]
    return names


# ---------------------------------------------------------------------------------------------
# Documents


@dataclass
class Doc:
    domain: DomainSpec
    agency: Agency
    kind: str
    published: dt.date
    topic: str
    target: Doc | None = None
    title: str = ""
    validity: str = "有效"
    cited: bool = False  # a repealed document already named by its successor
    plan: bool = False  # a 2026 subsidy plan that the payout lists cite as their basis
    written: dt.date | None = None
    index: str = ""
    docno: str = "无"
    slug: str = ""


class Fill(dict):
    """Template slots: fixed ones given, random ones drawn on first use (``town`` from ``towns`` …)."""

    def __init__(self, rng: random.Random, fixed: dict):
        super().__init__(fixed)
        self.rng = rng

    def __missing__(self, key: str) -> str:
        value = RANDOM_SLOTS[key](self.rng, self) if key in RANDOM_SLOTS else self.rng.choice(self[key + "s"])
        self[key] = value
        return value


def plan_documents(rng: random.Random, count: int, domains, agencies: list[Agency]) -> list[Doc]:
    """Every document's domain, agency, kind and date; interpretations follow their policies."""
    by_abbr = {a.abbr: a for a in agencies}
    by_code = {d.code: d for d in domains}
    anchors = [
        Doc(
            by_code[domain],
            by_abbr[agency],
            "政策文件",
            random_day(rng, dt.date(2026, 2, 2), dt.date(2026, 5, 29)),
            name,
            plan=True,
        )
        for _, name, _, domain, agency, _, _ in SUBSIDIES
    ]
    n_interp, n_norm = round(count * 0.09), round(count * 0.115)
    n_regular = count - len(anchors) - n_interp
    fresh = max(6, count // 100)
    kinds = [NORMATIVE_KIND] * n_norm + rng.choices(list(OTHER_KINDS), list(OTHER_KINDS.values()), k=n_regular - n_norm)
    rng.shuffle(kinds)
    docs = []
    for i, kind in enumerate(kinds):
        spec = domains[i % len(domains)] if i < 3 * len(domains) else rng.choice(domains)
        spec = by_code.get(KIND_DOMAINS.get(kind, ""), spec)
        agency = rng.choice(agencies) if kind == "财政信息" else pick_agency(rng, spec, agencies, by_abbr)
        first, last = (FRESH_FROM, TODAY - dt.timedelta(days=1)) if i >= n_regular - fresh else (FIRST_DAY, LAST_DAY)
        docs.append(Doc(spec, agency, kind, random_day(rng, first, last), rng.choice(spec.topics)))
    old = [d for d in docs if d.kind == NORMATIVE_KIND and d.published < dt.date(2023, 6, 1)]
    for n, doc in enumerate(rng.sample(old, min(len(old), max(3, count // 50)))):
        doc.validity = ("废止", "失效")[n % 2]
    docs += anchors
    return docs + interpretations(rng, docs, n_interp)


def pick_agency(rng: random.Random, spec: DomainSpec, agencies: list[Agency], by_abbr) -> Agency:
    """Mostly the domain's lead body, sometimes the county government, else another body of the domain."""
    roll = rng.random()
    others = [a for a in agencies if spec.code in a.domains and a.abbr != spec.lead]
    if roll < 0.15:
        return by_abbr[rng.choice(("zf", "zfb"))]
    return rng.choice(others) if roll < 0.4 and others else by_abbr[spec.lead]


def interpretations(rng: random.Random, docs: list[Doc], count: int) -> list[Doc]:
    """解读 of valid policies, mostly normative ones: most within three days, a few late."""
    policies = [
        d for d in docs if d.kind in (NORMATIVE_KIND, "政策文件") and d.validity == "有效" and d.published < LAST_DAY
    ]
    normative = [d for d in policies if d.kind == NORMATIVE_KIND]
    targets = rng.sample(normative, min(len(normative), round(count * 0.6)))
    targets += rng.sample([d for d in policies if d not in targets], count - len(targets))
    out = []
    for target in targets:
        delay = rng.randint(8, 30) if rng.random() < 0.1 else rng.randint(0, 3)
        day = min(workday(target.published + dt.timedelta(days=delay)), TODAY - dt.timedelta(days=1))
        out.append(Doc(target.domain, target.agency, INTERPRETATION_KIND, day, target.topic, target=target))
    return out


def number_documents(rng: random.Random, docs: list[Doc]) -> list[Doc]:
    """Sort by date; give 索引号, 文号 and slug in publication order, so numbers never go back in time."""
    docs = sorted(docs, key=lambda d: (d.published, d.target is not None))
    index_seq: dict[tuple, int] = defaultdict(int)
    docno_seq: dict[tuple, int] = defaultdict(int)
    for doc in docs:
        year = doc.published.year
        index_seq[doc.agency.abbr, year] += 1
        seq = index_seq[doc.agency.abbr, year]
        doc.index = f"{doc.agency.code}/{doc.published:%Y%m}-{seq:05d}"
        doc.slug = f"{year}/{doc.published:%Y-%m%d}-{doc.agency.abbr}-{seq:03d}"
        lag = 0 if doc.kind in ("工作动态", INTERPRETATION_KIND) else rng.randint(1, 12)
        doc.written = workday(doc.published - dt.timedelta(days=lag))
        if rng.random() < NUMBERED_KINDS.get(doc.kind, 0):
            prefix = doc.agency.prefix + ("规" if doc.kind == NORMATIVE_KIND else "")
            docno_seq[prefix, year] += 1
            doc.docno = f"{prefix}〔{year}〕{docno_seq[prefix, year]}号"
    return docs


def short_title(title: str) -> str:
    """「关于印发《X》的通知」 → X; other titles unchanged."""
    return title.split("《", 1)[1].rsplit("》", 1)[0] if "《" in title else title


def title_of(rng: random.Random, doc: Doc, towns) -> str:
    if doc.target:
        template = rng.choice(("《{}》政策解读", "一图读懂《{}》", "关于《{}》的解读"))
        return template.format(short_title(doc.target.title))
    if doc.plan:
        return f"{COUNTY}2026年{doc.topic}实施方案"
    template = rng.choice(TITLES[doc.kind])
    if doc.validity == "失效" and doc.kind == NORMATIVE_KIND:
        template = "{county}{topic}暂行办法"
    area, year = doc.agency.area, doc.published.year
    town = rng.choice(towns)[1] if area == COUNTY else area
    return template.format(
        county=area,
        topic=doc.topic,
        year=year,
        last=year - 1,
        short=doc.agency.short,
        agency=doc.agency.name,
        town=town,
        month=max(2, doc.published.month - 1),
    )


def fixed_slots(doc: Doc, ref: str, repeal: str, towns, shorts: list[str]) -> dict:
    target = doc.target
    return {
        "county": COUNTY,
        "topic": doc.topic,
        "domain": doc.domain.name,
        "short": doc.agency.short,
        "agency": doc.agency.name,
        "law": doc.domain.law,
        "ref": ref,
        "people": doc.domain.people,
        "year": str(doc.published.year),
        "date": cn_date(doc.published),
        "phone": doc.agency.phone,
        "month": str(max(1, doc.published.month - 1)),
        "next": str(min(12, doc.published.month + 1)),
        "start": cn_date(doc.published),
        "years": "2" if "暂行" in doc.title else "5",
        "repeal": repeal,
        "towns": [name for _, name in towns],
        "others": shorts,
        "target": short_title(target.title) if target else "",
        "tno": target.docno if target else "",
        "tdate": cn_date(target.published) if target else "",
    }


def table_md(rng: random.Random, kind: str, slots: dict) -> str:
    caption, header, row = TABLES[kind]
    items = TABLE_ITEMS.get(kind, slots["towns"])
    if kind != "windows":
        items = rng.sample(items, min(len(items), rng.randint(3, 6)))
    lines = [
        f"**{caption.format_map(Fill(rng, slots))}**",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for k, item in enumerate(items, 1):
        label, _, unit = item.partition("|")
        fill = Fill(rng, {**slots, "k": cn_number(k), "item": label, "unit": unit})
        lines.append("| " + " | ".join(cell.format_map(fill) for cell in row) + " |")
    return "\n".join(lines)


def prose_body(rng: random.Random, doc: Doc, slots: dict) -> str:
    """The body of a document: its kind's layout filled to a random length of 800-3000 characters."""
    target = rng.randint(900, 2600)
    table_kind = TABLE_OF_KIND.get(doc.kind) or ("progress" if rng.random() < 0.15 else None)
    if doc.kind == NORMATIVE_KIND:
        paras = normative_body(rng, doc, slots, target, table_kind)
    else:
        paras = []
        for heading, pool, share in LAYOUTS[doc.kind]:
            if pool == "table":
                paras += [table_md(rng, table_kind, slots)] if table_kind else []
                continue
            paras += [f"## {heading}"] if heading else []
            paras += section(rng, pool, doc, slots, sum(map(len, paras)), share * target)
    if (length := sum(map(len, paras))) < 800:
        paras[-1:-1] = section(rng, "goal", doc, slots, length, 800)
    if doc.kind in ("通知公告", "政策文件"):
        appendix = [table_md(rng, "windows", slots)] if target > 2100 else []
        paras = [salutation(doc)] * ("通知" in doc.title) + paras + [doc.agency.name, cn_date(doc.written), *appendix]
    while len("\n\n".join(paras)) > 3000:  # drop middle paragraphs, never a heading
        paras.pop(next(i for i in range(len(paras) // 2, len(paras)) if not paras[i].startswith("#")))
    return "\n\n".join(paras)


def section(rng: random.Random, pool: str, doc: Doc, slots: dict, used: int, budget: float) -> list[str]:
    """Paragraphs of one pool, shuffled unless ORDERED, until the text so far reaches the budget."""
    lines = list(POOLS[pool])
    if not pool.startswith(ORDERED):
        lead = [lines.pop(0)] if pool in LEAD_FIRST else []
        lines += POOLS.get(doc.domain.code, ()) if pool in DOMAIN_EXTRAS else ()
        rng.shuffle(lines)
        lines = lead + (lines[:1] if pool in ONE_OF else lines)
    out: list[str] = []
    for n, line in enumerate(lines, 1):
        out.append(line.format_map(Fill(rng, {**slots, "i": cn_number(n)})))
        used += len(out[-1])
        if used >= budget:
            break
    return out


def salutation(doc: Doc) -> str:
    """Who a notice is addressed to: the towns and county bodies, or a town's villages and offices."""
    area = doc.agency.area
    return "各乡镇人民政府，县直有关单位：" if area == COUNTY else f"各村（居）民委员会，{area[-1]}直各单位："


def normative_body(rng: random.Random, doc: Doc, slots: dict, target: int, table_kind: str | None) -> list[str]:
    """Chapters of 第N条 articles (the first of each chapter, 总则 and 附则 always stay), after the cover
    notice when the title is 「关于印发《…》的通知」."""
    keep = min(1.0, target / 2000)
    paras, n = [], 0
    if doc.title.startswith("关于印发"):
        paras = [
            salutation(doc),
            f"现将《{short_title(doc.title)}》印发给你们，请结合实际认真贯彻执行。",
            doc.agency.name,
            cn_date(doc.written),
            f"**{short_title(doc.title)}**",
        ]
    for c, (chapter, articles) in enumerate(NORMATIVE_CHAPTERS, 1):
        paras.append(f"## 第{cn_number(c)}章　{chapter}")
        for i, article in enumerate(articles):
            if i and c not in (1, len(NORMATIVE_CHAPTERS)) and rng.random() > keep:
                continue
            n += 1
            table = "\n\n" + table_md(rng, table_kind, slots) if "{table}" in article and table_kind else ""
            paras.append(f"第{cn_number(n)}条　" + article.format_map(Fill(rng, {**slots, "table": table})))
    return paras


def citation(rng: random.Random, doc: Doc, earlier: list[Doc]) -> tuple[str, str]:
    """An earlier document of the domain this one builds on, and the repealed one it replaces, as text."""
    ref = rng.choice(earlier) if earlier and rng.random() < 0.7 else None
    ref_text = f"和《{short_title(ref.title)}》（{ref.docno}）" if ref else ""
    old = next((d for d in earlier if d.validity == "废止" and not d.cited), None)
    if doc.kind != NORMATIVE_KIND or old is None:
        return ref_text, ""
    old.cited = True
    return ref_text, f"原《{short_title(old.title)}》（{old.docno}）同时废止。"


def document_text(rng: random.Random, doc: Doc, body: str) -> str:
    """Front matter (the metadata block, in the source keys) and the Markdown body."""
    spec = doc.domain
    roll = rng.random()
    domain = spec.code if roll < 0.2 else spec.aliases[0] if roll < 0.3 and spec.aliases else spec.name
    summary = SUMMARIES[doc.kind].format(topic=doc.topic, year=doc.published.year, short=doc.agency.short)
    meta = {
        "标题": doc.title,
        "索引号": doc.index,
        "文号": doc.docno,
        "发布机构": doc.agency.name,
        "成文日期": doc.written,
        "发布日期": doc.published,
        "领域": domain,
        "主题分类": spec.subject if rng.random() < 0.4 else spec.subject.split("\\")[0],
        "组配分类": doc.kind,
        "关键词": list(dict.fromkeys([doc.topic, *rng.sample(spec.topics, 2), spec.name]))[:4],
        "内容概述": summary if rng.random() < 0.9 else None,
        "有效性": doc.validity if doc.kind in NUMBERED_KINDS else None,
        "解读对象": doc.target.index if doc.target else None,
    }
    return f"---\n{to_yaml(meta)}---\n\n{body}\n"


def write_documents(
    out: Path, scale: str, count: int, domains, agencies: list[Agency], towns, row_names: dict[str, list[str]]
) -> dict[str, str]:
    """Write every document; return each 2026 subsidy plan as 「《title》（文号）」 for the payout lists."""
    rng = rng_for(scale, "documents")
    docs = number_documents(rng, plan_documents(rng, count, domains, agencies))
    shorts = [a.short for a in agencies if a.abbr not in ("zf", "zfb")]
    earlier: dict[str, list[Doc]] = defaultdict(list)  # numbered documents so far, per domain
    bases = {}
    for doc in docs:
        doc.title = title_of(rng, doc, towns)
        ref, repeal = citation(rng, doc, earlier[doc.domain.code])
        body = prose_body(rng, doc, fixed_slots(doc, ref, repeal, towns, shorts))
        text = link_extras(out, scale, doc, document_text(rng, doc, body), row_names.get(doc.domain.code, []))
        write(out / "content/documents" / f"{doc.slug}.md", text)
        if doc.docno != "无":
            earlier[doc.domain.code].append(doc)
        if doc.plan:
            bases[doc.topic] = f"《{doc.title}》（{doc.docno}）"
    return bases


ITEM_KINDS = (NORMATIVE_KIND, "政策文件", "通知公告", "财政信息", "规划计划")
ATTACHMENT_KINDS = ("政策文件", "通知公告")
FONT = (
    b"<</Type/Font/Subtype/Type0/BaseFont/STSong-Light/Encoding/UniGB-UCS2-H/DescendantFonts[6 0 R]/ToUnicode 7 0 R>>"
)
CID_FONT = (
    b"<</Type/Font/Subtype/CIDFontType0/BaseFont/STSong-Light"
    b"/CIDSystemInfo<</Registry(Adobe)/Ordering(GB1)/Supplement 4>>/FontDescriptor 8 0 R/DW 1000>>"
)
DESCRIPTOR = (
    b"<</Type/FontDescriptor/FontName/STSong-Light/Flags 6/FontBBox[-25 -254 1000 880]/ItalicAngle 0"
    b"/Ascent 880/Descent -120/CapHeight 880/StemV 93>>"
)


def attachment_pdf(title: str) -> bytes:
    """A one-page A4 PDF that stands in for an attached application form: real Chinese text that any
    reader extracts (Adobe's standard STSong-Light, not embedded, with a ToUnicode map), written by
    hand so that the bytes are the same on every run and every machine."""
    lines = [
        "附件1",
        *(title[i : i + 26] for i in range(0, len(title), 26)),
        "申请表（样表）",
        "申请人姓名：",
        "联系电话：",
        "申请事项：",
        "（本表仅为格式示例，请到受理窗口领取正式表格。）",
    ]
    content = (
        b"BT /F1 16 Tf 72 770 Td 24 TL "
        + b" ".join(b"<" + line.encode("utf-16-be").hex().upper().encode() + b"> '" for line in lines)
        + b" ET"
    )
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n"
        b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        + _bfchars(sorted({c for line in lines for c in line}))
        + b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>",
        FONT,
        _stream(content),
        CID_FONT,
        _stream(cmap),
        DESCRIPTOR,
        b"<</Title<" + ("\ufeff" + title).encode("utf-16-be").hex().upper().encode() + b">/Producer(gongkai synth)>>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R/Info 9 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _bfchars(chars: list[str]) -> bytes:
    blocks = [chars[i : i + 100] for i in range(0, len(chars), 100)]
    return b"".join(
        b"%d beginbfchar\n" % len(block)
        + b"".join(b"<%04X> <%04X>\n" % (ord(c), ord(c)) for c in block)
        + b"endbfchar\n"
        for block in blocks
    )


def _stream(data: bytes) -> bytes:
    return b"<</Length %d>>\nstream\n" % len(data) + data + b"\nendstream"


def link_extras(out: Path, scale: str, doc: Doc, text: str, rows: list[str]) -> str:
    """Add 目录事项 (and, in the demo, an attachment) from an rng of the document's own, so that the
    rest of the generated county does not change when these do."""
    rng = random.Random(f"{scale}:{doc.slug}:extras")
    extra = ""
    if rows and doc.kind in ITEM_KINDS and rng.random() < 0.6:
        extra += f"目录事项: {scalar(rng.choice(rows))}\n"
    if scale == "demo" and doc.kind in ATTACHMENT_KINDS and rng.random() < 0.15:
        name = f"{doc.slug.rsplit('/', 1)[1]}-fj1.pdf"
        write_bytes(out / "content/documents" / doc.slug.rsplit("/", 1)[0] / name, attachment_pdf(doc.title))
        extra += f"附件:\n  - 文件: {name}\n    名称: 附件1：申请表（样表）\n"
    head, sep, rest = text.partition("\n---\n")
    return head + "\n" + extra + sep.lstrip("\n") + rest if extra else text


def write_bytes(path: Path, data: bytes) -> None:
    """Write a binary file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


PARTICIPATION = (  # kind, title template, body
    (
        "意见征集",
        "关于公开征求《{county}{topic}实施办法（征求意见稿）》意见的公告",
        "为提高决策的科学性和透明度，现将《{county}{topic}实施办法（征求意见稿）》全文公布，公开征求社会各界意见。"
        "\n\n请于征集截止日期前，通过信函或电子邮件提出意见，并注明联系方式。",
    ),
    (
        "回应关切",
        "关于群众反映{topic}有关问题的回应",
        "近期，有群众通过 12345 政务服务便民热线反映{topic}办理进度慢的问题。\n\n我县高度重视，已责成相关部门逐件核查，"
        "现将有关情况回应如下：一是简化办理流程；二是公开办理时限；三是畅通投诉渠道。",
    ),
    (
        "政策咨询",
        "{topic}政策问答",
        "**问：{topic}的申请条件是什么？**\n\n答：请参阅相关实施办法，或向所在乡镇便民服务中心咨询。\n\n"
        "**问：办理需要多长时间？**\n\n答：一般在受理后 20 个工作日内办结。",
    ),
)


def write_participation(out: Path, scale: str, count: int, domains, agencies: list[Agency]) -> None:
    """Drafts for comment (with their feedback once closed), responses to public concern, policy Q&A."""
    rng = rng_for(scale, "participation")
    county_agencies = [a for a in agencies if a.area == COUNTY]
    for i in range(max(count, 3)):
        kind, title, body = PARTICIPATION[i % len(PARTICIPATION)]
        spec, agency = rng.choice(domains), rng.choice(county_agencies)
        topic = rng.choice(spec.topics)
        published = TODAY - dt.timedelta(days=rng.randint(3, 400))
        meta = {
            "标题": title.format(county=COUNTY, topic=topic),
            "索引号": f"{agency.code}/{published:%Y%m}-{90001 + i}",
            "文号": "无",
            "发布机构": agency.name,
            "成文日期": published,
            "发布日期": published,
            "领域": spec.name,
            "主题分类": spec.subject.split("\\")[0],
            "组配分类": kind,
            "关键词": [topic, kind],
        }
        if kind == "意见征集":
            end = published + dt.timedelta(days=30)
            meta |= {"征集开始": published, "征集结束": end}
            if end < TODAY:
                meta["采纳情况"] = (
                    f"共收到意见 {rng.randint(3, 30)} 条，采纳 {rng.randint(1, 3)} 条，未采纳的已逐条说明理由。"
                )
        slug = f"{published.year}/{published:%Y-%m%d}-{agency.abbr}-hd{i + 1:03d}"
        text = f"---\n{to_yaml(meta)}---\n\n{body.format(county=COUNTY, topic=topic)}\n"
        write(out / "content/documents" / f"{slug}.md", text)


# ---------------------------------------------------------------------------------------------
# Towns, villages, payout lists


def village_names(rng: random.Random, count: int, town_index: int) -> list[tuple[str, str]]:
    """Unique (code, name) pairs within one town; the county seat starts with its communities."""
    heads = [(w[0], w[1:]) for w in VILLAGE_HEADS.split()]
    tails = [(w[0], w[1:]) for w in VILLAGE_TAILS.split()]
    names = list(COMMUNITIES[: min(2, count)]) if town_index == 0 else []
    pairs = [(h + t, hz + tz + "村") for hz, h in heads for tz, t in tails]
    seen = {code for code, _ in names}
    for code, name in rng.sample(pairs, len(pairs)):
        if len(names) == count:
            break
        if code not in seen:
            seen.add(code)
            names.append((code, name))
    return names


def committee(village: str) -> str:
    """Who signs for a village: 村民委员会 for a 村, 居民委员会 for a 社区."""
    return village[:-1] + "村民委员会" if village.endswith("村") else village + "居民委员会"


def village_items(rng: random.Random) -> list[dict]:
    chosen = VILLAGE_ITEMS[:4] + tuple(rng.sample(VILLAGE_ITEMS[4:], rng.randint(2, 5)))
    return [
        {
            "序号": n,
            "公开事项": item,
            "公开依据": basis,
            "公开时限": deadline,
            "公开主体": "村民委员会、乡镇人民政府" if "名单" in item else "村民委员会",
            "公开渠道": ["村务公开栏", *rng.sample(("村民微信群", "村民代表会议", "入户/现场"), rng.randint(0, 2))],
            "公开层级": ["乡级", "村级"] if "名单" in item else (["村级"] if rng.random() < 0.5 else None),
        }
        for n, (item, basis, deadline) in enumerate(chosen, 1)
    ]


def payout_row(rng: random.Random, how: str, rate: str, groups: int, paid: dt.date, community: bool) -> list:
    note, quantity = "", Decimal(1)
    if how in ("area", "forest"):
        quantity = Decimal(rng.randint(60, 1800 if how == "area" else 6000)).scaleb(-2)
        while quantity * Decimal(rate) * 100 % 1 == Decimal("0.5"):  # no half-cent ties: any rounding agrees
            quantity += Decimal("0.01")
    elif how == "machine":
        note, price = rng.choice(MACHINES)
        rate, quantity = str(price), Decimal(2 if rng.random() < 0.1 else 1)
    elif how in NOTED_RATES:
        options = NOTED_RATES[how]
        note, price, _ = rng.choices(options, [w for _, _, w in options])[0]
        rate, quantity = str(price), Decimal(12 if rng.random() < 0.85 else rng.randint(1, 11))
    elif how == "months":
        quantity = Decimal(12 if rng.random() < 0.85 else rng.randint(1, 11))
        note = "" if quantity == 12 else "新增领取"
    elif how == "persons":
        quantity = Decimal(rng.choice((1, 1, 2)))
    amount = (quantity * Decimal(rate)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=1 if rng.random() < 0.3 else 2))
    group = f"第{cn_number(rng.randint(1, groups))}{'居民小组' if community else '村民组'}"
    check = rng.choice("0123456789" * 3 + "X")
    masked = f"{rng.choice(ID_PREFIXES)}********{rng.randint(0, 999):03d}{check}"
    return [name, group, masked, quantity, rate, amount, paid.isoformat(), note]


def notice_period(rng: random.Random, current: bool) -> tuple[dt.date, dt.date]:
    """A posting period of at least seven days; current ones include TODAY."""
    if current:
        start = random_day(rng, dt.date(2026, 11, 13), dt.date(2026, 11, 25))
        return start, max(start + dt.timedelta(days=rng.randint(7, 12)), TODAY + dt.timedelta(days=rng.randint(0, 3)))
    start = random_day(rng, dt.date(2026, 3, 2), dt.date(2026, 10, 30))
    return start, start + dt.timedelta(days=rng.randint(7, 14))


def list_sizes(rng: random.Random, scale: Scale, villages: int) -> list[list[int]]:
    """Rows of each list of each village; with a payout_rows total the sizes add up to it exactly."""
    counts = [rng.randint(*scale.lists_per_village) for _ in range(villages)]
    if not scale.payout_rows:
        return [[rng.randint(*scale.rows_per_list) for _ in range(c)] for c in counts]
    weights = [[rng.uniform(0.5, 1.5) for _ in range(c)] for c in counts]
    total_weight = sum(map(sum, weights))
    sizes = [[max(1, int(w * scale.payout_rows / total_weight)) for w in ws] for ws in weights]
    short = scale.payout_rows - sum(map(sum, sizes))
    for k in range(short):
        sizes[k % villages][0] += 1
    return sizes


def write_payout(
    folder: Path,
    rng: random.Random,
    subsidy: tuple,
    rows: int,
    current: bool,
    town: dict,
    village: dict,
    phones: list[dict],
    bases: dict[str, str],
    community: bool,
) -> None:
    code, name, unit, _, _, how, rate = subsidy
    start, end = notice_period(rng, current)
    paid = workday(start - dt.timedelta(days=rng.randint(3, 20)))
    description = {
        "补贴项目": name,
        "年度": 2026,
        "依据": bases[name],
        "单位": unit,
        "数据文件": f"2026-{code}.csv",
        "公示开始": start,
        "公示结束": end,
        "落款日期": start,
        "异议方式": (
            f"如有异议，请于公示期内向{committee(village['名称'])}或{town['名称']}人民政府反映，也可拨打下列监督电话。"
        )
        if rng.random() < 0.25
        else None,
        "电话": phones,
    }
    write(folder / f"2026-{code}.yml", to_yaml(description))
    groups = rng.randint(4, 14)
    table = [payout_row(rng, how, rate, groups, paid, community) for _ in range(rows)]
    with (folder / f"2026-{code}.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(PAYOUT_HEADER)
        writer.writerows(table)


def write_villages(
    out: Path,
    scale_name: str,
    scale: Scale,
    towns,
    agencies: dict[str, Agency],
    county_phones: dict[str, str],
    phones: Phones,
    bases: dict[str, str],
) -> tuple[int, int]:
    rng = rng_for(scale_name, "villages")
    per_town = [scale.villages // len(towns) + (i < scale.villages % len(towns)) for i in range(len(towns))]
    sizes = iter(list_sizes(rng, scale, scale.villages))
    supervision = [{"名称": name, "号码": county_phones[name]} for name in ("县财政局监督电话", "县农业农村局监督电话")]
    lists = rows = 0
    for t, ((tcode, tname), count) in enumerate(zip(towns, per_town, strict=True)):
        town = {
            "代码": tcode,
            "名称": tname,
            "电话": [
                {"名称": f"{tname}党政办公室", "号码": phones("7" + str(1 + t % 9))},
                {"名称": f"{tname}纪委监督举报电话", "号码": phones("7" + str(1 + t % 9))},
            ],
        }
        write(out / f"villages/{tcode}/town.yml", to_yaml(town))
        for v, (vcode, vname) in enumerate(village_names(rng, count, t)):
            village = {
                "代码": vcode,
                "名称": vname,
                "电话": [{"名称": committee(vname), "号码": phones("7" + str(1 + t % 9))}],
                "公开事项目录": village_items(rng),
            }
            folder = out / f"villages/{tcode}/{vcode}"
            write(folder / "village.yml", to_yaml(village))
            village_sizes = next(sizes)
            community = vname.endswith("社区")  # no farmland: social subsidies only
            choices = [s for s in SUBSIDIES if s[5] not in FARM_ROWS] if community else SUBSIDIES
            for subsidy, size in zip(rng.sample(choices, len(village_sizes)), village_sizes, strict=True):
                lead = agencies[subsidy[4]]
                consult = {"名称": f"{lead.short}政策咨询电话", "号码": lead.phone}
                write_payout(
                    folder / "payouts",
                    rng,
                    subsidy,
                    size,
                    (v + t) % 3 == 0,
                    town,
                    village,
                    [town["电话"][1], *supervision, consult],
                    bases,
                    community,
                )
                lists, rows = lists + 1, rows + size
    return lists, rows


# ---------------------------------------------------------------------------------------------
# Entry points


def generate(out: Path, scale: str, clean: bool = False) -> dict[str, int]:
    """Write a whole county's sources at this scale into ``out``; return what was written."""
    spec, out = SCALES[scale], Path(out)
    existing = [out / rel for rel in GENERATED if (out / rel).exists()]
    if existing and not clean:
        raise FileExistsError(f"{existing[0]} exists; pass clean=True (--clean) to replace generated sources")
    for path in existing:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    phones = Phones(rng_for(scale, "phones"))
    towns = TOWNS[: spec.towns]
    domains = DOMAINS[: spec.domains]
    agencies = make_agencies(rng_for(scale, "agencies"), phones, towns)
    by_abbr = {a.abbr: a for a in agencies}
    config = county_config(agencies, phones, rng_for(scale, "config"))
    if scale == "demo":  # the self-inspection's evidence: two work items recorded, the others left 待补充
        write(out / "audit-evidence.yml", DEMO_EVIDENCE)
    if scale == "demo":  # the repository's theme/ holds the demo county's 标志, shown after its name
        items = list(config.items())
        at = [key for key, _ in items].index("网站名称") + 1
        config = dict([*items[:at], ("标志", EMBLEM), *items[at:]])
    write(out / "county.yml", to_yaml(config))
    row_names = write_catalog(out, scale, domains, by_abbr, spec.catalog_rows)
    catalog_total = sum(len(names) for names in row_names.values())
    bases = write_documents(out, scale, spec.documents, domains, agencies, towns, row_names)
    write_participation(out, scale, spec.documents // 40, domains, agencies)
    county_phones = {p["名称"]: p["号码"] for p in config["公开电话"]}
    lists, rows = write_villages(out, scale, spec, towns, by_abbr, county_phones, phones, bases)
    return {
        "documents": spec.documents + max(spec.documents // 40, 3),
        "domains": len(domains),
        "catalogue rows": catalog_total,
        "agencies": len(agencies),
        "towns": len(towns),
        "villages": spec.villages,
        "payout lists": lists,
        "payout rows": rows,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="demo")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--clean", action="store_true", help="replace previously generated sources in OUT")
    args = parser.parse_args(argv)
    try:
        counts = generate(args.out, args.scale, clean=args.clean)
    except FileExistsError as error:
        parser.error(str(error))
    print(", ".join(f"{v} {k}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
