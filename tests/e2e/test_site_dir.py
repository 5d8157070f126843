"""Where a build may write: --site-dir refused inside the project's sources, one build at a time, workers end
with a killed build, output paths stay inside the site, and the published files are readable by a web server."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest

from gongkai.commands.cli import main
from gongkai.errors import BuildFailed, ExitCode
from gongkai.write import MARKER, SPARE, OutputDir, keep_spare, output_path, recycled_staging
from gongkai.write.unchanged import walk_site

from kit import VILLAGE_YML, blank_pdf, paused_build, write_county

TODAY = "2026-11-26"
FIX = "请用 --site-dir 指定一个新的或空的目录，或者上次 gongkai build 生成的目录（默认是项目中的 site/）。"


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_county(tmp_path_factory.mktemp("county"))


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("where", "message"),
    [
        (".", "是项目目录本身或它的上级目录，生成时会被整个替换"),
        ("..", "是项目目录本身或它的上级目录，生成时会被整个替换"),
        ("reports", "在项目的「reports」目录中"),
        ("content/out", "在项目的「content」目录中"),
        (".git", "在项目的「.git」目录中"),
        ("county.yml", "已存在，但不是普通目录"),
        ("catalog/snbt", "在项目的「catalog」目录中"),
    ],
)
def test_a_site_dir_among_the_sources_is_refused_and_nothing_changes(tmp_path, capsys, where, message):
    root = write_county(tmp_path / "county")
    (root / "reports").mkdir(exist_ok=True)
    (root / "reports/keep.txt").write_text("年报", encoding="utf-8")
    (root / ".git").mkdir()
    before = _snapshot(tmp_path)
    assert main(["build", str(root), "--today", TODAY, "-q", "--site-dir", str(root / where)]) == ExitCode.SOURCES
    err = capsys.readouterr().err
    target = (root / where).resolve()
    assert f"--site-dir：输出目录「{target}」{message}。{FIX}" in err
    assert "网站已生成" not in err
    assert _snapshot(tmp_path) == before


def test_a_mount_point_is_refused_before_any_work(tmp_path, capsys, monkeypatch):
    # A bind-mounted site/ cannot be renamed: the build ran every stage, then failed with an internal error.
    root = write_county(tmp_path / "county")
    site = root / "site"
    site.mkdir()
    real = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda path: Path(path) == site or real(path))
    assert main(["build", str(root), "--today", TODAY, "-q", "--site-dir", str(site)]) == ExitCode.SOURCES
    err = capsys.readouterr().err
    assert f"--site-dir：输出目录「{site.resolve()}」是一个挂载点（mount），发布时无法把它整体替换。" in err
    assert f"请用 --site-dir 指定挂载点中的一个子目录（例如「{site.resolve() / 'site'}」）" in err
    assert not any(site.iterdir())


def test_a_directory_holding_other_files_is_refused(tmp_path, capsys):
    root = write_county(tmp_path / "county")
    other = tmp_path / "www"
    other.mkdir()
    (other / "notes.txt").write_text("别的文件", encoding="utf-8")
    assert main(["build", str(root), "--today", TODAY, "-q", "--site-dir", str(other)]) == ExitCode.SOURCES
    assert "中已有其他文件，不是 gongkai 生成的网站，生成时会被整个替换" in capsys.readouterr().err
    assert (other / "notes.txt").read_text(encoding="utf-8") == "别的文件"


def test_a_new_an_empty_and_a_previous_output_dir_are_accepted(tmp_path):
    root = write_county(tmp_path / "county")
    (tmp_path / "empty").mkdir()
    for where in ("new/site", "empty", "new/site"):  # the last one is now a previous output
        assert main(["build", str(root), "--today", TODAY, "-q", "--site-dir", str(tmp_path / where)]) == 0
        assert (tmp_path / where / MARKER).is_file()


def test_the_published_site_is_readable_by_a_web_server_whatever_the_umask(tmp_path):
    root = write_county(tmp_path / "county")
    umask = os.umask(0o077)
    try:
        assert main(["build", str(root), "--today", TODAY, "-q"]) == 0
    finally:
        os.umask(umask)
    site = root / "site"
    for path in [site, *site.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        wanted = 0o555 if path.is_dir() else 0o444
        assert mode & wanted == wanted, f"{path.relative_to(site)} is {oct(mode)}"


@pytest.mark.parametrize("code", ["../../../site", "..", "a/b", "Shangxi", "上溪", "-x"])
def test_a_code_that_is_not_a_url_part_is_refused_at_check(tmp_path, capsys, code):
    root = write_county(tmp_path, {"villages/chengguan/shangxi/village.yml": VILLAGE_YML.replace("shangxi", code)})
    assert main(["check", str(root), "--today", TODAY]) == ExitCode.SOURCES
    err = capsys.readouterr().err
    assert (
        f"villages/chengguan/shangxi/village.yml 第 1 行，字段「代码」：「{code}」格式不对：只能用小写英文字母、数字和「-」"
        "（以字母或数字开头，最多 40 个字符）。例如 代码: shangxi。"
    ) in err


def _stop(process: subprocess.Popen[str]) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    if process.stderr:
        process.stderr.close()


def test_a_second_build_of_the_same_site_stops_at_once_and_leaves_the_first_alone(county, capsys):
    first = paused_build(county, "pages", TODAY)
    try:
        staging = sorted(p.name for p in county.iterdir() if p.name.startswith(".site.") and p.is_dir())
        assert main(["build", str(county), "--today", TODAY, "-q"]) == ExitCode.ENVIRONMENT
        err = capsys.readouterr().err
        assert (
            f"错误：另一个 gongkai build 正在生成「{county / 'site'}」（进程号 {first.pid}）。请等它结束后再运行。"
            in err
        )
        assert sorted(p.name for p in county.iterdir() if p.name.startswith(".site.") and p.is_dir()) == staging
    finally:
        _stop(first)
    assert main(["build", str(county), "--today", TODAY, "-q"]) == 0


def _children(pid: int) -> set[int]:
    found = set()
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(status.parent.name))
    return found


def test_pdf_workers_end_when_the_build_is_killed(county):
    (county / "villages/chengguan/shangxi/payouts/2026-gdlb.yml").touch()
    subprocess.run(["rm", "-rf", str(county / ".cache")], check=True)  # so that the PDF pool really runs
    build = paused_build(county, "sheets", TODAY)
    workers = _children(build.pid)
    assert workers, "the sheets stage should run in worker processes"
    os.kill(build.pid, signal.SIGKILL)  # the build alone, as an OOM killer or a CI timeout would
    build.wait()
    deadline = time.monotonic() + 10
    while _children(build.pid) | {w for w in workers if Path(f"/proc/{w}").exists()}:
        assert time.monotonic() < deadline, "worker processes outlived the killed build"
        time.sleep(0.1)
    if build.stderr:
        build.stderr.close()


def test_a_kept_old_sites_folders_are_staged_with_a_new_folders_mode(tmp_path: Path) -> None:
    """A folder of the published site made 0700 or setgid (chmod) is not staged so again: the next site's
    folders are world-readable, as a clean build's."""
    site = tmp_path / "site"
    site.mkdir()
    spare = tmp_path / f".site.xxxxxxxx{SPARE}"
    (spare / "assets" / "js").mkdir(parents=True)
    (spare / "search").mkdir()
    (spare / "assets").chmod(0o700)
    (spare / "search").chmod(0o2775)
    staging, folders = recycled_staging(site)
    assert sorted(folders) == ["assets", "assets/js", "search"]
    assert {f: stat.S_IMODE((staging / f).stat().st_mode) for f in folders} == dict.fromkeys(folders, 0o755)


