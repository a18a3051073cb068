"""Exporting the official tables of one or many projects to files: names, writing, progress.

Shared by the command line and the window. The writers are imported when a
file is first written, so neither start-up pays for openpyxl or reportlab.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from desktop.models.project import Project

FORMATS = {"xlsx": ("Excel 工作簿", ".xlsx"), "pdf": ("PDF 文件", ".pdf")}

# Characters Windows refuses in a file name, and control characters.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_MAX_STEM = 120


def file_name(project: Project, fmt: str) -> str:
    """``2021_车辆购置费_绩效目标申报表.xlsx``: safe on Windows, at most 120 characters before the suffix."""
    name = _UNSAFE.sub("_", project.name or "").strip().strip(".") or "未命名项目"
    stem = f"{project.year or '年度未填'}_{name}_绩效目标申报表"
    if len(stem) > _MAX_STEM:
        stem = stem[:_MAX_STEM].rstrip(". ")
    return stem + FORMATS[fmt][1]


def file_names(projects: Sequence[Project], fmt: str) -> list[str]:
    """One name per project; a name already taken in the batch gets （2）, （3）…"""
    taken: set[str] = set()
    out: list[str] = []
    suffix = FORMATS[fmt][1]
    for project in projects:
        base = file_name(project, fmt)
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            name = f"{base[: -len(suffix)]}（{n}）{suffix}"
        taken.add(name.casefold())
        out.append(name)
    return out


def render(
    project: Project,
    fmt: str,
    *,
    family: str | None = None,
    draft: bool = False,
    blank_guarantee: bool = False,
    created: dt.datetime | None = None,
) -> bytes:
    """The file's bytes; ``draft`` marks a project with errors (草稿 on every page).

    ``created`` is a PDF's CreationDate (default: now, the time of export).

    The PDF prints an optional page (the 2021 form's 制度保障) only when the project has
    rows for it, or blank when ``blank_guarantee`` asks for it. The workbook always holds
    the sheet: the clerk may fill it in by hand, and the reader takes it back.
    """
    if fmt == "xlsx":
        from desktop.export.xlsx_writer import workbook_bytes

        return workbook_bytes(project, family=family, draft=draft)
    if fmt == "pdf":
        from desktop.export.pdf_writer import pdf_bytes

        return pdf_bytes(
            project, family=family, draft=draft, blank_guarantee=blank_guarantee, created=created
        )
    raise ValueError(f"unknown format {fmt!r}")


def export_one(
    project: Project,
    path: str | Path,
    fmt: str,
    *,
    family: str | None = None,
    draft: bool = False,
    blank_guarantee: bool = False,
) -> Path:
    """Write one project's tables to ``path`` atomically (``WriteError`` if it cannot)."""
    from desktop.atomic import write_atomic

    data = render(project, fmt, family=family, draft=draft, blank_guarantee=blank_guarantee)
    return write_atomic(path, data)


@dataclass
class Job:
    project: Project
    draft: bool = False
    saved: dt.datetime | None = None  # the project's last-saved time, when it is stored


@dataclass
class BatchResult:
    written: list[Path] = field(default_factory=list)
    # (project name, Chinese reason) for each file that could not be written
    failed: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False


# progress(done, total, name of the project being written); returning False cancels.
Progress = Callable[[int, int, str], bool | None]


def export_many(
    jobs: Sequence[Job],
    folder: str | Path,
    fmt: str,
    *,
    family: str | None = None,
    progress: Progress | None = None,
    blank_guarantee: bool = False,
) -> BatchResult:
    """Write each job to ``folder`` under its ``file_names`` name; one failure does not stop the rest.

    Files already written stay when the clerk cancels: each is complete (atomic).
    A missing PDF font (``FontError``) stops the batch: every file would fail alike.
    """
    from desktop.atomic import WriteError

    target = Path(folder)
    result = BatchResult()
    names = file_names([j.project for j in jobs], fmt)
    for n, (job, name) in enumerate(zip(jobs, names, strict=True)):
        if progress is not None and progress(n, len(jobs), job.project.name) is False:
            result.cancelled = True
            return result
        try:
            result.written.append(
                export_one(
                    job.project,
                    target / name,
                    fmt,
                    family=family,
                    draft=job.draft,
                    blank_guarantee=blank_guarantee,
                )
            )
        except WriteError as exc:
            result.failed.append((job.project.name, exc.message))
    if progress is not None:
        progress(len(jobs), len(jobs), "")
    return result
