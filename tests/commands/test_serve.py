"""`gongkai serve`: a preview that says in Chinese what it does, shows edits, and shows errors in the page."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gongkai.cachefile import read_kept
from gongkai.guard import scan as scan_module
from gongkai.guard.site import SITE_CACHE
from gongkai.write import MARKER

from kit import default_interrupt

CJK = re.compile(r"[\u4e00-\u9fff]")
GATED = """
import pathlib, sys, time
from gongkai.commands import serve
from gongkai.commands.cli import entry
gate, index = pathlib.Path(sys.argv.pop(1)), serve.Preview.index
def gated(self, *args, **kwargs):
    while not gate.exists():
        time.sleep(0.1)
    index(self, *args, **kwargs)
serve.Preview.index = gated
entry()
"""
"""`gongkai serve` whose every search index waits until the file named by its first argument exists (a county's
first index takes minutes; the demo's two seconds)."""
STOPPABLE = """
import pathlib, sys, time
from gongkai.cancel import checkpoint
from gongkai.commands import serve
from gongkai.commands.cli import entry
gate, render, calls = pathlib.Path(sys.argv.pop(1)), serve.render_search, []
def slow(*args, **kwargs):
    calls.append(1)
    while len(calls) > 1 and not gate.exists():
        checkpoint()
        time.sleep(0.05)
    return render(*args, **kwargs)
serve.render_search = slow
entry()
"""
"""`gongkai serve` whose every search index but the first takes until the file named by its first argument exists,
stoppable all along (a county's takes ~10 s; the demo's a second)."""
PAGE = "/xxgk/zhinan/"


class Preview:
    """A running `gongkai serve` and the lines it printed; its temporary folder is ``root``'s sibling ``tmp``."""

    def __init__(self, root: Path, gate: Path | None = None, script: str = GATED) -> None:
        self.root = root
        self.tmp = root.parent / "tmp"
        self.tmp.mkdir(exist_ok=True)
        self.port = _free_port()
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [
                sys.executable,
                *(["-c", script, str(gate)] if gate else ["-m", "gongkai"]),
                "serve",
                str(root),
                "--today",
                "2026-11-26",
                "-a",
                f"127.0.0.1:{self.port}",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "TMPDIR": str(self.tmp)},
            preexec_fn=default_interrupt,  # Ctrl+C stops it, whatever this test run inherited
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def get(self, path: str) -> str:
        """The page at path; the request must never hang, whatever state the sources are in."""
        return urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=30).read().decode()

    def wait_for(self, path: str, text: str, seconds: float = 240) -> str:
        """The page at path, once it contains text (a readiness wait, generous for a loaded CI machine)."""
        deadline, page = time.monotonic() + seconds, ""
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail("serve exited:\n" + "\n".join(self.lines))
            try:
                page = self.get(path)
            except OSError:
                page = ""
            if text in page:
                return page
            time.sleep(0.3)
        pytest.fail(f"{path} never showed 「{text}」; serve said:\n" + "\n".join(self.lines) + "\n" + page[:2000])


@pytest.fixture
def preview(county_dir: Path) -> Iterator[Preview]:
    running = Preview(county_dir)
    try:
        running.wait_for(PAGE, "指南正文")
        _wait_line(running, "搜索索引已更新", seconds=240)  # made beside the server, once the pages are shown
        yield running
    finally:
        running.process.terminate()
        running.process.wait(timeout=60)  # a loaded CI machine


def test_serve_previews_the_site_and_says_where(preview):
    assert ">涉农补贴</h1>" in preview.get("/jcgk/snbt/")
    assert any(line.startswith(f"预览地址：http://127.0.0.1:{preview.port}/") for line in preview.lines)
    assert preview.get("/pagefind/pagefind-entry.json")  # the search index is there too
    said = [line.split("：")[0].split("（")[0] for line in preview.lines if "警告" not in line]
    assert (
        said.index("预览地址")
        < said.index("正在生成搜索索引，完成前预览中的搜索暂时不能用……")
        < said.index("搜索索引已更新")
    )


def test_an_edit_shows_and_the_output_names_the_file(preview):
    page = preview.root / "content/xxgk/zhinan.md"
    page.write_text("# 政府信息公开指南\n\n改过的指南正文。\n", encoding="utf-8")
    preview.wait_for(PAGE, "改过的指南正文")
    _wait_line(preview, "检测到修改：content/xxgk/zhinan.md，正在重新生成……")
    _wait_line(preview, "已更新：")


def test_a_source_error_shows_in_the_page_and_clears_when_fixed(preview):
    county = preview.root / "county.yml"
    good = county.read_text(encoding="utf-8")
    county.write_text(good + "网站名称: [\n", encoding="utf-8")
    page = preview.wait_for(PAGE, "源文件有误")
    assert "county.yml 第" in page and "livereload" in page  # located, and the page reloads itself
    assert "源文件有误" in preview.get("/villages/")  # every page, not only the one open
    county.write_text(good, encoding="utf-8")
    preview.wait_for(PAGE, "指南正文")
    assert "源文件有误" not in preview.get(PAGE)


def test_a_document_edit_says_which_page_was_built_again(preview):
    doc = preview.root / "content/documents/2026/gdlb.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n预览补充的一句。\n", encoding="utf-8")
    preview.wait_for("/documents/2026/gdlb/", "预览补充的一句")
    _wait_line(preview, "已更新：重新生成 /documents/2026/gdlb/，沿用未改动的 ")


def test_a_rebuild_keeps_the_old_preview_as_the_next_ones_folders(preview):
    """As `gongkai build` does: the old preview is emptied of all but its links of the files the new one holds at the
    same path and kept as the next rebuild's folders — removing it file by file was most of a rebuild at county scale;
    one search bundle stays. Once the pages are shown, the next rebuild's staging directory is made of it (its walk
    was 0.4–0.5 s of each edit at county scale)."""
    doc = preview.root / "content/documents/2026/gdlb.md"
    for number in range(2):
        after = len(preview.lines)
        doc.write_text(doc.read_text(encoding="utf-8") + f"\n第{number}次补充。\n", encoding="utf-8")
        preview.wait_for("/documents/2026/gdlb/", f"第{number}次补充")
        _wait_line(preview, "搜索索引已更新", seconds=240, after=after)
    folder = preview.root / ".cache/preview"
    assert not list(folder.glob(".site.*-spare"))
    (spare,) = folder.glob(".site.*")  # the next rebuild's staging directory, made already
    for kept in spare.rglob("*"):  # folders, and the links of the pages the preview holds at the same path (as build)
        if not kept.is_dir() and kept.name != MARKER:
            assert kept.stat().st_ino == (folder / "site" / kept.relative_to(spare)).stat().st_ino, kept
    assert not (folder / "site/pagefind").exists()  # the bundle is served from a folder of its own
    assert len(list((folder / "search/pagefind/gk").iterdir())) == 1
    assert "第1次补充" in preview.get("/documents/2026/gdlb/")


def test_the_pages_and_the_bundle_keep_guard_caches_of_their_own(preview):
    """Each guard cache keeps the entries of its last run only: the bundle's guard writing into the pages' cache
    left the next rebuild none of the pages' (at county scale every rebuild read 24 000 pages and 636 PDFs)."""
    _wait_line(preview, "搜索索引已更新")
    folder = preview.root / ".cache/preview"
    pages = sum(1 for p in (folder / "site").rglob("*") if p.is_file())
    caches = preview.root / ".cache/guard"
    stored = read_kept(caches / "preview" / SITE_CACHE, scan_module._MAGIC, scan_module._KEPT_VERSION)
    remembered = stored["identities"].split("\x00")
    assert len(remembered) >= pages  # the pages', not overwritten by the bundle's
    assert (caches / "search" / SITE_CACHE).is_file()


