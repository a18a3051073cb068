"""Telling whether a database file can be opened, and if not, why — in plain words.

Standard library only: the window checks a file before SQLAlchemy is loaded,
and a backup is checked before it is offered. Nothing here writes to the file.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from desktop.store.catalog import REVISIONS, SCHEMA_REVISION

MAGIC = b"SQLite format 3\x00"
HEADER_BYTES = 100

OK, NEW = "ok", "new"
NOT_SQLITE, TRUNCATED, CORRUPT = "not_sqlite", "truncated", "corrupt"
LOCKED, TOO_NEW, UNREADABLE = "locked", "too_new", "unreadable"
DAMAGED = frozenset({NOT_SQLITE, TRUNCATED, CORRUPT})


@dataclass(frozen=True)
class Health:
    """What was found: ``kind`` is one of the constants above, ``detail`` a Chinese sentence."""

    kind: str
    detail: str = ""
    revision: str | None = None
    projects: int | None = None

    @property
    def ok(self) -> bool:
        return self.kind in (OK, NEW)

    @property
    def damaged(self) -> bool:
        return self.kind in DAMAGED


def _header_problem(path: Path, size: int) -> Health | None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEADER_BYTES)
    except OSError as exc:
        return Health(UNREADABLE, f"无法读取文件（{exc.strerror or exc}）")
    if not head.startswith(MAGIC):
        if size < len(MAGIC) and MAGIC.startswith(head):
            return Health(TRUNCATED, f"文件只有 {size} 字节")
        return Health(NOT_SQLITE, "文件开头不是 SQLite 数据库的标志")
    if size < HEADER_BYTES:
        return Health(TRUNCATED, f"文件只有 {size} 字节")
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    # The page count in the header is valid when it was written with the change counter.
    counted = head[24:28] == head[92:96]
    if page_size < 512 or page_size & (page_size - 1):
        return Health(CORRUPT, "文件头记录的页大小无效")
    if size % page_size or (counted and pages and size < pages * page_size):
        expected = pages * page_size if counted and pages else None
        more = f"，应至少有 {expected} 字节" if expected else ""
        return Health(TRUNCATED, f"文件长度 {size} 字节{more}")
    return None


def check_database(path: str | os.PathLike[str], *, thorough: bool = True) -> Health:
    """Diagnose the database at ``path`` without changing it.

    ``thorough`` runs SQLite's ``quick_check`` over every page (milliseconds for
    a unit's database); without it only the header and the schema version are read.
    """
    db = Path(path)
    try:
        size = db.stat().st_size
    except FileNotFoundError:
        return Health(NEW)
    except OSError as exc:
        return Health(UNREADABLE, f"无法读取文件（{exc.strerror or exc}）")
    if not db.is_file():
        return Health(UNREADABLE, "这是一个文件夹，不是数据库文件")
    if size == 0:
        return Health(NEW)
    problem = _header_problem(db, size)
    if problem is not None:
        return problem
    try:
        # mode=rw: a hot journal or WAL left by a crash is recovered, as any open would;
        # the file is never created and nothing else is written.
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=rw", uri=True, timeout=2)
    except sqlite3.Error as exc:
        return _from_sqlite_error(exc)
    try:
        if thorough:
            rows = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
            if rows != ["ok"]:
                return Health(CORRUPT, "完整性检查发现错误：" + "；".join(map(str, rows[:3])))
        return _schema_health(conn)
    except sqlite3.Error as exc:
        return _from_sqlite_error(exc)
    finally:
        conn.close()


def _schema_health(conn: sqlite3.Connection) -> Health:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not tables:
        return Health(NEW)
    if "alembic_version" not in tables or "projects" not in tables:
        return Health(NOT_SQLITE, "这是一个 SQLite 文件，但不是本程序的数据库")
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    revision = None if row is None else str(row[0])
    if revision not in REVISIONS:
        return Health(
            TOO_NEW,
            f"数据库结构版本为 {revision}，本程序只认识到 {SCHEMA_REVISION}",
            revision,
        )
    count = conn.execute("SELECT count(*) FROM projects").fetchone()[0]
    return Health(OK, revision=revision, projects=int(count))


WRITE = "write"  # the file is sound, but cannot be written now (full disk, read-only, I/O)

_BUSY = "数据库正被其他程序占用，请稍后再试"
_NOT_A_DATABASE = "文件内容不是 SQLite 数据库"
# What an SQLite error code means to the clerk, at start and while saving alike.
_SQLITE_ERRORS = (
    ("SQLITE_BUSY", LOCKED, _BUSY),
    ("SQLITE_LOCKED", LOCKED, _BUSY),
    ("SQLITE_NOTADB", NOT_SQLITE, _NOT_A_DATABASE),
    ("SQLITE_CORRUPT", CORRUPT, "数据库内部结构已损坏"),
    ("SQLITE_CANTOPEN", UNREADABLE, "无法打开数据库文件（文件或所在文件夹是否已被移走？）"),
    ("SQLITE_PERM", UNREADABLE, "无法打开数据库文件（没有权限，或被其他程序独占）"),
    ("SQLITE_FULL", WRITE, "磁盘空间已满，请腾出空间（如删除不用的文件）后再试"),
    ("SQLITE_READONLY", WRITE, "数据库文件是只读的，或所在位置不允许写入"),
    ("SQLITE_IOERR", WRITE, "读写数据库文件时出错（U 盘是否已拔出、网络是否已断开？）"),
)


def sqlite_problem(exc: sqlite3.Error, otherwise: str) -> tuple[str, str]:
    """The kind and the Chinese words for an SQLite error; ``otherwise`` for an unknown one."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    for prefix, kind, words in _SQLITE_ERRORS:
        if name.startswith(prefix):
            return kind, words
    text = str(exc)
    if "locked" in text:
        return LOCKED, _BUSY
    if "not a database" in text:
        return NOT_SQLITE, _NOT_A_DATABASE
    return otherwise, f"SQLite 报告：{text}"


def _from_sqlite_error(exc: sqlite3.Error) -> Health:
    # An error no check foresaw while opening: treated as damage, so a backup is offered.
    kind, words = sqlite_problem(exc, CORRUPT)
    return Health(kind, words)


def explain(db: Path, health: Health) -> str:
    """The sentence the clerk reads: what is wrong with which file, and that it was not touched."""
    name = f"“{db}”"
    what = {
        NOT_SQLITE: f"文件{name}不是本程序的数据库，内容无法识别（可能被其他文件覆盖或已损坏）",
        TRUNCATED: f"数据库文件{name}不完整，比应有的短（常见于复制、断电或拔出 U 盘时中断）",
        CORRUPT: f"数据库文件{name}已损坏",
        LOCKED: f"数据库文件{name}正被其他程序占用（如同步盘、杀毒软件或另一台电脑上的本程序）",
        UNREADABLE: f"无法读取数据库文件{name}",
        TOO_NEW: f"数据库文件{name}由更新版本的绩效目标申报助手创建，本版本无法打开。请安装最新版本",
    }.get(health.kind, f"数据库文件{name}无法打开")
    detail = f"（{health.detail}）" if health.detail else ""
    return f"{what}{detail}。文件未被改动。"
