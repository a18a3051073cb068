"""Window actions on a read-only or locked database say so (issue 16, item 8).

Before, only autosave caught the store's errors: 新建, 导入, 复制, 删除, 定稿 and the
回收站's buttons on a database that refuses writes did nothing visible (the
exception went to a console the windowed program does not have). Each case here
makes the store fail as a read-only file does (SQLite answers SQLITE_READONLY)
or as a database another program holds does (a second connection in
``BEGIN EXCLUSIVE``: SQLITE_BUSY), then checks that the clerk is told which action
failed and why, that the list still shows what is stored, that the same action
works once the fault is gone, and that the log file holds the traceback.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from rule_helpers import baseline

from desktop.logfile import LOG_FILENAME, setup_logging, stop_logging
from desktop.models.project import STATUS_FINAL
from desktop.ui.main_window import TrashDialog

READ_ONLY = "只读"  # the cause as the clerk reads it (desktop.store.health, SQLITE_READONLY)
IN_USE = "占用"  # SQLITE_BUSY: 数据库正被其他程序占用


@pytest.fixture(autouse=True)
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The log in this test's folder, never the user's data folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    folder = tmp_path / "logs"
    assert setup_logging(folder) == folder / LOG_FILENAME
    yield folder
    stop_logging()


def logged(folder: Path) -> str:
    return (folder / LOG_FILENAME).read_text(encoding="utf-8")


def _listen(engine, set_up: Callable[[sqlite3.Connection], None]) -> Callable[[], None]:
    """Run ``set_up`` on each new connection of ``engine`` (NullPool: each operation)."""
    from sqlalchemy import event

    def on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        set_up(dbapi_conn)

    event.listen(engine, "connect", on_connect)
    return lambda: event.remove(engine, "connect", on_connect)


@contextmanager
def read_only(window) -> Iterator[str]:
    """Writes refused as on a read-only file: SQLite answers SQLITE_READONLY."""
    undo = _listen(window.repo.engine, lambda c: c.execute("PRAGMA query_only=ON"))
    try:
        yield READ_ONLY
    finally:
        undo()


@contextmanager
def locked(window) -> Iterator[str]:
    """Another program holds the database (a real second connection in BEGIN EXCLUSIVE).

    The store waits 5 s for a lock; here 50 ms, so the test need not wait.
    """
    db = window.repo.engine.url.database
    undo = _listen(window.repo.engine, lambda c: c.execute("PRAGMA busy_timeout=50"))
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield IN_USE
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        undo()


FAULTS = [pytest.param(read_only, id="read-only"), pytest.param(locked, id="locked")]


def window_with(make_window, *projects):
    window, view = make_window()
    if projects:
        window.repo.save_many(list(projects))
        window.refresh_list(select=projects[0].id)
        window.open_project(projects[0].id)
    return window, view


def listed(window) -> list[str]:
    return sorted(window.list_model.summary(r).name for r in range(window.list_model.rowCount()))


def stored(window) -> list[str]:
    return sorted(s.name for s in window.repo.summaries())


def assert_failure_shown(view, action: str, cause: str) -> None:
    """One error dialog, titled and worded with the action, naming the cause."""
    errors = [m for m in view.messages if m[2]]
    assert len(errors) == 1, view.messages
    title, text, _ = errors[0]
    assert title == f"{action}失败"
    assert text.startswith(f"{action}失败：") and cause in text
    assert "日志" in text  # where the details are


def assert_logged(folder: Path, action: str) -> None:
    log = logged(folder)
    assert f"操作“{action}”失败" in log
    assert "Traceback (most recent call last)" in log and "StoreError" in log


@pytest.mark.parametrize("fault", FAULTS)
def test_new_project_on_a_database_that_refuses_writes_says_so(
    make_window, log_folder: Path, fault
) -> None:
    window, view = window_with(make_window)
    with fault(window) as cause:
        window.act_new.trigger()
    assert_failure_shown(view, "新建项目", cause)
    assert listed(window) == stored(window) == [] and window.editor is None
    assert_logged(log_folder, "新建项目")
    window.act_new.trigger()  # the fault gone, the same action works
    assert listed(window) == stored(window) == ["车辆购置费"]
    assert window.editor is not None and window.editor.project.name == "车辆购置费"


def test_the_empty_states_new_button_says_so_too(make_window, log_folder: Path) -> None:
    window, view = window_with(make_window)
    with read_only(window):
        window.new_button.click()
    assert_failure_shown(view, "新建项目", READ_ONLY)
    assert stored(window) == []


@pytest.mark.parametrize("fault", FAULTS)
def test_import_on_a_database_that_refuses_writes_says_so(
    make_window, log_folder: Path, fault, tmp_path: Path
) -> None:
    from desktop.export.package import write_package_file

    window, view = window_with(make_window)
    package = tmp_path / "来件.json"
    write_package_file([baseline()], package)
    view.files = [str(package)]  # the file chosen in the 导入 dialog
    with fault(window) as cause:
        window.act_import.trigger()
    assert_failure_shown(view, "导入", cause)
    assert listed(window) == stored(window) == []
    assert_logged(log_folder, "导入")
    view.messages.clear()
    window.act_import.trigger()
    assert listed(window) == stored(window) == ["车辆购置费"]
    assert not [m for m in view.messages if m[2]]


@pytest.mark.parametrize("fault", FAULTS)
def test_copy_on_a_database_that_refuses_writes_says_so(
    make_window, log_folder: Path, fault
) -> None:
    window, view = window_with(make_window, baseline())
    source = window.editor.project.id
    with fault(window) as cause:
        window.act_copy.trigger()
    assert_failure_shown(view, "复制项目", cause)
    assert listed(window) == stored(window) == ["车辆购置费"]
    assert window.editor is not None and window.editor.project.id == source  # still open
    assert_logged(log_folder, "复制项目")
    window.act_copy.trigger()
    assert listed(window) == stored(window) == ["车辆购置费", "车辆购置费（副本）"]


@pytest.mark.parametrize("fault", FAULTS)
def test_delete_on_a_database_that_refuses_writes_says_so(
    make_window, log_folder: Path, fault
) -> None:
    window, view = window_with(make_window, baseline())
    with fault(window) as cause:
        window.act_delete.trigger()
    assert_failure_shown(view, "删除项目", cause)
    # not deleted, and the list says so
    assert listed(window) == stored(window) == ["车辆购置费"]
    assert window.repo.trash_summaries() == []
    assert window.editor is not None and window.editor.project.name == "车辆购置费"  # still open
    assert_logged(log_folder, "删除项目")
    window.act_delete.trigger()
    assert listed(window) == stored(window) == [] and len(window.repo.trash_summaries()) == 1


@pytest.mark.parametrize("fault", FAULTS)
def test_final_on_a_database_that_refuses_writes_says_so(
    make_window, log_folder: Path, fault
) -> None:
    window, view = window_with(make_window, baseline())
    editor = window.editor
    with fault(window) as cause:
        window.act_final.trigger()
    assert_failure_shown(view, "定稿", cause)
    assert not editor.project.is_final and window.act_final.text() == "定稿(&F)"
    assert window.repo.load(editor.project.id).status == "draft"
    assert window.list_model.summary(0).status_label != "定稿"
    assert_logged(log_folder, "定稿")
    window.act_final.trigger()
    assert editor.project.is_final
    assert window.repo.load(editor.project.id).status == STATUS_FINAL


def test_withdrawing_final_names_that_action(make_window, log_folder: Path) -> None:
    window, view = window_with(make_window, baseline())
    window.act_final.trigger()
    with read_only(window):
        window.act_final.trigger()  # now 撤销定稿
    assert_failure_shown(view, "撤销定稿", READ_ONLY)
    assert window.editor.project.is_final


def trash_with_one(make_window):
    window, view = window_with(make_window, baseline())
    window.act_delete.trigger()
    assert stored(window) == []
    return window, view, TrashDialog(window)


@pytest.mark.parametrize("fault", FAULTS)
def test_restore_from_the_trash_on_a_database_that_refuses_writes_says_so(
    make_window, log_folder: Path, fault
) -> None:
    window, view, trash = trash_with_one(make_window)
    with fault(window) as cause:
        trash.restore_button.click()
    assert_failure_shown(view, "恢复项目", cause)
    assert trash.model.rowCount() == 1 and listed(window) == stored(window) == []
    assert_logged(log_folder, "恢复项目")
    trash.restore_button.click()
    assert trash.model.rowCount() == 0 and listed(window) == ["车辆购置费"]


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize(
    ("button", "action"),
    [
        pytest.param("purge_button", "彻底删除", id="purge"),
        pytest.param("empty_button", "清空回收站", id="empty"),
    ],
)
def test_purging_or_emptying_the_trash_on_a_database_that_refuses_writes_says_so(
    make_window, log_folder: Path, fault, button: str, action: str
) -> None:
    window, view, trash = trash_with_one(make_window)
    with fault(window) as cause:
        getattr(trash, button).click()
    assert_failure_shown(view, action, cause)
    assert trash.model.rowCount() == 1 and len(window.repo.trash_summaries()) == 1
    assert_logged(log_folder, action)
    getattr(trash, button).click()
    assert trash.model.rowCount() == 0 and window.repo.trash_summaries() == []


def test_a_failing_action_leaves_the_list_as_stored(make_window, log_folder: Path) -> None:
    """The store changed behind the window's back and the action failed: the list is read again."""
    window, view = window_with(make_window, baseline())
    other = baseline()
    other.name = "另一个项目"
    window.repo.save(other)  # stored, not yet listed
    assert listed(window) == ["车辆购置费"]
    with read_only(window):
        window.act_copy.trigger()
    assert listed(window) == stored(window) == ["另一个项目", "车辆购置费"]


