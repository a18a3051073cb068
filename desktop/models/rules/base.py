"""What a finding is, the settings the rules read, and what they know of other projects."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal

Severity = Literal["error", "warning"]
ERROR: Severity = "error"
WARNING: Severity = "warning"
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告"}


@dataclass(frozen=True)
class Finding:
    """One thing wrong with a project: a stable code, the field it concerns, what to do."""

    code: str
    severity: Severity
    field: str
    message: str
    # For a finding that can be fixed mechanically (I15): the corrected text.
    suggestion: str | None = None
    # The clerk's 说明 on a warning (set by ``validate`` after the rules ran; never on
    # an error): the warning is answered, 已说明. See ``rules/explanations.py``.
    explanation: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


DEFAULT_ACCEPTED_WORDS = (
    "健全",
    "有效",
    "执行有效",
    "合规",
    "合格",
    "达标",
    "完善",
    "良好",
    "明确",
    "规范",
    "安全",
    "稳定",
    "及时",
    "保障",
    "满足",
    "提升",
    "提高",
    "促进",
    "减少",
    "缩减",
    "发挥",
    "丰富",
    "监测",
    "足额保障",
    # States a reviewer checks as readily (seen accepted on real forms).
    "准确",
    "完整",
    "符合",
    "正常",
    "建立",
    "优良",
    "优秀",
    "齐全",
    "到位",
    "按时",
    "按期",
    "完成",
    "不超预算",
    "及时到位",
)


@dataclass(frozen=True)
class RuleSettings:
    """Thresholds a unit may change (the *(setting)* marks in ``validation.md``)."""

    satisfaction_min: Decimal = Decimal(80)
    accepted_words: tuple[str, ...] = DEFAULT_ACCEPTED_WORDS
    # How far 明细金额 may stray from 单价 × 数量 (rounding to the fen).
    product_tolerance: Decimal = Decimal("0.01")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RuleSettings:
        """Settings from a unit's settings file; unknown or malformed entries keep defaults."""
        settings = cls()
        changes: dict[str, Any] = {}
        names = {f.name for f in fields(cls)}
        for key, value in data.items():
            if key not in names:
                continue
            try:
                if key == "accepted_words":
                    if isinstance(value, list) and all(isinstance(v, str) for v in value):
                        changes[key] = tuple(v.strip() for v in value if v.strip())
                elif isinstance(value, int | float | str) and not isinstance(value, bool):
                    changes[key] = Decimal(str(value))
            except ArithmeticError:
                continue
        return replace(settings, **changes)


