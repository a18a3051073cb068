"""Child process of the benchmarks: start a window, report its first paint and peak memory.

    python benchmarks/_first_paint.py --bare            # a bare QMainWindow
    python benchmarks/_first_paint.py --app DB          # the program, as ``python -m desktop --db DB``
    python benchmarks/_first_paint.py --app DB --open   # ... then open the first project of the list

Writes ``painted`` on stdout when the first ``QEvent.Paint`` reaches a
``QMainWindow`` (application-level event filter), then ``frame`` once that
paint has finished (the next turn of the event loop). With ``--open`` it then
waits for the window's ``ready`` signal (the store is open), makes the list's
first row current as a click would, and writes ``opened`` once the editor has
painted. Last comes ``peak MB`` (VmHWM, or ``n/a``), and the process exits at
once with code 0. The parent times the lines. Nothing is saved: the process
ends with ``os._exit``, before any close event.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import NoReturn

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

WIDTH, HEIGHT = 1200, 800  # MainWindow's size on a first start (no saved geometry)


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _finish(code: int = 0) -> NoReturn:
    # Imported only now: nothing but the probe itself runs before the timed lines.
    from common import peak_rss_mb

    peak = peak_rss_mb()
    _say(f"peak {peak:.1f}" if peak is not None else "peak n/a")
    os._exit(code)


def _fail(message: str) -> NoReturn:
    sys.stderr.write(message + "\n")
    _finish(3)


class FirstPaint(QObject):
    """At the first paint of a wanted widget: ``at_paint(widget)``, then ``then(widget)`` once
    that paint has finished (next turn of the event loop)."""

    def __init__(
        self,
        app: QApplication,
        wanted: Callable[[QObject], bool],
        then: Callable[[QWidget], None],
        at_paint: Callable[[QWidget], None] | None = None,
    ) -> None:
        super().__init__()
        self._app = app
        self._wanted = wanted
        self._then = then
        self._at_paint = at_paint
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._wanted(watched):
            assert isinstance(watched, QWidget)
            self._app.removeEventFilter(self)
            if self._at_paint is not None:
                self._at_paint(watched)
            QTimer.singleShot(0, lambda: self._then(watched))
        return False


def _is_main_window(obj: QObject) -> bool:
    return isinstance(obj, QMainWindow)


class OpenFirst:
    """After the first paint: wait for the store, open the list's first project, wait for its paint."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.probe: FirstPaint | None = None

    def at_paint(self, window: QWidget) -> None:
        _say("painted")
        # Connected now, before the window's deferred start (queued by this paint) can emit it.
        ready = getattr(window, "ready", None)
        if ready is None:
            _fail("the main window has no ready signal")
        ready.connect(lambda: self.open(window))

    def open(self, window: QWidget) -> None:
        table = getattr(window, "table", None)
        if table is None or table.model().rowCount() == 0:
            _fail("the project list is empty")
        table.setCurrentIndex(table.model().index(0, 0))  # as a click on the first row
        editor = getattr(window, "editor", None)
        if editor is None:
            _fail("no editor after choosing the first project")
        self.probe = FirstPaint(self.app, lambda w: w is editor, self.opened)

    def opened(self, _editor: QWidget) -> None:
        _say("opened")
        _finish()


def _frame(_window: QWidget) -> None:
    _say("frame")
    _finish()


def _frame_then_wait(_window: QWidget) -> None:
    _say("frame")  # OpenFirst finishes the process


def main(argv: list[str]) -> int:
    if argv == ["--bare"]:
        app = QApplication(sys.argv[:1])
        probe = FirstPaint(app, _is_main_window, _frame, lambda _w: _say("painted"))
        window = QMainWindow()
        window.setWindowTitle("绩效目标申报助手")
        window.resize(WIDTH, HEIGHT)
        window.show()
        code = app.exec()
        del probe
        return code
    if argv[:1] == ["--app"] and argv[2:] in ([], ["--open"]) and len(argv) >= 2:
        # The QApplication comes first so the filter sees every event;
        # desktop.ui.app.make_app reuses QApplication.instance().
        app = QApplication(sys.argv[:1])
        if argv[2:]:
            opener = OpenFirst(app)
            probe = FirstPaint(app, _is_main_window, _frame_then_wait, opener.at_paint)
        else:
            probe = FirstPaint(app, _is_main_window, _frame, lambda _w: _say("painted"))
        from desktop.cli import main as desktop_main

        code = desktop_main(["--db", argv[1]])
        del probe
        return code
    sys.stderr.write("usage: _first_paint.py --bare | --app DB [--open]\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
