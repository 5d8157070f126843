"""The site plan and its templates, rendered without MkDocs."""

import datetime as dt
import re
from dataclasses import fields
from pathlib import Path

import pytest

from gongkai.errors import SourceErrors
from gongkai.load import load_county
from gongkai.model.schema import specs
from gongkai.render.data import data_files
from gongkai.render.data.tables import newest
from gongkai.render.site import contexts, plan_site
from gongkai.render.site.document import document_context
from gongkai.render.site.guide import SECTIONS, fields_context
from gongkai.render.site.html import render

from kit import document, write_county

TODAY = dt.date(2026, 11, 26)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def plan(county_dir):
    return plan_site(load_county(county_dir), TODAY, guide=True)


def _page(plan, url: str) -> str:
    planned = plan.pages[url]
    return render(planned.template, planned.context, url)


def test_the_guide_is_planned_only_when_asked_for(county_dir):
    assert "guide/fields/" not in plan_site(load_county(county_dir), TODAY).pages


def test_every_planned_page_renders_with_its_typed_context(plan):
    templates = set()
    for url, planned in plan.pages.items():
        assert type(planned.context).__doc__.startswith(planned.template), url
        assert _page(plan, url).strip()
        templates.add(planned.template)
    assert templates == {
        "home.html",
        "links.html",
        "listing.html",
        "domain.html",
        "town.html",
        "village.html",
        "villages.html",
        "fields.html",
        "search.html",
        "normative.html",
        "consultations.html",
        "questions.html",
        "opendata.html",
        "reports.html",
        "ysqgk.html",
    }


def test_home_lists_latest_documents_with_relative_links(plan):
    html = _page(plan, "")
    assert '<a href="documents/2026/gdlb-jd/">《测试县2026年耕地地力保护补贴实施方案》政策解读</a>' in html
    assert html.index("gdlb-jd") < html.index("documents/2026/gdlb/")  # newest first


def test_domain_page_has_the_catalogue_with_the_channels_used(plan):
    html = _page(plan, "jcgk/snbt/")
    text = _text(html)
    assert (
        "序号 公开事项 公开内容（要素） 公开依据 公开时限 公开主体 公开渠道和载体 公开对象 公开方式 公开层级 已公开信息 "
        "一级事项 二级事项" in text
    )
    assert "农业生产发展资金 耕地地力保护 政策依据、申请指南、补贴结果、监督渠道" in text
    # Only the channels used, each a line; object, mode and levels in words (a column of √ each is too narrow).
    assert (
        "政府网站 社区/企事业单位/村公示栏（电子屏） 全社会 主动 县级 、 乡级 测试县2026年耕地地力保护补贴实施方案"
        in text
    )
    assert "政府公报" not in text
    assert 'data-label="公开对象"' in html  # a card on a phone names each value
    assert "本领域信息（共 2 条）" in text
    # The domain is named once above its catalogue (its heading; 当前位置 is the theme's): no caption repeating it.
    shown = re.sub(r"<div hidden.*?</div>|<table.*", "", html, flags=re.S)
    assert _text(shown).count("涉农补贴") == 1, _text(shown)


def test_village_page_shows_the_notice_status_on_the_build_date(county_dir):
    county = load_county(county_dir)
    during = _text(_page(plan_site(county, TODAY), "villages/chengguan/shangxi/"))
    after = _text(_page(plan_site(county, dt.date(2026, 12, 1)), "villages/chengguan/shangxi/"))
    assert "2026年耕地地力保护补贴发放结果公示 2026-11-20 至 2026-11-26 公示中 2 902.00 下载 PDF" in during
    assert "公示期已结束" in after
    assert 'href="2026-gdlb.pdf"' in _page(plan_site(county, TODAY), "villages/chengguan/shangxi/")


def test_listings_are_paginated(tmp_path):
    docs = {
        f"content/documents/2025/d{i:02}.md": document(f"文件{i:02}", f"X/{i}", f"2025-01-{i + 1:02}")
        for i in range(25)
    }
    plan = plan_site(load_county(write_county(tmp_path, docs)), TODAY)
    first, second = _text(_page(plan, "documents/")), _page(plan, "documents/page/2/")
    assert "共 28 条" in first and "下一页" in first
    assert '<a href="../../" rel="prev">上一页</a>' in second
    assert "文件00" in second and "文件00" not in first


def test_two_things_at_one_url_is_an_error(tmp_path):
    clash = {"content/documents/page/2.md": document("冲突", "X/9")}
    docs = {f"content/documents/2025/d{i:02}.md": document(f"文件{i:02}", f"X/{i}") for i in range(25)}
    with pytest.raises(SourceErrors) as caught:
        plan_site(load_county(write_county(tmp_path, {**docs, **clash})), TODAY)
    assert [str(p) for p in caught.value.problems] == [
        "content/documents/page/2.md：文件的网址 /documents/page/2/ 与生成的页面重名。请给文件换一个文件名或目录。"
    ]


def test_field_reference_covers_every_record_class():
    classes = {cls for _, _, cls in SECTIONS}
    import gongkai.model as model

    declared = {getattr(model, name) for name in model.__all__ if specs(getattr(model, name))}
    assert declared == classes
    html = render("fields.html", fields_context(), "guide/fields/")
    for cls in classes:
        for _, spec in specs(cls):
            assert f"<code>{spec.key}</code>" in html


def test_every_context_is_documented():
    for name in dir(contexts):
        cls = getattr(contexts, name)
        if isinstance(cls, type) and cls.__module__ == contexts.__name__:
            assert cls.__doc__ and fields(cls), name


