"""Rules F01–F09 and B01 (validation.md, "Funding — F", "Breakdown"): passes and flagged examples."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rule_helpers import (
    D,
    assert_flagged,
    assert_not_flagged,
    baseline,
    changed,
    minhang_baseline,
    run,
    with_code,
)

from desktop.models.project import BreakdownRow, Funding, Project
from desktop.models.rules import RuleSettings


def _funding(project: Project, **amounts: str | Decimal) -> Project:
    """Replace the whole 项目资金 block (unnamed amounts blank) and drop the breakdown."""
    values = {k: D(v) if isinstance(v, str) else v for k, v in amounts.items()}
    project.funding = Funding(**values)
    project.breakdown = []
    return project


# F01 -------------------------------------------------------------------------

BAD_AMOUNTS = [
    pytest.param(D("-5"), "负数", id="-5"),
    pytest.param(D("12.345"), "两位小数", id="12.345"),
    pytest.param("一百万", "一百万", id="一百万"),
    pytest.param("1,234元", "1,234元", id="unreadable text kept raw"),
]


@pytest.mark.parametrize(
    "key", ["total", "annual", "annual_fiscal", "local", "carryover", "total_other"]
)
@pytest.mark.parametrize(("value", "said"), BAD_AMOUNTS)
def test_f01_funding_amount_flagged(key: str, value: object, said: str) -> None:
    finding = assert_flagged(
        changed(baseline(), {f"funding.{key}": value}), "F01", "error", f"funding.{key}"
    )
    assert said in finding.message
    assert "项目资金" in finding.message


@pytest.mark.parametrize("key", ["amount", "unit_price", "quantity"])
@pytest.mark.parametrize(("value", "said"), BAD_AMOUNTS)
def test_f01_breakdown_amount_flagged(key: str, value: object, said: str) -> None:
    p = changed(minhang_baseline(), {f"breakdown[1].{key}": value})
    finding = assert_flagged(p, "F01", "error", f"breakdown[1].{key}")
    assert said in finding.message
    assert "项目构成分解" in finding.message


@pytest.mark.parametrize(
    "value",
    [D("22553852"), D("1159620.00"), D("0"), D("0.5"), D("12.30"), D("12.340")],
    ids=str,
)
def test_f01_passes(value: Decimal) -> None:
    p = _funding(baseline(), total=value, total_fiscal=value, annual=value, annual_fiscal=value)
    assert_not_flagged(p, "F01")


def test_f01_names_the_minhang_label() -> None:
    p = changed(minhang_baseline(), {"funding.annual": D("-5")})
    finding = assert_flagged(p, "F01", "error", "funding.annual")
    assert "当年预算" in finding.message


# F02–F04: the sums -----------------------------------------------------------

SUMS_FLAGGED = [
    pytest.param(
        dict(annual_fiscal="22553852", upper="0", local="22000000", lower="0"),
        "F02",
        "funding.annual_fiscal",
        "财政拨款",
        id="F02 22553852 vs 0+22000000+0",
    ),
    pytest.param(
        dict(annual_fiscal="100", upper="40"),
        "F02",
        "funding.annual_fiscal",
        "财政拨款",
        id="F02 blank parts count as zero",
    ),
    pytest.param(
        dict(local="100"),
        "F02",
        "funding.annual_fiscal",
        "财政拨款",
        id="F02 blank sum with a part",
    ),
    pytest.param(
        dict(annual="1000000", annual_fiscal="800000", carryover="0", annual_other="0"),
        "F03",
        "funding.annual",
        "年度资金申请总额",
        id="F03 1000000 vs 800000+0+0",
    ),
    pytest.param(
        dict(annual="1000000", annual_fiscal="800000"),
        "F03",
        "funding.annual",
        "年度资金申请总额",
        id="F03 blank parts count as zero",
    ),
    pytest.param(
        dict(total="360000", total_fiscal="300000", total_other="0"),
        "F04",
        "funding.total",
        "项目资金总额",
        id="F04 360000 vs 300000+0",
    ),
    pytest.param(
        dict(total="360000", total_other="300000"),
        "F04",
        "funding.total",
        "项目资金总额",
        id="F04 blank part counts as zero",
    ),
]


@pytest.mark.parametrize(("amounts", "code", "field", "word"), SUMS_FLAGGED)
def test_sums_flagged(amounts: dict, code: str, field: str, word: str) -> None:
    finding = assert_flagged(_funding(baseline(), **amounts), code, "error", field)
    assert word in finding.message


SUMS_PASS = [
    pytest.param(
        dict(annual_fiscal="22553852", upper="0", local="22553852", lower="0"),
        "F02",
        id="F02 22553852 = 0+22553852+0",
    ),
    pytest.param(
        dict(annual_fiscal="22553852", local="22553852"), "F02", id="F02 blank parts zero"
    ),
    pytest.param(dict(annual_fiscal="22553852"), "F02", id="F02 all parts blank: not checked"),
    pytest.param(
        dict(annual_fiscal="100.50", upper="0.50", local="100.00"), "F02", id="F02 decimals"
    ),
    pytest.param(
        dict(annual="360000", annual_fiscal="360000", carryover="0", annual_other="0"),
        "F03",
        id="F03 360000 = 360000+0+0",
    ),
    pytest.param(dict(annual="360000"), "F03", id="F03 all parts blank: not checked"),
    pytest.param(
        dict(annual="360000", annual_fiscal="300000", carryover="50000", annual_other="10000"),
        "F03",
        id="F03 three parts",
    ),
    pytest.param(
        dict(total="360000", total_fiscal="360000", total_other="0"),
        "F04",
        id="F04 360000 = 360000+0",
    ),
    pytest.param(dict(total="360000"), "F04", id="F04 all parts blank: not checked"),
]


@pytest.mark.parametrize(("amounts", "code"), SUMS_PASS)
def test_sums_pass(amounts: dict, code: str) -> None:
    assert_not_flagged(_funding(baseline(), **amounts), code)


def test_f02_on_the_minhang_form_names_its_labels() -> None:
    p = changed(minhang_baseline(), {"funding.local": D("22000000")})
    finding = assert_flagged(p, "F02", "error", "funding.annual_fiscal")
    for word in ("财政拨款", "上级财政拨款", "本级财政安排", "下级财政配套"):
        assert word in finding.message


def test_a_sum_with_an_unreadable_part_is_left_to_f01() -> None:
    p = changed(minhang_baseline(), {"funding.local": "两千万"})
    codes = [f.code for f in run(p)]
    assert "F01" in codes
    assert "F02" not in codes


# F05 / F06 -------------------------------------------------------------------


def test_f05_annual_above_total() -> None:
    p = _funding(
        baseline(), total="900000", total_fiscal="900000", annual="1000000", annual_fiscal="1000000"
    )
    finding = assert_flagged(p, "F05", "error", "funding.annual")
    assert "年度资金申请总额" in finding.message and "项目资金总额" in finding.message


def test_f05_passes_3498000_within_10308000() -> None:
    p = _funding(
        baseline(),
        total="10308000",
        total_fiscal="10308000",
        annual="3498000",
        annual_fiscal="3498000",
    )
    assert_not_flagged(p, "F05")


def test_f05_equal_passes() -> None:
    assert_not_flagged(_funding(baseline(), total="360000", annual="360000"), "F05")


def test_f06_one_off_project_total_differs_from_annual() -> None:
    p = _funding(
        baseline(), total="360000", total_fiscal="360000", annual="300000", annual_fiscal="300000"
    )
    p.category = "一次性项目"
    finding = assert_flagged(p, "F06", "warning", "funding.total")
    assert "一次性项目" in finding.message


@pytest.mark.parametrize(
    ("category", "total", "annual"),
    [
        pytest.param("一次性项目", "360000", "360000", id="one-off 360000 = 360000"),
        pytest.param("经常性项目", "360000", "300000", id="recurring may differ"),
        pytest.param("阶段性项目", "360000", "300000", id="multi-year may differ"),
    ],
)
def test_f06_passes(category: str, total: str, annual: str) -> None:
    p = _funding(baseline(), total=total, total_fiscal=total, annual=annual, annual_fiscal=annual)
    p.category = category
    assert_not_flagged(p, "F06")


# F07 / F08 / B01: 项目构成分解 --------------------------------------------------


def test_f07_seed_breakdown_adds_up() -> None:
    p = minhang_baseline()
    assert sum(r.amount for r in p.breakdown) == D("22553852")  # type: ignore[misc]
    assert_not_flagged(p, "F07")


def test_f07_sum_differs_from_annual() -> None:
    p = changed(
        minhang_baseline(),
        {"breakdown[3].amount": D("135827.00"), "breakdown[3].unit_price": D("135827.00")},
    )
    finding = assert_flagged(p, "F07", "error", "breakdown")
    assert "项目构成分解" in finding.message and "当年预算" in finding.message


def test_f07_not_checked_without_rows() -> None:
    p = minhang_baseline()
    p.breakdown = []
    assert_not_flagged(p, "F07")


def test_f07_empty_rows_do_not_count() -> None:
    p = minhang_baseline()
    p.breakdown.append(BreakdownRow())
    assert_not_flagged(p, "F07")
    assert_not_flagged(p, "B01")


def test_f08_seed_row_is_price_times_quantity() -> None:
    assert_not_flagged(minhang_baseline(), "F08")


def test_f08_amount_differs_from_price_times_quantity() -> None:
    p = changed(minhang_baseline(), {"breakdown[0].quantity": D("9")})
    finding = assert_flagged(p, "F08", "error", "breakdown[0].amount")
    assert "明细金额" in finding.message and "单价" in finding.message and "数量" in finding.message


@pytest.mark.parametrize(
    ("amount", "flagged"),
    [
        pytest.param("100.01", False, id="+0.01 tolerated"),
        pytest.param("99.99", False, id="-0.01 tolerated"),
        pytest.param("100.02", True, id="+0.02 flagged"),
        pytest.param("99.98", True, id="-0.02 flagged"),
    ],
)
def test_f08_tolerance_is_one_fen(amount: str, flagged: bool) -> None:
    p = baseline()
    p.breakdown = [BreakdownRow("x", "y", D(amount), D("25.00"), None, D("4"))]
    p.funding = Funding(annual=D(amount))
    codes = [(f.code, f.field) for f in run(p)]
    assert (("F08", "breakdown[0].amount") in codes) is flagged


def test_f08_tolerance_is_a_setting() -> None:
    p = baseline()
    p.breakdown = [BreakdownRow("x", "y", D("100.50"), D("100"), None, D("1"))]
    p.funding = Funding(annual=D("100.50"))
    assert_flagged(p, "F08", "error", "breakdown[0].amount")
    assert_not_flagged(p, "F08", settings=RuleSettings(product_tolerance=D("1")))


@pytest.mark.parametrize("blank", ["unit_price", "quantity"])
def test_f08_only_when_all_three_filled(blank: str) -> None:
    p = changed(
        minhang_baseline(), {"breakdown[0].quantity": D("9"), f"breakdown[0].{blank}": None}
    )
    assert_not_flagged(p, "F08")


def test_b01_row_with_content_but_no_amount() -> None:
    p = changed(minhang_baseline(), {"breakdown[2].amount": None})
    finding = assert_flagged(p, "B01", "error", "breakdown[2].amount")
    assert "明细金额" in finding.message


def test_b01_row_with_only_a_note_needs_an_amount() -> None:
    p = minhang_baseline()
    p.breakdown.append(BreakdownRow(note="年度项目"))
    assert_flagged(p, "B01", "error", "breakdown[4].amount")


def test_b01_passes_with_amount() -> None:
    assert_not_flagged(minhang_baseline(), "B01")


# F09 -------------------------------------------------------------------------


@pytest.mark.parametrize("factory", [baseline, minhang_baseline])
def test_f09_annual_blank(factory) -> None:  # type: ignore[no-untyped-def]
    p = factory()
    p.funding.annual = None
    finding = assert_flagged(p, "F09", "warning", "funding.annual")
    assert ("当年预算" if p.family == "minhang-2020" else "年度资金申请总额") in finding.message


@pytest.mark.parametrize("value", ["0", "360000", "1159620.00"])
def test_f09_any_amount_passes(value: str) -> None:
    assert_not_flagged(changed(baseline(), {"funding.annual": D(value)}), "F09")


def test_nothing_filled_only_f09() -> None:
    p = _funding(baseline())
    assert [f.code for f in run(p) if f.code.startswith("F")] == ["F09"]


def test_one_finding_per_problem() -> None:
    p = changed(minhang_baseline(), {"funding.local": D("22000000")})
    assert len(with_code(run(p), "F02")) == 1
    assert [f.code for f in run(p)] == ["F02"]
