"""Helpers for the rule tests: clean baseline projects, one change at a time, and assertions.

``baseline()`` (the 2021 single-page form) and ``minhang_baseline()`` (the 2020
three-table form) produce no finding at all, so a test can change one field
(``changed(p, {"indicators[2].target": "100%"})``, the same path syntax the
findings use) and look for exactly the finding that change must cause.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop.models.project import (
    BreakdownRow,
    Funding,
    Guarantee,
    Indicator,
    Project,
)
from desktop.models.rules import Context, Finding, RuleSettings, validate

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CASES_DIR = SHARED / "cases"

ALL_STAGES = ["立项和计划阶段", "实施阶段", "收尾和完成阶段"]


def D(text: str) -> Decimal:  # short: reads like a literal in the tables
    return Decimal(text)


def _guarantees() -> list[Guarantee]:
    return [
        Guarantee(
            "项目管理制度",
            "闵行区机关事务管理局内控指南",
            "严格按照相关管理规定对项目实施工作管理",
            list(ALL_STAGES),
        ),
        Guarantee(
            "预算管理制度",
            "闵行区机关事务管理局内控指南",
            "每年对所需经费按照财政管理要求进行预算编报",
            list(ALL_STAGES),
        ),
        Guarantee(
            "财务管理制度",
            "闵行区机关事务管理局内控指南",
            "严格按照财务管理制度进行专款专用",
            list(ALL_STAGES),
        ),
    ]


def baseline() -> Project:
    """A 2021 declaration (shanghai-2021 form) with no finding at all."""
    return Project(
        year=2021,
        name="车辆购置费",
        template="shanghai-2021",
        category="经常性项目",
        department="上海市闵行区机关事务管理局",
        unit="上海市闵行区机关事务管理局",
        leader="杨华",
        contact="陈柳柳",
        phone="021-24033156",
        start_date=dt.date(2021, 1, 1),
        end_date=dt.date(2021, 12, 31),
        overview="为保障机关公务出行，按规定更新已达报废年限的公务用车。",
        establishment="必要性：现有车辆已达报废年限。可行性：符合公务用车配备标准。",
        resources="局内设车辆管理科室，执行公务用车管理制度。",
        overall_goal="本年计划购置公务用车2部，保障机关公务出行。",
        annual_goal="2021年6月底前完成2部公务用车的采购和上牌。",
        other_issues="无",
        main_activity="购置公务用车2部",
        funding=Funding(
            total=D("360000"),
            total_fiscal=D("360000"),
            total_other=D("0"),
            annual=D("360000"),
            annual_fiscal=D("360000"),
            carryover=D("0"),
            annual_other=D("0"),
        ),
        indicators=[
            Indicator("产出指标", "数量指标", "车辆购置完成数", "=2部"),
            Indicator("产出指标", "质量指标", "采购流程合规率", "=100%"),
            Indicator("产出指标", "时效指标", "采购完成及时率", "=100% (2021年6月底前)"),
            # not 满足机关公务用车需求 → 满足: a target that only repeats the name's verb is I22
            Indicator("效益指标", "社会效益指标", "公务用车需求满足程度", "满足"),
            Indicator("效益指标", "可持续影响指标", "车辆管理长效机制健全性", "健全"),
            Indicator("满意度指标", "服务对象满意度指标", "工作人员满意度", "≥95%"),
        ],
        breakdown=[
            BreakdownRow(
                content="公务用车购置",
                item="小型轿车",
                amount=D("360000.00"),
                unit_price=D("180000.00"),
                quantity=D("2"),
            )
        ],
        guarantees=_guarantees(),
    )


def minhang_baseline() -> Project:
    """A 2020 declaration (minhang-2020 three tables, seed 000's numbers) with no finding."""
    return Project(
        year=2020,
        name="政府雇员项目",
        template="minhang-2020",
        category="经常性项目",
        unit="上海市闵行区机关事务管理局",
        leader="杨华",
        contact="陈柳柳",
        phone="24033156",
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2020, 12, 31),
        overview="区级机关单位工勤雇员额度经费由区机管局统一操作。",
        establishment="必要性：尊重历史、平稳衔接。可行性：有政策保障。",
        overall_goal="全年保障159名政府雇员到岗，后勤服务满意度不低于90%。",
        annual_goal="2020年底前完成全部雇员薪酬发放和年度考核。",
        funding=Funding(
            total=D("22553852"),
            annual=D("22553852"),
            annual_fiscal=D("22553852"),
            upper=D("0"),
            local=D("22553852"),
            lower=D("0"),
            annual_other=D("0"),
        ),
        indicators=[
            Indicator("产出目标", "数量", "工勤雇员到岗数", "=159人"),
            Indicator("产出目标", "质量", "工勤雇员出勤率", "≥98%"),
            Indicator("产出目标", "时效", "工勤雇员配置及时性", "及时"),
            Indicator("效果目标", "社会效益", "工作效率提升度", "提升"),
            Indicator("影响力目标", "可持续影响", "雇员管理长效机制健全性", "健全"),
            Indicator("影响力目标", "满意度", "工作人员满意度", "≥90%"),
        ],
        breakdown=[
            BreakdownRow(
                "文职雇员", "文职雇员_1", D("1159620.00"), D("115962.00"), None, D("10.00")
            ),
            BreakdownRow(
                "税务局政府雇员补差经费",
                "税务局政府雇员补差经费",
                D("2198000.00"),
                D("2198000.00"),
                None,
                D("1.00"),
            ),
            BreakdownRow(
                "工勤类雇员", "工勤类雇员_1", D("19060404.00"), D("19060404.00"), None, D("1.00")
            ),
            BreakdownRow("专技雇员", "专技岗位_1", D("135828.00"), D("135828.00"), None, D("1.00")),
        ],
        guarantees=_guarantees(),
    )


