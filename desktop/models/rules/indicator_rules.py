"""Rules I01–I15: the 绩效指标 table."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from decimal import Decimal

from desktop.models import taxonomy as tx
from desktop.models.fill_in import has_fill_in
from desktop.models.labels import label
from desktop.models.project import Indicator, Project, is_blank
from desktop.models.rules.base import Collector, Context, RuleSettings
from desktop.models.targets import (
    LE,
    LT,
    Target,
    dates_in,
    has_placeholder,
    read_target,
    same_text,
)

_RATE_NAME = re.compile(r"(?:率|满意度|覆盖面|比例|比率|占比)$")
_SATISFACTION_NAME = re.compile(r"满意(?:度|率)")
_REQUIRED_L1 = (tx.OUTPUT, tx.BENEFIT, tx.SATISFACTION)
_REQUIRED_OUTPUT_L2 = (tx.QUANTITY, tx.QUALITY, tx.TIMELINESS)
_HUNDRED = Decimal(100)


def check_indicators(p: Project, out: Collector, settings: RuleSettings, ctx: Context) -> None:
    fam = p.family
    seen_names: dict[str, int] = {}
    placed_l1: set[str] = set()
    placed_l2: set[str] = set()
    period = _period(p)
    for i, ind in enumerate(p.indicators):
        row = _row_label(i, ind)
        path = f"indicators[{i}]"
        placement = _check_levels(i, ind, fam, out)
        if placement.level1:
            placed_l1.add(placement.level1)
        if placement.level2:
            placed_l2.add(placement.level2)
        if is_blank(ind.name):
            out.error(
                "I01",
                f"{path}.name",
                f"{row}的{label('indicators.name', fam)}为空：请填写指标名称。",
            )
        else:
            key = _norm(ind.name)
            if key in seen_names:
                out.warning(
                    "I12",
                    f"{path}.name",
                    f"{row}与第 {seen_names[key] + 1} 行指标同名：请合并这两行，或改用能区分的名称。",
                )
            else:
                seen_names[key] = i
            if has_fill_in(ind.name):
                out.error(
                    "I08",
                    f"{path}.name",
                    f"{row}的名称中还有模板的“【请填写…】”提示：请替换为实际的指标名称。",
                )
            elif has_placeholder(ind.name):
                out.error(
                    "I08",
                    f"{path}.name",
                    f"{row}的名称含有占位符：请把 XX、** 之类替换为实际内容。",
                )
        _check_target(i, ind, row, fam, out, settings, period)
    _check_coverage(p, placed_l1, placed_l2, out)


def _check_levels(i: int, ind: Indicator, fam: str, out: Collector) -> tx.Placement:
    placement = tx.place(ind.level1, ind.level2)
    path = f"indicators[{i}]"
    row = _row_label(i, ind)
    l2_label = label("indicators.level2", fam)
    if not is_blank(ind.level2) and placement.level2 is None:
        out.error(
            "I13",
            f"{path}.level2",
            f"{row}的{l2_label}“{(ind.level2 or '').strip()}”不在指标体系中：请改选"
            f"{_choices()}之一。",
        )
    elif is_blank(ind.level2):
        if placement.level1 is None and is_blank(ind.level1):
            what = f"{label('indicators.level1', fam)}和{l2_label}都为空"
        elif placement.level1 is None:
            what = f"{label('indicators.level1', fam)}“{(ind.level1 or '').strip()}”无法归类且{l2_label}为空"
        else:
            what = f"{l2_label}为空"
        out.error("I13", f"{path}.level2", f"{row}的{what}：请选择{_choices()}之一。")
    if (
        not is_blank(ind.level1)
        and tx.level1_of(ind.level1) is None
        and not _known_level1_wording(ind.level1 or "")
    ):
        out.error(
            "I13",
            f"{path}.level1",
            f"{row}的{label('indicators.level1', fam)}“{(ind.level1 or '').strip()}”不在指标体系中："
            "请改为 产出指标、效益指标、满意度指标 或 投入和管理指标。",
        )
    return placement


def _known_level1_wording(text: str) -> bool:
    # 影响力目标 is a real 一级 wording of the 2020 forms; it cannot place a row alone.
    return "影响力" in text


def _choices() -> str:
    return "“数量指标、质量指标、时效指标、成本指标、经济效益指标、社会效益指标、生态效益指标、可持续影响指标、服务对象满意度指标”"


def _check_target(
    i: int,
    ind: Indicator,
    row: str,
    fam: str,
    out: Collector,
    settings: RuleSettings,
    period: tuple[dt.date, dt.date] | None,
) -> None:
    path = f"indicators[{i}].target"
    tl = label("indicators.target", fam)
    t = read_target(ind.target)
    if t.kind == "blank":
        out.error("I02", path, f"{row}的{tl}为空：请填写目标值，如 =100%、≥3次 或 健全。")
        return
    if has_fill_in(ind.target):
        out.error(
            "I08",
            path,
            f"{row}的{tl}“{t.raw.strip()}”中还有模板的“【请填写…】”提示：请填写实际的目标值。",
        )
        return
    if has_placeholder(ind.target):
        out.error(
            "I08", path, f"{row}的{tl}“{t.raw.strip()}”是未填写的占位符：请填写实际的目标值。"
        )
        return
    if not is_blank(ind.name) and same_text(ind.target, ind.name):
        out.error(
            "I03",
            path,
            f"{row}的{tl}与指标名称相同：请填写具体目标值，如 =100% 或 ≥3次。",
        )
        return
    if t.is_quantity:
        _check_quantity(t, ind, row, tl, path, out, settings)
    elif t.kind == "word":
        word = (t.word or "").strip("。.；;，,")
        if word not in settings.accepted_words:
            out.warning(
                "I09",
                path,
                f"{row}的{tl}“{word}”不是可核查的定性词：请改用 "
                f"{'、'.join(settings.accepted_words[:8])} 等词，或写成数值目标。",
            )
    else:
        out.warning(
            "I09",
            path,
            f"{row}的{tl}“{t.raw.strip()}”既不是“比较符+数值+单位”，也不是可核查的定性词："
            "请改写，如 =100% (2021年6月底前)。",
        )
    if period is not None:
        _check_dates(t, row, tl, path, out, period)


def _check_quantity(
    t: Target, ind: Indicator, row: str, tl: str, path: str, out: Collector, settings: RuleSettings
) -> None:
    if t.comparator is None:
        out.warning(
            "I04",
            path,
            f"{row}的{tl}“{t.raw.strip()}”缺少比较符：请写明是等于、不低于还是不高于，如 "
            f"={t.number_text}{t.unit or ''} 或 ≥{t.number_text}{t.unit or ''}。",
        )
    if t.unit is None:
        out.warning(
            "I05",
            path,
            f"{row}的{tl}“{t.raw.strip()}”缺少计量单位：请在数值后写上单位，如 %、人、次、个、起。",
        )
    name = unicodedata.normalize("NFKC", ind.name or "").strip()
    is_rate = t.unit in ("%", "‰") or (t.unit is None and bool(_RATE_NAME.search(name)))
    number = t.number if t.number is not None else Decimal(0)
    if is_rate and t.unit != "‰" and not Decimal(0) <= number <= _HUNDRED:
        out.error(
            "I06",
            path,
            f"{row}是比率，{tl}“{t.raw.strip()}”超出 0–100% 的范围：请核对数值。",
        )
    elif (
        _SATISFACTION_NAME.search(name)
        and t.unit in ("%", None)
        and t.comparator not in (LE, LT)
        and number < settings.satisfaction_min
    ):
        out.warning(
            "I07",
            path,
            f"{row}的满意度目标 {t.number_text}% 低于通常要求的 {settings.satisfaction_min.normalize():f}%："
            "请核对，满意度目标一般不低于此值。",
        )
    standard_core = f"{t.comparator or ''}{t.number_text}{t.unit or ''}"
    raw_core = (t.core_text if t.note else t.raw).strip().replace("＝", "=")
    if t.comparator is not None and raw_core != standard_core:
        out.warning(
            "I15",
            path,
            f"{row}的{tl}“{t.raw.strip()}”不是标准写法：建议改为“{t.standard}”。",
            suggestion=t.standard,
        )


def _check_dates(
    t: Target, row: str, tl: str, path: str, out: Collector, period: tuple[dt.date, dt.date]
) -> None:
    start, end = period
    for year, month in dates_in(t.raw):
        if month is None:
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        else:
            first = dt.date(year, month, 1)
            last = dt.date(year, month, calendar.monthrange(year, month)[1])
        if last < start or first > end:
            when = f"{year}年{month}月" if month else f"{year}年"
            out.warning(
                "I14",
                path,
                f"{row}的{tl}中的时间“{when}”不在项目期间 {start:%Y-%m-%d} 至 {end:%Y-%m-%d} 内："
                "请核对目标值中的时间或项目起止日期。",
            )
            return


def _period(p: Project) -> tuple[dt.date, dt.date] | None:
    start, end = p.start_date, p.end_date
    if p.year is not None and 1 <= p.year <= 9999:
        start = start or dt.date(p.year, 1, 1)
        end = end or dt.date(p.year, 12, 31)
    if start is None or end is None or start > end:
        return None
    return start, end


def _check_coverage(p: Project, l1: set[str], l2: set[str], out: Collector) -> None:
    fam = p.family
    for level in _REQUIRED_L1:
        if level not in l1:
            shown = _shown_level1(fam, level)
            out.error(
                "I10",
                "indicators",
                f"绩效指标中没有“{shown}”类指标：{level}至少要有一项，请补充。",
            )
    if tx.OUTPUT in l1:
        for level in _REQUIRED_OUTPUT_L2:
            if level not in l2:
                out.warning(
                    "I11",
                    "indicators",
                    f"产出指标中没有“{level}”：产出指标一般应包括数量、质量和时效三类，请补充。",
                )


def _shown_level1(fam: str, level: str) -> str:
    """The form's word for a 一级, or its 二级 words where the 一级 word is shared.

    The 2020 forms print 影响力目标 over both 可持续影响 (a 效益指标) and 满意度 rows,
    so "no 影响力目标 row" would be untrue when only the 满意度 rows are missing.
    """
    shown = tx.printed_level1(fam, tx.Placement(level, None)) or level
    shared = any(
        tx.printed_level1(fam, tx.Placement(parent, l2)) == shown
        for l2, parent in tx.PARENT.items()
        if parent != level
    )
    if not shared:
        return shown
    return "、".join(
        tx.printed_level2(fam, tx.Placement(level, l2)) or l2 for l2 in tx.LEVEL2[level]
    )


def _row_label(i: int, ind: Indicator) -> str:
    name = (ind.name or "").strip()
    return f"第 {i + 1} 行指标“{name}”" if name else f"第 {i + 1} 行指标"


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())
