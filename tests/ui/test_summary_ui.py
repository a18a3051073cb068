"""汇总表… in the window: the year's projects in a sortable table whose 合计 row stays
last, exported to Excel and printed in the order shown, a double-click opening a project."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from window_helpers import SHARED

from desktop.export.fonts import FontError, load_fonts
from desktop.export.package import read_package_file
from desktop.ui.summary_dialog import ID_ROLE, SummaryDialog


def case_projects():  # type: ignore[no-untyped-def]
    return [
        p for f in sorted((SHARED / "cases").glob("*.json")) for p in read_package_file(f).projects
    ]


def window_with_cases(make_window):  # type: ignore[no-untyped-def]
    window, view = make_window()
    window.repo.save_many(case_projects())
    window.refresh_list()
    return window, view


def shown(dialog: SummaryDialog, column: int) -> list[str]:
    proxy = dialog.proxy
    return [proxy.index(r, column).data() for r in range(proxy.rowCount())]


def open_summary(window, view) -> SummaryDialog:  # type: ignore[no-untyped-def]
    window.act_summary.trigger()
    return view.summary_dialogs[-1]


def test_the_menu_opens_the_year_chosen_in_the_list(make_window) -> None:
    window, view = window_with_cases(make_window)
    window.year_box.setCurrentText("2020")
    dialog = open_summary(window, view)
    assert dialog.year == 2020
    names = shown(dialog, 1)
    assert names[:-1] == [p.name for p in window.repo.load_all(2020)]
    assert names[-1] == "合计（2 个项目）"
    assert dialog.unit_edit.text() == dialog.summary.unit
    dialog.year_box.setCurrentIndex(dialog.year_box.findData(2021))
    assert dialog.year == 2021 and len(shown(dialog, 1)) == 8 + 1


def test_the_open_projects_year_when_the_list_shows_all(make_window) -> None:
    window, view = window_with_cases(make_window)
    minhang = window.repo.load_all(2020)[0]
    window.open_project(minhang.id)
    dialog = open_summary(window, view)
    assert dialog.year == 2020


def test_no_projects_says_so(make_window) -> None:
    window, view = make_window()
    window.act_summary.trigger()
    assert view.summary_dialogs == []
    assert view.messages and "还没有项目" in view.messages[-1][1]


def test_sorting_keeps_the_totals_row_last(make_window) -> None:
    window, view = window_with_cases(make_window)
    window.year_box.setCurrentText("2021")
    dialog = open_summary(window, view)
    annual = [c for c, (_, attr, _) in enumerate(dialog.model.columns) if attr == "annual"][0]
    for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
        dialog.table.sortByColumn(annual, order)
        names = shown(dialog, 1)
        assert names[-1] == "合计（8 个项目）"
        amounts = [Decimal(a.replace(",", "")) for a in shown(dialog, annual)[:-1]]
        assert amounts == sorted(amounts, reverse=order == Qt.SortOrder.DescendingOrder)
    total = dialog.summary.totals.annual
    assert shown(dialog, annual)[-1] == f"{total:,.2f}"


def test_export_writes_the_rows_in_the_order_shown(make_window, tmp_path: Path) -> None:
    window, view = window_with_cases(make_window)
    window.year_box.setCurrentText("2021")
    dialog = open_summary(window, view)
    dialog.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # by 项目名称
    dialog.unit_edit.setText("区机管局")
    view.save_path = str(tmp_path / "汇总")  # the suffix is added
    dialog.export_button.click()
    written = tmp_path / "汇总.xlsx"
    assert dialog.last_written == written and written.is_file()
    assert view.save_requests[-1] == "2021年度项目支出绩效目标汇总表.xlsx"
    ws = openpyxl.load_workbook(written)["汇总表"]
    assert ws["A1"].value == "2021年度项目支出绩效目标汇总表"
    assert ws["A2"].value == "填报单位：区机管局"
    names = [ws.cell(r, 2).value for r in range(4, 12)]
    assert names == shown(dialog, 1)[:-1]
    assert [ws.cell(r, 1).value for r in range(4, 12)] == list(range(1, 9))
    assert Decimal(str(ws.cell(12, 5).value)) == dialog.summary.totals.total
    assert str(written) in window.statusBar().currentMessage()


def test_export_cancelled_or_refused_writes_nothing(make_window, tmp_path: Path) -> None:
    window, view = window_with_cases(make_window)
    dialog = open_summary(window, view)
    view.save_path = None
    dialog.export_button.click()
    assert dialog.last_written is None and list(tmp_path.glob("*.xlsx")) == []
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    view.save_path = str(blocked / "s.xlsx")
    dialog.export_button.click()
    assert dialog.last_written is None
    assert view.messages[-1][0] == "无法导出" and view.messages[-1][2]


def _no_font() -> bool:
    try:
        load_fonts()
    except FontError:
        return True
    return False


@pytest.mark.skipif(_no_font(), reason="no embeddable CJK TrueType font here")
def test_preview_and_print_send_one_pdf_through_the_view(make_window) -> None:
    window, view = window_with_cases(make_window)
    dialog = open_summary(window, view)
    dialog.preview_button.click()
    dialog.print_button.click()
    [[previewed]] = view.previewed
    [[printed]] = view.printed
    assert previewed[:5] == b"%PDF-" and printed == previewed


def test_double_click_opens_the_project(make_window, qtbot) -> None:
    window, view = window_with_cases(make_window)
    window.year_box.setCurrentText("2021")
    dialog = open_summary(window, view)
    dialog.show()
    qtbot.waitExposed(dialog)
    row = 2
    project_id = dialog.proxy.index(row, 0).data(ID_ROLE)
    rect = dialog.table.visualRect(dialog.proxy.index(row, 1))
    with qtbot.waitSignal(dialog.finished, timeout=2000):
        # a view takes a double-click only on the row it was pressed on: press first, as a hand does
        qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.editor is not None and window.editor.project.id == project_id
    # the 合计 row opens nothing
    dialog2 = open_summary(window, view)
    last = dialog2.proxy.rowCount() - 1
    assert dialog2.proxy.index(last, 0).data(ID_ROLE) is None


def test_edits_of_the_open_project_are_in_the_table(make_window) -> None:
    window, view = window_with_cases(make_window)
    p = window.repo.load_all(2021)[0]
    window.open_project(p.id)
    window.editor.edit(window.editor.project.funding, "annual", Decimal("123.45"))
    dialog = open_summary(window, view)  # the pending autosave is flushed first
    annual = [c for c, (_, attr, _) in enumerate(dialog.model.columns) if attr == "annual"][0]
    row = shown(dialog, 1).index(p.name)
    assert shown(dialog, annual)[row] == "123.45"


def test_export_into_the_backups_folder_is_refused(make_window) -> None:
    # The 汇总表 may not land among the backups the program keeps and rotates.
    window, view = window_with_cases(make_window)
    dialog = open_summary(window, view)
    backups = window.repo.path.parent / "backups"
    backups.mkdir(exist_ok=True)
    before = sorted(p.name for p in backups.iterdir())
    view.save_path = str(backups / "汇总.xlsx")
    dialog.export_button.click()
    assert dialog.last_written is None
    assert sorted(p.name for p in backups.iterdir()) == before
    title, text, error = view.messages[-1]
    assert title == "无法导出" and error and "备份" in text
