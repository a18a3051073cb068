"""``python -m desktop selftest``: each check reports what it found, and it never hangs on a dialog.

Run as child processes, as the IT helper runs it: the window check runs the
real event loop until the window closes, which must not share the test's
QApplication.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO, case_projects, child_env

from desktop.store.lock import DatabaseLock


def selftest(db: Path, *extra: str) -> tuple[int, list[str]]:
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "selftest", "--db", str(db), *extra],
        cwd=REPO,
        env=child_env(db.parent, QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    return done.returncode, done.stdout.splitlines()


def imported(db: Path) -> int:
    from desktop.store import open_repository

    projects = case_projects()
    repo = open_repository(db)
    repo.save_many(projects)
    repo.engine.dispose()
    return len(projects)


def test_a_sound_installation_passes_every_check(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    count = imported(db)
    code, lines = selftest(db)
    assert code == 0, lines
    assert [line.split("：")[0] for line in lines[:-1]] == [
        "✓ 程序",
        "✓ 数据库",
        "✓ 中文界面",
        "✓ 示例项目",
        "✓ Excel 导出",
        "✓ PDF 导出",
        "✓ 打印预览",
        "✓ 窗口",
    ]
    assert f"jixiao.db：{count} 个项目" in lines[1]
    assert "源代码运行" in lines[0]
    assert "标准按钮“取消”" in lines[2]
    assert f"列表 {count} 个项目" in lines[7]
    assert lines[-1] == "自检通过。"


def test_no_database_yet_is_fine_and_the_window_creates_it(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    code, lines = selftest(db)
    assert code == 0, lines
    assert "new.db 尚不存在" in lines[1]
    assert "“自检示例项目”" in lines[3]
    assert "列表 0 个项目" in lines[-2]
    assert db.is_file()


def test_a_damaged_database_fails_by_name_and_skips_the_window(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    db.write_bytes(b"this is not a database" * 100)
    before = db.read_bytes()
    code, lines = selftest(db)
    assert code == 1
    assert lines[1].startswith("✗ 数据库：")
    assert "✗ 窗口：未打开：先解决上面数据库的问题" in lines
    assert lines[-1] == "自检未通过：数据库、窗口。"
    assert db.read_bytes() == before


def test_a_database_held_by_a_window_is_reported_not_waited_on(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    imported(db)
    lock = DatabaseLock(db).acquire()
    try:
        code, lines = selftest(db)
    finally:
        lock.release()
    assert code == 1
    window = [line for line in lines if line.startswith("✗ 窗口：")]
    assert window and "使用" in window[0]


def test_no_window_leaves_the_window_out(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    code, lines = selftest(db, "--no-window")
    assert code == 0
    assert not [line for line in lines if "窗口" in line]
