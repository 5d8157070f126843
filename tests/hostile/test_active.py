"""Active content the theme could add: refused by `check` at its line, refused again in the built pages,
and every page carries its own Content-Security-Policy (hosts that send no header protect readers too)."""

from __future__ import annotations

import pytest

from gongkai.commands.cli import main
from gongkai.guard.active import find_active
from gongkai.render.site.policy import META

from kit import write_county

TODAY = "2026-11-26"
THEME = '{% extends "base.html" %}\n{% block extrahead %}{{ super() }}\n'


_ACTIVE = [
    "<script>alert(1)</script>",
    '<script src="https://evil.example/x.js"></script>',
    '<script src="/assets/gongkai/a11y.js">alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    '<img alt=">" onerror=alert(2)>',
    "<img/src=x/onerror=alert(3)>",
    '<a href="jav&#x61;script:alert(1)">x</a>',
    '<a href=" java\tscript:alert(1)">x</a>',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<base href="https://evil.example/">',
    '<iframe src="/"></iframe>',
    '<svg><animate attributeName="href" to="javascript:alert(1)"/></svg>',
    '<link rel="stylesheet" href="//evil.example/a.css">',
    '<link rel="icon" href="https://evil.example/favicon.ico">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<object data="x.swf"></object>',
]


@pytest.mark.parametrize("html", _ACTIVE)
def test_active_content_is_found(html):
    assert list(find_active(html)), html


@pytest.mark.parametrize(
    "html",
    [
        '<script src="../assets/gongkai/head.js"></script>',
        '<script id="__config" type="application/json">{"base": "."}</script>',
        '<a href="https://www.gov.cn/" title="a:b">国务院</a>',
        '<svg viewBox="0 0 24 24"><path d="M3 6h18v2H3z"/></svg>',
        '<img src="data/x.png" alt="图">',
        '<link rel="canonical" href="https://www.qingxi.example.cn/gov/">',
        '<link rel="alternate" type="application/atom+xml" href="https://www.qingxi.example.cn/feed.xml">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'">',
    ],
)
def test_the_sites_own_markup_is_not(html):
    assert not list(find_active(html)), html


def test_a_site_of_many_pages_is_read_on_worker_processes_with_the_same_findings(tmp_path, monkeypatch):
    """From _PARALLEL_FROM pages on (a cold build: every page) the pages are read on worker processes: every
    attack is still found, named by page and line in path order, exactly as read in the process itself; the
    clean pages are remembered, the others never."""
    from gongkai.guard import active

    attacks = [html for html in _ACTIVE if "\n" not in html]
    pages = {f"p{i:03d}/index.html": f"<p>第 {i} 页</p>\n".encode() for i in range(3 * active._PARALLEL_FROM)}
    for i, html in enumerate(attacks):
        pages[f"p{i * 7:03d}/index.html"] = f"<p>正文</p>\n<p>{html}</p>\n".encode()
    site = tmp_path / "site"
    for name, data in pages.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data)
    pooled = active.scan_pages(site, tmp_path / "pooled.json")
    monkeypatch.setattr(active, "_PARALLEL_FROM", 10**9)
    alone = active.scan_pages(site, tmp_path / "alone.json")
    assert pooled == alone
    assert sorted({line.split(" ")[0] for line in pooled}) == sorted(
        f"p{i * 7:03d}/index.html" for i in range(len(attacks))
    )
    assert all(" 第 2 行：" in line for line in pooled)
    assert (tmp_path / "pooled.json").read_bytes() == (tmp_path / "alone.json").read_bytes()
    assert active.scan_pages(site, tmp_path / "pooled.json") == pooled  # the attacks are read again, not cached


def test_check_refuses_a_script_in_a_theme_template_at_its_line(tmp_path, capsys):
    root = write_county(tmp_path, {"theme/main.html": THEME + '<script src="https://evil.example/x.js"></script>\n'
                                   "{% endblock %}\n"})  # fmt: skip
    assert main(["check", str(root), "--today", TODAY]) == 1
    err = capsys.readouterr().err
    assert "theme/main.html 第 3 行" in err and "<script> 从其他网站加载内容（src）" in err


@pytest.mark.parametrize("included", [".parts.html", ".parts.txt", ".parts", "notes.txt", "partials/.x.css"])
def test_check_reads_every_file_the_theme_may_include_as_a_template(tmp_path, capsys, included):
    """MkDocs publishes no hidden file and no note, but Jinja includes a file of any name: each is checked like a
    template (else check passed and only the built page's scan caught the script)."""
    include = '{% include "' + included + '" %}\n{% endblock %}\n'
    root = write_county(tmp_path, {"theme/main.html": THEME + include,
                                   f"theme/{included}": '<script src="https://evil.example/x.js"></script>\n'})  # fmt: skip
    assert main(["check", str(root), "--today", TODAY]) == 1
    assert f"theme/{included} 第 1 行" in capsys.readouterr().err


def test_a_themes_own_git_checkout_and_binary_hidden_files_are_no_templates(tmp_path, capsys):
    """Read as a template only what Jinja could include: UTF-8 text outside version control's folders."""
    root = write_county(tmp_path, {"theme/.git/config": "[remote <origin>]\n<script>x</script>\n",
                                   "theme/.git/objects/ab/cdef": b"x\x9c<a\xff\xfe<script>",
                                   "theme/.cache.bin": b"\xff\xfe<script>alert(1)</script>"})  # fmt: skip
    assert main(["check", str(root), "--today", TODAY]) == 0, capsys.readouterr().err


def test_check_refuses_a_style_sheet_loading_from_elsewhere(tmp_path, capsys):
    root = write_county(tmp_path, {"theme/extra.css": 'body { background: url("https://evil.example/x.png"); }\n'})
    assert main(["check", str(root), "--today", TODAY]) == 1
    assert "theme/extra.css 第 1 行" in capsys.readouterr().err


def test_build_refuses_a_script_the_template_assembles(tmp_path, capsys):
    """A script only the rendered page shows (built from pieces in Jinja) is caught before publishing."""
    root = write_county(tmp_path)
    assert main(["build", str(root), "--today", TODAY, "-q"]) == 0
    published = (root / "site/index.html").read_bytes()
    assembled = "{{ '<scr' ~ 'ipt>alert(document.domain)</scr' ~ 'ipt>' }}\n{% endblock %}\n"
    (root / "theme").mkdir(exist_ok=True)
    (root / "theme/main.html").write_text(THEME + assembled, encoding="utf-8")
    capsys.readouterr()
    assert main(["build", str(root), "--today", TODAY, "-q"]) == 1
    err = capsys.readouterr().err
    assert "不能写内联脚本" in err and "网站没有发布" in err
    assert (root / "site/index.html").read_bytes() == published


def test_every_page_carries_the_policy_first(tmp_path):
    root = write_county(tmp_path)
    assert main(["build", str(root), "--today", TODAY, "-q"]) == 0
    for page in [*(root / "site").rglob("*.html")]:
        html = page.read_text(encoding="utf-8")
        assert html.index(META) < html.index("<script"), page
