"""A project placed into its layout: the concrete grid every writer draws.

``place_project`` walks the layout (``layout.py``) once and returns, per sheet,
the cells with their positions, spans, values and roles. Values keep their
types (Decimal amounts, dates) so that Excel gets numbers and the PDF formats
them; the level labels are printed in the family's own words (``forms.md``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from desktop.export.layout import (
    AMOUNT,
    CHOICE,
    DATE,
    ECHO,
    STAGE,
    STAGE_ONLY_TICK,
    TITLE,
    TOTAL,
    Cell,
    Group,
    Layout,
    Line,
    Part,
    Rows,
    Sheet,
    layout_for,
)
from desktop.models.amounts import as_number
from desktop.models.labels import CATEGORY_CHOICES
from desktop.models.project import Project
from desktop.models.taxonomy import (
    DEFAULT_FRAMEWORK,
    Framework,
    framework_of,
    grouped_order,
    place,
    printed_level1,
    printed_level2,
)

# int: a COUNT cell (the 汇总表's counts).
Value = str | Decimal | dt.date | int | None

TICKED, UNTICKED = "☑", "☐"
STAGE_TICK = "✓"


@dataclass
class Placed:
    """One drawn cell: top-left at (``row``, ``col``), ``rows`` × ``cols`` big."""

    row: int
    col: int
    rows: int
    cols: int
    value: Value
    role: str
    align: str
    # The project field shown (``name``, ``funding.total``, ``indicators.3.target``), if any.
    path: str | None = None
    boxed: bool = False

    @property
    def text(self) -> str:
        """The value as printed text (amounts unformatted; writers format them)."""
        if self.value is None:
            return ""
        if isinstance(self.value, dt.date):
            return self.value.isoformat()
        return str(self.value)


@dataclass
class Section:
    """Consecutive table rows printed as one piece; its first ``header`` rows repeat on each page."""

    start: int
    end: int
    header: int = 0


@dataclass
class SheetGrid:
    sheet: Sheet
    cells: list[Placed] = field(default_factory=list)
    rows: int = 0
    table_start: int = 0
    table_end: int = 0
    sections: list[Section] = field(default_factory=list)

    def at(self, row: int, col: int) -> Placed | None:
        """The cell whose top-left is (row, col)."""
        for c in self.cells:
            if c.row == row and c.col == col:
                return c
        return None

    def by_path(self, path: str) -> Placed | None:
        for c in self.cells:
            if c.path == path:
                return c
        return None


@dataclass
class FormGrid:
    layout: Layout
    project: Project
    sheets: list[SheetGrid]


def place_project(
    project: Project, family: str | None = None, *, blank_pages: bool | None = None
) -> FormGrid:
    """Place ``project`` into the layout of ``family`` (default: the project's own).

    ``blank_pages`` False leaves out each optional page the project has no rows for
    (``Sheet.optional_source``), True keeps it blank; None places every page (the workbook,
    which the reader takes back, always has them).
    """
    layout = layout_for(family or project.family)
    sheets = [s for s in layout.sheets if _printed(s, project, blank_pages)]
    return FormGrid(layout, project, [_SheetPlacer(project, layout, s).run() for s in sheets])


def _printed(sheet: Sheet, project: Any, blank: bool | None) -> bool:
    if not sheet.optional_source or blank is None or blank:
        return True
    return bool(getattr(project, sheet.optional_source, None))


def place_document(document: Any, layout: Layout) -> list[SheetGrid]:
    """Place any object whose attributes the layout's fields name (a Project, a 汇总表)."""
    return [_SheetPlacer(document, layout, s).run() for s in layout.sheets]


# ------------------------------------------------------------------ field values


def field_value(project: Project, path: str) -> Any:
    """``funding.total`` → project.funding.total; ``signoff.date`` → None when no sign-off."""
    obj: Any = project
    for part in path.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def printed_levels(
    family: str,
    level1: str | None,
    level2: str | None,
    framework: Framework = DEFAULT_FRAMEWORK,
) -> tuple[str | None, str | None]:
    """The 一级/二级 words the family's form prints for a row in the project's framework;
    unplaced labels as written. A 一级 the clerk left blank stays blank (rule I13 reports it):
    the printed form shows what was written, in the family's words, and adds nothing."""
    placement = place(level1, level2, framework)
    if not placement.placed:
        return level1, level2
    l1 = printed_level1(family, placement) if (level1 or "").strip() else level1
    l2 = printed_level2(family, placement) if placement.level2 else level2
    return l1, l2


def choice_text(family: str, value: str | None) -> str:
    """项目类别 as the paper's boxes, the chosen one ticked; a value not offered is added ticked."""
    options = list(CATEGORY_CHOICES.get(family, ()))
    chosen = (value or "").strip()
    if chosen and chosen not in options:
        options.append(chosen)
    return " ".join(f"{TICKED if o == chosen else UNTICKED}{o}" for o in options)


def stage_text(stage: str, stages: Sequence[str], tick_only: bool = False) -> str | None:
    """``立项和计划阶段 ✓`` as on the 闵行 paper; with ``tick_only`` (a header line names the
    stage) the tick alone, nothing when the stage is not ticked."""
    if tick_only:
        return STAGE_TICK if stage in stages else None
    return f"{stage} {STAGE_TICK}" if stage in stages else stage


def period_text(project: Project) -> str:
    start = project.start_date.year if project.start_date else ""
    end = project.end_date.year if project.end_date else ""
    return f"({start}年-{end}年)"


def explanation_title(project: Project) -> str:
    """``松江区人力资源和社会保障局创业就业项目经费情况说明``, as the budget book heads it.

    A blank unit leaves ``创业就业项目经费情况说明``; a name ending in 项目 does not say it twice.
    """
    unit = (project.unit or "").strip()
    name = (project.name or "").strip().removesuffix("项目")
    return f"{unit}{name}项目经费情况说明"


def _derived(cell: Cell, project: Any) -> str | None:
    """The text of a cell derived from the project rather than one field (never read back)."""
    if cell.role == ECHO and cell.arg == "period":
        return period_text(project)
    if cell.role == TITLE and cell.arg == "explanation":
        return explanation_title(project)
    return None


def _fill(pattern: str, value: Any) -> str:
    if isinstance(value, dt.date):
        value = value.isoformat()
    return pattern.replace("{}", "" if value is None else str(value))


# ------------------------------------------------------------------ placing


class _SheetPlacer:
    # ``project`` is usually a Project; any object with the fields the layout names will do.
    def __init__(self, project: Any, layout: Layout, sheet: Sheet) -> None:
        self.project = project
        self.family = layout.family
        self.framework = framework_of(project)
        self.grid = SheetGrid(sheet)
        self.row = 0
        self.boxed = True

    def run(self) -> SheetGrid:
        sheet = self.grid.sheet
        started = False
        for line in sheet.above:
            # Boxed lines end ``above``: the table starts with the first of them.
            if line.boxed and not started:
                self.grid.table_start = self.row
                self._section_start(0)
                started = True
            self._line(line, boxed=line.boxed)
        if not started:
            self.grid.table_start = self.row
            self._section_start(0)
        # A document's lines are prose, not table cells: no borders around them.
        self.boxed = not sheet.document
        for part in sheet.table:
            self._part(part)
        self._close_section()
        self.grid.table_end = self.row
        for line in sheet.below:
            self._line(line, boxed=False)
        self.grid.rows = self.row
        return self.grid

    # sections: a Rows table starts its own, so its header repeats on every page
    def _section_start(self, header: int) -> None:
        self.grid.sections.append(Section(self.row, self.row, header))

    def _close_section(self) -> None:
        current = self.grid.sections[-1]
        current.end = self.row
        if current.end == current.start:
            self.grid.sections.pop()

    def _part(self, part: Part) -> None:
        if isinstance(part, Group):
            first = self.row
            for inner in part.parts:
                self._part(inner)
            label = part.label
            self._put(first, label, max(self.row - first, 1), label.text, boxed=True)
        elif isinstance(part, Rows):
            self._close_section()
            self._section_start(len(part.header))
            self._rows(part)
            self._close_section()
            self._section_start(0)
        else:
            self._line(part, boxed=self.boxed)

    def _put(
        self, row: int, cell: Cell, rows: int, value: Value, boxed: bool, path: str | None = None
    ) -> None:
        self.grid.cells.append(
            Placed(row, cell.col, rows, cell.span, value, cell.role, cell.alignment, path, boxed)
        )

    def _line(self, line: Line, boxed: bool) -> None:
        for cell in line.cells:
            value, path = self._value(cell)
            self._put(self.row, cell, cell.rows, value, boxed, path)
        self.row += 1

    def _value(self, cell: Cell) -> tuple[Value, str | None]:
        p = self.project
        derived = _derived(cell, p)
        if derived is not None:
            return derived, None
        if cell.field is None:
            return (cell.text or None), None
        raw = field_value(p, cell.field)
        if cell.role == CHOICE:
            return choice_text(self.family, raw), cell.field
        if cell.text:
            return _fill(cell.text, raw), (cell.field if cell.reads_back else None)
        if cell.role in (AMOUNT, DATE):
            return raw, cell.field
        return raw, cell.field

    def _rows(self, table: Rows) -> None:
        for line in table.header:
            self._line(line, boxed=True)
        items: list[Any] = list(getattr(self.project, table.source))
        if table.source == "indicators":
            # Each 一级 prints as one merged block even where the table has it split.
            items = [items[i] for i in grouped_order(items, self.framework)]
        count = max(len(items), table.min_rows)
        values = [
            self._row_values(table, items[i] if i < len(items) else None) for i in range(count)
        ]
        spans = _merge_spans(values, table.merge_down)
        first = self.row
        for i in range(count):
            filled = i < len(items)
            for cell in table.cells:
                key = _cell_key(cell)
                span = spans.get((i, key), 1)
                if span == 0:
                    continue  # covered by the merged cell above
                path = f"{table.source}.{i}.{cell.field}" if filled and cell.reads_back else None
                self._put(first + i, cell, span, values[i][key], True, path)
        self.row = first + count
        for line in table.footer:
            self._footer_line(line, table, items)

    def _row_values(self, table: Rows, item: Any) -> dict[str, Value]:
        out: dict[str, Value] = {}
        levels = (None, None)
        if item is not None and table.source == "indicators":
            levels = printed_levels(self.family, item.level1, item.level2, self.framework)
        for cell in table.cells:
            key = _cell_key(cell)
            if item is None:
                out[key] = None
            elif cell.role == ECHO:
                out[key] = _fill(cell.text or "{}", field_value(self.project, cell.field or "name"))
            elif cell.role == STAGE:
                out[key] = stage_text(cell.arg, item.stages, cell.text == STAGE_ONLY_TICK)
            elif table.source == "indicators" and cell.field in ("level1", "level2"):
                out[key] = levels[0] if cell.field == "level1" else levels[1]
            else:
                out[key] = getattr(item, cell.field or "")
        return out

    def _footer_line(self, line: Line, table: Rows, items: list[Any]) -> None:
        for cell in line.cells:
            if cell.role == TOTAL:
                numbers = [as_number(getattr(r, cell.field or "")) for r in items]
                known = [n for n in numbers if n is not None]
                self._put(self.row, cell, 1, sum(known, Decimal(0)) if known else None, True)
            elif cell.field is not None:  # a value the document holds (the 汇总表's totals)
                self._put(self.row, cell, 1, self._value(cell)[0], True)
            else:
                self._put(self.row, cell, 1, cell.text or None, True)
        self.row += 1


def _cell_key(cell: Cell) -> str:
    return f"{cell.field}:{cell.arg}" if cell.role == STAGE else f"{cell.field}@{cell.col}"


def _merge_spans(
    values: list[dict[str, Value]], merge_down: tuple[str, ...]
) -> dict[tuple[int, str], int]:
    """Row spans of merged cells: {(row, key): span}, 0 for a covered cell.

    A run of equal non-blank values merges; a field's run also breaks wherever a
    field before it in ``merge_down`` changes (a 二级 never crosses a 一级). Rows whose
    一级 the clerk left blank do not break their 二级: the blank cells stay unmerged, the
    二级 merges over them, as in the 松江 book.
    """
    spans: dict[tuple[int, str], int] = {}
    if not values:
        return spans
    keys = sorted(
        (k for k in values[0] if k.split("@")[0] in merge_down),
        key=lambda k: merge_down.index(k.split("@")[0]),
    )
    breaks = {0}
    for key in keys:
        starts = {
            i
            for i in range(len(values))
            if i in breaks or not _same(values[i][key], values[i - 1][key])
        }
        edges = [*sorted(starts), len(values)]
        for a, b in zip(edges, edges[1:], strict=False):
            if b - a > 1:
                spans[(a, key)] = b - a
                spans.update({(j, key): 0 for j in range(a + 1, b)})
        # What breaks the fields after this one: a change of value, not two blanks in a row.
        breaks |= {
            i
            for i in starts
            if i in breaks or not (_blank(values[i][key]) and _blank(values[i - 1][key]))
        }
    return spans


def _blank(value: Value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _same(a: Value, b: Value) -> bool:
    if a is None or b is None:
        return False
    if isinstance(a, str) and isinstance(b, str):
        return a.strip() != "" and a.strip() == b.strip()
    return a == b
