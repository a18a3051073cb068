"""A project's life in the store: 回收站 (trash, restore, purge), copies, 定稿, recounts, migration 0002."""

from __future__ import annotations

import copy
import dataclasses
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from conftest import CASE_FILES
from rule_helpers import baseline, minhang_baseline

from desktop.export.package import read_package_file
from desktop.models.project import STATUS_DRAFT, STATUS_FINAL, Project
from desktop.models.rules import RuleSettings, counts, validate
from desktop.store import (
    DuplicateIdError,
    FinalizeError,
    ProjectSummary,
    Repository,
    open_database,
    open_repository,
)
from desktop.store.catalog import SCHEMA_REVISION
from desktop.store.database import _alembic_config, current_revision, make_engine
from desktop.store.schema import metadata

ROW_TABLES = ("indicators", "breakdown_rows", "guarantees")


def all_cases() -> list[Project]:
    return [p for case in CASE_FILES for p in read_package_file(case).projects]


def twins(repo: Repository) -> tuple[Project, Project]:
    """Two declarations with the same 年度 + 名称 + 单位 (rule P10), both saved."""
    a = Project(year=2020, name="业务培训", unit="区机管局")
    b = Project(year=2020, name="业务培训 ", unit="区机管局")
    repo.save(a)
    repo.save(b)
    return a, b


def warnings_by_id(repo: Repository) -> dict[str, int]:
    return {s.id: s.warnings for s in repo.summaries()}


def has_p10(repo: Repository, p: Project) -> bool:
    return any(f.code == "P10" for f in repo.findings(p))


def table_counts(db_path: Path) -> dict[str, int]:
    with sqlite3.connect(db_path) as conn:
        return {
            table: conn.execute(f"select count(*) from {table}").fetchone()[0]
            for table in ("projects", *ROW_TABLES)
        }


# ------------------------------------------------------------------ migration 0002


def test_metadata_matches_the_migrated_schema(db_path: Path) -> None:
    engine = open_database(db_path)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_upgrade_from_0001_keeps_every_project(db_path: Path) -> None:
    engine = make_engine(db_path)
    command.upgrade(_alembic_config(engine), "0001")
    assert current_revision(engine) == "0001"
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "insert into projects (id, year, name, unit, has_signoff, status, error_count,"
            " warning_count, created_at, updated_at, funding_total)"
            " values ('old-1', 2020, '旧项目', '区机管局', 0, 'final', 0, 0,"
            " '2020-01-01T00:00:00+08:00', '2020-01-01T00:00:00+08:00', '1159620.00')"
        )
        conn.exec_driver_sql(
            "insert into indicators (project_id, position, name, target)"
            " values ('old-1', 0, '到岗数', '=159人')"
        )
    engine.dispose()

    repo = open_repository(db_path)
    assert current_revision(repo.engine) == SCHEMA_REVISION
    [s] = repo.summaries()
    assert (s.id, s.name, s.status_label, s.deleted_at) == ("old-1", "旧项目", "定稿", None)
    assert str(s.total) == "1159620.00"
    p = repo.load("old-1")
    assert [(i.name, i.target) for i in p.indicators] == [("到岗数", "=159人")]
    assert repo.count() == 1


def test_downgrade_to_0001_keeps_rows_of_every_project(db_path: Path) -> None:
    repo = open_repository(db_path)
    projects = all_cases()
    repo.save_many(projects)
    repo.delete(projects[0].id or "")
    before = table_counts(db_path)
    command.downgrade(_alembic_config(repo.engine), "0001")
    assert current_revision(repo.engine) == "0001"
    assert table_counts(db_path) == before
    with sqlite3.connect(db_path) as conn:
        columns = [r[1] for r in conn.execute("pragma table_info(projects)")]
    assert "deleted_at" not in columns


# ------------------------------------------------------------------ 回收站


def test_delete_moves_to_the_trash_and_out_of_every_listing(db_path: Path) -> None:
    repo = open_repository(db_path)
    projects = all_cases()
    repo.save_many(projects)
    gone = projects[0]
    assert gone.id is not None
    rows_before = table_counts(db_path)

    repo.delete(gone.id)

    assert gone.id not in {s.id for s in repo.summaries()}
    assert gone.id not in {p.id for p in repo.load_all()}
    stored_keys = repo.keys()
    assert gone.id not in {k.id for k in stored_keys}
    assert repo.count() == len(projects) - 1
    assert repo.resolve_ids([gone.id]) == ([], [gone.id])
    # Still loadable (read-only view) and its rows are kept.
    assert repo.load(gone.id) == gone
    assert table_counts(db_path) == rows_before
    [binned] = repo.trash_summaries()
    assert binned.id == gone.id and binned.name == gone.name
    assert binned.deleted_at is not None and binned.deleted_at[:4].isdigit()


