"""Each case's workbook prints whole: every text inside its cell, every column on the page,
pages broken where the rows fill them, each table under its own header.

Checked on the workbook itself (print areas, row heights, page setup, breaks, an estimate
of the wrapped text at the cell's width and font) for every reference case and for
long-text variants; and, where LibreOffice is installed, on the PDF it prints.
"""

from __future__ import annotations

import copy
import io
import math
import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import CASE_FILES
from test_xlsx_long_text import _long_rows, long_text

from desktop.export.package import project_to_dict, read_package_file
from desktop.export.xlsx_reader import read_workbook_bytes
from desktop.export.xlsx_writer import DATA_SHEET, printed_sheets, workbook_bytes
from desktop.models.project import BreakdownRow, Indicator, Project

FIXTURES = Path(__file__).parent / "fixtures"
SOFFICE = shutil.which("soffice")

A4 = (595.0, 842.0)
MAX_ROW_PT = 409.0
# An Excel column unit in points (7 px at 96 dpi); the widest a unit prints where the
# workbook's default font is missing (LibreOffice's fallback).
UNIT_PT = 5.25
WIDEST_UNIT_PT = 7.0


def _projects() -> list[tuple[str, Project]]:
    files = [*CASE_FILES, *sorted(FIXTURES.glob("*.json"))]
    out = []
    for f in files:
        for i, p in enumerate(read_package_file(f).projects):
            out.append((f"{f.stem}-{i}", p))
    return out


CASES = _projects()


def _first(family: str) -> Project:
    return copy.deepcopy(next(p for _, p in CASES if p.family == family))


def _variants() -> list[tuple[str, Project, str | None]]:
    long_overview = _first("minhang-2020")
    long_overview.overview = long_text(5000, 6)
    long_overview.other_issues = long_text(1200, 1, word="问题")
    long_overview.main_activity = long_text(3000, 2, word="主体活动")  # two labels beside it
    long_goal = _first("shanghai-2021")
    long_goal.overall_goal = long_text(1500, 1, word="总目标")
    long_goal.annual_goal = long_text(1500, 2, word="年度")
    long_breakdown = _first("minhang-2020")
    long_breakdown.breakdown = [
        BreakdownRow(content=f"内容{i}", item=f"明细{i}", amount=Decimal("100.00"), note="按实")
        for i in range(45)
    ]
    many_indicators = _first("shanghai-2021")
    many_indicators.indicators = [
        Indicator(level1=ind.level1, level2=ind.level2, name=f"{ind.name}{k}", target=ind.target)
        for ind in _first("shanghai-2021").indicators
        for k in range(4)
    ]
    long_rows = _long_rows(_first("minhang-2020"))
    return [
        ("long-rows", long_rows, None),
        ("long-rows-2021", long_rows, "shanghai-2021"),
        ("long-overview", long_overview, None),
        ("long-overview-songjiang", long_overview, "shanghai-2020"),
        ("long-goal", long_goal, None),
        ("long-breakdown", long_breakdown, None),
        ("many-indicators", many_indicators, None),
    ]


VARIANTS = _variants()
BOOKS = [(name, p, None) for name, p in CASES] + VARIANTS
IDS = [b[0] for b in BOOKS]


@dataclass
class Book:
    name: str
    project: Project
    family: str | None
    data: bytes

    @property
    def workbook(self) -> openpyxl.Workbook:
        return openpyxl.load_workbook(io.BytesIO(self.data))

    def sheets(self) -> list:
        return [ws for ws in self.workbook.worksheets if ws.title != DATA_SHEET]


_BOOKS: dict[str, Book] = {}


def _book(name: str, project: Project, family: str | None) -> Book:
    if name not in _BOOKS:
        _BOOKS[name] = Book(name, project, family, workbook_bytes(project, family=family))
    return _BOOKS[name]


# ------------------------------------------------------------------ measures


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def _shown(cell: openpyxl.cell.Cell) -> str:
    value = cell.value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return f"{Decimal(str(value)):,.2f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return "" if value is None else str(value)


def _height(ws, row: int) -> float:
    height = ws.row_dimensions[row].height
    return 15.0 if height is None else height


def _merges(ws) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    return {
        (m.min_row, m.min_col): (m.min_row, m.min_col, m.max_row, m.max_col)
        for m in ws.merged_cells.ranges
    }


