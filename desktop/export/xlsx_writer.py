"""The official tables of one project as an Excel workbook, drawn from its placed grid.

One sheet per table of the form family (``layout.py``), every cell where the
paper form has it, amounts as numbers the bureau can add up, and a hidden
``程序数据`` sheet holding the project's 数据包 so that ``xlsx_reader`` can take
the workbook back without losing what the form does not show.

openpyxl is imported inside the functions: the window and the command line
import this module lazily, and importing it must stay cheap.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.atomic import write_atomic
from desktop.export.grid import Placed, SheetGrid, place_project
from desktop.export.layout import HEADING, TITLE
from desktop.models.amounts import format_amount
from desktop.models.project import Project

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell as XlCell
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

DATA_SHEET = "程序数据"
DATA_NOTE = "本页由绩效目标申报助手生成，用于把本文件导回程序，请勿修改。"
DATA_FORMAT = "jixiao-shenbao-xlsx"
DATA_VERSION = 1
# Keys of the hidden sheet's rows (column A), values in column B.
KEY_FORMAT, KEY_VERSION, KEY_FAMILY = "格式", "版本", "表式"
KEY_CHUNKS, KEY_PACKAGE = "数据包分段数", "数据包"
# Excel holds at most 32,767 characters in a cell; stay well below it.
CHUNK_CHARS = 30_000
MAX_CELL_CHARS = 32_767

AMOUNT_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
TABLE_FONT = "宋体"
TITLE_FONT = "黑体"
FOOTER_TEXT = "第 &P 页 共 &N 页"
DRAFT_TEXT = "草稿"

# Row heights in points: one line of 11 pt 宋体, one of the 16 pt title, Excel's maximum.
LINE_PT = 14.5
TITLE_LINE_PT = 22.0
PADDING_PT = 5.0
MIN_ROW_PT = 20.0
MAX_ROW_PT = 409.0
# Width of one display unit (half a Chinese character) of 11 pt 宋体 in Excel column units.
UNIT_WIDTH = 1.05
TITLE_UNIT_WIDTH = 1.55

# Characters XML 1.0 (and so openpyxl) refuses: C0 controls other than \t \n \r,
# lone surrogates and the two non-characters.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Excel counts dates from 1900-01-01 and mis-dates January and February 1900.
_FIRST_EXCEL_DATE = dt.date(1900, 3, 1)


def clean_text(text: str) -> str:
    """``text`` as a cell can hold it: characters XML refuses removed, cut at Excel's limit."""
    return _ILLEGAL.sub("", text)[:MAX_CELL_CHARS]


def workbook_bytes(project: Project, *, family: str | None = None, draft: bool = False) -> bytes:
    """The project's tables in the layout of ``family`` (default: its own); ``draft`` marks 草稿."""
    grid = place_project(project, family)
    wb = _workbook(grid.sheets, project.name or "", draft)
    _data_sheet(wb, project, grid.layout.family)
    return _saved(wb)


def grids_workbook_bytes(sheets: list[SheetGrid], title: str) -> bytes:
    """Any placed sheets (the 汇总表) as a workbook, drawn as the official tables are."""
    return _saved(_workbook(sheets, title, draft=False))


def _workbook(sheets: list[SheetGrid], title: str, draft: bool) -> Workbook:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "绩效目标申报助手"
    wb.properties.title = clean_text(title)[:200]
    for sheet in sheets:
        _draw_sheet(wb.create_sheet(sheet.sheet.name), sheet, draft)
    return wb


def _saved(wb: Workbook) -> bytes:
    wb.active = 0
    wb.worksheets[0].sheet_view.tabSelected = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_workbook(
    project: Project, path: str | Path, *, family: str | None = None, draft: bool = False
) -> Path:
    """Write the workbook atomically (``WriteError`` when it cannot be written)."""
    return write_atomic(path, workbook_bytes(project, family=family, draft=draft))


# ------------------------------------------------------------------ drawing


def _draw_sheet(ws: Worksheet, grid: SheetGrid, draft: bool) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    sheet = grid.sheet
    for i, width in enumerate(sheet.widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = width
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    fonts = {
        TITLE: Font(name=TITLE_FONT, size=16, bold=True),
        HEADING: Font(name=TABLE_FONT, size=12, bold=True),
        "": Font(name=TABLE_FONT, size=11),
    }
    for placed in grid.cells:
        top, left = placed.row + 1, placed.col + 1
        bottom, right = top + placed.rows - 1, left + placed.cols - 1
        if bottom > top or right > left:
            ws.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)
        cell = ws.cell(top, left)
        _put_value(cell, placed.value)
        cell.font = fonts.get(placed.role, fonts[""])
        # A document's paragraphs read from the top, as on paper; table cells are centred.
        vertical = "top" if sheet.document else "center"
        cell.alignment = Alignment(horizontal=placed.align, vertical=vertical, wrap_text=True)
        if placed.boxed:
            # Every cell of a merged range carries its own border, or Excel draws gaps.
            for r in range(top, bottom + 1):
                for c in range(left, right + 1):
                    ws.cell(r, c).border = box
    for row, height in enumerate(_row_heights(grid), start=1):
        ws.row_dimensions[row].height = height
    _page_setup(ws, grid, draft)