def test_a_number_planted_in_the_last_search_bundle_is_never_shown(preview):
    """The bundle is served only while each file is as the last index published it: a number written into one in
    place, its size and time kept, is never served (the next index writes the file anew), nor a file added."""
    folder = preview.root / ".cache/preview"
    runtime = folder / "search/pagefind/pagefind.js"
    data, before = bytearray(runtime.read_bytes()), runtime.stat()
    data[200:217] = b"//tel 13812345678"
    with runtime.open("r+b") as file:
        file.write(data)
    os.utime(runtime, ns=(before.st_atime_ns, before.st_mtime_ns))
    (folder / "search/pagefind/planted.js").write_text("//tel 13812345678", encoding="utf-8")
    with pytest.raises(urllib.error.HTTPError):
        preview.get("/pagefind/pagefind.js")
    with pytest.raises(urllib.error.HTTPError):
        preview.get("/pagefind/planted.js")
    after = len(preview.lines)
    doc = preview.root / "content/documents/2026/gdlb.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n种下号码后的补充。\n", encoding="utf-8")
    _wait_line(preview, "已更新：", seconds=240, after=after)  # until then the planted preview is the one served
    deadline = time.monotonic() + 240
    while not any(line.startswith("搜索索引") for line in preview.lines[after:]):
        assert time.monotonic() < deadline, "\n".join(preview.lines)
        with contextlib.suppress(OSError):  # between the swaps, or not there until the new index is
            assert "13812345678" not in preview.get("/pagefind/pagefind.js")
        time.sleep(0.1)
    assert "种下号码后的补充" in preview.get("/documents/2026/gdlb/")
    assert "13812345678" not in preview.get("/pagefind/pagefind.js")
    _wait_line(preview, "搜索索引已更新", after=after)


