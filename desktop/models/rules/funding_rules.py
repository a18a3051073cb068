"""Rules F01–F09 and B01: amounts, the sums of 项目资金, and 项目构成分解."""

from __future__ import annotations

from decimal import Decimal, localcontext

from desktop.models.amounts import (
    OUT_OF_BOUNDS,
    TOO_LARGE,
    amount_problem,
    amount_text,
    as_number,
    format_amount,
    in_bounds,
)
from desktop.models.labels import FORM_FUNDING_KEYS, PRINTED_FUNDING_FAMILIES, label
from desktop.models.project import (
    BREAKDOWN_AMOUNT_FIELDS,
    FUNDING_KEYS,
    Amount,
    BreakdownRow,
    Project,
)
from desktop.models.rules.base import Collector, Context, RuleSettings

# (code, the sum, its parts); a sum is checked when at least one part is filled.
_SUMS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("F02", "annual_fiscal", ("upper", "local", "lower")),
    ("F03", "annual", ("annual_fiscal", "carryover", "annual_other")),
    ("F04", "total", ("total_fiscal", "total_other")),
)


def check_funding(p: Project, out: Collector, settings: RuleSettings, ctx: Context) -> None:
    fam, f = p.family, p.funding
    lab = {k: label(f"funding.{k}", fam) for k in FUNDING_KEYS}
    for key in FUNDING_KEYS:
        problem = amount_problem(getattr(f, key))
        if problem:
            out.error(
                "F01",
                f"funding.{key}",
                f"项目资金 · {lab[key]} {amount_text(getattr(f, key))}{problem}："
                + _advice(
                    problem, "请填写以元为单位、不小于 0、最多两位小数的金额，如 1159620.00。"
                ),
            )
    for code, whole_key, part_keys in _SUMS:
        parts = [getattr(f, k) for k in part_keys]
        if all(v is None for v in parts) or _unreadable(getattr(f, whole_key), *parts):
            continue
        expected = sum((as_number(v) or Decimal(0) for v in parts), Decimal(0))
        actual = as_number(getattr(f, whole_key)) or Decimal(0)
        if actual != expected:
            names = " + ".join(lab[k] for k in part_keys)
            out.error(
                code,
                f"funding.{whole_key}",
                f"项目资金 · {lab[whole_key]} {amount_text(getattr(f, whole_key))} 不等于 {names} 之和 "
                f"{format_amount(expected)}：请核对各项金额。",
            )
    _check_blank_parts(p, lab, out)
    total, annual = as_number(f.total), as_number(f.annual)
    if total is not None and annual is not None:
        if annual > total:
            out.error(
                "F05",
                "funding.annual",
                f"项目资金 · {lab['annual']} {format_amount(annual)} 大于 {lab['total']} "
                f"{format_amount(total)}：当年申请的资金不能超过项目总额，请核对。",
            )
        elif p.category == "一次性项目" and annual != total:
            out.warning(
                "F06",
                "funding.total",
                f"一次性项目的{lab['total']} {format_amount(total)} 与 {lab['annual']} "
                f"{format_amount(annual)} 不相等：一次性项目通常当年全部申请，请核对金额或项目类别。",
            )
    if f.annual is None and p.family in PRINTED_FUNDING_FAMILIES:
        out.warning(
            "F09", "funding.annual", f"项目资金 · {lab['annual']}未填写：请填写当年申请的金额。"
        )
    check_breakdown(p, out, settings)


