"""Rules P01–P10 (validation.md, "Project — P"): the spec's passes and flagged examples.

Also the whole-spec checks: every code of validation.md's tables with its severity, and
the findings the reference cases in ``shared/cases`` must produce.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rule_helpers import (
    CASES_DIR,
    SHARED,
    D,
    assert_flagged,
    assert_not_flagged,
    assert_plain_chinese,
    baseline,
    changed,
    minhang_baseline,
    run,
    with_code,
)

from desktop.export.package import read_package_file
from desktop.models.project import Project
from desktop.models.rules import Context, is_measurable, key_of


def test_baselines_have_no_finding_at_all() -> None:
    assert run(baseline()) == []
    assert run(minhang_baseline()) == []


# (id, changes to the baseline, code, severity, field, a word the message must contain)
FLAGGED = [
    ("P01 empty name", {"name": ""}, "P01", "error", "name", "项目名称"),
    ("P01 spaces", {"name": "   "}, "P01", "error", "name", "项目名称"),
    ("P01 full-width spaces", {"name": "\u3000\u3000"}, "P01", "error", "name", "项目名称"),
    ("P02 missing", {"year": None}, "P02", "error", "year", "年度"),
    ("P02 below 2000", {"year": 1999}, "P02", "error", "year", "年度"),
    ("P02 above 2100", {"year": 2101}, "P02", "error", "year", "年度"),
    ("P03 none ticked", {"category": None}, "P03", "warning", "category", "项目类别"),
    ("P03 blank", {"category": "  "}, "P03", "warning", "category", "项目类别"),
    (
        "P04 reversed",
        {"start_date": dt.date(2021, 12, 31), "end_date": dt.date(2021, 1, 1)},
        "P04",
        "error",
        "start_date",
        "计划开始日期",
    ),
    (
        "P05 ends next year",
        {"end_date": dt.date(2022, 6, 30)},
        "P05",
        "warning",
        "end_date",
        "计划完成日期",
    ),
    (
        "P05 starts the year before",
        {"start_date": dt.date(2020, 12, 1)},
        "P05",
        "warning",
        "start_date",
        "计划开始日期",
    ),
    ("P06 seven digits", {"phone": "2403315"}, "P06", "warning", "phone", "联系电话"),
    ("P06 twelve digits", {"phone": "136363018120"}, "P06", "warning", "phone", "联系电话"),
    ("P06 a word", {"phone": "电话"}, "P06", "warning", "phone", "联系电话"),
    ("P07 overall blank", {"overall_goal": ""}, "P07", "error", "overall_goal", "项目总目标"),
    ("P07 overall None", {"overall_goal": None}, "P07", "error", "overall_goal", "项目总目标"),
    ("P07 annual blank", {"annual_goal": "  "}, "P07", "error", "annual_goal", "年度总目标"),
    (
        "P09 overall vague",
        {"overall_goal": "完成目标任务。"},
        "P09",
        "warning",
        "overall_goal",
        "项目总目标",
    ),
    (
        "P09 annual vague",
        {"annual_goal": "完成目标任务。"},
        "P09",
        "warning",
        "annual_goal",
        "年度总目标",
    ),
]


@pytest.mark.parametrize(
    ("changes", "code", "severity", "field", "word"),
    [pytest.param(*case[1:], id=case[0]) for case in FLAGGED],
)
def test_flagged(changes: dict, code: str, severity: str, field: str, word: str) -> None:
    finding = assert_flagged(changed(baseline(), changes), code, severity, field)
    assert word in finding.message


PASSES = [
    ("P01 a name", {"name": "车辆购置费"}, "P01"),
    ("P02 2021", {"year": 2021}, "P02"),
    ("P02 2000", {"year": 2000, "start_date": None, "end_date": None}, "P02"),
    ("P02 2100", {"year": 2100, "start_date": None, "end_date": None}, "P02"),
    ("P03 经常性项目", {"category": "经常性项目"}, "P03"),
    ("P03 一次性项目", {"category": "一次性项目"}, "P03"),
    (
        "P04 in order",
        {"start_date": dt.date(2021, 1, 1), "end_date": dt.date(2021, 12, 31)},
        "P04",
    ),
    (
        "P04 one day",
        {"start_date": dt.date(2021, 3, 1), "end_date": dt.date(2021, 3, 1)},
        "P04",
    ),
    (
        "P05 within the year",
        {"start_date": dt.date(2021, 1, 1), "end_date": dt.date(2021, 12, 31)},
        "P05",
    ),
    (
        "P05 multi-year category",
        {"category": "阶段性项目", "end_date": dt.date(2022, 6, 30)},
        "P05",
    ),
    ("P06 8 digits", {"phone": "24033156"}, "P06"),
    ("P06 area code", {"phone": "021-24033156"}, "P06"),
    ("P06 mobile", {"phone": "13636301812"}, "P06"),
    ("P06 masked with extension", {"phone": "021-6412xxxx转123"}, "P06"),
    ("P06 blank is not checked", {"phone": None}, "P06"),
    ("P07 any text", {"overall_goal": "完成2部车辆购置", "annual_goal": "完成2部车辆购置"}, "P07"),
    ("P09 measurable", {"overall_goal": "本年计划购置公务用车2部，保障公务出行。"}, "P09"),
    ("P09 a date", {"annual_goal": "年底前完成采购。"}, "P09"),
    ("P09 a quantity word", {"annual_goal": "购置公务用车两部。"}, "P09"),
    ("P08 not on the 2021 form", {"overview": None, "establishment": ""}, "P08"),
]


@pytest.mark.parametrize(
    ("changes", "code"), [pytest.param(*case[1:], id=case[0]) for case in PASSES]
)
def test_passes(changes: dict, code: str) -> None:
    assert_not_flagged(changed(baseline(), changes), code)


# P09: measurable on a quantity, rate, amount or deadline of its own, not an incidental digit.

P09_INCIDENTAL = [
    "推进G60科创走廊建设，服务区内企业。",
    "做好5G网络覆盖的配套保障。",
    "做好12345热线工单的办理和回复。",
    "为实现两个一百年奋斗目标贡献力量。",
    "落实“十四五”规划的各项要求。",
    "十四五期间持续推进机关后勤社会化改革。",
    "1、加强车辆管理；2、规范用车流程。",
    "（1）加强车辆管理（2）规范用车流程",
    "一是加强车辆管理，二是规范用车流程。",
    "建立一个统一的信息平台。",
    "形成一套完整的管理制度。",
    "按规定发放一次性求职创业补贴。",
    "严格落实中央八项规定精神。",
    "2021年，继续推进后勤服务社会化改革。",
    "2021年度继续做好机关后勤保障工作。",
    "根据闵委发[2017]38号文相关规定，做好党建工作。",
    "根据沪人社规〔2018〕23号文件，做好补贴发放工作。",
    "庆祝建党100周年，开展党史学习教育。",
]

P09_MEASURABLE = [
    "本年计划购置公务用车2部。",
    "全年培训200人次。",
    "政策宣传覆盖率达到95%。",
    "6月底前完成采购。",
    "2021年12月底前完成验收。",
    "2021年底前完成全部尾款支付。",
    "每月巡检1次。",
    "补贴按月发放到位。",
    "购置公务用车两部。",
    "全年举办三场专题培训。",
    "实现机关大院监控全覆盖。",
    "安排维修资金100万元。",
    "服务区内10余家单位。",
    "3年内完成系统改造。",
    "保证系统7*24小时运行。",
    "党建经费保障党员每年不低于200元/人。",
    "做好四个集中办公点的后勤保障。",
    "２０２１年６月底前完成采购。",
]


@pytest.mark.parametrize("goal", P09_INCIDENTAL)
def test_p09_an_incidental_number_is_not_measurable(goal: str) -> None:
    assert not is_measurable(goal)
    finding = assert_flagged(
        changed(baseline(), {"annual_goal": goal}), "P09", "warning", "annual_goal"
    )
    assert "年度总目标" in finding.message


@pytest.mark.parametrize("goal", P09_MEASURABLE)
def test_p09_a_quantity_rate_amount_or_deadline_of_its_own(goal: str) -> None:
    assert is_measurable(goal)
    assert_not_flagged(changed(baseline(), {"annual_goal": goal}), "P09")


def test_p09_a_fill_in_mark_is_p11s_not_p09s() -> None:
    p = changed(baseline(), {"annual_goal": "【请填写年度目标】"})
    assert_not_flagged(p, "P09")
    assert with_code(run(p), "P11")


def test_p09_seed003_a_year_as_context_only() -> None:
    """政府投资计划项目2: “…2021年为支付尾款” states no amount or deadline of its own."""
    p = _case(SEED003, "政府投资计划项目2")
    # The two goals are the same text: said once, naming both.
    [p09] = with_code(run(p), "P09")
    assert p09.field == "annual_goal" and "两者内容相同" in p09.message
    assert_not_flagged(_case(SEED003, "车辆购置费"), "P09")
    assert_not_flagged(_case(SEED003, "党建经费"), "P09")


@pytest.mark.parametrize("key", ["overview", "establishment"])
@pytest.mark.parametrize("blank", [None, "", "  \n "])
def test_p08_minhang_form_needs_overview_and_establishment(key: str, blank: str | None) -> None:
    p = changed(minhang_baseline(), {key: blank})
    finding = assert_flagged(p, "P08", "warning", key)
    assert "项目概况" in finding.message or "项目立项情况" in finding.message


@pytest.mark.parametrize("key", ["overview", "establishment"])
def test_p08_passes_with_any_text(key: str) -> None:
    assert_not_flagged(changed(minhang_baseline(), {key: "任意文字"}), "P08")


def test_p07_minhang_label_is_the_forms_own() -> None:
    finding = assert_flagged(
        changed(minhang_baseline(), {"annual_goal": ""}), "P07", "error", "annual_goal"
    )
    assert "年度绩效目标" in finding.message


def test_p03_lists_the_forms_choices() -> None:
    finding = assert_flagged(
        changed(minhang_baseline(), {"category": None}), "P03", "warning", "category"
    )
    for choice in ("一次性项目", "经常性项目", "中期预算试点项目"):
        assert choice in finding.message


# P10 ------------------------------------------------------------------------


def _training(
    pid: str, *, year: int = 2020, unit: str = "区机管局", name: str = "业务培训"
) -> Project:
    p = baseline()
    p.id, p.year, p.unit, p.name = pid, year, unit, name
    p.start_date = p.end_date = None
    return p


def test_p10_two_trainings_of_one_unit_in_2020() -> None:
    first, second = _training("a"), _training("b")
    ctx = Context.of([key_of(first), key_of(second)])
    for p in (first, second):
        finding = assert_flagged(p, "P10", "warning", "name", context=ctx)
        assert "业务培训" in finding.message


def test_p10_an_unsaved_project_against_a_stored_one() -> None:
    stored = _training("a")
    new = _training("b")
    new.id = None
    assert_flagged(new, "P10", "warning", "name", context=Context.of([key_of(stored)]))


def test_p10_ignores_width_and_spacing() -> None:
    stored = _training("a", name="业务 培训")
    assert_flagged(_training("b"), "P10", "warning", "name", context=Context.of([key_of(stored)]))


@pytest.mark.parametrize(
    "other",
    [
        pytest.param({"year": 2021}, id="other year"),
        pytest.param({"unit": "区财政局"}, id="other unit"),
        pytest.param({"name": "业务培训（二期）"}, id="other name"),
    ],
)
def test_p10_distinct_declarations_pass(other: dict) -> None:
    stored = _training("a", **other)
    p = _training("b")
    assert_not_flagged(p, "P10", context=Context.of([key_of(stored), key_of(p)]))


def test_p10_a_project_is_not_its_own_twin() -> None:
    p = _training("a")
    assert_not_flagged(p, "P10", context=Context.of([key_of(p)]))


def test_p10_without_context_nothing_to_compare() -> None:
    assert_not_flagged(_training("a"), "P10")


# The spec's code table: every code, with the severity validation.md gives it ----------

SPEC = SHARED / "spec" / "validation.md"
RULES_DOC = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def _spec_codes() -> dict[str, str]:
    rows = re.findall(
        r"^\|\s*([PFIBG]\d{2})\s*\|\s*(error|warning)\s*\|", SPEC.read_text("utf-8"), re.M
    )
    return dict(rows)


def _known_codes() -> dict[str, str]:
    """The catalogue's codes and the ones added since (``docs/rules.md``), with severities."""
    added = re.findall(
        r"^\|\s*([PFIBG]\d{2})\s*\|\s*(error|warning)\s*\|", RULES_DOC.read_text("utf-8"), re.M
    )
    return {**_spec_codes(), **dict(added)}


