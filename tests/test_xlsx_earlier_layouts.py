"""Workbooks exported before a table's layout changed still import whole, with the clerk's edits.

The fixtures were written by the program before the 2021 制度保障 header grew its line of
stage names and before the 上海 2020 table put 分解目标 above its header (commit bb78224's
``xlsx_writer``); ``tests/fixtures/xlsx/README.md`` says how.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from desktop.export.package import read_package_file
from desktop.export.xlsx_reader import read_workbook_file

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures" / "xlsx"


def _stored(case: str, name: str):  # type: ignore[no-untyped-def]
    return next(p for p in read_package_file(HERE / "fixtures" / case).projects if p.name == name)


def _edited(source: Path, old: str, new: str, out: Path) -> Path:
    """The workbook with the cell holding ``old`` changed to ``new``, as a clerk would."""
    wb = openpyxl.load_workbook(source)
    cells = [
        c
        for ws in wb.worksheets
        if ws.sheet_state == "visible"
        for row in ws.iter_rows()
        for c in row
        if c.value == old
    ]
    assert len(cells) == 1, f"{old!r} in {len(cells)} cells"
    cells[0].value = new
    wb.save(out)
    return out


def test_a_2021_workbook_from_before_the_stage_line_keeps_every_guarantee(tmp_path: Path) -> None:
    stored = _stored("shanghai-2025.json", "机关食堂运营服务费(2025运维)")
    first = stored.guarantees[0].measures
    book = _edited(
        FIXTURES / "shanghai-2021-guarantees-before-stage-header.xlsx",
        first,
        "改过的措施",
        tmp_path / "edited.xlsx",
    )
    project = read_workbook_file(book).project
    assert [g.measures for g in project.guarantees] == [
        "改过的措施",
        *(g.measures for g in stored.guarantees[1:]),
    ]
    assert [g.kind for g in project.guarantees] == [g.kind for g in stored.guarantees]


def test_a_songjiang_workbook_from_before_the_heading_row_reads_with_its_edits(
    tmp_path: Path,
) -> None:
    stored = _stored("songjiang-2020.json", "创业就业")
    name = stored.indicators[0].name
    book = _edited(
        FIXTURES / "songjiang-2020-before-heading-row.xlsx", name, "改过的指标", tmp_path / "e.xlsx"
    )
    project = read_workbook_file(book).project
    assert project.indicators[0].name == "改过的指标"
    assert project.indicators[0].target == stored.indicators[0].target
    assert project.indicators[1:] == stored.indicators[1:]
