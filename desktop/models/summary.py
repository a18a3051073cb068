"""汇总: every project of a year in one table, with a totals row (pure; no I/O).

One row per project: 项目名称, 实施单位, 项目类别, three amounts, indicator counts
(in all and per canonical 一级), the findings counted (错误, 警告, and of the 警告 those
the clerk answered with a 说明, 其中已说明), 草稿/定稿. The totals add
the amounts exactly (``Decimal``); an amount that is not a number is never
silently dropped: it is left out of the sum and named in ``totals.not_numbers``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from desktop.models.amounts import amount_problem, as_number
from desktop.models.labels import label
from desktop.models.project import STATUS_FINAL, STATUS_LABELS, Amount, Project
from desktop.models.taxonomy import (
    BENEFIT,
    COST_L1,
    MANAGEMENT,
    OUTPUT,
    SATISFACTION,
    framework_of,
    place,
)

if TYPE_CHECKING:
    from desktop.models.rules.base import Finding

# 财政资金 is a different line on each family's form (forms.md): the 2021 form has
# 其中：财政资金 under 项目资金总额 (total_fiscal); the 闵行 2020 form has only
# （一）财政拨款 under 当年预算 (annual_fiscal), and the 上海 2020 form's funding, as the
# editor shows it, has no total_fiscal either.
FISCAL_KEYS: dict[str, str] = {"shanghai-2021": "total_fiscal"}
DEFAULT_FISCAL_KEY = "annual_fiscal"
FISCAL_NOTE = (
    "财政资金一栏，上海 2021 单页式为“其中：财政资金”（项目资金总额中），"
    "其他表式为“财政拨款”（当年预算中）。"
)

# The amount columns: (attribute of SummaryRow, the column's words).
AMOUNT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("total", "项目资金总额"),
    ("annual", "年度资金"),
    ("fiscal", "财政资金"),
)
# The indicator count columns: (attribute, the canonical 一级 it counts, short words).
LEVEL_COLUMNS: tuple[tuple[str, str | None, str], ...] = (
    ("output", OUTPUT, "产出"),
    ("cost", COST_L1, "成本"),  # a 一级 from the 2025 指引 on; before, 成本 rows are 产出 ones
    ("benefit", BENEFIT, "效益"),
    ("satisfaction", SATISFACTION, "满意度"),
    ("management", MANAGEMENT, "投入和管理"),
    ("unplaced", None, "未归类"),  # labels the taxonomy cannot place (rule I13)
)


def fiscal_key(family: str) -> str:
    """The funding field that is the family's 财政资金."""
    return FISCAL_KEYS.get(family, DEFAULT_FISCAL_KEY)


def summary_title(year: int | None) -> str:
    return f"{year if year is not None else ''}年度项目支出绩效目标汇总表"


@dataclass(frozen=True)
class SummaryRow:
    """One project's line of the 汇总表."""

    number: int  # 序号, from 1
    project_id: str | None
    name: str
    unit: str | None
    category: str | None
    family: str
    total: Amount
    annual: Amount
    fiscal: Amount
    fiscal_key: str  # the funding field 财政资金 came from
    indicators: int
    output: int
    cost: int
    benefit: int
    satisfaction: int
    management: int
    unplaced: int
    errors: int
    warnings: int
    # of the warnings, how many the clerk has answered with a 说明 (已说明)
    explained: int
    status: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def fiscal_label(self) -> str:
        """What the family's form calls the line 财政资金 was taken from."""
        return label(f"funding.{self.fiscal_key}", self.family)


@dataclass(frozen=True)
class NotANumber:
    """An amount left out of a total because it is not a number: named for the clerk."""

    number: int
    project: str
    column: str
    text: str
    reason: str = "不是数字"  # or 超出金额上限: a number an old database may hold, too large to add

    @property
    def sentence(self) -> str:
        return f"第 {self.number} 行“{self.project}”的{self.column}“{self.text}”{self.reason}，未计入合计"


@dataclass(frozen=True)
class SummaryTotals:
    """The 合计 row: exact sums of the amounts that are numbers, counts added up."""

    projects: int
    total: Decimal
    annual: Decimal
    fiscal: Decimal
    indicators: int
    output: int
    cost: int
    benefit: int
    satisfaction: int
    management: int
    unplaced: int
    errors: int
    warnings: int
    explained: int
    finals: int
    not_numbers: tuple[NotANumber, ...] = ()

    @property
    def drafts(self) -> int:
        return self.projects - self.finals

    @property
    def status_text(self) -> str:
        """How many are 定稿 (the label says how many projects in all)."""
        return f"定稿 {self.finals}"

    @property
    def label(self) -> str:
        return f"合计（{self.projects} 个项目）"