def test_spec_table_is_read() -> None:
    codes = _spec_codes()
    expected = (
        [f"P{i:02}" for i in range(1, 11)]
        + [f"F{i:02}" for i in range(1, 10)]
        + [f"I{i:02}" for i in range(1, 16)]
        + ["B01", "G01", "G02", "G03"]
    )
    assert sorted(codes) == sorted(expected)


def _twin() -> tuple[Project, Context]:
    p = baseline()
    p.id = "b"
    other = baseline()
    other.id = "a"
    return p, Context.of([key_of(other), key_of(p)])


# One flagged example per code: (factory, changes, field).
ONE_EXAMPLE: dict[str, tuple[Callable[[], Project], dict[str, Any], str]] = {
    "P01": (baseline, {"name": " "}, "name"),
    "P02": (baseline, {"year": None}, "year"),
    "P03": (baseline, {"category": None}, "category"),
    "P04": (
        baseline,
        {"start_date": dt.date(2021, 12, 31), "end_date": dt.date(2021, 1, 1)},
        "start_date",
    ),
    "P05": (baseline, {"end_date": dt.date(2022, 6, 30)}, "end_date"),
    "P06": (baseline, {"phone": "2403315"}, "phone"),
    "P07": (baseline, {"overall_goal": ""}, "overall_goal"),
    "P08": (minhang_baseline, {"overview": ""}, "overview"),
    "P09": (baseline, {"annual_goal": "完成目标任务。"}, "annual_goal"),
    "P10": (baseline, {}, "name"),
    "F01": (baseline, {"funding.total": "一百万"}, "funding.total"),
    "F02": (minhang_baseline, {"funding.local": D("22000000")}, "funding.annual_fiscal"),
    "F03": (baseline, {"funding.annual_fiscal": D("800000")}, "funding.annual"),
    "F04": (baseline, {"funding.total_fiscal": D("300000")}, "funding.total"),
    "F05": (
        baseline,
        {"funding.total": D("300000"), "funding.total_fiscal": D("300000")},
        "funding.annual",
    ),
    "F06": (
        baseline,
        {
            "category": "一次性项目",
            "funding.total": D("400000"),
            "funding.total_fiscal": D("400000"),
        },
        "funding.total",
    ),
    "F07": (
        minhang_baseline,
        {"breakdown[0].amount": D("1043658.00"), "breakdown[0].quantity": D("9")},
        "breakdown",
    ),
    "F08": (minhang_baseline, {"breakdown[0].quantity": D("9")}, "breakdown[0].amount"),
    "F09": (baseline, {"funding.annual": None, "breakdown": []}, "funding.annual"),
    "B01": (minhang_baseline, {"breakdown[0].amount": None}, "breakdown[0].amount"),
    "I01": (baseline, {"indicators[0].name": ""}, "indicators[0].name"),
    "I02": (baseline, {"indicators[0].target": ""}, "indicators[0].target"),
    "I03": (baseline, {"indicators[0].target": "车辆购置完成数"}, "indicators[0].target"),
    "I04": (baseline, {"indicators[1].target": "95%"}, "indicators[1].target"),
    "I05": (baseline, {"indicators[0].target": "=11"}, "indicators[0].target"),
    "I06": (baseline, {"indicators[1].target": "≥120%"}, "indicators[1].target"),
    "I07": (baseline, {"indicators[5].target": "≥60%"}, "indicators[5].target"),
    "I08": (baseline, {"indicators[0].target": "××人"}, "indicators[0].target"),
    "I09": (baseline, {"indicators[3].target": "高"}, "indicators[3].target"),
    "I10": (
        baseline,
        {"indicators[5].level1": "效益指标", "indicators[5].level2": "社会效益指标"},
        "indicators",
    ),
    "I11": (baseline, {"indicators[2].level2": "质量指标"}, "indicators"),
    "I12": (baseline, {"indicators[1].name": "车辆购置完成数"}, "indicators[1].name"),
    "I13": (baseline, {"indicators[0].level2": "其他类"}, "indicators[0].level2"),
    "I14": (baseline, {"indicators[2].target": "=100% (2022年6月底前)"}, "indicators[2].target"),
    "I15": (baseline, {"indicators[0].target": "> =400场"}, "indicators[0].target"),
    "G01": (baseline, {"guarantees[2].document": ""}, "guarantees[2].document"),
    "G02": (baseline, {"guarantees[0].measures": None}, "guarantees[0].measures"),
    "G03": (baseline, {"guarantees[1].stages": []}, "guarantees[1].stages"),
}


