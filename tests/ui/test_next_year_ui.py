"""Faster than retyping, in the window: 新建 from a template, 复制到下一年度 with review marks, 对比."""

from __future__ import annotations

from PySide6.QtCore import Qt
from window_helpers import SHARED

from desktop.models.project import Project
from desktop.models.templates import TEMPLATES
from desktop.ui.compare_view import CompareDialog
from desktop.ui.review import REVIEW_STYLE, REVIEW_TIP

IT_CASE = "区机关单位办公用房与公务用车信息管理系统(2021运维)"


def open_case(make_window, name: str = IT_CASE, file: str = "seed003-open-2021.json"):
    window, view = make_window()
    view.files = [str(SHARED / "cases" / file)]
    window.import_button.click()
    window.search.setText(name)
    window.table.setCurrentIndex(window.filter.index(0, 0))
    window.search.clear()
    assert window.editor is not None and window.editor.project.name == name
    return window, view


def is_marked(editor, path: str) -> bool:
    widget = editor.widget_for(path)
    return bool(widget.property("review")) and widget.styleSheet() == REVIEW_STYLE


def type_amount(qtbot, editor, path: str, text: str) -> None:
    line = editor.widget_for(path)
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)


# ---------------------------------------------------------------- 新建 from a template


def test_new_project_from_a_template_is_prefilled_and_cannot_be_finalized_unfilled(
    make_window,
) -> None:
    window, view = make_window()
    view.new_project = (2022, "办公系统运维", "shanghai-2021", "it-maintenance")
    window.act_new.trigger()
    editor = window.editor
    p = editor.project
    template = TEMPLATES["it-maintenance"]
    assert (p.year, p.name, p.category) == (2022, "办公系统运维", template.category)
    assert [i.name for i in p.indicators] == [r.name for r in template.indicators]
    assert editor.row_editors["indicators"].model.rowCount() == len(template.indicators)
    assert "模板" in window.statusBar().currentMessage()
    goal = editor.widget_for("overall_goal")
    assert "【请填写系统名称】" in goal.toPlainText()
    assert goal.property("finding") == "error" and "【请填写…】" in goal.toolTip()

    window.act_final.trigger()
    title, text, error = view.messages[-1]
    assert title == "不能定稿" and error and "2 个错误" in text
    errors = [(f.code, f.field) for f in editor.findings if f.is_error]
    assert errors == [("P11", "overall_goal"), ("P11", "annual_goal")]
    assert not window.repo.load(p.id).is_final


def test_the_minhang_outline_is_editable(make_window) -> None:
    window, view = make_window()
    view.new_project = (2022, "党建经费", "minhang-2020", "party-building")
    window.act_new.trigger()
    editor = window.editor
    activity = editor.widget_for("main_activity")
    assert activity is not None and "【请填写活动名称】" in activity.toPlainText()
    editor.go_to("main_activity")
    assert activity.hasFocus() or editor.tabs.currentIndex() == 0
    assert editor.project.indicators[0].level1 == "产出目标"


def test_a_blank_project_still_comes_from_a_three_value_answer(make_window) -> None:
    window, view = make_window()
    view.new_project = (2022, "车辆购置费", "shanghai-2021")
    window.act_new.trigger()
    assert window.editor.project.indicators == []


def test_a_new_project_takes_the_units_details_from_its_latest_project(make_window) -> None:
    window, view = open_case(make_window)
    latest = window.repo.load(max(window.repo.summaries(), key=lambda s: s.updated_at).id)
    view.new_project = (2022, "办公系统运维", "shanghai-2021", "it-maintenance")
    window.act_new.trigger()
    p = window.editor.project
    assert (p.department, p.unit) == (latest.department, latest.unit)
    assert p.unit and p.department  # the 2021 cases have both
    assert window.editor.widget_for("unit").text() == latest.unit
    assert "沿用了" in window.statusBar().currentMessage()
    assert window.repo.load(p.id).unit == latest.unit  # saved, not only shown


def test_the_first_project_of_a_database_takes_nothing(make_window) -> None:
    window, view = make_window()
    view.new_project = (2022, "办公系统运维", "shanghai-2021", None)
    window.act_new.trigger()
    p = window.editor.project
    assert (p.department, p.unit, p.leader) == (None, None, None)
    assert "沿用" not in window.statusBar().currentMessage()


# ---------------------------------------------------------------- 复制到下一年度


def test_copy_to_next_year_opens_the_copy_with_amber_amounts(make_window, qtbot) -> None:
    window, view = open_case(make_window)
    source_id = window.editor.project.id
    window.act_next_year.trigger()
    assert view.next_year_asked == [("shanghai-2021", 2021)]
    editor = window.editor
    p = editor.project
    assert p.id != source_id and p.year == 2022 and p.name == IT_CASE.replace("2021", "2022")
    assert p.copied_from == source_id
    assert p.review == ["funding.total", "funding.total_fiscal", "funding.annual"]
    for path in p.review:
        assert is_marked(editor, path)
        assert REVIEW_TIP in editor.widget_for(path).toolTip()
    assert not is_marked(editor, "funding.annual_fiscal")  # blank last year: nothing to check
    assert not editor.confirm_review_button.isHidden()  # on the 项目资金 tab
    title, text, _ = view.messages[-1]
    assert title == "复制到下一年度" and "2022 年度" in text and "3 项金额沿用上年数据" in text
    listed = {
        (window.list_model.summary(r).year, window.list_model.summary(r).name)
        for r in range(window.list_model.rowCount())
    }
    assert (2021, IT_CASE) in listed and (2022, IT_CASE.replace("2021", "2022")) in listed

    # editing clears the mark; Ctrl+Z brings value and mark back; Ctrl+Y clears it again
    type_amount(qtbot, editor, "funding.total", "5000")
    assert str(p.funding.total) == "5000" and "funding.total" not in p.review
    assert not is_marked(editor, "funding.total")
    editor.undo_stack.undo()
    assert str(p.funding.total) == "4500" and "funding.total" in p.review
    assert is_marked(editor, "funding.total")
    assert editor.widget_for("funding.total").text() == "4,500.00"
    editor.undo_stack.redo()
    assert "funding.total" not in p.review and str(p.funding.total) == "5000"

    # 全部确认 clears the rest in one undoable step
    editor.confirm_review_button.click()
    assert p.review == [] and editor.confirm_review_button.isHidden()
    assert not any(is_marked(editor, f"funding.{k}") for k in ("total_fiscal", "annual"))
    editor.undo_stack.undo()
    assert p.review == ["funding.total_fiscal", "funding.annual"]
    assert is_marked(editor, "funding.annual")