@pytest.mark.parametrize("listed", [False, True])
def test_a_kept_folder_where_the_published_site_has_a_file_is_not_staged(tmp_path: Path, listed: bool) -> None:
    """A folder planted in the kept old site's folders where the site has a file (a stylesheet linked over
    again, sitemap.xml, the marker) is removed: the build wrote that file into it, or failed. The same when the
    site is known by the build's listing of it (write/unchanged.py's walk) instead of looked up."""
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    for name in ("assets/main.css", "sitemap.xml", MARKER):
        (site / name).write_text("x", encoding="utf-8")
    spare = tmp_path / f".site.xxxxxxxx{SPARE}"
    for name in ("assets/main.css/inner", "sitemap.xml", MARKER, "documents/a"):
        (spare / name).mkdir(parents=True)
    (spare / "assets/main.css/inner/f.html").write_text("x", encoding="utf-8")
    tree = walk_site(site) if listed else None
    staging, folders = recycled_staging(site, tree.files if tree is not None else None)
    assert sorted(folders) == ["assets", "documents", "documents/a"]
    assert sorted(str(p.relative_to(staging)) for p in staging.rglob("*")) == [
        MARKER,
        "assets",
        "documents",
        "documents/a",
    ]
    assert (staging / MARKER).is_file()


def test_a_kept_old_site_that_cannot_be_emptied_nor_removed_leaves_a_new_staging_dir(tmp_path, monkeypatch) -> None:
    """A spare that cannot be emptied nor removed (another user's folders) stages the build in a new directory
    beside it, instead of failing the build with an internal error (FileExistsError)."""
    import gongkai.write as write

    site = tmp_path / "site"
    site.mkdir()
    (tmp_path / f".site.xxxxxxxx{SPARE}" / "locked").mkdir(parents=True)

    def refused(
        top: Path, site_dir: Path, published: object = None, kept: object = (), staged: object = None
    ) -> list[str]:
        raise PermissionError(13, "Permission denied", os.fspath(top / "locked"))

    monkeypatch.setattr(write, "_empty", refused)
    monkeypatch.setattr(write.shutil, "rmtree", lambda path, ignore_errors=False: None)
    staging, folders = recycled_staging(site)
    assert folders == [] and (staging / MARKER).is_file()
    assert [p.name for p in staging.iterdir()] == [MARKER]


