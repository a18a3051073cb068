"""汇总表…: every project of a year in one table, exported to Excel or printed.

The columns are those of the printed 汇总表 (``desktop.export.layout.summary_layout``),
so the window and the paper never disagree. Sorting by any column keeps the
合计 row last; what is exported or printed follows the order shown.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from desktop.export.layout import AMOUNT, COUNT, Rows, summary_layout
from desktop.models.amounts import as_number, display_amount
from desktop.models.summary import Summary, SummaryRow
from desktop.ui.failures import guard

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

Index = QModelIndex | QPersistentModelIndex
# The project id of a row (None on the 合计 row).
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def summary_columns() -> list[tuple[str, str, str]]:
    """(header words, SummaryRow attribute, role) of each column of the printed 汇总表."""
    table = summary_layout().sheets[0].table[0]
    assert isinstance(table, Rows)
    words = [c.text for c in table.header[0].cells]
    return [(w, c.field or "", c.role) for w, c in zip(words, table.cells, strict=True)]


class SummaryModel(QAbstractTableModel):
    """The rows of a Summary and, last, its 合计 row."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = summary_columns()
        self.summary: Summary | None = None

    def set_summary(self, summary: Summary) -> None:
        self.beginResetModel()
        self.summary = summary
        self.endResetModel()

    @property
    def rows(self) -> tuple[SummaryRow, ...]:
        return self.summary.rows if self.summary else ()

    def is_totals(self, row: int) -> bool:
        return row == len(self.rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if parent.isValid() or self.summary is None:
            return 0
        return len(self.rows) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        words = self.columns[section][0]
        if role == Qt.ItemDataRole.DisplayRole:
            # 产出指标 → 产出: the window's columns stay narrow; the paper has the full words
            return words[: -len("指标")] if words.endswith("指标") else words
        if role == Qt.ItemDataRole.ToolTipRole:
            return words
        return None

    def value(self, row: int, col: int) -> Any:
        """The raw value of a cell (an Amount, a count, a text)."""
        attr = self.columns[col][1]
        if self.is_totals(row):
            assert self.summary is not None
            totals = self.summary.totals
            if attr == "name":
                return totals.label
            if attr == "status_label":
                return totals.status_text
            return getattr(totals, attr, None)
        return getattr(self.rows[row], attr)

    def sort_key(self, row: int, col: int) -> tuple[Any, ...]:
        value = self.value(row, col)
        role = self.columns[col][2]
        if role == AMOUNT:
            number = as_number(value)
            # numbers by value, then text that is not one, then blanks
            return (
                (0, number, "")
                if number is not None
                else (1 if value else 2, Decimal(0), str(value or ""))
            )
        if role == COUNT:
            return (0, int(value or 0), "")
        return (0 if value else 1, Decimal(0), str(value or "").casefold())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        _, attr, kind = self.columns[col]
        totals = self.is_totals(row)
        value = self.value(row, col)
        if role == ID_ROLE:
            return None if totals else self.rows[row].project_id
        if role == Qt.ItemDataRole.DisplayRole:
            if kind == AMOUNT:
                return display_amount(value)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if kind == AMOUNT:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if kind == COUNT or attr == "status_label":
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        if role == Qt.ItemDataRole.FontRole and totals:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and totals:
            return QBrush(QColor("#eef1f5"))
        if role == Qt.ItemDataRole.ForegroundRole and not totals:
            if kind == AMOUNT and value is not None and as_number(value) is None:
                return QColor("#c0392b")
            if attr == "errors" and value:
                return QColor("#c0392b")
            if attr == "warnings" and value:
                return QColor("#b9770e")
            if attr == "explained" and value:
                return QColor("#7a7a7a")
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, attr, kind, value)
        return None

    def _tooltip(self, row: int, attr: str, kind: str, value: Any) -> str | None:
        if self.is_totals(row):
            if kind == AMOUNT and self.summary and self.summary.notes:
                return "\n".join(self.summary.notes)
            return None
        r = self.rows[row]
        if kind == AMOUNT and value is not None and as_number(value) is None:
            return f"“{value}”不是数字，未计入合计。"
        if attr == "fiscal":
            return f"取自本项目表式的“{r.fiscal_label}”。"
        if attr == "name":
            return f"{r.name}\n双击打开这个项目。"
        if attr in ("warnings", "explained") and r.warnings:
            return f"警告 {r.warnings} 个，其中已说明 {r.explained} 个（已写明原因的警告）。"
        return None


class SummaryProxy(QSortFilterProxyModel):
    """Sorts the projects by any column; the 合计 row stays last in either direction."""

    def lessThan(self, left: Index, right: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, SummaryModel)
        ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
        if model.is_totals(left.row()):
            return not ascending
        if model.is_totals(right.row()):
            return ascending
        a = model.sort_key(left.row(), left.column())
        b = model.sort_key(right.row(), right.column())
        if a == b:  # ties keep the list's order (序号)
            return left.row() < right.row() if ascending else left.row() > right.row()
        return a < b


