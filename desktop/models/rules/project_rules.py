"""Rules P01–P10: the project as a whole."""

from __future__ import annotations

import re
import unicodedata

from desktop.models.fill_in import has_fill_in
from desktop.models.labels import CATEGORY_CHOICES, FORM_GENERAL_FIELDS, label
from desktop.models.project import Project, is_blank
from desktop.models.rules.base import Collector, Context, ProjectKey, RuleSettings, identity

YEAR_MIN, YEAR_MAX = 2000, 2100
# Categories whose period may run past one budget year.
_MULTI_YEAR = ("阶段性项目", "中期预算试点项目")


def check_project(p: Project, out: Collector, settings: RuleSettings, ctx: Context) -> None:
    fam = p.family
    if is_blank(p.name):
        out.error("P01", "name", "项目名称为空：请填写项目名称。")
    if p.year is None:
        out.error("P02", "year", f"年度未填写：请填写 {YEAR_MIN}–{YEAR_MAX} 之间的年度，如 2021。")
    elif not YEAR_MIN <= p.year <= YEAR_MAX:
        out.error(
            "P02", "year", f"年度 {p.year} 不在 {YEAR_MIN}–{YEAR_MAX} 之间：请改为申报的预算年度。"
        )
    if is_blank(p.category) and "category" in FORM_GENERAL_FIELDS.get(fam, ("category",)):
        choices = "、".join(CATEGORY_CHOICES.get(fam, CATEGORY_CHOICES["shanghai-2021"]))
        out.warning("P03", "category", f"项目类别未选择：请在 {choices} 中选一项。")
    start_l, end_l = label("start_date", fam), label("end_date", fam)
    if p.start_date and p.end_date and p.start_date > p.end_date:
        out.error(
            "P04",
            "start_date",
            f"{start_l} {p.start_date:%Y-%m-%d} 晚于 {end_l} {p.end_date:%Y-%m-%d}：请检查两个日期是否填反。",
        )
    elif p.year is not None and (p.category or "") not in _MULTI_YEAR and not _spans_years(p):
        for key, day in (("start_date", p.start_date), ("end_date", p.end_date)):
            if day is not None and day.year != p.year:
                out.warning(
                    "P05",
                    key,
                    f"{label(key, fam)} {day:%Y-%m-%d} 不在 {p.year} 年度内：年度项目的起止日期应在当年，"
                    "请核对日期；跨年度实施的项目请选择相应的项目类别。",
                )
    if not is_blank(p.phone) and not is_phone(p.phone or ""):
        out.warning(
            "P06",
            "phone",
            f"{label('phone', fam)}“{(p.phone or '').strip()}”不像电话号码：请填写 8 位座机号"
            "（可带区号，如 021-24033156，分机写“转123”）或 11 位手机号。",
        )
    for key in ("overall_goal", "annual_goal"):
        text = getattr(p, key)
        if is_blank(text):
            out.error("P07", key, f"{label(key, fam)}为空：请填写。")
        elif has_fill_in(text):
            pass  # P11 below says what to do; "not measurable" would only add noise
        elif not is_measurable(text):
            out.warning(
                "P09",
                key,
                f"{label(key, fam)}没有可衡量的内容：请写明数量、比例或完成时间，"
                "例如“本年计划购置公务用车2部”。",
            )
    if fam == "minhang-2020":
        for key in ("overview", "establishment"):
            if is_blank(getattr(p, key)):
                out.warning("P08", key, f"{label(key, fam)}为空：闵行表式需要填写此项，请补充。")
    for key in FILL_IN_FIELDS.get(fam, FILL_IN_FIELDS["shanghai-2021"]):
        if has_fill_in(getattr(p, key)):
            out.error(
                "P11",
                key,
                f"{label(key, fam)}中还有模板的“【请填写…】”提示：请把它替换为本项目的实际内容。",
            )
    if ctx.has_twin(key_of(p)):
        unit = f"（{label('unit', fam)}：{p.unit.strip()}）" if p.unit and p.unit.strip() else ""
        out.warning(
            "P10",
            "name",
            f"{p.year} 年度已有另一个同名项目“{p.name.strip()}”{unit}：请核对是否重复录入，"
            "确属两个项目请在名称中加以区分。",
        )


# The text fields each family's form has (P11): a 【请填写…】 mark in a field the
# form does not show could not be found, so only these are checked.
FILL_IN_FIELDS: dict[str, tuple[str, ...]] = {
    family: tuple(k for k in keys if k not in ("category", "start_date", "end_date"))
    for family, keys in FORM_GENERAL_FIELDS.items()
}


def key_of(p: Project) -> ProjectKey:
    return ProjectKey(identity(p.id, p), p.year, p.name, p.unit)


def _spans_years(p: Project) -> bool:
    """A project whose total exceeds this year's request runs over several years."""
    from desktop.models.amounts import as_number

    total, annual = as_number(p.funding.total), as_number(p.funding.annual)
    return total is not None and annual is not None and total > annual


_PHONE_PART = re.compile(
    r"""(?:
        (?:\+?86[-\s]?)?1[3-9]\d{9}                               # mobile
      | (?:\(0\d{2,3}\)|0\d{2,3})[-\s]?[2-9]\d{6,7}               # landline with area code
      | [2-9]\d{7}                                                # 8-digit local number
      | [48]00[-\s]?\d{3}[-\s]?\d{4}                              # 400/800 service numbers
    )
    (?:(?:转|-|ext\.?|分机|x)\d{1,6})?                             # extension
    """,
    re.X,
)


def is_phone(text: str) -> bool:
    """One or several phone numbers; ``x`` may mask digits (``021-6412xxxx转123``)."""
    norm = unicodedata.normalize("NFKC", text).strip()
    parts = [s for s in re.split(r"[、,，;；/]|或", norm) if s.strip()]
    if not parts:
        return False
    for part in parts:
        masked = re.sub(r"(?<=\d)[xX*]+", lambda m: "0" * len(m.group()), part)
        if not _PHONE_PART.fullmatch(re.sub(r"\s+", "", masked)):
            return False
    return True


_CN_NUM = "一二三四五六七八九十两百千万亿半"
_CLASSIFIERS = "个次场部台套件项户人名家所批期季度年月日天周小时元台辆本册篇条处座张份"
_MEASURABLE = re.compile(
    rf"\d|[{_CN_NUM}][{_CN_NUM}]*[{_CLASSIFIERS}]|百分之|全年|每年|每月|每季|每周|按月|按季|"
    r"年底|年末|月底|季度|上半年|下半年|以上|以下|以内|不低于|不少于|不超过|全部|全覆盖|"
    r"%|％"
)


def is_measurable(text: str | None) -> bool:
    """A goal says something checkable: a number, a date or a quantity word."""
    if not text:
        return False
    return bool(_MEASURABLE.search(text))