def test_deleting_twice_keeps_the_first_deletion_time(db_path: Path) -> None:
    repo = open_repository(db_path)
    p = baseline()
    repo.save(p)
    repo.delete(p.id or "")
    first = repo.trash_summaries()[0].deleted_at
    repo.delete(p.id or "")
    repo.delete("no-such-id")  # nothing happens
    assert [s.deleted_at for s in repo.trash_summaries()] == [first]


def test_trash_lists_newest_deletion_first(db_path: Path) -> None:
    repo = open_repository(db_path)
    projects = [Project(year=2021, name=n) for n in ("甲", "乙", "丙")]
    repo.save_many(projects)
    for name in ("乙", "甲", "丙"):
        repo.delete(next(p.id for p in projects if p.name == name) or "")
    assert [s.name for s in repo.trash_summaries()] == ["丙", "甲", "乙"]
    assert repo.summaries() == []


def test_trash_and_restore_recount_the_p10_twin(db_path: Path) -> None:
    repo = open_repository(db_path)
    a, b = twins(repo)
    assert a.id and b.id
    with_twin = warnings_by_id(repo)
    assert has_p10(repo, a) and has_p10(repo, b)

    repo.delete(b.id)
    assert warnings_by_id(repo) == {a.id: with_twin[a.id] - 1}
    assert not has_p10(repo, a)

    repo.restore(b.id)
    assert warnings_by_id(repo) == with_twin
    assert has_p10(repo, a) and has_p10(repo, b)
    assert repo.trash_summaries() == []
    assert {s.deleted_at for s in repo.summaries()} == {None}


def test_restore_recounts_the_project_itself_with_current_settings(db_path: Path) -> None:
    repo = open_repository(db_path)
    p = baseline()  # satisfaction target ≥95%
    repo.save(p)
    repo.delete(p.id or "")
    repo.settings = RuleSettings(satisfaction_min=Decimal(98))
    repo.restore(p.id or "")
    [s] = repo.summaries()
    assert (s.errors, s.warnings) == counts(validate(p, repo.settings))
    assert s.warnings == 1


def test_restore_of_an_unknown_id_is_a_key_error(db_path: Path) -> None:
    repo = open_repository(db_path)
    with pytest.raises(KeyError):
        repo.restore("no-such-id")


def test_purge_and_empty_trash_delete_for_good(db_path: Path) -> None:
    repo = open_repository(db_path)
    projects = all_cases()
    repo.save_many(projects)
    first, second, third = (p.id or "" for p in projects[:3])
    repo.delete(first)
    repo.delete(second)

    assert repo.purge(first) == 1
    assert repo.purge(first) == 0
    assert repo.purge("no-such-id") == 0
    with pytest.raises(KeyError):
        repo.load(first)
    assert [s.id for s in repo.trash_summaries()] == [second]

    repo.delete(third)
    assert repo.empty_trash() == 2
    assert repo.empty_trash() == 0
    assert repo.trash_summaries() == []
    assert repo.count() == len(projects) - 3
    with sqlite3.connect(db_path) as conn:
        for table in ROW_TABLES:
            orphans = conn.execute(
                f"select count(*) from {table} where project_id in (?, ?, ?)",
                (first, second, third),
            ).fetchone()
            assert orphans == (0,)


def test_purging_a_live_project_recounts_its_twin(db_path: Path) -> None:
    repo = open_repository(db_path)
    a, b = twins(repo)
    with_twin = warnings_by_id(repo)
    assert repo.purge(b.id or "") == 1
    assert warnings_by_id(repo) == {a.id: with_twin[a.id] - 1}


def test_importing_an_id_in_the_trash_is_refused_saying_so(db_path: Path) -> None:
    repo = open_repository(db_path)
    p = baseline()
    repo.save(p)
    repo.delete(p.id or "")
    again = copy.deepcopy(p)
    with pytest.raises(DuplicateIdError) as info:
        repo.save_many([again, Project(year=2022, name="新项目")])
    message = str(info.value)
    assert "“车辆购置费”在回收站中（项目编号相同）" in message
    assert "请先从回收站恢复或彻底删除，或选择替换" in message
    assert "已在数据库中" not in message
    assert info.value.trashed == {p.id}
    assert repo.count() == 0 and len(repo.trash_summaries()) == 1


