"""The official tables as an Excel workbook, and that workbook taken back after editing.

Run ``python tests/test_xlsx.py --make-fixture`` to rebuild the LibreOffice fixture
(needs ``soffice``); ``tests/fixtures/xlsx/README.md`` says what it holds.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import shutil
import subprocess
import sys
import time
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import case_projects

from desktop.export.grid import Placed, place_project
from desktop.export.layout import LAYOUTS
from desktop.export.package import project_to_dict
from desktop.export.xlsx_reader import (
    NO_DATA_WARNING,
    WorkbookError,
    WorkbookImport,
    read_workbook_bytes,
    read_workbook_file,
)
from desktop.export.xlsx_writer import (
    DATA_NOTE,
    DATA_SHEET,
    printed_sheets,
    workbook_bytes,
    write_workbook,
)
from desktop.models.project import (
    STATUS_FINAL,
    BreakdownRow,
    Guarantee,
    Indicator,
    Project,
    Signoff,
)

FIXTURES = Path(__file__).parent / "fixtures" / "xlsx"
LIBREOFFICE_FIXTURE = FIXTURES / "minhang-edited-libreoffice.xlsx"
PROJECTS = case_projects()
SOFFICE = shutil.which("soffice")


def _case(name: str) -> Project:
    return copy.deepcopy(next(p for p in PROJECTS if p.name == name))


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _saved(wb: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _placed(project: Project, path: str) -> tuple[str, Placed]:
    """The sheet name and the cell showing ``path`` (``indicators.2.target``), where printed."""
    for sheet in printed_sheets(project):
        placed = sheet.by_path(path)
        if placed is not None:
            return sheet.grid.sheet.name, placed
    raise KeyError(path)


def _set(wb: openpyxl.Workbook, project: Project, path: str, value: object) -> None:
    name, placed = _placed(project, path)
    wb[name].cell(placed.row + 1, placed.col + 1).value = value


def _coord(project: Project, path: str) -> str:
    placed = _placed(project, path)[1]
    return f"{openpyxl.utils.get_column_letter(placed.col + 1)}{placed.row + 1}"


def _stage_cell(project: Project, index: int, stage: str) -> tuple[str, int, int]:
    """Where the 保障阶段 tick of guarantee ``index`` for ``stage`` is."""
    for sheet in printed_sheets(project):
        for c in sheet.cells:
            if c.path == f"guarantees.{index}.stages" and c.text.startswith(stage):
                return sheet.grid.sheet.name, c.row + 1, c.col + 1
    raise KeyError(stage)


def _import(data: bytes) -> WorkbookImport:
    return read_workbook_bytes(data, "测试.xlsx")


def _draft(project: Project) -> Project:
    out = copy.deepcopy(project)
    out.status = "draft"
    return out


# ------------------------------------------------------------------ projects with everything


def _rich(project: Project) -> Project:
    """A case project with what the form does not show, or shows in a special way."""
    p = copy.deepcopy(project)
    p.id = str(uuid.uuid5(uuid.NAMESPACE_URL, p.name))
    p.status = STATUS_FINAL  # not part of the round trip
    p.extra = {"future_key": {"kept": True}}
    p.department = p.department or "闵行区机关事务管理局"
    p.funding.carryover = Decimal("0.50")
    p.funding.annual_other = "约五万"  # unreadable, kept as typed
    p.funding.total_other = Decimal("10.00")  # precision as written
    p.phone = "02124033156"  # leading zero, digits only
    p.other_issues = "第一段\n第二段\x07（响铃字符不可写入单元格）"
    for i, ind in enumerate(p.indicators):
        ind.note = ind.note or f"设定依据{i}"
        ind.extra = {"source": i}
    if p.indicators:
        p.indicators[0].target = "=100%（6月底前）"
    if p.family == "minhang-2020":
        p.signoff = Signoff("张三", None, dt.date(2020, 9, 1))
    return p


ROUND_TRIP = [*PROJECTS, *(_rich(p) for p in PROJECTS)]


# ------------------------------------------------------------------ the workbook as drawn


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_every_field_is_in_the_cell_its_layout_names(project: Project) -> None:
    wb = _book(workbook_bytes(project))
    grid = place_project(project)
    printed = printed_sheets(project)
    layout = LAYOUTS[project.family]
    assert wb.sheetnames == [s.name for s in layout.sheets] + [DATA_SHEET]
    assert wb[DATA_SHEET].sheet_state == "hidden"
    assert wb.active.title == layout.sheets[0].name
    for placed_sheet, sheet in zip(grid.sheets, printed, strict=True):
        # every field the grid places is printed once, with its value
        paths = [c.path for c in placed_sheet.cells if c.path is not None]
        assert [c.path for c in sheet.cells if c.path is not None] == paths
        ws = wb[placed_sheet.sheet.name]
        shown = 0
        for placed in sheet.cells:
            cell = ws.cell(placed.row + 1, placed.col + 1)
            if placed.path is None:
                continue
            shown += 1
            if isinstance(placed.value, Decimal):
                assert cell.data_type == "n" and cell.number_format == "#,##0.00", placed.path
                assert Decimal(str(cell.value)) == placed.value, placed.path
            elif isinstance(placed.value, dt.date):
                assert cell.number_format == "yyyy-mm-dd", placed.path
                assert cell.value.date() == placed.value, placed.path
            elif placed.value in (None, ""):
                assert cell.value is None, placed.path
            else:
                assert cell.data_type == "s", placed.path
                assert cell.value == placed.value, placed.path
        assert shown > 0
        # merged ranges: exactly the printed spans
        spans = {
            (c.row + 1, c.col + 1, c.row + c.rows, c.col + c.cols)
            for c in sheet.cells
            if c.rows > 1 or c.cols > 1
        }
        merged = {(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges}
        assert merged == spans
        # the bordered table: every edge of every (merged) cell drawn, on each cell along it
        for c in sheet.cells:
            if not c.boxed:
                continue
            top, left, bottom, right = c.row + 1, c.col + 1, c.row + c.rows, c.col + c.cols
            for r in range(top, bottom + 1):
                for k in range(left, right + 1):
                    b = ws.cell(r, k).border
                    edges = [(k == left, b.left), (k == right, b.right)]
                    edges += [(r == top, b.top), (r == bottom, b.bottom)]
                    assert all(side.style == "thin" for outer, side in edges if outer), (r, k)


@pytest.mark.parametrize("family", sorted(LAYOUTS))
def test_page_setup_prints_each_sheet_on_a4_one_page_wide(family: str) -> None:
    project = _case("政府雇员项目")
    wb = _book(workbook_bytes(project, family=family))
    for printed in printed_sheets(project, family):
        sheet = printed.grid
        ws = wb[sheet.sheet.name]
        assert ws.page_setup.paperSize == 9
        assert ws.page_setup.orientation == ("landscape" if sheet.sheet.landscape else "portrait")
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert ws.print_options.horizontalCentered is True
        assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
        assert ws.oddHeader.right.text is None
        last = openpyxl.utils.get_column_letter(sheet.sheet.columns)
        assert ws.print_area == f"'{sheet.sheet.name}'!$A$1:${last}${printed.rows}"
        headed = [s for s in sheet.sections if s.header]
        if len(headed) != 1:
            # none, or several tables each repeating its own header in rows of the sheet
            assert ws.print_title_rows is None
        else:
            first, last_row = printed.title_rows[0] + 1, printed.title_rows[1] + 1
            assert last_row - first + 1 == headed[0].header
            assert ws.print_title_rows == f"${first}:${last_row}"
            # the repeated rows are the table's header lines
            words = {ws.cell(first, c).value for c in range(1, sheet.sheet.columns + 1)}
            assert words & {"一级目标", "一级指标", "文件名称"}
        # fonts: 黑体 16 bold title, 宋体 11 elsewhere
        title = next(c for c in sheet.cells if c.role == "title")
        font = ws.cell(title.row + 1, title.col + 1).font
        assert (font.name, font.size, font.bold) == ("黑体", 16, True)
        assert ws.cell(sheet.table_start + 1, 1).font.name == "宋体"
        # rows are tall enough for wrapped text, never beyond Excel's maximum
        heights = [ws.row_dimensions[r].height for r in range(1, printed.rows + 1)]
        assert all(20 <= h <= 409 for h in heights)


def test_a_long_text_gets_a_taller_row_than_a_short_one() -> None:
    project = _case("政府雇员项目")
    wb = _book(workbook_bytes(project))
    ws = wb["项目总体情况"]
    overview = _placed(project, "overview")[1].row + 1
    name = _placed(project, "name")[1].row + 1
    # 679 characters over a 74-unit cell: at least 18 lines of 14.5 pt
    assert ws.row_dimensions[overview].height > 18 * 14.5
    assert ws.row_dimensions[name].height == 20


def test_draft_header_only_when_asked() -> None:
    project = _case("车辆购置费")
    for ws in _book(workbook_bytes(project, draft=True)).worksheets[:-1]:
        assert ws.oddHeader.right.text == "草稿"
    for ws in _book(workbook_bytes(project)).worksheets[:-1]:
        assert ws.oddHeader.right.text is None
        assert "草稿" not in str(ws.oddHeader) + str(ws.oddFooter)


def test_targets_that_start_with_equals_are_text_not_formulas() -> None:
    project = _case("车辆购置费")
    wb = _book(workbook_bytes(project))
    name, placed = _placed(project, "indicators.1.target")
    cell = wb[name].cell(placed.row + 1, placed.col + 1)
    assert cell.value == "=100%" and cell.data_type == "s"


def test_the_hidden_sheet_holds_the_project_package() -> None:
    project = _rich(_case("政府雇员项目"))
    ws = _book(workbook_bytes(project))[DATA_SHEET]
    rows = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, ws.max_row + 1)}
    assert ws["A1"].value == DATA_NOTE
    assert rows["格式"] == "jixiao-shenbao-xlsx" and rows["版本"] == 1
    assert rows["表式"] == "minhang-2020"
    doc = json.loads(rows["数据包"])
    assert doc["format"] == "jixiao-shenbao" and doc["projects"][0]["id"] == project.id


def test_a_package_longer_than_a_cell_is_split_into_chunks() -> None:
    project = _case("车辆购置费")
    project.overall_goal = "长" * 20_000
    project.annual_goal = "久" * 20_000
    ws = _book(workbook_bytes(project))[DATA_SHEET]
    chunks = [
        ws.cell(r, 2).value for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "数据包"
    ]
    assert len(chunks) == 2 and all(len(c) <= 30_000 for c in chunks)
    assert _import(workbook_bytes(project)).project == _draft(project)


def test_write_workbook_writes_the_file_atomically(tmp_path: Path) -> None:
    project = _case("党建经费")
    path = write_workbook(project, tmp_path / "党建经费.xlsx", family="shanghai-2020")
    assert path.read_bytes()[:2] == b"PK"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    back = read_workbook_file(path)
    assert back.family == "shanghai-2020" and back.project == _draft(project)


# ------------------------------------------------------------------ round trip


@pytest.mark.parametrize("project", ROUND_TRIP, ids=lambda p: ("rich-" if p.id else "") + p.name)
def test_round_trip_gives_back_the_same_project(project: Project) -> None:
    back = _import(workbook_bytes(project))
    assert back.warnings == []
    assert back.family == project.family
    assert back.project == _draft(project)
    # field for field as the 数据包 writes it: amount precision and text kept
    assert project_to_dict(back.project) == project_to_dict(project)


def test_an_amount_beyond_excels_precision_keeps_its_stored_digits() -> None:
    project = _case("车辆购置费")
    project.funding.total = Decimal("987654321098765.43")  # Excel keeps 15 digits
    back = _import(workbook_bytes(project)).project
    assert project_to_dict(back)["funding"]["total"] == "987654321098765.43"


def test_rows_not_yet_filled_in_come_back_as_stored() -> None:
    project = _case("政府雇员项目")
    first = project.indicators[0]
    # a row with its levels chosen but no name yet, merged with the one above it on the form
    project.indicators.insert(1, Indicator(first.level1, first.level2, ""))
    project.indicators.insert(4, Indicator())  # an empty row between filled ones
    project.breakdown.append(BreakdownRow())
    project.guarantees.append(Guarantee("其他制度"))
    back = _import(workbook_bytes(project)).project
    assert back == _draft(project)


def test_round_trip_in_another_family_keeps_what_that_form_does_not_show() -> None:
    project = _rich(_case("车辆购置费"))
    back = _import(workbook_bytes(project, family="minhang-2020"))
    assert back.family == "minhang-2020"
    assert back.project == _draft(project)


def test_signoff_absent_stays_absent_and_present_stays_present() -> None:
    without = _case("区级机关工勤类雇员后勤服务保障经费")
    assert without.signoff is None
    assert _import(workbook_bytes(without)).project.signoff is None
    blank = _case("政府雇员项目")
    assert blank.signoff == Signoff()
    assert _import(workbook_bytes(blank)).project.signoff == Signoff()


# ------------------------------------------------------------------ edited in Excel


def _edit_base() -> Project:
    """The 2020 case with what the edits below change from: one stage unticked."""
    p = _rich(_case("政府雇员项目"))
    p.guarantees[1].stages = ["立项和计划阶段"]
    return p


def _clerk_edits(wb: openpyxl.Workbook, project: Project) -> None:
    """What a clerk does in Excel: a target, an amount, a date, a tick, a formula, a row cleared."""
    _set(wb, project, "indicators.0.target", "≥30人")
    _set(wb, project, "funding.upper", 1000)
    _set(wb, project, "end_date", dt.datetime(2020, 11, 30))
    _set(wb, project, "category", "☐一次性项目 ☑经常性项目 ☐中期预算试点项目")
    sheet, row, col = _stage_cell(project, 1, "实施阶段")
    wb[sheet].cell(row, col).value = "实施阶段 √"
    _set(wb, project, "indicators.1.target", "=95%")  # becomes a formula in Excel
    for key in ("name", "target", "note"):
        _set(wb, project, f"indicators.2.{key}", None)


def _edited_expected(project: Project) -> Project:
    p = _draft(project)
    p.indicators[0].target = "≥30人"
    p.funding.upper = Decimal(1000)
    p.end_date = dt.date(2020, 11, 30)
    p.category = "经常性项目"
    p.guarantees[1].stages = ["立项和计划阶段", "实施阶段"]
    p.indicators[1].target = "=95%"
    del p.indicators[2]
    return p


def _edited_workbook() -> tuple[bytes, Project]:
    project = _edit_base()
    wb = _book(workbook_bytes(project))
    _clerk_edits(wb, project)
    return _saved(wb), project


def _assert_edited(back: WorkbookImport, project: Project) -> None:
    expected = _edited_expected(project)
    assert back.project == expected
    assert project_to_dict(back.project) == project_to_dict(expected)
    # hidden per-row fields follow their rows past the removed one
    assert [i.extra for i in back.project.indicators] == [i.extra for i in expected.indicators]


def test_edits_made_in_excel_come_back_and_nothing_else_changes() -> None:
    data, project = _edited_workbook()
    name, placed = _placed(project, "indicators.1.target")
    assert _book(data)[name].cell(placed.row + 1, placed.col + 1).data_type == "f"
    _assert_edited(_import(data), project)


def test_amounts_and_dates_typed_as_text_are_read_forgivingly() -> None:
    project = _case("车辆购置费")
    wb = _book(workbook_bytes(project))
    _set(wb, project, "funding.total", "12.5万")
    _set(wb, project, "funding.annual", "约三十六万")
    _set(wb, project, "funding.carryover", "1,234.50")
    _set(wb, project, "start_date", "2021年3月1日")
    _set(wb, project, "end_date", "2021/12/1")
    wb["绩效目标申报表"]["G1"].value = "x"  # a stray note outside the table changes nothing
    back = _import(_saved(wb)).project
    assert back.funding.total == Decimal(125000)
    assert back.funding.annual == "约三十六万"
    assert back.funding.carryover == Decimal("1234.50")
    assert (back.start_date, back.end_date) == (dt.date(2021, 3, 1), dt.date(2021, 12, 1))


def test_a_percentage_typed_as_a_number_reads_as_written() -> None:
    project = _case("车辆购置费")
    wb = _book(workbook_bytes(project))
    name, placed = _placed(project, "indicators.2.target")
    cell = wb[name].cell(placed.row + 1, placed.col + 1)
    cell.value = 0.95
    cell.number_format = "0%"
    assert _import(_saved(wb)).project.indicators[2].target == "95%"


def test_a_guarantee_row_filled_in_by_hand_is_added() -> None:
    project = _case("车辆购置费")
    assert project.guarantees == []
    wb = _book(workbook_bytes(project))
    ws = wb["制度保障"]
    # the first row below the header (the 2021 form names the stages on a second line)
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 4).value == "立项和计划阶段") + 1
    ws.cell(row, 1).value = "项目管理制度"
    ws.cell(row, 2).value = "内控指南"
    ws.cell(row, 5).value = "✓"
    back = _import(_saved(wb)).project
    assert back.guarantees == [Guarantee("项目管理制度", "内控指南", None, ["实施阶段"])]


def test_an_edited_level_label_is_taken_and_an_unedited_one_keeps_its_wording() -> None:
    project = _case("车辆购置费")
    wb = _book(workbook_bytes(project))
    _set(wb, project, "indicators.13.level2", "满意度")  # same place as 服务对象满意度指标
    _set(wb, project, "indicators.12.level2", "生态效益指标")  # a different place
    back = _import(_saved(wb)).project
    assert back.indicators[13].level2 == "服务对象满意度指标"
    assert back.indicators[12].level2 == "生态效益指标"
    assert back.indicators[12].level1 == "效益指标"


def test_a_renamed_sheet_is_found_by_its_title() -> None:
    project = _rich(_case("车辆购置费"))
    wb = _book(workbook_bytes(project))
    wb["绩效目标申报表"].title = "Sheet1"
    assert _import(_saved(wb)).project == _draft(project)


def test_without_the_hidden_sheet_it_imports_as_a_new_project() -> None:
    project = _rich(_case("车辆购置费"))
    wb = _book(workbook_bytes(project))
    del wb[DATA_SHEET]
    back = _import(_saved(wb))
    assert back.warnings == [NO_DATA_WARNING]
    assert back.family == "shanghai-2021"
    p = back.project
    assert (p.id, p.template, p.status, p.extra) == (None, "shanghai-2021", "draft", {})
    assert (p.name, p.year, p.department, p.unit) == (
        project.name,
        project.year,
        project.department,
        project.unit,
    )
    assert p.funding == project.funding  # every funding line is on this form
    assert [(i.level1, i.level2, i.name, i.target) for i in p.indicators] == [
        (i.level1, i.level2, i.name, i.target) for i in project.indicators
    ]
    assert all(i.note is None and i.extra == {} for i in p.indicators)  # not on the form
    assert p.overview is None and p.signoff is None


def test_without_the_hidden_sheet_the_family_is_told_by_the_sheets() -> None:
    project = _case("政府雇员项目")
    for family in sorted(LAYOUTS):
        wb = _book(workbook_bytes(project, family=family))
        del wb[DATA_SHEET]
        back = _import(_saved(wb))
        assert back.family == family and back.project.name == "政府雇员项目"


def test_a_damaged_hidden_sheet_is_a_warning_not_a_failure() -> None:
    project = _case("车辆购置费")
    wb = _book(workbook_bytes(project))
    ws = wb[DATA_SHEET]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "数据包")
    ws.cell(row, 2).value = ws.cell(row, 2).value[:-40]
    back = _import(_saved(wb))
    assert back.project.id is None and back.project.name == project.name
    assert "程序数据页已损坏" in back.warnings[0]


# ------------------------------------------------------------------ LibreOffice


def _libreoffice_resave(data: bytes, folder: Path) -> bytes:
    """The workbook opened and saved again by LibreOffice (headless)."""
    assert SOFFICE is not None
    src = folder / "in" / "book.xlsx"
    src.parent.mkdir(parents=True, exist_ok=True)
    src.write_bytes(data)
    out = folder / "out"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--calc",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return (out / "book.xlsx").read_bytes()


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_a_workbook_resaved_by_libreoffice_comes_back(tmp_path: Path) -> None:
    data, project = _edited_workbook()
    resaved = _libreoffice_resave(data, tmp_path)
    _assert_edited(_import(resaved), project)


def test_the_libreoffice_fixture_comes_back_with_its_edits() -> None:
    """Checks LibreOffice's way of saving where no LibreOffice is installed (CI)."""
    with zipfile.ZipFile(LIBREOFFICE_FIXTURE) as zf:
        assert b"LibreOffice" in zf.read("docProps/app.xml")  # really saved by LibreOffice
    back = read_workbook_file(LIBREOFFICE_FIXTURE)
    assert back.warnings == [] and back.family == "minhang-2020"
    _assert_edited(back, _edit_base())


