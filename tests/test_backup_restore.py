"""Backups, restore, damaged databases, migrations from frozen fixtures, the one-program lock.

Each test builds its database in ``tmp_path``; damaged files are made by
cutting or overwriting a real database, so the checks meet what a pulled USB
stick or a bad copy leaves behind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, case_projects
from sqlalchemy import event

from desktop.atomic import WriteError, write_atomic
from desktop.cli import main
from desktop.export.package import project_to_dict
from desktop.store import StoreError, open_database, open_repository
from desktop.store.backup import (
    DAILY,
    KEEP,
    MANUAL,
    MIGRATION,
    RESTORE,
    BackupError,
    backup_folder,
    copy_database,
    daily_backup,
    list_backups,
    make_backup,
    newest_good_backup,
    restore_backup,
    set_aside,
)
from desktop.store.catalog import REVISIONS
from desktop.store.database import current_revision, head_revision
from desktop.store.health import check_database
from desktop.store.lock import DatabaseInUse, DatabaseLock, lock_path

FIXTURES = REPO / "tests" / "fixtures" / "db"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def filled(db: Path, n: int | None = None):  # type: ignore[no-untyped-def]
    repo = open_repository(db)
    repo.save_many(case_projects()[:n])
    return repo


def contents(db: Path) -> dict[str, dict]:
    """Every stored project (live and in the 回收站) as 数据包 dicts, by id."""
    repo = open_repository(db)
    ids = [s.id for s in repo.summaries()] + [s.id for s in repo.trash_summaries()]
    out = {pid: project_to_dict(repo.load(pid)) for pid in ids}
    repo.engine.dispose()
    return out


# ------------------------------------------------------------------ damaged files


def truncated(db: Path, tmp: Path) -> Path:
    out = tmp / "truncated.db"
    out.write_bytes(db.read_bytes()[: 3 * 4096 + 100])
    return out


def cut_in_header(db: Path, tmp: Path) -> Path:
    out = tmp / "header.db"
    out.write_bytes(db.read_bytes()[:60])
    return out


def garbage(_db: Path, tmp: Path) -> Path:
    out = tmp / "garbage.db"
    out.write_bytes(bytes(range(256)) * 64)
    return out


def text_file(_db: Path, tmp: Path) -> Path:
    out = tmp / "notes.db"
    out.write_text("这是一份会议记录，不是数据库。\n" * 100, encoding="utf-8")
    return out


def other_sqlite(_db: Path, tmp: Path) -> Path:
    out = tmp / "other.db"
    with sqlite3.connect(out) as conn:
        conn.execute("create table contacts (name text)")
    return out


def overwritten_page(db: Path, tmp: Path) -> Path:
    """A page in the middle overwritten with noise, as a bad sector or a torn copy leaves it."""
    out = tmp / "corrupt.db"
    data = bytearray(db.read_bytes())
    page = 4096
    for n in range(2, len(data) // page):
        data[n * page + 8 : n * page + 400] = os.urandom(392)
    out.write_bytes(bytes(data))
    return out


DAMAGES = {
    "truncated": (truncated, "truncated", "不完整"),
    "header-cut": (cut_in_header, "truncated", "不完整"),
    "garbage": (garbage, "not_sqlite", "不是本程序的数据库"),
    "text": (text_file, "not_sqlite", "不是本程序的数据库"),
    "other-sqlite": (other_sqlite, "not_sqlite", "不是本程序的数据库"),
    "overwritten-pages": (overwritten_page, "corrupt", "已损坏"),
}


@pytest.fixture(scope="module")
def sound_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding every case, checkpointed into one file (as after closing)."""
    db = tmp_path_factory.mktemp("sound") / "jixiao.db"
    repo = filled(db)
    repo.engine.dispose()
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
    return db


