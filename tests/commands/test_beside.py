"""``workers.Beside``: one call in a forked child while the build goes on (the checks while the published site is
proven, a patched search index beside the guard's pass over the pages)."""

from __future__ import annotations

import logging
import os
import signal
import time
from pathlib import Path

import pytest

from gongkai.errors import EnvironmentProblem, Problem, SourceErrors
from gongkai.workers import Beside


def _pid() -> int:
    return os.getpid()


def test_the_call_runs_in_a_child_and_its_value_comes_back() -> None:
    with Beside(_pid, "检查") as beside:
        assert beside.forked
        assert beside.result() != os.getpid()
    assert not beside.forked


def test_the_call_runs_here_when_not_forked_or_on_one_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    with Beside(_pid, "检查", fork=False) as beside:
        assert not beside.forked and beside.result() == os.getpid()
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0})
    with Beside(_pid, "检查") as beside:
        assert not beside.forked and beside.result() == os.getpid()


def _fails() -> None:
    raise SourceErrors([Problem("content/a.md", 3, "标题", "缺少标题", "请填写标题")])


def test_the_child_s_error_is_raised_here_as_itself() -> None:
    with Beside(_fails, "检查") as beside, pytest.raises(SourceErrors) as raised:
        beside.result()
    assert "content/a.md 第 3 行，字段「标题」：缺少标题" in str(raised.value)


def _undecodable() -> None:
    b"\xb9\xab\xbf\xaa".decode("utf-8")  # GBK's 公开


def _no_file() -> None:
    Path("/nonexistent/gongkai-test.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("call", [_undecodable, _no_file])
def test_a_built_in_error_of_the_child_says_here_what_it_says_there(call) -> None:
    """Built-in errors keep their message as made (a ``UnicodeDecodeError`` in fields its constructor sets: it came
    back saying nothing)."""
    with pytest.raises(Exception) as there:
        call()
    with Beside(call, "检查") as beside, pytest.raises(type(there.value)) as here:
        beside.result()
    assert str(here.value) == str(there.value) != ""


def _stuck_in_the_child(parent: int) -> int:
    if os.getpid() != parent:  # (a lock some thread of the parent held at the fork, never released in the child)
        time.sleep(600)
    return os.getpid()


def test_a_child_silent_past_the_patience_is_ended_and_the_call_runs_here(caplog: pytest.LogCaptureFixture) -> None:
    parent = os.getpid()
    started = time.monotonic()
    with caplog.at_level(logging.WARNING), Beside(lambda: _stuck_in_the_child(parent), "检查") as beside:
        child = beside._pid
        assert beside.forked and beside.result(patience=2) == parent
    assert time.monotonic() - started < 60
    assert [r.getMessage() for r in caplog.records] == ["检查的子进程 2 秒内没有完成，已结束它，改在本进程中检查。"]
    with pytest.raises(ChildProcessError):  # ended, and waited for
        os.waitpid(child, os.WNOHANG)
    with Beside(_pid, "检查") as beside:  # patience for a child that answers: its own value
        assert beside.result(patience=60) != os.getpid()


def _logs() -> int:
    logging.getLogger("gongkai.guard.allow").warning("放行了号码 %s", "341702******1234")
    return 1


def test_what_the_child_logs_is_logged_here(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING), Beside(_logs, "检查") as beside:
        assert beside.result() == 1
    assert [(r.name, r.getMessage()) for r in caplog.records] == [
        ("gongkai.guard.allow", "放行了号码 341702******1234")
    ]


def _unpicklable() -> object:
    return lambda: None


def test_a_value_that_cannot_travel_is_an_error_here() -> None:
    with Beside(_unpicklable, "检查") as beside, pytest.raises(Exception, match="pickle"):
        beside.result()


def _killed() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_child_killed_by_the_system_is_said_in_chinese() -> None:
    with Beside(_killed, "建立搜索索引") as beside, pytest.raises(EnvironmentProblem) as raised:
        beside.result()
    assert str(raised.value).startswith("建立搜索索引的子进程被系统终止（信号 SIGKILL），多半是内存不足")


def _slow(marker: Path) -> None:
    time.sleep(0.5)
    marker.write_text("done", encoding="utf-8")


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_leaving_without_the_result_kills_the_child(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    with pytest.raises(RuntimeError), Beside(lambda: _slow(marker), "检查") as beside:
        pid = beside._pid
        raise RuntimeError("the build failed")
    assert _reaped(pid)
    time.sleep(0.7)
    assert not marker.exists()


def test_a_child_that_tidies_up_is_let_finish_when_the_build_fails(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    with pytest.raises(RuntimeError), Beside(lambda: _slow(marker), "建立搜索索引", finish=True) as beside:
        pid = beside._pid
        raise RuntimeError("the guard found a leak")
    assert _reaped(pid)
    assert marker.read_text(encoding="utf-8") == "done"  # ended by itself before the error went on


def test_a_child_let_finish_is_waited_for_on_ctrl_c_too(tmp_path: Path) -> None:
    """(Ctrl+C reaches such a child as well, as a KeyboardInterrupt: it stops and tidies up, then the parent goes on.)"""
    marker = tmp_path / "marker"
    with pytest.raises(KeyboardInterrupt), Beside(lambda: _slow(marker), "建立搜索索引", finish=True) as beside:
        pid = beside._pid
        raise KeyboardInterrupt
    assert _reaped(pid)
    assert marker.read_text(encoding="utf-8") == "done"


def _interrupted(marker: Path) -> None:
    # Ctrl+C as a terminal delivers it, even to a test run started in the background (its SIGINT ignored); ready
    # to be interrupted once the marker says so
    signal.signal(signal.SIGINT, signal.default_int_handler)
    ready = marker.with_name("ready")
    ready.write_text("ready", encoding="utf-8")
    ready.replace(marker)  # whole: a marker seen is one written (the interrupt never lands inside its writing)
    try:
        time.sleep(30)
    except KeyboardInterrupt:
        marker.write_text("tidied", encoding="utf-8")
        raise


def test_ctrl_c_stops_a_child_let_finish_which_tidies_up_first(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    with Beside(lambda: _interrupted(marker), "建立搜索索引", finish=True) as beside:
        deadline = time.monotonic() + 30
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(beside._pid, signal.SIGINT)  # (as the terminal sends it to the whole group)
        with pytest.raises(KeyboardInterrupt):
            beside.result()
    assert marker.read_text(encoding="utf-8") == "tidied"


def test_the_call_and_what_it_holds_are_let_go_with_its_result() -> None:
    beside = Beside(_pid, "检查")
    with beside:
        beside.result()
        with pytest.raises(RuntimeError):
            beside.result()
    assert beside._call is None
