"""汇总表: the pure model (rows, exact totals, amounts that are not numbers named), the
workbook reopened with openpyxl, the PDF read back, and ``python -m desktop summary``."""

from __future__ import annotations

import copy
import os
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pytest
from conftest import CASE_FILES, case_projects

from desktop.atomic import WriteError
from desktop.cli import main
from desktop.export.fonts import FontError, load_fonts
from desktop.export.summary_table import (
    summary_pdf_bytes,
    write_summary_workbook,
)
from desktop.models.amounts import as_number
from desktop.models.project import STATUS_FINAL, Project
from desktop.models.rules import counts, validate
from desktop.models.summary import (
    LEVEL_COLUMNS,
    build_summary,
    fiscal_key,
    reporting_unit,
    summary_title,
)
from desktop.models.taxonomy import place
from desktop.store import open_repository

HEADER = [
    "序号",
    "项目名称",
    "实施单位",
    "项目类别",
    "项目资金总额",
    "年度资金",
    "财政资金",
    "指标数",
    "产出指标",
    "成本指标",
    "效益指标",
    "满意度指标",
    "投入和管理指标",
    "未归类指标",
    "错误",
    "警告",
    "其中已说明",
    "状态",
]


def year_projects(year: int) -> list[Project]:
    return [p for p in case_projects() if p.year == year]


def summary_of(projects: list[Project], unit: str | None = None):  # type: ignore[no-untyped-def]
    year = projects[0].year if projects else 2021
    return build_summary(year, projects, [validate(p) for p in projects], unit=unit)


# ------------------------------------------------------------------ the model


def test_one_row_per_project_with_its_own_values() -> None:
    projects = year_projects(2021)
    s = summary_of(projects)
    assert s.title == "2021年度项目支出绩效目标汇总表"
    assert [r.name for r in s.rows] == [p.name for p in projects]
    assert [r.number for r in s.rows] == list(range(1, len(projects) + 1))
    for row, p in zip(s.rows, projects, strict=True):
        errors, warnings = counts(validate(p))
        assert (row.project_id, row.unit, row.category) == (p.id, p.unit, p.category)
        assert (row.total, row.annual) == (p.funding.total, p.funding.annual)
        assert row.fiscal == p.funding.total_fiscal  # the 2021 form's 其中：财政资金
        assert (row.errors, row.warnings) == (errors, warnings)
        assert row.status_label == "草稿"
        assert row.indicators == len(p.indicators)
        per_level = sum(getattr(row, attr) for attr, _, _ in LEVEL_COLUMNS)
        assert per_level == row.indicators  # 未归类 included: nothing is lost
        outputs = sum(1 for i in p.indicators if place(i.level1, i.level2).level1 == "产出指标")
        assert row.output == outputs


def test_cost_rows_count_under_the_level1_of_the_projects_framework() -> None:
    from desktop.models.project import Indicator

    old = year_projects(2021)[0]
    old.indicators.append(Indicator("产出指标", "成本指标", "单车购置成本", "≤180000元"))
    new = year_projects(2021)[0]
    new.year = 2025
    new.indicators.append(Indicator("成本指标", "经济成本指标", "单车购置成本", "≤180000元"))
    new.indicators.append(Indicator("产出指标", "成本指标", "总成本", "≤360000元"))  # old style
    s = summary_of([old, new])
    assert [r.cost for r in s.rows] == [0, 2]
    assert s.rows[0].output == s.rows[1].output + 1
    assert s.totals.cost == 2


def test_fiscal_is_the_familys_own_line() -> None:
    assert fiscal_key("shanghai-2021") == "total_fiscal"
    assert fiscal_key("minhang-2020") == "annual_fiscal"
    assert fiscal_key("shanghai-2020") == "annual_fiscal"
    minhang = year_projects(2020)
    s = summary_of(minhang)
    for row, p in zip(s.rows, minhang, strict=True):
        assert row.fiscal == p.funding.annual_fiscal
        assert row.fiscal_label == "财政拨款"
    assert summary_of(year_projects(2021)).rows[0].fiscal_label == "财政资金"


def test_totals_are_exact_decimal_sums() -> None:
    projects = year_projects(2021)
    projects[0].funding.total = Decimal("0.10")
    projects[1].funding.total = Decimal("0.20")
    s = summary_of(projects)
    expected = sum((as_number(p.funding.total) or Decimal(0) for p in projects), Decimal(0))
    assert isinstance(s.totals.total, Decimal)
    assert s.totals.total == expected
    assert str(s.totals.total).endswith(".30")  # no float drift: 0.1 + 0.2 is 0.30
    assert s.totals.annual == sum((p.funding.annual for p in projects), Decimal(0))
    assert s.totals.projects == len(projects)
    assert s.totals.indicators == sum(len(p.indicators) for p in projects)
    assert s.totals.errors == sum(r.errors for r in s.rows)
    assert s.totals.not_numbers == () and s.notes == ()


