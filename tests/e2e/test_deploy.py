"""The hosting guide's deploy recipe, scripts/deploy.sh, against a real nginx whose workers run as www-data:
readable releases, an atomic switch (no failed request while it happens), rollback and pruning."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from gongkai.commands import stages
from gongkai.commands.cli import main

from kit import ROOT, blank_pdf, write_county

TODAY = "2026-11-26"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DEPLOY = ROOT / "scripts/deploy.sh"
PAGE = "content/xxgk/zhinan.md"

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists() or os.geteuid() != 0, reason="needs nginx and root (to run its workers as www-data)"
)

CONFIG = """\
worker_processes 1;
user www-data;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {prefix}/tmp; proxy_temp_path {prefix}/tmp; fastcgi_temp_path {prefix}/tmp;
    uwsgi_temp_path {prefix}/tmp; scgi_temp_path {prefix}/tmp;
    server {{
        listen 127.0.0.1:{port};
        location /gov/ {{ alias {target}/current/; index index.html; }}
    }}
}}
"""


def _site(root: Path, text: str, umask: int = 0o077) -> Path:
    """The small county built with ``text`` in its guide page, under a umask that hides files from others."""
    (root / PAGE).write_text(f"# 政府信息公开指南\n\n{text}\n", encoding="utf-8")
    old = os.umask(umask)
    try:
        assert main(["build", str(root), "--today", TODAY, "-q"]) == 0
    finally:
        os.umask(old)
    copy = root.parent / f"site-{text}"
    shutil.copytree(root / "site", copy, symlinks=True)
    os.chmod(copy, 0o700)  # as a CI artefact may arrive: readable by its owner only
    return copy


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = write_county(tmp_path_factory.mktemp("county"))
    with pytest.MonkeyPatch.context() as patch:  # PDFs are not what this test is about
        patch.setattr(stages, "render_sheets", _placeholder_sheets)
        return {name: _site(root, name) for name in ("版本甲", "版本乙")}


def _placeholder_sheets(jobs, site_dir, cache_dir, **options):
    from gongkai.render.sheets import SheetReport

    for job in jobs:
        (site_dir / job.output).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / job.output).write_bytes(blank_pdf())
    return SheetReport(len(jobs), 0, len(jobs), 0.0)


@pytest.fixture
def target() -> Iterator[Path]:
    """A deploy target nginx's www-data workers can reach (pytest's own temp dirs are private)."""
    base = Path(tempfile.mkdtemp(prefix="gongkai-deploy-", dir="/tmp"))
    base.chmod(0o755)
    yield base / "gongkai"
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def server(target: Path) -> Iterator[str]:
    assert pwd.getpwnam("www-data")
    prefix = Path(tempfile.mkdtemp(prefix="gongkai-nginx-"))
    (prefix / "tmp").mkdir()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (prefix / "nginx.conf").write_text(CONFIG.format(prefix=prefix, port=port, target=target), encoding="utf-8")
    command = [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")]
    process = subprocess.Popen([*command, "-g", "daemon off;"], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/gov/"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(prefix, ignore_errors=True)


def _deploy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(DEPLOY), *args], capture_output=True, text=True, check=False)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_publish_switch_and_rollback_behind_nginx_as_www_data(sites, target, server):
    done = _deploy("publish", str(sites["版本甲"]), str(target))
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith(f"已发布：{target}/releases/")
    assert _get(server + "xxgk/zhinan/")[1].count("版本甲") == 1
    for path in ("", "documents/", "search/", "pagefind/pagefind.js", "villages/chengguan/shangxi/2026-gdlb.pdf"):
        assert _get(server + path)[0] == 200, path

    failures: list[tuple[int, str]] = []
    stop = threading.Event()

    def hammer() -> None:  # requests all through the switch: each must see a whole site, old or new
        while not stop.is_set():
            status, body = _get(server + "xxgk/zhinan/")
            if status != 200 or ("版本甲" not in body and "版本乙" not in body):
                failures.append((status, body[:80]))

    thread = threading.Thread(target=hammer)
    thread.start()
    try:
        assert _deploy("publish", str(sites["版本乙"]), str(target)).returncode == 0
        time.sleep(0.3)
    finally:
        stop.set()
        thread.join()
    assert failures == []
    assert "版本乙" in _get(server + "xxgk/zhinan/")[1]

    back = _deploy("rollback", str(target))
    assert back.returncode == 0, back.stderr
    assert back.stderr.startswith(f"已回退：{target}/current 现在指向 ")
    assert "版本甲" in _get(server + "xxgk/zhinan/")[1]
    listed = _deploy("list", str(target)).stdout.splitlines()
    assert len(listed) == 2 and listed[0].startswith("* ")

    again = _deploy("rollback", str(target))
    assert again.returncode == 1 and again.stderr.startswith("错误：没有比 ")


def test_old_releases_are_pruned_but_never_the_current_one(sites, target):
    for _ in range(4):
        assert _deploy("publish", str(sites["版本甲"]), str(target), "2").returncode == 0
    assert len(_deploy("list", str(target)).stdout.splitlines()) == 2


def test_a_directory_that_is_not_a_built_site_is_refused(tmp_path, target):
    (tmp_path / "index.html").write_text("x", encoding="utf-8")
    done = _deploy("publish", str(tmp_path), str(target))
    assert done.returncode == 1
    assert done.stderr == f"错误：「{tmp_path}」不是 gongkai build 生成的网站（缺少 .gongkai-site 或 index.html）。\n"
    assert not target.exists()
