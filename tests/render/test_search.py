"""The search stage: markers, the search page, the Pagefind index, and the page in a real browser."""

from __future__ import annotations

import contextlib
import json
import shutil
import urllib.request
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.errors import BuildFailed, EnvironmentProblem
from gongkai.render.search import (
    ASSETS,
    FILTERS,
    SearchReport,
    SearchText,
    build_index,
    markers,
    pack,
    search_page_html,
)
from gongkai.render.search import grams as grams_module
from gongkai.render.search import records as records_module
from gongkai.render.search.grams import Grams, common_grams
from gongkai.render.search.records import parse
from gongkai.render.search.tokens import HEAD, code, decode, fold, gram_word, page_word, page_words, runs

from kit import CHROMIUM, CHROMIUM_ARGS, served, watched_tab


class Doc(NamedTuple):
    """One document page of the synthetic site."""

    slug: str
    title: str
    domain: str
    agency: str
    date: str
    kind: str
    validity: str
    doc_no: str
    body: str


# fmt: off
DOCUMENTS = [Doc(*row) for row in [
    ("2026/gdbt", "青溪县2026年耕地地力保护补贴实施方案", "涉农补贴", "青溪县农业农村局", "2026-03-05",
     "政策文件", "有效", "青政办〔2026〕12号",
     "为保护耕地地力，稳定粮食生产，对承包耕地的农户发放耕地地力保护补贴，补贴标准为每亩一百二十元。"),
    ("2025/gdbt-gs", "青溪县2025年耕地地力保护补贴发放情况公示", "涉农补贴", "青溪县农业农村局",
     "2025-09-12", "通知公告", "有效", "无", "现将全县耕地地力保护补贴发放情况予以公示，公示期七天。"),
    ("2026/njbt", "青溪县2026年农机购置补贴实施公告", "涉农补贴", "青溪县农业农村局", "2026-02-10",
     "通知公告", "有效", "青农〔2026〕3号", "农机购置补贴资金按照先购后补的方式发放，对检查中发现的问题立即整改。"),
    ("2024/zlbt", "青溪县2024年种粮农民一次性补贴发放方案", "涉农补贴", "青溪县农业农村局", "2024-04-01",
     "政策文件", "失效", "青农〔2024〕5号", "对实际种粮农民发放一次性补贴，补贴资金直接拨付到户。"),
    ("2026/gdbt-jd", "《青溪县2026年耕地地力保护补贴实施方案》政策解读", "涉农补贴", "青溪县农业农村局",
     "2026-03-20", "政策解读", "有效", "无", "本解读说明耕地地力保护补贴的对象、标准和发放时间。"),
    ("2025/dibao", "青溪县城乡居民最低生活保障标准调整通知", "社会救助", "青溪县民政局", "2025-11-20",
     "政策文件", "有效", "青民〔2025〕8号", "提高城乡居民最低生活保障标准，农村低保标准每人每月提高五十元。"),
    ("2025/tekun", "青溪县特困人员救助供养实施细则", "社会救助", "青溪县民政局", "2025-06-01",
     "政策文件", "有效", "青政办〔2025〕30号", "特困人员包括无劳动能力、无生活来源的老年人、残疾人和未成年人。"),
    ("2026/linshi", "青溪县2026年临时救助工作方案", "社会救助", "青溪县民政局", "2026-01-15",
     "政策文件", "有效", "青民〔2026〕2号", "对遭遇突发困难的家庭给予临时救助，救助金额一般不超过月低保标准的六倍。"),
    ("2024/yiliao", "青溪县医疗救助办法", "社会救助", "青溪县民政局", "2024-12-01",
     "政策文件", "失效", "青政办〔2024〕40号", "居民医疗费用经基本医疗保险报销后，个人负担部分按比例给予医疗救助。"),
    ("2025/zhaosheng", "青溪县2025年义务教育阶段招生入学工作方案", "义务教育", "青溪县教育局", "2025-08-20",
     "政策文件", "有效", "青教〔2025〕15号", "适龄儿童按照划片就近入学原则，由户籍所在学区学校接收。"),
    ("2026/zizhu", "青溪县学生资助政策告知书", "义务教育", "青溪县教育局", "2026-02-28",
     "通知公告", "有效", "无", "家庭经济困难学生可以申请生活补助，城乡居民最低生活保障家庭子女优先。"),
    ("2024/xiaoche", "青溪县校车安全管理办法", "义务教育", "青溪县人民政府办公室", "2024-09-01",
     "政策文件", "有效", "青政办〔2024〕22号", "校车驾驶人应当每年参加安全培训。"),
    ("2025/gengdi", "青溪县耕地保护与生态修复工作方案", "生态环境", "青溪县人民政府办公室", "2025-05-10",
     "政策文件", "有效", "青政办〔2025〕18号", "统筹推进耕地地力保护、土壤污染防治和河道生态修复。"),
    ("2026/jiegan", "青溪县2026年秸秆禁烧工作通知", "生态环境", "青溪县生态环境分局", "2026-01-05",
     "通知公告", "有效", "青环〔2026〕1号", "秋收期间全面禁止露天焚烧秸秆，推进秸秆综合利用。"),
    ("2025/yaodian", "青溪县2025年政务公开工作要点", "政务公开", "青溪县人民政府办公室", "2025-03-03",
     "政策文件", "有效", "青政办〔2025〕5号", '网页代码示例<img src=x onerror="window.xss=1">应当原样显示。'),
]]
# fmt: on
TAIL = "尾部专有词"  # past the lead of the domain page's record: its excerpt needs the whole text
OTHER_PAGES = {  # indexed pages that are not documents: a domain page and a village page (乡镇, 村 facets)
    "jcgk/snbt": ("涉农补贴", "涉农补贴领域的公开目录，包括耕地地力保护补贴和农机购置补贴。" + "〇" * 400 + TAIL),
    "villages/qingxi/dongcun": ("东村", "东村村务公开目录：低保户名单、临时救助名单。"),
}
NAV_ONLY = "导航栏专有词"  # appears outside data-pagefind-body on every page
PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>{title}</title></head>
<body><nav>{nav} <a href="/documents/">文件列表</a></nav><main>{main}</main></body></html>
"""


def _write(path: Path, title: str, main: str) -> None:
    path.mkdir(parents=True, exist_ok=True)
    (path / "index.html").write_text(PAGE.format(title=title, nav=NAV_ONLY, main=main), encoding="utf-8")


def _document(doc: Doc) -> str:
    facets = (doc.domain, doc.agency, doc.date[:4], doc.kind, doc.validity)
    hidden = markers(dict(zip(FILTERS[:5], facets, strict=True)), {"文号": doc.doc_no}, doc.date)
    year, month, day = (int(part) for part in doc.date.split("-"))
    rows = (("发布机构", doc.agency), ("文号", doc.doc_no), ("发布日期", f"{year}年{month}月{day}日"))
    shown = '<table class="gk-meta">' + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows) + "</table>"
    return f"<article data-pagefind-body><h1>{doc.title}</h1>{hidden}{shown}<p>{escape(doc.body)}</p></article>"


def write_site(site: Path) -> Path:
    """A small built site in the template contract: 15 documents, 2 other indexed pages, a listing."""
    for doc in DOCUMENTS:
        _write(site / "documents" / doc.slug, doc.title, _document(doc))
    for path, (title, body) in OTHER_PAGES.items():
        facets = markers({"乡镇": "青溪镇", "村": title}, {}, "2026-01-01") if path.startswith("villages/") else ""
        _write(site / path, title, f"<div data-pagefind-body><h1>{title}</h1>{facets}<p>{body}</p></div>")
    listing = "".join(f"<li>{doc.title}</li>" for doc in DOCUMENTS)
    _write(site / "documents", "文件列表", f"<h1>文件列表</h1><ul>{listing}</ul>")
    _write(site / "search", "搜索", f"<h1>搜索</h1>{search_page_html('..')}")
    shutil.copytree(ASSETS, site / "assets" / "gongkai")
    return site


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SearchReport]:
    """The site, indexed, inside a folder 'sub' so that it can also be served under /sub/."""
    site = write_site(tmp_path_factory.mktemp("www") / "sub")
    with pytest.MonkeyPatch.context() as patch:  # as at county scale: common grams, many small chunks
        patch.setattr(grams_module, "COMMON", SMALL_COMMON)
        patch.setattr(pack, "CHUNK_BYTES", SMALL_CHUNK)
        return site, build_index(site)


SMALL_COMMON = 4
"""Positions above which a gram is common on the 17 test pages (耕地, 补贴, 青溪县 … are)."""
SMALL_CHUNK = 60
BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"  # page names: the page's number in base 36
"""Chunk bytes that cut the index into many chunks, as at county scale."""


# ---------------------------------------------------------------- index


def test_build_index_reports_the_indexed_pages(built: tuple[Path, SearchReport]) -> None:
    site, report = built
    bundle = site / "pagefind"
    assert report.pages == len(DOCUMENTS) + len(OTHER_PAGES) == 17  # not the listing, not /search/
    assert (bundle / "pagefind.js").is_file()
    version = json.loads((bundle / "gongkai.json").read_text(encoding="utf-8"))["version"]
    assert len(list((bundle / "gk" / version / "r").glob("*.json"))) == report.pages
    assert not (bundle / "fragment").exists() and not (bundle / "filter").exists()
    files = [p for p in bundle.rglob("*") if p.is_file()]
    assert report.files == len(files)
    assert report.bundle_bytes == sum(p.stat().st_size for p in files) > 0
    assert report.seconds > 0
    assert not (bundle / "playground").exists()


def test_the_built_bundle_has_common_grams_and_many_chunks(built: tuple[Path, SearchReport]) -> None:
    site, report = built
    bundle = site / "pagefind"
    folder = bundle / "gk" / json.loads((bundle / "gongkai.json").read_text(encoding="utf-8"))["version"]
    grams = json.loads((folder / "grams.json").read_text(encoding="utf-8"))
    assert {"耕地", "补贴", "耕地地力保护补贴"} <= set(grams["common"]) and report.common == len(grams["common"])
    assert len(list((bundle / "index").rglob("*.pf_index"))) > 50


def test_no_path_of_the_bundle_reads_as_a_personal_number(built: tuple[Path, SearchReport]) -> None:
    """The leak guard reads each published path as text: a chunks' folder named by a hash of digits alone
    (index/18893520/630.pf_index: the phone 188****0630) failed the build. Hashes are chosen here whose hex is all
    digits, and every chunk name beside them is read, as is every path of the built bundle."""
    import hashlib
    import itertools

    from gongkai.guard.scan import scan_name
    from gongkai.render.search.pack import chunks_version, name36

    numeric = []
    for number in itertools.count():
        keys = [f"{number:064x}"]
        digest = hashlib.sha1(bytes.fromhex(keys[0])).hexdigest()[:8]
        if digest.isdigit() and digest[0] == "1" and digest[1] in "3456789":
            numeric.append(keys)
            if len(numeric) == 3:
                break
    for keys in numeric:
        version = chunks_version(keys)
        spots = [(i, spot) for i in range(2000) for spot in scan_name(f"pagefind/index/{version}/{name36(i)}.pf_index")]
        assert spots == [], (version, spots[:3])
    bundle = built[0] / "pagefind"
    found = [(p, spot) for p in bundle.rglob("*") for spot in scan_name(p.relative_to(built[0]).as_posix())]
    assert found == []


def test_records_and_facets_describe_each_page(built: tuple[Path, SearchReport]) -> None:
    bundle = built[0] / "pagefind"
    folder = bundle / "gk" / json.loads((bundle / "gongkai.json").read_text(encoding="utf-8"))["version"]
    facets = json.loads((folder / "facets.json").read_text(encoding="utf-8"))
    records = [json.loads((folder / "r" / f"{BASE36[i]}.json").read_text(encoding="utf-8")) for i in range(16, 6, -1)]
    assert facets["pages"] == 17 and facets["head"] == HEAD
    first = records[0]  # numbered oldest first: the newest last
    assert first == {"u": "documents/2026/gdbt-jd/", "t": DOCUMENTS[4].title, "d": "2026-03-20", "n": "",
                     "x": DOCUMENTS[4].body, "h": "发布机构 青溪县农业农村局\n文号 无\n发布日期 2026年3月20日"}  # fmt: skip
    assert not (folder / "t" / "g.json").exists()  # the body is within the lead
    dates = [r["d"] for r in records]
    assert dates == sorted(dates, reverse=True)
    domain = next(f for f in facets["facets"] if f["name"] == "领域")
    assert domain["values"] == sorted({d.domain for d in DOCUMENTS})
    assert domain["column"][16] == chr(0x3A + 1 + domain["values"].index("涉农补贴"))
    assert len(domain["column"]) == 17
    columns = "".join(facet["column"] for facet in facets["facets"])
    assert not any("0" <= c <= "9" for c in columns)  # codes must never read as a phone or ID number


def test_a_facet_holds_values_up_to_the_surrogates_and_refuses_more() -> None:
    from gongkai.errors import BuildFailed

    most = pack.FACET_END - pack.FACET_BASE - 1
    filters = [{"村": f"村{i}"} for i in range(most)]
    column = next(f for f in json.loads(pack.facets_json(filters))["facets"] if f["name"] == "村")["column"]
    assert max(map(ord, column)) == pack.FACET_END - 1  # one UTF-16 code unit each, as facets.js reads them
    with pytest.raises(BuildFailed, match=f"搜索筛选项「村」有 {most + 1} 个不同的值"):
        pack.facets_json([*filters, {"村": "再多一个"}])


def test_build_index_replaces_an_old_bundle(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    (site / "pagefind" / "index").mkdir(parents=True)
    (site / "pagefind" / "index" / "stale.pf_index").write_text("old")
    report = build_index(site, bundle_dir="pagefind")
    assert not (site / "pagefind" / "index" / "stale.pf_index").exists()
    assert report.pages == 17


def test_build_index_keeps_a_non_ascii_path(tmp_path: Path) -> None:
    _write(tmp_path / "政策" / "甲", "甲", "<div data-pagefind-body><h1>甲文件</h1><p>正文。</p></div>")
    assert build_index(tmp_path).pages == 1
    bundle = tmp_path / "pagefind"
    version = json.loads((bundle / "gongkai.json").read_text(encoding="utf-8"))["version"]
    assert json.loads((bundle / "gk" / version / "r" / "0.json").read_text(encoding="utf-8"))["u"] == "政策/甲/"


def test_build_index_fails_on_a_site_without_pages(tmp_path: Path) -> None:
    with pytest.raises(BuildFailed, match="网站中没有页面带 data-pagefind-body 标记"):
        build_index(tmp_path)


def test_build_index_reports_a_failing_pagefind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gongkai.render.search import index

    monkeypatch.setattr(index, "_executable", lambda: Path("/bin/false"))
    with pytest.raises(EnvironmentProblem, match="Pagefind 建立搜索索引失败（退出码 1）"):
        build_index(write_site(tmp_path / "site"))


def test_build_index_fails_when_no_page_is_marked(tmp_path: Path) -> None:
    _write(tmp_path / "a", "甲", "<h1>甲</h1><p>没有标记的页面。</p>")
    with pytest.raises(BuildFailed, match="网站中没有页面带 data-pagefind-body 标记"):
        build_index(tmp_path)


@pytest.mark.parametrize("bundle_dir", ["", "/tmp/x", "../x"])
def test_build_index_keeps_the_bundle_inside_the_site(tmp_path: Path, bundle_dir: str) -> None:
    with pytest.raises(ValueError, match="bundle_dir must be a folder inside the site"):
        build_index(tmp_path, bundle_dir=bundle_dir)


# ---------------------------------------------------------------- in a browser


@pytest.fixture(scope="module")
def server(built: tuple[Path, SearchReport]) -> Iterator[str]:
    """The parent of the site over HTTP: the site lives at <server>/sub/."""
    with served(built[0].parent, quiet=True) as url:
        yield url


@pytest.fixture(scope="module")
def root_server(built: tuple[Path, SearchReport]) -> Iterator[str]:
    """The site itself over HTTP, at the server root."""
    with served(built[0], quiet=True) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no {CHROMIUM}")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh tab; the test fails if the page throws."""
    yield from watched_tab(browser)


