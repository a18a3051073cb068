"""The indicator frameworks behind the forms' different level wordings (``forms.md``).

Labels stay as the clerk wrote them; this module decides where a row belongs.
The 二级 label decides; the 一级 label is used only when the 二级 is blank.
Each form family prints its own words for a canonical level.

Which framework judges a project is data (``FRAMEWORK_BY_YEAR``): the form family
and the 年度 choose it. Until 2024 every family files under the framework of the
2020/2021 Shanghai forms; from 2025 the Shanghai single-page form files under the
上海市财政局 2025 指引, where 成本指标 is a 一级 of its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

OUTPUT = "产出指标"
BENEFIT = "效益指标"
SATISFACTION = "满意度指标"
MANAGEMENT = "投入和管理指标"
# A 一级 of the 2025 framework (a 二级 of 产出指标 before it).
COST_L1 = "成本指标"

QUANTITY = "数量指标"
QUALITY = "质量指标"
TIMELINESS = "时效指标"
COST = "成本指标"
ECONOMIC = "经济效益指标"
SOCIAL = "社会效益指标"
ECOLOGICAL = "生态效益指标"
SUSTAINABLE = "可持续影响指标"
SERVED = "服务对象满意度指标"
DECISION = "决策管理"
INPUT = "投入管理"
FINANCE = "财务管理"
PROJECT_MGMT = "项目管理"
# The 二级 of 成本指标 in the 2025 framework.
ECONOMIC_COST = "经济成本指标"
SOCIAL_COST = "社会成本指标"
ECOLOGICAL_COST = "生态环境成本指标"
COST_LEVEL2 = frozenset({COST, ECONOMIC_COST, SOCIAL_COST, ECOLOGICAL_COST})


@dataclass(frozen=True, eq=False)  # compared and hashed by identity (lru_cache keys)
class Framework:
    """One indicator framework: its 一级 → 二级 tree and the labels it reads."""

    key: str
    name: str
    tree: tuple[tuple[str, tuple[str, ...]], ...]
    # The core of a label (suffixes 指标/目标/类 removed) → canonical 二级 / 一级.
    level2_aliases: Mapping[str, str]
    level1_aliases: Mapping[str, str]
    # 一级 every declaration must have (I10, error) and 产出 二级 it should have (I11).
    required_level1: tuple[str, ...] = (OUTPUT, BENEFIT, SATISFACTION)
    required_output_level2: tuple[str, ...] = (QUANTITY, QUALITY, TIMELINESS)
    # 一级 set "in principle" for every project: a warning when missing (I16).
    expected_level1: tuple[str, ...] = ()
    level1: tuple[str, ...] = field(init=False)
    level2: dict[str, tuple[str, ...]] = field(init=False)
    parent: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "level1", tuple(l1 for l1, _ in self.tree))
        object.__setattr__(self, "level2", dict(self.tree))
        object.__setattr__(
            self, "parent", {l2: l1 for l1, l2s in self.tree for l2 in l2s}
        )

    @property
    def cost_is_level1(self) -> bool:
        return COST_L1 in self.level2


_COMMON_LEVEL2: dict[str, str] = {
    "数量": QUANTITY,
    "质量": QUALITY,
    "时效": TIMELINESS,
    "进度": TIMELINESS,
    "经济效益": ECONOMIC,
    "社会效益": SOCIAL,
    "社会效应": SOCIAL,
    "生态效益": ECOLOGICAL,
    "环境效益": ECOLOGICAL,
    "生态环境效益": ECOLOGICAL,
    "可持续影响": SUSTAINABLE,
    "可持续发展": SUSTAINABLE,
    "可持续": SUSTAINABLE,
    "长效管理": SUSTAINABLE,
    "满意度": SERVED,
    "服务对象满意度": SERVED,
    "社会公众满意度": SERVED,
    "社会公众或服务对象满意度": SERVED,
}

_FRAMEWORK_2020 = Framework(
    key="2020",
    name="2020—2024年上海市项目支出绩效指标体系",
    tree=(
        (OUTPUT, (QUANTITY, QUALITY, TIMELINESS, COST)),
        (BENEFIT, (ECONOMIC, SOCIAL, ECOLOGICAL, SUSTAINABLE)),
        (SATISFACTION, (SERVED,)),
        (MANAGEMENT, (DECISION, INPUT, FINANCE, PROJECT_MGMT)),
    ),
    level2_aliases={
        **_COMMON_LEVEL2,
        "成本": COST,
        # The 2020 上海 department budget books print these beside 长效管理 under
        # 影响力目标: what the unit keeps in place after the money is spent.
        "部门协助": SUSTAINABLE,
        "人力资源": SUSTAINABLE,
        "硬件条件": SUSTAINABLE,
        "信息共享": SUSTAINABLE,
        "决策管理": DECISION,
        "投入管理": INPUT,
        "财务管理": FINANCE,
        "项目管理": PROJECT_MGMT,
    },
    # 影响力目标 holds both 可持续影响 and 满意度 rows, so alone it cannot place a row.
    level1_aliases={
        "产出": OUTPUT,
        "效益": BENEFIT,
        "效果": BENEFIT,
        "满意度": SATISFACTION,
        "投入和管理": MANAGEMENT,
        "投入与管理": MANAGEMENT,
    },
)

_FRAMEWORK_2025 = Framework(
    key="2025",
    name="2025年上海市项目支出绩效指标设置指引",
    tree=(
        (OUTPUT, (QUANTITY, QUALITY, TIMELINESS)),
        (COST_L1, (ECONOMIC_COST, SOCIAL_COST, ECOLOGICAL_COST)),
        (BENEFIT, (ECONOMIC, SOCIAL, ECOLOGICAL, SUSTAINABLE)),
        (SATISFACTION, (SERVED,)),
    ),
    level2_aliases={
        **_COMMON_LEVEL2,
        # An old 产出指标/成本指标 row is a 经济成本 one now (I18 says to move it).
        "成本": ECONOMIC_COST,
        "经济成本": ECONOMIC_COST,
        "社会成本": SOCIAL_COST,
        "生态环境成本": ECOLOGICAL_COST,
        "生态成本": ECOLOGICAL_COST,
        "环境成本": ECOLOGICAL_COST,
    },
    level1_aliases={
        "产出": OUTPUT,
        "成本": COST_L1,
        "效益": BENEFIT,
        "效果": BENEFIT,
        "满意度": SATISFACTION,
    },
    expected_level1=(COST_L1,),
)

FRAMEWORKS: dict[str, Framework] = {f.key: f for f in (_FRAMEWORK_2020, _FRAMEWORK_2025)}
DEFAULT_FRAMEWORK = _FRAMEWORK_2020

# (family, first 年度, framework): the latest row at or before the year wins.
FRAMEWORK_BY_YEAR: tuple[tuple[str, int, str], ...] = (
    ("shanghai-2021", 2025, "2025"),
)


def framework_for(family: str | None, year: int | None) -> Framework:
    """The framework a declaration of ``family`` for ``year`` is filed under."""
    chosen = DEFAULT_FRAMEWORK
    best = -1
    for fam, first, key in FRAMEWORK_BY_YEAR:
        if fam == family and year is not None and first <= year and first > best:
            chosen, best = FRAMEWORKS[key], first
    return chosen


def framework_of(project: object) -> Framework:
    """The framework of a project (anything with ``family`` and ``year``)."""
    return framework_for(getattr(project, "family", None), getattr(project, "year", None))


# The legacy module-level view: the 2020–2024 framework.
LEVEL1 = DEFAULT_FRAMEWORK.level1
LEVEL2 = DEFAULT_FRAMEWORK.level2
PARENT = DEFAULT_FRAMEWORK.parent

_SUFFIX = re.compile(r"(?:类)?(?:指标|目标)?(?:类)?$")


def _core(label: str) -> str:
    text = unicodedata.normalize("NFKC", label)
    text = re.sub(r"\s+", "", text)
    text = text.rstrip(":：;；,，。")
    # 环境效益(目标): the suffix written in brackets, as forms.md's table spells it.
    text = re.sub(r"\((?:指标|目标)\)$", "", text)
    return _SUFFIX.sub("", text) or text


@dataclass(frozen=True)
class Placement:
    """Where an indicator row belongs. ``level2`` is None when only the 一级 is known."""

    level1: str | None
    level2: str | None

    @property
    def placed(self) -> bool:
        return self.level1 is not None


def is_cost(placement: Placement) -> bool:
    """A 成本 row in any framework (产出指标/成本指标 before 2025, 成本指标/… after)."""
    return placement.level2 in COST_LEVEL2 or (
        placement.level2 is None and placement.level1 == COST_L1
    )


def into(placement: Placement, framework: Framework) -> Placement | None:
    """Where a placement of the 2020–2024 tree belongs in ``framework``; None if nowhere.

    A 成本 row moves to the framework's 成本 (产出指标/成本指标 → 成本指标/经济成本指标).
    """
    if framework is DEFAULT_FRAMEWORK or placement.level1 is None:
        return placement
    if is_cost(placement):
        if placement.level2 in framework.parent:
            return Placement(framework.parent[placement.level2], placement.level2)
        if framework.cost_is_level1:
            return Placement(COST_L1, ECONOMIC_COST)
        return Placement(OUTPUT, COST)
    if placement.level2 is None:
        return placement if placement.level1 in framework.level2 else None
    return placement if placement.level2 in framework.parent else None


@lru_cache(maxsize=4096)
def level2_of(label: str | None, framework: Framework = DEFAULT_FRAMEWORK) -> str | None:
    if label is None or not label.strip():
        return None
    return framework.level2_aliases.get(_core(label))


@lru_cache(maxsize=4096)
def level1_of(label: str | None, framework: Framework = DEFAULT_FRAMEWORK) -> str | None:
    if label is None or not label.strip():
        return None
    core = _core(label)
    if core in framework.level1_aliases:
        return framework.level1_aliases[core]
    # A 二级 word written in the 一级 column (seen where merged cells slipped).
    l2 = framework.level2_aliases.get(core)
    return framework.parent[l2] if l2 else None


def place(
    level1: str | None, level2: str | None, framework: Framework = DEFAULT_FRAMEWORK
) -> Placement:
    """Place a row: the 二级 label decides, the 一级 only when the 二级 is blank."""
    l2 = level2_of(level2, framework)
    if l2 is not None:
        return Placement(framework.parent[l2], l2)
    if level2 is not None and level2.strip():
        return Placement(None, None)  # a 二级 written but not understood
    return Placement(level1_of(level1, framework), None)


def rank(placement: Placement, framework: Framework = DEFAULT_FRAMEWORK) -> int:
    """The framework's order of a placement: 产出 数量 … 满意度; unplaced last."""
    if placement.level1 not in framework.level2:
        return 10_000
    l1 = framework.level1.index(placement.level1)
    children = framework.level2[placement.level1]
    l2 = children.index(placement.level2) if placement.level2 in children else 9
    return l1 * 10 + l2


