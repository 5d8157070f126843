"""scan_site reads every kind of output file: pages, feeds, gzip, the Pagefind bundle, XLSX and PDF."""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path
from typing import Any

import openpyxl
import weasyprint
from personal import BANK as CARD
from personal import ID as ID_NUMBER
from personal import PHONE as MOBILE
from PIL import Image

from gongkai import write
from gongkai.cachefile import keep, read_kept
from gongkai.guard import scan as scan_module
from gongkai.guard import site as site_module
from gongkai.guard.patterns import BANK, ID, PHONE, Found
from gongkai.guard.scan import CACHE_VERSION, LAYOUT
from gongkai.guard.site import SITE_CACHE, Leak, SiteScan, Unread, scan_site
from gongkai.mounts import mount_table
from gongkai.write.unchanged import walk_site


def _xlsx(value: str) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["户主姓名", "银行卡号"])
    book.active.append(["王秀兰", value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2, 2)).save(out, "PNG")
    return out.getvalue()


def _pdf(text: str) -> bytes:
    return weasyprint.HTML(string=f"<p>{text}</p>").write_pdf()


def _site(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def test_every_kind_of_output_file_is_scanned(tmp_path):
    site = _site(
        tmp_path / "site",
        {
            "index.html": "<p>首页</p>".encode(),
            "documents/2026/a/index.html": f"<td>{ID_NUMBER}</td>".encode(),
            "feed.xml": "<description>手机 138-1234-5678</description>".encode(),
            "data/documents.json": json.dumps({"电话": MOBILE}).encode(),
            "data/documents.csv.gz": gzip.compress(f"王秀兰,{CARD}\n".encode()),
            "pagefind/fragment/zh_1a2b3c.pf_fragment": gzip.compress(b"pagefind_dcd" + ID_NUMBER.encode()),
            "villages/a/b/2026-gdlb.xlsx": _xlsx(CARD),
            "villages/a/b/2026-gdlb.pdf": _pdf(f"身份证号 {ID_NUMBER}"),
            "assets/logo.png": _png(),
        },
    )
    assert scan_site(site, frozenset(), tmp_path / "cache").leaks == [
        Leak("data/documents.csv.gz", Found(BANK, CARD)),
        Leak("data/documents.json", Found(PHONE, MOBILE)),
        Leak("documents/2026/a/index.html", Found(ID, ID_NUMBER)),
        Leak("feed.xml", Found(PHONE, MOBILE)),
        Leak("pagefind/fragment/zh_1a2b3c.pf_fragment", Found(ID, ID_NUMBER)),
        Leak("villages/a/b/2026-gdlb.pdf", Found(ID, ID_NUMBER)),
        Leak("villages/a/b/2026-gdlb.xlsx", Found(BANK, CARD)),
    ]


def test_allowed_numbers_are_not_leaks(tmp_path):
    site = _site(tmp_path / "site", {"index.html": f"监督电话 {MOBILE}".encode()})
    assert scan_site(site, frozenset({MOBILE})).leaks == []


def _stored(cache: Path) -> Any:
    """What the cache file (a sealed marshal one) holds."""
    return read_kept(cache / SITE_CACHE, scan_module._MAGIC, scan_module._KEPT_VERSION)


def _store(cache: Path, data: object) -> None:
    assert keep(cache / SITE_CACHE, scan_module._MAGIC, scan_module._KEPT_VERSION, data)


def _results(cache: Path) -> dict[str, dict[str, list[object]]]:
    """Every result the cache file holds, the clean ones (kept as one joined string) as entries too."""
    stored = _stored(cache)
    assert stored["layout"] == LAYOUT
    clean = {key: {"spots": [], "notes": []} for key in stored["clean"].split("\x00") if key}
    return {**stored["results"], **clean}


def test_results_are_cached_by_content(tmp_path):
    site = _site(tmp_path / "site", {"a.pdf": _pdf(f"手机 {MOBILE}"), "b.pdf": _pdf("无号码"), "c.html": b"<p>x</p>"})
    cache = tmp_path / "cache"
    assert [leak.path for leak in scan_site(site, frozenset(), cache).leaks] == ["a.pdf"]
    stored = _results(cache)
    assert len(stored) == 3
    for entry in stored.values():  # a cached answer is trusted: pretend every file held an ID number
        entry["spots"] = [[ID, ID_NUMBER, "", None]]
    layout = {"layout": LAYOUT, "results": stored, "clean": "", "identities": "", "keys": "", "names": ""}
    _store(cache, layout)
    assert [leak.path for leak in scan_site(site, frozenset(), cache).leaks] == ["a.pdf", "b.pdf", "c.html"]
    (site / "c.html").write_bytes(b"<p>y</p>")  # a changed file is read again; the cache keeps this run's files
    assert [leak.path for leak in scan_site(site, frozenset(), cache).leaks] == ["a.pdf", "b.pdf"]
    assert len(_results(cache)) == 3


def test_the_cache_file_is_its_owners_alone(tmp_path):
    """It holds the numbers found (a result's spots): readable by its owner only, as the JSON file it replaced."""
    site = _site(tmp_path / "site", {"a.html": f"<p>手机 {MOBILE}</p>".encode()})
    cache = tmp_path / "cache"
    assert [leak.path for leak in scan_site(site, frozenset(), cache).leaks] == ["a.html"]
    assert os.stat(cache / SITE_CACHE).st_mode & 0o777 == 0o600


def test_a_damaged_cache_file_is_read_as_empty(tmp_path):
    site = _site(tmp_path / "site", {"a.html": f"<p>手机 {MOBILE}</p>".encode(), "b.html": b"<p>x</p>"})
    cache = tmp_path / "cache"
    assert [leak.path for leak in scan_site(site, frozenset(), cache).leaks] == ["a.html"]
    stored = _stored(cache)
    for damaged in ({**stored, "keys": ""}, {**stored, "clean": 3}, [], {**stored, "results": []}):
        _store(cache, damaged)
        assert [leak.path for leak in scan_site(site, frozenset(), cache).leaks] == ["a.html"]


def test_a_file_linked_from_the_published_site_is_not_read_again(tmp_path, monkeypatch):
    """Its identity (inode, size, time) maps to the content scanned last time; a file written anew is read."""
    published = _site(tmp_path / "site", {"a.html": f"<p>手机 {MOBILE}</p>".encode(), "b.html": b"<p>x</p>"})
    cache = tmp_path / "cache"
    assert [leak.path for leak in scan_site(published, frozenset(), cache).leaks] == ["a.html"]
    staging = tmp_path / "staging"
    staging.mkdir()
    os.link(published / "a.html", staging / "a.html")
    (staging / "b.html").write_bytes(b"<p>x</p>")
    read: list[str] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: (self.name != SITE_CACHE and read.append(self.name)) or real(self))
    assert [leak.path for leak in scan_site(staging, frozenset(), cache, linked={"a.html"}).leaks] == ["a.html"]
    assert "a.html" not in read and "b.html" in read


