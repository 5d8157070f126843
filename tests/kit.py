"""Test kit: write a small county from a dict of files into a temporary directory."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gongkai.audit.chromium import BROWSER_ARGS

ROOT = Path(__file__).resolve().parent.parent
# Debian's Chromium, driven by Playwright; the flags keep it off this machine's closed network.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = BROWSER_ARGS

COUNTY_YML = """\
县名: 测试县
网站名称: 测试县人民政府信息公开网
主办单位: 测试县人民政府办公室
联系电话: 0550-7011234
联系地址: 测试县城关镇人民路 1 号
电子邮箱: xxgk@ceshi.example.cn
网站标识码: "3417000099"
ICP备案号: 皖ICP备00000001号
公安备案号: 皖公网安备34170002000999号
发布机构:
  - 名称: 测试县人民政府办公室
    简称: 县政府办
    统一社会信用代码: 11341700MB1714830K
  - 名称: 测试县农业农村局
    简称: 县农业农村局
    统一社会信用代码: 11341700MB1714849G
公开电话:
  - 名称: 政务服务便民热线
    号码: "12345"
依申请公开:
  受理机构: 测试县人民政府办公室
  地址: 测试县城关镇人民路 1 号
  邮政编码: "247100"
  受理时间: 工作日 8:30-12:00，14:30-17:30
  电话: 0550-7011234
"""

DOMAINS_YML = """\
领域:
  - 代码: snbt
    名称: 涉农补贴
    别名: [惠农补贴]
    主管部门: 省农业农村厅
  - 代码: shjz
    名称: 社会救助
"""

CATALOG_YML = """\
领域: snbt
目录:
  - 序号: 1
    一级事项: 农业生产发展资金
    二级事项: 耕地地力保护
    公开内容: 政策依据、申请指南、补贴结果、监督渠道
    公开依据: 《中华人民共和国政府信息公开条例》
    公开主体: 县农业农村局
    公开渠道: [政府网站, 社区/企事业单位/村公示栏（电子屏）]
    公开对象: 全社会
    公开方式: 主动
    公开层级: [县级, 乡级]
"""


def document(
    title: str,
    index_no: str,
    published: str = "2026-03-05",
    *,
    kind: str = "政策文件",
    extra: str = "",
    body: str = "第一条　为做好耕地地力保护补贴工作，制定本方案。",
    written: str = "2026-03-01",
) -> str:
    """A document source with sensible defaults."""
    return (
        f"---\n标题: {title}\n索引号: {index_no}\n文号: 测政办〔2026〕12号\n发布机构: 测试县人民政府办公室\n"
        f"成文日期: {written}\n发布日期: {published}\n领域: 涉农补贴\n主题分类: 农业、林业、水利\n"
        f"组配分类: {kind}\n关键词: [耕地地力保护, 补贴]\n内容概述: 明确补贴对象、标准和程序。\n{extra}---\n\n{body}\n"
    )


SHJZ_YML = """\
领域: shjz
目录:
  - 序号: 1
    一级事项: 最低生活保障
    二级事项: 审核信息
    公开内容: 初审对象名单
    公开依据: 《社会救助暂行办法》
    公开时限: 信息形成或者变更之日起10个工作日内
    公开主体: 乡镇人民政府
    公开渠道: [社区/企事业单位/村公示栏（电子屏）]
    公开对象: 全社会
    公开方式: 主动
    公开层级: [乡级, 村级]
"""

NOTICE = (
    "---\n标题: 关于做好2026年城乡低保年审工作的通知\n索引号: 11341700MB1714830K/202603-00003\n文号: 无\n"
    "发布机构: 测试县人民政府办公室\n成文日期: 2026-03-02\n发布日期: 2026-03-02\n领域: shjz\n主题分类: 民政、扶贫、救灾\n"
    "组配分类: 通知公告\n---\n\n各乡镇：请做好城乡低保年审工作。\n"
)


TOWN_YML = "代码: chengguan\n名称: 城关镇\n电话:\n  - 名称: 城关镇纪委监督电话\n    号码: 0550-7020001\n"
VILLAGE_YML = """\
代码: shangxi
名称: 上溪村
公开事项目录:
  - 序号: 1
    公开事项: 村年度计划和村民代表会议决议
    公开依据: 《中华人民共和国村民委员会组织法》第三十条
    公开时限: 每季度至少一次
    公开主体: 村民委员会
    公开渠道: [村务公开栏]