class SummaryDialog(QDialog):
    """The 汇总表 of one 年度; double-clicking a project opens it in the window."""

    def __init__(self, window: MainWindow, year: int | None = None) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("汇总表")
        self.resize(1320, 580)
        self.summary: Summary | None = None
        self.last_written: Path | None = None

        self.year_box = QComboBox()
        years = sorted(
            {s.year for s in window.repo.summaries() if s.year is not None}, reverse=True
        )
        for y in years:
            self.year_box.addItem(f"{y} 年度", y)
        self.unit_edit = QLineEdit()
        self.unit_edit.setPlaceholderText("填报单位（打印在表头）")
        top = QHBoxLayout()
        top.addWidget(QLabel("年度："))
        top.addWidget(self.year_box)
        top.addSpacing(16)
        top.addWidget(QLabel("填报单位："))
        top.addWidget(self.unit_edit, 1)

        self.model = SummaryModel(self)
        self.proxy = SummaryProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("summaryTable")
        self.table.setAccessibleName("汇总表")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.doubleClicked.connect(guard(window, "打开项目", self._open))
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # 序号: the list's own order
        for col, (_, attr, kind) in enumerate(self.model.columns):
            width = {AMOUNT: 115, COUNT: 50}.get(kind, 76)
            width = {"name": 180, "unit": 120, "number": 50}.get(attr, width)
            self.table.setColumnWidth(col, width)
            # names share the spare width, numbers take what they need: no sideways
            # scrolling at 1366 (the 状态 column stays in sight)
            self.table.horizontalHeader().setSectionResizeMode(
                col,
                QHeaderView.ResizeMode.Stretch
                if attr in ("name", "unit")
                else QHeaderView.ResizeMode.ResizeToContents,
            )

        self.notes = QLabel("")
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color:#b00020;")
        self.empty_label = QLabel("这一年度还没有项目。")

        self.export_button = QPushButton("导出 Excel…")
        self.export_button.clicked.connect(guard(window, "导出汇总表", self.export_excel))
        self.preview_button = QPushButton("打印预览…")
        self.preview_button.clicked.connect(guard(window, "打印预览汇总表", self.preview))
        self.print_button = QPushButton("打印…")
        self.print_button.clicked.connect(guard(window, "打印汇总表", self.print_))
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for button in (self.export_button, self.preview_button, self.print_button):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.notes)
        layout.addWidget(
            QLabel("单击列标题排序，合计行始终在最后；导出和打印按表中顺序。双击项目可打开它。")
        )
        layout.addLayout(buttons)

        if year is not None and year in years:
            self.year_box.setCurrentIndex(years.index(year))
        self.year_box.currentIndexChanged.connect(
            guard(window, "读取汇总表", lambda _i: self.load())
        )
        self.load()

    # ------------------------------------------------------------ content

    @property
    def year(self) -> int | None:
        value = self.year_box.currentData()
        return int(value) if value is not None else None

    def load(self) -> None:
        """Read the chosen 年度 again from the store."""
        year = self.year
        has = year is not None
        if has:
            assert year is not None
            self.summary = self.window_.repo.year_summary(year)
            self.model.set_summary(self.summary)
            for col, (_, _, kind) in enumerate(self.model.columns):
                if kind == COUNT:  # as wide as 投入和管理指标 needs, no wider
                    self.table.resizeColumnToContents(col)
            self.unit_edit.setText(self.summary.unit)
            self.notes.setText("\n".join(f"{n}。" for n in self.summary.notes))
        self.notes.setVisible(bool(self.notes.text()) and has)
        self.empty_label.setVisible(not has)
        for button in (self.export_button, self.preview_button, self.print_button):
            button.setEnabled(has)

    def shown_order(self) -> list[int]:
        """The 序号 of the projects in the order the table shows them."""
        numbers = []
        for r in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(r, 0)).row()
            if not self.model.is_totals(source):
                numbers.append(self.model.rows[source].number)
        return numbers

    def to_print(self) -> Summary | None:
        """What is exported or printed: the rows as shown, the 填报单位 as typed."""
        if self.summary is None:
            return None
        from dataclasses import replace

        shown = self.summary.ordered(self.shown_order())
        return replace(shown, unit=self.unit_edit.text().strip())

    def _open(self, index: QModelIndex) -> None:
        project_id = self.proxy.data(self.proxy.index(index.row(), 0), ID_ROLE)
        if project_id:
            self.accept()
            self.window_.open_project(project_id)

    # ------------------------------------------------------------ output

    def export_excel(self) -> None:
        from desktop.atomic import WriteError
        from desktop.export.summary_table import summary_file_name, write_summary_workbook

        summary = self.to_print()
        if summary is None:
            return
        view, settings = self.window_.view, self.window_.settings
        folder = str(settings.value("export_folder", "") or "")
        name = summary_file_name(summary)
        suggested = str(Path(folder) / name) if folder else name
        path = view.ask_save_file("导出汇总表", suggested, "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        from desktop.store.guard import protected_path_problem

        db = self.window_.repo.path
        problem = protected_path_problem(path, db) if db is not None else None
        if problem:
            view.show_message("无法导出", problem, error=True)
            return
        try:
            written = write_summary_workbook(summary, path)
        except WriteError as exc:
            view.show_message("无法导出", exc.message, error=True)
            return
        settings.setValue("export_folder", str(written.parent))
        self.last_written = written
        self.window_.statusBar().showMessage(f"已导出汇总表到 {written}", 10000)

    def _pdf(self) -> list[bytes] | None:
        from desktop.export.fonts import FontError
        from desktop.export.summary_table import summary_pdf_bytes

        summary = self.to_print()
        if summary is None:
            return None
        try:
            return [summary_pdf_bytes(summary)]
        except FontError as exc:
            self.window_.view.show_message("无法打印", exc.message, error=True)
            return None

    def preview(self) -> None:
        documents = self._pdf()
        if documents:
            self.window_.view.show_print_preview(documents)

    def print_(self) -> None:
        documents = self._pdf()
        if documents:
            self.window_.view.print_tables(documents)
