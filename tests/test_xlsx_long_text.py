"""Texts taller than one Excel row (409 pt) continue in the rows below and read back whole.

Excel cannot make a row taller than 409 pt, about 1,000 characters of 项目概况 at its
column width: the rest of a longer text was cut off in print. The writer now continues
it in rows of their own (labelled 项目概况（续）, merged as the text's own row) and the
reader joins them back, character for character.
"""

from __future__ import annotations

import copy
import io

import openpyxl
import pytest
from conftest import case_projects

from desktop.export.package import project_to_dict
from desktop.export.xlsx_reader import read_workbook_bytes
from desktop.export.xlsx_writer import (
    CONTINUED,
    LINES_PER_ROW,
    MAX_ROW_PT,
    SENTENCE_ENDS,
    PrintedSheet,
    printed_sheets,
    split_text,
    workbook_bytes,
)
from desktop.models.project import Guarantee, Project

PROJECTS = case_projects()


def _case(family: str) -> Project:
    return copy.deepcopy(next(p for p in PROJECTS if p.family == family))


def long_text(chars: int, paragraphs: int = 1, word: str = "说明") -> str:
    """Sentences of Chinese (with digits and Latin letters) in ``paragraphs`` paragraphs."""
    sentences = [
        f"第{i}句{word}项目的实施情况，包括资金、人员和设备（ABC 型）等内容；" for i in range(9999)
    ]
    text = "".join(sentences)[: chars - paragraphs]
    size = len(text) // paragraphs
    parts = [text[i * size : (i + 1) * size] for i in range(paragraphs - 1)]
    parts.append(text[(paragraphs - 1) * size :])
    return "\n".join(parts) + "。"


def _draft(project: Project) -> Project:
    out = copy.deepcopy(project)
    out.status = "draft"
    return out


def _field_rows(printed: PrintedSheet, path: str) -> tuple[int, list[str]]:
    """The row of ``path``'s cell and the texts of it and its continuation cells below."""
    first = printed.by_path(path)
    assert first is not None, path
    texts = [first.text]
    row = first.row + 1
    while True:
        more = [
            c
            for c in printed.cells
            if c.row == row and c.col == first.col and c.cols == first.cols and c.path is None
        ]
        if not more or not more[0].text:
            break
        texts.append(more[0].text)
        row += 1
    return first.row, texts


def _sheet(project: Project, name: str, family: str | None = None) -> PrintedSheet:
    return next(s for s in printed_sheets(project, family) if s.grid.sheet.name == name)


def _workbook(project: Project) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes(project)))


def _read_saved(wb: openpyxl.Workbook, file_name: str) -> Project:
    """The workbook saved (after the clerk's edit in Excel) and read back."""
    out = io.BytesIO()
    wb.save(out)
    return read_workbook_bytes(out.getvalue(), file_name).project


# ------------------------------------------------------------------ splitting


def test_pieces_join_to_the_text_and_each_fits_a_row() -> None:
    text = long_text(5000, paragraphs=6)
    pieces = split_text(text, 74)
    assert "".join(pieces) == text
    assert len(pieces) >= 4
    for piece in pieces[:-1]:
        # cut after a sentence or paragraph end, never inside a sentence
        assert piece[-1] in SENTENCE_ENDS, piece[-20:]


def test_a_text_without_sentence_ends_is_cut_anywhere_and_kept_whole() -> None:
    text = "字" * 3000 + "\n" + "  前后有空格  " + "a" * 2000
    pieces = split_text(text, 30)
    assert "".join(pieces) == text
    assert all(pieces)


def test_a_short_text_is_one_piece() -> None:
    assert split_text("短文本。", 74) == ["短文本。"]
    assert split_text("", 74) == [""]


# ------------------------------------------------------------------ the workbook


