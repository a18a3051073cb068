"""The third form family, shanghai-2020: its 项目经费情况说明 fields, end to end.

The Songjiang budget book (``../shared/seeds/songjiang-2020-budget-excerpt.txt``) transcribed
as ``tests/fixtures/songjiang-2020.json``: read, stored, migrated, checked.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from conftest import REPO, write_package

from desktop.cli import main
from desktop.export.package import (
    MAX_FIELD_CHARS,
    PackageError,
    project_to_dict,
    read_package_bytes,
    read_package_file,
)
from desktop.models import taxonomy as tx
from desktop.models.compare import compare_projects
from desktop.models.interchange import project_from_dict
from desktop.models.labels import FORM_GENERAL_FIELDS, label
from desktop.models.next_year import next_year
from desktop.models.project import (
    EXPLANATION_FIELDS,
    LONG_TEXT_FIELDS,
    PROJECT_TEXT_FIELDS,
    Indicator,
    Project,
)
from desktop.models.rules import validate
from desktop.store import open_repository
from desktop.store.catalog import REVISIONS
from desktop.store.database import _alembic_config, current_revision, make_engine

FIXTURE = REPO / "tests" / "fixtures" / "songjiang-2020.json"
DB_FIXTURES = REPO / "tests" / "fixtures" / "db"
SEED = REPO.parent / "shared" / "seeds" / "songjiang-2020-budget-excerpt.txt"
NEW_FIELDS = (
    "legal_basis",
    "implementer",
    "implementation_plan",
    "implementation_period",
    "budget_note",
)
UNIT = "松江区人力资源和社会保障局"


def songjiang() -> list[Project]:
    return read_package_file(FIXTURE).projects


def fixture_doc() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


# ------------------------------------------------------------------ model and labels


def test_the_five_fields_are_optional_long_texts_in_the_explanation_s_order() -> None:
    p = Project()
    assert all(getattr(p, key) is None for key in NEW_FIELDS)
    assert EXPLANATION_FIELDS == NEW_FIELDS
    assert set(NEW_FIELDS) <= set(PROJECT_TEXT_FIELDS)
    assert set(NEW_FIELDS) <= LONG_TEXT_FIELDS


def test_the_form_words_and_the_editor_s_order_for_shanghai_2020() -> None:
    words = [label(key, "shanghai-2020") for key in ("overview", *NEW_FIELDS)]
    assert words == ["项目概述", "立项依据", "实施主体", "实施方案", "实施周期", "年度预算安排"]
    shown = FORM_GENERAL_FIELDS["shanghai-2020"]
    # 一、项目概述 … 六、年度预算安排, then 七、绩效目标's two goals.
    order = ["overview", *NEW_FIELDS, "overall_goal", "annual_goal"]
    assert [k for k in shown if k in order] == order
    for family in ("minhang-2020", "shanghai-2021"):
        assert not set(NEW_FIELDS) & set(FORM_GENERAL_FIELDS[family])


# ------------------------------------------------------------------ the transcription


def test_the_fixture_holds_the_two_projects_of_the_excerpt() -> None:
    a, b = songjiang()
    for p in (a, b):
        assert (p.year, p.template, p.unit, p.department) == (2020, "shanghai-2020", UNIT, UNIT)
        assert p.category is None  # the budget book does not say
        assert p.start_date is None and p.end_date is None  # the form has no dates
    assert (a.name, b.name) == ("创业就业", "辅助职能")
    assert a.implementation_period == "2020年全年"
    assert b.implementation_period == "2020年上半年"
    assert a.legal_basis is not None and a.legal_basis.count("\n") == 1  # two documents
    assert b.implementation_plan is not None and b.implementation_plan.splitlines() == [
        "（一）2020年 工作目标：",
        "在上半年完成2019年度中央就业补助专项资金使用情况审计",
        "（二）工作措施",
        "1.按程序确定审计第三方机构。",
        "2.制定审计方案，安排审计日程。",
        "3．配合第三方机构开展审计。",
        "4.反馈审计问题，要求涉及的单位整改。",
    ]
    # The amounts go where the form has a place for them; the 说明's text keeps its wording.
    assert (str(a.funding.total), str(a.funding.annual)) == ("1300000", "1300000")
    assert (a.funding.annual_fiscal, b.funding.total, str(b.funding.annual)) == (
        None,
        None,
        "40000",
    )
    assert b.budget_note == "预算金额40,000元"


def test_every_text_of_the_fixture_is_in_the_source() -> None:
    """Transcribed, not paraphrased: each line of each text and each cell occurs in the excerpt."""
    source = SEED.read_text(encoding="utf-8")
    flat = source.replace("\n", "")  # the source wraps one paragraph over two lines
    for p in songjiang():
        for key in ("name", "overview", *NEW_FIELDS, "overall_goal", "annual_goal"):
            for line in (getattr(p, key) or "").split("\n"):
                assert line and line in flat, (p.name, key, line)
        for ind in p.indicators:
            for value in (ind.level1, ind.level2, ind.name, ind.target):
                assert value is None or f"\t{value}\n" in source, (p.name, value)


def test_the_indicator_rows_with_merged_levels_carried_down() -> None:
    a, b = songjiang()
    assert [(i.level1, i.level2, i.name, i.target) for i in a.indicators] == [
        ("产出目标", "数量目标", "求职创业补贴发放率", "100%"),
        ("产出目标", "质量目标", "求职创业补贴发放准确率", "100%"),
        ("产出目标", "时效目标", "求职创业补贴信息发布、沟通及时性", "及时"),
        ("产出目标", "时效目标", "求职创业补贴审核、发放及时性", "及时"),
        # The book prints no 一级 (效果目标) for its 社会效益目标 rows: left blank.
        (None, "社会效益目标", "扶持对象满意度", "≥90%"),
        ("影响力目标", "满意度目标", "长效管理制度健全性", "健全"),
        ("影响力目标", "满意度目标", "长效管理执行有效性", "执行有效"),
    ]
    assert [(i.level1, i.level2, i.name, i.target) for i in b.indicators] == [
        ("产出目标", "质量目标", "各类人员培训补贴的完成率", "\u3000100%"),
        ("产出目标", "质量目标", "对上年度审计问题的整改率", "\u3000\u300095%"),
        (None, "社会效益目标", "拨付准确率", "100%"),
        (None, "社会效益目标", "违规投诉\u3000", "不多于3个"),
        (None, "社会效益目标", "审计发现问题", "不多于4个"),
        ("影响力目标", "满意度目标", "补贴对象的满意度", "\u300090%"),
        (
            "影响力目标",
            "满意度目标",
            "培训机构对中央补助就业专项资金相关政策的知晓率",
            "\u3000\u3000100%",
        ),
    ]
    for p in (a, b):
        assert all(tx.place(i.level1, i.level2).placed for i in p.indicators)


def test_the_fixture_reads_and_writes_back_field_for_field() -> None:
    doc = fixture_doc()
    written = [project_to_dict(p) for p in songjiang()]
    for before, after in zip(doc["projects"], written, strict=True):
        assert after.pop("id") is None
        assert without_nulls(after) == without_nulls(before)
        assert [k for k in after if k in NEW_FIELDS] == list(NEW_FIELDS)
    # and the trusted reader (定稿记录) agrees with the checking one
    for p in songjiang():
        back = project_from_dict(project_to_dict(p))
        assert dataclasses.asdict(back) == dataclasses.asdict(p)


# ------------------------------------------------------------------ 数据包 rules for the new keys


def test_a_package_without_the_keys_stays_without_them(tmp_path: Path) -> None:
    path = write_package(tmp_path / "old.json", [{"year": 2021, "name": "车辆购置费"}])
    [p] = read_package_file(path).projects
    assert all(getattr(p, key) is None for key in NEW_FIELDS)
    assert not set(NEW_FIELDS) & set(project_to_dict(p))


def test_null_keys_read_as_absent_and_empty_text_is_kept(tmp_path: Path) -> None:
    values = dict.fromkeys(NEW_FIELDS)
    values["budget_note"] = ""
    path = write_package(tmp_path / "p.json", [{"year": 2020, "name": "x", **values}])
    package = read_package_file(path)
    [p] = package.projects
    assert p.budget_note == "" and p.legal_basis is None and p.extra == {}
    assert not package.warnings  # known keys, not "本程序不认识"
    out = project_to_dict(p)
    assert out["budget_note"] == "" and "legal_basis" not in out


@pytest.mark.parametrize("key", NEW_FIELDS)
def test_a_hostile_value_is_refused_naming_project_and_field(key: str) -> None:
    words = label(key, "shanghai-2020")
    for value, why in (
        (12, "应为文本"),
        (["a"], "应为文本"),
        ("x" * (MAX_FIELD_CHARS + 1), "超过上限"),
        ("a\x00b", "控制字符"),
    ):
        doc = {
            "format": "jixiao-shenbao",
            "version": 1,
            "projects": [
                {"year": 2020, "name": "创业就业", "template": "shanghai-2020", key: value}
            ],
        }
        with pytest.raises(PackageError) as caught:
            read_package_bytes(json.dumps(doc, ensure_ascii=False).encode())
        [problem] = caught.value.problems
        assert "“创业就业”" in problem and f"{key}（{words}）" in problem and why in problem


# ------------------------------------------------------------------ store and migration


def test_the_store_keeps_every_field(db_path: Path) -> None:
    repo = open_repository(db_path)
    projects = songjiang()
    repo.save_many(projects)
    for p in projects:
        back = repo.load(p.id or "")
        assert project_to_dict(back) == project_to_dict(p)
    with sqlite3.connect(db_path) as conn:
        row = conn.execute(
            "select implementation_plan, budget_note from projects where name = '辅助职能'"
        ).fetchone()
    assert row == (projects[1].implementation_plan, "预算金额40,000元")


def test_the_0004_fixture_has_what_it_claims() -> None:
    assert "0004" in REVISIONS
    expected = json.loads((DB_FIXTURES / "schema-0004.json").read_text(encoding="utf-8"))
    shanghai = [p for p in expected["projects"] if p["template"] == "shanghai-2020"]
    assert [p["name"] for p in shanghai] == ["创业就业", "辅助职能"]
    assert all(p[k] for p in shanghai for k in NEW_FIELDS)
    with sqlite3.connect(DB_FIXTURES / "schema-0004.db") as conn:
        assert conn.execute("select version_num from alembic_version").fetchone() == ("0004",)
        columns = {r[1] for r in conn.execute("pragma table_info(projects)")}
    assert set(NEW_FIELDS) <= columns


def _at_0003_with_extra(db: Path) -> None:
    """A 0003 database holding a project imported then, its 立项依据 kept as an unknown key."""
    engine = make_engine(db)
    command.upgrade(_alembic_config(engine), "0003")
    extra = {"legal_basis": "《预算法》", "implementer": 7, "approval_no": "松财〔2020〕1号"}
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "insert into projects (id, year, name, has_signoff, status, error_count,"
            " warning_count, created_at, updated_at, extra)"
            " values ('old-1', 2020, '旧项目', 0, 'draft', 0, 0,"
            " '2020-01-01T00:00:00+08:00', '2020-01-01T00:00:00+08:00', ?)",
            (json.dumps(extra, ensure_ascii=False),),
        )
    engine.dispose()


def test_upgrade_moves_kept_keys_into_their_columns_and_downgrade_puts_them_back(
    db_path: Path,
) -> None:
    _at_0003_with_extra(db_path)
    repo = open_repository(db_path)
    assert current_revision(repo.engine) == REVISIONS[-1]
    p = repo.load("old-1")
    assert p.legal_basis == "《预算法》"
    # not text: cannot be a column value, stays as it was
    assert p.extra == {"implementer": 7, "approval_no": "松财〔2020〕1号"}
    p.budget_note = "预算金额40,000元"
    repo.save(p)
    command.downgrade(_alembic_config(repo.engine), "0003")
    repo.engine.dispose()
    with sqlite3.connect(db_path) as conn:
        columns = {r[1] for r in conn.execute("pragma table_info(projects)")}
        [extra] = conn.execute("select extra from projects").fetchone()
        assert conn.execute("select count(*) from projects").fetchone() == (1,)
    assert not set(NEW_FIELDS) & columns
    assert json.loads(extra) == {
        "implementer": 7,
        "approval_no": "松财〔2020〕1号",
        "legal_basis": "《预算法》",
        "budget_note": "预算金额40,000元",
    }


def test_every_older_fixture_upgrades_with_the_fields_blank(tmp_path: Path) -> None:
    for revision in (r for r in REVISIONS if r < "0004"):
        db = tmp_path / f"{revision}.db"
        shutil.copy(DB_FIXTURES / f"schema-{revision}.db", db)
        repo = open_repository(db)
        expected = json.loads((DB_FIXTURES / f"schema-{revision}.json").read_text(encoding="utf-8"))
        for want in expected["projects"]:
            back = repo.load(want["id"])
            assert project_to_dict(back) == want
            assert all(getattr(back, key) is None for key in NEW_FIELDS)
        repo.engine.dispose()


# ------------------------------------------------------------------ the family's level words


@pytest.mark.parametrize(
    ("level1", "level2", "placed"),
    [
        ("产出目标", "数量目标", (tx.OUTPUT, tx.QUANTITY)),
        ("效果目标", "社会效益目标", (tx.BENEFIT, tx.SOCIAL)),
        ("效果目标", "环境效益目标", (tx.BENEFIT, tx.ECOLOGICAL)),
        ("效果目标", "环境效益（目标）", (tx.BENEFIT, tx.ECOLOGICAL)),
        ("效果目标", "社会效应目标", (tx.BENEFIT, tx.SOCIAL)),
        ("效果目标", None, (tx.BENEFIT, None)),
        ("效益目标", None, (tx.BENEFIT, None)),
        ("影响力目标", "长效管理", (tx.BENEFIT, tx.SUSTAINABLE)),
        ("影响力目标", "长效管理目标", (tx.BENEFIT, tx.SUSTAINABLE)),
        ("影响力目标", "可持续目标", (tx.BENEFIT, tx.SUSTAINABLE)),
        ("影响力目标", "满意度目标", (tx.SATISFACTION, tx.SERVED)),
        ("投入和管理类", "决策管理", (tx.MANAGEMENT, tx.DECISION)),
        ("投入和管理类", "财务管理类", (tx.MANAGEMENT, tx.FINANCE)),
        ("投入和管理类", None, (tx.MANAGEMENT, None)),
        # the Songjiang book: a 二级 with its 一级 missing, or written in the 一级 column
        (None, "社会效益目标", (tx.BENEFIT, tx.SOCIAL)),
        ("社会效益目标", None, (tx.BENEFIT, None)),
    ],
)
def test_each_wording_of_the_family_is_placed(
    level1: str | None, level2: str | None, placed: tuple[str, str | None]
) -> None:
    assert tx.place(level1, level2) == tx.Placement(*placed)


def _findings(p: Project) -> list[tuple[str, str]]:
    return [(f.code, f.field) for f in validate(p)]


def test_an_unknown_label_is_kept_as_written_and_reported(tmp_path: Path) -> None:
    rows = [
        {"level1": "效果目标", "level2": "其他目标", "name": "宣传覆盖面", "target": "≥90%"},
        {"level1": "影响力目标", "level2": None, "name": "制度健全性", "target": "健全"},
    ]
    path = write_package(
        tmp_path / "p.json",
        [{"year": 2020, "name": "x", "template": "shanghai-2020", "indicators": rows}],
    )
    [p] = read_package_file(path).projects
    assert (p.indicators[0].level2, p.indicators[1].level1) == ("其他目标", "影响力目标")
    assert project_to_dict(p)["indicators"][0]["level2"] == "其他目标"  # not dropped
    found = {f.field: f for f in validate(p) if f.code == "I13"}
    assert found["indicators[0].level2"].message.startswith(
        "第 1 行指标“宣传覆盖面”的二级指标“其他目标”不在本表式的指标体系中"
    )
    # It says which labels the form uses.
    assert "长效管理" in found["indicators[0].level2"].message
    assert found["indicators[1].level2"].message.startswith(
        "第 2 行指标“制度健全性”的一级指标“影响力目标”无法归类且二级指标为空"
    )
    assert all(f.is_error for f in found.values())


def test_shanghai_2020_has_no_guarantee_table_to_ask_about() -> None:
    p = songjiang()[0]
    assert not [c for c, _ in _findings(p) if c.startswith("G")]
    p.template = "minhang-2020"
    assert ("G01", "guarantees") in _findings(p)


# ------------------------------------------------------------------ import and check


def test_the_fixture_imports_and_check_reports_what_the_book_gets_wrong(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    assert main(["import", str(FIXTURE), "--db", str(db_path)]) == 0
    assert "已导入 2 个项目" in capsys.readouterr().out
    assert main(["check", "--db", str(db_path), "--json"]) == 0  # warnings only
    findings = json.loads(capsys.readouterr().out)
    got = {(f["project"], f["code"], f["field"]) for f in findings}
    assert all(f["severity"] == "warning" for f in findings)
    # No P03: the 2020 上海 table has no 项目类别. No I04 on 100% of a rate (only =100%).
    goals = {("P09", "overall_goal"), ("P09", "annual_goal")}
    assert got >= {("创业就业", c, f) for c, f in goals} | {("辅助职能", c, f) for c, f in goals} | {
        ("辅助职能", "I04", f"indicators[{i}].target") for i in (1, 5)  # 95%, 90%
    } | {
        ("辅助职能", "I15", "indicators[3].target"),  # 不多于3个 → ≤3个
        ("辅助职能", "I15", "indicators[4].target"),
        ("辅助职能", "I11", "indicators"),  # no 数量目标
        ("辅助职能", "I11", "indicators"),  # no 时效目标 (same field, two messages)
    }
    assert not [c for _, c, _ in got if c == "P03"]
    assert {(n, f) for n, c, f in got if c == "I04"} == {
        ("辅助职能", "indicators[1].target"),
        ("辅助职能", "indicators[5].target"),
    }
    i11 = [f["message"] for f in findings if f["code"] == "I11"]
    # In the form's own words.
    assert len(i11) == 2 and any("数量目标" in m for m in i11) and any("时效目标" in m for m in i11)


# ------------------------------------------------------------------ next year, compare


def test_next_year_says_where_the_budget_year_is_still_written() -> None:
    copied = next_year(songjiang()[0])
    assert copied.project.implementation_period == "2020年全年"  # kept: the clerk decides
    [note] = [n for n in copied.notes if "仍写有“2020”" in n]
    assert "实施周期" in note and "年度预算安排" in note and "立项依据" not in note


def test_into_a_form_without_the_explanation_its_sections_are_kept_and_said() -> None:
    copied = next_year(songjiang()[1], "shanghai-2021")
    assert copied.project.legal_basis == songjiang()[1].legal_basis
    assert any(
        n.startswith("新表式没有立项依据、实施主体、实施方案、实施周期、年度预算安排栏")
        for n in copied.notes
    )


def test_compare_shows_a_changed_section_in_the_form_s_words() -> None:
    old = songjiang()[0]
    new = Project(**{**old.__dict__, "indicators": [Indicator(name="x")]})
    new.implementation_period = "2021年全年"
    labels = [d.label for d in compare_projects(old, new)]
    assert "实施周期" in labels and "立项依据" not in labels