def test_a_file_named_as_a_kept_old_site_is_not_one(tmp_path: Path) -> None:
    """A file (not a folder) named ``.site.*-spare`` is no kept old site: it neither fails the staging nor keeps
    the next old site from being kept (every build staged afresh)."""
    site = tmp_path / "site"
    site.mkdir()
    (tmp_path / f".site.aaaaaaaa{SPARE}").write_text("x", encoding="utf-8")
    staging, folders = recycled_staging(site)
    assert folders == [] and [p.name for p in staging.iterdir()] == [MARKER]
    trash = tmp_path / ".site.bbbbbbbb-old"
    (trash / "documents").mkdir(parents=True)
    keep_spare(trash, site)
    assert (tmp_path / f".site.bbbbbbbb{SPARE}" / "documents").is_dir()


def test_output_dir_proves_each_folder_once_and_refuses_a_way_out(tmp_path: Path) -> None:
    base, outside = tmp_path / "staging", tmp_path / "elsewhere"
    (base / "a" / "b").mkdir(parents=True)
    outside.mkdir()
    (base / "out").symlink_to(outside)
    (base / "in").symlink_to(base / "a")
    (base / "a" / "leak.html").symlink_to(outside / "leak.html")
    out = OutputDir(base)
    assert out.path("a/b/index.html") == base / "a" / "b" / "index.html"
    assert out.folder("c/d/index.html").parent.is_dir()
    assert out.path("in/b/x.html") == base / "in" / "b" / "x.html"  # a link that stays inside
    for way_out in ("out/x.html", "out/deeper/x.html", "a/leak.html", "../x.html", "a/./x.html", "/etc/x", ""):
        with pytest.raises(BuildFailed):
            out.path(way_out)
        with pytest.raises(BuildFailed):
            output_path(base, way_out)


def test_a_copy_of_the_site_under_the_build_lock_waits_for_a_build_and_a_build_for_it(county, capsys):
    """The guide copies the site with `flock .site-build.lock rsync …`: never half the old site and half the new."""
    lock = county / ".site-build.lock"
    os.utime(county / "county.yml")  # else 「没有改动」 (the build never pauses)
    first = paused_build(county, "pages", TODAY)
    try:
        assert subprocess.run(["flock", "-n", str(lock), "true"], check=False).returncode == 1
    finally:
        _stop(first)
    copying = subprocess.Popen(["flock", str(lock), "sleep", "30"], start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while subprocess.run(["flock", "-n", str(lock), "true"], check=False).returncode == 0:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert main(["build", str(county), "--today", TODAY, "-q"]) == ExitCode.ENVIRONMENT
        assert f"错误：另一个程序正在使用「{county / 'site'}」（持有锁文件 {lock}" in capsys.readouterr().err
    finally:
        os.killpg(copying.pid, signal.SIGKILL)
        copying.wait()


def test_a_kept_folder_where_this_build_writes_a_file_gives_way(tmp_path: Path) -> None:
    """A page at xxgk/t.pdf/ in the last two sites, an attachment xxgk/t.pdf now: the kept old site's folder
    t.pdf stood where the attachment goes, and MkDocs copied it into it (xxgk/t.pdf/t.pdf, the site without
    xxgk/t.pdf, every later build alike). The folder, empty of files, gives way, as in a clean build."""
    page = "content/xxgk/t.pdf.md"
    root = write_county(tmp_path / "county", {page: "# 测试页\n\n正文。\n"})
    site = root / "site"
    args = ["build", str(root), "--today", TODAY, "-q", "--site-dir", str(site)]
    assert main(args) == 0
    (root / page).write_text("# 测试页\n\n正文二。\n", encoding="utf-8")
    assert main(args) == 0  # the first site's folders are kept, t.pdf/ among them
    assert (site / "xxgk/t.pdf/index.html").is_file()
    (root / page).unlink()
    (root / "content/xxgk/t.pdf").write_bytes(blank_pdf())
    assert main(args) == 0
    assert (site / "xxgk/t.pdf").read_bytes() == blank_pdf()
    clean = tmp_path / "clean"
    assert main(["build", str(root), "--today", TODAY, "-q", "--site-dir", str(clean), "--clean"]) == 0
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == sorted(
        p.relative_to(clean) for p in clean.rglob("*")
    )


def test_a_lock_held_for_an_instant_is_waited_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build of a sibling output directory looks at this one's lock by taking it for an instant
    (write._legacy_leftover): a build starting then waits that instant instead of refusing to run."""
    import fcntl
    from types import SimpleNamespace

    import gongkai.write as write

    site = tmp_path / "site"
    fd = os.open(tmp_path / ".site-build.lock", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    waits: list[float] = []

    def released(seconds: float) -> None:  # the sibling lets go while this build waits its first moment
        if not waits:
            os.close(fd)
        waits.append(seconds)

    monkeypatch.setattr(write, "time", SimpleNamespace(sleep=released))
    with write.build_lock(site):
        pass
    assert len(waits) == 1