# What each family prints for a canonical level (forms.md).
_PRINTED_L1: dict[str, dict[str, str]] = {
    "minhang-2020": {OUTPUT: "产出目标", BENEFIT: "效果目标", SATISFACTION: "影响力目标"},
    "shanghai-2020": {
        OUTPUT: "产出目标",
        BENEFIT: "效果目标",
        SATISFACTION: "影响力目标",
        MANAGEMENT: "投入和管理类",
    },
}
_PRINTED_L2: dict[str, dict[str, str]] = {
    "minhang-2020": {
        QUANTITY: "数量",
        QUALITY: "质量",
        TIMELINESS: "时效",
        COST: "成本",
        ECONOMIC: "经济效益",
        SOCIAL: "社会效益",
        ECOLOGICAL: "生态效益",
        SUSTAINABLE: "可持续影响",
        SERVED: "满意度",
    },
    "shanghai-2020": {
        QUANTITY: "数量目标",
        QUALITY: "质量目标",
        TIMELINESS: "时效目标",
        COST: "成本目标",
        ECONOMIC: "经济效益目标",
        SOCIAL: "社会效益目标",
        ECOLOGICAL: "生态效益目标",
        SUSTAINABLE: "长效管理",
        SERVED: "满意度目标",
    },
}
# In the 2020 families 可持续影响 is printed under 影响力目标, not 效果目标.
_PRINTED_L1_OVERRIDE = {
    ("minhang-2020", SUSTAINABLE): "影响力目标",
    ("shanghai-2020", SUSTAINABLE): "影响力目标",
}


