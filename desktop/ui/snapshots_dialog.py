"""定稿记录…: the open project as it was at each 定稿, compared with now or restored.

Every 定稿 keeps a snapshot of the whole project (``Repository.set_status``);
restoring one first keeps the current content as a snapshot labelled 恢复前,
so going back and forth loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from desktop.models.project import Project
from desktop.ui.failures import guard

if TYPE_CHECKING:
    from desktop.store.repository import SnapshotInfo
    from desktop.ui.main_window import MainWindow

# compare(old, new, old_title, new_title): shows two versions of a project side by side.
Compare = Callable[[Project, Project, str, str], None]

COLUMNS = ("时间", "状态", "指标数", "说明")


def shown_time(taken_at: str) -> str:
    """``2021-03-05T14:30:12.123456+08:00`` → ``2021-03-05 14:30:12``."""
    return taken_at[:19].replace("T", " ")


def snapshot_title(info: SnapshotInfo) -> str:
    return f"{info.label or '记录'}（{shown_time(info.taken_at)}）"


class SnapshotsDialog(QDialog):
    """The 定稿记录 of the window's open project, newest first."""

    restored = Signal(int)  # the snapshot restored (tests wait on it)

    def __init__(self, window: MainWindow, compare: Compare) -> None:
        super().__init__(window)
        self.window_ = window
        self.compare = compare
        editor = window.editor
        assert editor is not None and editor.project.id is not None
        self.project_id: str = editor.project.id
        self.setWindowTitle(f"定稿记录 — {editor.project.name}")
        self.resize(620, 380)
        self.infos: list[SnapshotInfo] = []

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((170, 60, 60)):
            self.table.setColumnWidth(col, width)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(
            guard(window, "对比定稿记录", lambda _i: self.compare_selected())
        )
        self.empty_label = QLabel("这个项目还没有定稿记录：每次定稿时程序会自动保存一份。")
        self.empty_label.setWordWrap(True)

        self.compare_button = QPushButton("与当前对比…")
        self.compare_button.clicked.connect(guard(window, "对比定稿记录", self.compare_selected))
        self.restore_button = QPushButton("恢复此版本…")
        self.restore_button.clicked.connect(
            guard(window, "恢复定稿记录", self.restore_selected, after=self.refresh)
        )
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.compare_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch()
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table)
        layout.addWidget(
            QLabel("恢复后项目回到草稿；恢复前的内容会先保存为一条“恢复前”记录，不会丢失。")
        )
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.infos = self.window_.repo.list_snapshots(self.project_id)
        self.table.setRowCount(len(self.infos))
        for row, info in enumerate(self.infos):
            cells = (shown_time(info.taken_at), info.status_label, str(info.indicators), info.label)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col in (1, 2):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, col, item)
        self.empty_label.setVisible(not self.infos)
        if self.infos:
            self.table.selectRow(0)
        self._update_buttons()

    def selected(self) -> SnapshotInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.infos[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        self.compare_button.setEnabled(has)
        self.restore_button.setEnabled(has)

    def compare_selected(self) -> None:
        """The chosen version beside the project as it is now (edits saved first)."""
        info = self.selected()
        if info is None:
            return
        old = self.window_.repo.load_snapshot(info.id)
        editor = self.window_.editor
        if editor is not None and editor.project.id == self.project_id:
            editor.flush()
            current = editor.project
        else:
            current = self.window_.repo.load(self.project_id)
        self.compare(old, current, snapshot_title(info), "当前")

    def restore_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        if not self.window_.view.confirm(
            "恢复此版本",
            f"用 {shown_time(info.taken_at)} 的{info.label or '记录'}替换项目的当前内容吗？\n"
            "当前内容会先保存为一条“恢复前”记录；恢复后项目为草稿，可以继续修改。",
        ):
            return
        if self.window_.restore_snapshot(self.project_id, info.id):
            self.refresh()
            self.restored.emit(info.id)
