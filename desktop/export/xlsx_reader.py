"""Taking back a workbook this program exported, after a clerk (or the bureau) edited it in Excel.

The reader walks the same layout description the writer drew (``layout.py``),
but tolerantly: a line is found by its fixed words from where the previous
one ended, a row table runs from its header to whatever follows it, and a
caption is found by its fixed text. The hidden ``程序数据`` sheet gives back
what the form does not show (id, notes, other funding lines); every field the
form shows is then taken from the visible cells, since the clerk may have
edited them. A cell that still says what the program wrote keeps the stored
value exactly (``10.00`` stays ``10.00``, a level label keeps its wording). A long text the
writer continued in the rows below its own (项目概况（续）) is joined back; a table's
header written again at the top of a printed page is skipped.
How one cell's content is read (text, amount, date, ticks) is in ``xlsx_values.py``.

All or nothing: any cell that cannot be read refuses the whole file, with
messages naming the sheet and the cell. Before openpyxl sees the bytes, ``zip_guard.py``
refuses what no workbook of this program could be: zip bombs, XML with a DTD, giant sheets.
"""

from __future__ import annotations

import bisect
import copy
import datetime as dt
import io
import os
import warnings
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.export.grid import choice_text, field_value, printed_levels, stage_text
from desktop.export.layout import (
    CHOICE,
    HEADER,
    HEADING,
    LABEL,
    STAGE,
    TITLE,
    Cell,
    Group,
    Layout,
    Line,
    Rows,
    Sheet,
    earlier_sheets,
    layout_for,
)
from desktop.export.reading import (
    MAX_FILE_BYTES,
    MAX_NAME_CHARS,
    MAX_PROBLEMS,
    MAX_ROWS,
    UnreadableFile,
    read_bounded,
)
from desktop.export.xlsx_values import (
    BadValue,
    as_text,
    coord,
    kind_of,
    norm,
    norm_label,
    parse_value,
    pattern_matches,
)
from desktop.export.xlsx_writer import (
    CONTINUED,
    DATA_FORMAT,
    DATA_SHEET,
    DATA_VERSION,
    KEY_FAMILY,
    KEY_FORMAT,
    KEY_PACKAGE,
    KEY_VERSION,
    clean_text,
    continuation_label,
    mark_column,
)
from desktop.export.zip_guard import inspect_workbook_zip
from desktop.models.labels import label
from desktop.models.project import (
    CATEGORIES,
    FAMILIES,
    STAGES,
    STATUS_DRAFT,
    BreakdownRow,
    Guarantee,
    Indicator,
    Project,
    Signoff,
)
from desktop.models.taxonomy import DEFAULT_FRAMEWORK, Framework, framework_of, place

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

# How far down a sheet its title is looked for when the sheet was renamed.
TITLE_ROWS = 8

NO_DATA_WARNING = "未找到程序数据页：按新项目导入，表上没有的栏目为空。"
DAMAGED_DATA_WARNING = "程序数据页已损坏，无法读取：按新项目导入，表上没有的栏目为空。"

ROW_TYPES: dict[str, type] = {
    "indicators": Indicator,
    "breakdown": BreakdownRow,
    "guarantees": Guarantee,
}


class WorkbookError(UnreadableFile):
    """The workbook cannot be imported; ``problems`` name the sheet and the cell."""

    noun = "工作簿"


@dataclass
class WorkbookImport:
    project: Project
    warnings: list[str] = field(default_factory=list)
    family: str = ""


def read_workbook_file(path: str | os.PathLike[str]) -> WorkbookImport:
    """Read a workbook from disk; its size is checked before it is opened."""
    data = read_bounded(
        path, WorkbookError, choose=".xlsx 申报表文件", too_big=_too_big, limit=MAX_FILE_BYTES
    )
    return read_workbook_bytes(data, Path(path).name)


def read_workbook_bytes(data: bytes, source: str = "") -> WorkbookImport:
    if len(data) > MAX_FILE_BYTES:
        raise WorkbookError([_too_big(len(data))], source)
    book = _Book(_open(data, source), source)
    return _Import(book, source).run()


def _too_big(size: int) -> str:
    return f"文件大小 {size / 1024 / 1024:.1f} MB，超过上限 50 MB：这不是本程序导出的申报表。"


# ------------------------------------------------------------------ opening


