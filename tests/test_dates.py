"""Dates typed as in Excel/WPS are read by the models (no Qt): every usual writing, and clear refusals."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.models.dates import date_text, read_date

MARCH_1 = dt.date(2021, 3, 1)


@pytest.mark.parametrize(
    "typed",
    [
        "20210301",
        "2021-3-1",
        "2021-03-01",
        "2021/3/1",
        "2021.3.1",
        "2021年3月1日",
        "2021年3月1",
        "2021年03月01号",
        " 2021 - 3 - 1 ",
        "２０２１年３月１日",  # full-width digits from a Chinese input method
        "２０２１０３０１",
    ],
)
def test_every_excel_writing_reads_as_the_same_day(typed: str) -> None:
    reading = read_date(typed)
    assert reading.error is None
    assert reading.value == MARCH_1


@pytest.mark.parametrize("typed", [None, "", "   "])
def test_blank_is_no_date_and_no_error(typed: str | None) -> None:
    assert read_date(typed).value is None
    assert read_date(typed).error is None


@pytest.mark.parametrize("typed", ["明年春天", "2021-3", "202131", "2021-13-1x", "3/1/2021"])
def test_text_that_is_no_date_is_refused_in_chinese(typed: str) -> None:
    reading = read_date(typed)
    assert reading.value is None
    assert reading.error is not None and "不是日期" in reading.error and "20210301" in reading.error


@pytest.mark.parametrize("typed", ["20210230", "2021-13-01", "2021年2月29日"])
def test_a_day_that_does_not_exist_is_named(typed: str) -> None:
    reading = read_date(typed)
    assert reading.value is None
    assert reading.error is not None and "没有" in reading.error


def test_leap_day_is_a_day() -> None:
    assert read_date("2020-2-29").value == dt.date(2020, 2, 29)


def test_a_date_shows_in_iso_form() -> None:
    assert date_text(MARCH_1) == "2021-03-01"
    assert date_text(None) == ""
