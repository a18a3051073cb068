"""One indicator taxonomy behind the forms' different level wordings (``forms.md``).

Labels stay as the clerk wrote them; this module decides where a row belongs.
The 二级 label decides; the 一级 label is used only when the 二级 is blank.
Each form family prints its own words for a canonical level.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

OUTPUT = "产出指标"
BENEFIT = "效益指标"
SATISFACTION = "满意度指标"
MANAGEMENT = "投入和管理指标"

LEVEL1 = (OUTPUT, BENEFIT, SATISFACTION, MANAGEMENT)

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

LEVEL2: dict[str, tuple[str, ...]] = {
    OUTPUT: (QUANTITY, QUALITY, TIMELINESS, COST),
    BENEFIT: (ECONOMIC, SOCIAL, ECOLOGICAL, SUSTAINABLE),
    SATISFACTION: (SERVED,),
    MANAGEMENT: (DECISION, INPUT, FINANCE, PROJECT_MGMT),
}
PARENT: dict[str, str] = {l2: l1 for l1, l2s in LEVEL2.items() for l2 in l2s}

# The core of a label (suffixes 指标/目标/类 removed) → canonical 二级.
_LEVEL2_ALIASES: dict[str, str] = {
    "数量": QUANTITY,
    "质量": QUALITY,
    "时效": TIMELINESS,
    "进度": TIMELINESS,
    "成本": COST,
    "经济效益": ECONOMIC,
    "社会效益": SOCIAL,
    "社会效应": SOCIAL,
    "生态效益": ECOLOGICAL,
    "环境效益": ECOLOGICAL,
    "可持续影响": SUSTAINABLE,
    "可持续发展": SUSTAINABLE,
    "可持续": SUSTAINABLE,
    "长效管理": SUSTAINABLE,
    "满意度": SERVED,
    "服务对象满意度": SERVED,
    "社会公众满意度": SERVED,
    "社会公众或服务对象满意度": SERVED,
    "决策管理": DECISION,
    "投入管理": INPUT,
    "财务管理": FINANCE,
    "项目管理": PROJECT_MGMT,
}

# The core of a 一级 label → canonical 一级. 影响力目标 holds both 可持续影响
# and 满意度 rows, so alone it cannot place a row: it maps to nothing.
_LEVEL1_ALIASES: dict[str, str] = {
    "产出": OUTPUT,
    "效益": BENEFIT,
    "效果": BENEFIT,
    "满意度": SATISFACTION,
    "投入和管理": MANAGEMENT,
    "投入与管理": MANAGEMENT,
}

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


@lru_cache(maxsize=4096)
def level2_of(label: str | None) -> str | None:
    if label is None or not label.strip():
        return None
    return _LEVEL2_ALIASES.get(_core(label))


@lru_cache(maxsize=4096)
def level1_of(label: str | None) -> str | None:
    if label is None or not label.strip():
        return None
    core = _core(label)
    if core in _LEVEL1_ALIASES:
        return _LEVEL1_ALIASES[core]
    # A 二级 word written in the 一级 column (seen where merged cells slipped).
    l2 = _LEVEL2_ALIASES.get(core)
    return PARENT[l2] if l2 else None


def place(level1: str | None, level2: str | None) -> Placement:
    """Place a row: the 二级 label decides, the 一级 only when the 二级 is blank."""
    l2 = level2_of(level2)
    if l2 is not None:
        return Placement(PARENT[l2], l2)
    if level2 is not None and level2.strip():
        return Placement(None, None)  # a 二级 written but not understood
    return Placement(level1_of(level1), None)


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
