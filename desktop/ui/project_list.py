"""The project list: one row per stored project, filtered by 年度 and a search text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from desktop.models.amounts import display_amount
from desktop.store import ProjectSummary

Index = QModelIndex | QPersistentModelIndex

COLUMNS = (
    "年度",
    "项目名称",
    "实施单位",
    "项目总额（元）",
    "年度预算（元）",
    "状态",
    "错误",
    "警告",
)
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class ProjectListModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ProjectSummary] = []

    def set_summaries(self, rows: list[ProjectSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def summary(self, row: int) -> ProjectSummary:
        return self._rows[row]

    def row_of(self, project_id: str) -> int:
        for n, s in enumerate(self._rows):
            if s.id == project_id:
                return n
        return -1

    def years(self) -> list[int]:
        return sorted({s.year for s in self._rows if s.year is not None}, reverse=True)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        s = self._rows[index.row()]
        col = index.column()
        if role == ID_ROLE:
            return s.id
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                s.year if s.year is not None else "",
                s.name,
                s.unit or "",
                display_amount(s.total),
                display_amount(s.annual),
                s.status_label,
                s.errors or "",
                s.warnings_text,  # 3（已说明 1）
            )[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (3, 4, 6, 7):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 6 and s.errors:
                return QColor("#c0392b")
            if col == 7 and s.warnings:
                return QColor("#b9770e")
        if role == Qt.ItemDataRole.ToolTipRole and col == 1:
            answered = f"（其中已说明 {s.explained} 个）" if s.explained else ""
            return f"{s.name}\n{s.unit or ''}\n错误 {s.errors} 个，警告 {s.warnings} 个{answered}"
        return None


class ProjectFilter(QSortFilterProxyModel):
    """Keeps rows of the chosen 年度 whose name or unit contains the search text."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._year: int | None = None
        self._text = ""

    def set_year(self, year: int | None) -> None:
        self._refilter(lambda: setattr(self, "_year", year))

    def set_text(self, text: str) -> None:
        self._refilter(lambda: setattr(self, "_text", text.strip().casefold()))

    def _refilter(self, change: Callable[[], None]) -> None:
        # Qt 6.10 replaced invalidateFilter() with begin/endFilterChange().
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            change()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, ProjectListModel)
        s = model.summary(source_row)
        if self._year is not None and s.year != self._year:
            return False
        if self._text:
            return self._text in s.name.casefold() or self._text in (s.unit or "").casefold()
        return True
