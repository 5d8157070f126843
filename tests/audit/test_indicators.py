"""Each failure kind planted in the small county, and its line in the audit report."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import place

from kit import PAYOUT_YML, document

BODY = (
    "第一条　由县国土资源局负责。\n"
    "第二条　原县国土资源局的档案移交县自然资源局。\n"
    "第三条　依据《测试县国土资源局关于土地确权的通知》执行。\n"
    "第四条　测式县各乡镇于2026年2月30日前报送，依据测政办[2026]3号。\n"
    "第五条　城官镇和城关镇上西村先行试点。\n"
)


def test_the_small_county_fails_blank_columns_and_its_missing_report(audit_run) -> None:
    run = audit_run()
    assert run.code == 5
    assert "× 空白栏目：不合格，12 个空白栏目（检查 17 个，达到 5 个即不合格）" in run.summary
    assert "组配分类栏目「人事信息」没有任何信息" in run.html
    assert "× 政府信息公开工作年度报告：不合格，2025 年度年报未公布" in run.summary
    assert "没有 2025 年度的年报（应于 2026年1月31日 前公布）" in run.html
    assert "没有网上申请方式：请在「依申请公开」中写「电子邮箱」" in run.html
    assert "√ 网站不更新：合格，首页最新信息发布于 2026年3月6日，距检查日 4 天" in run.summary
    assert "√ 栏目不更新：合格，0 个栏目未按时更新（检查 2 个，达到 5 个即不合格）" in run.summary
    assert "另有 5 个栏目从来没有信息，计入「空白栏目」" in run.html  # not counted as checked twice
    assert "结论：单项否决指标「空白栏目、互动回应差」不合格，网站会被判为不合格，请立即整改。" in run.summary


def test_a_home_page_without_news_for_two_weeks_fails(audit_run) -> None:
    run = audit_run(today="2026-03-30")
    assert "× 网站不更新：不合格，首页最新信息发布于 2026年3月6日，距检查日 24 天" in run.summary


COLUMNS_RULE = """\
版本日期: 2026-12-01
依据: 测试省调整
指标:
  - 编号: lmbgx
    指标: 栏目不更新
    类别: 单项否决
    规则: 通知公告类栏目 1 个月未更新
    允许数: 1
    栏目类别:
      - 名称: 通知公告类
        组配分类: [通知公告]
        天数: 30
    依据: 测试省通知
  - 编号: slh
    指标: 适老化与无障碍
    类别: 扣分
    规则: 不查
    依据: 测试
    启用: 否
