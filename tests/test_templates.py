"""Templates by project type: what a new project from a template holds, and that it cannot be 定稿'd unfilled."""

from __future__ import annotations

import importlib.util
import re
import sys

import pytest
from conftest import REPO, case_projects
from rule_helpers import baseline, minhang_baseline

from desktop.models import taxonomy as tx
from desktop.models.fill_in import FILL_IN_MARK, has_fill_in
from desktop.models.labels import CATEGORY_CHOICES
from desktop.models.project import (
    FAMILIES,
    GUARANTEE_FAMILIES,
    STAGES,
    STANDARD_GUARANTEE_KINDS,
    Project,
)
from desktop.models.rules import validate
from desktop.models.templates import TEMPLATES, new_from_template, template_choices

KINDS = (
    "信息系统运维",
    "政府购买服务",
    "维修工程/基本建设",
    "车辆购置",
    "党建经费",
    "法律顾问",
    "培训",
    "补贴发放",
)
PLACEHOLDER_CODES = {"P11", "I08"}


def _all_cases() -> list[tuple[str, str]]:
    return [(key, family) for key in TEMPLATES for family in FAMILIES]


def test_the_issue_s_kinds_are_offered_with_a_description() -> None:
    names = [name for _key, name, _description in template_choices()]
    assert set(KINDS) <= set(names)
    for key, name, description in template_choices():
        template = TEMPLATES[key]
        assert template.name == name and 10 <= len(description) <= 60
        assert all(template.category in CATEGORY_CHOICES[f] for f in FAMILIES)


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_indicator_sets_use_canonical_levels_and_cover_what_the_rules_ask(key: str) -> None:
    rows = TEMPLATES[key].indicators
    for row in rows:
        assert row.level1 in tx.LEVEL1 and row.level2 in tx.LEVEL2[row.level1], row
    assert {row.level1 for row in rows} >= {tx.OUTPUT, tx.BENEFIT, tx.SATISFACTION}  # I10
    assert {row.level2 for row in rows} >= {tx.QUANTITY, tx.QUALITY, tx.TIMELINESS}  # I11
    assert len({row.name for row in rows}) == len(rows)  # I12


@pytest.mark.parametrize(("key", "family"), _all_cases())
def test_a_new_project_prints_the_levels_in_its_family_s_words(key: str, family: str) -> None:
    p = new_from_template(key, 2022, "测试项目", family)
    template = TEMPLATES[key]
    assert (p.year, p.name, p.family, p.category) == (2022, "测试项目", family, template.category)
    assert len(p.indicators) == len(template.indicators)
    for row, source in zip(p.indicators, template.indicators, strict=True):
        placement = tx.Placement(source.level1, source.level2)
        assert row.level1 == tx.printed_level1(family, placement)
        assert row.level2 == tx.printed_level2(family, placement)
        assert tx.place(row.level1, row.level2) == placement  # read back to the same place
        assert (row.name, row.target) == (source.name, source.target)
        assert (row.note is not None) == (family == "minhang-2020")  # 备注 only where printed
    if family in GUARANTEE_FAMILIES:
        assert [g.kind for g in p.guarantees] == list(STANDARD_GUARANTEE_KINDS)
        assert all(g.measures and g.stages == list(STAGES) and not g.document for g in p.guarantees)


def test_minhang_words_for_the_it_template() -> None:
    p = new_from_template("it-maintenance", 2022, "系统运维", "minhang-2020")
    words = {(r.level1, r.level2) for r in p.indicators}
    assert ("产出目标", "数量") in words and ("影响力目标", "满意度") in words
    assert ("影响力目标", "可持续影响") in words and ("效果目标", "社会效益") in words
    assert p.main_activity and p.overview and p.establishment  # the 闵行 outline
    assert FILL_IN_MARK in p.main_activity and "必要性" in p.establishment


def test_the_outline_fills_only_what_the_family_s_form_has() -> None:
    p = new_from_template("it-maintenance", 2022, "系统运维", "shanghai-2021")
    assert p.overall_goal and p.annual_goal
    assert (p.overview, p.establishment, p.main_activity) == (None, None, None)
    assert new_from_template("it-maintenance", 2022, "x", "shanghai-2020").overview


@pytest.mark.parametrize(("key", "family"), _all_cases())
def test_every_mark_is_an_error_on_its_own_field_and_nothing_else_is(key: str, family: str) -> None:
    p = new_from_template(key, 2022, "测试项目", family)
    findings = validate(p)
    errors = [f for f in findings if f.is_error]
    assert errors, "a template must not be 定稿-able as it is"
    assert {f.code for f in errors} <= PLACEHOLDER_CODES
    texts = ("overall_goal", "annual_goal", "overview", "establishment", "main_activity")
    marked = {k for k in texts if has_fill_in(getattr(p, k))}
    marked |= {
        f"indicators[{i}].target" for i, r in enumerate(p.indicators) if has_fill_in(r.target)
    }
    assert {f.field for f in errors} == marked
    for f in errors:
        assert "【请填写…】" in f.message and ("替换" in f.message or "请填写实际" in f.message)
    # the clerk replaces every mark: nothing blocks 定稿 any more
    fill = re.compile(r"【请填写[^】]*】")
    for k in ("overall_goal", "annual_goal", "overview", "establishment", "main_activity"):
        if getattr(p, k):
            setattr(p, k, fill.sub("3", getattr(p, k)))
    for row in p.indicators:
        row.target = fill.sub("3", row.target or "")
    assert [f for f in validate(p) if f.is_error] == []


