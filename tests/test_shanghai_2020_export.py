"""The shanghai-2020 form as the Songjiang budget book prints it (forms.md, seeds/songjiang-2020).

项目经费情况说明 (a title, seven headed sections) and then 上海市财政支出项目绩效目标,
as PDF and as Excel, and the workbook taken back field for field.
"""

from __future__ import annotations

import copy
import io
import os
import re
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pytest

from desktop.export.fonts import FontError, load_fonts
from desktop.export.grid import explanation_title
from desktop.export.imports import read_import_file
from desktop.export.layout import EXPLANATION_GOALS, EXPLANATION_SECTIONS, LAYOUTS
from desktop.export.package import project_to_dict, read_package_file
from desktop.export.pdf_writer import pdf_bytes
from desktop.export.xlsx_reader import NO_DATA_WARNING, read_workbook_bytes
from desktop.export.xlsx_writer import DATA_SHEET, workbook_bytes
from desktop.models.project import Project

FIXTURE = Path(__file__).parent / "fixtures" / "songjiang-2020.json"
PROJECTS = read_package_file(FIXTURE).projects
HEADINGS = [words for words, _ in EXPLANATION_SECTIONS] + [EXPLANATION_GOALS[0]]
SECTION_FIELDS = [key for _, key in EXPLANATION_SECTIONS]


def _font_missing() -> bool:
    try:
        load_fonts()
    except FontError:
        return True
    return False


# CI installs a CJK font and must never pass by skipping (as in test_pdf.py).
needs_font = pytest.mark.skipif(
    _font_missing() and os.environ.get("CI", "").strip().lower() in ("", "0", "false", "no"),
    reason="no embeddable CJK TrueType font on this machine",
)


def squeeze(text: str) -> str:
    """Text without whitespace: PDF extraction breaks lines and spaces words at will."""
    return re.sub(r"\s+", "", text)


def page_texts(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [squeeze(doc[i].get_textpage().get_text_range()) for i in range(len(doc))]
    finally:
        doc.close()


def _in_order(text: str, words: list[str]) -> bool:
    at = -1
    for w in words:
        at = text.find(squeeze(w), at + 1)
        if at < 0:
            return False
    return True


def _project(name: str) -> Project:
    return copy.deepcopy(next(p for p in PROJECTS if p.name == name))


def _draft(project: Project) -> Project:
    out = copy.deepcopy(project)
    out.status = "draft"
    return out


def test_the_fixture_holds_the_two_songjiang_projects() -> None:
    assert [p.name for p in PROJECTS] == ["创业就业", "辅助职能"]
    assert all(p.family == "shanghai-2020" for p in PROJECTS)
    assert [s.name for s in LAYOUTS["shanghai-2020"].sheets] == ["项目经费情况说明", "绩效目标"]


def test_the_title_reads_like_the_budget_book() -> None:
    project = _project("创业就业")
    assert explanation_title(project) == "松江区人力资源和社会保障局创业就业项目经费情况说明"
    project.unit = None
    assert explanation_title(project) == "创业就业项目经费情况说明"
    project.name = "政府雇员项目"  # not 项目项目
    assert explanation_title(project) == "政府雇员项目经费情况说明"


# ------------------------------------------------------------------ PDF


@needs_font
@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_pdf_reads_like_the_source(project: Project) -> None:
    pages = page_texts(pdf_bytes(project))
    text = "".join(pages)
    title = explanation_title(project)
    # the 说明 first, its seven headings in order, each with its text below it
    assert pages[0].startswith(squeeze(title))
    words: list[str] = []
    for heading, key in EXPLANATION_SECTIONS:
        words += [heading, getattr(project, key)]
    words += [*EXPLANATION_GOALS]
    assert _in_order(text, words)
    # then the table on a page of its own
    table = text.index("上海市财政支出项目绩效目标")
    assert table > text.index(squeeze(EXPLANATION_GOALS[1]))
    assert "一级指标" not in pages[0] and "项目经费情况说明" not in pages[-1]
    assert _in_order(
        pages[-1],
        ["上海市财政支出项目绩效目标", "(2020年", "项目名称", project.name, "项目总目标"],
    )
    assert _in_order(pages[-1], [project.overall_goal or "", "年度绩效目标", project.annual_goal])
    # 分解目标 heads the indicator rows, as in the book
    assert _in_order(pages[-1], ["分解目标", "一级指标", "二级指标", "三级指标", "指标目标值"])
    for ind in project.indicators:
        assert _in_order(pages[-1], [ind.name, ind.target or ""]), ind.name
    # the family's own level words (a 2021 form would say 产出指标 / 数量指标); the book's
    # 社会效益目标 rows have no 一级, and none is printed for them
    for words in ("产出目标", "质量目标", "社会效益目标", "影响力目标", "满意度目标"):
        assert words in pages[-1], words
    assert "效果目标" not in pages[-1]
    assert "产出指标" not in text and "效益指标" not in text


@needs_font
def test_pdf_of_the_first_project_has_its_count_and_time_rows() -> None:
    last = page_texts(pdf_bytes(_project("创业就业")))[-1]
    # merged cells are drawn after the rows, so only one-row labels come in row order
    assert _in_order(last, ["数量目标", "求职创业补贴发放率", "100%", "质量目标"])
    assert _in_order(last, ["求职创业补贴信息发布、沟通及时性", "及时"])
    assert "产出目标" in last and "时效目标" in last


@needs_font
def test_a_long_section_flows_onto_the_next_page_before_the_table() -> None:
    project = _project("创业就业")
    project.implementation_plan = "\n".join(
        f"第{i}步：" + "根据工作安排完成审核。" * 8 for i in range(60)
    )
    pages = page_texts(pdf_bytes(project))
    assert len(pages) >= 4
    text = "".join(pages[:-1])
    assert _in_order(text, ["四、实施方案", "第0步", "第59步", "五、实施周期", "七、绩效目标"])
    assert "第30步" not in pages[0]  # it went on, not cut
    assert pages[-1].startswith("上海市财政支出项目绩效目标")


# ------------------------------------------------------------------ Excel


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_excel_holds_the_explanation_and_the_table(project: Project) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(project)))
    assert wb.sheetnames == ["项目经费情况说明", "绩效目标", DATA_SHEET]
    ws = wb["项目经费情况说明"]
    column = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    expected: list[str | None] = [explanation_title(project)]
    for heading, key in EXPLANATION_SECTIONS:
        expected += [heading, getattr(project, key)]
    expected += [*EXPLANATION_GOALS]
    assert column == expected
    assert ws.max_column == 1 and not ws.merged_cells.ranges
    for r, value in enumerate(column, start=1):
        bold = ws.cell(r, 1).font.bold
        assert bool(bold) == (r == 1 or value in HEADINGS), value
    # printable: A4 portrait, one page wide
    assert (ws.page_setup.paperSize, ws.page_setup.orientation) == (9, "portrait")
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)

    table = wb["绩效目标"]
    cells = [str(c.value) for row in table.iter_rows() for c in row if c.value is not None]
    assert cells[:2] == ["上海市财政支出项目绩效目标", "(2020年 )"]  # as the book prints it
    assert project.name in cells and project.annual_goal in cells
    for ind in project.indicators:
        assert ind.name in cells and ind.target in cells
    assert {"产出目标", "影响力目标", "社会效益目标", "满意度目标"} <= set(cells)
    assert "效果目标" not in cells  # the 一级 the book left blank


