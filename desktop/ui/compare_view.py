"""Two versions of a declaration side by side, section by section, differences highlighted.

The lines come from ``desktop.models.compare``; this dialog only lays them out.
Used for 与上一年度对比 and (by the 定稿记录) a 定稿 against the current draft.
"""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.models.compare import SECTIONS, ComparedRow, compare_rows
from desktop.models.project import Project

DIFFERENT_BACKGROUND = QColor("#ffe3a3")
SECTION_BACKGROUND = QColor("#e8eaed")


class CompareDialog(QDialog):
    """``old`` and ``new`` side by side; 只看不同 hides the lines both say alike."""

    def __init__(
        self,
        old: Project,
        new: Project,
        old_title: str,
        new_title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"对比：{new.name or '（未命名项目）'}")
        self.resize(1100, 700)
        self.compared: list[ComparedRow] = compare_rows(old, new)
        differing = sum(1 for r in self.compared if r.differs)
        self.summary = QLabel(
            f"共 {differing} 处不同（琥珀色）。" if differing else "两个版本的内容相同。"
        )
        self.only_differences = QCheckBox("只看不同")
        self.only_differences.toggled.connect(self._filter)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.only_differences)

        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["栏目", old_title, new_title])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 220)
        # Table row → the compared line it shows (None for a section heading).
        self._lines: list[ComparedRow | None] = []
        self._fill()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(buttons)

    def _fill(self) -> None:
        bold = QFont()
        bold.setBold(True)
        for section in SECTIONS:
            lines = [r for r in self.compared if r.difference.section == section]
            if not lines:
                continue
            row = self._append(None)
            heading = QTableWidgetItem(section)
            heading.setFont(bold)
            heading.setBackground(QBrush(SECTION_BACKGROUND))
            self.table.setItem(row, 0, heading)
            self.table.setSpan(row, 0, 1, 3)
            for line in lines:
                row = self._append(line)
                d = line.difference
                for column, text in enumerate((d.label, d.old, d.new)):
                    item = QTableWidgetItem(text)
                    item.setToolTip(text)
                    if line.differs:
                        item.setBackground(QBrush(DIFFERENT_BACKGROUND))
                        if column == 0:
                            item.setFont(bold)
                    self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()

    def _append(self, line: ComparedRow | None) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self._lines.append(line)
        return row

    def _filter(self, only_differences: bool) -> None:
        section_row = -1
        section_shown = False
        for row, line in enumerate(self._lines):
            if line is None:
                if section_row >= 0:
                    self.table.setRowHidden(section_row, not section_shown)
                section_row, section_shown = row, False
                continue
            hidden = only_differences and not line.differs
            self.table.setRowHidden(row, hidden)
            section_shown = section_shown or not hidden
        if section_row >= 0:
            self.table.setRowHidden(section_row, not section_shown)

    def visible_lines(self) -> list[tuple[str, str, str, str]]:
        """(section, label, old, new) of the lines shown now, top to bottom (headings left out)."""
        return [
            (
                line.difference.section,
                line.difference.label,
                line.difference.old,
                line.difference.new,
            )
            for row, line in enumerate(self._lines)
            if line is not None and not self.table.isRowHidden(row)
        ]

    def highlighted_labels(self) -> list[str]:
        """The labels of the lines painted as different."""
        return [
            line.difference.label
            for row, line in enumerate(self._lines)
            if line is not None
            and line.differs
            and self.table.item(row, 1).background().color() == DIFFERENT_BACKGROUND
        ]

    def shown_sections(self) -> list[str]:
        return [
            self.table.item(row, 0).text()
            for row, line in enumerate(self._lines)
            if line is None and not self.table.isRowHidden(row)
        ]
