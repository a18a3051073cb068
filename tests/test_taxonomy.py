"""The one indicator taxonomy (forms.md, "One indicator taxonomy"): every wording of the table."""

from __future__ import annotations

import pytest
from rule_helpers import assert_flagged, assert_not_flagged, baseline, changed, minhang_baseline

from desktop.models import taxonomy as tx

# Every 二级 wording of the table → (canonical 一级, canonical 二级).
LEVEL2_WORDINGS = [
    # canonical
    ("数量指标", tx.OUTPUT, tx.QUANTITY),
    ("质量指标", tx.OUTPUT, tx.QUALITY),
    ("时效指标", tx.OUTPUT, tx.TIMELINESS),
    ("成本指标", tx.OUTPUT, tx.COST),
    ("经济效益指标", tx.BENEFIT, tx.ECONOMIC),
    ("社会效益指标", tx.BENEFIT, tx.SOCIAL),
    ("生态效益指标", tx.BENEFIT, tx.ECOLOGICAL),
    ("可持续影响指标", tx.BENEFIT, tx.SUSTAINABLE),
    ("服务对象满意度指标", tx.SATISFACTION, tx.SERVED),
    ("决策管理", tx.MANAGEMENT, tx.DECISION),
    ("投入管理", tx.MANAGEMENT, tx.INPUT),
    ("财务管理", tx.MANAGEMENT, tx.FINANCE),
    ("项目管理", tx.MANAGEMENT, tx.PROJECT_MGMT),
    # minhang-2020 prints
    ("数量", tx.OUTPUT, tx.QUANTITY),
    ("质量", tx.OUTPUT, tx.QUALITY),
    ("时效", tx.OUTPUT, tx.TIMELINESS),
    ("成本", tx.OUTPUT, tx.COST),
    ("经济效益", tx.BENEFIT, tx.ECONOMIC),
    ("社会效益", tx.BENEFIT, tx.SOCIAL),
    ("生态效益", tx.BENEFIT, tx.ECOLOGICAL),
    ("可持续影响", tx.BENEFIT, tx.SUSTAINABLE),
    ("满意度", tx.SATISFACTION, tx.SERVED),
    # shanghai-2020 prints
    ("数量目标", tx.OUTPUT, tx.QUANTITY),
    ("质量目标", tx.OUTPUT, tx.QUALITY),
    ("时效目标", tx.OUTPUT, tx.TIMELINESS),
    ("成本目标", tx.OUTPUT, tx.COST),
    ("经济效益目标", tx.BENEFIT, tx.ECONOMIC),
    ("社会效益目标", tx.BENEFIT, tx.SOCIAL),
    ("生态效益目标", tx.BENEFIT, tx.ECOLOGICAL),
    ("长效管理", tx.BENEFIT, tx.SUSTAINABLE),
    ("满意度目标", tx.SATISFACTION, tx.SERVED),
    # also read as
    ("环境效益", tx.BENEFIT, tx.ECOLOGICAL),
    ("环境效益目标", tx.BENEFIT, tx.ECOLOGICAL),
    ("社会效应目标", tx.BENEFIT, tx.SOCIAL),
    ("长效管理目标", tx.BENEFIT, tx.SUSTAINABLE),
    ("可持续目标", tx.BENEFIT, tx.SUSTAINABLE),
    # as clerks type them
    (" 数量 ", tx.OUTPUT, tx.QUANTITY),
    ("数量：", tx.OUTPUT, tx.QUANTITY),
    ("满意度\u3000目标", tx.SATISFACTION, tx.SERVED),
]