def test_an_amount_that_is_not_a_number_is_named_not_dropped_silently() -> None:
    projects = year_projects(2021)
    projects[1].funding.annual = "三万元"
    projects[2].funding.total_fiscal = None  # blank: nothing to add, nothing to say
    s = summary_of(projects)
    [named] = s.totals.not_numbers
    assert (named.number, named.project, named.column, named.text) == (
        2,
        projects[1].name,
        "年度资金",
        "三万元",
    )
    assert s.notes == ("第 2 行“党建经费”的年度资金“三万元”不是数字，未计入合计",)
    assert "三万元" in s.note_text and s.note_text.startswith("注：财政资金一栏")
    others = [p.funding.annual for i, p in enumerate(projects) if i != 1]
    assert s.totals.annual == sum(others, Decimal(0))


def test_status_counts_and_finals() -> None:
    projects = year_projects(2021)
    projects[0].status = STATUS_FINAL
    s = summary_of(projects)
    assert s.rows[0].status_label == "定稿"
    assert (s.totals.finals, s.totals.drafts) == (1, len(projects) - 1)


def test_reporting_unit_shared_else_department_else_blank() -> None:
    projects = year_projects(2021)
    assert reporting_unit(projects) == "上海市闵行区机关事务管理局"
    a, b = (
        Project(name="甲", unit="甲单位", department="区机管局"),
        Project(name="乙", unit="乙单位"),
    )
    b.department = "区机管局"
    assert reporting_unit([a, b]) == "区机管局"
    b.department = "另一个部门"
    assert reporting_unit([a, b]) == ""
    assert summary_of(projects, unit=" 区机管局财务科 ").unit == "区机管局财务科"


def test_ordered_renumbers_and_keeps_the_totals() -> None:
    s = summary_of(year_projects(2021))
    back = s.ordered([r.number for r in reversed(s.rows)])
    assert [r.name for r in back.rows] == [r.name for r in reversed(s.rows)]
    assert [r.number for r in back.rows] == list(range(1, len(s.rows) + 1))
    assert back.totals == s.totals
    with pytest.raises(ValueError):
        s.ordered([1, 1])


def test_no_projects_is_an_empty_summary() -> None:
    s = build_summary(2030, [], [])
    assert s.rows == () and s.totals.projects == 0 and s.totals.total == Decimal(0)
    assert summary_title(2030) == "2030年度项目支出绩效目标汇总表"
    with pytest.raises(ValueError):
        build_summary(2030, [Project(name="x")], [])


# ------------------------------------------------------------------ the workbook


def reopen(path: Path):  # type: ignore[no-untyped-def]
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["汇总表"]
    return wb["汇总表"]


def test_workbook_has_title_unit_header_rows_and_totals(tmp_path: Path) -> None:
    projects = year_projects(2021)
    projects[3].funding.total = "待定"
    s = summary_of(projects)
    path = write_summary_workbook(s, tmp_path / "汇总.xlsx")
    ws = reopen(path)
    assert ws["A1"].value == "2021年度项目支出绩效目标汇总表"
    assert ws["A1"].font.b and ws["A1"].font.sz == 16
    assert ws["A2"].value == "填报单位：上海市闵行区机关事务管理局"
    assert [c.value for c in ws[3]] == HEADER
    first = [c for c in ws[4]]
    assert first[0].value == 1 and first[1].value == projects[0].name
    amounts = (s.rows[0].total, s.rows[0].annual, s.rows[0].fiscal)
    for cell, value in zip(first[4:7], amounts, strict=True):
        assert Decimal(str(cell.value)) == value
        assert cell.number_format == "#,##0.00" and cell.data_type == "n"
    assert first[7].value == len(projects[0].indicators) and first[7].data_type == "n"
    assert first[HEADER.index("状态")].value == "草稿"
    # the amount that is not a number stays the clerk's text
    assert ws.cell(4 + 3, 5).value == "待定" and ws.cell(4 + 3, 5).data_type == "s"
    totals_row = 4 + len(projects)
    t = s.totals
    assert ws.cell(totals_row, 1).value == f"合计（{len(projects)} 个项目）"
    assert Decimal(str(ws.cell(totals_row, 5).value)) == t.total
    assert Decimal(str(ws.cell(totals_row, 6).value)) == t.annual
    assert Decimal(str(ws.cell(totals_row, 7).value)) == t.fiscal
    assert ws.cell(totals_row, 5).number_format == "#,##0.00"
    assert ws.cell(totals_row, 8).value == t.indicators
    assert ws.cell(totals_row, HEADER.index("错误") + 1).value == t.errors
    assert ws.cell(totals_row, HEADER.index("警告") + 1).value == t.warnings
    assert f"A{totals_row}:D{totals_row}" in {str(r) for r in ws.merged_cells.ranges}
    assert "“待定”不是数字，未计入合计" in ws.cell(totals_row + 1, 1).value


