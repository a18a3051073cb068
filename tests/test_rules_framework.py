"""The checker judges by the framework the project is filed under, and stays quiet on
what a reviewer accepts: empty level rows, targets whose direction is not in doubt,
checkable states and deadlines, a 项目类别 the form does not have.
"""

from __future__ import annotations

import pytest
from rule_helpers import (
    D,
    assert_flagged,
    assert_not_flagged,
    baseline,
    changed,
    minhang_baseline,
    run,
    with_code,
)

from desktop.models import taxonomy as tx
from desktop.models.project import Funding, Indicator, Project


def project_2025() -> Project:
    """A clean 2025 single-page declaration under the 2025 指引, with a 成本指标 row."""
    p = baseline()
    p.year = 2025
    p.start_date = p.start_date.replace(year=2025) if p.start_date else None
    p.end_date = p.end_date.replace(year=2025) if p.end_date else None
    p.annual_goal = "2025年6月底前完成2部公务用车的采购和上牌。"
    p.indicators[2].target = "=100% (2025年6月底前)"
    p.indicators.insert(3, Indicator("成本指标", "经济成本指标", "单车购置成本", "≤180000元/辆"))
    return p


# ------------------------------------------------------------------ the framework


def test_the_framework_is_chosen_by_family_and_year() -> None:
    assert tx.framework_for("shanghai-2021", 2024).key == "2020"
    assert tx.framework_for("shanghai-2021", 2025).key == "2025"
    assert tx.framework_for("shanghai-2021", 2031).key == "2025"
    # The 2020 families keep their tree whatever the year; no year, the older tree.
    assert tx.framework_for("minhang-2020", 2025).key == "2020"
    assert tx.framework_for("shanghai-2020", 2026).key == "2020"
    assert tx.framework_for("shanghai-2021", None).key == "2020"
    assert tx.framework_of(project_2025()).cost_is_level1


def test_2025_places_cost_as_a_level1_and_reads_the_old_cost_row_there() -> None:
    fw = tx.framework_for("shanghai-2021", 2025)
    assert fw.level1 == (tx.OUTPUT, tx.COST_L1, tx.BENEFIT, tx.SATISFACTION)
    assert tx.place("成本指标", "经济成本指标", fw) == tx.Placement(tx.COST_L1, tx.ECONOMIC_COST)
    assert tx.place("成本指标", "社会成本指标", fw).level2 == tx.SOCIAL_COST
    assert tx.place("成本指标", "生态环境成本指标", fw).level2 == tx.ECOLOGICAL_COST
    assert tx.place("产出指标", "成本指标", fw) == tx.Placement(tx.COST_L1, tx.ECONOMIC_COST)
    # Before 2025 the same row is a 产出 二级.
    assert tx.place("产出指标", "成本指标") == tx.Placement(tx.OUTPUT, tx.COST)
    assert tx.is_cost(tx.place("产出指标", "成本指标"))
    assert tx.is_cost(tx.place("成本指标", None, fw))
    assert not tx.is_cost(tx.place("产出指标", "质量指标", fw))


@pytest.mark.parametrize("label", ["部门协助", "人力资源", "硬件条件", "信息共享", "长效管理"])
def test_labels_of_the_2020_shanghai_books_are_placed(label: str) -> None:
    assert tx.place("影响力目标", label) == tx.Placement(tx.BENEFIT, tx.SUSTAINABLE)


def test_部门协助_is_no_longer_an_error() -> None:
    p = changed(
        baseline(), {"indicators[4].level1": "影响力目标", "indicators[4].level2": "部门协助"}
    )
    assert_not_flagged(p, "I13")


def test_a_label_the_form_does_not_use_names_the_labels_it_uses() -> None:
    p = changed(baseline(), {"indicators[4].level2": "其他类"})
    finding = assert_flagged(p, "I13", "error", "indicators[4].level2")
    assert "其他类" in finding.message
    for word in ("数量指标", "时效指标", "可持续影响指标", "服务对象满意度指标"):
        assert word in finding.message
    # A 2025 form names its own tree: the cost 二级, no 产出 成本.
    p = changed(project_2025(), {"indicators[5].level2": "其他类"})
    finding = assert_flagged(p, "I13", "error", "indicators[5].level2")
    assert "经济成本指标" in finding.message


