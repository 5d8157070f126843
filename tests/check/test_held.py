"""No public 「（待分配）」: a document without 索引号 is an error naming the command, or — while its 发布机构
has no credit code, or its 领域/组配分类 is 「待定」 — held back from the site with a warning."""

from __future__ import annotations

import datetime as dt

from gongkai.check import check_county
from gongkai.commands.index import assign_numbers, summary
from gongkai.link import link
from gongkai.link.held import publishable
from gongkai.load import load_county

from kit import COUNTY_YML, document, write_county

TODAY = dt.date(2026, 3, 12)
NEW_BODY = COUNTY_YML.replace(
    "公开电话:", "  - 名称: 测试县数据资源管理局\n    简称: 县数据资源局\n    别名: [测试县数据局]\n公开电话:"
)


def _doc(title: str, agency: str = "测试县人民政府办公室") -> str:
    text = document(title, "X", "2026-03-10").replace("索引号: X\n", "")
    return text.replace("发布机构: 测试县人民政府办公室", f"发布机构: {agency}")


def _messages(root):
    county = load_county(root)
    return [str(p) for p in check_county(county, TODAY)], county


def test_a_document_without_index_number_is_an_error_naming_the_command(tmp_path):
    root = write_county(tmp_path, {"content/documents/2026/new.md": _doc("新文件")})
    messages, _ = _messages(root)
    assert (
        "content/documents/2026/new.md 第 2 行，字段「索引号」：还没有索引号。"
        "请运行 gongkai index assign 分配索引号（同时记入 index-ledger.csv），再检查或生成网站。"
    ) in messages


def test_an_agency_without_credit_code_holds_its_documents_back(tmp_path):
    root = write_county(
        tmp_path, {"county.yml": NEW_BODY, "content/documents/2026/sj.md": _doc("数据开放目录", "县数据资源局")}
    )
    messages, county = _messages(root)
    assert messages == [
        "警告：content/documents/2026/sj.md 第 2 行，字段「索引号」：发布机构「测试县数据资源管理局」还没有统一社会信用代码，"
        "本文件的索引号待分配，暂不发布。请在 county.yml 的该机构下填写「统一社会信用代码」，再运行 gongkai index assign。"
    ]
    assert "content/documents/2026/sj.md" not in {d.origin.path for d in publishable(county).documents}
    result = assign_numbers(root, TODAY, dry_run=True)
    assert not result.assigned
    assert (
        "测试县数据资源管理局 还没有统一社会信用代码，1 份文件暂不分配索引号、暂不发布（content/documents/2026/sj.md）"
        in summary(result, True)
    )


def test_pending_domain_and_kind_are_held_back_and_so_is_their_interpretation(tmp_path):
    pending = document("待定文件", "11341700MB1714830K/202603-00009", "2026-03-10").replace(
        "领域: 涉农补贴", "领域: 待定"
    )
    interpretation = document(
        "《待定文件》解读",
        "11341700MB1714830K/202603-00010",
        "2026-03-10",
        kind="政策解读",
        extra="解读对象: 《待定文件》\n",
    )
    kind = document("组配待定", "11341700MB1714830K/202603-00011", "2026-03-10", kind="待定")
    root = write_county(
        tmp_path,
        {
            "content/documents/2026/a.md": pending,
            "content/documents/2026/b.md": interpretation,
            "content/documents/2026/c.md": kind,
        },
    )
    messages, county = _messages(root)
    assert messages == [
        "警告：content/documents/2026/a.md 第 8 行，字段「领域」：领域待定，本文件暂不发布。请改为 catalog/domains.yml 中的一个领域（代码或名称）。",
        "警告：content/documents/2026/b.md 第 13 行，字段「解读对象」：所解读的文件（content/documents/2026/a.md）暂不发布，本解读也暂不发布。该文件发布后本解读随之发布。",
        "警告：content/documents/2026/c.md 第 10 行，字段「组配分类」：组配分类待定，本文件暂不发布。"
        "可选：通知公告、政策文件、行政规范性文件、政策解读、意见征集、回应关切、政策咨询、工作动态、规划计划、财政信息、人事信息、统计信息、其他、公示公告、年度报告。",
    ]
    published = {d.origin.path for d in publishable(county).documents}
    assert not published & {"content/documents/2026/a.md", "content/documents/2026/b.md", "content/documents/2026/c.md"}
    assert link(county, TODAY).policy_of["content/documents/2026/b.md"].title == "待定文件"  # 《标题》 resolves


def test_agency_spellings_map_to_one_body(county_dir):
    config = load_county(county_dir).config
    names = {config.agency(n).name for n in ("县农业农村局", "测试县农业农村局", "农业农村局", "测试农业农村局")}
    assert names == {"测试县农业农村局"}
    assert config.agency("县水利局") is None
