"""Rules I19–I22 (docs/rules.md, "Reviewer checks"): what a 区财政局 reviewer sends back.

Every rule is a warning on a strong signal. Each has flagged examples (the real ones of
``shared/cases`` and invented ones of other districts and project types) and, as the
precision guard, rows that must pass: the reference cases' rows, and plausible rows of
培训, 信息系统运维, 政府购买服务, 补贴发放 and 维修工程 projects.
"""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest
from rule_helpers import (
    CASES_DIR,
    D,
    assert_plain_chinese,
    baseline,
    minhang_baseline,
    run,
    with_code,
)

from desktop.export.package import read_package_file
from desktop.models.project import Indicator, Project
from desktop.models.rules import Finding, RuleSettings
from desktop.models.rules.base import DEFAULT_ACCEPTED_WORDS

SEED000 = CASES_DIR / "seed000-001-minhang-2020.json"
SEED003 = CASES_DIR / "seed003-open-2021.json"
SONGJIANG = Path(__file__).parent / "fixtures" / "songjiang-2020.json"
REVIEW = ("I19", "I20", "I21", "I22")


def _case(path: Path, name: str) -> Project:
    found = [p for p in read_package_file(path).projects if p.name == name]
    assert len(found) == 1, name
    return found[0]


def _row(p: Project, name: str) -> int:
    rows = [i for i, ind in enumerate(p.indicators) if ind.name == name]
    assert len(rows) == 1, name
    return rows[0]


def _with(*rows: Indicator, base: Project | None = None) -> tuple[Project, int]:
    """The clean baseline with rows added at the end; the index of the first added."""
    p = base or baseline()
    first = len(p.indicators)
    p.indicators.extend(rows)
    return p, first


def _review(p: Project) -> list[Finding]:
    found = [f for f in run(p) if f.code in REVIEW]
    for f in found:
        assert f.severity == "warning", f
        assert_plain_chinese(f)
    return found


def _at(found: list[Finding], code: str, field: str) -> Finding:
    hits = [f for f in found if f.code == code and f.field == field]
    assert len(hits) == 1, [(f.code, f.field) for f in found]
    return hits[0]


def test_the_baselines_raise_none() -> None:
    assert _review(baseline()) == []
    assert _review(minhang_baseline()) == []


# I19 misfiled rows ----------------------------------------------------------------

# (level1, level2 as written, name, target, the 二级 the message must offer)
I19_FLAGGED = [
    ("产出指标", "时效指标", "成本控制有效性", "有效", "成本指标"),
    ("产出指标", "质量指标", "雇员工作完成及时率", "=100%", "时效指标"),
    ("产出指标", "数量指标", "雇员薪酬核算准确率", "=100%", "质量指标"),
    ("效益指标", "社会效益指标", "机关工作人员满意度", "≥90%", "服务对象满意度指标"),
    ("产出指标", "成本指标", "参训学员满意率", "≥95%", "服务对象满意度指标"),
    ("满意度指标", "服务对象满意度指标", "长效管理制度健全性", "健全", "可持续影响指标"),
    ("满意度指标", "服务对象满意度指标", "运维管理机制", "健全", "可持续影响指标"),
    ("满意度指标", "服务对象满意度指标", "政策知晓率", "≥90%", "社会效益指标"),
    ("满意度指标", "服务对象满意度指标", "宣传覆盖率", "=100%", "社会效益指标"),
    ("产出指标", "数量指标", "补贴发放及时性", "及时", "时效指标"),
    ("产出指标", "成本指标", "维修工程完成时限", "≤90天", "时效指标"),
    ("产出指标", "质量指标", "培训课程完成时间", "6月底前", "时效指标"),
    ("产出指标", "时效指标", "系统故障修复合格率", "≥98%", "质量指标"),
    ("产出指标", "成本指标", "资金使用合规性", "合规", "质量指标"),
    ("产出指标", "数量指标", "维修工程验收通过率", "=100%", "质量指标"),
    ("产出指标", "质量指标", "培训人次", "≥500人次", "数量指标"),
    ("产出指标", "质量指标", "政府购买服务覆盖户数", "≥1200户", "数量指标"),
    ("产出指标", "成本指标", "系统巡检次数", "=12次", "数量指标"),
    ("产出指标", "数量指标", "人均培训费用", "≤500元/人", "成本指标"),
    ("产出指标", "质量指标", "单位面积维修成本", "≤800元/平方米", "成本指标"),
    ("产出指标", "时效指标", "运维服务单价", "≤4500元", "成本指标"),
    ("产出指标", "时效指标", "项目总投入", "≤130000元", "成本指标"),
]


