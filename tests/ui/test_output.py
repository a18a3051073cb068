"""导出 Excel / 导出 PDF / 打印预览 / 打印 from the window, and a workbook imported back."""

from __future__ import annotations

from pathlib import Path

import pytest
from window_helpers import SHARED

CASE_2021 = SHARED / "cases" / "seed003-open-2021.json"
CASE_2020 = SHARED / "cases" / "seed000-001-minhang-2020.json"


def _imported(make_window, *files: Path):  # type: ignore[no-untyped-def]
    window, view = make_window()
    view.files = [str(f) for f in files]
    window.import_packages()
    return window, view


def _open(window, name: str) -> str:  # type: ignore[no-untyped-def]
    summary = next(s for s in window.repo.summaries() if s.name == name)
    window.open_project(summary.id)
    return summary.id


def _pages(data: bytes) -> list[tuple[float, float]]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return [doc[i].get_size() for i in range(len(doc))]
    finally:
        doc.close()


def test_export_excel_of_the_open_project_suggests_the_official_name(make_window, qtbot, tmp_path):
    from desktop.export.xlsx_reader import read_workbook_file

    window, view = _imported(make_window, CASE_2021)
    project_id = _open(window, "车辆购置费")
    view.save_path = str(tmp_path / "chosen")  # the suffix is added when the clerk omits it
    with qtbot.waitSignal(window.output.finished, timeout=20000) as done:
        window.act_xlsx.trigger()
    assert view.save_requests == ["2021_车辆购置费_绩效目标申报表.xlsx"]
    written = tmp_path / "chosen.xlsx"
    assert done.args[0]["written"] == [written]
    back = read_workbook_file(written).project
    assert back.id == project_id and back.name == "车辆购置费"
    assert back.indicators == window.repo.load(project_id).indicators
    # the folder is remembered for the next export
    assert window.settings.value("export_folder") == str(tmp_path)


def test_export_pdf_of_a_selection_runs_in_the_background_with_one_file_each(
    make_window, qtbot, tmp_path
):
    window, view = _imported(make_window, CASE_2021)
    window.table.selectAll()
    chosen = window.chosen_ids()
    assert len(chosen) == 8
    view.folder = str(tmp_path)
    with qtbot.waitSignal(window.output.finished, timeout=60000) as done:
        window.act_pdf.trigger()
    outcome = done.args[0]
    assert outcome["failed"] == [] and not outcome["cancelled"]
    names = sorted(p.name for p in tmp_path.glob("*.pdf"))
    assert len(names) == 8
    assert "2021_车辆购置费_绩效目标申报表.pdf" in names
    assert all(_pages((tmp_path / n).read_bytes()) for n in names)


