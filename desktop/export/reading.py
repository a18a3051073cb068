"""What every file reader shares: the error it raises, and reading a file of bounded size."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

MAX_FILE_BYTES = 50 * 1024 * 1024


class UnreadableFile(ValueError):
    """A file that cannot be imported; ``problems`` are Chinese sentences naming where and what.

    Readers are all or nothing: when this is raised, nothing was imported.
    """

    noun = "文件"

    def __init__(self, problems: list[str], source: str = "") -> None:
        self.problems = problems
        self.source = source
        head = f"{self.noun}“{source}”无法导入" if source else f"{self.noun}无法导入"
        super().__init__(head + "：\n" + "\n".join(f"  · {p}" for p in problems))


def read_bounded(
    path: str | os.PathLike[str],
    error: type[UnreadableFile],
    *,
    choose: str,
    too_big: Callable[[int], str],
    limit: int = MAX_FILE_BYTES,
) -> bytes:
    """The file's bytes; its size is checked before it is read (``choose`` names what to pick)."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError as exc:
        raise error(["找不到这个文件，请检查路径。"], str(p)) from exc
    except OSError as exc:
        raise error([f"无法读取文件：{exc.strerror or exc}"], str(p)) from exc
    if not p.is_file():
        raise error([f"这不是一个文件，请选择{choose}。"], str(p))
    if size > limit:
        raise error([too_big(size)], p.name)
    try:
        return p.read_bytes()
    except OSError as exc:
        raise error([f"无法读取文件：{exc.strerror or exc}"], p.name) from exc