def test_saves_by_rename_and_folders_moved_in_are_seen_and_reads_are_not(preview):
    """Editors save by writing a copy and renaming it over the file; a clerk moves a folder of documents in;
    the build itself reads every source, which is no change (else the preview would rebuild for ever)."""
    county = preview.root / "county.yml"
    copy = preview.root / "county.yml.tmp~"
    copy.write_text(county.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    os.replace(copy, county)
    _wait_line(preview, "检测到修改：county.yml")
    _wait_line(preview, "已更新：")
    before = len(preview.lines)
    county.read_bytes()
    time.sleep(3)
    assert not any(line.startswith("检测到修改") for line in preview.lines[before:]), preview.lines[before:]
    outside = preview.root.parent / "incoming"
    (outside / "2027").mkdir(parents=True)
    source = preview.root / "content/documents/2026/gdlb.md"
    (outside / "2027/gdlb.md").write_bytes(source.read_bytes())
    source.unlink()
    os.replace(outside / "2027", preview.root / "content/documents/2027")
    _wait_line(preview, "检测到修改：content/documents/2026/gdlb.md、content/documents/2027/gdlb.md")
    after = len(preview.lines)
    _wait_line(preview, "预览暂停", after=after, also="已更新：")  # stopped only once this rebuild is over


def test_the_error_page_lists_the_errors_and_counts_the_warnings():
    from gongkai.commands.serve import errors_first
    from gongkai.errors import Problem, SourceErrors

    error = SourceErrors(
        [
            Problem("a.md", 3, "有效性", "已于 2026-04-08 到期", "请核实", warning=True),
            Problem("b.md", 2, "标题", "YAML 格式错误：方括号「[」没有配对的「]」", "在这个值的末尾补上「]」"),
            Problem("c.md", 9, "组配分类", "没有政策解读", "请发布解读", warning=True),
        ]
    )
    assert errors_first(error).splitlines() == [
        "b.md 第 2 行，字段「标题」：YAML 格式错误：方括号「[」没有配对的「]」。在这个值的末尾补上「]」。",
        "共 1 处错误，另有 2 条警告（运行 gongkai check 查看）。改正以上问题并保存后，预览会自动更新。",
    ]


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_stopped_preview_keeps_its_folder_for_the_next_one(preview, stop):
    # SIGTERM and SIGHUP (a closed terminal) used to end it without cleaning up: it stops as Ctrl+C does
    _wait_line(preview, "搜索索引已更新")
    folder, manifests = preview.root / ".cache/preview", preview.root / ".cache/site"
    named = "[0-9a-f]" * 24 + ".bin"  # write/reuse.py's manifest_path
    assert list(manifests.glob(named))
    preview.process.send_signal(stop)
    try:
        assert preview.process.wait(timeout=90) == 0  # stopped as asked
    except subprocess.TimeoutExpired:
        pytest.fail("serve did not stop; it said:\n" + "\n".join(preview.lines))
    _wait_line(preview, "预览已停止。")
    assert (folder / "site/xxgk/zhinan/index.html").is_file() and (folder / "search/pagefind").is_dir()
    # the staging directory made for the next rebuild is the old pages again (removed as a leftover when it starts)
    assert [p.name.endswith("-spare") for p in folder.glob(".site.*")] == [True]
    assert list(manifests.glob(named))  # the record of the kept pages, for the next preview to link them
    assert not list(preview.tmp.glob("gongkai-preview-*"))


def test_a_second_preview_starts_from_the_kept_folder_and_one_beside_it_uses_its_own(county_dir):
    """The next preview links the kept pages instead of building them all again; one started while another runs
    works in a temporary folder, which it removes when stopped."""
    first = Preview(county_dir)
    try:
        first.wait_for(PAGE, "指南正文")
        _wait_line(first, "搜索索引已更新", seconds=240)
        beside = Preview(county_dir)
        try:
            beside.wait_for(PAGE, "指南正文")
            assert len(list(beside.tmp.glob("gongkai-preview-*"))) == 1
        finally:
            beside.process.terminate()
            assert beside.process.wait(timeout=90) == 0
        assert not list(beside.tmp.glob("gongkai-preview-*"))
    finally:
        first.process.terminate()
        first.process.wait(timeout=90)
    again = Preview(county_dir)
    try:
        again.wait_for(PAGE, "指南正文")
        _wait_line(again, "已更新：")
        # (the hand-written pages in the navigation are built once a process: their titles, plugin._HAND_META)
        assert _linked(first) == 0 and _linked(again) > 50, again.lines
        _wait_line(again, "搜索索引已更新", seconds=240)
    finally:
        again.process.terminate()
        again.process.wait(timeout=90)


def test_an_edit_during_the_first_index_is_said_and_shown_once_the_index_is_made(county_dir):
    """The first index runs beside the server, and the rebuild an edit asks for waits for it (Preview.lock): a
    county's first index takes minutes, during which the edit went unmentioned — the clerk saw nothing happen."""
    gate = county_dir.parent / "gate"
    running = Preview(county_dir, gate)
    try:
        running.wait_for(PAGE, "指南正文")
        _wait_line(running, "正在生成搜索索引")
        (county_dir / "content/xxgk/zhinan.md").write_text("# 政府信息公开指南\n\n索引时改的正文。\n", encoding="utf-8")
        _wait_line(running, "检测到修改，搜索索引生成完毕后开始重新生成……")
        start = time.monotonic()  # MkDocs held every page request until the rebuild: for the whole index
        assert "索引时改的正文" not in running.get(PAGE)  # (the pages are not swapped under the index)
        assert time.monotonic() - start < 10
        gate.touch()
        running.wait_for(PAGE, "索引时改的正文")
        said = [line.split("：")[0] for line in running.lines]
        waited = said.index("检测到修改，搜索索引生成完毕后开始重新生成……")
        assert said.index("检测到修改") > waited and any(s.startswith("搜索索引已更新") for s in said[waited:])
    finally:
        running.process.terminate()
        running.process.wait(timeout=90)


def test_an_index_ended_by_the_stop_says_nothing_after_it(county_dir, monkeypatch):
    """Stopped while its first index runs, a preview waits 5 s for it, then removes a temporary folder under it: the
    index's error then, 「搜索索引未更新：[Errno 2] No such file or directory: …」, was printed after 「预览已停止。」."""
    import datetime as dt
    from types import SimpleNamespace

    from gongkai.commands import serve as serve_module

    said: list[str] = []
    out, search = county_dir.parent / "p/site", county_dir.parent / "p/search"
    for folder in (out, search):
        folder.mkdir(parents=True)
    preview = serve_module.Preview(county_dir, dt.date(2026, 11, 26), out, said.append, search)
    preview._county = SimpleNamespace(config=SimpleNamespace(abbreviations={}))  # type: ignore[assignment]

    def gone(*args: object, **kwargs: object) -> None:
        raise FileNotFoundError(2, "No such file or directory", str(search))

    monkeypatch.setattr(serve_module, "render_search", gone)
    preview.index()
    assert [line.split("：")[0] for line in said] == ["搜索索引未更新"]  # while it serves: said
    said.clear()
    preview.stopped = True
    preview.index()
    assert said == []


def test_everything_it_prints_is_chinese(preview):
    (preview.root / "county.yml").write_text("县名: [\n", encoding="utf-8")
    preview.wait_for(PAGE, "源文件有误")
    lines = [line for line in preview.lines if line.strip()]
    english = [line for line in lines if not CJK.search(line) or re.search(r"INFO|WARNING|Error|Serving|Abort", line)]
    assert not english, english


def test_mkdocs_own_commands_are_refused(county_dir):
    for command in ("build", "serve"):
        run = subprocess.run(
            [sys.executable, "-m", "mkdocs", command, "-f", str(county_dir / "mkdocs.yml")],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=county_dir,
        )
        assert run.returncode != 0
        assert "请用「gongkai build」生成网站、用「gongkai serve」预览" in run.stderr
        assert not (county_dir / "site").exists()


def _linked(preview: Preview) -> int:
    """The pages and files the first preview of ``preview`` linked from the last one (its 「已更新」 line)."""
    (line,) = [line for line in preview.lines if line.startswith("已更新：")]
    found = re.search(r"沿用未改动的 (\d+) 个", line)
    assert found, line
    return int(found[1])


def _wait_line(preview: Preview, start: str, seconds: float = 60, after: int = 0, also: str | None = None) -> None:
    """Until serve prints a line starting with ``start`` (or ``also``), among its lines from ``after`` on."""
    deadline = time.monotonic() + seconds
    starts = (start, also) if also else (start,)
    while time.monotonic() < deadline:
        if any(line.startswith(starts) for line in preview.lines[after:]):
            return
        time.sleep(0.2)
    pytest.fail(f"serve never printed 「{start}…」:\n" + "\n".join(preview.lines))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_bundle_route_serves_only_the_published_files_and_never_waits(tmp_path):
    """`<mount>pagefind/…` is served from the search folder, only files as the last index published them: a FIFO or
    a link put in a published file's place is a 404 at once (opening the FIFO blocked the request for ever)."""
    from gongkai.commands.serve import Preview, PreviewServer, _as_found
    from gongkai.render.search.output import stat_of

    bundle = tmp_path / "search/pagefind"
    bundle.mkdir(parents=True)
    for name in ("pagefind.js", "fifo.js", "link.js"):
        (bundle / name).write_text("//ok", encoding="utf-8")
    server = PreviewServer.__new__(PreviewServer)  # no socket: the route alone
    server.mount_path = "/xxgk/"
    server.preview = preview = Preview.__new__(Preview)
    preview.search = tmp_path / "search"
    preview.bundle = {f"pagefind/{p.name}": _as_found(p.lstat()) for p in bundle.iterdir()}
    (bundle / "fifo.js").unlink()
    os.mkfifo(bundle / "fifo.js")
    (bundle / "link.js").unlink()
    (bundle / "link.js").symlink_to(bundle / "pagefind.js")
    statuses: list[str] = []

    def fetch(path: str) -> bytes | None:
        relative = server._bundle_file(path)
        if relative is None:
            return None
        sent = server._send(relative, lambda status, headers: statuses.append(status))
        return None if sent is None else b"".join(sent)

    done: list[bytes | None] = []
    reader = threading.Thread(target=lambda: done.append(fetch("/xxgk/pagefind/fifo.js")), daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert done == [None], "a FIFO in the bundle blocked the request"
    assert fetch("/xxgk/pagefind/link.js") is None
    assert fetch("/xxgk/pagefind/pagefind.js") == b"//ok"
    assert fetch("/xxgk/pagefind/../pagefind/pagefind.js") == b"//ok"  # normalised, still in the bundle
    for outside in ("/xxgk/pagefind/", "/xxgk/pagefind", "/pagefind/pagefind.js", "/xxgk/pagefind/../../etc/passwd"):
        assert server._bundle_file(outside) is None, outside
    time.sleep(0.01)
    os.link(bundle / "pagefind.js", tmp_path / "next.js")  # the next index links it: its change time moves
    assert fetch("/xxgk/pagefind/pagefind.js") is None
    preview._linked("pagefind.js", stat_of(bundle / "pagefind.js"))  # as build_index tells it
    assert fetch("/xxgk/pagefind/pagefind.js") == b"//ok"
    preview._linked("fifo.js", stat_of(tmp_path / "next.js"))  # another file: not taken for it
    assert fetch("/xxgk/pagefind/fifo.js") is None


def test_a_link_or_fifo_in_the_preview_folder_is_a_404_not_followed_nor_waited_on(tmp_path):
    """MkDocs serves the pages' folder itself: it followed a link put there (any file of the machine was served) and
    waited for ever on a FIFO (404.html as one hung every 404)."""
    from gongkai.commands.serve import PreviewServer, _not_found

    site = tmp_path / "site"
    (site / "xxgk").mkdir(parents=True)
    (site / "xxgk/index.html").write_text("<p>ok</p>", encoding="utf-8")
    (site / "passwd.txt").symlink_to("/etc/passwd")
    (site / "folder").symlink_to(site / "xxgk")
    os.mkfifo(site / "fifo.html")
    (site / "fifodir").mkdir()
    os.mkfifo(site / "fifodir/index.html")
    server = PreviewServer.__new__(PreviewServer)  # no socket: the check alone
    server.root, server.mount_path = str(site), "/"
    for refused in ("/passwd.txt", "/fifo.html", "/fifodir/", "/folder/index.html", "/folder/", "/x/../passwd.txt"):
        assert server._not_plain(refused), refused
    for left in ("/xxgk/", "/xxgk/index.html", "/xxgk", "/missing/", "/fifodir", "/livereload/1/2"):
        assert not server._not_plain(left), left
    server.mount_path = "/xxgk/"
    assert server._not_plain("/xxgk/../passwd.txt") and not server._not_plain("/passwd.txt")  # MkDocs: not its own
    done: list[bytes | None] = []
    os.mkfifo(site / "404.html")
    reader = threading.Thread(target=lambda: done.append(_not_found(site)), daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert done == [None]


def test_under_a_sub_path_the_pages_named_are_where_the_preview_serves_them(county_dir):
    """site_url with a path: the preview is served under it (the search bundle too), and the pages it says it built
    again are named there (「/documents/…」 was a 404 under the address it printed)."""
    config = county_dir / "mkdocs.yml"
    config.write_text("site_url: https://example.gov.cn/gk/\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    running = Preview(county_dir)
    try:
        running.wait_for("/gk" + PAGE, "指南正文")
        _wait_line(running, f"预览地址：http://127.0.0.1:{running.port}/gk/")
        _wait_line(running, "搜索索引已更新")
        assert running.get("/gk/pagefind/pagefind-entry.json")
        after = len(running.lines)
        doc = county_dir / "content/documents/2026/gdlb.md"
        doc.write_text(doc.read_text(encoding="utf-8") + "\n子路径下的补充。\n", encoding="utf-8")
        running.wait_for("/gk/documents/2026/gdlb/", "子路径下的补充")
        _wait_line(running, "已更新：重新生成 /gk/documents/2026/gdlb/，", after=after)
    finally:
        running.process.terminate()
        running.process.wait(timeout=60)


def _fresh_preview(county_dir: Path, folder: Path) -> dict[str, str]:
    """The files of a first preview of ``county_dir`` made in ``folder``, by path: their digests."""
    from kit import site_digests

    return site_digests(_first_preview(county_dir, folder).out)


def _first_preview(county_dir: Path, folder: Path) -> Any:
    """The builder of a preview of ``county_dir`` in ``folder`` (``site/``, ``search/``), its first preview made."""
    import datetime as dt

    from gongkai.commands.serve import Preview as Builder

    out, search = folder / "site", folder / "search"
    out.mkdir(parents=True)
    search.mkdir()
    builder = Builder(county_dir, dt.date(2026, 11, 26), out, lambda _: None, search)
    builder.rebuild()
    assert builder.failure is None, builder.failure
    return builder


def test_a_rebuild_gives_the_pages_a_fresh_preview_gives(county_dir, tmp_path, monkeypatch):
    """A rebuild links what it can (the hand-written pages too, their titles remembered for the navigation of the
    pages built again): after each edit, the preview's pages are byte for byte those of a fresh preview."""
    import datetime as dt

    from gongkai import faults
    from gongkai.commands.serve import Preview as Builder

    from kit import site_digests

    def fresh(name: str) -> dict[str, str]:
        return _fresh_preview(county_dir, tmp_path / name)

    out, search = tmp_path / "kept/site", tmp_path / "kept/search"
    out.mkdir(parents=True)
    search.mkdir()
    kept = Builder(county_dir, dt.date(2026, 11, 26), out, lambda _: None, search)
    monkeypatch.setenv(faults.SPLIT_MINIMUM, "2")  # the first preview on two processes, as serve starts it
    kept.split = True
    kept.rebuild()
    kept.split = False
    doc = county_dir / "content/documents/2026/gdlb.md"
    edits = [
        lambda t: t + "\n预览补充的一句。\n",
        lambda t: t.replace("耕地地力保护补贴实施方案", "耕地地力补贴方案", 1),
    ]
    guide = (out / "guide/index.html").stat().st_ino
    changed = [(out / "guide/index.html").stat().st_ctime_ns]  # the first preview kept a link of it for the next
    for number, edit in enumerate(edits):
        doc.write_text(edit(doc.read_text(encoding="utf-8")), encoding="utf-8")
        kept.rebuild()
        assert kept.failure is None, kept.failure
        assert site_digests(out) == fresh(f"fresh-{number}")
        assert (out / "guide/index.html").stat().st_ino == guide  # linked, not built again
        changed.append((out / "guide/index.html").stat().st_ctime_ns)
    # each time found in place (the last pages' link kept, the first preview's too: _skeleton), neither unlinked nor
    # linked
    assert changed[0] == changed[1] == changed[2]


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (
            "测试县人民政府办公室",
            "测试县政府办公室",
            "第 5 行，字段「发布机构」",
        ),  # found by the checks, in their child
        ("成文日期: 2026-03-01", "成文日期: 2026-13-45", "第 6 行，字段「成文日期」"),  # the file does not load
    ],
    ids=["check error", "load error"],
)
def test_a_source_error_leaves_the_preview_as_it_was_and_the_fix_links_its_pages(county_dir, tmp_path, old, new, said):
    """The checks run in a child while the pages are planned, and are waited for before anything is linked or
    written: their error, or a file's that did not load, stops the rebuild with no file of the preview linked or
    unlinked (its change time kept) and its old pages given back as the next rebuild's folders (the staging directory
    the last rebuild made of them), still known as listed; the fix links the pages again (none built but the
    document's) and they are a fresh preview's."""
    from kit import site_digests

    kept = _first_preview(county_dir, tmp_path / "kept")
    out = kept.out
    doc = county_dir / "content/documents/2026/gdlb.md"
    good = doc.read_text(encoding="utf-8")
    doc.write_text(good + "\n第一次补充。\n", encoding="utf-8")
    kept.rebuild()  # (now the old preview is kept beside, holding its links of the pages)

    def state() -> dict[str, tuple[int, int]]:
        """Each file of the pages and of the old pages kept beside them (whatever its folder's name): its identity."""
        found = {}
        for folder in (out, *beside()):
            for path in folder.rglob("*"):
                if path.is_file() and path.name != MARKER:
                    name = f"{folder == out}:{path.relative_to(folder).as_posix()}"
                    found[name] = (path.stat().st_ino, path.stat().st_ctime_ns)
        return found

    def beside() -> list[Path]:
        """The old pages kept beside the preview: the next rebuild's staging directory made of them, or the spare."""
        return sorted((tmp_path / "kept").glob(".site*.*"))

    before, spares = state(), beside()
    assert old in good
    doc.write_text(good.replace(old, new), encoding="utf-8")
    kept.rebuild()
    assert kept.failure is not None and f"content/documents/2026/gdlb.md {said}" in kept.failure
    assert state() == before  # nothing linked, unlinked or written, in the pages or beside them
    assert kept._listing is not None  # the next rebuild walks none of them
    # one folder of old pages beside: the staging directory made for the next rebuild (a file that did not load),
    # or given back as the spare (a check error: the data files were offered to reuse from it meanwhile)
    assert [p.name[:6] for p in spares] == [".site."] and len(beside()) == 1
    said: list[str] = []
    kept.say = said.append
    doc.write_text(good + "\n改正后的补充。\n", encoding="utf-8")
    kept.rebuild()
    assert kept.failure is None, kept.failure
    assert said[-1].startswith("已更新：重新生成 /documents/2026/gdlb/，沿用未改动的 "), said
    assert site_digests(out) == _fresh_preview(county_dir, tmp_path / "fresh")


def test_after_a_check_error_no_rebuild_writes_into_the_shown_preview(county_dir, tmp_path, monkeypatch):
    """The data files are offered to reuse in on_files, before the checks are waited for: their links are made in
    the staging directory and its list of the files it holds changes. After a check error that directory goes back
    whole and is listed again; kept as it was, with its stale list, the next rebuild wrote a changed data file
    through its link into the shown preview, before any guard (a review found it)."""
    from gongkai.commands import serve
    from gongkai.errors import BuildFailed

    kept = _first_preview(county_dir, tmp_path / "kept")
    out = kept.out
    doc = county_dir / "content/documents/2026/gdlb.md"
    good = doc.read_text(encoding="utf-8")
    doc.write_text(good + "\n第一次补充。\n", encoding="utf-8")
    kept.rebuild()  # (the next rebuild's staging directory made of the old pages)
    assert kept.failure is None, kept.failure

    def shown() -> dict[str, tuple[bytes, int]]:  # (not the change times: a link made of a file moves its own)
        return {p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_ino) for p in out.rglob("*") if p.is_file()}

    before = shown()
    doc.write_text(good.replace("测试县人民政府办公室", "测试县政府办公室"), encoding="utf-8")
    kept.rebuild()
    assert kept.failure is not None and "字段「发布机构」" in kept.failure
    catalog = county_dir / "catalog/shjz.yml"
    catalog.write_text(
        catalog.read_text(encoding="utf-8").replace("初审对象名单", "初审对象名单及金额"), encoding="utf-8"
    )
    doc.write_text(good + "\n改正后的补充。\n", encoding="utf-8")

    def refused(*args: object, **kwargs: object) -> object:
        raise BuildFailed("测试：守卫拒绝发布")

    monkeypatch.setattr(serve, "guard_site", refused)
    kept.rebuild()
    assert kept.failure is not None and "守卫拒绝发布" in kept.failure
    assert shown() == before  # nothing of the shown preview written
    monkeypatch.undo()
    kept.rebuild()
    assert kept.failure is None, kept.failure
    assert "初审对象名单及金额" in (out / "data/catalog.csv").read_text(encoding="utf-8-sig")


def test_the_next_staging_directory_is_only_a_gain_and_goes_back_when_the_preview_stops(
    county_dir, tmp_path, monkeypatch
):
    """A rebuild makes the next one's staging directory once its pages are shown: when it cannot be made (a full
    disk), the rebuild is still good and the next makes its own; when the preview stops, even while a first index
    holds the lock, it is the kept old pages again (the next preview's folders; else removed as a leftover)."""
    from gongkai.commands import serve

    kept = _first_preview(county_dir, tmp_path / "kept")
    folder = tmp_path / "kept"
    assert kept._staging is not None and [p.name[:6] for p in folder.glob(".site*.*")] == [".site."]
    doc = county_dir / "content/documents/2026/gdlb.md"
    good = doc.read_text(encoding="utf-8")

    def full(*args: object, **kwargs: object) -> object:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(serve, "recycled_staging", full)
    doc.write_text(good + "\n第一次补充。\n", encoding="utf-8")
    kept.rebuild()
    assert kept.failure is None, kept.failure
    assert kept._staging is None and "第一次补充" in (kept.out / "documents/2026/gdlb/index.html").read_text("utf-8")
    monkeypatch.undo()
    doc.write_text(good + "\n第二次补充。\n", encoding="utf-8")
    kept.rebuild()
    assert kept.failure is None and kept._staging is not None
    with kept.lock:  # (a first index under way)
        kept.stopped = True
        kept.close()
    assert kept._staging is None and [p.name.endswith("-spare") for p in folder.glob(".site*.*")] == [True]
    kept._make_staging(kept._listing)  # (a rebuild that ends after the stop: its staging directory given back too)
    assert kept._staging is None and [p.name.endswith("-spare") for p in folder.glob(".site*.*")] == [True]


def test_a_checks_child_stuck_under_the_servers_threads_is_ended_and_the_checks_run_here(
    county_dir, tmp_path, monkeypatch
):
    """The checks' child is forked under the server's threads: were it stuck on a lock one of them held at the
    fork, the preview waited for good. Past ``CHECKS_PATIENCE`` it is ended and the checks run in the preview's
    process, their errors told as ever."""
    from gongkai.commands import build, serve

    kept = _first_preview(county_dir, tmp_path / "kept")
    parent, real = os.getpid(), build.check_all
    ran: list[int] = []  # (what a child appends stays in the child)

    def stuck(*args: object, **kwargs: object) -> object:
        if os.getpid() != parent:
            time.sleep(600)
        ran.append(os.getpid())
        return real(*args, **kwargs)

    monkeypatch.setattr(build, "check_all", stuck)
    monkeypatch.setattr(serve, "CHECKS_PATIENCE", 0.5)
    doc = county_dir / "content/documents/2026/gdlb.md"
    good = doc.read_text(encoding="utf-8")
    doc.write_text(good + "\n补充的一句。\n", encoding="utf-8")
    kept.rebuild()
    assert kept.failure is None, kept.failure
    assert "补充的一句" in (kept.out / "documents/2026/gdlb/index.html").read_text(encoding="utf-8")
    doc.write_text(good.replace("测试县人民政府办公室", "测试县政府办公室"), encoding="utf-8")
    kept.rebuild()
    assert kept.failure is not None and "字段「发布机构」" in kept.failure
    assert ran == [parent, parent]  # each time in the preview's process, its child ended


def test_a_planning_fault_under_a_check_error_says_the_check_error(county_dir, tmp_path, monkeypatch):
    """When planning fails before the checks are waited for, their errors are what the clerk is told (the fault may
    only echo them), and the preview is left as it was."""
    from gongkai.render.site import plugin

    kept = _first_preview(county_dir, tmp_path / "kept")
    doc = county_dir / "content/documents/2026/gdlb.md"
    doc.write_text(
        doc.read_text(encoding="utf-8").replace("测试县人民政府办公室", "测试县政府办公室"), encoding="utf-8"
    )

    def broken(*args: object, **kwargs: object) -> object:
        raise KeyError("测试县政府办公室")

    monkeypatch.setattr(plugin, "plan_site", broken)
    kept.rebuild()
    assert kept.failure is not None and "字段「发布机构」" in kept.failure and "内部错误" not in kept.failure
    assert kept._listing is not None  # the pages neither linked nor unlinked: the next rebuild walks none of them


def test_the_pages_are_shown_once_swapped_in_and_an_error_after_them_is_shown_anew(county_dir, tmp_path, monkeypatch):
    """A rebuild lets the browsers load its pages as soon as they are published, before the old ones are emptied and
    the manifest saved (0.5–0.7 s of an edit at county scale); if that bookkeeping fails, the error replaces the pages
    it showed: a newer epoch, so that the browsers that loaded them reload to it."""
    import threading

    from gongkai.commands.serve import PreviewServer
    from gongkai.write.reuse import Reuse

    kept = _first_preview(county_dir, tmp_path / "kept")
    page = kept.out / "documents/2026/gdlb/index.html"
    seen: list[tuple[bool, bool]] = []
    kept.show = lambda: seen.append(("预览补充的一句" in page.read_text(encoding="utf-8"), kept.failure is None))
    doc = county_dir / "content/documents/2026/gdlb.md"
    good = doc.read_text(encoding="utf-8")
    doc.write_text(good + "\n预览补充的一句。\n", encoding="utf-8")
    kept.rebuild()
    assert seen == [(True, True)] and kept.failure is None and kept.shown is not None

    server = PreviewServer.__new__(PreviewServer)  # no socket: the epochs alone
    server.preview, server._epoch_cond = kept, threading.Condition()
    server._visible_epoch = server._wanted_epoch = 5
    server.show_rebuilt()
    assert server._visible_epoch == server._wanted_epoch == 5  # shown already: no second reload

    def full(self: Reuse, *args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Reuse, "save", full)
    doc.write_text(good + "\n又补充的一句。\n", encoding="utf-8")
    kept.rebuild()
    assert len(seen) == 2 and kept.shown is not None and kept.failure is not None and "No space" in kept.failure
    server.show_rebuilt()
    assert server._visible_epoch == server._wanted_epoch > 5  # the browsers reload to the error page
    monkeypatch.undo()
    doc.write_text(good, encoding="utf-8")
    kept.rebuild()
    assert kept.failure is None, kept.failure


def test_a_preview_leaves_the_caches_of_the_build_as_they_were(county_dir, tmp_path):
    """The guard's and the search index's caches keep the entries of their last run only, and the preview's pages are
    not the site's (the 使用指南 is in every page's navigation): sharing them, a preview left the next `gongkai build`
    to read every page again for its guard and to write its search bundle anew. The preview keeps caches of its own."""
    import datetime as dt

    from gongkai.commands.build import build
    from gongkai.commands.serve import Preview as Builder

    today = dt.date(2026, 11, 26)
    build(county_dir, county_dir / "site", today)
    caches = county_dir / ".cache"

    def state() -> dict[str, tuple[int, int, int]]:
        files = [caches / "guard/site.bin", caches / "guard/active.json", *(caches / "search").rglob("*")]
        return {os.fspath(p): (p.stat().st_ino, p.stat().st_mtime_ns, p.stat().st_size) for p in files if p.is_file()}

    before = state()
    assert (caches / "guard/site.bin").is_file() and any("/bundle/" in path for path in before)
    out, search = tmp_path / "preview/site", tmp_path / "preview/search"
    out.mkdir(parents=True)
    search.mkdir()
    preview = Builder(county_dir, today, out, lambda _: None, search)
    doc = county_dir / "content/documents/2026/gdlb.md"
    for number in range(2):
        preview.rebuild()
        preview.index()
        assert preview.failure is None, preview.failure
        doc.write_text(doc.read_text(encoding="utf-8") + f"\n预览第{number}次补充。\n", encoding="utf-8")
    assert state() == before
    assert (caches / "guard/preview/site.bin").is_file()
    assert list((caches / "preview/search-cache/bundle").rglob("*"))


def test_a_rebuild_links_the_sheets_it_published_last_and_copies_the_others(county_dir, tmp_path):
    """The sheets of the last preview, unwritten since, are linked again (copying a county's 636 took 1.5 s of each
    rebuild), never the sheet cache's files (a link of one moves the published site's sheet, the same file); a sheet
    whose inputs changed, or one written in place since it was shown, is copied from the cache."""
    import datetime as dt

    from gongkai.commands.serve import Preview as Builder
    from gongkai.commands.stages import CACHE_DIR as SHEET_CACHE

    from kit import site_digests

    def fresh(name: str) -> dict[str, str]:
        return _fresh_preview(county_dir, tmp_path / name)

    def sheets() -> dict[str, int]:
        return {path.relative_to(out).as_posix(): path.stat().st_ino for path in sorted(out.glob("villages/**/*.pdf"))}

    out, search = tmp_path / "kept/site", tmp_path / "kept/search"
    out.mkdir(parents=True)
    search.mkdir()
    kept = Builder(county_dir, dt.date(2026, 11, 26), out, lambda _: None, search)
    kept.rebuild()
    first = sheets()
    assert len(first) >= 2
    cached = {p: p.stat().st_ctime_ns for p in (county_dir / SHEET_CACHE).rglob("*.pdf")}
    doc = county_dir / "content/documents/2026/gdlb.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n预览补充的一句。\n", encoding="utf-8")
    kept.rebuild()
    assert kept.failure is None, kept.failure
    assert sheets() == first  # the very files, linked again
    assert site_digests(out) == fresh("fresh-0")
    assert {p: p.stat().st_ctime_ns for p in cached} == cached  # no cached sheet was linked

    table = county_dir / "villages/chengguan/shangxi/payouts/2026-gdlb.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("王秀兰", "王秀英"), encoding="utf-8")
    kept.rebuild()
    assert kept.failure is None, kept.failure
    now = sheets()
    assert now != first and set(now) == set(first)  # the village's sheets are new files
    assert site_digests(out) == fresh("fresh-1")

    name, inode = next(iter(now.items()))
    shown = out / name
    before = shown.stat()
    data = bytearray(shown.read_bytes())
    data[-20] ^= 1  # written in place, its size and time set back
    shown.write_bytes(bytes(data))
    os.utime(shown, ns=(before.st_atime_ns, before.st_mtime_ns))
    kept.rebuild()
    assert kept.failure is None, kept.failure
    assert sheets()[name] != inode  # copied from the cache again
    assert site_digests(out) == fresh("fresh-2")


