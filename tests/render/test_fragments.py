"""What the pages stage renders once for many pages (Material's fragments, a data page's placeholder Markdown)
gives the same bytes as rendering it for each page."""

import datetime as dt
import logging
import os
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest

from gongkai.errors import BuildFailed, Problem, SourceErrors
from gongkai.load import load_county
from gongkai.render.site import render_site, split
from gongkai.render.site.fragments import Fragments
from gongkai.render.site.plugin import MATERIAL_TEMPLATES, GongkaiPlugin
from gongkai.render.site.sandbox import Sandbox

TODAY = dt.date(2026, 11, 26)


def _url(context, value):
    return f"{context}:{value}"


def _page(url: str) -> SimpleNamespace:
    return SimpleNamespace(url=url)


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_the_site_is_byte_for_byte_the_site_rendered_without_shortcuts(county_dir, tmp_path, monkeypatch):
    county = load_county(county_dir)
    render_site(county_dir, county, TODAY, tmp_path / "memo")
    monkeypatch.setattr(Fragments, "get", lambda *args, **kwargs: None)  # every fragment rendered for every page
    monkeypatch.setattr(GongkaiPlugin, "on_pre_page", lambda self, page, **kwargs: page)  # Markdown for each page
    render_site(county_dir, county, TODAY, tmp_path / "each")
    memo, each = _tree(tmp_path / "memo"), _tree(tmp_path / "each")
    assert memo.keys() == each.keys()
    assert [name for name in memo if memo[name] != each[name]] == []


def test_a_fragment_is_reused_where_its_links_read_the_same():
    fragments = Fragments(_url, in_nav={"xxgk/"})
    page = _page("documents/2026/a/")
    assert fragments.get("nav", page, "../../..") is None
    fragments.start("nav")
    fragments.url_filter()("ctx", "xxgk/")
    fragments.put("nav", page, "../../..", "<nav a>")
    assert fragments.get("nav", _page("documents/2025/b/"), "../../..") == "<nav a>"
    assert fragments.get("nav", _page("villages/t/v/"), "../../..") == "<nav a>"  # ../../../xxgk/ too
    assert fragments.get("nav", _page("xxgk/x/y/"), "../../..") is None  # ../../ here
    assert fragments.get("nav", _page("documents/b/"), "../..") is None


def test_pages_in_the_navigation_and_fragments_that_branch_are_never_reused():
    fragments = Fragments(_url, in_nav={"xxgk/"})
    fragments.start("nav")
    fragments.put("nav", _page("xxgk/"), "..", "<nav active>")
    assert fragments.get("nav", _page("xxgk/"), "..") is None
    assert fragments.get("nav", _page("jcgk/"), "..") is None
    assert fragments.get("config", _page("xxgk/"), "..", anywhere=True) is None
    fragments.start("config")
    fragments.put("config", _page("xxgk/"), "..", "<script>", anywhere=True)
    assert fragments.get("config", _page("xxgk/"), "..", anywhere=True) == "<script>"
    fragments.start("tabs")
    fragments.url_filter()("ctx", "a/")
    fragments.put("tabs", _page("b/"), "..", "<tabs a>")
    fragments.start("tabs")
    fragments.url_filter()("ctx", "c/")  # another page asked for other links: the fragment depends on the page
    fragments.put("tabs", _page("d/"), "..", "<tabs c>")
    assert fragments.get("tabs", _page("b/"), "..") is None


@pytest.mark.parametrize(
    "template",
    ["{{ x.__class__ }}", "{{ f.__code__ }}", "{{ ''.format.__self__ }}", "{{ t.mro }}", "{{ x._hidden }}"],
)
def test_the_cached_sandbox_refuses_what_jinja_refuses(template):
    def f():
        return 1

    values = {"x": SimpleNamespace(_hidden=1), "f": f, "t": str}
    for _ in range(2):  # the second time from the cache
        assert Sandbox().from_string(template).render(**values) == ""


def test_the_cached_sandbox_keeps_str_format_sandboxed():
    env = Sandbox()
    template = env.from_string("{{ s.format(x) }}")
    for _ in range(2):
        with pytest.raises(Exception, match="unsafe"):
            template.render(s="{0.__class__.__base__}", x=1)