def test_a_file_name_with_a_number_is_found_every_time(tmp_path):
    """File names found clean are remembered; one with a number never is."""
    site = _site(tmp_path / "site", {f"{MOBILE}.html": b"<p>x</p>", "b.html": b"<p>x</p>"})
    cache = tmp_path / "cache"
    for _ in range(2):
        assert [leak.path for leak in scan_site(site, frozenset(), cache).leaks] == [f"{MOBILE}.html"]
    stored = _stored(cache)
    assert stored["names"] == "b.html"


def test_the_very_files_of_a_vouched_published_site_are_not_read_again(tmp_path, monkeypatch):
    """``published`` (a site write/unchanged.py vouches for as a whole): a staged file that is one of its files,
    at any path, is known by identity; one linked from elsewhere is read."""
    published = _site(tmp_path / "site", {"a.html": f"<p>手机 {MOBILE}</p>".encode(), "b.html": b"<p>x</p>"})
    cache = tmp_path / "cache"
    assert [leak.path for leak in scan_site(published, frozenset(), cache).leaks] == ["a.html"]
    other = _site(tmp_path / "other", {"b.html": b"<p>x</p>"})
    staging = tmp_path / "staging"
    staging.mkdir()
    os.link(published / "a.html", staging / "a.html")
    os.link(other / "b.html", staging / "b.html")
    os.link(published / "b.html", staging / "c.html")
    read: list[str] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: (self.name != SITE_CACHE and read.append(self.name)) or real(self))
    files = {(s.st_dev, s.st_ino) for p in published.iterdir() for s in [p.stat()]}
    scanned = scan_site(staging, frozenset(), cache, published=files)
    assert [leak.path for leak in scanned.leaks] == ["a.html"]
    assert read == ["b.html"]
    assert set(scanned.digests) == {"a.html", "b.html", "c.html"}


