"""The official tables of one project as an Excel workbook, drawn from its placed grid.

One sheet per table of the form family (``layout.py``), every cell where the
paper form has it, amounts as numbers the bureau can add up, and a hidden
``程序数据`` sheet holding the project's 数据包 so that ``xlsx_reader`` can take
the workbook back without losing what the form does not show.

The workbook prints whole (``printed_sheet``): a text taller than Excel's 409 pt row
continues in rows below it (项目概况（续）), pages break where the rows fill an A4 page,
a later table (项目构成分解) starts a page of its own under its own header, and a
merged label cut by a break is written again on the next page.

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
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.atomic import write_atomic
from desktop.export.grid import Placed, Section, SheetGrid, place_project
from desktop.export.layout import HEADING, LABEL, LONG, TEXT, TITLE, Sheet
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

    printed = printed_sheet(grid)
    sheet = grid.sheet
    for i, width in enumerate(printed.widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = width
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    fonts = {
        TITLE: Font(name=TITLE_FONT, size=16, bold=True),
        HEADING: Font(name=TABLE_FONT, size=12, bold=True),
        "": Font(name=TABLE_FONT, size=11),
    }
    for placed in printed.cells:
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
    for row, height in enumerate(printed.heights, start=1):
        ws.row_dimensions[row].height = height
    if printed.marks:
        column = mark_column(sheet)
        ws.column_dimensions[get_column_letter(column)].hidden = True
        for row in printed.marks:
            put_text(ws.cell(row + 1, column), CONTINUED)
    _page_setup(ws, printed, draft)


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


def _page_setup(ws: Worksheet, printed: PrintedSheet, draft: bool) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.pagebreak import Break
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet = printed.grid.sheet
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sheet.landscape else "portrait"
    # One page wide, as many pages tall as the text needs. Excel and LibreOffice keep the
    # manual row breaks below when the height is left open (fitToHeight 0).
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(
        left=MARGIN_SIDE_IN,
        right=MARGIN_SIDE_IN,
        top=MARGIN_TOP_IN,
        bottom=MARGIN_TOP_IN,
        header=0.3,
        footer=0.3,
    )
    ws.print_area = f"A1:{get_column_letter(sheet.columns)}{max(printed.rows, 1)}"
    if printed.title_rows is not None:
        first, last = printed.title_rows
        ws.print_title_rows = f"{first + 1}:{last + 1}"
    for start in printed.breaks:
        ws.row_breaks.append(Break(id=start))  # the last row of the page before
    ws.oddFooter.center.text = FOOTER_TEXT
    ws.oddFooter.center.size = 10
    if draft:
        ws.oddHeader.right.text = DRAFT_TEXT
        ws.oddHeader.right.size = 14


# ------------------------------------------------------------------ row heights


def display_width(text: str) -> int:
    """Columns the text takes: wide and full-width characters (CJK) count 2, others 1."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def _capacity(width_units: float, unit: float) -> float:
    """Display units (``display_width``) one wrapped line of a cell ``width_units`` wide holds."""
    return max(width_units - 1.0, 1.0) / unit


def _lines(text: str, width_units: float, unit: float) -> int:
    capacity = _capacity(width_units, unit)
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


def _row_heights(cells: list[Placed], rows: int, widths: tuple[float, ...]) -> list[float]:
    """Heights that show every wrapped text; a merged cell's need is spread over its rows."""
    heights = [MIN_ROW_PT] * rows
    spanning: list[tuple[Placed, float]] = []
    for placed in cells:
        need = _needed_height(placed, widths)
        if placed.rows == 1:
            heights[placed.row] = max(heights[placed.row], need)
        else:
            spanning.append((placed, need))
    for placed, need in spanning:
        span = range(placed.row, placed.row + placed.rows)
        missing = need - sum(heights[r] for r in span)
        if missing > 0:
            for r in span:
                heights[r] += missing / placed.rows
    return [round(min(h, MAX_ROW_PT), 1) for h in heights]


# ------------------------------------------------------------------ the sheet as printed