def test_the_2025_baseline_is_clean() -> None:
    assert run(project_2025()) == []


def test_2025_without_a_cost_row_is_warned_once() -> None:
    p = project_2025()
    del p.indicators[3]
    finding = assert_flagged(p, "I16", "warning", "indicators")
    assert "成本指标" in finding.message
    # Before 2025 no such rule: the 2021 baseline has no 成本 row and no finding.
    assert_not_flagged(baseline(), "I16")


def test_2025_a_cost_row_under_output_is_to_be_moved() -> None:
    p = changed(
        project_2025(), {"indicators[3].level1": "产出指标", "indicators[3].level2": "成本指标"}
    )
    finding = assert_flagged(p, "I18", "warning", "indicators[3].level1")
    assert "成本指标" in finding.message and "经济成本指标" in finding.message
    # It still counts as the project's 成本指标: no I16 as well.
    assert_not_flagged(p, "I16")
    assert_not_flagged(p, "I13")
    # In a 2021 declaration the same row is right.
    p = changed(baseline(), {"indicators[3].level2": "成本指标", "indicators[3].name": "单车成本"})
    p.indicators[3].level1 = "产出指标"
    p.indicators[3].target = "≤180000元"
    assert_not_flagged(p, "I18")


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("单车购置成本", "≥180000元/辆"),
        ("人均培训费用", "＞1050元"),
        ("项目总成本", "不低于36万元"),
    ],
)
def test_a_cost_written_as_a_floor_is_flagged(name: str, target: str) -> None:
    p = changed(project_2025(), {"indicators[3].name": name, "indicators[3].target": target})
    finding = assert_flagged(p, "I17", "warning", "indicators[3].target")
    assert finding.suggestion is not None and finding.suggestion.startswith("≤")


def test_a_floor_on_money_saved_is_right() -> None:
    p = changed(
        project_2025(), {"indicators[3].name": "成本节约额", "indicators[3].target": "≥5万元"}
    )
    assert_not_flagged(p, "I17")


@pytest.mark.parametrize("target", ["有效", "=3次", "≤2部"])
def test_2025_a_cost_without_an_amount_is_flagged(target: str) -> None:
    p = changed(project_2025(), {"indicators[3].target": target})
    finding = assert_flagged(p, "I17", "warning", "indicators[3].target")
    assert "金额" in finding.message


@pytest.mark.parametrize("target", ["≤180000元/辆", "≤80万元/公里", "=36万元", "≤500元/人"])
def test_2025_cost_targets_in_money_pass(target: str) -> None:
    assert_not_flagged(changed(project_2025(), {"indicators[3].target": target}), "I17")


def test_before_2025_a_cost_judged_in_words_passes() -> None:
    p = baseline()
    p.indicators.insert(3, Indicator("产出指标", "成本指标", "成本控制有效性", "有效"))
    assert_not_flagged(p, "I17")
    assert run(p) == []


# ------------------------------------------------------------------ empty level rows


def test_rows_a_printed_form_carries_empty_are_not_errors() -> None:
    p = baseline()
    p.indicators.insert(3, Indicator("产出指标", "成本指标", "", None))
    p.indicators.insert(6, Indicator("效益指标", "生态效益指标", "", ""))
    p.indicators.append(Indicator())  # a blank row left at the end
    assert run(p) == []


def test_an_empty_row_does_not_count_as_the_indicator_its_level_needs() -> None:
    p = baseline()
    p.indicators[2] = Indicator("产出指标", "时效指标", "", None)
    found = run(p)
    assert not [f for f in found if f.is_error]
    i11 = with_code(found, "I11")
    assert len(i11) == 1 and "时效指标" in i11[0].message
    # A whole 一级 left empty is an error, said once.
    p = baseline()
    p.indicators[5] = Indicator("满意度指标", "服务对象满意度指标", "", "")
    assert [(f.code, f.field) for f in run(p) if f.is_error] == [("I10", "indicators")]


def test_a_row_with_a_name_but_no_target_is_still_an_error() -> None:
    p = changed(baseline(), {"indicators[1].target": ""})
    assert_flagged(p, "I02", "error", "indicators[1].target")