def _open(data: bytes, source: str) -> bytes:
    """Refuse a non-xlsx with a plain message, and an unsafe zip, before openpyxl sees it."""
    head = data[:8]
    if not data:
        raise WorkbookError(["文件是空的（0 字节）：请重新导出或重新拷贝。"], source)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise WorkbookError(
            [
                "这是旧版 Excel（.xls）文件，或设置了打开密码的工作簿：请在 Excel 中取消密码、"
                "“另存为” .xlsx 格式后再导入。"
            ],
            source,
        )
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        raise WorkbookError(
            ["这是数据包（JSON）文件，不是 Excel 工作簿：请按数据包导入（.json）。"], source
        )
    if not head.startswith(b"PK"):
        raise WorkbookError(["文件不是 Excel 工作簿（.xlsx），请选择本程序导出的申报表。"], source)
    problems = inspect_workbook_zip(data)
    if problems:
        raise WorkbookError(problems, source)
    return data


def _load(data: bytes, data_only: bool, source: str) -> Workbook:
    import openpyxl

    try:
        with warnings.catch_warnings():
            # Data validation, conditional formats etc. a clerk added are not needed here.
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds on a malformed file
        raise WorkbookError(
            [
                f"文件无法按 Excel 工作簿读取（{type(exc).__name__}）：请在 Excel 中另存为 .xlsx 后再试。"
            ],
            source,
        ) from exc


class _Book:
    """The workbook with formulas as typed, and (loaded on demand) the values Excel computed."""

    def __init__(self, data: bytes, source: str) -> None:
        self.data = data
        self.source = source
        self.wb = _load(data, False, source)
        self._values: Workbook | None = None

    def cached(self, sheet: str, row: int, col: int) -> Any:
        if self._values is None:
            self._values = _load(self.data, True, self.source)
        return self._values[sheet].cell(row, col).value


# ------------------------------------------------------------------ what a sheet says


class _NoResult(Exception):
    """A formula in a number or date cell, saved without the value Excel computed."""


@dataclass
class _Got:
    """One value read: the layout cell it belongs to, its reading, and where it was."""

    cell: Cell
    value: Any
    where: str


@dataclass
class _RowGot:
    position: int
    values: dict[str, _Got]
    blank: bool