def test_a_sheet_written_after_it_was_linked_is_read_by_the_guard(county_dir, tmp_path, monkeypatch):
    """A sheet linked from the last preview is vouched for to the guard only as the link left it: one written in place
    meanwhile (its size and time kept: a leak put there while the sheets and pages were made) is read, and its rebuild
    fails; the next rebuild copies it from the cache again."""
    import datetime as dt

    from guard.files import pdf_with_metadata

    from gongkai.commands import serve
    from gongkai.commands.serve import Preview as Builder

    from kit import site_digests

    out, search = tmp_path / "kept/site", tmp_path / "kept/search"
    out.mkdir(parents=True)
    search.mkdir()
    kept = Builder(county_dir, dt.date(2026, 11, 26), out, lambda _: None, search)
    kept.rebuild()
    shown = sorted(out.glob("villages/**/*.pdf"))[0]
    name = shown.relative_to(out).as_posix()
    real = serve.guard_site

    def tampered(staging: Path, *args: object, **kwargs: object) -> object:
        assert (staging / name).stat().st_ino == shown.stat().st_ino  # linked, not copied
        before = shown.stat()
        leak = pdf_with_metadata("110101199003078515")
        shown.write_bytes(leak + b" " * (before.st_size - len(leak)))  # in place, the size kept
        os.utime(shown, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the time set back
        return real(staging, *args, **kwargs)

    monkeypatch.setattr(serve, "guard_site", tampered)
    doc = county_dir / "content/documents/2026/gdlb.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n预览补充的一句。\n", encoding="utf-8")
    kept.rebuild()
    assert kept.failure is not None and name in kept.failure, kept.failure
    monkeypatch.setattr(serve, "guard_site", real)
    kept.rebuild()
    assert kept.failure is None, kept.failure
    assert site_digests(out) == _fresh_preview(county_dir, tmp_path / "fresh")