def _put_value(cell: XlCell, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, Decimal) and value.is_finite():
        cell.value = value
        cell.number_format = AMOUNT_FORMAT
    elif isinstance(value, int) and not isinstance(value, bool):
        cell.value = value  # a count: a number the bureau can add up, as it is
    elif isinstance(value, dt.date) and value >= _FIRST_EXCEL_DATE:
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        put_text(cell, value.isoformat() if isinstance(value, dt.date) else str(value))


def put_text(cell: XlCell, text: str) -> None:
    """Text stays text: ``=100%`` is a target, not a formula; ``0012`` keeps its zeros."""
    text = clean_text(text)
    if not text:
        return
    cell.value = text
    cell.data_type = "s"


def _page_setup(ws: Worksheet, grid: SheetGrid, draft: bool) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet = grid.sheet
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sheet.landscape else "portrait"
    # One page wide, as many pages tall as the text needs.
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(
        left=0.5, right=0.5, top=0.75, bottom=0.75, header=0.3, footer=0.3
    )
    ws.print_area = f"A1:{get_column_letter(sheet.columns)}{max(grid.rows, 1)}"
    header = next((s for s in grid.sections if s.header > 0), None)
    if header is not None:
        ws.print_title_rows = f"{header.start + 1}:{header.start + header.header}"
    ws.oddFooter.center.text = FOOTER_TEXT
    ws.oddFooter.center.size = 10
    if draft:
        ws.oddHeader.right.text = DRAFT_TEXT
        ws.oddHeader.right.size = 14


# ------------------------------------------------------------------ row heights


def display_width(text: str) -> int:
    """Columns the text takes: wide and full-width characters (CJK) count 2, others 1."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def _lines(text: str, width_units: float, unit: float) -> int:
    capacity = max(width_units - 1.0, 1.0) / unit
    return sum(max(1, math.ceil(display_width(part) / capacity)) for part in text.split("\n"))


def _cell_text(placed: Placed) -> str:
    if isinstance(placed.value, Decimal):
        return format_amount(placed.value) if placed.value.is_finite() else str(placed.value)
    return placed.text


def _needed_height(placed: Placed, widths: tuple[float, ...]) -> float:
    text = _cell_text(placed)
    if not text:
        return MIN_ROW_PT
    width = sum(widths[placed.col : placed.col + placed.cols])
    if placed.role == TITLE:
        return _lines(text, width, TITLE_UNIT_WIDTH) * TITLE_LINE_PT + 2 * PADDING_PT
    return _lines(text, width, UNIT_WIDTH) * LINE_PT + PADDING_PT


def _row_heights(grid: SheetGrid) -> list[float]:
    """Heights that show every wrapped text; a merged cell's need is spread over its rows."""
    heights = [MIN_ROW_PT] * grid.rows
    widths = grid.sheet.widths
    spanning: list[tuple[Placed, float]] = []
    for placed in grid.cells:
        need = _needed_height(placed, widths)
        if placed.rows == 1:
            heights[placed.row] = max(heights[placed.row], need)
        else:
            spanning.append((placed, need))
    for placed, need in spanning:
        rows = range(placed.row, placed.row + placed.rows)
        missing = need - sum(heights[r] for r in rows)
        if missing > 0:
            for r in rows:
                heights[r] += missing / placed.rows
    return [round(min(h, MAX_ROW_PT), 1) for h in heights]


# ------------------------------------------------------------------ the hidden sheet


def package_chunks(project: Project) -> list[str]:
    """The one-project 数据包, compact, in pieces a cell can hold."""
    from desktop.export.package import package_bytes

    doc = json.loads(package_bytes([project]).decode("utf-8"))
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    if _ILLEGAL.search(text):
        # JSON escapes controls itself; only surrogates and non-characters need ASCII escapes.
        text = json.dumps(doc, ensure_ascii=True, separators=(",", ":"))
    return [text[i : i + CHUNK_CHARS] for i in range(0, len(text), CHUNK_CHARS)] or [""]


def _data_sheet(wb: Workbook, project: Project, family: str) -> None:
    ws = wb.create_sheet(DATA_SHEET)
    ws.sheet_state = "hidden"
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 60
    put_text(ws.cell(1, 1), DATA_NOTE)
    chunks = package_chunks(project)
    rows: list[tuple[str, str | int]] = [
        (KEY_FORMAT, DATA_FORMAT),
        (KEY_VERSION, DATA_VERSION),
        (KEY_FAMILY, family),
        (KEY_CHUNKS, len(chunks)),
        *((KEY_PACKAGE, chunk) for chunk in chunks),
    ]
    for r, (key, value) in enumerate(rows, start=2):
        put_text(ws.cell(r, 1), key)
        if isinstance(value, int):
            ws.cell(r, 2).value = value
        else:
            put_text(ws.cell(r, 2), value)
