"""The editor of one project: a section per printed table, live validation, undo, autosave.

Every edit goes through the undo stack onto the in-memory ``Project``; the rules
run after each change; about a second after the last edit the repository saves
the whole project. ``flush()`` saves at once (switching project, closing).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.models import taxonomy as tx
from desktop.models.amounts import (
    amount_text,
    as_number,
    display_amount,
    format_amount,
    read_amount,
)
from desktop.models.labels import (
    CATEGORY_CHOICES,
    FAMILY_NAMES,
    FORM_FUNDING_KEYS,
    FORM_GENERAL_FIELDS,
    label,
)
from desktop.models.limits import MAX_AMOUNT_CHARS
from desktop.models.project import (
    BREAKDOWN_FAMILIES,
    GUARANTEE_FAMILIES,
    LONG_TEXT_FIELDS,
    STANDARD_GUARANTEE_KINDS,
    BreakdownRow,
    Guarantee,
    Indicator,
    Project,
)
from desktop.models.rules import Context, Finding, validate
from desktop.ui.commands import DocumentUndoStack, SetAttr, SetExplanations
from desktop.ui.date_edit import DateField
from desktop.ui.failures import WindowOf, guard
from desktop.ui.library_dialog import LibraryTools
from desktop.ui.limits import LimitedPlainTextEdit, amount_refusal, field_limit, limit_line
from desktop.ui.problems import ProblemsPanel
from desktop.ui.review import REVIEW_STYLE, REVIEW_TIP, ConfirmReview, ReviewedSetAttr
from desktop.ui.row_editor import RowEditor
from desktop.ui.row_table import (
    BREAKDOWN_COLUMNS,
    GUARANTEE_COLUMNS,
    INDICATOR_COLUMNS,
    Column,
    RowTableModel,
)

if TYPE_CHECKING:
    from desktop.store import Repository

AUTOSAVE_MS = 1000  # typing inside a field is saved at most this long after its first keystroke
COMMIT_SAVE_MS = 40  # a committed edit (cell, field left, paste, undo): saved after the repaint
RETRY_MS = 10_000  # after a failed save: a full disk or a lost share takes a moment to fix
# The objectName of each section's table (issue 15: stable names for automated checks).
TABLE_NAMES = {
    "indicators": "indicatorTable",
    "breakdown": "breakdownTable",
    "guarantees": "guaranteeTable",
}
_ROW_PATH = re.compile(r"(\w+)\[(\d+)\](?:\.(\w+))?")

# Which funding amounts each family's form has, in its order (one list, in the models).
FUNDING_LAYOUT = FORM_FUNDING_KEYS
# The fields of 项目总体情况 each family's form has (one list, in the models).
GENERAL_FIELDS = FORM_GENERAL_FIELDS

_STYLE = {
    "error": "background:#fde2e1; border:1px solid #c0392b;",
    "warning": "background:#fff1cc; border:1px solid #d4a017;",
    # a warning the clerk has answered with a 说明 (已说明)
    "explained": "background:#f2f2f2; border:1px solid #a0a0a0;",
}


class ProjectEditor(QWidget):
    """Edits one project; emits ``saved`` after each save and ``findings_changed`` after each check."""

    saved = Signal(str)
    findings_changed = Signal(list)
    notice = Signal(str)  # a message for the status bar (统一为标准写法 …)

    def __init__(
        self, repo: Repository, project: Project, context: Context | None = None, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.repo = repo
        self.project = project
        self.context = context or repo.context(near=[project])
        # Ctrl+Z / Ctrl+Y anywhere in the editor are the document's (see DocumentKeys)
        self.undo_stack = DocumentUndoStack(self)
        self.undo_stack.stepped.connect(self._reveal)
        self.undo_stack.before_step = self.commit_pending
        self.findings: list[Finding] = []
        self.last_notice = ""
        self._widgets: dict[str, QWidget] = {}
        self._refreshers: dict[str, Callable[[], None]] = {}
        self._dirty = False
        self.save_error = ""  # why the last save failed, while it stays unsaved
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.flush)
        # a committed edit is saved right after it is painted, not after the typing delay
        self._commit_timer = QTimer(self)
        self._commit_timer.setSingleShot(True)
        self._commit_timer.setInterval(COMMIT_SAVE_MS)
        self._commit_timer.timeout.connect(self.flush)
        self._typing = False  # set while a keystroke in a text field is being applied
        self._left_filter = _FieldLeft(self.committed, self)  # a text box left: save now
        self._retry = QTimer(self)  # after a failed save
        self._retry.setSingleShot(True)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self.flush)

        family = project.family
        self.tabs = QTabWidget()
        self.tabs.setObjectName("sectionTabs")
        self.tabs.setAccessibleName("填报内容")
        self.tabs.addTab(self._scroll(self._general_form(family)), "项目总体情况")
        self.tabs.addTab(self._scroll(self._funding_form(family)), "项目资金")
        self.row_editors: dict[str, RowEditor] = {}
        indicators = self._row_section(
            "indicators", "绩效目标", INDICATOR_COLUMNS(family), Indicator, family
        )
        indicators.add_button("统一为标准写法", self.standardize_targets)
        # 指标库: 从指标库添加… and the completer in the 三级指标 cells
        self.library = LibraryTools(self, indicators)
        if family in BREAKDOWN_FAMILIES:
            breakdown = self._row_section(
                "breakdown", "项目构成分解", BREAKDOWN_COLUMNS, BreakdownRow, family
            )
            breakdown.add_button("明细金额 = 单价 × 数量", self.fill_products)
            breakdown.footer.show()
        if family in GUARANTEE_FAMILIES:
            guarantees = self._row_section(
                "guarantees", "制度保障", GUARANTEE_COLUMNS, Guarantee, family
            )
            guarantees.add_button("补齐三项标准制度", self.add_standard_guarantees)
        # grouped by code; 说明… on a warning (ui/problems.py)
        self.problems_panel = ProblemsPanel(self.go_to, self.set_explanations)
        self.problems = self.problems_panel.tree
        self.status = QLabel("")
        self.status.setObjectName("saveStatus")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tabs)
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.problems_panel)
        split.addWidget(box)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        self.final_banner = QLabel("本项目已定稿，只读。如需修改，请在 项目 菜单中选择 撤销定稿。")
        self.final_banner.setObjectName("finalBanner")
        self.final_banner.setStyleSheet(
            "background:#e8f0fe; padding:6px; border:1px solid #8ab4f8;"
        )
        outer = QVBoxLayout(self)
        outer.addWidget(self.final_banner)
        outer.addWidget(split)
        outer.addWidget(self.status)
        self.set_read_only(project.is_final)
        # A table whose 一级 is split over separate blocks (imported, or made before rows
        # lived in their groups) is joined once, as an undoable step the clerk is told of.
        moved = indicators.model.regroup()
        if moved:
            self.say(f"已把分散的指标行归并到各自的一级、二级分组（移动 {moved} 行），可按 Ctrl+Z 撤销。")
        self.revalidate()
        self._keys = DocumentKeys(self)

    # ------------------------------------------------------------ building

    @staticmethod
    def _scroll(inner: QWidget) -> QScrollArea:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(inner)
        return area

    def _general_form(self, family: str) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.addRow(
            QLabel(f"年度：{self.project.year or ''}　　表式：{FAMILY_NAMES.get(family, family)}")
        )
        for key in GENERAL_FIELDS.get(family, GENERAL_FIELDS["shanghai-2021"]):
            form.addRow(label(key, family) + "：", self._field(key, family))
        return page

    def _field(self, key: str, family: str) -> QWidget:
        p = self.project
        if key == "category":
            combo = QComboBox()
            combo.addItem("（请选择）", None)
            for choice in CATEGORY_CHOICES.get(family, CATEGORY_CHOICES["shanghai-2021"]):
                combo.addItem(choice, choice)

            def show_category() -> None:
                with QSignalBlocker(combo):
                    combo.setCurrentIndex(max(0, combo.findData(p.category)))

            combo.currentIndexChanged.connect(
                lambda _i: self.edit(p, "category", combo.currentData())
            )
            return self._bind(key, combo, show_category)
        if key in ("start_date", "end_date"):
            # typed as in Excel (20210301, 2021-3-1, 2021年3月1日 …), read in desktop.models.dates
            date = DateField(label(key, family), lambda value: self.edit(p, key, value))

            def show_date() -> None:
                value: dt.date | None = getattr(p, key)
                date.set_date(value)

            return self._bind(key, date, show_date)
        what = label(key, family)
        if key in LONG_TEXT_FIELDS:
            # at most what the readers take: the excess typed or pasted is cut, and the clerk told
            text = LimitedPlainTextEdit(field_limit(key), what)
            text.limited.connect(self.say)
            text.setTabChangesFocus(True)
            text.setMinimumHeight(90)
            text.setUndoRedoEnabled(False)  # the document's undo, not the box's own
            text.installEventFilter(self._left_filter)

            def show_long() -> None:
                if text.toPlainText() != (getattr(p, key) or ""):
                    with QSignalBlocker(text):
                        text.setPlainText(getattr(p, key) or "")

            text.textChanged.connect(
                lambda: self.edit(p, key, text.toPlainText() or None, typing=True)
            )
            return self._bind(key, text, show_long)
        line = QLineEdit()
        limit_line(line, field_limit(key), what, self.say)  # 项目名称 200, others 20,000

        def show_line() -> None:
            if line.text() != (getattr(p, key) or ""):
                with QSignalBlocker(line):
                    line.setText(getattr(p, key) or "")

        # the text as the line holds it (a NUL pasted is dropped there first, limits.py)
        line.textEdited.connect(
            lambda _s: self.edit(
                p, key, line.text() if key == "name" else (line.text() or None), typing=True
            )
        )
        line.editingFinished.connect(self.committed)  # the field left: save now
        return self._bind(key, line, show_line)

    def _funding_form(self, family: str) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.addRow(QLabel("金额单位：元。可输入 1,234.5、１２３ 或 12.5万（自动换算为元）。"))
        f = self.project.funding
        for key in FUNDING_LAYOUT.get(family, FUNDING_LAYOUT["shanghai-2021"]):
            line = QLineEdit()
            line.setAlignment(Qt.AlignmentFlag.AlignRight)
            what = label(f"funding.{key}", family)
            limit_line(line, MAX_AMOUNT_CHARS, what, self.say)

            def show(line: QLineEdit = line, key: str = key) -> None:
                # while the clerk types, the typed text stays as typed (formatted on leaving)
                if self._typing and _amount_value(line.text()) == getattr(f, key):
                    return
                line.setText(display_amount(getattr(f, key)))

            def commit(line: QLineEdit = line, key: str = key, what: str = what) -> None:
                text = line.text()
                refused = amount_refusal(text)
                value = getattr(f, key) if refused else _amount_value(text)
                if value != getattr(f, key):
                    self.edit(f, key, value)
                show(line, key)  # a refused amount gives way to the value kept
                self.committed()  # the field left: save now
                if refused:
                    kept = amount_text(getattr(f, key))
                    self.say(f"{what}：{refused}。“{text.strip()[:40]}”未录入，金额仍为 {kept}。")
                else:
                    error = read_amount(text).error  # kept as typed: say why it is not read
                    if error is not None:
                        self.say(f"{what}：{error}。")

            def typed(
                _text: str, line: QLineEdit = line, key: str = key, what: str = what
            ) -> None:
                # every key press is an edit too (saved within AUTOSAVE_MS), as in a text field;
                # a number too large to store is not stored at all: the value stays as it was
                text = line.text()  # as the line holds it (a NUL pasted is dropped, limits.py)
                refused = amount_refusal(text)
                if refused is None:
                    self.edit(f, key, _amount_value(text), typing=True)
                else:
                    self.say(f"{what}：{refused}。超出上限的输入未录入。")

            line.textEdited.connect(typed)
            line.editingFinished.connect(commit)
            form.addRow(what + "：", self._bind(f"funding.{key}", line, show))
        self.sums = QLabel()
        form.addRow(self.sums)
        self.confirm_review_button = QPushButton("确认沿用上年金额（全部确认）")
        self.confirm_review_button.setToolTip("琥珀色的金额沿用上年数据：核对无误后点此确认。")
        self.confirm_review_button.clicked.connect(
            guard(WindowOf(self), "全部确认", self.confirm_review)
        )
        form.addRow(self.confirm_review_button)
        return page

    def _row_section(
        self, key: str, title: str, columns: list[Column], make_row: Any, family: str
    ) -> RowEditor:
        model = RowTableModel(
            getattr(self.project, key), columns, make_row, self.undo_stack, self.touch, self
        )
        model.framework = tx.framework_of(self.project)
        model.title = title  # the table's name in messages (最多 500 行 …)
        section = RowEditor(model, family)
        section.notice.connect(self.say)  # a cell cut, rows left out, an amount refused
        self.row_editors[key] = section
        section.setObjectName(f"{key}Section")
        section.table.setObjectName(TABLE_NAMES.get(key, f"{key}Table"))
        section.table.setAccessibleName(title)
        self.tabs.addTab(section, title)
        return section

    # ------------------------------------------------------------ table helpers

    def standardize_targets(self) -> int:
        """Rewrite every target the rules call non-standard (I15) in its standard form.

        One undo step; says how many were rewritten (``notice``). Returns that count.
        """
        cells = []
        for finding in self.findings:
            cell = _ROW_PATH.fullmatch(finding.field)
            if finding.code == "I15" and finding.suggestion and cell:
                cells.append((int(cell.group(2)), "target", finding.suggestion))
        changed = self.row_editors["indicators"].model.set_cells(cells, "统一指标值写法")
        if changed:
            self.say(f"已将 {changed} 个目标值改为标准写法。可按 Ctrl+Z 撤销。")
        else:
            self.say("没有需要改写的目标值。")
        return changed

    def say(self, text: str) -> None:
        """A non-blocking notice: the window's status bar (and ``notice`` for whoever listens)."""
        self.last_notice = text
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 10000)
        else:
            self.status.setText(text)
        self.notice.emit(text)

    def fill_products(self) -> int:
        """明细金额 = 单价 × 数量 for the selected rows (all rows when none is selected)."""
        section = self.row_editors["breakdown"]
        rows = section.selected_rows() or range(section.model.rowCount())
        return section.model.fill_suggestions(rows)

    def add_standard_guarantees(self) -> int:
        """Add a row for each of the three standard 制度 the table lacks, before the unit's own."""
        model = self.row_editors["guarantees"].model
        kinds = [g.kind_key for g in self.project.guarantees]
        missing = [k for k in STANDARD_GUARANTEE_KINDS if k not in kinds]
        first_own = next(
            (i for i, k in enumerate(kinds) if k not in STANDARD_GUARANTEE_KINDS), len(kinds)
        )
        before = model.rowCount()
        model.insert_rows(first_own, [Guarantee(kind=k) for k in missing])
        return model.rowCount() - before  # fewer when the table is full (the clerk is told)

    def _bind(self, path: str, widget: QWidget, refresh: Callable[[], None]) -> QWidget:
        self._widgets[path] = widget
        self._refreshers[path] = refresh
        # found by screen readers and automated checks: field.annual_goal, field.funding.annual
        widget.setObjectName(f"field.{path}")
        widget.setAccessibleName(label(path, self.project.family))
        refresh()
        return widget

    # ------------------------------------------------------------ editing

    def edit(self, target: Any, attr: str, value: Any, typing: bool = False) -> None:
        """Every change of a field: one undoable step on the in-memory project.

        ``typing``: a keystroke inside a text field, saved within ``AUTOSAVE_MS``;
        any other edit is committed and saved within ``COMMIT_SAVE_MS``.
        """
        if self.project.is_final or getattr(target, attr) == value:
            return
        path = self._path(target, attr)
        if path in self.project.review:
            command: SetAttr = ReviewedSetAttr(
                target, attr, value, self._changed, self.project.review, path, f"修改{attr}"
            )
        else:
            command = SetAttr(target, attr, value, self._changed, f"修改{attr}")
        self._typing = typing
        try:
            self.undo_stack.push(command)
        finally:
            self._typing = False

    def set_explanations(self, changes: dict[str, str | None], text: str = "说明") -> None:
        """Write or remove 说明 on warnings (``None`` removes): one undoable step, autosaved."""
        if self.project.is_final or not changes:
            return
        self.undo_stack.push(SetExplanations(self.project.explanations, changes, self.touch, text))

    def confirm_review(self) -> None:
        """全部确认: last year's values stay as they are; one undoable step."""
        if self.project.review and not self.project.is_final:
            self.undo_stack.push(ConfirmReview(self.project.review, self.touch))

    def _path(self, target: Any, attr: str) -> str:
        return f"funding.{attr}" if target is self.project.funding else attr

    def _changed(self, target: Any, attr: str) -> None:
        path = self._path(target, attr)
        refresh = self._refreshers.get(path)
        if refresh is not None:
            refresh()
        self.touch()

    def touch(self) -> None:
        """Something changed: check again and schedule the save.

        A keystroke in a text field is saved ``AUTOSAVE_MS`` after the first unsaved
        one (typing on does not postpone it, so a crash loses at most that long of
        typing); every other edit (a cell, a paste, a choice, an undo) is committed
        and saved ``COMMIT_SAVE_MS`` later, once the window has repainted.
        """
        self._dirty = True
        self.status.setText("正在编辑…")
        self.revalidate()
        if self._typing:
            if not self._timer.isActive():
                self._timer.start()
        else:
            self.committed()

    def committed(self) -> None:
        """An edit is complete (a field left, a cell committed): save it within COMMIT_SAVE_MS."""
        if self._dirty and not self._commit_timer.isActive():
            self._commit_timer.start()

    def flush(self) -> bool:
        """Save now if anything is unsaved; True when the store holds the current state.

        A failed save (full disk, pulled USB stick, a locked file) keeps every
        edit in the window, says so, and tries again after ``RETRY_MS``.
        """
        from desktop.store import StoreError

        self._timer.stop()
        self._commit_timer.stop()
        self._retry.stop()
        if not self._dirty:
            return True
        try:
            self.repo.save(self.project)
        except StoreError as exc:
            self.save_error = exc.message
            self.status.setText(f"未能保存：{exc.message}\n修改仍在窗口中，稍后自动重试。")
            self.status.setStyleSheet("color:#b00020;")
            self._retry.start()
            return False
        self._dirty = False
        self.save_error = ""
        stamp = dt.datetime.now().strftime("%H:%M:%S")
        self.status.setStyleSheet("")
        self.status.setText(f"已保存 {stamp}")
        self.saved.emit(self.project.id or "")
        return True

    @property
    def has_unsaved(self) -> bool:
        return self._dirty

    def set_status(self, status: str) -> None:
        """The store changed the status (定稿 / 撤销定稿): follow it, read-only when final."""
        self.project.status = status
        self.undo_stack.clear()  # nothing before 定稿 may be undone into a final project
        self.set_read_only(self.project.is_final)

    def set_read_only(self, read_only: bool) -> None:
        self.final_banner.setVisible(read_only)
        self.confirm_review_button.setVisible(bool(self.project.review) and not read_only)
        for section in self.row_editors.values():
            section.set_read_only(read_only)
        self.problems_panel.show_findings(self.project, self.findings, read_only)
        for widget in self._widgets.values():
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.setReadOnly(read_only)
            else:
                widget.setEnabled(not read_only)

    # ------------------------------------------------------------ checking

    def revalidate(self) -> None:
        self.findings = validate(self.project, self.repo.settings, self.context)
        worst: dict[str, Finding] = {}
        for finding in self.findings:
            current = worst.get(finding.field)
            if current is None or _weight(finding) > _weight(current):
                worst[finding.field] = finding
        review = set(self.project.review)
        for path, widget in self._widgets.items():
            found = worst.get(path)
            marked = path in review  # a finding's colour wins; the tooltip says both
            kind = _kind(found) if found else ""
            style = _STYLE[kind] if found else REVIEW_STYLE if marked else ""
            tips = _tips(found) if found else []
            widget.setStyleSheet(style)
            widget.setToolTip("\n".join(tips + [REVIEW_TIP] if marked else tips))
            widget.setProperty("finding", kind)
            widget.setProperty("review", marked)
        self.confirm_review_button.setVisible(bool(review) and not self.project.is_final)
        # a cell's tooltip says the 说明 too
        on_cells = [
            replace(f, message="\n".join(_tips(f))) if f.explanation else f for f in self.findings
        ]
        for key, section in self.row_editors.items():
            section.model.set_findings(RowTableModel.findings_by_cell(on_cells, key))
        self.problems_panel.show_findings(self.project, self.findings, self.project.is_final)
        self._show_sums()
        self._show_breakdown_sum()
        self.findings_changed.emit(self.findings)

    def _show_sums(self) -> None:
        f = self.project.funding
        parts = [as_number(getattr(f, k)) for k in ("annual_fiscal", "carryover", "annual_other")]
        filled = [v for v in parts if v is not None]
        total = format_amount(sum(filled, Decimal(0))) if filled else "—"
        self.sums.setText(
            f"财政拨款 + 上年结转 + 其他资金 = {total}；{label('funding.annual', self.project.family)}：{amount_text(f.annual)}"
        )

    def _show_breakdown_sum(self) -> None:
        section = self.row_editors.get("breakdown")
        if section is None:
            return
        amounts = [as_number(r.amount) for r in self.project.breakdown if r.has_content()]
        total = sum((a for a in amounts if a is not None), Decimal(0))
        annual = as_number(self.project.funding.annual)
        budget = label("funding.annual", self.project.family)
        text = f"明细金额合计 {format_amount(total)} 元　　{budget} "
        if annual is None:
            text, style = text + "未填写（或无法读出）", ""
        elif total == annual:
            text, style = text + f"{format_amount(annual)} 元　　✓ 相符", "color:#1e7e34;"
        else:
            gap = format_amount(abs(total - annual))
            text += f"{format_amount(annual)} 元　　相差 {gap} 元"
            style = "color:#c0392b; font-weight:bold;"
        section.footer.setText(text)
        section.footer.setStyleSheet(style)

    def widget_for(self, path: str) -> QWidget | None:
        return self._widgets.get(path)

    # ------------------------------------------------------------ undo and redo

    def undo(self) -> None:
        """The document's undo (Ctrl+Z wherever the focus is): what is being typed first."""
        if not self.project.is_final:
            self.undo_stack.undo()  # commits what is being typed first (commit_pending)

    def redo(self) -> None:
        """The document's redo (Ctrl+Y, Ctrl+Shift+Z)."""
        if not self.project.is_final:
            self.undo_stack.redo()

    def commit_pending(self) -> None:
        """Make what is being typed a document edit: an open cell editor, an amount, a date."""
        focus = QApplication.focusWidget()
        if focus is None or not (focus is self or self.isAncestorOf(focus)):
            return
        widget: QWidget | None = focus
        while widget is not None and widget is not self:
            parent = widget.parentWidget()
            view = parent.parentWidget() if parent is not None else None
            if (
                isinstance(view, QAbstractItemView)
                and parent is view.viewport()
                and view.state() == QAbstractItemView.State.EditingState
            ):
                view.commitData(widget)
                view.closeEditor(widget, QAbstractItemDelegate.EndEditHint.NoHint)
                return
            if isinstance(widget, DateField):
                widget.commit_text()
                return
            if isinstance(widget, QLineEdit) and widget in self._widgets.values():
                widget.editingFinished.emit()  # an amount is read when its field is left
                return
            widget = parent

    def _reveal(self, command: QUndoCommand, _undone: bool) -> None:
        """After an undo or redo: show the section and the field or cell it changed."""
        while command.childCount() > 0:  # a macro (a paste, 统一为标准写法): its first change
            command = command.child(0)
        target, attr = getattr(command, "target", None), getattr(command, "attr", None)
        if target is not None and isinstance(attr, str):
            path = self._locate(target, attr)
            if path is not None:
                self.go_to(path)
            return
        model = getattr(command, "model", None)
        for section in self.row_editors.values():
            if section.model is model:
                self.tabs.setCurrentWidget(section)
                rows = model.rowCount()
                row = min(int(getattr(command, "position", getattr(command, "dest", 0))), rows - 1)
                if row >= 0:
                    section.table.setCurrentIndex(model.index(row, 0))
                section.table.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def _locate(self, target: Any, attr: str) -> str | None:
        """The path of a changed attribute (``name``, ``funding.total``, ``indicators[3].target``)."""
        if target is self.project:
            return attr
        if target is self.project.funding:
            return f"funding.{attr}"
        for key, section in self.row_editors.items():
            for i, row in enumerate(section.model.rows):
                if row is target:
                    return f"{key}[{i}].{attr}"
        return None

    def go_to(self, path: str) -> None:
        """Put the cursor in the field a finding names (``indicators[3].target``, ``funding.total``)."""
        cell = _ROW_PATH.fullmatch(path)
        if cell and cell.group(1) in self.row_editors:
            section = self.row_editors[cell.group(1)]
            self.tabs.setCurrentWidget(section)
            section.focus_cell(int(cell.group(2)), cell.group(3) or "name")
            return
        if path in self.row_editors:
            self.tabs.setCurrentWidget(self.row_editors[path])
            return
        widget = self._widgets.get(path)
        if widget is None:
            return
        page = widget.parentWidget()
        while page is not None and self.tabs.indexOf(page) < 0:
            page = page.parentWidget()
        if page is not None:
            self.tabs.setCurrentWidget(page)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)


