"""What every file reader shares: the error it raises, its limits, and reading a bounded file."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

# Limits both readers apply, so a project refused as a 数据包 is refused as a workbook too; the
# sizes of a project are the editor's too (desktop/models/limits.py).
from desktop.models.limits import (  # noqa: F401  (re-exported for the readers)
    MAX_AMOUNT_CHARS,
    MAX_FIELD_CHARS,
    MAX_NAME_CHARS,
    MAX_ROWS,
)

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_PROBLEMS = 20

# What a message must not carry: a lone surrogate cannot be printed or shown by Qt, and a
# control character garbles a console line. Both come from the file, never from the program.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` with characters that cannot be shown replaced by U+FFFD."""
    return _UNPRINTABLE.sub("\ufffd", text)


class UnreadableFile(ValueError):
    """A file that cannot be imported; ``problems`` are Chinese sentences naming where and what.

    Readers are all or nothing: when this is raised, nothing was imported.
    """

    noun = "文件"

    def __init__(self, problems: list[str], source: str = "") -> None:
        # Messages quote the file (names, keys, values): keep them showable everywhere.
        self.problems = [printable(p) for p in problems]
        self.source = printable(source)
        head = f"{self.noun}“{self.source}”无法导入" if source else f"{self.noun}无法导入"
        super().__init__(head + "：\n" + "\n".join(f"  · {p}" for p in self.problems))


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