def printed_level1(family: str, placement: Placement) -> str | None:
    if placement.level1 is None:
        return None
    if placement.level2 and (family, placement.level2) in _PRINTED_L1_OVERRIDE:
        return _PRINTED_L1_OVERRIDE[(family, placement.level2)]
    return _PRINTED_L1.get(family, {}).get(placement.level1, placement.level1)


def printed_level2(family: str, placement: Placement) -> str | None:
    if placement.level2 is None:
        return None
    return _PRINTED_L2.get(family, {}).get(placement.level2, placement.level2)


def grouped_order(rows: Sequence[object], framework: Framework = DEFAULT_FRAMEWORK) -> list[int]:
    """The rows' indexes with each 一级 in one block and each 二级 in one block within it.

    Blocks go in the framework's order (产出, 成本 from 2025, 效益, 满意度 …); blocks of
    labels the framework cannot place follow, in the order they first appear. Rows keep
    their order inside a block. A row without levels stays with the row above it (a row
    still being filled in).
    """
    groups: dict[object, dict[object, list[int]]] = {}
    current: tuple[object, object] | None = None
    for i, row in enumerate(rows):
        l1, l2 = getattr(row, "level1", None), getattr(row, "level2", None)
        if _blank(l1) and _blank(l2) and current is not None:
            key = current
        else:
            placement = place(l1, l2, framework)
            key = (
                placement.level1 or ("?", _core(l1 or "")),
                placement.level2 or ("?", _core(l2 or "")),
            )
        current = key
        groups.setdefault(key[0], {}).setdefault(key[1], []).append(i)

    def l1_rank(item: tuple[int, object]) -> tuple[int, int]:
        seen, l1 = item
        return (framework.level1.index(l1), 0) if l1 in framework.level2 else (99, seen)

    order: list[int] = []
    for _, l1 in sorted(enumerate(groups), key=l1_rank):
        children = framework.level2.get(l1, ()) if isinstance(l1, str) else ()

        def l2_rank(item: tuple[int, object], children: tuple[str, ...] = children) -> tuple:
            seen, l2 = item
            return (children.index(l2), 0) if l2 in children else (99, seen)

        for _, l2 in sorted(enumerate(groups[l1]), key=l2_rank):
            order += groups[l1][l2]
    return order


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def level2_words(family: str, framework: Framework) -> list[str]:
    """Every 二级 word the family prints in this framework, in its order (for messages)."""
    words = (
        printed_level2(family, Placement(l1, l2))
        for l1 in framework.level1
        for l2 in framework.level2[l1]
    )
    return list(dict.fromkeys(w for w in words if w))