def test_a_staged_file_known_by_its_directory_entry_is_the_published_one(tmp_path, monkeypatch):
    """``published`` as write/unchanged.py's walk maps it (device and inode → stat): a staged file whose directory
    entry names a published inode is known without a look-up; a new file, a copy, a symbolic link to a published
    file and a file planted later are each read or refused as before."""
    published = _site(tmp_path / "site", {"a.html": f"<p>手机 {MOBILE}</p>".encode(), "b.html": b"<p>x</p>"})
    cache = tmp_path / "cache"
    assert [leak.path for leak in scan_site(published, frozenset(), cache).leaks] == ["a.html"]
    tree = walk_site(published)
    assert tree is not None and isinstance(tree.inodes, dict)
    staging = tmp_path / "staging"
    (staging / "deep").mkdir(parents=True)
    os.link(published / "a.html", staging / "deep/a.html")  # at another path
    (staging / "b.html").write_bytes((published / "b.html").read_bytes())  # a copy: another file
    (staging / "c.html").symlink_to(published / "a.html")
    (staging / "d.html").write_bytes(f"<p>{ID_NUMBER}</p>".encode())
    read: list[str] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: (self.name != SITE_CACHE and read.append(self.name)) or real(self))
    scanned = scan_site(staging, frozenset(), cache, published=tree.inodes)
    assert [leak.path for leak in scanned.leaks] == ["d.html", "deep/a.html"]
    assert [u.path for u in scanned.unreadable] == ["c.html"]
    assert set(read) == {"b.html", "d.html"}
    assert os.stat(published / "a.html").st_ino in scanned.inodes


def test_a_shared_file_changed_in_place_with_its_time_set_back_is_read(tmp_path):
    """Only the files write/reuse.py linked (and vouched for) are known by identity: a file of a cache, changed
    in place to the same size with its time set back (``touch -r``), is read again and its number found."""
    cached = _site(tmp_path / "cache-files", {"a.html": b"<p>" + b"x" * 40 + b"</p>"})
    staging = tmp_path / "staging"
    staging.mkdir()
    os.link(cached / "a.html", staging / "a.html")
    cache = tmp_path / "cache"
    assert scan_site(staging, frozenset(), cache).leaks == []
    before = os.stat(staging / "a.html")
    with open(cached / "a.html", "r+b") as changed:
        changed.write(f"<p>{ID_NUMBER}".encode().ljust(43, b" "))
    os.utime(cached / "a.html", ns=(before.st_atime_ns, before.st_mtime_ns))
    assert [leak.path for leak in scan_site(staging, frozenset(), cache).leaks] == ["a.html"]


def test_a_damaged_pdf_is_not_published(tmp_path):
    site = _site(tmp_path / "site", {"a.pdf": f"%PDF-1.4 (手机 {MOBILE}) broken".encode()})
    assert scan_site(site, frozenset()) == SiteScan(
        [],
        [
            Unread(
                "a.pdf",
                "PDF 文件已损坏或格式不标准",
                "请用原来的软件重新「导出为 PDF」（或「打印」为 PDF）后替换这个文件",
            )
        ],
    )


