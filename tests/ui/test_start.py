"""Start-up: the list is painted from the catalog before the store (SQLAlchemy) opens."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from window_helpers import SHARED

from desktop.export.package import read_package_file
from desktop.store import open_repository, read_summaries
from desktop.ui.main_window import MainWindow

REPO = Path(__file__).resolve().parents[2]


def _database(path: Path) -> list[str]:
    repo = open_repository(path)
    projects = read_package_file(SHARED / "cases" / "seed003-open-2021.json").projects
    repo.save_many(projects)
    repo.engine.dispose()
    return sorted(p.name for p in projects)


def test_list_paints_first_then_the_store_opens_and_the_last_project_returns(
    qtbot, tmp_path: Path
) -> None:
    db = tmp_path / "start.db"
    names = _database(db)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    first = read_summaries(db)
    assert first is not None
    settings.setValue("last_project", first[2].id)
    opened: list[int] = []

    def open_repo():
        opened.append(1)
        return open_repository(db)

    window = MainWindow(None, settings, open_repo=open_repo, listed=first)
    qtbot.addWidget(window)
    rows = [window.list_model.summary(r).name for r in range(window.list_model.rowCount())]
    assert sorted(rows) == names and opened == []  # listed without the store
    with qtbot.waitSignal(window.ready, timeout=5000):
        window.show()
    assert opened == [1]
    assert window.editor is not None and window.editor.project.id == first[2].id


def test_catalog_reads_nothing_from_a_database_that_is_new_or_due_for_migration(
    tmp_path: Path,
) -> None:
    assert read_summaries(tmp_path / "absent.db") is None
    db = tmp_path / "old.db"
    _database(db)
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    assert read_summaries(db) is None  # open_repository must migrate it first
    (tmp_path / "junk.db").write_bytes(b"not a database at all")
    assert read_summaries(tmp_path / "junk.db") is None


def test_the_first_paint_needs_no_sqlalchemy(tmp_path: Path) -> None:
    db = tmp_path / "start.db"
    _database(db)
    code = f"""
import sys
from PySide6.QtCore import QSettings
from desktop.ui.app import make_app
from desktop.store import open_repository, read_summaries
from desktop.ui.main_window import MainWindow
app = make_app()
listed = read_summaries({str(db)!r})
w = MainWindow(None, QSettings({str(tmp_path / "ui.ini")!r}, QSettings.Format.IniFormat),
               open_repo=lambda: open_repository({str(db)!r}), listed=listed)
print(w.list_model.rowCount(), 'sqlalchemy' in sys.modules)
"""
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    ).stdout.split()
    assert out == ["8", "False"]