"""
PAYOUT_YML = """\
补贴项目: 耕地地力保护补贴
年度: 2026
依据: 《测试县2026年耕地地力保护补贴实施方案》（测政办〔2026〕12号）
单位: 亩
数据文件: 2026-gdlb.csv
公示开始: 2026-11-20
公示结束: 2026-11-26
落款日期: 2026-11-20
电话:
  - 名称: 县农业农村局监督电话
    号码: 0550-7030001
"""
PAYOUT_CSV = """\
户主姓名,村民小组,身份证号,数量,标准,金额,发放日期,备注
王秀兰,第一村民组,341722********0317,5.2,110,572.00,2026-06-30,
李建国,第二村民组,341722********1234,3,110,330.00,2026-06-30,
"""

MKDOCS_YML = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def blank_pdf() -> bytes:
    """A valid one-page PDF without text: a stand-in that the leak guard can read (it refuses damaged PDFs)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def county_files() -> dict[str, str]:
    """The files of a small but complete county."""
    return {
        "mkdocs.yml": MKDOCS_YML,
        "theme/main.html": (ROOT / "theme/main.html").read_text(encoding="utf-8"),
        "county.yml": COUNTY_YML,
        "catalog/domains.yml": DOMAINS_YML,
        "catalog/snbt.yml": CATALOG_YML,
        "catalog/shjz.yml": SHJZ_YML,
        "content/documents/2026/dbns.md": NOTICE,
        "content/documents/2026/gdlb.md": document(
            "测试县2026年耕地地力保护补贴实施方案", "11341700MB1714830K/202603-00001", extra="目录事项: 耕地地力保护\n"
        ),
        "content/documents/2026/gdlb-jd.md": document(
            "《测试县2026年耕地地力保护补贴实施方案》政策解读",
            "11341700MB1714830K/202603-00002",
            "2026-03-06",
            kind="政策解读",
            extra="解读对象: 11341700MB1714830K/202603-00001\n",
            body="一、城乡居民关心的补贴标准是每亩110元。",
        ),
        "content/xxgk/zhinan.md": "# 政府信息公开指南\n\n指南正文。\n",
        "content/xxgk/zhidu.md": "# 政府信息公开制度\n\n制度正文。\n",
        "content/guide/index.md": "# 使用指南\n\n指南。\n",
        "content/guide/privacy.md": "# 个人信息保护和内容安全\n\n说明。\n",
        "content/guide/hosting.md": "# 发布与托管\n\n托管。\n",
        "content/guide/villages.md": "# 村务公开和补贴公示\n\n说明。\n",
        "content/guide/migration.md": "# 从旧网站迁移\n\n说明。\n",
        "villages/chengguan/town.yml": TOWN_YML,
        "villages/chengguan/shangxi/village.yml": VILLAGE_YML,
        "villages/chengguan/shangxi/payouts/2026-gdlb.yml": PAYOUT_YML,
        "villages/chengguan/shangxi/payouts/2026-gdlb.csv": PAYOUT_CSV,
    }


DEMO_SOURCES = ("county.yml", "mkdocs.yml", "catalog", "content", "villages", "theme", "index-ledger.csv", "reports")


def copy_demo(root: Path) -> Path:
    """Copy the repository's demo county (its sources only) into ``root``."""
    import shutil

    for name in DEMO_SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        elif source.exists():
            shutil.copy2(source, root / name)
    return root


def write_county(root: Path, changes: dict[str, str | bytes | None] | None = None) -> Path:
    """Write the small county into ``root``, with ``changes`` applied (None deletes a file)."""
    files: dict[str, str | bytes | None] = {**county_files(), **(changes or {})}
    for name, content in files.items():
        path = root / name
        if content is None:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content) if content.startswith("\n") else content, encoding="utf-8")
    return root


