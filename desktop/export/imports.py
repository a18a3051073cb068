"""Reading a file a clerk chose to import: a 数据包 (.json) or a workbook this program exported.

The kind is told by the content, not the name (a renamed file still reads).
Both readers are all or nothing; their problems come back as one message.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from desktop.models.project import Project

_ZIP_MAGIC = b"PK\x03\x04"
# Files a clerk may pick by mistake, told apart by their first bytes.
_NOT_IMPORTABLE = {
    b"%PDF": "这是 PDF 文件，不能导入",
    b"\xd0\xcf\x11\xe0": (
        "这是旧版 Excel（.xls）或 Word（.doc）文件，或设置了打开密码的工作簿："
        "请在 Excel 中取消密码、另存为 .xlsx 后再导入"
    ),
}


class ImportFileError(ValueError):
    """A file that cannot be imported; ``str()`` is the Chinese message naming file, sheet, cell."""


@dataclass
class ImportedFile:
    path: Path
    projects: list[Project]
    warnings: list[str] = field(default_factory=list)
    kind: str = "json"  # or "xlsx"


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(8)
    except OSError:
        return b""  # the reader then says why it cannot open the file


def read_import_file(path: str | os.PathLike[str]) -> ImportedFile:
    """The projects in ``path``; ImportFileError (nothing read) when any part cannot be read.

    Nothing else is raised: the file may be anything, and the caller has a clerk waiting.
    """
    from desktop.export.reading import UnreadableFile, printable

    source = Path(path)
    name = printable(source.name)  # a file name may hold bytes no encoding can show
    head = _head(source)
    for magic, why in _NOT_IMPORTABLE.items():
        if head.startswith(magic):
            raise ImportFileError(
                f"“{name}”无法导入：{why}。请选择数据包（.json）或本程序导出的申报表（.xlsx）。"
            )
    try:
        if head.startswith(_ZIP_MAGIC):
            from desktop.export.xlsx_reader import read_workbook_file

            book = read_workbook_file(source)
            projects, warnings, kind = [book.project], book.warnings, "xlsx"
        else:
            from desktop.export.package import read_package_file

            package = read_package_file(source)
            projects, warnings, kind = list(package.projects), package.warnings, "json"
    except UnreadableFile as exc:
        raise ImportFileError(str(exc)) from exc
    except Exception as exc:
        # A reader's own bug on a file nobody foresaw: refused like any unreadable file (the
        # tests hold the readers to their documented errors; this only keeps the window up).
        raise ImportFileError(
            f"“{name}”无法导入：读取时出现意外错误（{type(exc).__name__}），未导入任何内容，"
            "数据库保持不变。请把这个文件发给技术支持。"
        ) from exc
    return ImportedFile(source, projects, [printable(w) for w in warnings], kind)
