"""The window takes no more than its own readers accept (issue 16, item 4).

A clerk who types or pastes beyond a limit of the readers (``desktop/models/limits.py``:
项目名称 200 characters, any text 20,000, 500 rows a table, amounts below 10^15 元) keeps
what fits and is told which field and what the limit is; the project then goes out as a
数据包 and a workbook and both read back. Each test is the exact case of the issue.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton
from window_helpers import type_text

from desktop.export.package import package_bytes, read_package_bytes
from desktop.export.xlsx_reader import read_workbook_bytes
from desktop.export.xlsx_writer import workbook_bytes
from desktop.models.limits import MAX_FIELD_CHARS, MAX_NAME_CHARS, MAX_ROWS
from desktop.models.project import BreakdownRow, Indicator, Project, new_project
from desktop.ui.limits import LimitedPlainTextEdit, amount_refusal, field_limit

FAMILY = "minhang-2020"  # the form with 项目概况, 项目构成分解 and 制度保障
CTRL = Qt.KeyboardModifier.ControlModifier


def project(indicators: int = 3) -> Project:
    p = new_project(2021, "车辆购置费", FAMILY)
    p.overview = "本项目用于购置公务用车。"
    p.indicators = [
        Indicator("产出指标", "数量指标", f"车辆购置数{i + 1}", "=2部") for i in range(indicators)
    ]
    p.breakdown = [BreakdownRow(content="车辆购置", item="轿车", amount=Decimal("300000.00"))]
    return p


def reads_back(p: Project) -> tuple[Project, Project]:
    """The project as its own 数据包 and its own workbook give it back (raises if refused)."""
    [from_package] = read_package_bytes(package_bytes([p]), "导出.json").projects
    from_workbook = read_workbook_bytes(workbook_bytes(p), "导出.xlsx").project
    return from_package, from_workbook


def paste_into(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+V into ``widget`` with ``text`` on the clipboard, as the clerk pastes."""
    QGuiApplication.clipboard().setText(text)
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_V, CTRL)


def section_of(editor, key: str):  # type: ignore[no-untyped-def]
    section = editor.row_editors[key]
    editor.tabs.setCurrentWidget(section)
    return section


def col(section, attr: str) -> int:  # type: ignore[no-untyped-def]
    return [c.attr for c in section.model.columns].index(attr)


def cell_editor(section) -> QLineEdit:  # type: ignore[no-untyped-def]
    """The line edit of the cell editor the table has open."""
    viewport = section.table.viewport()
    combos = viewport.findChildren(QComboBox)
    lines = [c.lineEdit() for c in combos] if combos else viewport.findChildren(QLineEdit)
    assert lines, "no cell editor is open"
    return lines[0]


# ---------------------------------------------------------------- one definition


def test_the_editor_takes_its_limits_from_the_readers_module() -> None:
    from desktop.export import reading

    assert field_limit("name") == MAX_NAME_CHARS == reading.MAX_NAME_CHARS == 200
    assert field_limit("overview") == field_limit("unit") == MAX_FIELD_CHARS == 20_000
    assert MAX_ROWS == reading.MAX_ROWS == 500


# ---------------------------------------------------------------- one-line fields


def test_a_201_character_name_pasted_keeps_200_and_the_clerk_is_told(qtbot, open_editor) -> None:
    editor = open_editor(project())
    line = editor.widget_for("name")
    line.selectAll()
    paste_into(qtbot, line, "名" * 201)
    assert editor.project.name == "名" * 200
    assert line.maxLength() == MAX_NAME_CHARS
    assert "项目名称最多 200 个字符" in editor.last_notice
    from_package, from_workbook = reads_back(editor.project)
    assert from_package.name == from_workbook.name == "名" * 200


def test_typing_past_200_characters_of_name_is_refused_with_a_notice(qtbot, open_editor) -> None:
    editor = open_editor(project())
    line = editor.widget_for("name")
    line.setText("名" * 199)
    line.end(False)
    type_text(line, "车辆")  # the 200th goes in, the 201st does not
    assert editor.project.name == "名" * 199 + "车"
    assert editor.told and all("项目名称最多 200 个字符" in t for t in editor.told)
    editor.told.clear()
    type_text(line, "费")  # full: a character more is only a notice
    assert editor.project.name == "名" * 199 + "车"
    assert editor.told and "项目名称最多 200 个字符" in editor.told[-1]
    reads_back(editor.project)


