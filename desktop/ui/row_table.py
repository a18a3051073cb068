"""One table model for every row table of a project (绩效指标, 项目构成分解, 制度保障).

A table is described by its columns; the model edits the project's own list of
rows in place, and every edit — a cell, inserted, removed or moved rows, a paste
from Excel/WPS — is one step on the editor's undo stack. After each step
(done, undone or redone) the model calls ``changed()`` so the editor re-runs the
rules and restarts autosave; the rules' findings come back through
``set_findings`` and colour their cells.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QUndoCommand, QUndoStack

from desktop.models import taxonomy as tx
from desktop.models.amounts import (
    TOO_LARGE,
    amount_to_text,
    display_amount,
    in_bounds,
    read_amount,
)
from desktop.models.labels import label
from desktop.models.limits import MAX_FIELD_CHARS, MAX_ROWS
from desktop.models.project import (
    DEFAULT_FAMILY,
    FAMILIES,
    STAGES,
    STANDARD_GUARANTEE_KINDS,
    is_blank,
)
from desktop.models.rules.base import ERROR, Finding
from desktop.models.rules.funding_rules import row_product
from desktop.models.targets import read_target
from desktop.ui.commands import SetAttr
from desktop.ui.limits import (
    NUL,
    amount_refusal,
    cut_message,
    rows_full_message,
    rows_left_message,
)

# text: free text; amount: 元 as read by read_amount; level1/level2: taxonomy words
# offered; target: a 指标目标值, written in its standard form when it is a quantity;
# guarantee_kind: the standard 制度 offered; stage: one 保障阶段 check box.
Kind = Literal["text", "amount", "level1", "level2", "target", "guarantee_kind", "stage"]
LEVEL_KINDS: tuple[Kind, ...] = ("level1", "level2")
# A blank level cell at the top of a block pasted over a row: the row keeps its own.
_KEEP = object()
# Pasted cells that tick a 保障阶段 box (a sheet marks them with ✓, √ or a word).
_TICKS = frozenset({"✓", "√", "✔", "☑", "v", "V", "是", "有", "y", "Y", "1", "x", "X", "■"})
# What a cell's value is when the typed text cannot be stored at all (an amount too large).
_REFUSED = object()
# How many different notices one step gathers into the message the clerk sees.
_NOTICES_SHOWN = 3

ERROR_BACKGROUND = QColor("#fde2e1")
WARNING_BACKGROUND = QColor("#fff1cc")
# A warning the clerk has answered with a 说明: still visible, no longer asking.
EXPLAINED_BACKGROUND = QColor("#ececec")
EXPLAINED = "explained"  # the pseudo-severity of an answered warning in CellFindings
_PRIORITY = {ERROR: 0, "warning": 1, EXPLAINED: 2}
UNREADABLE_FOREGROUND = QColor("#b3261e")
SUGGESTION_FOREGROUND = QColor("#7a7a7a")

# (severity, message) of the finding shown on one cell, by (row, attr).
CellFindings = dict[tuple[int, str], tuple[str, str]]
_AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """One column of a row table: the row attribute it edits and how."""

    attr: str
    title: str
    kind: Kind = "text"
    width: int = 120
    # For a "stage" column: the 保障阶段 its check box stands for.
    choice: str | None = None
    # What the cell would hold if computed (明细金额 = 单价 × 数量), offered while blank.
    suggest: Callable[[Any], Decimal | None] | None = None


def INDICATOR_COLUMNS(family: str) -> list[Column]:
    """The 绩效指标 columns in the family's own words (minhang-2020 adds 备注)."""
    columns = [
        Column("level1", label("indicators.level1", family), "level1", 110),
        Column("level2", label("indicators.level2", family), "level2", 130),
        Column("name", label("indicators.name", family), "text", 240),
        Column("target", label("indicators.target", family), "target", 150),
    ]
    if family == "minhang-2020":
        columns.append(Column("note", label("indicators.note", family), "text", 160))
    return columns


BREAKDOWN_COLUMNS: list[Column] = [
    Column("content", label("breakdown.content", DEFAULT_FAMILY), "text", 160),
    Column("item", label("breakdown.item", DEFAULT_FAMILY), "text", 160),
    Column("amount", label("breakdown.amount", DEFAULT_FAMILY), "amount", 130, suggest=row_product),
    Column("unit_price", label("breakdown.unit_price", DEFAULT_FAMILY), "amount", 110),
    Column("price_basis", label("breakdown.price_basis", DEFAULT_FAMILY), "text", 160),
    Column("quantity", label("breakdown.quantity", DEFAULT_FAMILY), "amount", 90),
    Column("quantity_basis", label("breakdown.quantity_basis", DEFAULT_FAMILY), "text", 160),
    Column("note", label("breakdown.note", DEFAULT_FAMILY), "text", 140),
]

GUARANTEE_COLUMNS: list[Column] = [
    Column("kind", label("guarantees.kind", DEFAULT_FAMILY), "guarantee_kind", 120),
    Column("document", label("guarantees.document", DEFAULT_FAMILY), "text", 190),
    Column("measures", label("guarantees.measures", DEFAULT_FAMILY), "text", 220),
    *(Column("stages", stage, "stage", 104, choice=stage) for stage in STAGES),
]

# forms.md: the minhang-2020 form has no 投入和管理 rows ("—" in the taxonomy table).
_FAMILIES_WITHOUT_MANAGEMENT = frozenset({"minhang-2020"})


