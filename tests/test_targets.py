"""The target reader (validation.md, "Indicators — I"): comparators, numbers, units, notes, words."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.models.targets import (
    EQ,
    GE,
    GT,
    LE,
    LT,
    dates_in,
    has_placeholder,
    read_target,
    same_text,
)

# Every comparator spelling of the spec, with the canonical sign it means.
SPELLINGS = [
    ("=", EQ),
    ("＝", EQ),
    (">=", GE),
    ("> =", GE),
    ("≥", GE),
    ("≧", GE),
    ("＞＝", GE),
    ("不低于", GE),
    ("不少于", GE),
    ("<=", LE),
    ("≤", LE),
    ("不多于", LE),
    ("不高于", LE),
    (">", GT),
    ("＞", GT),
    ("<", LT),
    ("＜", LT),
]


@pytest.mark.parametrize(("spelled", "canonical"), SPELLINGS, ids=[s for s, _ in SPELLINGS])
def test_comparator_spellings(spelled: str, canonical: str) -> None:
    t = read_target(f"{spelled}95%")
    assert t.kind == "quantity"
    assert t.comparator == canonical
    assert t.number == Decimal(95)
    assert t.unit == "%"
    assert t.standard == f"{canonical}95%"


@pytest.mark.parametrize(("spelled", "canonical"), SPELLINGS, ids=[s for s, _ in SPELLINGS])
def test_comparator_spellings_with_spaces(spelled: str, canonical: str) -> None:
    t = read_target(f" {spelled} 400 场 ")
    assert (t.comparator, t.number, t.unit) == (canonical, Decimal(400), "场")
    assert t.standard == f"{canonical}400场"


def test_canonical_signs_are_those_of_the_spec() -> None:
    # validation.md: ＝ ≥ ≤ ＞ ＜ (the forms write equality as ASCII "=").
    assert (GE, LE, GT, LT) == ("≥", "≤", "＞", "＜")
    assert EQ in ("=", "＝")


@pytest.mark.parametrize(
    ("written", "standard"),
    [
        ("> =400场", "≥400场"),
        (">=90", "≥90"),
        ("> 90%", "＞90%"),
        ("≥400场", "≥400场"),
        ("=2部", "=2部"),
        ("＝100%", "=100%"),
        ("不少于 3 次", "≥3次"),
        ("95%以上", "≥95%"),
        ("=100% (2021年6月底前)", "=100% (2021年6月底前)"),
        ("=100%(2021年11月底前)", "=100% (2021年11月底前)"),
        ("=100%（2021年6月底前）", "=100% (2021年6月底前)"),
        ("≥９５％", "≥95%"),
        ("＞９０％", "＞90%"),
        ("=100.00%", "=100.00%"),
        ("健全", "健全"),
        ("及时(每月1次)", "及时 (每月1次)"),
    ],
)
def test_standard_form(written: str, standard: str) -> None:
    assert read_target(written).standard == standard


@pytest.mark.parametrize(
    ("written", "comparator", "number", "unit"),
    [
        ("=2部", EQ, "2", "部"),
        ("=0起", EQ, "0", "起"),
        ("=12次", EQ, "12", "次"),
        ("≥2500人次", GE, "2500", "人次"),
        ("≥35人", GE, "35", "人"),
        ("=0", EQ, "0", None),
        ("=11", EQ, "11", None),
        (">=90", GE, "90", None),
        ("100%", None, "100", "%"),
        ("90%", None, "90", "%"),
        ("=100.00%", EQ, "100.00", "%"),
        ("≥１２０％", GE, "120", "%"),
        ("=3套", EQ, "3", "套"),
        ("≤2小时", LE, "2", "小时"),
        ("=5万元", EQ, "5", "万元"),
        ("=120平方米", EQ, "120", "平方米"),
    ],
)
def test_quantities(written: str, comparator: str | None, number: str, unit: str | None) -> None:
    t = read_target(written)
    assert t.is_quantity
    assert (t.comparator, t.number, t.unit) == (comparator, Decimal(number), unit)
    assert t.number_text == number
    assert t.note is None


@pytest.mark.parametrize(
    ("written", "note"),
    [
        ("=100% (2021年6月底前)", "2021年6月底前"),
        ("=100%（2021年6月底前）", "2021年6月底前"),
        ("=100%(72小时内)", "72小时内"),
        ("=100% (每月1次)", "每月1次"),
        ("=100% (11月前)", "11月前"),
    ],
)
def test_bracketed_note(written: str, note: str) -> None:
    t = read_target(written)
    assert (t.kind, t.comparator, t.number, t.unit, t.note) == (
        "quantity",
        EQ,
        Decimal(100),
        "%",
        note,
    )
    assert t.core_text.replace(" ", "") == "=100%"


@pytest.mark.parametrize(
    "word", ["健全", "有效", "执行有效", "合规", "合格", "达标", "高", "有效提升", "明显改善"]
)
def test_qualitative_words(word: str) -> None:
    t = read_target(word)
    assert (t.kind, t.word, t.comparator, t.number) == ("word", word, None, None)
    assert not t.is_quantity


def test_word_with_note() -> None:
    t = read_target("及时(每月1次)")
    assert (t.kind, t.word, t.note) == ("word", "及时", "每月1次")


@pytest.mark.parametrize("blank", [None, "", "  ", "\u3000"])
def test_blank(blank: str | None) -> None:
    assert read_target(blank).kind == "blank"


def test_prose_with_numbers_is_text() -> None:
    assert read_target("完成率达到95%左右，力争100%").kind == "text"


@pytest.mark.parametrize("written", ["XX", "xx", "≥**%", "××人", "=XX人", "≥X%", "**"])
def test_placeholders(written: str) -> None:
    assert has_placeholder(written)


@pytest.mark.parametrize(
    "written", ["≥35人", "健全", "=100% (2021年6月底前)", "=2部", "", None, "≥95%"]
)
def test_not_placeholders(written: str | None) -> None:
    assert not has_placeholder(written)


def test_same_text_ignores_width_and_spaces() -> None:
    assert same_text("党建培训工作完成及时率", " 党建培训 工作完成及时率")
    assert same_text("＝１００％", "=100%")
    assert not same_text("≥3次", "党建培训工作完成及时率")
    assert not same_text(None, "x")


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("=100% (2021年6月底前)", [(2021, 6)]),
        ("=100% (2021年1 2月底前)", [(2021, 12)]),
        ("=100% (2021年1\t2月底前)", [(2021, 12)]),  # a tab splits digits too: no ValueError
        ("=100% (2021年1\n2月底前)", [(2021, 12)]),
        ("=100%(2021年11月底前)", [(2021, 11)]),
        ("2022年", [(2022, None)]),
        ("=100% (72小时内)", []),
        ("=100% (11月前)", []),
        (None, []),
    ],
)
def test_dates_in(text: str | None, dates: list) -> None:
    assert dates_in(text) == dates


def test_raw_is_kept() -> None:
    assert read_target("> =400场").raw == "> =400场"