# Every 一级 wording of the table → canonical 一级 (None: cannot place a row alone).
LEVEL1_WORDINGS = [
    ("产出指标", tx.OUTPUT),
    ("效益指标", tx.BENEFIT),
    ("满意度指标", tx.SATISFACTION),
    ("投入和管理指标", tx.MANAGEMENT),
    ("产出目标", tx.OUTPUT),
    ("效果目标", tx.BENEFIT),
    ("投入和管理类", tx.MANAGEMENT),
    ("产出", tx.OUTPUT),
    ("效益目标", tx.BENEFIT),
    ("数量", tx.OUTPUT),
    ("数量目标", tx.OUTPUT),
    ("满意度", tx.SATISFACTION),
    ("满意度目标", tx.SATISFACTION),
    ("环境效益目标", tx.BENEFIT),
    ("社会效应目标", tx.BENEFIT),
    ("长效管理", tx.BENEFIT),
    ("长效管理目标", tx.BENEFIT),
    ("可持续目标", tx.BENEFIT),
    ("影响力目标", None),  # holds both 可持续影响 and 满意度 rows
    ("其他类", None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize(
    ("label", "level1", "level2"), LEVEL2_WORDINGS, ids=[w for w, *_ in LEVEL2_WORDINGS]
)
def test_level2_wording(label: str, level1: str, level2: str) -> None:
    assert tx.level2_of(label) == level2
    assert tx.PARENT[level2] == level1
    assert tx.place(None, label) == tx.Placement(level1, level2)


@pytest.mark.parametrize(
    ("label", "level1"), LEVEL1_WORDINGS, ids=[str(w) for w, _ in LEVEL1_WORDINGS]
)
def test_level1_wording(label: str | None, level1: str | None) -> None:
    assert tx.level1_of(label) == level1
    assert tx.place(label, None) == tx.Placement(level1, None)


@pytest.mark.parametrize(
    ("level1", "level2", "expected"),
    [
        # the 二级 label decides
        ("效果目标", "满意度目标", tx.Placement(tx.SATISFACTION, tx.SERVED)),
        ("影响力目标", "满意度", tx.Placement(tx.SATISFACTION, tx.SERVED)),
        ("影响力目标", "可持续影响", tx.Placement(tx.BENEFIT, tx.SUSTAINABLE)),
        ("影响力目标", "长效管理", tx.Placement(tx.BENEFIT, tx.SUSTAINABLE)),
        ("效益目标", "社会效益目标", tx.Placement(tx.BENEFIT, tx.SOCIAL)),
        ("效果目标", "数量", tx.Placement(tx.OUTPUT, tx.QUANTITY)),
        ("其他类", "数量目标", tx.Placement(tx.OUTPUT, tx.QUANTITY)),
        ("投入和管理类", "财务管理", tx.Placement(tx.MANAGEMENT, tx.FINANCE)),
        # the 一级 only when the 二级 is blank
        ("产出目标", None, tx.Placement(tx.OUTPUT, None)),
        ("效果目标", "  ", tx.Placement(tx.BENEFIT, None)),
        ("影响力目标", "", tx.Placement(None, None)),
        # a 二级 written but unknown places nothing, whatever the 一级
        ("产出目标", "其他类", tx.Placement(None, None)),
        (None, None, tx.Placement(None, None)),
    ],
)
def test_place(level1: str | None, level2: str | None, expected: tx.Placement) -> None:
    assert tx.place(level1, level2) == expected


@pytest.mark.parametrize(
    ("label", "level1", "level2"), LEVEL2_WORDINGS, ids=[w for w, *_ in LEVEL2_WORDINGS]
)
def test_known_二级_wording_raises_no_i13(label: str, level1: str, level2: str) -> None:
    assert_not_flagged(changed(baseline(), {"indicators[0].level2": label}), "I13")


@pytest.mark.parametrize(
    "level1",
    [w for w, placed in LEVEL1_WORDINGS if placed is not None] + ["影响力目标"],
)
def test_known_一级_wording_raises_no_i13_on_level1(level1: str) -> None:
    assert_not_flagged(changed(baseline(), {"indicators[0].level1": level1}), "I13")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"indicators[0].level2": "其他类"}, "indicators[0].level2", id="unknown 二级"),
        pytest.param(
            {"indicators[0].level2": "产出"}, "indicators[0].level2", id="a 一级 word as 二级"
        ),
        pytest.param({"indicators[0].level1": "其他类"}, "indicators[0].level1", id="unknown 一级"),
        pytest.param(
            {"indicators[0].level1": None, "indicators[0].level2": None},
            "indicators[0].level2",
            id="both blank",
        ),
    ],
)
def test_unknown_label_is_i13(changes: dict, field: str) -> None:
    assert_flagged(changed(baseline(), changes), "I13", "error", field)


def test_labels_are_kept_as_written() -> None:
    p = changed(baseline(), {"indicators[0].level2": "数量目标"})
    assert p.indicators[0].level2 == "数量目标"
    assert tx.place(p.indicators[0].level1, p.indicators[0].level2).level2 == tx.QUANTITY


@pytest.mark.parametrize(
    ("family", "level2", "printed1", "printed2"),
    [
        ("minhang-2020", tx.QUANTITY, "产出目标", "数量"),
        ("minhang-2020", tx.SOCIAL, "效果目标", "社会效益"),
        ("minhang-2020", tx.SUSTAINABLE, "影响力目标", "可持续影响"),
        ("minhang-2020", tx.SERVED, "影响力目标", "满意度"),
        ("shanghai-2020", tx.QUANTITY, "产出目标", "数量目标"),
        ("shanghai-2020", tx.SOCIAL, "效果目标", "社会效益目标"),
        ("shanghai-2020", tx.SUSTAINABLE, "影响力目标", "长效管理"),
        ("shanghai-2020", tx.SERVED, "影响力目标", "满意度目标"),
        ("shanghai-2020", tx.FINANCE, "投入和管理类", "财务管理"),
        ("shanghai-2021", tx.QUANTITY, "产出指标", "数量指标"),
        ("shanghai-2021", tx.SERVED, "满意度指标", "服务对象满意度指标"),
    ],
)
def test_each_family_prints_its_own_words(
    family: str, level2: str, printed1: str, printed2: str
) -> None:
    placement = tx.Placement(tx.PARENT[level2], level2)
    assert tx.printed_level1(family, placement) == printed1
    assert tx.printed_level2(family, placement) == printed2
    # and what is printed reads back to the same place
    assert tx.place(printed1, printed2) == placement


def test_minhang_seed_wording_places_every_row() -> None:
    p = minhang_baseline()
    assert all(tx.place(i.level1, i.level2).level2 for i in p.indicators)
