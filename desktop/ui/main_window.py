"""The main window: the project list on the left, the open project on the right."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.models.labels import FAMILY_NAMES, label
from desktop.models.project import FAMILIES, Project, new_project
from desktop.models.templates import (
    TEMPLATES,
    carry_unit_details,
    new_from_template,
    template_choices,
)
from desktop.store import ProjectSummary
from desktop.ui.failures import action_name, guard
from desktop.ui.project_list import ID_ROLE, ProjectFilter, ProjectListModel

if TYPE_CHECKING:  # imported when first used: the first paint needs neither
    from desktop.store import Repository
    from desktop.ui.editor import ProjectEditor

ALL_YEARS = "全部年度"
# The project list: columns in the model's order (年度, 项目名称, 实施单位, 项目总额,
# 年度预算, 状态, 错误, 警告), shown 年度, 项目名称, 状态, 错误, 警告 first.
LIST_WIDTHS = (46, 170, 120, 112, 112, 44, 40, 92)
LIST_ORDER = (0, 1, 5, 6, 7, 2, 3, 4)
LIST_WIDTH = 420  # beside the editor at 1366×768: 年度 to 警告 in sight
LIST_MIN_WIDTH = 220


class View:
    """What the window asks of the clerk; tests replace these with fakes (no modal dialogs)."""

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def ask_open_files(self) -> list[str]:
        from desktop.ui.file_dialogs import ask_paths

        return ask_paths(
            self.parent,
            "导入数据包或申报表",
            "",
            "数据包或申报表 (*.json *.xlsx);;数据包 (*.json);;Excel 申报表 (*.xlsx);;所有文件 (*)",
            "open_many",
        )

    def ask_folder(self, title: str, start: str) -> str | None:
        from desktop.ui.file_dialogs import ask_paths

        chosen = ask_paths(self.parent, title, start, "", "folder")
        return chosen[0] if chosen else None

    def show_print_preview(self, documents: list[bytes]) -> None:
        from desktop.ui.printing import PreviewDialog

        PreviewDialog(documents, lambda: self.print_tables(documents), self.parent).exec()

    def print_tables(self, documents: list[bytes]) -> None:
        from PySide6.QtPrintSupport import QPrintDialog

        from desktop.ui.printing import PrintError, a4_printer, print_documents

        printer = a4_printer()
        dialog = QPrintDialog(printer, self.parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            print_documents(printer, documents)
        except PrintError as exc:
            self.show_message("无法打印", str(exc), error=True)

    def ask_new_project(self, default_year: int) -> tuple[int, str, str, str | None] | None:
        """(年度, 项目名称, 表式, 模板 key or None for 空白项目), or None when cancelled."""
        dialog = NewProjectDialog(default_year, self.parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def ask_next_year_family(self, current: str, year: int | None) -> str | None:
        """The 表式 of next year's copy, or None when cancelled."""
        from desktop.ui.year_copy import NextYearDialog

        dialog = NextYearDialog(current, year, self.parent)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def show_compare(self, old: Project, new: Project, old_title: str, new_title: str) -> None:
        from desktop.ui.compare_view import CompareDialog

        CompareDialog(old, new, old_title, new_title, self.parent).exec()

    def show_message(self, title: str, text: str, error: bool = False) -> None:
        (QMessageBox.critical if error else QMessageBox.information)(self.parent, title, text)

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self.parent, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def ask_save_file(self, title: str, suggested: str, filter_text: str) -> str | None:
        from desktop.ui.file_dialogs import ask_paths

        chosen = ask_paths(self.parent, title, suggested, filter_text, "save")
        return chosen[0] if chosen else None

    def show_trash(self, window: MainWindow) -> None:
        TrashDialog(window).exec()

    def show_summary(self, window: MainWindow, year: int | None) -> None:
        from desktop.ui.summary_dialog import SummaryDialog

        SummaryDialog(window, year).exec()

    def show_snapshots(self, window: MainWindow, compare: Callable[..., None]) -> None:
        from desktop.ui.snapshots_dialog import SnapshotsDialog

        SnapshotsDialog(window, compare).exec()

    def ask_backup(self, backups: list[Any]) -> str | None:
        from desktop.ui.backups import RestoreDialog

        dialog = RestoreDialog(backups, self.parent)
        return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else None

    def ask_library_entries(self, dialog: Any) -> list[Any]:
        """从指标库添加 (a ``library_dialog.LibraryDialog``): the entries checked, none when cancelled."""
        dialog.exec()
        return dialog.chosen()

    def ask_unsaved(self, text: str) -> str:
        """A project could not be saved: ``package`` (save it as a 数据包), ``discard`` or ``cancel``."""
        return self._choose(
            QMessageBox.Icon.Warning,
            "修改未能保存",
            text,
            [
                ("package", "另存为数据包…", QMessageBox.ButtonRole.AcceptRole),
                ("discard", "放弃这些修改", QMessageBox.ButtonRole.DestructiveRole),
                ("cancel", "取消", QMessageBox.ButtonRole.RejectRole),
            ],
            default="package",
        )

    def ask_same_projects(self, text: str) -> str:
        """Projects to import are already here with other content: ``replace``, ``new`` or ``cancel``."""
        return self._choose(
            QMessageBox.Icon.Question,
            "已有同一项目",
            text,
            [
                ("replace", "替换", QMessageBox.ButtonRole.AcceptRole),
                ("new", "另存为新项目", QMessageBox.ButtonRole.ActionRole),
                ("cancel", "取消", QMessageBox.ButtonRole.RejectRole),
            ],
            default="cancel",
        )

    def _choose(
        self,
        icon: QMessageBox.Icon,
        title: str,
        text: str,
        choices: list[tuple[str, str, QMessageBox.ButtonRole]],
        default: str,
    ) -> str:
        """A message box with a button per (answer, words, role): the answer clicked, else ``cancel``."""
        box = QMessageBox(self.parent)
        box.setIcon(icon)
        box.setWindowTitle(title)
        box.setText(text)
        buttons = [(box.addButton(words, role), answer) for answer, words, role in choices]
        box.setDefaultButton(next(button for button, answer in buttons if answer == default))
        box.exec()
        clicked = box.clickedButton()
        return next((answer for button, answer in buttons if button is clicked), "cancel")