def test_excel_merges_the_levels_down_as_on_paper() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(_project("创业就业"))))
    ws = wb["绩效目标"]
    merged = {
        str(ws.cell(m.min_row, m.min_col).value): m.max_row - m.min_row + 1
        for m in ws.merged_cells.ranges
        if m.min_col in (1, 2) and m.max_row > m.min_row
    }
    # 产出目标 over 数量·质量·时效 (4 rows), 时效目标 over its two, 影响力目标/满意度目标 over two
    assert merged == {"产出目标": 4, "时效目标": 2, "影响力目标": 2, "满意度目标": 2}


# ------------------------------------------------------------------ and back


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_the_workbook_imports_back_field_for_field(project: Project, tmp_path: Path) -> None:
    path = tmp_path / f"{project.name}.xlsx"
    path.write_bytes(workbook_bytes(project))
    back = read_import_file(path)
    assert back.kind == "xlsx" and back.warnings == []
    assert back.projects == [_draft(project)]
    assert project_to_dict(back.projects[0]) == project_to_dict(project)


def test_the_visible_explanation_wins_over_the_hidden_copy() -> None:
    project = _project("辅助职能")
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(project)))
    ws = wb["项目经费情况说明"]
    column = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    ws.cell(column.index("二、立项依据") + 2, 1).value = "《就业补助资金管理办法》"
    ws.cell(column.index("五、实施周期") + 2, 1).value = "2020年全年"
    out = io.BytesIO()
    wb.save(out)
    back = read_workbook_bytes(out.getvalue()).project
    assert back.legal_basis == "《就业补助资金管理办法》"
    assert back.implementation_period == "2020年全年"
    assert back.implementation_plan == project.implementation_plan  # paragraphs kept


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_without_the_hidden_sheet_every_text_and_indicator_is_read_from_the_cells(
    project: Project,
) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(project)))
    del wb[DATA_SHEET]
    out = io.BytesIO()
    wb.save(out)
    back = read_workbook_bytes(out.getvalue())
    assert back.warnings == [NO_DATA_WARNING] and back.family == "shanghai-2020"
    p = back.project
    for key in ("name", "year", "overall_goal", "annual_goal", *SECTION_FIELDS):
        assert getattr(p, key) == getattr(project, key), key
    # indicators read back in the form's words: the taxonomy places them where they were
    assert [(i.name, i.target) for i in p.indicators] == [
        (i.name, i.target) for i in project.indicators
    ]
