"""One program per database: an operating-system lock on ``<database>.lock``.

Two windows on one file would each keep an editor's copy of a project and
overwrite each other's saves. The window holds this lock for its lifetime and
the writing commands (import, restore) while they run.

An OS lock (``flock`` / ``LockFileEx`` through ``msvcrt``) rather than a
lock file with a process id: the system drops it when the process ends in any
way (a crash, a kill, a power cut), so a stale lock never blocks the clerk,
and it needs no Qt, so the command line shares it. It also holds across PCs
on a Windows share, where a process id means nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import sys
from pathlib import Path
from typing import IO

from desktop.store.errors import StoreError

# Windows locks byte ranges and forbids others to read them: the lock takes
# byte 0, the holder's description is written after it for others to read.
_INFO_AT = 16


class DatabaseInUse(StoreError):
    """Another program holds the database; ``message`` names where and since when."""

    def __init__(self, db: Path, holder: dict[str, object]) -> None:
        host = str(holder.get("host") or "")
        since = str(holder.get("since") or "")
        what = str(holder.get("what") or "绩效目标申报助手")
        where = "本机" if host in ("", socket.gethostname()) else f"电脑“{host}”上"
        when = f"（自 {since} 起）" if since else ""
        super().__init__(
            f"数据库“{db}”正在{where}的{what}中使用{when}。同一个数据库同一时间只能由一个程序修改："
            "请切换到那个窗口，或先关闭它再试。",
            kind="in_use",
        )
        self.holder = holder


class LockUnavailable(StoreError):
    """The lock file cannot be created or opened for writing: then nothing may write the database."""

    def __init__(self, db: Path, lock: Path, exc: OSError) -> None:
        reason = exc.strerror or str(exc)
        if lock.exists():
            where = f"锁文件“{lock}”无法打开（{reason}；可能由另一个用户或另一台电脑创建，或被设为只读）"
            todo = "请确认没有人正在使用这个数据库后，删除该锁文件或去掉其只读属性，再重新打开"
        else:
            where = f"无法在文件夹“{lock.parent}”中建立锁文件“{lock.name}”（{reason}）"
            todo = (
                "请把数据库放到自己可以写入的文件夹（如“文档”），"
                "或请管理员给这个文件夹写入权限，再重新打开"
            )
        super().__init__(
            f"{where}。没有这个锁，就无法保证只有一个程序在修改数据库“{db}”，"
            f"为免修改互相覆盖，现在不能写入它。{todo}。",
            kind="no_lock",
        )
        self.lock = lock


def lock_path(db: Path) -> Path:
    """``<database>.lock`` beside the database's real file: a symlink and its target share one lock."""
    real = Path(os.path.realpath(db))
    return real.with_name(real.name + ".lock")


def _try_lock(fh: IO[bytes]) -> bool:
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import msvcrt

        fh.seek(0)
        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fh: IO[bytes]) -> None:
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import msvcrt

        fh.seek(0)
        with contextlib.suppress(OSError):
            msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    with contextlib.suppress(OSError):
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def read_holder(db: Path) -> dict[str, object]:
    """Who holds the lock, as they wrote it (empty when unknown)."""
    try:
        with open(lock_path(db), "rb") as fh:
            fh.seek(_INFO_AT)
            data = json.loads(fh.read(4096).decode("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class DatabaseLock:
    """Held while a program may write the database; ``acquire`` raises ``DatabaseInUse``."""

    def __init__(self, db: str | os.PathLike[str], what: str = "绩效目标申报助手窗口") -> None:
        self.db = Path(db)
        self.what = what
        self._fh: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._fh is not None

    def acquire(self) -> DatabaseLock:
        if self._fh is not None:
            return self
        path = lock_path(self.db)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fh = open(path, "a+b")  # noqa: SIM115 - held open for the lock's lifetime
        except OSError as exc:
            # A read-only folder, or a lock file another user made: writing without the
            # lock could lose an update, so nothing writes.
            raise LockUnavailable(self.db, path, exc) from exc
        if not _try_lock(fh):
            fh.close()
            raise DatabaseInUse(self.db, read_holder(self.db))
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "what": self.what,
            "since": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        }
        with contextlib.suppress(OSError):
            fh.seek(_INFO_AT)
            fh.truncate()
            fh.write(json.dumps(info, ensure_ascii=False).encode("utf-8"))
            fh.flush()
        self._fh = fh
        return self

    def release(self) -> None:
        fh, self._fh = self._fh, None
        if fh is None:
            return
        _unlock(fh)
        fh.close()

    def __enter__(self) -> DatabaseLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