def test_a_disk_error_is_named_as_such(make_window, log_folder: Path, monkeypatch) -> None:
    """An OSError (here a full disk) from any action is a dialog too, in the clerk's words."""
    import errno

    window, view = window_with(make_window, baseline())

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "D:\\申报\\jixiao.db")

    monkeypatch.setattr(window.repo, "copy", full)
    window.act_copy.trigger()
    assert_failure_shown(view, "复制项目", "磁盘空间已满")
    assert "D:\\申报\\jixiao.db" in view.messages[-1][1]


def test_a_bug_in_an_action_is_shown_once_and_still_reported(
    make_window, log_folder: Path, qtbot
) -> None:
    """Not a store error but a bug: the clerk is told (naming the action), the log has the
    traceback, and the exception still reaches sys.excepthook (marked: not shown twice)."""
    from desktop.ui.failures import REPORTED

    window, view = window_with(make_window)

    def broken(_default_year: int):
        raise ZeroDivisionError("division by zero")

    view.ask_new_project = broken
    with qtbot.captureExceptions() as caught:
        window.act_new.trigger()
    assert_failure_shown(view, "新建项目", "程序内部错误（ZeroDivisionError")
    assert "维护人员" in view.messages[-1][1]
    [(_, exc, _)] = caught
    assert isinstance(exc, ZeroDivisionError) and getattr(exc, REPORTED)
    assert "ZeroDivisionError" in logged(log_folder)
    view.new_project = (2022, "车辆购置费", "shanghai-2021")
    del view.ask_new_project
    window.act_new.trigger()  # still usable
    assert stored(window) == ["车辆购置费"]


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_any_slot_reaches_the_dialog_and_the_log(qtbot, log_folder: Path) -> None:
    """What no guard wraps (a timer, an editor's slot): the excepthook logs it and shows it once."""
    from PySide6.QtCore import QTimer

    from desktop.ui.failures import UNEXPECTED_TITLE, install_excepthook

    shown: list[tuple[str, str]] = []
    before = sys.excepthook
    uninstall = install_excepthook(lambda title, text: shown.append((title, text)))
    try:
        fired: list[bool] = []

        def slot() -> None:
            fired.append(True)
            raise KeyError("没有这个项目")

        QTimer.singleShot(0, slot)
        qtbot.waitUntil(lambda: bool(shown))
    finally:
        uninstall()
    assert sys.excepthook is before
    [(title, text)] = shown
    assert title == UNEXPECTED_TITLE and "KeyError" in text and "日志" in text
    log = logged(log_folder)
    assert "未处理的异常" in log and "KeyError" in log and "in slot" in log


