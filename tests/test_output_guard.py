"""No export may overwrite the live database (issue 16, item 2).

``export-json --out j.db`` used to replace the database with a 数据包; the window's
导出 picking the database file did the same. Every writer now refuses the database,
its -wal/-shm/-journal, its .lock and the backups beside it, and says so in Chinese.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from conftest import CASE_FILES

from desktop.cli import main
from desktop.store.guard import first_protected_problem, protected_path_problem

CASE_2021 = next(f for f in CASE_FILES if "2021" in f.name)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def files_of(db: Path) -> dict[str, bytes]:
    """The database, its log and its lock, byte for byte (-shm is shared memory that
    any reader touches, so it is left out; a missing log is an empty one)."""
    names = [db, *(db.with_name(db.name + s) for s in ("-wal", "-journal", ".lock"))]
    return {p.name: (p.read_bytes() if p.exists() else b"") for p in names}


def still_opens(db: Path, count: int) -> None:
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert conn.execute("select count(*) from projects").fetchone()[0] == count


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "jixiao.db"
    code, _, _ = run(capsys, "import", str(CASE_2021), "--db", str(path))
    assert code == 0
    return path


def _count(db: Path) -> int:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("select count(*) from projects").fetchone()[0]


# ------------------------------------------------------------------ the guard itself


def test_the_guard_names_each_protected_file(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    db.write_bytes(b"")
    assert "数据库文件" in (protected_path_problem(db, db) or "")
    assert "-wal" in (protected_path_problem(tmp_path / "jixiao.db-wal", db) or "")
    assert "-shm" in (protected_path_problem(tmp_path / "jixiao.db-shm", db) or "")
    assert "-journal" in (protected_path_problem(tmp_path / "jixiao.db-journal", db) or "")
    assert "锁文件" in (protected_path_problem(tmp_path / "jixiao.db.lock", db) or "")
    backups = tmp_path / "backups"
    assert "backups" in (protected_path_problem(backups / "any.xlsx", db) or "")
    assert "backups" in (protected_path_problem(backups, db) or "")
    # the same file by another spelling
    assert protected_path_problem(tmp_path / "sub" / ".." / "jixiao.db", db)
    # ordinary outputs beside the database are fine
    assert protected_path_problem(tmp_path / "jixiao.json", db) is None
    assert protected_path_problem(tmp_path / "jixiao.db.json", db) is None
    assert protected_path_problem(tmp_path / "backups2" / "a.xlsx", db) is None
    assert first_protected_problem([tmp_path / "a.pdf", db], db)
    message = protected_path_problem(db, db) or ""
    assert str(db) in message and "另选" in message


def test_a_link_to_the_database_is_the_database(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    db.write_bytes(b"x")
    link = tmp_path / "link.db"
    try:
        link.symlink_to(db)
    except OSError:  # pragma: no cover - Windows without the right to make links
        pytest.skip("symbolic links not available")
    assert protected_path_problem(link, db)
    assert protected_path_problem(db, link)  # the database named through the link
    assert protected_path_problem(tmp_path / "link.db.lock", link)


def test_case_is_ignored_where_the_system_ignores_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "jixiao.db"
    db.write_bytes(b"x")
    # Windows compares names without regard to case (os.path.normcase lowers them there)
    monkeypatch.setattr(os.path, "normcase", lambda p: str(p).lower())
    assert protected_path_problem(tmp_path / "JIXIAO.DB", db)
    assert protected_path_problem(tmp_path / "Jixiao.db-WAL", db)
    assert protected_path_problem(tmp_path / "BACKUPS" / "x.xlsx", db)


# ------------------------------------------------------------------ the command line


@pytest.mark.parametrize("side", ["", "-wal", "-shm", ".lock"])
def test_export_json_onto_the_database_is_refused(
    db: Path, capsys: pytest.CaptureFixture[str], side: str
) -> None:
    target = db.with_name(db.name + side)
    before = files_of(db)
    count = _count(db)
    code, out, err = run(capsys, "export-json", "--out", str(target), "--db", str(db))
    assert code == 2, out
    assert "不能写入" in err and str(target) in err and "另选" in err
    assert files_of(db) == before
    still_opens(db, count)


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_export_of_one_project_onto_the_database_is_refused(
    db: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    with closing(sqlite3.connect(db)) as conn:
        (pid,) = conn.execute("select id from projects where name = '车辆购置费'").fetchone()
    before = files_of(db)
    code, _, err = run(
        capsys, "export", "--format", fmt, "--id", pid[:8], "--out", str(db), "--db", str(db)
    )
    assert code == 2 and "数据库文件" in err
    assert files_of(db) == before
    still_opens(db, 8)


def test_export_into_the_backups_folder_is_refused(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backups = db.parent / "backups"
    code, _, err = run(
        capsys,
        "export",
        "--format",
        "xlsx",
        "--year",
        "2021",
        "--out",
        str(backups),
        "--db",
        str(db),
    )
    assert code == 2 and "backups" in err
    assert not backups.exists()


def test_summary_onto_the_database_or_its_backups_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "汇总.xlsx"  # a database whose name ends like a workbook
    assert run(capsys, "import", str(CASE_2021), "--db", str(db))[0] == 0
    before = files_of(db)
    code, _, err = run(capsys, "summary", "--year", "2021", "--out", str(db), "--db", str(db))
    assert code == 2 and "数据库文件" in err
    assert files_of(db) == before
    still_opens(db, 8)
    inside = tmp_path / "backups" / "2021.pdf"
    code, _, err = run(capsys, "summary", "--year", "2021", "--out", str(inside), "--db", str(db))
    assert code == 2 and "backups" in err and not inside.exists()


@pytest.mark.parametrize("side", ["", "-wal", ".lock"])
def test_backup_onto_the_database_is_refused(
    db: Path, capsys: pytest.CaptureFixture[str], side: str
) -> None:
    target = db.with_name(db.name + side)
    before = files_of(db)
    code, _, err = run(capsys, "backup", "--out", str(target), "--db", str(db))
    assert code == 2 and "不能写入" in err
    assert files_of(db) == before
    still_opens(db, 8)


def test_backup_into_its_own_backups_folder_by_hand_is_refused(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "backup", "--out", str(db.parent / "backups" / "mine.db"), "--db", str(db)
    )
    assert code == 2 and "backups" in err
    # the ordinary backup still goes there
    code, out, _ = run(capsys, "backup", "--db", str(db))
    assert code == 0 and "backups" in out


def test_ordinary_outputs_are_still_written(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "jixiao.json"
    assert run(capsys, "export-json", "--out", str(out), "--db", str(db))[0] == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))["projects"]) == 8


# ------------------------------------------------------------------ the window


class _View:
    """The window's dialogs, answered: the save dialog and the folder dialog pick ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.messages: list[tuple[str, str, bool]] = []
        self.confirmations: list[str] = []

    def ask_save_file(self, title: str, suggested: str, filter_text: str) -> str:
        return str(self.path)

    def ask_folder(self, title: str, start: str) -> str:
        return str(self.path)

    def confirm(self, title: str, text: str) -> bool:
        self.confirmations.append(text)
        return True

    def show_message(self, title: str, text: str, error: bool = False) -> None:
        self.messages.append((title, text, error))