def level_choices(
    kind: str,
    family: str,
    level1: str | None = None,
    framework: tx.Framework = tx.DEFAULT_FRAMEWORK,
) -> list[str]:
    """The family's printed words offered for a level column, in the framework's order.

    ``kind`` is ``"level1"`` or ``"level2"`` (any other kind has no choices).
    For ``"level2"``, a written ``level1`` (in any family's wording) narrows the
    choices to the 二级 the family prints under that 一级; a 一级 that cannot be
    placed leaves all of them.
    """
    l1s = [
        l1
        for l1 in framework.level1
        if not (family in _FAMILIES_WITHOUT_MANAGEMENT and l1 == tx.MANAGEMENT)
    ]
    if kind == "level1":
        words = (tx.printed_level1(family, tx.Placement(l1, None)) for l1 in l1s)
        return _unique(w for w in words if w)
    if kind != "level2":
        return []
    wanted = _printed_parent(family, level1, framework)
    chosen: list[str | None] = []
    for l1 in l1s:
        for l2 in framework.level2[l1]:
            placement = tx.Placement(l1, l2)
            if wanted is None or tx.printed_level1(family, placement) == wanted:
                chosen.append(tx.printed_level2(family, placement))
    return _unique(w for w in chosen if w)


def _printed_parent(family: str, level1: str | None, framework: tx.Framework) -> str | None:
    """The family's printed 一级 word for a written 一级, or None when it cannot be told."""
    if is_blank(level1):
        return None
    written = (level1 or "").strip()
    printed = level_choices("level1", family, framework=framework)
    if written in printed:
        return written
    canonical = tx.level1_of(written, framework)
    if canonical is None:
        return None
    return tx.printed_level1(family, tx.Placement(canonical, None))


def _unique(words: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(words))


# ---------------------------------------------------------------- clipboard


def parse_clipboard(text: str) -> list[list[str]]:
    """Cells of a block copied from Excel/WPS: tab between cells, a line break between rows.

    Rows end in ``\\r\\n``, ``\\n`` or ``\\r``; a final line break does not start a
    row. A cell Excel quoted (because it holds a line break, a tab or quotes) is
    read back whole, ``""`` meaning one quote; a quote inside an unquoted cell
    is literal text.
    """
    rows: list[list[str]] = []
    row: list[str] = []
    i, n = 0, len(text)
    if n == 0:
        return rows
    while True:
        cell, i = _read_cell(text, i)
        row.append(cell)
        if i >= n:
            rows.append(row)
            break
        if text[i] == "\t":
            i += 1
            continue
        # a line break ends the row
        i += 2 if text.startswith("\r\n", i) else 1
        rows.append(row)
        row = []
        if i >= n:
            break
    return rows


def _read_cell(text: str, i: int) -> tuple[str, int]:
    """One cell starting at ``i``; returns it and the index of what follows it."""
    n = len(text)
    if i < n and text[i] == '"':
        parts: list[str] = []
        j = i + 1
        while j < n:
            ch = text[j]
            if ch == '"':
                if text.startswith('""', j):
                    parts.append('"')
                    j += 2
                    continue
                if j + 1 == n or text[j + 1] in "\t\r\n":
                    return "".join(parts).replace("\r\n", "\n"), j + 1
                break  # a quote in the middle: the cell was not quoted after all
            parts.append(ch)
            j += 1
    j = i
    while j < n and text[j] not in "\t\r\n":
        j += 1
    return text[i:j], j


# ---------------------------------------------------------------- undo commands


class InsertRows(QUndoCommand):
    """Insert ready-made rows (a new row, a paste) at one position."""

    def __init__(self, model: RowTableModel, position: int, rows: list[Any], text: str) -> None:
        super().__init__(text)
        self.model = model
        self.position = position
        self.rows = list(rows)

    def redo(self) -> None:
        self.model._insert(self.position, self.rows)

    def undo(self) -> None:
        self.model._remove(self.position, len(self.rows))


class RemoveRows(QUndoCommand):
    """Remove ``count`` rows from ``position``; undo puts the same row objects back."""

    def __init__(self, model: RowTableModel, position: int, count: int, text: str) -> None:
        super().__init__(text)
        self.model = model
        self.position = position
        self.count = count
        self.removed: list[Any] = []

    def redo(self) -> None:
        self.removed = self.model._remove(self.position, self.count)

    def undo(self) -> None:
        self.model._insert(self.position, self.removed)


class MoveRow(QUndoCommand):
    """Move one row so that it ends up at index ``dest``."""

    def __init__(self, model: RowTableModel, source: int, dest: int, text: str) -> None:
        super().__init__(text)
        self.model = model
        self.source = source
        self.dest = dest

    def redo(self) -> None:
        self.model._move(self.source, self.dest)

    def undo(self) -> None:
        self.model._move(self.dest, self.source)


