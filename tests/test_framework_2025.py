"""A 2025 project lives in the 2025 framework everywhere: templates, 复制到下一年度, the
指标库, the editor's level choices and the printed table.
"""

from __future__ import annotations

from rule_helpers import baseline

from desktop.export.grid import place_project
from desktop.models import taxonomy as tx
from desktop.models.library import Library, builtin_entries, insertion_plan
from desktop.models.next_year import next_year
from desktop.models.project import Indicator, Project
from desktop.models.rules import validate
from desktop.models.templates import TEMPLATES, new_from_template

FW_2025 = tx.framework_for("shanghai-2021", 2025)


def _levels(p: Project) -> list[tuple[str | None, str | None]]:
    return [(r.level1, r.level2) for r in p.indicators]


# ------------------------------------------------------------------ templates


def test_a_2025_template_states_cost_in_money_as_a_level1_row() -> None:
    p = new_from_template("it-maintenance", 2025, "系统运维(2025运维)", "shanghai-2021")
    levels = _levels(p)
    assert ("产出指标", "成本指标") not in levels
    cost = [r for r in p.indicators if r.level1 == "成本指标"]
    assert [(r.level2, r.name) for r in cost] == [("经济成本指标", "项目总成本")]
    assert cost[0].target is not None and cost[0].target.startswith("≤")
    # Right after the 产出 rows, so each 一级 is one block.
    firsts = [lv[0] for lv in levels]
    assert firsts.index("成本指标") == len(firsts) - firsts[::-1].index("产出指标")
    # The same template in 2024 keeps its 产出 成本 row.
    old = new_from_template("it-maintenance", 2024, "系统运维(2024运维)", "shanghai-2021")
    assert ("产出指标", "成本指标") in _levels(old)


def test_every_template_in_2025_has_a_cost_row_and_no_framework_finding() -> None:
    for key in TEMPLATES:
        p = new_from_template(key, 2025, "新项目", "shanghai-2021")
        codes = {f.code for f in validate(p)}
        assert not codes & {"I13", "I16", "I18"}, (key, codes)


# ------------------------------------------------------------------ next year


def _2024_project() -> Project:
    p = baseline()
    p.year = 2024
    p.name = "后勤保障经费(2024运维)"
    p.indicators.insert(3, Indicator("产出指标", "成本指标", "后勤保障成本控制有效性", "有效"))
    return p


def test_next_year_into_2025_moves_cost_rows_and_says_so() -> None:
    copied = next_year(_2024_project())
    new = copied.project
    assert new.year == 2025
    moved = [r for r in new.indicators if r.name == "后勤保障成本控制有效性"]
    assert [(r.level1, r.level2) for r in moved] == [("成本指标", "经济成本指标")]
    # One block per 一级, in the framework's order.
    blocks = [r.level1 for r in new.indicators]
    assert blocks == sorted(blocks, key=lambda l1: FW_2025.level1.index(l1))
    note = next(n for n in copied.notes if "成本指标/经济成本指标" in n)
    assert "后勤保障成本控制有效性" in note and "金额" in note
    # The rules now ask for an amount (I17), not for the row to be moved (I18).
    codes = {f.code for f in validate(new)}
    assert "I17" in codes and "I18" not in codes and "I16" not in codes


def test_next_year_into_2025_without_a_cost_row_says_one_is_expected() -> None:
    p = baseline()
    p.year = 2024
    copied = next_year(p)
    assert any("原则上每个项目都应设置成本指标" in n for n in copied.notes)
    assert "I16" in {f.code for f in validate(copied.project)}


def test_next_year_within_a_framework_moves_nothing() -> None:
    p = _2024_project()
    p.year = 2022
    copied = next_year(p)
    assert ("产出指标", "成本指标") in _levels(copied.project)
    assert not [n for n in copied.notes if "成本指标" in n]


# ------------------------------------------------------------------ 指标库


def test_the_library_offers_cost_entries_as_2025_rows_and_nothing_without_a_place() -> None:
    library = Library(builtin_entries())
    old = library.offered("shanghai-2021")
    new = library.offered("shanghai-2021", FW_2025)
    old_cost = [e for e in old if e.level2 == tx.COST]
    assert old_cost, "the built-in library has 成本 entries"
    assert not [e for e in new if e.level2 == tx.COST]
    names = {e.name for e in new if e.level1 == tx.COST_L1}
    assert {e.name for e in old_cost} <= names
    assert not [e for e in new if e.level1 == tx.MANAGEMENT]
    found = library.search(old_cost[0].name, "shanghai-2021", framework=FW_2025)
    assert found and found[0].level1 == tx.COST_L1


def test_library_rows_go_into_the_cost_block_of_a_2025_table() -> None:
    p = new_from_template("it-maintenance", 2025, "系统运维", "shanghai-2021")
    library = Library(builtin_entries())
    entry = next(e for e in library.offered("shanghai-2021", FW_2025) if e.level1 == tx.COST_L1)
    [(pos, row)] = insertion_plan(p.indicators, [entry], "shanghai-2021", FW_2025)
    assert (row.level1, row.level2) == ("成本指标", "经济成本指标")
    assert p.indicators[pos - 1].level1 == "成本指标"


