"""Importing the same 数据包 twice does not double the projects (issue 16, item 11).

A project without an id whose 年度 + 项目名称 + 实施单位 are those of a stored one
is skipped when identical; with other content the command line wants ``--replace``
(the stored project keeps its id) or ``--as-new``.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from conftest import CASE_FILES, write_package

from desktop.cli import main
from desktop.models.project import Project
from desktop.store import SameProjectError, open_repository

CASE_2020 = next(f for f in CASE_FILES if "2020" in f.name)  # 2 projects, no ids


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def dump(db: Path) -> list[str]:
    with closing(sqlite3.connect(db)) as conn:
        return list(conn.iterdump())


def listed(capsys: pytest.CaptureFixture[str], db: Path) -> list[dict]:
    code, out, _ = run(capsys, "list", "--db", str(db), "--json")
    assert code == 0
    return json.loads(out)


def changed_copy(tmp_path: Path, **changes: object) -> Path:
    """The 2020 case with its first project changed (still without ids)."""
    doc = json.loads(CASE_2020.read_text(encoding="utf-8"))
    assert all("id" not in p for p in doc["projects"])
    doc["projects"][0].update(changes)
    return write_package(tmp_path / "changed.json", doc["projects"])


def test_the_same_package_imported_twice_adds_nothing(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    code, out, _ = run(capsys, "import", str(CASE_2020), "--db", str(db_path))
    assert code == 0 and "新增 2 个" in out
    first = listed(capsys, db_path)
    code, out, _ = run(capsys, "import", str(CASE_2020), "--db", str(db_path))
    assert code == 0
    assert "新增 0 个" in out
    assert "已跳过 2 个与程序中完全相同的项目" in out and "政府雇员项目" in out
    assert listed(capsys, db_path) == first  # nothing added, nothing touched


def test_trimmed_names_are_the_same_project(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    run(capsys, "import", str(CASE_2020), "--db", str(db_path))
    doc = json.loads(CASE_2020.read_text(encoding="utf-8"))
    spaced = write_package(
        tmp_path / "spaced.json", [dict(doc["projects"][0], name=" 政府雇员项目 ")]
    )
    code, _, err = run(capsys, "import", str(spaced), "--db", str(db_path))
    # the name differs in its spaces only, so the content differs: it is asked about
    assert code == 2 and "政府雇员项目" in err
    assert len(listed(capsys, db_path)) == 2


def test_changed_content_needs_replace_or_as_new(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    run(capsys, "import", str(CASE_2020), "--db", str(db_path))
    before = dump(db_path)
    changed = changed_copy(tmp_path, overall_goal="改过的项目总目标")
    code, out, err = run(capsys, "import", str(changed), "--db", str(db_path))
    assert code == 2
    assert "政府雇员项目" in err and "--replace" in err and "--as-new" in err
    assert dump(db_path) == before  # all or nothing: the identical one was not written either


def test_replace_replaces_in_place_keeping_the_id(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    run(capsys, "import", str(CASE_2020), "--db", str(db_path))
    ids = {p["name"]: p["id"] for p in listed(capsys, db_path)}
    changed = changed_copy(tmp_path, overall_goal="改过的项目总目标")
    code, out, _ = run(capsys, "import", str(changed), "--db", str(db_path), "--replace")
    assert code == 0 and "替换 1 个" in out and "已跳过 1 个" in out
    after = listed(capsys, db_path)
    assert {p["name"]: p["id"] for p in after} == ids
    repo = open_repository(db_path)
    try:
        assert repo.load(ids["政府雇员项目"]).overall_goal == "改过的项目总目标"
    finally:
        repo.engine.dispose()


def test_as_new_adds_a_new_project(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    run(capsys, "import", str(CASE_2020), "--db", str(db_path))
    changed = changed_copy(tmp_path, overall_goal="改过的项目总目标")
    code, out, _ = run(capsys, "import", str(changed), "--db", str(db_path), "--as-new")
    assert code == 0 and "新增 1 个" in out and "已跳过 1 个" in out
    after = listed(capsys, db_path)
    assert len(after) == 3
    assert [p["name"] for p in after].count("政府雇员项目") == 2
    # two projects of one 年度 + 名称 + 单位: rule P10 says so
    _, out, _ = run(capsys, "check", "--db", str(db_path), "--json")
    assert any(f["code"] == "P10" for f in json.loads(out))


def test_a_project_in_the_trash_is_not_matched(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    run(capsys, "import", str(CASE_2020), "--db", str(db_path))
    repo = open_repository(db_path)
    try:
        for s in repo.summaries():
            repo.delete(s.id)
    finally:
        repo.engine.dispose()
    code, out, _ = run(capsys, "import", str(CASE_2020), "--db", str(db_path))
    assert code == 0 and "新增 2 个" in out


# ------------------------------------------------------------------ the store


def _two(year: int = 2024) -> list[Project]:
    return [
        Project(year=year, name="甲项目", unit="区财政局", overall_goal="目标一"),
        Project(year=year, name="乙项目", unit="区财政局", overall_goal="目标二"),
    ]


def test_store_skips_identical_and_refuses_different_all_or_nothing(db_path: Path) -> None:
    repo = open_repository(db_path)
    try:
        repo.save_many(_two(), same="ask")
        again = _two()
        result = repo.save_many(again, same="ask")
        assert (result.added, result.replaced, result.skipped) == (0, 0, ("甲项目", "乙项目"))
        assert all(p.id for p in again)  # each takes the stored project's id
        assert repo.count() == 2
        other = _two()
        other[1].overall_goal = "另一个目标"
        other.append(Project(year=2024, name="丙项目", unit="区财政局"))
        with pytest.raises(SameProjectError) as info:
            repo.save_many(other, same="ask")
        assert [name for _, name in info.value.clashes] == ["乙项目"]
        assert "乙项目" in str(info.value)
        assert repo.count() == 2  # 丙项目 not written either
        # without matching (the window's own saves), a twin is simply added
        repo.save_many(_two()[:1])
        assert repo.count() == 3
    finally:
        repo.engine.dispose()


def test_store_unit_and_year_are_part_of_the_identity(db_path: Path) -> None:
    repo = open_repository(db_path)
    try:
        repo.save_many(_two(), same="ask")
        elsewhere = _two()
        elsewhere[0].unit = "区教育局"
        elsewhere[1].year = 2025
        result = repo.save_many(elsewhere, same="ask")
        assert result.added == 2 and result.skipped == ()
    finally:
        repo.engine.dispose()


def test_store_one_file_with_two_versions_of_a_stored_project(db_path: Path) -> None:
    repo = open_repository(db_path)
    try:
        repo.save_many(_two()[:1], same="ask")
        changed, identical = _two()[0], _two()[0]
        changed.overall_goal = "改过的目标"
        result = repo.save_many([changed, identical], same="replace")
        # the identical one is skipped; the stored project is not also replaced by the other
        assert result.skipped == ("甲项目",) and result.skipped_at == (1,)
        assert (result.added, result.replaced) == (1, 0)
        goals = sorted(p.overall_goal or "" for p in repo.load_all())
        assert goals == ["改过的目标", "目标一"]
    finally:
        repo.engine.dispose()
