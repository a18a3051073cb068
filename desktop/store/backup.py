"""Backups of the database, made with SQLite's backup API, and restoring from them.

A backup is a consistent copy even while the window is saving (the backup API
copies a snapshot page by page), converted to a single self-contained file
(rollback journal) and checked with ``quick_check`` before it is moved into
place. Automatic backups live in ``backups/`` beside the database, named
``<stem>-YYYYMMDD-HHMMSS-<kind>.db``, the newest few of each kind kept.

Standard library only (no SQLAlchemy): the start-up rescue uses it before the
store can be opened.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from desktop.atomic import WriteError, full_disk_reason, replacing, sweep_stale
from desktop.store.health import (
    EMPTY,
    LOCKED,
    NEW,
    OK,
    READ_ONLY,
    UNREADABLE,
    WRITE,
    Health,
    check_database,
    database_bytes,
    disk_full,
    explain,
)

FOLDER = "backups"
DAILY, MIGRATION, RESTORE, MANUAL = "daily", "migration", "restore", "manual"
KIND_LABELS = {
    DAILY: "每日自动备份",
    MIGRATION: "升级前自动备份",
    RESTORE: "恢复前自动备份",
    MANUAL: "手动备份",
}
# How many of each kind are kept; older ones are deleted after a new one is made.
KEEP = {DAILY: 7, MIGRATION: 3, RESTORE: 5, MANUAL: 10}

_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?-(?P<kind>"
    + "|".join(KIND_LABELS)
    + r")\.db$"
)
_SIDECARS = ("-wal", "-shm", "-journal")


class BackupError(RuntimeError):
    """A backup cannot be made or used; ``message`` says why in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Backup:
    path: Path
    made_at: dt.datetime
    kind: str
    number: int = 0

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Restored:
    """What a restore did: the source's contents, and where the previous file went."""

    source: Path
    projects: int
    safety_backup: Path | None  # the database as it was, when it could be read
    set_aside: Path | None  # the damaged file, renamed, when it could not


def backup_folder(db: Path) -> Path:
    return db.parent / FOLDER


def copy_database(source: Path, dest: Path, *, read_only: bool = False) -> Path:
    """Write a checked, self-contained copy of ``source`` to ``dest`` (atomically).

    ``read_only`` opens the source without write access (a backup file on a
    USB stick); the program's own database is opened normally so that a WAL
    left by a crash is taken into account.
    """
    mode = "ro" if read_only else "rw"
    try:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode={mode}", uri=True, timeout=10)
    except sqlite3.Error as exc:
        raise BackupError(f"无法读取数据库“{source}”：{exc}") from exc
    size = database_bytes(source)
    try:
        with replacing(dest, size) as tmp:
            target = sqlite3.connect(tmp)
            try:
                src.backup(target)
                # One file, no -wal beside it: a backup is copied and mailed as it is.
                target.execute("PRAGMA journal_mode=DELETE")
                check = [r[0] for r in target.execute("PRAGMA quick_check(3)")]
            finally:
                target.close()
            if check != ["ok"]:
                raise BackupError(
                    f"“{source}”的副本未通过完整性检查（{'；'.join(map(str, check))}），未保存。"
                )
    except sqlite3.Error as exc:
        if disk_full(exc):
            raise BackupError(f"无法备份到“{dest}”：{full_disk_reason(dest.parent, size)}") from exc
        raise BackupError(f"无法备份数据库“{source}”：{exc}") from exc
    finally:
        src.close()
    return dest


def _stamp(now: dt.datetime) -> str:
    return now.strftime("%Y%m%d-%H%M%S")


def make_backup(db: Path, kind: str, now: dt.datetime | None = None) -> Path:
    """Back ``db`` up into its backups folder, then keep only the newest few of ``kind``."""
    now = now or dt.datetime.now()
    folder = backup_folder(db)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if disk_full(exc):
            raise WriteError(folder, full_disk_reason(folder.parent, database_bytes(db))) from exc
        raise WriteError(
            folder,
            f"无法创建备份文件夹（{exc.strerror or exc}）：数据库所在的文件夹“{folder.parent}”"
            "不能写入（只读或没有权限）。数据库本身没有问题；"
            "可以用“备份到…”把备份存到别处，或请管理员给这个文件夹写入权限",
        ) from exc
    base = f"{db.stem}-{_stamp(now)}"
    dest = folder / f"{base}-{kind}.db"
    n = 1
    while dest.exists():
        n += 1
        dest = folder / f"{base}-{n}-{kind}.db"
    copy_database(db, dest)
    prune(db, kind)
    return dest


def list_backups(db: Path) -> list[Backup]:
    """The automatic and manual backups of ``db`` in its backups folder, newest first."""
    folder = backup_folder(db)
    found = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        m = _NAME.match(path.name)
        if not m or m["stem"] != db.stem:
            continue
        try:
            made = dt.datetime.strptime(m["stamp"], "%Y%m%d-%H%M%S")
        except ValueError:
            continue
        found.append(Backup(path, made, m["kind"], int(m["n"] or 1)))
    return sorted(found, key=lambda b: (b.made_at, b.number), reverse=True)