@pytest.mark.qt_no_exception_capture
def test_the_excepthook_does_not_show_a_second_dialog_while_one_is_open(log_folder) -> None:
    from desktop.ui.failures import install_excepthook

    shown: list[str] = []

    def show(title: str, text: str) -> None:
        shown.append(text)
        if len(shown) == 1:  # another failure while the first dialog is open
            try:
                raise ValueError("second")
            except ValueError:
                sys.excepthook(*sys.exc_info())

    uninstall = install_excepthook(show)
    try:
        try:
            raise ValueError("first")
        except ValueError:
            sys.excepthook(*sys.exc_info())
    finally:
        uninstall()
    assert len(shown) == 1 and "first" in shown[0]
    log = logged(log_folder)
    assert "first" in log and "second" in log  # both logged


def test_copy_to_next_year_on_a_read_only_database_says_so(make_window, log_folder) -> None:
    window, view = window_with(make_window, baseline())
    with read_only(window):
        window.act_next_year.trigger()
    errors = [m for m in view.messages if m[2]]
    assert [m[0] for m in errors] == ["复制到下一年度失败"] and READ_ONLY in errors[0][1]
    assert listed(window) == stored(window) == ["车辆购置费"]
    window.act_next_year.trigger()
    assert len(stored(window)) == 2


