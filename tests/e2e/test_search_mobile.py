"""The search results page on a phone (390 px, touch), one test per promise of issue 16, on the demo site."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from test_search_accuracy import chromium, demo, harness  # noqa: F401  (fixtures; harness: benchmarks/search_accuracy.py)

from kit import watched_tab

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture(scope="module")
def served(demo: tuple[Path, Path]) -> Iterator[str]:  # noqa: F811
    with harness.serve(demo[1]) as base:
        yield base


@pytest.fixture
def phone(chromium: Any) -> Iterator[Any]:  # noqa: F811
    yield from watched_tab(chromium, **PHONE)


def _search(phone: Any, base: str, query: str) -> dict[str, Any]:
    phone.goto(f"{base}/search/?q={quote(query)}")
    done: dict[str, Any] = phone.wait_for_function(
        "(q) => { const done = document.querySelector('.gk-search')?.gkDone; return done && done.q === q && done }",
        arg=query,
    ).json_value()
    return done


def _box(locator: Any) -> dict[str, float]:
    box: dict[str, float] = locator.bounding_box()
    return box


def test_results_come_first_and_the_filters_open_from_one_button(phone: Any, served: str) -> None:
    _search(phone, served, "补贴")
    first = phone.locator(".gk-result").first
    assert _box(first)["y"] + 40 < 844  # the first result shows without scrolling
    assert not phone.locator(".gk-search__facets").is_visible()
    toggle = phone.locator(".gk-search__toggle")
    assert toggle.text_content() == "筛选" and toggle.get_attribute("aria-expanded") == "false"
    assert _box(toggle)["y"] < _box(first)["y"]
    toggle.click()
    assert phone.locator(".gk-search__facets").is_visible() and toggle.get_attribute("aria-expanded") == "true"
    phone.locator('fieldset[data-filter="年份"] label').first.click()
    phone.locator('fieldset[data-filter="组配分类"] label').first.click()
    phone.wait_for_function("() => document.querySelector('.gk-search__toggle')?.textContent === '筛选（已选 2 项）'")


def test_a_filter_change_visibly_updates_the_count_and_the_list(phone: Any, served: str) -> None:
    done = _search(phone, served, "补贴")
    before = phone.locator(".gk-search__status").text_content()
    phone.locator(".gk-search__toggle").click()
    phone.locator('fieldset[data-filter="年份"] label').first.click()
    phone.wait_for_function("s => document.querySelector('.gk-search__status').textContent !== s", arg=before)
    count = int(phone.locator(".gk-search__status").text_content().split()[1])
    assert count < len(done["ids"])
    apply = phone.locator(".gk-search__apply")  # the count in view, at the foot of the open filters
    assert apply.text_content() == f"查看 {count} 条结果" and apply.is_visible()
    assert _box(apply)["y"] >= 0 and _box(apply)["y"] + _box(apply)["height"] <= 844
    assert "gk-search__status--fresh" in (phone.locator(".gk-search__status").get_attribute("class") or "")
    apply.click()
    assert not phone.locator(".gk-search__facets").is_visible()
    assert _uncovered(phone, ".gk-search__status")  # in view, not under the fixed header
    assert phone.locator(".gk-result").count() == min(count, 10)


def _uncovered(phone: Any, selector: str) -> bool:
    return bool(phone.evaluate("""(selector) => {
        const element = document.querySelector(selector);
        const box = element.getBoundingClientRect();
        const top = document.elementFromPoint(box.left + 5, box.top + box.height / 2);
        return box.top >= 0 && box.bottom <= innerHeight && (top === element || element.contains(top));
    }""", selector))


def test_values_no_result_holds_are_hidden(phone: Any, served: str) -> None:
    _search(phone, served, "耕地地力保护")
    phone.locator(".gk-search__toggle").click()
    counts = phone.locator(".gk-facet li:visible .gk-facet__count").all_text_contents()
    assert counts and all(count != "(0)" for count in counts)
    hidden = phone.locator(".gk-facet li[hidden]").count()
    assert hidden > 0


def test_touch_targets_are_at_least_44_px(phone: Any, served: str) -> None:
    _search(phone, served, "补贴")
    phone.locator(".gk-search__toggle").click()
    controls = phone.locator(  # a checkbox's target is its label
        ".gk-search input:not([type=checkbox]):visible, .gk-search select:visible, .gk-search button:visible, "
        ".gk-facet label:visible, .gk-result__title:visible, .gk-search__suggest a:visible"
    )
    assert controls.count() > 20
    small = [
        (c.evaluate("e => e.className || e.tagName"), round(b["width"]), round(b["height"]))
        for c in controls.all()
        if (b := _box(c))["height"] < 44 or b["width"] < 44
    ]
    assert small == []


def test_the_snippet_is_the_body_around_the_first_hit(phone: Any, served: str) -> None:
    _search(phone, served, "公示期")
    excerpt = phone.locator(".gk-result__excerpt").first
    assert excerpt.locator("mark").first.text_content() == "公示期"
    href = phone.locator(".gk-result__title").first.get_attribute("href")
    shown = excerpt.text_content().strip("…")
    phone.goto(served + href)
    body = phone.evaluate("""() => {
        const page = document.querySelector("[data-pagefind-body]");
        for (const part of page.querySelectorAll("h1, .gk-meta")) part.remove();
        return page.innerText;
    }""")
    assert " ".join(shown.split()) in " ".join(body.split())  # from the body, not the metadata block


def test_an_empty_result_suggests_spellings_that_find_pages(phone: Any, served: str) -> None:
    done = _search(phone, served, "公租房 火星")
    assert done["ids"] == [] and done["expanded"] == []
    suggest = phone.locator(".gk-search__suggest")
    suggest.wait_for()
    links = suggest.locator("a").all_text_contents()
    assert links and links[0].startswith("公租房（")  # dropping the term nothing holds
    assert "没有找到。可以试试这些写法：" in suggest.text_content()
    suggest.locator("a").first.click()
    phone.wait_for_url(re.compile(r"q=%E5%85%AC%E7%A7%9F%E6%88%BF"))  # the suggestion's own page
    done = phone.wait_for_function("() => document.querySelector('.gk-search')?.gkDone?.q === '公租房'")
    assert phone.locator(".gk-result__via").count() > 0  # 公共租赁住房, marked


def test_an_abbreviation_and_a_doc_no_are_offered_when_nothing_is_found(phone: Any, served: str) -> None:
    _search(phone, served, "云山政规[2025]99号")
    phone.locator(".gk-search__suggest a").first.wait_for()
    assert phone.locator(".gk-search__suggest a").first.text_content().startswith("云山政规〔2025〕（")
    _search(phone, served, "危改 星期八")
    phone.locator(".gk-search__suggest a").first.wait_for()
    offered = phone.locator(".gk-search__suggest a").all_text_contents()
    assert any(text.startswith("危改（") for text in offered), offered
