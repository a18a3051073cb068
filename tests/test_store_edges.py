"""The store's edges (issue 16): emptied files, unwritable locks, odd paths, full disks, leftovers.

Each test reproduces the exact case the audit found; each failed before the fix.
"""

from __future__ import annotations

import builtins
import datetime as dt
import errno
import os
import sqlite3
import sys
from pathlib import Path

import pytest
from conftest import CASES, REPO, case_projects
from sqlalchemy import event

from desktop.atomic import STALE_TEMP_SECONDS, WriteError, write_atomic
from desktop.cli import main
from desktop.store import StoreError, open_database, open_repository
from desktop.store.backup import (
    DAILY,
    KEEP,
    MANUAL,
    backup_folder,
    daily_backup,
    list_backups,
    make_backup,
    newest_good_backup,
    restore_backup,
)
from desktop.store.database import failure_message
from desktop.store.health import EMPTY, READ_ONLY, check_database, explain, sqlite_problem
from desktop.store.lock import DatabaseInUse, DatabaseLock, LockUnavailable, lock_path

MONDAY = dt.datetime(2026, 11, 2, 9, 0)
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def filled(db: Path, n: int = 3) -> Path:
    repo = open_repository(db)
    repo.save_many(case_projects()[:n])
    repo.engine.dispose()
    return db


def emptied(db: Path) -> Path:
    """The database as a fresh one: its projects gone, as after a 0-byte file was begun again."""
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        path.unlink(missing_ok=True)
    open_repository(db).engine.dispose()
    return db


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------ 1. an emptied database


def test_a_zero_byte_database_is_never_begun_again(tmp_path: Path) -> None:
    db = filled(tmp_path / "jixiao.db")
    kept = make_backup(db, DAILY, MONDAY)
    db.write_bytes(b"")  # a sync tool emptied it
    assert check_database(db).kind == EMPTY
    with pytest.raises(StoreError) as caught:
        open_database(db)
    error = caught.value
    assert error.kind == EMPTY and error.damaged
    assert str(db) in error.message and "是空的" in error.message
    # The command line names the backup to restore, and how.
    assert str(kept) in error.message and "restore" in error.message
    assert "restore" not in error.reason  # the window offers it with a button instead
    assert db.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backups", "jixiao.db"]


def test_the_command_line_refuses_a_zero_byte_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = filled(tmp_path / "jixiao.db")
    kept = make_backup(db, DAILY, MONDAY)
    db.write_bytes(b"")
    package = sorted(CASES.glob("*.json"))[0]
    for argv in (["list"], ["import", str(package)]):
        code, _out, err = run(capsys, *argv, "--db", str(db))
        assert code == 2, argv
        assert "是空的" in err and str(kept) in err and "restore" in err
        assert db.stat().st_size == 0


def test_the_backup_offered_for_an_empty_file_is_the_newest_with_projects(tmp_path: Path) -> None:
    db = filled(tmp_path / "jixiao.db", 2)
    with_projects = make_backup(db, DAILY, MONDAY)
    emptied(db)
    make_backup(db, MANUAL, MONDAY + dt.timedelta(days=1))  # newer, but holds nothing
    db.write_bytes(b"")
    found = newest_good_backup(db)
    assert found is not None and found[0].path == with_projects and found[1].projects == 2
    done = restore_backup(found[0].path, db)
    assert done.projects == 2 and done.set_aside is None  # 0 bytes: nothing to keep aside
    assert check_database(db).projects == 2


def test_backups_of_an_empty_database_never_rotate_away_the_last_with_projects(
    tmp_path: Path,
) -> None:
    db = filled(tmp_path / "jixiao.db")
    last_good = make_backup(db, DAILY, MONDAY)
    emptied(db)
    for day in range(1, KEEP[DAILY] + 2):  # 8 daily backups of the empty database
        make_backup(db, DAILY, MONDAY + dt.timedelta(days=day))
    daily = [b.path for b in list_backups(db) if b.kind == DAILY]
    assert last_good in daily
    assert check_database(last_good).projects == 3
    assert len(daily) == KEEP[DAILY] + 1  # the newest seven, and the one with projects


def test_rotation_is_unchanged_once_a_newer_backup_holds_projects(tmp_path: Path) -> None:
    db = filled(tmp_path / "jixiao.db")
    first = make_backup(db, DAILY, MONDAY)
    for day in range(1, KEEP[DAILY] + 2):
        make_backup(db, DAILY, MONDAY + dt.timedelta(days=day))
    daily = [b.path for b in list_backups(db) if b.kind == DAILY]
    assert first not in daily and len(daily) == KEEP[DAILY]


def test_a_new_file_that_could_not_be_finished_is_not_left_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "新.db"

    def full(_engine: object) -> None:
        raise StoreError("磁盘空间已满", "write")

    monkeypatch.setattr("desktop.store.database.upgrade", full)
    with pytest.raises(StoreError):
        open_database(db)
    assert list(tmp_path.iterdir()) == []  # the next start creates it, not refuses it as emptied
    monkeypatch.undo()
    assert open_repository(db).count() == 0


