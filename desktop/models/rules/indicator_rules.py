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
    GE,
    GT,
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
_HUNDRED = Decimal(100)


def check_indicators(p: Project, out: Collector, settings: RuleSettings, ctx: Context) -> None:
    fam = p.family
    fw = tx.framework_of(p)
    seen_names: dict[str, int] = {}
    placed_l1: set[str] = set()
    placed_l2: set[str] = set()
    period = _period(p)
    for i, ind in enumerate(p.indicators):
        if is_empty_row(ind):
            # A printed form carries rows with only 一级/二级 (or nothing): they hold no
            # indicator, so there is nothing to fill per row; the coverage rules below say
            # once where a 二级 without an indicator matters.
            continue
        row = _row_label(i, ind)
        path = f"indicators[{i}]"
        placement = _check_levels(i, ind, fam, fw, out)
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
        if tx.is_cost(placement):
            _check_cost(i, ind, row, fam, fw, out)
    _check_coverage(p, fw, placed_l1, placed_l2, out)


def is_empty_row(ind: Indicator) -> bool:
    """A row with no 三级指标, no 目标值 and no 备注 (its 一级/二级 may be filled)."""
    return is_blank(ind.name) and is_blank(ind.target) and is_blank(ind.note)


def _check_levels(
    i: int, ind: Indicator, fam: str, fw: tx.Framework, out: Collector
) -> tx.Placement:
    placement = tx.place(ind.level1, ind.level2, fw)
    path = f"indicators[{i}]"
    row = _row_label(i, ind)
    l1_label, l2_label = label("indicators.level1", fam), label("indicators.level2", fam)
    if not is_blank(ind.level2) and placement.level2 is None:
        out.error(
            "I13",
            f"{path}.level2",
            f"{row}的{l2_label}“{(ind.level2 or '').strip()}”不在本表式的指标体系中："
            f"本表式的{l2_label}为{_choices(fam, fw)}，请改选其一。",
        )
    elif is_blank(ind.level2):
        if placement.level1 is None and is_blank(ind.level1):
            what = f"{l1_label}和{l2_label}都为空"
        elif placement.level1 is None:
            what = f"{l1_label}“{(ind.level1 or '').strip()}”无法归类且{l2_label}为空"
        else:
            what = f"{l2_label}为空"
        out.error(
            "I13", f"{path}.level2", f"{row}的{what}：请在{_choices(fam, fw)}中选择{l2_label}。"
        )
    if (
        not is_blank(ind.level1)
        and tx.level1_of(ind.level1, fw) is None
        and not _known_level1_wording(ind.level1 or "")
    ):
        words = "、".join(_level1_words(fam, fw))
        out.error(
            "I13",
            f"{path}.level1",
            f"{row}的{l1_label}“{(ind.level1 or '').strip()}”不在本表式的指标体系中："
            f"请改为 {words} 之一。",
        )
    elif (
        fw.cost_is_level1
        and placement.level1 == tx.COST_L1
        and tx.level1_of(ind.level1, fw) not in (None, tx.COST_L1)
    ):
        out.warning(
            "I18",
            f"{path}.level1",
            f"{row}填在“{(ind.level1 or '').strip()}”下：按{fw.name}，成本指标是一级指标，"
            f"请把{l1_label}改为“成本指标”，{l2_label}改为“经济成本指标”"
            "（或社会成本指标、生态环境成本指标）。",
            suggestion=tx.COST_L1,
        )
    return placement


def _known_level1_wording(text: str) -> bool:
    # 影响力目标 is a real 一级 wording of the 2020 forms; it cannot place a row alone.
    return "影响力" in text


def _choices(fam: str, fw: tx.Framework) -> str:
    return "“" + "、".join(tx.level2_words(fam, fw)) + "”"


def _level1_words(fam: str, fw: tx.Framework) -> list[str]:
    words = (
        tx.printed_level1(fam, tx.Placement(l1, l2))
        for l1 in fw.level1
        for l2 in fw.level2[l1]
    )
    return list(dict.fromkeys(w for w in words if w))


_SAVING_NAME = re.compile(r"节约|节省|降低|下降|压减|减少")


def _check_cost(
    i: int, ind: Indicator, row: str, fam: str, fw: tx.Framework, out: Collector
) -> None:
    """A cost target names money and is a ceiling (I17)."""
    if has_fill_in(ind.target) or has_placeholder(ind.target):
        return  # I08 already asks for the amount
    t = read_target(ind.target)
    path = f"indicators[{i}].target"
    tl = label("indicators.target", fam)
    name = unicodedata.normalize("NFKC", ind.name or "")
    if t.is_quantity and t.unit and "元" in t.unit:
        if t.comparator in (GE, GT) and not _SAVING_NAME.search(name):
            out.warning(
                "I17",
                path,
                f"{row}是成本指标，{tl}“{t.raw.strip()}”写成了下限：成本一般是不超过的上限，"
                f"请核对，通常写作 ≤{t.number_text}{t.unit}。",
                suggestion=f"≤{t.number_text}{t.unit}" + (f" ({t.note})" if t.note else ""),
            )
        return
    if not fw.cost_is_level1 or t.kind == "blank" or _SAVING_NAME.search(name):
        # Before 2025 a 成本 row could be judged in words (成本控制有效性 → 有效).
        return
    if t.is_quantity and t.unit in ("%", "‰"):
        return  # a cost rate (预算执行率 …) is a rate; whether it belongs here is I19's
    out.warning(
        "I17",
        path,
        f"{row}是成本指标，{tl}“{t.raw.strip()}”没有写明金额：按{fw.name}，成本指标应写明"
        "金额及单位，请改写，如 ≤360000元、≤500元/人、≤80万元/公里。",
    )


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
        if not (is_checkable_word(word, settings.accepted_words) or is_deadline(word)):
            out.warning(
                "I09",
                path,
                f"{row}的{tl}“{word}”不是可核查的定性词：请改用 "
                f"{'、'.join(settings.accepted_words[:8])} 等词，或写成数值目标。",
            )
    elif not is_deadline(t.raw):
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
    if t.comparator is None and not _direction_certain(t, ind):
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


