"""No export may land on the database: its file, its SQLite side files, its lock, its backups.

Every writer the clerk points at a path (导出数据包 / Excel / PDF / 汇总表, ``backup
--out``) asks ``protected_path_problem`` first. Paths are compared as the system
resolves them (symbolic links followed, ``..`` removed; on Windows without regard
to case), so ``./x/../jixiao.db`` or a link to the database is recognised too.
No Qt, no SQLAlchemy: the command line and the window share it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from desktop.store.backup import backup_folder

# What each protected file is, as the clerk is told: suffix added to the database's name.
_SIDE_FILES = {
    "": "数据库文件",
    "-wal": "数据库的日志文件（-wal）",
    "-shm": "数据库的共享内存文件（-shm）",
    "-journal": "数据库的日志文件（-journal）",
    ".lock": "数据库的锁文件（.lock）",
}


def _real(path: str | os.PathLike[str]) -> str:
    """The path as the system resolves it, in the case the system compares it in."""
    return os.path.normcase(os.path.realpath(os.path.abspath(os.path.expanduser(path))))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def protected_path_problem(out: str | os.PathLike[str], db: str | os.PathLike[str]) -> str | None:
    """Why ``out`` must not be written (a Chinese message naming it), or None when it may.

    Refused: the database ``db`` itself, its ``-wal`` / ``-shm`` / ``-journal`` and its
    ``.lock``, and anything in (or being) the ``backups`` folder beside it.
    """
    out_path, db_path = Path(out), Path(db)
    target = _real(out_path)
    # The database by the path it was named with and by its real path: a lock or a
    # backups folder may sit beside either.
    bases = {Path(os.path.abspath(os.path.expanduser(db_path))), Path(os.path.realpath(db_path))}
    for base in bases:
        for suffix, what in _SIDE_FILES.items():
            side = base.with_name(base.name + suffix)
            if target == _real(side) or _same_file(out_path, side):
                return _message(out_path, what)
        folder = _real(backup_folder(base))
        if target == folder or target.startswith(folder.rstrip(os.sep) + os.sep):
            return _message(out_path, "程序保存备份的 backups 文件夹中的文件")
    return None


def first_protected_problem(
    outs: Iterable[str | os.PathLike[str]], db: str | os.PathLike[str]
) -> str | None:
    """The first refusal among several output paths (a folder's files), or None."""
    for out in outs:
        problem = protected_path_problem(out, db)
        if problem:
            return problem
    return None


def _message(out: Path, what: str) -> str:
    return (
        f"不能写入“{out}”：它是程序正在使用的{what}，写入会毁掉数据库中的项目。"
        "请另选一个文件名或文件夹（例如“文档”或桌面）。"
    )
