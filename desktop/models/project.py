"""The project aggregate: one declaration, loaded whole and saved whole.

Every field of the 数据包 (``interchange.md``) has a home here. Values are kept
as the clerk (or the file) wrote them: a target is a string, an amount keeps
its written precision (``Decimal("10.00")`` stays ``10.00``), and an amount the
clerk typed that is not a number is kept as its text so the rules can name it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

# An amount in 元: a Decimal as written, the raw text of an unreadable entry
# (flagged by rule F01), or None when blank.
Amount = Decimal | str | None

FAMILIES = ("minhang-2020", "shanghai-2021", "shanghai-2020")
DEFAULT_FAMILY = "shanghai-2021"
# The families whose declaration prints a 项目构成分解 / 制度保障 table (forms.md).
BREAKDOWN_FAMILIES = frozenset({"minhang-2020"})
GUARANTEE_FAMILIES = frozenset({"minhang-2020", "shanghai-2021"})

CATEGORIES = ("一次性项目", "经常性项目", "阶段性项目", "中期预算试点项目")

STAGES = ("立项和计划阶段", "实施阶段", "收尾和完成阶段")
STANDARD_GUARANTEE_KINDS = ("项目管理制度", "预算管理制度", "财务管理制度")

STATUS_DRAFT = "draft"
STATUS_FINAL = "final"
STATUS_LABELS = {STATUS_DRAFT: "草稿", STATUS_FINAL: "定稿"}

FUNDING_KEYS = (
    "total",
    "total_fiscal",
    "total_other",
    "annual",
    "annual_fiscal",
    "upper",
    "local",
    "lower",
    "carryover",
    "annual_other",
)


@dataclass
class Funding:
    total: Amount = None
    total_fiscal: Amount = None
    total_other: Amount = None
    annual: Amount = None
    annual_fiscal: Amount = None
    upper: Amount = None
    local: Amount = None
    lower: Amount = None
    carryover: Amount = None
    annual_other: Amount = None


@dataclass
class Indicator:
    """One row of the 绩效指标 table; labels are kept as written."""

    level1: str | None = None
    level2: str | None = None
    name: str = ""
    target: str | None = None
    note: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class BreakdownRow:
    """One row of 项目构成分解."""

    content: str | None = None
    item: str | None = None
    amount: Amount = None
    unit_price: Amount = None
    price_basis: str | None = None
    quantity: Amount = None
    quantity_basis: str | None = None
    note: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def has_content(self) -> bool:
        return any(_filled(getattr(self, f.name)) for f in fields(self) if f.name != "extra")


@dataclass
class Guarantee:
    """One row of the 制度保障 table."""

    kind: str | None = None
    document: str | None = None
    measures: str | None = None
    stages: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def kind_key(self) -> str:
        """The 制度类别 without spaces, as the rules and the window compare it."""
        return "".join((self.kind or "").split())


@dataclass
class Signoff:
    unit_head: str | None = None
    preparer: str | None = None
    date: dt.date | None = None


@dataclass
class Project:
    year: int | None = None
    name: str = ""
    id: str | None = None
    template: str | None = None
    category: str | None = None
    department: str | None = None
    unit: str | None = None
    leader: str | None = None
    contact: str | None = None
    phone: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    overview: str | None = None
    establishment: str | None = None
    resources: str | None = None
    overall_goal: str | None = None
    annual_goal: str | None = None
    other_issues: str | None = None
    main_activity: str | None = None
    # The 项目经费情况说明 of the shanghai-2020 family (二、立项依据 … 六、年度预算安排); its
    # 一、项目概述 is ``overview`` and 七、绩效目标 the goals and indicators.
    legal_basis: str | None = None
    implementer: str | None = None
    implementation_plan: str | None = None
    implementation_period: str | None = None
    budget_note: str | None = None
    funding: Funding = field(default_factory=Funding)
    indicators: list[Indicator] = field(default_factory=list)
    breakdown: list[BreakdownRow] = field(default_factory=list)
    guarantees: list[Guarantee] = field(default_factory=list)
    # None when the declaration has no sign-off block at all (kept distinct
    # from a block whose three entries are blank, so files round-trip).
    signoff: Signoff | None = None
    # 说明 on warnings the clerk has answered (not the 项目经费情况说明 of EXPLANATION_FIELDS):
    # the finding's key (``I04|indicators[工作人员满意度].target``, rules/explanations.py) →
    # the text, 1–200 characters. Travels in the 数据包 as ``explanations``.
    explanations: dict[str, str] = field(default_factory=dict)
    # Keys of the 数据包 this version does not know, kept for the round trip.
    extra: dict[str, Any] = field(default_factory=dict)
    status: str = STATUS_DRAFT
    # Local state, never written to the 数据包: the field paths (``funding.total``, as the
    # rules' Finding.field names them) copied from last year that await the clerk's check,
    # and the id of the project this one was copied from (复制到下一年度).
    review: list[str] = field(default_factory=list)
    copied_from: str | None = None

    @property
    def family(self) -> str:
        return self.template or DEFAULT_FAMILY

    @property
    def is_final(self) -> bool:
        return self.status == STATUS_FINAL


# Text fields of the project itself, in form order (used by readers, writers, the store).
PROJECT_TEXT_FIELDS = (
    "name",
    "template",
    "category",
    "department",
    "unit",
    "leader",
    "contact",
    "phone",
    "overview",
    "establishment",
    "resources",
    "overall_goal",
    "annual_goal",
    "other_issues",
    "main_activity",
    "legal_basis",
    "implementer",
    "implementation_plan",
    "implementation_period",
    "budget_note",
)
# The sections of the shanghai-2020 项目经费情况说明 besides 项目概述 (``overview``), in its order.
EXPLANATION_FIELDS = PROJECT_TEXT_FIELDS[PROJECT_TEXT_FIELDS.index("legal_basis") :]
# Fields printed as long text (paragraphs kept) on every form.
LONG_TEXT_FIELDS = frozenset(PROJECT_TEXT_FIELDS[PROJECT_TEXT_FIELDS.index("overview") :])
INDICATOR_FIELDS = ("level1", "level2", "name", "target", "note")
BREAKDOWN_FIELDS = (
    "content",
    "item",
    "amount",
    "unit_price",
    "price_basis",
    "quantity",
    "quantity_basis",
    "note",
)
BREAKDOWN_AMOUNT_FIELDS = ("amount", "unit_price", "quantity")
GUARANTEE_TEXT_FIELDS = ("kind", "document", "measures")
SIGNOFF_FIELDS = ("unit_head", "preparer", "date")


def new_project(year: int, name: str, family: str) -> Project:
    """A new declaration: the whole year as its period, and the standard 制度 rows to fill in."""
    project = Project(year=year, name=name, template=family)
    project.start_date = dt.date(year, 1, 1)
    project.end_date = dt.date(year, 12, 31)
    if family in GUARANTEE_FAMILIES:
        project.guarantees = [Guarantee(kind=kind) for kind in STANDARD_GUARANTEE_KINDS]
    return project


def _filled(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    if isinstance(value, list | dict):
        return bool(value)
    return True


def is_blank(value: object) -> bool:
    """True for None, empty or whitespace-only text (full-width spaces included)."""
    return not _filled(value)