def test_the_summary_dialogs_buttons_say_why_they_failed(
    make_window, log_folder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """汇总表 → 导出 Excel into a folder the clerk may not write (PermissionError, not WriteError)."""
    import errno

    from desktop.export import summary_table

    window, view = window_with(make_window, baseline())
    window.act_summary.trigger()
    dialog = view.summary_dialogs[-1]

    def refused(_summary, path):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(summary_table, "write_summary_workbook", refused)
    view.save_path = str(tmp_path / "汇总表.xlsx")
    dialog.export_button.click()
    assert_failure_shown(view, "导出汇总表", "没有写入权限")
    assert "汇总表.xlsx" in view.messages[-1][1]


def test_the_snapshots_dialogs_buttons_say_why_they_failed(
    make_window, log_folder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.store import StoreError

    window, view = window_with(make_window, baseline())
    window.act_final.trigger()  # one 定稿记录
    window.act_snapshots.trigger()
    dialog = view.snapshot_dialogs[-1]
    assert dialog.infos

    def unreadable(_snapshot_id):
        raise StoreError("读写数据库文件时出错（U 盘是否已拔出、网络是否已断开？）", "write")

    monkeypatch.setattr(window.repo, "load_snapshot", unreadable)
    dialog.compare_button.click()
    assert_failure_shown(view, "对比定稿记录", "U 盘是否已拔出")
    assert view.compared == []


def test_an_editor_button_says_why_it_failed(make_window, log_folder, monkeypatch) -> None:
    """从指标库添加… is the editor's (built before it is in the window): the window's dialog says it."""
    from desktop.store import StoreError

    window, view = window_with(make_window, baseline())
    tools = window.editor.library
    rows = len(window.editor.project.indicators)

    def unreadable():
        raise StoreError("数据库正被其他程序占用，请稍后再试", "locked")

    monkeypatch.setattr(tools, "reload", unreadable)
    tools.button.click()
    assert_failure_shown(view, "从指标库添加", IN_USE)
    assert len(window.editor.project.indicators) == rows
    assert_logged(log_folder, "从指标库添加")


def test_the_summary_action_says_why_it_could_not_read(
    make_window, log_folder, monkeypatch
) -> None:
    from desktop.store import StoreError

    window, view = window_with(make_window, baseline())

    def unreadable(_year):
        raise StoreError("无法读取数据库文件（没有权限，或被其他程序独占）", "unreadable")

    monkeypatch.setattr(window.repo, "year_summary", unreadable)
    window.act_summary.trigger()
    assert_failure_shown(view, "汇总表", "没有权限")
    assert view.summary_dialogs == []
    assert listed(window) == ["车辆购置费"]


CHILD = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

def critical(parent, title, text, *args, **kwargs):
    print("DIALOG", title, "|", text.replace("\n", " "), flush=True)
    return QMessageBox.StandardButton.Ok

QMessageBox.critical = critical  # the real View, without blocking on a modal box
app = QApplication(sys.argv[:1])

def drive():
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow)]
    if not windows or not windows[0].store_open:
        QTimer.singleShot(20, drive)
        return
    window = windows[0]
    from sqlalchemy import event

    event.listen(window.repo.engine, "connect", lambda c, _r: c.execute("PRAGMA query_only=ON"))
    window.table.setCurrentIndex(window.filter.index(0, 0))
    window.act_delete.trigger()
    print("LISTED", window.list_model.rowCount(), flush=True)

    def broken():
        raise LookupError("no such row")

    QTimer.singleShot(0, broken)
    QTimer.singleShot(50, window.close)

