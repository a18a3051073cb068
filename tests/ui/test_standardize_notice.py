"""统一为标准写法 says what it changed (a count in the status bar), and one Ctrl+Z restores all."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton
from test_date_field import open_case


def standardize_button(editor) -> QPushButton:
    section = editor.row_editors["indicators"]
    buttons = [b for b in section.findChildren(QPushButton) if b.text() == "统一为标准写法"]
    assert len(buttons) == 1
    return buttons[0]


def test_standardize_says_how_many_targets_it_rewrote_and_one_undo_restores_all(
    qtbot, make_window
) -> None:
    window, editor = open_case(make_window)
    # two more targets written the loose way (as a workbook from another program brings them)
    editor.project.indicators[0].target = ">= 90 %"
    editor.project.indicators[1].target = "<=30天"
    editor.revalidate()
    before = [i.target for i in editor.project.indicators]
    i15 = [f for f in editor.findings if f.code == "I15"]
    assert len(i15) >= 3
    editor.tabs.setCurrentWidget(editor.row_editors["indicators"])
    with qtbot.waitSignal(editor.notice) as said:
        standardize_button(editor).click()
    text = f"已将 {len(i15)} 个目标值改为标准写法。"
    assert said.args[0].startswith(text)
    assert window.statusBar().currentMessage().startswith(text)
    after = [i.target for i in editor.project.indicators]
    assert sum(a != b for a, b in zip(before, after, strict=True)) == len(i15)
    assert not any(f.code == "I15" for f in editor.findings)
    table = editor.row_editors["indicators"].table
    table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table)
    QTest.keySequence(table, QKeySequence("Ctrl+Z"))
    assert [i.target for i in editor.project.indicators] == before


def test_standardize_with_nothing_to_rewrite_says_so(qtbot, make_window) -> None:
    window, editor = open_case(make_window)
    editor.standardize_targets()
    steps = editor.undo_stack.count()
    with qtbot.waitSignal(editor.notice) as said:
        standardize_button(editor).click()
    assert said.args[0] == "没有需要改写的目标值。"
    assert window.statusBar().currentMessage() == "没有需要改写的目标值。"
    assert editor.undo_stack.count() == steps  # no empty undo step