def _printed_columns(ws) -> int:
    """The columns of the print area."""
    area = ws.print_area.split("!")[-1].split(":")[-1]
    letters = re.match(r"\$?([A-Z]+)", area).group(1)
    return openpyxl.utils.column_index_from_string(letters)


def _scale(ws, landscape: bool) -> float:
    width = A4[1] if landscape else A4[0]
    margins = (ws.page_margins.left + ws.page_margins.right) * 72
    columns = _printed_columns(ws)
    units = sum(
        ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width
        for c in range(1, columns + 1)
    )
    return min(1.0, (width - margins) / (units * UNIT_PT))


def _pages(ws) -> list[range]:
    last = ws.max_row
    starts = [1, *sorted(b.id + 1 for b in ws.row_breaks.brk)]
    return [range(a, b) for a, b in zip(starts, [*starts[1:], last + 1], strict=True)]


def _title_rows(ws) -> range | None:
    if not ws.print_title_rows:
        return None
    first, last = (int(x) for x in re.findall(r"\d+", ws.print_title_rows))
    return range(first, last + 1)


# ------------------------------------------------------------------ the workbook


@pytest.mark.parametrize(("name", "project", "family"), BOOKS, ids=IDS)
def test_every_text_fits_its_cell_and_no_row_is_taller_than_excel_allows(
    name: str, project: Project, family: str | None
) -> None:
    for ws in _book(name, project, family).sheets():
        merges = _merges(ws)
        widths = {
            c: ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width
            for c in range(1, _printed_columns(ws) + 1)
        }
        for r in range(1, ws.max_row + 1):
            assert _height(ws, r) <= MAX_ROW_PT, (ws.title, r)
        for (r, c), cell in ws._cells.items():
            text = _shown(cell)
            if not text or c > _printed_columns(ws):
                continue  # the hidden mark of a continued table row is not printed
            top, left, bottom, right = merges.get((r, c), (r, c, r, c))
            size = float(cell.font.size or 11)
            units = sum(widths[k] for k in range(left, right + 1))
            # characters per line at this width and font; lines at 1.3 × the font size
            capacity = max(units - 1, 1) / (1.05 * size / 11)
            lines = sum(max(1, math.ceil(_width(p) / capacity)) for p in text.split("\n"))
            room = sum(_height(ws, k) for k in range(top, bottom + 1))
            assert lines * size * 1.3 <= room, (ws.title, cell.coordinate, lines, room)


@pytest.mark.parametrize(("name", "project", "family"), BOOKS, ids=IDS)
def test_print_area_and_page_setup_fit_every_column_on_an_a4_page(
    name: str, project: Project, family: str | None
) -> None:
    for ws, printed in zip(
        _book(name, project, family).sheets(), printed_sheets(project, family), strict=True
    ):
        columns = printed.grid.sheet.columns
        last_col = openpyxl.utils.get_column_letter(columns)
        assert ws.print_area == f"'{ws.title}'!$A$1:${last_col}${ws.max_row}"
        # nothing printed beyond the print area; past it only the hidden mark column
        assert _printed_columns(ws) == columns
        for c in range(columns + 1, ws.max_column + 1):
            assert ws.column_dimensions[openpyxl.utils.get_column_letter(c)].hidden
        assert ws.page_setup.paperSize == 9
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        landscape = ws.page_setup.orientation == "landscape"
        assert landscape == printed.grid.sheet.landscape
        if columns == 1:
            # one column cannot be scaled to the page: it fits as it is, whatever the font
            page = A4[1] if landscape else A4[0]
            margins = (ws.page_margins.left + ws.page_margins.right) * 72
            assert ws.column_dimensions["A"].width * WIDEST_UNIT_PT <= page - margins


@pytest.mark.parametrize(("name", "project", "family"), BOOKS, ids=IDS)
def test_each_page_holds_its_rows_and_no_merge_crosses_a_break(
    name: str, project: Project, family: str | None
) -> None:
    for ws in _book(name, project, family).sheets():
        landscape = ws.page_setup.orientation == "landscape"
        paper_height = A4[0] if landscape else A4[1]
        margins = (ws.page_margins.top + ws.page_margins.bottom) * 72
        room = (paper_height - margins) / _scale(ws, landscape)
        titles = _title_rows(ws)
        pages = _pages(ws)
        for k, page in enumerate(pages):
            repeated = sum(_height(ws, r) for r in titles) if titles and k else 0.0
            used = repeated + sum(_height(ws, r) for r in page)
            assert used <= room, (ws.title, k + 1, used, room)
        for m in ws.merged_cells.ranges:
            inside = [p for p in pages if m.min_row in p]
            assert m.max_row in inside[0], (ws.title, str(m))