class PlaceRows(QUndoCommand):
    """Move rows whose 一级/二级 were just set to the end of their 二级 group (part of a step).

    The moves are worked out on the first redo (after the edit that set the levels)
    and replayed or reversed afterwards, so undo puts every row back where it was.
    """

    def __init__(
        self, model: RowTableModel, targets: list[Any], inserted: Sequence[Any] = ()
    ) -> None:
        super().__init__("归入指标分组")
        self.model = model
        self.targets = list(targets)
        self.inserted = list(inserted)
        self.moves: list[tuple[int, int]] | None = None

    def redo(self) -> None:
        if self.moves is None:
            self.moves = self.model._place(self.targets, self.inserted)
            return
        for source, dest in self.moves:
            self.model._move(source, dest)

    def undo(self) -> None:
        for source, dest in reversed(self.moves or []):
            self.model._move(dest, source)


class RegroupRows(QUndoCommand):
    """Join a 一级/二级 split over separate blocks (a table imported or made before rows
    lived in their groups): blocks in first-appearance order, rows in theirs."""

    def __init__(self, model: RowTableModel, order: list[int]) -> None:
        super().__init__("归并分散的指标分组")
        self.model = model
        self.order = order

    def redo(self) -> None:
        self.model._reorder(self.order)

    def undo(self) -> None:
        back = [0] * len(self.order)
        for new, old in enumerate(self.order):
            back[old] = new
        self.model._reorder(back)


# ---------------------------------------------------------------- the model