def default_interrupt() -> None:
    """In a child process before it runs: Ctrl+C (SIGINT) as a terminal delivers it, even when this test run
    inherited it ignored (a run started in the background by a shell ignores SIGINT, and so would its children)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def site_digests(site: Path, every_entry: bool = False) -> dict[str, str]:
    """Every file of a built site, by its path: the SHA-256 of its bytes; with ``every_entry``, every folder too
    (as "/") and any other entry by its kind (a link, a FIFO: "not a regular file")."""
    import hashlib

    found = {}
    for path in site.rglob("*"):
        name = path.relative_to(site).as_posix()
        if path.is_symlink() or not (path.is_file() or path.is_dir()):
            if every_entry:
                found[name] = "not a regular file"
        elif path.is_file():
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif every_entry:
            found[name] = "/"
    return found


def cold_site(root: Path, name: str, today: Any) -> dict[str, str]:
    """``site_digests(..., every_entry=True)`` of the site a full build of a copy of the project gives (a copy: its
    caches and search state are its own, the project's next build finds only its own)."""
    import shutil

    from gongkai.commands.build import build

    copy = root.parent / f"cold-{name}"
    shutil.copytree(
        root, copy, ignore=lambda folder, names: [n for n in names if n.startswith((".site", "site", ".cache"))]
    )
    build(copy, copy / "site", today, clean=True)
    return site_digests(copy / "site", every_entry=True)


def staging_leftovers(root: Path) -> list[str]:
    """The staging directories beside the project's site/ (``.site.<suffix>``; not its old sites nor its spare,
    ``.site.<suffix>-old`` and ``-spare``: write._own)."""
    return sorted(
        p.name for p in root.iterdir() if p.name.startswith(".site.") and not p.name.endswith(("-old", "-spare"))
    )


def kept_spare(root: Path) -> Path:
    """The last old site a build kept beside the project's site/ (write.keep_spare): there is one."""
    [spare] = [p for p in root.iterdir() if p.name.startswith(".site.") and p.name.endswith("-spare")]
    return spare


def append_line(root: Path, name: str, text: str) -> None:
    """Append a line to a source file."""
    path = root / name
    path.write_text(path.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")


def kill_paused(root: Path, stage: str, today: str) -> None:
    """Run `gongkai build`, wait until it pauses at ``stage`` (paused_build), SIGKILL its process group."""
    import signal

    process = paused_build(root, stage, today)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    if process.stderr:
        process.stderr.close()


def paused_build(root: Path, stage: str, today: str) -> subprocess.Popen[str]:
    """`gongkai build` in its own process group, paused at ``stage`` (gongkai/faults.py) once it is there."""
    from gongkai import faults

    marker = root.parent / f"paused-{stage}-{time.monotonic_ns()}"
    env = {**os.environ, faults.STAGE: stage, faults.MARKER: str(marker)}
    command = [sys.executable, "-m", "gongkai", "build", str(root), "--today", today, "-q"]
    process = subprocess.Popen(
        command, env=env, start_new_session=True, stderr=subprocess.PIPE, text=True, preexec_fn=default_interrupt
    )
    deadline = time.monotonic() + 90
    while not marker.exists():
        if process.poll() is not None:
            raise AssertionError(f"the build ended before {stage}: {process.stderr.read() if process.stderr else ''}")
        assert time.monotonic() < deadline, f"the build never reached {stage}"
        time.sleep(0.05)
    return process


def watched_tab(browser: Any, **options: Any) -> Iterator[Any]:
    """A fresh Playwright tab in its own context (options: viewport …); fails if the page throws."""
    context = browser.new_context(**options)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == []


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def served(directory: Path, quiet: bool = False) -> Iterator[str]:
    """A real HTTP server on a free local port, serving ``directory`` as its path is at each request (a build
    swaps a new tree in at that path); ``quiet``: no line per request."""
    handler = functools.partial(
        _QuietHandler if quiet else http.server.SimpleHTTPRequestHandler, directory=str(directory)
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