def _check_blank_parts(p: Project, lab: dict[str, str], out: Collector) -> None:
    """F10: a sum filled with every one of its parts (as the form prints them) left blank.

    The sums (F02–F04) are not checked then, yet the reviewer cannot tell where the
    money comes from: 财政拨款 or 其他资金.
    """
    if p.family not in PRINTED_FUNDING_FAMILIES:
        return  # the paper form shows no amounts (上海 2020): nothing a reviewer could see
    shown = FORM_FUNDING_KEYS.get(p.family, FUNDING_KEYS)
    for code, whole_key, part_keys in _SUMS:
        if code == "F02":
            continue  # 上级/本级/下级 are a breakdown of 财政拨款 the forms often leave blank
        parts = [k for k in part_keys if k in shown]
        whole = as_number(getattr(p.funding, whole_key))
        if whole_key not in shown or len(parts) < 2 or whole is None or whole == 0:
            continue
        if all(getattr(p.funding, k) is None for k in parts):
            # "其他资金", not "其他资金（年度资金申请总额）": the sentence already names the sum
            names = "、".join(lab[k].split("（")[0] for k in parts)
            out.warning(
                "F10",
                f"funding.{parts[0]}",
                f"项目资金 · {lab[whole_key]}已填写 {format_amount(whole)}，但其中的 {names} 都为空："
                f"请按资金来源填写（没有的填 0），各项之和应等于{lab[whole_key]}。",
            )


def _advice(problem: str, usual: str) -> str:
    """What to do about an F01 problem: the bound when the amount is beyond it, else ``usual``."""
    if problem == OUT_OF_BOUNDS:
        return f"{TOO_LARGE}。"
    return usual


def _unreadable(*amounts: Amount) -> bool:
    """A sum with an unreadable term is left to F01 rather than reported twice."""
    return any(a is not None and as_number(a) is None for a in amounts)


def check_breakdown(p: Project, out: Collector, settings: RuleSettings) -> None:
    fam = p.family
    rows = [(i, r) for i, r in enumerate(p.breakdown) if r.has_content()]
    for i, row in rows:
        where = f"项目构成分解第 {i + 1} 行{_row_name(row)}"
        for key in BREAKDOWN_AMOUNT_FIELDS:
            problem = amount_problem(getattr(row, key))
            if problem:
                out.error(
                    "F01",
                    f"breakdown[{i}].{key}",
                    f"{where}的{label(f'breakdown.{key}', fam)} {amount_text(getattr(row, key))}{problem}："
                    + _advice(problem, "请填写不小于 0、最多两位小数的数字。"),
                )
        if row.amount is None:
            out.error(
                "B01",
                f"breakdown[{i}].amount",
                f"{where}没有填写明细金额：请填写金额，或删除这一行。",
            )
        amount = as_number(row.amount)
        price, qty = as_number(row.unit_price), as_number(row.quantity)
        if amount is not None and price is not None and qty is not None:
            # not row_product: a product beyond the bound differs from any amount, and says so
            product = _times(price, qty)
            if abs(amount - product) > settings.product_tolerance:
                out.error(
                    "F08",
                    f"breakdown[{i}].amount",
                    f"{where}的明细金额 {format_amount(amount)} 不等于 单价 {format_amount(price)} × "
                    f"数量 {qty.normalize():f} = {format_amount(product)}：请核对单价、数量或金额。",
                )
    annual = as_number(p.funding.annual)
    if rows and annual is not None:
        amounts = [r.amount for _, r in rows]
        if not _unreadable(*amounts):
            total = sum((as_number(a) or Decimal(0) for a in amounts), Decimal(0))
            if total != annual:
                out.error(
                    "F07",
                    "breakdown",
                    f"项目构成分解的金额合计 {format_amount(total)} 不等于 {label('funding.annual', fam)} "
                    f"{format_amount(annual)}（相差 {format_amount(abs(total - annual))}）：请核对明细金额。",
                )


def row_product(row: BreakdownRow) -> Decimal | None:
    """单价 × 数量 of a breakdown row (offered as its 明细金额), or None.

    None unless both are readable numbers and their product is itself an amount within bounds.
    """
    price, qty = as_number(row.unit_price), as_number(row.quantity)
    if price is None or qty is None:
        return None
    product = _times(price, qty)
    return product if in_bounds(product) else None


def _times(a: Decimal, b: Decimal) -> Decimal:
    """``a × b`` exactly: two amounts below the bound may have more digits than the context's 28."""
    with localcontext() as ctx:
        ctx.prec = max(ctx.prec, len(a.as_tuple().digits) + len(b.as_tuple().digits))
        return a * b


def _row_name(row: BreakdownRow) -> str:
    name = (row.item or row.content or "").strip()
    return f"“{name}”" if name else ""