def test_a_one_line_text_field_holds_20000_characters(qtbot, open_editor) -> None:
    editor = open_editor(project())
    line = editor.widget_for("unit")
    paste_into(qtbot, line, "单" * (MAX_FIELD_CHARS + 1))
    assert editor.project.unit == "单" * MAX_FIELD_CHARS
    assert line.maxLength() == MAX_FIELD_CHARS
    assert "最多 20000 个字符" in editor.last_notice
    reads_back(editor.project)


# ---------------------------------------------------------------- multi-line texts


def test_a_20001_character_overview_pasted_is_cut_as_one_undo_step(qtbot, open_editor) -> None:
    editor = open_editor(project())
    box = editor.widget_for("overview")
    before = editor.project.overview
    box.moveCursor(box.textCursor().MoveOperation.End)
    paste_into(qtbot, box, "况" * 20_001)
    kept = before + "况" * (MAX_FIELD_CHARS - len(before))
    assert editor.project.overview == kept and box.toPlainText() == kept
    assert box.textCursor().position() == MAX_FIELD_CHARS  # after what was kept
    assert "项目概况最多 20000 个字符" in editor.last_notice
    assert isinstance(box, LimitedPlainTextEdit)
    from_package, from_workbook = reads_back(editor.project)
    assert from_package.overview == from_workbook.overview == kept
    editor.undo()  # the paste as kept is one step of the document's undo
    assert editor.project.overview == before and box.toPlainText() == before
    editor.redo()
    assert editor.project.overview == kept


def test_typing_in_a_full_text_changes_nothing_and_says_so(qtbot, open_editor) -> None:
    editor = open_editor(project())
    box = editor.widget_for("overview")
    full = "况" * MAX_FIELD_CHARS
    editor.edit(editor.project, "overview", full)
    assert box.toPlainText() == full
    cursor = box.textCursor()
    cursor.setPosition(10)
    box.setTextCursor(cursor)
    type_text(box, "新")
    assert editor.project.overview == full and box.toPlainText() == full
    assert box.textCursor().position() == 10
    assert "项目概况最多 20000 个字符" in editor.last_notice


# ---------------------------------------------------------------- table cells


def test_a_20001_character_target_pasted_into_a_cell_keeps_20000(qtbot, open_editor) -> None:
    editor = open_editor(project())
    section = section_of(editor, "indicators")
    section.table.setCurrentIndex(section.model.index(1, col(section, "target")))
    QGuiApplication.clipboard().setText("标" * 20_001)
    section.paste()
    assert editor.project.indicators[1].target == "标" * MAX_FIELD_CHARS
    title = section.model.column(col(section, "target")).title
    assert f"{title}最多 20000 个字符" in editor.last_notice
    from_package, from_workbook = reads_back(editor.project)
    assert from_package.indicators[1].target == "标" * MAX_FIELD_CHARS
    assert from_workbook.indicators[1].target == "标" * MAX_FIELD_CHARS


def test_a_20001_character_target_pasted_in_the_cell_editor_keeps_20000(qtbot, open_editor) -> None:
    editor = open_editor(project())
    section = section_of(editor, "indicators")
    index = section.model.index(0, col(section, "target"))
    section.table.setCurrentIndex(index)
    section.table.edit(index)
    line = cell_editor(section)
    line.selectAll()
    paste_into(qtbot, line, "标" * 20_001)
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert editor.project.indicators[0].target == "标" * MAX_FIELD_CHARS
    assert "最多 20000 个字符" in editor.last_notice
    reads_back(editor.project)


def test_a_cell_set_over_the_limit_by_the_model_is_cut_and_told(qtbot, open_editor) -> None:
    editor = open_editor(project())
    section = section_of(editor, "breakdown")
    model = section.model
    assert model.setData(model.index(0, col(section, "note")), "备" * 25_000)
    assert editor.project.breakdown[0].note == "备" * MAX_FIELD_CHARS
    assert "最多 20000 个字符" in editor.last_notice


# ---------------------------------------------------------------- rows


def indicator_lines(count: int) -> str:
    return "\n".join(f"产出指标\t数量指标\t指标{i + 1}\t={i + 1}个" for i in range(count))