# A continued text's label: 项目概况（续） over the rows that carry the rest of the text.
CONTINUED = "（续）"
# Where a long text is cut for its next row: after a paragraph or sentence end.
SENTENCE_ENDS = "\n。；！？"
# Lines of wrapped text one row carries: Excel's 409 pt less room for a wrap that
# differs from the estimate (Latin words wrap whole, punctuation is kept on its line).
LINES_PER_ROW = 22
# The page: A4 in points, the margins in inches (header and footer sit inside them).
A4_PT = (595.0, 842.0)
MARGIN_SIDE_IN = 0.5
MARGIN_TOP_IN = 0.75
# One Excel column unit in points: 7 px of the workbook's default font at 96 dpi.
UNIT_PT = 5.25
# The widest a unit prints where that font is missing (LibreOffice falls back to a wider
# one): a one-column sheet cannot be scaled to the page there, so it is sized for it.
WIDEST_UNIT_PT = 7.0
# Share of a page the rows are planned to fill: room for the estimate being short.
PAGE_FILL = 0.92


@dataclass
class PrintedSheet:
    """A placed sheet as the workbook prints it.

    Texts taller than one Excel row can be are continued in the rows below (the label
    reads 项目概况（续）); pages break where the rows no longer fit, a table of its own
    (项目构成分解) starts a new page rather than being split under another table's
    header, and a merged label cut by a break is written again on the next page.
    ``cells`` are at their printed rows (0-based); ``breaks`` are the rows that start a
    new page; ``title_rows`` (first, last) repeat at the top of every page.
    """

    grid: SheetGrid
    cells: list[Placed]
    heights: list[float]
    widths: tuple[float, ...]
    breaks: list[int]
    title_rows: tuple[int, int] | None = None
    # Rows continuing a row of a table, marked in the hidden column after the last.
    marks: list[int] = field(default_factory=list)
    # The grid row each printed row shows, and whether it is a header written again.
    order: list[tuple[int, bool]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.heights)

    def by_path(self, path: str) -> Placed | None:
        return next((c for c in self.cells if c.path == path), None)


def printed_sheets(project: Project, family: str | None = None) -> list[PrintedSheet]:
    """Every sheet of the project's workbook as it prints (what ``workbook_bytes`` draws)."""
    return [printed_sheet(g) for g in place_project(project, family).sheets]


def printed_sheet(grid: SheetGrid) -> PrintedSheet:
    widths = print_widths(grid)
    cells, sections, rows, marks = _continued(grid, widths)
    heights = _row_heights(cells, rows, widths)
    printed = _paginate(grid, cells, heights, sections, widths)
    position = {r: i for i, (r, copy) in enumerate(printed.order) if not copy}
    printed.marks = [position[r] for r in marks]
    return printed


def print_widths(grid: SheetGrid) -> tuple[float, ...]:
    """The layout's column widths; a single column no wider than the printable page."""
    widths = grid.sheet.widths
    if len(widths) != 1:
        return widths  # several columns: fit-to-width scales them to the page
    printable_width, _ = _printable(grid)
    return (min(widths[0], math.floor(printable_width / WIDEST_UNIT_PT)),)


def _printable(grid: SheetGrid) -> tuple[float, float]:
    """Width and height in points inside the margins of the sheet's A4 page."""
    width, height = (A4_PT[1], A4_PT[0]) if grid.sheet.landscape else A4_PT
    return width - 2 * MARGIN_SIDE_IN * 72, height - 2 * MARGIN_TOP_IN * 72


def _page_room(grid: SheetGrid, widths: tuple[float, ...]) -> float:
    """Points of rows one printed page holds, at the scale fit-to-width prints at."""
    printable_width, printable_height = _printable(grid)
    scale = min(1.0, printable_width / max(sum(widths) * UNIT_PT, 1.0))
    return printable_height / scale * PAGE_FILL


# -- long texts continued in the rows below


def mark_column(sheet: Sheet) -> int:
    """The hidden column (1-based, the first one not printed) where a row continuing a row of
    a table says so: without the mark the reader would take it for a row the clerk added."""
    return sheet.columns + 1


