"""备份 and 恢复 in the window, and the daily automatic backup while the window is open."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from desktop.store.backup import Backup
    from desktop.ui.main_window import MainWindow

DAILY_CHECK_MS = 60 * 60 * 1000  # a window left open overnight still gets the new day's backup


class BackupCommands(QObject):
    """The window's backup commands; ``finished`` carries each outcome's message (tests wait on it)."""

    finished = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.timer = QTimer(self)
        self.timer.setInterval(DAILY_CHECK_MS)
        self.timer.timeout.connect(self.daily)

    def _db(self) -> Path | None:
        return self.window.repo.path

    def start_daily(self) -> None:
        self.daily()
        self.timer.start()

    def daily(self) -> Path | None:
        """Today's automatic backup, if not made yet; a failure is shown, never raised."""
        from desktop.atomic import WriteError
        from desktop.store.backup import BackupError, daily_backup

        db = self._db()
        if db is None:
            return None
        try:
            made = daily_backup(db)
        except (BackupError, WriteError) as exc:
            self.window.statusBar().showMessage(f"今天的自动备份未能完成：{exc.message}", 15000)
            return None
        if made is not None:
            self.window.statusBar().showMessage(f"已自动备份到 {made.parent}", 5000)
        return made

    def backup_now(self) -> None:
        """备份…: a copy of the whole database where the clerk chooses (e.g. a USB stick)."""
        from desktop.atomic import WriteError
        from desktop.store.backup import BackupError, copy_database
        from desktop.store.guard import protected_path_problem
        from desktop.store.health import check_database

        window = self.window
        db = self._db()
        if db is None:
            return
        if window.editor is not None:
            window.editor.flush()
        suggested = f"绩效目标申报_备份_{dt.date.today():%Y%m%d}.db"
        path = window.view.ask_save_file("备份数据库", suggested, "数据库备份 (*.db)")
        if not path:
            return
        problem = protected_path_problem(path, db)
        if problem is not None:  # e.g. the clerk picked the database itself
            window.view.show_message("无法备份", problem, error=True)
            self.finished.emit(problem)
            return
        try:
            copy_database(db, Path(path))
        except (BackupError, WriteError) as exc:
            window.view.show_message("无法备份", exc.message, error=True)
            self.finished.emit(exc.message)
            return
        count = check_database(Path(path), thorough=False).projects or 0
        done = f"已备份 {count} 个项目到 {path}。"
        window.statusBar().showMessage(done, 8000)
        self.finished.emit(done)

    def restore(self) -> None:
        """恢复…: replace every project with a backup's, after backing up the current ones."""
        from desktop.store import StoreError
        from desktop.store.backup import BackupError, list_backups
        from desktop.store.health import OK, check_database, explain

        window = self.window
        db = self._db()
        if db is None:
            return
        chosen = window.view.ask_backup(list_backups(db))
        if chosen is None:
            return
        source = Path(chosen)
        found = check_database(source)
        if found.kind != OK:
            window.view.show_message("不能用这个文件恢复", explain(source, found), error=True)
            return
        if not window.view.confirm(
            "从备份恢复",
            f"用“{source.name}”中的 {found.projects} 个项目替换程序中现在的全部项目吗？\n"
            "现在的内容会先自动备份，恢复后仍可再恢复回来。",
        ):
            return
        if not window.close_project():
            return
        try:
            done = window.repo.restore_from(source)
        except (BackupError, StoreError) as exc:
            window.view.show_message("无法恢复", exc.message, error=True)
            self.finished.emit(exc.message)
            return
        window.refresh_list()
        text = f"已恢复 {done.projects} 个项目。"
        if done.safety_backup is not None:
            text += f"\n恢复前的内容已备份为“{done.safety_backup.name}”（在 备份 → 从备份恢复 中可以找到）。"
        window.view.show_message("恢复完成", text)
        self.finished.emit(text)


class RestoreDialog(QDialog):
    """The backups beside the database, newest first, or another file the clerk picks."""

    def __init__(self, backups: list[Backup], parent: QWidget | None = None) -> None:
        from desktop.store.health import check_database

        super().__init__(parent)
        self.setWindowTitle("从备份恢复")
        self.resize(560, 380)
        self.chosen: str | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("选择一个备份。恢复会替换程序中现在的全部项目（现在的内容先自动备份）。")
        )
        self.list = QListWidget()
        for backup in backups:
            health = check_database(backup.path, thorough=False)
            what = f"{health.projects} 个项目" if health.ok else "无法读取"
            item = QListWidgetItem(
                f"{backup.made_at:%Y-%m-%d %H:%M:%S}    {backup.label}    {what}"
            )
            item.setData(Qt.ItemDataRole.UserRole, str(backup.path))
            self.list.addItem(item)
        if not backups:
            self.list.addItem("（还没有自动备份）")
        else:
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self._take_selected())
        layout.addWidget(self.list)
        buttons = QDialogButtonBox()
        restore = buttons.addButton("恢复所选备份", QDialogButtonBox.ButtonRole.AcceptRole)
        restore.setEnabled(bool(backups))
        other = QPushButton("选择其他备份文件…")
        buttons.addButton(other, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        restore.clicked.connect(self._take_selected)
        other.clicked.connect(self._pick_file)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _take_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None and item.data(Qt.ItemDataRole.UserRole):
            self.chosen = str(item.data(Qt.ItemDataRole.UserRole))
            self.accept()

    def _pick_file(self) -> None:
        from desktop.ui.file_dialogs import ask_paths

        chosen = ask_paths(self, "选择备份文件", "", "数据库备份 (*.db);;所有文件 (*)", "open")
        if chosen:
            self.chosen = chosen[0]
            self.accept()