class _SetAfter(threading.Event):
    """An event that reads as set from its ``calls``-th look on: the index it stops stops at that checkpoint."""

    def __init__(self, calls: int) -> None:
        super().__init__()
        self.left = calls

    def is_set(self) -> bool:
        self.left -= 1
        return self.left < 0


def _servable(builder: object) -> list[str]:
    """The files of the builder's published bundle the preview would not serve (a 404 to the search page)."""
    from gongkai.commands.serve import _as_found

    bundle: dict[str, tuple[int, ...]] = builder.bundle  # type: ignore[attr-defined]
    search: Path = builder.search  # type: ignore[attr-defined]
    assert bundle
    return [path for path, found in bundle.items() if _as_found(os.lstat(search / path)) != found]


def test_a_newer_edit_stops_the_index_wherever_it_is_and_the_last_bundle_is_served_meanwhile(
    county_dir, tmp_path, monkeypatch
):
    """An index under way when the clerk saves again is of old pages: it stops at its next checkpoint (cancel.py),
    so that the new edit's pages are built at once — at county scale the next edit waited for the whole index
    (~10 s). Stopped anywhere, the published bundle is left as it was, every file of it still served (the links its
    staging folder had, unlinked, moved their change times), and it says nothing (the rebuild that follows does).
    The index that then runs to its end still patches the published bundle (a stop after its links had left the
    next one to write every file anew), and gives the bundle a fresh preview gives, byte for byte."""
    import datetime as dt

    from gongkai.commands import serve as serve_module
    from gongkai.commands.serve import Preview as Builder

    from kit import site_digests

    reports = []
    render = serve_module.render_search

    def reported(*args: object, **kwargs: object) -> object:
        reports.append(report := render(*args, **kwargs))  # type: ignore[arg-type]
        return report

    monkeypatch.setattr(serve_module, "render_search", reported)
    said: list[str] = []
    out, search = tmp_path / "kept/site", tmp_path / "kept/search"
    out.mkdir(parents=True)
    search.mkdir()
    kept = Builder(county_dir, dt.date(2026, 11, 26), out, said.append, search)
    kept.rebuild()
    kept.index()
    before = site_digests(search)
    doc = county_dir / "content/documents/2026/gdlb.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n停止索引之后补充的一句。\n", encoding="utf-8")
    kept.rebuild()
    assert kept.failure is None, kept.failure
    calls, stopped, reports[:] = 0, 0, []
    while True:  # stopped at every third checkpoint: in the scan of the pages, the bundle's links, its guard …
        said.clear()
        kept.edited = _SetAfter(calls)
        kept.index()
        if said:
            break
        assert site_digests(search) == before, calls
        assert not _servable(kept), calls
        stopped += 1
        calls += 3
    assert said[0].startswith("搜索索引已更新"), said
    assert stopped >= 10 and reports  # (those stopped in the guard, after render_search, reported too)
    assert all(report.patched and report.linked > report.written for report in reports), reports
    fresh_out, fresh_search = tmp_path / "fresh/site", tmp_path / "fresh/search"
    fresh_out.mkdir(parents=True)
    fresh_search.mkdir()
    fresh = Builder(county_dir, dt.date(2026, 11, 26), fresh_out, lambda _: None, fresh_search)
    fresh.rebuild()
    fresh.index()
    assert site_digests(search) == site_digests(fresh_search)
    assert not _servable(kept)