def continuation_label(text: str) -> str:
    """The label over a continued text's further rows: 项目概况（续）."""
    return text + CONTINUED


def _continuable(placed: Placed) -> bool:
    """A text field in a cell of its own row: its rest can follow in rows of its own."""
    return (
        placed.rows == 1
        and placed.role in (LONG, TEXT)
        and isinstance(placed.value, str)
        and bool(placed.path)
    )


def _in_table(placed: Placed) -> bool:
    """A cell of a row table (``guarantees.2.measures``), not of a line."""
    return any(part.isdigit() for part in (placed.path or "").split("."))


def _fitting(text: str, capacity: float, lines: int) -> int:
    """How many first characters of ``text`` wrap into at most ``lines`` lines (at least one);
    the same measure as the row heights."""
    done = 0  # lines of the finished paragraphs
    width = 0
    for k, ch in enumerate(text):
        if ch == "\n":
            done += max(1, math.ceil(width / capacity))
            width = 0
        else:
            width += display_width(ch)
        if done + max(1, math.ceil(width / capacity)) > lines:
            return max(k, 1)
    return len(text)


def split_text(text: str, width_units: float, lines: int = LINES_PER_ROW) -> list[str]:
    """``text`` in pieces of at most ``lines`` wrapped lines at the cell's width, cut after a
    paragraph or sentence end where one falls in the second half of a piece, else anywhere.
    The pieces joined are the text, character for character."""
    capacity = _capacity(width_units, UNIT_WIDTH)
    parts: list[str] = []
    rest = text
    while rest:
        cut = _fitting(rest, capacity, lines)
        if cut < len(rest):
            end = max(rest.rfind(ch, 0, cut) for ch in SENTENCE_ENDS)
            if end + 1 > cut // 2:
                cut = end + 1
        parts.append(rest[:cut])
        rest = rest[cut:]
    return parts or [text]


def _continued(
    grid: SheetGrid, widths: tuple[float, ...]
) -> tuple[list[Placed], list[Section], int, list[int]]:
    """The grid with every over-tall text continued in rows inserted below its own.

    Also the inserted rows that continue a row of a table: those are marked (``mark_column``)
    so that the reader does not take them for rows the clerk added.
    """
    pieces: dict[int, list[str]] = {}
    extra: dict[int, int] = {}  # row -> rows inserted after it
    in_table: set[int] = set()  # rows whose continued text is in a row table
    for i, placed in enumerate(grid.cells):
        if not _continuable(placed) or _needed_height(placed, widths) <= MAX_ROW_PT:
            continue
        width = sum(widths[placed.col : placed.col + placed.cols])
        parts = split_text(placed.text, width)
        if len(parts) > 1:
            pieces[i] = parts
            extra[placed.row] = max(extra.get(placed.row, 0), len(parts) - 1)
            if _in_table(placed):
                in_table.add(placed.row)
    if not extra:
        return list(grid.cells), list(grid.sections), grid.rows, []
    new_row: list[int] = []
    shift = 0
    for r in range(grid.rows + 1):
        new_row.append(r + shift)
        shift += extra.get(r, 0)
    cells: list[Placed] = []
    for i, placed in enumerate(grid.cells):
        top = new_row[placed.row]
        last = placed.row + placed.rows - 1
        bottom = new_row[last] + extra.get(last, 0)
        if placed.rows > 1 or placed.row not in extra:
            cells.append(replace(placed, row=top, rows=bottom - top + 1))
            continue
        parts = pieces.get(i)
        cells.append(replace(placed, row=top, value=parts[0] if parts else placed.value))
        for k in range(1, extra[placed.row] + 1):
            if parts is not None:
                value: Any = parts[k] if k < len(parts) else None
            elif placed.role == LABEL and placed.text:
                value = continuation_label(placed.text)
            else:
                value = None
            cells.append(replace(placed, row=top + k, value=value, path=None))
    sections = [Section(new_row[s.start], new_row[s.end], s.header) for s in grid.sections]
    marks = [new_row[r] + k for r in sorted(in_table) for k in range(1, extra[r] + 1)]
    return cells, sections, new_row[grid.rows], marks


