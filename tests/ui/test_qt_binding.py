"""The Qt binding must not corrupt the interpreter: a long editing session stays alive."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_qt_calls_keep_the_reference_count_of_none(qtbot) -> None:
    # PySide6 6.12.0 on Python 3.11 loses one reference to None per call that
    # returns nothing; None is then deallocated and Python aborts mid-session.
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setText("已保存")
        label.setToolTip("")
    assert before - sys.getrefcount(None) < 100