def test_an_edit_saved_while_the_index_is_made_is_shown_without_waiting_for_it(county_dir):
    """The real preview: the index after an edit runs until the test lets it end (STOPPABLE); the next edit, saved
    meanwhile, stops it and is shown with that index still unable to end, and the index after it is made."""
    gate = county_dir.parent / "gate"
    running = Preview(county_dir, gate, STOPPABLE)
    try:
        running.wait_for(PAGE, "指南正文")
        _wait_line(running, "搜索索引已更新", seconds=240)  # the first index: not held
        page = county_dir / "content/xxgk/zhinan.md"
        page.write_text("# 政府信息公开指南\n\n第一次改的正文。\n", encoding="utf-8")
        running.wait_for(PAGE, "第一次改的正文")  # its index runs until the gate is there
        seen = len(running.lines)
        (county_dir / "content/xxgk/.zhinan.md.swp").write_bytes(b"vim")  # an editor's: stops nothing
        time.sleep(1.5)
        assert not any(line.startswith("检测到修改") for line in running.lines[seen:]), running.lines[seen:]
        page.write_text("# 政府信息公开指南\n\n第二次改的正文。\n", encoding="utf-8")
        running.wait_for(PAGE, "第二次改的正文", seconds=120)
        assert not gate.exists()
        gate.touch()
        _wait_line(running, "搜索索引已更新", after=len(running.lines))
        said = [line for line in running.lines if not line.startswith("警告")]
        assert sum(line.startswith("搜索索引已更新") for line in said) == 2, said  # the first, the last
        assert not any(line.startswith("搜索索引未更新") for line in said), said
    finally:
        running.process.terminate()
        running.process.wait(timeout=90)