def test_clerk_guide_names_every_source_location():
    guide = (Path(__file__).parents[2] / "content/guide/index.md").read_text(encoding="utf-8")
    for place in ("county.yml", "catalog/domains.yml", "content/documents/", "town.yml", "village.yml", "payouts/"):
        assert place in guide


def test_a_document_shows_its_attachments_by_title_its_subject_and_its_closing(tmp_path):
    extra = "附件:\n  - 文件: sqb.pdf\n    名称: 附件1：补贴申请表\n  - qd.pdf\n"
    body = "正文。\n\n测试县人民政府办公室\n\n2026年3月1日\n"
    doc = document("带附件的文件", "X/1", extra=extra, body=body).replace(
        "主题分类: 农业、林业、水利", "主题分类: 农业、林业、水利\\农业"
    )
    root = write_county(
        tmp_path,
        {
            "content/documents/2026/fj.md": doc,
            "content/documents/2026/sqb.pdf": b"%PDF-1.4\n",
            "content/documents/2026/qd.pdf": b"%PDF-1.4\n",
        },
    )
    county = load_county(root)
    [loaded] = [d for d in county.documents if d.title == "带附件的文件"]
    context = document_context(
        loaded,
        plan_site(county, TODAY).links,
        "<p>正文。</p>\n<p>测试县人民政府办公室</p>\n<p>2026年3月1日</p>\n",
        TODAY,
    )
    assert [(a.text, a.note) for a in context.attachments] == [("附件1：补贴申请表", "PDF，1 KB"), ("qd", "PDF，1 KB")]
    assert dict(context.meta.fields)["主题分类"] == "农业、林业、水利／农业"
    assert context.body.endswith('<div class="gk-signature"><p>测试县人民政府办公室</p>\n<p>2026年3月1日</p></div>\n')


@pytest.mark.parametrize(
    ("body", "linked"),
    [
        ("<p>联系电话：0550-7073558。</p>", '<p>联系电话：<a href="tel:0550-7073558">0550-7073558</a>。</p>'),
        ("<p>咨询电话（0550）7012978转8001</p>", '<p>咨询电话<a href="tel:05507012978">（0550）7012978转8001</a></p>'),
        ("<p>拨打12345政务服务便民热线</p>", '<p>拨打<a href="tel:12345">12345</a>政务服务便民热线</p>'),
        ("<p>客服 400-810-1234</p>", '<p>客服 <a href="tel:400-810-1234">400-810-1234</a></p>'),
        # a fax, by the label just before it, in the same text or the cell before
        ("<p>电话 0550-7073558，传真 0550-7073559</p>", '<p>电话 <a href="tel:0550-7073558">0550-7073558</a>，传真 0550-7073559</p>'),
        ("<tr><td>传真</td><td>0550-7073559</td></tr>", None),
        (
            "<table><tr><th>电话</th><td>0550-7073558</td></tr><tr><th>传真</th><td>0550-7073559</td></tr></table>",
            '<table><tr><th>电话</th><td><a href="tel:0550-7073558">0550-7073558</a></td></tr>'
            "<tr><th>传真</th><td>0550-7073559</td></tr></table>",
        ),
        # a table laid out in columns (电话 | 传真 over the numbers): the headings are no label; fail closed
        ("<table><tr><th>电话</th><th>传真</th></tr><tr><td>0550-7073558</td><td>0550-7073559</td></tr></table>", None),
        (
            "<table><tr><td>办公电话：0550-7073558</td><td>传真：0550-7073559</td></tr></table>",
            '<table><tr><td>办公电话：<a href="tel:0550-7073558">0550-7073558</a></td><td>传真：0550-7073559</td></tr></table>',
        ),
        ("<p>传真电话：0550-7073559 传 真：0550-7073559 传真号码 0550-7073559</p>", None),
        # never inside a link, code or an attribute; never a masked, longer or mobile number; dates and codes stay
        ('<p><a href="x">0550-7073558</a> <code>0550-7073558</code></p>', None),
        ('<p><img alt="0550-7073558" title="a>0550-7073558"></p>', None),
        ("<p>138****5678 0550-****558 13800138000 0550-7073558-8001 x0550-7073558</p>", None),
        ("<p>2026-11-26 11341700MB0123456X/2026-00012 邮编 245000</p>", None),
    ],
)
def test_phone_numbers_in_a_body_are_tel_links(body: str, linked: str | None) -> None:
    from gongkai.render.site.html import tel_links

    assert tel_links(body) == (linked or body)


def test_the_annual_report_column_lists_the_reports():
    """The 年度报告 column is never blank while reports/ holds a report (an inspector counts it as 空白栏目)."""
    from gongkai.model.config import REPORT_KIND
    from gongkai.render.site import urls

    root = Path(__file__).resolve().parents[2]
    county = load_county(root)
    site = plan_site(county, TODAY)
    listing = site.pages[urls.kind(county.config.kinds.index(REPORT_KIND))].context
    assert county.reports and {f"xxgk/nianbao/{r.year}/" for r in county.reports} <= {row.url for row in listing.rows}


def test_the_plans_documents_are_in_the_data_files_order(county_dir):
    """The data files take the plan's order (render/data: ``documents``) instead of sorting again."""
    county = load_county(county_dir)
    plan = plan_site(county, TODAY)
    assert plan.newest == newest(county.documents)
    given, sorted_again = data_files(county, plan.links, TODAY, plan.newest), data_files(county, plan.links, TODAY)
    assert {uri: file.key for uri, file in given.items()} == {uri: file.key for uri, file in sorted_again.items()}
