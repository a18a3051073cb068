"""定稿记录: a snapshot at each 定稿, listed newest first, loaded field by field, restored
as a 草稿 (the current state kept as 恢复前), purged with its project; migration 0003
(the snapshots table, ``review`` and ``copied_from``) upgrades every frozen fixture."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from conftest import REPO, case_projects
from rule_helpers import baseline

from desktop.export.package import package_bytes, project_to_dict, read_package_bytes
from desktop.models.interchange import project_from_dict
from desktop.models.project import STATUS_DRAFT, STATUS_FINAL, Project
from desktop.models.rules import counts, validate
from desktop.store import FinalizeError, Repository, open_repository
from desktop.store.backup import MANUAL, make_backup
from desktop.store.catalog import REVISIONS
from desktop.store.database import _alembic_config, current_revision
from desktop.store.repository import SNAPSHOT_BEFORE_RESTORE, SNAPSHOT_FINAL

FIXTURES = REPO / "tests" / "fixtures" / "db"


def same_fields(a: Project, b: Project) -> None:
    """Every field of the aggregate, named when one differs."""
    for f in dataclasses.fields(Project):
        assert getattr(a, f.name) == getattr(b, f.name), f.name


def finalisable() -> list[Project]:
    return [p for p in case_projects() if not any(f.is_error for f in validate(p))]


def snapshot_rows(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from snapshots").fetchone()[0]


def stored(repo: Repository, p: Project) -> Project:
    repo.save(p)
    return repo.load(p.id or "")


# ------------------------------------------------------------------ the 数据包 dict both ways


def test_the_trusted_reader_gives_back_every_case_as_the_checking_reader_does() -> None:
    for p in case_projects():
        as_dict = project_to_dict(p)
        back = project_from_dict(json.loads(json.dumps(as_dict, ensure_ascii=False)))
        assert back == p, p.name
        [checked] = read_package_bytes(package_bytes([back])).projects
        assert checked == back, p.name


# ------------------------------------------------------------------ taking snapshots


def test_finalising_keeps_one_snapshot_equal_to_the_project_then(db_path: Path) -> None:
    repo = open_repository(db_path)
    for p in finalisable():
        p.review = ["funding.total"]
        p.copied_from = "上一年度的项目"
        at_final = stored(repo, p)
        repo.set_status(p.id or "", STATUS_FINAL)
        [info] = repo.list_snapshots(p.id or "")
        assert (info.project_id, info.label, info.status, info.status_label) == (
            p.id,
            SNAPSHOT_FINAL,
            STATUS_FINAL,
            "定稿",
        )
        assert info.indicators == len(p.indicators)
        assert info.taken_at[:4].isdigit()
        at_final.status = STATUS_FINAL
        same_fields(repo.load_snapshot(info.id), at_final)


def test_only_a_real_finalisation_takes_one(db_path: Path) -> None:
    repo = open_repository(db_path)
    p = baseline()
    repo.save(p)
    pid = p.id or ""
    repo.set_status(pid, STATUS_DRAFT)  # already a draft
    assert repo.list_snapshots(pid) == []
    repo.set_status(pid, STATUS_FINAL)
    repo.set_status(pid, STATUS_FINAL)  # already final: nothing new to keep
    assert len(repo.list_snapshots(pid)) == 1
    repo.set_status(pid, STATUS_DRAFT)  # 撤销定稿 keeps nothing
    assert len(repo.list_snapshots(pid)) == 1
    broken = repo.load(pid)
    broken.indicators[0].target = broken.indicators[0].name  # I03: an error
    repo.save(broken)
    with pytest.raises(FinalizeError):
        repo.set_status(pid, STATUS_FINAL)
    assert len(repo.list_snapshots(pid)) == 1


def test_snapshots_are_listed_newest_first_and_per_project(db_path: Path) -> None:
    repo = open_repository(db_path)
    a, b = baseline(), baseline()
    b.name = "另一个项目"
    repo.save_many([a, b])
    names = []
    for n in range(3):
        p = repo.load(a.id or "")
        p.overview = f"第 {n + 1} 版"
        repo.save(p)
        repo.set_status(a.id or "", STATUS_FINAL)
        repo.set_status(a.id or "", STATUS_DRAFT)
        names.append(p.overview)
    repo.set_status(b.id or "", STATUS_FINAL)
    infos = repo.list_snapshots(a.id or "")
    assert [repo.load_snapshot(i.id).overview for i in infos] == list(reversed(names))
    assert [i.taken_at for i in infos] == sorted((i.taken_at for i in infos), reverse=True)
    assert [i.project_id for i in repo.list_snapshots(b.id or "")] == [b.id]
    assert repo.list_snapshots("no-such-id") == []
    with pytest.raises(KeyError):
        repo.load_snapshot(10_000)


# ------------------------------------------------------------------ restoring


def test_restore_puts_the_snapshot_back_as_a_draft_and_keeps_what_was_there(
    db_path: Path,
) -> None:
    repo = open_repository(db_path)
    p = baseline()
    at_final = stored(repo, p)
    pid = p.id or ""
    repo.set_status(pid, STATUS_FINAL)
    [final] = repo.list_snapshots(pid)
    repo.set_status(pid, STATUS_DRAFT)
    edited = repo.load(pid)
    edited.name = "车辆购置费（改）"
    edited.indicators = edited.indicators[:2]
    edited.review = ["indicators.0.target"]
    repo.save(edited)
    before = repo.load(pid)

    restored = repo.restore_snapshot(pid, final.id)

    now = repo.load(pid)
    assert restored == now
    at_final.status = STATUS_DRAFT
    same_fields(now, at_final)  # the content of then, as a 草稿
    infos = repo.list_snapshots(pid)
    assert [(i.label, i.status, i.indicators) for i in infos] == [
        (SNAPSHOT_BEFORE_RESTORE, STATUS_DRAFT, 2),
        (SNAPSHOT_FINAL, STATUS_FINAL, len(at_final.indicators)),
    ]
    same_fields(repo.load_snapshot(infos[0].id), before)  # nothing lost
    [listed] = repo.summaries()
    assert (listed.name, listed.status_label) == ("车辆购置费", "草稿")
    assert (listed.errors, listed.warnings) == counts(repo.findings(now))


def test_restoring_the_restore_point_undoes_the_restore(db_path: Path) -> None:
    repo = open_repository(db_path)
    p = baseline()
    repo.save(p)
    pid = p.id or ""
    repo.set_status(pid, STATUS_FINAL)
    repo.set_status(pid, STATUS_DRAFT)
    changed = repo.load(pid)
    changed.annual_goal = "改过的年度目标"
    repo.save(changed)
    repo.restore_snapshot(pid, repo.list_snapshots(pid)[-1].id)
    assert repo.load(pid).annual_goal != "改过的年度目标"
    restore_point = repo.list_snapshots(pid)[0]
    repo.restore_snapshot(pid, restore_point.id)
    same_fields(repo.load(pid), changed)


def test_a_snapshot_of_another_project_or_none_changes_nothing(db_path: Path) -> None:
    repo = open_repository(db_path)
    a, b = baseline(), baseline()
    b.name = "乙"
    repo.save_many([a, b])
    repo.set_status(b.id or "", STATUS_FINAL)
    [of_b] = repo.list_snapshots(b.id or "")
    before = repo.load(a.id or "")
    with pytest.raises(KeyError):
        repo.restore_snapshot(a.id or "", of_b.id)
    with pytest.raises(KeyError):
        repo.restore_snapshot(a.id or "", 10_000)
    with pytest.raises(KeyError):
        repo.restore_snapshot("no-such-id", of_b.id)
    assert repo.load(a.id or "") == before
    assert repo.list_snapshots(a.id or "") == []  # no 恢复前 left behind
    assert snapshot_rows(db_path) == 1


def test_restore_is_one_transaction(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = open_repository(db_path)
    p = baseline()
    repo.save(p)
    pid = p.id or ""
    repo.set_status(pid, STATUS_FINAL)
    repo.set_status(pid, STATUS_DRAFT)
    current = repo.load(pid)

    def fail(*_args: object, **_kw: object) -> None:
        raise RuntimeError("disk gone mid-way")

    monkeypatch.setattr(repo, "_recount", fail)  # after the 恢复前 snapshot and the write
    with pytest.raises(RuntimeError):
        repo.restore_snapshot(pid, repo.list_snapshots(pid)[0].id)
    assert repo.load(pid) == current
    assert len(repo.list_snapshots(pid)) == 1


# ------------------------------------------------------------------ 回收站, purge, backups


def test_the_trash_keeps_snapshots_and_purging_takes_them(db_path: Path) -> None:
    repo = open_repository(db_path)
    a, b = baseline(), baseline()
    b.name = "乙"
    repo.save_many([a, b])
    for p in (a, b):
        repo.set_status(p.id or "", STATUS_FINAL)
    repo.delete(a.id or "")
    assert len(repo.list_snapshots(a.id or "")) == 1
    repo.restore(a.id or "")
    assert len(repo.list_snapshots(a.id or "")) == 1
    repo.delete(a.id or "")
    assert repo.purge(a.id or "") == 1
    assert repo.list_snapshots(a.id or "") == []
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("select project_id from snapshots").fetchall() == [(b.id,)]
    repo.delete(b.id or "")
    assert repo.empty_trash() == 1
    assert snapshot_rows(db_path) == 0


def test_a_backup_restored_brings_its_snapshots(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    repo = open_repository(db)
    p = baseline()
    repo.save(p)
    repo.set_status(p.id or "", STATUS_FINAL)
    backup = make_backup(db, MANUAL)
    repo.purge(p.id or "")
    assert snapshot_rows(db) == 0
    repo.restore_from(backup)
    again = open_repository(db)
    [info] = again.list_snapshots(p.id or "")
    assert again.load_snapshot(info.id).name == p.name


def test_review_and_copied_from_are_stored(db_path: Path) -> None:
    repo = open_repository(db_path)
    p = baseline()
    p.review = ["funding.total", "funding.annual"]
    p.copied_from = "0f2c-上一年度"
    back = stored(repo, p)
    assert (back.review, back.copied_from) == (["funding.total", "funding.annual"], "0f2c-上一年度")
    back.review = []
    back.copied_from = None
    assert stored(repo, back) == back
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("select review, copied_from from projects").fetchone() == (None, None)


# ------------------------------------------------------------------ migration 0003


@pytest.mark.parametrize("revision", REVISIONS)
def test_each_fixture_upgrades_with_its_snapshots_review_and_origin(
    revision: str, tmp_path: Path
) -> None:
    expected = json.loads((FIXTURES / f"schema-{revision}.json").read_text(encoding="utf-8"))
    db = tmp_path / "jixiao.db"
    shutil.copy(FIXTURES / f"schema-{revision}.db", db)
    repo = open_repository(db)
    assert current_revision(repo.engine) == REVISIONS[-1]
    want = expected.get("stored", {})
    snapshots = expected.get("snapshots", [])
    for p in expected["projects"]:
        back = repo.load(p["id"])
        assert project_to_dict(back) == p
        # fixtures before 0003 had neither: they come up empty
        kept = want.get(p["id"], {"review": [], "copied_from": None})
        assert (back.review, back.copied_from) == (kept["review"], kept["copied_from"])
        if "status" in kept:
            assert back.status == kept["status"]
    found = [
        (info, repo.load_snapshot(info.id))
        for p in expected["projects"]
        for info in repo.list_snapshots(p["id"])
    ]
    assert len(found) == len(snapshots)
    for (info, project), snap in zip(found, snapshots, strict=True):
        assert (info.project_id, info.taken_at, info.label, info.status, info.indicators) == (
            snap["project_id"],
            snap["taken_at"],
            snap["label"],
            snap["status"],
            snap["indicators"],
        )
        assert project_to_dict(project) == snap["project"]
    if revision < "0003":  # the schema of then had no snapshots: a 定稿 now keeps one
        p = next(q for q in expected["projects"] if q["id"] not in expected["trashed"])
        if not any(f.is_error for f in repo.findings(repo.load(p["id"]))):
            repo.set_status(p["id"], STATUS_FINAL)
            assert len(repo.list_snapshots(p["id"])) == 1


def test_the_0003_fixture_has_what_it_claims() -> None:
    expected = json.loads((FIXTURES / "schema-0003.json").read_text(encoding="utf-8"))
    assert len(expected["snapshots"]) == 2
    trashed = set(expected["trashed"])
    assert any(s["project_id"] in trashed for s in expected["snapshots"])
    assert any(v["review"] for v in expected["stored"].values())
    assert any(v["copied_from"] for v in expected["stored"].values())


def test_downgrade_to_0002_keeps_every_project_row(db_path: Path) -> None:
    repo = open_repository(db_path)
    projects = case_projects()
    projects[0].review = ["funding.total"]
    repo.save_many(projects)
    repo.set_status(projects[2].id or "", STATUS_FINAL)
    with sqlite3.connect(db_path) as conn:
        before = {
            t: conn.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("projects", "indicators", "breakdown_rows", "guarantees")
        }
    command.downgrade(_alembic_config(repo.engine), "0002")
    assert current_revision(repo.engine) == "0002"
    with sqlite3.connect(db_path) as conn:
        after = {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in before}
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
        columns = {r[1] for r in conn.execute("pragma table_info(projects)")}
    assert after == before
    assert "snapshots" not in tables
    assert not {"review", "copied_from"} & columns
