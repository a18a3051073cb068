"""A row table section (绩效目标, 项目构成分解): the table, its buttons, paste from Excel/WPS."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.row_table import RowTableModel, level_choices

Index = QModelIndex | QPersistentModelIndex


class LevelDelegate(QStyledItemDelegate):
    """一级/二级 cells offer the taxonomy's words of the project's form family (still free to type)."""

    def __init__(self, model: RowTableModel, family: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = model
        self.family = family

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        column = self.model.column(index.column())
        if column.kind not in ("level1", "level2"):
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setEditable(True)
        level1 = getattr(self.model.row_object(index.row()), "level1", None)
        combo.addItems(level_choices(column.kind, self.family, level1))
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:  # noqa: N802
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


class RowEditor(QWidget):
    def __init__(self, model: RowTableModel, family: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = model
        self.table = QTableView()
        self.table.setModel(model)
        self.table.setItemDelegate(LevelDelegate(model, family, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setWordWrap(True)
        for n, column in enumerate(model.columns):
            self.table.setColumnWidth(n, column.width)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QHBoxLayout()
        for text, slot in (
            ("添加行", self.add_row),
            ("删除行", self.delete_rows),
            ("上移", lambda: self.move(-1)),
            ("下移", lambda: self.move(1)),
            ("从 Excel 粘贴", self.paste),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        QShortcut(QKeySequence.StandardKey.Paste, self.table, self.paste)

    def current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def add_row(self) -> None:
        row = self.current_row() + 1 if self.current_row() >= 0 else self.model.rowCount()
        self.model.insert_new_row(row)
        self.table.setCurrentIndex(self.model.index(row, 0))

    def delete_rows(self) -> None:
        rows = sorted(
            {i.row() for i in self.table.selectionModel().selectedIndexes()}, reverse=True
        )
        if not rows and self.current_row() >= 0:
            rows = [self.current_row()]
        for row in rows:
            self.model.remove_rows(row, 1)

    def move(self, step: int) -> None:
        row = self.current_row()
        dest = row + step
        if row < 0 or not 0 <= dest < self.model.rowCount():
            return
        self.model.move_row(row, dest)
        self.table.setCurrentIndex(self.model.index(dest, self.table.currentIndex().column()))

    def paste(self) -> int:
        text = QGuiApplication.clipboard().text()
        at = self.current_row() if self.current_row() >= 0 else self.model.rowCount()
        return self.model.paste_text(text, at) if text.strip() else 0

    def focus_cell(self, row: int, attr: str) -> None:
        for n, column in enumerate(self.model.columns):
            if column.attr == attr:
                self.table.setCurrentIndex(self.model.index(row, n))
                self.table.setFocus(Qt.FocusReason.OtherFocusReason)
                return