# -- pages


def _paginate(
    grid: SheetGrid,
    cells: list[Placed],
    heights: list[float],
    sections: list[Section],
    widths: tuple[float, ...],
) -> PrintedSheet:
    """Page breaks where the rows fill a page; headers repeated; merged labels split at breaks.

    A sheet with one headed table repeats its header by Excel's print titles. A sheet with
    several (闵行 绩效目标: indicators, then 项目构成分解) cannot: Excel repeats one range on
    every page. There each later table starts on a page of its own when it does not fit
    the rest of the page, and a table continued on the next page gets its header rows
    written again at the top of that page.
    """
    room = _page_room(grid, widths)
    headed = [s for s in sections if s.header > 0]
    by_copy = len(headed) > 1
    title = headed[0] if len(headed) == 1 else None
    title_height = sum(heights[title.start : title.start + title.header]) if title else 0.0

    def section_of(row: int) -> Section | None:
        return next((s for s in headed if s.start <= row < s.end), None)

    order: list[tuple[int, bool]] = []  # (row of the grid, is a repeated header row)
    starts: list[int] = [0]  # positions in ``order`` that begin a page
    repeats: list[tuple[int, Section]] = []  # (position, section) of each repeated header
    used = 0.0

    def new_page() -> None:
        nonlocal used
        starts.append(len(order))
        used = title_height if title is not None and title.start < order[-1][0] else 0.0

    for row in range(len(heights)):
        section = section_of(row)
        need = heights[row]
        if section is not None and row == section.start:
            # A header never ends a page: it goes with the first row below it.
            need = sum(heights[row : min(section.start + section.header + 1, section.end)])
            if by_copy and section is not headed[0]:
                need = max(need, min(sum(heights[section.start : section.end]), room))
        if order and used > 0 and used + need > room:
            new_page()
            if by_copy and section is not None and row >= section.start + section.header:
                repeats.append((len(order), section))
                for h in range(section.start, section.start + section.header):
                    order.append((h, True))
                    used += heights[h]
        order.append((row, False))
        used += heights[row]

    printed = _split_at_pages(cells, order, starts, repeats)
    title_rows = None
    if title is not None:
        first = next(i for i, (r, _) in enumerate(order) if r == title.start)
        title_rows = (first, first + title.header - 1)
    return PrintedSheet(
        grid=grid,
        cells=printed,
        heights=[heights[r] for r, _ in order],
        widths=widths,
        breaks=starts[1:],
        title_rows=title_rows,
        order=order,
    )


def _split_at_pages(
    cells: list[Placed],
    order: list[tuple[int, bool]],
    starts: list[int],
    repeats: list[tuple[int, Section]],
) -> list[Placed]:
    """Cells at their printed rows: a merge cut by a break in two, its value on both pages."""
    at = {r: i for i, (r, copy) in enumerate(order) if not copy}
    ends = [*starts[1:], len(order)]
    out: list[Placed] = []
    # Repeated header rows: the header's cells again; the columns they take, row by row.
    header_cols: dict[int, set[int]] = {}
    for position, section in repeats:
        first, stop = section.start, section.start + section.header
        for c in cells:
            if first <= c.row and c.row + c.rows <= stop:
                row = position + c.row - first
                out.append(replace(c, row=row, path=None))
                for r in range(row, row + c.rows):
                    header_cols.setdefault(r, set()).update(range(c.col, c.col + c.cols))
    for c in cells:
        first, last = at[c.row], at[c.row + c.rows - 1]
        columns = set(range(c.col, c.col + c.cols))
        pieces = 0
        for start, end in zip(starts, ends, strict=True):
            top, bottom = max(first, start), min(last, end - 1)
            # A table's columns below its repeated header; a label beside it spans it.
            while top <= bottom and columns & header_cols.get(top, set()):
                top += 1
            if top > bottom:
                continue
            out.append(
                replace(c, row=top, rows=bottom - top + 1, path=c.path if not pieces else None)
            )
            pieces += 1
    return out


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
