"""The row table model: cell edits, amounts, row operations and paste, all undoable; findings on cells."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QUndoStack
from PySide6.QtTest import QAbstractItemModelTester

from desktop.models.project import BreakdownRow, Indicator, Project
from desktop.models.rules import Finding, validate
from desktop.ui.row_table import (
    BREAKDOWN_COLUMNS,
    INDICATOR_COLUMNS,
    Column,
    RowTableModel,
    level_choices,
    parse_clipboard,
)

# Any Qt warning fails the test: the model tester reports through warnings.
pytestmark = pytest.mark.qt_log_level_fail("WARNING")

DISPLAY = Qt.ItemDataRole.DisplayRole
EDIT = Qt.ItemDataRole.EditRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
BACKGROUND = Qt.ItemDataRole.BackgroundRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole

# The 绩效指标 block of 车辆购置费 as it comes off the sheet of seed 003
# (shanghai-2021-declarations-excerpt.txt): header line, the merged 绩效指标
# label column blank on every row, merged 一级/二级 cells blank below their first row.
EXCERPT_BLOCK = "\r\n".join(
    [
        "绩效指标\t一级指标\t二级指标\t三级指标\t指标目标值",
        "\t产出指标\t数量指标\t车辆购置完成数\t=2部",
        "\t\t\t新购车辆纳管率\t=100%",
        "\t\t\t一车一档工作完成率\t=100%",
        "\t\t质量指标\t采购流程合规率\t=100%",
        "\t\t\t购置手续完整率\t=100%",
        "\t\t\t购置车辆验收通过率\t=100%",
        "\t\t时效指标\t采购完成及时率\t=100%",
        "\t\t\t车辆上牌及时率\t=100%",
        "\t\t\t成本控制有效性\t有效",
        "\t效益指标\t社会效益指标\t有效保障日常工作开展\t保障",
        "\t\t\t满足机关公务用车需求\t满足",
        "\t\t\t提升因公外出工作效率\t提升",
        "\t\t可持续影响指标\t车辆管理长效机制健全性\t健全",
        "\t满意度指标\t服务对象满意度指标\t工作人员满意度\t>=95%",
        "",
    ]
)


@dataclass
class Table:
    rows: list[Any]
    model: RowTableModel
    undo: QUndoStack
    changes: list[int] = field(default_factory=list)

    def cell(self, row: int, attr: str) -> QModelIndex:
        col = next(i for i, c in enumerate(self.model.columns) if c.attr == attr)
        return self.model.index(row, col)

    @property
    def changed_count(self) -> int:
        return len(self.changes)


@pytest.fixture
def make_table(qtbot) -> Callable[..., Table]:
    testers: list[QAbstractItemModelTester] = []

    def make(rows: list[Any], columns: list[Column], make_row: Callable[[], Any]) -> Table:
        undo = QUndoStack()
        changes: list[int] = []
        model = RowTableModel(rows, columns, make_row, undo, lambda: changes.append(1))
        testers.append(
            QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
        )
        return Table(rows, model, undo, changes)

    return make


@pytest.fixture
def indicators(make_table) -> Table:
    rows = [
        Indicator("产出指标", "数量指标", "车辆购置完成数", "=2部"),
        Indicator(None, None, "新购车辆纳管率", "=100%"),
        Indicator("满意度指标", "服务对象满意度指标", "工作人员满意度", ">=95%"),
    ]
    return make_table(rows, INDICATOR_COLUMNS("shanghai-2021"), Indicator)


@pytest.fixture
def breakdown(make_table) -> Table:
    rows = [BreakdownRow("文职雇员", "文职雇员_1", Decimal("1159620.00"), Decimal("115962.00"))]
    return make_table(rows, BREAKDOWN_COLUMNS, BreakdownRow)


def names(table: Table) -> list[str]:
    return [r.name for r in table.rows]


# ---------------------------------------------------------------- columns and choices


def test_indicator_columns_use_the_family_words() -> None:
    assert [c.title for c in INDICATOR_COLUMNS("shanghai-2021")] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "指标目标值",
    ]
    minhang = INDICATOR_COLUMNS("minhang-2020")
    assert [c.title for c in minhang] == ["一级目标", "二级目标", "三级目标", "目标值", "备注"]
    assert [c.kind for c in minhang][:2] == ["level1", "level2"]


def test_breakdown_columns_name_and_kind() -> None:
    assert [(c.title, c.kind) for c in BREAKDOWN_COLUMNS] == [
        ("项目内容", "text"),
        ("项目明细", "text"),
        ("明细金额", "amount"),
        ("单价", "amount"),
        ("单价依据", "text"),
        ("数量", "amount"),
        ("数量依据", "text"),
        ("备注", "text"),
    ]


def test_level_choices_are_the_family_printed_words() -> None:
    assert level_choices("level1", "minhang-2020") == ["产出目标", "效果目标", "影响力目标"]
    assert level_choices("level1", "shanghai-2021")[:3] == ["产出指标", "效益指标", "满意度指标"]
    assert "投入和管理类" in level_choices("level1", "shanghai-2020")
    assert level_choices("level2", "minhang-2020", level1="产出目标") == [
        "数量",
        "质量",
        "时效",
        "成本",
    ]
    # 影响力目标 holds 可持续影响 and 满意度 in the 2020 forms
    assert level_choices("level2", "minhang-2020", level1="影响力目标") == ["可持续影响", "满意度"]
    # a 一级 written in another family's words still narrows the choices
    assert level_choices("level2", "shanghai-2021", level1="效果目标") == [
        "经济效益指标",
        "社会效益指标",
        "生态效益指标",
        "可持续影响指标",
    ]
    assert "服务对象满意度指标" in level_choices("level2", "shanghai-2021")
    assert level_choices("text", "shanghai-2021") == []
    assert RowTableModel.level_choices("level1", "minhang-2020") == [
        "产出目标",
        "效果目标",
        "影响力目标",
    ]


def test_headers_and_shape(indicators: Table) -> None:
    model = indicators.model
    assert model.rowCount() == 3 and model.columnCount() == 4
    assert model.headerData(3, Qt.Orientation.Horizontal) == "指标目标值"
    assert model.headerData(0, Qt.Orientation.Vertical) == "1"
    assert model.data(indicators.cell(1, "level1"), DISPLAY) == ""
    assert model.flags(indicators.cell(0, "name")) & Qt.ItemFlag.ItemIsEditable


# ---------------------------------------------------------------- cell edits


def test_set_data_goes_through_undo(indicators: Table, qtbot) -> None:
    model, undo = indicators.model, indicators.undo
    index = indicators.cell(1, "target")
    with qtbot.waitSignal(model.dataChanged) as blocker:
        assert model.setData(index, "≥100%")
    assert blocker.args[0] == index and blocker.args[1] == index
    assert indicators.rows[1].target == "≥100%"
    assert model.data(index, DISPLAY) == "≥100%"
    assert undo.count() == 1

    with qtbot.waitSignal(model.dataChanged):
        undo.undo()
    assert indicators.rows[1].target == "=100%"
    with qtbot.waitSignal(model.dataChanged):
        undo.redo()
    assert indicators.rows[1].target == "≥100%"


def test_blank_text_is_stored_as_none_and_same_value_is_no_step(indicators: Table) -> None:
    model = indicators.model
    assert model.setData(indicators.cell(0, "target"), "   ")
    assert indicators.rows[0].target is None
    steps = indicators.undo.count()
    assert model.setData(indicators.cell(0, "name"), "车辆购置完成数")  # unchanged
    assert indicators.undo.count() == steps


def test_each_committed_cell_is_its_own_undo_step(indicators: Table) -> None:
    # as in Excel: a cell committed twice is undone one commit at a time
    model, undo = indicators.model, indicators.undo
    for text in ("=3部", "=4部"):
        model.setData(indicators.cell(0, "target"), text)
    assert undo.count() == 2
    undo.undo()
    assert indicators.rows[0].target == "=3部"
    undo.undo()
    assert indicators.rows[0].target == "=2部"


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("1,234.5", Decimal("1234.5"), "1,234.50"),
        ("１２３", Decimal("123"), "123.00"),
        ("12.5万", Decimal("125000"), "125,000.00"),
    ],
)
def test_amounts_are_read_as_typed(
    breakdown: Table, typed: str, stored: Decimal, shown: str
) -> None:
    index = breakdown.cell(0, "amount")
    assert breakdown.model.setData(index, typed)
    value = breakdown.rows[0].amount
    assert isinstance(value, Decimal) and value == stored and str(value) == str(stored)
    assert breakdown.model.data(index, DISPLAY) == shown
    assert breakdown.model.data(index, FOREGROUND) is None


def test_amount_display_edit_and_unreadable(breakdown: Table) -> None:
    model = breakdown.model
    index = breakdown.cell(0, "amount")
    assert model.data(index, DISPLAY) == "1,159,620.00"
    assert model.data(index, EDIT) == "1159620.00"
    assert model.data(index, Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )
    model.setData(index, "一百万")
    assert breakdown.rows[0].amount == "一百万"  # kept as typed, rule F01 names it
    assert model.data(index, DISPLAY) == "一百万"
    assert model.data(index, FOREGROUND) == QColor("#b3261e")
    model.setData(index, "")
    assert breakdown.rows[0].amount is None
    model.setData(index, "12.345")
    assert model.data(index, DISPLAY) == "12.345"  # not rounded away: F01 flags it


# ---------------------------------------------------------------- row operations


def test_insert_rows_with_undo(indicators: Table, qtbot) -> None:
    model, undo = indicators.model, indicators.undo
    new = [Indicator(name="甲"), Indicator(name="乙")]
    with qtbot.waitSignal(model.rowsInserted) as blocker:
        model.insert_rows(1, new)
    assert blocker.args[1:] == [1, 2]
    assert names(indicators) == ["车辆购置完成数", "甲", "乙", "新购车辆纳管率", "工作人员满意度"]
    with qtbot.waitSignal(model.rowsRemoved):
        undo.undo()
    assert names(indicators) == ["车辆购置完成数", "新购车辆纳管率", "工作人员满意度"]
    undo.redo()
    assert indicators.rows[1] is new[0]

    model.insert_new_row(len(indicators.rows))
    assert isinstance(indicators.rows[-1], Indicator) and indicators.rows[-1].name == ""
    with pytest.raises(IndexError):
        model.insert_rows(99, [Indicator()])


def test_remove_rows_with_undo(indicators: Table, qtbot) -> None:
    model, undo = indicators.model, indicators.undo
    kept = indicators.rows[1]
    with qtbot.waitSignal(model.rowsRemoved) as blocker:
        model.remove_rows(0, 2)
    assert blocker.args[1:] == [0, 1]
    assert names(indicators) == ["工作人员满意度"]
    undo.undo()
    assert names(indicators) == ["车辆购置完成数", "新购车辆纳管率", "工作人员满意度"]
    assert indicators.rows[1] is kept  # the same row objects come back
    undo.redo()
    assert model.rowCount() == 1
    with pytest.raises(IndexError):
        model.remove_rows(0, 5)


def test_move_row_with_undo(indicators: Table, qtbot) -> None:
    model, undo = indicators.model, indicators.undo
    with qtbot.waitSignal(model.rowsMoved):
        model.move_row(0, 2)
    assert names(indicators) == ["新购车辆纳管率", "工作人员满意度", "车辆购置完成数"]
    model.move_row(2, 0)
    assert names(indicators) == ["车辆购置完成数", "新购车辆纳管率", "工作人员满意度"]
    undo.undo()
    undo.undo()
    assert names(indicators) == ["车辆购置完成数", "新购车辆纳管率", "工作人员满意度"]
    undo.redo()
    assert names(indicators) == ["新购车辆纳管率", "工作人员满意度", "车辆购置完成数"]


def test_qt_row_api_is_undoable_too(indicators: Table) -> None:
    model, undo = indicators.model, indicators.undo
    assert model.insertRows(0, 1)
    assert model.removeRows(2, 1)
    assert model.moveRows(QModelIndex(), 0, 1, QModelIndex(), 3)  # to the end
    assert names(indicators) == ["车辆购置完成数", "工作人员满意度", ""]
    assert undo.count() == 3
    while undo.canUndo():
        undo.undo()
    assert names(indicators) == ["车辆购置完成数", "新购车辆纳管率", "工作人员满意度"]


def test_changed_is_called_on_every_edit_undo_and_redo(indicators: Table) -> None:
    model, undo = indicators.model, indicators.undo
    model.setData(indicators.cell(0, "name"), "车辆购置数")
    model.setData(indicators.cell(0, "target"), "=3部")
    model.insert_rows(0, [Indicator()])
    model.remove_rows(0, 1)
    model.move_row(0, 1)
    # past the last row: one row added, its levels carried down (already in its group)
    model.paste_text("\t\t验收合格率\t=100%", 3)
    assert indicators.changed_count == 6
    for _ in range(6):
        undo.undo()
    assert indicators.changed_count == 12
    undo.redo()
    assert indicators.changed_count == 13


# ---------------------------------------------------------------- paste


def test_paste_of_the_excerpt_carries_merged_levels_down(make_table, qtbot) -> None:
    # into an empty table, so the pasted rows are the whole table, in the sheet's order
    indicators = make_table([], INDICATOR_COLUMNS("shanghai-2021"), Indicator)
    model, undo = indicators.model, indicators.undo
    with qtbot.waitSignal(model.rowsInserted) as blocker:
        added = model.paste_text(EXCERPT_BLOCK, 0)
    assert added == 14
    assert blocker.args[1:] == [0, 13]
    pasted = indicators.rows[:]
    assert [(r.level1, r.level2, r.name, r.target) for r in pasted[:4]] == [
        ("产出指标", "数量指标", "车辆购置完成数", "=2部"),
        ("产出指标", "数量指标", "新购车辆纳管率", "=100%"),
        ("产出指标", "数量指标", "一车一档工作完成率", "=100%"),
        ("产出指标", "质量指标", "采购流程合规率", "=100%"),
    ]
    assert (pasted[8].level1, pasted[8].level2, pasted[8].name) == (
        "产出指标",
        "时效指标",
        "成本控制有效性",
    )
    assert (pasted[12].level1, pasted[12].level2) == ("效益指标", "可持续影响指标")
    assert (pasted[13].level1, pasted[13].level2, pasted[13].target) == (
        "满意度指标",
        "服务对象满意度指标",
        "≥95%",  # the sheet's ">=95%" arrives in its standard form
    )
    assert all(r.note is None for r in pasted)

    # pasted rows pass the taxonomy: no I13 on any of them
    project = Project(year=2021, name="车辆购置费", indicators=list(pasted))
    assert not [f for f in validate(project) if f.code == "I13"]

    assert undo.count() == 1
    with qtbot.waitSignal(model.rowsRemoved):
        undo.undo()
    assert indicators.rows == []
    undo.redo()
    assert len(indicators.rows) == 14


def test_paste_continues_the_group_above_and_starts_new_ones(indicators: Table) -> None:
    # first line blank in both levels: it continues row 0 (产出指标/数量指标)
    text = "\t\t三号指标\t=1次\n效益指标\t\t四号指标\t提升\n\t\t五号指标\t提升\n"
    # whole rows selected: the lines are inserted before row 1
    assert indicators.model.paste_text(text, 1, insert=True) == 3
    rows = indicators.rows[1:4]
    assert (rows[0].level1, rows[0].level2) == ("产出指标", "数量指标")
    # a new 一级 starts a new merged range: the 二级 above does not cross it
    assert (rows[1].level1, rows[1].level2) == ("效益指标", None)
    assert (rows[2].level1, rows[2].level2) == ("效益指标", None)


def test_rows_inserted_from_a_narrow_block_take_the_group_of_the_row_above(
    indicators: Table,
) -> None:
    # whole row 1 selected, a one-column block: the new row's 二级 comes from row 0
    assert indicators.model.paste_text("产出指标\n", 1, insert=True) == 1
    assert (indicators.rows[1].level1, indicators.rows[1].level2) == ("产出指标", "数量指标")
    assert len(indicators.rows) == 4


def test_paste_reads_excel_quoting() -> None:
    text = '甲\t"第一行\r\n第二行"\t"他说""好"""\r\n乙\t他说"好"\t\r\n'
    assert parse_clipboard(text) == [
        ["甲", "第一行\n第二行", '他说"好"'],
        ["乙", '他说"好"', ""],
    ]
    assert parse_clipboard("a\tb") == [["a", "b"]]
    assert parse_clipboard("a\n\nb\n") == [["a"], [""], ["b"]]
    assert parse_clipboard('"未闭合\tx') == [['"未闭合', "x"]]
    assert parse_clipboard("") == []