# ------------------------------------------------------------------ problems


def _problems(data: bytes) -> list[str]:
    with pytest.raises(WorkbookError) as caught:
        _import(data)
    assert caught.value.problems
    return caught.value.problems


def test_a_bad_date_names_the_sheet_and_cell() -> None:
    project = _case("政府雇员项目")
    wb = _book(workbook_bytes(project))
    _set(wb, project, "start_date", "明年")
    assert _problems(_saved(wb)) == [
        f"“项目总体情况”页 {_coord(project, 'start_date')}："
        "起始日期“明年”不是日期，请写成 2021-01-01 的形式。"
    ]


def test_two_ticked_categories_name_the_sheet_and_cell() -> None:
    project = _case("政府雇员项目")
    wb = _book(workbook_bytes(project))
    _set(wb, project, "category", "☑一次性项目 ☑经常性项目 ☐中期预算试点项目")
    (problem,) = _problems(_saved(wb))
    assert problem.startswith(f"“项目总体情况”页 {_coord(project, 'category')}：项目类别勾选了多项")
    assert "一次性项目、经常性项目" in problem


def test_a_category_not_offered_names_the_cell() -> None:
    project = _case("车辆购置费")
    wb = _book(workbook_bytes(project))
    _set(wb, project, "category", "一次性")
    (problem,) = _problems(_saved(wb))
    where = f"“绩效目标申报表”页 {_coord(project, 'category')}"
    assert problem.startswith(f"{where}：项目类别“一次性”不是可选的类别")


