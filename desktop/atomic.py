"""Writing a file so that a crash or a full disk never leaves half of it in place.

Every file the program writes (exports, 数据包, backups) is first written to a
temporary file in the target folder, flushed to disk, then moved over the
target with ``os.replace`` — one step that either happens whole or not at all.
"""

from __future__ import annotations

import contextlib
import glob
import os
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


def sweep_stale(folder: Path, prefix: str) -> list[Path]:
    """Remove the temporary files (``.<prefix>*.tmp``) killed writes left in ``folder``."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    removed = []
    for tmp in folder.glob(f".{glob.escape(prefix)}*.tmp"):
        with contextlib.suppress(OSError):
            if tmp.stat().st_mtime < cutoff:
                tmp.unlink()
                removed.append(tmp)
    return removed


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
def replacing(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block ends cleanly, move it into place.

    The block writes and closes the temporary file. On any failure the
    temporary file is removed and the target is left as it was; an ``OSError``
    becomes a ``WriteError`` with a Chinese message.
    """
    target = Path(path)
    folder = _check_target(target)
    sweep_stale(folder, f"{target.name}.")
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else _new_file_mode()
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
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
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError) and not isinstance(exc, WriteError):
            raise WriteError(
                target,
                f"{exc.strerror or exc}。{_KEPT}；如果文件正在其他程序中打开（如 Excel），请先关闭它。",
            ) from exc
        raise


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, move it into place."""
    with replacing(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)