def _amount_value(text: str) -> Any:
    """What an amount field's text stores: the amount read, or the text itself when unreadable."""
    reading = read_amount(text)
    return reading.value if reading.error is None else text.strip()


def _kind(finding: Finding) -> str:
    """How a field shows its finding: error, warning, or explained (a warning with a 说明)."""
    return "explained" if finding.explanation else finding.severity


def _weight(finding: Finding) -> int:
    """Which finding a field shows when it has several: an error, then an open warning."""
    return 2 if finding.is_error else 0 if finding.explanation else 1


def _tips(finding: Finding) -> list[str]:
    if finding.explanation:
        return [finding.message, f"已说明：{finding.explanation}"]
    return [finding.message]


_REDO_KEYS = (QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z"))


class DocumentKeys(QObject):
    """Ctrl+Z / Ctrl+Y (and Ctrl+Shift+Z) anywhere inside the editor are the document's.

    Installed on the application, so it sees the keys before any field, cell
    editor or date does: the shortcut override is taken (no widget's own undo,
    no menu shortcut firing as well) and the key press runs the editor's undo or
    redo, which first commits what is being typed.
    """

    def __init__(self, editor: ProjectEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        if not isinstance(event, QKeyEvent) or not isinstance(watched, QWidget):
            return False
        step = _step_of(event)
        editor = self.editor
        if step is None or not editor.isVisible():
            return False
        if not (watched is editor or editor.isAncestorOf(watched)):
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # the key comes to us as a key press, not as a widget's shortcut
            return True
        if step == "undo":
            editor.undo()
        else:
            editor.redo()
        return True


def _step_of(event: QKeyEvent) -> str | None:
    if event.matches(QKeySequence.StandardKey.Undo):
        return "undo"
    if event.matches(QKeySequence.StandardKey.Redo):
        return "redo"
    combo = QKeySequence(event.keyCombination())
    if any(combo.matches(k) == QKeySequence.SequenceMatch.ExactMatch for k in _REDO_KEYS):
        return "redo"
    return None


class _FieldLeft(QObject):
    """Calls ``left`` when a watched text box loses the focus (the clerk has left the field)."""

    def __init__(self, left: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._left = left

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self._left()
        return False