@pytest.fixture
def window_on(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSettings

    from desktop.store import open_repository
    from desktop.ui.main_window import MainWindow

    def make(db: Path, chosen: Path):  # type: ignore[no-untyped-def]
        repo = open_repository(db)
        window = MainWindow(repo, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
        view = _View(chosen)
        window.view = view  # type: ignore[assignment]
        qtbot.addWidget(window)
        window.show()
        return window, view

    return make


def _open_first(window) -> None:  # type: ignore[no-untyped-def]
    first = window.repo.summaries()[0].id
    window.open_project(first)


@pytest.mark.parametrize("side", ["", "-wal", ".lock"])
def test_window_export_package_onto_the_database_is_refused(db: Path, window_on, side: str) -> None:  # type: ignore[no-untyped-def]
    target = db.with_name(db.name + side)
    window, view = window_on(db, target)
    _open_first(window)
    window.editor.flush()
    before = files_of(db)
    window.export_package()
    assert view.messages and view.messages[-1][2] is True
    assert "不能写入" in view.messages[-1][1] and str(target) in view.messages[-1][1]
    assert files_of(db) == before
    assert window.repo.count() == 8


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_window_export_of_one_project_onto_the_database_is_refused(
    tmp_path: Path, window_on, qtbot, capsys, fmt: str
) -> None:  # type: ignore[no-untyped-def]
    # The window adds .xlsx / .pdf to a name without it, so only a database whose
    # name ends so can be picked: refused all the same.
    db = tmp_path / f"jixiao.{fmt}"
    assert run(capsys, "import", str(CASE_2021), "--db", str(db))[0] == 0
    window, view = window_on(db, db)
    _open_first(window)
    window.editor.flush()
    before = files_of(db)
    with qtbot.waitSignal(window.output.finished, timeout=20000) as done:
        window.output.export(fmt)
    assert done.args[0]["written"] == []
    assert view.messages[-1][0] == "无法导出" and "数据库文件" in view.messages[-1][1]
    assert files_of(db) == before
    assert window.repo.count() == 8


def test_window_export_of_several_into_the_backups_folder_is_refused(
    db: Path, window_on, qtbot
) -> None:  # type: ignore[no-untyped-def]
    backups = db.parent / "backups"
    backups.mkdir()
    window, view = window_on(db, backups)
    window.table.selectAll()
    assert len(window.chosen_ids()) == 8
    with qtbot.waitSignal(window.output.finished, timeout=20000):
        window.output.export("xlsx")
    assert "backups" in view.messages[-1][1]
    assert list(backups.glob("*.xlsx")) == []  # (the window's own daily backup is there)
