"""Rules P01–P13: the project as a whole."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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
    # Many declarations copy the 总目标 into the 年度目标: the same text is judged once.
    same_goals = not is_blank(p.overall_goal) and _squash(p.overall_goal) == _squash(p.annual_goal)
    for key in ("overall_goal", "annual_goal"):
        text = getattr(p, key)
        if is_blank(text):
            out.error("P07", key, f"{label(key, fam)}为空：请填写。")
        elif has_fill_in(text):
            pass  # P11 below says what to do; "not measurable" would only add noise
        elif same_goals and key == "overall_goal":
            continue
        elif not is_measurable(text):
            what = (
                f"{label('overall_goal', fam)}和{label('annual_goal', fam)}（两者内容相同）"
                if same_goals
                else label(key, fam)
            )
            out.warning(
                "P09",
                key,
                f"{what}没有可衡量的内容：请写明数量、比例或完成时间，"
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
    key = key_of(p)
    if ctx.has_twin(key):
        unit = f"（{label('unit', fam)}：{p.unit.strip()}）" if p.unit and p.unit.strip() else ""
        out.warning(
            "P10",
            "name",
            f"{p.year} 年度已有另一个同名项目“{p.name.strip()}”{unit}：请核对是否重复录入，"
            "确属两个项目请在名称中加以区分。",
        )
    _check_category(p, out)
    copied = ctx.copied_set(key)
    if copied is not None:
        other = copied.other.name.strip() or "未命名项目"
        out.warning(
            "P13",
            "indicators",
            f"本项目的 {copied.total} 项绩效指标（满意度指标不计）中有 {copied.shared} 项与"
            f"同一单位 {p.year} 年度的项目“{other}”的三级指标完全相同：请核对是否照搬了该项目的"
            "指标，按本项目的实际产出和效益设置指标。",
        )


# The text fields each family's form has (P11): a 【请填写…】 mark in a field the
# form does not show could not be found, so only these are checked.
FILL_IN_FIELDS: dict[str, tuple[str, ...]] = {
    family: tuple(k for k in keys if k not in ("category", "start_date", "end_date"))
    for family, keys in FORM_GENERAL_FIELDS.items()
}


def _squash(text: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def key_of(p: Project) -> ProjectKey:
    names = tuple(ind.name or "" for ind in p.indicators)
    return ProjectKey(identity(p.id, p), p.year, p.name, p.unit, names)


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


# P12: what a project's own words say about whether it recurs every year.
_ONE_OFF, _RECURRING = "一次性项目", "经常性项目"
# Said in the 项目名称: the work comes back every year (运维, 物业, 雇员 …).
_RECURRING_NAME = re.compile(
    r"运维|运行维护|维保|维护|物业|保洁|保安|雇员|薪酬|工资|日常|常年|年度|租赁|租金"
)
# Said in a goal, these name the same recurring services.
_RECURRING_GOAL = re.compile(r"运维|运行维护|维保|物业管理|物业服务|保洁服务|常年|每年")
# Said in the 项目名称: a one-off piece of work. 购置 is not among them: many units
# budget their 设备购置 every year as a 经常性项目.
_ONE_OFF_NAME = re.compile(r"新建|改建|扩建|建设工程|工程建设|改造|装修|修缮|大修|尾款|一次性")
# Paying the 尾款 of finished work is one-off wherever it is said (goal or indicator).
_ONE_OFF_ANYWHERE = re.compile(r"尾款")
# 一次性补贴 is a kind of subsidy paid every year, not a one-off project.
_SUBSIDY = re.compile(r"补贴|补助|奖励|津贴|资助|奖补|慰问|抚恤|补偿")
# Words that make the nature doubtful: when the other side is said too, P12 is silent.
_ONE_OFF_DOUBT = re.compile(r"购置|采购|新建|建设|改造|装修|修缮|大修|尾款|开发|升级|一次性")


def _check_category(p: Project, out: Collector) -> None:
    """P12: the 项目类别 ticked against what the project's name and goals say it is."""
    fam = p.family
    category = (p.category or "").strip()
    if category not in (_ONE_OFF, _RECURRING) or "category" not in FORM_GENERAL_FIELDS.get(fam, ()):
        return
    # The signal words are CJK, which width normalization leaves alone: the raw text will do.
    name = p.name or ""
    goals = f"{p.overall_goal or ''}\n{p.annual_goal or ''}"
    cl = label("category", fam)
    if category == _ONE_OFF:
        m = _RECURRING_NAME.search(name)
        where = label("name", fam)
        if m is None:
            m = _RECURRING_GOAL.search(goals)
            where = "项目目标"
        if m is None or _ONE_OFF_DOUBT.search(name) or _ONE_OFF_ANYWHERE.search(goals):
            return
        out.warning(
            "P12",
            "category",
            f"{cl}选了“{_ONE_OFF}”，但{where}中的“{m.group()}”表明这是每年都要发生的支出："
            f"请核对，年年发生的运维、物业、雇员等项目一般应选“{_RECURRING}”。",
        )
        return
    m = _ONE_OFF_NAME.search(name)
    where = label("name", fam)
    if m is not None and m.group() == "一次性" and _SUBSIDY.search(name):
        m = None
    if m is None:
        m = _ONE_OFF_ANYWHERE.search(goals)
        where = "项目目标"
    if m is None:
        m = next((f for i in p.indicators if (f := _ONE_OFF_ANYWHERE.search(i.name or ""))), None)
        where = "绩效指标"
    if m is None or _RECURRING_NAME.search(name) or _RECURRING_GOAL.search(goals):
        return
    out.warning(
        "P12",
        "category",
        f"{cl}选了“{_RECURRING}”，但{where}中的“{m.group()}”表明这是一次性安排的支出："
        f"请核对，新建、改造、装修、尾款支付等项目一般应选“{_ONE_OFF}”。",
    )