@pytest.mark.parametrize(
    ("level1", "level2", "name", "target", "offered"),
    [pytest.param(*row, id=f"{row[2]}@{row[1]}") for row in I19_FLAGGED],
)
def test_i19_flagged(level1: str, level2: str, name: str, target: str, offered: str) -> None:
    p, i = _with(Indicator(level1, level2, name, target))
    hit = _at(_review(p), "I19", f"indicators[{i}].level2")
    assert f"第 {i + 1} 行指标“{name}”" in hit.message
    assert f"“{level2}”" in hit.message and f"改为“{offered}”" in hit.message


# Rows filed where they belong, or where the signal is too weak to say.
I19_PASSES = [
    ("产出指标", "数量指标", "完成率", "=100%"),
    ("产出指标", "质量指标", "培训计划完成率", "=100%"),
    ("产出指标", "时效指标", "运维工作完成率", "=100%"),
    ("产出指标", "数量指标", "党建活动参与率", "=100%"),
    ("产出指标", "数量指标", "新购车辆纳管率", "=100%"),
    ("产出指标", "数量指标", "一车一档工作完成率", "=100%"),
    ("产出指标", "质量指标", "食品安全事故发生数", "=0起"),
    ("产出指标", "质量指标", "安全生产事故次数", "=0次"),
    ("产出指标", "质量指标", "有效投诉次数", "≤2次"),
    ("产出指标", "质量指标", "培训考核合格人数", "≥180人"),
    ("产出指标", "质量指标", "市级示范点创建数", "≥2个"),
    ("产出指标", "质量指标", "空气质量优良天数", "≥300天"),
    ("产出指标", "质量指标", "系统正常运行率", "≥99%"),
    ("产出指标", "质量指标", "故障响应时间", "≤2小时"),
    ("产出指标", "质量指标", "补贴发放标准", "=1000元/人"),
    ("产出指标", "数量指标", "补贴发放金额", "=1300000元"),
    ("产出指标", "时效指标", "补贴发放及时准确率", "=100%"),
    ("产出指标", "成本指标", "预算执行率", "≥95%"),
    ("产出指标", "成本指标", "人均培训成本", "≤500元/人"),
    ("效益指标", "社会效益指标", "拨付准确率", "=100%"),
    ("效益指标", "社会效益指标", "政策知晓率", "≥90%"),
    ("效益指标", "可持续影响指标", "运维管理长效机制健全性", "健全"),
    ("满意度指标", "服务对象满意度指标", "群众对服务的满意情况", "满意"),
    ("满意度指标", "服务对象满意度指标", "有效投诉率", "≤1%"),
]


@pytest.mark.parametrize(
    ("level1", "level2", "name", "target"),
    [pytest.param(*row, id=f"{row[2]}@{row[1]}") for row in I19_PASSES],
)
def test_i19_passes(level1: str, level2: str, name: str, target: str) -> None:
    p, _ = _with(Indicator(level1, level2, name, target))
    assert with_code(_review(p), "I19") == []


def test_i19_a_trailing_remark_does_not_hide_the_ending() -> None:
    p, i = _with(Indicator("产出指标", "质量指标", "雇员工作完成及时率（按月）", "=100%"))
    assert _at(_review(p), "I19", f"indicators[{i}].level2")


