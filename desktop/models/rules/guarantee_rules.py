"""Rules G01–G03: the 制度保障 table."""

from __future__ import annotations

from desktop.models.project import (
    GUARANTEE_FAMILIES,
    STANDARD_GUARANTEE_KINDS,
    Guarantee,
    Project,
    is_blank,
)
from desktop.models.rules.base import Collector, Context, RuleSettings


def check_guarantees(p: Project, out: Collector, settings: RuleSettings, ctx: Context) -> None:
    if p.family not in GUARANTEE_FAMILIES:
        # The form (shanghai-2020) has no 制度保障 table and the editor shows none: asking
        # for rows there could never be answered. Rows a file brings along are kept as is.
        return
    rows = [(i, g) for i, g in enumerate(p.guarantees) if _has_content(g)]
    if p.family in OPTIONAL_GUARANTEE_FAMILIES and not any(_filled_in(g) for _, g in rows):
        # The 2021 单页式 is one table; 制度保障 is a page a unit adds when it has one. Real
        # declarations are filed without it, so an untouched table (nothing, or only the
        # three standard 类别 the program pre-fills) is not a defect to report.
        return
    for kind in STANDARD_GUARANTEE_KINDS:
        matching = [(i, g) for i, g in rows if g.kind_key == kind]
        if not matching:
            out.warning("G01", "guarantees", f"制度保障缺少“{kind}”一行：请添加并填写文件名称。")
        elif all(is_blank(g.document) for _, g in matching):
            i = matching[0][0]
            out.warning(
                "G01",
                f"guarantees[{i}].document",
                f"制度保障“{kind}”没有填写文件名称：请填写依据的制度文件，如《内部控制手册》。",
            )
    for i, g in rows:
        name = g.kind_key or f"第 {i + 1} 行"
        if is_blank(g.measures):
            out.warning(
                "G02", f"guarantees[{i}].measures", f"制度保障“{name}”没有填写具体措施：请补充。"
            )
        if not g.stages:
            out.warning(
                "G03",
                f"guarantees[{i}].stages",
                f"制度保障“{name}”没有勾选保障阶段：请至少勾选 立项和计划阶段、实施阶段、收尾和完成阶段 之一。",
            )


# Families whose form prints 制度保障 as an optional second page (forms.md).
OPTIONAL_GUARANTEE_FAMILIES = frozenset({"shanghai-2021"})


def _filled_in(g: Guarantee) -> bool:
    """The clerk wrote something beyond the 类别: a 文件名称, 具体措施 or a 保障阶段."""
    return not (is_blank(g.document) and is_blank(g.measures) and not g.stages)


def _has_content(g: Guarantee) -> bool:
    return not (is_blank(g.kind) and is_blank(g.document) and is_blank(g.measures) and not g.stages)