@pytest.mark.parametrize(("code", "severity"), sorted(_spec_codes().items()))
def test_every_spec_code_with_its_severity(code: str, severity: str) -> None:
    factory, changes, field = ONE_EXAMPLE[code]
    if code == "P10":
        p, ctx = _twin()
    else:
        p, ctx = changed(factory(), changes), None
    assert_flagged(p, code, severity, field, context=ctx)


# The reference cases (validation.md, "What the reference cases must produce") -------------


def _case_projects() -> list[tuple[str, Project]]:
    return [
        (path.name, p)
        for path in sorted(CASES_DIR.glob("*.json"))
        for p in read_package_file(path).projects
    ]


def _case(file: str, name: str) -> Project:
    found = [p for f, p in _case_projects() if f == file and p.name == name]
    assert len(found) == 1, f"{name} not found once in {file}"
    return found[0]


def _row(p: Project, indicator: str) -> int:
    rows = [i for i, ind in enumerate(p.indicators) if ind.name == indicator]
    assert len(rows) == 1, f"{indicator} not found once in {p.name}"
    return rows[0]


SEED000 = "seed000-001-minhang-2020.json"
SEED003 = "seed003-open-2021.json"


def test_the_reference_cases_are_there() -> None:
    names = {f for f, _ in _case_projects()}
    assert {SEED000, SEED003} <= names


