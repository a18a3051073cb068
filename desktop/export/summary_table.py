"""The 汇总表 of a year as an Excel workbook or a PDF.

No second writer: the 汇总表 is one more layout (``layout.summary_layout``),
placed by the grid placer and drawn by the same xlsx and PDF writers as the
official tables, so it gets their page set-up (A4 landscape, one page wide,
header row repeated, 第 N 页 共 M 页), their fonts and their amount formats.
"""

from __future__ import annotations

from pathlib import Path

from desktop.atomic import write_atomic
from desktop.export.grid import SheetGrid, place_document
from desktop.export.layout import summary_layout
from desktop.models.summary import Summary


def summary_file_name(summary: Summary, suffix: str = ".xlsx") -> str:
    """``2021年度项目支出绩效目标汇总表.xlsx``."""
    return summary.title + suffix


def place_summary(summary: Summary) -> list[SheetGrid]:
    return place_document(summary, summary_layout())


def summary_workbook_bytes(summary: Summary) -> bytes:
    from desktop.export.xlsx_writer import grids_workbook_bytes

    return grids_workbook_bytes(place_summary(summary), summary.title)


def write_summary_workbook(summary: Summary, path: str | Path) -> Path:
    """Write the workbook atomically (``WriteError`` when it cannot be written)."""
    return write_atomic(path, summary_workbook_bytes(summary))


def summary_pdf_bytes(summary: Summary) -> bytes:
    """The 汇总表 as PDF (``FontError`` when no CJK font can be embedded)."""
    from desktop.export.pdf_writer import grids_pdf_bytes

    return grids_pdf_bytes(place_summary(summary), title=summary.title, author=summary.unit)


def write_summary_pdf(summary: Summary, path: str | Path) -> Path:
    return write_atomic(path, summary_pdf_bytes(summary))
