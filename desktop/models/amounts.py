"""Amounts in 元: reading what a clerk types, checking, and printing them.

Money is ``Decimal`` throughout, never float. Two readers exist on purpose:
``parse_decimal_text`` is the strict one for files (digits, optional sign and
decimals, as the 数据包 writes them); ``read_amount`` is the forgiving one for
the keyboard (``1,234.5``, full-width ``１２３``, ``12.5万``, ``￥300``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from desktop.models.limits import MAX_AMOUNT
from desktop.models.project import Amount

# ASCII digits only: ``\d`` alone would also take ``１２３`` or ``١٢٣``, which no 数据包 writes.
_DECIMAL_TEXT = re.compile(r"-?\d{1,30}(?:\.\d{1,30})?", re.ASCII)
_TYPED = re.compile(r"(?P<sign>[-+]?)(?P<num>\d+(?:\.\d*)?|\.\d+)(?P<wan>万|万元)?(?:元)?")
# Typing with more digits is refused before it is read: the stored form keeps 30 each side.
_MAX_TYPED_DIGITS = 30
# The largest amount (``MAX_AMOUNT`` less one 分), as the messages print it: 999,999,999,999,999.99
LARGEST_AMOUNT_TEXT = f"{MAX_AMOUNT - Decimal('0.01'):,.2f}"
TOO_LARGE = f"金额不能超过 {LARGEST_AMOUNT_TEXT} 元，请检查是否多输入了数字"
OUT_OF_BOUNDS = "超出金额上限"
TOO_PRECISE = "金额最多保留两位小数（到分），请检查小数位数"
# The whole part of a plain number written in a file, and how many digits it may have.
_WHOLE_PART = re.compile(r"[-+]?(\d+)(?:\.\d*)?", re.ASCII)
_WHOLE_DIGITS = len(str(MAX_AMOUNT)) - 1
# Beyond this many digits before the point a value is shown in exponent form, not printed whole.
_PRINTED_DIGITS = 100


def parse_decimal_text(text: str) -> Decimal | None:
    """The file form: ``"22553852"``, ``"1159620.00"``, ``"-5"``. None if not that form."""
    if not _DECIMAL_TEXT.fullmatch(text):
        return None
    return Decimal(text)


def amount_from_text(text: str | None) -> Amount:
    """An amount as stored or filed: a Decimal when it is one, else the text as written."""
    if text is None or not text.strip():
        return None
    parsed = parse_decimal_text(text)
    return parsed if parsed is not None else text


def amount_to_text(amount: Amount) -> str | None:
    """The stored and filed form: ``Decimal("10.00")`` → ``"10.00"``; unreadable text as is."""
    if amount is None:
        return None
    return format(amount, "f") if isinstance(amount, Decimal) else amount


@dataclass(frozen=True)
class AmountReading:
    """What the clerk's typing means: a value, or a Chinese reason it has none."""

    value: Decimal | None
    converted_from_wan: bool = False
    error: str | None = None


def read_amount(text: str | None) -> AmountReading:
    """Read an amount typed by a clerk. Blank gives ``value=None`` and no error."""
    if text is None:
        return AmountReading(None)
    norm = unicodedata.normalize("NFKC", text)
    norm = re.sub(r"[\s,，_]", "", norm).replace("￥", "").replace("¥", "")
    if norm == "":
        return AmountReading(None)
    m = _TYPED.fullmatch(norm)
    if not m:
        return AmountReading(None, error="请输入数字金额，例如 1234.50 或 12.5万")
    digits = m.group("num")
    if len(digits.replace(".", "")) > _MAX_TYPED_DIGITS:
        whole = digits.partition(".")[0].lstrip("0")
        return AmountReading(None, error=TOO_LARGE if len(whole) > _WHOLE_DIGITS else TOO_PRECISE)
    try:
        value = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        return AmountReading(None, error="请输入数字金额")
    if m.group("sign") == "-":
        value = -value
    wan = m.group("wan") is not None
    if wan:
        value = value * 10000
    if not in_bounds(value):  # before quantize, which raises on more than 28 digits
        return AmountReading(None, error=TOO_LARGE)
    if wan:
        # 12.5万 is 125000, not 125000.0: keep at most the two decimals of 元
        value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return AmountReading(value, converted_from_wan=wan)


def in_bounds(value: Decimal) -> bool:
    """A finite value below ``MAX_AMOUNT`` 元 either way (``limits.py``)."""
    return value.is_finite() and -MAX_AMOUNT < value < MAX_AMOUNT


def too_large(amount: Amount) -> bool:
    """An amount a file holds that is a number at or beyond ``MAX_AMOUNT`` 元 (either way).

    Also the text of a number with more digits than a Decimal is read from (``parse_decimal_text``
    keeps 30): every such number is far beyond the bound. Readers refuse these with a message.
    """
    if isinstance(amount, Decimal):
        return amount.is_finite() and not in_bounds(amount)
    if isinstance(amount, str):
        m = _WHOLE_PART.fullmatch(amount.strip())
        return m is not None and len(m.group(1).lstrip("0")) > _WHOLE_DIGITS
    return False


def as_number(amount: Amount) -> Decimal | None:
    """The value of a filled, readable amount within bounds; None for blank or unreadable.

    An amount at or beyond ``MAX_AMOUNT`` (an old database may hold one) counts as unreadable:
    rule F01 names it and no sum, product or total takes it in.
    """
    if isinstance(amount, Decimal) and in_bounds(amount):
        return amount
    return None


def amount_problem(amount: Amount) -> str | None:
    """Why an amount is not a valid sum of money (rule F01), or None."""
    if amount is None:
        return None
    if isinstance(amount, str):
        return "不是数字"
    if not amount.is_finite():
        return "不是数字"
    if not in_bounds(amount):
        return OUT_OF_BOUNDS
    if amount < 0:
        return "不能为负数"
    if _beyond_fen(amount):
        return "最多保留两位小数（到分）"
    return None


def format_amount(value: Decimal | None) -> str:
    """``22553852`` → ``22,553,852.00`` (blank for None). Never raises, whatever the value.

    Formatting rounds to 分 itself (half-even, as ``quantize`` does) without the context's
    28-digit precision, so an out-of-bounds amount an old database holds is printed, not raised on.
    """
    if value is None:
        return ""
    if not value.is_finite() or value.adjusted() > _PRINTED_DIGITS:
        return str(value)
    return f"{value:,.2f}"


def display_amount(amount: Amount) -> str:
    """An amount in a cell or list: ``22,553,852.00``; blank for None; unreadable text as typed.

    A value with more than 分 is shown in full rather than rounded, so its F01 error stays visible.
    """
    if amount is None:
        return ""
    if isinstance(amount, str) or not amount.is_finite() or amount.adjusted() > _PRINTED_DIGITS:
        return str(amount)
    if _beyond_fen(amount):
        return f"{amount:,f}"
    return format_amount(amount)


def _beyond_fen(amount: Decimal) -> bool:
    """More than two decimals that are not zero (``12.345``; not ``12.340``)."""
    _, digits, exponent = amount.as_tuple()
    if not isinstance(exponent, int) or exponent >= -2:
        return False
    return any(digits[exponent + 2 :])  # the digits after the 分 (no rounding: never raises)


def amount_text(amount: Amount) -> str:
    """How an amount is shown in a message or a cell: formatted number or the raw text."""
    if amount is None:
        return "（空）"
    if isinstance(amount, str):
        return f"“{amount}”"
    return format_amount(amount)
