"""Never lose a draft, in the window: failed saves, 备份 / 恢复, the start-up rescue, one window per file."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import hashlib
import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLineEdit
from window_helpers import SHARED, start_messages, type_text

from desktop.export.package import read_package_file
from desktop.store import StoreError, open_repository
from desktop.store.backup import DAILY, RESTORE, list_backups, make_backup
from desktop.store.health import check_database
from desktop.store.lock import DatabaseLock
from desktop.ui import startup
from desktop.ui.startup import CANCELLED, NEW, QUIT, open_store

CASES = sorted((SHARED / "cases").glob("*.json"))


def stored_db(path: Path) -> Path:
    repo = open_repository(path)
    repo.save_many([p for f in CASES for p in read_package_file(f).projects])
    repo.engine.dispose()
    return path


def open_first(window):  # type: ignore[no-untyped-def]
    window.table.setCurrentIndex(window.filter.index(0, 0))
    editor = window.editor
    assert editor is not None
    return editor


def edit_name(editor, text: str) -> None:  # type: ignore[no-untyped-def]
    name = editor.widget_for("name")
    assert isinstance(name, QLineEdit)
    name.end(False)
    type_text(name, text)


def failing_saves(monkeypatch: pytest.MonkeyPatch, repo) -> list[int]:  # type: ignore[no-untyped-def]
    """Make every save fail as a full disk does; returns a list counting the attempts."""
    attempts: list[int] = []

    def full(_project):  # type: ignore[no-untyped-def]
        attempts.append(1)
        raise StoreError("磁盘空间已满。请腾出空间后再试。", "write")

    monkeypatch.setattr(repo, "save", full)
    return attempts


# ------------------------------------------------------------------ a save that fails


def test_a_failed_save_keeps_the_edit_says_so_and_retries(
    make_window, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, _ = make_window(stored_db(tmp_path / "w.db"))
    editor = open_first(window)
    project_id = editor.project.id or ""
    attempts = failing_saves(monkeypatch, window.repo)
    edit_name(editor, "（修订）")
    assert editor.flush() is False and attempts == [1]
    assert editor.has_unsaved and editor.project.name.endswith("（修订）")
    assert "未能保存" in editor.status.text() and "磁盘空间已满" in editor.status.text()
    assert editor._retry.isActive()

    monkeypatch.undo()  # the clerk freed some space
    editor._retry.start(10)
    with qtbot.waitSignal(editor.saved, timeout=5000):
        pass
    assert not editor.has_unsaved and editor.status.text().startswith("已保存")
    assert window.repo.load(project_id).name.endswith("（修订）")


def test_leaving_an_unsaved_project_asks_first(
    make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, view = make_window(stored_db(tmp_path / "w.db"))
    editor = open_first(window)
    failing_saves(monkeypatch, window.repo)
    edit_name(editor, "（修订）")

    view.unsaved_answers = ["cancel"]
    window.table.setCurrentIndex(window.filter.index(1, 0))
    assert window.editor is editor and editor.project.name.endswith("（修订）")
    assert "磁盘空间已满" in view.unsaved_texts[-1]

    rescue = tmp_path / "抢救.json"
    view.unsaved_answers = ["package"]
    view.save_path = str(rescue)
    window.table.setCurrentIndex(window.filter.index(1, 0))
    assert window.editor is not editor
    [kept] = read_package_file(rescue).projects
    assert kept.id == editor.project.id and kept.name.endswith("（修订）")


def test_closing_with_an_unsaved_project_can_be_cancelled(
    make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, view = make_window(stored_db(tmp_path / "w.db"))
    editor = open_first(window)
    failing_saves(monkeypatch, window.repo)
    edit_name(editor, "（修订）")
    view.unsaved_answers = ["cancel"]
    assert window.close() is False and window.isVisible()
    view.unsaved_answers = ["discard"]
    assert window.close() is True


# ------------------------------------------------------------------ 备份 and 恢复


def test_backup_then_restore_from_the_window(make_window, qtbot, tmp_path: Path) -> None:
    db = stored_db(tmp_path / "w.db")
    window, view = make_window(db)
    count = window.repo.count()
    copy = tmp_path / "U盘" / "备份.db"
    copy.parent.mkdir()
    view.save_path = str(copy)
    with qtbot.waitSignal(window.backups.finished, timeout=10000) as done:
        window.act_backup.trigger()
    assert f"已备份 {count} 个项目" in done.args[0]
    assert check_database(copy).projects == count

    editor = open_first(window)
    gone = editor.project.id or ""
    window.delete_project()
    window.repo.purge(gone)
    assert window.repo.count() == count - 1

    view.backup_choice = str(copy)
    with qtbot.waitSignal(window.backups.finished, timeout=10000):
        window.act_restore.trigger()
    assert window.repo.count() == count and window.list_model.rowCount() == count
    assert window.repo.load(gone).id == gone
    assert view.messages[-1][0] == "恢复完成"
    [safety] = [b for b in list_backups(db) if b.kind == RESTORE]
    assert check_database(safety.path).projects == count - 1


@pytest.mark.parametrize("target", ["w.db", "w.db-wal", "backups/手动.db"])
def test_a_backup_over_the_database_or_its_backups_is_refused(
    make_window, qtbot, tmp_path: Path, target: str
) -> None:
    db = stored_db(tmp_path / "w.db")
    window, view = make_window(db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    backups_before = sorted(p.name for p in (tmp_path / "backups").glob("*"))
    view.save_path = str(tmp_path / target)
    with qtbot.waitSignal(window.backups.finished, timeout=10000) as done:
        window.act_backup.trigger()
    title, text, error = view.messages[-1]
    assert (title, error) == ("无法备份", True) and text == done.args[0]
    assert str(tmp_path / target) in text or Path(target).name in text
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in (tmp_path / "backups").glob("*")) == backups_before


def test_a_database_that_cannot_be_locked_is_named_so_at_start(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.store.lock import LockUnavailable
    from desktop.ui import app

    db = stored_db(tmp_path / "jixiao.db")
    shown = start_messages(monkeypatch)

    def no_lock(self: DatabaseLock) -> None:
        raise LockUnavailable(db, Path(str(db) + ".lock"), PermissionError(13, "Permission denied"))

    monkeypatch.setattr(DatabaseLock, "acquire", no_lock)
    assert app.run(db) == 2
    [(title, text, error)] = shown
    assert error and title == "数据库无法写入" and str(db) in text


def test_restore_offers_todays_automatic_backup(make_window, tmp_path: Path) -> None:
    db = stored_db(tmp_path / "w.db")
    window, view = make_window(db)  # a day's first start makes the daily backup
    view.backup_choice = None
    window.act_restore.trigger()
    [offered] = view.offered_backups
    assert [b.kind for b in offered] == [DAILY]
    assert check_database(offered[0].path).projects == window.repo.count()


def test_restoring_a_damaged_backup_is_refused(make_window, tmp_path: Path) -> None:
    window, view = make_window(stored_db(tmp_path / "w.db"))
    bad = tmp_path / "坏备份.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    before = window.repo.count()
    view.backup_choice = str(bad)
    window.act_restore.trigger()
    title, text, error = view.messages[-1]
    assert error and "不完整" in text and window.repo.count() == before


# ------------------------------------------------------------------ a damaged database at start


class FakeStartView:
    def __init__(self, answers: list[str], retry: list[bool] | None = None) -> None:
        self.answers = answers
        self.retry = retry or []
        self.asked: list[tuple[str, object]] = []
        self.messages: list[tuple[str, str, bool]] = []

    def show_message(self, title: str, text: str, error: bool = False) -> None:
        self.messages.append((title, text, error))

    def ask_damaged(self, message: str, backup: object) -> str:
        self.asked.append((message, backup))
        return self.answers.pop(0)

    def ask_retry(self, message: str) -> bool:
        self.asked.append((message, None))
        return self.retry.pop(0)


def damaged_with_backup(tmp_path: Path) -> tuple[Path, Path, str]:
    db = stored_db(tmp_path / "jixiao.db")
    backup = make_backup(db, DAILY)
    db.write_bytes(db.read_bytes()[:8000])  # the USB stick was pulled mid-copy
    return db, backup, hashlib.sha256(db.read_bytes()).hexdigest()


def test_start_restores_the_newest_good_backup_when_asked(tmp_path: Path) -> None:
    db, backup, damaged = damaged_with_backup(tmp_path)
    view = FakeStartView([startup.RESTORE])
    repo = open_store(db, None, view)  # type: ignore[arg-type]
    assert repo.count() == check_database(backup).projects
    message, offered = view.asked[0]
    assert "不完整" in message and offered is not None and offered[0].path == backup
    [aside] = tmp_path.glob("jixiao.damaged-*.db")
    assert hashlib.sha256(aside.read_bytes()).hexdigest() == damaged
    assert "已从" in view.messages[-1][1] and aside.name in view.messages[-1][1]


def test_start_can_begin_a_new_file_beside_the_damaged_one(tmp_path: Path) -> None:
    db, _backup, damaged = damaged_with_backup(tmp_path)
    view = FakeStartView([NEW])
    repo = open_store(db, None, view)  # type: ignore[arg-type]
    assert repo.count() == 0
    [aside] = tmp_path.glob("jixiao.damaged-*.db")
    assert hashlib.sha256(aside.read_bytes()).hexdigest() == damaged


def test_start_quits_leaving_the_damaged_file_as_it_was(tmp_path: Path) -> None:
    db, _backup, damaged = damaged_with_backup(tmp_path)
    view = FakeStartView([QUIT])
    with pytest.raises(StoreError) as caught:
        open_store(db, None, view)  # type: ignore[arg-type]
    assert caught.value.kind == CANCELLED
    assert hashlib.sha256(db.read_bytes()).hexdigest() == damaged
    assert list(tmp_path.glob("jixiao.damaged-*")) == []


def test_start_without_backups_offers_none(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    db.write_bytes(os.urandom(8192))
    view = FakeStartView([QUIT])
    with pytest.raises(StoreError):
        open_store(db, None, view)  # type: ignore[arg-type]
    assert view.asked[0][1] is None and "不是本程序的数据库" in view.asked[0][0]


def test_a_database_held_by_another_program_can_be_retried(tmp_path: Path) -> None:
    db = stored_db(tmp_path / "jixiao.db")
    import sqlite3

    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    view = FakeStartView([], retry=[False])
    try:
        with pytest.raises(StoreError) as caught:
            open_store(db, None, view)  # type: ignore[arg-type]
    finally:
        holder.close()
    assert caught.value.kind == CANCELLED and "占用" in view.asked[0][0]
    assert open_store(db, None, FakeStartView([])).count() > 0  # free again: opens at once


def test_a_second_window_on_the_same_database_says_so(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.ui import app

    db = stored_db(tmp_path / "jixiao.db")
    shown = start_messages(monkeypatch)
    with DatabaseLock(db, "绩效目标申报助手窗口"):
        assert app.run(db) == 2
    [(title, text, error)] = shown
    assert error and "正在本机的绩效目标申报助手窗口中使用" in text


def test_a_copy_of_the_database_is_not_the_same_database(tmp_path: Path) -> None:
    db = stored_db(tmp_path / "jixiao.db")
    other = tmp_path / "副本.db"
    shutil.copy(db, other)
    with DatabaseLock(db), DatabaseLock(other) as second:
        assert second.held


def test_a_window_painted_first_rescues_then_lists_the_restored_projects(
    qtbot, tmp_path: Path
) -> None:
    """The fast start paints before the store opens; the rescue then runs and the list follows it."""
    from PySide6.QtCore import QSettings

    from desktop.ui.main_window import MainWindow

    db, backup, _damaged = damaged_with_backup(tmp_path)
    start = FakeStartView([startup.RESTORE])
    window = MainWindow(
        None,
        QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
        open_repo=lambda: open_store(db, None, start),  # type: ignore[arg-type]
        listed=[],
    )
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.ready, timeout=10000):
        window.show()
    assert window.list_model.rowCount() == check_database(backup).projects
    assert "不完整" in start.asked[0][0]


def test_a_window_painted_first_closes_when_the_clerk_quits(qtbot, tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings
    from window_helpers import FakeView

    from desktop.ui.main_window import MainWindow

    db, _backup, damaged = damaged_with_backup(tmp_path)
    window = MainWindow(
        None,
        QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
        open_repo=lambda: open_store(db, None, FakeStartView([QUIT])),  # type: ignore[arg-type]
        listed=[],
    )
    view = FakeView()
    window.view = view  # type: ignore[assignment]
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    assert view.messages == []  # the rescue question said it all
    assert hashlib.sha256(db.read_bytes()).hexdigest() == damaged
