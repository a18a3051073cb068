"""Dates typed as a clerk types them in Excel/WPS: ``20210301``, ``2021-3-1``, ``2021/3/1``,
``2021.3.1``, ``2021年3月1日`` (full-width digits too). Pure: no Qt, no I/O."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

# 2021-3-1, 2021/3/1, 2021.3.1, 2021年3月1日 (and mixes, spaces around the separators)
# (spaces taken whole, ``\s*+``: nothing after them is a space, so reading stays linear)
_SEPARATED = re.compile(r"(\d{4})\s*+[-/.年]\s*+(\d{1,2})\s*+[-/.月]\s*+(\d{1,2})\s*+[日号]?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
EXAMPLES = "2021-03-01、20210301、2021/3/1、2021.3.1 或 2021年3月1日"


@dataclass(frozen=True)
class DateReading:
    """What the clerk typed means: a date, nothing (blank), or a Chinese reason it is no date."""

    value: dt.date | None
    error: str | None = None


def read_date(text: str | None) -> DateReading:
    """Read a typed date. Blank gives ``value=None`` and no error."""
    if text is None:
        return DateReading(None)
    norm = unicodedata.normalize("NFKC", text).strip()
    if not norm:
        return DateReading(None)
    m = _SEPARATED.fullmatch(norm) or _COMPACT.fullmatch(norm)
    if m is None:
        return DateReading(None, f"“{text.strip()}”不是日期，请输入如 {EXAMPLES}。")
    year, month, day = (int(g) for g in m.groups())
    try:
        return DateReading(dt.date(year, month, day))
    except ValueError:
        return DateReading(None, f"没有 {year}年{month}月{day}日 这一天，请检查月份和日期。")


def date_text(value: dt.date | None) -> str:
    """How a date shows in its field: ``2021-03-01``; blank for none."""
    return value.isoformat() if value else ""