def _direction_certain(t: Target, ind: Indicator) -> bool:
    """A target at the end of its range reads the same with = as with ≥/≤ (I04 not needed).

    ``100%`` of a rate cannot be exceeded, so ≥100% is =100%; ``0`` of a count of
    incidents cannot go lower. Elsewhere (``90%``, ``12次``) = and ≥ differ.
    """
    if t.number is None:
        return False
    if t.unit in ("%", None) and t.number == _HUNDRED:
        name = unicodedata.normalize("NFKC", ind.name or "")
        return t.unit == "%" or bool(_RATE_NAME.search(name))
    return t.number == 0


# Checkable states beyond the accepted single words: done on a schedule (按时完成,
# 按月发放到位), within budget (不超预算), meeting a stated standard (符合要求), none (无).
_CHECKABLE_PHRASE = re.compile(
    r"(?:按时|按期|如期|及时|足额|全额|按月|按季|按年|按规定|按要求|全部|均)?"
    r"(?:发放|拨付|支付|完成|落实|办结|上报|报送|公开|归档|验收)?(?:到位|完成|办结|落实)"
    r"|(?:不|未|无|没有)超(?:过|出)?(?:预算|支|标|概算|计划)"
    r"|(?:符合|达到|满足|执行)(?:相关|国家|行业|上级|合同)?(?:要求|标准|规定|规范|约定)"
    r"|(?:已|得到)?(?:建立|制定|出台|完成|落实)(?:并执行|并落实)?"
    r"|无|是|否|有|零|合格以上|良好以上|优良以上"
)


def is_checkable_word(word: str, accepted: tuple[str, ...]) -> bool:
    """A qualitative 目标值 a reviewer can verify: an accepted word or a checkable phrase."""
    return word in accepted or bool(_CHECKABLE_PHRASE.fullmatch(word))


# A deadline or period of its own: 2021年7月, 每年12月底前, 2023.07-2024.01, 年底前, 5个工作日内.
# Linear on any text: a number is tried from its first digit only (a match from a later
# digit would also match from the first), and numbers and spaces are taken whole (``\d++``,
# ``\s*+``: what follows them never is a digit or a space).
_DEADLINE = re.compile(
    r"(?=[\d年月季上下每])(?:"  # where one may start: elsewhere one test, not every alternative
    r"\d{4}\s*+[年./-]|\d{1,2}\s*+月|年底|年末|年中|月底|月末|季末|季度末|上半年|下半年"
    r"|(?<!\d)\d++\s*+(?:个)?(?:工作日|小时|日|天|周|个月|分钟)(?:之?内|以内)"
    r"|每\s*+(?:年|半年|季度?|月|周|日|天)\s*+(?:至少|不少于)?\s*+\d++\s*+次"
    r")"
)


def is_deadline(text: str | None) -> bool:
    """The target states a date, a deadline or a time limit (a timeliness target)."""
    if not text:
        return False
    norm = unicodedata.normalize("NFKC", text)
    return bool(_DEADLINE.search(norm))


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


def _check_coverage(
    p: Project, fw: tx.Framework, l1: set[str], l2: set[str], out: Collector
) -> None:
    fam = p.family
    for level in fw.required_level1:
        if level not in l1:
            shown = _shown_level1(fam, fw, level)
            out.error(
                "I10",
                "indicators",
                f"绩效指标中没有“{shown}”类指标：{level}至少要有一项，请补充。",
            )
    if tx.OUTPUT in l1:
        for level in fw.required_output_level2:
            if level not in l2:
                shown = tx.printed_level2(fam, tx.Placement(tx.OUTPUT, level)) or level
                out.warning(
                    "I11",
                    "indicators",
                    f"产出指标中没有“{shown}”类指标：产出指标一般应包括数量、质量和时效三类，请补充。",
                )
    for level in fw.expected_level1:
        if level not in l1:
            out.warning(
                "I16",
                "indicators",
                f"绩效指标中没有“{level}”：按{fw.name}，原则上每个项目都应设置{level}"
                "（经济成本指标，如总成本、单位成本、分项成本），请补充，如“项目总成本 ≤360000元”。",
            )


def _shown_level1(fam: str, fw: tx.Framework, level: str) -> str:
    """The form's word for a 一级, or its 二级 words where the 一级 word is shared.

    The 2020 forms print 影响力目标 over both 可持续影响 (a 效益指标) and 满意度 rows,
    so "no 影响力目标 row" would be untrue when only the 满意度 rows are missing.
    """
    shown = tx.printed_level1(fam, tx.Placement(level, None)) or level
    shared = any(
        tx.printed_level1(fam, tx.Placement(parent, l2)) == shown
        for l2, parent in fw.parent.items()
        if parent != level
    )
    if not shared:
        return shown
    return "、".join(
        tx.printed_level2(fam, tx.Placement(level, l2)) or l2 for l2 in fw.level2[level]
    )


def _row_label(i: int, ind: Indicator) -> str:
    name = (ind.name or "").strip()
    return f"第 {i + 1} 行指标“{name}”" if name else f"第 {i + 1} 行指标"


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())