@pytest.mark.parametrize("paragraphs", [1, 6])
def test_a_5000_character_overview_continues_in_the_rows_below(paragraphs: int) -> None:
    project = _case("minhang-2020")
    project.overview = long_text(5000, paragraphs)
    printed = _sheet(project, "项目总体情况")
    row, pieces = _field_rows(printed, "overview")
    assert "".join(pieces) == project.overview
    assert len(pieces) >= 4
    wb = _workbook(project)
    ws = wb["项目总体情况"]
    # the label says what the further rows are; each piece merged over B:D as the first
    assert ws.cell(row + 1, 1).value == "项目概况"
    for k in range(1, len(pieces)):
        assert ws.cell(row + 1 + k, 1).value == "项目概况" + CONTINUED
        assert ws.cell(row + 1 + k, 2).value == pieces[k]
        assert f"B{row + 1 + k}:D{row + 1 + k}" in {str(m) for m in ws.merged_cells.ranges}
    # every row at most Excel's maximum, and tall enough for its piece
    for k in range(len(pieces)):
        height = ws.row_dimensions[row + 1 + k].height
        assert height <= MAX_ROW_PT
        if k < len(pieces) - 1:  # a full piece: most of a row
            assert height >= 14.5 * (LINES_PER_ROW - 2)
    # the line after the text is still there, found and read
    assert ws.cell(row + 1 + len(pieces), 1).value == "项目立项情况"


def test_a_5000_character_overview_reads_back_exactly() -> None:
    project = _case("minhang-2020")
    project.overview = long_text(5000, 6)
    project.establishment = long_text(1500, 2, word="立项")
    back = read_workbook_bytes(workbook_bytes(project), "长文本.xlsx")
    assert back.warnings == []
    assert back.project == _draft(project)
    assert project_to_dict(back.project) == project_to_dict(project)


def test_a_long_goal_beside_a_short_one_continues_alone() -> None:
    """2021: 项目总目标 and 年度总目标 share a line; only the long one needs more rows."""
    project = _case("shanghai-2021")
    project.overall_goal = long_text(1500, 1, word="总目标")
    project.annual_goal = "年度目标短。"
    printed = _sheet(project, "绩效目标申报表")
    row, pieces = _field_rows(printed, "overall_goal")
    assert len(pieces) >= 2 and "".join(pieces) == project.overall_goal
    annual = printed.by_path("annual_goal")
    assert annual is not None and annual.row == row
    beside = [c for c in printed.cells if c.col == annual.col and row < c.row < row + len(pieces)]
    assert beside and all(c.value is None for c in beside)
    back = read_workbook_bytes(workbook_bytes(project), "长目标.xlsx").project
    assert back == _draft(project)


def test_both_goals_long_and_the_indicators_below_come_back() -> None:
    project = _case("shanghai-2021")
    project.overall_goal = long_text(1500, 2, word="总目标")
    project.annual_goal = long_text(4000, 3, word="年度目标")
    back = read_workbook_bytes(workbook_bytes(project), "长目标.xlsx")
    assert back.warnings == []
    assert back.project == _draft(project)


def test_a_long_section_of_the_explanation_document_reads_back() -> None:
    """项目经费情况说明: one column, no labels; the next heading ends the continuation."""
    project = _case("minhang-2020")
    project.overview = long_text(5000, 4)
    project.legal_basis = long_text(2500, 2, word="依据")
    data = workbook_bytes(project, family="shanghai-2020")
    printed = _sheet(project, "项目经费情况说明", "shanghai-2020")
    _, pieces = _field_rows(printed, "overview")
    assert len(pieces) >= 3
    back = read_workbook_bytes(data, "说明.xlsx")
    assert back.family == "shanghai-2020"
    assert back.project == _draft(project)


def test_a_continuation_edited_in_excel_is_taken() -> None:
    project = _case("minhang-2020")
    project.overview = long_text(5000, 6)
    printed = _sheet(project, "项目总体情况")
    row, pieces = _field_rows(printed, "overview")
    wb = _workbook(project)
    ws = wb["项目总体情况"]
    ws.cell(row + 3, 2).value = pieces[2] + "（补充一句。）"
    back = _read_saved(wb, "改过.xlsx")
    expected = "".join(pieces[:3]) + "（补充一句。）" + "".join(pieces[3:])
    assert back.overview == expected
    assert back.establishment == project.establishment


