"""`python -m desktop export --format xlsx|pdf` and importing a workbook back, from the command line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import CASE_FILES

from desktop.cli import main
from desktop.export.batch import file_name, file_names
from desktop.models.project import Project


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code, _, _ = run(capsys, "import", *map(str, CASE_FILES), "--db", str(db_path))
    assert code == 0
    return db_path


def _ids(db: Path, name: str) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("select id from projects where name = ?", (name,))]


def test_file_names_are_official_and_safe() -> None:
    assert (
        file_name(Project(year=2021, name="车辆购置费"), "xlsx")
        == "2021_车辆购置费_绩效目标申报表.xlsx"
    )
    assert (
        file_name(Project(year=2021, name='a/b:c*?"<>|'), "pdf")
        == "2021_a_b_c" + "_" * 7 + "绩效目标申报表.pdf"
    )
    assert (
        file_name(Project(year=None, name="  "), "pdf") == "年度未填_未命名项目_绩效目标申报表.pdf"
    )
    assert len(file_name(Project(year=2021, name="长" * 300), "xlsx")) == 120 + len(".xlsx")
    twins = [Project(year=2021, name="党建经费"), Project(year=2021, name="党建经费")]
    assert file_names(twins, "xlsx") == [
        "2021_党建经费_绩效目标申报表.xlsx",
        "2021_党建经费_绩效目标申报表（2）.xlsx",
    ]


def test_export_a_year_to_a_folder(db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out_dir = tmp_path / "2021年申报表"
    code, out, _ = run(
        capsys,
        "export",
        "--format",
        "xlsx",
        "--out",
        str(out_dir),
        "--db",
        str(db),
        "--year",
        "2021",
    )
    assert code == 0
    files = sorted(p.name for p in out_dir.iterdir())
    assert len(files) == 8
    assert "2021_车辆购置费_绩效目标申报表.xlsx" in files
    assert "已导出 8 个文件" in out and "已标“草稿”" in out


def test_export_one_project_to_a_file_then_import_it_back(db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import pypdfium2 as pdfium

    (project_id,) = _ids(db, "车辆购置费")
    target = tmp_path / "车辆.pdf"
    code, out, _ = run(
        capsys,
        "export",
        "--format",
        "pdf",
        "--out",
        str(target),
        "--db",
        str(db),
        "--id",
        project_id[:8],
    )
    assert code == 0 and target.exists()
    doc = pdfium.PdfDocument(target.read_bytes())
    text = "".join(doc[i].get_textpage().get_text_bounded() for i in range(len(doc)))
    assert "车辆购置完成数" in text
    doc.close()

    book = tmp_path / "车辆.xlsx"
    code, _, _ = run(
        capsys,
        "export",
        "--format",
        "xlsx",
        "--out",
        str(book),
        "--db",
        str(db),
        "--id",
        project_id,
    )
    assert code == 0
    # the same project comes back: refused without --replace, replaced with it
    code, _, err = run(capsys, "import", str(book), "--db", str(db))
    assert code == 2 and "已在数据库中" in err
    code, out, _ = run(capsys, "import", str(book), "--db", str(db), "--replace")
    assert code == 0 and "替换 1 个" in out
    assert _ids(db, "车辆购置费") == [project_id]


def test_template_prints_a_project_in_another_family(db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    (project_id,) = _ids(db, "区级机关工勤类雇员后勤服务保障经费")
    target = tmp_path / "as2021.xlsx"
    code, _, _ = run(
        capsys,
        "export",
        "--format",
        "xlsx",
        "--out",
        str(target),
        "--db",
        str(db),
        "--id",
        project_id,
        "--template",
        "shanghai-2021",
    )
    assert code == 0
    assert openpyxl.load_workbook(target).sheetnames[:2] == ["绩效目标申报表", "制度保障"]


def test_export_refuses_unusable_arguments(db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    a_file = tmp_path / "x.txt"
    a_file.write_text("keep")
    code, _, err = run(
        capsys, "export", "--format", "pdf", "--out", str(a_file), "--db", str(db), "--year", "2021"
    )
    assert code == 2 and "应为文件夹" in err and a_file.read_text() == "keep"
    code, _, err = run(
        capsys,
        "export",
        "--format",
        "pdf",
        "--out",
        str(tmp_path / "y"),
        "--db",
        str(db),
        "--year",
        "1999",
    )
    assert code == 2 and "没有符合条件的项目" in err
    code, _, err = run(
        capsys,
        "export",
        "--format",
        "pdf",
        "--out",
        str(tmp_path / "y"),
        "--db",
        str(db),
        "--id",
        "zzzz",
    )
    assert code == 2 and "找不到编号" in err
    with pytest.raises(SystemExit):
        main(["export", "--format", "doc", "--out", "x"])
    assert "无效的选项" in capsys.readouterr().err


def test_import_reports_an_unreadable_workbook_and_leaves_the_store(
    db: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with sqlite3.connect(db) as conn:
        before = list(conn.iterdump())
    code, _, err = run(capsys, "import", str(broken), "--db", str(db))
    assert code == 2 and "坏.xlsx" in err and "未导入任何项目" in err
    with sqlite3.connect(db) as conn:
        assert list(conn.iterdump()) == before


@pytest.mark.parametrize(
    ("head", "words"),
    [(b"%PDF-1.4\n", "这是 PDF 文件"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "另存为 .xlsx")],
)
def test_a_file_picked_by_mistake_is_named_for_what_it_is(
    db: Path, tmp_path: Path, capsys, head: bytes, words: str
) -> None:  # type: ignore[no-untyped-def]
    wrong = tmp_path / "申报表.xlsx"
    wrong.write_bytes(head + b"\x00" * 64)
    code, _, err = run(capsys, "import", str(wrong), "--db", str(db))
    assert code == 2 and words in err and "申报表.xlsx" in err and "未导入任何项目" in err


def test_export_by_project_name(db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    # ids are random, so the README's example names the project instead (issue 16)
    target = tmp_path / "车辆购置费.pdf"
    code, out, _ = run(
        capsys,
        "export",
        "--db",
        str(db),
        "--year",
        "2021",
        "--name",
        "车辆购置费",
        "--format",
        "pdf",
        "--out",
        str(target),
    )
    assert code == 0 and target.read_bytes()[:5] == b"%PDF-"
    out_json = tmp_path / "one.json"
    code, _, _ = run(
        capsys, "export-json", "--db", str(db), "--name", " 车辆购置费 ", "--out", str(out_json)
    )
    assert code == 0
    import json

    assert [p["name"] for p in json.loads(out_json.read_text(encoding="utf-8"))["projects"]] == [
        "车辆购置费"
    ]
    code, _, err = run(
        capsys, "export-json", "--db", str(db), "--name", "无此项目", "--out", str(out_json)
    )
    assert code == 2 and "无此项目" in err and "list" in err


def _pdf_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return "".join(doc[i].get_textpage().get_text_bounded() for i in range(len(doc)))
    finally:
        doc.close()


def test_blank_guarantee_page_only_when_asked(db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    # 车辆购置费 has no 制度保障 rows: its PDF leaves the page out unless --blank-guarantee.
    plain, blank = tmp_path / "plain.pdf", tmp_path / "blank.pdf"
    common = ["export", "--db", str(db), "--year", "2021", "--name", "车辆购置费"]
    assert run(capsys, *common, "--format", "pdf", "--out", str(plain))[0] == 0
    assert run(capsys, *common, "--format", "pdf", "--out", str(blank), "--blank-guarantee")[0] == 0
    assert "保障阶段" not in _pdf_text(plain.read_bytes())
    assert "保障阶段" in _pdf_text(blank.read_bytes())
