"""One description of each official table (``forms.md``), for every writer and the reader.

A layout is data, not drawing code: each sheet is a grid of columns; its
lines name, cell by cell, the fixed words and the field each value comes
from. ``grid.py`` places a project into that grid; the xlsx and PDF writers
draw any placed grid, and the xlsx reader walks the same description to find
the values again. A new form family is a new layout here, nothing more.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

# Cell roles. Fixed words: title, subtitle, caption, label, header, heading (a
# section heading of a document sheet, bold on its own line: 一、项目概述).
# Values: text, long (paragraphs, flows across pages), amount, date, choice
# (项目类别 as ticked boxes), stage (a 保障阶段 tick). Derived, never read back:
# echo (the project name repeated, the period) and total (a column sum). Count: a
# whole number (the 汇总表's indicator and finding counts), a number in Excel.
TITLE, SUBTITLE, CAPTION, LABEL, HEADER = "title", "subtitle", "caption", "label", "header"
HEADING = "heading"
TEXT, LONG, AMOUNT, DATE, CHOICE, STAGE = "text", "long", "amount", "date", "choice", "stage"
ECHO, TOTAL, COUNT = "echo", "total", "count"

VALUE_ROLES = frozenset({TEXT, LONG, AMOUNT, DATE, CHOICE, STAGE})
# Roles whose text comes from the project but is not one of its fields.
DERIVED_ROLES = frozenset({ECHO, TOTAL})
# A STAGE cell with this text prints the tick alone: a header line names its stage.
STAGE_ONLY_TICK = "✓"

_DEFAULT_ALIGN = {
    TITLE: "center",
    SUBTITLE: "center",
    CAPTION: "left",
    LABEL: "center",
    HEADER: "center",
    HEADING: "left",
    TEXT: "left",
    LONG: "left",
    AMOUNT: "right",
    DATE: "center",
    CHOICE: "left",
    STAGE: "center",
    ECHO: "left",
    TOTAL: "right",
    COUNT: "center",
}


@dataclass(frozen=True)
class Cell:
    """One cell of a line: ``span`` columns wide from column ``col`` (0-based).

    ``text`` holds fixed words; with a ``field`` it is a pattern whose ``{}`` the
    value fills (``"填报单位（盖章）：{}"``). Fields are paths: ``name``,
    ``funding.total``, ``signoff.date``; in a row table, the row's attribute.
    """

    col: int
    span: int = 1
    text: str = ""
    field: str | None = None
    role: str = LABEL
    align: str = ""
    # For a STAGE cell: the stage it ticks. For an ECHO or a TITLE: what it derives
    # (``period``: (2020年-2020年); ``explanation``: the 项目经费情况说明's title).
    arg: str = ""
    # Rows the cell is merged down over, in its line and the lines below it (a header
    # cell standing beside a two-line header: 制度保障 beside 保障阶段 over its stages).
    rows: int = 1

    @property
    def alignment(self) -> str:
        return self.align or _DEFAULT_ALIGN[self.role]

    @property
    def reads_back(self) -> bool:
        return self.field is not None and self.role not in DERIVED_ROLES


@dataclass(frozen=True)
class Line:
    """One row of fixed cells.

    ``boxed`` draws a line above the table as the table's bordered first row (the 项目名称
    line of the 制度保障 page): derived words, so the reader still finds the table below it.
    """

    cells: tuple[Cell, ...]
    boxed: bool = False


@dataclass(frozen=True)
class Rows:
    """A table with one line per row of ``source`` (``indicators``, ``breakdown``, ``guarantees``).

    The header lines repeat on every printed page. Consecutive equal values of a
    ``merge_down`` field are merged into one cell, as on paper; a blank never merges.
    """

    source: str
    header: tuple[Line, ...]
    cells: tuple[Cell, ...]
    merge_down: tuple[str, ...] = ()
    footer: tuple[Line, ...] = ()
    # Blank lines printed when the project has fewer rows (room to write by hand).
    min_rows: int = 1


@dataclass(frozen=True)
class Group:
    """A label in the first column merged down over every line of ``parts`` (项目资金, 绩效指标)."""

    label: Cell
    parts: tuple[Line | Rows, ...]


Part = Line | Rows | Group


@dataclass(frozen=True)
class Sheet:
    """One official table: one Excel sheet, one or more printed pages."""

    key: str
    name: str
    # Column widths in Excel character units; the PDF scales them to the page.
    widths: tuple[float, ...]
    above: tuple[Line, ...]
    table: tuple[Part, ...]
    below: tuple[Line, ...] = ()
    landscape: bool = False
    # A headed document (项目经费情况说明), not a table: no borders, every line a
    # paragraph of its own, so the PDF flows long texts across pages as prose.
    document: bool = False
    # A page printed only when the project has rows of this source, or when the clerk asks
    # for the blank page to fill in by hand (the 2021 form's 制度保障). Empty: always printed.
    optional_source: str = ""

    @property
    def columns(self) -> int:
        return len(self.widths)


@dataclass(frozen=True)
class Layout:
    family: str
    title: str
    sheets: tuple[Sheet, ...]
    fields: frozenset[str] = field(default_factory=frozenset)


# ------------------------------------------------------------------ helpers


def _label(col: int, text: str, span: int = 1, align: str = "") -> Cell:
    return Cell(col, span, text=text, role=LABEL, align=align)


def _value(col: int, key: str, span: int = 1, role: str = TEXT) -> Cell:
    return Cell(col, span, field=key, role=role)


def _blank(col: int, span: int = 1) -> Cell:
    return Cell(col, span, role=LABEL)


def _header(*cells: tuple[int, int, str]) -> Line:
    return Line(tuple(Cell(c, s, text=t, role=HEADER) for c, s, t in cells))


def _columns(source: str, *columns: tuple[int, int, str, Cell], **options: object) -> Rows:
    """A row table whose columns each have one header over one cell: (col, span, header, cell)."""
    return Rows(
        source=source,
        header=(_header(*((col, span, words) for col, span, words, _ in columns)),),
        cells=tuple(cell for *_, cell in columns),
        **options,  # type: ignore[arg-type]
    )


def _title(text: str, columns: int) -> Line:
    return Line((Cell(0, columns, text=text, role=TITLE),))


def _year(pattern: str, columns: int) -> Line:
    return Line((Cell(0, columns, text=pattern, field="year", role=SUBTITLE),))


def _guarantee_rows(stage_header: bool) -> Rows:
    """The 制度保障 table (A3): 制度保障 | 文件名称 | 具体措施 | 保障阶段 over three columns.

    As on the 闵行 paper, each 保障阶段 cell names its stage and ticks it (立项和计划阶段 ✓);
    with ``stage_header`` a second header line names the three stages under 保障阶段 and
    the cells below hold the tick alone.
    """
    from desktop.models.project import STAGES

    fixed = ((0, "制度保障"), (1, "文件名称"), (2, "具体措施"))
    depth = 2 if stage_header else 1
    header = [
        Line(
            (
                *(Cell(c, text=t, role=HEADER, rows=depth) for c, t in fixed),
                Cell(3, 3, text="保障阶段", role=HEADER),
            )
        )
    ]
    if stage_header:
        header.append(_header(*((3 + i, 1, stage) for i, stage in enumerate(STAGES))))
    tick = STAGE_ONLY_TICK if stage_header else ""
    return Rows(
        source="guarantees",
        header=tuple(header),
        cells=(
            _value(0, "kind"),
            _value(1, "document", role=LONG),
            _value(2, "measures", role=LONG),
            *(
                Cell(3 + i, text=tick, field="stages", role=STAGE, arg=stage)
                for i, stage in enumerate(STAGES)
            ),
        ),
        min_rows=3,
    )


def _guarantee_sheet(
    year_pattern: str, *, stage_header: bool = False, optional: bool = False
) -> Sheet:
    columns = 6
    return Sheet(
        key="A3",
        name="制度保障",
        widths=(14, 28, 36, 18, 12, 18),
        above=(
            _title("项目支出绩效目标申报表(制度保障)", columns),
            _year(year_pattern, columns),
            # On paper the 项目名称 line is the table's first bordered row.
            Line((Cell(0, columns, text="项目名称：{}", field="name", role=ECHO),), boxed=True),
        ),
        table=(_guarantee_rows(stage_header),),
        # Six columns, two of long text: landscape keeps 立项和计划阶段 ✓ on one line.
        landscape=True,
        optional_source="guarantees" if optional else "",
    )


# ------------------------------------------------------------------ minhang-2020


def _minhang_general() -> Sheet:
    columns = 4
    funding = (
        ("一、项目总预算：", "funding.total"),
        ("二、当年预算：", "funding.annual"),
        ("（一）财政拨款：", "funding.annual_fiscal"),
        ("1. 上级财政拨款：", "funding.upper"),
        ("2. 本级财政安排：", "funding.local"),
        ("3. 下级财政配套：", "funding.lower"),
        ("（二）其他资金：", "funding.annual_other"),
    )
    long_rows = (
        ("项目概况", "overview"),
        ("项目立项情况", "establishment"),
    )
    after = (
        ("项目相关资源投入和制度建设情况", "resources"),
        ("项目总目标", "overall_goal"),
        ("年度绩效目标", "annual_goal"),
        ("需要说明的其他问题", "other_issues"),
    )
    return Sheet(
        key="A1",
        name="项目总体情况",
        widths=(16, 30, 14, 30),
        above=(
            _title("财政项目支出绩效目标申报表（项目总体情况）", columns),
            _year("（ {} 年）", columns),
            Line(
                (
                    # As on paper: no colon after （盖章）, where the stamp goes.
                    Cell(0, 2, text="填报单位（盖章）{}", field="unit", role=CAPTION),
                    Cell(2, 2, text="金额单位：元", role=CAPTION, align="right"),
                )
            ),
        ),
        table=(
            Line((_label(0, "项目名称"), _value(1, "name", 3))),
            Line((_label(0, "项目类别"), _value(1, "category", 3, role=CHOICE))),
            Line(
                (
                    _label(0, "项目负责人："),
                    _value(1, "leader"),
                    _label(2, "联系人："),
                    _value(3, "contact"),
                )
            ),
            Line((_blank(0), _blank(1), _label(2, "联系电话："), _value(3, "phone"))),
            Line(
                (
                    _label(0, "起始日期："),
                    _value(1, "start_date", role=DATE),
                    _label(2, "结束日期："),
                    _value(3, "end_date", role=DATE),
                )
            ),
            *(Line((_label(0, words), _value(1, key, 3, role=LONG))) for words, key in long_rows),
            Group(
                _label(0, "项目资金"),
                tuple(
                    Line((_label(1, words, 2, align="left"), _value(3, key, role=AMOUNT)))
                    for words, key in funding
                ),
            ),
            *(Line((_label(0, words), _value(1, key, 3, role=LONG))) for words, key in after),
        ),
        below=(
            Line(
                (
                    Cell(0, 1, text="填报单位负责人：{}", field="signoff.unit_head", role=CAPTION),
                    Cell(
                        1,
                        2,
                        text="填表人：{}",
                        field="signoff.preparer",
                        role=CAPTION,
                        align="center",
                    ),
                    Cell(3, 1, text="填报日期：{}", field="signoff.date", role=CAPTION),
                )
            ),
        ),
    )


def _minhang_targets() -> Sheet:
    columns = 10
    indicators = _columns(
        "indicators",
        (1, 1, "一级目标", _value(1, "level1")),
        (2, 1, "二级目标", _value(2, "level2")),
        (3, 2, "三级目标", _value(3, "name", 2)),
        (5, 2, "目标值", _value(5, "target", 2)),
        (7, 3, "备注", _value(7, "note", 3)),
        merge_down=("level1", "level2"),
    )
    breakdown = _columns(
        "breakdown",
        (1, 1, "项目名称", Cell(1, field="name", role=ECHO)),
        (2, 1, "项目内容", _value(2, "content")),
        (3, 1, "项目明细", _value(3, "item")),
        (4, 1, "明细金额", _value(4, "amount", role=AMOUNT)),
        (5, 1, "单价", _value(5, "unit_price", role=AMOUNT)),
        (6, 1, "依据", _value(6, "price_basis")),
        (7, 1, "数量", _value(7, "quantity", role=AMOUNT)),
        (8, 1, "依据", _value(8, "quantity_basis")),
        (9, 1, "备注", _value(9, "note")),
        footer=(
            Line(
                (
                    _label(1, "金额合计"),
                    _blank(2),
                    _blank(3),
                    Cell(4, field="amount", role=TOTAL),
                    *(_label(c, "----") for c in range(5, 10)),
                )
            ),
        ),
    )
    return Sheet(
        key="A2",
        name="绩效目标",
        widths=(10, 14, 14, 16, 15, 14, 12, 10, 12, 14),
        above=(
            _title("财政项目支出绩效目标申报表（绩效目标）", columns),
            _year("（{} 年）", columns),
            # The paper has 附件1-2 below the year line, at the right, above 项目名称.
            Line((Cell(0, columns, text="附件1-2", role=CAPTION, align="right"),)),
            Line(
                (
                    Cell(0, 7, text="项目名称：{}", field="name", role=ECHO),
                    Cell(7, 3, text="金额单位：元", role=CAPTION, align="right"),
                )
            ),
        ),
        table=(
            Line(
                (
                    _label(0, "项目构成"),
                    _label(1, "主体活动 (作业、任务)", 2),  # the paper's brackets
                    _value(3, "main_activity", 7, LONG),
                )
            ),
            Group(_label(0, "绩效目标"), (indicators,)),
            Group(_label(0, "项目构成分解"), (breakdown,)),
        ),
        landscape=True,
    )


# ------------------------------------------------------------------ shanghai-2021


def _amounts(left: tuple[str, str] | None, right: tuple[str, str]) -> Line:
    """A 项目资金 line of the 2021 form: label | amount | label | amount (left pair may be empty)."""
    first = (
        (_label(1, left[0]), _value(2, left[1], role=AMOUNT)) if left else (_blank(1), _blank(2))
    )
    return Line((*first, _label(3, right[0]), _value(4, right[1], role=AMOUNT)))


def _indicator_rows_4(first: int) -> Rows:
    """一级指标 | 二级指标 | 三级指标 | 指标目标值, from column ``first``."""
    words = ("一级指标", "二级指标", "三级指标", "指标目标值")
    fields = ("level1", "level2", "name", "target")
    return _columns(
        "indicators",
        *((first + n, 1, words[n], _value(first + n, fields[n])) for n in range(4)),
        merge_down=("level1", "level2"),
    )


def _shanghai_2021() -> Sheet:
    columns = 5
    return Sheet(
        key="T1",
        name="绩效目标申报表",
        widths=(13, 14, 18, 27, 20),
        above=(_title("财政项目支出绩效目标申报表", columns), _year("({}年度)", columns)),
        table=(
            Line(
                (
                    _label(0, "项目名称"),
                    _value(1, "name", 2),
                    _label(3, "项目类别"),
                    _value(4, "category"),
                )
            ),
            Line(
                (
                    _label(0, "主管部门"),
                    _value(1, "department", 2),
                    _label(3, "实施单位"),
                    _value(4, "unit"),
                )
            ),
            Line(
                (
                    _label(0, "计划开始日期"),
                    _value(1, "start_date", 2, DATE),
                    _label(3, "计划完成日期"),
                    _value(4, "end_date", role=DATE),
                )
            ),
            Group(
                _label(0, "项目资金"),
                (
                    _amounts(
                        ("项目资金总额", "funding.total"), ("年度资金申请总额", "funding.annual")
                    ),
                    _amounts(
                        ("其中：财政资金", "funding.total_fiscal"),
                        ("其中：当年财政拨款", "funding.annual_fiscal"),
                    ),
                    _amounts(None, ("上年结转资金", "funding.carryover")),
                    _amounts(
                        ("其他资金", "funding.total_other"), ("其他资金", "funding.annual_other")
                    ),
                ),
            ),
            Group(
                _label(0, "项目绩效目标"),
                (
                    Line((_label(1, "项目总目标", 2), _label(3, "年度总目标", 2))),
                    Line((Cell(1, 2, role=ECHO, arg="period", align="center"), _blank(3, 2))),
                    Line((_value(1, "overall_goal", 2, LONG), _value(3, "annual_goal", 2, LONG))),
                ),
            ),
            Group(_label(0, "绩效指标"), (_indicator_rows_4(1),)),
        ),
    )


# ------------------------------------------------------------------ shanghai-2020

# The 项目经费情况说明's headed sections (forms.md), each over the field it prints.
EXPLANATION_SECTIONS: tuple[tuple[str, str], ...] = (
    ("一、项目概述", "overview"),
    ("二、立项依据", "legal_basis"),
    ("三、实施主体", "implementer"),
    ("四、实施方案", "implementation_plan"),
    ("五、实施周期", "implementation_period"),
    ("六、年度预算安排", "budget_note"),
)
EXPLANATION_GOALS = ("七、绩效目标", "（包括总目标、年度目标、分解目标等，具体见表格）")


def _heading(text: str) -> Line:
    return Line((Cell(0, text=text, role=HEADING),))


def _shanghai_2020_explanation() -> Sheet:
    """项目经费情况说明: a title, then each heading on its own line with its text below.

    One wide column of heading and long-text lines: the same placer, writers and
    reader as every table, the reader finding each text below its heading.
    """
    goals, see_table = EXPLANATION_GOALS
    return Sheet(
        key="S0",
        name="项目经费情况说明",
        widths=(90,),
        # The title is the unit and the name run together, as in the budget book.
        above=(Line((Cell(0, role=TITLE, arg="explanation"),)),),
        table=(
            *(
                line
                for words, key in EXPLANATION_SECTIONS
                for line in (_heading(words), Line((_value(0, key, role=LONG),)))
            ),
            _heading(goals),
            Line((Cell(0, text=see_table, role=CAPTION),)),
        ),
        document=True,
    )


def _shanghai_2020() -> Sheet:
    """As in the budget book: four columns; 分解目标 a row heading the indicator table."""
    columns = 4
    return Sheet(
        key="S1",
        name="绩效目标",
        widths=(16, 16, 40, 18),  # 三级指标 the widest, as on paper
        # The book prints the year line with a space before its bracket: (2020年 )
        above=(_title("上海市财政支出项目绩效目标", columns), _year("({}年 )", columns)),
        table=(
            Line((_label(0, "项目名称"), _value(1, "name", 3))),
            Line((_label(0, "项目总目标"), _value(1, "overall_goal", 3, LONG))),
            Line((_label(0, "年度绩效目标"), _value(1, "annual_goal", 3, LONG))),
            Line((_label(0, "分解目标", columns),)),
            _indicator_rows_4(0),
        ),
    )


# ------------------------------------------------------------------ earlier layouts


def _shanghai_2020_before_issue_17() -> Sheet:
    """The 上海 2020 table as exported before it followed the book (分解目标 merged down
    a left column of five); kept so that such a workbook can still be read."""
    columns = 5
    return Sheet(
        key="S1",
        name="绩效目标",
        widths=(14, 14, 16, 36, 18),
        above=(_title("上海市财政支出项目绩效目标", columns), _year("({}年)", columns)),
        table=(
            Line((_label(0, "项目名称"), _value(1, "name", 4))),
            Line((_label(0, "项目总目标"), _value(1, "overall_goal", 4, LONG))),
            Line((_label(0, "年度绩效目标"), _value(1, "annual_goal", 4, LONG))),
            Group(_label(0, "分解目标"), (_indicator_rows_4(1),)),
        ),
    )


@functools.cache
def _earlier() -> dict[tuple[str, str], tuple[Sheet, ...]]:
    return {("shanghai-2020", "S1"): (_shanghai_2020_before_issue_17(),)}


def earlier_sheets(family: str, key: str) -> tuple[Sheet, ...]:
    """How a sheet was laid out by earlier versions of the program, newest first.

    The reader walks them when the current description does not fit a workbook (its
    table not found), so that a workbook exported before a layout changed still reads.
    """
    return _earlier().get((family, key), ())


# ------------------------------------------------------------------ the catalogue


def _fields(sheets: tuple[Sheet, ...]) -> frozenset[str]:
    """Every project field (``indicators.target`` for rows) some sheet reads back."""
    found: set[str] = set()

    def line(cells: tuple[Cell, ...], prefix: str = "") -> None:
        found.update(prefix + c.field for c in cells if c.reads_back and c.field)

    for sheet in sheets:
        for ln in sheet.above + sheet.below:
            line(ln.cells)
        parts: list[Part] = list(sheet.table)
        while parts:
            part = parts.pop(0)
            if isinstance(part, Group):
                parts[:0] = part.parts
            elif isinstance(part, Rows):
                line(part.cells, part.source + ".")
            else:
                line(part.cells)
    return frozenset(found)


def _layout(family: str, title: str, sheets: tuple[Sheet, ...]) -> Layout:
    return Layout(family, title, sheets, _fields(sheets))


def _build() -> dict[str, Layout]:
    return {
        "minhang-2020": _layout(
            "minhang-2020",
            "财政项目支出绩效目标申报表",
            (_minhang_general(), _minhang_targets(), _guarantee_sheet("({} 年)")),
        ),
        "shanghai-2021": _layout(
            "shanghai-2021",
            "财政项目支出绩效目标申报表",
            (_shanghai_2021(), _guarantee_sheet("({} 年)", stage_header=True, optional=True)),
        ),
        "shanghai-2020": _layout(
            "shanghai-2020",
            "上海市财政支出项目绩效目标",
            (_shanghai_2020_explanation(), _shanghai_2020()),
        ),
    }


LAYOUTS: dict[str, Layout] = _build()


# ------------------------------------------------------------------ 汇总表 (not a form family)


def _summary_sheet() -> Sheet:
    """The department's 汇总表 of one year (``desktop.models.summary.Summary``).

    Drawn by the same placer and writers as the official tables: fields are
    attributes of the Summary (``year``, ``unit``, ``totals.total``) and, in the
    row table, of each ``SummaryRow``.
    """
    from desktop.models.summary import AMOUNT_COLUMNS, LEVEL_COLUMNS

    amounts = [(attr, words, AMOUNT) for attr, words in AMOUNT_COLUMNS]
    counts = [("indicators", "指标数", COUNT)] + [
        (attr, f"{words}指标", COUNT) for attr, _, words in LEVEL_COLUMNS
    ]
    columns: list[tuple[str, str, str, float]] = [
        ("number", "序号", COUNT, 5.5),
        ("name", "项目名称", TEXT, 24),
        ("unit", "实施单位", TEXT, 14),
        ("category", "项目类别", TEXT, 9),
        *((a, w, r, 18.0) for a, w, r in amounts),
        *((a, w, r, 6.0) for a, w, r in counts),
        ("errors", "错误", COUNT, 5),
        ("warnings", "警告", COUNT, 5),
        ("explained", "其中已说明", COUNT, 5.5),
        ("status_label", "状态", TEXT, 7),
    ]
    n = len(columns)
    first_amount = 4
    totals = Line(
        (
            Cell(0, first_amount, text="{}", field="totals.label", role=LABEL),
            *(
                Cell(c, field=f"totals.{attr}", role=AMOUNT if role == AMOUNT else COUNT)
                for c, (attr, _, role, _) in enumerate(columns)
                if c >= first_amount and attr != "status_label"
            ),
            Cell(n - 1, field="totals.status_text", role=TEXT, align="center"),
        )
    )
    return Sheet(
        key="SUM",
        name="汇总表",
        widths=tuple(w for *_, w in columns),
        above=(
            Line((Cell(0, n, text="{}", field="title", role=TITLE),)),
            Line(
                (
                    Cell(0, n - 4, text="填报单位：{}", field="unit", role=CAPTION),
                    Cell(n - 4, 4, text="金额单位：元", role=CAPTION, align="right"),
                )
            ),
        ),
        table=(
            Rows(
                source="rows",
                header=(_header(*((c, 1, words) for c, (_, words, _, _) in enumerate(columns))),),
                cells=tuple(
                    Cell(c, field=attr, role=role, align="center" if attr == "status_label" else "")
                    for c, (attr, _, role, _) in enumerate(columns)
                ),
                footer=(totals,),
            ),
        ),
        below=(Line((Cell(0, n, text="{}", field="note_text", role=CAPTION),)),),
        landscape=True,
    )


@functools.cache
def summary_layout() -> Layout:
    """The 汇总表's layout (built on first use: the official tables do not need it)."""
    return Layout("summary", "项目支出绩效目标汇总表", (_summary_sheet(),))


def layout_for(family: str) -> Layout:
    """The layout of a form family; KeyError names the family when there is none."""
    return LAYOUTS[family]
