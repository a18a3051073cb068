"""Autosave: typing is saved after the delay, a committed edit (cell, field left, paste, undo) at once."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from test_date_field import open_case
from test_document_undo import edit_cell, focus, indicators

from desktop.ui.editor import AUTOSAVE_MS

# A committed edit must be saved well before the typing delay would have saved it.
PROMPT_MS = AUTOSAVE_MS - 300


def stored(editor):
    return editor.repo.load(editor.project.id)


def name_field(qtbot, editor) -> QLineEdit:
    name = editor.widget_for("name")
    assert isinstance(name, QLineEdit)
    editor.tabs.setCurrentIndex(0)
    focus(qtbot, name)
    name.end(False)
    return name


def test_a_keystroke_is_saved_after_the_delay_not_before(qtbot, make_window) -> None:
    window, editor = open_case(make_window)
    name = name_field(qtbot, editor)
    before = stored(editor).name
    with qtbot.waitSignal(editor.saved, timeout=AUTOSAVE_MS * 5) as blocker:
        start = time.monotonic()
        QTest.keyClick(name, "q")
        assert editor.has_unsaved
        assert stored(editor).name == before  # not yet: typing waits for the delay
    waited = time.monotonic() - start
    assert blocker.signal_triggered
    assert waited >= 0.9 * AUTOSAVE_MS / 1000  # Qt's coarse timers may fire up to 5 % early
    assert stored(editor).name == before + "q"
    assert not editor.has_unsaved


def test_typing_on_does_not_postpone_the_save(qtbot, make_window) -> None:
    """The delay runs from the first unsaved keystroke: a kill loses at most that much typing."""
    window, editor = open_case(make_window)
    name = name_field(qtbot, editor)
    before = stored(editor).name
    with qtbot.waitSignal(editor.saved, timeout=AUTOSAVE_MS * 5):
        QTest.keyClick(name, "a")
        # the second keystroke comes when more than half of the delay has passed
        qtbot.waitUntil(lambda: editor._timer.remainingTime() < AUTOSAVE_MS // 2)
        QTest.keyClick(name, "b")
        assert editor._timer.remainingTime() < AUTOSAVE_MS // 2  # not restarted
    assert stored(editor).name == before + "ab"


def test_leaving_a_field_saves_at_once(qtbot, make_window) -> None:
    window, editor = open_case(make_window)
    name = name_field(qtbot, editor)
    before = stored(editor).name
    with qtbot.waitSignal(editor.saved, timeout=PROMPT_MS):
        QTest.keyClicks(name, "zz")
        QTest.keyClick(name, Qt.Key.Key_Tab)
    assert stored(editor).name == before + "zz"


def test_a_committed_cell_is_saved_at_once(qtbot, make_window) -> None:
    window, editor = open_case(make_window)
    with qtbot.waitSignal(editor.saved, timeout=PROMPT_MS):
        edit_cell(qtbot, editor, 0, "CELL")
    assert stored(editor).indicators[0].name == "CELL"


def test_an_undo_is_saved_at_once(qtbot, make_window) -> None:
    window, editor = open_case(make_window)
    old = editor.project.indicators[0].name
    with qtbot.waitSignal(editor.saved, timeout=PROMPT_MS):
        edit_cell(qtbot, editor, 0, "CELL")
    table = editor.row_editors["indicators"].table
    with qtbot.waitSignal(editor.saved, timeout=PROMPT_MS):
        QTest.keySequence(table, QKeySequence("Ctrl+Z"))
    assert stored(editor).indicators[0].name == old


def test_a_paste_is_saved_at_once(qtbot, make_window) -> None:
    window, editor = open_case(make_window)
    section, model, name_col = indicators(editor)
    section.table.setCurrentIndex(model.index(0, name_col))
    focus(qtbot, section.table)
    QGuiApplication.clipboard().setText("PASTED")
    with qtbot.waitSignal(editor.saved, timeout=PROMPT_MS):
        QTest.keySequence(section.table, QKeySequence.StandardKey.Paste)
    names = [i.name for i in stored(editor).indicators]
    assert "PASTED" in names
    assert QApplication.focusWidget() is not None


def test_an_amount_being_typed_is_saved_after_the_delay_and_shown_as_typed(
    qtbot, make_window
) -> None:
    """Typing in an amount is typing too: kept after the delay even if the field is never left."""
    window, editor = open_case(make_window)
    key = next(k for k in editor._widgets if k.startswith("funding."))
    attr = key.split(".", 1)[1]
    amount = editor.widget_for(key)
    assert isinstance(amount, QLineEdit)
    editor.tabs.setCurrentIndex(1)
    focus(qtbot, amount)
    amount.selectAll()
    with qtbot.waitSignal(editor.saved, timeout=AUTOSAVE_MS * 5):
        QTest.keyClicks(amount, "1234.5")
        assert amount.text() == "1234.5"  # not reformatted under the clerk's fingers
    assert QApplication.focusWidget() is amount
    assert str(getattr(stored(editor).funding, attr)) in ("1234.5", "1234.50")
    QTest.keyClick(amount, Qt.Key.Key_Tab)
    assert amount.text() == "1,234.50"
