"""Reading a 指标目标值 the way a reviewer does.

A target is an optional comparator, a number, a unit and an optional bracketed
note (``≥95% (2021年6月底前)``), or a qualitative word (``健全``), possibly with
a note (``及时(每月1次)``). Real declarations type comparators many ways
(``>=``, ``> =``, ``≧``, ``不低于`` …); the reader understands them all and
``standard`` gives the one written form the bureau expects.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal

Kind = Literal["blank", "quantity", "word", "text"]

# Canonical comparators as printed: ASCII "=" is what the real forms use for
# equality; the inequalities use the mathematical and full-width signs.
EQ, GE, LE, GT, LT = "=", "≥", "≤", "＞", "＜"

# Every reader here is linear in the length of the text (20,000 characters may be typed):
# a run of spaces or digits is taken whole (``\s*+``, ``\d++``: possessive) where what follows
# cannot be a space or a digit,
# so no two quantifiers share out the same run, and the bracketed note is found by
# ``_split_note`` rather than by a pattern that tries every place a note could start.

# Spellings seen in declarations (after NFKC, so ＞ is already >), longest first.
_PREFIX_COMPARATORS: list[tuple[str, str]] = [
    (r">\s*+=", GE),
    (r"<\s*+=", LE),
    (r"=\s*+>", GE),
    (r"=\s*+<", LE),
    (r"≥\s*+=?", GE),
    (r"≧", GE),
    (r"≤\s*+=?", LE),
    (r"≦", LE),
    (r"={1,2}", EQ),
    (r">", GT),
    (r"<", LT),
    (r"大于或等于|大于等于|不低于|不少于|不小于|至少|最少|达到|达", GE),
    (r"小于或等于|小于等于|不高于|不多于|不大于|不超过|最多|至多", LE),
    (r"大于|高于|多于|超过", GT),
    (r"小于|低于|少于", LT),
    (r"等于|为", EQ),
]
_SUFFIX_COMPARATORS: list[tuple[str, str]] = [
    (r"及以上|以上", GE),
    (r"及以下|以下|以内", LE),
]

_CMP_RE = "|".join(f"(?:{p})" for p, _ in _PREFIX_COMPARATORS)
_SUF_RE = "|".join(f"(?:{p})" for p, _ in _SUFFIX_COMPARATORS)
_NUMBER = r"[-+]?\d++(?:\.\d++)?"  # taken whole: no unit, suffix or space is a digit
# A unit is short and made of letters, CJK characters, %, ‰, / or ²;
# anything longer or with punctuation is prose, not a unit.
_UNIT = r"[%‰°A-Za-z\u4e00-\u9fff/²³·]{0,8}?"

_QUANTITY_RE = re.compile(
    rf"^(?P<cmp>{_CMP_RE})?\s*+(?P<num>{_NUMBER})\s*+(?P<unit>{_UNIT})\s*+(?P<suf>{_SUF_RE})?$"
)
_PLACEHOLDER_RE = re.compile(rf"[Xx×*]{{2,}}|^(?:{_CMP_RE})?\s*+[Xx×*]+\s*+{_UNIT}$")


def _split_note(text: str, opening: str = "(", closing: str = ")") -> tuple[str, str] | None:
    """``core (note)`` → (core, note): a text ending in a bracketed note with no bracket inside.

    The core keeps what comes before the note, without the spaces before the bracket (it may
    be empty); None when the text does not end so. One pass from the end, whatever the text.
    """
    end = len(text.rstrip())
    if end == 0 or text[end - 1] not in closing:
        return None
    start = max(text.rfind(c, 0, end - 1) for c in opening)
    if start < 0:
        return None
    note = text[start + 1 : end - 1]
    if any(c in note for c in closing):
        return None
    return text[:start].rstrip(), note


@dataclass(frozen=True)
class Target:
    """A target as read. ``raw`` is what was written; the rest is what it means."""

    raw: str
    kind: Kind
    comparator: str | None = None
    number: Decimal | None = None
    number_text: str | None = None
    unit: str | None = None
    note: str | None = None
    word: str | None = None

    @property
    def is_quantity(self) -> bool:
        return self.kind == "quantity"

    @property
    def standard(self) -> str:
        """The one written form: ``≥400场``, ``=100% (2021年6月底前)``, ``健全``."""
        if self.kind == "quantity":
            core = f"{self.comparator or ''}{self.number_text}{self.unit or ''}"
        elif self.kind == "word":
            core = self.word or ""
        else:
            core = (
                _squash(unicodedata.normalize("NFKC", self.raw))
                if self.note is None
                else self.core_text
            )
        if self.note is not None:
            return f"{core} ({self.note})"
        return core

    @property
    def core_text(self) -> str:
        """The target without its bracketed note, as written."""
        split = _split_note(self.raw.strip(), "(（", ")）")
        return (split[0] if split else self.raw).strip()


def _squash(text: str) -> str:
    r"""Runs of spaces as one, none at the ends (``str.split`` knows the spaces ``\s`` does)."""
    return " ".join(text.split())


@lru_cache(maxsize=8192)
def read_target(raw: str | None) -> Target:
    """Read one 目标值. Never raises; unreadable text comes back as ``kind="text"``."""
    if raw is None or not raw.strip():
        return Target(raw or "", "blank")
    text = unicodedata.normalize("NFKC", raw).strip()
    note = None
    split = _split_note(text)
    if split and split[0].strip():
        text, note = split[0].strip(), _squash(split[1])
    q = _QUANTITY_RE.match(text)
    if q:
        cmp_text, suf_text = q.group("cmp"), q.group("suf")
        comparator = _canonical(cmp_text, _PREFIX_COMPARATORS) if cmp_text else None
        if comparator is None and suf_text:
            comparator = _canonical(suf_text, _SUFFIX_COMPARATORS)
        num = q.group("num").lstrip("+")
        try:
            number = Decimal(num)
        except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
            return Target(raw, "text", note=note)
        return Target(
            raw,
            "quantity",
            comparator=comparator,
            number=number,
            number_text=num,
            unit=q.group("unit") or None,
            note=note,
        )
    if not re.search(r"\d", text):
        return Target(raw, "word", word=_squash(text), note=note)
    return Target(raw, "text", note=note)


def _canonical(spelled: str, table: list[tuple[str, str]]) -> str | None:
    for pattern, canonical in table:
        if re.fullmatch(pattern, spelled.strip()):
            return canonical
    return None


def has_placeholder(text: str | None) -> bool:
    """``XX``, ``≥**%``, ``××人``: a template value never filled in."""
    if not text:
        return False
    norm = unicodedata.normalize("NFKC", text).strip()
    return bool(_PLACEHOLDER_RE.search(norm))


def same_text(a: str | None, b: str | None) -> bool:
    """Equal once width and spacing are ignored."""
    if a is None or b is None:
        return False
    return "".join(unicodedata.normalize("NFKC", a).split()) == "".join(
        unicodedata.normalize("NFKC", b).split()
    )


_DATE_RE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20|21)\d{2})\s*+(?:年|-|/|\.)\s*+(?:(?P<m>\d\s\d|\d{1,2})\s*+(?:月|-|/|\.))?"
)


def dates_in(text: str | None) -> list[tuple[int, int | None]]:
    """(year, month or None) for every date mentioned: ``2021年6月底前`` → (2021, 6).

    OCR'd forms split digits (``2021年1 2月``); a month written ``1 2`` is 12.
    """
    if not text:
        return []
    norm = unicodedata.normalize("NFKC", text)
    found: list[tuple[int, int | None]] = []
    for m in _DATE_RE.finditer(norm):
        year = int(m.group("y"))
        month_text = m.group("m")
        # any space between the digits: a tab or a line break split them as well as a blank
        month = int("".join(month_text.split())) if month_text else None
        if month is not None and not 1 <= month <= 12:
            month = None
        found.append((year, month))
    return found