def _open(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(".gk-search__form:not([hidden])")
    page.wait_for_function("document.querySelector('.gk-search__status').textContent !== ''")


def _search(page: Any, query: str) -> None:
    page.fill("#gk-q", query)
    page.press("#gk-q", "Enter")
    page.wait_for_function(f"location.search.includes({quote(query)!r})")


def _count_is(page: Any, count: int) -> None:
    page.wait_for_function(
        f"document.querySelector('.gk-search__status').textContent === '找到 {count} 条结果'"
        f" && document.querySelectorAll('.gk-result').length === {min(count, 10)}"
    )


def _hrefs(page: Any) -> list[str]:
    """The result links once the list shows what the count line announces."""
    page.wait_for_function("""() => {
        const text = document.querySelector('.gk-search__status').textContent;
        const found = text.match(/找到 (\\d+) 条结果/);
        const more = +(text.match(/另有 (\\d+) 条/) ?? [0, 0])[1];
        return found && document.querySelectorAll('.gk-result').length === Math.min(+found[1] + more, 10);
    }""")
    return list(page.locator(".gk-result__title").evaluate_all("links => links.map(a => a.pathname)"))


def _titles(page: Any) -> list[str]:
    return list(page.locator(".gk-result__title").all_text_contents())


def _facet(page: Any, name: str, value: str) -> Any:
    return page.locator(f'fieldset[data-filter="{name}"] label').filter(has_text=value)


@pytest.mark.browser
def test_query_facets_url_reload_and_back(page: Any, server: str) -> None:
    _open(page, f"{server}/sub/search/")
    assert page.locator(".gk-search__status").text_content() == "输入关键词搜索，或勾选筛选条件浏览文件。"
    assert _facet(page, "领域", "涉农补贴").text_content() == "涉农补贴 (5)"
    _search(page, "耕地地力保护")
    _count_is(page, 5)
    assert set(_titles(page)) == {DOCUMENTS[i].title for i in (0, 1, 4, 12)} | {"涉农补贴"}
    assert page.locator(".gk-result mark").first.text_content() == "耕地地力保护"
    assert _facet(page, "领域", "涉农补贴").text_content() == "涉农补贴 (3)"
    assert _facet(page, "领域", "生态环境").text_content() == "生态环境 (1)"
    assert _facet(page, "领域", "社会救助").is_hidden()  # no result has it: hidden

    _facet(page, "领域", "涉农补贴").locator("input").check()
    _count_is(page, 3)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["耕地地力保护"], "领域": ["涉农补贴"]}
    assert _facet(page, "领域", "生态环境").text_content() == "生态环境 (1)"  # its own ticks ignored
    assert _facet(page, "有效性", "有效").text_content() == "有效 (3)"
    before = _titles(page)

    page.reload()
    _count_is(page, 3)
    assert _titles(page) == before
    assert page.input_value("#gk-q") == "耕地地力保护"
    assert _facet(page, "领域", "涉农补贴").locator("input").is_checked()

    page.go_back()
    _count_is(page, 5)
    assert not _facet(page, "领域", "涉农补贴").locator("input").is_checked()


