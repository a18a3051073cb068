"""Qt tests run without a display: the offscreen platform, chosen before any QApplication exists."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from window_helpers import FakeView  # noqa: E402


@pytest.fixture
def make_window(qtbot, tmp_path: Path):
    """A main window on a database in ``tmp_path``, its dialogs answered by a FakeView."""
    from PySide6.QtCore import QSettings

    from desktop.store import open_repository
    from desktop.ui.main_window import MainWindow

    def make(db: Path | None = None) -> tuple[MainWindow, FakeView]:
        repo = open_repository(db or tmp_path / "w.db")
        window = MainWindow(repo, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
        view = FakeView()
        window.view = view  # type: ignore[assignment]
        qtbot.addWidget(window)
        window.show()
        return window, view

    return make
