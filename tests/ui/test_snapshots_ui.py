"""定稿记录… in the window: 定稿 keeps a version, 与当前对比 shows it beside now, 恢复此版本
asks first, puts it back as a 草稿 in the editor and keeps what was there as 恢复前."""

from __future__ import annotations

from rule_helpers import baseline

from desktop.models.project import STATUS_DRAFT
from desktop.ui.snapshots_dialog import SnapshotsDialog


def finalised_window(make_window):  # type: ignore[no-untyped-def]
    window, view = make_window()
    p = baseline()
    window.repo.save(p)
    window.refresh_list(select=p.id)
    window.open_project(p.id)
    window.act_final.trigger()
    assert window.editor.project.is_final
    return window, view, p


def rows(dialog: SnapshotsDialog) -> list[list[str]]:
    t = dialog.table
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def test_the_menu_lists_the_versions_of_the_open_project(make_window) -> None:
    window, view, p = finalised_window(make_window)
    assert window.act_snapshots.isEnabled()
    window.act_snapshots.trigger()
    [dialog] = view.snapshot_dialogs
    [[time, status, count, label]] = rows(dialog)
    assert (status, count, label) == ("定稿", str(len(p.indicators)), "定稿")
    assert time[:4].isdigit() and "T" not in time
    assert dialog.compare_button.isEnabled() and dialog.restore_button.isEnabled()


def test_no_project_open_no_records(make_window) -> None:
    window, view = make_window()
    assert not window.act_snapshots.isEnabled()
    window.show_snapshots()
    assert view.snapshot_dialogs == []


def test_a_project_never_finalised_says_how_records_come(make_window) -> None:
    window, view = make_window()
    p = baseline()
    window.repo.save(p)
    window.refresh_list(select=p.id)
    window.open_project(p.id)
    window.act_snapshots.trigger()
    [dialog] = view.snapshot_dialogs
    assert rows(dialog) == [] and dialog.empty_label.isVisibleTo(dialog)
    assert not dialog.compare_button.isEnabled() and not dialog.restore_button.isEnabled()


def test_compare_calls_the_injected_callable_with_then_and_now(make_window) -> None:
    window, view, p = finalised_window(make_window)
    window.act_final.trigger()  # 撤销定稿
    window.editor.edit(window.editor.project, "name", "车辆购置费（修改后）")
    seen = []
    dialog = SnapshotsDialog(window, lambda *args: seen.append(args))
    dialog.compare_button.click()
    [(old, new, old_title, new_title)] = seen
    assert old.name == "车辆购置费" and old.is_final
    assert new.name == "车辆购置费（修改后）" and new is window.editor.project
    assert old_title.startswith("定稿（") and new_title == "当前"
    assert window.repo.load(p.id).name == "车辆购置费（修改后）"  # saved before comparing


def test_the_windows_compare_goes_through_the_view(make_window) -> None:
    window, view, _ = finalised_window(make_window)
    window.act_snapshots.trigger()
    view.snapshot_dialogs[-1].compare_button.click()
    [(old, new, _, new_title)] = view.compared
    assert old == new and new_title == "当前"  # nothing changed since 定稿


def test_restore_asks_then_puts_the_version_back_in_the_editor(make_window, qtbot) -> None:
    window, view, p = finalised_window(make_window)
    window.act_final.trigger()  # 撤销定稿
    editor = window.editor
    editor.edit(editor.project, "name", "改过的名称")
    editor.edit(editor.project, "annual_goal", "改过的年度目标")
    window.act_snapshots.trigger()
    dialog = view.snapshot_dialogs[-1]

    view.confirm_answer = False
    dialog.restore_button.click()
    assert window.editor is editor and editor.project.name == "改过的名称"
    assert len(rows(dialog)) == 1

    view.confirm_answer = True
    with qtbot.waitSignal(dialog.restored, timeout=2000):
        dialog.restore_button.click()
    assert "恢复前" in view.confirmations[-1]
    restored = window.editor
    assert restored is not editor
    assert restored.project.name == p.name and restored.project.annual_goal == p.annual_goal
    assert restored.project.status == STATUS_DRAFT and not restored.final_banner.isVisibleTo(
        restored
    )
    assert window.repo.load(p.id).name == p.name
    assert [r[3] for r in rows(dialog)] == ["恢复前", "定稿"]
    kept = window.repo.load_snapshot(dialog.infos[0].id)
    assert (kept.name, kept.annual_goal) == ("改过的名称", "改过的年度目标")
    listed = [window.list_model.summary(r).name for r in range(window.list_model.rowCount())]
    assert listed == [p.name]
    assert "恢复前" in window.statusBar().currentMessage()


def test_restoring_a_final_project_makes_it_a_draft_again(make_window, qtbot) -> None:
    window, view, p = finalised_window(make_window)
    window.act_snapshots.trigger()
    dialog = view.snapshot_dialogs[-1]
    with qtbot.waitSignal(dialog.restored, timeout=2000):
        dialog.restore_button.click()
    assert not window.editor.project.is_final
    assert window.act_final.text() == "定稿(&F)"
    assert [(r[1], r[3]) for r in rows(dialog)] == [("定稿", "恢复前"), ("定稿", "定稿")]