def test_a_change_seen_stops_the_index_and_the_rebuild_that_takes_it_lets_the_next_one_run(county_dir, tmp_path):
    """The watcher's word stops an index (``Preview.edited``); the rebuild that takes the change clears it, so the
    index after that rebuild runs. The first index is not stoppable (a county's takes minutes)."""
    import datetime as dt

    from gongkai.cancel import Cancelled, cancellable, checkpoint
    from gongkai.commands.serve import Preview as Builder

    out, search = tmp_path / "site", tmp_path / "search"
    out.mkdir()
    search.mkdir()
    builder = Builder(county_dir, dt.date(2026, 11, 26), out, lambda _: None, search)
    assert not builder.edited.is_set()
    builder.touched(["content/xxgk/.zhinan.md.swp", "content/.#zhinan.md"], False)  # an editor's: not shown
    assert not builder.edited.is_set()
    builder.touched(["content/xxgk/zhinan.md"], False)
    assert builder.edited.is_set()
    checkpoint()  # outside cancellable: nothing
    with cancellable(builder.edited), pytest.raises(Cancelled):
        checkpoint()
    assert builder._changed() == []  # (unchanged on disk) but taken
    assert not builder.edited.is_set()
    with cancellable(builder.edited):
        checkpoint()
    assert issubclass(Cancelled, BaseException) and not issubclass(Cancelled, Exception)
    stopped, elsewhere = threading.Event(), []  # another thread's checkpoint: not stopped by this one's event
    stopped.set()
    with cancellable(stopped):
        worker = threading.Thread(target=lambda: elsewhere.append(checkpoint()))
        worker.start()
        worker.join()
        with pytest.raises(Cancelled):
            checkpoint()
    assert elsewhere == [None]
    checkpoint()  # every context closed: nothing


def test_an_editors_swap_file_among_the_hand_written_pages_builds_no_page_again(county_dir, tmp_path):
    """MkDocs publishes no dot file, yet a swap file beside a hand-written page (vim's, rewritten every few seconds
    while the clerk types) was in the key every page's key starts from: each write built every page again."""
    import datetime as dt

    from gongkai.commands.serve import Preview as Builder

    said: list[str] = []
    out, search = tmp_path / "site", tmp_path / "search"
    out.mkdir()
    search.mkdir()
    builder = Builder(county_dir, dt.date(2026, 11, 26), out, said.append, search)
    builder.rebuild()
    (county_dir / "content/xxgk/.zhinan.md.swp").write_bytes(b"b0VIM 9.0")
    (county_dir / "content/.hidden").mkdir()
    (county_dir / "content/.hidden/notes.txt").write_text("草稿\n", encoding="utf-8")
    said.clear()
    builder.rebuild()
    assert builder.failure is None, builder.failure
    assert said[-1].startswith("已更新：没有页面需要重新生成"), said


def _epoch(running: Preview) -> int:
    """The version of the preview browsers are shown (MkDocs' live-reload epoch): a browser reloads when it grows."""
    return int(running.get("/livereload/0/0"))


def test_an_editors_swap_file_saved_while_the_clerk_types_builds_nothing_and_reloads_no_browser(preview):
    """vim rewrites .x.md.swp every few seconds while the clerk types: each write rebuilt every page (8–15 s for a
    county) and reloaded the page the clerk was reading. No loader reads a hidden file: nothing is built."""
    epoch, seen = _epoch(preview), len(preview.lines)
    swap = preview.root / "content/xxgk/.zhinan.md.swp"
    for n in range(3):
        swap.write_bytes(b"b0VIM 9.0" + bytes([n]))
        time.sleep(0.7)
    time.sleep(2)
    assert not [line for line in preview.lines[seen:] if not line.startswith("警告")], preview.lines[seen:]
    assert _epoch(preview) == epoch
    page = preview.root / "content/xxgk/zhinan.md"
    page.write_bytes(page.read_bytes())  # saved again unchanged (Ctrl+S): said, nothing built, no reload
    deadline = time.monotonic() + 10
    while not any("已保存，内容没有改动" in line for line in preview.lines[seen:]) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1)
    assert [line for line in preview.lines[seen:] if not line.startswith("警告")] == [
        "content/xxgk/zhinan.md 已保存，内容没有改动，不需要重新生成。"
    ], preview.lines[seen:]
    assert _epoch(preview) == epoch
    (preview.root / "content/xxgk/zhinan.md").write_text("# 政府信息公开指南\n\n改过的正文。\n", encoding="utf-8")
    swap.write_bytes(b"b0VIM 9.0 again")
    preview.wait_for(PAGE, "改过的正文")
    assert _epoch(preview) > epoch
    said = next(line for line in preview.lines[seen:] if line.startswith("检测到修改"))
    assert "zhinan.md" in said and ".swp" not in said, said


def test_only_hidden_files_changed_is_taken_without_a_build_unless_a_link_or_an_error_is_there(county_dir, tmp_path):
    """``Preview.unchanged``: hidden files only (not a link), no folder come or gone, no error shown."""
    import datetime as dt

    from gongkai.commands.serve import Preview as Builder

    out, search = tmp_path / "site", tmp_path / "search"
    out.mkdir()
    search.mkdir()
    builder = Builder(county_dir, dt.date(2026, 11, 26), out, lambda _: None, search)
    builder.rebuild()
    assert not builder.unchanged()  # nothing seen: a rebuild asked for by other means is built
    builder.touched(["content/xxgk/.zhinan.md.swp", "catalog/._snbt.yml"], False)
    assert builder.unchanged() and not builder.unchanged()  # taken
    builder.touched(["villages/chengguan/shangxi/payouts/~$2026-gdlb.csv", "content/documents/2026/~$bns.md"], False)
    assert builder.unchanged()  # the owner files Excel and Word write beside a file open in them
    (county_dir / "content/xxgk/zhinan.md").write_text("# 指南\n\n改过。\n", encoding="utf-8")
    builder.touched(["content/xxgk/.zhinan.md.swp", "content/xxgk/zhinan.md"], False)
    assert not builder.unchanged()
    builder._changed()  # taken by the rebuild
    builder.touched(["theme/.parts.html"], False)  # a template may include a hidden file
    assert not builder.unchanged()
    builder._changed()
    builder.touched(["theme/.main.html.swp", "theme/partials/.footer.html.swo"], False)  # not vim's swap files
    assert builder.unchanged()
    builder._changed()
    builder.touched(["content/.drafts"], True)  # a folder came
    assert not builder.unchanged()
    builder._changed()
    lock = county_dir / "content/xxgk/.#zhinan.md"
    os.symlink("clerk@host.4711:1764800000", lock)  # emacs's lock: a link, which the build refuses
    builder.touched(["content/xxgk/.#zhinan.md"], False)
    assert not builder.unchanged()
    builder.rebuild()
    assert builder.failure is not None and "符号链接" in builder.failure
    lock.unlink()
    builder.touched(["content/xxgk/.#zhinan.md"], False)
    assert not builder.unchanged()  # the preview shows an error: built, and it goes
    builder.rebuild()
    assert builder.failure is None


