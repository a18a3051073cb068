"""Project commands in the window: 复制, 删除 to the 回收站 and back, 定稿 / 撤销定稿, 导出数据包."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from rule_helpers import baseline
from window_helpers import SHARED, type_text

from desktop.models.project import STATUS_FINAL
from desktop.ui.main_window import TrashDialog


def window_with(make_window, *projects):
    window, view = make_window()
    window.repo.save_many(list(projects))
    window.refresh_list(select=projects[0].id)
    window.open_project(projects[0].id)
    return window, view


def listed(window) -> list[str]:
    return [window.list_model.summary(r).name for r in range(window.list_model.rowCount())]


def test_copy_makes_an_independent_project_and_opens_it(make_window) -> None:
    window, _ = window_with(make_window, baseline())
    source_id = window.editor.project.id
    window.act_copy.trigger()
    copy = window.editor.project
    assert copy.id != source_id and copy.name == "车辆购置费（副本）"
    assert len(copy.indicators) == len(window.repo.load(source_id).indicators)
    assert sorted(listed(window)) == ["车辆购置费", "车辆购置费（副本）"]
    copy.indicators[0].name = "改过的指标"
    window.editor.touch()
    window.editor.flush()
    assert window.repo.load(source_id).indicators[0].name != "改过的指标"


def test_delete_goes_to_the_trash_and_comes_back(make_window) -> None:
    window, view = window_with(make_window, baseline())
    project_id = window.editor.project.id
    window.act_delete.trigger()
    assert window.editor is None and listed(window) == []
    assert "回收站" in window.statusBar().currentMessage()

    trash = TrashDialog(window)
    assert trash.model.rowCount() == 1 and trash.model.summary(0).id == project_id
    trash.restore_selected()
    assert trash.model.rowCount() == 0 and trash.empty_label.isVisibleTo(trash)
    assert listed(window) == ["车辆购置费"]
    assert window.editor is not None and window.editor.project.id == project_id


def test_purge_asks_first_and_only_then_deletes_for_good(make_window) -> None:
    window, view = window_with(make_window, baseline())
    project_id = window.editor.project.id
    window.act_delete.trigger()
    trash = TrashDialog(window)
    view.confirm_answer = False
    trash.purge_selected()
    assert trash.model.rowCount() == 1  # the clerk said no
    view.confirm_answer = True
    trash.purge_selected()
    assert trash.model.rowCount() == 0
    assert len(view.confirmations) == 2 and "无法恢复" in view.confirmations[0]
    try:
        window.repo.load(project_id)
    except KeyError:
        pass
    else:  # pragma: no cover - the assertion message
        raise AssertionError("a purged project still loads")


def test_final_is_refused_while_errors_remain_and_points_at_the_first(make_window) -> None:
    window, view = make_window()
    view.files = [str(SHARED / "cases" / "seed003-open-2021.json")]
    window.import_button.click()
    window.table.setCurrentIndex(window.filter.index(0, 0))
    editor = window.editor
    errors = [f for f in editor.findings if f.is_error]
    assert errors, "pick a case with errors"
    window.act_final.trigger()
    title, text, is_error = view.messages[-1]
    assert title == "不能定稿" and is_error and f"{len(errors)} 个错误" in text
    assert not editor.project.is_final
    assert window.repo.load(editor.project.id).status == "draft"


def test_final_project_is_read_only_until_final_is_withdrawn(make_window, qtbot) -> None:
    window, view = window_with(make_window, baseline())
    editor = window.editor
    window.act_final.trigger()
    assert editor.project.is_final and window.repo.load(editor.project.id).status == STATUS_FINAL
    assert window.act_final.text() == "撤销定稿(&F)"
    assert editor.final_banner.isVisibleTo(editor)
    assert window.list_model.summary(0).status_label == "定稿"

    name = editor.widget_for("name")
    assert name.isReadOnly()
    type_text(name, "改名")
    assert editor.project.name == "车辆购置费"
    model = editor.row_editors["indicators"].model
    before = editor.project.indicators[0].name
    assert not model.setData(model.index(0, 2), "改过")
    assert editor.project.indicators[0].name == before
    QGuiApplication.clipboard().setText("产出指标\t数量指标\t新指标\t=1个")
    assert editor.row_editors["indicators"].paste() == 0
    stages = editor.row_editors["guarantees"].model
    assert not stages.flags(stages.index(0, 3)) & Qt.ItemFlag.ItemIsUserCheckable
    window.act_undo.trigger()
    assert editor.undo_stack.count() == 0 and not editor.has_unsaved

    window.act_final.trigger()  # 撤销定稿
    assert not editor.project.is_final and not name.isReadOnly()
    assert window.repo.load(editor.project.id).status == "draft"
    with qtbot.waitSignal(editor.saved, timeout=5000):
        type_text(name, "二")
    assert window.repo.load(editor.project.id).name.endswith("二")


def test_export_flushes_first_and_writes_a_package_that_reads_back(
    make_window, tmp_path: Path
) -> None:
    from desktop.export.package import read_package_file

    window, view = window_with(make_window, baseline())
    editor = window.editor
    target = tmp_path / "out.json"
    view.ask_save_file = lambda *_a: str(target)  # type: ignore[method-assign]
    type_text(editor.widget_for("unit"), "区机关事务管理局")
    assert editor.has_unsaved
    window.act_export.trigger()
    assert not editor.has_unsaved  # saved before writing
    back = read_package_file(target).projects
    assert [p.unit for p in back] == [editor.project.unit]
    assert json.loads(target.read_text(encoding="utf-8"))["format"]