@pytest.mark.browser
def test_result_links_work_under_a_sub_path(page: Any, server: str) -> None:
    _open(page, f"{server}/sub/search/?q={quote('供养')}")
    _count_is(page, 1)
    assert page.locator(".gk-result__title").get_attribute("href") == "/sub/documents/2025/tekun/"
    assert page.locator(".gk-result__meta").text_content() == "发布日期：2025-06-01文号：青政办〔2025〕30号"
    with urllib.request.urlopen(f"{server}/sub/documents/2025/tekun/") as response:
        assert response.status == 200


@pytest.mark.browser
def test_filter_only_browsing_newest_first(page: Any, root_server: str) -> None:
    _open(page, f"{root_server}/search/?{quote('领域')}={quote('社会救助')}")
    _count_is(page, 4)
    assert _titles(page) == [DOCUMENTS[i].title for i in (7, 5, 6, 8)]  # by 发布日期, newest first
    assert page.locator(".gk-result__title").first.get_attribute("href") == "/documents/2026/linshi/"
    _facet(page, "有效性", "失效").locator("input").check()
    _count_is(page, 1)
    assert _titles(page) == ["青溪县医疗救助办法"]


@pytest.mark.browser
def test_ticks_within_a_facet_are_alternatives(page: Any, server: str) -> None:
    _open(page, f"{server}/sub/search/?{quote('年份')}=2024&{quote('年份')}=2025")
    _count_is(page, 9)
    assert _facet(page, "年份", "2026").text_content() == "2026 (6)"