@dataclass(frozen=True)
class ProjectKey:
    """What rules P10 and P13 compare: 年度 + 项目名称 + 实施单位, the 三级指标 names, whose."""

    id: str
    year: int | None
    name: str
    unit: str | None
    # The 三级指标 names as written (rule P13); not part of the key's identity.
    indicators: tuple[str, ...] = field(default=(), compare=False, repr=False)
    # 年度 + 名称 + 单位 as compared (P10), and 年度 + 单位 (the projects P13 compares).
    declaration: tuple[int | None, str, str] = field(init=False, compare=False, repr=False)
    group: tuple[int | None, str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        unit = _norm_unit(self.unit)
        object.__setattr__(self, "declaration", (self.year, _norm(self.name), unit))
        object.__setattr__(self, "group", (self.year, unit))

    @property
    def indicator_set(self) -> frozenset[str]:
        """The names P13 compares (width and spacing ignored), 满意度 rows left out."""
        return _name_set(self.indicators)


def _norm(text: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


# A store holds many projects of few units.
_norm_unit = lru_cache(maxsize=256)(_norm)


def group_of(year: int | None, unit: str | None) -> tuple[int | None, str]:
    """年度 + 单位 as P13 groups projects (``ProjectKey.group``)."""
    return (year, _norm_unit(unit))


@lru_cache(maxsize=4096)
def _name_set(names: tuple[str, ...]) -> frozenset[str]:
    # Every project has its generic 满意度 rows; they say nothing about copying.
    return frozenset(n for n in map(_norm, names) if n and "满意" not in n)


# P13: a project whose named indicators are mostly another's of the same unit and 年度.
COPY_MIN_SHARED = 4
COPY_SHARE = (4, 5)  # at least 4/5 of this project's indicators


def shared_enough(mine: frozenset[str], theirs: frozenset[str]) -> int:
    """How many of ``mine`` are in ``theirs`` when that makes a copied set (P13), else 0."""
    shared = len(mine & theirs)
    num, den = COPY_SHARE
    return shared if shared >= COPY_MIN_SHARED and shared * den >= num * len(mine) else 0


@dataclass(frozen=True)
class CopiedSet:
    """The project whose indicator set this one repeats (P13), and how much of it."""

    other: ProjectKey
    shared: int
    total: int


Group = tuple[int | None, str]


@dataclass
class Context:
    """What the rules may know beyond the project itself: the other declarations."""

    _index: dict[tuple[int | None, str, str], set[str]] = field(default_factory=dict)
    # P13: 年度 + 单位 → the names as written → id → key. Projects with the very same
    # names (copies) share one entry, so a comparison is made once per distinct set.
    _groups: dict[Group, dict[tuple[str, ...], dict[str, ProjectKey]]] = field(default_factory=dict)
    _filed: dict[str, tuple[Group, tuple[str, ...]]] = field(default_factory=dict)

    @classmethod
    def of(cls, keys: Iterable[ProjectKey]) -> Context:
        ctx = cls()
        for key in keys:
            ctx.add(key)
        return ctx

    def add(self, key: ProjectKey) -> None:
        if key.declaration[1]:
            self._index.setdefault(key.declaration, set()).add(key.id)
        if key.indicators and key.year is not None and key.group[1]:
            self._unfile(key.id)
            self._groups.setdefault(key.group, {}).setdefault(key.indicators, {})[key.id] = key
            self._filed[key.id] = (key.group, key.indicators)

    def discard(self, key: ProjectKey) -> None:
        ids = self._index.get(key.declaration)
        if ids:
            ids.discard(key.id)
        self._unfile(key.id)

    def _unfile(self, key_id: str) -> None:
        filed = self._filed.pop(key_id, None)
        if filed is None:
            return
        group, names = filed
        sets = self._groups[group]
        sets[names].pop(key_id, None)
        if not sets[names]:
            del sets[names]

    def has_twin(self, key: ProjectKey) -> bool:
        """Another project (not this one) declares the same 年度 + 名称 + 单位."""
        if not key.declaration[1]:
            return False
        return bool(self._index.get(key.declaration, set()) - {key.id})

    def copied_set(self, key: ProjectKey) -> CopiedSet | None:
        """Another project of the same 单位 and 年度 whose indicator names this one's mostly are.

        At least ``COPY_MIN_SHARED`` names shared, making at least ``COPY_SHARE`` of this
        project's (满意度 rows not counted). A 同名 twin is P10's, not this rule's.
        """
        if key.year is None or not key.group[1]:
            return None
        sets = self._groups.get(key.group)
        if not sets:
            return None
        mine = key.indicator_set
        if len(mine) < COPY_MIN_SHARED:
            return None
        best: CopiedSet | None = None
        for members in sets.values():
            first = next(iter(members.values()))
            shared = shared_enough(mine, first.indicator_set)
            if not shared or (best is not None and shared <= best.shared):
                continue
            other = next(
                (
                    m
                    for m in members.values()
                    if m.id != key.id and m.declaration != key.declaration
                ),
                None,
            )
            if other is not None:
                best = CopiedSet(other, shared, len(mine))
        return best


def identity(project_id: str | None, obj: object) -> str:
    """A project's identity for P10: its id, or the object itself when not yet stored."""
    return project_id or f"@{id(obj)}"


class Collector:
    """Gathers findings for one project; rules call ``error``/``warning``."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def error(self, code: str, path: str, message: str, suggestion: str | None = None) -> None:
        self.findings.append(Finding(code, ERROR, path, message, suggestion))

    def warning(self, code: str, path: str, message: str, suggestion: str | None = None) -> None:
        self.findings.append(Finding(code, WARNING, path, message, suggestion))

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)
