"""The row tables as a clerk used to Excel/WPS drives them, with real key presses.

Ctrl+V fills cells from the current one (rows added only past the end, or
inserted when whole rows are selected), one undo step; a row given a 一级/二级
moves to the end of its group; 添加行 and 删除行 leave the keyboard in the table
on the cell the clerk types next.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QGuiApplication, QInputMethodEvent, QUndoStack
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPushButton, QWidget

from desktop.models.project import BreakdownRow, Guarantee, Indicator
from desktop.ui.row_editor import RowEditor
from desktop.ui.row_table import (
    BREAKDOWN_COLUMNS,
    GUARANTEE_COLUMNS,
    INDICATOR_COLUMNS,
    Column,
    RowTableModel,
)

FAMILY = "shanghai-2021"


def make_section(qtbot, rows: list[Any], columns: list[Column], make_row: Any) -> RowEditor:
    undo = QUndoStack()
    model = RowTableModel(rows, columns, make_row, undo, lambda: None)
    section = RowEditor(model, FAMILY)
    section.undo = undo  # type: ignore[attr-defined]  # kept alive with the section
    qtbot.addWidget(section)
    section.resize(900, 500)
    section.show()
    section.activateWindow()
    qtbot.waitExposed(section)
    section.table.setFocus()
    qtbot.waitUntil(lambda: section.table.hasFocus())
    return section


def indicator_rows() -> list[Indicator]:
    return [
        Indicator("产出指标", "数量指标", "甲", "=1个"),
        Indicator("产出指标", "数量指标", "乙", "=2个"),
        Indicator("产出指标", "质量指标", "丙", "=100%"),
        Indicator("产出指标", "时效指标", "丁", "=100%"),
        Indicator("效益指标", "社会效益指标", "戊", "提升"),
        Indicator("效益指标", "社会效益指标", "己", "提升"),
        Indicator("效益指标", "可持续影响指标", "庚", "健全"),
        Indicator("满意度指标", "服务对象满意度指标", "辛", "≥90%"),
    ]


@pytest.fixture
def indicators(qtbot) -> RowEditor:
    return make_section(qtbot, indicator_rows(), INDICATOR_COLUMNS(FAMILY), Indicator)


def col(section: RowEditor, attr: str, nth: int = 0) -> int:
    return [n for n, c in enumerate(section.model.columns) if c.attr == attr][nth]


def snapshot(section: RowEditor) -> list[dict[str, Any]]:
    return [dataclasses.asdict(r) for r in section.model.rows]


def names(section: RowEditor) -> list[str | None]:
    return [r.name for r in section.model.rows]


def go(section: RowEditor, row: int, attr: str) -> None:
    section.table.setCurrentIndex(section.model.index(row, col(section, attr)))


def ctrl_v(qtbot, section: RowEditor, text: str) -> None:
    """Copy ``text`` as Excel would and press Ctrl+V in the table."""
    QGuiApplication.clipboard().setText(text)
    qtbot.keyClick(section.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def is_blank_row(row: Any) -> bool:
    return all(v in (None, "", [], {}) for v in dataclasses.asdict(row).values())


# ---------------------------------------------------------------- 1. paste into cells


def test_single_cell_paste_changes_exactly_that_cell_and_adds_no_row(
    qtbot, indicators: RowEditor
) -> None:
    before = snapshot(indicators)
    go(indicators, 2, "name")
    ctrl_v(qtbot, indicators, "采购流程合规率\r\n")
    after = snapshot(indicators)
    assert len(after) == len(before)
    changed = [
        (i, k)
        for i, (a, b) in enumerate(zip(before, after, strict=True))
        for k in a
        if a[k] != b[k]
    ]
    assert changed == [(2, "name")]
    assert indicators.model.rows[2].name == "采购流程合规率"
    assert indicators.undo.count() == 1  # type: ignore[attr-defined]


def test_five_row_block_pasted_mid_table_overwrites_five_rows(qtbot, indicators: RowEditor) -> None:
    go(indicators, 1, "name")
    block = "".join(f"新{k}\t=1{k}个\r\n" for k in range(1, 6))
    ctrl_v(qtbot, indicators, block)
    assert names(indicators) == ["甲", "新1", "新2", "新3", "新4", "新5", "庚", "辛"]
    assert [r.target for r in indicators.model.rows[1:6]] == [f"=1{k}个" for k in range(1, 6)]
    # what was pasted is selected, as in Excel, the cursor on its first cell
    chosen = {(i.row(), i.column()) for i in indicators.table.selectedIndexes()}
    name, target = col(indicators, "name"), col(indicators, "target")
    assert chosen == {(r, c) for r in range(1, 6) for c in (name, target)}
    assert indicators.table.currentIndex() == indicators.model.index(1, name)
    # the level columns were not in the block: untouched, nothing moved
    assert [r.level2 for r in indicators.model.rows] == [r.level2 for r in indicator_rows()]
    assert indicators.undo.count() == 1  # type: ignore[attr-defined]


def test_block_past_the_end_adds_only_the_rows_needed_and_no_empty_one(
    qtbot, indicators: RowEditor
) -> None:
    go(indicators, 6, "name")
    ctrl_v(qtbot, indicators, "甲甲\t健全\r\n乙乙\t≥95%\r\n丙丙\t≥96%\r\n")
    rows = indicators.model.rows
    assert len(rows) == 9  # rows 6 and 7 overwritten, one added
    assert names(indicators)[6:] == ["甲甲", "乙乙", "丙丙"]
    # the added row carries the merged 一级/二级 of the row above
    assert (rows[8].level1, rows[8].level2) == ("满意度指标", "服务对象满意度指标")
    assert not any(is_blank_row(r) for r in rows)


def test_blank_levels_at_the_top_of_a_block_keep_the_rows_own_group(
    qtbot, indicators: RowEditor
) -> None:
    before = snapshot(indicators)
    go(indicators, 3, "level1")
    ctrl_v(qtbot, indicators, "\t\t丁丁\t=1天\r\n\t\t戊戊\t提升\r\n")
    rows = indicators.model.rows
    assert names(indicators)[3:5] == ["丁丁", "戊戊"]
    assert (rows[3].level1, rows[3].level2) == ("产出指标", "时效指标")  # kept
    # blank under the block's own first line: same as above within the block
    assert (rows[4].level1, rows[4].level2) == ("产出指标", "时效指标")
    assert len(rows) == len(before)


def test_paste_into_an_empty_table_leaves_no_empty_trailing_row(qtbot) -> None:
    section = make_section(qtbot, [], INDICATOR_COLUMNS(FAMILY), Indicator)
    ctrl_v(
        qtbot,
        section,
        "一级指标\t二级指标\t三级指标\t指标目标值\r\n"
        "产出指标\t数量指标\t甲\t=1个\r\n"
        "\t\t乙\t=2个\r\n"
        "满意度指标\t服务对象满意度指标\t丙\t≥90%\r\n",
    )
    rows = section.model.rows
    assert [(r.level1, r.level2, r.name) for r in rows] == [
        ("产出指标", "数量指标", "甲"),
        ("产出指标", "数量指标", "乙"),  # the merged cells, carried down
        ("满意度指标", "服务对象满意度指标", "丙"),
    ]
    assert not any(is_blank_row(r) for r in rows)


def test_whole_rows_selected_paste_inserts_rows(qtbot, indicators: RowEditor) -> None:
    indicators.table.selectRow(2)
    assert indicators.table.selectionModel().selectedRows()
    ctrl_v(qtbot, indicators, "产出指标\t数量指标\t新一\t=3个\r\n\t\t新二\t=4个\r\n")
    assert names(indicators) == ["甲", "乙", "新一", "新二", "丙", "丁", "戊", "己", "庚", "辛"]
    assert indicators.undo.count() == 1  # type: ignore[attr-defined]


def test_shift_space_selects_the_row_and_paste_then_inserts(qtbot, indicators: RowEditor) -> None:
    go(indicators, 7, "name")
    qtbot.keyClick(indicators.table, Qt.Key.Key_Space, Qt.KeyboardModifier.ShiftModifier)
    assert [i.row() for i in indicators.table.selectionModel().selectedRows()] == [7]
    ctrl_v(qtbot, indicators, "满意度指标\t服务对象满意度指标\t新\t≥95%\r\n")
    assert names(indicators)[7:] == ["新", "辛"]


def test_one_value_pasted_over_a_range_fills_every_cell(qtbot, indicators: RowEditor) -> None:
    model, table = indicators.model, indicators.table
    first, last = (
        model.index(0, col(indicators, "target")),
        model.index(2, col(indicators, "target")),
    )
    table.setCurrentIndex(first)
    table.selectionModel().select(
        QItemSelection(first, last), table.selectionModel().SelectionFlag.ClearAndSelect
    )
    ctrl_v(qtbot, indicators, "=100%\r\n")
    assert [r.target for r in model.rows[:4]] == ["=100%", "=100%", "=100%", "=100%"]
    assert len(model.rows) == 8
    assert indicators.undo.count() == 1  # type: ignore[attr-defined]


def test_one_undo_restores_everything_a_paste_did(qtbot, indicators: RowEditor) -> None:
    before = snapshot(indicators)
    go(indicators, 5, "level1")
    ctrl_v(
        qtbot,
        indicators,
        "产出指标\t数量指标\tA\t=1个\r\n\t\tB\t=2个\r\n效益指标\t社会效益指标\tC\t提升\r\n"
        "\t\tD\t提升\r\n",
    )
    assert len(indicators.model.rows) == 9
    qtbot.keyClick(indicators.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    if snapshot(indicators) != before:  # Ctrl+Z is the window's; the stack is the document's
        indicators.undo.undo()  # type: ignore[attr-defined]
    assert snapshot(indicators) == before
    assert indicators.undo.index() == 0  # type: ignore[attr-defined]


def test_paste_over_guarantee_cells_ticks_stages_and_skips_the_header(qtbot) -> None:
    rows = [Guarantee(kind="项目管理制度", document="旧", measures="旧", stages=["实施阶段"])]
    section = make_section(qtbot, rows, GUARANTEE_COLUMNS, Guarantee)
    go(section, 0, "kind")
    ctrl_v(
        qtbot,
        section,
        "制度类别\t文件名称\t具体措施\t立项和计划阶段\t实施阶段\t收尾和完成阶段\r\n"
        "车辆管理制度\t《公务用车管理办法》\t专人管理\t√\t\t✓\r\n",
    )
    assert len(section.model.rows) == 1
    first = section.model.rows[0]
    assert (first.kind, first.document, first.measures) == (
        "车辆管理制度",
        "《公务用车管理办法》",
        "专人管理",
    )
    assert first.stages == ["立项和计划阶段", "收尾和完成阶段"]


def test_paste_of_amounts_into_breakdown_cells(qtbot) -> None:
    rows = [BreakdownRow("文职雇员", "文职雇员_1", Decimal("1"), Decimal("2"))]
    section = make_section(qtbot, rows, BREAKDOWN_COLUMNS, BreakdownRow)
    go(section, 0, "amount")
    ctrl_v(qtbot, section, '"2,198,000"\t１２万\r\n')
    assert len(section.model.rows) == 1
    assert section.model.rows[0].amount == Decimal("2198000")
    assert section.model.rows[0].unit_price == Decimal("120000")
    assert section.model.rows[0].content == "文职雇员"


# ---------------------------------------------------------------- 2. rows live in their group


def test_a_row_given_another_group_moves_there_and_undo_moves_it_back(
    qtbot, indicators: RowEditor
) -> None:
    model, table = indicators.model, indicators.table
    moved = model.rows[0]
    go(indicators, 0, "level2")
    with qtbot.waitSignal(model.rowsMoved):
        assert model.setData(model.index(0, col(indicators, "level2")), "时效指标")
    assert names(indicators) == ["乙", "丙", "丁", "甲", "戊", "己", "庚", "辛"]
    assert model.rows[3] is moved and moved.level2 == "时效指标"
    assert table.currentIndex().row() == 3  # the cursor followed the row
    assert indicators.undo.count() == 1  # type: ignore[attr-defined]
    indicators.undo.undo()  # type: ignore[attr-defined]
    assert names(indicators) == [r.name for r in indicator_rows()]
    assert moved.level2 == "数量指标"


def test_a_level_typed_in_its_cell_moves_the_row_with_the_cursor(
    qtbot, indicators: RowEditor
) -> None:
    moved = indicators.model.rows[2]
    go(indicators, 2, "level2")
    editor = type_into_focus(indicators, "时效指标")  # typing replaces the cell's 质量指标
    qtbot.keyClick(editor, Qt.Key.Key_Tab)  # on to the next cell of the same row
    assert moved.level2 == "时效指标"
    assert names(indicators) == ["甲", "乙", "丁", "丙", "戊", "己", "庚", "辛"]
    assert indicators.model.rows[3] is moved
    current = indicators.table.currentIndex()
    assert (current.row(), current.column()) == (3, col(indicators, "name"))


def test_a_merged_level_typed_over_renames_its_whole_group_once(
    qtbot, indicators: RowEditor
) -> None:
    model = indicators.model
    go(indicators, 4, "level2")  # 社会效益指标 over 戊 and 己
    editor = type_into_focus(indicators, "经济效益指标")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert [r.level2 for r in model.rows[4:6]] == ["经济效益指标", "经济效益指标"]
    assert names(indicators) == [r.name for r in indicator_rows()]  # already in place
    assert model.rows[6].level2 == "可持续影响指标"


def test_a_range_selected_pastes_at_its_top_left_cell(qtbot, indicators: RowEditor) -> None:
    model, table = indicators.model, indicators.table
    top_left = model.index(3, col(indicators, "name"))
    bottom_right = model.index(4, col(indicators, "target"))
    table.setCurrentIndex(bottom_right)
    flags = table.selectionModel().SelectionFlag
    table.selectionModel().select(QItemSelection(top_left, bottom_right), flags.ClearAndSelect)
    ctrl_v(qtbot, indicators, "T1\t=1个\r\n")
    assert names(indicators)[3:5] == ["T1", "戊"]
    assert len(model.rows) == 8


def test_a_row_given_another_level1_goes_to_the_end_of_that_group(
    qtbot, indicators: RowEditor
) -> None:
    go(indicators, 1, "level1")
    ctrl_v(qtbot, indicators, "满意度指标\t服务对象满意度指标\r\n")
    assert names(indicators) == ["甲", "丙", "丁", "戊", "己", "庚", "辛", "乙"]
    assert indicators.table.currentIndex().row() == 7
    # every 一级 is one block
    level1s = [r.level1 for r in indicators.model.rows]
    blocks = [l1 for i, l1 in enumerate(level1s) if i == 0 or level1s[i - 1] != l1]
    assert blocks == ["产出指标", "效益指标", "满意度指标"]


def test_a_new_group_goes_between_the_groups_before_and_after_it(
    qtbot, indicators: RowEditor
) -> None:
    model = indicators.model
    model.setData(model.index(7, col(indicators, "level1")), "效益指标")
    model.setData(model.index(7, col(indicators, "level2")), "经济效益指标")
    # 经济效益 comes before 社会效益 in the framework's order
    assert names(indicators) == ["甲", "乙", "丙", "丁", "辛", "戊", "己", "庚"]


def test_a_row_given_only_a_level2_joins_its_group_with_its_level1(
    qtbot, indicators: RowEditor
) -> None:
    model = indicators.model
    model.insert_rows(8, [Indicator(name="壬", target="=1次")])
    steps = indicators.undo.count()  # type: ignore[attr-defined]
    go(indicators, 8, "level2")
    editor = type_into_focus(indicators, "质量指标")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert names(indicators) == ["甲", "乙", "丙", "壬", "丁", "戊", "己", "庚", "辛"]
    added = model.rows[3]
    assert (added.level1, added.level2) == ("产出指标", "质量指标")  # one 产出指标 block
    assert indicators.undo.count() == steps + 1  # type: ignore[attr-defined]
    indicators.undo.undo()  # type: ignore[attr-defined]
    assert model.rows[8] is added and (added.level1, added.level2) == (None, None)


def test_delete_on_a_level1_cell_clears_it(qtbot, indicators: RowEditor) -> None:
    go(indicators, 7, "level1")
    qtbot.keyClick(indicators.table, Qt.Key.Key_Delete)
    assert indicators.model.rows[7].level1 is None
    assert names(indicators) == [r.name for r in indicator_rows()]


def test_a_row_whose_levels_cannot_be_placed_stays(qtbot, indicators: RowEditor) -> None:
    model = indicators.model
    model.setData(model.index(0, col(indicators, "level2")), "不知道的分类")
    assert names(indicators) == [r.name for r in indicator_rows()]


def test_moving_within_a_group_still_works(qtbot, indicators: RowEditor) -> None:
    go(indicators, 4, "name")
    qtbot.mouseClick(button(indicators, "下移"), Qt.MouseButton.LeftButton)
    assert names(indicators)[4:6] == ["己", "戊"]
    assert indicators.table.currentIndex().row() == 5
    # but not out of the group: the next row is another 二级
    qtbot.mouseClick(button(indicators, "下移"), Qt.MouseButton.LeftButton)
    assert names(indicators)[4:7] == ["己", "戊", "庚"]
    assert indicators.table.currentIndex().row() == 5


# ---------------------------------------------------------------- 3. focus where the clerk types


def button(section: RowEditor, text: str) -> QPushButton:
    return next(b for b in section.findChildren(QPushButton) if b.text() == text)


def commit_text(widget: QWidget, text: str) -> None:
    """Chinese arrives through the input method: commit it as an IME would (QTest types ASCII)."""
    for ch in text:
        event = QInputMethodEvent()
        event.setCommitString(ch)
        QApplication.sendEvent(widget, event)


def type_into_focus(section: RowEditor, text: str) -> QWidget:
    """Type where the keyboard is: the first character into the table opens the cell's editor.

    Returns the cell editor (the widget Enter goes to).
    """
    focused = QApplication.focusWidget()
    assert focused is section.table
    commit_text(focused, text[0])
    combos = section.table.viewport().findChildren(QComboBox)
    lines = section.table.viewport().findChildren(QLineEdit)
    assert combos or lines, "typing did not open the cell"
    editor: QWidget = combos[0] if combos else lines[0]
    commit_text(combos[0].lineEdit() if combos else lines[0], text[1:])
    return editor


def test_after_add_row_typed_text_lands_in_the_new_row(qtbot, indicators: RowEditor) -> None:
    go(indicators, 1, "target")
    qtbot.mouseClick(button(indicators, "添加行"), Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is indicators.table
    rows = indicators.model.rows
    assert len(rows) == 9
    new = rows[2]
    # the new row stays in the group it was added in; the cursor is on its first empty cell
    assert (new.level1, new.level2, new.name) == ("产出指标", "数量指标", "")
    assert indicators.table.currentIndex() == indicators.model.index(2, col(indicators, "name"))
    editor = type_into_focus(indicators, "新指标")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert new.name == "新指标"
    assert QApplication.focusWidget() is indicators.table


def test_after_add_row_in_an_empty_table_typing_fills_its_first_cell(qtbot) -> None:
    section = make_section(qtbot, [], GUARANTEE_COLUMNS, Guarantee)
    qtbot.mouseClick(button(section, "添加行"), Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is section.table
    editor = type_into_focus(section, "档案管理制度")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert [g.kind for g in section.model.rows] == ["档案管理制度"]


def test_after_delete_row_the_cursor_is_on_the_next_row(qtbot, indicators: RowEditor) -> None:
    go(indicators, 2, "name")
    qtbot.mouseClick(button(indicators, "删除行"), Qt.MouseButton.LeftButton)
    assert names(indicators) == ["甲", "乙", "丁", "戊", "己", "庚", "辛"]
    assert indicators.table.currentIndex() == indicators.model.index(2, col(indicators, "name"))
    assert QApplication.focusWidget() is indicators.table
    go(indicators, 6, "target")  # the last row: the cursor goes to the new last row
    qtbot.mouseClick(button(indicators, "删除行"), Qt.MouseButton.LeftButton)
    assert indicators.table.currentIndex() == indicators.model.index(5, col(indicators, "target"))


def test_deleting_several_rows_is_one_undo_step(qtbot, indicators: RowEditor) -> None:
    model, table = indicators.model, indicators.table
    flags = table.selectionModel().SelectionFlag
    go(indicators, 1, "name")
    table.selectionModel().select(model.index(1, 0), flags.ClearAndSelect | flags.Rows)
    table.selectionModel().select(model.index(3, 0), flags.Select | flags.Rows)
    qtbot.mouseClick(button(indicators, "删除行"), Qt.MouseButton.LeftButton)
    assert names(indicators) == ["甲", "丙", "戊", "己", "庚", "辛"]
    assert table.currentIndex().row() == 1
    assert indicators.undo.count() == 1  # type: ignore[attr-defined]
    indicators.undo.undo()  # type: ignore[attr-defined]
    assert names(indicators) == [r.name for r in indicator_rows()]


def test_tab_past_the_last_cell_starts_a_row_in_the_last_group(
    qtbot, indicators: RowEditor
) -> None:
    model, table = indicators.model, indicators.table
    table.setCurrentIndex(model.index(7, model.columnCount() - 1))
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert len(model.rows) == 9
    assert (model.rows[8].level1, model.rows[8].level2) == ("满意度指标", "服务对象满意度指标")
    assert table.currentIndex() == model.index(8, col(indicators, "name"))


def test_section_buttons_never_take_the_focus(qtbot, indicators: RowEditor) -> None:
    buttons = indicators.findChildren(QPushButton)
    assert buttons and all(b.focusPolicy() == Qt.FocusPolicy.NoFocus for b in buttons)
    go(indicators, 0, "name")
    qtbot.mouseClick(button(indicators, "下移"), Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is indicators.table


# ---------------------------------------------------------------- on the real window


def test_on_the_window_a_cell_paste_and_add_row_typing_reach_the_saved_project(
    make_window, qtbot
) -> None:
    from window_helpers import SHARED

    window, view = make_window()
    view.files = [str(SHARED / "cases" / "seed003-open-2021.json")]
    window.import_button.click()
    window.search.setText("车辆购置费")
    window.table.setCurrentIndex(window.filter.index(0, 0))
    editor = window.editor
    assert editor is not None and editor.project.name == "车辆购置费"
    section = editor.row_editors["indicators"]
    editor.tabs.setCurrentWidget(section)
    window.activateWindow()
    section.table.setFocus()
    qtbot.waitUntil(lambda: section.table.hasFocus())
    count = len(editor.project.indicators)
    before = [dataclasses.asdict(r) for r in editor.project.indicators]

    go(section, 1, "name")
    ctrl_v(qtbot, section, "新购车辆纳管率（改）\r\n")
    after = [dataclasses.asdict(r) for r in editor.project.indicators]
    assert len(after) == count
    assert [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b] == [1]
    assert editor.project.indicators[1].name == "新购车辆纳管率（改）"

    go(section, 0, "target")
    qtbot.mouseClick(button(section, "添加行"), Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is section.table
    new = editor.project.indicators[1]
    assert (new.level1, new.level2) == (
        editor.project.indicators[0].level1,
        editor.project.indicators[0].level2,
    )
    cell_editor = type_into_focus(section, "车辆年检完成率")
    with qtbot.waitSignal(editor.saved, timeout=5000):
        qtbot.keyClick(cell_editor, Qt.Key.Key_Return)
    assert new.name == "车辆年检完成率"
    assert len(editor.project.indicators) == count + 1


def test_after_add_row_keys_typed_on_the_focused_widget_fill_the_new_row(
    qtbot, indicators: RowEditor
) -> None:
    go(indicators, 7, "name")
    qtbot.mouseClick(button(indicators, "添加行"), Qt.MouseButton.LeftButton)
    for key in "KPI-01":
        qtbot.keyClicks(QApplication.focusWidget(), key)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert indicators.model.rows[8].name == "KPI-01"
    assert len(indicators.model.rows) == 9


def test_ctrl_v_inside_an_open_cell_pastes_into_the_cell_text(qtbot, indicators: RowEditor) -> None:
    go(indicators, 0, "name")
    qtbot.keyClick(indicators.table, Qt.Key.Key_F2)
    lines = indicators.table.viewport().findChildren(QLineEdit)
    assert lines
    line = lines[0]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is line)
    qtbot.keyClick(line, Qt.Key.Key_End)
    QGuiApplication.clipboard().setText("（续）")
    qtbot.keyClick(line, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert indicators.model.rows[0].name == "甲（续）"
    assert names(indicators)[1:] == [r.name for r in indicator_rows()][1:]
