"""Child process of ``bench_window.py``: start a window and report its first paint.

    python benchmarks/_first_paint.py --bare       # a bare QMainWindow
    python benchmarks/_first_paint.py --app DB     # the program, as ``python -m desktop --db DB``

Writes ``painted`` on stdout when the first ``QEvent.Paint`` reaches a
``QMainWindow`` (application-level event filter), then ``frame`` once that
paint has finished (children painted, backing store flushed: the next turn of
the event loop), and exits at once with code 0. The parent times both lines.
Nothing is saved: the process ends with ``os._exit``, before any close event.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

WIDTH, HEIGHT = 1200, 800  # MainWindow's size on a first start (no saved geometry)


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _frame_done() -> None:
    _say("frame")
    os._exit(0)


class FirstPaint(QObject):
    """Reports the first paint of any QMainWindow, then removes itself."""

    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self._app = app
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and isinstance(watched, QMainWindow):
            _say("painted")
            self._app.removeEventFilter(self)
            QTimer.singleShot(0, _frame_done)
        return False


def main(argv: list[str]) -> int:
    if argv[:1] == ["--bare"] and len(argv) == 1:
        app = QApplication(sys.argv[:1])
        probe = FirstPaint(app)
        window = QMainWindow()
        window.setWindowTitle("绩效目标申报助手")
        window.resize(WIDTH, HEIGHT)
        window.show()
        code = app.exec()
        del probe
        return code
    if argv[:1] == ["--app"] and len(argv) == 2:
        # The QApplication comes first so the filter sees every event;
        # desktop.ui.app.make_app reuses QApplication.instance().
        app = QApplication(sys.argv[:1])
        probe = FirstPaint(app)
        from desktop.cli import main as desktop_main

        code = desktop_main(["--db", argv[1]])
        del probe
        return code
    sys.stderr.write("usage: _first_paint.py --bare | --app DB\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
