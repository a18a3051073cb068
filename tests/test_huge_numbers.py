"""Huge numbers (issue 16, item 3): amounts have a bound, readers refuse beyond it, nothing raises.

Amounts are below ``MAX_AMOUNT`` = 10^15 元 (``desktop/models/limits.py``). Every reader refuses
a larger one with a message naming the project and the field; a project an old database already
holds with one (stored here through the repository, bypassing the readers) is listed, checked,
exported, summed and deleted without an exception, and rule F01 names the amount.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # the window test below: no display

import copy
import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import CASE_FILES, case_projects, write_package

from desktop.cli import main
from desktop.export.grid import place_project
from desktop.export.package import PackageError, read_package_bytes
from desktop.export.xlsx_reader import read_workbook_bytes
from desktop.export.xlsx_writer import workbook_bytes
from desktop.models.amounts import (
    amount_problem,
    amount_text,
    as_number,
    display_amount,
    format_amount,
    read_amount,
)
from desktop.models.compare import compare_rows
from desktop.models.limits import MAX_AMOUNT
from desktop.models.next_year import next_year
from desktop.models.project import BreakdownRow, Project
from desktop.models.rules import validate
from desktop.models.rules.funding_rules import row_product
from desktop.models.summary import build_summary
from desktop.store import open_repository

HUGE = {
    "10^26": "100000000000000000000000000",
    "30 digits": "123456789012345678901234567890",
    "negative 30 digits": "-123456789012345678901234567890",
}
# What an old database may hold, or the window may have been given before the bound.
STORED = [
    Decimal(10) ** 26,
    Decimal("123456789012345678901234567890"),
    Decimal("-123456789012345678901234567890"),
    Decimal("1E+30"),
    Decimal("123456789012345678"),
    Decimal("123456789012345678901234567890.123456789"),
    Decimal(10) ** 15,
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _case(name: str, year: int = 2020) -> Project:
    return copy.deepcopy(next(p for p in case_projects() if p.name == name and p.year == year))


# ------------------------------------------------------------------ readers refuse


def _package_with(tmp_path: Path, where: str, value: str) -> Path:
    doc = json.loads(CASE_FILES[0].read_text(encoding="utf-8"))
    first = doc["projects"][0]  # 2020 政府雇员项目, with a 项目构成分解
    if where == "funding":
        first["funding"]["total"] = value
    else:
        first["breakdown"][1]["quantity"] = value
    return write_package(tmp_path / "huge.json", doc["projects"])


@pytest.mark.parametrize("where", ["funding", "breakdown"])
@pytest.mark.parametrize("value", list(HUGE.values()), ids=list(HUGE))
def test_a_package_with_a_huge_amount_is_refused_by_import_and_check(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, where: str, value: str
) -> None:
    db = tmp_path / "test.db"
    package = _package_with(tmp_path, where, value)
    code, _, err = run(capsys, "import", str(package), "--db", str(db))
    assert code == 2
    assert "Traceback" not in err
    field = "funding.total（项目总预算）" if where == "funding" else "breakdown[1].quantity"
    assert "第 1 个项目“政府雇员项目”" in err and field in err
    assert value in err and "超过金额上限 999,999,999,999,999.99 元" in err
    assert "数据库保持不变" in err
    code, _, err = run(capsys, "check", str(package), "--db", str(db))
    assert code == 2 and "第 1 个项目“政府雇员项目”" in err and "超过金额上限" in err


def test_the_bound_itself_is_refused_and_just_below_it_is_read(tmp_path: Path) -> None:
    def total(value: str) -> Decimal:
        doc = json.loads(CASE_FILES[0].read_text(encoding="utf-8"))
        doc["projects"][0]["funding"]["total"] = value
        return read_package_bytes(json.dumps(doc).encode()).projects[0].funding.total

    assert total("999999999999999.99") == Decimal("999999999999999.99")
    with pytest.raises(PackageError, match="超过金额上限"):
        total("1000000000000000")
    with pytest.raises(PackageError, match="超过金额上限"):
        total("1" * 40)  # beyond what a Decimal is read from: refused all the same


def _workbook_with(value: object) -> bytes:
    project = _case("车辆购置费", 2021)
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(project)))
    for sheet in place_project(project).sheets:
        placed = sheet.by_path("funding.total")
        if placed is not None:
            wb[sheet.sheet.name].cell(placed.row + 1, placed.col + 1).value = value
            break
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("cell", [1e30, "1000000000000000000000000000000", 10**26])
def test_an_excel_cell_of_1e30_is_refused_with_a_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, cell: object
) -> None:
    with pytest.raises(ValueError, match="超过金额上限") as caught:
        read_workbook_bytes(_workbook_with(cell), "测试.xlsx")
    assert "项目总预算" in str(caught.value) or "项目资金总额" in str(caught.value)
    book = tmp_path / "huge.xlsx"
    book.write_bytes(_workbook_with(cell))
    db = tmp_path / "test.db"
    code, _, err = run(capsys, "import", str(book), "--db", str(db))
    assert code == 2 and "超过金额上限" in err and "Traceback" not in err
    if isinstance(cell, float):
        assert "1E+30" in err  # as Excel shows the cell


# ------------------------------------------------------------------ nothing raises on what is stored


def _stored_huge(db: Path) -> tuple[Project, str]:
    """政府雇员项目 with 10^26 amounts and an 18-digit 数量, saved as an old database holds it."""
    p = _case("政府雇员项目")
    p.id = None
    p.funding.total = Decimal(10) ** 26
    p.funding.annual = Decimal(10) ** 26
    p.funding.local = Decimal("-123456789012345678901234567890")
    p.breakdown[0].quantity = Decimal("123456789012345678")
    p.breakdown[1].amount = Decimal("123456789012345678901234567890")
    repo = open_repository(db)
    saved = repo.save(p)
    assert saved.id is not None
    return saved, saved.id


def test_a_stored_huge_amount_is_listed_checked_exported_summed_and_deleted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "old.db"
    project, pid = _stored_huge(db)
    code, out, err = run(capsys, "list", "--db", str(db))
    assert code == 0 and "100,000,000,000,000,000,000,000,000.00" in out and not err
    code, out, _ = run(capsys, "list", "--db", str(db), "--json")
    assert json.loads(out)[0]["total"] == "100000000000000000000000000"
    code, out, _ = run(capsys, "check", "--db", str(db), "--json")
    assert code == 1
    f01 = {f["field"]: f["message"] for f in json.loads(out) if f["code"] == "F01"}
    assert set(f01) >= {
        "funding.total",
        "funding.annual",
        "funding.local",
        "breakdown[0].quantity",
        "breakdown[1].amount",
    }
    assert all("超出金额上限" in m and "999,999,999,999,999.99" in m for m in f01.values())
    for fmt in ("xlsx", "pdf"):
        out_file = tmp_path / f"out.{fmt}"
        code, _, err = run(
            capsys, "export", "--year", "2020", "--format", fmt, "--out", str(out_file),
            "--db", str(db),
        )  # fmt: skip
        assert code == 0 and out_file.stat().st_size > 0, err
    for suffix in (".xlsx", ".pdf"):
        out_file = tmp_path / f"summary{suffix}"
        code, _, err = run(
            capsys, "summary", "--year", "2020", "--out", str(out_file), "--db", str(db)
        )
        assert code == 0 and out_file.stat().st_size > 0
        assert "项目资金总额“100000000000000000000000000”超出金额上限，未计入合计" in err
    repo = open_repository(db)
    loaded = repo.load(pid)
    assert loaded.funding.total == Decimal(10) ** 26
    assert any(f.code == "F01" for f in validate(loaded))
    repo.delete(pid)
    assert repo.summaries() == []
    assert [s.id for s in repo.trash_summaries()] == [pid]


@pytest.mark.parametrize("value", STORED, ids=str)
def test_nothing_downstream_raises_on_a_stored_amount(value: Decimal) -> None:
    p = _case("政府雇员项目")
    p.funding.total = p.funding.annual = p.funding.annual_fiscal = value
    p.breakdown[0].quantity = value
    p.breakdown[1].unit_price = value
    p.breakdown[2].amount = value
    findings = validate(p)
    assert any(f.code == "F01" and "超出金额上限" in f.message for f in findings)
    summary = build_summary(2020, [p], [findings])
    assert summary.totals.total == 0 and summary.notes
    assert compare_rows(_case("政府雇员项目"), p)
    assert next_year(p).project.funding.total == value
    assert place_project(p).sheets
    for text in (format_amount(value), display_amount(value), amount_text(value)):
        assert text
    assert as_number(value) is None


def test_an_18_digit_quantity_in_the_breakdown_gives_findings_not_an_exception() -> None:
    p = _case("政府雇员项目")
    p.breakdown[0].quantity = Decimal("123456789012345678")
    findings = validate(p)
    (f01,) = [f for f in findings if f.code == "F01"]
    assert f01.field == "breakdown[0].quantity" and "超出金额上限" in f01.message
    assert "123,456,789,012,345,678.00" in f01.message


def test_a_product_beyond_the_bound_is_an_f08_error_and_never_offered() -> None:
    p = _case("政府雇员项目")
    row = p.breakdown[0]
    row.unit_price, row.quantity = Decimal("99999999999999.99"), Decimal("99999999999999")
    findings = validate(p)
    (f08,) = [f for f in findings if f.code == "F08" and f.field == "breakdown[0].amount"]
    assert "9,999,999,999,999,899,000,000,000,000.01" in f08.message  # the product in full
    assert row_product(row) is None  # the window offers no 明细金额 beyond the bound
    assert row_product(BreakdownRow(unit_price=Decimal("2.5"), quantity=Decimal(4))) == 10


# ------------------------------------------------------------------ the keyboard and printing


@pytest.mark.parametrize(
    "typed",
    ["1000000000000000", "1,000,000,000,000,000.00", "10000000000000万", "-1000000000000000",
     "1" * 30, "1" * 60, "1" * 29 + "万", "1" * 40 + "万", "1E+30"],
)  # fmt: skip
def test_read_amount_refuses_beyond_the_bound(typed: str) -> None:
    reading = read_amount(typed)
    assert reading.value is None and reading.error
    if "E" not in typed:
        assert reading.error == "金额不能超过 999,999,999,999,999.99 元，请检查是否多输入了数字"


def test_read_amount_says_when_there_are_too_many_decimals_to_keep() -> None:
    reading = read_amount("0." + "0" * 30 + "1")
    assert reading.value is None and reading.error == "金额最多保留两位小数（到分），请检查小数位数"


@pytest.mark.parametrize("typed", ["999999999999999.99", "99999999999.9999万", "-999999999999999"])
def test_read_amount_takes_what_is_just_below_the_bound(typed: str) -> None:
    reading = read_amount(typed)
    assert reading.error is None and reading.value is not None
    assert abs(reading.value) < MAX_AMOUNT


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        (Decimal(10) ** 26, "100,000,000,000,000,000,000,000,000.00"),
        (Decimal("-123456789012345678901234567890"), "-123,456,789,012,345,678,901,234,567,890.00"),
        (Decimal("1E+30"), "1,000,000,000,000,000,000,000,000,000,000.00"),
        (Decimal("123456789012345678.125"), "123,456,789,012,345,678.12"),
        (Decimal("1E+999999"), "1E+999999"),
        (Decimal("NaN"), "NaN"),
    ],
)
def test_format_amount_never_raises(value: Decimal, printed: str) -> None:
    assert format_amount(value) == printed


def test_amount_problem_names_an_amount_beyond_the_bound() -> None:
    for value in STORED:
        assert amount_problem(value) == "超出金额上限"
    assert amount_problem(Decimal("999999999999999.99")) is None
    assert amount_problem(Decimal("-999999999999999.99")) == "不能为负数"
    assert display_amount(Decimal("123456789012345678901234567890.123")).endswith(".123")


@pytest.mark.parametrize(
    "value", ["999999999999999.99", "-999999999999999.95", "123456789012345.78"]
)
def test_the_largest_amounts_come_back_from_excel_with_their_digits(value: str) -> None:
    """Excel's double turns 999999999999999.99 into 10^15: the unedited cell keeps the stored one."""
    project = _case("车辆购置费", 2021)
    project.funding.total = Decimal(value)
    back = read_workbook_bytes(workbook_bytes(project), "测试.xlsx").project
    assert str(back.funding.total) == value


