"""The 指标库 in the window: autocomplete in the 三级指标 cell, and 从指标库添加…."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from window_helpers import SHARED, type_text

from desktop.models.project import STATUS_FINAL

CASES = SHARED / "cases"


def import_cases(make_window):  # type: ignore[no-untyped-def]
    window, view = make_window()
    view.files = [str(f) for f in sorted(CASES.glob("*.json"))]
    window.import_button.click()
    return window, view


def open_named(window, name: str):  # type: ignore[no-untyped-def]
    window.search.setText(name)
    window.table.setCurrentIndex(window.filter.index(0, 0))
    window.search.setText("")
    assert window.editor is not None and window.editor.project.name == name
    return window.editor


def name_column(model) -> int:  # type: ignore[no-untyped-def]
    return next(n for n, c in enumerate(model.columns) if c.attr == "name")


def edit_new_name_cell(editor, qtbot):  # type: ignore[no-untyped-def]
    """Append a blank row and open its 三级指标 cell as the clerk does (F2)."""
    section = editor.row_editors["indicators"]
    model, table = section.model, section.table
    editor.tabs.setCurrentWidget(section)
    model.insert_new_row(model.rowCount())
    row = model.rowCount() - 1
    table.setFocus()
    table.setCurrentIndex(model.index(row, name_column(model)))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    lines = table.viewport().findChildren(QLineEdit)
    assert lines, "no cell editor is open"
    return section, row, lines[0]


# ---------------------------------------------------------------- the completer


def test_typing_a_name_offers_entries_and_picking_one_fills_the_row(make_window, qtbot) -> None:
    window, _ = import_cases(make_window)
    editor = open_named(window, "车辆购置费")
    section, row, line = edit_new_name_cell(editor, qtbot)
    new = editor.project.indicators[row]
    steps = editor.undo_stack.count()

    type_text(line, "采购完成")
    completer = editor.library.completer
    popup = completer.completer.popup()
    assert popup.isVisible()
    offered = completer.offered()
    assert offered[0].name == "采购完成及时率"
    shown = completer.completer.model()
    # each line shows the name, the usual target and the levels in the form's words
    assert [shown.index(0, c).data() for c in range(3)] == [
        "采购完成及时率",
        "=100%",
        "产出指标 / 时效指标",
    ]
    assert not popup.currentIndex().isValid()  # nothing chosen until the clerk moves down

    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    filled = new
    assert (filled.level1, filled.level2, filled.name, filled.target) == (
        "产出指标",
        "时效指标",
        "采购完成及时率",
        "=100%",
    )
    # its levels set, the row took its place at the end of its 时效指标 group, cursor with it
    rows = editor.project.indicators
    where = next(i for i, r in enumerate(rows) if r is new)
    assert where < row and rows[where - 1].level2 == "时效指标"
    assert rows[where + 1].level2 != "时效指标"
    assert section.table.currentIndex().row() == where
    model = section.model
    assert model.index(where, name_column(model)).data() == "采购完成及时率"
    assert not section.table.viewport().findChildren(QLineEdit) or not line.isVisible()
    assert editor.undo_stack.count() == steps + 1
    assert editor.undo_stack.undoText() == "从指标库填入"

    editor.undo_stack.undo()
    blank = editor.project.indicators[row]
    assert blank is new  # back where it was
    assert (blank.level1, blank.level2, blank.name, blank.target) == (None, None, "", None)


def test_minhang_cell_gets_its_own_words_and_keeps_written_levels(make_window, qtbot) -> None:
    window, _ = import_cases(make_window)
    editor = open_named(window, "区级机关工勤类雇员后勤服务保障经费")
    section, row, line = edit_new_name_cell(editor, qtbot)
    new = editor.project.indicators[row]
    new.target = "=2次"  # already typed: stays
    type_text(line, "车辆购置完成")
    completer = editor.library.completer
    assert completer.completer.model().index(0, 2).data() == "产出目标 / 数量"
    completer.completer.popup().setCurrentIndex(completer.completer.model().index(0, 0))
    qtbot.keyClick(completer.completer.popup(), Qt.Key.Key_Enter)
    filled = new  # moved into its 产出目标/数量 group
    assert (filled.level1, filled.level2, filled.name, filled.target) == (
        "产出目标",
        "数量",
        "车辆购置完成数",
        "=2次",
    )


def test_enter_without_choosing_keeps_what_was_typed(make_window, qtbot) -> None:
    window, _ = import_cases(make_window)
    editor = open_named(window, "车辆购置费")
    section, row, line = edit_new_name_cell(editor, qtbot)
    type_text(line, "工作人员")
    popup = editor.library.completer.completer.popup()
    assert popup.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    typed = editor.project.indicators[row]
    assert (typed.name, typed.level1, typed.target) == ("工作人员", None, None)
    assert not popup.isVisible()


def test_a_name_that_matches_nothing_behaves_as_before(make_window, qtbot) -> None:
    window, _ = import_cases(make_window)
    editor = open_named(window, "车辆购置费")
    section, row, line = edit_new_name_cell(editor, qtbot)
    section.model.insert_new_row(section.model.rowCount())  # a row below to move to
    type_text(line, "无人机巡查覆盖面积")
    completer = editor.library.completer
    assert completer.offered() == []
    assert not completer.completer.popup().isVisible()
    qtbot.keyClick(line, Qt.Key.Key_Return)
    typed = editor.project.indicators[row]
    assert (typed.name, typed.level1, typed.level2, typed.target) == (
        "无人机巡查覆盖面积",
        None,
        None,
        None,
    )
    assert section.table.currentIndex().row() == row + 1  # Enter moved down, as in any cell


def test_a_final_project_offers_nothing(make_window, qtbot) -> None:
    window, _ = import_cases(make_window)
    editor = open_named(window, "车辆购置费")
    editor.set_status(STATUS_FINAL)
    section = editor.row_editors["indicators"]
    model, table = section.model, section.table
    assert not editor.library.button.isEnabled()
    table.setCurrentIndex(model.index(0, name_column(model)))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    assert not table.viewport().findChildren(QLineEdit)
    # even an editor made by hand gets no completer
    from PySide6.QtWidgets import QStyleOptionViewItem

    index = model.index(0, name_column(model))
    section.delegate.createEditor(table.viewport(), QStyleOptionViewItem(), index)
    assert editor.library.completer.completer is None
    assert editor.library.add_from_library() == 0
    assert window.view.library_dialogs == []


# ---------------------------------------------------------------- 从指标库添加…


def test_dialog_search_check_two_and_add_is_one_undo_step(make_window, qtbot) -> None:
    window, view = make_window()
    window.new_button.click()
    editor = window.editor
    assert editor is not None and editor.project.indicators == []
    assert any(f.code == "I10" and "满意度" in f.message for f in editor.findings)
    model = editor.row_editors["indicators"].model

    def work(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.search.setText("满意度")
        item = dialog.item_for("居民满意度")
        assert item is not None and item.text(1) == "≥85%" and item.text(2) == "库"
        item.setCheckState(0, Qt.CheckState.Checked)
        dialog.search.setText("车辆购置")
        assert dialog.item_for("居民满意度") is None  # filtered out, still checked
        dialog.item_for("车辆购置完成数").setCheckState(0, Qt.CheckState.Checked)
        assert dialog.add_button.text() == "添加 2 项"
        dialog.add_button.click()

    view.library_answer = work
    steps = editor.undo_stack.count()
    assert editor.library.add_from_library() == 2
    rows = editor.project.indicators
    # taxonomy order: the 产出 row first, then the 满意度 one
    assert [(r.level1, r.level2, r.name, r.target) for r in rows] == [
        ("产出指标", "数量指标", "车辆购置完成数", "=2部"),
        ("满意度指标", "服务对象满意度指标", "居民满意度", "≥85%"),
    ]
    assert model.rowCount() == 2
    assert editor.undo_stack.count() == steps + 1
    # the rules ran: a 满意度 row is there now
    assert not any(f.code == "I10" and "满意度" in f.message for f in editor.findings)

    editor.undo_stack.undo()
    assert editor.project.indicators == [] and model.rowCount() == 0
    assert any(f.code == "I10" and "满意度" in f.message for f in editor.findings)


def test_dialog_shows_history_marks_present_rows_and_places_beside_the_level2(
    make_window, qtbot
) -> None:
    window, view = import_cases(make_window)
    editor = open_named(window, "车辆购置费")
    before = [r.name for r in editor.project.indicators]
    seen = {}

    def work(dialog) -> None:  # type: ignore[no-untyped-def]
        # the unit's own indicators, with how it used them
        law = dialog.item_for("涉案结案率")
        assert law is not None and law.text(2) == "本单位 2021 年 1 个项目"
        seen["staff"] = dialog.item_for("工作人员满意度").text(2)
        # 一级 → 二级 headings in the form's words
        tops = [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]
        seen["tops"] = tops
        dialog.item_for("后勤保障考核得分率").setCheckState(0, Qt.CheckState.Checked)
        dialog.add_button.click()

    view.library_answer = work
    assert editor.library.add_from_library() == 1
    assert seen["staff"] == "本项目已有"  # present: marked, not offered twice
    assert seen["tops"][:3] == ["产出指标", "效益指标", "满意度指标"]
    names = [r.name for r in editor.project.indicators]
    # after the last 社会效益 row of the project, before 可持续影响
    at = names.index("后勤保障考核得分率")
    assert names[at - 1] == "提升因公外出工作效率"
    assert names[:at] + names[at + 1 :] == before
    dialog = view.library_dialogs[-1]
    present = dialog.item_for("车辆购置完成数")
    assert not present.flags() & Qt.ItemFlag.ItemIsUserCheckable


def test_cancelling_the_dialog_adds_nothing(make_window, qtbot) -> None:
    window, view = import_cases(make_window)
    editor = open_named(window, "法律顾问费")
    before = list(editor.project.indicators)
    steps = editor.undo_stack.count()

    def work(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.item_for("居民满意度").setCheckState(0, Qt.CheckState.Checked)
        dialog.reject()

    view.library_answer = work
    assert editor.library.add_from_library() == 0
    assert editor.project.indicators == before
    assert editor.undo_stack.count() == steps


def test_the_button_is_in_the_indicator_section(make_window) -> None:
    from PySide6.QtWidgets import QPushButton

    window, view = make_window()
    window.new_button.click()
    editor = window.editor
    texts = [b.text() for b in editor.row_editors["indicators"].findChildren(QPushButton)]
    assert "从指标库添加…" in texts
    view.library_answer = lambda dialog: dialog.reject()
    editor.library.button.click()
    assert len(view.library_dialogs) == 1


def test_adding_from_the_library_to_a_full_table_takes_what_fits(make_window) -> None:
    from desktop.models.limits import MAX_ROWS
    from desktop.models.project import Indicator

    window, view = make_window()
    window.new_button.click()
    editor = window.editor
    assert editor is not None
    model = editor.row_editors["indicators"].model
    model.insert_rows(0, [Indicator("产出指标", "数量指标", f"指标{n}", "=1个") for n in range(MAX_ROWS - 1)])
    assert len(model.rows) == MAX_ROWS - 1

    def two(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.search.setText("满意度")
        dialog.item_for("居民满意度").setCheckState(0, Qt.CheckState.Checked)
        dialog.search.setText("车辆购置")
        dialog.item_for("车辆购置完成数").setCheckState(0, Qt.CheckState.Checked)
        dialog.add_button.click()

    view.library_answer = two
    assert editor.library.add_from_library() == 1  # one row left before the limit
    assert len(model.rows) == MAX_ROWS
    assert "其余 1 行超出上限" in editor.last_notice
    assert editor.library.add_from_library() == 0  # full: nothing added, no error
    assert len(model.rows) == MAX_ROWS
    assert f"最多 {MAX_ROWS} 行" in editor.last_notice
