"""The command line as a clerk's IT helper uses it: import, list, check, export-json."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import CASE_FILES, REPO, write_package

from desktop.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def dump(db: Path) -> list[str]:
    """The whole database as SQL text: equal dumps mean an unchanged store."""
    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())


def test_import_then_check_gives_the_spec_findings(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    code, out, _ = run(capsys, "import", *map(str, CASE_FILES), "--db", str(db_path))
    assert code == 0 and "已导入 10 个项目" in out
    code, out, _ = run(capsys, "check", "--db", str(db_path), "--json")
    assert code == 1  # the cases have errors
    findings = json.loads(out)
    assert all(
        set(f) >= {"year", "project", "code", "severity", "field", "message"}
        and f["severity"] in ("error", "warning")
        for f in findings
    )

    def of(year: int, name: str, code: str) -> list[dict[str, Any]]:
        return [
            f for f in findings if f["year"] == year and f["project"] == name and f["code"] == code
        ]

    assert len(of(2020, "政府雇员项目", "I02")) == 8
    assert of(2020, "政府雇员项目", "P03")
    assert not [
        f
        for f in findings
        if (f["year"], f["project"]) == (2020, "政府雇员项目") and f["code"].startswith("F")
    ]
    # I04 on the one bare 90%, not on the 100% of rates (direction not in doubt).
    assert len(of(2020, "区级机关工勤类雇员后勤服务保障经费", "I04")) == 1
    assert [f["field"] for f in of(2021, "党建经费", "I03")] == ["indicators[9].target"]
    assert [f["field"] for f in of(2021, "党建经费", "I05")] == ["indicators[6].target"]
    assert of(2021, "法律顾问费", "I04") == []
    i15 = of(2021, "法律顾问费", "I15")
    assert [f["field"] for f in i15] == ["indicators[7].target"] and i15[0]["suggestion"] == "＞90%"
    assert [f["field"] for f in of(2021, "法律顾问费", "I09")] == ["indicators[1].target"]
    assert of(2021, "政府采购专家评审费", "I15")[0]["suggestion"] == "≥400场"
    assert [f["field"] for f in of(2021, "政府雇员项目", "I09")] == ["indicators[4].target"]
    assert not [f for f in findings if f["project"] == "车辆购置费" and f["severity"] == "error"]


def test_export_gives_back_the_imported_projects(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    run(capsys, "import", *map(str, CASE_FILES), "--db", str(db_path))
    out_file = tmp_path / "out.json"
    code, out, _ = run(capsys, "export-json", "--out", str(out_file), "--db", str(db_path))
    assert code == 0 and "10 个项目" in out
    exported = {
        (p["year"], p["name"]): p
        for p in json.loads(out_file.read_text(encoding="utf-8"))["projects"]
    }
    for case in CASE_FILES:
        for original in json.loads(case.read_text(encoding="utf-8"))["projects"]:
            got = dict(exported[(original["year"], original["name"])])
            assert got.pop("id")
            assert _same(got, original)


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    def clean(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items() if x is not None}
        if isinstance(v, list):
            return [clean(x) for x in v]
        return v

    return clean(a) == clean(b)


def test_export_by_year_and_id(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    run(capsys, "import", *map(str, CASE_FILES), "--db", str(db_path))
    code, out, _ = run(capsys, "list", "--db", str(db_path), "--json", "--year", "2021")
    listed = json.loads(out)
    assert code == 0 and len(listed) == 8
    assert {"id", "year", "name", "unit", "status", "errors", "warnings"} <= set(listed[0])
    assert listed[0]["status"] == "草稿"
    wanted = [listed[0]["id"][:8], listed[1]["id"]]
    out_file = tmp_path / "two.json"
    code, _, _ = run(
        capsys, "export-json", "--out", str(out_file), "--db", str(db_path), "--id", *wanted
    )
    assert code == 0
    names = [p["name"] for p in json.loads(out_file.read_text(encoding="utf-8"))["projects"]]
    assert sorted(names) == sorted([listed[0]["name"], listed[1]["name"]])
    code, _, err = run(
        capsys, "export-json", "--out", str(out_file), "--db", str(db_path), "--id", "nope"
    )
    assert code == 2 and "nope" in err


def test_reimport_with_ids_needs_replace(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    run(capsys, "import", str(CASE_FILES[0]), "--db", str(db_path))
    exported = tmp_path / "e.json"
    run(capsys, "export-json", "--out", str(exported), "--db", str(db_path))
    before = dump(db_path)
    code, _, err = run(capsys, "import", str(exported), "--db", str(db_path))
    assert code == 2 and "--replace" in err and "政府雇员项目" in err
    assert dump(db_path) == before
    code, out, _ = run(capsys, "import", str(exported), "--db", str(db_path), "--replace")
    assert code == 0 and "替换 2 个" in out
    code, out, _ = run(capsys, "list", "--db", str(db_path), "--json")
    assert len(json.loads(out)) == 2


def test_project_without_id_imported_again_is_skipped(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    # (issue 16: it used to be added again; tests/test_same_project.py has the rest)
    run(capsys, "import", str(CASE_FILES[0]), "--db", str(db_path))
    _, out, _ = run(capsys, "import", str(CASE_FILES[0]), "--db", str(db_path))
    assert "已跳过 2 个" in out
    _, out, _ = run(capsys, "list", "--db", str(db_path), "--json")
    assert len(json.loads(out)) == 2


def _broken_files(tmp_path: Path) -> dict[str, Path]:
    good = json.loads(CASE_FILES[1].read_text(encoding="utf-8"))
    text = json.dumps(good, ensure_ascii=False)
    files: dict[str, Path] = {}
    (tmp_path / "truncated.json").write_text(text[: len(text) // 3], encoding="utf-8")
    files["truncated"] = tmp_path / "truncated.json"
    files["format"] = write_package(tmp_path / "format.json", good["projects"], format="excel")
    wrong_type = json.loads(text)
    wrong_type["projects"][3]["year"] = "2021年"
    files["type"] = write_package(tmp_path / "type.json", wrong_type["projects"])
    long_field = json.loads(text)
    long_field["projects"][2]["overall_goal"] = "长" * 30_000
    files["long"] = write_package(tmp_path / "long.json", long_field["projects"])
    many = [dict(good["projects"][i % 8], name=f"项目{i}") for i in range(3000)]
    files["many"] = write_package(tmp_path / "many.json", many)
    list_field = json.loads(text)
    list_field["projects"][4]["indicators"] = "见附件"
    files["list"] = write_package(tmp_path / "list.json", list_field["projects"])
    return files


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("truncated", ["不是完整的 JSON"]),
        ("format", ["format"]),
        ("type", ["第 4 个项目“后勤保障经费”", "year（年度）"]),
        ("long", ["第 3 个项目“法律顾问费”", "overall_goal（项目总目标）", "30000"]),
        ("many", ["3000 个项目"]),
        ("list", ["第 5 个项目", "indicators（绩效指标）", "列表"]),
    ],
)
def test_broken_file_exits_2_and_leaves_the_database_unchanged(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path, kind: str, words: list[str]
) -> None:
    run(capsys, "import", str(CASE_FILES[0]), "--db", str(db_path))
    before = dump(db_path)
    broken = _broken_files(tmp_path)[kind]
    code, _, err = run(capsys, "import", str(CASE_FILES[1]), str(broken), "--db", str(db_path))
    assert code == 2
    for w in words:
        assert w in err
    assert "数据库保持不变" in err
    assert dump(db_path) == before
    code, _, err = run(capsys, "check", str(broken), "--db", str(db_path))
    assert code == 2 and words[0] in err


def test_check_file_does_not_store(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    code, out, _ = run(capsys, "check", str(CASE_FILES[1]), "--json", "--db", str(db_path))
    assert code == 1  # 党建经费 has an I03 error
    assert {f["project"] for f in json.loads(out)} >= {"党建经费", "车辆购置费"}
    assert not db_path.exists()  # the database was neither written nor created
    code, _, err = run(capsys, "list", "--db", str(db_path), "--json")
    assert code == 2 and "不存在" in err


def test_check_exit_0_without_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    case = json.loads(CASE_FILES[1].read_text(encoding="utf-8"))
    clean = write_package(
        tmp_path / "clean.json", [p for p in case["projects"] if p["name"] == "车辆购置费"]
    )
    code, out, _ = run(capsys, "check", str(clean))
    assert code == 0 and "错误 0 个" in out


def test_check_text_output_names_codes_and_fields(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(CASE_FILES[1]), "--year", "2021")
    assert code == 1
    assert "[错误 I03] indicators[9].target" in out


def test_bad_arguments_exit_2_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["list", "--year", "明年"])
    assert info.value.code == 2
    assert "年度应为整数" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["export-json"])
    assert info.value.code == 2
    assert "缺少必需的参数" in capsys.readouterr().err


def test_missing_file_exits_2(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "import", str(tmp_path / "nope.json"), "--db", str(db_path))
    assert code == 2 and "找不到" in err


def test_database_from_environment(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_db = tmp_path / "env.db"
    monkeypatch.setenv("JIXIAO_DB", str(env_db))
    code, _, _ = run(capsys, "import", str(CASE_FILES[0]))
    assert code == 0 and env_db.exists()


def test_module_help_lists_the_commands_in_chinese() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert result.returncode == 0
    assert "import" in result.stdout and "check" in result.stdout and "用法" in result.stdout
