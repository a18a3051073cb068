"""The window as a clerk uses it: empty start, new project, typing, live findings, undo, autosave, reopen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from window_helpers import SHARED, type_text

from desktop.export.package import read_package_file


def test_first_start_shows_the_empty_state(make_window) -> None:
    window, _ = make_window()
    assert window.stack.currentWidget() is window.empty
    assert window.new_button.text() == "新建项目" and window.import_button.text() == "导入数据包"


def test_new_project_then_type_see_finding_come_and_go_undo_and_autosave(
    make_window, qtbot, tmp_path: Path
) -> None:
    window, _ = make_window()
    window.new_button.click()
    editor = window.editor
    assert editor is not None and editor.project.name == "车辆购置费"
    goal = editor.widget_for("overall_goal")
    assert isinstance(goal, QPlainTextEdit)
    assert any(f.code == "P07" and f.field == "overall_goal" for f in editor.findings)
    assert goal.property("finding") == "error" and "项目总目标" in goal.toolTip()

    with qtbot.waitSignal(editor.saved, timeout=5000):
        type_text(goal, "本年计划购置公务用车2部")
    assert not any(f.field == "overall_goal" for f in editor.findings)
    assert goal.property("finding") == ""
    assert editor.status.text().startswith("已保存 ")
    stored = window.repo.load(editor.project.id or "")
    assert stored.overall_goal == "本年计划购置公务用车2部"

    editor.undo_stack.undo()  # typing merges into one step
    assert editor.project.overall_goal is None and goal.toPlainText() == ""
    assert any(f.code == "P07" and f.field == "overall_goal" for f in editor.findings)
    editor.undo_stack.redo()
    assert goal.toPlainText() == "本年计划购置公务用车2部"


def test_amounts_are_understood_as_typed(make_window, qtbot) -> None:
    window, _ = make_window()
    window.new_button.click()
    editor = window.editor
    assert editor is not None
    total = editor.widget_for("funding.total")
    assert isinstance(total, QLineEdit)
    for typed, expected, shown in (
        ("1,234.5", Decimal("1234.5"), "1,234.50"),
        ("１２３", Decimal("123"), "123.00"),
        ("12.5万", Decimal("125000"), "125,000.00"),
    ):
        total.setFocus()
        total.selectAll()
        type_text(total, typed)
        qtbot.keyClick(total, Qt.Key.Key_Return)
        assert editor.project.funding.total == expected
        assert total.text() == shown
    total.selectAll()
    type_text(total, "一百万")
    qtbot.keyClick(total, Qt.Key.Key_Return)
    assert editor.project.funding.total == "一百万"
    assert total.property("finding") == "error" and "不是数字" in total.toolTip()


def test_import_list_filter_and_reopen_last_project(make_window, qtbot, tmp_path: Path) -> None:
    window, view = make_window()
    view.files = [str(p) for p in sorted((SHARED / "cases").glob("*.json"))]
    window.import_button.click()
    assert view.messages[-1][0] == "导入完成"
    assert window.list_model.rowCount() == 10
    window.year_box.setCurrentText("2020")
    assert window.filter.rowCount() == 2
    window.year_box.setCurrentText("全部年度")
    window.search.setText("法律")
    assert window.filter.rowCount() == 1
    window.table.setCurrentIndex(window.filter.index(0, 0))
    assert window.editor is not None and window.editor.project.name == "法律顾问费"
    last = window.editor.project.id
    window.close()

    again, _ = make_window()
    assert again.editor is not None and again.editor.project.id == last


def test_broken_package_is_refused_with_a_message(make_window, tmp_path: Path) -> None:
    window, view = make_window()
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "jixiao-shenbao", "version": 1, "projects": [', encoding="utf-8")
    view.files = [str(bad)]
    window.import_button.click()
    title, text, error = view.messages[-1]
    assert error and "不是完整的 JSON" in text
    assert window.repo.count() == 0


def test_switching_project_flushes_the_pending_save(make_window, qtbot) -> None:
    window, view = make_window()
    view.files = [str(SHARED / "cases" / "seed003-open-2021.json")]
    window.import_button.click()
    window.table.setCurrentIndex(window.filter.index(0, 0))
    editor = window.editor
    assert editor is not None
    first_id = editor.project.id or ""
    name = editor.widget_for("name")
    assert isinstance(name, QLineEdit)
    name.end(False)
    type_text(name, "（修订）")
    assert editor.has_unsaved
    window.table.setCurrentIndex(window.filter.index(1, 0))
    assert window.repo.load(first_id).name.endswith("（修订）")


def test_imported_values_show_in_their_fields(make_window) -> None:
    window, view = make_window()
    view.files = [str(SHARED / "cases" / "seed000-001-minhang-2020.json")]
    window.import_button.click()
    projects = {p.name: p for p in read_package_file(view.files[0]).projects}
    for row in range(window.filter.rowCount()):
        window.table.setCurrentIndex(window.filter.index(row, 0))
        editor = window.editor
        assert editor is not None
        expected = projects[editor.project.name]
        goal = editor.widget_for("annual_goal")
        assert isinstance(goal, QPlainTextEdit) and goal.toPlainText() == expected.annual_goal


EXCERPT_BLOCK = (
    "\t产出指标\t数量指标\t车辆购置完成数\t=2部\n"
    "\t\t\t新购车辆纳管率\t=100%\n"
    "\t\t质量指标\t采购流程合规率\t95%\n"
    "\t\t时效指标\t采购完成及时率\t=100%\n"
    "\t效益指标\t社会效益指标\t满足机关公务用车需求\t满足\n"
    "\t满意度指标\t服务对象满意度指标\t工作人员满意度\t>=95%\n"
)


def test_indicator_table_paste_finding_jump_undo_and_reopen(
    make_window, qtbot, tmp_path: Path
) -> None:
    from PySide6.QtGui import QGuiApplication

    window, _ = make_window()
    window.new_button.click()
    editor = window.editor
    assert editor is not None
    section = editor.row_editors["indicators"]
    assert any(f.code == "I10" for f in editor.findings)  # no indicators yet
    QGuiApplication.clipboard().setText(EXCERPT_BLOCK)
    with qtbot.waitSignal(editor.saved, timeout=5000):
        assert section.paste() == 6
    project = editor.project
    assert [i.level2 for i in project.indicators][:3] == ["数量指标", "数量指标", "质量指标"]
    assert not any(f.code == "I10" for f in editor.findings)
    i04 = [f for f in editor.findings if f.code == "I04"]
    assert [f.field for f in i04] == ["indicators[2].target"]
    model = section.model
    target_col = [c.attr for c in model.columns].index("target")
    cell = model.index(2, target_col)
    assert model.data(cell, Qt.ItemDataRole.ToolTipRole) == i04[0].message

    editor.go_to("indicators[2].target")
    assert editor.tabs.currentWidget() is section
    assert section.table.currentIndex() == cell

    with qtbot.waitSignal(editor.saved, timeout=5000):
        model.setData(cell, "=100%", Qt.ItemDataRole.EditRole)
    assert not any(f.code == "I04" for f in editor.findings)
    assert model.data(cell, Qt.ItemDataRole.ToolTipRole) in (None, "")
    project_id = project.id
    window.close()

    again, _ = make_window()
    assert again.editor is not None and again.editor.project.id == project_id
    stored = again.editor.project.indicators
    assert [i.name for i in stored] == [
        "车辆购置完成数",
        "新购车辆纳管率",
        "采购流程合规率",
        "采购完成及时率",
        "满足机关公务用车需求",
        "工作人员满意度",
    ]
    assert stored[2].target == "=100%"
    again.editor.undo_stack.undo()  # a fresh editor starts with an empty history
    assert again.editor.project.indicators[2].target == "=100%"


def test_undo_of_a_paste_removes_every_pasted_row(make_window, qtbot) -> None:
    from PySide6.QtGui import QGuiApplication

    window, _ = make_window()
    window.new_button.click()
    editor = window.editor
    assert editor is not None
    QGuiApplication.clipboard().setText(EXCERPT_BLOCK)
    editor.row_editors["indicators"].paste()
    assert len(editor.project.indicators) == 6
    editor.undo_stack.undo()
    assert editor.project.indicators == []
    assert any(f.code == "I10" for f in editor.findings)


def test_minhang_project_has_a_breakdown_section_with_live_sum_check(make_window, qtbot) -> None:
    window, view = make_window()
    view.files = [str(SHARED / "cases" / "seed000-001-minhang-2020.json")]
    window.import_button.click()
    window.search.setText("政府雇员")
    window.table.setCurrentIndex(window.filter.index(0, 0))
    editor = window.editor
    assert editor is not None and "breakdown" in editor.row_editors
    model = editor.row_editors["breakdown"].model
    assert model.rowCount() == 4
    amount_col = [c.attr for c in model.columns].index("amount")
    assert model.data(model.index(0, amount_col), Qt.ItemDataRole.DisplayRole) == "1,159,620.00"
    model.setData(model.index(0, amount_col), "1,000,000", Qt.ItemDataRole.EditRole)
    codes = {f.code for f in editor.findings}
    assert {"F07", "F08"} <= codes
    editor.undo_stack.undo()
    assert not {"F07", "F08"} & {f.code for f in editor.findings}


def test_searching_narrows_the_list_without_switching_the_open_project(make_window) -> None:
    window, view = make_window()
    view.files = [str(p) for p in sorted((SHARED / "cases").glob("*.json"))]
    window.import_button.click()
    window.search.setText("车辆购置费")
    window.table.setCurrentIndex(window.filter.index(0, 0))
    opened = window.editor.project.id
    window.search.setText("政府雇员")  # hides the open project (once crashed Qt here)
    assert window.filter.rowCount() == 2
    assert window.editor.project.id == opened
    window.search.setText("")
    assert window.filter.data(window.table.currentIndex().siblingAtColumn(1)) == "车辆购置费"
    window.year_box.setCurrentText("2020")
    assert window.editor.project.id == opened
