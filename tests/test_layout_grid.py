"""The one description of each official table, and a project placed into it (forms.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from conftest import case_projects

from desktop.export.grid import SheetGrid, place_project
from desktop.export.layout import LAYOUTS
from desktop.models.project import BreakdownRow, Guarantee, Indicator, Project

PROJECTS = case_projects()


def _coverage(sheet: SheetGrid) -> dict[tuple[int, int], object]:
    covered: dict[tuple[int, int], object] = {}
    for c in sheet.cells:
        for r in range(c.row, c.row + c.rows):
            for k in range(c.col, c.col + c.cols):
                assert (r, k) not in covered, f"{sheet.sheet.key}: ({r},{k}) drawn twice"
                covered[(r, k)] = c
    return covered


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_every_table_cell_is_drawn_once(project: Project) -> None:
    for sheet in place_project(project).sheets:
        covered = _coverage(sheet)
        for r in range(sheet.table_start, sheet.table_end):
            for k in range(sheet.sheet.columns):
                assert (r, k) in covered, f"{sheet.sheet.key}: table cell ({r},{k}) missing"


def test_sheets_per_family_match_the_paper() -> None:
    assert [s.name for s in LAYOUTS["minhang-2020"].sheets] == [
        "项目总体情况",
        "绩效目标",
        "制度保障",
    ]
    assert [s.name for s in LAYOUTS["shanghai-2021"].sheets] == ["绩效目标申报表", "制度保障"]
    # the 10-column 项目构成分解 sheet and the 6-column 制度保障 are landscape
    assert [s.landscape for s in LAYOUTS["minhang-2020"].sheets] == [False, True, True]
    assert LAYOUTS["minhang-2020"].sheets[1].columns == 10


def test_fields_read_back_per_family() -> None:
    minhang = LAYOUTS["minhang-2020"].fields
    assert {"name", "unit", "funding.upper", "signoff.date", "breakdown.amount"} <= minhang
    assert "funding.carryover" not in minhang and "department" not in minhang
    s2021 = LAYOUTS["shanghai-2021"].fields
    assert {"department", "funding.carryover", "guarantees.stages", "indicators.target"} <= s2021
    assert "indicators.note" not in s2021 and "overview" not in s2021


def _project() -> Project:
    return Project(
        year=2020,
        name="试点项目",
        template="minhang-2020",
        category="阶段性项目",
        start_date=dt.date(2020, 1, 1),
        indicators=[
            Indicator("产出指标", "数量指标", "甲", "=1个"),
            Indicator("产出指标", "数量指标", "乙", "=2个"),
            Indicator("产出指标", "质量", "丙", "100%"),
            Indicator("效果目标", "满意度目标", "丁", "≥90%"),
            Indicator(None, None, "戊", "1"),
            Indicator(None, None, "己", "2"),
        ],
        breakdown=[
            BreakdownRow("内容", "明细1", Decimal("100.50")),
            BreakdownRow("内容", "明细2", "三百"),
            BreakdownRow("内容", "明细3", Decimal("20")),
        ],
        guarantees=[Guarantee("项目管理制度", "内控指南", "专款专用", ["实施阶段"])],
    )


def test_levels_merge_down_in_the_family_words_and_blanks_never_merge() -> None:
    sheet = place_project(_project()).sheets[1]
    level1 = [c for c in sheet.cells if c.path and c.path.endswith(".level1")]
    level2 = [c for c in sheet.cells if c.path and c.path.endswith(".level2")]
    # 产出指标 ×3 printed as 产出目标, merged; 效果目标/满意度目标 is a 满意度 row: 影响力目标/满意度
    assert [(c.value, c.rows) for c in level1] == [
        ("产出目标", 3),
        ("影响力目标", 1),
        (None, 1),
        (None, 1),
    ]
    assert [(c.value, c.rows) for c in level2] == [
        ("数量", 2),
        ("质量", 1),
        ("满意度", 1),
        (None, 1),
        (None, 1),
    ]


def test_category_boxes_stage_ticks_and_total() -> None:
    grid = place_project(_project())
    general, targets, guarantees = grid.sheets
    category = general.by_path("category")
    assert category is not None
    # a category the 2020 form does not offer is still shown, ticked
    assert category.value == "☐一次性项目 ☐经常性项目 ☐中期预算试点项目 ☑阶段性项目"
    # the table opens with its bordered 项目名称 row, then the header, then the rows
    stages = [
        c.value for c in guarantees.cells if c.row == guarantees.table_start + 2 and c.col >= 3
    ]
    assert stages == ["立项和计划阶段", "实施阶段 ✓", "收尾和完成阶段"]
    total = next(c for c in targets.cells if c.role == "total")
    assert total.value == Decimal("120.50")  # the unreadable "三百" is not added
    # the year pattern and the stamp caption are filled
    assert general.at(1, 0).value == "（ 2020 年）"  # type: ignore[union-attr]
    assert general.at(2, 0).value == "填报单位（盖章）"  # type: ignore[union-attr]


def test_each_row_table_starts_a_section_whose_header_repeats() -> None:
    targets = place_project(_project()).sheets[1]
    sections = [(s.end - s.start, s.header) for s in targets.sections]
    # 主体活动 line; header + 6 indicators; header + 3 rows + 金额合计
    assert sections == [(1, 0), (7, 1), (5, 1)]


def test_empty_tables_print_blank_rows_to_fill_by_hand() -> None:
    project = Project(year=2021, name="空", template="shanghai-2021")
    grid = place_project(project)
    guarantees = grid.sheets[1]
    # 项目名称 row, two header lines (保障阶段 over its three stages), three blank rows
    assert guarantees.table_end - guarantees.table_start == 1 + 2 + 3
    assert not [c for c in guarantees.cells if c.path and c.boxed]
    indicators = grid.sheets[0].sections[-1]
    assert indicators.end - indicators.start == 2


def test_another_family_prints_the_same_project() -> None:
    project = _project()
    grid = place_project(project, "shanghai-2021")
    assert grid.layout.family == "shanghai-2021"
    first = grid.sheets[0]
    assert first.by_path("indicators.0.level1").value == "产出指标"  # type: ignore[union-attr]
    assert first.by_path("indicators.3.level1").value == "满意度指标"  # type: ignore[union-attr]
    assert first.by_path("category").value == "阶段性项目"  # type: ignore[union-attr]


def test_printed_funding_families_are_the_layouts_that_print_amounts() -> None:
    from desktop.models.labels import PRINTED_FUNDING_FAMILIES

    printing = {
        family
        for family, layout in LAYOUTS.items()
        if any(f.startswith("funding.") for f in layout.fields)
    }
    assert printing == set(PRINTED_FUNDING_FAMILIES)