def test_a_mixed_clash_names_both_live_and_trashed_projects(db_path: Path) -> None:
    repo = open_repository(db_path)
    live, binned = baseline(), minhang_baseline()
    repo.save_many([live, binned])
    repo.delete(binned.id or "")
    with pytest.raises(DuplicateIdError) as info:
        repo.save_many([copy.deepcopy(live), copy.deepcopy(binned)])
    message = str(info.value)
    assert "“车辆购置费”已在数据库中" in message
    assert "“政府雇员项目”在回收站中" in message


def test_replacing_an_id_in_the_trash_brings_it_back(db_path: Path) -> None:
    repo = open_repository(db_path)
    a, b = twins(repo)
    with_twin = warnings_by_id(repo)
    repo.delete(b.id or "")
    again = copy.deepcopy(b)
    again.overview = "从文件重新导入"
    result = repo.save_many([again], replace=True)
    assert (result.added, result.replaced) == (0, 1)
    assert repo.trash_summaries() == []
    assert warnings_by_id(repo) == with_twin  # both P10 twins again
    assert repo.load(b.id or "").overview == "从文件重新导入"


def test_save_of_a_trashed_project_keeps_it_in_the_trash(db_path: Path) -> None:
    repo = open_repository(db_path)
    a, b = twins(repo)
    repo.delete(b.id or "")
    alone = warnings_by_id(repo)
    deleted_at = repo.trash_summaries()[0].deleted_at

    edited = repo.load(b.id or "")
    edited.overview = "回收站中的编辑"
    repo.save(edited)  # e.g. the autosave of an editor still open

    assert [s.id for s in repo.summaries()] == [a.id]
    assert warnings_by_id(repo) == alone  # the trashed twin still does not count for P10
    [s] = repo.trash_summaries()
    assert (s.id, s.deleted_at) == (b.id, deleted_at)
    assert repo.load(b.id or "").overview == "回收站中的编辑"


def test_summary_can_still_be_built_without_deleted_at() -> None:
    s = ProjectSummary("x", 2021, "名", None, None, None, None, None, "draft", 0, 0, "t")
    assert s.deleted_at is None and s.status_label == "草稿"


# ------------------------------------------------------------------ copy


def test_copy_is_a_new_draft_with_every_field_and_row(db_path: Path) -> None:
    repo = open_repository(db_path)
    source = baseline()
    source.status = STATUS_FINAL
    source.extra = {"x_remark": "文件中的附加键"}
    source.indicators[0].extra = {"x_weight": "10"}
    source.breakdown[0].extra = {"x_code": "A1"}
    source.guarantees[0].extra = {"x_page": 3}
    repo.save(source)
    stored = repo.load(source.id or "")

    dup = repo.copy(source.id or "")

    assert dup.id not in (None, source.id)
    assert dup.name == "车辆购置费（副本）"
    assert dup.status == STATUS_DRAFT
    back = repo.load(dup.id or "")
    assert back == dup
    for f in dataclasses.fields(Project):
        if f.name not in ("id", "name", "status"):
            assert getattr(back, f.name) == getattr(stored, f.name), f.name
    assert back.extra == {"x_remark": "文件中的附加键"}
    assert back.guarantees[0].extra == {"x_page": 3}
    assert repo.load(source.id or "") == stored  # the source is unchanged
    assert repo.count() == 2
    by_id = {s.id: s for s in repo.summaries()}
    assert by_id[dup.id or ""].status_label == "草稿"
    assert by_id[source.id or ""].status_label == "定稿"


def test_copy_with_a_name_and_p10_counts(db_path: Path) -> None:
    repo = open_repository(db_path)
    a = Project(year=2020, name="业务培训", unit="区机管局")
    repo.save(a)
    alone = warnings_by_id(repo)[a.id or ""]
    dup = repo.copy(a.id or "", name="业务培训")  # same declaration: a P10 twin
    warnings = warnings_by_id(repo)
    assert warnings[a.id or ""] == alone + 1
    assert warnings[dup.id or ""] == alone + 1
    assert has_p10(repo, dup)


def test_copy_of_each_case_keeps_its_content(db_path: Path) -> None:
    repo = open_repository(db_path)
    projects = all_cases()
    repo.save_many(projects)
    for p in projects:
        dup = repo.copy(p.id or "")
        back = repo.load(dup.id or "")
        assert dataclasses.replace(back, id=p.id, name=p.name, status=p.status) == p


# ------------------------------------------------------------------ 定稿


def test_a_project_without_errors_can_be_finalised_and_reopened(db_path: Path) -> None:
    repo = open_repository(db_path)
    p = baseline()
    assert validate(p) == []
    repo.save(p)
    repo.set_status(p.id or "", STATUS_FINAL)
    assert repo.load(p.id or "").is_final
    assert repo.summaries()[0].status_label == "定稿"
    repo.set_status(p.id or "", STATUS_DRAFT)
    assert repo.summaries()[0].status_label == "草稿"