def holds_projects(path: Path) -> bool:
    """True for a readable database (or backup) with at least one project, in the bin or not."""
    return bool(check_database(path, thorough=False).projects)


def prune(db: Path, kind: str) -> None:
    """Delete all but the newest ``KEEP[kind]`` backups of that kind, and stale temporary files.

    The last backup that holds projects is never deleted: when the database
    was emptied (a file cut short and begun again), backups of the empty one
    must not rotate away the only copy of the clerk's projects.
    """
    backups = list_backups(db)
    doomed = [b for b in backups if b.kind == kind][KEEP.get(kind, 5) :]
    if doomed:
        kept = [b for b in backups if b not in doomed]
        if not any(holds_projects(b.path) for b in kept):
            last = next((b for b in doomed if holds_projects(b.path)), None)
            if last is not None:
                doomed.remove(last)
    for backup in doomed:
        with contextlib.suppress(OSError):
            backup.path.unlink()
    sweep(db)


def sweep(db: Path) -> list[Path]:
    """Remove what killed backups left in the backups folder (at start; ``prune`` does it too)."""
    folder = backup_folder(db)
    return sweep_stale(folder, f"{db.stem}-") if folder.is_dir() else []


def daily_backup(db: Path, now: dt.datetime | None = None) -> Path | None:
    """Make today's backup unless one exists (or the database is still empty)."""
    now = now or dt.datetime.now()
    sweep(db)
    if not db.is_file() or not holds_projects(db):
        return None  # nothing written yet
    if any(b.kind == DAILY and b.made_at.date() == now.date() for b in list_backups(db)):
        return None
    return make_backup(db, DAILY, now)


def newest_good_backup(db: Path) -> tuple[Backup, Health] | None:
    """The newest backup that passes the check and holds projects, with what the check found.

    When no sound backup holds any project, the newest sound one (it is empty too).
    """
    empty = None
    for backup in list_backups(db):
        health = check_database(backup.path)
        if health.kind == OK:
            if health.projects:
                return backup, health
            empty = empty or (backup, health)
    return empty


def set_aside(db: Path, now: dt.datetime | None = None) -> Path:
    """Rename a database that cannot be used (and its -wal/-journal) so a new one can take its place.

    The file's bytes are kept as they were, for a technician to look at.
    """
    now = now or dt.datetime.now()
    base = f"{db.stem}.damaged-{_stamp(now)}"
    aside = db.with_name(base + db.suffix)
    n = 1
    while aside.exists() or any(Path(str(aside) + s).exists() for s in _SIDECARS):
        n += 1
        aside = db.with_name(f"{base}-{n}{db.suffix}")
    try:
        os.rename(db, aside)
    except OSError as exc:
        raise BackupError(
            f"无法把损坏的数据库“{db.name}”改名保留（{exc.strerror or exc}）：请关闭占用它的程序后再试。"
        ) from exc
    for suffix in _SIDECARS:
        sidecar = Path(str(db) + suffix)
        if sidecar.exists():
            with contextlib.suppress(OSError):
                os.rename(sidecar, Path(str(aside) + suffix))
    return aside


def restore_backup(source: Path, db: Path, now: dt.datetime | None = None) -> Restored:
    """Make ``db`` hold what the backup ``source`` holds.

    A sound ``db`` is backed up first (kind ``restore``) and then overwritten
    through the backup API, in one transaction, so a crash mid-restore leaves
    the old contents. A damaged ``db`` is renamed aside, never overwritten.
    The caller opens the store afterwards (which migrates an older backup).
    """
    found = check_database(source)
    if found.kind != OK:
        raise BackupError(f"不能用这个文件恢复：{explain(source, found)}")
    if source.resolve() == db.resolve():
        raise BackupError("要恢复的文件就是当前数据库本身，请选择一个备份文件。")
    current = check_database(db)
    if current.kind in (LOCKED, UNREADABLE, READ_ONLY, WRITE):
        raise BackupError(f"现在不能恢复：{explain(db, current)}")
    safety = aside = None
    if current.kind == OK:
        safety = make_backup(db, RESTORE, now)
        _copy_into(source, db)
    else:
        if current.kind not in (NEW, EMPTY):
            aside = set_aside(db, now)
        elif db.exists():
            db.unlink()  # an empty file: nothing to keep
        copy_database(source, db, read_only=True)
    return Restored(source, found.projects or 0, safety, aside)


def _copy_into(source: Path, db: Path) -> None:
    """Replace the live database's pages with the source's, as one write transaction."""
    try:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
        try:
            dst = sqlite3.connect(db, timeout=10)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise BackupError(f"恢复失败，数据库保持原样：{exc}") from exc