# ------------------------------------------------------------------ 5. the lock


def refuse_lock_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """The lock file cannot be opened for writing, as in a read-only folder or another user's lock."""
    real_open = builtins.open

    def guarded(file, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(file).endswith(".lock") and any(c in mode for c in "wa+"):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("desktop.store.lock.open", guarded, raising=False)


def test_no_lock_means_no_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "jixiao.db"
    refuse_lock_file(monkeypatch)
    lock = DatabaseLock(db)
    with pytest.raises(LockUnavailable) as caught:
        lock.acquire()
    assert not lock.held
    error = caught.value
    assert isinstance(error, StoreError) and error.kind == "no_lock"
    assert str(tmp_path) in error.message and "不能写入" in error.message
    assert "文件夹" in error.message  # what to do: a folder one can write in


def test_a_lock_file_of_another_user_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "jixiao.db"
    DatabaseLock(db).acquire().release()  # the lock file exists, made by "someone else"
    refuse_lock_file(monkeypatch)
    with pytest.raises(LockUnavailable) as caught:
        DatabaseLock(db).acquire()
    assert str(lock_path(db)) in caught.value.message and "另一个用户" in caught.value.message


def test_the_import_command_writes_nothing_without_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = filled(tmp_path / "jixiao.db", 1)
    before = check_database(db).projects
    refuse_lock_file(monkeypatch)
    package = sorted(CASES.glob("*.json"))[-1]
    code, _out, err = run(capsys, "import", str(package), "--db", str(db))
    assert code == 2 and "锁文件" in err
    assert check_database(db).projects == before


@pytest.mark.skipif(ROOT or sys.platform == "win32", reason="permission bits do not bind root")
def test_a_read_only_folder_gives_no_lock(tmp_path: Path) -> None:
    folder = tmp_path / "只读"
    folder.mkdir()
    db = filled(folder / "jixiao.db", 1)
    folder.chmod(0o555)
    try:
        with pytest.raises(LockUnavailable):
            DatabaseLock(db).acquire()
    finally:
        folder.chmod(0o755)


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_a_symlink_shares_the_databases_lock(tmp_path: Path) -> None:
    db = filled(tmp_path / "jixiao.db", 1)
    link = tmp_path / "快捷方式.db"
    link.symlink_to(db)
    assert lock_path(link) == lock_path(db)
    with DatabaseLock(db, "绩效目标申报助手窗口"), pytest.raises(DatabaseInUse):
        DatabaseLock(link).acquire()


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_no_lost_update_through_a_symlink(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The window holds the database; an import through a symlink to it must be refused."""
    db = filled(tmp_path / "data" / "jixiao.db", 1)
    link = tmp_path / "jixiao.db"
    link.symlink_to(db)
    package = sorted(CASES.glob("*.json"))[-1]
    with DatabaseLock(db, "绩效目标申报助手窗口"):
        code, _out, err = run(capsys, "import", str(package), "--db", str(link))
    assert code == 2 and "正在本机的绩效目标申报助手窗口中使用" in err
    assert check_database(db).projects == 1


# ------------------------------------------------------------------ 6. %XX and ? in the path


ODD_PATHS = ["e%41f.db", "data%20x/jixiao.db", "百分%25号.db"]
if sys.platform != "win32":
    ODD_PATHS.append("a?b.db")  # not a legal Windows file name


@pytest.mark.parametrize("name", ODD_PATHS)
def test_the_file_named_is_the_file_written(name: str, tmp_path: Path) -> None:
    db = tmp_path / name
    repo = open_repository(db)
    repo.save_many(case_projects()[:2])
    assert repo.path == db
    repo.engine.dispose()
    assert db.is_file() and check_database(db).projects == 2
    made = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert made <= {name, f"{name}-wal", f"{name}-shm"}  # no eAf.db, no "data x/", no "a"
    backup = make_backup(db, MANUAL)
    assert check_database(backup).projects == 2


def test_the_command_line_imports_into_the_file_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "e%41f.db"
    package = sorted(CASES.glob("*.json"))[0]
    code, _out, _err = run(capsys, "import", str(package), "--db", str(db))
    assert code == 0
    assert check_database(db).projects and not (tmp_path / "eAf.db").exists()
    assert lock_path(db).name == "e%41f.db.lock"


# ------------------------------------------------------------------ 9. the right cause


def sqlite_error(text: str, name: str) -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError(text)
    exc.sqlite_errorname = name  # type: ignore[attr-defined]
    return exc


def test_a_full_disk_while_writing_a_file_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "申报表.pdf"
    target.write_bytes(b"the old one")

    def full(_path: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("desktop.atomic.fsync_file", full)
    with pytest.raises(WriteError) as caught:
        write_atomic(target, b"x" * (3 * 1024 * 1024))
    message = caught.value.message
    assert "磁盘空间已满" in message and str(tmp_path) in message
    assert "3.0 MB" in message and "原有文件未被改动" in message
    assert "U 盘" not in message and "关闭它" not in message
    assert target.read_bytes() == b"the old one"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_a_full_disk_while_making_the_temporary_file_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("desktop.atomic.tempfile.mkstemp", full)
    with pytest.raises(WriteError) as caught:
        write_atomic(tmp_path / "a.xlsx", b"x" * 2048)
    assert "磁盘空间已满" in caught.value.message and "2 KB" in caught.value.message
    assert "文件夹不可写" not in caught.value.message


def test_a_full_disk_during_a_backup_says_how_much_is_needed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = filled(tmp_path / "jixiao.db")

    def full(_path: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("desktop.atomic.fsync_file", full)
    with pytest.raises(WriteError) as caught:
        make_backup(db, MANUAL)
    assert "磁盘空间已满" in caught.value.message and "约需" in caught.value.message
    assert list(backup_folder(db).iterdir()) == []


def test_sqlite_full_names_the_disk_and_what_to_do(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    text, kind = failure_message(db, sqlite_error("database or disk is full", "SQLITE_FULL"))
    assert kind == "write" and "磁盘空间已满" in text and str(tmp_path) in text
    assert "删除不用的文件" in text and "U 盘" not in text


def test_an_io_error_on_a_full_disk_is_not_blamed_on_the_usb_stick(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "jixiao.db"
    io_error = sqlite_error("disk I/O error", "SQLITE_IOERR_WRITE")
    monkeypatch.setattr("desktop.store.health.free_bytes", lambda _folder: 4096)
    kind, words = sqlite_problem(io_error, "other", db)
    assert kind == "write" and "磁盘空间已满" in words and "U 盘" not in words
    monkeypatch.setattr("desktop.store.health.free_bytes", lambda _folder: 50 * 1024**3)
    _kind, words = sqlite_problem(io_error, "other", db)
    assert "U 盘" in words  # plenty of space: the stick or the network it is


def test_a_save_on_a_full_disk_names_the_folder(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    repo = open_repository(db)
    project = case_projects()[0]
    repo.save(project)
    pages = sqlite3.connect(db).execute("PRAGMA page_count").fetchone()[0]

    @event.listens_for(repo.engine, "connect")
    def _full(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

    project.overview = "很长的概况。" * 20000
    with pytest.raises(StoreError) as caught:
        repo.save(project)
    assert caught.value.kind == "write"
    assert "磁盘空间已满" in caught.value.message and str(tmp_path) in caught.value.message


def in_a_read_only_folder(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """SQLite cannot open the database file, and ``folder`` may not be written to."""

    def cannot_open(*_args: object, **_kwargs: object) -> None:
        raise sqlite_error("unable to open database file", "SQLITE_CANTOPEN")

    real_access = os.access
    monkeypatch.setattr("desktop.store.health.sqlite3.connect", cannot_open)
    monkeypatch.setattr(
        "desktop.store.health.os.access",
        lambda path, mode: False if Path(path) == folder else real_access(path, mode),
    )


def test_a_read_only_folder_is_not_called_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = filled(tmp_path / "jixiao.db", 1)
    in_a_read_only_folder(monkeypatch, tmp_path)
    health = check_database(db)
    assert health.kind == READ_ONLY and not health.damaged
    words = explain(db, health)
    assert "只读" in words and str(tmp_path) in words and "恢复" not in words


def test_the_backup_command_in_a_read_only_folder_does_not_advise_restoring(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = filled(tmp_path / "jixiao.db", 1)
    in_a_read_only_folder(monkeypatch, tmp_path)
    code, _out, err = run(capsys, "backup", "--db", str(db))
    assert code == 2
    assert "只读" in err and str(tmp_path) in err
    assert "restore" not in err and "恢复" not in err


def test_a_backup_in_a_read_only_folder_says_the_folder_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = filled(tmp_path / "jixiao.db", 1)

    def read_only(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr("desktop.store.backup.Path.mkdir", read_only)
    with pytest.raises(WriteError) as caught:
        make_backup(db, MANUAL)
    message = caught.value.message
    assert "只读" in message and str(tmp_path) in message and "恢复" not in message


# ------------------------------------------------------------------ 13. leftovers


def test_a_killed_backups_journal_is_swept(tmp_path: Path) -> None:
    db = filled(tmp_path / "jixiao.db", 1)
    make_backup(db, DAILY, MONDAY)
    folder = backup_folder(db)
    name = ".jixiao-20261102-090000-daily.db.k1ll3d"
    old = [folder / f"{name}.tmp", folder / f"{name}.tmp-journal"]
    fresh = folder / ".jixiao-20261102-090000-daily.db.wr1t1ng.tmp-journal"
    other = folder / ".别的程序.tmp-journal"
    for leftover in (*old, fresh, other):
        leftover.write_bytes(b"half")
    stale = dt.datetime.now().timestamp() - STALE_TEMP_SECONDS - 5
    for leftover in (*old, other):
        os.utime(leftover, (stale, stale))
    daily_backup(db, MONDAY)  # today's exists: no new backup, but the start sweeps
    assert not any(p.exists() for p in old)
    assert fresh.exists() and other.exists()  # in progress, or not ours


def test_lock_files_are_not_committed() -> None:
    lines = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "*.db.lock" in lines