# ------------------------------------------------------------------ the window on such a project


def test_the_window_lists_and_opens_a_stored_huge_project(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The list and the editor show the project of an old database; F01 names the amounts."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLineEdit, QTableView

    from desktop.ui.editor import ProjectEditor
    from desktop.ui.project_list import ProjectListModel

    db = tmp_path / "old.db"
    _, pid = _stored_huge(db)
    repo = open_repository(db)
    listed = ProjectListModel()
    listed.set_summaries(repo.summaries())
    shown = [listed.data(listed.index(0, c)) for c in range(listed.columnCount())]
    assert "100,000,000,000,000,000,000,000,000.00" in shown
    editor = ProjectEditor(repo, repo.load(pid))
    qtbot.addWidget(editor)
    editor.resize(1100, 800)
    editor.show()
    qtbot.waitExposed(editor)
    total = editor.findChild(QLineEdit, "field.funding.total")
    assert total is not None and total.text() == "100,000,000,000,000,000,000,000,000.00"
    table = editor.findChild(QTableView, "breakdownTable")
    assert table is not None
    model = table.model()  # every cell of 项目构成分解 is drawn: 18-digit 数量, 30-digit 金额
    cells = [
        model.data(model.index(r, c), Qt.ItemDataRole.DisplayRole)
        for r in range(model.rowCount())
        for c in range(model.columnCount())
    ]
    assert "123,456,789,012,345,678.00" in cells
    assert any(f.code == "F01" for f in repo.findings(editor.project))