@dataclass
class _Readings:
    scalars: dict[str, list[_Got]] = field(default_factory=dict)
    rows: dict[str, list[_RowGot]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def fail(self, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(message)

    def take(self, other: _Readings) -> None:
        """Add what another sheet's reading found."""
        for key, got in other.scalars.items():
            self.scalars.setdefault(key, []).extend(got)
        for key, rows in other.rows.items():
            self.rows.setdefault(key, []).extend(rows)
        for problem in other.problems:
            self.fail(problem)
        self.warnings.extend(other.warnings)


def _flatten(parts: tuple[Any, ...]) -> list[Line | Rows]:
    out: list[Line | Rows] = []
    for part in parts:
        if isinstance(part, Group):
            out.extend(_flatten(part.parts))
        else:
            out.append(part)
    return out


def _labels(line: Line) -> list[Cell]:
    # A document's headings (一、项目概述) find its lines as a table's labels find its rows.
    fixed = (LABEL, HEADER, HEADING)
    return [c for c in line.cells if c.role in fixed and c.text and c.field is None]


def _anchor(parts: list[Line | Rows]) -> Line | None:
    """The first line among ``parts`` that can be found by its fixed words."""
    for part in parts:
        line = part.header[0] if isinstance(part, Rows) and part.header else part
        if isinstance(line, Line) and _labels(line):
            return line
    return None


def _continues(cell: Cell) -> bool:
    """A text the writer may continue in the rows below (no fixed words around it)."""
    return kind_of(cell) == "text" and not cell.text


def _title_of(sheet: Sheet) -> str:
    return next((c.text for ln in sheet.above for c in ln.cells if c.role == TITLE), "")


class _SheetReader:
    """Walks one layout sheet over one worksheet, as ``grid.py`` placed it, but tolerantly."""

    def __init__(
        self, book: _Book, ws: Worksheet, sheet: Sheet, family: str, out: _Readings
    ) -> None:
        self.book = book
        self.ws = ws
        self.sheet = sheet
        self.family = family
        self.out = out
        # openpyxl's own cell store: reading through ws.cell() would create every empty cell
        # up to a far-away formatted one.
        self.cells = {k: v for k, v in ws._cells.items() if v.value is not None}
        self.by_row: dict[int, list[int]] = {}
        for r, c in sorted(self.cells):
            self.by_row.setdefault(r, []).append(c)
        # Rows holding something, in order: a line or caption is only looked for there, so a
        # stray cell in row 1,048,576 does not make every search walk a million empty rows.
        self.filled_rows = sorted(self.by_row)
        self.last_row = max(self.by_row, default=0)
        # Every cell a merge covers -> the merge (the first one, as openpyxl lists them). The
        # zip guard bounds how many cells merges may cover, so this index stays small.
        self.merged: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        for m in ws.merged_cells.ranges:
            box = (m.min_row, m.min_col, m.max_row, m.max_col)
            for r in range(m.min_row, m.max_row + 1):
                for c in range(m.min_col, m.max_col + 1):
                    self.merged.setdefault((r, c), box)
        from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

        self.formula_types = (ArrayFormula, DataTableFormula)

    def where(self, row: int, col: int) -> str:
        return f"“{self.ws.title}”页 {coord(row, col)}"

    # -- raw cells

    def text_at(self, row: int, col: int) -> str:
        cell = self.cells.get((row, col))
        if cell is None:
            return ""
        return cell.value if isinstance(cell.value, str) else as_text(cell.value) or ""

    def merge_at(self, row: int, col: int) -> tuple[int, int, int, int] | None:
        return self.merged.get((row, col))

    def rows_between(self, start: int, stop: int) -> list[int]:
        """The rows holding something, from ``start`` up to (not including) ``stop``."""
        rows = self.filled_rows
        return rows[bisect.bisect_left(rows, start) : bisect.bisect_left(rows, stop)]

    def raw(self, row: int, col: int, kind: str, inherit: bool = False) -> tuple[Any, bool]:
        """(content, shown as percent) of a cell; a formula gives its text or Excel's result."""
        if inherit:
            merge = self.merge_at(row, col)
            if merge is not None:
                row, col = merge[0], merge[1]
        cell = self.cells.get((row, col))
        if cell is None:
            return None, False
        value = cell.value
        if cell.data_type == "f" or isinstance(value, self.formula_types):
            formula = value if isinstance(value, str) else getattr(value, "text", None) or ""
            if kind in ("text", "choice", "stage"):
                # ``=100%`` typed as a target became a formula; the clerk meant the text.
                return (formula if formula.startswith("=") else "=" + formula), False
            value = self.book.cached(self.ws.title, row, col)
            if value is None:
                raise _NoResult
        percent = (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and "%" in (cell.number_format or "")
        )
        return value, percent

    def read(
        self,
        cell: Cell,
        row: int,
        col: int,
        inherit: bool = False,
        scope: str = "",
        more: list[int] | tuple[int, ...] = (),
    ) -> _Got | None:
        """One cell's reading; a long text continued in the rows ``more`` joined back."""
        kind = kind_of(cell)
        words = label(scope + (cell.field or ""), self.family)
        try:
            value, percent = self.raw(row, col, kind, inherit)
            if more and _continues(cell):
                pieces = [value, *(self.raw(r, col, kind)[0] for r in more)]
                value = "".join(as_text(v) or "" for v in pieces) or None
            reading = parse_value(kind, value, words, cell.text if cell.field else "", percent)
        except BadValue as bad:
            self.out.fail(f"{self.where(row, col)}：{bad}。")
            return None
        except _NoResult:
            self.out.fail(
                f"{self.where(row, col)}：{words}是公式，文件中没有保存计算结果："
                "请在 Excel 中打开后保存一次，或直接填写数值。"
            )
            return None
        return _Got(cell, reading, self.where(row, col))

    # -- finding lines

    def line_at(self, line: Line, row: int, first_only: bool = False) -> bool:
        labels = _labels(line)[:1] if first_only else _labels(line)
        return all(norm_label(self.text_at(row, c.col + 1)) == norm_label(c.text) for c in labels)

    def find_line(self, line: Line, start: int) -> int | None:
        # A line has fixed words, so an empty row is never it.
        for row in self.rows_between(start, self.last_row + 1):
            if self.line_at(line, row):
                return row
        return None

    def find_pattern(self, cell: Cell, rows: range) -> tuple[int, int] | None:
        for row in self.rows_between(rows.start, rows.stop):
            cols = self.by_row[row]
            for col in sorted(cols, key=lambda c: c != cell.col + 1):
                if pattern_matches(self.text_at(row, col), cell.text):
                    return row, col
        return None

    # -- the walk

    def run(self) -> None:
        parts = _flatten(self.sheet.table)
        cursor = 1
        table_first: int | None = None
        for k, part in enumerate(parts):
            if isinstance(part, Rows):
                found, cursor = self.rows(part, cursor, _anchor(parts[k + 1 :]))
            else:
                found, cursor = self.line(part, cursor, _anchor(parts[k + 1 :]))
            if table_first is None and found is not None:
                table_first = found
        first = table_first if table_first is not None else min(self.last_row, TITLE_ROWS) + 1
        self.captions(self.sheet.above, range(1, first))
        self.captions(self.sheet.below, range(cursor, self.last_row + 1))

    def line(self, line: Line, cursor: int, next_line: Line | None) -> tuple[int | None, int]:
        if _labels(line):
            row = self.find_line(line, cursor)
            if row is None:
                words = "、".join(c.text for c in _labels(line))
                self.out.fail(
                    f"“{self.ws.title}”页：找不到“{words}”所在的行：表格的行可能被删除或改动，"
                    "请用本程序重新导出后再填写。"
                )
                return None, cursor
        else:
            row = cursor  # a line without fixed words follows the previous one
        more = self.continuations(line, row, next_line)
        for cell in line.cells:
            if cell.reads_back and cell.field:
                got = self.read(cell, row, cell.col + 1, more=more)
                if got is not None:
                    self.out.scalars.setdefault(cell.field, []).append(got)
        return row, row + 1 + len(more)

    def continuations(self, line: Line, row: int, next_line: Line | None) -> list[int]:
        """The rows below ``row`` carrying the rest of the line's long texts.

        The writer continues a text taller than one Excel row in rows of their own: each
        labelled cell reads 项目概况（续）, each text cell is merged as on the line's row,
        and nothing else is written; a row that is the next line is never one of them, nor
        a row whose texts are all empty.
        """
        texts = [c for c in line.cells if c.reads_back and c.field and _continues(c)]
        if not texts:
            return []
        spans = {c.col: self.span_at(row, c.col + 1) for c in texts}
        labels = [c for c in line.cells if c.role == LABEL and c.text and c.field is None]
        own = {c.col + 1 for c in labels} | {c.col + 1 for c in texts}
        # The columns the line's cells take (a group's label beside them, 项目绩效目标 written
        # again on a new page, is not the line's).
        covered = {c.col + 1 + k for c in line.cells for k in range(c.span)}
        rows: list[int] = []
        r = row + 1
        while r <= self.last_row:
            if next_line is not None and self.line_at(next_line, r):
                break
            # 项目概况（续）, or the label cleared by the clerk: still the text's own rows
            labelled = all(
                norm_label(self.text_at(r, c.col + 1))
                in ("", norm_label(continuation_label(c.text)))
                for c in labels
            )
            merged = all(self.span_at(r, c.col + 1) == spans[c.col] for c in texts)
            others = all(col in own for col in self.by_row.get(r, []) if col in covered)
            filled = any(c.col + 1 in self.by_row.get(r, []) for c in texts)
            if not (labelled and merged and others and filled):
                break
            rows.append(r)
            r += 1
        return rows

    def span_at(self, row: int, col: int) -> tuple[int, int] | None:
        """The columns of the merge whose top-left is (row, col); (col, col) unmerged; else None."""
        merge = self.merge_at(row, col)
        if merge is None:
            return col, col
        if (merge[0], merge[1]) != (row, col) or merge[2] != row:
            return None
        return merge[1], merge[3]

    def rows(self, table: Rows, cursor: int, next_line: Line | None) -> tuple[int | None, int]:
        header = table.header[0] if table.header else None
        start = cursor
        found: int | None = cursor
        if header is not None:
            found = self.find_line(header, cursor)
            if found is None:
                words = "、".join(c.text for c in _labels(header))
                self.out.fail(f"“{self.ws.title}”页：找不到表头“{words}”：表格可能被改动。")
                return None, cursor
            start = found + len(table.header)
            # A workbook written before the header grew a line (the 2021 保障阶段's stage
            # names) has its first row where that line is now: the rows start there.
            for k, line in enumerate(table.header[1:], start=1):
                if _labels(line) and not self.line_at(line, found + k):
                    start = found + k
                    break
        footer = table.footer[0] if table.footer else None
        got: list[_RowGot] = []
        filled = 0
        end = self.last_row + 1
        for row in self._table_rows(start):
            # The footer by its first words only: a clerk may have cleared its ---- cells.
            if footer is not None and self.line_at(footer, row, first_only=True):
                end = row + len(table.footer)
                break
            if (next_line is not None and self.line_at(next_line, row)) or (
                next_line is None and self._is_caption(row)
            ):
                end = row
                break
            if self._repeated_header(table, row):
                continue  # the header again at the top of a printed page
            if got and self._continues_row(row):
                self._join_row(table, row, got[-1])
                continue
            got.append(self.data_row(table, row, len(got)))
            filled += not got[-1].blank
            if filled > MAX_ROWS:
                self.out.fail(
                    f"“{self.ws.title}”页：{label(table.source, self.family)}超过上限 "
                    f"{MAX_ROWS} 行（{coord(row, 1)} 起），请分成几个项目。"
                )
                break
        self.out.rows.setdefault(table.source, []).extend(got)
        return found, end

    def _continues_row(self, row: int) -> bool:
        """The writer's mark: this row carries the rest of the texts of the row above."""
        return norm(self.text_at(row, mark_column(self.sheet))) == norm(CONTINUED)

    def _join_row(self, table: Rows, row: int, into: _RowGot) -> None:
        """The pieces in ``row`` appended to the texts of the table row ``into``."""
        for cell in table.cells:
            if not (cell.reads_back and cell.field and _continues(cell)):
                continue
            if cell.field in table.merge_down:
                continue  # a 一级/二级 merged over its rows (written again after a page break)
            got = self.read(cell, row, cell.col + 1, scope=table.source + ".")
            if got is None or not got.value:
                continue
            before = into.values.get(cell.field)
            if before is None:
                into.values[cell.field] = got
            else:
                before.value = (before.value or "") + got.value
            into.blank = False

    def _repeated_header(self, table: Rows, row: int) -> bool:
        """Row ``row`` is one of the table's header lines, written again."""
        return any(_labels(h) and self.line_at(h, row) for h in table.header)

    def _table_rows(self, start: int) -> list[int]:
        """Every row near the table (blank ones too: a stored blank row is kept), and further
        down only rows holding something, so a stray far-away cell costs nothing."""
        near = range(start, min(self.last_row, start + 2 * MAX_ROWS) + 1)
        far = [r for r in self.by_row if r > near.stop - 1]
        return [*near, *sorted(far)]

    def _is_caption(self, row: int) -> bool:
        cells = [c for ln in self.sheet.below for c in ln.cells if c.field and "{}" in c.text]
        return any(
            pattern_matches(self.text_at(row, col), c.text)
            for c in cells
            for col in self.by_row.get(row, [])
        )

    def data_row(self, table: Rows, row: int, position: int) -> _RowGot:
        values: dict[str, _Got] = {}
        stages: list[str] = []
        own_content = False
        stage_where = ""
        for cell in table.cells:
            if not cell.reads_back or not cell.field:
                continue
            inherit = cell.field in table.merge_down
            got = self.read(cell, row, cell.col + 1, inherit, scope=table.source + ".")
            if got is None:
                own_content = True  # a problem was reported; the row is not blank
                continue
            if cell.role == STAGE:
                stage_where = stage_where or got.where
                if got.value:
                    stages.append(cell.arg)
                    own_content = True
                continue
            values[cell.field] = got
            # A label merged over several rows belongs to the group, not to this row alone.
            merge = self.merge_at(row, cell.col + 1) if inherit else None
            shared = merge is not None and merge[2] > merge[0]
            if not shared and got.value is not None and str(got.value).strip():
                own_content = True
        if any(c.role == STAGE for c in table.cells):
            stage_cell = next(c for c in table.cells if c.role == STAGE)
            ordered = [s for s in STAGES if s in stages]
            values["stages"] = _Got(stage_cell, ordered, stage_where)
        return _RowGot(position, values, blank=not own_content)

    def captions(self, lines: tuple[Line, ...], rows: range) -> None:
        for line in lines:
            for cell in line.cells:
                if not (cell.reads_back and cell.field and "{}" in cell.text):
                    continue
                hit = self.find_pattern(cell, rows)
                if hit is None:
                    fixed = cell.text.replace("{}", "").strip()
                    self.out.warnings.append(
                        f"“{self.ws.title}”页：找不到“{fixed}”，"
                        f"{label(cell.field, self.family)}按原有内容保留。"
                    )
                    continue
                got = self.read(cell, *hit)
                if got is not None:
                    got.value = _without_old_colon(got.value, cell.text)
                    self.out.scalars.setdefault(cell.field, []).append(got)


def _without_old_colon(value: Any, pattern: str) -> Any:
    """A caption whose words lost their colon (填报单位（盖章）, as on paper) read from a
    workbook exported with it (填报单位（盖章）：…): the colon is not part of the value."""
    prefix = pattern.partition("{}")[0]
    if not (isinstance(value, str) and prefix) or norm(prefix).endswith(":"):
        return value
    if norm(value[:1]) != ":":
        return value
    return value[1:].strip() or None


# ------------------------------------------------------------------ the whole import


def _written(cell: Cell, base: Project, family: str) -> Any:
    """What the writer put in ``cell`` for the stored project (mirrors ``grid.py``)."""
    raw = field_value(base, cell.field or "")
    if cell.role == CHOICE:
        return choice_text(family, raw)
    if cell.text:
        filled = raw.isoformat() if isinstance(raw, dt.date) else raw
        return cell.text.replace("{}", "" if filled is None else str(filled))
    return raw


def _written_row(source: str, cell: Cell, row: Any, family: str, fw: Framework) -> Any:
    if cell.role == STAGE:
        return stage_text(cell.arg, row.stages)
    if source == "indicators" and cell.field in ("level1", "level2"):
        l1, l2 = printed_levels(family, row.level1, row.level2, fw)
        return l1 if cell.field == "level1" else l2
    return getattr(row, cell.field or "")


def _reread(cell: Cell, written: Any, family: str) -> Any:
    """The reading the writer's own content gives: what an unedited cell reads as."""
    if isinstance(written, str):
        written = clean_text(written)
    try:
        return parse_value(kind_of(cell), written, "", cell.text if cell.field else "")
    except BadValue:
        return object()  # never equal to a reading: the cell's value is taken


def _same(read: Any, written: Any) -> bool:
    """An unedited cell: equal readings; an amount also when Excel's double cannot tell them apart."""
    if isinstance(read, Decimal) and isinstance(written, Decimal):
        if read == written:
            return True
        # Excel keeps 15 significant digits; beyond them the stored value stands.
        return read.is_finite() and written.is_finite() and _digits15(read) == _digits15(written)
    return bool(read == written)


def _digits15(value: Decimal) -> str:
    return f"{float(value):.15g}"


def _row_key(source: str, values: dict[str, Any]) -> tuple[str, ...]:
    keys = {"indicators": ("name",), "guarantees": ("kind",), "breakdown": ("content", "item")}
    return tuple(norm(str(values.get(k) or "")) for k in keys.get(source, ()))


def _set_path(project: Project, path: str, value: Any) -> None:
    head, _, attr = path.partition(".")
    if not attr:
        setattr(project, head, value)
        return
    if head == "signoff" and project.signoff is None:
        if value is None:
            return  # no sign-off block, and nothing written in it
        project.signoff = Signoff()
    setattr(getattr(project, head), attr, value)


class _Import:
    def __init__(self, book: _Book, source: str) -> None:
        self.book = book
        self.source = source
        self.warnings: list[str] = []

    def run(self) -> WorkbookImport:
        wb = self.book.wb
        base, hidden_family = self._hidden(wb)
        family = hidden_family or self._detect(wb)
        layout = layout_for(family)
        out = _Readings()
        used: set[str] = set()
        for sheet in layout.sheets:
            ws = self._find_sheet(wb, sheet, used)
            if ws is None:
                out.fail(
                    f"找不到“{sheet.name}”页：工作表可能被删除或改名，请用本程序导出的申报表。"
                )
                continue
            used.add(ws.title)
            out.take(self._read_sheet(ws, sheet, family))
        project = self._assemble(layout, out, base) if not out.problems else None
        if project is None or out.problems:
            raise WorkbookError(out.problems, self.source)
        return WorkbookImport(project, self.warnings + out.warnings, family)

    def _read_sheet(self, ws: Worksheet, sheet: Sheet, family: str) -> _Readings:
        """The sheet read by its layout, or by an earlier layout of it that reads it whole
        (a workbook exported by an earlier version, before the table's header changed)."""
        got = _Readings()
        _SheetReader(self.book, ws, sheet, family, got).run()
        if not got.problems:
            return got
        for earlier in earlier_sheets(family, sheet.key):
            again = _Readings()
            _SheetReader(self.book, ws, earlier, family, again).run()
            if not again.problems:
                return again
        return got

    # -- the hidden sheet

    def _hidden(self, wb: Workbook) -> tuple[Project | None, str | None]:
        from desktop.export.package import PackageError, read_package_bytes

        if DATA_SHEET not in wb.sheetnames:
            self.warnings.append(NO_DATA_WARNING)
            return None, None
        ws = wb[DATA_SHEET]
        values: dict[str, list[Any]] = {}
        for row in ws.iter_rows(min_col=1, max_col=2, max_row=min(ws.max_row, 2000)):
            key = row[0].value
            if isinstance(key, str):
                values.setdefault(key.strip(), []).append(row[1].value)
        family = next(iter(values.get(KEY_FAMILY, [])), None)
        family = family if isinstance(family, str) and family in FAMILIES else None
        version = next(iter(values.get(KEY_VERSION, [])), None)
        chunks = values.get(KEY_PACKAGE, [])
        ok = (
            next(iter(values.get(KEY_FORMAT, [])), None) == DATA_FORMAT
            and str(version).strip() in (str(DATA_VERSION), f"{DATA_VERSION}.0")
            and chunks
            and all(isinstance(c, str) for c in chunks)
        )
        if not ok:
            self.warnings.append(DAMAGED_DATA_WARNING)
            return None, family
        try:
            package = read_package_bytes("".join(chunks).encode("utf-8"), DATA_SHEET)
        except PackageError:
            self.warnings.append(DAMAGED_DATA_WARNING)
            return None, family
        if len(package.projects) != 1:
            self.warnings.append(DAMAGED_DATA_WARNING)
            return None, family
        return package.projects[0], family

    # -- sheets and family

    def _find_sheet(self, wb: Workbook, sheet: Sheet, used: set[str]) -> Worksheet | None:
        candidates = [ws for ws in wb.worksheets if ws.title != DATA_SHEET and ws.title not in used]
        for ws in candidates:
            if ws.title == sheet.name:
                return ws
        for ws in candidates:
            if norm(ws.title) == norm(sheet.name):
                return ws
        for ws in candidates:
            if self._has_title(ws, sheet):
                return ws
        return None

    @staticmethod
    def _has_title(ws: Worksheet, sheet: Sheet) -> bool:
        title = norm(_title_of(sheet))
        if not title:
            return False
        for row in ws.iter_rows(max_row=min(ws.max_row, TITLE_ROWS), max_col=12):
            for cell in row:
                if isinstance(cell.value, str) and norm(cell.value) == title:
                    return True
        return False

    def _detect(self, wb: Workbook) -> str:
        """The family whose sheets (titles first, then names) the workbook has."""
        best: tuple[int, int, int] = (0, 0, 0)
        chosen: str | None = None
        sheets = [ws for ws in wb.worksheets if ws.title != DATA_SHEET]
        for family in FAMILIES:
            layout = layout_for(family)
            titled = found = 0
            for sheet in layout.sheets:
                by_name = [ws for ws in sheets if norm(ws.title) == norm(sheet.name)]
                with_title = [ws for ws in sheets if self._has_title(ws, sheet)]
                titled += bool(with_title)
                found += bool(by_name or with_title)
            score = (titled, int(found == len(layout.sheets)), found)
            if score > best:
                best, chosen = score, family
        if chosen is None:
            raise WorkbookError(
                ["这个工作簿不是本程序导出的申报表：找不到任何一张申报表页（如“制度保障”页）。"],
                self.source,
            )
        return chosen

    # -- the project

    def _assemble(self, layout: Layout, out: _Readings, base: Project | None) -> Project:
        family = layout.family
        project = copy.deepcopy(base) if base is not None else Project(template=family)
        project.status = STATUS_DRAFT
        for path, gots in out.scalars.items():
            _set_path(project, path, self._pick(gots, base, family))
        for source, rows in out.rows.items():
            setattr(project, source, self._rows(source, rows, base, family))
        self._check(project, out)
        return project

    @staticmethod
    def _pick(gots: list[_Got], base: Project | None, family: str) -> Any:
        """The cells win; the first one that differs from what was written, when several show it."""
        if base is None:
            return next((g.value for g in gots if g.value is not None), None)
        path = gots[0].cell.field or ""
        for got in gots:
            if not _same(got.value, _reread(got.cell, _written(got.cell, base, family), family)):
                return got.value
        return field_value(base, path)

    def _rows(
        self, source: str, rows: list[_RowGot], base: Project | None, family: str
    ) -> list[Any]:
        base_rows: list[Any] = list(getattr(base, source)) if base is not None else []
        # The levels were printed in the stored project's framework (the 2025 tree …).
        fw = framework_of(base) if base is not None else DEFAULT_FRAMEWORK
        filled = [r for r in rows if not r.blank]
        used: set[int] = set()
        result: list[Any] = []
        for got in rows:
            readings = {k: g.value for k, g in got.values.items()}
            match = self._match(source, got, readings, base_rows, used, len(filled), family, fw)
            if got.blank:
                # A blank row the program printed for a blank stored row stays; others are room.
                if match is not None and match == got.position:
                    result.append(copy.deepcopy(base_rows[match]))
                    used.add(match)
                continue
            if match is not None:
                used.add(match)
                result.append(self._merge_row(source, got, base_rows[match], family, fw))
            else:
                result.append(self._new_row(source, readings))
        return result

    @staticmethod
    def _match(
        source: str,
        got: _RowGot,
        readings: dict[str, Any],
        base_rows: list[Any],
        used: set[int],
        filled: int,
        family: str,
        fw: Framework,
    ) -> int | None:
        p = got.position
        if got.blank:
            # Kept only when it still shows exactly the stored row printed there (a row
            # started but not yet named, or left blank); otherwise it is room to write in.
            if p < len(base_rows) and p not in used:
                return p if _unchanged(source, got, base_rows[p], family, fw) else None
            return None
        key = _row_key(source, readings)

        def stored_key(i: int) -> tuple[str, ...]:
            return _row_key(source, {k: getattr(base_rows[i], k, None) for k in readings})

        if p < len(base_rows) and p not in used and stored_key(p) == key:
            return p
        for i in range(len(base_rows)):
            if i not in used and stored_key(i) == key:
                return i
        # Same number of rows, nothing moved: an edited name is still the same row.
        if filled == len(base_rows) and p < len(base_rows) and p not in used:
            return p
        return None

    @staticmethod
    def _merge_row(source: str, got: _RowGot, stored: Any, family: str, fw: Framework) -> Any:
        row = copy.deepcopy(stored)
        values = got.values
        levels_kept = False
        if source == "indicators" and "level1" in values and "level2" in values:
            read = place(values["level1"].value, values["level2"].value, fw)
            # The form prints the family's words; the same place keeps the stored wording.
            levels_kept = read.placed and read == place(stored.level1, stored.level2, fw)
        for key, g in values.items():
            if levels_kept and key in ("level1", "level2"):
                continue
            if key == "stages":
                if set(g.value) != set(stored.stages):
                    row.stages = list(g.value)
                continue
            written = _written_row(source, g.cell, stored, family, fw)
            if not _same(g.value, _reread(g.cell, written, family)):
                setattr(row, key, g.value)
        if source == "indicators" and row.name is None:
            row.name = ""
        return row

    @staticmethod
    def _new_row(source: str, readings: dict[str, Any]) -> Any:
        row = ROW_TYPES[source]()
        for key, value in readings.items():
            setattr(row, key, list(value) if key == "stages" else value)
        if source == "indicators" and row.name is None:
            row.name = ""
        return row

    def _check(self, project: Project, out: _Readings) -> None:
        """What the 数据包 reader would refuse is refused here too, so the project can be saved."""
        category = project.category
        if category is not None and category.strip() and category.strip() not in CATEGORIES:
            where = next((g.where for g in out.scalars.get("category", [])), "")
            options = "、".join(CATEGORIES)
            out.fail(f"{where}：项目类别“{category[:40]}”不是可选的类别，应为 {options} 之一。")
        if len(project.name or "") > MAX_NAME_CHARS:
            where = next((g.where for g in out.scalars.get("name", [])), "")
            out.fail(f"{where}：项目名称超过 {MAX_NAME_CHARS} 个字符，请缩短后再导入。")


def _unchanged(source: str, got: _RowGot, stored: Any, family: str, fw: Framework) -> bool:
    for key, g in got.values.items():
        if key == "stages":
            if set(g.value) != set(stored.stages):
                return False
        elif not _same(
            g.value, _reread(g.cell, _written_row(source, g.cell, stored, family, fw), family)
        ):
            return False
    return True