def test_i19_speaks_the_minhang_forms_words() -> None:
    p, i = _with(
        Indicator("产出目标", "质量", "雇员工作完成及时率", "=100%"), base=minhang_baseline()
    )
    hit = _at(_review(p), "I19", f"indicators[{i}].level2")
    assert "二级目标“质量”" in hit.message and "改为“时效”" in hit.message
    assert "时效指标" not in hit.message


def test_i19_names_the_1st_level_when_it_changes_too() -> None:
    p, i = _with(Indicator("效益指标", "社会效益指标", "来访群众满意度", "≥90%"))
    hit = _at(_review(p), "I19", f"indicators[{i}].level2")
    assert "一级指标为“满意度指标”" in hit.message
    p, i = _with(Indicator("产出指标", "质量指标", "培训人次", "≥500人次"))
    assert "一级指标" not in _at(_review(p), "I19", f"indicators[{i}].level2").message


def test_i19_cost_goes_where_the_2025_framework_files_it() -> None:
    p, i = _with(Indicator("产出指标", "时效指标", "成本控制有效性", "有效"))
    p.year, p.start_date, p.end_date = 2025, None, None
    hit = _at(_review(p), "I19", f"indicators[{i}].level2")
    assert "改为“经济成本指标”（一级指标为“成本指标”）" in hit.message


def test_i19_on_the_reference_cases() -> None:
    car = _case(SEED003, "车辆购置费")
    found = with_code(_review(car), "I19")
    assert [f.field for f in found] == [f"indicators[{_row(car, '成本控制有效性')}].level2"]
    assert "时效指标" in found[0].message and "成本指标" in found[0].message

    staff = _case(SEED003, "政府雇员项目")
    found = with_code(_review(staff), "I19")
    assert {f.field for f in found} == {
        f"indicators[{_row(staff, '雇员工作完成及时率')}].level2",
        f"indicators[{_row(staff, '雇员薪酬核算准确率')}].level2",
    }

    logistics = _case(SEED000, "区级机关工勤类雇员后勤服务保障经费")
    [hit] = with_code(_review(logistics), "I19")
    assert hit.field == f"indicators[{_row(logistics, '机关工作人员满意度')}].level2"
    assert "社会效益目标" in hit.message and "改为“满意度”" in hit.message

    jobs = _case(SONGJIANG, "创业就业")
    assert {f.field for f in with_code(_review(jobs), "I19")} == {
        f"indicators[{_row(jobs, n)}].level2"
        for n in ("扶持对象满意度", "长效管理制度健全性", "长效管理执行有效性")
    }


@pytest.mark.parametrize(
    "name", ["党建经费", "法律顾问费", "后勤保障经费", "政府采购专家评审费", "政府投资计划项目2"]
)
def test_i19_silent_on_the_other_reference_projects(name: str) -> None:
    assert with_code(_review(_case(SEED003, name)), "I19") == []


# I20 trivial targets ---------------------------------------------------------------

I20_FLAGGED = [
    ("产出指标", "数量指标", "培训人数", "≥0人", "都能达到"),
    ("产出指标", "数量指标", "巡检次数", "＞0次", "都能达到"),
    ("产出指标", "质量指标", "系统故障修复率", ">=0%", "都能达到"),
    ("产出指标", "质量指标", "验收合格率", "≥100%", "=100%"),
    ("效益指标", "社会效益指标", "宣传覆盖率", "≥100%", "=100%"),
    ("满意度指标", "服务对象满意度指标", "参训学员满意度", "＞100%", "=100%"),
    ("产出指标", "质量指标", "档案管理规范性", "=100%", "“性”"),
    ("产出指标", "时效指标", "后勤服务保障工作完成情况", "100%", "“情况”"),
    ("效益指标", "社会效益指标", "业务能力提升", "≥90%", "“提升”"),
    ("效益指标", "社会效益指标", "系统运行效果", "=100%", "“效果”"),
    ("产出指标", "数量指标", "聘请法律顾问人数", "≥1人", "1 人"),
    ("产出指标", "数量指标", "驻场运维人员", "≥1人/年", "1 人/年"),
]


