"""Telling whether a database file can be opened, and if not, why — in plain words.

Standard library only: the window checks a file before SQLAlchemy is loaded,
and a backup is checked before it is offered. Nothing here writes to the file.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from desktop.atomic import disk_full as _os_disk_full
from desktop.atomic import free_bytes, full_disk_words
from desktop.store.catalog import REVISIONS, SCHEMA_REVISION

MAGIC = b"SQLite format 3\x00"
HEADER_BYTES = 100

OK, NEW = "ok", "new"
NOT_SQLITE, TRUNCATED, CORRUPT = "not_sqlite", "truncated", "corrupt"
# A file that exists but holds nothing (a copy cut short, a sync tool that emptied it):
# never taken for a new database, whose schema would be written over the loss unnoticed.
EMPTY = "empty"
LOCKED, TOO_NEW, UNREADABLE = "locked", "too_new", "unreadable"
READ_ONLY = "read_only"  # the file is there, but it or its folder cannot be written
DAMAGED = frozenset({NOT_SQLITE, TRUNCATED, CORRUPT, EMPTY})


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
        return Health(EMPTY, "文件是空的，0 字节")
    problem = _header_problem(db, size)
    if problem is not None:
        return problem
    try:
        # mode=rw: a hot journal or WAL left by a crash is recovered, as any open would;
        # the file is never created and nothing else is written.
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=rw", uri=True, timeout=2)
    except sqlite3.Error as exc:
        return _from_sqlite_error(exc, db)
    try:
        if thorough:
            rows = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
            if rows != ["ok"]:
                return Health(CORRUPT, "完整性检查发现错误：" + "；".join(map(str, rows[:3])))
        return _schema_health(conn)
    except sqlite3.Error as exc:
        return _from_sqlite_error(exc, db)
    finally:
        conn.close()


def unwritable(db: Path) -> Path | None:
    """The file or folder that cannot be written, when the database's cannot (else None)."""
    for path in (db, db.parent):
        try:
            if path.exists() and not os.access(path, os.W_OK):
                return path
        except OSError:
            continue
    return None


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
    ("SQLITE_IOERR_NOMEM", WRITE, "内存不足，请关闭其他程序后再试"),
    ("SQLITE_READONLY", WRITE, "数据库文件是只读的，或所在位置不允许写入"),
    ("SQLITE_IOERR", WRITE, "读写数据库文件时出错（U 盘是否已拔出、网络是否已断开？）"),
)


def disk_full(exc: BaseException) -> bool:
    """True for an error (``OSError`` or SQLite's) that says the disk (or the user's quota) is full."""
    if isinstance(exc, sqlite3.Error):
        name = getattr(exc, "sqlite_errorname", "") or ""
        return name == "SQLITE_FULL" or "disk is full" in str(exc)
    return _os_disk_full(exc)


# Below this, an unexplained write error on the disk is taken for a full disk.
_NEARLY_FULL = 4 * 1024 * 1024


def sqlite_problem(exc: sqlite3.Error, otherwise: str, db: Path | None = None) -> tuple[str, str]:
    """The kind and the Chinese words for an SQLite error; ``otherwise`` for an unknown one.

    Given the database's path, a full disk names its folder and the space
    needed, an I/O error on a (nearly) full disk is said to be one, and an
    error opening a file that cannot be written says it is read-only.
    """
    name = getattr(exc, "sqlite_errorname", "") or ""
    if db is not None:
        words = _with_path(exc, name, db)
        if words is not None:
            return words
    for prefix, kind, words in _SQLITE_ERRORS:
        if name.startswith(prefix):
            return kind, words
    text = str(exc)
    if "disk is full" in text:
        return WRITE, "磁盘空间已满，请腾出空间（如删除不用的文件）后再试"
    if "locked" in text:
        return LOCKED, _BUSY
    if "not a database" in text:
        return NOT_SQLITE, _NOT_A_DATABASE
    return otherwise, f"SQLite 报告：{text}"


def database_bytes(db: Path) -> int:
    """The bytes of ``db`` and its -wal: what a copy of it needs."""
    total = 0
    for path in (db, Path(f"{db}-wal")):
        with contextlib.suppress(OSError):
            total += path.stat().st_size
    return total


def _needed(db: Path) -> int:
    # A save writes into the -wal, a backup copies the whole file: about the file's size.
    return max(database_bytes(db), _NEARLY_FULL)


def _with_path(exc: sqlite3.Error, name: str, db: Path) -> tuple[str, str] | None:
    folder = db.parent
    if disk_full(exc):
        return WRITE, full_disk_words(folder, _needed(db))
    if name.startswith("SQLITE_IOERR") or "disk I/O error" in str(exc):
        free, needed = free_bytes(folder), _needed(db)
        if free is not None and free < needed:
            return WRITE, full_disk_words(folder, needed)
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")) or (
        "readonly" in str(exc) or "unable to open" in str(exc)
    ):
        blocked = unwritable(db)
        if blocked is not None:
            what = "文件夹" if blocked.is_dir() else "文件"
            return READ_ONLY, (
                f"{what}“{blocked}”是只读的（或没有写入权限），数据库不能在这里修改，也不能在旁边备份"
            )
    return None


def _from_sqlite_error(exc: sqlite3.Error, db: Path | None = None) -> Health:
    # An error no check foresaw while opening: treated as damage, so a backup is offered,
    # unless it is plainly the place (read-only, full), not the file.
    kind, words = sqlite_problem(exc, CORRUPT, db)
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
        EMPTY: f"数据库文件{name}是空的，其中的项目已不在（常见于复制中断，或同步软件、杀毒软件把文件清空）",
        READ_ONLY: f"数据库文件{name}所在的位置不能写入",
        WRITE: f"数据库文件{name}现在不能写入",
        TOO_NEW: f"数据库文件{name}由更新版本的绩效目标申报助手创建，本版本无法打开。请安装最新版本",
    }.get(health.kind, f"数据库文件{name}无法打开")
    detail = f"（{health.detail}）" if health.detail else ""
    return f"{what}{detail}。文件未被改动。"
