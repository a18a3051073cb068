"""Reading one workbook cell's value by its layout role: text, amount, date, year, choice, stage."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from desktop.export.layout import AMOUNT, CHOICE, DATE, STAGE, Cell
from desktop.export.reading import MAX_AMOUNT_CHARS, MAX_FIELD_CHARS
from desktop.models.amounts import LARGEST_AMOUNT_TEXT, TOO_LARGE, read_amount, too_large
from desktop.models.limits import MAX_AMOUNT

TICKS = frozenset("☑✓√✔■☒")
UNTICKS = frozenset("☐□")
STAGE_TICKS = frozenset("☑✓√✔■☒是")
DATE_FIELDS = frozenset({"start_date", "end_date", "signoff.date"})
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_SPACE = re.compile(r"\s+")


# ------------------------------------------------------------------ text helpers


def norm(text: str) -> str:
    """Text as compared: NFKC (full-width and ASCII alike, '：' is ':'), no whitespace."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def norm_label(text: str) -> str:
    """A fixed label as compared: ``norm`` without a trailing colon."""
    return norm(text).rstrip(":")


def coord(row: int, col: int) -> str:
    """The Excel name of a cell (``B7``), for messages."""
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col)}{row}"


def _number_text(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _strip_fixed(text: str, pattern: str) -> str:
    """What a caption says beyond its fixed words (``填报单位（盖章）：{}`` → the unit)."""
    prefix, _, suffix = pattern.partition("{}")
    start, end = 0, len(text)
    want = norm(prefix)
    if want:
        start = next(
            (i for i in _cuts(text, range(1, len(text) + 1), want) if norm(text[:i]) == want), 0
        )
    want = norm(suffix)
    if want:
        cuts = _cuts(text, range(len(text) - 1, start - 1, -1), want)
        end = next((j for j in cuts if norm(text[j:]) == want), len(text))
    return text[start:end].strip()


def _cuts(text: str, places: range, want: str) -> Iterator[int]:
    """The places where fixed words ``want`` (normalized) may end (or begin, going back).

    Linear in the text, however long: a cut next to a space is not tried (the space adds
    nothing once normalized, so the nearer cut would have matched), and the search stops
    once more characters are taken than could normalize to ``want`` (NFKC joins at most
    four into one).
    """
    limit = 4 * len(want) + 8
    taken = 0
    forward = places.step > 0
    for cut in places:
        ch = text[cut - 1] if forward else text[cut]
        if ch.isspace():
            continue
        taken += 1
        if taken > limit:
            return
        yield cut


def pattern_matches(text: str, pattern: str) -> bool:
    """Whether ``text`` has a caption pattern's fixed words around its ``{}``."""
    prefix, _, suffix = pattern.partition("{}")
    n, p, s = norm(text), norm(prefix), norm(suffix)
    return bool(p or s) and n.startswith(p) and n.endswith(s) and len(n) >= len(p) + len(s)


# ------------------------------------------------------------------ reading one value


class BadValue(Exception):
    """A value that cannot be read; the message names the field, the sheet and cell are added."""


def kind_of(cell: Cell) -> str:
    """How a layout cell's value is read: text, amount, date, year, choice or stage."""
    key = cell.field or ""
    if cell.role == CHOICE:
        return "choice"
    if cell.role == STAGE:
        return "stage"
    if cell.role == AMOUNT:
        return "amount"
    if key == "year":
        return "year"
    if cell.role == DATE or key in DATE_FIELDS:
        return "date"
    return "text"


def as_text(value: Any, percent: bool = False) -> str | None:
    """A cell's content as the text Excel shows; ``None`` for an empty cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float | Decimal) and percent:
        # 95% typed in Excel is the number 0.95 shown as a percentage: keep what was seen.
        shown = (Decimal(str(value)) * 100).normalize()
        return f"{shown:f}%"
    if isinstance(value, int | float):
        return _number_text(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else str(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text = str(value)
    return text if text != "" else None


def parse_value(kind: str, value: Any, words: str, pattern: str = "", percent: bool = False) -> Any:
    """A cell's content as the project holds it; ``BadValue`` when it cannot be."""
    if pattern and kind != "stage":
        text = as_text(value)
        value = _strip_fixed(text, pattern) if text is not None else None
        if value == "":
            value = None
    if kind == "text":
        text = as_text(value, percent)
        if text is not None and len(text) > MAX_FIELD_CHARS:
            raise BadValue(
                f"{words}有 {len(text)} 个字符，超过上限 {MAX_FIELD_CHARS} 个：请删减后再导入"
            )
        return text
    if kind == "amount":
        return _amount(value, words)
    if kind == "date":
        return _date(value, words)
    if kind == "year":
        return _year(value, words)
    if kind == "choice":
        return _choice(as_text(value) or "", words)
    if kind == "stage":
        return any(ch in STAGE_TICKS for ch in as_text(value) or "")
    raise ValueError(kind)  # pragma: no cover - every layout role has a kind


def _amount(value: Any, words: str) -> Any:
    if value is None:
        return None
    number = _cell_number(value)
    if number is not None:
        if not number.is_finite():
            raise BadValue(f"{words}“{number}”不是金额：请填写数字")
        # Excel keeps 15 significant digits: the largest amounts (999999999999999.99) come back
        # as 10^15 itself. That one passes: an unedited cell keeps the stored amount, and one
        # typed so is named by rule F01. Beyond it no amount rounds: refused.
        if too_large(number) and abs(number) != MAX_AMOUNT:
            # as Excel shows a large number cell: 1E+30
            shown = f"{value:.15G}" if isinstance(value, float) else format(number, "f")
            raise BadValue(_too_large(words, shown))
        return number
    text = as_text(value) or ""
    if not text.strip():
        return None
    if len(text) > MAX_AMOUNT_CHARS:
        raise BadValue(f"{words}有 {len(text)} 个字符，不是金额：请填写数字")
    reading = read_amount(text)
    if reading.error == TOO_LARGE:
        raise BadValue(_too_large(words, text.strip()))
    # Not a number is kept as written: rule F01 names it and asks for a fix.
    return reading.value if reading.value is not None and reading.error is None else text


def _cell_number(value: Any) -> Decimal | None:
    """A number cell's value as a Decimal (a float as Excel shows it); None for any other cell."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, float):
        if value.is_integer():
            return Decimal(int(value))
        return Decimal(repr(value))
    return None


def _too_large(words: str, shown: str) -> str:
    """Refused, not kept: no amount beyond the bound is ever stored (``limits.py``)."""
    if len(shown) > 40:
        shown = shown[:40] + "…"
    return (
        f"{words}“{shown}”超过金额上限 {LARGEST_AMOUNT_TEXT} 元："
        "请检查是否多输入了数字（金额以元为单位）"
    )


def _date(value: Any, words: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = as_text(value) or ""
    if not text.strip():
        return None
    m = _DATE_TEXT.fullmatch(norm(text))
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    raise BadValue(f"{words}“{text[:40]}”不是日期，请写成 2021-01-01 的形式")


def _year(value: Any, words: str) -> int | None:
    text = as_text(value)
    if text is None or not text.strip():
        return None
    digits = norm(text)
    if not re.fullmatch(r"\d{4}", digits, re.ASCII):
        raise BadValue(f"{words}“{text[:40]}”不是四位年份，请写成 2021 的形式")
    return int(digits)


def _choice(text: str, words: str) -> str | None:
    """项目类别 boxes: the ticked option; plain text naming an option is that option."""
    tokens = re.findall(r"[☑✓√✔■☒☐□]|[^☑✓√✔■☒☐□\s]+", unicodedata.normalize("NFC", text))
    ticked: list[str] = []
    marks = False
    for i, token in enumerate(tokens):
        if token in TICKS or token in UNTICKS:
            marks = True
            continue
        before = tokens[i - 1] if i > 0 else ""
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if before in TICKS or (before not in UNTICKS and after in TICKS):
            ticked.append(token)
    if len(ticked) > 1:
        raise BadValue(f"{words}勾选了多项（{'、'.join(ticked)}），只能勾选一项")
    if ticked:
        return ticked[0]
    if marks:
        return None
    plain = text.strip()
    return plain or None