@pytest.mark.browser
def test_sort_by_date_and_load_more(page: Any, server: str) -> None:
    _open(page, f"{server}/sub/search/?{quote('有效性')}={quote('有效')}")
    _count_is(page, 13)
    page.click(".gk-search__more")
    page.wait_for_function("document.querySelectorAll('.gk-result').length === 13")
    assert page.locator(".gk-search__more").is_hidden()
    dates = page.locator(".gk-result__meta time").all_text_contents()
    assert dates == sorted(dates, reverse=True)

    _open(page, f"{server}/sub/search/?q={quote('补贴')}")
    _count_is(page, 6)
    # The count stays 6, so waiting for it alone could read the old order: wait for the list the
    # search script marks as done after the change.
    page.evaluate("document.querySelector('.gk-search').gkDone = null")
    page.select_option("#gk-sort", "date")
    page.wait_for_function("location.search.endsWith('&sort=date')")
    page.wait_for_function("document.querySelector('.gk-search').gkDone !== null")
    _count_is(page, 6)  # sorting keeps every result; pages without a date (the domain page) come last
    assert page.locator(".gk-result time").first.text_content() == "2026-03-20"
    assert page.locator(".gk-result").last.locator("time").count() == 0
    dates = page.locator(".gk-result__meta time").all_text_contents()
    assert dates == sorted(dates, reverse=True)


@pytest.mark.browser
def test_village_facet_shows_once_a_town_is_ticked(page: Any, server: str) -> None:
    _open(page, f"{server}/sub/search/")
    village = page.locator('fieldset[data-filter="村"]')
    assert village.is_hidden()
    page.get_by_label("青溪镇").check()
    _count_is(page, 1)
    assert village.is_visible()
    assert village.locator("li:visible").all_text_contents() == ["东村 (1)"]


@pytest.mark.browser
def test_excerpt_of_a_hit_past_the_lead_comes_from_the_whole_text(page: Any, server: str) -> None:
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    _open(page, f"{server}/sub/search/?q={quote(TAIL)}")
    _count_is(page, 1)
    assert page.locator(".gk-result__excerpt mark").all_text_contents() == [TAIL]
    assert any("/t/" in url for url in fetched)
    fetched.clear()
    _search(page, "农机购置")  # in the lead of every record found: no whole text fetched
    _count_is(page, 2)
    assert not any("/t/" in url for url in fetched)


@pytest.mark.browser
@pytest.mark.parametrize("query", ["村局为保", "局为"])  # 青溪县农业农村局 | 为保护耕地地力 (two lines)
def test_a_term_never_matches_across_two_runs_of_text(page: Any, server: str, query: str) -> None:
    _open(page, f"{server}/sub/search/?q={quote(query)}")
    _count_is(page, 0)


@pytest.mark.browser
def test_one_common_character_finds_every_page(page: Any, server: str) -> None:
    _open(page, f"{server}/sub/search/?q={quote('县')}")
    _count_is(page, sum("县" in f"{d.title}{d.agency}{d.body}" for d in DOCUMENTS))


@pytest.mark.browser
def test_title_hits_rank_before_body_hits(page: Any, server: str) -> None:
    _open(page, f"{server}/sub/search/?q={quote('耕地地力保护')}")
    _count_is(page, 5)
    titles = page.locator(".gk-result__title").all_text_contents()
    assert all("耕地地力保护" in title for title in titles[:3]), titles
    assert sorted(titles[3:]) == ["涉农补贴", "青溪县耕地保护与生态修复工作方案"]  # body hits only


@pytest.mark.browser
def test_excerpt_text_is_not_markup(page: Any, server: str) -> None:
    _open(page, f"{server}/sub/search/?q={quote('代码示例')}")
    _count_is(page, 1)
    excerpt = page.locator(".gk-result__excerpt")
    assert '<img src=x onerror="window.xss=1">' in excerpt.text_content()
    assert excerpt.locator("img").count() == 0
    assert page.evaluate("window.xss") is None


@pytest.mark.browser
@pytest.mark.parametrize("query", [NAV_ONLY, "有效"])  # 有效 is only in the hidden markers
def test_only_marked_visible_content_is_indexed(page: Any, server: str, query: str) -> None:
    _open(page, f"{server}/sub/search/?q={quote(query)}")
    _count_is(page, 0)