def test_pagefind_word_breaks_do_not_hide_a_number(tmp_path):
    zwsp = "\u200b"
    text = f"pagefind_dcd手机{zwsp}：{zwsp}138{zwsp}-{zwsp}1234{zwsp}-{zwsp}5678"
    site = _site(tmp_path / "site", {"pagefind/fragment/zh_1.pf_fragment": gzip.compress(text.encode())})
    assert scan_site(site, frozenset()).leaks == [Leak("pagefind/fragment/zh_1.pf_fragment", Found(PHONE, MOBILE))]


def test_one_number_on_every_page_is_reported_in_a_few_lines():
    from gongkai.guard import describe

    leaks = [Leak(f"p{i}/index.html", Found(PHONE, MOBILE)) for i in range(7)]
    unread = [Unread("a.pdf", "PDF 文件已损坏或格式不标准", "请重新导出")]
    places = {MOBILE: ("theme/main.html", 12, "")}
    assert describe(SiteScan(leaks, unread), places, "site").split("\n") == [
        "site/a.pdf：无法完整读取（PDF 文件已损坏或格式不标准），不能确认其中没有个人信息。请重新导出。",
        *(f"site/p{i}/index.html：发现疑似手机号 138****5678（来源：theme/main.html 第 12 行）" for i in range(5)),
        "……另有 2 个文件含有同一号码 138****5678",
        "共 7 处疑似个人信息、1 个无法检查的文件，网站没有发布，site/ 保持原样。"
        "请在源文件中遮盖这些号码（见使用指南「个人信息保护和内容安全」）后重新生成。",
    ]


def test_a_cache_of_the_earlier_layout_is_read(tmp_path, monkeypatch):
    """One entry per result, per file identity and the clean names (before LAYOUT): an upgrade reads nothing again."""
    site = _site(tmp_path / "site", {"a.html": f"<p>手机 {MOBILE}</p>".encode(), "b.html": b"<p>x</p>"})
    cache = tmp_path / "cache"
    assert [leak.path for leak in scan_site(site, frozenset(), cache).leaks] == ["a.html"]
    stored = _stored(cache)
    flat: dict[str, object] = {**stored["results"], f"{CACHE_VERSION}:names": stored["names"].split("\x00")}
    flat |= {key: {"spots": [], "notes": []} for key in stored["clean"].split("\x00")}
    identities = zip(stored["identities"].split("\x00"), stored["keys"].split("\x00"), strict=True)
    flat |= {f"file:{identity}": key for identity, key in identities}
    (cache / "site.bin").unlink()  # the earlier format: a JSON file beside, none of the current one
    (cache / "site.json").write_text(json.dumps(flat), encoding="utf-8")
    read: list[str] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: (self.name != SITE_CACHE and read.append(self.name)) or real(self))
    linked = {"a.html", "b.html"}
    for name in linked:  # vouched for as reuse's links are
        os.link(site / name, tmp_path / name)
    assert [leak.path for leak in scan_site(site, frozenset(), cache, linked=linked).leaks] == ["a.html"]
    assert read == []


def test_a_fifo_or_a_link_in_the_site_is_refused_for_what_it_is(tmp_path):
    """Neither is read (a FIFO would block the guard); each is named for what it is, not a FIFO as a 符号链接."""
    os.mkfifo(tmp_path / "pipe.html")
    (tmp_path / "link.html").symlink_to(tmp_path / "pipe.html")
    refused = {u.path: u.reason for u in scan_site(tmp_path, frozenset()).unreadable}
    assert "符号链接" in refused["link.html"]
    assert "管道" in refused["pipe.html"] and "符号链接" not in refused["pipe.html"]