def test_a_project_with_errors_cannot_be_finalised(db_path: Path) -> None:
    repo = open_repository(db_path)
    p = baseline()
    p.funding.total = Decimal("1")  # F04 and F05: two errors
    repo.save(p)
    with pytest.raises(FinalizeError) as info:
        repo.set_status(p.id or "", STATUS_FINAL)
    assert isinstance(info.value, ValueError)
    assert str(info.value) == "“车辆购置费”还有 2 个错误，不能定稿：请先改正问题列表中的错误。"
    assert sorted(f.code for f in info.value.errors) == ["F04", "F05"]
    assert all(f.is_error for f in info.value.errors)
    assert repo.summaries()[0].status_label == "草稿"
    assert not repo.load(p.id or "").is_final
    repo.set_status(p.id or "", STATUS_DRAFT)  # back to draft is always allowed


def test_finalising_judges_with_the_repository_settings(db_path: Path) -> None:
    repo = open_repository(db_path)
    p = baseline()
    repo.save(p)
    repo.settings = RuleSettings(satisfaction_min=Decimal(98))  # a warning, not an error
    repo.set_status(p.id or "", STATUS_FINAL)
    [s] = repo.summaries()
    assert (s.status_label, s.errors, s.warnings) == ("定稿", 0, 1)


def test_unknown_status_or_project_is_refused(db_path: Path) -> None:
    repo = open_repository(db_path)
    p = baseline()
    repo.save(p)
    with pytest.raises(ValueError) as info:
        repo.set_status(p.id or "", "archived")
    assert not isinstance(info.value, FinalizeError)
    with pytest.raises(KeyError):
        repo.set_status("no-such-id", STATUS_FINAL)
    assert repo.summaries()[0].status_label == "草稿"


def test_save_keeps_the_status_the_project_carries(db_path: Path) -> None:
    repo = open_repository(db_path)
    p = baseline()
    p.status = STATUS_FINAL
    repo.save(p)
    assert repo.load(p.id or "").status == STATUS_FINAL


# ------------------------------------------------------------------ recount_all


def test_recount_all_follows_changed_settings(db_path: Path) -> None:
    repo = open_repository(db_path)
    a, b, binned = baseline(), minhang_baseline(), baseline()
    binned.year = 2022
    repo.save_many([a, b, binned])
    repo.delete(binned.id or "")
    assert repo.recount_all() == 0
    assert {(s.errors, s.warnings) for s in repo.summaries()} == {(0, 0)}
    in_trash = [(s.errors, s.warnings) for s in repo.trash_summaries()]

    # Satisfaction targets ≥95% and ≥90% now fall short of 98%: one warning each.
    repo.settings = RuleSettings(satisfaction_min=Decimal(98))
    assert repo.recount_all() == 2
    assert {s.id: (s.errors, s.warnings) for s in repo.summaries()} == {
        a.id: (0, 1),
        b.id: (0, 1),
    }
    # The 回收站 is left alone (restore recounts).
    assert [(s.errors, s.warnings) for s in repo.trash_summaries()] == in_trash
    assert repo.recount_all() == 0

    # Reopening with the new settings sees the stored counts.
    again = open_repository(db_path, RuleSettings(satisfaction_min=Decimal(98)))
    assert again.recount_all() == 0
    assert open_repository(db_path).recount_all() == 2


def test_recount_all_matches_validation_of_every_case(db_path: Path) -> None:
    repo = open_repository(db_path)
    projects = all_cases()
    repo.save_many(projects)
    repo.settings = RuleSettings(satisfaction_min=Decimal(99), product_tolerance=Decimal(0))
    repo.recount_all()
    ctx = repo.context()
    by_id = {s.id: (s.errors, s.warnings) for s in repo.summaries()}
    for p in projects:
        assert by_id[p.id or ""] == counts(validate(p, repo.settings, ctx))


def test_copy_of_a_name_at_the_limit_stays_importable(db_path: Path, tmp_path: Path) -> None:
    from desktop.export.package import read_package_file, write_package_file
    from desktop.models.limits import MAX_NAME_CHARS

    repo = open_repository(db_path)
    source = baseline()
    source.name = "长" * MAX_NAME_CHARS
    repo.save(source)
    dup = repo.copy(source.id or "")
    assert len(dup.name) == MAX_NAME_CHARS and dup.name.endswith("（副本）")
    out = tmp_path / "copy.json"
    write_package_file([repo.load(dup.id or "")], out)
    (back,) = read_package_file(out).projects
    assert back.name == dup.name