@pytest.mark.browser
def test_without_javascript_a_notice_links_to_the_listing(browser: Any, server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{server}/sub/search/")
    assert tab.locator(".gk-search__form").is_hidden()
    notice = tab.locator(".gk-search noscript p")
    assert notice.text_content() == "搜索需要浏览器启用 JavaScript。也可以在文件列表中按发布日期浏览全部文件。"
    notice.locator("a").click()
    assert tab.url == f"{server}/sub/documents/"
    context.close()


@pytest.mark.browser
def test_every_module_the_search_page_runs_is_asked_for_at_once(page: Any, server: str) -> None:
    # On a phone's connection each level of imports costs a round trip: the page names every module it will
    # run (search.js's imports, theirs, and Pagefind's) as a modulepreload, so that all are fetched at once, and
    # once: a preload the module loader cannot use (another URL, other credentials) would be fetched again.
    scripts: list[str] = []
    page.on("request", lambda request: scripts.append(request.url) if request.resource_type == "script" else None)
    _open(page, f"{server}/sub/search/?q={quote('耕地')}")
    preloaded = page.locator("link[rel=modulepreload]").evaluate_all("links => links.map(link => link.href)")
    ours = [
        url
        for url in scripts
        if url.split("?")[0].startswith((f"{server}/sub/assets/gongkai/", f"{server}/sub/pagefind/"))
    ]
    modules = [url for url in ours if not url.split("?")[0].endswith("-worker.js")]  # Pagefind's worker: no module
    assert sorted(modules) == sorted({*preloaded, f"{server}/sub/assets/gongkai/search.js"}), modules
    assert f"{server}/sub/pagefind/pagefind.js" in preloaded


def test_the_preloaded_modules_are_found_however_the_import_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gongkai.render.search import page as search_page

    modules = {
        "search.js": 'import { a } from "./a.js";\nimport "./b.js"\nexport { c } from \'./c.js\';\n'
        "const d = () => import(`./d.js`);",
        "a.js": 'import{x}from"./e.js";import { search } from "./search.js";',  # minified; a cycle back
        "b.js": "  import { y } from './a.js';",  # indented, and met before
        "c.js": "",
        "d.js": "",
        "e.js": "",
    }
    for name, text in modules.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(search_page, "ASSETS", tmp_path)
    assert sorted(search_page._imported("search.js")) == ["a.js", "b.js", "c.js", "d.js", "e.js"]
    (tmp_path / "c.js").unlink()
    with pytest.raises(ValueError, match=r"^search\.js imports \./c\.js"):
        search_page._imported("search.js")


@pytest.mark.browser
def test_a_missing_bundle_says_search_is_unavailable(page: Any, server: str) -> None:
    page.route("**/pagefind/pagefind.js", lambda route: route.fulfill(status=404, body=""))
    page.goto(f"{server}/sub/search/")
    page.wait_for_selector(".gk-search__failed:not([hidden])")
    assert page.locator(".gk-search__form").is_hidden()


@pytest.mark.browser
def test_enter_before_the_index_loads_does_not_reload_the_page(page: Any, server: str) -> None:
    """On a slow phone the form shows before Pagefind has loaded; Enter then must not submit it
    natively (a reload): the query waits in the URL and is searched once the index is there."""
    held: list[Any] = []
    page.route("**/pagefind/pagefind.js", lambda route: held.append(route))
    page.goto(f"{server}/sub/search/")
    page.wait_for_selector(".gk-search__form:not([hidden])")
    page.evaluate("window.gkSameDocument = true")
    page.fill("#gk-q", "耕地保护")
    page.press("#gk-q", "Enter")
    page.wait_for_function("location.search.includes('q=')")
    for _ in range(100):  # the route handler runs while Playwright waits
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "pagefind.js was requested"
    held[0].continue_()
    _count_is(page, 1)
    assert page.evaluate("window.gkSameDocument") is True
    assert parse_qs(urlsplit(page.url).query) == {"q": ["耕地保护"]}


@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("耕地地力保护", "/sub/documents/2026/gdbt/"),
        ("城乡居民", "/sub/documents/2025/dibao/"),
        ("居民", "/sub/documents/2025/dibao/"),
        ("青政办〔2026〕", "/sub/documents/2026/gdbt/"),
    ],
)
def test_chinese_words_are_found(page: Any, server: str, query: str, path: str) -> None:
    _open(page, f"{server}/sub/search/?q={quote(query)}")
    assert path in _hrefs(page)


# Once missed when jieba segmented the index and Intl.Segmenter the query (issue 4).
@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("特困人员", "/sub/documents/2025/tekun/"),
        ("低保", "/sub/documents/2026/linshi/"),
        ('"耕地地力保护"', "/sub/documents/2026/gdbt/"),
    ],
)
def test_former_misses_of_chinese_segmentation(page: Any, server: str, query: str, path: str) -> None:
    _open(page, f"{server}/sub/search/?q={quote(query)}")
    assert path in _hrefs(page)


# ---------------------------------------------------------------- grams, index words, records


def test_index_words_are_ascii_and_name_their_characters() -> None:
    laid = page_words("耕地", "青政办〔2026〕1号", "𠀀补贴 PM2.5", Grams())
    assert all(word.isascii() and word.isalnum() for word in laid.words)
    assert {decode(word) for word in laid.words if not word.startswith("y")} == {
        "耕地", "青政", "政办", "办〔", "〔2", "20", "02", "26", "6〕", "〕1", "1号", "𠀀补", "补贴", "pm", "m2", "2.", ".5"
    }  # fmt: skip
    assert laid.words[gram_word("耕地")] == [0]
    assert laid.words[gram_word("青政")] == [3]  # runs stand one position apart
    assert laid.words[gram_word("补贴")] == [HEAD + 1]
    assert laid.words[page_word("耕")] == [0] and laid.words[page_word("贴")] == [HEAD]  # head or not
    assert code("𠀀").startswith("z") and len(code("𠀀")) == 5 and len(code("耕")) == 3
    assert grams_module.LONGEST <= 35  # a word spells its length as one base-36 digit