@dataclass(frozen=True)
class Summary:
    year: int | None
    unit: str  # the 填报单位 line; blank when the projects do not share one
    rows: tuple[SummaryRow, ...]
    totals: SummaryTotals
    notes: tuple[str, ...] = field(default=())

    @property
    def title(self) -> str:
        return summary_title(self.year)

    def ordered(self, numbers: Sequence[int]) -> Summary:
        """The same 汇总表 with its rows in another order (as sorted in the window), renumbered."""
        by_number = {r.number: r for r in self.rows}
        if sorted(numbers) != sorted(by_number):
            raise ValueError("排序后的行与汇总表的行不一致")
        rows = tuple(replace(by_number[n], number=i) for i, n in enumerate(numbers, start=1))
        totals = summarise(rows)
        return replace(
            self, rows=rows, totals=totals, notes=tuple(x.sentence for x in totals.not_numbers)
        )

    @property
    def note_text(self) -> str:
        """The lines printed below the table: what 财政资金 is, and any amount left out."""
        return "\n".join([f"注：{FISCAL_NOTE}", *(f"{s}。" for s in self.notes)])


def _count_levels(p: Project) -> dict[str, int]:
    counts = {attr: 0 for attr, _, _ in LEVEL_COLUMNS}
    by_level = {level1: attr for attr, level1, _ in LEVEL_COLUMNS}
    framework = framework_of(p)
    for ind in p.indicators:
        counts[by_level[place(ind.level1, ind.level2, framework).level1]] += 1
    return counts


def _shared(values: Sequence[str | None]) -> str:
    found = {v.strip() for v in values if v and v.strip()}
    return found.pop() if len(found) == 1 else ""


def reporting_unit(projects: Sequence[Project]) -> str:
    """The 填报单位: the one 实施单位 every project names, else the one 主管部门, else blank."""
    return _shared([p.unit for p in projects]) or _shared([p.department for p in projects])


def build_summary(
    year: int | None,
    projects: Sequence[Project],
    findings: Sequence[Sequence[Finding]],
    unit: str | None = None,
) -> Summary:
    """The 汇总表 of ``projects`` (in the order given); ``findings[i]`` are those of ``projects[i]``.

    ``unit`` overrides the 填报单位 worked out from the projects.
    """
    if len(findings) != len(projects):
        raise ValueError("每个项目都需要它的校验结果")
    rows: list[SummaryRow] = []
    for n, (p, found) in enumerate(zip(projects, findings, strict=True), start=1):
        key = fiscal_key(p.family)
        errors = sum(1 for f in found if f.is_error)
        rows.append(
            SummaryRow(
                number=n,
                project_id=p.id,
                name=p.name,
                unit=p.unit,
                category=p.category,
                family=p.family,
                total=p.funding.total,
                annual=p.funding.annual,
                fiscal=getattr(p.funding, key),
                fiscal_key=key,
                indicators=len(p.indicators),
                errors=errors,
                warnings=len(found) - errors,
                explained=sum(1 for f in found if not f.is_error and f.explanation),
                status=p.status,
                **_count_levels(p),
            )
        )
    totals = summarise(rows)
    return Summary(
        year,
        reporting_unit(projects) if unit is None else unit.strip(),
        tuple(rows),
        totals,
        tuple(x.sentence for x in totals.not_numbers),
    )


def summarise(rows: Sequence[SummaryRow]) -> SummaryTotals:
    """The totals of ``rows`` (also of a sorted or filtered selection)."""
    sums = {attr: Decimal(0) for attr, _ in AMOUNT_COLUMNS}
    not_numbers: list[NotANumber] = []
    for row in rows:
        for attr, words in AMOUNT_COLUMNS:
            value: Amount = getattr(row, attr)
            number = as_number(value)
            if number is not None:
                sums[attr] += number
            elif value is not None:  # blank is nothing to add; text is named
                reason = amount_problem(value) or "不是数字"  # 不是数字 or 超出金额上限
                not_numbers.append(NotANumber(row.number, row.name, words, str(value), reason))
    counted = {
        attr: sum(getattr(r, attr) for r in rows)
        for attr in (
            "indicators",
            *(a for a, _, _ in LEVEL_COLUMNS),
            "errors",
            "warnings",
            "explained",
        )
    }
    return SummaryTotals(
        projects=len(rows),
        finals=sum(1 for r in rows if r.status == STATUS_FINAL),
        not_numbers=tuple(not_numbers),
        **sums,
        **counted,
    )
