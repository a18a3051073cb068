"""Opening the SQLite file: connection settings, schema migrations.

WAL on a local disk, the rollback journal on a network share (WAL needs shared
memory that network file systems do not provide); foreign keys on for every
connection; real transactions (BEGIN issued by us, not guessed by the driver).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.pool import NullPool

from desktop.config import is_network_path
from desktop.store.catalog import SCHEMA_REVISION
from desktop.store.errors import StoreError

MIGRATIONS = Path(__file__).with_name("migrations")

__all__ = ["MIGRATIONS", "StoreError", "make_engine", "open_database", "upgrade"]


def make_engine(path: str | os.PathLike[str]) -> Engine:
    db = Path(path)
    wal = not is_network_path(db)
    # The URL is built from the path, never parsed from a string: "%41" or "?" in a
    # folder or file name would otherwise open another file than the one locked and backed up.
    engine = create_engine(URL.create("sqlite", database=str(db)), poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy's BEGIN (below) start transactions, not the driver.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=5000")
        cur.execute(f"PRAGMA journal_mode={'WAL' if wal else 'DELETE'}")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "handle_error")
    def _in_plain_words(ctx) -> None:  # type: ignore[no-untyped-def]
        # A full disk or a pulled USB stick is the clerk's problem to solve, not a crash.
        orig = ctx.original_exception
        if isinstance(orig, sqlite3.OperationalError) or type(orig) is sqlite3.DatabaseError:
            raise StoreError(*failure_message(db, orig)) from ctx.sqlalchemy_exception

    return engine


def failure_message(db: Path, exc: sqlite3.Error) -> tuple[str, str]:
    """The Chinese sentence and the kind (for ``StoreError``) of an SQLite failure on ``db``."""
    from desktop.store.health import sqlite_problem

    kind, words = sqlite_problem(exc, "other", db)
    return f"{words}。（数据库“{db}”：{exc}）", kind


def open_database(path: str | os.PathLike[str]) -> Engine:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date.

    The file is checked first; a file that is not a sound database of this
    program raises ``StoreError`` and is left exactly as it was. Only a file
    that does not exist is created: an empty one (0 bytes) is refused like a
    damaged one, naming the backup to restore.
    """
    from desktop.store.health import check_database, explain

    db = Path(path)
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"无法创建数据库所在的文件夹“{db.parent}”：{exc.strerror or exc}", "folder"
        ) from exc
    health = check_database(db)
    if not health.ok:
        advice = restore_advice(db) if health.damaged else ""
        raise StoreError(explain(db, health), health.kind, advice)
    created = not db.exists()
    engine = make_engine(db)
    try:
        upgrade(engine)
    except BaseException as exc:
        engine.dispose()
        if created:
            _remove_unfinished(db)
        cause = exc if isinstance(exc, sqlite3.Error) else getattr(exc, "orig", None)
        if not isinstance(exc, StoreError) and isinstance(cause, sqlite3.Error):
            raise StoreError(f"数据库“{db}”无法打开：{cause}。文件未被改动。") from exc
        raise
    return engine


def restore_advice(db: Path) -> str:
    """What the command line says after a damaged or empty file: the backup to restore."""
    from desktop.store.backup import newest_good_backup

    found = newest_good_backup(db)
    if found is None:
        return "没有找到可用的备份（备份文件夹“backups”在数据库旁）；如有其他备份文件，可用 restore 命令恢复。"
    backup, health = found
    return (
        f"最近一个可用的备份是“{backup.path}”（{backup.made_at:%Y-%m-%d %H:%M}，"
        f"{health.projects} 个项目）：可在程序窗口中选“从备份恢复”，"
        f'或运行 restore "{backup.path}" --db "{db}"。'
    )


def _remove_unfinished(db: Path) -> None:
    # A file this call created and could not finish (a full disk): it holds no project,
    # and left at 0 bytes it would be refused as an emptied database at the next start.
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal")):
        with contextlib.suppress(OSError):
            path.unlink()


def _alembic_config(engine: Engine):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def current_revision(engine: Engine) -> str | None:
    """The database's Alembic revision, or None for a new (or pre-Alembic) file."""
    with engine.connect() as conn:
        has_table = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).first()
        if has_table is None:
            return None
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return None if row is None else str(row[0])


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    cfg_dir = ScriptDirectory(str(MIGRATIONS))
    head = cfg_dir.get_current_head()
    assert head is not None
    return head


def upgrade(engine: Engine) -> None:
    """Run pending Alembic migrations; a current database costs one query.

    An existing database is backed up (SQLite's backup API) before its first
    migration step; when that backup cannot be made, nothing is migrated.
    """
    revision = current_revision(engine)
    if revision == SCHEMA_REVISION:
        return
    db = engine.url.database
    if revision is not None and db and db != ":memory:":
        from desktop.atomic import WriteError
        from desktop.store.backup import MIGRATION, BackupError, make_backup

        try:
            make_backup(Path(db), MIGRATION)
        except (WriteError, BackupError) as exc:
            reason = exc.message
            raise StoreError(
                f"数据库需要升级，但升级前无法先备份（{reason}）。数据库未改动；"
                "请检查磁盘空间和文件夹权限后再打开。",
                "backup",
            ) from exc
    from alembic import command

    command.upgrade(_alembic_config(engine), "head")
