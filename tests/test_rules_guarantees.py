"""Rules G01–G03 (validation.md, "Breakdown and 制度保障"): passes and flagged examples."""

from __future__ import annotations

import pytest
from rule_helpers import (
    ALL_STAGES,
    assert_flagged,
    assert_not_flagged,
    baseline,
    changed,
    minhang_baseline,
    run,
    with_code,
)

from desktop.models.project import Guarantee

KINDS = ["项目管理制度", "预算管理制度", "财务管理制度"]


@pytest.mark.parametrize("index", range(3), ids=KINDS)
def test_g01_standard_row_missing(index: int) -> None:
    p = baseline()
    kind = p.guarantees[index].kind
    del p.guarantees[index]
    finding = assert_flagged(p, "G01", "warning", "guarantees")
    assert kind is not None and kind in finding.message
    assert "制度保障" in finding.message


def test_g01_no_table_at_all_reports_each_kind_on_the_minhang_form() -> None:
    p = minhang_baseline()
    p.guarantees = []
    found = with_code(run(p), "G01")
    assert [(f.severity, f.field) for f in found] == [("warning", "guarantees")] * 3
    assert [k for k in KINDS if any(k in f.message for f in found)] == KINDS


@pytest.mark.parametrize("blank", [None, "", "  "])
@pytest.mark.parametrize("index", range(3), ids=KINDS)
def test_g01_standard_row_without_document(index: int, blank: str | None) -> None:
    p = changed(baseline(), {f"guarantees[{index}].document": blank})
    finding = assert_flagged(p, "G01", "warning", f"guarantees[{index}].document")
    assert "文件名称" in finding.message


def test_g01_a_blank_row_does_not_stand_for_the_kind() -> None:
    p = baseline()
    p.guarantees[2] = Guarantee()
    assert_flagged(p, "G01", "warning", "guarantees")


def test_g01_passes_内控指南_in_every_row() -> None:
    assert_not_flagged(baseline(), "G01")
    assert_not_flagged(minhang_baseline(), "G01")


def test_g01_kind_written_with_spaces_still_counts() -> None:
    assert_not_flagged(changed(baseline(), {"guarantees[2].kind": "财务 管理制度"}), "G01")


def test_g01_unit_rows_after_the_standard_ones_pass() -> None:
    p = baseline()
    p.guarantees.append(Guarantee("资产管理制度", "资产管理办法", "定期盘点", ["实施阶段"]))
    assert run(p) == []


@pytest.mark.parametrize("blank", [None, "", "\u3000"])
@pytest.mark.parametrize("index", range(3), ids=KINDS)
def test_g02_row_without_measures(index: int, blank: str | None) -> None:
    p = changed(baseline(), {f"guarantees[{index}].measures": blank})
    finding = assert_flagged(p, "G02", "warning", f"guarantees[{index}].measures")
    assert "具体措施" in finding.message and KINDS[index] in finding.message


def test_g02_applies_to_a_units_own_row() -> None:
    p = baseline()
    p.guarantees.append(Guarantee("资产管理制度", "资产管理办法", None, ["实施阶段"]))
    assert_flagged(p, "G02", "warning", "guarantees[3].measures")


def test_g02_passes_with_text() -> None:
    assert_not_flagged(baseline(), "G02")


@pytest.mark.parametrize("index", range(3), ids=KINDS)
def test_g03_row_without_stage(index: int) -> None:
    p = changed(baseline(), {f"guarantees[{index}].stages": []})
    finding = assert_flagged(p, "G03", "warning", f"guarantees[{index}].stages")
    assert "保障阶段" in finding.message


@pytest.mark.parametrize("stage", ALL_STAGES)
def test_g03_one_stage_is_enough(stage: str) -> None:
    assert_not_flagged(changed(baseline(), {"guarantees[0].stages": [stage]}), "G03")


def test_blank_rows_are_ignored_by_g02_g03() -> None:
    p = baseline()
    p.guarantees.append(Guarantee())
    assert run(p) == []


@pytest.mark.parametrize(
    "rows",
    [[], [Guarantee(kind) for kind in KINDS]],
    ids=["no table", "the pre-filled kinds only"],
)
def test_the_2021_form_without_a_guarantee_page_is_not_asked_for_one(
    rows: list[Guarantee],
) -> None:
    """The 2021 单页式 prints 制度保障 as an optional page: untouched, nothing to report."""
    p = baseline()
    p.guarantees = rows
    assert [f for f in run(p) if f.code.startswith("G")] == []


def test_the_2021_guarantee_page_once_started_is_checked_whole() -> None:
    p = baseline()
    p.guarantees = [Guarantee("项目管理制度", "内控指南", None, [])]
    found = {(f.code, f.field) for f in run(p)}
    assert ("G01", "guarantees") in found  # 预算管理制度, 财务管理制度 missing
    assert ("G02", "guarantees[0].measures") in found
    assert ("G03", "guarantees[0].stages") in found
