"""Rules P12 (项目类别 against the project's nature) and P13 (an indicator set copied from
another project of the same 单位 and 年度), with the store and ``check`` keeping P13 current.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import write_package
from rule_helpers import (
    CASES_DIR,
    assert_flagged,
    assert_not_flagged,
    baseline,
    changed,
    minhang_baseline,
    run,
    with_code,
)

from desktop.cli import main
from desktop.export.package import project_to_dict, read_package_file
from desktop.models.project import Indicator, Project
from desktop.models.rules import Context, counts, key_of, validate
from desktop.store import open_repository

SEED003 = CASES_DIR / "seed003-open-2021.json"


def _case(name: str) -> Project:
    [p] = [p for p in read_package_file(SEED003).projects if p.name == name]
    return p


# P12 ------------------------------------------------------------------------------


def test_p12_seed003_a_maintenance_year_filed_as_one_off() -> None:
    p = _case("区机关单位办公用房与公务用车信息管理系统(2021运维)")
    assert p.category == "一次性项目"
    hit = assert_flagged(p, "P12", "warning", "category")
    assert "项目类别" in hit.message and "运维" in hit.message and "经常性项目" in hit.message


def test_p12_seed003_a_final_payment_filed_as_recurring() -> None:
    p = _case("政府投资计划项目2")
    assert p.category == "经常性项目"
    hit = assert_flagged(p, "P12", "warning", "category")
    assert "尾款" in hit.message and "一次性项目" in hit.message


@pytest.mark.parametrize(
    "name",
    ["车辆购置费", "党建经费", "法律顾问费", "后勤保障经费", "政府采购专家评审费", "政府雇员项目"],
)
def test_p12_silent_on_the_other_seed003_projects(name: str) -> None:
    assert_not_flagged(_case(name), "P12")


# (name, category, goal) flagged; the word the message must quote.
P12_FLAGGED = [
    ("区政务服务中心物业管理费", "一次性项目", None, "物业"),
    ("机关食堂保洁服务", "一次性项目", None, "保洁"),
    ("街道社区工作者薪酬", "一次性项目", None, "薪酬"),
    ("档案数字化系统日常维护", "一次性项目", None, "日常"),
    ("信息平台服务费", "一次性项目", "用于平台全年运维及技术支持。", "运维"),
    ("机关办公楼新建工程", "经常性项目", None, "新建"),
    ("老旧小区综合改造", "经常性项目", None, "改造"),
    ("会议中心装修", "经常性项目", None, "装修"),
    ("社区卫生服务站修缮", "经常性项目", None, "修缮"),
    ("食堂改扩建工程尾款", "经常性项目", None, "扩建"),
    ("基础设施建设项目", "经常性项目", "工程已竣工，本年支付工程尾款130000元。", "尾款"),
]


@pytest.mark.parametrize(
    ("name", "category", "goal", "word"),
    [pytest.param(*row, id=row[0]) for row in P12_FLAGGED],
)
def test_p12_flagged(name: str, category: str, goal: str | None, word: str) -> None:
    changes: dict[str, object] = {"name": name, "category": category}
    if goal:
        changes["annual_goal"] = goal
    hit = assert_flagged(changed(baseline(), changes), "P12", "warning", "category")
    assert f"“{word}”" in hit.message and f"“{category}”" in hit.message


P12_PASSES = [
    ("车辆购置费", "一次性项目", None),
    ("车辆购置费", "经常性项目", None),  # many units buy cars every year: 购置 says nothing
    ("后勤保障经费", "经常性项目", None),
    ("办公设备购置", "经常性项目", None),
    ("一次性求职创业补贴", "经常性项目", None),
    ("信息系统开发及运维", "一次性项目", None),  # both sides said: silent
    ("办公楼物业及维修改造", "经常性项目", None),
    ("机关办公楼新建工程", "一次性项目", None),
    ("区机关单位信息系统(2021运维)", "经常性项目", None),
    ("区机关单位信息系统(2021运维)", "阶段性项目", None),
    ("区机关单位信息系统(2021运维)", None, None),  # P03's
    ("法律顾问费", "一次性项目", "聘请法律顾问，提供法律咨询。"),
]


@pytest.mark.parametrize(
    ("name", "category", "goal"),
    [pytest.param(*row, id=f"{row[0]} {row[1]}") for row in P12_PASSES],
)
def test_p12_passes(name: str, category: str | None, goal: str | None) -> None:
    changes: dict[str, object] = {"name": name, "category": category}
    if goal:
        changes["annual_goal"] = changes["overall_goal"] = goal
    assert_not_flagged(changed(baseline(), changes), "P12")


def test_p12_only_where_the_form_has_a_category() -> None:
    p = changed(minhang_baseline(), {"category": "一次性项目"})  # 政府雇员项目: 雇员
    assert_flagged(p, "P12", "warning", "category")
    p.template = "shanghai-2020"  # no 项目类别 on the 2020 上海 table
    assert_not_flagged(p, "P12")


# P13 ------------------------------------------------------------------------------

PARTY = [
    ("产出指标", "数量指标", "活动组织完成数", "≥3次"),
    ("产出指标", "质量指标", "党建活动覆盖率", "=100%"),
    ("产出指标", "时效指标", "党建活动组织完成及时率", "=100%"),
    ("效益指标", "社会效益指标", "党员责任意识提升情况", "提升"),
    ("效益指标", "可持续影响指标", "党建管理长效管理机制健全性", "健全"),
    ("满意度指标", "服务对象满意度指标", "党员职工满意度", "≥90%"),
]


def _project(
    pid: str | None, title: str, rows: list[tuple[str, str, str, str]], **kw: object
) -> Project:
    p = baseline()
    p.id, p.name = pid, title
    p.indicators = [Indicator(*r) for r in rows]
    for key, value in kw.items():
        setattr(p, key, value)
    return p


def test_p13_a_set_copied_from_a_project_of_the_same_unit_and_year() -> None:
    party = _project("a", "党建经费", PARTY)
    training = _project("b", "业务培训", PARTY[:5] + [PARTY[5]])
    ctx = Context.of([key_of(party), key_of(training)])
    hit = assert_flagged(training, "P13", "warning", "indicators", context=ctx)
    assert "“党建经费”" in hit.message and "5 项" in hit.message and "2021" in hit.message
    # the original shares the same set, so it is told of the copy as well
    hit = assert_flagged(party, "P13", "warning", "indicators", context=ctx)
    assert "“业务培训”" in hit.message


def test_p13_names_are_compared_without_spaces_and_width() -> None:
    party = _project("a", "党建经费", PARTY)
    rows = [(a, b, f" {c.replace('≥', '')} ", d) for a, b, c, d in PARTY]
    rows[1] = ("产出指标", "质量指标", "党建活动覆盖率　", "=100%")
    training = _project("b", "业务培训", rows)
    ctx = Context.of([key_of(party), key_of(training)])
    assert_flagged(training, "P13", "warning", "indicators", context=ctx)


@pytest.mark.parametrize(
    "other",
    [
        pytest.param({"year": 2022}, id="another year"),
        pytest.param({"unit": "上海市闵行区财政局"}, id="another unit"),
        pytest.param({"name": "业务培训"}, id="a 同名 twin is P10's"),
    ],
)
def test_p13_only_within_one_unit_and_year(other: dict[str, object]) -> None:
    party = _project("a", "党建经费", PARTY, **other)
    training = _project("b", "业务培训", PARTY)
    ctx = Context.of([key_of(party), key_of(training)])
    assert_not_flagged(training, "P13", context=ctx)


def test_p13_needs_four_shared_and_four_fifths() -> None:
    party = _project("a", "党建经费", PARTY)
    own = [
        ("产出指标", "数量指标", "培训人次", "≥500人次"),
        ("产出指标", "质量指标", "培训考核合格率", "≥95%"),
    ]
    # 4 of 6 shared (66 %): not a copy
    training = _project("b", "业务培训", PARTY[:4] + own)
    assert_not_flagged(training, "P13", context=Context.of([key_of(party)]))
    # 3 of 3 shared: too few to say
    small = _project("c", "小型活动", PARTY[:3] + [PARTY[5]])
    assert_not_flagged(small, "P13", context=Context.of([key_of(party)]))
    # the 满意度 rows every project has do not count
    generic = [("满意度指标", "服务对象满意度指标", f"{w}满意度", "≥90%") for w in "甲乙丙丁戊"]
    a = _project("a", "党建经费", generic + PARTY[:1])
    b = _project("b", "业务培训", generic + own[:1])
    assert_not_flagged(b, "P13", context=Context.of([key_of(a)]))


def test_p13_a_project_is_not_its_own_copy() -> None:
    party = _project("a", "党建经费", PARTY)
    assert_not_flagged(party, "P13", context=Context.of([key_of(party)]))
    assert_not_flagged(party, "P13")


def test_p13_against_a_stale_key_of_the_same_project() -> None:
    """The editor's context holds the project as opened; its own old names never count."""
    party = _project("a", "党建经费", PARTY)
    ctx = Context.of([key_of(party)])
    party.name = "党建经费（改）"
    assert_not_flagged(party, "P13", context=ctx)


