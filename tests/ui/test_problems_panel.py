"""The problems panel as a clerk uses it: one line per code, opened to each finding, a
click to the cell, and 说明… on a warning that is right as it stands (dialog mocked)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.models.project import STATUS_FINAL, Indicator, Project, new_project
from desktop.ui import problems
from desktop.ui.problems import EXPLAINED_COLOR, NOT_APPLYING, ExplanationDialog

ANSWER = "满意度按区机管局统一口径考核，已核对。"


def project() -> Project:
    """Five bare ``90%`` satisfaction targets (I04 five times), one blank target (I02)."""
    p = new_project(2021, "车辆购置费", "shanghai-2021")
    p.overall_goal = p.annual_goal = "本年计划购置公务用车2部"
    p.indicators = [
        Indicator("产出指标", "数量指标", "车辆购置完成数", "=2部"),
        Indicator("产出指标", "数量指标", "培训人数", None),
        Indicator("产出指标", "质量指标", "采购流程合规率", "=100%"),
        Indicator("产出指标", "时效指标", "采购完成及时率", "=100%"),
        Indicator("效益指标", "社会效益指标", "满足机关公务用车需求", "满足"),
        *(
            Indicator("满意度指标", "服务对象满意度指标", f"{who}满意度", "90%")
            for who in ("工作人员", "驾驶员", "使用部门", "后勤人员", "来访人员")
        ),
    ]
    return p


def top_texts(editor) -> list[str]:  # type: ignore[no-untyped-def]
    tree = editor.problems
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]


def click(qtbot, tree, item) -> None:  # type: ignore[no-untyped-def]
    tree.scrollToItem(item)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center()
    )


def target_cell(editor, row: int):  # type: ignore[no-untyped-def]
    model = editor.row_editors["indicators"].model
    return model.index(row, [c.attr for c in model.columns].index("target"))


def test_one_line_per_code_with_its_count_errors_first(open_editor) -> None:
    editor = open_editor(project())
    tree = editor.problems
    assert tree.objectName() == "problemsList" and tree.accessibleName() == "问题列表"
    texts = top_texts(editor)
    assert texts[0].startswith("[错误 I02] 第 2 行指标“培训人数”")
    group = editor.problems_panel.group_item("warning:I04")
    assert group is not None and group.text(0) == "警告 I04 · 目标值缺少比较符（5 处）"
    assert group.childCount() == 5 and not group.isExpanded()
    assert [group.child(i).data(0, Qt.ItemDataRole.UserRole) for i in range(5)] == [
        f"indicators[{row}].target" for row in range(5, 10)
    ]
    # a code that occurs once stays one line, with its code
    assert any(t.startswith("[警告 P03] ") for t in texts)
    # 20 findings or so, but only a handful of lines
    assert tree.topLevelItemCount() < len(editor.findings)
    assert "问题：错误 1，警告" in editor.problems_panel.title.text()


def test_a_group_stays_open_across_the_live_check_and_is_not_redrawn_for_nothing(
    open_editor, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = open_editor(project())
    panel = editor.problems_panel
    panel.group_item("warning:I04").setExpanded(True)
    rebuilt: list[int] = []
    rebuild = panel._rebuild
    monkeypatch.setattr(panel, "_rebuild", lambda: (rebuilt.append(1), rebuild()))

    editor.edit(editor.project, "contact", "张三")  # checked again, findings the same
    assert rebuilt == []

    model = editor.row_editors["indicators"].model
    model.setData(target_cell(editor, 6), "≥90%", Qt.ItemDataRole.EditRole)
    assert rebuilt == [1]
    group = panel.group_item("warning:I04")
    assert group.text(0) == "警告 I04 · 目标值缺少比较符（4 处）"
    assert group.isExpanded()  # still open as the clerk left it


def test_clicking_a_finding_of_a_group_puts_the_cursor_in_its_cell(open_editor, qtbot) -> None:
    editor = open_editor(project())
    tree = editor.problems
    section = editor.row_editors["indicators"]
    editor.tabs.setCurrentIndex(0)
    group = editor.problems_panel.group_item("warning:I04")
    group.setExpanded(True)
    click(qtbot, tree, group.child(2))
    assert editor.tabs.currentWidget() is section
    assert section.table.currentIndex() == target_cell(editor, 7)

    editor.tabs.setCurrentIndex(0)
    click(qtbot, tree, group)  # a group line goes to its first finding
    assert editor.tabs.currentWidget() is section
    assert section.table.currentIndex() == target_cell(editor, 5)

    category = next(
        tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
        if tree.topLevelItem(i).text(0).startswith("[警告 P03]")
    )
    tree.itemActivated.emit(category, 0)  # Enter on a line: the same jump
    assert editor.tabs.currentIndex() == 0


def test_a_explanation_written_in_the_panel_greys_the_warning_is_stored_and_undone(
    open_editor, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = open_editor(project())
    panel = editor.problems_panel
    asked: list[tuple[list[str], str]] = []

    def answer(_parent, messages, current):  # type: ignore[no-untyped-def]
        asked.append((list(messages), current))
        return ANSWER

    monkeypatch.setattr(problems, "ask_explanation", answer)
    group = panel.group_item("warning:I04")
    group.setExpanded(True)
    editor.problems.setCurrentItem(group.child(0))
    assert panel.explain_button.isEnabled() and panel.explain_button.text() == "说明…"
    assert not panel.remove_button.isEnabled()
    with qtbot.waitSignal(editor.saved, timeout=5000):
        panel.explain_button.click()
    [(messages, current)] = asked
    assert "工作人员满意度" in messages[0] and current == ""

    [answered] = [f for f in editor.findings if f.explanation]
    assert answered.field == "indicators[5].target" and answered.explanation == ANSWER
    done = panel.group_item("explained")
    assert done is not None and done.text(0) == "已说明（1 处）"
    assert top_texts(editor)[-1] == "已说明（1 处）"  # at the end
    [line] = [done.child(i) for i in range(done.childCount())]
    assert line.text(0).startswith(f"已说明：{ANSWER}")  # the answer first, then the warning
    assert line.foreground(0).color() == EXPLAINED_COLOR
    assert panel.group_item("warning:I04").text(0).endswith("（4 处）")
    tip = editor.row_editors["indicators"].model.data(
        target_cell(editor, 5), Qt.ItemDataRole.ToolTipRole
    )
    assert f"已说明：{ANSWER}" in tip

    key = "I04|indicators[工作人员满意度].target"
    stored = editor.repo.load(editor.project.id or "")
    assert stored.explanations == {key: ANSWER}
    assert editor.repo.summaries()[0].explained == 1

    with qtbot.waitSignal(editor.saved, timeout=5000):
        editor.undo_stack.undo()
    assert editor.project.explanations == {}
    assert panel.group_item("explained") is None
    assert panel.group_item("warning:I04").text(0).endswith("（5 处）")
    assert editor.repo.load(editor.project.id or "").explanations == {}
    assert editor.repo.summaries()[0].explained == 0


def test_a_field_answered_shows_grey_with_its_explanation(
    open_editor, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = project()
    p.explanations = {"P03|category": "项目类别由主管部门统一确定。"}
    editor = open_editor(p)
    widget = editor.widget_for("category")
    assert widget.property("finding") == "explained"
    assert "已说明：项目类别由主管部门统一确定。" in widget.toolTip()
    done = editor.problems_panel.group_item("explained")
    editor.problems.setCurrentItem(done.child(0))
    panel = editor.problems_panel
    assert panel.explain_button.text() == "修改说明…" and panel.remove_button.isEnabled()
    assert panel.remove_current()
    assert editor.project.explanations == {}
    assert widget.property("finding") == "warning"


def test_one_explanation_for_every_warning_of_a_group_is_one_step(
    open_editor, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = open_editor(project())
    panel = editor.problems_panel
    monkeypatch.setattr(problems, "ask_explanation", lambda *_a: ANSWER)
    group = panel.group_item("warning:I04")
    words = [a.text() for a in panel.menu_for(group).actions()]
    assert words == ["转到", "为这 5 处警告写同一说明…"]
    editor.problems.setCurrentItem(group)
    assert panel.explain_current()
    assert sum(1 for f in editor.findings if f.explanation == ANSWER) == 5
    assert panel.group_item("warning:I04") is None
    assert panel.group_item("explained:I04").text(0) == "警告 I04 · 目标值缺少比较符（5 处）"
    assert editor.undo_stack.count() == 1
    editor.undo_stack.undo()
    assert not any(f.explanation for f in editor.findings)


def test_an_error_offers_no_explanation_and_a_stored_one_does_not_apply(
    open_editor, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = project()
    p.explanations = {"I02|indicators[培训人数].target": "人数待定。"}
    editor = open_editor(p)
    panel = editor.problems_panel
    error = editor.problems.topLevelItem(0)
    assert error.text(0).startswith("[错误 I02]") and error.text(0).endswith(NOT_APPLYING)
    assert "不适用" in error.toolTip(0)
    assert panel.group_item("explained") is None
    editor.problems.setCurrentItem(error)
    assert not panel.explain_button.isEnabled() and panel.remove_button.isEnabled()
    monkeypatch.setattr(problems, "ask_explanation", lambda *_a: pytest.fail("not asked"))
    assert not panel.explain_current()
    assert [a.text() for a in panel.menu_for(error).actions()] == ["转到", "删除说明"]
    assert panel.remove_current()
    assert editor.project.explanations == {}
    assert not editor.problems.topLevelItem(0).text(0).endswith(NOT_APPLYING)


def test_a_final_project_offers_no_explanation(open_editor) -> None:
    p = project()
    p.indicators.pop()  # no error
    p.status = STATUS_FINAL
    editor = open_editor(p)
    panel = editor.problems_panel
    group = panel.group_item("warning:I04")
    editor.problems.setCurrentItem(group)
    assert not panel.explain_button.isEnabled()
    assert [a.text() for a in panel.menu_for(group).actions()] == ["转到"]
    assert not panel.explain_current()


def test_the_dialog_takes_1_to_200_characters_and_trims(qtbot) -> None:
    dialog = ExplanationDialog(["第 5 行指标“工作人员满意度”的指标目标值“90%”缺少比较符"])
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "说明警告"
    assert {b.text() for b in dialog.buttons.buttons()} == {"确定", "取消"}
    assert not dialog.ok_button.isEnabled() and dialog.problem.text() == ""
    dialog.text.setPlainText("说" * 201)
    assert not dialog.ok_button.isEnabled()
    assert "最多 200 个字，现在有 201 个" in dialog.problem.text()
    assert dialog.counter.text() == "201/200"
    dialog.text.setPlainText("  已核对。 ")
    assert dialog.ok_button.isEnabled() and dialog.problem.text() == ""
    assert dialog.value() == "已核对。"


def test_the_project_list_counts_the_answered_warnings(make_window, tmp_path: Path) -> None:
    from desktop.export.package import package_bytes

    p = project()
    p.explanations = {"I04|indicators[驾驶员满意度].target": ANSWER}
    file = tmp_path / "p.json"
    file.write_bytes(package_bytes([p]))
    window, view = make_window()
    view.files = [str(file)]
    window.import_button.click()
    warnings = window.filter.index(0, 7)
    assert window.filter.data(warnings).endswith("（已说明 1）")
    tip = window.filter.data(window.filter.index(0, 1), Qt.ItemDataRole.ToolTipRole)
    assert "其中已说明 1 个" in tip
