"""Child program: the real window (``python -m desktop --db DB``) commits one edit, then idles until killed.

Usage: ``python commit_child.py DB KIND``, then ``go N`` on stdin. The child starts
the program as ``python -m desktop --db DB`` does (``desktop.cli.main``), waits for
the window's ``ready``, opens the edited project and, with real key presses on the
widget that has the focus, makes edit N of one kind:

* ``cell``: the 三级指标 cell of row ``row_of(N)``: F2, ``value_of(N)``, Enter;
* ``field``: 项目名称: End, ``-N``, Tab (the field is left);
* ``undo``: the ``cell`` edit, then Ctrl+Z on the table.

It prints ``committing N`` before the key presses and ``committed N`` right after
them, then waits to be killed (the parent kills it 0.2 s later: the durability budget).
"""

from __future__ import annotations

import sys
import time
from typing import Any

import kill_harness

EDITED_ID = "reliability-commit-project"
KINDS = ("cell", "field", "undo")


def row_of(n: int, rows: int) -> int:
    return n % rows


def value_of(n: int) -> str:
    return f"KILL-{n}"


def suffix_of(n: int) -> str:
    return f"-{n}"


def main() -> None:
    db, kind = sys.argv[1], sys.argv[2]
    assert kind in KINDS, kind
    kill_harness.start_child()

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

    app = QApplication(sys.argv[:1])
    n = kill_harness.wait_go() + 1

    def wait_until(check: Any, what: str, seconds: float = 30.0) -> None:
        deadline = time.monotonic() + seconds
        while not check():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            app.processEvents()
            time.sleep(0.005)

    def focus(widget: QWidget) -> None:
        widget.setFocus()
        wait_until(lambda: QApplication.focusWidget() is widget, f"the focus on {widget}")

    def commit_cell(editor: Any, value: str) -> Any:
        section = editor.row_editors["indicators"]
        editor.tabs.setCurrentWidget(section)
        model = section.model
        column = [c.attr for c in model.columns].index("name")
        section.table.setCurrentIndex(model.index(row_of(n, model.rowCount()), column))
        focus(section.table)
        QTest.keyClick(section.table, Qt.Key.Key_F2)
        lines = section.table.viewport().findChildren(QLineEdit)
        assert lines, "no cell editor opened"
        wait_until(lambda: QApplication.focusWidget() is lines[0], "the cell editor")
        lines[0].selectAll()
        QTest.keyClicks(lines[0], value)
        QTest.keyClick(lines[0], Qt.Key.Key_Return)
        return section.table

    def drive(window: Any) -> None:
        window.open_project(EDITED_ID)
        editor = window.editor
        assert editor is not None and editor.project.id == EDITED_ID
        window.activateWindow()
        wait_until(window.isActiveWindow, "the window to be active")
        kill_harness.say("committing", n)
        if kind == "field":
            editor.tabs.setCurrentIndex(0)
            name = editor.widget_for("name")
            focus(name)
            QTest.keyClick(name, Qt.Key.Key_End)
            QTest.keyClicks(name, suffix_of(n))
            QTest.keyClick(name, Qt.Key.Key_Tab)
        else:
            table = commit_cell(editor, value_of(n))
            if kind == "undo":
                target = QApplication.focusWidget() or table
                QTest.keySequence(target, QKeySequence("Ctrl+Z"))
        kill_harness.say("committed", n)

    kill_harness.run_window(db, drive)


if __name__ == "__main__":
    main()