# Every form family, the current district form first (the dialog's default).
NEW_PROJECT_FAMILIES = ("shanghai-2021", "minhang-2020", "shanghai-2020")


class NewProjectDialog(QDialog):
    def __init__(self, default_year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("新建项目")
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.name.setObjectName("newProjectName")
        self.name.setAccessibleName("项目名称")
        self.name.setPlaceholderText("如：车辆购置费")
        # The readers' limit: a project whose name is longer could not be imported again.
        from desktop.models.limits import MAX_NAME_CHARS
        from desktop.ui.limits import limit_line

        self.name_note = QLabel()
        self.name_note.setObjectName("newProjectNameNote")
        self.name_note.setStyleSheet("color: #b71c1c")
        self.name_note.hide()

        def tell(message: str) -> None:
            self.name_note.setText(message)
            self.name_note.show()

        self.name_limit = limit_line(self.name, MAX_NAME_CHARS, "项目名称", tell)
        self.year = QSpinBox()
        self.year.setObjectName("newProjectYear")
        self.year.setAccessibleName("年度")
        self.year.setRange(2000, 2100)
        self.year.setValue(default_year)
        self.family = QComboBox()
        self.family.setObjectName("newProjectFamily")
        self.family.setAccessibleName("表式")
        for family in NEW_PROJECT_FAMILIES:
            self.family.addItem(FAMILY_NAMES[family], family)
        self.template = QComboBox()
        self.template.setObjectName("newProjectTemplate")
        self.template.setAccessibleName("模板")
        self.template.addItem("空白项目", None)
        for key, name, description in template_choices():
            self.template.addItem(name, key)
            self.template.setItemData(
                self.template.count() - 1, description, Qt.ItemDataRole.ToolTipRole
            )
        self.template_help = QLabel()
        self.template_help.setWordWrap(True)
        self.template_help.setObjectName("templateHelp")
        self.template.currentIndexChanged.connect(self._show_template_help)
        form.addRow("项目名称：", self.name)
        form.addRow(self.name_note)
        form.addRow("年度：", self.year)
        form.addRow("表式：", self.family)
        form.addRow("模板：", self.template)
        form.addRow(self.template_help)
        self._show_template_help()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _show_template_help(self) -> None:
        key = self.template.currentData()
        self.template_help.setText(
            str(self.template.itemData(self.template.currentIndex(), Qt.ItemDataRole.ToolTipRole))
            + "\n预填指标和目标提纲，【请填写…】处请换成本项目的内容（未替换的不能定稿）。"
            if key
            else "只有起止日期和三项标准制度，其余自己填写。"
        )

    def values(self) -> tuple[int, str, str, str | None]:
        template = self.template.currentData()
        return (
            self.year.value(),
            self.name.text().strip(),
            str(self.family.currentData()),
            str(template) if template else None,
        )


class MainWindow(QMainWindow):
    """The window over one database.

    Given ``repo``, everything happens at once. Given instead ``open_repo`` and
    the ``listed`` projects (read without SQLAlchemy, ``desktop.store.catalog``),
    the window paints its list first and opens the repository right after,
    then emits ``ready``.
    """

    ready = Signal()

    def __init__(
        self,
        repo: Repository | None = None,
        settings: QSettings | None = None,
        parent: Any = None,
        *,
        open_repo: Callable[[], Repository] | None = None,
        listed: list[ProjectSummary] | None = None,
    ) -> None:
        super().__init__(parent)
        if repo is None and open_repo is None:
            raise ValueError("MainWindow needs a repository or a way to open one")
        self._repo = repo
        self._open_repo = open_repo
        self._listed = listed
        self._filtering = False
        self._list_width = LIST_WIDTH  # the list's width before it was hidden
        self.settings = settings or QSettings()
        self.view = View(self)
        self.editor: ProjectEditor | None = None
        self.setWindowTitle("绩效目标申报助手")

        self.list_model = ProjectListModel(self)
        self.filter = ProjectFilter(self)
        self.filter.setSourceModel(self.list_model)
        self.table = QTableView()
        self.table.setObjectName("projectList")
        self.table.setAccessibleName("项目列表")
        self.table.setModel(self.filter)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several projects may be chosen (Ctrl/Shift) to export or print together.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        # 警告 is wide enough for "8（已说明 1）"
        for column, width in enumerate(LIST_WIDTHS):
            self.table.setColumnWidth(column, width)
        # 状态/错误/警告 right after the name, in sight in a narrow list (the model keeps its order)
        for visual, column in enumerate(LIST_ORDER):
            header.moveSection(header.visualIndex(column), visual)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)  # a long 项目名称 ends in …
        self.table.selectionModel().currentRowChanged.connect(
            guard(self, "打开项目", lambda cur, _prev: self._open_row(cur))
        )
        self.year_box = QComboBox()
        self.year_box.setObjectName("yearFilter")
        self.year_box.setAccessibleName("年度")
        self.year_box.currentIndexChanged.connect(self._year_changed)
        self.search = QLineEdit()
        self.search.setObjectName("projectSearch")
        self.search.setAccessibleName("搜索项目")
        self.search.setPlaceholderText("搜索项目名称或实施单位")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda text: self._refilter(self.filter.set_text, text))

        left = QWidget()
        ll = QVBoxLayout(left)
        self.list_bar = QHBoxLayout()
        ll.addLayout(self.list_bar)
        bar = QHBoxLayout()
        bar.addWidget(self.year_box)
        bar.addWidget(self.search, 1)
        ll.addLayout(bar)
        ll.addWidget(self.table)

        self.stack = QStackedWidget()
        self.empty = self._empty_state()
        self.placeholder = QLabel("在左侧选择一个项目。")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.placeholder)
        self.list_panel = left
        self.list_panel.setObjectName("projectListPanel")
        left.setMinimumWidth(LIST_MIN_WIDTH)
        split = QSplitter()
        split.setObjectName("mainSplitter")
        split.addWidget(left)
        split.addWidget(self.stack)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setCollapsible(0, True)  # dragged to the edge, the list hides
        split.setCollapsible(1, False)
        split.setSizes([LIST_WIDTH, 1000])
        self.splitter = split
        self.setCentralWidget(split)
        self._menus()
        split.splitterMoved.connect(lambda *_: self._list_shown_changed())
        self.refresh_list()
        self._restore_geometry()
        self._started = self._repo is not None
        if self._started:
            self._restore_last_project()
            self.backups.start_daily()
        else:
            # after the first paint (paintEvent), or soon in any case
            QTimer.singleShot(500, self._finish_start)

    @property
    def repo(self) -> Repository:
        """The store, opened on first use when the window was painted before it."""
        if self._repo is None:
            assert self._open_repo is not None
            self._repo = self._open_repo()
        return self._repo

    @property
    def store_open(self) -> bool:
        """False only while a window painted before its store waits to open it."""
        return self._repo is not None

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._started:
            QTimer.singleShot(0, self._finish_start)

    def _finish_start(self) -> None:
        from desktop.store import StoreError

        if self._started:
            return
        self._started = True

        from desktop.ui.startup import CANCELLED

        try:
            self.repo  # noqa: B018 - opens the store now, before the clerk's first action
        except StoreError as exc:
            if exc.kind != CANCELLED:
                self.view.show_message("无法打开数据库", exc.message, error=True)
            self.close()
            return
        self.refresh_list()  # a rescued database (restored backup, new file) lists other projects
        self._restore_last_project()
        self.backups.start_daily()
        self.ready.emit()

    # ------------------------------------------------------------ building

    def _empty_state(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addStretch()
        title = QLabel("还没有项目")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setStyleSheet("font-size:20px; font-weight:bold;")
        hint = QLabel("新建一个项目开始填报，或导入同事发来的数据包（.json）。")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(title)
        lay.addWidget(hint)
        row = QHBoxLayout()
        row.addStretch()
        self.new_button = QPushButton("新建项目")
        self.new_button.clicked.connect(guard(self, "新建项目", self.new_project))
        self.import_button = QPushButton("导入数据包")
        self.import_button.clicked.connect(guard(self, "导入", self.import_packages))
        row.addWidget(self.new_button)
        row.addWidget(self.import_button)
        row.addStretch()
        lay.addLayout(row)
        lay.addStretch()
        return page

    def _menus(self) -> None:
        menu = self.menuBar().addMenu("文件(&F)")
        self.act_new = self._action(
            menu, "新建项目(&N)…", QKeySequence.StandardKey.New, self.new_project
        )
        self.act_import = self._action(
            menu, "导入数据包或申报表(&I)…", QKeySequence("Ctrl+I"), self.import_packages, "导入"
        )
        self.act_export = self._action(
            menu, "导出数据包(&E)…", QKeySequence("Ctrl+E"), self.export_package
        )
        menu.addSeparator()
        from desktop.ui.backups import BackupCommands
        from desktop.ui.output import OutputCommands

        self.output = OutputCommands(self)
        self.backups = BackupCommands(self)
        self.act_xlsx = self._action(
            menu,
            "导出 Excel(&X)…",
            QKeySequence("Ctrl+Shift+E"),
            lambda: self.output.export("xlsx"),
        )
        self.act_pdf = self._action(
            menu, "导出 PDF(&D)…", QKeySequence("Ctrl+Shift+D"), lambda: self.output.export("pdf")
        )
        self.act_preview = self._action(
            menu, "打印预览(&V)…", QKeySequence("Ctrl+Shift+P"), self.output.preview
        )
        self.act_print = self._action(
            menu, "打印(&P)…", QKeySequence.StandardKey.Print, self.output.print
        )
        # The 2021 form's 制度保障 page prints only with rows, unless the clerk wants it blank.
        self.act_blank_guarantee = QAction("打印空白制度保障页", self)
        self.act_blank_guarantee.setCheckable(True)
        self.act_blank_guarantee.setChecked(
            str(self.settings.value("print_blank_guarantee", "false")).lower() == "true"
        )
        self.act_blank_guarantee.toggled.connect(
            lambda on: self.settings.setValue("print_blank_guarantee", "true" if on else "false")
        )
        menu.addAction(self.act_blank_guarantee)
        self.act_select_year = QAction("选择列表中的全部项目", self)
        self.act_select_year.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.act_select_year.triggered.connect(self.table.selectAll)
        self.addAction(self.act_select_year)
        for action in (
            self.act_select_year,
            self.act_xlsx,
            self.act_pdf,
            self.act_preview,
            self.act_print,
        ):
            self.table.addAction(action)
        menu.addSeparator()
        self.act_backup = self._action(menu, "备份数据库(&B)…", None, self.backups.backup_now)
        self.act_restore = self._action(menu, "从备份恢复(&R)…", None, self.backups.restore)
        menu.addSeparator()
        self._action(menu, "退出(&X)", QKeySequence.StandardKey.Quit, self.close)
        edit = self.menuBar().addMenu("编辑(&E)")
        self.act_undo = self._action(edit, "撤销(&U)", QKeySequence.StandardKey.Undo, self._undo)
        self.act_redo = self._action(edit, "重做(&R)", QKeySequence("Ctrl+Y"), self._redo)
        project = self.menuBar().addMenu("项目(&P)")
        self.act_copy = self._action(
            project, "复制项目(&C)", QKeySequence("Ctrl+D"), self.copy_project
        )
        from desktop.ui.year_copy import YearCopyCommands

        self.year_copy = YearCopyCommands(self)
        self.act_next_year = self._action(
            project, "复制到下一年度(&N)…", None, self.year_copy.copy_to_next_year
        )
        self.act_compare_last = self._action(
            project, "与上一年度对比(&L)…", None, self.year_copy.compare_with_last_year
        )
        self.act_delete = self._action(
            project, "删除到回收站(&D)", QKeySequence("Ctrl+Del"), self.delete_project, "删除项目"
        )
        self.act_trash = self._action(
            project,
            "回收站(&T)…",
            QKeySequence("Ctrl+Shift+T"),
            lambda: self.view.show_trash(self),
            "打开回收站",
        )
        project.addSeparator()
        self.act_final = self._action(
            project, "定稿(&F)", QKeySequence("Ctrl+Shift+F"), self.toggle_final
        )
        self.act_snapshots = self._action(project, "定稿记录(&H)…", None, self.show_snapshots)
        project.addSeparator()
        self.act_summary = self._action(project, "汇总表(&S)…", None, self.show_summary)
        view = self.menuBar().addMenu("视图(&V)")
        self.act_show_list = self._action(
            view, "显示项目列表(&L)", QKeySequence("Ctrl+L"), self.set_list_shown
        )
        self.act_show_list.setCheckable(True)
        self.act_show_list.setChecked(True)
        for action, text in (
            (self.act_new, "新建"),
            (self.act_copy, "复制"),
            (self.act_delete, "删除"),
            (self.act_trash, "回收站"),
            (self.act_final, None),
        ):
            button = QToolButton()
            button.setDefaultAction(action)
            if text:
                button.setText(text)
            self.list_bar.addWidget(button)
        self.list_bar.addStretch()
        self._update_actions()

    def _action(
        self, menu: Any, text: str, shortcut: Any, slot: Any, name: str | None = None
    ) -> QAction:
        """A menu action whose failure is shown as ``<name>失败：…`` (``failures.guard``).

        ``name`` defaults to the action's text at the time (定稿 or 撤销定稿).
        """
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.setShortcutVisibleInContextMenu(True)
        action.triggered.connect(guard(self, name or (lambda: action_name(action.text())), slot))
        menu.addAction(action)
        return action

    def after_failure(self) -> None:
        """After a failed action: the list and the actions as the store and the editor have them."""
        if not self.store_open:
            return
        self.refresh_list()
        self._update_actions()

    # ------------------------------------------------------------ list

    def refresh_list(self, select: str | None = None) -> None:
        current = select or (self.editor.project.id if self.editor else None)
        listed, self._listed = self._listed, None
        self.list_model.set_summaries(listed if listed is not None else self.repo.summaries())
        with_years = [ALL_YEARS, *map(str, self.list_model.years())]
        chosen = self.year_box.currentText()
        self.year_box.blockSignals(True)
        self.year_box.clear()
        self.year_box.addItems(with_years)
        self.year_box.setCurrentText(chosen if chosen in with_years else ALL_YEARS)
        self.year_box.blockSignals(False)
        self._year_changed()
        if self.list_model.rowCount() == 0:
            self.stack.setCurrentWidget(self.empty)
        elif self.editor is None:
            self.stack.setCurrentWidget(self.placeholder)
        if select:
            self.reveal_project(select)
        elif current:
            self.select_project(current)

    def reveal_project(self, project_id: str) -> None:
        """Show and select ``project_id`` in the list: switch the 年度 filter and clear a
        search that hide it, so the list always shows the project the editor holds."""
        row = self.list_model.row_of(project_id)
        if row < 0:
            return
        if not self.filter.mapFromSource(self.list_model.index(row, 0)).isValid():
            year = self.list_model.summary(row).year
            shown = self.year_box.currentText()
            if shown != ALL_YEARS and shown != str(year):
                wanted = str(year) if self.year_box.findText(str(year)) >= 0 else ALL_YEARS
                self.year_box.setCurrentText(wanted)  # refilters (_year_changed)
        if not self.filter.mapFromSource(self.list_model.index(row, 0)).isValid():
            self.search.clear()  # refilters (textChanged)
        self.select_project(project_id)

    def _year_changed(self) -> None:
        text = self.year_box.currentText()
        self._refilter(self.filter.set_year, int(text) if text.isdigit() else None)

    def _refilter(self, change: Callable[[Any], None], value: Any) -> None:
        """Filter the list without opening another project: searching only narrows the list."""
        self._filtering = True
        try:
            change(value)
            # No other row may look chosen while the open project is hidden.
            self.table.selectionModel().clear()
        finally:
            self._filtering = False
        if self.editor is not None and self.editor.project.id:
            self.select_project(self.editor.project.id)

    def select_project(self, project_id: str) -> None:
        row = self.list_model.row_of(project_id)
        if row < 0:
            return
        index = self.filter.mapFromSource(self.list_model.index(row, 0))
        if index.isValid() and self.table.currentIndex().row() != index.row():
            self.table.setCurrentIndex(index)

    def _open_row(self, index: Any) -> None:
        # Qt moves the current row itself when filtering hides it; only the clerk's choice opens.
        if not index.isValid() or self._filtering:
            return
        project_id = index.data(ID_ROLE) or self.filter.data(
            self.filter.index(index.row(), 0), ID_ROLE
        )
        self.open_project(project_id)

    def open_project(self, project_id: str) -> None:
        if self.editor is not None:
            if self.editor.project.id == project_id:
                return
            if not self.settle_unsaved():
                if self.editor.project.id:
                    self.select_project(self.editor.project.id)
                return
        from desktop.ui.editor import ProjectEditor

        # read first: when the store fails here, the project open until now stays open
        project = self.repo.load(project_id)
        context = self.repo.context(near=[project])
        if self.editor is not None:
            self.stack.removeWidget(self.editor)
            self.editor.deleteLater()
            self.editor = None
        self.editor = ProjectEditor(self.repo, project, context, self)
        self.editor.saved.connect(guard(self, "更新项目列表", lambda _id: self._update_summary()))
        self.stack.addWidget(self.editor)
        self.stack.setCurrentWidget(self.editor)
        self.settings.setValue("last_project", project_id)
        self.setWindowTitle(f"{project.name} — 绩效目标申报助手")
        self.reveal_project(project_id)
        self._update_actions()

    def close_project(self) -> bool:
        """Save and close the open project (it was deleted or is being replaced).

        False when its edits could not be saved and the clerk chose to keep it open.
        """
        if self.editor is None:
            return True
        if not self.settle_unsaved():
            return False
        self._drop_editor()
        return True

    def _drop_editor(self) -> None:
        """Close the editor as it is (its edits settled by the caller)."""
        if self.editor is None:
            return
        self.stack.removeWidget(self.editor)
        self.editor.deleteLater()
        self.editor = None
        self.setWindowTitle("绩效目标申报助手")
        self.stack.setCurrentWidget(self.placeholder)
        self._update_actions()

    def chosen_ids(self) -> list[str]:
        """The projects to export or print: those selected in the list, else the open one."""
        rows = sorted(self.table.selectionModel().selectedRows(), key=lambda i: i.row())
        ids = [i.data(ID_ROLE) for i in rows if i.data(ID_ROLE)]
        if len(ids) > 1:
            return ids
        if self.editor is not None and self.editor.project.id:
            return [self.editor.project.id]
        return ids

    def _update_actions(self) -> None:
        has = self.editor is not None
        for action in (
            self.act_copy,
            self.act_delete,
            self.act_final,
            self.act_export,
            self.act_next_year,
            self.act_compare_last,
        ):
            action.setEnabled(has)
        final = has and self.editor is not None and self.editor.project.is_final
        self.act_final.setText("撤销定稿(&F)" if final else "定稿(&F)")
        self.act_snapshots.setEnabled(has)

    def _update_summary(self) -> None:
        self.list_model.set_summaries(self.repo.summaries())
        if self.editor and self.editor.project.id:
            self.select_project(self.editor.project.id)

    # ------------------------------------------------------------ commands

    def new_project(self) -> None:
        import datetime as dt

        answer = self.view.ask_new_project(dt.date.today().year + 1)
        if answer is None:
            return
        year, name, family, *rest = answer
        template = rest[0] if rest else None
        if family not in FAMILIES:
            return
        if template in TEMPLATES:
            project = new_from_template(template, year, name, family)
        else:
            project = new_project(year, name, family)
        latest = self._latest_project()
        carried = carry_unit_details(project, latest) if latest is not None else ()
        self.repo.save(project)
        self.refresh_list(select=project.id)
        if project.id:
            self.open_project(project.id)
        said = []
        if template in TEMPLATES:
            said.append(
                f"已按模板“{TEMPLATES[template].name}”新建：请把【请填写…】处换成本项目的内容"
            )
        if carried and latest is not None:
            names = "、".join(label(key, family) for key in carried)
            said.append(f"{names}沿用了“{latest.name}”的填写")
        if said:
            self.statusBar().showMessage("；".join(said) + "。", 10000)

    def _latest_project(self) -> Project | None:
        """The unit's most recently saved project, whose 实施单位 and contacts a new one takes."""
        listed = self.repo.summaries()
        if not listed:
            return None
        return self.repo.load(max(listed, key=lambda s: s.updated_at).id)

    def import_packages(self) -> None:
        """Import 数据包 (.json) or workbooks this program exported (.xlsx), all or nothing.

        A project already here (same 项目编号, e.g. a workbook sent back after
        editing) is replaced only after the clerk agrees. One stored under the same
        年度 + 项目名称 + 实施单位 is skipped when identical (the clerk is told); with
        other content the clerk chooses 替换 / 另存为新项目 / 取消.
        """
        from desktop.export.imports import ImportFileError, read_import_file
        from desktop.store import DuplicateIdError, SameProjectError

        def close_if_editing(ids: set[str]) -> bool:
            """Close the editor when it holds a project about to be replaced; False if it stays."""
            editing = self.editor is not None and self.editor.project.id in ids
            return not editing or self.close_project()

        def named(clashes: list[tuple[str, str]]) -> str:
            """The first five names, and how many there are when more."""
            names = "、".join(f"“{n}”" for _, n in clashes[:5])
            return names + (f"等 {len(clashes)} 个项目" if len(clashes) > 5 else "")

        files = self.view.ask_open_files()
        if not files:
            return
        projects: list[Project] = []
        warnings: list[str] = []
        replace, same = False, "ask"
        try:
            for name in files:
                imported = read_import_file(name)
                projects.extend(imported.projects)
                warnings.extend(f"{imported.path.name}：{w}" for w in imported.warnings)
            while True:
                try:
                    result = self.repo.save_many(projects, replace=replace, same=same)
                    break
                except DuplicateIdError as exc:
                    if replace:
                        raise
                    if not self.view.confirm(
                        "替换已有项目",
                        f"{named(exc.clashes)}已在程序中（同一项目）。\n用文件中的内容替换吗？"
                        "替换后程序中的内容以文件为准（定稿的项目回到草稿）。",
                    ):
                        return
                    if not close_if_editing({pid for pid, _ in exc.clashes}):
                        return
                    replace = True
                except SameProjectError as exc:
                    if same != "ask":
                        raise
                    choice = self.view.ask_same_projects(
                        f"{named(exc.clashes)}已在程序中（年度、项目名称、实施单位相同），"
                        "但内容与文件中的不同。\n\n"
                        "替换：程序中的项目改为文件中的内容（编号不变，定稿的项目回到草稿）；\n"
                        "另存为新项目：保留程序中的项目，文件中的另存为新项目；\n"
                        "取消：不导入任何项目。"
                    )
                    if choice not in ("replace", "new"):
                        return
                    if choice == "replace" and not close_if_editing(
                        {pid for pid, _ in exc.clashes}
                    ):
                        return
                    same = choice
        except ImportFileError as exc:
            self.view.show_message("无法导入", str(exc) + "\n\n未导入任何项目。", error=True)
            return
        except (DuplicateIdError, SameProjectError) as exc:
            self.view.show_message("无法导入", str(exc), error=True)
            return
        first = projects[0].id if projects else None
        self.refresh_list(select=first)
        if first and self.editor is None:
            self.open_project(first)
        written = len(projects) - len(result.skipped)
        done = (
            f"已导入 {written} 个项目"
            + (f"（替换 {result.replaced} 个）" if result.replaced else "")
            + "。"
        )
        if result.skipped:
            names = "、".join(f"“{n}”" for n in result.skipped[:10])
            more = f"等 {len(result.skipped)} 个" if len(result.skipped) > 10 else ""
            done += f"\n已跳过 {len(result.skipped)} 个与程序中完全相同的项目：{names}{more}。"
        if warnings:
            done += "\n\n" + "\n".join(warnings[:10])
        self.view.show_message("导入完成", done)

    def copy_project(self) -> None:
        if self.editor is None or not self.editor.project.id:
            return
        self.editor.flush()
        copy = self.repo.copy(self.editor.project.id)
        self.refresh_list(select=copy.id)
        if copy.id:
            self.open_project(copy.id)
        self.statusBar().showMessage(f"已复制为“{copy.name}”。", 5000)

    def delete_project(self) -> None:
        """Move the open project to the 回收站 (restorable, so no question asked)."""
        if self.editor is None or not self.editor.project.id:
            return
        name, project_id = self.editor.project.name, self.editor.project.id
        if not self.settle_unsaved():
            return
        self.repo.delete(project_id)  # when the store refuses, the project stays open
        self._drop_editor()
        self.refresh_list()
        self.statusBar().showMessage(f"“{name}”已移到回收站，可在 项目 → 回收站 中恢复。", 8000)

    def restore_project(self, project_id: str) -> None:
        self.repo.restore(project_id)
        self.refresh_list(select=project_id)
        self.open_project(project_id)

    def purge_project(self, project_id: str) -> bool:
        if not self.view.confirm("彻底删除", "彻底删除后无法恢复。确定要彻底删除这个项目吗？"):
            return False
        return self.repo.purge(project_id) > 0

    def empty_trash(self) -> int:
        if not self.view.confirm(
            "清空回收站", "回收站中的项目将被彻底删除，无法恢复。确定清空吗？"
        ):
            return 0
        return self.repo.empty_trash()

    def toggle_final(self) -> None:
        """定稿 when the project has no error (read-only from then on); 撤销定稿 reopens it."""
        from desktop.models.project import STATUS_DRAFT, STATUS_FINAL
        from desktop.store import FinalizeError

        editor = self.editor
        if editor is None or not editor.project.id:
            return
        editor.flush()
        status = STATUS_DRAFT if editor.project.is_final else STATUS_FINAL
        try:
            self.repo.set_status(editor.project.id, status)
        except FinalizeError as exc:
            self.view.show_message("不能定稿", str(exc), error=True)
            if exc.errors:
                editor.go_to(exc.errors[0].field)
            return
        editor.set_status(status)
        self._update_summary()
        self._update_actions()

    def show_summary(self) -> None:
        """汇总表: every project of a 年度 in one table (the list's 年度, else the open project's)."""
        if self.editor is not None:
            self.editor.flush()  # the table shows what the clerk sees
        if not self.repo.summaries():
            self.view.show_message("汇总表", "还没有项目：新建或导入项目后再汇总。")
            return
        text = self.year_box.currentText()
        year = int(text) if text.isdigit() else None
        if year is None and self.editor is not None:
            year = self.editor.project.year
        self.view.show_summary(self, year)

    def show_snapshots(self) -> None:
        """定稿记录 of the open project: compare a version with now, or restore it."""
        if self.editor is None or not self.editor.project.id:
            return
        self.editor.flush()
        # looked up at each call: the view may be replaced (tests)
        self.view.show_snapshots(self, lambda *versions: self.view.show_compare(*versions))

    def restore_snapshot(self, project_id: str, snapshot_id: int) -> bool:
        """Put a 定稿记录 back as the project's content (a 草稿) and reopen it in the editor.

        The current content is saved first (the store keeps it as 恢复前); when it
        cannot be saved nothing is restored. False when nothing was restored.
        """
        from desktop.store import StoreError

        editor = self.editor
        open_here = editor is not None and editor.project.id == project_id
        if editor is not None and open_here and not editor.flush():
            self.view.show_message(
                "无法恢复",
                f"当前的修改还未能保存：{editor.save_error}\n请先解决保存问题，再恢复定稿记录。",
                error=True,
            )
            return False
        try:
            self.repo.restore_snapshot(project_id, snapshot_id)
        except KeyError:
            self.view.show_message("无法恢复", "这条定稿记录已不存在。", error=True)
            return False
        except StoreError as exc:
            self.view.show_message("无法恢复", exc.message, error=True)
            return False
        if editor is not None and open_here:
            # the editor holds the content just replaced (saved above): open the restored one
            self.stack.removeWidget(editor)
            editor.deleteLater()
            self.editor = None
        self.refresh_list(select=project_id)
        self.open_project(project_id)
        self.statusBar().showMessage(
            "已恢复为草稿；恢复前的内容已保存为一条“恢复前”定稿记录。", 8000
        )
        return True

    def export_package(self) -> None:
        """Save the open project to a 数据包 (.json) for a colleague or the bureau."""
        if self.editor is None:
            return
        self.editor.flush()  # the file holds what the clerk sees
        path = self._save_package(self.editor.project, "导出数据包", "无法导出")
        if path:
            self.statusBar().showMessage(f"已导出到 {path}", 8000)

    def _save_package(self, project: Project, title: str, failed: str) -> str | None:
        """Ask where, write the project as a 数据包; the path, or None (cancelled or failed, said)."""
        from desktop.atomic import WriteError
        from desktop.export.package import write_package_file
        from desktop.store.guard import protected_path_problem

        suggested = f"{project.year or ''}_{project.name or '项目'}_数据包.json"
        path = self.view.ask_save_file(title, suggested, "数据包 (*.json)")
        if not path:
            return None
        db = self.repo.path
        problem = protected_path_problem(path, db) if db is not None else None
        if problem:
            self.view.show_message(failed, problem + "\n\n未写入任何文件。", error=True)
            return None
        try:
            write_package_file([project], path)
        except WriteError as exc:
            self.view.show_message(failed, exc.message, error=True)
            return None
        return path

    def _undo(self) -> None:
        if self.editor and not self.editor.project.is_final:
            self.editor.undo_stack.undo()

    def _redo(self) -> None:
        if self.editor and not self.editor.project.is_final:
            self.editor.undo_stack.redo()

    # ------------------------------------------------------------ window state

    def list_shown(self) -> bool:
        return not self.list_panel.isHidden() and self.splitter.sizes()[0] > 0

    def set_list_shown(self, shown: bool) -> None:
        """Show or hide the project list (视图 → 显示项目列表, Ctrl+L): the editor gets the width.

        A hidden list is hidden, not just narrowed to nothing: Tab and screen readers skip it.
        """
        if shown:
            self.list_panel.show()
            sizes = self.splitter.sizes()
            if sizes[0] == 0:
                total = sum(sizes)
                width = min(self._list_width or LIST_WIDTH, max(LIST_MIN_WIDTH, total // 2))
                self.splitter.setSizes([width, max(0, total - width)])
        elif not self.list_panel.isHidden():
            width = self.splitter.sizes()[0]
            if width > 0:
                self._list_width = width
            self.list_panel.hide()
        self._list_shown_changed()

    def _list_shown_changed(self) -> None:
        """After a drag, a toggle or a restore: a list dragged to the edge is hidden."""
        width = self.splitter.sizes()[0]
        if width == 0 and not self.list_panel.isHidden():
            self.list_panel.hide()
        shown = self.list_shown()
        if shown:
            self._list_width = width
        if self.act_show_list.isChecked() != shown:
            self.act_show_list.setChecked(shown)

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(geometry)
        else:
            # no larger than the screen: an office laptop is 1366×768 with a task bar
            screen = self.screen().availableGeometry() if self.screen() else None
            width, height = 1200, 800
            if screen is not None:
                width, height = min(width, screen.width()), min(height, screen.height() - 32)
            self.resize(width, height)
        state = self.settings.value("splitter")
        if isinstance(state, QByteArray | bytes):
            self.splitter.restoreState(state)
        width = self.settings.value("list_width")
        if isinstance(width, int | str) and str(width).isdigit() and int(width) > 0:
            self._list_width = int(width)
        if str(self.settings.value("list_hidden", "false")).lower() == "true":
            self.set_list_shown(False)
        else:
            self._list_shown_changed()

    def _restore_last_project(self) -> None:
        last = self.settings.value("last_project")
        if isinstance(last, str) and self.list_model.row_of(last) >= 0:
            self.open_project(last)

    def settle_unsaved(self) -> bool:
        """Save the open project; when that fails, let the clerk keep the edits as a 数据包.

        False when the clerk chose to stay (the editor must not be dropped).
        """
        editor = self.editor
        if editor is None or editor.flush():
            return True
        while True:
            answer = self.view.ask_unsaved(
                f"“{editor.project.name}”的修改未能保存到数据库：\n{editor.save_error}\n\n"
                "可以先把这个项目另存为数据包文件，以后再导入。"
            )
            if answer == "discard":
                return True
            if answer != "package":
                return False
            if self._save_package(editor.project, "另存为数据包", "无法保存"):
                return True

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.settle_unsaved():
            event.ignore()
            return
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("splitter", self.splitter.saveState())
        self.settings.setValue("list_width", self._list_width)
        self.settings.setValue("list_hidden", not self.list_shown())
        super().closeEvent(event)


class TrashDialog(QDialog):
    """The 回收站: deleted projects, restored or deleted for good."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("回收站")
        self.resize(640, 360)
        self.model = ProjectListModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setColumnWidth(1, 220)
        self.empty_label = QLabel("回收站是空的。")
        buttons = QHBoxLayout()
        self.restore_button = QPushButton("恢复")
        self.restore_button.clicked.connect(self._guard("恢复项目", self.restore_selected))
        self.purge_button = QPushButton("彻底删除")
        self.purge_button.clicked.connect(self._guard("彻底删除", self.purge_selected))
        self.empty_button = QPushButton("清空回收站")
        self.empty_button.clicked.connect(self._guard("清空回收站", self.empty))
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        for button in (self.restore_button, self.purge_button, self.empty_button):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.refresh()

    def _guard(self, name: str, slot: Callable[[], None]) -> Callable[..., None]:
        """A button whose failure is shown in a dialog; the 回收站 is read again after it."""
        return guard(self.window_, name, slot, after=self.refresh)

    def refresh(self) -> None:
        self.model.set_summaries(self.window_.repo.trash_summaries())
        empty = self.model.rowCount() == 0
        self.empty_label.setVisible(empty)
        for button in (self.restore_button, self.purge_button, self.empty_button):
            button.setEnabled(not empty)
        if not empty:
            self.table.selectRow(0)

    def selected_id(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.summary(index.row()).id if index.isValid() else None

    def restore_selected(self) -> None:
        project_id = self.selected_id()
        if project_id:
            self.window_.restore_project(project_id)
            self.refresh()

    def purge_selected(self) -> None:
        project_id = self.selected_id()
        if project_id and self.window_.purge_project(project_id):
            self.refresh()

    def empty(self) -> None:
        if self.window_.empty_trash():
            self.refresh()