class RowTableModel(QAbstractTableModel):
    """A project's row list as a table, edited only through the undo stack.

    The table keeps to the readers' limits (``desktop/models/limits.py``): at most
    ``MAX_ROWS`` rows, ``MAX_FIELD_CHARS`` characters in a cell, no amount too large to
    store. What would go beyond is cut or left out, and ``notice`` tells the clerk.
    """

    level_choices = staticmethod(level_choices)
    notice = Signal(str)  # a message for the clerk: a cell cut, rows left out, an amount refused

    def __init__(
        self,
        rows: list[Any],
        columns: list[Column],
        make_row: Callable[[], Any],
        undo: QUndoStack,
        changed: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._rows = rows
        self._columns: tuple[Column, ...] = tuple(columns)
        # an attribute may show in several columns (the three 保障阶段 boxes)
        self._cols_of: dict[str, list[int]] = {}
        for i, c in enumerate(self._columns):
            self._cols_of.setdefault(c.attr, []).append(i)
        self._make_row = make_row
        self._undo = undo
        self._changed = changed
        self._findings: CellFindings = {}
        self._read_only = False
        # The indicator framework whose 一级/二级 the level cells offer (by 表式 and 年度).
        self.framework: tx.Framework = tx.DEFAULT_FRAMEWORK
        # A table with 一级/二级 columns keeps each row in its group (PlaceRows).
        self._level_attrs = tuple(c.attr for c in self._columns if c.kind in LEVEL_KINDS)
        # The 表式 whose words a 一级 filled in for a row takes (set by the section).
        self.family: str | None = None
        # The rows, first column and width the last paste wrote (for the view to select).
        self.last_paste: tuple[list[Any], int, int] = ([], 0, 0)
        # The table's name in messages (绩效目标, 项目构成分解, 制度保障; set by the editor).
        self.title = "本表"
        self._told: list[str] = []  # notices gathered during one step (see _tell)

    # -- what the editor reads

    @property
    def rows(self) -> list[Any]:
        return self._rows

    @property
    def columns(self) -> tuple[Column, ...]:
        return self._columns

    def column(self, section: int) -> Column:
        return self._columns[section]

    def make_row(self) -> Any:
        """A new blank row of this table (not yet inserted)."""
        return self._make_row()

    def row_object(self, row: int) -> Any:
        return self._rows[row]

    def set_read_only(self, read_only: bool) -> None:
        """A 定稿 project: no cell, box or row changes until 撤销定稿."""
        self.beginResetModel()
        self._read_only = read_only
        self.endResetModel()

    @property
    def read_only(self) -> bool:
        return self._read_only

    def choices(self, index: _AnyIndex, family: str) -> list[str]:
        """Words offered in a cell's editor (the taxonomy, the standard 制度); none for free text."""
        if not self._valid(index):
            return []
        column = self._columns[index.column()]
        if column.kind in LEVEL_KINDS:
            level1 = getattr(self._rows[index.row()], "level1", None)
            return level_choices(column.kind, family, level1, self.framework)
        if column.kind == "guarantee_kind":
            return list(STANDARD_GUARANTEE_KINDS)
        return []

    # -- Qt model interface

    def rowCount(self, parent: _AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section].title if 0 <= section < len(self._columns) else None
        return str(section + 1) if 0 <= section < len(self._rows) else None

    def flags(self, index: _AnyIndex) -> Qt.ItemFlag:
        if not self._valid(index):
            return Qt.ItemFlag.NoItemFlags
        base = (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
        if self._read_only:
            return base
        if self._columns[index.column()].kind == "stage":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: _AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._valid(index):
            return None
        column = self._columns[index.column()]
        value = getattr(self._rows[index.row()], column.attr)
        if column.kind == "stage":
            if role == Qt.ItemDataRole.CheckStateRole:
                ticked = column.choice in (value or [])
                return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return None
        offer = self.suggestion(index.row(), index.column()) if value is None else None
        if offer is not None:
            if role == Qt.ItemDataRole.DisplayRole:
                return f"（单价×数量 {display_amount(offer)}）"
            if role == Qt.ItemDataRole.EditRole:
                return _edit_text(offer)
            if role == Qt.ItemDataRole.ForegroundRole:
                return SUGGESTION_FOREGROUND
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(column, value)
        if role == Qt.ItemDataRole.EditRole:
            return _edit_text(value)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.BackgroundRole):
            finding = self._findings.get((index.row(), column.attr))
            if finding is None:
                return None
            severity, message = finding
            if role == Qt.ItemDataRole.ToolTipRole:
                return message
            if severity == EXPLAINED:
                return EXPLAINED_BACKGROUND
            return ERROR_BACKGROUND if severity == ERROR else WARNING_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole:
            # an amount that could not be read is kept as typed; show it as suspect
            unreadable = column.kind == "amount" and isinstance(value, str)
            return UNREADABLE_FOREGROUND if unreadable else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind == "amount":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(
        self, index: _AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if not self._valid(index) or self._read_only:
            return False
        column = self._columns[index.column()]
        row = self._rows[index.row()]
        if column.kind == "stage":
            if role != Qt.ItemDataRole.CheckStateRole:
                return False
            ticked = Qt.CheckState(value) == Qt.CheckState.Checked
            new = _ticked(getattr(row, column.attr) or [], column.choice or "", ticked)
        elif role != Qt.ItemDataRole.EditRole:
            return False
        else:
            new = self._cell_value(column, value)
            self._tell()
            if new is _REFUSED:
                return False
        if _same(getattr(row, column.attr), new):
            return True
        text = f"修改{column.title}"
        command = SetAttr(row, column.attr, new, self._attr_changed, text, merge=False)
        self._push_step([command], text, [row] if column.kind in LEVEL_KINDS else [])
        return True

    def insertRows(
        self,
        row: int,
        count: int,
        parent: _AnyIndex = QModelIndex(),
    ) -> bool:
        if parent.isValid() or count < 1 or not 0 <= row <= len(self._rows):
            return False
        self.insert_rows(row, [self._make_row() for _ in range(count)])
        return True

    def removeRows(
        self,
        row: int,
        count: int,
        parent: _AnyIndex = QModelIndex(),
    ) -> bool:
        if parent.isValid() or count < 1 or row < 0 or row + count > len(self._rows):
            return False
        self.remove_rows(row, count)
        return True

    def moveRows(
        self,
        sourceParent: _AnyIndex,
        sourceRow: int,
        count: int,
        destinationParent: _AnyIndex,
        destinationChild: int,
    ) -> bool:
        if sourceParent.isValid() or destinationParent.isValid() or count != 1:
            return False
        if not 0 <= sourceRow < len(self._rows) or not 0 <= destinationChild <= len(self._rows):
            return False
        # Qt names the row to insert before (old numbering); move_row the final index
        dest = destinationChild - 1 if destinationChild > sourceRow else destinationChild
        if dest != sourceRow:
            self.move_row(sourceRow, dest)
        return True

    # -- undoable row operations

    def suggestion(self, row: int, col: int) -> Decimal | None:
        """The computed value a cell offers (单价 × 数量, to the fen), or None."""
        column = self._columns[col]
        if column.suggest is None:
            return None
        value = column.suggest(self._rows[row])
        return None if value is None else value.quantize(Decimal("0.01"))

    def fill_suggestions(self, rows: Iterable[int]) -> int:
        """Put each computed value (单价 × 数量) into its cell: one undo step; returns cells changed."""
        cells = []
        for row in rows:
            for col, column in enumerate(self._columns):
                offer = self.suggestion(row, col)
                if offer is not None:
                    cells.append((row, column.attr, offer))
        return self.set_cells(cells, "按单价×数量填入")

    def set_cells(self, cells: Iterable[tuple[int, str, Any]], text: str) -> int:
        """Set several cells (row, attr, value as typed) as one undo step; returns how many changed."""
        if self._read_only:
            return 0
        changes: list[QUndoCommand] = []
        placed: list[Any] = []
        for row, attr, value in cells:
            column = self._columns[self._cols_of[attr][0]]
            target = self._rows[row]
            new = self._cell_value(column, value)
            if new is not _REFUSED and not _same(getattr(target, attr), new):
                changes.append(SetAttr(target, attr, new, self._attr_changed, text, merge=False))
                if column.kind in LEVEL_KINDS:
                    placed.append(target)
        self._tell()
        if not changes:
            return 0
        self._push_step(changes, text, placed, macro=True)
        return len(changes)

    def insert_rows(self, position: int, rows: list[Any]) -> None:
        """Insert ``rows`` before ``position`` (``len`` appends): one undo step."""
        if self._read_only:
            return
        if not 0 <= position <= len(self._rows):
            raise IndexError(f"insert position {position} outside 0..{len(self._rows)}")
        if not rows:
            return
        rows = rows[: self.rows_that_fit(len(rows))]
        if not rows:
            return
        text = "插入 1 行" if len(rows) == 1 else f"插入 {len(rows)} 行"
        placed = self._with_levels(rows)
        self._push_step([InsertRows(self, position, rows, text)], text, placed, inserted=placed)

    def rows_that_fit(self, count: int) -> int:
        """How many of ``count`` new rows fit under ``MAX_ROWS``; the clerk is told of the rest."""
        room = MAX_ROWS - len(self._rows)
        if room <= 0:
            self.notice.emit(rows_full_message(self.title))
            return 0
        if count > room:
            self.notice.emit(rows_left_message(self.title, room, count - room))
            return room
        return count

    def insert_new_row(self, position: int) -> None:
        """Insert one blank row made by ``make_row``."""
        self.insert_rows(position, [self._make_row()])

    def remove_rows(self, position: int, count: int) -> None:
        """Remove ``count`` rows from ``position``: one undo step."""
        if self._read_only:
            return
        if count < 1:
            return
        if position < 0 or position + count > len(self._rows):
            raise IndexError(f"rows {position}..{position + count - 1} outside the table")
        self._undo.push(RemoveRows(self, position, count, f"删除 {count} 行"))

    def remove_row_set(self, rows: Iterable[int]) -> None:
        """Remove the rows numbered ``rows`` (any order, gaps allowed): one undo step."""
        if self._read_only:
            return
        chosen = sorted(set(rows), reverse=True)
        if not chosen:
            return
        if chosen[0] >= len(self._rows) or chosen[-1] < 0:
            raise IndexError(f"rows {chosen} outside the table")
        text = f"删除 {len(chosen)} 行"
        commands: list[QUndoCommand] = [RemoveRows(self, r, 1, text) for r in chosen]
        self._push_step(commands, text)

    def move_row(self, source: int, dest: int) -> None:
        """Move row ``source`` so it ends up at index ``dest``: one undo step."""
        if self._read_only:
            return
        n = len(self._rows)
        if not (0 <= source < n and 0 <= dest < n):
            raise IndexError(f"move {source} → {dest} outside 0..{n - 1}")
        if source == dest:
            return
        self._undo.push(MoveRow(self, source, dest, "上移一行" if dest < source else "下移一行"))

    def paste_text(self, text: str, at_row: int, at_col: int = 0, insert: bool = False) -> int:
        """Paste a block copied from Excel/WPS at cell (``at_row``, ``at_col``): one undo step.

        As in Excel, the block fills cells from that cell rightwards and downwards,
        overwriting them; rows are added only for the lines that run past the last
        row. With ``insert`` (whole rows selected) the lines become new rows
        inserted before ``at_row``, filled from the first column.

        A header line (the form's own column words) is skipped, and so are blank
        lines; leading columns that are blank in every line and beyond the
        table's width (the sheet's merged 绩效指标 label column) are dropped. In a
        level column a blank cell repeats the value above (merged cells come
        over blank) — a 二级 only while its 一级 is also repeated, as a merged
        cell never spans two 一级. Rows given a 一级/二级 take their place in their
        group. Returns the number of lines pasted.
        """
        if self._read_only or not self._columns:
            return 0
        at_row = max(0, min(at_row, len(self._rows)))
        at_col = 0 if insert else max(0, min(at_col, len(self._columns) - 1))
        columns = self._columns[at_col:]
        lines = [cells for cells in parse_clipboard(text) if any(not is_blank(c) for c in cells)]
        if lines and self._is_header(lines[0]):
            lines = lines[1:]
        lines = self._drop_label_columns(lines, len(columns))
        if not lines:
            return 0
        # rows are added only up to MAX_ROWS: what fits is pasted, the rest is left out
        overwritten = 0 if insert else min(len(lines), len(self._rows) - at_row)
        room = max(0, MAX_ROWS - len(self._rows))
        left = max(0, len(lines) - overwritten - room)
        if left:
            lines = lines[: len(lines) - left]
            self._told.append(
                rows_left_message(self.title, len(lines), left, "粘贴")
                if lines
                else rows_full_message(self.title)
            )
        if not lines:
            self._tell()
            return 0
        covered = columns[: min(len(columns), max(len(cells) for cells in lines))]
        above = self._rows[at_row - 1] if at_row > 0 else None
        existing = [] if insert else self._rows[at_row : at_row + len(lines)]
        # blank level cells at the top of the block: a new row continues the row above,
        # a row pasted over keeps its own group
        previous: dict[str, Any] = {
            a: _KEEP if existing else getattr(above, a) if above is not None else None
            for a in self._level_attrs
        }
        text_of_step = f"粘贴 {len(lines)} 行"
        commands: list[QUndoCommand] = []
        new_rows: list[Any] = []
        placed: list[Any] = []
        for k, cells in enumerate(lines):
            target = existing[k] if k < len(existing) else None
            row = target if target is not None else self._make_row()
            values = self._pasted_values(row, covered, cells, previous)
            if target is None:
                # a row added past the end stays in the group above unless the block says
                last = new_rows[-1] if new_rows else existing[-1] if existing else above
                for attr in self._level_attrs:
                    if attr not in values and last is not None:
                        setattr(row, attr, getattr(last, attr))
                for attr, value in values.items():
                    setattr(row, attr, value)
                new_rows.append(row)
                continue
            for attr, value in values.items():
                if _same(getattr(row, attr), value):
                    continue
                commands.append(
                    SetAttr(row, attr, value, self._attr_changed, text_of_step, merge=False)
                )
                if attr in self._level_attrs and not any(r is row for r in placed):
                    placed.append(row)
        if new_rows:
            position = at_row if insert else len(self._rows)
            commands.append(InsertRows(self, position, new_rows, text_of_step))
            placed += self._with_levels(new_rows)
        if commands:
            self._push_step(commands, text_of_step, placed, macro=True, inserted=new_rows)
        self._tell()
        self.last_paste = (
            [*existing[: len(lines)], *new_rows],
            at_col,
            len(covered),
        )
        return len(lines)

    def _pasted_values(
        self, row: Any, covered: Sequence[Column], cells: list[str], previous: dict[str, Any]
    ) -> dict[str, Any]:
        """What one pasted line writes into ``row``'s covered columns (levels carried down)."""
        values: dict[str, Any] = {}
        carrying = True
        for i, column in enumerate(covered):
            raw = cells[i] if i < len(cells) else ""
            if column.kind == "stage":
                stages = values.get(column.attr, getattr(row, column.attr) or [])
                values[column.attr] = _ticked(stages, column.choice or "", raw.strip() in _TICKS)
                continue
            value = self._cell_value(column, raw)
            if value is _REFUSED:
                continue  # the cell keeps what it has (the clerk is told)
            if column.kind in LEVEL_KINDS:
                if value is None and carrying:
                    value = previous.get(column.attr)
                    if value is _KEEP:
                        previous[column.attr] = getattr(row, column.attr)
                        continue
                elif value is not None:
                    carrying = False  # a new merged range starts here
                previous[column.attr] = value
            values[column.attr] = value
        return values

    # -- the limits

    def _cell_value(self, column: Column, value: Any) -> Any:
        """What a typed or pasted cell stores, held to the limits; ``_REFUSED`` when nothing.

        A text beyond ``MAX_FIELD_CHARS`` is cut; an amount too large to store is refused
        (``amount_refusal``); an unreadable amount is kept as typed with ``read_amount``'s
        message. The clerk is told by ``_tell`` once the step is done.
        """
        if isinstance(value, str) and column.kind != "stage":
            value = value.replace(NUL, "")  # no file, and no database, can hold a NUL
            if column.kind == "amount":
                reading = read_amount(value)
                refusal = amount_refusal(value, reading)
                if refusal is not None:
                    self._told.append(f"{column.title}：{refusal}。未录入，单元格保留原值。")
                    return _REFUSED
                if reading.error is not None:
                    self._told.append(f"{column.title}：{reading.error}。")
            elif len(value) > MAX_FIELD_CHARS:
                value = value[:MAX_FIELD_CHARS]
                self._told.append(cut_message(column.title, MAX_FIELD_CHARS))
        elif column.kind == "amount" and isinstance(value, Decimal) and not in_bounds(value):
            # a value the program worked out (单价 × 数量 …) is held to the bound as well
            self._told.append(f"{column.title}：{TOO_LARGE}。未录入，单元格保留原值。")
            return _REFUSED
        return _coerce(column, value)

    def _tell(self) -> None:
        """Say what the step just done cut, left out or refused (one message), if anything."""
        told, self._told = list(dict.fromkeys(self._told)), []
        if told:
            shown = told[:_NOTICES_SHOWN]
            more = f"（另有 {len(told) - len(shown)} 条类似提示）" if len(told) > len(shown) else ""
            self.notice.emit("".join(shown) + more)

    # -- rows in their group

    def _push_step(
        self,
        commands: list[QUndoCommand],
        text: str,
        placed: Sequence[Any] = (),
        macro: bool = False,
        inserted: Sequence[Any] = (),
    ) -> None:
        """Push ``commands`` as one undo step, then move ``placed`` rows into their group.

        Rows ``inserted`` where the clerk asked stay there when they join a row of their
        group above or below; rows whose levels changed go to the end of the group.
        """
        targets: list[Any] = []
        for row in placed if self._level_attrs else ():
            if not any(row is t for t in targets):
                targets.append(row)
        if len(commands) == 1 and not targets and not macro:
            self._undo.push(commands[0])
            return
        self._undo.beginMacro(text)
        for command in commands:
            self._undo.push(command)
        if targets:
            # a 一级 the step itself wrote (or cleared) is the clerk's: not filled in
            written = [c.target for c in commands if isinstance(c, SetAttr) and c.attr == "level1"]
            unwritten = [r for r in targets if not any(r is w for w in written)]
            for command in self._level1_fills(unwritten, text):
                self._undo.push(command)
            self._undo.push(PlaceRows(self, targets, inserted))
        self._undo.endMacro()

    def _level1_fills(self, targets: Sequence[Any], text: str) -> list[QUndoCommand]:
        """A 一级 for rows given only a 二级, so their group shows one 一级 (the table's word)."""
        if "level1" not in self._level_attrs:
            return []
        fills: list[QUndoCommand] = []
        for row in targets:
            placement = self._placement(row)
            if not is_blank(getattr(row, "level1", None)) or placement.level2 is None:
                continue
            written = (
                r.level1
                for r in self._rows
                if not is_blank(getattr(r, "level1", None))
                and tx.level1_of(r.level1, self.framework) == placement.level1
            )
            word = next(written, None)
            if word is None and self.family is not None:
                word = tx.printed_level1(self.family, placement)
            word = word or placement.level1
            fills.append(SetAttr(row, "level1", word, self._attr_changed, text, merge=False))
        return fills

    def _with_levels(self, rows: Iterable[Any]) -> list[Any]:
        """The rows that have a 一级 or 二级 written (none in a table without levels)."""
        return [
            r for r in rows if any(not is_blank(getattr(r, a, None)) for a in self._level_attrs)
        ]

    def same_group(self, a: int, b: int) -> bool:
        """Whether rows ``a`` and ``b`` may swap places: same 二级 group, or a table without
        levels, or either row not placed (its group is not known)."""
        if not self._level_attrs:
            return True
        first, second = self._placement(self._rows[a]), self._placement(self._rows[b])
        return first == second or not first.placed or not second.placed

    def _placement(self, row: Any) -> tx.Placement:
        return tx.place(getattr(row, "level1", None), getattr(row, "level2", None), self.framework)

    def _place(self, targets: Sequence[Any], inserted: Sequence[Any] = ()) -> list[tuple[int, int]]:
        """Move each target row to the end of its 二级 group; returns the moves made.

        Targets are placed in table order, so rows given the same group in one step
        keep their order; a row that cannot be placed, or already continues its group
        from the row above, stays where it is.
        """
        pending = [r for r in self._rows if any(r is t for t in targets)]
        moves: list[tuple[int, int]] = []
        for k, row in enumerate(pending):
            source = next((i for i, r in enumerate(self._rows) if r is row), None)
            if source is None:
                continue
            beside = any(row is r for r in inserted)
            dest = self._home(source, pending[k + 1 :], beside)
            if dest is not None and dest != source:
                self._move(source, dest)
                moves.append((source, dest))
        return moves

    def _home(self, source: int, unsettled: Sequence[Any], beside: bool = False) -> int | None:
        """Where row ``source`` belongs (its final index), or None to leave it."""
        row = self._rows[source]
        placement = self._placement(row)
        if not placement.placed:
            return None

        def settled(other: Any) -> bool:
            return other is not row and not any(other is u for u in unsettled)

        # already continuing its group from the row above (or, for a row inserted
        # there, joining it from the row below)
        for n in (source - 1, source + 1) if beside else (source - 1,):
            near = self._rows[n] if 0 <= n < len(self._rows) else None
            if near is not None and settled(near) and self._placement(near) == placement:
                return None
        rank = tx.rank(placement, self.framework)
        others = [r for r in self._rows if r is not row]
        last_same, lower, higher = None, -1, len(others)
        for i, other in enumerate(others):
            there = self._placement(other)
            if not settled(other) or not there.placed:
                continue
            if there == placement:
                last_same = i
            elif tx.rank(there, self.framework) < rank:
                lower = i
            elif tx.rank(there, self.framework) > rank and higher == len(others):
                higher = i
        if last_same is not None:
            return last_same + 1
        # no row of its group yet: anywhere between the groups before and after it
        if lower < source <= higher:
            return None
        return lower + 1 if source <= lower else higher

    # -- findings

    def set_findings(self, by_cell: CellFindings) -> None:
        """Show the rules' findings: cell colour by severity, the message as tooltip."""
        if by_cell == self._findings:
            return
        self._findings = dict(by_cell)
        if self._rows and self._columns:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._rows) - 1, len(self._columns) - 1),
                [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole],
            )

    def finding_at(self, row: int, attr: str) -> tuple[str, str] | None:
        return self._findings.get((row, attr))

    @staticmethod
    def findings_by_cell(findings: Iterable[Finding], prefix: str) -> CellFindings:
        """Findings on cells of one table (``prefix`` 'indicators' or 'breakdown').

        Only findings naming a cell (``indicators[3].target``) are kept; an error
        wins over a warning, a warning over an answered one (grey, its 说明 in the
        tooltip), and several findings of the same kind show their messages one per line.
        """
        pattern = re.compile(rf"{re.escape(prefix)}\[(\d+)\]\.(\w+)")
        out: CellFindings = {}
        for finding in findings:
            m = pattern.fullmatch(finding.field)
            if not m:
                continue
            key = (int(m.group(1)), m.group(2))
            explanation = finding.explanation
            if explanation and finding.severity != ERROR:
                kind, message = EXPLAINED, f"{finding.message}\n已说明：{explanation}"
            else:
                kind, message = finding.severity, finding.message
            have = out.get(key)
            if have is None or _PRIORITY[kind] < _PRIORITY[have[0]]:
                out[key] = (kind, message)
            elif have[0] == kind and message not in have[1].split("\n"):
                out[key] = (have[0], f"{have[1]}\n{message}")
        return out

    # -- the mutations themselves (only the undo commands call these)

    def _insert(self, position: int, rows: Sequence[Any]) -> None:
        self.beginInsertRows(QModelIndex(), position, position + len(rows) - 1)
        self._rows[position:position] = rows
        self.endInsertRows()
        self._changed()

    def _remove(self, position: int, count: int) -> list[Any]:
        self.beginRemoveRows(QModelIndex(), position, position + count - 1)
        removed = self._rows[position : position + count]
        del self._rows[position : position + count]
        self.endRemoveRows()
        self._changed()
        return removed

    def _reorder(self, order: list[int]) -> None:
        """Rows in the given order of their current indexes (a permutation)."""
        self.layoutAboutToBeChanged.emit()
        self._rows[:] = [self._rows[i] for i in order]
        self.layoutChanged.emit()
        self._changed()

    def regroup(self) -> int:
        """Join split 一级/二级 blocks as one undo step; the number of rows that moved."""
        order = tx.grouped_order(self._rows, self.framework)
        moved = sum(1 for new, old in enumerate(order) if new != old)
        if moved and not self._read_only:
            self._undo.push(RegroupRows(self, order))
            return moved
        return 0

    def _move(self, source: int, dest: int) -> None:
        qt_dest = dest + 1 if dest > source else dest
        if not self.beginMoveRows(QModelIndex(), source, source, QModelIndex(), qt_dest):
            raise IndexError(f"cannot move row {source} to {dest}")  # pragma: no cover
        self._rows.insert(dest, self._rows.pop(source))
        self.endMoveRows()
        self._changed()

    def _attr_changed(self, target: Any, attr: str) -> None:
        row = next((i for i, r in enumerate(self._rows) if r is target), None)
        cols = self._cols_of.get(attr)
        if row is not None and cols:
            self.dataChanged.emit(self.index(row, cols[0]), self.index(row, cols[-1]))
        self._changed()

    # -- helpers

    def _valid(self, index: _AnyIndex) -> bool:
        return (
            index.isValid()
            and not index.parent().isValid()
            and 0 <= index.row() < len(self._rows)
            and 0 <= index.column() < len(self._columns)
        )

    def _header_words(self) -> set[str]:
        words = {c.title for c in self._columns}
        for column in self._columns:
            for table in ("indicators", "breakdown", "guarantees"):
                words.update(label(f"{table}.{column.attr}", fam) for fam in FAMILIES)
        return words

    def _is_header(self, cells: list[str]) -> bool:
        words = self._header_words()
        return sum(1 for c in cells if c.strip() in words) >= 2

    def _drop_label_columns(self, lines: list[list[str]], available: int) -> list[list[str]]:
        if not lines:
            return lines
        width = max(_filled_width(cells) for cells in lines)
        extra = width - available
        if extra > 0 and all(all(is_blank(c) for c in cells[:extra]) for cells in lines):
            return [cells[extra:] for cells in lines]
        return lines


