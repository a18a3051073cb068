"""Retake the README screenshots from the real window with the reference cases.

    QT_QPA_PLATFORM=offscreen python docs/screenshots.py [--scale 1.5]

Needs a CJK font on the machine (e.g. fonts-wqy-zenhei). Writes docs/window-*.png.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT.parent / "shared" / "cases"
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="1")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["QT_SCALE_FACTOR"] = args.scale
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    from desktop.export.package import read_package_file
    from desktop.store import open_repository
    from desktop.ui.app import make_app
    from desktop.ui.main_window import MainWindow, TrashDialog

    app = make_app()
    app.setFont(QFont("WenQuanYi Zen Hei", 10))
    suffix = "" if args.scale == "1" else f"-{args.scale.replace('.', '')}x"
    with tempfile.TemporaryDirectory() as tmp:
        repo = open_repository(Path(tmp) / "shots.db")
        for case in sorted(CASES.glob("*.json")):
            repo.save_many(read_package_file(case).projects)
        settings = QSettings(str(Path(tmp) / "ui.ini"), QSettings.Format.IniFormat)
        window = MainWindow(repo, settings)
        # the common office laptop, 1366×768; with --scale, a 1920×1080 screen at that scaling
        scale = float(args.scale)
        size = (1366, 768) if scale == 1 else (round(1920 / scale), round(1080 / scale))
        window.resize(*size)
        window.show()

        # The daily backup's message names this run's temporary folder: not for the README.
        window.statusBar().clearMessage()

        def shot(name: str) -> None:
            for _ in range(3):
                QApplication.processEvents()
            window.grab().save(str(ROOT / "docs" / f"window-{name}{suffix}.png"))

        def open_named(name: str) -> None:
            window.search.setText(name)
            window.table.setCurrentIndex(window.filter.index(0, 0))
            window.search.setText("")

        open_named("车辆购置费")
        editor = window.editor
        assert editor is not None
        sections = ((0, "general"), (1, "funding"), (2, "indicators"), (3, "guarantees"))
        for index, name in sections:
            editor.tabs.setCurrentIndex(index)
            if name == "indicators":
                section = editor.row_editors["indicators"]
                section.table.setCurrentIndex(section.model.index(1, 3))
            if name == "guarantees":
                editor.add_standard_guarantees()
            shot(name)
            if args.scale != "1":
                break
        if args.scale == "1":
            editor.undo_stack.undo()
            open_named("政府雇员项目")
            if window.editor.project.template != "minhang-2020":
                window.table.setCurrentIndex(window.filter.index(1, 0))
            editor = window.editor
            editor.tabs.setCurrentWidget(editor.row_editors["breakdown"])
            shot("breakdown")
            repo.delete(repo.summaries()[-1].id)
            trash = TrashDialog(window)
            trash.show()
            QApplication.processEvents()
            trash.grab().save(str(ROOT / "docs" / "window-trash.png"))
            trash.close()
            _preview(window, ROOT / "docs" / "window-print-preview.png")
            _rescue(window, Path(tmp) / "shots.db")
            _faster(window, open_named)
            _rules(window, open_named, shot)
        window.editor.flush()
        repo.engine.dispose()


def _preview(window, out: Path) -> None:  # type: ignore[no-untyped-def]
    """打印预览 of the open project, as the clerk sees it (shown, not exec'd, to grab it)."""
    from PySide6.QtWidgets import QApplication

    from desktop.export.batch import render
    from desktop.ui.printing import PreviewDialog

    project = window.editor.project
    documents = [render(project, "pdf", draft=project.name == "政府雇员项目")]
    dialog = PreviewDialog(documents, lambda: None, window)
    dialog.resize(1000, 760)
    dialog.show()
    for _ in range(5):
        QApplication.processEvents()
    dialog.grab().save(str(out))
    dialog.close()


def _grab(widget, name: str, size: tuple[int, int] | None = None) -> None:  # type: ignore[no-untyped-def]
    """Show a dialog without its modal loop, grab it into docs/window-<name>.png, close it."""
    from PySide6.QtWidgets import QApplication

    if size:
        widget.resize(*size)
    widget.show()
    for _ in range(5):
        QApplication.processEvents()
    widget.grab().save(str(ROOT / "docs" / f"window-{name}.png"))
    widget.close()


def _faster(window, open_named) -> None:  # type: ignore[no-untyped-def]
    """Issue 7: templates, 指标库, 复制到下一年度 and its comparison, 汇总表, 定稿记录."""
    from PySide6.QtCore import Qt

    from desktop.ui.compare_view import CompareDialog
    from desktop.ui.main_window import NewProjectDialog
    from desktop.ui.snapshots_dialog import SnapshotsDialog
    from desktop.ui.summary_dialog import SummaryDialog

    new = NewProjectDialog(2022, window)
    new.name.setText("区机关单位办公用房与公务用车信息管理系统(2022运维)")
    new.template.setCurrentIndex(new.template.findData("it-maintenance"))
    _grab(new, "new-from-template")

    open_named("区机关单位办公用房与公务用车信息管理系统(2021运维)")
    editor = window.editor
    editor.tabs.setCurrentWidget(editor.row_editors["indicators"])
    dialog = editor.library.dialog()
    dialog.search.setText("满意度")
    for name in ("工作人员满意度", "居民满意度"):
        item = dialog.item_for(name)
        if item is not None:
            item.setCheckState(0, Qt.CheckState.Checked)
    _grab(dialog, "library", (760, 560))

    class Family:  # answers 复制到下一年度's question as the clerk would: keep the 表式
        def __getattr__(self, name):  # type: ignore[no-untyped-def]
            return getattr(real, name)

        def ask_next_year_family(self, current: str, year: int | None) -> str:
            return current

        def confirm(self, title: str, text: str) -> bool:
            return True

        def show_message(self, title: str, text: str, error: bool = False) -> None:
            pass  # the conversion notes; the picture is of the copy itself

    real = window.view
    window.view = Family()
    window.act_next_year.trigger()
    window.view = real
    copy = window.editor
    copy.tabs.setCurrentIndex(1)
    _grab(window, "next-year-review")
    old = window.year_copy.last_year_of(copy.project)
    compare = CompareDialog(old, copy.project, "2021 年度（上年）", "2022 年度（本年）", window)
    _grab(compare, "compare", (1100, 700))

    open_named("车辆购置费")
    window.toggle_final()  # 定稿 takes a snapshot
    window.toggle_final()  # 撤销定稿, then a change, then 定稿 again
    window.editor.edit(window.editor.project, "leader", "张明")
    window.editor.flush()
    window.toggle_final()
    _grab(SnapshotsDialog(window, lambda *versions: None), "snapshots", (720, 420))
    _grab(SummaryDialog(window, 2021), "summary", (1366, 560))


def _rules(window, open_named, shot) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: a 2025 project with 成本指标 rows, the grouped problems, a warning's 说明."""
    from PySide6.QtWidgets import QApplication, QSplitter

    from desktop.models.rules.explanations import finding_key

    def roomy(editor) -> None:  # type: ignore[no-untyped-def]
        # the problems panel dragged larger, as a clerk reading many findings would
        split = editor.findChild(QSplitter)
        QApplication.processEvents()  # the editor just opened: laid out first
        total = sum(split.sizes()) or 620
        split.setSizes([total * 3 // 5, total - total * 3 // 5])
        window.statusBar().clearMessage()

    from desktop.export.package import read_package_file

    window.repo.save_many(read_package_file(ROOT / "tests/fixtures/shanghai-2025.json").projects)
    window.refresh_list()
    open_named("机关食堂运营服务费(2025运维)")
    editor = window.editor
    editor.tabs.setCurrentWidget(editor.row_editors["indicators"])
    section = editor.row_editors["indicators"]
    section.table.setCurrentIndex(section.model.index(5, 3))
    roomy(editor)
    shot("2025-cost")

    window.search.setText("政府雇员项目")  # two of that name: the 2021 one, second
    window.table.setCurrentIndex(window.filter.index(1, 0))
    window.search.setText("")
    editor = window.editor
    editor.tabs.setCurrentWidget(editor.row_editors["indicators"])
    roomy(editor)
    for key in ("warning:I19", "warning:I22"):
        group = editor.problems_panel.group_item(key)
        if group is not None:
            group.setExpanded(True)
    shot("problems-grouped")

    open_named("法律顾问费")
    editor = window.editor
    editor.tabs.setCurrentWidget(editor.row_editors["indicators"])
    warning = next(f for f in editor.findings if f.code == "I09")
    editor.set_explanations(
        {finding_key(editor.project, warning): "专业度按合同约定的律师执业年限（不少于10年）核查"}
    )
    roomy(editor)
    group = editor.problems_panel.group_item("explained")
    if group is not None:
        group.setExpanded(True)
        editor.problems_panel.tree.scrollToItem(group.child(0) or group)
    shot("explained")
    editor.undo_stack.undo()


def _rescue(window, db: Path) -> None:  # type: ignore[no-untyped-def]
    """从备份恢复 with a week of backups, and the question a damaged database raises at start."""
    import datetime as dt

    from PySide6.QtWidgets import QApplication

    from desktop.store.backup import DAILY, MIGRATION, list_backups, make_backup, newest_good_backup
    from desktop.store.health import check_database, explain
    from desktop.ui.backups import RestoreDialog
    from desktop.ui.startup import StartView

    today = dt.datetime.now().replace(hour=8, minute=30, second=0)
    for days in (1, 2, 3, 6):
        make_backup(db, DAILY, today - dt.timedelta(days=days, minutes=days * 17))
    make_backup(db, MIGRATION, today - dt.timedelta(days=6, minutes=1))
    dialog = RestoreDialog(list_backups(db), window)
    dialog.show()
    QApplication.processEvents()
    dialog.grab().save(str(ROOT / "docs" / "window-restore.png"))
    dialog.close()

    broken = db.with_name("jixiao.db")
    broken.write_bytes(db.read_bytes()[:20000])
    # The clerk's own path, not this machine's temporary folder.
    message = explain(Path("D:/绩效申报/jixiao.db"), check_database(broken))
    box, _restore, _new = StartView().damaged_box(message, newest_good_backup(db))
    box.show()
    for _ in range(3):
        QApplication.processEvents()
    box.grab().save(str(ROOT / "docs" / "window-damaged-start.png"))
    box.close()


if __name__ == "__main__":
    main()