def test_an_amount_formula_without_a_result_names_the_cell() -> None:
    project = _case("车辆购置费")
    wb = _book(workbook_bytes(project))
    _set(wb, project, "funding.total", "=C6+1")
    (problem,) = _problems(_saved(wb))
    where = f"“绩效目标申报表”页 {_coord(project, 'funding.total')}"
    assert problem.startswith(f"{where}：项目资金总额是公式")


def test_an_over_long_value_and_a_bad_year_are_both_reported() -> None:
    project = _case("车辆购置费")
    wb = _book(workbook_bytes(project))
    _set(wb, project, "overall_goal", "长" * 20_001)
    wb["制度保障"]["A2"].value = "(二〇二一 年)"
    assert _problems(_saved(wb)) == [
        f"“绩效目标申报表”页 {_coord(project, 'overall_goal')}："
        "项目总目标有 20001 个字符，超过上限 20000 个：请删减后再导入。",
        "“制度保障”页 A2：年度“二〇二一”不是四位年份，请写成 2021 的形式。",
    ]


def test_more_rows_than_a_table_may_hold_are_refused() -> None:
    project = _case("车辆购置费")
    wb = _book(workbook_bytes(project))
    ws = wb["制度保障"]
    first = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 4).value == "立项和计划阶段") + 1
    for r in range(first, first + 501):
        ws.cell(r, 1).value = f"制度{r}"
    (problem,) = _problems(_saved(wb))
    assert problem.startswith(f"“制度保障”页：制度保障超过上限 500 行（A{first + 500} 起）")