def _filled_width(cells: list[str]) -> int:
    """How many cells a line has up to its last non-blank one."""
    for i in range(len(cells), 0, -1):
        if not is_blank(cells[i - 1]):
            return i
    return 0


def _coerce(column: Column, value: Any) -> Any:
    """What a typed or pasted cell stores: None for blank, a Decimal for a readable amount."""
    if value is None:
        return None
    if column.kind == "amount":
        if isinstance(value, Decimal):
            return value
        text = str(value)
        reading = read_amount(text)
        if reading.error is not None:
            return text.strip()  # kept as typed; rule F01 names it
        return reading.value
    text = value if isinstance(value, str) else str(value)
    if is_blank(text):
        return None
    if column.kind == "target":
        # A quantity is written the one way the bureau expects (">= 95 %" → "≥95%").
        target = read_target(text)
        return target.standard if target.is_quantity else text
    return text


def _ticked(stages: list[str], stage: str, on: bool) -> list[str]:
    """The 保障阶段 list with one stage ticked or not; ticked stages keep the form's order."""
    chosen = set(stages) | {stage} if on else set(stages) - {stage}
    known = [s for s in STAGES if s in chosen]
    return known + [s for s in stages if s in chosen and s not in STAGES]


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) and isinstance(new, Decimal):
        return str(old) == str(new)  # 10.00 and 10 are different writings
    return type(old) is type(new) and old == new