_STEP = re.compile(r"([A-Za-z_]\w*)(?:\[(\d+)\])?")


def set_path(obj: Any, path: str, value: Any) -> None:
    """Set ``funding.total`` or ``indicators[2].target`` (the findings' path syntax)."""
    steps = path.split(".")
    for i, step in enumerate(steps):
        m = _STEP.fullmatch(step)
        assert m, f"bad path {path!r}"
        name, index = m.group(1), m.group(2)
        last = i == len(steps) - 1
        if index is None:
            if last:
                setattr(obj, name, value)
            else:
                obj = getattr(obj, name)
        else:
            seq = getattr(obj, name)
            if last:
                seq[int(index)] = value
            else:
                obj = seq[int(index)]


def changed(project: Project, changes: dict[str, Any]) -> Project:
    """The project with each path set to its value (the project is changed in place)."""
    for path, value in changes.items():
        set_path(project, path, value)
    return project


def run(
    project: Project, settings: RuleSettings | None = None, context: Context | None = None
) -> list[Finding]:
    return validate(project, settings=settings, context=context)


def with_code(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def assert_flagged(
    project: Project,
    code: str,
    severity: str,
    field: str,
    *,
    settings: RuleSettings | None = None,
    context: Context | None = None,
) -> Finding:
    """Exactly one ``code`` finding on ``field``, of ``severity``; returned for more checks."""
    found = run(project, settings, context)
    hits = [f for f in found if f.code == code and f.field == field]
    assert len(hits) == 1, (
        f"expected one {code} on {field}; got {[(f.code, f.field) for f in found]}"
    )
    hit = hits[0]
    assert hit.severity == severity, f"{code} should be {severity}, is {hit.severity}"
    assert_plain_chinese(hit)
    return hit


def assert_not_flagged(
    project: Project,
    code: str,
    field: str | None = None,
    *,
    settings: RuleSettings | None = None,
    context: Context | None = None,
) -> None:
    found = run(project, settings, context)
    hits = [f for f in found if f.code == code and (field is None or f.field == field)]
    assert not hits, f"unexpected {code}: {[(f.field, f.message) for f in hits]}"


_CJK = re.compile(r"[\u4e00-\u9fff]")
# What a clerk must never read: a rule code or an internal field path.
_INTERNAL = re.compile(
    r"\b[PFIBG]\d{2}\b|\w+\[\d+\]|\b(?:funding|indicators|breakdown|guarantees)\.\w+"
    r"|\b(?:annual_fiscal|total_fiscal|total_other|annual_other|start_date|end_date|overall_goal|annual_goal|level[12])\b"
)


def assert_plain_chinese(finding: Finding) -> None:
    """A message in Chinese that says what to do and shows no internal reference."""
    msg = finding.message
    assert len(_CJK.findall(msg)) >= 6, f"not a Chinese sentence: {msg!r}"
    assert not _INTERNAL.search(msg), f"internal reference in {msg!r}"
    assert "请" in msg or "建议" in msg, f"message does not say what to do: {msg!r}"