def test_a_folder_on_another_device_is_not_known_by_its_entries_inode_numbers(tmp_path, monkeypatch):
    """A staged folder on another file system than the staging directory's, mounted or not (a btrfs subvolume is a
    device of its own that /proc/self/mountinfo does not list): its inode numbers are its own, so a file there whose
    number is a published file's is read, not taken for that file. The staging directory is given another device
    here (its lstat), which its subfolder then does not share."""
    published = _site(tmp_path / "site", {"c.html": b"<p>x</p>"})
    cache = tmp_path / "cache"
    assert scan_site(published, frozenset(), cache).leaks == []
    clean = os.stat(published / "c.html")
    staging = tmp_path / "staging"
    (staging / "sub").mkdir(parents=True)
    (staging / "sub/x.html").write_bytes(f"<p>{ID_NUMBER}</p>".encode())
    other = os.lstat(staging).st_dev + 1
    real = os.lstat

    def lstat(path, *args, **kwargs):
        found = real(path, *args, **kwargs)
        if os.fspath(path) == os.fspath(staging):
            return os.stat_result((found[0], found[1], other, *found[3:10]))
        return found

    monkeypatch.setattr(os, "lstat", lstat)
    monkeypatch.setattr(site_module, "_ONE_DEVICE", frozenset())  # as on btrfs
    known = {(other, os.stat(staging / "sub/x.html").st_ino): clean}  # the same number, on the staging's device
    scanned = scan_site(staging, frozenset(), cache, published=known)
    assert [leak.path for leak in scanned.leaks] == ["sub/x.html"]


def test_mount_points_are_read_with_every_escape_the_kernel_writes(tmp_path, monkeypatch):
    """/proc/self/mountinfo writes a space, tab, line break or backslash of a mount point as an octal escape: a
    site folder named with a tab was not known as a mount point (only ``\\040`` was decoded)."""
    site = tmp_path / "a\tb c\\d"
    site.mkdir()
    escaped = os.fsencode(site).replace(b"\\", b"\\134").replace(b"\t", b"\\011").replace(b" ", b"\\040")
    info = tmp_path / "mountinfo"
    info.write_bytes(
        b"22 1 0:21 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
        + b"40 22 0:40 / " + escaped + b" rw,relatime shared:9 - tmpfs tmpfs rw\n"
    )
    assert mount_table(str(info)) == [(b"/", "ext4"), (os.fsencode(site), "tmpfs")]
    monkeypatch.setattr(write, "mount_table", lambda: mount_table(str(info)))
    assert write._mount_point(site)
    monkeypatch.setattr(site_module, "mount_table", lambda: mount_table(str(info)))
    assert site_module._mounts_under(tmp_path) == (True, True)  # something mounted below, on ext4


def test_a_tree_without_a_cache_of_its_own_starts_from_the_sites(tmp_path, monkeypatch):
    """The preview's first guard (a cache of its own, none yet) takes the site's results by content: it scans no
    file again, still finds every leak, and keeps the entries it used in a cache of its own."""
    files = {"a.html": f"<p>手机 {MOBILE}</p>".encode(), "b.html": b"<p>x</p>", "c.pdf": _pdf("无号码")}
    site, preview = _site(tmp_path / "site", files), _site(tmp_path / "preview", files)  # copies: other inodes
    cache = tmp_path / "cache"
    assert [leak.path for leak in scan_site(site, frozenset(), cache).leaks] == ["a.html"]
    scanned: list[str] = []
    real = site_module._scan_one
    monkeypatch.setattr(site_module, "_scan_one", lambda job: scanned.append(job[1]) or real(job))
    own = cache / "preview"
    found = scan_site(preview, frozenset(), own, seed=cache)
    assert [leak.path for leak in found.leaks] == ["a.html"] and scanned == []
    assert (own / SITE_CACHE).exists() and len(_results(own)) == 3
    (preview / "b.html").write_bytes(f"<p>卡号 {CARD}</p>".encode())  # a file the site's results do not know
    assert [leak.path for leak in scan_site(preview, frozenset(), own, seed=cache).leaks] == ["a.html", "b.html"]
    assert scanned == ["b.html"]