def test_without_the_hidden_sheet_the_continued_text_is_read_from_the_cells() -> None:
    project = _case("minhang-2020")
    project.overview = long_text(5000, 6)
    wb = _workbook(project)
    del wb["程序数据"]
    back = _read_saved(wb, "无程序数据.xlsx")
    assert back.overview == project.overview
    assert back.establishment == project.establishment


def test_a_continuation_whose_label_was_cleared_is_still_joined() -> None:
    project = _case("minhang-2020")
    project.overview = long_text(5000, 6)
    printed = _sheet(project, "项目总体情况")
    row, pieces = _field_rows(printed, "overview")
    wb = _workbook(project)
    wb["项目总体情况"].cell(row + 2, 1).value = None
    back = _read_saved(wb, "改过.xlsx")
    assert back.overview == project.overview


# ------------------------------------------------------------------ texts in a row table


def _long_rows(project: Project) -> Project:
    """A 制度保障 row of long texts between two short ones, a long 备注 of an indicator."""
    project.guarantees = [
        Guarantee("财务管理制度", "内控指南", "专款专用。", ["实施阶段"]),
        Guarantee(
            "项目管理制度",
            long_text(900, 1, word="文件"),
            long_text(2500, 3, word="措施"),
            ["立项和计划阶段"],
        ),
        Guarantee("合同管理制度", "合同法", "按合同付款。", []),
    ]
    project.indicators[1].note = long_text(1800, 2, word="备注")
    return project


def test_a_long_text_in_a_table_row_continues_in_marked_rows_and_reads_back() -> None:
    project = _long_rows(_case("minhang-2020"))
    data = workbook_bytes(project)
    printed = _sheet(project, "制度保障")
    row, pieces = _field_rows(printed, "guarantees.1.measures")
    assert len(pieces) >= 3 and "".join(pieces) == project.guarantees[1].measures
    ws = openpyxl.load_workbook(io.BytesIO(data))["制度保障"]
    mark = ws.max_column
    assert mark == printed.grid.sheet.columns + 1
    assert ws.column_dimensions[openpyxl.utils.get_column_letter(mark)].hidden
    # the continuation rows are marked, outside the print area; the rows around are not
    marked = [r for r in range(1, ws.max_row + 1) if ws.cell(r, mark).value == CONTINUED]
    assert marked == [row + 1 + k for k in range(1, len(pieces))]
    assert ws.print_area.endswith(f"$F${ws.max_row}")
    for k in range(len(pieces)):
        assert ws.row_dimensions[row + 1 + k].height <= MAX_ROW_PT
    back = read_workbook_bytes(data, "长措施.xlsx")
    assert back.warnings == []
    assert back.project == _draft(project)
    assert len(back.project.guarantees) == 3


def test_without_the_hidden_sheet_a_continued_table_row_is_one_row() -> None:
    project = _long_rows(_case("minhang-2020"))
    wb = _workbook(project)
    del wb["程序数据"]
    back = _read_saved(wb, "无程序数据.xlsx")
    assert [g.measures for g in back.guarantees] == [g.measures for g in project.guarantees]
    assert back.guarantees[1].stages == ["立项和计划阶段"]
    assert back.indicators[1].note == project.indicators[1].note
    assert len(back.indicators) == len(project.indicators)


def test_a_row_the_clerk_adds_below_a_continued_row_is_a_row_of_its_own() -> None:
    project = _long_rows(_case("minhang-2020"))
    printed = _sheet(project, "制度保障")
    row, pieces = _field_rows(printed, "guarantees.2.kind")
    wb = _workbook(project)
    ws = wb["制度保障"]
    ws.cell(row + 2, 1).value = "档案管理制度"  # the blank row after the last one
    back = _read_saved(wb, "加行.xlsx")
    assert [g.kind for g in back.guarantees] == [
        "财务管理制度",
        "项目管理制度",
        "合同管理制度",
        "档案管理制度",
    ]
    assert back.guarantees[1].measures == project.guarantees[1].measures