# P09: a goal is measurable when it states a quantity, a rate, an amount or a deadline
# of its own. Numbers that are names are not: G60, 5G, 12345热线, “十四五”, 两个一百年,
# 八项规定, list numbering (1、 （1） 一是), 一个/一套/一次性, a bare year (2021年，…).
_IDIOMS = re.compile(
    # each group tried only where it may start (elsewhere one test, not every alternative)
    r"(?=[一二两三四五六七八九十百千双])(?:"
    r"十[一二三四五六七八九]五|两个(?:一百年|维护|确立|务必)|三个代表|四个(?:意识|自信|全面)"
    r"|八项规定|三重一大|三会一课|两学一做|五位一体|一岗双责|双随机一公开|千家万户|三番五次"
    r"|百年|(?<![一二三四五六七八九十百])[一二三四五六七八九十百]++周年"
    r")"
    r"|(?<!\d)\d++\s*+周年"
)
_UNITS = (
    r"万元|亿元|元|人次|人|名|个月|个|次|场|部|台|辆|套|件|项|户|家|所|批|期|本|册|篇|条|处"
    r"|座|张|份|间|栋|床|班|课时|学时|小时|分钟|工作日|天|日|周|月|季度|公里|千米|平方米|米"
    r"|亩|吨|公斤|千克|棵|株|盏|块|只|宗|起|单|组|支|届|轮|万|亿"
)
_CN_DIGITS = "一二两三四五六七八九十百千万亿"
_CN_CLASSIFIERS = "个次场部台套件项户人名家所批期季度年月日天周小时元辆本册篇条处座张份"
# Linear on any text (a goal may have 20,000 characters): every number is tried from its first
# digit only and taken whole (``\d++``: what follows is never a digit), and so is a run of
# spaces (``\s*+``: what follows is never a space). Each group of alternatives is tried only
# where its first character is (``(?=[…])``), so most places of a long text cost one test.
_UNIT_FIRST = "".join(sorted({unit[0] for unit in _UNITS.split("|")}))
_WORDS = (
    "百分之|全年|每年|每月|每季|每周|按月|按季|年底|年末|月底|季度|上半年|下半年|以上|以下"
    "|以内|不低于|不少于|不超过|全部|全覆盖"
)
_WORD_FIRST = "".join(sorted({word[0] for word in _WORDS.split("|")}))
_CN_FIRST = "二两三四五六七八九十百千半"
_MEASURABLE = re.compile(
    rf"(?=[\d一{_CN_FIRST}{_WORD_FIRST}])(?:"
    r"(?<!\d)(?=\d)(?:"  # a number, from its first digit
    # a number with a unit of its own: 2部, 200人次, 95%, 100万元, 10余家, 3年内
    rf"(?<![\dA-Za-z.])\d++(?:[,，]\d{{3}})*(?:\.\d++)?\s*+(?:余|多)?\s*+"
    rf"(?=[{_UNIT_FIRST}%％‰])(?:{_UNITS}|%|％|‰)"
    r"|(?<![\dA-Za-z.])\d{1,3}\s*+个?\s*+年"
    # a date: 2021年12月底前, 2021年底, 6月底前, 2021.12
    r"|(?<!\d)(?:19|20)\d{2}\s*+年\s*+度?\s*+(?:底|末|内|前|上半年|下半年|年中|全年)"
    r"|(?<![\dA-Za-z.])\d{1,2}\s*+月"
    r"|(?<!\d)(?:19|20)\d{2}\s*+[-./]\s*+\d{1,2}(?!\d)"
    r")"
    # Chinese numerals with a classifier (两部, 三场, 一百人), but not a lone 一 (一个, 一套)
    rf"|(?=[一{_CN_FIRST}])(?<![{_CN_DIGITS}半])(?:一[{_CN_DIGITS}]++|[{_CN_FIRST}][{_CN_DIGITS}]*+)"
    rf"\s*+(?:余|多)?[{_CN_CLASSIFIERS}]"
    rf"|(?=[{_WORD_FIRST}])(?:{_WORDS})"
    r")"
)


def is_measurable(text: str | None) -> bool:
    """A goal states a quantity, a rate, an amount or a deadline of its own (P09)."""
    return bool(text) and _measurable(text or "")


@lru_cache(maxsize=1024)
def _measurable(text: str) -> bool:
    norm = _IDIOMS.sub("，", unicodedata.normalize("NFKC", text))
    return bool(_MEASURABLE.search(norm))
