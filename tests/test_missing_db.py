"""A mistyped ``--db`` never creates a database (issue 16, item 10).

``check --db ../typo.db`` used to print "共 0 个项目" with exit 0 and leave a new
empty database behind; ``list --db missing/x.db`` created the folder. The commands
that only read refuse a database that does not exist; ``import`` still creates one.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import CASE_FILES

from desktop.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def in_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working folder is ``tmp_path/work`` (so ``../typo.db`` is ``tmp_path/typo.db``)."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("JIXIAO_DB", raising=False)
    return work


def test_check_with_a_mistyped_db_exits_2_and_creates_nothing(
    in_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sorted(in_folder.parent.rglob("*"))
    code, out, err = run(capsys, "check", "--db", "../typo.db")
    assert code == 2
    assert "共 0 个项目" not in out
    assert "../typo.db" in err and "不存在" in err and "--db" in err and "JIXIAO_DB" in err
    assert not (in_folder.parent / "typo.db").exists()
    assert sorted(in_folder.parent.rglob("*")) == before


def test_list_with_a_missing_folder_exits_2_and_creates_no_folder(
    in_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "list", "--db", "missing/x.db")
    assert code == 2 and "missing/x.db" in err.replace("\\", "/") and "import" in err
    assert not (in_folder / "missing").exists()
    assert list(in_folder.iterdir()) == []


@pytest.mark.parametrize(
    "argv",
    [
        ["list"],
        ["list", "--json"],
        ["check"],
        ["check", "--year", "2021"],
        ["export-json", "--out", "out.json"],
        ["export", "--format", "xlsx", "--out", "out"],
        ["export", "--format", "pdf", "--out", "out.pdf"],
        ["summary", "--year", "2021", "--out", "s.xlsx"],
        ["backup"],
        ["backup", "--out", "b.db"],
        ["backup", "--list"],
    ],
)
def test_every_reading_command_refuses_a_missing_database(
    in_folder: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, _, err = run(capsys, *argv, "--db", "nope/typo.db")
    assert code == 2 and "不存在" in err
    assert list(in_folder.iterdir()) == []


def test_the_environment_variable_is_named_when_it_points_nowhere(
    in_folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIXIAO_DB", str(in_folder / "gone.db"))
    code, _, err = run(capsys, "list")
    assert code == 2 and "环境变量 JIXIAO_DB" in err
    assert not (in_folder / "gone.db").exists()


def test_a_folder_is_not_a_database(in_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_folder / "d.db").mkdir()
    code, _, err = run(capsys, "check", "--db", "d.db")
    assert code == 2 and "文件夹" in err


def test_import_still_creates_the_database_and_then_reading_works(
    in_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = run(capsys, "import", str(CASE_FILES[0]), "--db", "new/t.db")
    assert code == 0 and (in_folder / "new" / "t.db").is_file()
    code, out, _ = run(capsys, "list", "--db", "new/t.db")
    assert code == 0 and "共 2 个项目" in out
    code, out, _ = run(capsys, "check", "--db", os.path.join("new", "t.db"))
    assert code in (0, 1) and "共 2 个项目" in out


def test_check_of_a_file_needs_no_database(
    in_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "check", str(CASE_FILES[0]), "--db", "../typo.db")
    assert code in (0, 1) and "共 2 个项目" in out
    assert not (in_folder.parent / "typo.db").exists()
