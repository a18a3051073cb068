"""Templates by project type: a new declaration pre-filled for the kind of project it is.

Most of a unit's projects are of a few recurring kinds (系统运维, 购买服务, 车辆购置,
党建经费 …) whose indicator tables look alike from unit to unit. A template holds
what such declarations share — the category, an indicator set with usual target
values, and an outline of the goals — and marks every place only the clerk can
fill with ``【请填写…】`` (``desktop.models.fill_in``); the rules treat a mark left in
as an error, so a template is never 定稿'd unfilled.

The content is drawn from the real declarations in ``../shared/cases`` and
``../shared/seeds`` (the 2021 single-page forms of a 机关事务管理局, the 闵行 2020
three-table form, a 松江 2020 budget excerpt), reworded. Indicator levels are
canonical taxonomy levels; a new project prints them in its family's own words.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.models import taxonomy as tx
from desktop.models.fill_in import fill_in
from desktop.models.labels import FORM_GENERAL_FIELDS
from desktop.models.project import STAGES, Indicator, Project, is_blank, new_project

ONE_OFF, RECURRING = "一次性项目", "经常性项目"


@dataclass(frozen=True)
class TemplateIndicator:
    """One indicator row of a template, placed by canonical taxonomy levels."""

    level1: str
    level2: str
    name: str
    target: str
    # Printed only by the 闵行 2020 form (备注): where the target value comes from.
    note: str | None = None


@dataclass(frozen=True)
class Template:
    key: str
    name: str
    description: str
    category: str
    indicators: tuple[TemplateIndicator, ...]
    overall_goal: str
    annual_goal: str
    # 主体活动（作业、任务）: printed by the 闵行 2020 form only.
    main_activity: str


def _row(l2: str, name: str, target: str, note: str | None = None) -> TemplateIndicator:
    return TemplateIndicator(tx.PARENT[l2], l2, name, target, note)


# Outlines the 闵行 2020 form (and 项目概述 of 上海 2020) asks for, the same for every kind.
OVERVIEW_OUTLINE = (
    f"一、项目背景：{fill_in('项目的由来和现状')}\n"
    f"二、立项依据：{fill_in('政策或文件依据，写明文号')}\n"
    f"三、主要内容：{fill_in('实施内容、范围和方式')}"
)
ESTABLISHMENT_OUTLINE = (
    f"必要性：{fill_in('不实施本项目会出现什么问题')}\n"
    f"可行性：{fill_in('政策、资金、组织和技术上的保障')}"
)
# The 制度保障 measures the 闵行 2020 declaration writes for its three standard rows; the
# 文件名称 is the unit's own and stays blank (rule G01 asks for it).
STANDARD_MEASURES = {
    "项目管理制度": "按照单位项目管理规定组织实施，对项目全过程进行管理",
    "预算管理制度": "按照财政预算管理要求编报年度经费预算",
    "财务管理制度": "严格执行财务管理制度，专款专用",
}
# The 备注 of the 闵行 2020 declaration: what a target value rests on, by 一级.
_BASIS = {tx.OUTPUT: "工作计划", tx.BENEFIT: "立项目的", tx.SATISFACTION: "满意度常规标杆"}
_NOTE_FAMILIES = frozenset({"minhang-2020"})  # the forms with a 备注 column

# The text fields each family prints besides the goals (forms.md).
_OUTLINE_FIELDS = {
    "minhang-2020": ("overview", "establishment", "main_activity"),
    "shanghai-2020": ("overview",),
    "shanghai-2021": (),
}

_SYSTEM = fill_in("系统名称")

TEMPLATES: dict[str, Template] = {
    t.key: t
    for t in (
        Template(
            key="it-maintenance",
            name="信息系统运维",
            description="信息系统、软件平台的年度运维：运维次数与合格率、故障响应、系统稳定运行。",
            # An annual 运维 contract recurs every year: 经常性 (the real 2021 declaration
            # ticked 一次性, which the reviewer sends back, rule P12).
            category=RECURRING,
            indicators=(
                _row(tx.QUANTITY, "系统软件运维完成数", "=12次"),
                _row(tx.QUALITY, "系统软件运维合格率", "=100%"),
                _row(tx.TIMELINESS, "系统软件运维完成及时率", "=100% (每月1次)"),
                _row(tx.TIMELINESS, "应急运维响应及时率", "=100% (2小时内)"),
                _row(tx.COST, "运维成本控制有效性", "有效"),
                _row(tx.SOCIAL, "系统故障平均修复时长", "≤4小时"),
                _row(tx.SOCIAL, "系统运行稳定性", "稳定"),
                _row(tx.SOCIAL, "系统重大故障发生数", "=0起"),
                _row(tx.SUSTAINABLE, "系统运维制度健全性", "健全"),
                _row(tx.SERVED, "系统使用单位满意度", "≥90%"),
            ),
            overall_goal=(
                f"保障{_SYSTEM}7×24小时稳定运行，持续完善系统功能，使之更贴近使用单位的实际需要，"
                "让信息化工作流程更顺畅、更高效。"
            ),
            annual_goal=(
                f"本年完成{_SYSTEM}软件运维{fill_in('次数')}次，运维合格率100%，"
                "应急故障及时响应，全年无重大故障。"
            ),
            main_activity=f"对{_SYSTEM}开展日常巡检、故障处理、数据备份和功能完善等运维工作。",
        ),
        Template(
            key="purchased-service",
            name="政府购买服务",
            description="向社会力量购买后勤、保洁、保安、餐饮等服务：到岗、验收、支付、服务质量。",
            category=RECURRING,
            indicators=(
                _row(tx.QUANTITY, "服务人员到岗数", f"={fill_in('人数')}人"),
                _row(tx.QUANTITY, "购买服务内容完成率", "=100%"),
                _row(tx.QUALITY, "第三方服务验收合格率", "=100%"),
                _row(tx.QUALITY, "服务人员考核合格率", "=100%"),
                _row(tx.TIMELINESS, "第三方服务验收及时率", "=100%"),
                _row(tx.TIMELINESS, "服务费用支付及时率", "=100%"),
                _row(tx.COST, "购买服务成本控制有效性", "有效"),
                _row(tx.SOCIAL, "服务质量考核达标率", "≥95%"),
                _row(tx.SOCIAL, "有效投诉处置率", "=100%"),
                _row(tx.SUSTAINABLE, "购买服务长效管理机制健全性", "健全"),
                _row(tx.SERVED, "服务对象满意度", "≥90%"),
            ),
            overall_goal=(
                f"以政府购买服务方式，由{fill_in('承接单位')}提供{fill_in('服务内容')}，"
                "优化资源配置，提升服务保障的专业化、规范化水平。"
            ),
            annual_goal=(
                f"本年按合同完成{fill_in('服务内容和数量')}，服务验收合格率100%，"
                "费用按合同及时支付，服务对象满意度不低于90%。"
            ),
            main_activity=f"向{fill_in('承接单位')}购买{fill_in('服务内容')}，并对服务质量进行日常检查和考核。",
        ),
        Template(
            key="repair-works",
            name="维修工程/基本建设",
            description="房屋、设施的维修改造或建设工程：施工、验收、资料、尾款支付。",
            category=ONE_OFF,
            indicators=(
                _row(tx.QUANTITY, "工程施工计划完成率", "=100%"),
                _row(tx.QUANTITY, "完工项目验收完成率", "=100%"),
                _row(tx.QUALITY, "政府采购流程合规率", "=100%"),
                _row(tx.QUALITY, "项目审批及施工资料完整率", "=100%"),
                _row(tx.QUALITY, "项目验收通过率", "=100%"),
                _row(tx.TIMELINESS, "施工完成及时率", f"=100% ({fill_in('完工时间')}前)"),
                _row(tx.TIMELINESS, "工程款支付及时率", "=100%"),
                _row(tx.COST, "施工成本控制有效性", "有效"),
                _row(tx.SOCIAL, "设施设备完好率", "=100%"),
                _row(tx.SOCIAL, "安全隐患整改完成率", "=100%"),
                _row(tx.SUSTAINABLE, "工程长效管理机制健全性", "健全"),
                _row(tx.SERVED, "使用单位满意度", "≥85%"),
            ),
            overall_goal=(
                f"对{fill_in('工程对象和地点')}实施{fill_in('维修或建设内容')}，"
                f"解决{fill_in('存在的问题')}，改善办公和服务环境，保障设施安全使用。"
            ),
            annual_goal=(
                f"本年完成{fill_in('工程内容和工程量')}，{fill_in('完工时间')}前完工并通过验收，"
                "工程资料完整，工程款按合同及时支付。"
            ),
            main_activity=f"{fill_in('工程内容')}的设计、施工、监理和竣工验收。",
        ),
        Template(
            key="vehicle",
            name="车辆购置",
            description="公务用车的更新购置：购置数量、采购合规、验收上牌、纳入平台管理。",
            category=ONE_OFF,
            indicators=(
                _row(tx.QUANTITY, "车辆购置完成数", f"={fill_in('数量')}部"),
                _row(tx.QUANTITY, "新购车辆纳管率", "=100%"),
                _row(tx.QUALITY, "采购流程合规率", "=100%"),
                _row(tx.QUALITY, "购置车辆验收通过率", "=100%"),
                _row(tx.TIMELINESS, "车辆采购完成及时率", "=100%"),
                _row(tx.TIMELINESS, "车辆上牌及时率", "=100%"),
                _row(tx.COST, "购置成本控制有效性", "有效"),
                _row(tx.SOCIAL, "公务用车需求保障率", "≥95%"),
                _row(tx.SOCIAL, "公务出行按时派车率", "≥98%"),
                _row(tx.SUSTAINABLE, "公务用车管理长效机制健全性", "健全"),
                _row(tx.SERVED, "用车人员满意度", "≥90%"),
            ),
            overall_goal=(
                "按照党政机关公务用车管理规定规范车辆配备和使用，"
                f"本年计划购置{fill_in('车型')}{fill_in('数量')}部，缓解车辆配置与工作需要之间的矛盾。"
            ),
            annual_goal=(
                f"本年按编制和标准完成{fill_in('数量')}部公务用车的采购、验收和上牌，"
                "新购车辆全部纳入公务用车平台管理。"
            ),
            main_activity=f"按政府采购程序购置{fill_in('车型和数量')}公务用车，办理验收、上牌和建档。",
        ),
        Template(
            key="party-building",
            name="党建经费",
            description="基层党组织的学习教育、主题活动、党建培训和图书购置。",
            category=RECURRING,
            indicators=(
                _row(tx.QUANTITY, "党建活动组织次数", f"≥{fill_in('次数')}次"),
                _row(tx.QUANTITY, "党建培训完成次数", f"≥{fill_in('次数')}次"),
                _row(tx.QUANTITY, "党建活动参与率", "=100%"),
                _row(tx.QUALITY, "党建活动覆盖率", "=100%"),
                _row(tx.QUALITY, "活动组织安全事故发生数", "=0起"),
                _row(tx.TIMELINESS, "党建活动完成及时率", "=100%"),
                _row(tx.TIMELINESS, "党建培训完成及时率", "=100%"),
                _row(tx.SOCIAL, "党员参加组织生活率", "≥95%"),
                _row(tx.SOCIAL, "党员志愿服务参与人次", f"≥{fill_in('人次')}人次"),
                _row(tx.SUSTAINABLE, "党建工作长效机制健全性", "健全"),
                _row(tx.SERVED, "党员职工满意度", "≥90%"),
            ),
            overall_goal=(
                f"按照{fill_in('党建经费依据文件及文号')}，保障党建经费每名党员每年不低于"
                f"{fill_in('标准')}元；通过学习教育、主题活动和图书阅读，增强基层党组织的凝聚力，"
                "发挥党员先锋模范作用。"
            ),
            annual_goal=(
                f"本年组织党建活动不少于{fill_in('次数')}次、党建培训不少于{fill_in('次数')}次，"
                "党员参与率100%，活动安全无事故。"
            ),
            main_activity=f"组织{fill_in('活动名称')}等党建活动和党建培训，购置党建学习图书。",
        ),
        Template(
            key="legal-counsel",
            name="法律顾问",
            description="聘请常年法律顾问：法律咨询、合同和规范性文件审核、诉讼与纠纷处理。",
            category=RECURRING,
            indicators=(
                _row(tx.QUANTITY, "法律服务工作完成率", "=100%"),
                _row(tx.QUANTITY, "合同及规范性文件审核数", f"≥{fill_in('件数')}件"),
                _row(tx.QUALITY, "涉诉案件结案率", "≥85%"),
                _row(tx.QUALITY, "法律顾问履职考核合格率", "=100%"),
                _row(tx.TIMELINESS, "法律咨询回复及时率", "=100% (72小时内)"),
                _row(tx.SOCIAL, "行政诉讼和复议案件败诉数", "=0件"),
                _row(tx.SOCIAL, "重大决策合法性审查率", "=100%"),
                _row(tx.SUSTAINABLE, "法律服务长效管理机制健全性", "健全"),
                _row(tx.SERVED, "工作人员对法律服务满意度", "≥90%"),
            ),
            overall_goal=(
                f"聘请{fill_in('律师事务所')}担任法律顾问，提供法律咨询，协助处理重大纠纷和行政诉讼，"
                "对合同文本和拟发布的规范性文件提出法律意见，提升依法行政水平。"
            ),
            annual_goal=(
                f"本年提供法律咨询和合同、规范性文件审核不少于{fill_in('件数')}件，"
                "咨询72小时内答复，法律服务满意度不低于90%。"
            ),
            main_activity="法律咨询、合同及规范性文件审核、诉讼和重大纠纷代理。",
        ),
        Template(
            key="training",
            name="培训",
            description="业务培训、技能培训：举办期数、参训人次、考核合格、培训费标准。",
            category=RECURRING,
            indicators=(
                _row(tx.QUANTITY, "培训班举办数", f"={fill_in('期数')}期"),
                _row(tx.QUANTITY, "参训人数", f"≥{fill_in('人次')}人次"),
                _row(tx.QUALITY, "培训考核合格率", "≥95%"),
                _row(tx.QUALITY, "参训人员出勤率", "≥95%"),
                _row(tx.TIMELINESS, "培训计划完成及时率", "=100%"),
                _row(tx.COST, "培训费开支标准执行率", "=100%"),
                _row(tx.SOCIAL, "参训人员考核合格率", "≥95%"),
                _row(tx.SUSTAINABLE, "培训管理制度健全性", "健全"),
                _row(tx.SERVED, "参训人员满意度", "≥90%"),
            ),
            overall_goal=(
                f"围绕{fill_in('培训主题')}，对{fill_in('培训对象')}开展培训，"
                "提高职业技能和素养，规范工作要求。"
            ),
            annual_goal=(
                f"本年举办培训{fill_in('期数')}期、培训{fill_in('人次')}人次，"
                "考核合格率不低于95%，参训人员满意度不低于90%。"
            ),
            main_activity=f"{fill_in('培训内容')}培训的组织、授课和考核。",
        ),
        Template(
            key="subsidy",
            name="补贴发放",
            description="按标准向个人或单位发放补贴：申请受理、审核、发放准确和及时。",
            category=RECURRING,
            indicators=(
                _row(tx.QUANTITY, "补贴发放人数", f"={fill_in('人数')}人"),
                _row(tx.QUANTITY, "补贴发放率", "=100%"),
                _row(tx.QUALITY, "补贴发放准确率", "=100%"),
                _row(tx.QUALITY, "申请材料审核合规率", "=100%"),
                _row(tx.TIMELINESS, "补贴政策信息发布及时性", "及时"),
                _row(tx.TIMELINESS, "补贴审核、发放及时性", "及时"),
                _row(tx.SOCIAL, "违规发放投诉数", "=0起"),
                _row(tx.SOCIAL, "补贴对象就业创业人数", f"≥{fill_in('人数')}人"),
                _row(tx.SUSTAINABLE, "补贴发放长效管理制度健全性", "健全"),
                _row(tx.SUSTAINABLE, "补贴管理制度执行有效性", "执行有效"),
                _row(tx.SERVED, "补贴对象满意度", "≥90%"),
            ),
            overall_goal=(
                f"按照{fill_in('补贴政策文件及文号')}，向{fill_in('补贴对象')}按每人"
                f"{fill_in('标准')}元发放{fill_in('补贴名称')}，{fill_in('政策目的')}。"
            ),
            annual_goal=(
                f"本年向符合条件的{fill_in('补贴对象')}发放补贴{fill_in('人数')}人，"
                "发放准确率100%，审核和发放及时。"
            ),
            main_activity=f"{fill_in('补贴名称')}的政策宣传、申请受理、审核公示和资金发放。",
        ),
        Template(
            key="expert-review",
            name="专家评审/咨询论证",
            description="采购评审、项目论证等的专家费：评审场次、专家人次、流程合规。",
            category=RECURRING,
            indicators=(
                _row(tx.QUANTITY, "评审会召开数", f"≥{fill_in('场次')}场"),
                _row(tx.QUANTITY, "评审专家参与数", f"≥{fill_in('人次')}人次"),
                _row(tx.QUALITY, "评审流程合规率", "=100%"),
                _row(tx.QUALITY, "专家费标准明确性", "明确"),
                _row(tx.QUALITY, "专家资质有效性", "有效"),
                _row(tx.TIMELINESS, "评审会召开及时率", "=100%"),
                _row(tx.SOCIAL, "评审结果按时出具率", "=100%"),
                _row(tx.SOCIAL, "评审有效投诉数", "=0件"),
                _row(tx.SUSTAINABLE, "专家评审长效管理机制健全性", "健全"),
                _row(tx.SERVED, "评审专家满意度", "≥90%"),
            ),
            overall_goal=(
                f"支付{fill_in('评审事项')}中咨询论证、项目评审和复核所产生的专家费，"
                f"全年计划召开评审会{fill_in('场次')}场。"
            ),
            annual_goal=(
                f"本年完成{fill_in('评审事项')}的专家评审，召开评审会不少于{fill_in('场次')}场、"
                f"涉及专家{fill_in('人次')}人次，评审流程合规率100%。"
            ),
            main_activity=f"组织{fill_in('评审事项')}的专家评审和论证，按标准支付专家费。",
        ),
        Template(
            key="employees",
            name="政府雇员/劳务用工",
            description="政府雇员、工勤人员的薪酬和管理：在岗人数、薪酬发放、考核。",
            category=RECURRING,
            indicators=(
                _row(tx.QUANTITY, "雇员在岗数", f"={fill_in('人数')}人"),
                _row(tx.QUANTITY, "雇员薪酬发放完成率", "=100%"),
                _row(tx.QUALITY, "雇员数量超编率", "=0%"),
                _row(tx.QUALITY, "雇员年度考核合格率", "=100%"),
                _row(tx.TIMELINESS, "雇员薪酬发放及时率", "=100%"),
                _row(tx.TIMELINESS, "雇员年度考核完成及时率", "=100%"),
                _row(tx.SOCIAL, "雇员劳动争议发生数", "=0件"),
                _row(tx.SOCIAL, "后勤服务考核达标率", "≥95%"),
                _row(tx.SUSTAINABLE, "雇员管理长效机制健全性", "健全"),
                _row(tx.SERVED, "用人科室满意度", "≥90%"),
            ),
            overall_goal=(
                f"按照{fill_in('雇员管理依据文件及文号')}，统一管理{fill_in('雇员类别')}，"
                "保障机关事务工作正常开展，提升服务保障的质量和水平。"
            ),
            annual_goal=(
                f"本年保障{fill_in('人数')}名雇员按岗在职，薪酬按时足额发放，"
                "年度考核全部完成，用人科室满意度不低于90%。"
            ),
            main_activity=f"{fill_in('雇员类别')}的薪酬发放、日常管理和年度考核。",
        ),
        Template(
            key="audit",
            name="第三方审计/监督检查",
            description="聘请第三方机构对专项资金开展审计或监督检查，并督促整改。",
            category=ONE_OFF,
            indicators=(
                _row(tx.QUANTITY, "审计（检查）项目完成数", f"={fill_in('个数')}个"),
                _row(tx.QUALITY, "第三方机构选聘合规率", "=100%"),
                _row(tx.QUALITY, "审计发现问题整改率", "≥95%"),
                _row(tx.TIMELINESS, "审计工作完成及时率", f"=100% ({fill_in('完成时间')}前)"),
                _row(tx.SOCIAL, "专项资金违规使用金额", "=0元"),
                _row(tx.SOCIAL, "违规使用资金投诉数", "=0起"),
                _row(tx.SUSTAINABLE, "资金监管制度健全性", "健全"),
                _row(tx.SERVED, "被审计单位满意度", "≥90%"),
            ),
            overall_goal=(
                f"聘请具备资质的第三方机构对{fill_in('资金或项目名称')}的使用情况开展监督检查，"
                "确保资金安全有效使用。"
            ),
            annual_goal=(
                f"{fill_in('完成时间')}前完成{fill_in('审计年度')}年度资金使用情况审计，"
                "督促有关单位整改发现的问题，整改率不低于95%。"
            ),
            main_activity="确定第三方机构，制定审计方案，开展审计，反馈问题并督促整改。",
        ),
    )
}


def template_choices() -> list[tuple[str, str, str]]:
    """(key, name, description) of every template, in the order the dialog lists them."""
    return [(t.key, t.name, t.description) for t in TEMPLATES.values()]


# Under a framework where 成本指标 is a 一级 (the 2025 指引), every template states the
# project's total cost in money instead of judging cost in words.
_COST_ROW = TemplateIndicator(
    tx.COST_L1, tx.ECONOMIC_COST, "项目总成本", f"≤{fill_in('年度预算金额')}元"
)


def indicators_for(
    template: Template, family: str, framework: tx.Framework = tx.DEFAULT_FRAMEWORK
) -> list[Indicator]:
    """The template's rows in the framework, with the levels in the family's printed words."""
    rows = list(template.indicators)
    if framework.cost_is_level1:
        rows = [r for r in rows if r.level2 != tx.COST]
        last_output = max((i for i, r in enumerate(rows) if r.level1 == tx.OUTPUT), default=-1)
        rows.insert(last_output + 1, _COST_ROW)
    out = []
    for row in rows:
        placement = tx.Placement(row.level1, row.level2)
        note = (row.note or _BASIS.get(row.level1)) if family in _NOTE_FAMILIES else None
        out.append(
            Indicator(
                level1=tx.printed_level1(family, placement),
                level2=tx.printed_level2(family, placement),
                name=row.name,
                target=row.target,
                note=note,
            )
        )
    return out


def new_from_template(template_key: str, year: int, name: str, family: str) -> Project:
    """A new declaration of ``family`` pre-filled from a template (KeyError for an unknown key)."""
    template = TEMPLATES[template_key]
    project = new_project(year, name, family)
    project.category = template.category
    project.overall_goal = template.overall_goal
    project.annual_goal = template.annual_goal
    outline = {
        "overview": OVERVIEW_OUTLINE,
        "establishment": ESTABLISHMENT_OUTLINE,
        "main_activity": template.main_activity,
    }
    for key in _OUTLINE_FIELDS.get(family, ()):
        setattr(project, key, outline[key])
    project.indicators = indicators_for(template, family, tx.framework_for(family, year))
    for guarantee in project.guarantees:  # the standard rows new_project made for this family
        guarantee.measures = STANDARD_MEASURES.get(guarantee.kind_key)
        guarantee.stages = list(STAGES)
    return project


# Who declares: the same on every project of a unit, so a new project takes them
# from the unit's latest one instead of having the clerk type them again.
UNIT_DETAIL_FIELDS = ("department", "unit", "leader", "contact", "phone")


def carry_unit_details(project: Project, latest: Project) -> tuple[str, ...]:
    """Fill the blank 主管部门/实施单位/负责人/联系人/电话 the form shows from ``latest``.

    Returns the fields filled. Nothing already written is replaced.
    """
    shown = FORM_GENERAL_FIELDS.get(project.family, ())
    filled = []
    for key in UNIT_DETAIL_FIELDS:
        value = getattr(latest, key)
        if key in shown and is_blank(getattr(project, key)) and not is_blank(value):
            setattr(project, key, value)
            filled.append(key)
    return tuple(filled)