def test_p13_none_in_the_reference_cases() -> None:
    for path in sorted(CASES_DIR.glob("*.json")):
        projects = read_package_file(path).projects
        ctx = Context.of(key_of(p) for p in projects)
        for p in projects:
            assert with_code(run(p, context=ctx), "P13") == [], p.name


# P13 in the store: counts kept current ------------------------------------------------


def _warnings(repo, pid: str) -> int:  # type: ignore[no-untyped-def]
    return {s.id: s.warnings for s in repo.summaries()}[pid]


def _stored_right(repo) -> None:  # type: ignore[no-untyped-def]
    ctx = repo.context()
    for s in repo.summaries():
        found = counts(validate(repo.load(s.id), repo.settings, ctx))
        assert (s.errors, s.warnings) == found, s.name


def test_p13_store_recounts_the_project_copied_from(tmp_path: Path) -> None:
    repo = open_repository(tmp_path / "p13.db")
    party = _project(None, "党建经费", PARTY)
    repo.save(party)
    alone = _warnings(repo, party.id)
    training = _project(None, "业务培训", PARTY)
    repo.save(training)
    assert _warnings(repo, party.id) == alone + 1
    assert with_code(repo.findings(repo.load(training.id)), "P13")
    _stored_right(repo)

    training.indicators[0] = Indicator("产出指标", "数量指标", "培训人次", "≥500人次")
    repo.save(training)  # 4 of 5 still shared (the 满意度 row not counted): still a copy
    assert _warnings(repo, party.id) == alone + 1
    training.indicators[1].name = "培训考核合格率"  # 3 of 5: no longer
    repo.save(training)
    assert _warnings(repo, party.id) == alone
    _stored_right(repo)

    repo.save(_project(training.id, "业务培训", PARTY))
    assert _warnings(repo, party.id) == alone + 1
    repo.delete(training.id or "")
    assert _warnings(repo, party.id) == alone
    repo.restore(training.id or "")
    assert _warnings(repo, party.id) == alone + 1
    _stored_right(repo)
    repo.purge(training.id or "")
    assert _warnings(repo, party.id) == alone
    _stored_right(repo)


def test_p13_keys_carry_the_names_in_one_query(tmp_path: Path) -> None:
    repo = open_repository(tmp_path / "keys.db")
    party = _project(None, "党建经费", PARTY)
    empty = _project(None, "空项目", [])
    repo.save_many([party, empty])
    keys = {k.name: k for k in repo.keys()}  # noqa: SIM118 - a method, not a dict
    assert sorted(keys["党建经费"].indicators) == sorted(r[2] for r in PARTY)
    assert keys["空项目"].indicators == ()
    assert keys["党建经费"].declaration == (2021, "党建经费", "上海市闵行区机关事务管理局")


def test_p13_in_check_of_a_package_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    party = _project(None, "党建经费", PARTY)
    training = _project(None, "业务培训", PARTY)
    doc = [project_to_dict(party), project_to_dict(training)]
    path = write_package(tmp_path / "two.json", doc)
    main(["check", str(path), "--json"])
    out, _ = capsys.readouterr()
    p13 = [f for f in json.loads(out) if f["code"] == "P13"]
    assert {f["project"] for f in p13} == {"党建经费", "业务培训"}
    assert all(f["field"] == "indicators" and f["severity"] == "warning" for f in p13)