def test_a_cell_far_below_the_table_is_read_without_walking_every_row() -> None:
    project = _case("车辆购置费")
    wb = _book(workbook_bytes(project))
    wb["制度保障"].cell(200_000, 2).value = "很远的一格"
    started = time.perf_counter()
    back = _import(_saved(wb)).project
    assert time.perf_counter() - started < 2
    assert back.guarantees == [Guarantee(None, "很远的一格")]


def test_a_missing_sheet_is_named() -> None:
    project = _case("政府雇员项目")
    wb = _book(workbook_bytes(project))
    del wb["制度保障"]
    problems = _problems(_saved(wb))
    assert problems == [problems[0]] and problems[0].startswith("找不到“制度保障”页")


def test_a_deleted_table_line_is_named() -> None:
    project = _case("政府雇员项目")
    wb = _book(workbook_bytes(project))
    ws = wb["项目总体情况"]
    row = _placed(project, "phone")[1].row + 1
    ws.cell(row, 3).value = None  # the 联系电话： label is gone
    (problem,) = _problems(_saved(wb))
    assert problem.startswith("“项目总体情况”页：找不到“联系电话：”所在的行")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "文件是空的"),
        (b"garbage that is not a workbook", "不是 Excel 工作簿"),
        (b'{"format": "jixiao-shenbao"}', "这是数据包"),
        (b"PK\x03\x04 broken zip", "已损坏"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", ".xls"),
    ],
    ids=["empty", "garbage", "json", "broken-zip", "xls"],
)
def test_a_file_that_is_not_a_workbook_is_refused_plainly(data: bytes, words: str) -> None:
    (problem,) = _problems(data)
    assert words in problem


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    (problem,) = _problems(out.getvalue())
    assert "不是 Excel 工作簿" in problem


