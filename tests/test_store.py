"""The SQLite store: whole projects saved and loaded exactly, all or nothing, counts kept current."""

from __future__ import annotations

import copy
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import CASE_FILES, REPO

from desktop.export.package import project_to_dict, read_package_file
from desktop.models.project import Project
from desktop.models.rules import counts, validate
from desktop.store import DuplicateIdError, StoreError, open_repository
from desktop.store.database import SCHEMA_REVISION, current_revision, head_revision


def all_cases() -> list[Project]:
    return [p for case in CASE_FILES for p in read_package_file(case).projects]


def test_every_case_saves_and_loads_field_for_field(db_path: Path) -> None:
    repo = open_repository(db_path)
    projects = all_cases()
    repo.save_many(projects)
    for p in projects:
        assert p.id is not None
        loaded = repo.load(p.id)
        assert project_to_dict(loaded) == project_to_dict(p)
        assert loaded.indicators == p.indicators


def test_values_survive_the_store_as_written(db_path: Path) -> None:
    repo = open_repository(db_path)
    p = Project(year=2021, name="测试")
    p.funding.total = Decimal("10.00")
    p.funding.annual = "一百万"  # unreadable typing is kept for rule F01
    repo.save(p)
    assert p.id is not None
    back = repo.load(p.id)
    assert str(back.funding.total) == "10.00"
    assert back.funding.annual == "一百万"


def test_summaries_carry_counts_amounts_and_status(db_path: Path) -> None:
    repo = open_repository(db_path)
    projects = all_cases()
    repo.save_many(projects)
    summaries = {s.name + str(s.year): s for s in repo.summaries()}
    for p in projects:
        s = summaries[p.name + str(p.year)]
        errors, warnings = counts(validate(p))
        assert (s.errors, s.warnings) == (errors, warnings)
        assert s.total == p.funding.total
        assert s.status_label == "草稿"
    assert [s.year for s in repo.summaries(2020)] == [2020, 2020]


def test_existing_id_is_refused_and_nothing_is_written(db_path: Path) -> None:
    repo = open_repository(db_path)
    first = all_cases()
    repo.save_many(first)
    again = copy.deepcopy(first[:2]) + [Project(year=2022, name="新项目")]
    with pytest.raises(DuplicateIdError) as info:
        repo.save_many(again)
    assert "政府雇员项目" in str(info.value)
    assert repo.count() == len(first)
    assert not any(s.name == "新项目" for s in repo.summaries())


def test_replace_updates_in_place(db_path: Path) -> None:
    repo = open_repository(db_path)
    projects = all_cases()
    repo.save_many(projects)
    changed = copy.deepcopy(projects[0])
    changed.indicators[0].target = "=159人"
    del changed.indicators[1:]
    result = repo.save_many([changed], replace=True)
    assert (result.added, result.replaced) == (0, 1)
    assert changed.id is not None
    back = repo.load(changed.id)
    assert [i.target for i in back.indicators] == ["=159人"]
    assert repo.count() == len(projects)


def test_duplicate_declaration_updates_the_other_projects_count(db_path: Path) -> None:
    repo = open_repository(db_path)
    a = Project(year=2020, name="业务培训", unit="区机管局")
    repo.save(a)
    before = {s.id: s.warnings for s in repo.summaries()}
    b = Project(year=2020, name="业务培训 ", unit="区机管局")
    repo.save(b)
    after = {s.id: s.warnings for s in repo.summaries()}
    assert after[a.id] == before[a.id] + 1  # a now has a P10 twin
    assert any(f.code == "P10" for f in repo.findings(b))
    repo.delete(b.id or "")
    assert {s.id: s.warnings for s in repo.summaries()}[a.id] == before[a.id]


def test_purge_removes_rows_too(db_path: Path) -> None:
    repo = open_repository(db_path)
    p = all_cases()[0]
    repo.save(p)
    repo.delete(p.id or "")  # to the 回收站: rows kept until purged
    assert repo.purge(p.id or "") == 1
    with sqlite3.connect(db_path) as conn:
        for table in ("projects", "indicators", "breakdown_rows", "guarantees"):
            assert conn.execute(f"select count(*) from {table}").fetchone() == (0,)


def test_database_is_migrated_to_head_and_uses_wal(db_path: Path) -> None:
    repo = open_repository(db_path)
    # the constant start-up compares with must name Alembic's newest migration
    assert head_revision() == SCHEMA_REVISION
    assert current_revision(repo.engine) == head_revision()
    with repo.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_reopening_keeps_data(db_path: Path) -> None:
    repo = open_repository(db_path)
    repo.save_many(all_cases())
    repo.engine.dispose()
    again = open_repository(db_path)
    assert again.count() == len(all_cases())


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_bytes(b"these are my notes, not a database" * 100)
    before = bogus.read_bytes()
    with pytest.raises(StoreError) as info:
        open_repository(bogus)
    assert "不是" in info.value.message
    assert bogus.read_bytes() == before


def test_resolve_ids_accepts_unique_prefixes(db_path: Path) -> None:
    repo = open_repository(db_path)
    a, b = Project(year=2021, name="a", id="abc-1"), Project(year=2021, name="b", id="abd-2")
    repo.save_many([a, b])
    assert repo.resolve_ids(["abc", "abd-2"]) == (["abc-1", "abd-2"], [])
    assert repo.resolve_ids(["ab", "zzz"]) == ([], ["ab", "zzz"])


def test_a_current_database_opens_without_importing_alembic(db_path: Path) -> None:
    import subprocess
    import sys

    open_repository(db_path).engine.dispose()
    code = (
        "import sys; from desktop.store import open_repository; "
        f"open_repository({str(db_path)!r}); print('alembic' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    ).stdout.strip()
    assert out == "False"
