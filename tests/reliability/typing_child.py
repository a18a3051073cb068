"""Child program: the real window with a clerk typing into 年度总目标 without pause, until killed.

Usage: ``python typing_child.py DB``, then ``go N`` on stdin. Starts the program as
``python -m desktop --db DB`` does, opens the edited project, puts the cursor at
the end of the 年度总目标 box and types ``typed_text()`` one key press every
``KEY_MS`` (real key presses on the focused box), printing ``typed K`` after the
K-th. The parent kills it at a random moment.
"""

from __future__ import annotations

import sys
from typing import Any

import kill_harness

EDITED_ID = "reliability-typing-project"
FIELD = "annual_goal"  # 年度总目标, a long-text box on the 上海 2021 form
KEY_MS = 25
_DIGITS = "0123456789"


def typed_text(count: int) -> str:
    """The first ``count`` characters the child types."""
    return "".join(_DIGITS[i % 10] for i in range(count))


def main() -> None:
    db = sys.argv[1]
    kill_harness.start_child()

    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    _app = QApplication(sys.argv[:1])  # kept alive: desktop.cli reuses it
    kill_harness.wait_go()
    count = 0
    timer = QTimer()
    timer.setInterval(KEY_MS)

    def drive(window: Any) -> None:
        window.open_project(EDITED_ID)
        editor = window.editor
        assert editor is not None and editor.project.id == EDITED_ID
        window.activateWindow()
        editor.tabs.setCurrentIndex(0)
        box = editor.widget_for(FIELD)
        assert isinstance(box, QPlainTextEdit), box
        box.setFocus()
        box.moveCursor(QTextCursor.MoveOperation.End)
        kill_harness.say("typing", 0)

        def key() -> None:
            nonlocal count
            focus = QApplication.focusWidget()
            assert focus is box, f"the focus left the box: {focus}"
            QTest.keyClick(box, typed_text(count + 1)[-1])
            count += 1
            kill_harness.say("typed", count)

        timer.timeout.connect(key)
        timer.start()

    kill_harness.run_window(db, drive)


if __name__ == "__main__":
    main()
