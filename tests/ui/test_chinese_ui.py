"""Nothing English, nothing internal (issue 15, item 7): Qt's file dialog in Chinese,
the 表式 by its Chinese name wherever the clerk reads it."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QLabel, QPushButton
from window_helpers import SHARED

from desktop.models.labels import FAMILY_NAMES
from desktop.models.project import FAMILIES

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture
def chinese(qapp):  # type: ignore[no-untyped-def]
    from desktop.ui.app import install_chinese

    installed = install_chinese(qapp)
    yield
    for translator in installed:
        QApplication.removeTranslator(translator)


@pytest.mark.parametrize("mode", ["open", "open_many", "save", "folder"])
def test_qt_file_dialog_speaks_chinese(chinese, qtbot, mode: str) -> None:
    from desktop.ui.file_dialogs import file_dialog

    dialog = file_dialog(None, "导入数据包或申报表", "", "数据包 (*.json);;所有文件 (*)", mode)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)  # Qt's own, as off Windows
    labels = [dialog.labelText(which) for which in QFileDialog.DialogLabel]
    assert labels[0].startswith("查找范围") and "文件类型" in labels[2]
    shown = [w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QPushButton)]
    english = [t for t in labels + shown if LATIN_WORD.search(t.replace("&", ""))]
    assert english == []


def test_the_catalogue_gap_is_filled_for_any_qt_file_dialog(chinese, qtbot) -> None:
    """A QFileDialog built anywhere (not through file_dialogs) is in Chinese too."""
    dialog = QFileDialog(None, "t", "", "数据包 (*.json)")
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    texts = [w.text().replace("&", "") for w in dialog.findChildren(QLabel)]
    assert not [t for t in texts if LATIN_WORD.search(t)], texts


def test_no_internal_family_key_in_the_editor(make_window) -> None:
    window, view = make_window()
    view.files = [str(p) for p in sorted((SHARED / "cases").glob("*.json"))]
    window.import_packages()
    seen = set()
    for row in range(window.filter.rowCount()):
        window.table.setCurrentIndex(window.filter.index(row, 0))
        editor = window.editor
        seen.add(editor.project.family)
        texts = [label.text() for label in editor.findChildren(QLabel)]
        assert any(f"表式：{FAMILY_NAMES[editor.project.family]}" in t for t in texts)
        leaked = [t for t in texts for key in FAMILIES if key in t]
        assert leaked == []
    assert len(seen) >= 2


def test_new_project_and_next_year_dialogs_name_the_family_in_chinese(qtbot) -> None:
    from desktop.ui.main_window import NewProjectDialog
    from desktop.ui.year_copy import NextYearDialog

    for dialog in (NewProjectDialog(2026), NextYearDialog("shanghai-2021", 2025)):
        qtbot.addWidget(dialog)
        items = [
            combo.itemText(i)
            for combo in dialog.findChildren(QComboBox)
            for i in range(combo.count())
        ]
        assert items and not [t for t in items for key in FAMILIES if key in t]
        assert FAMILY_NAMES["shanghai-2021"] in items
