"""Annual reports and the 依申请公开 page: web pages with merged table headers, and the PDFs."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest

from gongkai.load import load_county
from gongkai.render.report import print_jobs
from gongkai.render.sheets import render_sheets, require_cjk_font
from gongkai.render.site import plan_site
from gongkai.render.site.html import render

from kit import ROOT, write_county

TODAY = dt.date(2026, 3, 10)
REPORTS = {
    "reports/2025.yml": (ROOT / "reports/2025.yml").read_text(encoding="utf-8"),
    "reports/2019.yml": (ROOT / "reports/2019.yml").read_text(encoding="utf-8"),
}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    return load_county(write_county(tmp_path_factory.mktemp("county"), REPORTS))


def _page(county, url: str) -> str:
    planned = plan_site(county, TODAY).pages[url]
    return render(planned.template, planned.context, url)


def test_the_list_page_links_each_year_newest_first(county):
    html = _page(county, "xxgk/nianbao/")
    assert html.index("测试县人民政府2025年") < html.index("测试县人民政府2019年")
    assert '<a href="2025/">测试县人民政府2025年政府信息公开工作年度报告</a>' in html
    assert '<a href="2019/nianbao-2019.pdf" download>PDF</a>' in html
    assert "格式：国办公开办函〔2019〕60号" in html


def test_the_2021_report_has_six_sections_and_the_merged_headers(county):
    html = _page(county, "xxgk/nianbao/2025/")
    headings = re.findall(r"<h2>(.*?)</h2>", html)
    assert headings == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert (
        '<th scope="col" class="gk-report__corner" colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</th>'
        in html
    )
    assert '<th scope="col" colspan="7">申请人情况</th>' in html
    assert (
        '<th scope="col" rowspan="2">自然人</th><th scope="col" colspan="5">法人或其他组织</th><th scope="col" rowspan="2">总计</th>'
        in html
    )
    assert '<th scope="col" colspan="5">行政复议</th><th scope="col" colspan="10">行政诉讼</th>' in html
    assert '<th scope="col" colspan="5">未经复议直接起诉</th><th scope="col" colspan="5">复议后起诉</th>' in html
    assert '<th scope="row" class="gk-report__group" rowspan="22">三、本年度办理结果</th>' in html  # （一）…（七）: 2 + 8 + 3 + 5 + 3 + 1
    assert '<th scope="row" class="gk-report__group" rowspan="8">（三）不予公开</th><th scope="row">1．属于国家秘密</th>' in html
    assert '<th scope="row" class="gk-report__group" rowspan="3">（六）其他处理</th>' in html
    text = _text(html)
    assert "（七）总计 40 3 0 0 2 1 46 四、结转下年度继续办理 3 0 0 0 0 0 3" in text
    assert "第二十条第（八）项 信息内容 本年收费金额（单位：万元） 行政事业性收费 326.48" in text
    assert "2 0 0 1 3 1 0 0 0 1 0 0 0 1 1" in text
    assert 'href="nianbao-2025.pdf"' in html


def test_the_2019_report_keeps_its_own_table_shapes(county):
    html = _page(county, "xxgk/nianbao/2019/")
    text = _text(html)
    assert "信息内容 上一年项目数量 本年增/减 处理决定数量 行政许可 286 12 1530 其他对外管理服务事项 64 -3 2210" in text
    assert "第二十条第（九）项 信息内容 采购项目数量 采购总金额 政府集中采购 142 8965.3" in text
    assert '<th scope="row" colspan="2">（六）其他处理</th><td class="gk-num">0</td>' in html
    assert "格式：国办公开办函〔2019〕60号" in text


def test_the_application_page_comes_from_county_yml(county):
    text = _text(_page(county, "xxgk/ysqgk/"))
    assert "机构名称：测试县人民政府办公室 办公地址：测试县城关镇人民路 1 号 邮政编码：247100" in text
    assert "受理时间：工作日 8:30-12:00，14:30-17:30 联系电话： 0550-7011234" in text
    assert '<a href="tel:0550-7011234">0550-7011234</a>' in _page(county, "xxgk/ysqgk/")  # a tap calls
    assert "传真" not in text  # not configured: no fax channel, no fax line
    assert "电子邮件申请" not in text
    assert "依申请提供政府信息，不收取费用。" in text
    assert 'href="shenqingbiao.pdf"' in _page(county, "xxgk/ysqgk/")


def _pdf_text(path: Path) -> tuple[str, int]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", text), int(re.search(r"Pages:\s+(\d+)", pages).group(1))  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def pdfs(county, tmp_path_factory):
    require_cjk_font()
    site = tmp_path_factory.mktemp("site")
    render_sheets(print_jobs(county), site, tmp_path_factory.mktemp("cache"), workers=1)
    return site


def test_the_report_pdfs_have_every_section_and_table(pdfs):
    text, pages = _pdf_text(pdfs / "xxgk/nianbao/2025/nianbao-2025.pdf")
    assert pages == 5
    for heading in (
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ):
        assert heading in text
    assert "法人或其他组织" in text and "未经复议直接起诉" in text and "326.48" in text
    assert "测试县人民政府 2026年1月20日" in text
    text, pages = _pdf_text(pdfs / "xxgk/nianbao/2019/nianbao-2019.pdf")
    assert pages == 5
    assert "政府集中采购" in text and "8965.3" in text


def test_the_application_form_is_one_page_with_the_office(pdfs):
    text, pages = _pdf_text(pdfs / "xxgk/ysqgk/shenqingbiao.pdf")
    assert pages == 1
    for box in (
        "测试县政府信息公开申请表",
        "受理机构：测试县人民政府办公室",
        "姓 名",
        "证件名称",
        "证件号码",
        "统一社会信用",
        "法定代表人",
        "所需信息的名称",
        "文号或便于查询的其他",
        "□ 纸质",
        "□ 电子邮件",
        "申请人签名（盖章）",
        "申请日期",
        "邮政编码：247100",
    ):
        assert box in text, box