def test_copy_to_another_family_converts_and_says_so(make_window) -> None:
    window, view = open_case(make_window, "政府雇员项目", "seed000-001-minhang-2020.json")
    view.next_year_family = "shanghai-2021"
    window.act_next_year.trigger()
    p = window.editor.project
    assert (p.year, p.family) == (2021, "shanghai-2021")
    assert (p.indicators[0].level1, p.indicators[0].level2) == ("产出指标", "数量指标")
    assert "breakdown" not in window.editor.row_editors and p.breakdown == []
    text = view.messages[-1][1]
    assert "项目构成分解只在" in text and "一级、二级指标已改为新表式的写法" in text


def test_copy_to_next_year_cancelled_changes_nothing(make_window) -> None:
    window, view = open_case(make_window)
    count = window.list_model.rowCount()
    view.next_year_family = None
    window.act_next_year.trigger()
    assert window.list_model.rowCount() == count and window.editor.project.year == 2021


def test_marks_survive_switching_projects(make_window) -> None:
    window, view = open_case(make_window)
    source_id = window.editor.project.id
    window.act_next_year.trigger()
    copy_id = window.editor.project.id
    window.open_project(source_id)
    window.open_project(copy_id)
    assert is_marked(window.editor, "funding.total")
    assert window.editor.project.copied_from == source_id


# ---------------------------------------------------------------- 与上一年度对比


def test_compare_with_last_year_shows_the_copy_beside_its_source(make_window, qtbot) -> None:
    window, view = open_case(make_window)
    source_id = window.editor.project.id
    window.act_next_year.trigger()
    type_amount(qtbot, window.editor, "funding.total", "5000")
    window.act_compare_last.trigger()
    old, new, old_title, new_title = view.compared[-1]
    assert old.id == source_id and new.id == window.editor.project.id
    assert (old_title, new_title) == ("2021 年度（上年）", "2022 年度（本年）")

    dialog = CompareDialog(old, new, old_title, new_title)
    qtbot.addWidget(dialog)
    headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(3)]
    assert headers == ["栏目", "2021 年度（上年）", "2022 年度（本年）"]
    # the standard 制度 rows the copy added are still blank: nothing to show there
    assert dialog.shown_sections() == ["项目总体情况", "项目资金", "绩效目标"]
    everything = dialog.visible_lines()
    assert ("项目资金", "年度资金申请总额", "4,500.00", "4,500.00") in everything
    dialog.only_differences.setChecked(True)
    assert dialog.visible_lines() == [
        ("项目总体情况", "年度", "2021", "2022"),
        ("项目总体情况", "项目名称", IT_CASE, IT_CASE.replace("2021", "2022")),
        ("项目总体情况", "计划开始日期", "2021-01-01", "2022-01-01"),
        ("项目总体情况", "计划完成日期", "2021-12-31", "2022-12-31"),
        ("项目资金", "项目资金总额", "4,500.00", "5,000.00"),
    ]
    assert dialog.shown_sections() == ["项目总体情况", "项目资金"]
    assert set(dialog.highlighted_labels()) == {
        "年度",
        "项目名称",
        "计划开始日期",
        "计划完成日期",
        "项目资金总额",
    }
    assert "5 处不同" in dialog.summary.text()
    dialog.only_differences.setChecked(False)
    assert dialog.visible_lines() == everything


def test_compare_finds_last_year_s_project_by_name(make_window) -> None:
    window, view = make_window()
    last = Project(year=2021, name="党建经费", template="shanghai-2021", annual_goal="去年")
    this = Project(year=2022, name="党建经费", template="shanghai-2021", annual_goal="今年")
    window.repo.save_many([last, this])
    window.refresh_list(select=this.id)
    window.open_project(this.id)
    window.act_compare_last.trigger()
    old, new, *_ = view.compared[-1]
    assert (old.id, new.id) == (last.id, this.id)


def test_compare_without_last_year_says_so(make_window) -> None:
    window, view = make_window()
    view.new_project = (2022, "新项目", "shanghai-2021")
    window.act_new.trigger()
    window.act_compare_last.trigger()
    assert view.compared == []
    assert (
        view.messages[-1][0] == "与上一年度对比"
        and "没有找到2021 年度的“新项目”" in view.messages[-1][1]
    )


def test_copying_again_asks_first_even_though_the_name_s_year_moved(make_window) -> None:
    window, view = open_case(make_window)
    source_id = window.editor.project.id
    window.act_next_year.trigger()
    assert view.confirmations == []  # the first copy: nothing to ask
    window.open_project(source_id)
    view.confirm_answer = False
    count = window.list_model.rowCount()
    window.act_next_year.trigger()
    # "(2022运维)" is this project's copy although its name no longer reads "(2021运维)"
    assert len(view.confirmations) == 1 and "2022 年度已有同名项目" in view.confirmations[0]
    assert window.list_model.rowCount() == count
