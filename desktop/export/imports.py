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


class ImportFileError(ValueError):
    """A file that cannot be imported; ``str()`` is the Chinese message naming file, sheet, cell."""


@dataclass
class ImportedFile:
    path: Path
    projects: list[Project]
    warnings: list[str] = field(default_factory=list)
    kind: str = "json"  # or "xlsx"


def is_workbook(path: str | os.PathLike[str]) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == _ZIP_MAGIC
    except OSError:
        return False


def read_import_file(path: str | os.PathLike[str]) -> ImportedFile:
    """The projects in ``path``; ImportFileError (nothing read) when any part cannot be read."""
    source = Path(path)
    if is_workbook(source):
        from desktop.export.xlsx_reader import WorkbookError, read_workbook_file

        try:
            book = read_workbook_file(source)
        except WorkbookError as exc:
            lines = "\n".join(exc.problems) or str(exc)
            raise ImportFileError(f"无法导入“{source.name}”：\n{lines}") from exc
        return ImportedFile(source, [book.project], list(book.warnings), "xlsx")
    from desktop.export.package import PackageError, read_package_file

    try:
        package = read_package_file(source)
    except PackageError as exc:
        raise ImportFileError(str(exc)) from exc
    return ImportedFile(source, list(package.projects), list(package.warnings), "json")
