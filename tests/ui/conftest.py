"""Qt tests run without a display: the offscreen platform, chosen before any QApplication exists."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from window_helpers import FakeView


def _top_level_helpers() -> None:
    """Offer tests/conftest.py's helpers under this module too.

    Top-level tests write ``from conftest import REPO, case_projects``; when they are
    run together with tests/ui (``pytest tests/test_x.py tests/ui``) the name
    ``conftest`` may be bound to this file, so it must have them as well.
    """
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "conftest.py"
    spec = importlib.util.spec_from_file_location("_tests_conftest", path)
    assert spec and spec.loader
    top = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(top)
    for name in (
        "REPO",
        "SHARED",
        "CASES",
        "CASE_FILES",
        "write_package",
        "case_projects",
        "child_env",
    ):
        globals()[name] = getattr(top, name)


_top_level_helpers()


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


@pytest.fixture
def open_editor(qtbot, tmp_path: Path):
    """A project editor on its own, shown, the project saved in a database in ``tmp_path``.

    Every notice it gives (``notice``, the status bar's text) is kept in order in ``editor.told``.
    """
    from desktop.store import open_repository
    from desktop.ui.editor import ProjectEditor

    def make(p):  # type: ignore[no-untyped-def]
        repo = open_repository(tmp_path / "editor.db")
        repo.save(p)
        editor = ProjectEditor(repo, p)
        editor.told = []  # type: ignore[attr-defined]
        editor.notice.connect(editor.told.append)  # type: ignore[attr-defined]
        qtbot.addWidget(editor)
        editor.resize(1100, 800)
        editor.show()
        qtbot.waitExposed(editor)
        return editor

    return make
