"""The table sections as a clerk uses them: 制度保障 boxes, merged 一级/二级, Excel keys, sums, targets."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit
from window_helpers import SHARED

from desktop.models.project import STANDARD_GUARANTEE_KINDS
from desktop.ui.row_table import describe_target, level_spans

CASES = SHARED / "cases"


def open_case(make_window, name: str, file: str = "seed003-open-2021.json"):
    window, view = make_window()
    view.files = [str(CASES / file)]
    window.import_button.click()
    window.search.setText(name)
    window.table.setCurrentIndex(window.filter.index(0, 0))
    assert window.editor is not None and window.editor.project.name == name
    return window, window.editor


def open_editor(table):
    """The cell editor the table opened (a line edit, or an editable combo's line edit)."""
    from PySide6.QtWidgets import QComboBox

    combos = table.viewport().findChildren(QComboBox)
    if combos:
        return combos[0]
    lines = table.viewport().findChildren(QLineEdit)
    assert lines, "no cell editor is open"
    return lines[0]


def show_section(editor, key: str):
    section = editor.row_editors[key]
    editor.tabs.setCurrentWidget(section)
    section.table.setFocus()
    return section


def col(model, attr: str, nth: int = 0) -> int:
    return [n for n, c in enumerate(model.columns) if c.attr == attr][nth]


# ---------------------------------------------------------------- 制度保障


def test_new_project_has_the_three_standard_guarantee_rows_and_ticks_stages(
    make_window, qtbot
) -> None:
    window, _ = make_window()
    window.new_button.click()
    editor = window.editor
    section = editor.row_editors["guarantees"]
    model = section.model
    assert [g.kind for g in editor.project.guarantees] == list(STANDARD_GUARANTEE_KINDS)
    titles = [c.title for c in model.columns]
    assert titles[-3:] == ["立项和计划阶段", "实施阶段", "收尾和完成阶段"]
    g03 = "guarantees[0].stages"
    # The 2021 form's 制度保障 is an optional page: untouched, nothing is asked of it.
    assert not any(f.code.startswith("G") for f in editor.findings)

    # tick 实施阶段 of the first row with the keyboard: current cell, Space
    show_section(editor, "guarantees")
    section.table.setCurrentIndex(model.index(0, col(model, "stages", 1)))
    qtbot.keyClick(section.table, Qt.Key.Key_Space)
    assert editor.project.guarantees[0].stages == ["实施阶段"]
    assert model.data(model.index(0, col(model, "stages", 1)), Qt.ItemDataRole.CheckStateRole) == (
        Qt.CheckState.Checked
    )
    assert not any(f.field == g03 for f in editor.findings)
    # Once started, the page is checked whole: the other rows' stages are asked for.
    assert any(f.code == "G03" and f.field == "guarantees[1].stages" for f in editor.findings)
    # tick 立项和计划阶段 too: stages keep the form's order whatever the click order
    model.setData(
        model.index(0, col(model, "stages", 0)),
        Qt.CheckState.Checked,
        Qt.ItemDataRole.CheckStateRole,
    )
    assert editor.project.guarantees[0].stages == ["立项和计划阶段", "实施阶段"]
    editor.undo_stack.undo()
    editor.undo_stack.undo()
    assert editor.project.guarantees[0].stages == []
    assert not any(f.code.startswith("G") for f in editor.findings)
    editor.undo_stack.redo()

    with qtbot.waitSignal(editor.saved, timeout=5000):
        model.setData(model.index(0, col(model, "document")), "《项目管理办法》")
    pid = editor.project.id
    window.close()
    reopened, _ = make_window()
    assert reopened.editor is not None and reopened.editor.project.id == pid
    first = reopened.editor.project.guarantees[0]
    assert (first.kind, first.document, first.stages) == (
        "项目管理制度",
        "《项目管理办法》",
        ["实施阶段"],
    )


def test_guarantee_rows_paste_with_ticks_and_standard_rows_are_completed(make_window) -> None:
    window, editor = open_case(make_window, "车辆购置费")
    model = editor.row_editors["guarantees"].model
    assert model.rowCount() == 0
    assert sum(f.code == "G01" for f in editor.findings) == 0  # the optional page, untouched
    QGuiApplication.clipboard().setText(
        "制度类别\t文件名称\t具体措施\t立项和计划阶段\t实施阶段\t收尾和完成阶段\r\n"
        "车辆管理制度\t《公务用车管理办法》\t专人管理\t√\t√\t\r\n"
    )
    assert editor.row_editors["guarantees"].paste() == 1
    assert sum(f.code == "G01" for f in editor.findings) == 3  # started: the standard rows
    assert editor.project.guarantees[0].stages == ["立项和计划阶段", "实施阶段"]
    assert editor.add_standard_guarantees() == 3
    # the standard rows go first, the unit's own row after them
    assert [g.kind for g in editor.project.guarantees] == [
        *STANDARD_GUARANTEE_KINDS,
        "车辆管理制度",
    ]
    assert not any(f.code == "G01" and f.field == "guarantees" for f in editor.findings)
    assert editor.add_standard_guarantees() == 0
    editor.undo_stack.undo()
    assert [g.kind for g in editor.project.guarantees] == ["车辆管理制度"]


def test_minhang_guarantee_table_shows_the_case_values(make_window) -> None:
    _, editor = open_case(make_window, "政府雇员项目", "seed000-001-minhang-2020.json")
    model = editor.row_editors["guarantees"].model
    assert model.rowCount() == 3
    stored = editor.project.guarantees[0]
    assert model.data(model.index(0, col(model, "kind"))) == stored.kind
    ticks = [
        model.data(model.index(0, col(model, "stages", n)), Qt.ItemDataRole.CheckStateRole)
        == Qt.CheckState.Checked
        for n in range(3)
    ]
    assert ticks == [s in stored.stages for s in ("立项和计划阶段", "实施阶段", "收尾和完成阶段")]
    assert any(ticks)


# ---------------------------------------------------------------- 一级/二级 as on paper


def test_levels_show_merged_and_a_merged_label_renames_its_group(make_window, qtbot) -> None:
    _, editor = open_case(make_window, "车辆购置费")
    section = editor.row_editors["indicators"]
    model, table = section.model, section.table
    rows = editor.project.indicators
    expected = level_spans(rows)
    assert expected, "the case has repeated 一级 labels"
    first, attr, count = next(s for s in expected if s[1] == "level1")
    assert table.rowSpan(first, col(model, "level1")) == count
    group_l2 = [s for s in expected if s[1] == "level2" and first <= s[0] < first + count]
    for start, _, n in group_l2:
        assert table.rowSpan(start, col(model, "level2")) == n

    # edit the merged 一级 cell as a clerk does: F2, choose, Enter
    show_section(editor, "indicators")
    table.setCurrentIndex(model.index(first, col(model, "level1")))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    combo = open_editor(table)
    combo.setCurrentText("产出目标")
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    assert [r.level1 for r in rows[first : first + count]] == ["产出目标"] * count
    assert table.currentIndex().row() == first + count  # Enter moved below the merged cell
    editor.undo_stack.undo()
    assert len({r.level1 for r in rows[first : first + count]}) == 1
    assert rows[first].level1 != "产出目标"


def test_level_spans_never_merge_blanks_or_across_a_new_level1() -> None:
    from desktop.models.project import Indicator as Row

    rows = [
        Row("产出指标", "数量指标"),
        Row("产出指标", "数量指标"),
        Row("效益指标", "数量指标"),  # same 二级 word under another 一级: not merged
        Row(None, None),
        Row(None, None),
        Row("效益指标", " 社会效益指标"),
        Row("效益指标", "社会效益指标"),  # spaces do not split a run
    ]
    assert level_spans(rows) == [
        (0, "level1", 2),
        (0, "level2", 2),
        (5, "level1", 2),
        (5, "level2", 2),
    ]
    assert level_spans([]) == []


# ---------------------------------------------------------------- keyboard


def test_enter_moves_down_tab_moves_right_and_runs_into_a_new_row(make_window, qtbot) -> None:
    window, _ = make_window()
    window.new_button.click()
    editor = window.editor
    section = editor.row_editors["indicators"]
    model, table = section.model, section.table
    section.add_row()
    section.add_row()
    name_col = col(model, "name")
    show_section(editor, "indicators")
    table.setCurrentIndex(model.index(0, name_col))
    qtbot.keyClicks(table, "a")  # typing starts editing, as in Excel
    line = open_editor(table)
    qtbot.keyClicks(line, "bc")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert editor.project.indicators[0].name == "abc"
    assert (table.currentIndex().row(), table.currentIndex().column()) == (1, name_col)
    qtbot.keyClick(table, Qt.Key.Key_Return)  # not editing: Enter just moves
    assert table.currentIndex().row() == 1  # the last row: Enter stays

    last = model.columnCount() - 1
    table.setCurrentIndex(model.index(1, last))
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert model.rowCount() == 3
    assert (table.currentIndex().row(), table.currentIndex().column()) == (2, 0)

    table.setCurrentIndex(model.index(0, name_col))
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert not editor.project.indicators[0].name
    editor.undo_stack.undo()
    assert editor.project.indicators[0].name == "abc"


def test_menu_items_show_their_shortcuts(make_window) -> None:
    window, _ = make_window()
    shown = {
        a.text(): a.shortcut().toString()
        for menu in window.menuBar().findChildren(type(window.menuBar().addMenu("x")))
        for a in menu.actions()
        if not a.isSeparator()
    }
    assert shown["新建项目(&N)…"] == "Ctrl+N"
    assert shown["撤销(&U)"] == "Ctrl+Z"
    assert shown["重做(&R)"] == "Ctrl+Y"


# ---------------------------------------------------------------- targets


def test_typed_target_is_kept_in_standard_form_with_help_while_typing(make_window, qtbot) -> None:
    _, editor = open_case(make_window, "车辆购置费")
    section = editor.row_editors["indicators"]
    model, table = section.model, section.table
    target_col = col(model, "target")
    show_section(editor, "indicators")
    table.setCurrentIndex(model.index(0, target_col))
    assert "标准写法" in section.hint.text()
    qtbot.keyClick(table, Qt.Key.Key_F2)
    line = open_editor(table)
    line.selectAll()
    qtbot.keyClicks(line, ">= 3")
    assert section.hint.text() == describe_target(">= 3")
    assert "比较符 ≥" in section.hint.text() and "≥3" in section.hint.text()
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert editor.project.indicators[0].target == "≥3"


def test_standardize_targets_applies_every_i15_suggestion_in_one_step(make_window) -> None:
    _, editor = open_case(make_window, "车辆购置费")
    i15 = [f for f in editor.findings if f.code == "I15"]
    assert i15
    assert editor.standardize_targets() == len(i15)
    assert not any(f.code == "I15" for f in editor.findings)
    editor.undo_stack.undo()
    assert len([f for f in editor.findings if f.code == "I15"]) == len(i15)


def test_describe_target_reads_parts_and_says_what_to_do() -> None:
    assert describe_target("≥95% (2021年6月底前)").endswith("标准写法：≥95% (2021年6月底前)")
    assert "备注 2021年6月底前" in describe_target("≥95%（2021年6月底前）")
    assert "定性" in describe_target("健全")
    assert "没有读出数值" in describe_target("完成 3 项或以上吧")
    assert "比较符 + 数值 + 单位" in describe_target("")


# ---------------------------------------------------------------- 项目构成分解


def test_breakdown_shows_its_sum_against_the_budget_and_offers_price_times_quantity(
    make_window,
) -> None:
    _, editor = open_case(make_window, "政府雇员项目", "seed000-001-minhang-2020.json")
    section = editor.row_editors["breakdown"]
    model = section.model
    assert section.footer.isVisibleTo(section)
    assert "✓ 相符" in section.footer.text()
    amount_col = col(model, "amount")
    model.setData(model.index(0, amount_col), "1,000,000")
    assert "相差" in section.footer.text() and "159,620.00" in section.footer.text()
    editor.undo_stack.undo()
    assert "✓ 相符" in section.footer.text()

    section.add_row()
    new = section.current_row()
    model.setData(model.index(new, col(model, "unit_price")), "1,200")
    model.setData(model.index(new, col(model, "quantity")), "3")
    shown = model.data(model.index(new, amount_col))
    assert shown == "（单价×数量 3,600.00）"  # offered, not yet filled
    assert editor.project.breakdown[new].amount is None
    section.table.setCurrentIndex(model.index(new, amount_col))
    section.table.selectionModel().select(
        model.index(new, amount_col), section.table.selectionModel().SelectionFlag.ClearAndSelect
    )
    assert editor.fill_products() == 1
    assert editor.project.breakdown[new].amount == Decimal("3600.00")
    assert "相差 3,600.00" in section.footer.text()


def test_guarantee_and_breakdown_sections_exist_only_where_the_form_has_them(
    make_window,
) -> None:
    _, editor = open_case(make_window, "车辆购置费")
    tabs = [editor.tabs.tabText(i) for i in range(editor.tabs.count())]
    assert tabs == ["项目总体情况", "项目资金", "绩效目标", "制度保障"]
    _, editor2 = open_case(make_window, "政府雇员项目", "seed000-001-minhang-2020.json")
    tabs2 = [editor2.tabs.tabText(i) for i in range(editor2.tabs.count())]
    assert tabs2 == ["项目总体情况", "项目资金", "绩效目标", "项目构成分解", "制度保障"]


def test_every_finding_on_a_guarantee_cell_colours_it(make_window, tmp_path: Path) -> None:
    window, _ = make_window()
    window.new_button.click()
    model = window.editor.row_editors["guarantees"].model
    # Start the (optional) 制度保障 page of the 2021 form: a 文件名称 in the first row.
    model.setData(model.index(0, col(model, "document")), "《项目管理办法》")
    index = model.index(0, col(model, "measures"))
    assert model.data(index, Qt.ItemDataRole.BackgroundRole) is not None
    assert "具体措施" in model.data(index, Qt.ItemDataRole.ToolTipRole)
    model.setData(index, "专人负责，按月检查")
    assert model.data(index, Qt.ItemDataRole.BackgroundRole) is None
