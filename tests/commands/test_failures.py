"""Every failure is one Chinese message with its own exit code, never a traceback; one run reports every problem."""

from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path

import pytest

from gongkai.commands import build as build_module
from gongkai.commands.cli import main
from gongkai.errors import ExitCode
from gongkai.render import site as site_module

from kit import document, write_county

TODAY = "2026-11-26"
DOC = "content/documents/2026/gdlb.md"


def _build(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["build", str(root), "--today", TODAY, "-q", *extra])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def test_a_load_error_and_a_cross_record_error_come_out_in_one_run(tmp_path, capsys):
    broken = document("甲", "11341700MB1714830K/202603-00009").replace("发布日期: 2026-03-05", "发布日期: 2026-02-30")
    misspelt = document("乙", "11341700MB1714830K/202603-00008").replace("测试县人民政府办公室", "测试县政府办公室")
    root = write_county(tmp_path, {"content/documents/2026/a.md": broken, "content/documents/2026/b.md": misspelt})
    code, err = _build(root, capsys)
    assert code == ExitCode.SOURCES
    assert "content/documents/2026/a.md 第 7 行，字段「发布日期」：日期「2026-02-30」不存在" in err
    assert (
        "content/documents/2026/b.md 第 5 行，字段「发布机构」：「测试县政府办公室」不在 county.yml 的发布机构列表中"
        in err
    )
    assert "您是不是要写「测试县人民政府办公室」？" in err


def test_a_broken_catalogue_is_reported_once_not_echoed_by_its_documents(tmp_path, capsys):
    root = write_county(tmp_path, {"catalog/snbt.yml": "领域: snbt\n目录: 不是列表\n"})
    code, err = _build(root, capsys)
    assert code == ExitCode.SOURCES
    assert "catalog/snbt.yml" in err and "目录事项" not in err


def test_deep_yaml_nesting_is_a_located_message(tmp_path, capsys):
    root = write_county(tmp_path, {"catalog/snbt.yml": "[" * 5000 + "]" * 5000})
    code, err = _build(root, capsys)
    assert code == ExitCode.SOURCES
    assert (
        "catalog/snbt.yml：YAML 的嵌套层数太多（列表或键值套了几百层）。源文件只需要两三层缩进，请检查是否误粘贴了其他内容。"
        in err
    )


def test_a_deeply_nested_body_is_a_located_message(tmp_path, capsys):
    body = "*" * 5000 + "强调" + "*" * 5000
    root = write_county(tmp_path, {DOC: document("甲", "11341700MB1714830K/202603-00001", body=body)})
    code, err = _build(root, capsys)
    assert code == ExitCode.SOURCES
    assert f"{DOC}：正文的嵌套层数太多" in err
    assert not (root / "site").exists()


@pytest.mark.parametrize(
    ("template", "line", "message"),
    [
        (
            '{% extends "gongkai/base.html" %}\n{% block footer %}\n{{ super( }}\n{% endblock %}\n',
            3,
            "模板错误（Jinja：",
        ),
        (
            '{% extends "gongkai/base.html" %}\n{% block footer %}\n{{ nothing.here }}\n{% endblock %}\n',
            3,
            "模板错误（Jinja：",
        ),
        (
            '{% extends "gongkai/base.html" %}\n{% block footer %}\n'
            "{{ config.__class__.__init__.__globals__ }}\n{% endblock %}\n",
            3,
            "模板试图访问 Python 的内部属性，已禁止（Jinja：",
        ),
    ],
    ids=["syntax", "undefined", "sandbox"],
)
def test_a_theme_template_error_names_the_template_and_line(tmp_path, capsys, template, line, message):
    root = write_county(tmp_path, {"theme/main.html": template})
    code, err = _build(root, capsys)
    assert code == ExitCode.SOURCES
    assert f"theme/main.html 第 {line} 行：{message}" in err
    assert "删除 theme/ 中的这个文件即恢复默认外观" in err


def test_a_full_disk_is_an_environment_message_and_the_site_stays(tmp_path, capsys):
    mount = tmp_path / "small"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)], check=False).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        root = write_county(tmp_path / "county")
        site = mount / "site"
        assert main(["build", str(root), "--today", TODAY, "-q", "--site-dir", str(site)]) == 0
        before = (site / "index.html").read_bytes()
        filler = mount / "filler"
        subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=1M", "count=64"], capture_output=True, check=False)
        capsys.readouterr()
        os.utime(root / "county.yml")  # a build that must write, not 「没有改动」
        code, err = _build(root, capsys, "--site-dir", str(site))
        assert code == ExitCode.ENVIRONMENT
        assert "错误：磁盘空间不足" in err and "请清理磁盘后重试。已发布的网站保持原样。" in err
        assert "未知文件" not in err and "Error building page" not in err  # one Chinese message
        assert (site / "index.html").read_bytes() == before
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_running_out_of_memory_is_an_environment_message(tmp_path, capsys, monkeypatch):
    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr("gongkai.commands.build.render_site", exhausted)
    code, err = _build(write_county(tmp_path), capsys)
    assert code == ExitCode.ENVIRONMENT
    assert err.strip() == "错误：内存不足，无法完成。请关闭其他程序或换一台内存更大的机器后重试。已发布的网站保持原样。"