def _display(column: Column, value: Any) -> str:
    if column.kind == "amount":
        return display_amount(value)
    return "" if value is None else str(value)


def _edit_text(value: Any) -> str:
    return amount_to_text(value) or ""  # the plain value: "1159620.00", or the text as typed


# ---------------------------------------------------------------- how the table reads


def level_spans(rows: Sequence[Any]) -> list[tuple[int, str, int]]:
    """Merged 一级/二级 cells as on paper: (first row, attr, row count) of each run longer than one.

    A run is consecutive rows with the same written 一级 (and, for 二级, the same
    二级 inside that 一级's run). Blank labels never merge.
    """
    spans: list[tuple[int, str, int]] = []

    def runs(start: int, stop: int, attr: str) -> list[tuple[int, int]]:
        found, first = [], start
        for i in range(start + 1, stop + 1):
            here = _label(getattr(rows[first], attr, None))
            if i == stop or _label(getattr(rows[i], attr, None)) != here or here is None:
                found.append((first, i - first))
                first = i
        return found

    for first, count in runs(0, len(rows), "level1") if rows else []:
        if count > 1 and _label(rows[first].level1) is not None:
            spans.append((first, "level1", count))
        for first2, count2 in runs(first, first + count, "level2"):
            if count2 > 1:
                spans.append((first2, "level2", count2))
    return spans


def _label(value: Any) -> str | None:
    return None if is_blank(value) else "".join(str(value).split())


def describe_target(text: str) -> str:
    """Help under the table: how a 指标目标值 is read, and its standard form."""
    if is_blank(text):
        return "指标值写法：比较符 + 数值 + 单位，可加括号备注，如 ≥95%、=12月 (年底前完成)；定性指标写 健全、及时 等。"
    t = read_target(text)
    if t.kind == "quantity":
        parts = [
            f"比较符 {t.comparator or '（无）'}",
            f"数值 {t.number_text}",
            f"单位 {t.unit or '（无）'}",
        ]
        if t.note:
            parts.append(f"备注 {t.note}")
        return "　".join(parts) + f"　→ 标准写法：{t.standard}"
    if t.kind == "word":
        note = f"　备注 {t.note}" if t.note else ""
        return f"定性指标值“{t.word}”{note}　→ 标准写法：{t.standard}"
    return "没有读出数值：定量指标请写成 比较符 + 数值 + 单位，如 ≥95%、≤30天。"