def test_a_common_gram_stands_with_its_longer_grams_everywhere() -> None:
    grams = Grams(frozenset({"耕地", "地地", "地力", "耕地地", "地地力", "耕地地力"}), 6)
    laid = page_words("", "", "耕地地力保护 地力", grams)
    spelled = {decode(w): positions for w, positions in laid.words.items() if not w.startswith("y")}
    assert spelled["耕地地力保"] == [HEAD]  # one longer than the common 耕地地力, to the right
    assert spelled["地力保"] == [HEAD + 2] and spelled["力保"] == [HEAD + 3]
    assert spelled["地力"] == [HEAD + 2, HEAD + 7]  # a bigram stands wherever it is
    assert "保护" in spelled and "地力保护" not in spelled  # 地力保 is not common
    assert page_word("耕地") in laid.words and page_word("保护") not in laid.words


def test_common_grams_are_closed_under_substrings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grams_module, "COMMON", 2)
    pages = [runs("耕地地力保护补贴 耕地地力保护"), runs("耕地地力保护补贴发放"), runs("补贴")]
    found = common_grams({str(i): page for i, page in enumerate(pages)})
    assert "耕地地力保护" in found.common and "补贴" in found.common and "发放" not in found.common
    for gram in found.common:
        assert all(gram[i:j] in found.common for i in range(len(gram)) for j in range(i + 2, len(gram) + 1))


def test_records_read_the_shown_text_and_markers() -> None:
    hidden = markers({"领域": "涉农补贴"}, {"文号": "青政办〔2026〕1号"}, "2026-01-02")
    html = (
        f"<div data-pagefind-body><h1>标题<span>二</span></h1>{hidden}"
        '<table class="gk-meta"><tr><th>成文日期</th><td>2026年1月2日</td></tr><tr><th>附件</th><td><a>表</a>（PDF）</td></tr></table>'
        "<p>可见<b>正文</b><br>下一行</p><script>脚本</script><p hidden>隐藏</p><td>甲</td><td>乙</td>"
        "</div><footer>页脚</footer>"
    )
    page = parse(html)
    assert page.text() == SearchText(
        "标题二", "青政办〔2026〕1号", "成文日期 2026年1月2日\n附件 表（PDF）", "可见正文\n下一行\n甲 乙"
    )
    assert ("data-pagefind-filter", "领域", "涉农补贴") in page.markers


def test_a_page_without_a_doc_no_has_none() -> None:
    page = parse(
        '<main data-pagefind-body><h1>东村</h1><div hidden><span data-pagefind-filter="乡镇">青溪镇</span>'
        '<span data-pagefind-meta="文号">无</span></div>'
        "<p>低保&amp;救助</p><div data-pagefind-ignore>不收录</div></main>"
    )
    assert page.text() == SearchText("东村", "", "", "低保&救助")


_PIECES = [
    "<div>",
    "</div>",
    "<p>",
    "</p>",
    "<b>",
    "</b>",
    "<br>",
    "<td>",
    "</td>",
    "<h1>",
    "</h1>",
    "<script>",
    "</script>",
    '<span data-pagefind-filter="领域">',
    "</span>",
    '<i data-pagefind-meta="文号">',
    "</i>",
    "<p hidden>",
    '<div class="gk-meta">',
    "<div data-pagefind-ignore>",
    "<!-- 注 -->",
    "<![CDATA[x]]>",
    "&amp;",
    "&#x4e00;",
    "&",
    "<",
    ">",
    "补贴",
    "文号 ",
    "\n",
    "</main>",
    "<main>",
    "<img src=a>",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.lists(st.sampled_from(_PIECES), max_size=30), tail=st.lists(st.sampled_from(_PIECES), max_size=12))
def test_a_page_s_record_is_what_reading_the_whole_page_gives(body: list[str], tail: list[str]) -> None:
    """The reader stops once the marked element is closed (records.parse: the rest of a page, its footer and
    scripts, is a third of a document page): the record is the one a reader of the whole page gives, whatever
    follows and whether the element is closed or not (html.parser, fed all, every handler idle once closed)."""
    html = "<div data-pagefind-body>" + "".join(body) + "".join(tail)

    class Whole(records_module._PageParser):
        def handle_endtag(self, tag: str) -> None:
            with contextlib.suppress(records_module._Closed):
                super().handle_endtag(tag)

    whole = Whole()
    whole.feed(html)
    whole.close()
    assert parse(html) == whole.page


# ---------------------------------------------------------------- Ctrl-F behaviour and odd queries


@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("地力保", 5),  # inside longer words
        ("粮", 2),  # one character
        ("耕地 公示", 1),  # every term
        ("〔", 12),  # punctuation only: the documents with a 文号
        ("青农〔2024〕", 1),
        ("ＸＹＺ不存在", 0),
    ],
)
def test_a_page_matches_when_it_contains_every_term(page: Any, server: str, query: str, count: int) -> None:
    _open(page, f"{server}/sub/search/?q={quote(query)}")
    _count_is(page, count)


def _indexed_texts(site: Path) -> dict[str, str]:
    """Page name → its text as the index reads it (title, 文号, the rest), from the records."""
    folder = (
        site / "pagefind" / "gk" / json.loads((site / "pagefind/gongkai.json").read_text(encoding="utf-8"))["version"]
    )
    texts = {}
    for path in (folder / "r").glob("*.json"):
        record = json.loads(path.read_text(encoding="utf-8"))
        whole = folder / "t" / path.name
        body = json.loads(whole.read_text(encoding="utf-8"))["x"] if record.get("m") else record["x"]
        texts[path.stem] = fold(f"{record['t']}\n{record['n']}\n{record['h']}\n{body}")
    return texts


@pytest.mark.browser
def test_sampled_substrings_find_exactly_the_pages_holding_them(
    page: Any, server: str, built: tuple[Path, SearchReport]
) -> None:
    texts = _indexed_texts(built[0])  # common grams and many chunks: every way a term is found is taken
    pieces = {run[i : i + n] for text in texts.values() for run in text.split() for n in (2, 3, 4, 6, 9)
              for i in range(0, len(run) - n + 1, 5)}  # fmt: skip
    queries = sorted(piece for piece in pieces if '"' not in piece)[::12]  # a quote reads as a space
    assert len(queries) > 30
    for query in queries:
        page.goto(f"{server}/sub/search/?q={quote(query)}")
        found = page.wait_for_function(
            "(q) => { const done = document.querySelector('.gk-search').gkDone; return done && done.q === q && done.ids }",
            arg=query,
        ).json_value()
        assert set(found) == {name for name, text in texts.items() if query in text}, query