def test_a_damaged_active_cache_or_seed_is_read_as_empty_not_an_internal_error(tmp_path):
    """active.json holding valid JSON that is no list of strings («5», «[[1]]»: a damaged or planted file, the site's
    read as the preview's seed too) made every guard fail with an internal TypeError; it is read as none: every page
    is read again, and active content is still found."""
    from gongkai.guard.active import scan_pages

    site = _site(tmp_path / "site", {"a.html": b"<p>x</p>", "b.html": b"<p onclick=x()>y</p>"})
    for damaged in ("5", "[[1]]", "null"):
        seed, own = tmp_path / "active.json", tmp_path / "preview" / "active.json"
        seed.write_text(damaged, encoding="utf-8")
        own.unlink(missing_ok=True)
        found = scan_pages(site, own, seed=seed)  # the preview's first run: from the site's file
        assert len(found) == 1 and found[0].startswith("b.html"), (damaged, found)
        own.write_text(damaged, encoding="utf-8")
        assert scan_pages(site, own) == found, damaged


def test_a_folder_guarded_later_is_scanned_as_part_of_the_site_once_it_is_made(tmp_path):
    """``later``/``between`` (a build's search bundle, made by another process during the guard's pass over the
    pages): whatever is at ``later`` is scanned only after ``between()`` (here it did not exist before), and the scan
    is the one of the whole site."""
    pages = {"index.html": b"<p>x</p>", "documents/a/index.html": f"<td>{ID_NUMBER}</td>".encode()}
    bundle = {
        "pagefind/fragment/zh_1.pf_fragment": gzip.compress(b"pagefind_dcd" + MOBILE.encode()),
        "pagefind/pagefind.js": b"export{}",
    }
    whole = scan_site(_site(tmp_path / "whole", {**pages, **bundle}), frozenset(), tmp_path / "c1")
    staged = _site(tmp_path / "staged", pages)
    seen: list[bool] = []

    def made() -> None:  # the bundle appears only now: a walk before this would miss it
        seen.append(True)
        _site(staged, bundle)

    split = scan_site(staged, frozenset(), tmp_path / "c2", later="pagefind", between=made)
    assert seen == [True]
    assert split.leaks == whole.leaks and [leak.path for leak in split.leaks] == [
        "documents/a/index.html",
        "pagefind/fragment/zh_1.pf_fragment",
    ]
    assert sorted(split.paths) == sorted(whole.paths) and "pagefind" in split.paths
    assert split.stats.keys() == whole.stats.keys() and split.digests == whole.digests
    assert split.inodes == {s.st_ino for s in split.stats.values()}


def test_a_later_folder_that_is_a_file_or_a_link_is_scanned_with_the_rest(tmp_path):
    site = _site(tmp_path / "site", {"pagefind": f"{MOBILE}".encode(), "a.html": b"<p>x</p>"})
    scanned = scan_site(site, frozenset(), later="pagefind", between=lambda: None)
    assert [leak.path for leak in scanned.leaks] == ["pagefind"]
    os.unlink(site / "pagefind")
    (tmp_path / "elsewhere").mkdir()
    (site / "pagefind").symlink_to(tmp_path / "elsewhere")
    scanned = scan_site(site, frozenset(), later="pagefind", between=lambda: None)
    assert [u.path for u in scanned.unreadable] == ["pagefind"]  # refused as a link, never followed


def test_a_later_folder_turned_into_a_file_or_a_link_meanwhile_is_still_scanned(tmp_path):
    """The folder the first part skipped is whatever it is by the second: a file in its place is read, a link refused."""
    site = _site(tmp_path / "site", {"a.html": b"<p>x</p>", "pagefind/x.js": b"export{}"})

    def to_file() -> None:
        (site / "pagefind/x.js").unlink()
        (site / "pagefind").rmdir()
        (site / "pagefind").write_bytes(f"{ID_NUMBER}".encode())

    scanned = scan_site(site, frozenset(), later="pagefind", between=to_file)
    assert [leak.path for leak in scanned.leaks] == ["pagefind"] and "pagefind" in scanned.stats
    (site / "pagefind").unlink()
    (site / "pagefind").mkdir()
    (tmp_path / "elsewhere").mkdir()

    def to_link() -> None:
        (site / "pagefind").rmdir()
        (site / "pagefind").symlink_to(tmp_path / "elsewhere")

    scanned = scan_site(site, frozenset(), later="pagefind", between=to_link)
    assert [u.path for u in scanned.unreadable] == ["pagefind"]
