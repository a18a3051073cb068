"""Autocomplete from the 指标库 while a 三级指标 (指标名称) cell is typed.

The popup lists matching entries with their usual target and 一级/二级;
choosing one (Enter on it, or a click) fills the name and, where blank, the
levels and the target, as one undo step. Nothing is chosen until the clerk
moves into the list, so typing and pressing Enter or Tab works as before; a
name that matches nothing shows no popup at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QCompleter,
    QLineEdit,
    QTreeView,
)

from desktop.models import taxonomy as tx
from desktop.models.library import Library, LibraryEntry, fill_cells
from desktop.ui.row_editor import RowEditor

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
MAX_OFFERED = 12
POPUP_WIDTH = 640
_PICK_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_PASS_KEYS = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)


def levels_text(entry: LibraryEntry, family: str) -> str:
    """``产出指标 / 数量指标`` in the family's own words."""
    placement = entry.placement
    words = [tx.printed_level1(family, placement), tx.printed_level2(family, placement)]
    return " / ".join(w for w in words if w)


class NameCompleter(QObject):
    """Offers library entries in the 三级指标 cells of one 绩效目标 section."""

    def __init__(
        self,
        section: RowEditor,
        library: Callable[[], Library],
        family: str,
        parent: QObject | None = None,
        framework: tx.Framework = tx.DEFAULT_FRAMEWORK,
    ) -> None:
        super().__init__(parent)
        self.section = section
        self.family = family
        self.framework = framework
        self._library = library
        # the open cell editor, its completer and the cell it edits
        self.line: QLineEdit | None = None
        self.completer: QCompleter | None = None
        self._cell: QPersistentModelIndex | None = None
        section.delegate.editor_hooks.append(self._attach)

    # ------------------------------------------------------------ wiring

    def _attach(self, line: QLineEdit, index: Any) -> None:
        model = self.section.model
        if model.read_only or model.column(index.column()).attr != "name":
            return
        completer = QCompleter(line)
        popup = QTreeView()
        popup.setRootIsDecorated(False)
        popup.setHeaderHidden(True)
        popup.setAllColumnsShowFocus(True)
        popup.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        popup.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        completer.setPopup(popup)
        completer.setModel(QStandardItemModel(0, 4, completer))
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setMaxVisibleItems(MAX_OFFERED)
        completer.setWidget(line)
        # installed after the completer's own filter, so ours sees the keys first
        popup.installEventFilter(self)
        completer.activated[QModelIndex].connect(self._pick)
        line.textEdited.connect(self._offer)
        line.destroyed.connect(lambda *_args: self._forget(line))
        self.line, self.completer = line, completer
        self._cell = QPersistentModelIndex(index)

    def _forget(self, line: QLineEdit) -> None:
        # a closed editor is deleted later, maybe after the next one opened
        if self.line is line:
            self.line = self.completer = self._cell = None

    # ------------------------------------------------------------ offering

    def offered(self) -> list[LibraryEntry]:
        """The entries the popup shows now."""
        if self.completer is None:
            return []
        model = self.completer.model()
        return [model.index(r, 0).data(ENTRY_ROLE) for r in range(model.rowCount())]

    def _offer(self, text: str) -> None:
        completer, line = self.completer, self.line
        if completer is None or line is None:
            return
        found = self._library().search(text, self.family, MAX_OFFERED, self.framework) if text.strip() else []
        model = completer.model()
        assert isinstance(model, QStandardItemModel)
        model.removeRows(0, model.rowCount())
        for entry in found:
            cells = [
                QStandardItem(entry.name),
                QStandardItem(entry.target or ""),
                QStandardItem(levels_text(entry, self.family)),
                QStandardItem("" if entry.source == "库" else entry.source),
            ]
            cells[0].setData(entry, ENTRY_ROLE)
            for cell in cells:
                cell.setEditable(False)
                cell.setToolTip(f"{entry.name}　{entry.target or ''}　{entry.source}")
            model.appendRow(cells)
        popup = completer.popup()
        if not found:
            popup.hide()
            return
        assert isinstance(popup, QTreeView)
        for column, width in enumerate((260, 130, 170)):
            popup.setColumnWidth(column, width)
        completer.complete(QRect(0, 0, max(line.width(), POPUP_WIDTH), line.height()))
        # nothing chosen until the clerk moves into the list: Enter keeps what was typed
        popup.setCurrentIndex(QModelIndex())
        popup.selectionModel().clear()

    # ------------------------------------------------------------ choosing

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        completer, line = self.completer, self.line
        if (
            completer is None
            or line is None
            or watched is not completer.popup()
            or event.type() != QEvent.Type.KeyPress
            or not isinstance(event, QKeyEvent)
        ):
            return False
        popup = completer.popup()
        if event.key() in _PICK_KEYS and popup.currentIndex().isValid():
            self._pick(popup.currentIndex())
            return True
        if event.key() in _PICK_KEYS + _PASS_KEYS:
            # no entry chosen: the key does what it does in any cell (commit, move)
            popup.hide()
            QApplication.sendEvent(
                line, QKeyEvent(event.type(), event.key(), event.modifiers(), event.text())
            )
            return True
        if event.key() == Qt.Key.Key_Escape:
            popup.hide()  # the first Escape closes the list, the next one the cell
            return True
        return False

    def _pick(self, index: QModelIndex) -> None:
        entry = index.sibling(index.row(), 0).data(ENTRY_ROLE)
        if entry is None or self._cell is None or not self._cell.isValid():
            return
        self.choose(entry)

    def choose(self, entry: LibraryEntry) -> int:
        """Fill the edited row from ``entry`` (one undo step) and close the cell editor."""
        if self._cell is None or not self._cell.isValid():
            return 0
        row, line, completer = self._cell.row(), self.line, self.completer
        if completer is not None:
            completer.popup().hide()
        delegate = self.section.delegate
        if line is not None:
            # closed without committing: the row is filled below, in one step
            delegate.closeEditor.emit(line, QAbstractItemDelegate.EndEditHint.NoHint)
        model = self.section.model
        cells = fill_cells(model.row_object(row), entry, self.family, self.framework)
        changed = model.set_cells([(row, attr, value) for attr, value in cells], "从指标库填入")
        self.section.table.setFocus(Qt.FocusReason.OtherFocusReason)  # keep typing in the sheet
        return changed
