"""What a finding is, the settings the rules read, and what they know of other projects."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
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
    """What rule P10 compares: 年度 + 项目名称 + 实施单位, and whose it is."""

    id: str
    year: int | None
    name: str
    unit: str | None

    @property
    def declaration(self) -> tuple[int | None, str, str]:
        return (self.year, _norm(self.name), _norm(self.unit))


def _norm(text: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


@dataclass
class Context:
    """What the rules may know beyond the project itself: the other declarations."""

    _index: dict[tuple[int | None, str, str], set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, keys: Iterable[ProjectKey]) -> Context:
        ctx = cls()
        for key in keys:
            ctx.add(key)
        return ctx

    def add(self, key: ProjectKey) -> None:
        if key.declaration[1]:
            self._index.setdefault(key.declaration, set()).add(key.id)

    def discard(self, key: ProjectKey) -> None:
        ids = self._index.get(key.declaration)
        if ids:
            ids.discard(key.id)

    def has_twin(self, key: ProjectKey) -> bool:
        """Another project (not this one) declares the same 年度 + 名称 + 单位."""
        if not key.declaration[1]:
            return False
        return bool(self._index.get(key.declaration, set()) - {key.id})


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
