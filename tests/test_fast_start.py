"""Fast start: the window paints before the heavy libraries load, and the command line never loads Qt.

Each check runs in a fresh interpreter (``sys.modules`` of the test process
already holds everything) and reports which of the watched modules were loaded
at the moment that matters: the window's first paint, or a command's exit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO, case_projects

# What costs start-up time and is needed only after the first paint (store,
# rules) or at the first export or print.
HEAVY = [
    "sqlalchemy",
    "alembic",
    "openpyxl",
    "reportlab",
    "pypdfium2",
    "PIL",
    "desktop.models.rules",
    "desktop.export.xlsx_writer",
    "desktop.export.pdf_writer",
]

AT_FIRST_PAINT = """
import json, os, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow

HEAVY = json.loads(sys.argv[2])

class Probe(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and isinstance(watched, QMainWindow):
            print(json.dumps([m for m in HEAVY if m in sys.modules]), flush=True)
            os._exit(0)
        return False

app = QApplication(sys.argv[:1])
probe = Probe()
app.installEventFilter(probe)
from desktop.cli import main
main(["--db", sys.argv[1]])
"""

AT_EXIT = """
import json, sys
from desktop.cli import main
try:
    main(sys.argv[2:])
except SystemExit:  # --help and --version end through argparse
    pass
print(json.dumps([m for m in json.loads(sys.argv[1]) if m in sys.modules]))
"""


def loaded(script: str, *args: str, cwd: Path) -> list[str]:
    # The window logs into the user data folder: keep it inside the test's folder.
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(cwd / "config"),
        XDG_DATA_HOME=str(cwd / "data"),
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=cwd,
        env={**env, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_window_paints_its_list_before_the_store_the_rules_and_the_writers(
    tmp_path: Path,
) -> None:
    from desktop.store import open_repository

    db = tmp_path / "jixiao.db"
    repo = open_repository(db)
    repo.save_many(case_projects())  # a current database: the fast path
    repo.engine.dispose()
    assert loaded(AT_FIRST_PAINT, str(db), json.dumps(HEAVY), cwd=tmp_path) == []


def test_the_watch_list_would_catch_a_heavy_import(tmp_path: Path) -> None:
    # The probe itself works: after a command that opens the store, SQLAlchemy is there.
    from desktop.store import open_repository

    db = tmp_path / "jixiao.db"
    open_repository(db).engine.dispose()  # reading commands refuse a database that is not there
    found = loaded(AT_EXIT, json.dumps(HEAVY), "list", "--db", str(db), cwd=tmp_path)
    assert "sqlalchemy" in found and "openpyxl" not in found


def test_version_and_help_load_neither_qt_nor_the_libraries(tmp_path: Path) -> None:
    watched = json.dumps([*HEAVY, "PySide6", "desktop.ui", "desktop.store.database"])
    assert loaded(AT_EXIT, watched, "--help", cwd=tmp_path) == []
    assert loaded(AT_EXIT, watched, "--version", cwd=tmp_path) == []
