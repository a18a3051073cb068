"""复制到下一年度: last year's declaration as the start of next year's.

Most projects come back every year with new numbers. The copy keeps the text
and the targets, moves the period one year on, and keeps the amounts but marks
them (``Project.review``) for the clerk to check. Into another form family the
indicator labels are rewritten in that family's words through the taxonomy;
whatever cannot be carried over is said in ``notes``.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass, field

from desktop.models import taxonomy as tx
from desktop.models.labels import FAMILY_NAMES, FORM_FUNDING_KEYS, FORM_GENERAL_FIELDS, label
from desktop.models.project import (
    BREAKDOWN_FAMILIES,
    EXPLANATION_FIELDS,
    FAMILIES,
    FUNDING_KEYS,
    GUARANTEE_FAMILIES,
    STANDARD_GUARANTEE_KINDS,
    STATUS_DRAFT,
    Guarantee,
    Indicator,
    Project,
    is_blank,
)
from desktop.models.targets import dates_in

# The families whose form prints the 备注 of an indicator.
_NOTE_FAMILIES = frozenset({"minhang-2020"})


@dataclass
class NextYear:
    """The copy for next year and, in Chinese, what was converted or left behind."""

    project: Project
    notes: list[str] = field(default_factory=list)


def shift_year(day: dt.date | None) -> dt.date | None:
    """The same day one year on; 29 February becomes 28 February."""
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 Feb in a year without one
        return day.replace(year=day.year + 1, day=28)


def next_year(project: Project, family: str | None = None) -> NextYear:
    """A new draft for ``project.year + 1`` in ``family`` (default: the project's own).

    The source is not changed. Raises ValueError when the project has no 年度 or
    the family is unknown.
    """
    if project.year is None:
        raise ValueError("项目没有填写年度，无法复制到下一年度：请先填写年度。")
    target = family or project.family
    if target not in FAMILIES:
        raise ValueError(f"未知的表式“{target}”。")
    source_family = project.family
    new = copy.deepcopy(project)
    new.id = None
    new.status = STATUS_DRAFT
    new.year = project.year + 1
    new.template = target
    new.copied_from = project.id
    new.start_date = shift_year(project.start_date)
    new.end_date = shift_year(project.end_date)
    notes: list[str] = []
    # A year in the name names the declaration's own year ("(2021运维)"): it moves too.
    # In the goals and texts a year may be history, so those are only pointed out.
    year_in_name = re.compile(_YEAR_IN_TEXT.format(year=project.year))
    if year_in_name.search(new.name or ""):
        new.name = year_in_name.sub(str(new.year), new.name)
        notes.append(f"项目名称中的 {project.year} 已改为 {new.year}。")
    if new.signoff is not None and new.signoff.date is not None:
        new.signoff.date = None  # a new declaration is signed anew
        notes.append("填报日期已清空：请在签署时重新填写。")

    new.review = [
        f"funding.{key}"
        for key in FORM_FUNDING_KEYS[target]
        if getattr(new.funding, key) is not None
    ]
    if new.review:
        notes.append(
            f"{len(new.review)} 项金额沿用上年数据，已用琥珀色标出：请核对后修改，或点“全部确认”。"
        )
    if target != source_family:
        notes.append(f"表式由{FAMILY_NAMES[source_family]}改为{FAMILY_NAMES[target]}。")
    source_fw, target_fw = tx.framework_of(project), tx.framework_for(target, new.year)
    if source_fw is not target_fw:
        notes += _convert_framework(new.indicators, target, source_fw, target_fw)
    if target != source_family:
        notes += _convert_indicators(new.indicators, target)
        notes += _hidden_amounts(new, target)
        notes += _hidden_explanation(new, target)
    if new.explanations:
        notes.append(
            f"{len(new.explanations)} 条警告的说明沿用上年：请核对是否仍然适用，不适用的请删除说明。"
        )
    notes += _breakdown(new, source_family, target)
    notes += _guarantees(new, target)
    notes += _old_year_mentions(new, project.year)
    return NextYear(new, notes)


def _convert_framework(
    rows: list[Indicator], family: str, source: tx.Framework, target: tx.Framework
) -> list[str]:
    """Move rows into the next year's framework: 成本 rows to where it keeps 成本.

    From 2024 into 2025 an ``产出指标/成本指标`` row becomes ``成本指标/经济成本指标``
    (and back, should a 2025 project be copied into an older form).
    """
    moved: list[str] = []
    homeless: list[str] = []
    cost_home = (
        tx.Placement(tx.COST_L1, tx.ECONOMIC_COST)
        if target.cost_is_level1
        else tx.Placement(tx.OUTPUT, tx.COST)
    )
    for i, row in enumerate(rows):
        placement = tx.place(row.level1, row.level2, source)
        if not placement.placed:
            continue  # said by _convert_indicators or by the rules (I13)
        where = f"第 {i + 1} 行“{(row.name or '').strip() or '（无名称）'}”"
        if tx.is_cost(placement):
            if placement.level2 in target.parent:
                home = tx.Placement(target.parent[placement.level2], placement.level2)
            else:
                home = cost_home
            if home != placement:
                row.level1 = tx.printed_level1(family, home)
                row.level2 = tx.printed_level2(family, home)
                moved.append(where)
        elif placement.level1 not in target.level2 or (
            placement.level2 is not None and placement.level2 not in target.parent
        ):
            homeless.append(where)
    notes: list[str] = []
    if moved:
        # Keep each 一级 in one block, in the framework's order (成本 after 产出).
        rows.sort(key=lambda r: tx.rank(tx.place(r.level1, r.level2, target), target))
        at = f"“{tx.printed_level1(family, cost_home)}/{tx.printed_level2(family, cost_home)}”"
        notes.append(
            f"按{target.name}，{'、'.join(moved)}已移到{at}"
            + ("：成本指标的目标值应写明金额（如 ≤360000元），请核对。" if target.cost_is_level1 else "。")
        )
    if target.expected_level1 and not any(
        tx.is_cost(tx.place(r.level1, r.level2, target)) for r in rows
    ):
        notes.append(f"按{target.name}，原则上每个项目都应设置成本指标：请补充。")
    if homeless:
        notes.append(f"{'、'.join(homeless)}在{target.name}中没有对应的指标类别：请改选。")
    return notes


def _convert_indicators(rows: list[Indicator], family: str) -> list[str]:
    """Rewrite the 一级/二级 words in the family's own; rows the taxonomy cannot place stay."""
    notes: list[str] = []
    unplaced: list[str] = []
    rewritten = 0
    for i, row in enumerate(rows):
        placement = tx.place(row.level1, row.level2)
        if not placement.placed:
            unplaced.append(f"第 {i + 1} 行“{(row.name or '').strip() or '（无名称）'}”")
            continue
        l1 = tx.printed_level1(family, placement)
        # A blank 二级 stays blank: only the 一级 was known.
        l2 = tx.printed_level2(family, placement) if placement.level2 else row.level2
        if (l1, l2) != (row.level1, row.level2):
            rewritten += 1
        row.level1, row.level2 = l1, l2
    if rewritten:
        notes.append(f"{rewritten} 行指标的一级、二级指标已改为新表式的写法。")
    if unplaced:
        notes.append(f"{'、'.join(unplaced)}的一级、二级指标无法归入指标体系，按原文保留：请改选。")
    with_notes = sum(1 for r in rows if not is_blank(r.note))
    if family not in _NOTE_FAMILIES and with_notes:
        notes.append(f"{with_notes} 行指标的备注保留在项目中，但新表式没有备注栏，不打印。")
    return notes


def _hidden_amounts(p: Project, family: str) -> list[str]:
    """Amounts the new form has no line for: kept (the sums still hold), but said."""
    shown = set(FORM_FUNDING_KEYS[family])
    hidden = [
        label(f"funding.{key}", family)
        for key in FUNDING_KEYS
        if key not in shown and getattr(p.funding, key) is not None
    ]
    if not hidden:
        return []
    return [f"新表式没有{'、'.join(hidden)}栏：这些金额保留在项目中，不打印。"]


def _hidden_explanation(p: Project, family: str) -> list[str]:
    """The 项目经费情况说明's sections the new form does not print: kept, but said."""
    shown = set(FORM_GENERAL_FIELDS[family])
    hidden = [
        label(key, "shanghai-2020")
        for key in EXPLANATION_FIELDS
        if key not in shown and not is_blank(getattr(p, key))
    ]
    if not hidden:
        return []
    return [f"新表式没有{'、'.join(hidden)}栏：这些内容保留在项目中，不打印。"]


def _breakdown(p: Project, source: str, target: str) -> list[str]:
    """项目构成分解 exists only in the 闵行 2020 form.

    The rules check a breakdown whatever the family (F07 合计 = 当年预算), but only
    the 闵行 2020 editor shows it: a breakdown carried into another family would
    raise errors the clerk cannot see once the budget changes. So it stays with
    last year's project and is not copied.
    """
    rows = [r for r in p.breakdown if r.has_content()]
    if target in BREAKDOWN_FAMILIES:
        return [f"项目构成分解 {len(rows)} 行沿用上年：请按本年预算核对明细金额。"] if rows else []
    if not p.breakdown:
        return []
    p.breakdown = []
    if not rows:
        return []
    return [
        f"项目构成分解只在{FAMILY_NAMES['minhang-2020']}中填报：上年的 {len(rows)} 行明细没有复制"
        "（仍保存在上年项目中）。"
    ]


def _guarantees(p: Project, family: str) -> list[str]:
    """The three standard 制度 rows where the form has a 制度保障 table."""
    if family not in GUARANTEE_FAMILIES:
        if any(not _empty(g) for g in p.guarantees):
            return [f"{FAMILY_NAMES[family]}没有制度保障表：已填的制度保障保留在项目中，不打印。"]
        return []
    kinds = [g.kind_key for g in p.guarantees]
    missing = [k for k in STANDARD_GUARANTEE_KINDS if k not in kinds]
    if not missing:
        return []
    # Before the unit's own rows, as the editor's 补齐三项标准制度 does.
    first_own = next(
        (i for i, k in enumerate(kinds) if k not in STANDARD_GUARANTEE_KINDS), len(kinds)
    )
    p.guarantees[first_own:first_own] = [Guarantee(kind=k) for k in missing]
    return [f"已补上制度保障的标准行：{'、'.join(missing)}，请填写文件名称和具体措施。"]


def _empty(g: Guarantee) -> bool:
    return is_blank(g.document) and is_blank(g.measures) and not g.stages


_YEAR_IN_TEXT = r"(?<!\d){year}(?!\d)"
# The texts whose year is the budget year (``2020年全年``). 立项依据 is left out: the year of a
# cited document (人社部发〔2019〕72号) stays what it is.
_YEAR_FIELDS = (
    "name",
    "overview",
    "implementation_plan",
    "implementation_period",
    "budget_note",
    "overall_goal",
    "annual_goal",
    "main_activity",
)


def _old_year_mentions(p: Project, old_year: int) -> list[str]:
    """Where last year's year is still written: the clerk decides whether it changes."""
    notes: list[str] = []
    pattern = re.compile(_YEAR_IN_TEXT.format(year=old_year))
    fam = p.family
    texts = [label(key, fam) for key in _YEAR_FIELDS if pattern.search(getattr(p, key) or "")]
    if texts:
        notes.append(f"{'、'.join(texts)}中仍写有“{old_year}”：请核对是否应改为 {old_year + 1}。")
    dated = [
        i + 1
        for i, row in enumerate(p.indicators)
        if any(year == old_year for year, _month in dates_in(row.target or ""))
    ]
    if dated:
        rows = "、".join(f"第 {n} 行" for n in dated)
        notes.append(f"{rows}指标的目标值写有 {old_year} 年的日期：请改为本年度的时间。")
    return notes
