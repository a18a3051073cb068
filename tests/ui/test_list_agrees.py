"""The list always shows and selects the project the editor holds (issue 15, item 8):
after 新建, 复制到下一年度, 恢复 (回收站, 定稿记录) and 导入, whatever 年度 filter or
search was active, so 删除 acts on the project the clerk sees."""

from __future__ import annotations

from pathlib import Path

from rule_helpers import baseline
from window_helpers import SHARED

from desktop.ui.project_list import ID_ROLE
from desktop.ui.snapshots_dialog import SnapshotsDialog

CASES = sorted((SHARED / "cases").glob("*.json"))


def assert_agrees(window) -> None:  # type: ignore[no-untyped-def]
    assert window.editor is not None
    held = window.editor.project.id
    current = window.table.currentIndex()
    assert current.isValid(), "the open project is hidden from the list"
    assert current.data(ID_ROLE) == held
    selected = [i.data(ID_ROLE) for i in window.table.selectionModel().selectedRows()]
    assert selected == [held]
    assert window.chosen_ids() == [held]


def imported(make_window):  # type: ignore[no-untyped-def]
    window, view = make_window()
    view.files = [str(p) for p in CASES]
    window.import_packages()
    return window, view


def open_year(window, year: int) -> str:  # type: ignore[no-untyped-def]
    window.year_box.setCurrentText(str(year))
    window.table.setCurrentIndex(window.filter.index(0, 0))
    assert window.editor.project.year == year
    return window.editor.project.id


def test_new_project_of_another_year_is_shown_and_selected(make_window) -> None:
    window, view = imported(make_window)
    open_year(window, 2020)
    window.search.setText("政府雇员")
    view.new_project = (2023, "新项目", "shanghai-2021")
    window.act_new.trigger()
    assert window.editor.project.name == "新项目"
    assert window.year_box.currentText() in ("2023", "全部年度")
    assert window.search.text() == ""
    assert_agrees(window)


def test_copy_to_next_year_switches_the_year_filter(make_window) -> None:
    window, _ = imported(make_window)
    source = open_year(window, 2021)
    window.act_next_year.trigger()
    assert window.editor.project.id != source and window.editor.project.year == 2022
    assert window.year_box.currentText() == "2022"
    assert_agrees(window)
    # 删除 acts on the copy the clerk sees
    copy = window.editor.project.id
    window.act_delete.trigger()
    assert window.repo.load(source).year == 2021
    assert copy not in [s.id for s in window.repo.summaries()]


def test_restore_from_the_trash_under_another_year(make_window) -> None:
    from desktop.ui.main_window import TrashDialog

    window, _ = imported(make_window)
    gone = open_year(window, 2020)
    window.act_delete.trigger()
    open_year(window, 2021)
    trash = TrashDialog(window)
    trash.table.selectRow(0)
    assert trash.selected_id() == gone
    trash.restore_selected()
    assert window.editor.project.id == gone
    assert window.year_box.currentText() == "2020"
    assert_agrees(window)


def test_restore_a_snapshot_clears_a_search_that_hides_it(make_window, qtbot) -> None:
    window, view = imported(make_window)
    clean = baseline()  # finalisable: 定稿 keeps a record
    window.repo.save(clean)
    window.refresh_list(select=clean.id)
    assert window.editor.project.id == clean.id
    window.act_final.trigger()
    assert window.editor.project.is_final
    window.act_final.trigger()  # 撤销定稿
    window.act_snapshots.trigger()
    dialog: SnapshotsDialog = view.snapshot_dialogs[-1]
    assert dialog.infos
    window.search.setText("没有这样的项目")
    window.year_box.setCurrentText("2020")
    assert not window.table.currentIndex().isValid()
    dialog.table.selectRow(0)
    with qtbot.waitSignal(dialog.restored, timeout=2000):
        dialog.restore_button.click()
    assert window.search.text() == ""
    assert window.year_box.currentText() == "2021"
    assert window.editor.project.id == clean.id
    assert_agrees(window)


def test_import_of_another_year_is_shown_and_selected(make_window, tmp_path: Path) -> None:
    window, view = make_window()
    view.files = [str(p) for p in CASES if "2020" in p.name]
    window.import_packages()
    open_year(window, 2020)
    view.files = [str(p) for p in CASES if "2021" in p.name]
    window.import_packages()
    assert window.editor.project.year == 2021
    assert window.year_box.currentText() == "2021"
    assert_agrees(window)
