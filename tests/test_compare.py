"""compare_projects: what differs between two versions of a declaration, section by section."""

from __future__ import annotations

import copy
from decimal import Decimal

from conftest import case_projects
from rule_helpers import baseline, minhang_baseline

from desktop.models.compare import (
    SECTIONS,
    Difference,
    compare_projects,
    compare_rows,
)
from desktop.models.next_year import next_year
from desktop.models.project import BreakdownRow, Indicator


def test_a_project_against_itself_has_no_difference() -> None:
    for p in case_projects():
        assert compare_projects(p, copy.deepcopy(p)) == []
        rows = compare_rows(p, copy.deepcopy(p))
        assert rows and not any(r.differs for r in rows)
        assert {r.difference.section for r in rows} <= set(SECTIONS)


def test_a_reordered_table_shows_no_false_difference() -> None:
    old = minhang_baseline()
    new = copy.deepcopy(old)
    new.indicators.reverse()
    new.breakdown.reverse()
    new.guarantees.reverse()
    new.guarantees[0].stages.reverse()
    assert compare_projects(old, new) == []


def test_amounts_compare_as_numbers() -> None:
    old, new = baseline(), baseline()
    old.funding.total, new.funding.total = Decimal("360000"), Decimal("360000.00")
    assert compare_projects(old, new) == []
    new.funding.total = Decimal("400000")
    assert compare_projects(old, new) == [
        Difference("项目资金", "项目资金总额", "360,000.00", "400,000.00")
    ]


def test_fields_are_named_in_the_newer_project_s_words() -> None:
    old, new = minhang_baseline(), minhang_baseline()
    new.funding.annual = Decimal(1)
    new.annual_goal = "新的年度目标，计划完成12次。"
    labels = [d.label for d in compare_projects(old, new)]
    assert labels == ["年度绩效目标", "当年预算"]


def test_indicators_are_matched_by_name() -> None:
    old, new = baseline(), baseline()
    name = new.indicators[0].name
    new.indicators[0].target = "=3部"
    new.indicators.insert(1, Indicator("产出指标", "数量指标", "新增指标", "=1次"))
    removed = new.indicators.pop()
    diffs = compare_projects(old, new)
    assert [(d.section, d.label) for d in diffs] == [
        ("绩效目标", name),
        ("绩效目标", "新增指标"),
        ("绩效目标", removed.name),
    ]
    changed, added, gone = diffs
    assert "=3部" in changed.new and "=3部" not in changed.old
    assert added.old == "" and "新增指标" not in added.new and "=1次" in added.new
    assert gone.new == "" and (removed.target or "") in gone.old


def test_the_same_row_in_other_family_words_is_no_difference() -> None:
    source = next(p for p in case_projects() if p.name == "政府雇员项目" and p.year == 2020)
    converted = next_year(source, "shanghai-2021").project
    diffs = compare_projects(source, converted)
    assert {d.section for d in diffs} == {"项目总体情况", "项目构成分解"}
    assert [d.label for d in diffs if d.section == "项目总体情况"] == [
        "年度",
        "表式",
        "计划开始日期",
        "计划完成日期",
    ]
    assert all(d.new == "" for d in diffs if d.section == "项目构成分解")  # left behind


def test_twice_the_same_name_pairs_in_order() -> None:
    old = baseline()
    old.indicators = [
        Indicator("产出指标", "数量指标", "完成数", "=1次"),
        Indicator("产出指标", "数量指标", "完成数", "=2次"),
    ]
    new = copy.deepcopy(old)
    new.indicators[1].target = "=3次"
    diffs = compare_projects(old, new)
    assert len(diffs) == 1 and "=2次" in diffs[0].old and "=3次" in diffs[0].new


def test_breakdown_rows_and_guarantees() -> None:
    old, new = minhang_baseline(), minhang_baseline()
    new.breakdown[0].amount = Decimal("1.00")
    new.breakdown.append(BreakdownRow("新内容", "新明细", Decimal(5)))
    new.guarantees[0].stages = ["实施阶段"]
    diffs = compare_projects(old, new)
    sections = [d.section for d in diffs]
    assert sections == ["项目构成分解", "项目构成分解", "制度保障"]
    assert diffs[1].label == "新内容 / 新明细" and diffs[1].old == ""
    assert diffs[2].label == "项目管理制度" and "保障阶段：实施阶段" in diffs[2].new
