"""The command line: Chinese help, exit codes, and all problems printed with their places."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from gongkai.commands.cli import main

from kit import blank_pdf, document, write_county


def test_help_is_in_chinese(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "县级政务公开网站生成工具" in out and "build" in out and "只检查源文件，不生成网站" in out


def test_check_passes_on_a_clean_county(county_dir, capsys):
    assert main(["check", str(county_dir), "--today", "2026-03-10"]) == 0
    assert "检查通过：3 份文件，没有发现问题。" in capsys.readouterr().err


def test_check_prints_every_problem_and_fails(tmp_path, capsys):
    root = write_county(tmp_path, {"county.yml": "县名: 测试县\n", "catalog/snbt.yml": "领域: snbt\n目录: 无\n"})
    assert main(["check", str(root)]) == 1
    err = capsys.readouterr().err
    assert "county.yml 第 1 行，字段「网站名称」：缺少必填字段。" in err
    assert "catalog/snbt.yml 第 2 行，字段「目录」：应为列表（每项以「- 」开头），实际是「无」。" in err
    assert err.rstrip().endswith("处错误，未生成网站。改正以上问题后重新运行。")
    assert not (root / "site").exists()


def test_the_command_exits_at_once_with_mains_code_and_its_lines_written(tmp_path):
    """``python -m gongkai`` ends through ``entry`` (os._exit, no teardown): the exit code is main's, and what it
    printed — stdout through a pipe is block-buffered — arrives whole."""
    root = write_county(tmp_path, {"county.yml": "县名: 测试县\n"})
    code = "import sys; from gongkai.commands import cli; print('输出' * 2000); sys.argv[1:] = ['check', sys.argv[1]]; cli.entry()"
    run = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=False)
    assert run.returncode == 1
    assert run.stdout == "输出" * 2000 + "\n"
    assert "处错误，未生成网站" in run.stderr


def test_bad_today_is_explained(capsys):
    with pytest.raises(SystemExit):
        main(["build", "--today", "2026-13-01"])
    assert "日期「2026-13-01」应写成 YYYY-MM-DD，例如 2026-11-26" in capsys.readouterr().err


def test_other_libraries_lines_stay_off_the_terminal(tmp_path):
    # a damaged attachment: pypdf logs 「EOF marker not found」 in English while the guard reads it
    fj = "content/documents/2026/fj.pdf"
    attached = document("附件", "11341700MB1714830K/202603-00001", extra="附件:\n  - 文件: fj.pdf\n")
    root = write_county(tmp_path, {fj: blank_pdf()[:-40], "content/documents/2026/gdlb.md": attached})
    run = subprocess.run(
        [sys.executable, "-m", "gongkai", "check", str(root), "--today", "2026-03-10"], capture_output=True, text=True
    )
    assert run.returncode == 1
    assert f"{fj}：无法完整读取" in run.stderr
    assert not re.search(r"^[ -~]*[A-Za-z]{3}[ -~]*$", run.stderr, re.M), run.stderr  # no line of English
    verbose = subprocess.run([sys.executable, "-m", "gongkai", "-v", *run.args[3:]], capture_output=True, text=True)
    assert "EOF marker not found" in verbose.stderr  # for developers