def test_501_rows_pasted_fill_the_table_to_500_and_say_how_many_were_left_out(
    qtbot, open_editor
) -> None:
    editor = open_editor(project(indicators=0))
    section = section_of(editor, "indicators")
    QGuiApplication.clipboard().setText(indicator_lines(501))
    assert section.paste() == 500
    assert len(editor.project.indicators) == MAX_ROWS
    assert [i.name for i in editor.project.indicators[-2:]] == ["指标499", "指标500"]
    assert "绩效目标最多 500 行" in editor.last_notice and "其余 1 行" in editor.last_notice
    from_package, from_workbook = reads_back(editor.project)
    assert len(from_package.indicators) == len(from_workbook.indicators) == MAX_ROWS
    editor.undo()  # the paste is one step
    assert editor.project.indicators == []


def test_rows_pasted_into_a_nearly_full_table_add_only_what_fits(qtbot, open_editor) -> None:
    editor = open_editor(project(indicators=498))
    section = section_of(editor, "indicators")
    last = editor.project.indicators[-1]
    section.table.setCurrentIndex(section.model.index(497, col(section, "name")))
    QGuiApplication.clipboard().setText("\n".join(f"新指标{i}\t=1个" for i in range(5)))
    assert section.paste() == 3  # one row over the last, two added
    assert len(editor.project.indicators) == MAX_ROWS
    assert last.name == "新指标0"
    assert "已粘贴 3 行，其余 2 行超出上限" in editor.last_notice


def test_tab_past_row_500_adds_no_row_and_says_the_table_is_full(qtbot, open_editor) -> None:
    editor = open_editor(project(indicators=MAX_ROWS))
    section = section_of(editor, "indicators")
    table, model = section.table, section.model
    last = model.index(MAX_ROWS - 1, model.columnCount() - 1)
    table.setCurrentIndex(last)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert model.rowCount() == MAX_ROWS == len(editor.project.indicators)
    assert "绩效目标最多 500 行，已达上限，未添加新行" in editor.last_notice
    editor.told.clear()
    add = next(b for b in section.findChildren(QPushButton) if b.text() == "添加行")
    add.click()
    assert model.rowCount() == MAX_ROWS
    assert editor.told and "最多 500 行" in editor.told[-1]
    reads_back(editor.project)


def test_tab_past_the_last_row_still_adds_one_below_the_limit(qtbot, open_editor) -> None:
    editor = open_editor(project(indicators=MAX_ROWS - 1))
    section = section_of(editor, "indicators")
    table, model = section.table, section.model
    table.setCurrentIndex(model.index(MAX_ROWS - 2, model.columnCount() - 1))
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert model.rowCount() == MAX_ROWS


# ---------------------------------------------------------------- amounts


def test_an_amount_too_large_for_a_cell_is_refused_with_read_amounts_message(
    qtbot, open_editor
) -> None:
    editor = open_editor(project())
    section = section_of(editor, "breakdown")
    model = section.model
    index = model.index(0, col(section, "amount"))
    assert not model.setData(index, "1" + "0" * 18)
    assert editor.project.breakdown[0].amount == Decimal("300000.00")  # kept, not a number
    assert "金额不能超过" in editor.last_notice
    # the largest amount is a number, and reads back from both files
    assert model.setData(index, "999999999999999.99")
    assert editor.project.breakdown[0].amount == Decimal("999999999999999.99")
    from_package, from_workbook = reads_back(editor.project)
    assert from_package.breakdown[0].amount == from_workbook.breakdown[0].amount
    assert from_package.breakdown[0].amount == Decimal("999999999999999.99")


def test_an_unreadable_amount_in_a_cell_is_kept_as_typed_and_told(qtbot, open_editor) -> None:
    editor = open_editor(project())
    section = section_of(editor, "breakdown")
    model = section.model
    assert model.setData(model.index(0, col(section, "unit_price")), "约三十万")
    assert editor.project.breakdown[0].unit_price == "约三十万"
    assert "请输入数字金额" in editor.last_notice
    reads_back(editor.project)


def test_an_amount_too_large_for_a_funding_field_is_not_stored(qtbot, open_editor) -> None:
    editor = open_editor(project())
    editor.project.funding.annual = Decimal("1159620.00")
    line = editor.widget_for("funding.annual")
    line.setText("1,159,620.00")
    line.selectAll()
    paste_into(qtbot, line, "1" + "0" * 18)
    assert editor.project.funding.annual == Decimal("1159620.00")
    assert "金额不能超过" in editor.last_notice
    line.editingFinished.emit()  # the field left: it shows the amount kept
    assert line.text() == "1,159,620.00"
    assert "金额不能超过" in editor.last_notice and "未录入" in editor.last_notice
    reads_back(editor.project)