@pytest.mark.parametrize(
    ("file", "name"),
    [pytest.param(f, p.name, id=f"{f}:{p.name}") for f, p in _case_projects()],
)
def test_every_case_finding_is_a_spec_code_with_its_severity(file: str, name: str) -> None:
    codes = _known_codes()
    for finding in run(_case(file, name)):
        assert codes[finding.code] == finding.severity, finding
        assert_plain_chinese(finding)


def test_seed000_政府雇员项目_2020() -> None:
    p = _case(SEED000, "政府雇员项目")
    assert p.year == 2020
    found = run(p)
    i02 = with_code(found, "I02")
    assert len(i02) == 8
    assert {(f.severity, f.field) for f in i02} == {
        ("error", f"indicators[{i}].target") for i in range(8)
    }
    assert [(f.severity, f.field) for f in with_code(found, "P03")] == [("warning", "category")]
    assert not [f for f in found if f.code.startswith(("F", "B"))]


def test_seed000_政府雇员项目_breakdown_as_the_spec_says() -> None:
    p = _case(SEED000, "政府雇员项目")
    assert sum((r.amount for r in p.breakdown), Decimal(0)) == Decimal("22553852")  # type: ignore[misc]
    first = p.breakdown[0]
    assert first.item == "文职雇员_1"
    assert (first.unit_price, first.quantity) == (Decimal("115962"), Decimal("10"))


