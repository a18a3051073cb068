"""Opening the database at start, and what to do when it cannot be opened.

A damaged file (truncated, garbage, not SQLite) is never overwritten: the
clerk chooses to restore the newest good backup or to start a new database,
and either way the damaged file is renamed and kept beside the new one. A
file locked by another program can be retried. The questions go through a
``StartView`` so tests answer them without modal dialogs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QMainWindow, QMessageBox, QWidget

if TYPE_CHECKING:
    from desktop.models.rules import RuleSettings
    from desktop.store import Repository
    from desktop.store.backup import Backup
    from desktop.store.health import Health

RESTORE, NEW, QUIT = "restore", "new", "quit"
CANCELLED = "cancelled"  # StoreError kind: the clerk chose to stop, already told
NOTICE_MS = 60_000  # how long the status line says where a new database was made


def created_notice(db: Path) -> str:
    """What the window says when it made a new database: where, so the clerk can find and back it up."""
    return (
        f"已新建数据库：{db.resolve()}（项目都保存在这个文件中，自动备份在它旁边的 backups 文件夹）"
    )


class StartView:
    """The start-up questions, as message boxes (no parent: the window may not exist yet)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def show_message(self, title: str, text: str, error: bool = False) -> None:
        (QMessageBox.critical if error else QMessageBox.information)(self.parent, title, text)

    def show_notice(self, text: str) -> None:
        """A line in the window's status bar, once the window is shown (it may not exist yet)."""

        def post() -> None:
            windows = [self.parent] if isinstance(self.parent, QMainWindow) else []
            windows += [
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, QMainWindow) and w.isVisible()
            ]
            if windows:
                windows[0].statusBar().showMessage(text, NOTICE_MS)

        QTimer.singleShot(0, post)

    def ask_damaged(self, message: str, backup: tuple[Backup, Health] | None) -> str:
        box, restore, new = self.damaged_box(message, backup)
        box.exec()
        clicked = box.clickedButton()
        return RESTORE if clicked is restore and restore else NEW if clicked is new else QUIT

    def damaged_box(
        self, message: str, backup: tuple[Backup, Health] | None
    ) -> tuple[QMessageBox, QAbstractButton | None, QAbstractButton]:
        """The question, built but not shown: its 从备份恢复 and 新建数据库 buttons."""
        box = QMessageBox(self.parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("数据库无法打开")
        box.setText(message)
        restore = None
        if backup is not None:
            found, health = backup
            box.setInformativeText(
                f"可以从最近一个含项目的完好备份恢复：{found.made_at:%Y-%m-%d %H:%M}（{found.label}，"
                f"{health.projects} 个项目）。\n无论选哪一项，损坏的文件都会改名保留在原文件夹，不会被覆盖。"
            )
            restore = box.addButton("从备份恢复", QMessageBox.ButtonRole.AcceptRole)
        else:
            box.setInformativeText(
                "没有找到可用的备份。可以新建一个空数据库；损坏的文件会改名保留在原文件夹，不会被覆盖。"
            )
        new = box.addButton("新建数据库", QMessageBox.ButtonRole.ActionRole)
        box.addButton("退出", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore or new)
        return box, restore, new

    def ask_retry(self, message: str) -> bool:
        answer = QMessageBox.warning(
            self.parent,
            "数据库暂时无法打开",
            message,
            QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Close,
        )
        return answer == QMessageBox.StandardButton.Retry


def open_store(
    db: Path, settings: RuleSettings | None, view: StartView, attempts: int = 10
) -> Repository:
    """The repository on ``db``, after any rescue the clerk chose.

    Raises ``StoreError``: of kind ``cancelled`` when the clerk chose to quit
    (already told), otherwise with the message still to show.
    """
    from desktop.store import StoreError, open_repository
    from desktop.store.backup import BackupError, newest_good_backup, restore_backup, set_aside

    last: StoreError | None = None
    created = not db.exists()  # only a file that is not there is made; an empty one is asked about
    for _ in range(attempts):
        try:
            repo = open_repository(db, settings)
        except StoreError as exc:
            last = exc
            if exc.kind in ("locked", "in_use"):
                if view.ask_retry(exc.message):
                    continue
                raise StoreError(exc.message, CANCELLED) from exc
            if not exc.damaged:
                raise
            found = newest_good_backup(db)  # the newest holding projects, if any does
            choice = view.ask_damaged(exc.reason, found)
            try:
                if choice == RESTORE and found is not None:
                    done = restore_backup(found[0].path, db)
                    kept = (
                        f"\n损坏的文件已改名保留为“{done.set_aside.name}”。"
                        if done.set_aside
                        else ""
                    )
                    view.show_message(
                        "已从备份恢复",
                        f"已从 {found[0].made_at:%Y-%m-%d %H:%M} 的备份恢复 {done.projects} 个项目。"
                        f"此后的修改没有备份，请核对。{kept}",
                    )
                elif choice == NEW:
                    aside = set_aside(db)
                    view.show_message(
                        "已新建数据库",
                        f"已新建一个空数据库“{db.resolve()}”。原文件已改名为“{aside.name}”，"
                        "保留在同一文件夹（内容未改动），可交给技术人员尝试修复。",
                    )
                else:
                    raise StoreError(exc.message, CANCELLED) from exc
            except BackupError as failed:
                view.show_message("无法恢复", failed.message, error=True)
        else:
            if created:
                notice = getattr(view, "show_notice", None)
                if notice is not None:
                    notice(created_notice(db))
            return repo
    assert last is not None
    raise StoreError(last.message, last.kind)
