"""说明 on answered warnings: which finding a 说明 belongs to, and that it is kept everywhere.

The key survives rows inserted above; errors cannot be answered; a 说明 whose finding is
gone is kept but not counted; the store, the 数据包, the workbook's hidden sheet, the
command line and the 汇总表 all carry or show them.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from conftest import REPO, case_projects

from desktop.cli import main
from desktop.export.package import PackageError, package_bytes, read_package_bytes
from desktop.models.interchange import project_from_dict, project_to_dict
from desktop.models.project import BreakdownRow, Guarantee, Indicator, Project, new_project
from desktop.models.rules import Finding, counts, explained_count, finding_key, validate
from desktop.models.rules.explanations import (
    MAX_EXPLANATION_CHARS,
    clean_explanation,
    explanation_problem,
    row_names,
    stored_explanations,
    unused_explanations,
)
from desktop.models.summary import build_summary
from desktop.store import open_repository
from desktop.store.catalog import REVISIONS
from desktop.store.database import _alembic_config, current_revision, make_engine

FIXTURES = REPO / "tests" / "fixtures" / "db"
SATISFACTION = "I04|indicators[工作人员满意度].target"


def project() -> Project:
    """A 2021 project with one bare ``90%`` (I04) on 工作人员满意度 and a blank target (I02)."""
    p = new_project(2021, "车辆购置费", "shanghai-2021")
    p.overall_goal = p.annual_goal = "本年计划购置公务用车2部"
    p.indicators = [
        Indicator("产出指标", "数量指标", "车辆购置完成数", "=2部"),
        Indicator("产出指标", "质量指标", "采购流程合规率", "=100%"),
        Indicator("产出指标", "时效指标", "采购完成及时率", "=100%"),
        Indicator("效益指标", "社会效益指标", "满足机关公务用车需求", "满足"),
        Indicator("满意度指标", "服务对象满意度指标", "工作人员满意度", "90%"),
        Indicator("产出指标", "数量指标", "培训人数", None),
    ]
    return p


def of(p: Project, code: str) -> list:  # type: ignore[type-arg]
    return [f for f in validate(p) if f.code == code]


# ------------------------------------------------------------------ the key


def test_the_key_names_the_row_and_survives_rows_inserted_above() -> None:
    p = project()
    [i04] = of(p, "I04")
    assert i04.field == "indicators[4].target"
    assert finding_key(p, i04) == SATISFACTION
    p.explanations[SATISFACTION] = "满意度按区机管局要求考核，已确认。"
    [answered] = of(p, "I04")
    assert answered.explanation == "满意度按区机管局要求考核，已确认。"

    p.indicators.insert(0, Indicator("产出指标", "数量指标", "新购车辆纳管数", "=2部"))
    p.indicators.insert(3, Indicator("产出指标", "质量指标", "车辆验收合格率", "=100%"))
    [moved] = of(p, "I04")
    assert moved.field == "indicators[6].target"  # two rows further down
    assert finding_key(p, moved) == SATISFACTION
    assert moved.explanation == "满意度按区机管局要求考核，已确认。"


def test_rows_are_named_by_their_own_words_repeats_numbered() -> None:
    p = Project(year=2020, template="minhang-2020")
    p.indicators = [Indicator(name="满意度"), Indicator(name=" 满意度 "), Indicator(name="")]
    p.breakdown = [BreakdownRow(content="人员费", item="工资"), BreakdownRow(content="办公费")]
    p.guarantees = [Guarantee(kind="项目管理制度"), Guarantee(kind="项目 管理制度")]
    assert row_names(p, "indicators") == ["满意度", "满意度#2", ""]
    assert row_names(p, "breakdown") == ["工资", "办公费"]
    assert row_names(p, "guarantees") == ["项目管理制度", "项目管理制度#2"]


def test_a_finding_on_a_whole_table_is_named_by_what_it_says_is_missing() -> None:
    p = project()
    missing = Finding("G01", "warning", "guarantees", "制度保障缺少“预算管理制度”一行：请添加。")
    assert finding_key(p, missing) == "G01|guarantees:预算管理制度"
    p.indicators = [i for i in p.indicators if i.level2 != "时效指标"]
    [i11] = of(p, "I11")
    assert finding_key(p, i11) == "I11|indicators:时效指标"


def test_errors_cannot_be_answered_and_their_stored_explanation_is_not_counted() -> None:
    p = project()
    [i02] = of(p, "I02")
    key = finding_key(p, i02)
    assert key == "I02|indicators[培训人数].target"
    p.explanations[key] = "目标值待定。"
    found = validate(p)
    [still] = [f for f in found if f.code == "I02"]
    assert still.is_error and still.explanation is None
    assert explained_count(found) == 0
    # the window can still say there is one that does not apply
    assert [text for _, text in stored_explanations(p, found).values()] == ["目标值待定。"]


def test_an_explanation_whose_finding_is_gone_is_kept_but_not_counted() -> None:
    p = project()
    p.explanations[SATISFACTION] = "已确认。"
    assert explained_count(validate(p)) == 1
    p.indicators[4].target = "≥90%"  # corrected: the warning is gone
    found = validate(p)
    assert explained_count(found) == 0 and not of(p, "I04")
    assert p.explanations == {SATISFACTION: "已确认。"}
    assert unused_explanations(p, found) == [SATISFACTION]
    p.indicators[4].target = "90%"  # back again: answered again
    assert of(p, "I04")[0].explanation == "已确认。"


def test_counts_keep_errors_and_warnings_and_explained_is_counted_apart() -> None:
    p = project()
    before = counts(validate(p))
    p.explanations[SATISFACTION] = "已确认。"
    found = validate(p)
    assert counts(found) == before  # an answered warning is still a warning
    assert explained_count(found) == 1


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "不能为空"),
        ("   \n ", "不能为空"),
        ("说" * (MAX_EXPLANATION_CHARS + 1), "最多 200 个字，现在有 201 个"),
        ("已确认\x07", "控制字符"),
    ],
)
def test_an_explanation_is_1_to_200_characters(text: str, says: str) -> None:
    problem = explanation_problem(text)
    assert problem is not None and says in problem
    with pytest.raises(ValueError, match=says):
        clean_explanation(text)


def test_an_explanation_is_kept_trimmed_and_may_be_exactly_200() -> None:
    assert clean_explanation("  已确认。\n") == "已确认。"
    assert explanation_problem(" " + "说" * MAX_EXPLANATION_CHARS + " ") is None


# ------------------------------------------------------------------ the 数据包


def test_the_package_carries_explanations_and_reads_them_back() -> None:
    p = project()
    p.explanations = {SATISFACTION: "已确认。", "G01|guarantees:预算管理制度": "执行上级制度。"}
    doc = json.loads(package_bytes([p]))
    assert doc["projects"][0]["explanations"] == [
        {"code": "I04", "field": "indicators[工作人员满意度].target", "text": "已确认。"},
        {"code": "G01", "field": "guarantees:预算管理制度", "text": "执行上级制度。"},
    ]
    [back] = read_package_bytes(package_bytes([p])).projects
    assert back.explanations == p.explanations and back == p
    assert project_from_dict(project_to_dict(p)) == p


def test_a_package_without_explanations_has_no_such_key() -> None:
    for p in case_projects():
        assert "explanations" not in project_to_dict(p)


def package_with(explanations: object) -> bytes:
    obj = project_to_dict(project())
    obj["explanations"] = explanations
    return json.dumps(
        {"format": "jixiao-shenbao", "version": 1, "projects": [obj]}, ensure_ascii=False
    ).encode("utf-8")


GOOD = {"code": "I04", "field": "indicators[工作人员满意度].target", "text": "已确认。"}


@pytest.mark.parametrize(
    ("explanations", "says"),
    [
        ("已确认", "字段 explanations（警告的说明）应为列表 […]，实际是文本"),
        ([GOOD] * 501, "有 501 条，超过上限 500 条"),
        (["已确认"], "字段 explanations[0]（警告的说明）应为对象 {…}，实际是文本"),
        ([{**GOOD, "text": None}], "字段 explanations[0].text（说明）缺少或为空值 null"),
        ([{"code": "I04", "field": "x"}], "字段 explanations[0].text（说明）缺少或为空值 null"),
        ([{**GOOD, "text": 7}], "字段 explanations[0].text（说明）应为文本，实际是数字"),
        ([{**GOOD, "text": "  "}], "字段 explanations[0].text（说明）为空"),
        ([{**GOOD, "text": "说" * 201}], "有 201 个字，超过上限 200 个"),
        ([{**GOOD, "code": "i04; drop"}], "字段 explanations[0].code（问题代码）应为问题代码"),
        ([{**GOOD, "field": " "}], "字段 explanations[0].field（问题所在栏目）为空"),
        ([{**GOOD, "field": "x" * 501}], "超过上限 500 个"),
        ([GOOD, {**GOOD, "text": "又一条"}], "与第 1 条说明针对同一问题"),
    ],
)
def test_a_bad_explanations_key_is_refused_with_the_field_named(
    explanations: object, says: str
) -> None:
    with pytest.raises(PackageError) as caught:
        read_package_bytes(package_with(explanations), "坏.json")
    text = "\n".join(caught.value.problems)
    assert says in text, text
    assert "第 1 个项目“车辆购置费”" in text


def test_an_unknown_key_in_an_explanation_is_ignored_with_a_warning() -> None:
    package = read_package_bytes(package_with([{**GOOD, "author": "张三"}]))
    assert package.projects[0].explanations == {SATISFACTION: "已确认。"}
    assert any("explanations[0] 中的字段 author 本程序不认识" in w for w in package.warnings)


def test_explanations_in_a_package_are_stored_trimmed() -> None:
    [p] = read_package_bytes(package_with([{**GOOD, "text": "  已确认。 "}])).projects
    assert p.explanations == {SATISFACTION: "已确认。"}


# ------------------------------------------------------------------ the workbook


def test_the_workbook_hidden_sheet_carries_explanations_back() -> None:
    from desktop.export.xlsx_reader import read_workbook_bytes
    from desktop.export.xlsx_writer import workbook_bytes

    p = project()
    p.explanations = {SATISFACTION: "已确认。", "P03|category": "类别由主管部门确定。"}
    back = read_workbook_bytes(workbook_bytes(p)).project
    assert back.explanations == p.explanations
    assert of(back, "I04")[0].explanation == "已确认。"


# ------------------------------------------------------------------ the store


def test_the_store_keeps_explanations_and_counts_the_answered(db_path: Path) -> None:
    repo = open_repository(db_path)
    p = project()
    p.explanations = {SATISFACTION: "已确认。", "I05|indicators[已删除].target": "旧说明。"}
    repo.save(p)
    back = repo.load(p.id or "")
    assert back.explanations == p.explanations
    [s] = repo.summaries()
    errors, warnings = counts(validate(p))
    assert (s.errors, s.warnings, s.explained) == (errors, warnings, 1)
    assert s.warnings_text == f"{warnings}（已说明 1）"

    back.explanations.clear()
    repo.save(back)
    assert repo.load(p.id or "").explanations == {}
    assert repo.summaries()[0].explained == 0
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("select explanations from projects").fetchone() == (None,)


def test_recount_and_status_keep_the_answered_count(db_path: Path) -> None:
    repo = open_repository(db_path)
    p = project()
    p.indicators.pop()  # no error left: it may be 定稿'd
    p.explanations = {SATISFACTION: "已确认。"}
    repo.save(p)
    with sqlite3.connect(db_path) as conn:
        conn.execute("update projects set explained_count = 0")
    assert repo.recount_all() == 1
    assert repo.summaries()[0].explained == 1
    with sqlite3.connect(db_path) as conn:
        conn.execute("update projects set explained_count = 0")
    repo.set_status(p.id or "", "final")
    assert repo.summaries()[0].explained == 1
    [snap] = repo.list_snapshots(p.id or "")
    assert repo.load_snapshot(snap.id).explanations == {SATISFACTION: "已确认。"}


def test_the_0005_fixture_has_what_it_claims() -> None:
    assert "0005" in REVISIONS
    expected = json.loads((FIXTURES / "schema-0005.json").read_text(encoding="utf-8"))
    with_explanations = [p for p in expected["projects"] if p.get("explanations")]
    assert len(with_explanations) == 2
    with sqlite3.connect(FIXTURES / "schema-0005.db") as conn:
        assert conn.execute("select version_num from alembic_version").fetchone() == ("0005",)
        rows = dict(conn.execute("select name, explained_count from projects"))
    assert rows["区级机关工勤类雇员后勤服务保障经费"] >= 1  # the I04 one (G01 as the rules decide)
    assert rows["党建经费"] == 0  # its 说明 is on an error


def test_older_fixtures_upgrade_with_no_explanations(tmp_path: Path) -> None:
    for revision in (r for r in REVISIONS if r < "0005"):
        db = tmp_path / f"{revision}.db"
        shutil.copy(FIXTURES / f"schema-{revision}.db", db)
        repo = open_repository(db)
        assert all(s.explained == 0 for s in repo.summaries())
        assert all(repo.load(s.id).explanations == {} for s in repo.summaries())
        repo.engine.dispose()


def test_downgrade_keeps_explanations_for_the_older_program_and_upgrade_brings_them_back(
    db_path: Path,
) -> None:
    repo = open_repository(db_path)
    p = project()
    p.explanations = {SATISFACTION: "已确认。"}
    repo.save(p)
    command.downgrade(_alembic_config(repo.engine), "0004")
    repo.engine.dispose()
    with sqlite3.connect(db_path) as conn:
        columns = {r[1] for r in conn.execute("pragma table_info(projects)")}
        [extra] = conn.execute("select extra from projects").fetchone()
    assert not {"explanations", "explained_count"} & columns
    assert json.loads(extra) == {"explanations": [GOOD]}

    engine = make_engine(db_path)
    command.upgrade(_alembic_config(engine), "head")
    assert current_revision(engine) == REVISIONS[-1]
    engine.dispose()
    back = open_repository(db_path).load(p.id or "")
    assert back.explanations == {SATISFACTION: "已确认。"} and back.extra == {}


def test_upgrade_drops_an_explanations_key_of_another_shape(db_path: Path) -> None:
    engine = make_engine(db_path)
    command.upgrade(_alembic_config(engine), "0004")
    extra = {"explanations": [GOOD, {"code": "I04"}, "x"], "approval_no": "1号"}
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "insert into projects (id, year, name, has_signoff, status, error_count,"
            " warning_count, created_at, updated_at, extra)"
            " values ('old-1', 2021, '旧项目', 0, 'draft', 0, 0, 't', 't', ?)",
            (json.dumps(extra, ensure_ascii=False),),
        )
    engine.dispose()
    back = open_repository(db_path).load("old-1")
    assert back.explanations == {SATISFACTION: "已确认。"}
    assert back.extra == {"approval_no": "1号"}


# ------------------------------------------------------------------ check and the 汇总表


def test_check_json_says_which_warnings_are_explained(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    p = project()
    p.explanations = {SATISFACTION: "已确认。", "I02|indicators[培训人数].target": "待定。"}
    file = tmp_path / "p.json"
    file.write_bytes(package_bytes([p]))
    assert main(["check", str(file), "--json"]) == 1
    rows = json.loads(capsys.readouterr().out)
    explained = {r["code"]: r.get("explained") for r in rows}
    assert explained["I04"] == "已确认。"
    assert explained["I02"] is None  # an error: its 说明 does not apply

    assert main(["check", str(file)]) == 1
    out = capsys.readouterr().out
    assert "[警告 I04 已说明] indicators[4].target：" in out
    assert "说明：已确认。" in out and "待定。" not in out
    assert "（已说明 1）" in out


def test_the_summary_counts_the_answered_warnings() -> None:
    a, b = project(), project()
    a.explanations = {SATISFACTION: "已确认。"}
    s = build_summary(2021, [a, b], [validate(a), validate(b)])
    assert [r.explained for r in s.rows] == [1, 0]
    assert [r.warnings for r in s.rows] == [counts(validate(b))[1]] * 2  # still warnings
    assert s.totals.explained == 1


def test_the_summary_workbook_has_the_answered_column(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from desktop.export.summary_table import write_summary_workbook

    a = project()
    a.explanations = {SATISFACTION: "已确认。"}
    s = build_summary(2021, [a], [validate(a)])
    ws = load_workbook(write_summary_workbook(s, tmp_path / "s.xlsx")).active
    header = [c.value for c in ws[3]]
    col = header.index("其中已说明") + 1
    assert header[col - 2] == "警告"
    assert ws.cell(4, col).value == 1 and ws.cell(5, col).value == 1  # the row, the 合计


def test_every_documented_code_has_a_panel_title() -> None:
    """A group line in the problems panel names its code in words, for every code we emit."""
    import re
    from pathlib import Path

    from desktop.models.rules.titles import CODE_TITLES

    root = Path(__file__).resolve().parents[1]
    text = (root / "docs" / "rules.md").read_text("utf-8")
    spec = root.parent / "shared" / "spec" / "validation.md"
    text += spec.read_text("utf-8")
    codes = set(re.findall(r"^\|\s*([PFIBG]\d{2})\s*\|", text, re.M))
    assert codes and codes <= set(CODE_TITLES)
