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

MIGRATIONS = Path(__file__).with_name("migrations")


class StoreError(RuntimeError):
    """The database cannot be used; ``message`` says why in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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

    return engine


def open_database(path: str | os.PathLike[str]) -> Engine:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date."""
    db = Path(path)
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"无法创建数据库所在的文件夹“{db.parent}”：{exc.strerror or exc}") from exc
    if db.exists() and db.is_file() and db.stat().st_size > 0:
        with open(db, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise StoreError(
                    f"“{db}”不是本程序的数据库文件（不是 SQLite 格式）：请检查路径，文件未被改动。"
                )
    engine = make_engine(db)
    try:
        upgrade(engine)
    except sqlite3.DatabaseError as exc:
        engine.dispose()
        raise StoreError(f"数据库“{db}”无法打开：{exc}。文件未被改动。") from exc
    except Exception as exc:
        engine.dispose()
        if isinstance(getattr(exc, "orig", None), sqlite3.DatabaseError):
            raise StoreError(f"数据库“{db}”无法打开：{exc.orig}。文件未被改动。") from exc
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
    """Run pending Alembic migrations; a current database costs one query."""
    if current_revision(engine) == SCHEMA_REVISION:
        return
    from alembic import command

    command.upgrade(_alembic_config(engine), "head")
