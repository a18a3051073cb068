"""Without a display the program says so in Chinese, never Qt's xcb abort (issue 16, item 12).

Run as child processes with no ``QT_QPA_PLATFORM``, ``DISPLAY`` or ``WAYLAND_DISPLAY``:
``selftest --no-window`` used to abort (exit 134) with "could not load the Qt platform
plugin xcb" before running a single check.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CASE_FILES, child_env

pytestmark = pytest.mark.skipif(
    sys.platform in ("win32", "darwin"), reason="Windows and macOS always have a display"
)

QT_XCB_WORDS = ("xcb", "platform plugin", "Aborted")


def without_display(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = child_env(cwd)
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "desktop", *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    from desktop.cli import main

    path = tmp_path / "jixiao.db"
    assert main(["import", str(CASE_FILES[0]), "--db", str(path)]) == 0
    return path


def test_selftest_no_window_runs_every_other_check_without_a_display(
    db: Path, tmp_path: Path
) -> None:
    done = without_display("selftest", "--no-window", "--db", str(db), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert [line.split("：")[0] for line in lines[:-1]] == [
        "✓ 程序",
        "✓ 数据库",
        "✓ 中文界面",
        "✓ 示例项目",
        "✓ Excel 导出",
        "✓ PDF 导出",
        "✓ 打印预览",
    ]
    assert "2 个项目" in lines[1] and "正文字体" in lines[5]
    assert lines[-1] == "自检通过。"
    assert not any(w in done.stderr for w in QT_XCB_WORDS)


def test_selftest_without_a_display_says_so_and_fails_only_the_window(
    db: Path, tmp_path: Path
) -> None:
    done = without_display("selftest", "--db", str(db), cwd=tmp_path)
    assert done.returncode == 1
    assert "没有可用的显示器" in done.stderr and "--no-window" in done.stderr
    assert not any(w in done.stderr for w in QT_XCB_WORDS)
    lines = done.stdout.splitlines()
    assert lines[-2].startswith("✗ 窗口：未打开：没有可用的显示器")
    assert lines[-1] == "自检未通过：窗口。"
    assert all(line.startswith("✓") for line in lines[:-2])


def test_the_window_without_a_display_says_so_in_chinese(db: Path, tmp_path: Path) -> None:
    done = without_display("--db", str(db), cwd=tmp_path)
    assert done.returncode == 2
    assert "没有可用的显示器（图形界面）" in done.stderr
    assert "python -m desktop list" in done.stderr
    assert not any(w in done.stderr for w in QT_XCB_WORDS)


def test_a_display_setting_is_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.cli import no_display

    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    assert no_display()
    monkeypatch.setenv("DISPLAY", ":0")
    assert not no_display()
    monkeypatch.delenv("DISPLAY")
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert not no_display()
    monkeypatch.delenv("WAYLAND_DISPLAY")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert not no_display()