def test_paste_breakdown_with_multiline_cell_and_amounts(breakdown: Table) -> None:
    text = (
        '文职雇员\t文职雇员_2\t"2,198,000"\t"219,800"\t"按规定\n标准"\t10\t人数\t\r\n'
        "\t\t\t\t\t\t\t\r\n"  # a blank line is skipped
        "后勤保障\t保洁\t１２万\t\t\t\t\t备注\r\n"
    )
    assert breakdown.model.paste_text(text, 1) == 2
    first, second = breakdown.rows[1], breakdown.rows[2]
    assert first.amount == Decimal("2198000") and first.unit_price == Decimal("219800")
    assert first.price_basis == "按规定\n标准"
    assert first.quantity == Decimal("10") and first.note is None
    assert second.content == "后勤保障"  # text columns are not carried down
    assert second.amount == Decimal("120000") and second.unit_price is None
    assert second.note == "备注"
    assert breakdown.undo.count() == 1


def test_paste_of_nothing_adds_nothing(indicators: Table) -> None:
    assert indicators.model.paste_text("\r\n\t\t\r\n", 0) == 0
    assert indicators.undo.count() == 0 and indicators.changed_count == 0


# ---------------------------------------------------------------- findings


def test_findings_colour_the_cell_and_give_its_tooltip(indicators: Table, qtbot) -> None:
    rows = indicators.rows
    rows[1].target = None  # I02: error on indicators[1].target
    rows[2].target = "95%"  # I04: warning on indicators[2].target
    project = Project(year=2021, name="车辆购置费", indicators=rows)
    findings = validate(project)
    by_cell = RowTableModel.findings_by_cell(findings, "indicators")
    assert by_cell[(1, "target")][0] == "error"
    assert by_cell[(2, "target")][0] == "warning"
    assert all(row < 3 for row, _ in by_cell)  # table-wide findings (I10, I11) name no cell

    model = indicators.model
    with qtbot.waitSignal(model.dataChanged):
        model.set_findings(by_cell)
    error_cell, warning_cell = indicators.cell(1, "target"), indicators.cell(2, "target")
    assert model.data(error_cell, BACKGROUND) == QColor("#fde2e1")
    assert model.data(warning_cell, BACKGROUND) == QColor("#fff1cc")
    i02 = next(f for f in findings if f.code == "I02")
    assert model.data(error_cell, TOOLTIP) == i02.message
    i04 = next(f for f in findings if f.code == "I04")
    assert model.data(warning_cell, TOOLTIP) == i04.message
    assert model.data(indicators.cell(0, "target"), BACKGROUND) is None
    assert model.data(indicators.cell(0, "target"), TOOLTIP) is None

    model.set_findings({})
    assert model.data(error_cell, BACKGROUND) is None


