"""从指标库添加…: pick several library indicators at once for the 绩效目标 table.

``LibraryDialog`` lists the library in a tree by 一级 → 二级 (the form family's
own words) with a check box per indicator, its usual target and its source;
names the project already has are marked and cannot be checked again.
``LibraryTools`` puts the 指标库 into one project's editor: the button, the
dialog (asked through the window's ``View``, so tests answer it without a
modal loop), the completer in the 三级指标 cells, and adding the chosen rows as
one undo step.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.models import taxonomy as tx
from desktop.models.library import (
    Library,
    LibraryEntry,
    grouped,
    insertion_plan,
    name_key,
    rank,
)
from desktop.ui.library_completer import NameCompleter
from desktop.ui.row_editor import RowEditor

if TYPE_CHECKING:
    from desktop.ui.editor import ProjectEditor

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
PRESENT_FOREGROUND = QColor("#8a8a8a")
HISTORY_FOREGROUND = QColor("#1a5fb4")


class LibraryDialog(QDialog):
    """The library as a checklist; ``chosen()`` is what the clerk checked, once 添加 is pressed."""

    def __init__(
        self,
        library: Library,
        family: str,
        present: Iterable[str] = (),
        parent: QWidget | None = None,
        framework: tx.Framework = tx.DEFAULT_FRAMEWORK,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.family = family
        self.framework = framework
        self.present = {name_key(n) for n in present}
        self._checked: dict[str, LibraryEntry] = {}
        self._accepted = False
        self.setWindowTitle("从指标库添加")
        self.resize(760, 560)

        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索指标名称，或输入 数量、时效、满意度 等级别")
        self.search.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["指标", "常用指标值", "来源"])
        self.tree.setColumnWidth(0, 330)
        self.tree.setColumnWidth(1, 150)
        self.tree.setUniformRowHeights(True)
        self.empty = QLabel("没有找到符合的指标。")
        self.empty.hide()
        self.hint = QLabel(
            "蓝色为本单位以前用过的指标；灰色为本项目已有的指标。添加的行放在同一二级指标的最后。"
        )
        self.hint.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.add_button = QPushButton("添加")
        self.add_button.setDefault(True)
        buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        layout.addWidget(self.empty)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self.search.textChanged.connect(self.show_entries)
        self.tree.itemChanged.connect(self._item_changed)
        self.show_entries("")
        self.search.setFocus()

    # ------------------------------------------------------------ the list

    def show_entries(self, query: str) -> None:
        """Show the entries matching ``query`` (all when blank); checks survive a new search."""
        entries = self.library.search(query, self.family, framework=self.framework)
        self.tree.blockSignals(True)
        self.tree.clear()
        tops: dict[str, QTreeWidgetItem] = {}
        groups: dict[tuple[str, str], QTreeWidgetItem] = {}
        for level1, level2, members in grouped(entries, self.framework):
            placement = tx.Placement(level1, level2)
            word1 = tx.printed_level1(self.family, placement) or level1
            top = tops.get(word1)
            if top is None:
                top = tops[word1] = QTreeWidgetItem(self.tree, [word1])
                _bold(top)
            parent = top
            word2 = tx.printed_level2(self.family, placement)
            if word2:
                parent = groups.get((word1, word2)) or QTreeWidgetItem(top, [word2])
                groups[(word1, word2)] = parent
            for entry in members:
                self._entry_item(parent, entry)
        self.tree.expandAll()
        self.tree.blockSignals(False)
        self.empty.setVisible(not entries)
        self._update_button()

    def _entry_item(self, parent: QTreeWidgetItem, entry: LibraryEntry) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [entry.name, entry.target or "", entry.source])
        item.setData(0, ENTRY_ROLE, entry)
        tip = f"{entry.name}\n常用指标值：{'、'.join(entry.targets) or '（无）'}\n来源：{entry.source}"
        if entry.key in self.present:
            item.setText(2, "本项目已有")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for column in range(3):
                item.setForeground(column, PRESENT_FOREGROUND)
            tip += "\n本项目已有这个指标。"
        else:
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            checked = entry.key in self._checked
            item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            if entry.from_history:
                item.setForeground(2, HISTORY_FOREGROUND)
        for column in range(3):
            item.setToolTip(column, tip)
        return item

    def entry_items(self) -> list[QTreeWidgetItem]:
        """The indicator rows shown now (not the 一级/二级 headings), top to bottom."""
        found = []
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        stack.reverse()
        while stack:
            item = stack.pop()
            if item.data(0, ENTRY_ROLE) is not None:
                found.append(item)
            stack.extend(item.child(i) for i in reversed(range(item.childCount())))
        return found

    def item_for(self, name: str) -> QTreeWidgetItem | None:
        key = name_key(name)
        return next((i for i in self.entry_items() if i.data(0, ENTRY_ROLE).key == key), None)

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        entry = item.data(0, ENTRY_ROLE)
        if entry is None or column != 0:
            return
        if item.checkState(0) == Qt.CheckState.Checked:
            self._checked[entry.key] = entry
        else:
            self._checked.pop(entry.key, None)
        self._update_button()

    def _update_button(self) -> None:
        n = len(self._checked)
        self.add_button.setText(f"添加 {n} 项" if n else "添加")
        self.add_button.setEnabled(n > 0)

    # ------------------------------------------------------------ the answer

    def checked(self) -> list[LibraryEntry]:
        """The checked entries in taxonomy order (also while the dialog is open)."""
        return sorted(self._checked.values(), key=lambda e: rank(e.level1, e.level2))

    def accept(self) -> None:
        self._accepted = True
        super().accept()

    def chosen(self) -> list[LibraryEntry]:
        """The entries to add: the checked ones after 添加, none after 取消 or closing."""
        return self.checked() if self._accepted else []


def _bold(item: QTreeWidgetItem) -> None:
    font = item.font(0)
    font.setBold(True)
    item.setFont(0, font)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled)


class _ModalView:
    """Used when the editor lives outside the main window (no ``View`` to ask)."""

    def ask_library_entries(self, dialog: LibraryDialog) -> list[LibraryEntry]:
        dialog.exec()
        return dialog.chosen()


class LibraryTools(QObject):
    """The 指标库 in one project's editor: completer, 从指标库添加… button, adding rows."""

    def __init__(self, editor: ProjectEditor, section: RowEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.section = section
        self.family = editor.project.family
        self.framework = tx.framework_of(editor.project)
        self._library: Library | None = None
        self.button = section.add_button("从指标库添加…", self.add_from_library)  # guarded there
        self.completer = NameCompleter(section, self.library, self.family, self, self.framework)

    def library(self) -> Library:
        """Built-in entries and the unit's history (read once, on first use)."""
        if self._library is None:
            self._library = Library(self._history())
        return self._library

    def reload(self) -> Library:
        """Read the unit's history again (other projects may have changed)."""
        self._library = None
        return self.library()

    def _history(self) -> list[LibraryEntry]:
        from sqlalchemy.exc import SQLAlchemyError

        from desktop.store.history import read_history

        try:
            return read_history(self.editor.repo.engine, exclude=self.editor.project.id)
        except SQLAlchemyError:
            return []  # a database that cannot be read now still leaves the built-in library

    def dialog(self) -> LibraryDialog:
        """A new 从指标库添加 dialog for the open project (not yet shown)."""
        present = [r.name for r in self.editor.project.indicators if r.name]
        return LibraryDialog(self.reload(), self.family, present, self.editor, self.framework)

    def add_from_library(self) -> int:
        """Ask which entries to add (through the window's View) and add them; rows added."""
        if self.editor.project.is_final:
            return 0
        view = getattr(self.editor.window(), "view", None)
        if not hasattr(view, "ask_library_entries"):
            view = _ModalView()
        return self.add(view.ask_library_entries(self.dialog()))

    def add(self, entries: Sequence[LibraryEntry]) -> int:
        """Insert rows for ``entries`` beside their 二级 (taxonomy order), as one undo step."""
        model = self.section.model
        if model.read_only or not entries:
            return 0
        plan = insertion_plan(self.editor.project.indicators, entries, self.family, self.framework)
        # A full table takes what fits, and the clerk is told what was left out.
        plan = plan[: model.rows_that_fit(len(plan))]
        if not plan:
            return 0
        stack = self.editor.undo_stack
        stack.beginMacro(f"从指标库添加 {len(plan)} 行")
        for position, row in plan:
            model.insert_rows(position, [row])
        stack.endMacro()
        # the rows may have moved into their groups: the cursor goes to the first of them
        added = [next(i for i, r in enumerate(model.rows) if r is row) for _, row in plan]
        self.section.table.setCurrentIndex(model.index(min(added), _name_column(model)))
        self.section.table.setFocus()
        return len(plan)


def _name_column(model: Any) -> int:
    return next((n for n, c in enumerate(model.columns) if c.attr == "name"), 0)