def test_cancelling_a_batch_keeps_only_complete_files(make_window, qtbot, tmp_path, monkeypatch):
    import threading

    from desktop.export import batch

    window, view = _imported(make_window, CASE_2021)
    window.table.selectAll()
    view.folder = str(tmp_path)
    gate = threading.Event()
    started: list[str] = []
    real = batch.export_one

    def held_second(project, path, fmt, **kw):  # type: ignore[no-untyped-def]
        started.append(project.name)
        if len(started) == 2:
            gate.wait(20)  # the clerk presses 取消 while the second file is being written
        return real(project, path, fmt, **kw)

    monkeypatch.setattr(batch, "export_one", held_second)
    window.act_xlsx.trigger()
    qtbot.waitUntil(lambda: len(started) == 2, timeout=20000)
    with qtbot.waitSignal(window.output.finished, timeout=20000) as done:
        from PySide6.QtWidgets import QPushButton

        window.output.progress.findChild(QPushButton).click()  # 取消
        gate.set()
    outcome = done.args[0]
    assert outcome["cancelled"] is True
    files = sorted(tmp_path.glob("*.xlsx"))
    # the file being written when 取消 was pressed is finished; no third one is started
    assert len(files) == 2 and len(started) == 2
    assert outcome["written"] == [tmp_path / f for f in sorted(p.name for p in files)] or set(
        outcome["written"]
    ) == set(files)
    assert [p for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


def test_existing_files_are_overwritten_only_after_asking(make_window, qtbot, tmp_path):
    window, view = _imported(make_window, CASE_2020)
    window.table.selectAll()
    view.folder = str(tmp_path)
    existing = tmp_path / "2020_政府雇员项目_绩效目标申报表.xlsx"
    existing.write_bytes(b"old")
    view.confirm_answer = False
    window.act_xlsx.trigger()
    assert "已有 1 个同名文件" in view.confirmations[-1]
    assert existing.read_bytes() == b"old"
    view.confirm_answer = True
    with qtbot.waitSignal(window.output.finished, timeout=30000):
        window.act_xlsx.trigger()
    assert existing.read_bytes()[:2] == b"PK"


def test_print_preview_and_print_use_the_pdf_pages(make_window, qtbot, tmp_path):
    from desktop.ui.printing import a4_printer, page_count, print_documents

    window, view = _imported(make_window, CASE_2020)
    _open(window, "政府雇员项目")
    with qtbot.waitSignal(window.output.finished, timeout=20000):
        window.act_preview.trigger()
    (document,) = view.previewed[-1]
    sizes = _pages(document)
    # the 绩效目标 sheet is landscape on paper
    assert any(w > h for w, h in sizes) and any(h > w for w, h in sizes)
    with qtbot.waitSignal(window.output.finished, timeout=20000):
        window.act_print.trigger()
    assert view.printed[-1] == [document]

    # What the printer receives: every PDF page, in its own orientation.
    from PySide6.QtPrintSupport import QPrinter

    printer = a4_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    printed = print_documents(printer, [document, document])
    assert printed == 2 * page_count(document)
    printed_sizes = _pages(out.read_bytes())
    assert len(printed_sizes) == printed
    assert [w > h for w, h in printed_sizes] == [w > h for w, h in sizes] * 2


def test_a_previewed_or_printed_pdf_is_dated_by_the_last_save(make_window, qtbot):
    """Not by the clock: preview and print of an unchanged project are the same bytes."""
    import datetime as dt

    from sqlalchemy import text

    from desktop.export.batch import render

    window, view = _imported(make_window, CASE_2021)
    project_id = _open(window, "车辆购置费")
    saved = "2026-03-04T09:30:00+08:00"
    with window.repo.engine.begin() as conn:
        conn.execute(text("UPDATE projects SET updated_at = :t"), {"t": saved})
    with qtbot.waitSignal(window.output.finished, timeout=20000):
        window.act_preview.trigger()
    (document,) = view.previewed[-1]
    project = window.repo.load(project_id)
    draft = any(f.is_error for f in window.repo.findings(project))
    expected = render(project, "pdf", draft=draft, created=dt.datetime.fromisoformat(saved))
    assert document == expected


def test_printed_page_shows_the_form(qtbot):
    """The rendered page is the PDF's page: ink where the table is, white paper around it."""
    from desktop.export.batch import render
    from desktop.export.package import read_package_file
    from desktop.ui.printing import render_pages

    project = read_package_file(CASE_2021).projects[0]
    (image, landscape), *_ = list(render_pages(render(project, "pdf"), 50))
    assert not landscape
    assert abs(image.width() / image.height() - 210 / 297) < 0.01
    dark = sum(
        1
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
        if image.pixelColor(x, y).lightness() < 128
    )
    assert dark > 200  # table lines and text
    assert image.pixelColor(2, 2).lightness() > 250  # the margin is paper


def test_a_workbook_sent_back_after_editing_replaces_the_project_after_asking(
    make_window, qtbot, tmp_path
):
    import openpyxl

    from desktop.export.batch import export_one

    window, view = _imported(make_window, CASE_2021)
    project_id = _open(window, "法律顾问费")
    path = export_one(window.repo.load(project_id), tmp_path / "back.xlsx", "xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["绩效目标申报表"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "涉案结案率")
    sheet.cell(cell.row, cell.column + 1).value = "≥88%"
    book.save(path)

    view.files = [str(path)]
    view.confirm_answer = False
    window.import_packages()
    assert "已在程序中" in view.confirmations[-1]
    assert window.repo.load(project_id).indicators[2].target == "≥85%"

    view.confirm_answer = True
    window.import_packages()
    stored = window.repo.load(project_id)
    assert stored.indicators[2].name == "涉案结案率"
    assert stored.indicators[2].target == "≥88%"
    assert len(window.repo.summaries()) == 8  # replaced, not added
    assert window.editor is not None and window.editor.project.indicators[2].target == "≥88%"


@pytest.mark.parametrize(
    ("action", "keys"),
    [
        ("act_xlsx", "Ctrl+Shift+E"),
        ("act_pdf", "Ctrl+Shift+D"),
        ("act_preview", "Ctrl+Shift+P"),
        ("act_print", "Ctrl+P"),
    ],
)
def test_output_commands_have_shortcuts_and_are_in_the_list_menu(make_window, action, keys):
    window, _view = make_window()
    act = getattr(window, action)
    assert act.shortcut().toString() == keys
    assert act in window.table.actions()


def test_preview_shows_each_pdf_page_in_its_own_orientation(qtbot):
    from desktop.export.batch import render
    from desktop.export.package import read_package_file
    from desktop.ui.printing import PreviewDialog, page_count

    project = read_package_file(CASE_2020).projects[0]  # A1 portrait, A2 and A3 landscape
    document = render(project, "pdf")
    asked: list[bool] = []
    dialog = PreviewDialog([document, document], lambda: asked.append(True))
    qtbot.addWidget(dialog)
    pages = dialog.page_labels()
    assert len(pages) == 2 * page_count(document)
    shapes = [p.pixmap().width() > p.pixmap().height() for p in pages]
    assert shapes[0] is False and True in shapes
    assert shapes == [s for s in shapes[: len(shapes) // 2]] * 2
    width = pages[0].pixmap().width()
    dialog.set_zoom(+1)
    assert dialog.page_labels()[0].pixmap().width() > width
    assert (
        "125%" in dialog.info.text() and f"共 {2 * page_count(document)} 页" in dialog.info.text()
    )
    dialog.print_button.click()
    assert asked == [True]


def test_blank_guarantee_page_is_printed_only_when_the_clerk_asks(make_window, qtbot):
    import pypdfium2 as pdfium

    def text(data: bytes) -> str:
        doc = pdfium.PdfDocument(data)
        try:
            return "".join(doc[i].get_textpage().get_text_bounded() for i in range(len(doc)))
        finally:
            doc.close()

    window, view = _imported(make_window, CASE_2021)
    _open(window, "车辆购置费")  # a 2021 project without 制度保障 rows
    with qtbot.waitSignal(window.output.finished, timeout=20000):
        window.act_preview.trigger()
    assert "保障阶段" not in text(view.previewed[-1][0])
    window.act_blank_guarantee.trigger()
    assert window.settings.value("print_blank_guarantee") == "true"  # kept for next time
    with qtbot.waitSignal(window.output.finished, timeout=20000):
        window.act_preview.trigger()
    assert "保障阶段" in text(view.previewed[-1][0])