def test_no_permission_is_an_environment_message(tmp_path, capsys, monkeypatch):
    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", "/srv/site/index.html")

    monkeypatch.setattr("gongkai.commands.build.render_site", denied)
    code, err = _build(write_county(tmp_path), capsys)
    assert code == ExitCode.ENVIRONMENT
    assert "没有权限读写「/srv/site/index.html」" in err


def test_a_fault_in_gongkai_asks_for_a_report_without_a_traceback(tmp_path, capsys, monkeypatch):
    def fault(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(site_module, "plan_site", fault)
    monkeypatch.setattr("gongkai.commands.build.render_site", fault)
    code, err = _build(write_county(tmp_path), capsys)
    assert code == ExitCode.INTERNAL
    assert err.startswith("错误：gongkai 内部错误（ValueError）。已发布的网站保持原样。详细信息已写入 ")
    log = Path(err.split("详细信息已写入 ")[1].split("，")[0])
    assert "ValueError: a bug" in log.read_text(encoding="utf-8")
    log.unlink()


def test_a_usage_error_has_its_own_code(capsys):
    with pytest.raises(SystemExit) as ended:
        main(["build", "--today", "昨天"])
    assert ended.value.code == ExitCode.USAGE
    assert "日期「昨天」应写成 YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["assets/javascripts/bundle.a5f9d56c.min.js", "logo.svg", "x.xml"])
def test_a_theme_file_that_would_be_published_as_is_is_refused(tmp_path, capsys, name):
    root = write_county(tmp_path, {f"theme/{name}": "alert(1)"})
    assert main(["check", str(root), "--today", TODAY]) == ExitCode.SOURCES
    suffix = Path(name).suffix
    assert f"theme/{name}：theme/ 中不能放「{suffix}」文件：主题中的文件会原样发布到网站上。" in capsys.readouterr().err


def test_style_sheets_and_images_may_be_in_the_theme(tmp_path):
    root = write_county(tmp_path, {"theme/css/county.css": "body{}", "theme/img/logo.png": b"\x89PNG\r\n"})
    assert main(["check", str(root), "--today", TODAY]) == 0


def test_an_over_long_name_is_a_machine_problem_in_chinese():
    import errno as errno_

    from gongkai.commands.cli import machine_problem

    error = OSError(errno_.ENAMETOOLONG, "File name too long", "villages/a/b/payouts/" + "x" * 300 + ".yml")
    assert (machine_problem(error) or "").startswith("文件名或路径太长（villages/a/b/payouts/xxx")


def test_a_machine_problem_without_a_file_name_names_none():
    from gongkai.commands.cli import machine_problem

    assert machine_problem(OSError(errno.ENOSPC, "No space left on device")) == "磁盘空间不足。请清理磁盘后重试。"


def test_a_failure_of_the_pages_is_itself_when_the_checks_found_no_error(tmp_path, capsys, monkeypatch):
    root = write_county(tmp_path)
    monkeypatch.setattr(build_module, "render_site", lambda *a, **k: (_ for _ in ()).throw(OSError(errno.ENOSPC, "满")))
    code, err = _build(root, capsys)
    assert code == ExitCode.ENVIRONMENT and "磁盘空间不足" in err


@pytest.mark.parametrize("cpus", [2, 1])
def test_the_checks_end_before_the_pages_on_two_cpus_or_one(tmp_path, capsys, monkeypatch, cpus):
    root = write_county(tmp_path)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: set(range(cpus)))
    assert main(["build", str(root), "--today", TODAY]) == 0
    err = capsys.readouterr().err
    assert "▶ 检查……" in err and err.index("完成 检查（") < err.index("▶ 生成网页……")


@pytest.mark.parametrize(
    ("name", "old", "new", "said"),
    [
        (  # a cross-record error, found by the checks in their child
            "b.md",
            "测试县人民政府办公室",
            "测试县政府办公室",
            "content/documents/2026/b.md 第 5 行，字段「发布机构」",
        ),
        (  # a file that did not load: MkDocs reads mkdocs.yml as it is (a tag in it would run a program)
            "a.md",
            "发布日期: 2026-03-05",
            "发布日期: 2026-02-30",
            "content/documents/2026/a.md 第 7 行，字段「发布日期」：日期「2026-02-30」不存在",
        ),
    ],
    ids=["check error", "load error"],
)
def test_source_errors_stop_the_build_before_any_page(tmp_path, capsys, monkeypatch, name, old, new, said):
    """Nothing is rendered, and no published file linked (a failed build would leave the next one a site it cannot
    vouch for), before the checks pass; a file that did not load stops the build before the checks' child too."""
    broken = document("甲", "11341700MB1714830K/202603-00009").replace(old, new)
    root = write_county(tmp_path, {f"content/documents/2026/{name}": broken})
    rendered: list[object] = []
    monkeypatch.setattr(build_module, "render_site", lambda *a, **k: rendered.append(a))
    code, err = _build(root, capsys)
    assert code == ExitCode.SOURCES and rendered == []
    assert said in err
    assert not (root / "site").exists()