def test_a_file_saved_again_unchanged_builds_nothing_until_its_bytes_change(county_dir, tmp_path):
    """``Preview.unchanged``: a shown file saved with the bytes the last good rebuild read (the clerk's Ctrl+S habit,
    「全部保存」, a sync tool touching files) builds nothing and stops no index; each rebuilt a county's pages (8–10 s)
    and reloaded the browser. Bytes the last rebuild did not read — written during it, or while an error showed —
    are built, even when they are those of an earlier good rebuild."""
    import datetime as dt

    from gongkai.commands.serve import Preview as Builder

    out, search = tmp_path / "site", tmp_path / "search"
    out.mkdir()
    search.mkdir()
    said: list[str] = []
    builder = Builder(county_dir, dt.date(2026, 11, 26), out, said.append, search)
    builder.rebuild()  # the first preview: every watched file hashed
    page = county_dir / "content/xxgk/zhinan.md"
    original = page.read_bytes()

    def save(data: bytes, *names: str) -> bool:
        page.write_bytes(data)
        builder.touched(["content/xxgk/zhinan.md", *names], False)
        return builder.unchanged()

    assert save(original) and not builder.edited.is_set()  # saved unchanged: taken, said, no index stopped
    assert said[-1] == "content/xxgk/zhinan.md 已保存，内容没有改动，不需要重新生成。"
    assert save(original, "content/xxgk/.zhinan.md.swp")  # with an editor's swap file beside
    assert not save(original + b"\n") and builder.edited.is_set()  # changed: built
    builder.rebuild()
    assert save(original + b"\n")  # the bytes the last rebuild read
    assert not save(original)  # an earlier rebuild's bytes: built
    builder.rebuild()
    assert save(original)
    os.utime(page, ns=(1, 1))  # mtime set back, bytes the same: nothing to build (the change time is not compared)
    builder.touched(["content/xxgk/zhinan.md"], False)
    assert builder.unchanged()

    # Written during a rebuild, after it was hashed: the rebuild may have read either, so it is known by neither.
    page.write_bytes(original + b"x")
    builder.touched(["content/xxgk/zhinan.md"], False)
    real = builder._pages

    def pages_then_write() -> tuple[list[str], int, int]:
        result = real()
        page.write_bytes(original + b"y")
        page.write_bytes(original + b"x")
        return result

    builder._pages = pages_then_write  # type: ignore[method-assign]
    builder.rebuild()
    builder._pages = real  # type: ignore[method-assign]
    assert not save(original + b"x")
    builder.rebuild()
    assert save(original + b"x")

    # Another file, written during a rebuild started for this one and put back: that rebuild may have read either,
    # whenever the watcher tells of the writes; saved again, it is built.
    other = county_dir / "content/documents/2026/dbns.md"
    kept = other.read_bytes()
    page.write_bytes(original + b"z")
    builder.touched(["content/xxgk/zhinan.md"], False)

    def pages_with_an_edit_undone() -> tuple[list[str], int, int]:
        other.write_bytes(kept.replace("。".encode(), "。临时改动".encode(), 1))
        result = real()
        other.write_bytes(kept)
        return result

    builder._pages = pages_with_an_edit_undone  # type: ignore[method-assign]
    builder.rebuild()
    builder._pages = real  # type: ignore[method-assign]
    builder.touched(["content/documents/2026/dbns.md"], False)
    assert not builder.unchanged()
    builder.rebuild()
    other.write_bytes(kept)
    builder.touched(["content/documents/2026/dbns.md"], False)
    assert builder.unchanged()

    # Several saved unchanged: one line.
    for name in ("content/xxgk/zhidu.md", "content/documents/2026/gdlb.md", "catalog/shjz.yml"):
        (county_dir / name).write_bytes((county_dir / name).read_bytes())
    builder.touched(["content/xxgk/zhidu.md", "content/documents/2026/gdlb.md", "catalog/shjz.yml",
                     "content/documents/2026/dbns.md"], False)  # fmt: skip
    assert builder.unchanged()
    assert (
        said[-1] == "catalog/shjz.yml、content/documents/2026/dbns.md、content/documents/2026/gdlb.md 等 4 个文件"
        "已保存，内容没有改动，不需要重新生成。"
    ), said[-1]

    # An index stopped for an edit that was then put back: nothing is built, and the index is to be made again.
    page.write_bytes(original + b"w")
    builder.touched(["content/xxgk/zhinan.md"], False)
    assert builder.edited.is_set()
    builder.index()  # stopped at its first checkpoint
    assert builder.stale
    page.write_bytes(original + b"z")
    builder.touched(["content/xxgk/zhinan.md"], False)
    assert builder.unchanged() and not builder.edited.is_set() and builder.stale
    builder.index()
    assert not builder.stale

    # Bytes read by a rebuild that failed are not known: saved back, the file is built (the error goes).
    catalog = county_dir / "catalog/snbt.yml"
    good = catalog.read_bytes()
    catalog.write_bytes(good + b"\n: [\n")
    builder.touched(["catalog/snbt.yml"], False)
    assert not builder.unchanged()
    builder.rebuild()
    assert builder.failure is not None
    catalog.write_bytes(good)
    builder.touched(["catalog/snbt.yml"], False)
    assert not builder.unchanged()
    builder.rebuild()
    assert builder.failure is None
    catalog.write_bytes(good)
    builder.touched(["catalog/snbt.yml"], False)
    assert builder.unchanged()

    # Gone, or a link now: built (the build says what is wrong).
    page.unlink()
    builder.touched(["content/xxgk/zhinan.md"], False)
    assert not builder.unchanged()
    builder._changed()
    os.symlink(catalog, page)
    builder.touched(["content/xxgk/zhinan.md"], False)
    assert not builder.unchanged()


def test_events_the_kernel_lost_make_the_preview_compare_every_watched_file(tmp_path):
    """inotify's queue overflowed (a checkout, an unzip, a sync on a busy machine): watchdog says so with one event,
    which was dropped, and a save among the lost events was never built."""
    from watchdog.events import EventsLostEvent

    from gongkai.commands.serve import _SourceChanges

    seen: list[tuple[list[str], bool]] = []
    _SourceChanges(tmp_path, lambda names, folder: seen.append((names, folder))).on_any_event(EventsLostEvent(""))
    assert seen == [([], True)]


def test_a_rebuild_that_keeps_no_old_pages_makes_the_next_ones_folders_with_their_links(
    county_dir, tmp_path, monkeypatch
):
    """When the old pages cannot be emptied (all built anew: a first preview after gongkai changed; here ``PARTED``
    at 0), the next rebuild's folders are made at once of the new pages, with their links (``write.seed_spare``): the
    next edit finds the unchanged pages in place, neither linked nor unlinked, and its pages are a fresh preview's."""
    from gongkai import write

    from kit import site_digests

    kept = _first_preview(county_dir, tmp_path / "kept")
    out = kept.out
    doc = county_dir / "content/documents/2026/gdlb.md"
    with monkeypatch.context() as patched:
        patched.setattr(write, "PARTED", 0)
        doc.write_text(doc.read_text(encoding="utf-8") + "\n第一次补充。\n", encoding="utf-8")
        kept.rebuild()
        assert kept.failure is None, kept.failure
    before = (out / "guide/index.html").stat().st_ctime_ns
    doc.write_text(doc.read_text(encoding="utf-8") + "\n第二次补充。\n", encoding="utf-8")
    kept.rebuild()
    assert kept.failure is None, kept.failure
    assert (out / "guide/index.html").stat().st_ctime_ns == before  # found in place: the seeded folders' link
    assert site_digests(out) == _fresh_preview(county_dir, tmp_path / "fresh")