def test_errors_win_over_warnings_on_one_cell() -> None:
    findings = [
        Finding("I04", "warning", "indicators[3].target", "缺比较符"),
        Finding("I06", "error", "indicators[3].target", "超出 0–100%"),
        Finding("I05", "warning", "indicators[3].target", "缺单位"),
        Finding("I07", "warning", "indicators[4].target", "满意度偏低"),
        Finding("I09", "warning", "indicators[4].target", "不是可核查的词"),
        Finding("F01", "error", "breakdown[0].amount", "不是数字"),
        Finding("I10", "error", "indicators", "缺满意度指标"),
    ]
    assert RowTableModel.findings_by_cell(findings, "indicators") == {
        (3, "target"): ("error", "超出 0–100%"),
        (4, "target"): ("warning", "满意度偏低\n不是可核查的词"),
    }
    assert RowTableModel.findings_by_cell(findings, "breakdown") == {
        (0, "amount"): ("error", "不是数字"),
    }


def test_an_answered_warning_colours_its_cell_grey_with_the_explanation() -> None:
    from desktop.models.rules import Finding
    from desktop.ui.row_table import EXPLAINED, RowTableModel

    answered = Finding("I04", "warning", "indicators[0].target", "缺少比较符", None, "指≥90%")
    by_cell = RowTableModel.findings_by_cell([answered], "indicators")
    kind, message = by_cell[(0, "target")]
    assert kind == EXPLAINED and "已说明：指≥90%" in message
    # An open warning on the same cell wins; an error wins over both.
    open_one = Finding("I05", "warning", "indicators[0].target", "缺少单位")
    assert RowTableModel.findings_by_cell([answered, open_one], "indicators")[(0, "target")][0] == (
        "warning"
    )
    error = Finding("I02", "error", "indicators[0].target", "为空")
    assert RowTableModel.findings_by_cell([answered, error], "indicators")[(0, "target")][0] == (
        "error"
    )
