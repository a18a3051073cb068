"""Writing a file so that a crash or a full disk never leaves half of it in place."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


class WriteError(OSError):
    """A file could not be written; ``message`` says so in Chinese."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"无法写入文件“{path}”：{reason}")
        self.message = f"无法写入文件“{path}”：{reason}"


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, move it into place."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise WriteError(target, "目标文件夹不存在，请先选择一个存在的文件夹。")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteError(
            target, f"文件夹不可写（{exc.strerror or exc}），请换一个位置或检查权限。"
        ) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise WriteError(
            target,
            f"{exc.strerror or exc}。原有文件未被改动；如果文件正在其他程序中打开，请先关闭它。",
        ) from exc
    return target