QTimer.singleShot(0, drive)
from desktop.cli import main
sys.exit(main(["--db", sys.argv[1]]))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="the data folder is moved by XDG_DATA_HOME")
def test_the_windowed_program_shows_and_logs_into_the_user_data_folder(tmp_path: Path) -> None:
    """The real program (python -m desktop): 删除 on a read-only database and a bug in a
    timer's slot both reach a dialog and <user data>/jixiao-shenbao/logs/jixiao.log."""
    import subprocess

    from conftest import child_env

    from desktop.store import open_repository

    db = tmp_path / "jixiao.db"
    repo = open_repository(db)
    repo.save(baseline())
    repo.engine.dispose()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(db)],
        cwd=tmp_path,
        env=child_env(tmp_path, QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    dialogs = [line for line in done.stdout.splitlines() if line.startswith("DIALOG")]
    assert len(dialogs) == 2, done.stdout
    assert dialogs[0].startswith("DIALOG 删除项目失败 | 删除项目失败：") and READ_ONLY in dialogs[0]
    assert dialogs[1].startswith("DIALOG 程序出错") and "LookupError" in dialogs[1]
    assert "LISTED 1" in done.stdout  # not deleted, still listed
    log = (tmp_path / "data" / "jixiao-shenbao" / "logs" / LOG_FILENAME).read_text(encoding="utf-8")
    assert str(tmp_path / "data") in dialogs[0]  # the dialog says where the log is
    assert "程序启动" in log and "程序退出" in log
    assert "操作“删除项目”失败" in log and "StoreError" in log and "LookupError" in log
    assert log.count("Traceback (most recent call last)") >= 2


def test_an_editor_button_that_fails_names_its_action(
    make_window, log_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The buttons under a table and the 问题 panel's go through the same guard as the menus.
    from PySide6.QtWidgets import QPushButton

    from desktop.store.errors import StoreError
    from desktop.ui.row_table import RowTableModel

    window, view = window_with(make_window)
    window.act_new.trigger()
    editor = window.editor
    assert editor is not None
    section = editor.row_editors["indicators"]
    before = len(section.model.rows)

    def refuse(*_args: object) -> None:
        raise StoreError("数据库文件是只读的", "readonly")

    monkeypatch.setattr(RowTableModel, "insert_rows", refuse)
    button = next(b for b in section.findChildren(QPushButton) if b.text() == "添加行")
    button.click()
    assert_failure_shown(view, "添加行", "只读")
    assert_logged(log_folder, "添加行")
    assert len(section.model.rows) == before and window.editor is editor