@pytest.mark.parametrize(
    ("level1", "level2", "name", "target", "said"),
    [pytest.param(*row, id=f"{row[2]} {row[3]}") for row in I20_FLAGGED],
)
def test_i20_flagged(level1: str, level2: str, name: str, target: str, said: str) -> None:
    p, i = _with(Indicator(level1, level2, name, target))
    hit = _at(_review(p), "I20", f"indicators[{i}].target")
    assert name in hit.message and target in hit.message and said in hit.message


def test_i20_offers_equal_100_keeping_the_note() -> None:
    p, i = _with(Indicator("产出指标", "质量指标", "验收合格率", "≥100% (2021年12月底前)"))
    hit = _at(_review(p), "I20", f"indicators[{i}].target")
    assert hit.suggestion == "=100% (2021年12月底前)"


I20_PASSES = [
    ("产出指标", "质量指标", "验收合格率", "=100%"),
    ("产出指标", "质量指标", "设施设备完好率", "≥95%"),
    ("产出指标", "数量指标", "计划完成率", "≥100%"),
    ("产出指标", "成本指标", "预算执行率", "≥100%"),
    ("效益指标", "经济效益指标", "营业收入增长率", "≥0%"),
    ("效益指标", "经济效益指标", "能耗节约额", "≥0元"),
    ("产出指标", "质量指标", "系统可用性", "≥99.9%"),
    ("产出指标", "质量指标", "安全事故发生数", "=0起"),
    ("产出指标", "质量指标", "投诉数", "≤0件"),
    ("产出指标", "数量指标", "聘请法律顾问人数", "=1人"),
    ("产出指标", "数量指标", "应急演练次数", "≥1次"),
    ("产出指标", "数量指标", "培训人数", "≥200人"),
    ("产出指标", "质量指标", "档案管理规范性", "规范"),
]


@pytest.mark.parametrize(
    ("level1", "level2", "name", "target"),
    [pytest.param(*row, id=f"{row[2]} {row[3]}") for row in I20_PASSES],
)
def test_i20_passes(level1: str, level2: str, name: str, target: str) -> None:
    p, _ = _with(Indicator(level1, level2, name, target))
    assert with_code(_review(p), "I20") == []


def test_i20_leaves_a_low_satisfaction_floor_to_i07() -> None:
    p, i = _with(Indicator("满意度指标", "服务对象满意度指标", "居民满意度", "≥0%"))
    found = run(p)
    assert with_code(found, "I20") == []
    assert [f.field for f in with_code(found, "I07")] == [f"indicators[{i}].target"]


def test_i20_on_the_reference_cases() -> None:
    logistics = _case(SEED000, "区级机关工勤类雇员后勤服务保障经费")
    [hit] = with_code(_review(logistics), "I20")
    assert hit.field == f"indicators[{_row(logistics, '后勤服务保障工作完成情况')}].target"
    for p in read_package_file(SEED003).projects:
        assert with_code(_review(p), "I20") == [], p.name


# I21 numbers that contradict each other ----------------------------------------------


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("培训人数200人", "≥150人"),
        ("质量达标率100%", "≥95%"),
        ("年度巡检12次", "=10次"),
        ("补贴发放1300人", "=1200人"),
    ],
)
def test_i21_a_name_stating_another_value(name: str, target: str) -> None:
    p, i = _with(Indicator("产出指标", "数量指标", name, target))
    hit = _at(_review(p), "I21", f"indicators[{i}].target")
    assert name in hit.message and target in hit.message


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("培训人数200人", "=200人"),
        ("质量达标率100%", "=100%"),
        ("每月1次巡检完成数", "=12次"),
        ("前3名获奖人数", "=3人"),
        ("系统7×24小时运行保障率", "≥99%"),
        ("2小时内响应率", "=100%"),
        ("12345热线工单办结率", "=100%"),
        ("5G基站建设数", "=30个"),
        ("G60科创走廊企业服务数", "≥50家"),
        ("6个月内完成率", "=100%"),
    ],
)
def test_i21_names_without_a_contradicting_value(name: str, target: str) -> None:
    p, _ = _with(Indicator("产出指标", "数量指标", name, target))
    assert with_code(_review(p), "I21") == []