# ------------------------------------------------------------------ I04 and I09 quieter


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("采购流程合规率", "100%"),
        ("安全事故发生数", "0"),
        ("有效投诉数", "0起"),
        ("差错率", "0%"),
        ("车辆上牌完成率", "100"),
    ],
)
def test_no_i04_where_the_direction_is_not_in_doubt(name: str, target: str) -> None:
    p = changed(baseline(), {"indicators[1].name": name, "indicators[1].target": target})
    assert_not_flagged(p, "I04")


@pytest.mark.parametrize(
    ("name", "target"), [("采购流程合规率", "90%"), ("车辆购置完成数", "2部"), ("巡检次数", "12次")]
)
def test_i04_where_equal_and_at_least_differ(name: str, target: str) -> None:
    p = changed(baseline(), {"indicators[1].name": name, "indicators[1].target": target})
    assert_flagged(p, "I04", "warning", "indicators[1].target")


@pytest.mark.parametrize(
    "target",
    [
        "准确",
        "完整",
        "符合",
        "正常",
        "建立",
        "优良",
        "不超预算",
        "及时到位",
        "按月发放到位",
        "按时完成",
        "符合要求",
        "每年12月底前",
        "2021年7月",
        "2023.07-2024.01",
        "年底前",
        "5个工作日内",
        "每月1次",
        "及时(每月1次)",
    ],
)
def test_checkable_states_and_deadlines_are_not_i09(target: str) -> None:
    p = changed(baseline(), {"indicators[4].target": target})
    assert_not_flagged(p, "I09")


@pytest.mark.parametrize("target", ["高", "有效提升", "进一步提高", "明显改善", "较好"])
def test_vague_targets_are_still_i09(target: str) -> None:
    assert_flagged(
        changed(baseline(), {"indicators[4].target": target}),
        "I09",
        "warning",
        "indicators[4].target",
    )


# ------------------------------------------------------------------ P03, F10


def test_p03_only_where_the_form_has_a_category() -> None:
    p = changed(baseline(), {"category": None})
    assert_flagged(p, "P03", "warning", "category")
    p.template = "shanghai-2020"
    assert_not_flagged(p, "P03")
    assert_flagged(changed(minhang_baseline(), {"category": None}), "P03", "warning", "category")


def test_f10_totals_filled_with_every_part_blank() -> None:
    p = baseline()
    p.funding = Funding(total=D("360000"), total_fiscal=D("360000"), annual=D("360000"))
    finding = assert_flagged(p, "F10", "warning", "funding.annual_fiscal")
    assert "当年财政拨款" in finding.message and "上年结转资金" in finding.message
    # A form that prints no amounts (上海 2020) has nothing to show the reviewer.
    p.template = "shanghai-2020"
    assert_not_flagged(p, "F10")
    # The 闵行 form: 当年预算 with 财政拨款 and 其他资金 blank.
    m = minhang_baseline()
    m.funding.annual_fiscal = m.funding.annual_other = None
    m.funding.upper = m.funding.local = m.funding.lower = None
    finding = assert_flagged(m, "F10", "warning", "funding.annual_fiscal")
    assert "财政拨款" in finding.message
    # 上级/本级/下级 blank under a filled 财政拨款: not asked for.
    m = minhang_baseline()
    m.funding.upper = m.funding.local = m.funding.lower = None
    assert_not_flagged(m, "F10")


def test_f10_not_when_a_part_is_filled_or_the_total_is_blank_or_zero() -> None:
    assert_not_flagged(baseline(), "F10")
    p = baseline()
    p.funding = Funding(
        total=D("360000"), total_fiscal=D("360000"), annual=D("360000"), annual_fiscal=D("360000")
    )
    assert_not_flagged(p, "F10")
    p.funding = Funding()
    assert_not_flagged(p, "F10")
    p.funding = Funding(total=D("0"), annual=D("0"))
    assert_not_flagged(p, "F10")


def test_f09_only_where_the_form_prints_amounts() -> None:
    p = baseline()
    p.funding = Funding()
    assert_flagged(p, "F09", "warning", "funding.annual")
    p.template = "shanghai-2020"
    assert_not_flagged(p, "F09")
