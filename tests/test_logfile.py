"""The windowed program's log file (desktop/logfile.py): where it is, that it rotates, UTF-8."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.logfile import (
    LOG_FILENAME,
    LOG_FOLDER,
    log,
    log_failure,
    log_path,
    setup_logging,
    stop_logging,
)


@pytest.fixture(autouse=True)
def no_log_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Never the user's data folder; no handler left behind for the next test."""
    import desktop.config

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setattr(desktop.config, "data_dir", lambda: tmp_path / "data" / "jixiao-shenbao")
    yield
    stop_logging()


def ours() -> list[logging.Handler]:
    return [h for h in logging.getLogger().handlers if type(h).__module__ == "desktop.logfile"]


def test_the_log_is_in_the_user_data_folder_by_default() -> None:
    from desktop.config import data_dir

    path = setup_logging()
    assert path == data_dir() / LOG_FOLDER / LOG_FILENAME == log_path()
    assert "data" in path.parts  # under XDG_DATA_HOME set above, not the real folder
    log.info("程序启动")
    assert "程序启动" in path.read_text(encoding="utf-8")


def test_a_failure_is_logged_with_time_action_and_traceback(tmp_path: Path) -> None:
    path = setup_logging(tmp_path)
    assert path is not None
    try:
        raise PermissionError(13, "Permission denied", "项目.db")
    except PermissionError as exc:
        log_failure("删除项目", exc)
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first[:4].isdigit() and first[4] == "-"  # 2026-12-04 11:36:08,123 ERROR ...
    assert "ERROR" in first and "操作“删除项目”失败" in first
    assert "Traceback (most recent call last)" in text and "项目.db" in text


def test_the_log_rotates_at_its_size_limit_and_keeps_a_few_files(tmp_path: Path) -> None:
    path = setup_logging(tmp_path, max_bytes=4_000, backup_count=2)
    assert path is not None
    for n in range(400):
        log.warning("第 %d 行：数据库正被其他程序占用，请稍后再试", n)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == [LOG_FILENAME, f"{LOG_FILENAME}.1", f"{LOG_FILENAME}.2"]
    for name in files:
        # the handler measures the new line in characters: one Chinese line may go past
        assert (tmp_path / name).stat().st_size <= 4_000 + 200
        (tmp_path / name).read_text(encoding="utf-8")  # whole UTF-8 lines
    assert "第 399 行" in path.read_text(encoding="utf-8")  # the newest in the current file


def test_the_default_limit_is_a_few_megabytes() -> None:
    from desktop.logfile import BACKUP_COUNT, MAX_BYTES

    assert 100_000 <= MAX_BYTES * (BACKUP_COUNT + 1) <= 10_000_000


def test_set_up_twice_writes_once(tmp_path: Path) -> None:
    setup_logging(tmp_path / "a")
    path = setup_logging(tmp_path / "b")
    assert len(ours()) == 1 and log_path() == path
    log.warning("一次")
    assert path is not None and path.read_text(encoding="utf-8").count("一次") == 1
    assert not (tmp_path / "a" / LOG_FILENAME).read_text(encoding="utf-8")
    stop_logging()
    assert ours() == [] and log_path() is None


def test_a_folder_that_cannot_be_made_leaves_the_program_without_a_log(tmp_path: Path) -> None:
    blocker = tmp_path / "logs"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    assert setup_logging(blocker) is None
    assert ours() == [] and log_path() is None
    log.warning("nowhere")  # no error


@pytest.mark.qt_no_exception_capture
def test_the_window_start_up_logs_to_the_user_data_folder_and_undoes_it(
    tmp_path: Path,
) -> None:
    """desktop/ui/app.py: the log file and the excepthook, and both gone when the program ends."""
    import sys

    pytest.importorskip("PySide6")
    from desktop.config import data_dir
    from desktop.ui.app import start_logging

    class View:
        shown: list[tuple[str, str]] = []

        def show_message(self, title: str, text: str, error: bool = False) -> None:
            self.shown.append((title, text))

    before = sys.excepthook
    view = View()
    undo = start_logging(tmp_path / "jixiao.db", lambda: view)
    try:
        assert log_path() == data_dir() / LOG_FOLDER / LOG_FILENAME
        assert sys.excepthook is not before
        try:
            raise RuntimeError("槽函数出错")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
        [(title, text)] = view.shown
        assert title == "程序出错" and "槽函数出错" in text
    finally:
        undo()
    assert sys.excepthook is before and log_path() is None
    text = (data_dir() / LOG_FOLDER / LOG_FILENAME).read_text(encoding="utf-8")
    assert "jixiao.db" in text and "槽函数出错" in text and "Traceback" in text


def test_the_log_module_loads_no_qt() -> None:
    """desktop/logfile.py sits beside config.py, below the window (design/architecture.md)."""
    import json
    import subprocess
    import sys

    from conftest import REPO

    code = "import sys, json, desktop.logfile; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert not [m for m in loaded if m.split(".")[0] in ("PySide6", "shiboken6", "sqlalchemy")]