"""


def test_a_stale_column_fails_under_the_countys_own_rule(audit_run) -> None:
    run = audit_run({"audit-rules.yml": COLUMNS_RULE}, today="2026-04-15")
    assert "× 栏目不更新：不合格，1 个栏目未按时更新（检查 1 个，达到 1 个即不合格）" in run.summary
    assert "栏目「通知公告」（通知公告类，时限 30 天）最新一条发布于 2026年3月2日，44 天未更新" in run.html
    assert "本县调整：测试省调整（2026年12月1日）" in run.html


def test_serious_errors_name_file_and_line_and_spare_historical_mentions(audit_run) -> None:
    abolished = document(
        "测试县国土资源局旧办法", "11341700MB1714830K/202603-00005", extra="有效性: 废止\n", body="县国土资源局负责。"
    )
    run = audit_run(
        {
            "content/documents/2026/cw.md": document("测试县错误示例", "11341700MB1714830K/202603-00004", body=BODY),
            "content/documents/2026/old.md": abolished,
        }
    )
    html = run.html
    assert "× 严重错误：不合格，6 处" in run.summary
    renamed = "「测试县错误示例」：使用了已撤销的机构名称「国土资源局」，现为「自然资源局（或自然资源和规划局）」"
    assert place(html, renamed) == "content/documents/2026/cw.md 第 15 行"
    assert place(html, "「测式县」疑似「测试县」的错写") == "content/documents/2026/cw.md 第 18 行"
    assert place(html, "日期「2026年2月30日」不存在") == "content/documents/2026/cw.md 第 18 行"
    assert place(html, "文号中的「[2026]3号」写法不规范") == "content/documents/2026/cw.md 第 18 行"
    assert place(html, "「城官镇」疑似「城关镇」的错写") == "content/documents/2026/cw.md 第 19 行"
    assert place(html, "「上西村」疑似「上溪村」的错写") == "content/documents/2026/cw.md 第 19 行"
    assert "old.md" not in html  # an abolished document may name the old body
    assert html.count("使用了已撤销的机构名称") == 1  # not 「原……」, not inside 《》


def test_a_consultation_ended_without_feedback_fails_the_responses(audit_run) -> None:
    draft = document(
        "测试县养老服务条例（征求意见稿）",
        "11341700MB1714830K/202603-00004",
        "2026-02-01",
        kind="意见征集",
        written="2026-01-30",
        extra="征集开始: 2026-02-01\n征集结束: 2026-02-28\n",
    )
    run = audit_run({"content/documents/2026/zqyj.md": draft})
    assert "× 互动回应差：不合格，2 项（意见征集 1 次；回应时限 92 天）" in run.summary
    assert "意见征集「测试县养老服务条例（征求意见稿）」已于 2026年2月28日 结束，未公布采纳情况" in run.html
    assert "content/documents/2026/zqyj.md" in run.html
    assert "栏目「回应关切」没有任何回应" in run.html


def test_a_missing_file_is_a_broken_link(audit_run) -> None:
    run = audit_run(site=lambda site: (site / "villages/chengguan/shangxi/catalogue.pdf").unlink())
    assert "√" not in run.summary.split("链接可用性")[0][-3:]
    assert "页面 /villages/chengguan/shangxi/ 的链接「catalogue.pdf」打不开" in run.html
    assert "× 链接可用性：不合格，1 个链接打不开" in run.summary


def test_a_policy_without_interpretation_lowers_the_ratio(audit_run) -> None:
    policy = document("测试县2026年农机购置补贴实施方案", "11341700MB1714830K/202603-00004")
    run = audit_run({"content/documents/2026/njgz.md": policy})
    assert "× 解读比例：不合格，50%（1/2 份已解读，要求不低于 100%）" in run.summary
    assert "「测试县2026年农机购置补贴实施方案」没有政策解读" in run.html


def test_a_policy_page_without_its_interpretations_link_fails_both_ways(audit_run) -> None:
    def unlink(site: Path) -> None:
        page = site / "documents/2026/gdlb/index.html"
        page.write_text(page.read_text(encoding="utf-8").replace('href="../gdlb-jd/"', 'href="#"'), encoding="utf-8")

    run = audit_run(site=unlink)
    assert "× 双向关联：不合格，1 处未关联（1 对解读和文件）" in run.summary
    assert "「测试县2026年耕地地力保护补贴实施方案」的页面没有链接到它的解读" in run.html


def test_an_expired_normative_document_still_valid_fails_the_catalogue(audit_run) -> None:
    normative = document(
        "测试县农机管理暂行办法",
        "11341700MB1714830K/202303-00001",
        "2023-03-01",
        written="2023-02-20",
        kind="行政规范性文件",
        extra="有效期至: 2025-02-28\n",
    )
    run = audit_run({"content/documents/2023/njgl.md": normative})
    assert "「测试县农机管理暂行办法」已于 2025年2月28日 到期，有效性仍写「有效」" in run.html
    assert "× 规范性文件目录：不合格" in run.summary


def test_a_site_without_its_search_index_fails_search(audit_run) -> None:
    run = audit_run(site=lambda site: (site / "pagefind/gongkai.json").unlink())
    assert "× 搜索功能：不合格，1 处问题" in run.summary
    assert "没有搜索索引：请用 gongkai build 生成网站" in run.html


def test_accessibility_is_skipped_with_a_note_without_chromium(audit_run, monkeypatch) -> None:
    from gongkai.audit import a11y

    monkeypatch.setattr(a11y, "chromium", lambda: None)
    run = audit_run({"audit-rules.yml": None})
    assert "－ 适老化与无障碍：未检查，未检查" in run.summary
    assert (
        "本机没有 Chromium，未检查。安装 Chromium 和测试依赖（scripts/setup.sh test）后重新运行 gongkai audit。"
        in run.html
    )


def test_values_from_the_sources_are_escaped_in_the_report(audit_run) -> None:
    policy = document("测试县<i>补贴</i>实施方案", "11341700MB1714830K/202603-00004")
    run = audit_run({"content/documents/2026/x.md": policy})
    assert "「测试县&lt;i&gt;补贴&lt;/i&gt;实施方案」没有政策解读" in run.html
    assert "<i>补贴" not in run.html


VILLAGE_WITHOUT_CATALOGUE = "代码: xiaxi\n名称: 下溪村\n"


def test_work_items_show_villages_without_catalogue_or_year_end_results(audit_run) -> None:
    run = audit_run({"villages/chengguan/xiaxi/village.yml": VILLAGE_WITHOUT_CATALOGUE}, today="2026-12-05")
    row = run.html.split('id="ztcj-ml"')[1].split("</tr>")[0]
    assert "1/2 个村（居）有公开事项目录" in row and "「下溪村」没有公开事项目录" in row
    assert 'class="status 未达标"' in row
    row = run.html.split('id="ztcj-nm"')[1].split("</tr>")[0]
    assert "1/2 个村（居）已张贴 2026 年度发放结果" in row and "「下溪村」没有张贴 2026 年度补贴发放结果" in row
    assert "公布重大行政决策公众参与制度（未达标）" in run.summary


def test_a_late_interpretation_is_not_in_step(audit_run) -> None:
    late = document(
        "《测试县2026年耕地地力保护补贴实施方案》政策解读",
        "11341700MB1714830K/202603-00002",
        "2026-03-20",
        kind="政策解读",
        extra="解读对象: 11341700MB1714830K/202603-00001\n",
    )
    run = audit_run({"content/documents/2026/gdlb-jd.md": late}, today="2026-03-25")
    row = run.html.split('id="jjws-tb"')[1].split("</tr>")[0]
    assert "0/1 份解读在 3 个工作日内与文件同步发布" in row
    assert "比文件晚 11 个工作日发布" in row


def test_external_links_are_checked_only_online(audit_run, tmp_path) -> None:
    import functools
    import http.server
    import threading

    served = tmp_path / "served"
    served.mkdir()
    (served / "ok.html").write_text("ok", encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"

    def add_links(site: Path) -> None:
        for page in site.rglob("*.html"):  # the footer's filing registries: here too, never the real ones
            text = page.read_text(encoding="utf-8")
            text = text.replace("https://beian.miit.gov.cn/", f"{base}/ok.html")
            text = re.sub(r"http://www\.beian\.gov\.cn/[^\"]*", f"{base}/ok.html", text)
            page.write_text(text, encoding="utf-8")
        page = site / "xxgk/index.html"
        links = f'<a href="{base}/ok.html">好</a><a href="{base}/gone.html">坏</a></body>'
        page.write_text(page.read_text(encoding="utf-8").replace("</body>", links), encoding="utf-8")

    try:
        offline = audit_run(site=add_links)
        assert "另有 2 个外部链接未检查（加 --online 检查）" in offline.html
        online = audit_run({}, "2026-03-10", None, "--online")
    finally:
        server.shutdown()
    assert f"外部链接「{base}/gone.html」打不开（状态码 404）" in online.html
    assert "× 链接可用性：不合格，1 个链接打不开" in online.summary
    assert "－ 适老化与无障碍：未检查，已停用" in online.summary


def test_hand_written_pages_are_read_for_serious_errors_too(audit_run) -> None:
    page = "# 政府信息公开制度\n\n制度正文。\n\n县卫计委负责卫生信息的公开。\n"
    run = audit_run({"content/xxgk/zhidu.md": page})
    text = "页面「content/xxgk/zhidu.md」：使用了已撤销的机构名称「卫计委」，现为「卫健委」"
    assert place(run.html, text) == "content/xxgk/zhidu.md 第 5 行"


def test_work_items_show_missing_catalogues_topic_links_and_column_pages(audit_run) -> None:
    def damage(site: Path) -> None:
        (site / "xxgk/zhidu/index.html").unlink()
        page = site / "xxgk/fdzdgknr/index.html"
        page.write_text(
            page.read_text(encoding="utf-8").replace('href="../../jcgk/snbt/"', 'href="#"'), encoding="utf-8"
        )

    run = audit_run({"catalog/shjz.yml": None}, site=damage)
    row = run.html.split('id="bzzy-ml"')[1].split("</tr>")[0]
    assert "1 个领域有标准目录（共 1 行；要求 25 个）" in row
    assert "领域「社会救助」没有标准目录" in row and "只有 2 个领域，提升行动要求 25 个" in row
    row = run.html.split('id="bzzy-zt"')[1].split("</tr>")[0]
    assert "「法定主动公开内容」页面没有链接到领域「涉农补贴」" in row
    row = run.html.split('id="ptjs-zl"')[1].split("</tr>")[0]
    assert "4/5 个栏目页面" in row and "没有「政府信息公开制度」页面" in row


def test_a_payout_list_past_its_notice_must_stay_on_its_village_page(audit_run) -> None:
    def drop(site: Path) -> None:
        page = site / "villages/chengguan/shangxi/index.html"
        page.write_text(
            page.read_text(encoding="utf-8").replace("耕地地力保护补贴发放结果公示", "（已删除）"), encoding="utf-8"
        )

    kept = audit_run(today="2026-12-30")
    assert "1/1 份公示期满的名单在村页面上保留户数和金额合计" in kept.html.split('id="ztcj-bc"')[1].split("</tr>")[0]
    run = audit_run({}, "2026-12-30", drop)
    row = run.html.split('id="ztcj-bc"')[1].split("</tr>")[0]
    assert "村页面没有保留「2026年耕地地力保护补贴发放结果公示」" in row and 'class="status 未达标"' in row


def test_a_payout_title_with_ampersand_and_quotes_is_found_on_its_village_page(audit_run) -> None:
    title = '农机购置&报废更新"以旧换新"补贴'

    def rebuilt(site: Path) -> None:  # the page as the build writes it: the title escaped
        page = site / "villages/chengguan/shangxi/index.html"
        escaped = "农机购置&amp;报废更新&#34;以旧换新&#34;补贴"
        page.write_text(page.read_text(encoding="utf-8").replace("耕地地力保护补贴", escaped), encoding="utf-8")

    payout = PAYOUT_YML.replace("补贴项目: 耕地地力保护补贴", f"补贴项目: {title}")
    run = audit_run({"villages/chengguan/shangxi/payouts/2026-gdlb.yml": payout}, "2026-12-30", rebuilt)
    row = run.html.split('id="ztcj-bc"')[1].split("</tr>")[0]
    assert "1/1 份公示期满的名单在村页面上保留户数和金额合计" in row and 'class="status 达标"' in row


HISTORY = (
    "第一条　统筹城乡镇村建设。\n"
    "第二条　县农业局（现县农业农村局）的档案由县档案馆保管。\n"
    "第三条　2019年机构改革前的县卫计委文件继续有效。\n"
    "第四条　县国土资源局更名后的职责见附件。\n"
    "第五条　各乡镇于2月30日前报送，2月29日前完成。\n"
)


def test_words_and_history_are_not_serious_errors_a_date_without_year_is(audit_run) -> None:
    doc = document("测试县历史沿革说明", "11341700MB1714830K/202603-00004", body=HISTORY)
    run = audit_run({"content/documents/2026/ls.md": doc})
    assert "√ 严重错误：合格，0 处" not in run.summary
    assert "× 严重错误：不合格，1 处" in run.summary
    assert place(run.html, "日期「2月30日」不存在") == "content/documents/2026/ls.md 第 19 行"