def test_i21_a_part_equal_to_its_whole() -> None:
    p, i = _with(
        Indicator("产出指标", "数量指标", "培训人次", "≥500人次"),
        Indicator("产出指标", "数量指标", "党员培训人次", "≥500人次"),
    )
    hit = _at(_review(p), "I21", f"indicators[{i + 1}].target")
    assert "党员培训人次" in hit.message and f"第 {i + 1} 行指标“培训人次”" in hit.message
    assert len(with_code(_review(p), "I21")) == 1


@pytest.mark.parametrize(
    ("whole", "part"),
    [
        pytest.param(("培训人次", "≥500人次"), ("党员培训人次", "≥300人次"), id="another number"),
        pytest.param(("培训人次", "≥500人次"), ("党员培训人数", "≥500人"), id="another unit"),
        pytest.param(("活动组织完成数", "≥3次"), ("党建培训工作完成数", "≥3次"), id="no part"),
        pytest.param(("事故发生数", "=0起"), ("重大事故发生数", "=0起"), id="zero"),
        pytest.param(("覆盖率", "=100%"), ("社区覆盖率", "=100%"), id="rates"),
    ],
)
def test_i21_part_and_whole_that_pass(whole: tuple[str, str], part: tuple[str, str]) -> None:
    p, _ = _with(
        Indicator("产出指标", "数量指标", *whole), Indicator("产出指标", "数量指标", *part)
    )
    assert with_code(_review(p), "I21") == []


def _subsidy(annual: str, price: str, people: str) -> tuple[Project, int]:
    p, i = _with(
        Indicator("产出指标", "成本指标", "人均补贴标准", price),
        Indicator("产出指标", "数量指标", "补贴发放人数", people),
    )
    p.funding.annual = D(annual)
    return p, i


def test_i21_unit_cost_times_quantity_against_the_annual_amount() -> None:
    p, i = _subsidy("1500000", "=1000元/人", "=1300人")
    hit = _at(_review(p), "I21", f"indicators[{i}].target")
    assert "1,300,000.00" in hit.message and "1,500,000.00" in hit.message
    assert "年度资金申请总额" in hit.message and "补贴发放人数" in hit.message
    p, i = _subsidy("300000", "≤0.05万元/人", "=200人")  # 500 元 × 200 = 100,000
    hit = _at(_review(p), "I21", f"indicators[{i}].target")
    assert "100,000.00" in hit.message and "67%" in hit.message


def test_i21_unit_cost_within_ten_percent_passes() -> None:
    for annual in ("1300000", "1400000", "1200000"):
        p, _ = _subsidy(annual, "=1000元/人", "=1300人")
        assert with_code(_review(p), "I21") == [], annual
    p, _ = _subsidy("100000", "≤0.05万元/人", "=200人")
    assert with_code(_review(p), "I21") == []


def test_i21_unit_cost_only_when_one_pair_is_unambiguous() -> None:
    p, _ = _subsidy("1500000", "=1000元/人", "=1300人")
    p.indicators.append(Indicator("产出指标", "数量指标", "培训人数", "=40人"))
    assert with_code(_review(p), "I21") == []
    p, _ = _subsidy("0", "=1000元/人", "=1300人")
    assert with_code(_review(p), "I21") == []