def test_workbook_prints_a4_landscape_one_page_wide_with_header_and_page_numbers(
    tmp_path: Path,
) -> None:
    ws = reopen(write_summary_workbook(summary_of(year_projects(2021)), tmp_path / "s.xlsx"))
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4  # 9: A4
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$3:$3"
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"


def test_workbook_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "s.xlsx"
    target.write_bytes(b"the old file")
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file")
    with pytest.raises(WriteError):
        write_summary_workbook(summary_of(year_projects(2021)), blocked / "s.xlsx")
    write_summary_workbook(summary_of(year_projects(2021)), target)
    assert target.read_bytes()[:2] == b"PK"
    assert {p.name for p in tmp_path.iterdir()} == {"s.xlsx", "not-a-folder"}  # no temp file


# ------------------------------------------------------------------ the PDF


def _font_problem() -> str | None:
    try:
        load_fonts()
    except FontError as exc:
        return exc.message
    return None


ON_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
needs_font = pytest.mark.skipif(
    _font_problem() is not None and not ON_CI, reason="no embeddable CJK TrueType font here"
)


@needs_font
def test_pdf_is_a4_landscape_with_title_rows_totals_and_page_numbers() -> None:
    projects = year_projects(2021)
    s = summary_of(projects)
    doc = pdfium.PdfDocument(summary_pdf_bytes(s))
    try:
        sizes = [doc[i].get_size() for i in range(len(doc))]
        texts = [
            re.sub(r"\s+", "", doc[i].get_textpage().get_text_range()) for i in range(len(doc))
        ]
    finally:
        doc.close()
    assert all(round(w) == 842 and round(h) == 595 for w, h in sizes)
    everything = "".join(texts)
    assert "2021年度项目支出绩效目标汇总表" in texts[0]
    assert "填报单位：上海市闵行区机关事务管理局" in texts[0]
    for p in projects:
        assert re.sub(r"\s+", "", p.name) in everything
    assert f"合计（{len(projects)}个项目）" in everything
    assert f"{s.totals.annual:,.2f}" in everything
    for n, text in enumerate(texts, 1):
        assert f"第{n}页共{len(texts)}页" in text
        assert "项目资金总额" in text  # the header row on every page


# ------------------------------------------------------------------ python -m desktop summary


@pytest.fixture
def filled_db(tmp_path: Path) -> Path:
    db = tmp_path / "c.db"
    assert main(["import", *map(str, CASE_FILES), "--db", str(db)]) == 0
    return db


def test_cli_writes_the_year_and_says_so(
    filled_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    out = tmp_path / "2021汇总.xlsx"
    assert main(["summary", "--db", str(filled_db), "--year", "2021", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "已导出 2021 年度汇总表（8 个项目" in said and str(out) in said
    ws = reopen(out)
    assert ws["A1"].value == "2021年度项目支出绩效目标汇总表"
    repo = open_repository(filled_db)
    expected = repo.year_summary(2021)
    names = [ws.cell(r, 2).value for r in range(4, 4 + 8)]
    assert names == [r.name for r in expected.rows]
    assert Decimal(str(ws.cell(12, 6).value)) == expected.totals.annual


def test_cli_unit_override_and_pdf(filled_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.xlsx"
    args = ["summary", "--db", str(filled_db), "--year", "2020", "--out", str(out)]
    assert main([*args, "--unit", "区机管局"]) == 0
    assert reopen(out)["A2"].value == "填报单位：区机管局"
    if _font_problem() is None:
        pdf = tmp_path / "s.pdf"
        assert main(["summary", "--db", str(filled_db), "--year", "2020", "--out", str(pdf)]) == 0
        assert pdf.read_bytes()[:5] == b"%PDF-"


def test_cli_refuses_a_year_without_projects_or_another_file_type(
    filled_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    out = tmp_path / "s.xlsx"
    assert main(["summary", "--db", str(filled_db), "--year", "2030", "--out", str(out)]) == 2
    assert "没有 2030 年度的项目，未写入文件" in capsys.readouterr().err
    assert not out.exists()
    txt = tmp_path / "s.txt"
    assert main(["summary", "--db", str(filled_db), "--year", "2021", "--out", str(txt)]) == 2
    assert "应为 .xlsx 或 .pdf" in capsys.readouterr().err
    assert not txt.exists()


def test_cli_names_amounts_that_are_not_numbers(
    filled_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = open_repository(filled_db)
    p = copy.deepcopy(repo.load_all(2021)[0])
    p.funding.total = "十万"
    repo.save(p)
    capsys.readouterr()
    out = tmp_path / "s.xlsx"
    assert main(["summary", "--db", str(filled_db), "--year", "2021", "--out", str(out)]) == 0
    assert f"提示：第 1 行“{p.name}”的项目资金总额“十万”不是数字，未计入合计。" in (
        capsys.readouterr().err
    )