def _page_rows(ws, page: range) -> list[list[str]]:
    return [[_shown(ws.cell(r, c)) for c in range(1, _printed_columns(ws) + 1)] for r in page]


def test_the_breakdown_starts_its_own_page_and_repeats_its_own_header() -> None:
    name, project, family = next(b for b in VARIANTS if b[0] == "long-breakdown")
    ws = _book(name, project, family).workbook["绩效目标"]
    pages = _pages(ws)
    assert ws.print_title_rows is None  # two tables: each header written where it repeats
    breakdown_pages = [p for p in pages if any("项目构成分解" in row for row in _page_rows(ws, p))]
    assert len(breakdown_pages) >= 2
    for page in breakdown_pages:
        rows = _page_rows(ws, page)
        # the page starts with the breakdown's own header, the label beside it
        assert rows[0][:3] == ["项目构成分解", "项目名称", "项目内容"], rows[0]
        assert not any("一级目标" in row for row in rows)
    # the indicators' page does not run into the breakdown
    first = _page_rows(ws, pages[0])
    assert any("一级目标" in row for row in first)
    assert not any("项目内容" in row for row in first)


def test_a_label_cut_by_a_page_break_is_written_again_on_the_next_page() -> None:
    name, project, family = next(b for b in VARIANTS if b[0] == "many-indicators")
    ws = _book(name, project, family).workbook["绩效目标申报表"]
    titles = _title_rows(ws)
    assert titles is not None  # one table: Excel repeats its header
    pages = _pages(ws)
    continued = [p for p in pages if p.start > titles.stop]
    assert continued, "the indicators should run over a page"
    for page in continued:
        first = _page_rows(ws, page)[0]
        assert first[0] == "绩效指标"  # the group's label, again
        assert first[1], "the 一级 of the first row on the page is printed there"


@pytest.mark.parametrize(("name", "project", "family"), BOOKS, ids=IDS)
def test_the_printed_workbook_reads_back_as_stored(
    name: str, project: Project, family: str | None
) -> None:
    back = read_workbook_bytes(_book(name, project, family).data, f"{name}.xlsx")
    assert back.warnings == []
    expected = copy.deepcopy(project)
    expected.status = "draft"
    assert back.project == expected
    assert project_to_dict(back.project) == project_to_dict(project)


# ------------------------------------------------------------------ LibreOffice


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every book printed to PDF by LibreOffice, in one run."""
    assert SOFFICE is not None
    folder = tmp_path_factory.mktemp("print")
    sources = []
    for name, project, family in BOOKS:
        path = folder / "in" / f"{name}.xlsx"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(_book(name, project, family).data)
        sources.append(str(path))
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "out"),
            *sources,
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return {name: folder / "out" / f"{name}.pdf" for name, _, _ in BOOKS}


# CI installs LibreOffice (.ci/run): there a missing soffice fails rather than skips.
@pytest.mark.skipif(
    SOFFICE is None and not os.environ.get("CI"), reason="LibreOffice (soffice) is not installed"
)
@pytest.mark.parametrize(("name", "project", "family"), BOOKS, ids=IDS)
def test_libreoffice_prints_every_text_on_a4_pages(
    name: str, project: Project, family: str | None, pdfs: dict[str, Path]
) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdfs[name]))
    texts = []
    for k, page in enumerate(pdf):
        width, height = page.get_size()
        assert sorted((round(width), round(height))) == [595, 842], (name, k + 1)
        textpage = page.get_textpage()
        for i in range(textpage.count_chars()):
            left, bottom, right, top = textpage.get_charbox(i)
            if right <= left:
                continue  # a line break
            assert left >= -1 and right <= width + 1, (name, k + 1, textpage.get_text_range(i, 1))
            assert bottom >= -1 and top <= height + 1, (name, k + 1, textpage.get_text_range(i, 1))
        texts.append(textpage.get_text_range())
    printed = _squeeze("".join(texts))
    # every text of the workbook, each piece of a continued one, is on some page
    for ws in _book(name, project, family).sheets():
        for cell in ws._cells.values():
            # (the ticked boxes of 项目类别 come out of a fallback font in another order)
            if isinstance(cell.value, str) and len(cell.value) > 20 and "☐" not in cell.value:
                assert _squeeze(cell.value) in printed, (name, ws.title, cell.coordinate)