def test_i21_silent_on_every_reference_case() -> None:
    for path in (SEED000, SEED003, SONGJIANG):
        for p in read_package_file(path).projects:
            assert with_code(_review(p), "I21") == [], p.name


# I22 verb-only targets ---------------------------------------------------------------

I22_SEED003 = [
    ("政府采购专家评审费", "提升政府采购效能", "提升"),
    ("政府投资计划项目2", "促进便民服务更好发展", "促进"),
    ("政府雇员项目", "保障雇员切身利益", "保障"),
    ("车辆购置费", "满足机关公务用车需求", "满足"),
    ("党建经费", "发挥党员模范带头作用", "发挥"),
    ("党建经费", "丰富党员业余文化生活", "丰富"),
]


@pytest.mark.parametrize(("project", "name", "word"), I22_SEED003)
def test_i22_on_seed003(project: str, name: str, word: str) -> None:
    p = _case(SEED003, project)
    row = _row(p, name)
    assert p.indicators[row].target == word
    found = run(p)
    hit = _at(found, "I22", f"indicators[{row}].target")
    assert hit.severity == "warning" and name in hit.message and f"“{word}”" in hit.message
    assert "达标" in hit.message  # says what a checkable target looks like
    assert [f for f in found if f.code == "I09" and f.field == hit.field] == []


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("有效保障日常工作开展", "保障"),
        ("进一步提高培训质量", "提高"),
        ("减少纸质文件使用", "减少"),
        ("信息化管理水平提升", "提升"),
        ("促进补贴对象就业创业", "促进"),
    ],
)
def test_i22_flagged(name: str, word: str) -> None:
    p, i = _with(Indicator("效益指标", "社会效益指标", name, word))
    assert _at(_review(p), "I22", f"indicators[{i}].target")


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("系统运行稳定性", "稳定"),
        ("确保后勤运维安全", "安全"),
        ("车辆管理长效机制健全性", "健全"),
        ("公务用车需求满足程度", "满足"),
        ("工作效率提升度", "提升"),
        ("提升政府采购效能", "达标"),
        ("提升", "提升"),  # the name itself: I03's
        ("提升服务质量", "提升 (较上年提高5%)"),
    ],
)
def test_i22_passes(name: str, word: str) -> None:
    p, _ = _with(Indicator("效益指标", "社会效益指标", name, word))
    assert with_code(_review(p), "I22") == []


def test_i22_leaves_a_word_outside_the_accepted_list_to_i09() -> None:
    p, i = _with(Indicator("效益指标", "社会效益指标", "提升政府采购效能", "提升"))
    settings = RuleSettings.from_dict(
        {"accepted_words": [w for w in DEFAULT_ACCEPTED_WORDS if w != "提升"]}
    )
    found = run(p, settings)
    field = f"indicators[{i}].target"
    assert [f.code for f in found if f.field == field] == ["I09"]


# Speed and safety --------------------------------------------------------------------


def test_long_text_stays_linear() -> None:
    """No pattern backtracks: pathological names, targets and goals are read at once."""
    p = baseline()
    p.overall_goal = "1" * 20_000 + "、" + "十" * 20_000
    p.annual_goal = "2021年" * 5_000
    p.indicators = [
        Indicator("产出指标", "质量指标", "数" * 5_000 + "及时率", "≥" + "1" * 300 + "人"),
        Indicator("产出指标", "数量指标", "1" * 5_000 + "人", "=" + "2" * 300 + "人"),
        Indicator("效益指标", "社会效益指标", "提升" * 5_000, "提升"),
    ] * 20
    start = time.perf_counter()
    run(p)
    assert time.perf_counter() - start < 1.0


def test_numbers_are_decimals_not_floats() -> None:
    p, i = _subsidy("1300000.01", "=0.1万元/人", "=1300人")
    assert with_code(_review(p), "I21") == []
    assert Decimal("0.1") * 10_000 * 1300 == Decimal("1300000.0")
