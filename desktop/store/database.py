"""Opening the SQLite file: connection settings, schema migrations.

WAL on a local disk, the rollback journal on a network share (WAL needs shared
memory that network file systems do not provide); foreign keys on for every
connection; real transactions (BEGIN issued by us, not guessed by the driver).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool

from desktop.config import is_network_path
from desktop.store.catalog import SCHEMA_REVISION
from desktop.store.errors import StoreError

MIGRATIONS = Path(__file__).with_name("migrations")

__all__ = ["MIGRATIONS", "StoreError", "make_engine", "open_database", "upgrade"]


def make_engine(path: str | os.PathLike[str]) -> Engine:
    db = Path(path)
    wal = not is_network_path(db)
    engine = create_engine(f"sqlite:///{db}", poolclass=NullPool)

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

    kind, words = sqlite_problem(exc, "other")
    return f"{words}。（数据库“{db}”：{exc}）", kind


def open_database(path: str | os.PathLike[str]) -> Engine:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date.

    The file is checked first; a file that is not a sound database of this
    program raises ``StoreError`` and is left exactly as it was.
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
        raise StoreError(explain(db, health), health.kind)
    engine = make_engine(db)
    try:
        upgrade(engine)
    except StoreError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        cause = exc if isinstance(exc, sqlite3.Error) else getattr(exc, "orig", None)
        if isinstance(cause, sqlite3.Error):
            raise StoreError(f"数据库“{db}”无法打开：{cause}。文件未被改动。") from exc
        raise
    return engine


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
