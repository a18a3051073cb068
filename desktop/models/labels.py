"""The forms' own words for every field, per form family (``forms.md``).

Messages, the window and the printed tables all name a field the way the
clerk's paper form does; this is the one place those words live.
"""

from __future__ import annotations

_COMMON: dict[str, str] = {
    "id": "项目编号",
    "year": "年度",
    "name": "项目名称",
    "template": "表式",
    "category": "项目类别",
    "department": "主管部门",
    "unit": "实施单位",
    "leader": "项目负责人",
    "contact": "联系人",
    "phone": "联系电话",
    "start_date": "计划开始日期",
    "end_date": "计划完成日期",
    "overview": "项目概况",
    "establishment": "项目立项情况",
    "resources": "项目相关资源投入和制度建设情况",
    "overall_goal": "项目总目标",
    "annual_goal": "年度总目标",
    "other_issues": "需要说明的其他问题",
    "main_activity": "主体活动（作业、任务）",
    # The 项目经费情况说明's sections; only shanghai-2020 prints them.
    "legal_basis": "立项依据",
    "implementer": "实施主体",
    "implementation_plan": "实施方案",
    "implementation_period": "实施周期",
    "budget_note": "年度预算安排",
    "funding": "项目资金",
    "indicators": "绩效指标",
    "breakdown": "项目构成分解",
    "guarantees": "制度保障",
    "signoff": "签署栏",
    "signoff.unit_head": "填报单位负责人",
    "signoff.preparer": "填表人",
    "signoff.date": "填报日期",
    "funding.total": "项目资金总额",
    "funding.total_fiscal": "财政资金",
    "funding.total_other": "其他资金（项目资金总额）",
    "funding.annual": "年度资金申请总额",
    "funding.annual_fiscal": "当年财政拨款",
    "funding.upper": "上级财政拨款",
    "funding.local": "本级财政安排",
    "funding.lower": "下级财政配套",
    "funding.carryover": "上年结转资金",
    "funding.annual_other": "其他资金（年度资金申请总额）",
    "indicators.level1": "一级指标",
    "indicators.level2": "二级指标",
    "indicators.name": "三级指标",
    "indicators.target": "指标目标值",
    "indicators.note": "备注",
    "breakdown.content": "项目内容",
    "breakdown.item": "项目明细",
    "breakdown.amount": "明细金额",
    "breakdown.unit_price": "单价",
    "breakdown.price_basis": "单价依据",
    "breakdown.quantity": "数量",
    "breakdown.quantity_basis": "数量依据",
    "breakdown.note": "备注",
    "guarantees.kind": "制度类别",
    "guarantees.document": "文件名称",
    "guarantees.measures": "具体措施",
    "guarantees.stages": "保障阶段",
    # 说明 on answered warnings (rules/explanations.py)
    "explanations": "警告的说明",
    "explanations.code": "问题代码",
    "explanations.field": "问题所在栏目",
    "explanations.text": "说明",
}

_BY_FAMILY: dict[str, dict[str, str]] = {
    "minhang-2020": {
        "unit": "填报单位",
        "start_date": "起始日期",
        "end_date": "结束日期",
        "establishment": "项目立项情况（必要性、可行性）",
        "annual_goal": "年度绩效目标",
        "funding.total": "项目总预算",
        "funding.annual": "当年预算",
        "funding.annual_fiscal": "财政拨款",
        "funding.annual_other": "其他资金",
        "funding.total_other": "其他资金（总预算）",
        "indicators.level1": "一级目标",
        "indicators.level2": "二级目标",
        "indicators.name": "三级目标",
        "indicators.target": "目标值",
    },
    "shanghai-2020": {
        "overview": "项目概述",
        "annual_goal": "年度绩效目标",
    },
}

CATEGORY_CHOICES: dict[str, tuple[str, ...]] = {
    "minhang-2020": ("一次性项目", "经常性项目", "中期预算试点项目"),
    "shanghai-2021": ("一次性项目", "经常性项目", "阶段性项目", "中期预算试点项目"),
    "shanghai-2020": ("一次性项目", "经常性项目", "阶段性项目", "中期预算试点项目"),
}

# The amounts each family's form has, in its order (the editor shows these; a copy to
# the next year marks these for review).
FORM_FUNDING_KEYS: dict[str, tuple[str, ...]] = {
    "minhang-2020": ("total", "annual", "annual_fiscal", "upper", "local", "lower", "annual_other"),
    "shanghai-2021": (
        "total",
        "total_fiscal",
        "total_other",
        "annual",
        "annual_fiscal",
        "carryover",
        "annual_other",
    ),
    "shanghai-2020": ("total", "annual", "annual_fiscal", "annual_other"),
}

# The families whose printed form shows the amounts (the 2020 上海 table has none; its
# 年度预算安排 is a text). tests/test_layout_grid.py checks this against the layouts.
PRINTED_FUNDING_FAMILIES = frozenset({"minhang-2020", "shanghai-2021"})

# The fields of 项目总体情况 each family's form has, in its order (the editor shows these;
# a 【请填写…】 left in any of them is an error, P11).
FORM_GENERAL_FIELDS: dict[str, tuple[str, ...]] = {
    "minhang-2020": (
        "name",
        "category",
        "unit",
        "leader",
        "contact",
        "phone",
        "start_date",
        "end_date",
        "overview",
        "establishment",
        "resources",
        "overall_goal",
        "annual_goal",
        "other_issues",
        "main_activity",
    ),
    "shanghai-2021": (
        "name",
        "category",
        "department",
        "unit",
        "start_date",
        "end_date",
        "overall_goal",
        "annual_goal",
    ),
    # The 项目经费情况说明's order: 一、项目概述 … 六、年度预算安排, then 七、绩效目标.
    # The 2020 上海 table has no 项目类别 (forms.md), so neither the editor nor P03 asks for one.
    "shanghai-2020": (
        "name",
        "unit",
        "overview",
        "legal_basis",
        "implementer",
        "implementation_plan",
        "implementation_period",
        "budget_note",
        "overall_goal",
        "annual_goal",
    ),
}

FAMILY_NAMES = {
    "minhang-2020": "闵行 2020 三表式",
    "shanghai-2021": "上海 2021 单页式",
    "shanghai-2020": "上海市财政支出项目绩效目标（2020）",
}


def label(key: str, family: str) -> str:
    """The form's word for a field key such as ``funding.annual`` or ``indicators.target``."""
    return _BY_FAMILY.get(family, {}).get(key) or _COMMON.get(key, key)
