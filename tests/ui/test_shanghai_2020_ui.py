"""The third form family in the window: 新建, 复制到下一年度 and the 项目经费情况说明's fields."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFormLayout, QPlainTextEdit
from window_helpers import SHARED, type_text

from desktop.models.labels import FORM_GENERAL_FIELDS, label
from desktop.ui.main_window import NewProjectDialog
from desktop.ui.year_copy import NextYearDialog

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "songjiang-2020.json"
SECTIONS = (
    "legal_basis",
    "implementer",
    "implementation_plan",
    "implementation_period",
    "budget_note",
)


def _families(combo) -> list[str]:
    return [combo.itemData(i) for i in range(combo.count())]


def _label_of(editor, key: str) -> str:
    widget = editor.widget_for(key)
    form = widget.parentWidget().layout()
    assert isinstance(form, QFormLayout)
    return form.labelForField(widget).text()


def test_new_project_and_next_year_offer_the_third_family(qtbot) -> None:
    new = NewProjectDialog(2020)
    qtbot.addWidget(new)
    assert _families(new.family) == ["shanghai-2021", "minhang-2020", "shanghai-2020"]
    new.name.setText("创业就业")
    new.family.setCurrentIndex(new.family.findData("shanghai-2020"))
    assert new.values() == (2020, "创业就业", "shanghai-2020", None)
    assert "上海市财政支出项目绩效目标" in new.family.currentText()

    nxt = NextYearDialog("shanghai-2021", 2020)
    qtbot.addWidget(nxt)
    assert "shanghai-2020" in _families(nxt.family)
    nxt.family.setCurrentIndex(nxt.family.findData("shanghai-2020"))
    assert nxt.chosen() == "shanghai-2020"


def test_a_new_shanghai_2020_project_shows_the_explanations_sections(make_window) -> None:
    window, view = make_window()
    view.new_project = (2020, "创业就业", "shanghai-2020")
    window.new_button.click()
    editor = window.editor
    assert editor.project.family == "shanghai-2020"
    for key in FORM_GENERAL_FIELDS["shanghai-2020"]:
        assert editor.widget_for(key) is not None, key
        assert _label_of(editor, key) == label(key, "shanghai-2020") + "："
    # the seven sections are long texts, in the 说明's order, named as the form names them
    for key in ("overview", *SECTIONS):
        assert isinstance(editor.widget_for(key), QPlainTextEdit), key
    assert [_label_of(editor, k) for k in ("overview", *SECTIONS)] == [
        "项目概述：",
        "立项依据：",
        "实施主体：",
        "实施方案：",
        "实施周期：",
        "年度预算安排：",
    ]
    # the other families' own fields are not offered
    assert editor.widget_for("establishment") is None and editor.widget_for("department") is None

    # typed text (paragraphs kept) lands in the project and is saved
    type_text(editor.widget_for("legal_basis"), "《就业补助资金管理办法》")
    editor.widget_for("implementation_plan").setPlainText("（一）工作目标\n（二）工作措施")
    assert editor.project.legal_basis == "《就业补助资金管理办法》"
    assert editor.project.implementation_plan == "（一）工作目标\n（二）工作措施"
    assert editor.flush()
    stored = window.repo.load(editor.project.id)
    assert stored.legal_basis == "《就业补助资金管理办法》"
    assert stored.implementation_plan == "（一）工作目标\n（二）工作措施"


def test_other_families_do_not_show_the_sections(make_window) -> None:
    window, view = make_window()
    window.new_button.click()  # the FakeView's default: a shanghai-2021 project
    assert window.editor.project.family == "shanghai-2021"
    assert all(window.editor.widget_for(k) is None for k in SECTIONS)


def test_the_songjiang_package_opens_with_its_texts(make_window) -> None:
    window, view = make_window()
    view.files = [str(FIXTURE)]
    window.import_button.click()
    window.search.setText("创业就业")
    window.table.setCurrentIndex(window.filter.index(0, 0))
    editor = window.editor
    assert editor.project.name == "创业就业"
    assert editor.widget_for("implementation_period").toPlainText() == "2020年全年"
    assert editor.widget_for("legal_basis").toPlainText().count("\n") == 1


def test_copy_to_next_year_into_the_third_family(make_window) -> None:
    window, view = make_window()
    view.files = [str(SHARED / "cases" / "seed003-open-2021.json")]
    window.import_button.click()
    window.table.setCurrentIndex(window.filter.index(0, 0))
    view.next_year_family = "shanghai-2020"
    window.act_next_year.trigger()
    editor = window.editor
    assert editor.project.family == "shanghai-2020"
    assert all(isinstance(editor.widget_for(k), QPlainTextEdit) for k in SECTIONS)