def test_a_split_build_writes_the_same_site_and_brings_back_the_childs_failure(county_dir, tmp_path, monkeypatch):
    county = load_county(county_dir)
    render_site(county_dir, county, TODAY, tmp_path / "one")
    monkeypatch.setattr(split, "MINIMUM", 1)
    render_site(county_dir, county, TODAY, tmp_path / "two", split=True)
    one, two = _tree(tmp_path / "one"), _tree(tmp_path / "two")
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []
    # The child fails: its error, already gongkai's own, reaches the parent.
    content = GongkaiPlugin.on_page_content

    def failing(self, html, page, **kwargs):
        if self.split is not None and self.split.child:
            raise SourceErrors([Problem("content/x.md", 3, "", "子进程", "")])
        return content(self, html, page, **kwargs)

    monkeypatch.setattr(GongkaiPlugin, "on_page_content", failing)
    with pytest.raises(SourceErrors) as raised:
        render_site(county_dir, county, TODAY, tmp_path / "three", split=True)
    assert [(p.path, p.line, p.message) for p in raised.value.problems] == [("content/x.md", 3, "子进程")]
    # A county template that fails in both processes: located.
    monkeypatch.setattr(GongkaiPlugin, "on_page_content", content)
    (county_dir / "theme" / "main.html").write_text(
        '{% extends "gongkai/base.html" %}{% block content %}\n{{ page.nothing.at.all }}{% endblock %}',
        encoding="utf-8",
    )
    with pytest.raises(SourceErrors) as raised:
        render_site(county_dir, county, TODAY, tmp_path / "four", split=True)
    assert (raised.value.problems[0].path, raised.value.problems[0].line) == ("theme/main.html", 2)


def test_the_childs_warnings_are_logged_by_the_parent_once(county_dir, tmp_path, monkeypatch, caplog):
    county = load_county(county_dir)
    render_site(county_dir, county, TODAY, tmp_path / "site")
    pages = [name.removesuffix("index.html") for name in _tree(tmp_path / "site") if name.endswith("index.html")]
    monkeypatch.setattr(split, "MINIMUM", 1)
    content = GongkaiPlugin.on_page_content

    def warning(self, html, page, **kwargs):
        logging.getLogger("mkdocs.test").warning("页面 %s", page.url)
        return content(self, html, page, **kwargs)

    monkeypatch.setattr(GongkaiPlugin, "on_page_content", warning)
    with caplog.at_level(logging.WARNING), pytest.raises(BuildFailed) as raised:  # mkdocs.yml: strict
        render_site(county_dir, county, TODAY, tmp_path / "split", split=True)
    warned = [r.getMessage() for r in caplog.records if r.name == "mkdocs.test"]
    assert sorted(set(f"页面 {url}" for url in pages) ^ set(warned)) == []
    assert sorted(warned) == sorted(f"页面 {url}" for url in pages)
    assert f"Aborted with {len(pages)} warnings" in str(raised.value)


def test_nothing_is_reused_when_the_county_has_partials_of_its_own(county_dir, tmp_path, monkeypatch):
    county = load_county(county_dir)
    partial = county_dir / "theme" / "partials" / "nav-item.html"
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_text((MATERIAL_TEMPLATES / "partials" / "nav-item.html").read_text(encoding="utf-8"), encoding="utf-8")
    gets: list[str | None] = []
    get = Fragments.get
    monkeypatch.setattr(Fragments, "get", lambda self, *args, **kwargs: gets.append(get(self, *args, **kwargs)))
    render_site(county_dir, county, TODAY, tmp_path / "site")
    assert gets and set(gets) == {None}


def test_compiled_templates_are_kept_outside_the_project(county_dir, tmp_path):
    # a compiled template is code, and Jinja reads an entry with pickle: one planted in the project's .cache/
    # would run at the next build
    from gongkai.render.site.plugin import template_cache

    render_site(county_dir, load_county(county_dir), TODAY, tmp_path / "site")
    assert not (county_dir / ".cache" / "jinja").exists()
    cache = template_cache()
    assert cache is not None and any(Path(cache.directory).iterdir())
    folder = Path(cache.directory).lstat()
    assert folder.st_uid == os.getuid() and stat.S_IMODE(folder.st_mode) == 0o700
    assert not Path(cache.directory).resolve().is_relative_to(county_dir.resolve())
