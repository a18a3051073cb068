"""The last layout differences from the paper forms (issue 17), checked on the reference cases.

Each paper detail is checked three ways: in the placed grid (``grid.py``), in the
PDF's text and lines (PDFium), and in the workbook (openpyxl), which the Excel
reader must still take back.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from test_pdf import needs_font, page_texts, squeeze

from desktop.export.batch import Job, export_many, export_one, render
from desktop.export.grid import (
    STAGE_TICK,
    SheetGrid,
    place_project,
    printed_levels,
)
from desktop.export.layout import HEADER, LAYOUTS, Group, Rows, earlier_sheets
from desktop.export.package import project_to_dict, read_package_file
from desktop.export.pdf_writer import pdf_bytes
from desktop.export.xlsx_reader import read_workbook_bytes
from desktop.models.project import STAGES, Guarantee, Project

ROOT = Path(__file__).resolve().parents[1]
MINHANG = ROOT.parent / "shared" / "cases" / "seed000-001-minhang-2020.json"
OPEN_2021 = ROOT.parent / "shared" / "cases" / "seed003-open-2021.json"
SONGJIANG = Path(__file__).parent / "fixtures" / "songjiang-2020.json"


def _project(path: Path, name: str) -> Project:
    return next(p for p in read_package_file(path).projects if p.name == name)


def _minhang() -> Project:
    project = _project(MINHANG, "政府雇员项目")
    project.unit = "上海市闵行区机关事务管理局"  # the case leaves the stamp's unit blank
    return project


def _car() -> Project:
    return _project(OPEN_2021, "车辆购置费")  # a 2021 project without 制度保障 rows


def _in_order(text: str, words: list[str]) -> bool:
    at = -1
    for word in words:
        at = text.find(word, at + 1)
        if at < 0:
            return False
    return True


def _sheet(grid_sheets: list[SheetGrid], name: str) -> SheetGrid:
    return next(s for s in grid_sheets if s.sheet.name == name)


def _rows(ws: openpyxl.worksheet.worksheet.Worksheet, last: int) -> list[list[object]]:
    return [[ws.cell(r, c).value for c in range(1, ws.max_column + 1)] for r in range(1, last + 1)]


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _round_trip(project: Project) -> Project:
    back = read_workbook_bytes(render(project, "xlsx"), "测试.xlsx").project
    expected = copy.deepcopy(project)
    expected.status = back.status  # a workbook comes back as a draft
    assert project_to_dict(back) == project_to_dict(expected)
    return back


# ------------------------------------------------------------------ 闵行 2020


def test_the_stamp_caption_has_no_colon_as_on_paper() -> None:
    project = _minhang()
    general = place_project(project).sheets[0]
    caption = general.by_path("unit")
    assert caption is not None and caption.row < general.table_start
    assert caption.value == f"填报单位（盖章）{project.unit}"
    ws = _book(render(project, "xlsx"))["项目总体情况"]
    assert ws["A3"].value == f"填报单位（盖章）{project.unit}"


@needs_font
def test_the_stamp_caption_prints_without_a_colon() -> None:
    first = squeeze(page_texts(render(_minhang(), "pdf"))[0])
    assert "填报单位（盖章）上海市闵行区机关事务管理局" in first
    assert "填报单位（盖章）：" not in first


def test_a_unit_edited_in_the_stamp_caption_is_read_back() -> None:
    project = _minhang()
    wb = _book(render(project, "xlsx"))
    wb["项目总体情况"]["A3"].value = "填报单位（盖章）上海市闵行区财政局"
    out = io.BytesIO()
    wb.save(out)
    assert read_workbook_bytes(out.getvalue(), "测试.xlsx").project.unit == "上海市闵行区财政局"


def test_attachment_number_comes_after_the_year_line_before_the_project_name() -> None:
    project = _minhang()
    targets = place_project(project).sheets[1]
    above = [c.value for c in sorted(targets.cells, key=lambda c: (c.row, c.col))][:5]
    assert above == [
        "财政项目支出绩效目标申报表（绩效目标）",
        "（2020 年）",
        "附件1-2",
        "项目名称：政府雇员项目",
        "金额单位：元",
    ]
    ws = _book(render(project, "xlsx"))["绩效目标"]
    assert [ws.cell(r, 1).value for r in range(1, 5)] == above[:4]


@needs_font
def test_attachment_number_prints_after_the_year_line() -> None:
    page = squeeze(page_texts(render(_minhang(), "pdf"))[2])
    assert page.startswith("财政项目支出绩效目标申报表（绩效目标）（2020年）附件1-2项目名称：")


def test_main_activity_label_has_the_papers_brackets() -> None:
    project = _minhang()
    targets = place_project(project).sheets[1]
    labels = [c.value for c in targets.cells if c.row == targets.table_start]
    assert labels[:2] == ["项目构成", "主体活动 (作业、任务)"]
    ws = _book(render(project, "xlsx"))["绩效目标"]
    values = {c.value for row in ws.iter_rows() for c in row}
    assert "主体活动 (作业、任务)" in values and "主体活动（作业、任务）" not in values


@needs_font
def test_main_activity_label_prints_with_the_papers_brackets() -> None:
    page = page_texts(render(_minhang(), "pdf"))[2]
    assert "主体活动 (作业、任务)" in page and "主体活动（" not in page


def test_guarantee_project_name_is_the_tables_first_bordered_row() -> None:
    project = _minhang()
    a3 = _sheet(place_project(project).sheets, "制度保障")
    name = next(c for c in a3.cells if c.value == "项目名称：政府雇员项目")
    assert (name.row, name.col, name.cols, name.boxed) == (a3.table_start, 0, 6, True)
    assert a3.at(a3.table_start + 1, 0).value == "制度保障"  # type: ignore[union-attr]
    ws = _book(render(project, "xlsx"))["制度保障"]
    assert ws["A3"].value == "项目名称：政府雇员项目"
    assert "A3:F3" in {str(m) for m in ws.merged_cells.ranges}
    for col in range(1, 7):
        border = ws.cell(3, col).border
        assert border.top.style == border.bottom.style == "thin"
    assert ws["A3"].border.left.style == ws["F3"].border.right.style == "thin"


def _lines_around(page: pdfium.PdfPage, text: str) -> tuple[bool, bool, bool]:
    """Whether lines are drawn above, below and left of the first ``text`` on the page."""
    textpage = page.get_textpage()
    at = textpage.get_text_range().index(text)
    left, bottom, _, top = textpage.get_charbox(at)
    right = textpage.get_charbox(at + len(text) - 1)[2]
    lines = [o.get_bounds() for o in page.get_objects() if o.type == pdfium_c.FPDF_PAGEOBJ_PATH]

    def across(y0: float, y1: float) -> bool:
        return any(
            b[3] - b[1] < 3 and y0 < b[1] < y1 and b[0] <= left and b[2] >= right for b in lines
        )

    above = across(top, top + 12)
    below = across(bottom - 12, bottom)
    at_left = any(b[2] - b[0] < 3 and left - 12 < b[0] < left and b[1] <= bottom for b in lines)
    return above, below, at_left


@needs_font
def test_guarantee_project_name_prints_inside_the_tables_border() -> None:
    doc = pdfium.PdfDocument(render(_minhang(), "pdf"))
    try:
        page = doc[len(doc) - 1]
        assert "项目支出绩效目标申报表(制度保障)" in page.get_textpage().get_text_range()
        assert _lines_around(page, "项目名称：政府雇员项目") == (True, True, True)
    finally:
        doc.close()


def test_minhang_guarantees_keep_the_papers_ticks_under_one_header() -> None:
    a3 = _sheet(place_project(_minhang()).sheets, "制度保障")
    header = a3.at(a3.table_start + 1, 3)
    assert header is not None and (header.value, header.cols, header.rows) == ("保障阶段", 3, 1)
    first = [c.value for c in a3.cells if c.row == a3.table_start + 2 and c.col >= 3]
    assert first == [f"{stage} {STAGE_TICK}" for stage in STAGES]


def test_minhang_workbook_reads_back_whole() -> None:
    _round_trip(_minhang())


# ------------------------------------------------------------------ 上海 2020 (松江 book)


def _songjiang(name: str = "辅助职能") -> Project:
    return _project(SONGJIANG, name)


def test_breakdown_heading_is_a_row_over_the_indicator_table() -> None:
    sheet = place_project(_songjiang()).sheets[1]
    heading = next(c for c in sheet.cells if c.value == "分解目标")
    # a row of its own across the table, not a label merged down a left column
    assert (heading.col, heading.cols, heading.rows, heading.boxed) == (0, 4, 1, True)
    header = [c.value for c in sheet.cells if c.row == heading.row + 1]
    assert header == ["一级指标", "二级指标", "三级指标", "指标目标值"]
    assert all(c.role == HEADER for c in sheet.cells if c.row == heading.row + 1)
    assert not [c for c in sheet.cells if c.col == 0 and c.rows > 2 and c.value == "分解目标"]
    ws = _book(render(_songjiang(), "xlsx"))["绩效目标"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "分解目标")
    assert f"A{row}:D{row}" in {str(m) for m in ws.merged_cells.ranges}
    assert [ws.cell(row + 1, c).value for c in range(1, 5)] == header


@needs_font
def test_breakdown_heading_prints_above_the_indicator_header() -> None:
    table = squeeze(page_texts(render(_songjiang(), "pdf"))[-1])
    assert _in_order(table, ["年度绩效目标", "分解目标", "一级指标", "二级指标", "三级指标"])
    assert table.index("分解目标") < table.index("一级指标")


def test_year_line_as_the_book_prints_it() -> None:
    sheet = place_project(_songjiang()).sheets[1]
    assert sheet.at(1, 0).value == "(2020年 )"  # type: ignore[union-attr]
    assert _book(render(_songjiang(), "xlsx"))["绩效目标"]["A2"].value == "(2020年 )"


@needs_font
def test_year_line_prints_as_the_book_prints_it() -> None:
    assert "(2020年 )" in page_texts(render(_songjiang(), "pdf"))[-1]


def test_a_level1_the_clerk_left_blank_is_printed_blank() -> None:
    project = _songjiang()
    assert [i.level1 for i in project.indicators][2:5] == [None, None, None]
    sheet = place_project(project).sheets[1]
    level1 = {
        c.value: c.rows
        for c in sheet.cells
        if c.path and c.path.endswith(".level1") and c.value is not None
    }
    assert level1 == {"产出目标": 2, "影响力目标": 2}  # no 效果目标 is made up
    blank = [c for c in sheet.cells if c.path in {f"indicators.{i}.level1" for i in (2, 3, 4)}]
    assert [(c.value, c.rows) for c in blank] == [(None, 1)] * 3
    # the 二级 still merges over the rows whose 一级 is blank, as in the book
    social = next(c for c in sheet.cells if c.value == "社会效益目标")
    assert social.rows == 3
    ws = _book(render(project, "xlsx"))["绩效目标"]
    cells = {c.value for row in ws.iter_rows() for c in row}
    assert "效果目标" not in cells and "社会效益目标" in cells


def test_printed_levels_never_fill_in_a_blank_level1() -> None:
    assert printed_levels("shanghai-2020", None, "社会效益目标") == (None, "社会效益目标")
    assert printed_levels("minhang-2020", "", "社会效益") == ("", "社会效益")
    # a written 一级 is still printed in the family's words
    assert printed_levels("minhang-2020", "效益指标", "社会效益指标") == ("效果目标", "社会效益")


def test_the_tables_earlier_layout_is_kept_for_reading_older_workbooks() -> None:
    """Workbooks exported before 分解目标 became a row hold the table one column to the right
    under a 分解目标 merged down: the reader can fall back on that description."""
    (earlier,) = earlier_sheets("shanghai-2020", "S1")
    current = next(s for s in LAYOUTS["shanghai-2020"].sheets if s.key == "S1")
    assert (earlier.name, earlier.columns, current.columns) == (current.name, 5, 4)
    group = earlier.table[-1]
    assert isinstance(group, Group) and group.label.text == "分解目标"
    (rows,) = group.parts
    assert isinstance(rows, Rows) and [c.col for c in rows.cells] == [1, 2, 3, 4]
    assert earlier.above[1].cells[0].text == "({}年)"
    assert earlier_sheets("shanghai-2020", "S0") == earlier_sheets("minhang-2020", "A1") == ()


@needs_font
def test_a_blank_level1_prints_blank() -> None:
    for name in ("创业就业", "辅助职能"):
        assert "效果目标" not in page_texts(render(_songjiang(name), "pdf"))[-1], name


@pytest.mark.parametrize("name", ["创业就业", "辅助职能"])
def test_songjiang_workbook_reads_back_whole(name: str) -> None:
    back = _round_trip(_songjiang(name))
    assert None in [i.level1 for i in back.indicators]


# ------------------------------------------------------------------ 2021: 制度保障


def test_guarantee_page_is_left_out_without_rows_unless_asked_for() -> None:
    project = _car()
    assert project.guarantees == []
    names = [s.sheet.name for s in place_project(project, blank_pages=False).sheets]
    assert names == ["绩效目标申报表"]
    asked = [s.sheet.name for s in place_project(project, blank_pages=True).sheets]
    assert asked == ["绩效目标申报表", "制度保障"]
    # outside a printing choice every page is placed: the workbook keeps the sheet
    assert len(place_project(project).sheets) == 2
    # a project with rows prints the page whatever was asked
    project.guarantees = [Guarantee("项目管理制度", "内控指南", "专款专用", ["实施阶段"])]
    assert len(place_project(project, blank_pages=False).sheets) == 2
    # the 闵行 A3 is not optional: it is one of the three tables
    minhang = _project(MINHANG, "区级机关工勤类雇员后勤服务保障经费")
    assert minhang.guarantees == []
    assert len(place_project(minhang, blank_pages=False).sheets) == 3


@needs_font
def test_guarantee_page_prints_only_with_rows_or_when_asked() -> None:
    project = _car()
    plain = page_texts(render(project, "pdf"))
    assert len(plain) == 1 and "制度保障" not in plain[0]
    assert "第 1 页 共 1 页" in plain[0]
    blank = page_texts(render(project, "pdf", blank_guarantee=True))
    assert len(blank) == 2 and "项目支出绩效目标申报表(制度保障)" in blank[1]
    # the writer on its own still draws every page (the command line and window go by render)
    assert len(page_texts(pdf_bytes(project))) == 2
    project.guarantees = [Guarantee("项目管理制度", "内控指南", "专款专用", ["实施阶段"])]
    filled = page_texts(render(project, "pdf"))
    assert len(filled) == 2 and "专款专用" in filled[1]


@needs_font
def test_export_one_and_many_pass_the_blank_page_choice_on(tmp_path: Path) -> None:
    project = _car()
    one = export_one(project, tmp_path / "one.pdf", "pdf")
    asked = export_one(project, tmp_path / "asked.pdf", "pdf", blank_guarantee=True)
    assert (len(page_texts(one.read_bytes())), len(page_texts(asked.read_bytes()))) == (1, 2)
    folder = tmp_path / "many"
    folder.mkdir()
    result = export_many([Job(project)], folder, "pdf", blank_guarantee=True)
    assert len(page_texts(result.written[0].read_bytes())) == 2


def test_the_workbook_keeps_the_guarantee_sheet_to_fill_in_by_hand() -> None:
    wb = _book(render(_car(), "xlsx"))
    assert wb.sheetnames[:2] == ["绩效目标申报表", "制度保障"]


def test_the_2021_stage_header_names_the_three_stages() -> None:
    project = _car()
    project.guarantees = [
        Guarantee("项目管理制度", "内控指南", "专款专用", ["实施阶段"]),
        Guarantee("预算管理制度", "预算办法", "按预算执行", ["立项和计划阶段", "收尾和完成阶段"]),
    ]
    a3 = _sheet(place_project(project).sheets, "制度保障")
    top, second = a3.table_start + 1, a3.table_start + 2
    stage = a3.at(top, 3)
    assert stage is not None and (stage.value, stage.cols, stage.rows) == ("保障阶段", 3, 1)
    for col, words in enumerate(("制度保障", "文件名称", "具体措施")):
        cell = a3.at(top, col)
        assert cell is not None and (cell.value, cell.rows) == (words, 2)
    assert [a3.at(second, 3 + i).value for i in range(3)] == list(STAGES)  # type: ignore[union-attr]
    header = next(s for s in a3.sections if s.header)
    assert (header.start, header.header) == (top, 2)  # both header lines repeat on each page
    ticks = [[c.value for c in a3.cells if c.row == second + 1 + i and c.col >= 3] for i in (0, 1)]
    assert ticks == [[None, STAGE_TICK, None], [STAGE_TICK, None, STAGE_TICK]]

    ws = _book(render(project, "xlsx"))["制度保障"]
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"A4:A5", "B4:B5", "C4:C5", "D4:F4"} <= merged
    assert [ws.cell(5, c).value for c in range(4, 7)] == list(STAGES)
    assert [ws.cell(6, c).value for c in range(1, 7)] == [
        "项目管理制度",
        "内控指南",
        "专款专用",
        None,
        STAGE_TICK,
        None,
    ]
    assert ws.print_title_rows == "$4:$5"
    back = _round_trip(project)
    assert back.guarantees == project.guarantees


@needs_font
def test_the_2021_stage_header_prints_the_three_stages() -> None:
    project = _car()
    project.guarantees = [Guarantee("项目管理制度", "内控指南", "专款专用", ["实施阶段"])]
    page = squeeze(page_texts(render(project, "pdf"))[1])
    assert _in_order(
        page,
        ["项目名称：车辆购置费", "保障阶段", *STAGES, "项目管理制度", "内控指南", "专款专用", "✓"],
    )
    assert page.count("✓") == 1  # the stage words are in the header, not beside each tick


def test_a_guarantee_filled_in_by_hand_under_the_two_line_header_is_read() -> None:
    project = _car()
    wb = _book(render(project, "xlsx"))
    ws = wb["制度保障"]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "制度保障")
    row = header + 2  # below 保障阶段 and its three stages
    ws.cell(row, 1).value = "项目管理制度"
    ws.cell(row, 2).value = "内控指南"
    ws.cell(row, 5).value = "✓"
    out = io.BytesIO()
    wb.save(out)
    back = read_workbook_bytes(out.getvalue(), "测试.xlsx").project
    assert back.guarantees == [Guarantee("项目管理制度", "内控指南", None, ["实施阶段"])]


def test_only_the_2021_guarantee_page_is_optional() -> None:
    optional = {
        (family, s.name) for family, lay in LAYOUTS.items() for s in lay.sheets if s.optional_source
    }
    assert optional == {("shanghai-2021", "制度保障")}


@needs_font
def test_both_header_lines_repeat_on_a_continued_guarantee_page() -> None:
    project = _car()
    project.guarantees = [
        Guarantee(f"制度{i}", "内控指南" * 3, "严格管理" * 5, ["实施阶段"]) for i in range(40)
    ]
    pages = [squeeze(p) for p in page_texts(render(project, "pdf"))]
    assert len(pages) >= 3
    continued = next(p for p in pages[2:] if "制度39" in p)
    assert _in_order(continued, ["保障阶段", *STAGES, "制度3"])
    assert "项目支出绩效目标申报表(制度保障)" not in continued
