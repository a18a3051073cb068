"""Amounts in 元: the clerk's typing, the file form, rule F01's judgement and printing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.models.amounts import (
    amount_problem,
    amount_text,
    as_number,
    format_amount,
    parse_decimal_text,
    read_amount,
)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("22553852", "22553852"),
        ("1159620.00", "1159620.00"),
        ("1,234.5", "1234.5"),
        ("1，234.50", "1234.50"),
        ("22,553,852", "22553852"),
        ("１２３", "123"),
        ("１，２３４．５", "1234.5"),
        ("12.5万", "125000"),
        ("12.5万元", "125000"),
        ("1.23456万", "12345.6"),
        ("300元", "300"),
        ("￥300", "300"),
        ("¥1,000.00", "1000.00"),
        ("  360000 ", "360000"),
        ("0", "0"),
        (".5", "0.5"),
        ("-5", "-5"),
    ],
)
def test_read_amount(typed: str, value: str) -> None:
    reading = read_amount(typed)
    assert reading.error is None
    assert reading.value == Decimal(value)
    assert reading.converted_from_wan == ("万" in typed)


def test_wan_gives_whole_yuan() -> None:
    assert str(read_amount("12.5万").value) == "125000"


def test_written_precision_is_kept() -> None:
    assert str(read_amount("1159620.00").value) == "1159620.00"


@pytest.mark.parametrize("blank", [None, "", "   ", "\u3000"])
def test_blank_reads_as_nothing_without_error(blank: str | None) -> None:
    reading = read_amount(blank)
    assert (reading.value, reading.error) == (None, None)


@pytest.mark.parametrize("typed", ["一百万", "abc", "12.3.4", "1万2", "--5", "1234567890123456789"])
def test_unreadable_typing_says_why_in_chinese(typed: str) -> None:
    reading = read_amount(typed)
    assert reading.value is None
    assert reading.error and any("\u4e00" <= c <= "\u9fff" for c in reading.error)


@pytest.mark.parametrize(
    ("text", "value"),
    [("22553852", "22553852"), ("1159620.00", "1159620.00"), ("-5", "-5"), ("0.5", "0.5")],
)
def test_parse_decimal_text_file_form(text: str, value: str) -> None:
    parsed = parse_decimal_text(text)
    assert parsed == Decimal(value) and str(parsed) == value


@pytest.mark.parametrize("text", ["1,234", "12.5万", "", " 1", "１２３", "1e5", "+5", ".5"])
def test_parse_decimal_text_is_strict(text: str) -> None:
    assert parse_decimal_text(text) is None


@pytest.mark.parametrize(
    ("amount", "problem"),
    [
        (Decimal("22553852"), None),
        (Decimal("1159620.00"), None),
        (Decimal("0"), None),
        (Decimal("12.340"), None),
        (None, None),
        (Decimal("-5"), "负数"),
        (Decimal("12.345"), "两位小数"),
        ("一百万", "不是数字"),
        (Decimal("NaN"), "不是数字"),
        (Decimal("Infinity"), "不是数字"),
    ],
)
def test_amount_problem(amount: Decimal | str | None, problem: str | None) -> None:
    found = amount_problem(amount)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_as_number() -> None:
    assert as_number(Decimal("1.5")) == Decimal("1.5")
    assert as_number("一百万") is None
    assert as_number(None) is None
    assert as_number(Decimal("NaN")) is None


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        (Decimal("22553852"), "22,553,852.00"),
        (Decimal("1159620.00"), "1,159,620.00"),
        (Decimal("0"), "0.00"),
        (Decimal("0.5"), "0.50"),
        (None, ""),
    ],
)
def test_format_amount(value: Decimal | None, printed: str) -> None:
    assert format_amount(value) == printed


def test_amount_text() -> None:
    assert amount_text(Decimal("22553852")) == "22,553,852.00"
    assert amount_text("一百万") == "“一百万”"
    assert amount_text(None) == "（空）"