@pytest.mark.browser
def test_several_terms_have_exact_facet_counts(page: Any, server: str) -> None:
    _open(page, f"{server}/sub/search/?q={quote('补贴 发放')}")
    _count_is(page, 5)
    assert _facet(page, "领域", "涉农补贴").text_content() == "涉农补贴 (5)"
    assert _facet(page, "有效性", "失效").text_content() == "失效 (1)"
    _facet(page, "有效性", "失效").locator("input").check()
    _count_is(page, 1)
    assert _titles(page) == ["青溪县2024年种粮农民一次性补贴发放方案"]
    assert _facet(page, "有效性", "有效").text_content() == "有效 (4)"  # its own ticks ignored


@pytest.mark.browser
def test_excerpt_is_readable_chinese_with_the_term_marked(page: Any, server: str) -> None:
    _open(page, f"{server}/sub/search/?q={quote('生活来源')}")
    _count_is(page, 1)
    assert page.locator(".gk-result__excerpt mark").all_text_contents() == ["生活来源"]
    assert "特困人员包括无劳动能力" in page.locator(".gk-result__excerpt").text_content()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("   ", "输入关键词搜索，或勾选筛选条件浏览文件。"),
        ('""', "搜索词只有空白或引号，请输入要查找的文字。"),
        ("耕地" * 1000, "找到 0 条结果（搜索词过长，只按前 50 个字查找）"),
        ("，。！？", "找到 0 条结果"),
        ("耕地\ufeff保护", "找到 1 条结果"),  # a pasted invisible character is dropped: the same as 耕地保护
        ("耕地\u3000公示", "找到 1 条结果"),  # two terms: the ideographic space is one
    ],
)
def test_odd_queries_are_answered_calmly(page: Any, server: str, query: str, status: str) -> None:
    page.goto(f"{server}/sub/search/")
    page.wait_for_selector(".gk-search__form:not([hidden])")
    page.fill("#gk-q", query)
    page.press("#gk-q", "Enter")
    page.wait_for_function("s => document.querySelector('.gk-search__status').textContent === s", arg=status)


@pytest.mark.browser
def test_keyboard_only_search_and_facets(page: Any, server: str) -> None:
    _open(page, f"{server}/sub/search/")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "gk-q":
            break
    assert page.get_by_label("搜索", exact=True).evaluate("e => e === document.activeElement")
    page.keyboard.type("补贴")
    _count_is(page, 6)
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "checkbox":
            break
    assert page.evaluate("document.activeElement.closest('fieldset').dataset.filter") == "领域"
    page.keyboard.press("Space")
    _count_is(page, 5)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["补贴"], "领域": ["涉农补贴"]}
    assert page.get_by_role("checkbox", name="涉农补贴 (5)").is_checked()
    assert page.get_by_role("group", name="有效性").is_visible()
    assert page.get_by_label("排序").evaluate("e => e.tagName") == "SELECT"


# ---------------------------------------------------------------- spellings a reader takes for the same


FORM_CASES = [  # (query or text, its fold, its query text, the forms of it as one term, the text's aliases)
    ("ＰＭ２.５", "pm2.5", "pm2.5", ["pm2.5"], []),
    ("补\u200b贴\u202e", "补\u200b贴\u202e", "补贴", ["补\u200b贴\u202e"], []),  # pasted invisible characters
    ("青政发[2024]3号", "青政发〔2024〕3号", "青政发〔2024〕3号", ["青政发〔2024〕3号"], []),
    ("青政发【2024】3号", "青政发〔2024〕3号", "青政发〔2024〕3号", ["青政发〔2024〕3号"], []),
    ("青政发（２０２４）3号", "青政发〔2024〕3号", "青政发〔2024〕3号", ["青政发〔2024〕3号"], []),
    ("青政发2024 3号", "青政发2024 3号", "青政发〔2024〕3号", ["青政发2024 3号"], []),
    ("(2024", "(2024", "(2024", ["〔2024"], []),
    ("2024)3号", "2024)3号", "2024)3号", ["2024〕3号"], []),
    ("(12345)", "(12345)", "(12345)", ["(12345)"], []),
    ("2022-03", "2022-03", "2022-03", ["2022年3月", "2022-03"], ["2022年3月"]),
    ("2022.3", "2022.3", "2022.3", ["2022年3月", "2022.3"], ["2022年3月"]),
    (
        "于2022/03/05发布",
        "于2022/03/05发布",
        "于2022/03/05发布",
        ["于2022年3月5日发布", "于2022/03/05发布"],
        ["2022年3月5日"],
    ),
    ("2022年03月05日", "2022年03月05日", "2022年03月05日", ["2022年3月5日", "2022年03月05日"], ["2022年3月5日"]),
    ("2022年3月", "2022年3月", "2022年3月", ["2022年3月"], []),
    (
        "2022-13-01 2022.35 12022-03",
        "2022-13-01 2022.35 12022-03",
        "2022-13-01 2022.35 12022-03",
        ["2022-13-01 2022.35 12022-03"],
        [],
    ),
    (
        "2022-3-1与2022.3.1",
        "2022-3-1与2022.3.1",
        "2022-3-1与2022.3.1",
        ["2022年3月1日与2022年3月1日", "2022-3-1与2022.3.1"],
        ["2022年3月1日"],
    ),
]


@pytest.mark.parametrize("case", FORM_CASES, ids=[c[0] for c in FORM_CASES])
def test_spellings_fold_and_alias_in_python(case: tuple[str, str, str, list[str], list[str]]) -> None:
    from gongkai.render.search import forms

    given, folded, query, term, aliases = case
    assert forms.fold(given) == folded and len(folded) == len(given)
    assert forms.query_text(given) == query
    assert forms.term_forms(folded) == term
    assert forms.aliases(folded) == aliases


