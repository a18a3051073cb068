"""Ctrl+Z / Ctrl+Y are the document's undo wherever the focus is, and show what they changed."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from test_date_field import focus_date, open_case

UNDO = QKeySequence("Ctrl+Z")
REDO = QKeySequence("Ctrl+Y")


def press(widget, keys: QKeySequence) -> None:
    """The key press the clerk makes, sent to the widget that has the focus."""
    assert QApplication.focusWidget() is widget, QApplication.focusWidget()
    QTest.keySequence(widget, keys)


def focus(qtbot, widget) -> None:
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def cell_editor(table) -> QLineEdit:
    lines = table.viewport().findChildren(QLineEdit)
    assert lines, "no cell editor is open"
    return lines[0]


def indicators(editor):
    section = editor.row_editors["indicators"]
    editor.tabs.setCurrentWidget(section)
    model = section.model
    name_col = [c.attr for c in model.columns].index("name")
    return section, model, name_col


def edit_cell(qtbot, editor, row: int, text: str) -> None:
    """Open the 三级指标 cell of ``row`` with F2, type, Enter: a committed cell."""
    section, model, name_col = indicators(editor)
    section.table.setCurrentIndex(model.index(row, name_col))
    focus(qtbot, section.table)
    QTest.keyClick(section.table, Qt.Key.Key_F2)
    line = cell_editor(section.table)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is line)
    line.selectAll()
    QTest.keyClicks(line, text)
    QTest.keyClick(line, Qt.Key.Key_Return)


def test_ctrl_z_in_a_date_field_undoes_the_cell_edited_before_and_shows_it(
    qtbot, make_window
) -> None:
    """The last edit was a cell in 绩效目标; Ctrl+Z with the focus in 计划开始日期 undoes it."""
    window, editor = open_case(make_window)
    section, model, name_col = indicators(editor)
    old = model.rows[2].name
    edit_cell(qtbot, editor, 2, "ABC")
    assert model.rows[2].name == "ABC"
    date = focus_date(qtbot, editor)
    start = editor.project.start_date
    press(date.line, UNDO)
    assert model.rows[2].name == old
    assert editor.project.start_date == start  # the date itself is untouched
    # the undo shows where it happened: the 绩效目标 tab, the cell, the focus in the table
    assert editor.tabs.currentWidget() is section
    assert section.table.currentIndex().row() == 2
    assert section.table.currentIndex().column() == name_col
    assert QApplication.focusWidget() is section.table
    press(section.table, REDO)
    assert model.rows[2].name == "ABC"


def test_typing_in_a_text_field_is_undone_by_the_document_not_the_line_edit(
    qtbot, make_window
) -> None:
    window, editor = open_case(make_window)
    name = editor.widget_for("name")
    assert isinstance(name, QLineEdit)
    before = editor.project.name
    editor.tabs.setCurrentIndex(0)
    focus(qtbot, name)
    name.end(False)
    QTest.keyClicks(name, "xyz")
    assert editor.project.name == before + "xyz"
    steps = editor.undo_stack.index()
    press(name, UNDO)
    assert editor.project.name == before
    assert name.text() == before  # the field shows the document, not its own history
    assert editor.undo_stack.index() == steps - 1  # one step, not one per widget
    press(QApplication.focusWidget(), REDO)
    assert editor.project.name == before + "xyz" and name.text() == before + "xyz"
    press(QApplication.focusWidget(), QKeySequence("Ctrl+Shift+Z"))  # nothing left to redo
    assert editor.project.name == before + "xyz"


def test_ctrl_z_in_an_open_cell_editor_commits_the_typed_text_then_undoes_it(
    qtbot, make_window
) -> None:
    window, editor = open_case(make_window)
    section, model, name_col = indicators(editor)
    old = model.rows[1].name
    section.table.setCurrentIndex(model.index(1, name_col))
    focus(qtbot, section.table)
    QTest.keyClick(section.table, Qt.Key.Key_F2)
    line = cell_editor(section.table)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is line)
    line.selectAll()
    QTest.keyClicks(line, "NEW")
    assert model.rows[1].name == old  # still being typed
    press(line, UNDO)
    assert model.rows[1].name == old
    assert not section.table.viewport().findChildren(QLineEdit) or not line.isVisible()
    press(QApplication.focusWidget(), REDO)  # the typed text was a document edit
    assert model.rows[1].name == "NEW"


def test_ctrl_z_in_an_amount_field_commits_the_amount_then_undoes_it_and_shows_it(
    qtbot, make_window
) -> None:
    window, editor = open_case(make_window)
    key = next(k for k in editor._widgets if k.startswith("funding."))
    amount = editor.widget_for(key)
    assert isinstance(amount, QLineEdit)
    attr = key.split(".", 1)[1]
    before = getattr(editor.project.funding, attr)
    editor.tabs.setCurrentIndex(1)
    focus(qtbot, amount)
    amount.selectAll()
    QTest.keyClicks(amount, "12345")
    press(amount, UNDO)
    assert getattr(editor.project.funding, attr) == before
    press(QApplication.focusWidget(), REDO)
    assert str(getattr(editor.project.funding, attr)) in ("12345", "12345.00")
    # undo from another tab: the 项目资金 tab comes back with the amount focused
    name = editor.widget_for("name")
    editor.tabs.setCurrentIndex(0)
    focus(qtbot, name)
    press(name, UNDO)
    assert getattr(editor.project.funding, attr) == before
    assert editor.tabs.currentIndex() == 1
    assert QApplication.focusWidget() is amount
    assert amount.text() != "12,345.00"


def test_the_menu_undo_shows_the_field_too(qtbot, make_window) -> None:
    """Focus outside the editor (the project list): 编辑 → 撤销 still shows what changed."""
    window, editor = open_case(make_window)
    date = focus_date(qtbot, editor, "end_date")
    QTest.keyClicks(date.line, "20211130")
    QTest.keyClick(date.line, Qt.Key.Key_Tab)
    assert editor.project.end_date == dt.date(2021, 11, 30)
    editor.tabs.setCurrentIndex(2)
    focus(qtbot, window.table)
    press(window.table, UNDO)
    assert editor.project.end_date != dt.date(2021, 11, 30)
    assert editor.tabs.currentIndex() == 0
    assert QApplication.focusWidget() is date.line


def test_ctrl_z_in_a_text_box_undoes_the_typing_as_one_document_step(qtbot, make_window) -> None:
    """年度总目标 (a multi-line box): its own undo is off, the document's takes the typing back."""
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QPlainTextEdit

    window, editor = open_case(make_window)
    box = editor.widget_for("annual_goal")
    assert isinstance(box, QPlainTextEdit)
    assert not box.isUndoRedoEnabled()
    before = editor.project.annual_goal
    editor.tabs.setCurrentIndex(0)
    focus(qtbot, box)
    box.moveCursor(QTextCursor.MoveOperation.End)
    QTest.keyClicks(box, "abc")
    assert editor.project.annual_goal == (before or "") + "abc"
    press(box, UNDO)
    assert editor.project.annual_goal == before
    assert box.toPlainText() == (before or "")
    press(QApplication.focusWidget(), QKeySequence("Ctrl+Shift+Z"))
    assert editor.project.annual_goal == (before or "") + "abc"


def test_the_menu_undo_commits_an_open_cell_editor_first(qtbot, make_window) -> None:
    """编辑 → 撤销 with a cell still being typed: the typed text is the step undone."""
    window, editor = open_case(make_window)
    section, model, name_col = indicators(editor)
    old = model.rows[3].name
    section.table.setCurrentIndex(model.index(3, name_col))
    focus(qtbot, section.table)
    QTest.keyClick(section.table, Qt.Key.Key_F2)
    line = cell_editor(section.table)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is line)
    line.selectAll()
    QTest.keyClicks(line, "MENU")
    window.act_undo.trigger()
    assert model.rows[3].name == old
    window.act_redo.trigger()
    assert model.rows[3].name == "MENU"
