"""Two versions of a declaration side by side: last year's and this year's, or a 定稿 and the draft.

Fields are named by the form's own words (``labels.py``, in the newer project's
family). Table rows are matched by what they are, not where they stand:
indicators by name, 项目构成分解 rows by 项目内容 + 项目明细, 制度保障 rows by
制度类别, so a reordered table shows no difference. Amounts are compared as
numbers (``360000`` = ``360000.00``), indicator levels by their taxonomy place
(``产出目标/数量`` = ``产出指标/数量指标``), text ignoring width and spacing.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from desktop.models import taxonomy as tx
from desktop.models.amounts import as_number, display_amount
from desktop.models.labels import FAMILY_NAMES, label
from desktop.models.project import (
    FUNDING_KEYS,
    STAGES,
    Amount,
    BreakdownRow,
    Guarantee,
    Indicator,
    Project,
    is_blank,
)

GENERAL, FUNDING, INDICATORS, BREAKDOWN, GUARANTEES = (
    "项目总体情况",
    "项目资金",
    "绩效目标",
    "项目构成分解",
    "制度保障",
)
SECTIONS = (GENERAL, FUNDING, INDICATORS, BREAKDOWN, GUARANTEES)

# The project's own fields, in the order of the 项目总体情况 table.
_GENERAL_KEYS = (
    "year",
    "template",
    "name",
    "category",
    "department",
    "unit",
    "leader",
    "contact",
    "phone",
    "start_date",
    "end_date",
    "overview",
    # shanghai-2020's 项目经费情况说明 follows its 项目概述; blank on both sides, a row is skipped.
    "legal_basis",
    "implementer",
    "implementation_plan",
    "implementation_period",
    "budget_note",
    "establishment",
    "resources",
    "overall_goal",
    "annual_goal",
    "other_issues",
    "main_activity",
)

Row = TypeVar("Row")


@dataclass(frozen=True)
class Difference:
    section: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class ComparedRow:
    """One line of the side-by-side view; ``differs`` is False where both say the same."""

    difference: Difference
    differs: bool


def compare_projects(old: Project, new: Project) -> list[Difference]:
    """What differs between two versions of a declaration, section by section."""
    return [row.difference for row in compare_rows(old, new) if row.differs]


def compare_rows(old: Project, new: Project) -> list[ComparedRow]:
    """Every line either version fills, in form order, each marked whether it differs."""
    fam = new.family
    rows: list[ComparedRow] = []
    rows += _general(old, new, fam)
    rows += _funding(old, new, fam)
    rows += _matched(
        INDICATORS, old.indicators, new.indicators, _indicator_key, _indicator_text,
        _indicator_same, old.family, fam,
    )  # fmt: skip
    rows += _matched(
        BREAKDOWN, old.breakdown, new.breakdown, _breakdown_key, _breakdown_text,
        _breakdown_same, old.family, fam,
    )  # fmt: skip
    rows += _matched(
        GUARANTEES, old.guarantees, new.guarantees, _guarantee_key, _guarantee_text,
        _guarantee_same, old.family, fam,
    )  # fmt: skip
    return rows


# ---------------------------------------------------------------- fields


def _general(old: Project, new: Project, fam: str) -> list[ComparedRow]:
    rows = []
    for key in _GENERAL_KEYS:
        a, b = _field_text(old, key), _field_text(new, key)
        if not a and not b:
            continue
        rows.append(ComparedRow(Difference(GENERAL, label(key, fam), a, b), _norm(a) != _norm(b)))
    return rows


def _field_text(p: Project, key: str) -> str:
    value: Any = p.family if key == "template" else getattr(p, key)
    if key == "template":
        return FAMILY_NAMES.get(value, value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def _funding(old: Project, new: Project, fam: str) -> list[ComparedRow]:
    rows = []
    for key in FUNDING_KEYS:
        a, b = getattr(old.funding, key), getattr(new.funding, key)
        if a is None and b is None:
            continue
        difference = Difference(
            FUNDING, label(f"funding.{key}", fam), display_amount(a), display_amount(b)
        )
        rows.append(ComparedRow(difference, not _same_amount(a, b)))
    return rows


def _same_amount(a: Amount, b: Amount) -> bool:
    x, y = as_number(a), as_number(b)
    if x is not None and y is not None:
        return x == y
    return _norm(display_amount(a)) == _norm(display_amount(b))


# ---------------------------------------------------------------- rows


def _matched(
    section: str,
    old_rows: list[Row],
    new_rows: list[Row],
    key: Callable[[Row], str],
    text: Callable[[Row, str], str],
    same: Callable[[Row, Row], bool],
    old_family: str,
    new_family: str,
) -> list[ComparedRow]:
    """Pair rows by key (the n-th of a key with the n-th); unpaired rows are added or removed."""
    pool: dict[str, list[tuple[int, Row]]] = {}
    for i, row in _filled(old_rows):
        pool.setdefault(key(row), []).append((i, row))
    out: list[ComparedRow] = []
    for i, row in _filled(new_rows):
        title = _row_title(row, i)
        paired = pool.get(key(row))
        if not paired:
            out.append(ComparedRow(Difference(section, title, "", text(row, new_family)), True))
            continue
        _, match = paired.pop(0)
        difference = Difference(section, title, text(match, old_family), text(row, new_family))
        out.append(ComparedRow(difference, not same(match, row)))
    for i, row in sorted((pair for pairs in pool.values() for pair in pairs), key=_first):
        difference = Difference(section, _row_title(row, i), text(row, old_family), "")
        out.append(ComparedRow(difference, True))
    return out


def _first(pair: tuple[int, Any]) -> int:
    return pair[0]


def _filled(rows: Iterable[Row]) -> list[tuple[int, Row]]:
    return [(i, r) for i, r in enumerate(rows) if _has_content(r)]


def _has_content(row: Any) -> bool:
    if isinstance(row, BreakdownRow):
        return row.has_content()
    if isinstance(row, Guarantee):
        return not (is_blank(row.document) and is_blank(row.measures) and not row.stages)
    return not all(is_blank(getattr(row, a)) for a in ("name", "target", "level1", "level2"))


def _row_title(row: Any, i: int) -> str:
    """What the clerk calls the row: its name (its 项目明细, its 制度类别), else its place."""
    if isinstance(row, Indicator):
        parts = [row.name]
    elif isinstance(row, BreakdownRow):
        parts = [row.content, row.item] if _norm(row.content) != _norm(row.item) else [row.item]
    else:
        parts = [row.kind]
    title = " / ".join(p.strip() for p in parts if p and p.strip())
    return title or f"第 {i + 1} 行"


def _indicator_key(row: Indicator) -> str:
    return _norm(row.name)


def _indicator_text(row: Indicator, family: str) -> str:
    levels = " / ".join(x.strip() for x in (row.level1 or "", row.level2 or "") if x.strip())
    parts = [levels, f"{label('indicators.target', family)}：{(row.target or '').strip()}"]
    if not is_blank(row.note):
        parts.append(f"备注：{(row.note or '').strip()}")
    return "　".join(p for p in parts if p)


def _indicator_same(a: Indicator, b: Indicator) -> bool:
    pa, pb = tx.place(a.level1, a.level2), tx.place(b.level1, b.level2)
    # Placed rows compare by taxonomy place; unplaced ones by what is written.
    levels_same = (
        pa == pb
        if pa.placed and pb.placed
        else (_norm(a.level1), _norm(a.level2)) == (_norm(b.level1), _norm(b.level2))
    )
    return levels_same and _norm(a.target) == _norm(b.target) and _norm(a.note) == _norm(b.note)


def _breakdown_key(row: BreakdownRow) -> str:
    return " / ".join(p for p in (_norm(row.content), _norm(row.item)) if p)


def _breakdown_text(row: BreakdownRow, family: str) -> str:
    parts = [f"{label('breakdown.amount', family)} {display_amount(row.amount)}"]
    if row.unit_price is not None or row.quantity is not None:
        parts.append(
            f"{label('breakdown.unit_price', family)} {display_amount(row.unit_price)}"
            f" × {label('breakdown.quantity', family)} {display_amount(row.quantity)}"
        )
    for attr in ("price_basis", "quantity_basis", "note"):
        value = getattr(row, attr)
        if not is_blank(value):
            parts.append(f"{label(f'breakdown.{attr}', family)}：{value.strip()}")
    return "　".join(parts)


def _breakdown_same(a: BreakdownRow, b: BreakdownRow) -> bool:
    return all(
        _same_amount(getattr(a, k), getattr(b, k)) for k in ("amount", "unit_price", "quantity")
    ) and all(
        _norm(getattr(a, k)) == _norm(getattr(b, k))
        for k in ("price_basis", "quantity_basis", "note")
    )


def _guarantee_key(row: Guarantee) -> str:
    return row.kind_key


def _guarantee_text(row: Guarantee, family: str) -> str:
    stages = "、".join(s for s in STAGES if s in row.stages) or "（未勾选）"
    return "　".join(
        (
            f"{label('guarantees.document', family)}：{(row.document or '').strip()}",
            f"{label('guarantees.measures', family)}：{(row.measures or '').strip()}",
            f"{label('guarantees.stages', family)}：{stages}",
        )
    )


def _guarantee_same(a: Guarantee, b: Guarantee) -> bool:
    return (
        _norm(a.document) == _norm(b.document)
        and _norm(a.measures) == _norm(b.measures)
        and set(a.stages) == set(b.stages)
    )


def _norm(text: str | None) -> str:
    """Text as compared: width (``＝`` / ``=``) and spacing do not count."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