def test_forms_js_mirrors_forms_py(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("no node")
    import subprocess

    script = tmp_path / "check.mjs"
    script.write_text(
        f"import * as f from {json.dumps((ASSETS / 'forms.js').as_uri())};\n"
        f"const cases = {json.dumps([c[0] for c in FORM_CASES], ensure_ascii=False)};\n"
        "console.log(JSON.stringify(cases.map((c) => [f.fold(c), f.queryText(c), f.termForms(f.fold(c))])));\n",
        encoding="utf-8",
    )
    out = subprocess.run([node, str(script)], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [[c[1], c[2], c[3]] for c in FORM_CASES]


@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("青农〔2024〕5号", 1),
        ("青农[2024]5号", 1),
        ("青农【2024】5号", 1),
        ("青农(2024)5号", 1),
        ("青农（2024）5号", 1),
        ("青农2024 5号", 1),
        ("2024 5号", 1),
        ("青农〔２０２４〕５号", 1),
        ("［2026］", 4),
        ("2026年3月", 2),
        ("2026-03", 2),
        ("2026.3", 2),
        ("2026/03/05", 1),
        ("2026年03月05日", 1),
        ("2026年3月5日", 1),
    ],
)
def test_a_reader_s_spellings_find_the_same_pages(page: Any, server: str, query: str, count: int) -> None:
    _open(page, f"{server}/sub/search/?q={quote(query)}")
    _count_is(page, count)


# ---------------------------------------------------------------- abbreviations


def test_the_curated_abbreviations_are_pairs_of_distinct_spellings() -> None:
    from gongkai.render.search.abbreviations import built_in

    entries = built_in()
    assert len(entries) >= 20
    spelled = {form for entry in entries for form in entry.forms}
    assert {"低保", "最低生活保障", "五保", "特困供养", "医保", "社保", "公租房", "危改", "新农合", "一卡通"} <= spelled
    for entry in entries:
        assert len(entry.forms) >= 2 and all(form and not form.split()[1:] for form in entry.forms), entry
        assert not any(a != b and a in b for a in entry.forms for b in entry.forms), entry  # literal search has it


def test_a_county_adds_its_own_abbreviations() -> None:
    from gongkai.model import Abbreviation
    from gongkai.render.search.abbreviations import groups

    found = groups([Abbreviation(forms=("村村通", "农村公路通达工程")), Abbreviation(forms=("低保", "最低生活保障"))])
    assert found[0] == ["低保", "最低生活保障"] and found[-1] == ["村村通", "农村公路通达工程"]
    assert found.count(["低保", "最低生活保障"]) == 1


def _done(page: Any, query: str) -> dict[str, Any]:
    return page.wait_for_function(
        "(q) => { const done = document.querySelector('.gk-search').gkDone; return done && done.q === q && done }",
        arg=query,
    ).json_value()


@pytest.mark.browser
def test_an_abbreviation_finds_the_full_form_after_the_literal_results(page: Any, server: str) -> None:
    page.goto(f"{server}/sub/search/?q={quote('低保')}")
    done = _done(page, "低保")
    assert len(done["ids"]) == 3 and len(done["expanded"]) == 1  # Ctrl-F's three, then the one saying 最低生活保障
    status = "找到 3 条结果，另有 1 条按同义写法「最低生活保障」找到，排在后面"
    page.wait_for_function("s => document.querySelector('.gk-search__status').textContent === s", arg=status)
    last = page.locator(".gk-result").last
    assert last.locator(".gk-result__title").text_content() == "青溪县学生资助政策告知书"
    assert last.locator(".gk-result__via").text_content() == "按同义写法「最低生活保障」找到"
    assert last.locator(".gk-result__excerpt mark").all_text_contents() == ["最低生活保障"]
    assert page.locator(".gk-result__via").count() == 1


@pytest.mark.browser
def test_a_full_form_finds_the_abbreviation(page: Any, server: str) -> None:
    page.goto(f"{server}/sub/search/?q={quote('最低生活保障 标准')}")
    done = _done(page, "最低生活保障 标准")
    assert len(done["ids"]) == 1 and len(done["expanded"]) == 1  # 临时救助: 月低保标准


def test_county_yml_declares_its_abbreviations(tmp_path: Path) -> None:
    from gongkai.load import load_county

    from kit import COUNTY_YML, write_county

    extra = "搜索缩略语:\n  - 写法: [村村通, 农村公路通达工程]\n    说明: 农村公路\n"
    root = write_county(tmp_path, {"county.yml": COUNTY_YML + extra})
    config = load_county(root).config
    assert [entry.forms for entry in config.abbreviations] == [("村村通", "农村公路通达工程")]


def test_the_clerk_guide_lists_the_curated_abbreviations() -> None:
    from gongkai.render.search.abbreviations import built_in

    from kit import ROOT

    guide = (ROOT / "content" / "guide" / "index.md").read_text(encoding="utf-8")
    assert all("—".join(entry.forms) in guide for entry in built_in())


def test_a_page_holding_a_spelling_of_a_group_has_its_group_word() -> None:
    from gongkai.render.search.tokens import group_word

    groups = [["低保", "最低生活保障"], ["公租房", "公共租赁住房"]]
    laid = page_words("标题", "", "城乡居民最低生活保障标准", Grams(), groups)
    assert laid.words[group_word(0)] == [HEAD] and group_word(1) not in laid.words
    assert group_word(0) == "x000" and group_word(37) == "x011"


def test_a_hashed_file_is_never_written_through_what_is_found_at_its_name(tmp_path):
    """In a kept staging tree a name may hold a link of a published file: the same bytes are left as they are,
    a symbolic link is removed, not followed."""
    from gongkai.render.search.pack import write_hashed

    live = tmp_path / "live.pf_meta"
    stem = write_hashed(tmp_path, "pagefind", ".pf_meta", {"a": 1}, 10)
    written = tmp_path / f"{stem}.pf_meta"
    data = written.read_bytes()
    written.rename(live)
    (tmp_path / written.name).hardlink_to(live)
    before = live.stat()
    assert write_hashed(tmp_path, "pagefind", ".pf_meta", {"a": 1}, 10) == stem
    assert live.stat().st_mtime_ns == before.st_mtime_ns and live.read_bytes() == data
    (tmp_path / written.name).unlink()
    target = tmp_path / "elsewhere"
    target.write_bytes(b"not to be touched")
    (tmp_path / written.name).symlink_to(target)
    assert write_hashed(tmp_path, "pagefind", ".pf_meta", {"a": 1}, 10) == stem
    assert target.read_bytes() == b"not to be touched"
    assert not (tmp_path / written.name).is_symlink() and (tmp_path / written.name).read_bytes() == data
