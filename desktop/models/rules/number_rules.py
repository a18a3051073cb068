"""Rules I20 and I21: targets met by doing nothing, and numbers that contradict each other.

Called by ``review_rules.check_review`` with the rows it has read. A target that is always
met (≥0, ≥1人) or that only a rate's ceiling allows (≥100%), a % on a name that is no
rate (I20); a name's own value against its target, a part equal to its whole, 单价 × 数量
against the 年度 amount (I21). Patterns are anchored or literal: linear in the text.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from desktop.models.amounts import as_number
from desktop.models.labels import label
from desktop.models.project import Project
from desktop.models.rules.base import Collector
from desktop.models.targets import GE, GT, LE, LT

if TYPE_CHECKING:
    from desktop.models.rules.review_rules import ReviewRow

_HUNDRED = Decimal(100)
# Name endings shared with I19 (``review_rules``).
SATISFACTION_END = re.compile(r"满意(?:度|率)$")
COUNT_END = re.compile(r"(?:个数|次数|人次|人数|场次|户数|数量|数)$")


# ---------------------------------------------------------------- I20 trivial targets

_RATE_END = re.compile(r"(?:率|满意度|占比|比例)$")
# Rates that can pass 100% (计划完成率, 预算执行率 beyond plan, growth): ≥100% is a real aim.
_MAY_EXCEED = re.compile(
    r"(?:完成|执行|达成|实现|增长|提高|提升|降低|下降|减少|节约|使用|利用|周转|收益|回报|负荷"
    r"|变化|兑现)率$|增幅$|增速$"
)
# Names where ≥0 means "no decline", a real aim.
_CHANGE = re.compile(r"增长|增幅|增速|增加|提高|提升|下降|降低|减少|节约|变化|同比|环比|差额|结余")
_QUALITATIVE_END = re.compile(
    r"(?:性|情况|效果|水平|能力|作用|效能|成效|提升|改善|增强|提高|意识|氛围|形象)$"
)
# 率 anywhere, and 可用性 (a system's availability, ≥99.9%, is a rate by usage).
_RATE_ANYWHERE = re.compile(r"率|满意度|比例|占比|百分比|可用性")
_HEADCOUNT_UNIT = re.compile(r"(?:人|名|人次|位)(?:/.*)?$")


def check_trivial(row: ReviewRow, fam: str, out: Collector) -> None:
    t = row.target
    if not t.is_quantity or t.number is None:
        return
    tl = label("indicators.target", fam)
    path = f"{row.path}.target"
    raw = t.raw.strip()
    name = row.name
    if t.comparator in (GE, GT) and t.number == 0:
        if _CHANGE.search(name) or SATISFACTION_END.search(name):
            return  # ≥0% growth is "no decline"; a low 满意度 target is I07's
        out.warning(
            "I20",
            path,
            f"{row.label}的{tl}“{raw}”不论做成什么样都能达到：请写明实际要达到的数值，"
            "如计划的数量或比率。",
        )
        return
    if (
        t.unit == "%"
        and t.number == _HUNDRED
        and t.comparator in (GE, GT)
        and _RATE_END.search(name)
        and not _MAY_EXCEED.search(name)
    ):
        fixed = "=100%" + (f" ({t.note})" if t.note else "")
        out.warning(
            "I20",
            path,
            f"{row.label}是比率，不会超过 100%，{tl}“{raw}”实际就是 =100%：请写作“{fixed}”。",
            suggestion=fixed,
        )
        return
    if t.unit == "%" and not _RATE_ANYWHERE.search(name) and (m := _QUALITATIVE_END.search(name)):
        out.warning(
            "I20",
            path,
            f"{row.label}以“{m.group()}”结尾，不是一个比率，{tl}“{raw}”无从计算：请把名称改为"
            "可计算的比率（如“…率”），或把目标值改为可核查的状态（如 达标、健全、规范）。",
        )
        return
    if t.comparator == GE and t.number == 1 and t.unit and _HEADCOUNT_UNIT.match(t.unit):
        out.warning(
            "I20",
            path,
            f"{row.label}的{tl}“{raw}”只要求不少于 1 {t.unit}，几乎必然达到：请写明计划的实际"
            f"人数，如 =5{t.unit}。",
        )


# ---------------------------------------------------------------- I21 contradictions

_VALUE_UNITS = (
    r"万元|元|%|人次|人|名|次|场|部|台|辆|个|户|家|项|件|套|份|所|批|期|篇|条|处|座|张|间|课时"
    r"|学时|小时|天|公里|平方米|亩|吨"
)
_VALUE_IN_NAME = re.compile(rf"(?<![\dA-Za-z.])(\d+(?:\.\d+)?)({_VALUE_UNITS})")
# A number after these is a frequency, a rank or a part of a service level, not the value.
_NOT_VALUE_BEFORE = frozenset("每第前后近约*×/-~～")


def _stated_value(name: str) -> tuple[Decimal, str] | None:
    """The one value a name states (培训人数200人 → 200 人); None when none or several."""
    found: list[tuple[Decimal, str]] = []
    for m in _VALUE_IN_NAME.finditer(name):
        before = name[max(0, m.start() - 2) : m.start()]
        if any(c in _NOT_VALUE_BEFORE for c in before):
            continue
        found.append((Decimal(m.group(1)), m.group(2)))
        if len(found) > 1:
            return None  # several: no need to read a long name to its end
    return found[0] if found else None


def check_stated_value(row: ReviewRow, fam: str, out: Collector) -> None:
    t = row.target
    if not t.is_quantity or t.number is None or t.unit is None:
        return
    stated = _stated_value(row.name)
    if stated is None:
        return
    number, unit = stated
    if unit != t.unit or number == t.number:
        return
    tl = label("indicators.target", fam)
    out.warning(
        "I21",
        f"{row.path}.target",
        f"{row.label}的名称中写明了 {_fmt(number)}{unit}，{tl}却是“{t.raw.strip()}”：请核对，"
        "使名称与目标值一致（名称中不必写数值）。",
    )


def check_part_equals_whole(rows: list[ReviewRow], fam: str, out: Collector) -> None:
    """Two counts with one unit and one number, one name inside the other (part = whole)."""
    groups: dict[tuple[str, Decimal], list[ReviewRow]] = {}
    for row in rows:
        t = row.target
        if (
            t.is_quantity
            and t.number is not None
            and t.number > 0
            and t.unit
            and t.unit not in ("%", "‰")
            and t.comparator not in (LE, LT)
            and COUNT_END.search(row.name)
        ):
            groups.setdefault((t.unit, t.number), []).append(row)
    tl = label("indicators.target", fam)
    flagged: set[int] = set()
    for members in groups.values():
        if len(members) < 2:
            continue
        for whole in members:
            for part in members:
                if (
                    part.index in flagged
                    or len(part.name) <= len(whole.name)
                    or whole.name not in part.name
                ):
                    continue
                flagged.add(part.index)
                out.warning(
                    "I21",
                    f"{part.path}.target",
                    f"{part.label}是第 {whole.index + 1} 行指标“{(whole.ind.name or '').strip()}”"
                    f"的一部分，{tl}却同为“{part.target.raw.strip()}”：请核对数值；"
                    "两者确实相同时，请删去重复的一项。",
                )


_UNIT_COST = re.compile(r"(万?元)/(.+)")
_TOLERANCE = Decimal("0.10")


def check_unit_cost(rows: list[ReviewRow], p: Project, out: Collector) -> None:
    """单价 × 数量 in the targets against the 年度 amount, when exactly one pair is there."""
    annual = as_number(p.funding.annual)
    if annual is None or annual <= 0:
        return
    pairs: list[tuple[ReviewRow, ReviewRow, Decimal]] = []
    costs = [
        (row, m)
        for row in rows
        if row.target.is_quantity
        and row.target.number is not None
        and row.target.number > 0
        and (m := _UNIT_COST.fullmatch(row.target.unit or ""))
    ]
    if not costs:
        return
    for cost, m in costs:
        price = (cost.target.number or Decimal(0)) * (10_000 if m.group(1) == "万元" else 1)
        for qty in rows:
            t = qty.target
            if (
                qty is not cost
                and t.is_quantity
                and t.number is not None
                and t.number > 0
                and t.unit == m.group(2)
            ):
                pairs.append((cost, qty, price))
    if len(pairs) != 1:
        return
    cost, qty, price = pairs[0]
    product = price * (qty.target.number or Decimal(0))
    if abs(product - annual) <= annual * _TOLERANCE:
        return
    fam = p.family
    off = abs(product - annual) / annual * 100
    out.warning(
        "I21",
        f"{cost.path}.target",
        f"{cost.label}的单价“{cost.target.raw.strip()}”乘以第 {qty.index + 1} 行指标"
        f"“{(qty.ind.name or '').strip()}”的“{qty.target.raw.strip()}”为 {product:,.2f} 元，"
        f"与{label('funding.annual', fam)} {annual:,.2f} 元相差 {off:.0f}%：请核对单价、数量"
        "或资金金额。",
    )


def _fmt(number: Decimal) -> str:
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