def test_which_amounts_are_refused_rather_than_kept_as_typed() -> None:
    assert amount_refusal("1" + "0" * 15) is not None  # 10^15 元
    assert amount_refusal("-" + "9" * 30) is not None
    assert amount_refusal("1,000,000,000,000,000") is not None
    assert amount_refusal("1" * 65) is not None  # longer than a file's amount
    assert amount_refusal("999999999999999.99") is None
    assert amount_refusal("12.5万") is None
    assert amount_refusal("约三十万") is None  # unreadable: kept as typed, F01 names it
    assert amount_refusal("") is None


# ---------------------------------------------------------------- what no file holds


def test_a_nul_pasted_into_a_field_a_text_or_a_cell_is_dropped(qtbot, open_editor) -> None:
    editor = open_editor(project())
    line = editor.widget_for("name")
    line.selectAll()
    paste_into(qtbot, line, "公务\x00用车")
    assert editor.project.name == "公务用车" and line.text() == "公务用车"
    box = editor.widget_for("overview")
    box.selectAll()
    paste_into(qtbot, box, "第一段\x00\n第二段")
    assert editor.project.overview == "第一段\n第二段"
    section = section_of(editor, "indicators")
    section.table.setCurrentIndex(section.model.index(0, col(section, "name")))
    QGuiApplication.clipboard().setText("车辆\x00数")
    section.paste()
    assert editor.project.indicators[0].name == "车辆数"
    reads_back(editor.project)  # the 数据包 reader refuses a NUL in any text


# ---------------------------------------------------------------- 说明


def test_the_explanation_dialog_takes_1_to_200_characters(qtbot) -> None:
    from desktop.ui.problems import ExplanationDialog

    dialog = ExplanationDialog(["满意度目标值偏低"])
    qtbot.addWidget(dialog)
    dialog.text.setPlainText("核" * 201)
    assert not dialog.ok_button.isEnabled()
    assert "最多 200 个字" in dialog.problem.text()
    dialog.text.setPlainText("核" * 200)
    assert dialog.ok_button.isEnabled()
    dialog.text.setPlainText("   ")
    assert not dialog.ok_button.isEnabled()


# ---------------------------------------------------------------- in the window


def test_the_window_says_it_in_its_status_bar_and_saves_what_was_kept(
    qtbot, make_window, tmp_path: Path
) -> None:
    window, view = make_window(tmp_path / "w.db")
    view.new_project = (2021, "车辆购置费", FAMILY)
    window.new_button.click()
    editor = window.editor
    assert editor is not None
    line = editor.widget_for("name")
    line.selectAll()
    paste_into(qtbot, line, "名" * 201)
    assert "项目名称最多 200 个字符" in window.statusBar().currentMessage()
    section = section_of(editor, "indicators")
    QGuiApplication.clipboard().setText(indicator_lines(501))
    section.paste()
    assert "其余 1 行超出上限" in window.statusBar().currentMessage()
    assert editor.flush()
    stored = window.repo.load(editor.project.id)  # as saved in the database
    assert len(stored.name) == MAX_NAME_CHARS and len(stored.indicators) == MAX_ROWS
    reads_back(stored)


def test_an_amount_worked_out_beyond_the_bound_is_not_stored(qtbot, open_editor) -> None:
    editor = open_editor(project())
    model = section_of(editor, "breakdown").model
    assert model.set_cells([(0, "amount", Decimal(10) ** 15)], "按单价×数量填入") == 0
    assert editor.project.breakdown[0].amount == Decimal("300000.00")
    assert "金额不能超过" in editor.last_notice


def test_the_new_project_dialog_holds_the_name_to_200_characters(qtbot) -> None:
    from desktop.ui.main_window import NewProjectDialog

    dialog = NewProjectDialog(2026)
    qtbot.addWidget(dialog)
    dialog.name.setText("")
    dialog.name.insert("项" * (MAX_NAME_CHARS + 1))  # a paste one character too long
    assert dialog.name.text() == "项" * MAX_NAME_CHARS
    assert "200" in dialog.name_note.text() and not dialog.name_note.isHidden()