def test_seed000_后勤服务保障经费_i04_on_every_bare_90_percent_only() -> None:
    """``90%`` may mean = or ≥ (flagged); ``100%`` of a rate can only mean =100% (not)."""
    p = _case(SEED000, "区级机关工勤类雇员后勤服务保障经费")
    targets = [(ind.target or "").strip() for ind in p.indicators]
    bare_90 = [i for i, t in enumerate(targets) if t == "90%"]
    assert bare_90 and "100%" in targets
    i04 = with_code(run(p), "I04")
    assert {f.field for f in i04} == {f"indicators[{i}].target" for i in bare_90}
    assert {f.severity for f in i04} == {"warning"}


SEED003_FINDINGS = [
    ("党建经费", "党建培训工作完成及时率", "党建培训工作完成及时率", "I03", "error", None),
    ("党建经费", "活动组织事故发生数", "=0", "I05", "warning", None),
    ("法律顾问费", "工作人员满意度", "> 90%", "I15", "warning", "＞90%"),
    ("法律顾问费", "法律顾问专业度", "高", "I09", "warning", None),
    ("政府采购专家评审费", "评审会召开数", "> =400场", "I15", "warning", "≥400场"),
    ("政府雇员项目", "雇员岗位工作职责适应性", "高", "I09", "warning", None),
]


@pytest.mark.parametrize(
    ("project", "indicator", "written", "code", "severity", "suggestion"),
    [pytest.param(*row, id=f"{row[0]}:{row[3]}:{row[1]}") for row in SEED003_FINDINGS],
)
def test_seed003_findings(
    project: str, indicator: str, written: str, code: str, severity: str, suggestion: str | None
) -> None:
    p = _case(SEED003, project)
    row = _row(p, indicator)
    assert p.indicators[row].target == written  # the case keeps the value as written
    finding = assert_flagged(p, code, severity, f"indicators[{row}].target")
    assert indicator in finding.message
    if suggestion is not None:
        assert finding.suggestion == suggestion
        assert suggestion in finding.message


def test_seed003_bare_100_percent_of_a_rate_is_not_i04() -> None:
    p = _case(SEED003, "法律顾问费")
    row = _row(p, "法律服务工作完成率")
    assert p.indicators[row].target == "100%"
    assert not [f for f in run(p) if f.code == "I04"]


def test_seed003_车辆购置费_has_no_error() -> None:
    p = _case(SEED003, "车辆购置费")
    assert [f for f in run(p) if f.severity == "error"] == []


def test_p09_different_goals_are_judged_each() -> None:
    p = changed(baseline(), {"overall_goal": "完成目标任务。", "annual_goal": "做好相关工作。"})
    assert {f.field for f in with_code(run(p), "P09")} == {"overall_goal", "annual_goal"}