def test_unknown_template_key() -> None:
    with pytest.raises(KeyError):
        new_from_template("no-such-kind", 2022, "x", "shanghai-2021")


def test_templates_rest_on_the_real_declarations() -> None:
    """The kinds the cases declare have a template whose indicator levels agree with them."""
    by_name = {p.name: p for p in case_projects() if p.year == 2021}
    pairs = {
        "区机关单位办公用房与公务用车信息管理系统(2021运维)": "it-maintenance",
        "车辆购置费": "vehicle",
        "党建经费": "party-building",
        "法律顾问费": "legal-counsel",
        "政府采购专家评审费": "expert-review",
        "政府雇员项目": "employees",
    }
    for case_name, key in pairs.items():
        case = by_name[case_name]
        template = TEMPLATES[key]
        case_levels = {tx.place(r.level1, r.level2).level2 for r in case.indicators}
        assert {r.level2 for r in template.indicators} - {tx.COST} <= case_levels | {tx.COST}
        shared = {r.target for r in case.indicators} & {r.target for r in template.indicators}
        assert shared, case_name  # the usual target values come from the real tables


# ---------------------------------------------------------------- the rule extension


def test_p11_a_mark_left_in_a_goal_is_an_error_naming_the_field() -> None:
    p = baseline()
    p.overall_goal = "保障【请填写系统名称】全年稳定运行，本年运维12次。"
    found = [f for f in validate(p) if f.field == "overall_goal"]
    assert [(f.code, f.severity) for f in found] == [("P11", "error")]
    assert found[0].message.startswith("项目总目标中还有模板的“【请填写…】”提示")


def test_p11_half_deleted_mark_and_the_minhang_fields() -> None:
    p = minhang_baseline()
    p.main_activity = "对请填写系统名称】开展运维"
    p.establishment = "必要性：【请填写"
    fields = {f.field for f in validate(p) if f.code == "P11"}
    assert fields == {"main_activity", "establishment"}
    messages = {f.message for f in validate(p) if f.code == "P11"}
    assert any(m.startswith("主体活动（作业、任务）") for m in messages)


def test_p11_ignores_fields_the_family_s_form_does_not_have() -> None:
    p = baseline()  # shanghai-2021: no 项目概况, no 主体活动
    p.overview = "【请填写项目背景】"
    p.main_activity = "【请填写】"
    assert not [f for f in validate(p) if f.code == "P11"]


def test_i08_a_mark_in_a_target_or_a_name() -> None:
    p = baseline()
    p.indicators[0].target = "=【请填写数量】部"
    p.indicators[1].name = "【请填写指标名称】"
    found = {(f.code, f.field) for f in validate(p) if f.is_error}
    assert ("I08", "indicators[0].target") in found
    assert ("I08", "indicators[1].name") in found
    # a mark is not also read as a wordy target (I09) or an unmeasurable goal (P09)
    assert not [f for f in validate(p) if f.field == "indicators[0].target" and f.code != "I08"]
    p.annual_goal = "【请填写年度目标】"
    assert [f.code for f in validate(p) if f.field == "annual_goal"] == ["P11"]


# ---------------------------------------------------------------- keystrokes


def _keystrokes():
    spec = importlib.util.spec_from_file_location(
        "keystrokes", REPO / "benchmarks" / "keystrokes.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["keystrokes"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_it_template_saves_keystrokes_on_the_real_it_declaration(capsys) -> None:
    ks = _keystrokes()
    scratch, template = ks.measure()
    # measured: 494 from scratch, 326 from the template (66%); the goals are prose of the unit's own
    assert template.total < 0.7 * scratch.total
    assert template.sections["绩效指标"] < 0.4 * scratch.sections["绩效指标"]
    assert capsys.readouterr().out == ""
    # A unit's second project takes 主管部门/实施单位 from its first: fewer still.
    assert ks.measure_with_unit_details().total < template.total


def test_the_counting_rule() -> None:
    ks = _keystrokes()
    assert ks.change_cost("", "=12次") == 1 + 4  # navigate, type
    assert ks.change_cost("=12次", "=12次") == 0
    assert ks.change_cost("系统运维完成数", "区系统运维完成数") == 1 + 1 + 1  # nav, cursor, 区
    assert ks.change_cost("=100%", "≥95%") == 1 + min(1 + 4, 1 + 1 + 1 + 1 + 1 + 1)
    assert ks.change_cost(None, "产出指标", "pick") == 1 + 2
    assert ks.change_cost("abc", None) == 1 + 2  # select all, Delete


def test_unit_details_fill_only_blank_fields_the_form_shows() -> None:
    from desktop.models.templates import carry_unit_details

    latest = Project(year=2021, name="党建经费", template="minhang-2020")
    latest.department, latest.unit, latest.leader = "区机关事务管理局", "区机关事务管理局", "王芳"
    latest.contact, latest.phone = "李强", "64120000"
    new = new_from_template("it-maintenance", 2022, "办公系统运维", "shanghai-2021")
    new.leader = "已填"
    filled = carry_unit_details(new, latest)
    # The 2021 form shows 主管部门 and 实施单位 but no 负责人/联系人/电话.
    assert filled == ("department", "unit")
    assert (new.department, new.unit, new.leader, new.contact) == (
        "区机关事务管理局",
        "区机关事务管理局",
        "已填",
        None,
    )
    minhang = new_from_template("party-building", 2022, "党建经费", "minhang-2020")
    minhang.contact = "张明"
    assert carry_unit_details(minhang, latest) == ("unit", "leader", "phone")
    assert (minhang.contact, minhang.phone) == ("张明", "64120000")