@pytest.mark.parametrize("name", DAMAGES)
def test_a_damaged_file_is_named_plainly_and_left_untouched(
    name: str, sound_db: Path, tmp_path: Path
) -> None:
    make, kind, phrase = DAMAGES[name]
    bad = make(sound_db, tmp_path)
    before = sha(bad)
    assert check_database(bad).kind == kind
    with pytest.raises(StoreError) as caught:
        open_database(bad)
    assert caught.value.kind == kind and caught.value.damaged
    assert phrase in caught.value.message and "文件未被改动" in caught.value.message
    assert sha(bad) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [bad.name]  # no -wal, no journal


def test_a_newer_schema_is_refused_not_downgraded(sound_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "newer.db"
    shutil.copy(sound_db, db)
    with sqlite3.connect(db) as conn:
        conn.execute("update alembic_version set version_num = '0099'")
    before = sha(db)
    with pytest.raises(StoreError) as caught:
        open_database(db)
    assert caught.value.kind == "too_new" and not caught.value.damaged
    assert "更新版本" in caught.value.message
    assert sha(db) == before


def test_a_locked_file_is_reported_as_busy(sound_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "busy.db"
    shutil.copy(sound_db, db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        health = check_database(db)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert health.kind == "locked" and not health.damaged
    assert check_database(db).kind == "ok"


def test_a_sound_database_reports_its_projects(sound_db: Path) -> None:
    health = check_database(sound_db)
    assert (health.kind, health.revision, health.projects) == ("ok", head_revision(), 10)


# ------------------------------------------------------------------ backups


def test_a_backup_is_one_checked_file_with_every_project(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    filled(db)
    made = make_backup(db, MANUAL, dt.datetime(2026, 11, 21, 9, 30, 5))
    assert made == backup_folder(db) / "jixiao-20261121-093005-manual.db"
    assert made.read_bytes()[18:20] == b"\x01\x01"  # rollback journal: no -wal needed beside it
    assert not Path(str(made) + "-wal").exists()
    assert contents(made) == contents(db)
    [listed] = list_backups(db)
    assert (listed.path, listed.kind, listed.label) == (made, MANUAL, "手动备份")


def test_a_backup_taken_mid_transaction_holds_the_last_commit(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    repo = filled(db, 3)
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("update projects set name = '未提交的修改'")
    try:
        made = make_backup(db, MANUAL)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    names = {p["name"] for p in contents(made).values()}
    assert names == {s.name for s in repo.summaries()}
    assert "未提交的修改" not in names


def test_two_backups_in_one_second_get_two_files(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    filled(db, 1)
    now = dt.datetime(2026, 11, 21, 9, 0, 0)
    first, second = make_backup(db, MANUAL, now), make_backup(db, MANUAL, now)
    assert first != second and first.exists() and second.exists()
    assert [b.path for b in list_backups(db)] == [second, first]


def test_rotation_keeps_the_newest_of_each_kind(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    filled(db, 1)
    start = dt.datetime(2026, 11, 1, 8, 0, 0)
    for day in range(10):
        make_backup(db, DAILY, start + dt.timedelta(days=day))
    make_backup(db, MIGRATION, start)
    stale = backup_folder(db) / ".jixiao-20261101-080000-daily.db.abc.tmp"
    stale.write_bytes(b"half a backup")
    os.utime(stale, (0, 0))
    make_backup(db, DAILY, start + dt.timedelta(days=10))
    daily = [b for b in list_backups(db) if b.kind == DAILY]
    assert len(daily) == KEEP[DAILY]
    assert daily[0].made_at.day == 11 and daily[-1].made_at.day == 5
    assert [b.kind for b in list_backups(db)].count(MIGRATION) == 1
    assert not stale.exists()


def test_daily_backup_once_a_day_and_not_of_an_empty_database(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    open_repository(db)
    monday = dt.datetime(2026, 11, 23, 9, 0)
    assert daily_backup(db, monday) is None  # nothing to keep yet
    filled(db, 2)
    first = daily_backup(db, monday)
    assert first is not None and first.exists()
    assert daily_backup(db, monday.replace(hour=17)) is None
    tuesday = daily_backup(db, monday + dt.timedelta(days=1))
    assert tuesday is not None and tuesday != first
    assert check_database(tuesday).projects == 2


def test_a_backup_onto_a_read_only_file_leaves_it_intact(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    filled(db, 1)
    target = tmp_path / "u盘备份.db"
    target.write_bytes(b"old backup")
    target.chmod(0o444)
    try:
        with pytest.raises(WriteError) as caught:
            copy_database(db, target)
    finally:
        target.chmod(0o644)
    assert "只读" in caught.value.message and "原有文件未被改动" in caught.value.message
    assert target.read_bytes() == b"old backup"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


# ------------------------------------------------------------------ restore


def test_restore_replaces_every_project_and_keeps_the_previous_state(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    repo = filled(db, 4)
    backup = make_backup(db, MANUAL)
    old = contents(db)
    repo.save_many(case_projects()[4:])
    newer = contents(db)
    done = restore_backup(backup, db)
    assert contents(db) == old
    assert done.projects == 4 and done.set_aside is None
    assert done.safety_backup is not None and done.safety_backup.name.endswith(f"-{RESTORE}.db")
    assert contents(done.safety_backup) == newer
    # the live database keeps its own journal mode (WAL on a local disk)
    with repo.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_restore_onto_a_damaged_file_sets_it_aside_unchanged(
    sound_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "jixiao.db"
    backup = tmp_path / "good.db"
    shutil.copy(sound_db, backup)
    db.write_bytes(sound_db.read_bytes()[:5000])
    damaged = sha(db)
    done = restore_backup(backup, db, dt.datetime(2026, 11, 21, 10, 0, 0))
    assert done.set_aside == tmp_path / "jixiao.damaged-20261121-100000.db"
    assert sha(done.set_aside) == damaged
    assert contents(db) == contents(backup)


@pytest.mark.parametrize("name", ["garbage", "truncated", "other-sqlite"])
def test_restore_from_a_bad_file_changes_nothing(name: str, sound_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    filled(db, 2)
    before = contents(db)
    bad = DAMAGES[name][0](sound_db, tmp_path)
    with pytest.raises(BackupError) as caught:
        restore_backup(bad, db)
    assert "不能用这个文件恢复" in caught.value.message
    assert contents(db) == before
    assert not backup_folder(db).exists()


def test_restore_from_an_older_schema_is_migrated(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    filled(db, 1)
    old = tmp_path / "old.db"
    shutil.copy(FIXTURES / "schema-0001.db", old)
    open_repository(db).restore_from(old)
    repo = open_repository(db)
    assert current_revision(repo.engine) == head_revision()
    assert repo.count() == 10


def test_set_aside_never_overwrites(tmp_path: Path) -> None:
    now = dt.datetime(2026, 11, 21, 10, 0, 0)
    db = tmp_path / "jixiao.db"
    db.write_bytes(b"first")
    Path(str(db) + "-wal").write_bytes(b"its wal")
    first = set_aside(db, now)
    db.write_bytes(b"second")
    second = set_aside(db, now)
    assert first != second
    assert (first.read_bytes(), second.read_bytes()) == (b"first", b"second")
    assert Path(str(first) + "-wal").read_bytes() == b"its wal"
    assert not db.exists()


def test_newest_good_backup_skips_a_damaged_one(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    filled(db, 2)
    good = make_backup(db, DAILY, dt.datetime(2026, 11, 20, 9, 0))
    bad = make_backup(db, DAILY, dt.datetime(2026, 11, 21, 9, 0))
    bad.write_bytes(bad.read_bytes()[:3000])
    found = newest_good_backup(db)
    assert found is not None and found[0].path == good and found[1].projects == 2


# ------------------------------------------------------------------ migrations


@pytest.mark.parametrize("revision", REVISIONS)
def test_each_released_schema_upgrades_without_loss(revision: str, tmp_path: Path) -> None:
    """The frozen fixture of each released schema opens at head with every project intact."""
    expected = json.loads((FIXTURES / f"schema-{revision}.json").read_text(encoding="utf-8"))
    db = tmp_path / "jixiao.db"
    shutil.copy(FIXTURES / f"schema-{revision}.db", db)
    repo = open_repository(db)
    assert current_revision(repo.engine) == head_revision()
    stored = contents(db)
    want = {p["id"]: p for p in expected["projects"]}
    assert stored.keys() == want.keys()
    for pid, project in want.items():
        assert stored[pid] == project, pid
    assert sorted(s.id for s in repo.trash_summaries()) == sorted(expected["trashed"])
    migrated = [b for b in list_backups(db) if b.kind == MIGRATION]
    if revision == head_revision():
        assert migrated == []
    else:  # the file as it was before the migration, kept and checked
        [before] = migrated
        health = check_database(before.path)
        assert (health.kind, health.revision, health.projects) == (
            "ok",
            revision,
            len(expected["projects"]),
        )


def test_every_migration_has_a_fixture() -> None:
    from alembic.script import ScriptDirectory

    from desktop.store.database import MIGRATIONS

    walked = [s.revision for s in ScriptDirectory(str(MIGRATIONS)).walk_revisions()]
    assert tuple(reversed(walked)) == REVISIONS
    for revision in REVISIONS:
        assert (FIXTURES / f"schema-{revision}.db").is_file()


def test_no_migration_without_a_backup(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    shutil.copy(FIXTURES / "schema-0001.db", db)
    backup_folder(db).write_text("a file where the backups folder should be")
    before = list(sqlite3.connect(db).iterdump())
    with pytest.raises(StoreError) as caught:
        open_repository(db)
    assert caught.value.kind == "backup" and "数据库未改动" in caught.value.message
    assert list(sqlite3.connect(db).iterdump()) == before  # still 0001, every row as it was


# ------------------------------------------------------------------ storage settings


def test_a_network_database_uses_the_rollback_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("desktop.store.database.is_network_path", lambda _p: True)
    repo = open_repository(tmp_path / "share.db")
    repo.save(case_projects()[0])
    with repo.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
    assert not (tmp_path / "share.db-wal").exists()


def test_a_full_disk_is_a_plain_message_and_the_last_save_survives(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    repo = open_repository(db)
    project = case_projects()[0]
    repo.save(project)
    saved = project_to_dict(repo.load(project.id or ""))
    pages = sqlite3.connect(db).execute("PRAGMA page_count").fetchone()[0]

    @event.listens_for(repo.engine, "connect")
    def _full(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

    project.overview = "很长的概况。" * 20000
    with pytest.raises(StoreError) as caught:
        repo.save(project)
    assert caught.value.kind == "write" and "磁盘空间已满" in caught.value.message
    event.remove(repo.engine, "connect", _full)
    assert project_to_dict(repo.load(project.id or "")) == saved
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone() == ("ok",)


# ------------------------------------------------------------------ atomic files


def test_a_locked_target_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "申报表.xlsx"
    target.write_bytes(b"the version the bureau has")

    def locked(_src: object, _dst: object) -> None:
        raise PermissionError(13, "另一个程序正在使用此文件")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(WriteError) as caught:
        write_atomic(target, b"new")
    assert "原有文件未被改动" in caught.value.message and "请先关闭它" in caught.value.message
    assert target.read_bytes() == b"the version the bureau has"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_a_write_sweeps_what_a_killed_write_left_and_nothing_newer(tmp_path: Path) -> None:
    target = tmp_path / "申报表.pdf"
    old = tmp_path / ".申报表.pdf.k1ll3d.tmp"
    fresh = tmp_path / ".申报表.pdf.wr1t1ng.tmp"
    other = tmp_path / ".其他.pdf.k1ll3d.tmp"
    for leftover in (old, fresh, other):
        leftover.write_bytes(b"half")
    os.utime(old, (0, 0))
    os.utime(other, (0, 0))
    write_atomic(target, b"%PDF-1.4 whole")
    assert target.read_bytes() == b"%PDF-1.4 whole"
    assert not old.exists() and fresh.exists() and other.exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_written_files_get_ordinary_permissions(tmp_path: Path) -> None:
    new = write_atomic(tmp_path / "新.xlsx", b"x")
    umask = os.umask(0o022)
    os.umask(umask)
    assert new.stat().st_mode & 0o777 == 0o666 & ~umask  # colleagues can read an export
    kept = tmp_path / "旧.xlsx"
    kept.write_bytes(b"old")
    kept.chmod(0o640)
    write_atomic(kept, b"new")
    assert kept.stat().st_mode & 0o777 == 0o640


def test_a_read_only_folder_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(**_kw: object) -> None:
        raise PermissionError(13, "Permission denied")

    # chmod cannot stop an administrator (CI may run as root): refuse as Windows would.
    monkeypatch.setattr("desktop.atomic.tempfile.mkstemp", refused)
    with pytest.raises(WriteError) as caught:
        write_atomic(tmp_path / "a.pdf", b"%PDF")
    assert "文件夹不可写" in caught.value.message and "请换一个位置" in caught.value.message
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ one program per database


def test_a_second_holder_is_told_who_has_the_database(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    first = DatabaseLock(db, "绩效目标申报助手窗口").acquire()
    with pytest.raises(DatabaseInUse) as caught:
        DatabaseLock(db).acquire()
    assert caught.value.kind == "in_use"
    assert "正在本机的绩效目标申报助手窗口中使用" in caught.value.message
    first.release()
    with DatabaseLock(db) as again:
        assert again.held
    assert lock_path(db).exists()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from desktop.store.lock import DatabaseLock;"
            f"lock = DatabaseLock({str(db)!r}).acquire(); print('held', flush=True); sys.stdin.read()",
        ],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        with pytest.raises(DatabaseInUse):
            DatabaseLock(db).acquire()
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    with DatabaseLock(db) as lock:
        assert lock.held


# ------------------------------------------------------------------ command line


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_backup_restore_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "jixiao.db"
    filled(db, 3)
    out_file = tmp_path / "u盘" / "备份.db"
    out_file.parent.mkdir()
    code, out, _ = run(capsys, "backup", "--db", str(db), "--out", str(out_file))
    assert code == 0 and "已备份 3 个项目" in out
    saved = contents(db)
    open_repository(db).save_many(case_projects()[3:6])
    code, out, _ = run(capsys, "restore", str(out_file), "--db", str(db))
    assert code == 0 and "恢复 3 个项目" in out and "恢复前的数据库已备份为" in out
    assert contents(db) == saved
    code, out, _ = run(capsys, "backup", "--db", str(db), "--list")
    assert code == 0 and "恢复前自动备份" in out and "共 1 个备份" in out


def test_cli_backup_into_the_backups_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "jixiao.db"
    filled(db, 2)
    code, out, _ = run(capsys, "backup", "--db", str(db))
    [made] = list_backups(db)
    assert code == 0 and str(made.path) in out and made.kind == MANUAL


def test_cli_refuses_to_back_up_a_damaged_database(
    sound_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = truncated(sound_db, tmp_path)
    code, _, err = run(capsys, "backup", "--db", str(db), "--out", str(tmp_path / "b.db"))
    assert code == 2 and "不完整" in err and "restore" in err
    assert not (tmp_path / "b.db").exists()


def test_cli_restore_refused_while_the_window_holds_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "jixiao.db"
    filled(db, 2)
    backup = make_backup(db, MANUAL)
    before = contents(db)
    with DatabaseLock(db, "绩效目标申报助手窗口"):
        code, _, err = run(capsys, "restore", str(backup), "--db", str(db))
        assert code == 2 and "窗口中使用" in err
        code, _, err = run(
            capsys,
            "import",
            str(next((REPO.parent / "shared" / "cases").glob("*.json"))),
            "--db",
            str(db),
            "--replace",
        )
        assert code == 2 and "窗口中使用" in err
    assert contents(db) == before
    assert [b.kind for b in list_backups(db)] == [MANUAL]


def test_cli_restore_of_a_garbage_file_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "jixiao.db"
    filled(db, 2)
    before = contents(db)
    bad = garbage(db, tmp_path)
    code, _, err = run(capsys, "restore", str(bad), "--db", str(db))
    assert code == 2 and "不能用这个文件恢复" in err
    assert contents(db) == before