# ------------------------------------------------------------------ editor choices


def test_level_choices_follow_the_framework() -> None:
    from desktop.ui.row_table import level_choices

    assert level_choices("level1", "shanghai-2021", framework=FW_2025) == [
        "产出指标",
        "成本指标",
        "效益指标",
        "满意度指标",
    ]
    assert level_choices("level2", "shanghai-2021", "成本指标", FW_2025) == [
        "经济成本指标",
        "社会成本指标",
        "生态环境成本指标",
    ]
    assert "成本指标" in level_choices("level2", "shanghai-2021", "产出指标")
    assert "成本指标" not in level_choices("level2", "shanghai-2021", "产出指标", FW_2025)


# ------------------------------------------------------------------ printing


def test_a_2025_table_prints_cost_as_its_own_merged_level1() -> None:
    p = new_from_template("it-maintenance", 2025, "系统运维", "shanghai-2021")
    grid = place_project(p)
    sheet = grid.sheets[0]
    level1_cells = [
        c
        for c in sheet.cells
        if c.path and c.path.startswith("indicators.") and c.path.endswith(".level1")
    ]
    printed = [c.text for c in level1_cells]
    assert printed == ["产出指标", "成本指标", "效益指标", "满意度指标"]
    cost = level1_cells[1]
    assert cost.rows == 1


# ------------------------------------------------------------------ a 2025 declaration


def test_the_2025_fixture_is_judged_by_the_2025_framework() -> None:
    from pathlib import Path

    from desktop.export.package import read_package_file

    fixture = Path(__file__).parent / "fixtures" / "shanghai-2025.json"
    canteen, repair = read_package_file(fixture).projects
    assert {f.code for f in validate(canteen)} & {"I13", "I16", "I17", "I18"} == set()
    assert not [f for f in validate(canteen) if f.is_error]
    found = {(f.code, f.field) for f in validate(repair)}
    # 产出指标/成本指标 under the 2025 指引, and a cost written as a floor.
    assert ("I18", "indicators[3].level1") in found
    assert ("I17", "indicators[3].target") in found
    assert not [f for f in validate(repair) if f.is_error]


def test_next_year_keeps_the_explanations_and_asks_to_check_them() -> None:
    p = baseline()
    p.explanations = {"I04|indicators[工作人员满意度].target": "按上级考核口径为≥"}
    copied = next_year(p)
    assert copied.project.explanations == p.explanations
    assert any("1 条警告的说明沿用上年" in n for n in copied.notes)


def test_templates_raise_no_warning_but_the_fill_ins() -> None:
    """A template's own rows never carry a defect the checker names (only 【请填写…】 marks)."""
    allowed = {"P11", "I08", "P09", "F09", "G01"}
    for year in (2021, 2025):
        for key in TEMPLATES:
            p = new_from_template(key, year, "新项目", "shanghai-2021")
            extra = {(f.code, f.field) for f in validate(p) if f.code not in allowed}
            assert not extra, (year, key, extra)


# ------------------------------------------------------------------ one block per 一级


def _split_project() -> Project:
    p = baseline()
    # an imported table with 产出 split around a 效益 row, and a 时效 row after 满意度
    p.indicators.insert(2, Indicator("效益指标", "社会效益指标", "公务出行保障率", "≥95%"))
    p.indicators.append(Indicator("产出指标", "时效指标", "车辆上牌及时率", "=100%"))
    return p


def test_grouped_order_keeps_a_grouped_table_and_joins_split_blocks() -> None:
    assert tx.grouped_order(baseline().indicators) == list(range(len(baseline().indicators)))
    p = _split_project()
    order = tx.grouped_order(p.indicators)
    names = [p.indicators[i].name for i in order]
    assert names == [
        "车辆购置完成数",
        "采购流程合规率",
        "采购完成及时率",
        "车辆上牌及时率",
        "公务出行保障率",
        "公务用车需求满足程度",
        "车辆管理长效机制健全性",
        "工作人员满意度",
    ]
    # a row without levels stays with the row above it
    p.indicators.insert(1, Indicator(None, None, "待归类指标", "=1部"))
    order = tx.grouped_order(p.indicators)
    assert order[:3] == [0, 1, 2]


def test_a_split_table_prints_each_level1_once_and_reads_back_grouped() -> None:
    from desktop.export.xlsx_reader import read_workbook_bytes
    from desktop.export.xlsx_writer import workbook_bytes

    p = _split_project()
    sheet = place_project(p).sheets[0]
    level1 = [
        c.text
        for c in sheet.cells
        if c.path and c.path.startswith("indicators.") and c.path.endswith(".level1")
    ]
    assert level1 == ["产出指标", "效益指标", "满意度指标"]
    back = read_workbook_bytes(workbook_bytes(p), "测试.xlsx")
    assert back.warnings == []
    assert sorted(r.name for r in back.project.indicators) == sorted(r.name for r in p.indicators)
    assert [r.name for r in back.project.indicators] == [
        p.indicators[i].name for i in tx.grouped_order(p.indicators)
    ]
