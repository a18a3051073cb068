"""Rules I01–I15 (validation.md, "Indicators — I"): passes and flagged examples.

The baseline's rows (``rule_helpers.baseline``):
0 数量 车辆购置完成数 ``=2部`` · 1 质量 采购流程合规率 ``=100%`` ·
2 时效 采购完成及时率 ``=100% (2021年6月底前)`` · 3 社会效益 满足机关公务用车需求 ``满足`` ·
4 可持续影响 车辆管理长效机制健全性 ``健全`` · 5 满意度 工作人员满意度 ``≥95%``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from rule_helpers import (
    assert_flagged,
    assert_not_flagged,
    baseline,
    changed,
    minhang_baseline,
    run,
    with_code,
)

from desktop.models.project import Indicator
from desktop.models.rules import RuleSettings
from desktop.models.rules.base import DEFAULT_ACCEPTED_WORDS

COUNT, RATE, TIMELY, WORD, LASTING, SATISFACTION = range(6)


def _t(row: int) -> str:
    return f"indicators[{row}].target"


# (id, changes, code, severity, field, a word the message must contain)
FLAGGED = [
    (
        "I01 blank name",
        {"indicators[0].name": ""},
        "I01",
        "error",
        "indicators[0].name",
        "三级指标",
    ),
    ("I01 spaces", {"indicators[3].name": "  "}, "I01", "error", "indicators[3].name", "三级指标"),
    ("I02 empty", {_t(COUNT): ""}, "I02", "error", _t(COUNT), "指标目标值"),
    ("I02 None", {_t(RATE): None}, "I02", "error", _t(RATE), "指标目标值"),
    ("I02 spaces", {_t(WORD): " \u3000"}, "I02", "error", _t(WORD), "指标目标值"),
    (
        "I03 target is the name",
        {"indicators[2].name": "党建培训工作完成及时率", _t(TIMELY): "党建培训工作完成及时率"},
        "I03",
        "error",
        _t(TIMELY),
        "指标名称",
    ),
    (
        "I03 ignoring spaces and width",
        {"indicators[2].name": "党建培训工作完成及时率", _t(TIMELY): " 党建培训 工作完成及时率 "},
        "I03",
        "error",
        _t(TIMELY),
        "指标名称",
    ),
    ("I04 95%", {_t(RATE): "95%"}, "I04", "warning", _t(RATE), "比较符"),
    ("I04 2部", {_t(COUNT): "2部"}, "I04", "warning", _t(COUNT), "比较符"),
    ("I05 =0", {_t(COUNT): "=0"}, "I05", "warning", _t(COUNT), "单位"),
    ("I05 =11", {_t(COUNT): "=11"}, "I05", "warning", _t(COUNT), "单位"),
    ("I05 >=90", {_t(COUNT): ">=90"}, "I05", "warning", _t(COUNT), "单位"),
    ("I06 ≥120%", {_t(RATE): "≥120%"}, "I06", "error", _t(RATE), "0–100%"),
    ("I06 rate by name, no unit", {_t(RATE): "=120"}, "I06", "error", _t(RATE), "0–100%"),
    ("I06 any % over 100", {_t(COUNT): "=150%"}, "I06", "error", _t(COUNT), "0–100%"),
    (
        "I06 satisfaction over 100",
        {_t(SATISFACTION): "≥101%"},
        "I06",
        "error",
        _t(SATISFACTION),
        "0–100%",
    ),
    ("I07 ≥60%", {_t(SATISFACTION): "≥60%"}, "I07", "warning", _t(SATISFACTION), "满意度"),
    ("I07 =79%", {_t(SATISFACTION): "=79%"}, "I07", "warning", _t(SATISFACTION), "80"),
    ("I08 XX", {_t(COUNT): "XX"}, "I08", "error", _t(COUNT), "占位符"),
    ("I08 ≥**%", {_t(RATE): "≥**%"}, "I08", "error", _t(RATE), "占位符"),
    ("I08 ××人", {_t(COUNT): "××人"}, "I08", "error", _t(COUNT), "占位符"),
    (
        "I08 in the name",
        {"indicators[0].name": "XX完成数"},
        "I08",
        "error",
        "indicators[0].name",
        "占位符",
    ),
    ("I09 有效提升", {_t(WORD): "有效提升"}, "I09", "warning", _t(WORD), "有效提升"),
    ("I09 进一步提高", {_t(WORD): "进一步提高"}, "I09", "warning", _t(WORD), "进一步提高"),
    ("I09 明显改善", {_t(WORD): "明显改善"}, "I09", "warning", _t(WORD), "明显改善"),
    ("I09 高", {_t(WORD): "高"}, "I09", "warning", _t(WORD), "“高”"),
    (
        "I12 same name twice",
        {"indicators[3].name": "车辆购置完成数"},
        "I12",
        "warning",
        "indicators[3].name",
        "第 1 行",
    ),
    (
        "I13 其他类 二级",
        {"indicators[0].level2": "其他类"},
        "I13",
        "error",
        "indicators[0].level2",
        "其他类",
    ),
    (
        "I13 blank labels",
        {"indicators[0].level1": "", "indicators[0].level2": None},
        "I13",
        "error",
        "indicators[0].level2",
        "二级指标",
    ),
    (
        "I13 其他类 一级, blank 二级",
        {"indicators[0].level1": "其他类", "indicators[0].level2": ""},
        "I13",
        "error",
        "indicators[0].level1",
        "其他类",
    ),
    (
        "I13 一级 alone under 影响力目标",
        {"indicators[4].level1": "影响力目标", "indicators[4].level2": None},
        "I13",
        "error",
        "indicators[4].level2",
        "二级指标",
    ),
    (
        "I14 2022 in a 2021 project",
        {_t(TIMELY): "=100% (2022年6月底前)"},
        "I14",
        "warning",
        _t(TIMELY),
        "2022",
    ),
    (
        "I14 before the start",
        {_t(TIMELY): "=100% (2020年12月底前)"},
        "I14",
        "warning",
        _t(TIMELY),
        "2020",
    ),
    ("I14 a word with a date", {_t(WORD): "满足(2022年3月)"}, "I14", "warning", _t(WORD), "2022"),
]


@pytest.mark.parametrize(
    ("changes", "code", "severity", "field", "word"),
    [pytest.param(*case[1:], id=case[0]) for case in FLAGGED],
)
def test_flagged(changes: dict, code: str, severity: str, field: str, word: str) -> None:
    finding = assert_flagged(changed(baseline(), changes), code, severity, field)
    assert word in finding.message


PASSES = [
    ("I01 a name", {"indicators[0].name": "车辆购置完成数"}, "I01"),
    ("I02 =2部", {_t(COUNT): "=2部"}, "I02"),
    ("I02 a word", {_t(WORD): "满足"}, "I02"),
    ("I03 ≥3次", {"indicators[2].name": "党建培训工作完成及时率", _t(TIMELY): "=100%"}, "I03"),
    ("I04 =100%", {_t(RATE): "=100%"}, "I04"),
    # At the end of its range a target reads the same with = as with ≥ or ≤.
    ("I04 100% of a rate", {_t(RATE): "100%"}, "I04"),
    ("I04 0 of a count", {_t(COUNT): "0部"}, "I04"),
    ("I04 ≥95%", {_t(RATE): "≥95%"}, "I04"),
    ("I04 95%以上", {_t(RATE): "95%以上"}, "I04"),
    ("I04 不低于95%", {_t(RATE): "不低于95%"}, "I04"),
    ("I04 words are not quantities", {_t(WORD): "满足"}, "I04"),
    ("I05 =0起", {_t(COUNT): "=0起"}, "I05"),
    ("I05 =12次", {_t(COUNT): "=12次"}, "I05"),
    ("I05 ≥2500人次", {_t(COUNT): "≥2500人次"}, "I05"),
    ("I05 =100%", {_t(RATE): "=100%"}, "I05"),
    ("I06 ≥98%", {_t(RATE): "≥98%"}, "I06"),
    ("I06 =0%", {_t(RATE): "=0%"}, "I06"),
    ("I06 =100%", {_t(RATE): "=100%"}, "I06"),
    ("I06 counts may exceed 100", {_t(COUNT): "≥400场"}, "I06"),
    ("I07 ≥90%", {_t(SATISFACTION): "≥90%"}, "I07"),
    ("I07 ≥80% (the threshold)", {_t(SATISFACTION): "≥80%"}, "I07"),
    ("I07 not a satisfaction row", {_t(RATE): "≥60%"}, "I07"),
    ("I08 ≥35人", {_t(COUNT): "≥35人"}, "I08"),
    ("I09 健全", {_t(WORD): "健全"}, "I09"),
    ("I09 with a note", {_t(WORD): "及时(每月1次)"}, "I09"),
    ("I12 unique", {"indicators[3].name": "有效投诉处置率"}, "I12"),
    (
        "I13 数量目标",
        {"indicators[0].level1": "产出目标", "indicators[0].level2": "数量目标"},
        "I13",
    ),
    (
        "I13 长效管理",
        {"indicators[4].level1": "影响力目标", "indicators[4].level2": "长效管理"},
        "I13",
    ),
    ("I14 (2021年6月底前) in 2021", {_t(TIMELY): "=100% (2021年6月底前)"}, "I14"),
    ("I14 (2021年1 2月底前) OCR split", {_t(TIMELY): "=100% (2021年1 2月底前)"}, "I14"),
    ("I14 no date", {_t(TIMELY): "=100% (72小时内)"}, "I14"),
    ("I15 ≥400场", {_t(COUNT): "≥400场"}, "I15"),
    ("I15 =100% with note", {_t(TIMELY): "=100% (2021年6月底前)"}, "I15"),
    ("I15 ＞90%", {_t(SATISFACTION): "＞90%"}, "I15"),
    ("I15 ≤5次", {_t(COUNT): "≤5次"}, "I15"),
    ("I15 no comparator is I04's business", {_t(RATE): "100%"}, "I15"),
]


@pytest.mark.parametrize(
    ("changes", "code"), [pytest.param(*case[1:], id=case[0]) for case in PASSES]
)
def test_passes(changes: dict, code: str) -> None:
    assert_not_flagged(changed(baseline(), changes), code)


# I02 / labels of the 2020 form ---------------------------------------------------


def test_i02_on_the_minhang_form_says_目标值() -> None:
    p = changed(minhang_baseline(), {_t(0): ""})
    finding = assert_flagged(p, "I02", "error", _t(0))
    assert "目标值" in finding.message and "工勤雇员到岗数" in finding.message


def test_a_blank_target_is_only_i02() -> None:
    p = changed(baseline(), {_t(RATE): ""})
    assert [(f.code, f.field) for f in run(p)] == [("I02", _t(RATE))]


# I07 and I09 settings ---------------------------------------------------------------


def test_i07_threshold_is_a_setting() -> None:
    p = changed(baseline(), {_t(SATISFACTION): "≥60%"})
    assert_not_flagged(
        p, "I07", settings=RuleSettings(satisfaction_min=RuleSettings().satisfaction_min - 30)
    )
    p = changed(baseline(), {_t(SATISFACTION): "≥90%"})
    finding = assert_flagged(
        p,
        "I07",
        "warning",
        _t(SATISFACTION),
        settings=RuleSettings.from_dict({"satisfaction_min": 95}),
    )
    assert "95" in finding.message


@pytest.mark.parametrize("word", DEFAULT_ACCEPTED_WORDS)
def test_i09_every_accepted_word_passes(word: str) -> None:
    assert_not_flagged(changed(baseline(), {_t(WORD): word}), "I09")


def test_i09_word_list_is_a_setting() -> None:
    p = changed(baseline(), {_t(WORD): "高"})
    settings = RuleSettings.from_dict({"accepted_words": [*DEFAULT_ACCEPTED_WORDS, "高"]})
    assert_not_flagged(p, "I09", settings=settings)
    settings = RuleSettings.from_dict({"accepted_words": ["健全"]})
    assert_flagged(
        changed(baseline(), {_t(WORD): "满足"}), "I09", "warning", _t(WORD), settings=settings
    )


def test_i09_prose_target_is_flagged() -> None:
    assert_flagged(changed(baseline(), {_t(WORD): "完成率达到95%左右"}), "I09", "warning", _t(WORD))


# I10 / I11 coverage -------------------------------------------------------------


@pytest.mark.parametrize(
    ("drop", "missing"),
    [
        pytest.param([SATISFACTION], "满意度指标", id="no 满意度 row"),
        pytest.param([WORD, LASTING], "效益指标", id="no 效益 row"),
        pytest.param([COUNT, RATE, TIMELY], "产出指标", id="no 产出 row"),
    ],
)
def test_i10_each_first_level_needs_a_row(drop: list[int], missing: str) -> None:
    p = baseline()
    p.indicators = [ind for i, ind in enumerate(p.indicators) if i not in drop]
    found = with_code(run(p), "I10")
    assert len(found) == 1
    assert (found[0].severity, found[0].field) == ("error", "indicators")
    assert missing in found[0].message


def test_i10_no_indicator_at_all() -> None:
    p = baseline()
    p.indicators = []
    found = with_code(run(p), "I10")
    assert [(f.severity, f.field) for f in found] == [("error", "indicators")] * 3


def test_i10_all_three_pass() -> None:
    assert_not_flagged(baseline(), "I10")
    assert_not_flagged(minhang_baseline(), "I10")


def test_i10_满意度目标_under_效果目标_is_a_satisfaction_row() -> None:
    p = minhang_baseline()
    p.indicators[5] = Indicator("效果目标", "满意度目标", "工作人员满意度", "≥90%")
    assert_not_flagged(p, "I10")
    assert_not_flagged(p, "I13")


def test_i10_minhang_names_its_own_wording() -> None:
    p = minhang_baseline()
    del p.indicators[5]  # the 影响力目标 / 满意度 row; 影响力目标 / 可持续影响 stays
    found = with_code(run(p), "I10")
    assert len(found) == 1 and "“满意度”" in found[0].message
    # 影响力目标 also holds the 可持续影响 row: the message must not say it is missing
    assert "影响力目标" not in found[0].message


def test_i10_minhang_missing_效果目标() -> None:
    p = minhang_baseline()
    del p.indicators[3:5]  # 效果目标 / 社会效益 and 影响力目标 / 可持续影响
    found = with_code(run(p), "I10")
    assert len(found) == 1 and "“效果目标”" in found[0].message


@pytest.mark.parametrize(
    ("drop", "missing"),
    [
        pytest.param(TIMELY, "时效", id="no 时效 row"),
        pytest.param(RATE, "质量", id="no 质量 row"),
        pytest.param(COUNT, "数量", id="no 数量 row"),
    ],
)
def test_i11_output_needs_quantity_quality_timeliness(drop: int, missing: str) -> None:
    p = baseline()
    del p.indicators[drop]
    found = with_code(run(p), "I11")
    assert len(found) == 1
    assert (found[0].severity, found[0].field) == ("warning", "indicators")
    assert missing in found[0].message


def test_i11_all_three_pass() -> None:
    assert_not_flagged(baseline(), "I11")
    assert_not_flagged(minhang_baseline(), "I11")


# I12 ------------------------------------------------------------------------------


def test_i12_有效投诉处置率_twice() -> None:
    p = baseline()
    p.indicators.insert(4, Indicator("效益指标", "社会效益指标", "有效投诉处置率", "=100%"))
    p.indicators.insert(5, Indicator("效益指标", "社会效益指标", "有效投诉处置率", "=100%"))
    finding = assert_flagged(p, "I12", "warning", "indicators[5].name")
    assert "有效投诉处置率" in finding.message
    assert_not_flagged(p, "I12", "indicators[4].name")


# I13 ------------------------------------------------------------------------------


def test_i13_一级_alone_places_the_row_but_the_二级_is_reported() -> None:
    # forms.md: the 一级 decides only when the 二级 is blank, so the row still counts
    # for I10; validation.md flags a blank label, so the empty 二级 cell is reported.
    p = baseline()
    p.indicators[SATISFACTION].level2 = None
    assert_flagged(p, "I13", "error", _t(SATISFACTION).replace("target", "level2"))
    assert_not_flagged(p, "I13", _t(SATISFACTION).replace("target", "level1"))
    assert_not_flagged(p, "I10")


def test_i13_message_names_the_label_and_the_choices() -> None:
    finding = assert_flagged(
        changed(baseline(), {"indicators[0].level2": "其他类"}),
        "I13",
        "error",
        "indicators[0].level2",
    )
    assert "二级指标" in finding.message and "数量指标" in finding.message


def test_i13_minhang_label_wording() -> None:
    finding = assert_flagged(
        changed(minhang_baseline(), {"indicators[0].level2": "其他类"}),
        "I13",
        "error",
        "indicators[0].level2",
    )
    assert "二级目标" in finding.message


# I14 ------------------------------------------------------------------------------


def test_i14_project_period_from_dates() -> None:
    p = changed(
        baseline(),
        {
            "start_date": dt.date(2021, 1, 1),
            "end_date": dt.date(2021, 12, 31),
            _t(TIMELY): "=100% (2022年6月底前)",
        },
    )
    assert_flagged(p, "I14", "warning", _t(TIMELY))


def test_i14_multi_year_project() -> None:
    p = changed(
        baseline(),
        {
            "category": "阶段性项目",
            "end_date": dt.date(2022, 12, 31),
            _t(TIMELY): "=100% (2022年6月底前)",
        },
    )
    assert_not_flagged(p, "I14")


# I15 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "written", "standard"),
    [
        pytest.param(COUNT, "> =400场", "≥400场", id="> =400场"),
        pytest.param(COUNT, ">=90", "≥90", id=">=90"),
        pytest.param(SATISFACTION, "> 90%", "＞90%", id="> 90%"),
        pytest.param(SATISFACTION, ">=95%", "≥95%", id=">=95%"),
        pytest.param(SATISFACTION, "≧95%", "≥95%", id="≧95%"),
        pytest.param(SATISFACTION, "不低于90%", "≥90%", id="不低于90%"),
        pytest.param(COUNT, "不少于 3 次", "≥3次", id="不少于 3 次"),
        pytest.param(COUNT, "不多于5次", "≤5次", id="不多于5次"),
        pytest.param(RATE, "不高于5%", "≤5%", id="不高于5%"),
        pytest.param(SATISFACTION, ">90%", "＞90%", id="ascii >"),
        pytest.param(RATE, "< 5%", "＜5%", id="ascii <"),
        pytest.param(COUNT, "≥ 400 场", "≥400场", id="spaces"),
        pytest.param(SATISFACTION, "≥９５％", "≥95%", id="full-width digits"),
        pytest.param(TIMELY, ">=100% (2021年6月底前)", "≥100% (2021年6月底前)", id="with a note"),
    ],
)
def test_i15_offers_the_standard_form(row: int, written: str, standard: str) -> None:
    finding = assert_flagged(changed(baseline(), {_t(row): written}), "I15", "warning", _t(row))
    assert finding.suggestion == standard
    assert standard in finding.message


def test_i15_only_once_and_nothing_else_for_the_seed_spelling() -> None:
    p = changed(baseline(), {_t(COUNT): "> =400场"})
    assert [(f.code, f.field) for f in run(p)] == [("I15", _t(COUNT))]


# every finding of this file speaks Chinese and names its row -------------------------


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param(case[1], id=case[0])
        for case in FLAGGED
        if case[4].endswith((".target", ".name"))
    ],
)
def test_row_findings_name_the_row(changes: dict) -> None:
    p = changed(baseline(), changes)
    for finding in run(p):
        if finding.field.startswith("indicators["):
            row = int(finding.field.split("[")[1].split("]")[0])
            assert f"第 {row + 1} 行" in finding.message
