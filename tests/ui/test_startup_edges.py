"""The window's start at the store's edges (issue 16): an emptied file, a new file, no lock."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
import errno
from pathlib import Path

import pytest
from window_helpers import SHARED, start_messages

from desktop.export.package import read_package_file
from desktop.store import StoreError, open_repository
from desktop.store.backup import DAILY, MANUAL, make_backup
from desktop.store.health import check_database
from desktop.ui import startup
from desktop.ui.startup import CANCELLED, QUIT, RESTORE, open_store

CASES = sorted((SHARED / "cases").glob("*.json"))
MONDAY = dt.datetime(2026, 11, 2, 9, 0)


class FakeStartView:
    """Answers the start-up questions and records what the window would say."""

    def __init__(self, answers: list[str]) -> None:
        self.answers = answers
        self.asked: list[tuple[str, object]] = []
        self.messages: list[tuple[str, str, bool]] = []
        self.notices: list[str] = []

    def show_message(self, title: str, text: str, error: bool = False) -> None:
        self.messages.append((title, text, error))

    def show_notice(self, text: str) -> None:
        self.notices.append(text)

    def ask_damaged(self, message: str, backup: object) -> str:
        self.asked.append((message, backup))
        return self.answers.pop(0)

    def ask_retry(self, message: str) -> bool:
        self.asked.append((message, None))
        return False


def emptied_with_backups(tmp_path: Path) -> tuple[Path, Path, int]:
    """A 0-byte database; an older backup holding projects and a newer one holding none."""
    db = tmp_path / "jixiao.db"
    repo = open_repository(db)
    repo.save_many([p for f in CASES[:2] for p in read_package_file(f).projects])
    count = repo.count()
    repo.engine.dispose()
    with_projects = make_backup(db, DAILY, MONDAY)
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        path.unlink(missing_ok=True)
    open_repository(db).engine.dispose()
    make_backup(db, MANUAL, MONDAY + dt.timedelta(days=1))
    db.write_bytes(b"")  # the copy was cut short
    return db, with_projects, count


def test_an_emptied_database_offers_the_backup_with_projects(tmp_path: Path) -> None:
    db, with_projects, count = emptied_with_backups(tmp_path)
    view = FakeStartView([RESTORE])
    repo = open_store(db, None, view)  # type: ignore[arg-type]
    [(message, offered)] = view.asked
    assert "是空的" in message and str(db) in message
    assert "restore" not in message  # the command line's advice; the window has a button
    assert offered is not None and offered[0].path == with_projects  # type: ignore[index]
    assert repo.count() == count
    assert view.notices == []  # restored, not created


def test_an_emptied_database_is_left_as_it_was_when_the_clerk_quits(tmp_path: Path) -> None:
    db, _with_projects, _count = emptied_with_backups(tmp_path)
    with pytest.raises(StoreError) as caught:
        open_store(db, None, FakeStartView([QUIT]))  # type: ignore[arg-type]
    assert caught.value.kind == CANCELLED
    assert db.stat().st_size == 0


def test_a_new_database_is_said_where(tmp_path: Path) -> None:
    db = tmp_path / "新文件夹" / "jixiao.db"
    view = FakeStartView([])
    open_store(db, None, view).engine.dispose()  # type: ignore[arg-type]
    [notice] = view.notices
    assert "已新建数据库" in notice and str(db.resolve()) in notice
    again = FakeStartView([])
    open_store(db, None, again).engine.dispose()  # type: ignore[arg-type]
    assert again.notices == []  # only once: the file now exists


def test_the_window_shows_where_it_made_the_new_database(qtbot, tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings

    from desktop.ui.main_window import MainWindow

    db = tmp_path / "jixiao.db"
    window = MainWindow(
        None,
        QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
        open_repo=lambda: open_store(db, None, startup.StartView()),
        listed=[],
    )
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.ready, timeout=10000):
        window.show()
    qtbot.waitUntil(lambda: str(db.resolve()) in window.statusBar().currentMessage(), timeout=5000)
    assert "已新建数据库" in window.statusBar().currentMessage()


def test_the_window_opens_nothing_without_the_lock(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.ui import app

    db = tmp_path / "jixiao.db"
    open_repository(db).engine.dispose()

    def refused(file, *_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError(errno.EACCES, "Permission denied", str(file))

    monkeypatch.setattr("desktop.store.lock.open", refused, raising=False)
    shown = start_messages(monkeypatch)
    assert app.run(db) == 2
    [(_title, text, error)] = shown
    assert error and "锁文件" in text and "不能写入" in text
    assert check_database(db).projects == 0