def test_an_oversized_file_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    big = tmp_path / "大.xlsx"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024 + 1)  # sparse: no time spent writing
    with pytest.raises(WorkbookError) as caught:
        read_workbook_file(big)
    assert "超过上限 50 MB" in caught.value.problems[0] and "大.xlsx" in str(caught.value)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError) as caught:
        read_workbook_file(tmp_path / "没有.xlsx")
    assert caught.value.problems == ["找不到这个文件，请检查路径。"]


def test_a_workbook_of_someone_else_is_refused() -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"].value = "别的表格"
    (problem,) = _problems(_saved(wb))
    assert "不是本程序导出的申报表" in problem


# ------------------------------------------------------------------ the fixture


def make_fixture(folder: Path) -> Path:
    """Export the edit case, apply the clerk's edits, let LibreOffice save it: the fixture."""
    data, _ = _edited_workbook()
    resaved = _libreoffice_resave(data, folder)
    LIBREOFFICE_FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    LIBREOFFICE_FIXTURE.write_bytes(resaved)
    return LIBREOFFICE_FIXTURE


if __name__ == "__main__":
    import tempfile

    if sys.argv[1:] != ["--make-fixture"]:
        sys.exit("usage: python tests/test_xlsx.py --make-fixture")
    with tempfile.TemporaryDirectory() as tmp:
        print(make_fixture(Path(tmp)))


def test_a_2025_workbook_round_trips_with_its_cost_rows_as_written() -> None:
    """A 2025 project prints 成本指标 as a 一级; read back, every row keeps its own labels,
    also the old-style 产出指标/成本指标 row the form prints in the 2025 tree."""
    from desktop.export.package import read_package_file

    fixture = Path(__file__).parent / "fixtures" / "shanghai-2025.json"
    for project in read_package_file(fixture).projects:
        back = _import(workbook_bytes(project))
        assert back.warnings == []
        assert [(r.level1, r.level2, r.name, r.target) for r in back.project.indicators] == [
            (r.level1, r.level2, r.name, r.target) for r in project.indicators
        ]
