"""Writing a file so that a crash or a full disk never leaves half of it in place.

Every file the program writes (exports, 数据包, backups) is first written to a
temporary file in the target folder, flushed to disk, then moved over the
target with ``os.replace`` — one step that either happens whole or not at all.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


class WriteError(OSError):
    """A file could not be written; ``message`` says so in Chinese."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"无法写入文件“{path}”：{reason}")
        self.message = f"无法写入文件“{path}”：{reason}"


_KEPT = "原有文件未被改动"
# A temporary file this old beside a target was left by a crash mid-write.
STALE_TEMP_SECONDS = 600


def _new_file_mode() -> int:
    """What a file created by plain ``open`` would get (mkstemp's 0600 would hide exports from colleagues)."""
    umask = 0o022
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                umask = int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o666 & ~umask


# What SQLite leaves beside a temporary copy it was writing (a backup killed mid-copy).
_TEMP_SUFFIXES = (".tmp", ".tmp-journal", ".tmp-wal", ".tmp-shm")


def sweep_stale(folder: Path, prefix: str) -> list[Path]:
    """Remove what killed writes left in ``folder``: ``.<prefix>*.tmp`` and SQLite's journals of it.

    Only this program's names, and only files untouched for ``STALE_TEMP_SECONDS``:
    a write in progress (in this or another program) keeps its files fresh.
    """
    cutoff = time.time() - STALE_TEMP_SECONDS
    removed = []
    for suffix in _TEMP_SUFFIXES:
        for tmp in folder.glob(f".{glob.escape(prefix)}*{suffix}"):
            with contextlib.suppress(OSError):
                if tmp.is_file() and tmp.stat().st_mtime < cutoff:
                    tmp.unlink()
                    removed.append(tmp)
    return removed


def disk_full(exc: BaseException) -> bool:
    """True for an ``OSError`` that says the disk (or the user's quota) is full."""
    return isinstance(exc, OSError) and exc.errno in (
        errno.ENOSPC,
        getattr(errno, "EDQUOT", errno.ENOSPC),
    )


def free_bytes(folder: Path) -> int | None:
    """Free space on the disk holding ``folder`` (None when it cannot be told)."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        return shutil.disk_usage(probe).free
    except OSError:
        return None


def size_text(n: int) -> str:
    """A size as the clerk reads it: 512 KB, 3.4 MB, 1.2 GB."""
    if n < 1024 * 1024:
        return f"{max(n, 1024) / 1024:.0f} KB"
    if n < 1024**3:
        return f"{n / 1024**2:.1f} MB"
    return f"{n / 1024**3:.1f} GB"


def full_disk_words(folder: Path, needed: int | None = None) -> str:
    """Says the disk is full: which folder's disk, what is free, how much is needed, what to do."""
    free = free_bytes(folder)
    have = f"，只剩 {size_text(free)}" if free is not None else ""
    need = f"，这次写入约需 {size_text(needed)}" if needed else ""
    return (
        f"磁盘空间已满：文件夹“{folder}”所在的磁盘{have}{need}。"
        "请删除不用的文件、清空回收站（或换到空间更大的磁盘）后再试"
    )


def full_disk_reason(folder: Path, needed: int | None) -> str:
    """Says the disk is full, how much is free and needed, and that the old file is kept."""
    return f"{full_disk_words(folder, needed)}。{_KEPT}"


def _fsync_folder(folder: Path) -> None:
    # POSIX: the rename itself reaches the disk only when the folder is flushed.
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _read_only(path: Path) -> bool:
    # The write bit, not os.access: an administrator may write anything, yet meant to keep this.
    return not path.stat().st_mode & stat.S_IWRITE or not os.access(path, os.W_OK)


def _check_target(target: Path) -> Path:
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise WriteError(target, "目标文件夹不存在，请先选择一个存在的文件夹。")
    if target.is_dir():
        raise WriteError(target, "这是一个文件夹，请输入文件名。")
    # os.replace would quietly swap a read-only file on Linux; the clerk marked it so on purpose.
    if target.exists() and _read_only(target):
        raise WriteError(target, f"文件是只读的。{_KEPT}；请去掉只读属性或另选文件名。")
    return folder


def fsync_file(path: Path) -> None:
    """Flush a closed file's bytes to the disk (power loss after the move must not lose them)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def replacing(path: str | os.PathLike[str], size_hint: int | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block ends cleanly, move it into place.

    The block writes and closes the temporary file. On any failure the
    temporary file is removed and the target is left as it was; an ``OSError``
    becomes a ``WriteError`` with a Chinese message. ``size_hint`` (the bytes
    about to be written) lets a full disk say how much space is needed.
    """
    target = Path(path)
    folder = _check_target(target)
    sweep_stale(folder, f"{target.name}.")
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else _new_file_mode()
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        if disk_full(exc):
            raise WriteError(target, full_disk_reason(folder, size_hint)) from exc
        raise WriteError(
            target, f"文件夹不可写（{exc.strerror or exc}），请换一个位置或检查权限。"
        ) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        fsync_file(tmp)
        with contextlib.suppress(OSError):
            os.chmod(tmp, mode)
        os.replace(tmp, target)
        _fsync_folder(folder)
    except BaseException as exc:
        written = 0
        with contextlib.suppress(OSError):
            written = tmp.stat().st_size
        with contextlib.suppress(OSError):
            tmp.unlink()
        if disk_full(exc):
            raise WriteError(target, full_disk_reason(folder, size_hint or written)) from exc
        if isinstance(exc, OSError) and not isinstance(exc, WriteError):
            raise WriteError(
                target,
                f"{exc.strerror or exc}。{_KEPT}；如果文件正在其他程序中打开（如 Excel），请先关闭它。",
            ) from exc
        raise


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, move it into place."""
    with replacing(path, len(data)) as tmp:
        tmp.write_bytes(data)
    return Path(path)
