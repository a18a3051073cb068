"""Stable objectNames and accessible names (issue 15, item 11): screen readers and
automated checks find every widget the clerk works with."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QTableView, QTreeWidget, QWidget
from window_helpers import SHARED

CASES = sorted((SHARED / "cases").glob("*.json"))


def open_case(make_window, family: str):  # type: ignore[no-untyped-def]
    window, view = make_window()
    view.files = [str(p) for p in CASES]
    window.import_packages()
    for row in range(window.filter.rowCount()):
        window.table.setCurrentIndex(window.filter.index(row, 0))
        if window.editor.project.family == family:
            # the editors closed before are gone (deleteLater), as after any event loop turn
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            return window
    raise AssertionError(f"no {family} case")


def test_the_window_names_its_list_and_filters(make_window) -> None:
    window = open_case(make_window, "shanghai-2021")
    table = window.findChild(QTableView, "projectList")
    assert table is window.table and table.accessibleName() == "项目列表"
    assert window.findChild(QComboBox, "yearFilter") is window.year_box
    assert window.findChild(QLineEdit, "projectSearch") is window.search


def test_tables_problems_and_fields_of_a_2021_project(make_window) -> None:
    window = open_case(make_window, "shanghai-2021")
    editor = window.editor
    indicators = window.findChild(QTableView, "indicatorTable")
    assert indicators is editor.row_editors["indicators"].table
    assert indicators.accessibleName() == "绩效目标"
    guarantees = window.findChild(QTableView, "guaranteeTable")
    assert guarantees is editor.row_editors["guarantees"].table
    assert window.findChild(QTreeWidget, "problemsList") is editor.problems
    goal = window.findChild(QWidget, "field.annual_goal")
    assert goal is editor.widget_for("annual_goal") and goal.accessibleName()
    annual = window.findChild(QWidget, "field.funding.annual")
    assert annual is editor.widget_for("funding.annual")
    assert annual.accessibleName() and "funding" not in annual.accessibleName()
    for path, widget in editor._widgets.items():
        assert widget.objectName() == f"field.{path}"
        name = widget.accessibleName()
        assert name and not name.isascii(), (path, name)  # the form's Chinese word


def test_the_breakdown_table_of_a_minhang_project(make_window) -> None:
    window = open_case(make_window, "minhang-2020")
    breakdown = window.findChild(QTableView, "breakdownTable")
    assert breakdown is window.editor.row_editors["breakdown"].table
    assert breakdown.accessibleName() == "项目构成分解"
