"""计划开始日期/计划完成日期 typed from the keyboard as in Excel; Tab goes on; the calendar stays."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QCalendarWidget
from window_helpers import SHARED, type_text

from desktop.ui.date_edit import DateField

CASES = SHARED / "cases"


def open_case(make_window, name: str = "车辆购置费", file: str = "seed003-open-2021.json"):
    window, view = make_window()
    view.files = [str(CASES / file)]
    window.import_button.click()
    window.search.setText(name)
    window.table.setCurrentIndex(window.filter.index(0, 0))
    assert window.editor is not None and window.editor.project.name == name
    return window, window.editor


def focus_date(qtbot, editor, key: str = "start_date") -> DateField:
    field = editor.widget_for(key)
    assert isinstance(field, DateField)
    editor.tabs.setCurrentIndex(0)
    field.line.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field.line)
    field.line.selectAll()
    return field


@pytest.mark.parametrize(
    "typed",
    ["20210301", "2021-3-1", "2021/3/1", "2021.3.1"],
    ids=["compact", "dash", "slash", "dot"],
)
def test_a_date_typed_as_in_excel_is_stored_and_tab_goes_to_the_next_field(
    qtbot, make_window, typed: str
) -> None:
    """A clerk types the date the Excel way and presses Tab: stored, shown as 2021-03-01, focus on."""
    window, editor = open_case(make_window)
    field = focus_date(qtbot, editor)
    QTest.keyClicks(field.line, typed)
    QTest.keyClick(field.line, Qt.Key.Key_Tab)
    assert editor.project.start_date == dt.date(2021, 3, 1)
    assert field.line.text() == "2021-03-01"
    assert field.error is None
    focus = QApplication.focusWidget()
    assert focus is not None and focus is not field.line
    assert focus is editor.widget_for("end_date").line  # the next field of the form
    assert editor.undo_stack.undoText()  # one document edit


def test_a_date_typed_in_chinese_is_stored(qtbot, make_window) -> None:
    window, editor = open_case(make_window)
    field = focus_date(qtbot, editor, "end_date")
    field.line.clear()
    type_text(field.line, "2021年12月31日")
    QTest.keyClick(field.line, Qt.Key.Key_Return)
    assert editor.project.end_date == dt.date(2021, 12, 31)
    assert field.line.text() == "2021-12-31"


def test_text_that_is_no_date_is_named_in_chinese_and_not_stored(qtbot, make_window) -> None:
    window, editor = open_case(make_window)
    before = editor.project.start_date
    steps = editor.undo_stack.count()
    field = focus_date(qtbot, editor)
    QTest.keyClicks(field.line, "20211301")
    QTest.keyClick(field.line, Qt.Key.Key_Tab)
    assert editor.project.start_date == before
    assert editor.undo_stack.count() == steps
    assert field.error is not None
    assert field.error.startswith("计划开始日期：") and "未保存" in field.error
    assert field.message.isVisibleTo(editor)
    assert field.line.text() == "20211301"  # kept to be corrected
    # corrected: the message goes, the date is stored
    field.line.setFocus()
    field.line.selectAll()
    QTest.keyClicks(field.line, "20210301")
    QTest.keyClick(field.line, Qt.Key.Key_Tab)
    assert editor.project.start_date == dt.date(2021, 3, 1)
    assert field.error is None and not field.message.isVisibleTo(editor)


def test_a_cleared_date_is_stored_as_blank(qtbot, make_window) -> None:
    window, editor = open_case(make_window)
    assert editor.project.start_date is not None
    field = focus_date(qtbot, editor)
    QTest.keyClick(field.line, Qt.Key.Key_Delete)
    QTest.keyClick(field.line, Qt.Key.Key_Tab)
    assert editor.project.start_date is None


def test_the_calendar_picks_a_day(qtbot, make_window) -> None:
    window, editor = open_case(make_window)
    field = focus_date(qtbot, editor)
    field.button.click()
    calendar = field.calendar
    assert isinstance(calendar, QCalendarWidget)
    qtbot.waitUntil(calendar.isVisible)
    assert calendar.selectedDate().toPython() == editor.project.start_date
    calendar.setSelectedDate(QDate(2021, 5, 6))
    calendar.clicked.emit(QDate(2021, 5, 6))
    assert editor.project.start_date == dt.date(2021, 5, 6)
    assert field.line.text() == "2021-05-06"
    assert not calendar.isVisible()


def test_an_undo_shows_the_old_date(qtbot, make_window) -> None:
    window, editor = open_case(make_window)
    before = editor.project.start_date
    field = focus_date(qtbot, editor)
    QTest.keyClicks(field.line, "20210301")
    QTest.keyClick(field.line, Qt.Key.Key_Tab)
    editor.undo_stack.undo()
    assert editor.project.start_date == before
    assert field.line.text() == (before.isoformat() if before else "")


def test_alt_down_opens_the_calendar_and_enter_picks_the_day(qtbot, make_window) -> None:
    """Keyboard only: Alt+↓ opens the calendar on the stored day, → and Enter pick the next day."""
    window, editor = open_case(make_window)
    before = editor.project.end_date
    assert before is not None
    field = focus_date(qtbot, editor, "end_date")
    QTest.keyClick(field.line, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    calendar = field.calendar
    assert isinstance(calendar, QCalendarWidget)
    qtbot.waitUntil(calendar.isVisible)
    target = QApplication.focusWidget()
    assert target is not None and (target is calendar or calendar.isAncestorOf(target))
    QTest.keyClick(target, Qt.Key.Key_Right)
    QTest.keyClick(target, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not calendar.isVisible())
    assert editor.project.end_date == before + dt.timedelta(days=1)
    assert field.line.text() == (before + dt.timedelta(days=1)).isoformat()
