"""Rules I19–I22: what a 区财政局 reviewer sends back in the 绩效指标 table.

Each is a warning, raised only on a strong signal: a row filed under a 二级 its own
name contradicts (I19), a target that is always met or cannot be met (I20), numbers
that contradict each other (I21), a target that only repeats the verb of its name
(I22). I20 and I21 live in ``number_rules``; this module reads the rows once for all
four. Every pattern is anchored or made of literals, so the rules stay linear in the
length of the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from desktop.models import taxonomy as tx
from desktop.models.fill_in import has_fill_in
from desktop.models.labels import label
from desktop.models.project import Indicator, Project, is_blank
from desktop.models.rules.base import Collector, Context, RuleSettings
from desktop.models.rules.number_rules import (
    COUNT_END,
    SATISFACTION_END,
    check_part_equals_whole,
    check_stated_value,
    check_trivial,
    check_unit_cost,
)
from desktop.models.targets import Target, has_placeholder, read_target


@dataclass(frozen=True)
class ReviewRow:
    """One filled indicator row as the reviewer reads it."""

    index: int
    ind: Indicator
    name: str  # NFKC, no spaces, a trailing bracketed remark removed: the head noun last
    target: Target
    placement: tx.Placement

    @property
    def label(self) -> str:
        shown = (self.ind.name or "").strip()
        return f"第 {self.index + 1} 行指标“{shown}”"

    @property
    def path(self) -> str:
        return f"indicators[{self.index}]"


def check_review(p: Project, out: Collector, settings: RuleSettings, ctx: Context) -> None:
    fw = tx.framework_of(p)
    rows = [r for i, ind in enumerate(p.indicators) if (r := _read_row(i, ind, fw)) is not None]
    for row in rows:
        _check_misfiled(row, p.family, fw, out)
        check_trivial(row, p.family, out)
        _check_verb_only(row, p.family, settings, out)
        check_stated_value(row, p.family, out)
    check_part_equals_whole(rows, p.family, out)
    check_unit_cost(rows, p, out)


_TRAILING_REMARK = re.compile(r"[(（][^()（）]*[)）]$")


def _read_row(i: int, ind: Indicator, fw: tx.Framework) -> ReviewRow | None:
    name = _head_name(ind.name or "")
    if name is None or not _target_ok(ind.target or ""):
        return None
    return ReviewRow(i, ind, name, read_target(ind.target), tx.place(ind.level1, ind.level2, fw))


@lru_cache(maxsize=8192)
def _head_name(raw: str) -> str | None:
    """The name as compared: NFKC, no spaces, a trailing bracketed remark removed (its head
    noun last); None for a blank name or one still holding a template mark (I01, I08)."""
    if is_blank(raw) or has_fill_in(raw) or has_placeholder(raw):
        return None
    name = "".join(unicodedata.normalize("NFKC", raw).split()).rstrip("。.;；,，:：")
    return _TRAILING_REMARK.sub("", name) or name


@lru_cache(maxsize=8192)
def _target_ok(raw: str) -> bool:
    """Not a template mark or a placeholder (I08's): a target there is to judge."""
    return not (has_fill_in(raw) or has_placeholder(raw))


# ---------------------------------------------------------------- I19 misfiled rows

_TIMELY_END = re.compile(r"(?:及时率|及时性|完成时间|完成时限|时限)$")
_QUALITY_END = re.compile(
    r"(?:合格率|达标率|准确率|正确率|合规率|合规性|完好率|验收通过率|优良率)$"
)
# Counts a quality row may rightly hold: incidents kept at zero (事故数 =0起), and
# counts that are not of work done (分数, 指数, 天数 …).
_NOT_WORK_COUNT = re.compile(
    r"事故|投诉|差错|故障|问题|违规|违纪|违法|隐患|失误|错误|缺陷|返工|不合格|超标|伤亡|死亡|受伤"
    r"|纠纷|信访|上访|举报|处罚|通报|扣分|退回|驳回|整改|合格|达标|优秀|优良|获奖|通过|发生"
    r"|分数|指数|系数|倍数|基数|参数|天数|日数|时数"
    # a count of a quality level reached (示范点数, 核心期刊论文数)
    r"|核心|优质|精品|示范|一流|国家级|省级|市级|星级|高质量|高水平"
)
_COST_NAME = re.compile(
    r"(?:成本|费用|单价|经费|造价|总价|价格)$|成本(?:控制|节约|降低|压缩|节省)|单位成本"
)
_PAID_OUT = re.compile(r"发放|拨付|补贴|补助|资金|金额|收入|效益")
# A row under 满意度 whose name says something else.
_SOCIAL_END = re.compile(r"(?:知晓率|知晓度|覆盖率)$")
_SUSTAINABLE_WORDS = re.compile(r"长效|机制|健全|制度建设|制度完善")

_OUTPUT_FAMILY = frozenset({tx.QUANTITY, tx.QUALITY, tx.TIMELINESS})
_KIND = {
    tx.SERVED: "满意度",
    tx.TIMELINESS: "时效",
    tx.QUALITY: "质量",
    tx.QUANTITY: "数量",
    tx.COST: "成本",
    tx.SUSTAINABLE: "可持续影响",
    tx.SOCIAL: "社会效益",
}


def misfiled(row_name: str, target: Target, level2: str | None) -> tuple[str, str] | None:
    """(the 二级 the name says, the words that say it) when ``level2`` contradicts it."""
    if level2 is None:
        return None
    cost_or = tx.COST_LEVEL2
    if m := SATISFACTION_END.search(row_name):
        return (tx.SERVED, m.group()) if level2 != tx.SERVED else None
    if level2 == tx.SERVED:
        if "满意" in row_name:
            return None
        if m := _SOCIAL_END.search(row_name):
            return tx.SOCIAL, m.group()
        if m := _SUSTAINABLE_WORDS.search(row_name):
            return tx.SUSTAINABLE, m.group()
        return None
    if m := _TIMELY_END.search(row_name):
        return (tx.TIMELINESS, m.group()) if level2 in cost_or | {tx.QUALITY, tx.QUANTITY} else None
    if m := _QUALITY_END.search(row_name):
        if "及时" in row_name:
            return None  # 及时准确率: both at once, either 二级 will do
        fits = level2 in cost_or | {tx.QUANTITY, tx.TIMELINESS}
        return (tx.QUALITY, m.group()) if fits else None
    if (m := COUNT_END.search(row_name)) and not _NOT_WORK_COUNT.search(row_name):
        return (tx.QUANTITY, m.group()) if level2 in cost_or | {tx.QUALITY} else None
    if level2 in _OUTPUT_FAMILY:
        if m := _COST_NAME.search(row_name):
            return tx.COST, m.group()
        money = target.is_quantity and bool(target.unit) and "元" in (target.unit or "")
        # Money paid out (补贴发放金额) may be a 数量 as well as a 成本: not a clear signal.
        if money and level2 != tx.QUANTITY and not _PAID_OUT.search(row_name):
            return tx.COST, f"{target.number_text}{target.unit}"
    return None


def _check_misfiled(row: ReviewRow, fam: str, fw: tx.Framework, out: Collector) -> None:
    found = misfiled(row.name, row.target, row.placement.level2)
    if found is None:
        return
    level2, said = found
    if level2 == tx.COST:
        where = (
            tx.Placement(tx.COST_L1, tx.ECONOMIC_COST)
            if fw.cost_is_level1
            else tx.Placement(tx.OUTPUT, tx.COST)
        )
    else:
        where = tx.Placement(fw.parent.get(level2), level2)
    l1_label, l2_label = label("indicators.level1", fam), label("indicators.level2", fam)
    l2_word = tx.printed_level2(fam, where) or level2
    l1_word = tx.printed_level1(fam, where) or ""
    move = f"请把{l2_label}改为“{l2_word}”"
    if l1_word and l1_word != tx.printed_level1(fam, row.placement):
        move += f"（{l1_label}为“{l1_word}”）"
    shown = (row.ind.level2 or "").strip()
    out.warning(
        "I19",
        f"{row.path}.level2",
        f"{row.label}填在{l2_label}“{shown}”下，但名称中的“{said}”表明它是"
        f"{_KIND[level2]}类指标：{move}。",
    )


# ---------------------------------------------------------------- I22 verb-only targets

_VERBS = frozenset(
    {
        "提升",
        "提高",
        "促进",
        "保障",
        "满足",
        "发挥",
        "丰富",
        "减少",
        "缩减",
        "增强",
        "加强",
        "改善",
        "优化",
        "推进",
        "推动",
        "确保",
        "降低",
        "强化",
        "扩大",
        "增进",
        "助力",
        "带动",
        "巩固",
        "深化",
    }
)
_ADVERBS = ("", "有效", "进一步", "持续", "切实", "不断", "全面", "大力", "积极", "着力", "充分")
_DIGIT = re.compile(r"\d")


def repeats_verb(name: str, word: str) -> bool:
    """The target ``word`` is a verb the name starts (or ends) with: 提升政府采购效能 → 提升."""
    if word not in _VERBS or name == word:
        return False
    return name.endswith(word) or any(name.startswith(adv + word) for adv in _ADVERBS)


def _check_verb_only(row: ReviewRow, fam: str, settings: RuleSettings, out: Collector) -> None:
    t = row.target
    if t.kind != "word" or (t.note and _DIGIT.search(t.note)):
        return
    word = (t.word or "").strip("。.；;，,")
    # A word outside the accepted list is I09's already.
    if word not in settings.accepted_words or not repeats_verb(row.name, word):
        return
    tl = label("indicators.target", fam)
    out.warning(
        "I22",
        f"{row.path}.target",
        f"{row.label}的{tl}“{word}”只重复了名称中的动词，无从核查：请写明要达到的水平，"
        "如比率或数值（≥95%、≥3次），或可核查的状态（达标、健全）。",
    )
