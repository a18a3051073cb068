"""A row table section (绩效目标, 项目构成分解, 制度保障): the sheet, its buttons, paste from Excel/WPS.

The sheet behaves like the spreadsheet clerks know: Enter moves down, Tab moves
right (and past the last cell starts a new row), Delete clears the selected
cells, and 一级/二级 labels repeated on consecutive rows show as one merged cell,
as on the printed form; editing a merged cell renames the whole group.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QInputMethodEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.models.limits import MAX_AMOUNT_CHARS, MAX_FIELD_CHARS
from desktop.models.project import is_blank
from desktop.ui.failures import WindowOf, guard
from desktop.ui.limits import limit_line
from desktop.ui.row_table import (
    LEVEL_KINDS,
    RowTableModel,
    describe_target,
    level_spans,
    parse_clipboard,
)

Index = QModelIndex | QPersistentModelIndex
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def merged_rows(model: RowTableModel, row: int, attr: str) -> range:
    """The rows a cell stands for: its whole merged 一级/二级 group, else the row alone."""
    for first, span_attr, count in level_spans(model.rows):
        if span_attr == attr and first <= row < first + count:
            return range(first, first + count)
    return range(row, row + 1)


class CellDelegate(QStyledItemDelegate):
    """Editors for the cells: offered words in a combo (still free to type), help for targets.

    Enter in an editor commits and asks the sheet to move down (``enter_pressed``). An
    editor holds at most what the readers take (``MAX_FIELD_CHARS``, ``MAX_AMOUNT_CHARS`` for
    an amount) and says so at the limit (``limited``).
    """

    enter_pressed = Signal()
    target_typed = Signal(str)
    limited = Signal(str)  # the cell being typed in is full

    def __init__(self, model: RowTableModel, family: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = model
        self.family = family
        # Called with each text editor opened (the 指标库 completer attaches itself here).
        self.editor_hooks: list[Callable[[QLineEdit, Index], None]] = []

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        column = self.model.column(index.column())
        limit = MAX_AMOUNT_CHARS if column.kind == "amount" else MAX_FIELD_CHARS
        choices = self.model.choices(index, self.family)
        if choices:
            combo = QComboBox(parent)
            combo.setEditable(True)
            combo.addItems(choices)
            if combo.lineEdit() is not None:
                limit_line(combo.lineEdit(), limit, column.title, self.limited.emit)
            return combo
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit):
            limit_line(editor, limit, column.title, self.limited.emit)
        if column.kind == "target" and isinstance(editor, QLineEdit):
            editor.setPlaceholderText("如 ≥95%、≤30天、=12月 (年底前)")
            editor.textEdited.connect(self.target_typed)
        if isinstance(editor, QLineEdit):
            for hook in self.editor_hooks:
                hook(editor, index)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            if editor.lineEdit() is not None:
                editor.lineEdit().selectAll()  # as a text cell opens: typing replaces
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        text = editor.currentText() if isinstance(editor, QComboBox) else None
        if text is None and isinstance(editor, QLineEdit):
            text = editor.text()
        if text is None:
            super().setModelData(editor, model, index)
            return
        column = self.model.column(index.column())
        rows = merged_rows(self.model, index.row(), column.attr)
        if column.kind in LEVEL_KINDS and len(rows) > 1:
            # a merged label stands for every row under it
            self.model.set_cells([(r, column.attr, text) for r in rows], f"修改{column.title}")
        else:
            model.setData(index, text, Qt.ItemDataRole.EditRole)

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _ENTER
            and isinstance(editor, QWidget)
            and not (isinstance(editor, QComboBox) and editor.view().isVisible())
        ):
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self.enter_pressed.emit()
            return True
        return super().eventFilter(editor, event)


class SheetView(QTableView):
    """A table that moves like a spreadsheet; ``append_row`` is called when Tab runs off the end."""

    def __init__(self, append_row: Any, clear_cells: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self._append_row = append_row
        self._clear_cells = clear_cells

    def move_down(self) -> None:
        current = self.currentIndex()
        if not current.isValid():
            return
        below = current.row() + max(1, self.rowSpan(current.row(), current.column()))
        if below < self.model().rowCount():
            self.setCurrentIndex(self.model().index(below, current.column()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        editing = self.state() == QAbstractItemView.State.EditingState
        if not editing and event.key() in _ENTER:
            self.move_down()
            return
        if not editing and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._clear_cells()
            return
        if (
            not editing
            and event.key() == Qt.Key.Key_Space
            and event.modifiers() == Qt.KeyboardModifier.ShiftModifier
            and self.currentIndex().isValid()
        ):
            self.selectRow(self.currentIndex().row())  # Shift+Space selects the row, as in Excel
            return
        super().keyPressEvent(event)

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        """Chinese typed on a cell starts editing it, as a letter does: the text goes in."""
        current = self.currentIndex()
        if (
            self.state() != QAbstractItemView.State.EditingState
            and event.commitString()
            and self.editTriggers() & QAbstractItemView.EditTrigger.AnyKeyPressed
            and current.isValid()
            and self.edit(current, QAbstractItemView.EditTrigger.AnyKeyPressed, event)
        ):
            editor = QApplication.focusWidget()
            if editor is not None and editor is not self:
                line = editor.lineEdit() if isinstance(editor, QComboBox) else editor
                if isinstance(line, QLineEdit):
                    line.selectAll()  # typing replaces the cell, as in Excel
                QApplication.sendEvent(editor, event)
            return
        super().inputMethodEvent(event)

    def moveCursor(
        self,
        cursorAction: QAbstractItemView.CursorAction,
        modifiers: Qt.KeyboardModifier,
    ) -> QModelIndex:
        current = self.currentIndex()
        model = self.model()
        last_row, last_col = model.rowCount() - 1, model.columnCount() - 1
        if (
            cursorAction == QAbstractItemView.CursorAction.MoveNext
            and current.isValid()
            and current.row() + max(1, self.rowSpan(current.row(), current.column())) > last_row
            and current.column() == last_col
        ):
            added = self._append_row()
            if isinstance(added, QModelIndex) and added.isValid():
                return added
            return model.index(model.rowCount() - 1, 0)
        return super().moveCursor(cursorAction, modifiers)


class RowEditor(QWidget):
    """A row table with its buttons; ``notice`` carries what the clerk must be told (a limit)."""

    notice = Signal(str)

    def __init__(self, model: RowTableModel, family: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = model
        model.family = family  # the words a filled-in 一级 takes
        self.table = SheetView(self.append_row, self.clear_selection)
        self.table.setModel(model)
        self.delegate = CellDelegate(model, family, self.table)
        self.table.setItemDelegate(self.delegate)
        self.delegate.enter_pressed.connect(self.table.move_down)
        # a cell cut, rows left out, an amount refused, a cell editor full: the editor says it
        self.delegate.limited.connect(self.notice)
        model.notice.connect(self.notice)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self._triggers = (
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setEditTriggers(self._triggers)
        self.table.setTabKeyNavigation(True)
        self.table.setWordWrap(True)
        from desktop.ui.column_fit import fit_columns

        fit_columns(self.table, model.columns)  # no sideways scrolling (ui/column_fit.py)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch()
        for text, slot in (
            ("添加行", self.add_row),
            ("删除行", self.delete_rows),
            ("上移", lambda: self.move(-1)),
            ("下移", lambda: self.move(1)),
            ("从 Excel 粘贴", self.paste),
        ):
            self.add_button(text, slot)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setObjectName("cellHint")
        self.footer = QLabel()
        self.footer.setObjectName("tableFooter")
        self.footer.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(self.buttons)
        layout.addWidget(self.table)
        layout.addWidget(self.hint)
        layout.addWidget(self.footer)
        paste = QShortcut(QKeySequence.StandardKey.Paste, self.table, self.paste)
        # this table's own Ctrl+V, never another section's (several tables in one window)
        paste.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self._has_levels = any(c.kind in LEVEL_KINDS for c in model.columns)
        self._has_targets = any(c.kind == "target" for c in model.columns)
        self.hint.setVisible(self._has_targets)
        self.delegate.target_typed.connect(lambda text: self.hint.setText(describe_target(text)))
        self.table.selectionModel().currentChanged.connect(lambda cur, _prev: self._show_hint(cur))
        for signal in (
            model.modelReset,
            model.rowsInserted,
            model.rowsRemoved,
            model.rowsMoved,
            model.dataChanged,
        ):
            signal.connect(self.merge_levels)
        self.merge_levels()
        self._show_hint(QModelIndex())

    def add_button(self, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        # a click leaves the keyboard in the table, where the clerk types next
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # A failure (a store that refuses, a bug) is shown naming the button, never lost.
        button.clicked.connect(guard(WindowOf(self), text.rstrip("…"), slot))
        self.buttons.insertWidget(self.buttons.count() - 1, button)  # before the stretch
        return button

    def set_read_only(self, read_only: bool) -> None:
        """A 定稿 project: cells can be read, selected and copied, not changed."""
        self.model.set_read_only(read_only)
        for i in range(self.buttons.count()):
            widget = self.buttons.itemAt(i).widget()
            if widget is not None:
                widget.setEnabled(not read_only)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.NoEditTriggers if read_only else self._triggers
        )

    # ------------------------------------------------------------ reading aids

    def merge_levels(self, *_args: Any) -> None:
        """Show runs of the same 一级/二级 as one merged cell, as the printed form does."""
        if not self._has_levels:
            return
        self.table.clearSpans()
        cols = {c.attr: n for n, c in enumerate(self.model.columns)}
        for first, attr, count in level_spans(self.model.rows):
            if attr in cols:
                self.table.setSpan(first, cols[attr], count, 1)

    def _show_hint(self, index: Index) -> None:
        if not self._has_targets:
            return
        if index.isValid() and self.model.column(index.column()).kind == "target":
            self.hint.setText(describe_target(str(index.data(Qt.ItemDataRole.EditRole) or "")))
        else:
            self.hint.setText(describe_target(""))

    # ------------------------------------------------------------ row commands

    def current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def selected_rows(self) -> list[int]:
        rows = {i.row() for i in self.table.selectionModel().selectedIndexes()}
        if not rows and self.current_row() >= 0:
            rows = {self.current_row()}
        return sorted(rows)

    def add_row(self) -> None:
        """添加行: a row below the current one, the cursor in its first empty cell, ready to type.

        In a table with 一级/二级 the new row stays in the current row's group (its
        levels filled in), so a merged group is never split by a blank row.
        """
        current = self.current_row()
        index = self._new_row_after(current)
        if index.isValid():
            self._focus(index.row(), index.column())

    def append_row(self) -> QModelIndex:
        """Tab past the last cell: a row at the end (in the last row's group); its first empty cell."""
        return self._new_row_after(self.model.rowCount() - 1)

    def _new_row_after(self, current: int) -> QModelIndex:
        """Insert a row below ``current`` (-1: at the end) keeping its 一级/二级; its first empty cell."""
        row = current + 1 if current >= 0 else self.model.rowCount()
        new = self.model.make_row()
        if 0 <= current < self.model.rowCount():
            above = self.model.row_object(current)
            for column in self.model.columns:
                if column.kind in LEVEL_KINDS:
                    setattr(new, column.attr, getattr(above, column.attr, None))
        self.model.insert_rows(row, [new])
        where = next((i for i, r in enumerate(self.model.rows) if r is new), None)
        if where is None:
            return QModelIndex()
        return self.model.index(where, self._first_empty_column(where))

    def delete_rows(self) -> None:
        """删除行: the selected rows go (one undo step); the cursor lands on the next row."""
        rows = self.selected_rows()
        if not rows or self.model.read_only:
            return
        column = max(0, self.table.currentIndex().column())
        self.model.remove_row_set(rows)
        count = self.model.rowCount()
        if count:
            self._focus(min(rows[0], count - 1), column)
        else:
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _first_empty_column(self, row: int) -> int:
        target = self.model.row_object(row)
        for n, column in enumerate(self.model.columns):
            if column.kind != "stage" and is_blank(getattr(target, column.attr, None)):
                return n
        return 0

    def _focus(self, row: int, column: int) -> None:
        """Put the cursor on one cell (selected alone) with the keyboard in the table."""
        index = self.model.index(row, column)
        self.table.setCurrentIndex(index)
        self.table.selectionModel().select(
            index, self.table.selectionModel().SelectionFlag.ClearAndSelect
        )
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_selection(self) -> None:
        """Delete key: blank the selected cells (a merged label clears for its whole group)."""
        cells = []
        for index in self.table.selectionModel().selectedIndexes() or [self.table.currentIndex()]:
            if not index.isValid():
                continue
            column = self.model.column(index.column())
            if column.kind == "stage":
                continue
            cells += [
                (r, column.attr, None) for r in merged_rows(self.model, index.row(), column.attr)
            ]
        self.model.set_cells(cells, "清除内容")

    def move(self, step: int) -> None:
        row = self.current_row()
        dest = row + step
        if row < 0 or not 0 <= dest < self.model.rowCount():
            return
        if not self.model.same_group(row, dest):
            return  # 上移/下移 stay inside the group: a 一级 is never split in two blocks
        self.model.move_row(row, dest)
        self.table.setCurrentIndex(self.model.index(dest, self.table.currentIndex().column()))

    def paste(self) -> int:
        """Ctrl+V: fill cells from the current one, as Excel does; whole rows selected: insert.

        Returns the number of lines pasted.
        """
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            return 0
        pasted = self._paste(text)
        if pasted:
            self._select_pasted()
        return pasted

    def _select_pasted(self) -> None:
        """Select what a paste wrote, as Excel does; the cursor on its first cell."""
        rows, first, width = self.model.last_paste
        where = sorted(i for i, r in enumerate(self.model.rows) if any(r is p for p in rows))
        if not where or width < 1:
            return
        self.table.setCurrentIndex(self.model.index(where[0], first))
        selection = QItemSelection()
        for row in where:
            selection.select(self.model.index(row, first), self.model.index(row, first + width - 1))
        self.table.selectionModel().select(
            selection, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _paste(self, text: str) -> int:
        selection = self.table.selectionModel()
        whole = sorted(i.row() for i in selection.selectedRows())
        if whole:
            return self.model.paste_text(text, whole[0], insert=True)
        # a selected range pastes at its top-left cell, as in Excel; else the current cell
        cells = selection.selectedIndexes() or [self.table.currentIndex()]
        cells = [i for i in cells if i.isValid()]
        if not cells:
            return self.model.paste_text(text, self.model.rowCount())
        block = parse_clipboard(text)
        if len(cells) > 1 and len(block) == 1 and len(block[0]) == 1:
            # one value over a selected range fills every cell of it, as in Excel
            value = block[0][0]
            fills = [
                (i.row(), self.model.column(i.column()).attr, value)
                for i in sorted(cells, key=lambda i: (i.row(), i.column()))
                if self.model.column(i.column()).kind != "stage"
            ]
            self.model.set_cells(fills, "粘贴")
            self.model.last_paste = ([], 0, 0)  # the range stays selected
            return 1
        row = min(i.row() for i in cells)
        column = min(i.column() for i in cells)
        return self.model.paste_text(text, row, column)

    def focus_cell(self, row: int, attr: str) -> None:
        for n, column in enumerate(self.model.columns):
            if column.attr == attr:
                self.table.setCurrentIndex(self.model.index(row, n))
                self.table.setFocus(Qt.FocusReason.OtherFocusReason)
                return
