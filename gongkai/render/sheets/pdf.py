"""One notice sheet from its context to PDF bytes: Jinja2 template, then WeasyPrint.

Templates are looked up as ``sheets/payout.html`` and ``sheets/sheet.css``, first in the theme
directories, then in this package. ``gongkai/payout.html`` always names the package's own template,
so a theme can extend it and replace blocks.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import dataclasses
import functools
import hashlib
import importlib.metadata
import logging
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from gongkai.errors import EnvironmentProblem

from ..formats import cn_date
from .cache import cache_key
from .compose import compose
from .context import PrintContext
from .page import Layout

if TYPE_CHECKING:
    import weasyprint  # imported where a sheet is drawn: 0.6 s of every build's start-up, and most builds draw none

Sheet = PrintContext
logger = logging.getLogger(__name__)
# WeasyPrint's own warnings (fontTools fallback, CSS it ignores) are a developer's matter, in English:
# a clerk's build output shows none. The one that costs time, the missing HarfBuzz subsetter, is
# checked before any sheet is rendered (require_fast_subsetting); a page count that differs from the
# layout is reported by _check_pages in Chinese.
logging.getLogger("weasyprint").setLevel(logging.ERROR)

PACKAGE = Path(__file__).parent
TEMPLATES = PACKAGE / "templates"
CJK_FONT = "Noto Sans CJK SC"
FONT_MISSING = "未找到中文字体（Noto Sans CJK SC）。请安装：sudo apt-get install fonts-noto-cjk"
FONTCONFIG_MISSING = "未找到 fc-list，无法确认中文字体。请安装：sudo apt-get install fontconfig fonts-noto-cjk"


def require_cjk_font() -> None:
    """Raise EnvironmentProblem unless fontconfig knows the Noto CJK SC fonts."""
    if not any(CJK_FONT in family for family in _font_families()):
        raise EnvironmentProblem(FONT_MISSING)


SUBSET_MISSING = (
    "缺少 HarfBuzz 字体子集库（libharfbuzz-subset0），生成公示表会慢几十倍。"
    "请安装：sudo apt-get install libharfbuzz-subset0（或运行 scripts/setup.sh build）"
)


def require_fast_subsetting(exact: bool = False) -> None:
    """Raise EnvironmentProblem unless WeasyPrint can subset fonts with HarfBuzz.

    Without libharfbuzz-subset WeasyPrint falls back to fontTools: every sheet's CJK fonts are
    subset in Python, ~34× slower (the demo's 58 sheets: 355 s instead of 10 s), with a warning
    per font and sheet. Debian's chromium pulls the library in, so only a host without it shows this.
    A build asks at its start by loading the libraries by the names WeasyPrint uses (importing WeasyPrint costs
    0.6 s), and asks WeasyPrint itself only when they do not load that way (a host that names or places them
    otherwise is never refused by the quick look alone); ``exact``, before any sheet is drawn, asks WeasyPrint.
    """
    quick = not exact and _loads(_HARFBUZZ_SUBSET) is not None and _harfbuzz_at_least(4, 1, 0)
    if not quick and not _weasyprint_subsets():
        raise EnvironmentProblem(SUBSET_MISSING)


def _weasyprint_subsets() -> bool:
    from weasyprint.text import ffi

    return ffi.harfbuzz_subset is not None and bool(ffi.harfbuzz.hb_version_atleast(4, 1, 0))


_HARFBUZZ = ("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll", "harfbuzz")
_HARFBUZZ_SUBSET = (
    "libharfbuzz-subset.so.0",
    "libharfbuzz-subset.0.dylib",
    "libharfbuzz-subset-0.dll",
    "harfbuzz-subset",
)
"""The names WeasyPrint's ffi.py opens the libraries by (its last, bare name through ctypes.util.find_library)."""


def _loads(names: Sequence[str]) -> ctypes.CDLL | None:
    for name in names:
        path = name if "." in name else ctypes.util.find_library(name)
        if path:
            try:
                return ctypes.CDLL(path)
            except OSError:
                continue
    return None


def _harfbuzz_at_least(*version: int) -> bool:
    harfbuzz = _loads(_HARFBUZZ)
    return harfbuzz is not None and bool(harfbuzz.hb_version_atleast(*version))


def _font_families() -> list[str]:
    """Every font family fontconfig knows, as fc-list prints them."""
    try:
        result = subprocess.run(["fc-list", "--format", "%{family}\n"], capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise EnvironmentProblem(FONTCONFIG_MISSING) from error
    return result.stdout.splitlines()


def render_pdf(ctx: Sheet, template_dirs: Sequence[Path] = ()) -> bytes:
    """The notice sheet as PDF bytes; the same context and templates give the same bytes.

    Call require_cjk_font first: without the font WeasyPrint falls back silently to empty boxes.
    """
    return render_document(ctx, template_dirs)[0]


def render_document(ctx: Sheet, template_dirs: Sequence[Path] = ()) -> tuple[bytes, int]:
    """The notice sheet as PDF bytes, and its number of pages."""
    import weasyprint

    if batchable(ctx):
        return render_batch([ctx], template_dirs)[0]
    document = weasyprint.HTML(string=render_html(ctx, template_dirs)).render()
    # Dates from the sheet, not the clock, so that the bytes depend on the input only.
    document.metadata.created = document.metadata.modified = ctx.issued.isoformat()
    return document.write_pdf(), len(document.pages)


def batchable(ctx: Sheet) -> bool:
    """Sheets with a page_size are sections of a shared document; other prints are whole documents."""
    return isinstance(getattr(ctx, "page_size", None), str)


def render_batch(contexts: Sequence[Sheet], template_dirs: Sequence[Path] = ()) -> list[tuple[bytes, int]]:
    """Many sheets laid out as one WeasyPrint document, then written one PDF each, with their page counts.

    One document per batch shares WeasyPrint's per-document work (style matching, fonts); each sheet
    has its own named page, so its page numbers count its own pages only.
    """
    document, parts = _document(contexts, template_dirs)
    starts = _first_pages(document, [part.anchor for part in parts])
    ends = [*starts[1:], len(document.pages)]
    done = []
    for part, first, last in zip(parts, starts, ends, strict=True):
        _check_pages(part, last - first)
        piece = document.copy(document.pages[first:last])
        # Dates from the sheet, not the clock, so that the bytes depend on the input only.
        piece.metadata.title = getattr(part.ctx, "title", "")
        piece.metadata.created = piece.metadata.modified = part.ctx.issued.isoformat()
        done.append((piece.write_pdf(), last - first))
    return done


def render_joined(contexts: Sequence[Sheet], template_dirs: Sequence[Path] = ()) -> tuple[bytes, list[int]]:
    """Many sheets as one PDF (a print bundle): fonts embedded once; the page count of each sheet."""
    document, parts = _document(contexts, template_dirs)
    starts = _first_pages(document, [part.anchor for part in parts])
    counts = [b - a for a, b in zip(starts, [*starts[1:], len(document.pages)], strict=True)]
    for part, count in zip(parts, counts, strict=True):
        _check_pages(part, count)
    document.metadata.title = getattr(contexts[0], "title", "")
    document.metadata.created = document.metadata.modified = max(c.issued for c in contexts).isoformat()
    return document.write_pdf(), counts


@dataclasses.dataclass(frozen=True)
class _Part:
    anchor: str
    ctx: Sheet
    layout: Layout
    html: str


def _document(contexts: Sequence[Sheet], template_dirs: Sequence[Path]) -> tuple[weasyprint.Document, list[_Part]]:
    parts = []
    for ctx in contexts:
        layout = compose(ctx)
        parts.append(_Part(_anchor(ctx), ctx, layout, _section(ctx, layout, template_dirs)))
    import weasyprint

    return weasyprint.HTML(string=_wrap(parts, template_dirs)).render(), parts


def _check_pages(part: _Part, pages: int) -> None:
    """A sheet whose pages differ from its layout's had a template or font that the layout did not know."""
    if pages != part.layout.count:
        logger.warning(
            "「%s」排版预计 %d 页，实际 %d 页：模板或字体与 gongkai 的排版不一致",
            getattr(part.ctx, "title", ""),
            part.layout.count,
            pages,
        )


def render_html(ctx: Sheet, template_dirs: Sequence[Path] = ()) -> str:
    """The notice sheet as a whole HTML document, ready for WeasyPrint."""
    if not batchable(ctx):
        return render_section(ctx, template_dirs)
    layout = compose(ctx)
    return _wrap([_Part(_anchor(ctx), ctx, layout, _section(ctx, layout, template_dirs))], template_dirs)


def render_section(ctx: Sheet, template_dirs: Sequence[Path] = ()) -> str:
    """One sheet's own HTML (no <html> around it), from its template."""
    return _section(ctx, compose(ctx) if batchable(ctx) else None, template_dirs)


def _section(ctx: Sheet, layout: Layout | None, template_dirs: Sequence[Path]) -> str:
    template = _environment(_dirs_key(template_dirs)).get_template(f"sheets/{ctx.template}")
    values = {field.name: getattr(ctx, field.name) for field in dataclasses.fields(ctx)}
    if layout is not None:
        values["layout"] = layout
    return template.render(values)


def _wrap(parts: Sequence[_Part], template_dirs: Sequence[Path]) -> str:
    sheets = [{"id": p.anchor, "box": p.layout.box, "pages": p.layout.count, "html": Markup(p.html)} for p in parts]
    return _environment(_dirs_key(template_dirs)).get_template("sheets/document.html").render(sheets=sheets)


def _anchor(ctx: Sheet) -> str:
    """A name for the sheet's page group taken from its content, so that bytes do not depend on the batch; from
    what its cache key hashes (not its repr, which names where each phone and catalogue item was read: a sheet
    whose YAML was renamed or had a line added would be drawn with other bytes than the cache keeps)."""
    return "s" + cache_key(ctx, "")[:16]


def _first_pages(document: weasyprint.Document, anchors: list[str]) -> list[int]:
    where = {name: index for index, page in reversed(list(enumerate(document.pages))) for name in page.anchors}
    return [where[anchor] for anchor in anchors]


def templates_fingerprint(template_dirs: Sequence[Path] = ()) -> str:
    """A hash of every sheet template a render may read, of this package's code and of WeasyPrint's version."""
    digest = hashlib.sha256(f"weasyprint {importlib.metadata.version('weasyprint')}\n".encode())
    folders = [Path(d) / "sheets" for d in template_dirs] + [PACKAGE]
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(f"\n{path.relative_to(folder)}\n".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _dirs_key(template_dirs: Sequence[Path]) -> tuple[str, ...]:
    return tuple(str(d) for d in template_dirs)


@functools.lru_cache(maxsize=8)
def _environment(template_dirs: tuple[str, ...]) -> jinja2.Environment:
    package = jinja2.FileSystemLoader(TEMPLATES)
    loader = jinja2.ChoiceLoader(
        [
            jinja2.PrefixLoader({"gongkai": package}),
            jinja2.FileSystemLoader(template_dirs),
            jinja2.PrefixLoader({"sheets": package}),
        ]
    )
    # Sandboxed: the county's own templates in theme/sheets/ must not reach Python's internals.
    env = SandboxedEnvironment(
        loader=loader, autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True
    )
    env.filters["cn_date"] = cn_date
    return env
