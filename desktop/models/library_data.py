"""The built-in 指标库: the indicators of the real declarations in ``../shared/``.

One row per indicator as a declaration (or report) used it: (一级, 二级, 三级指标,
指标目标值), the levels canonical (``taxonomy.py``), ``""`` where the source gives
no target. An indicator used by several declarations appears once per use;
``library.builtin_entries()`` merges them, so how often a name and a target
occur is what ranks them.

Editing done while transcribing, so that what the library offers passes the
rules (``validation.md``):

- targets in standard form (``>=95%`` → ``≥95%``, ``100%`` → ``=100%``,
  ``=100.00%`` → ``=100%``); a year in a date note dropped (``(2021年6月底前)``
  → ``(6月底前)``) so it fits any year's project (rule I14);
- names made general only where a project's own name is part of them
  (``区机关单位办公用房与公务用车信息管理系统软件运维完成数`` → ``系统软件运维完成数``,
  ``机关大院设施设备巡检次数`` → ``设施设备巡检次数``);
- a row placed where its name says it belongs when the source's cell slipped
  (each such row says so in a comment); a row named …满意度 is a 满意度指标.
"""

from __future__ import annotations

from desktop.models.taxonomy import (
    BENEFIT,
    COST,
    DECISION,
    FINANCE,
    INPUT,
    MANAGEMENT,
    OUTPUT,
    PROJECT_MGMT,
    QUALITY,
    QUANTITY,
    SATISFACTION,
    SERVED,
    SOCIAL,
    SUSTAINABLE,
    TIMELINESS,
)

# (一级, 二级, 三级指标, 指标目标值)
Row = tuple[str, str, str, str]

BUILTIN: tuple[Row, ...] = (
    # ---- shanghai-2021-declarations-excerpt.txt (= cases/seed003-open-2021.json),
    #      闵行区机关事务管理局 2021: 车辆购置费
    (OUTPUT, QUANTITY, "车辆购置完成数", "=2部"),
    (OUTPUT, QUANTITY, "新购车辆纳管率", "=100%"),
    (OUTPUT, QUANTITY, "一车一档工作完成率", "=100%"),
    (OUTPUT, QUALITY, "采购流程合规率", "=100%"),
    (OUTPUT, QUALITY, "购置手续完整率", "=100%"),
    (OUTPUT, QUALITY, "购置车辆验收通过率", "=100%"),
    (OUTPUT, TIMELINESS, "采购完成及时率", "=100%"),
    (OUTPUT, TIMELINESS, "车辆上牌及时率", "=100%"),
    (OUTPUT, COST, "成本控制有效性", "有效"),  # the source has it under 时效指标
    (BENEFIT, SOCIAL, "有效保障日常工作开展", "保障"),
    (BENEFIT, SOCIAL, "满足机关公务用车需求", "满足"),
    (BENEFIT, SOCIAL, "提升因公外出工作效率", "提升"),
    (BENEFIT, SUSTAINABLE, "车辆管理长效机制健全性", "健全"),
    (SATISFACTION, SERVED, "工作人员满意度", "≥95%"),
    # ---- the same excerpt: 党建经费
    (OUTPUT, QUANTITY, "活动组织完成数", "≥3次"),
    (OUTPUT, QUANTITY, "党建活动参与率", "=100%"),
    (OUTPUT, QUANTITY, "图书购置工作完成率", "=100%"),
    (OUTPUT, QUANTITY, "党建培训工作完成数", "≥3次"),
    (OUTPUT, QUALITY, "党建活动覆盖率", "=100%"),
    (OUTPUT, QUALITY, "图书购置正版率", "=100%"),
    (OUTPUT, QUALITY, "活动组织事故发生数", "=0起"),  # the source writes "=0" (rule I05)
    (OUTPUT, TIMELINESS, "党建活动组织完成及时率", "=100%"),
    (OUTPUT, TIMELINESS, "图书购置完成及时率", "=100% (11月前)"),
    # the source repeats the name as its target (rule I03): no target taken
    (OUTPUT, TIMELINESS, "党建培训工作完成及时率", ""),
    (BENEFIT, SOCIAL, "提升党员责任意识", "提升"),
    (BENEFIT, SOCIAL, "发挥党员模范带头作用", "发挥"),
    (BENEFIT, SOCIAL, "丰富党员业余文化生活", "丰富"),
    (BENEFIT, SUSTAINABLE, "党建管理长效管理机制健全性", "健全"),
    (SATISFACTION, SERVED, "党员职工满意度", "≥90%"),
    # ---- the same excerpt: 法律顾问费
    (OUTPUT, QUANTITY, "法律服务工作完成率", "=100%"),
    (OUTPUT, QUALITY, "法律顾问专业度", ""),  # the source's "高" is no checkable word (I09)
    (OUTPUT, QUALITY, "涉案结案率", "≥85%"),
    (OUTPUT, TIMELINESS, "法律咨询回复及时率", "=100% (72小时内)"),
    (BENEFIT, SOCIAL, "提升依法履职效能", "提升"),
    (BENEFIT, SOCIAL, "促进单位法制化工作进程", "促进"),
    (BENEFIT, SUSTAINABLE, "法律服务长效管理机制健全性", "健全"),
    (SATISFACTION, SERVED, "工作人员满意度", "＞90%"),
    (SATISFACTION, SERVED, "预算单位对法律服务满意度", "≥90%"),
    # ---- the same excerpt: 后勤保障经费
    (OUTPUT, QUANTITY, "餐饮服务完成率", "=100%"),
    (OUTPUT, QUANTITY, "设施设备巡检次数", "=12次"),
    (OUTPUT, QUANTITY, "设施设备清洗数", "=2次"),
    (OUTPUT, QUANTITY, "美食街举办数", "=1场"),
    (OUTPUT, QUANTITY, "后勤服务工作完成率", "=100%"),
    (OUTPUT, QUANTITY, "刷脸设备安装数", "=3套"),
    (OUTPUT, QUANTITY, "零星维修工作完成率", "=100%"),
    (OUTPUT, QUANTITY, "车辆购置数", "=2台"),
    (OUTPUT, QUALITY, "第三方服务验收合格率", "=100%"),
    (OUTPUT, QUALITY, "设施设备完好率", "≥95%"),
    (OUTPUT, QUALITY, "车辆购置手续合规率", "=100%"),
    (OUTPUT, QUALITY, "食品安全事故发生数", "=0起"),
    (OUTPUT, TIMELINESS, "设施设备巡检完成及时率", "=100% (每月1次)"),
    (OUTPUT, TIMELINESS, "设施设备清洗完成及时率", "=100% (每年2次)"),
    (OUTPUT, TIMELINESS, "美食街举办完成及时率", "=100% (6月底前)"),
    (OUTPUT, TIMELINESS, "应急检修响应及时率", "=100% (2小时内)"),
    (OUTPUT, TIMELINESS, "第三方服务验收及时率", "=100% (12月底前)"),
    (OUTPUT, COST, "后勤保障成本控制有效性", "有效"),
    (BENEFIT, SOCIAL, "有效投诉处置率", "=100%"),
    (BENEFIT, SOCIAL, "确保后勤运维安全", "安全"),
    (BENEFIT, SOCIAL, "提升后勤保障服务质量", "提升"),
    (BENEFIT, SOCIAL, "后勤保障考核得分率", "≥90%"),
    (BENEFIT, SOCIAL, "提升办公场所办公舒适度", "提升"),
    (BENEFIT, SUSTAINABLE, "后勤保障长效运维机制健全性", "健全"),
    (SATISFACTION, SERVED, "工作人员满意度", "≥90%"),
    # ---- the same excerpt: 区机关单位办公用房与公务用车信息管理系统(2021运维)
    (OUTPUT, QUANTITY, "系统软件运维完成数", "=12次"),
    (OUTPUT, QUALITY, "系统软件运维合格率", "=100%"),
    (OUTPUT, TIMELINESS, "系统软件运维完成及时率", "及时 (每月1次)"),
    (OUTPUT, TIMELINESS, "应急运维响应及时率", "=100%"),
    (BENEFIT, SOCIAL, "提升管理服务工作效率", "提升"),
    (BENEFIT, SOCIAL, "系统运行稳定性", "稳定"),
    (BENEFIT, SOCIAL, "系统重大故障发生数", "=0起"),
    (BENEFIT, SUSTAINABLE, "系统运维制度健全性", "健全"),
    (SATISFACTION, SERVED, "系统使用单位满意度", "≥95%"),
    # ---- the same excerpt: 政府采购专家评审费
    (OUTPUT, QUANTITY, "评审会召开数", "≥400场"),  # the source writes "> =400场"
    (OUTPUT, QUANTITY, "评审会专家参与数", "≥2500人次"),
    (OUTPUT, QUALITY, "评审费标准明确性", "明确"),
    (OUTPUT, QUALITY, "评审流程合规率", "=100%"),
    (OUTPUT, QUALITY, "专家资质有效性", "有效"),
    (OUTPUT, TIMELINESS, "评审会召开及时率", "=100%"),
    (BENEFIT, SOCIAL, "提升政府采购效能", "提升"),
    (BENEFIT, SOCIAL, "促进政府采购公平公正", "促进"),
    (BENEFIT, SOCIAL, "有效投诉处置率", "=100%"),
    (BENEFIT, SUSTAINABLE, "专家评审长效管理机制健全性", "健全"),
    (SATISFACTION, SERVED, "采购评审专家满意度", "≥95%"),
    # ---- the same excerpt: 政府雇员项目 (2021)
    (OUTPUT, QUANTITY, "工勤雇员在岗数", "=159人"),
    (OUTPUT, QUANTITY, "雇员薪酬发放完成率", "=100%"),
    (OUTPUT, QUALITY, "雇员薪酬核算准确率", "=100%"),
    (OUTPUT, QUALITY, "雇员数量超编率", "=0%"),
    (OUTPUT, QUALITY, "雇员岗位工作职责适应性", ""),  # the source's "高" is no checkable word
    (OUTPUT, QUALITY, "雇员年度考核合格率", "=100%"),
    (OUTPUT, TIMELINESS, "雇员工作完成及时率", "=100%"),  # the source has it under 质量指标
    (OUTPUT, TIMELINESS, "雇员年度考核完成及时率", "=100%"),
    (OUTPUT, TIMELINESS, "雇员薪酬发放及时率", "=100%"),
    (BENEFIT, SOCIAL, "促进部门工作提质增效", "促进"),  # the source's cell slipped under 时效指标
    (BENEFIT, SOCIAL, "保障雇员切身利益", "保障"),
    (BENEFIT, SUSTAINABLE, "雇员管理长效机制健全性", "健全"),
    (SATISFACTION, SERVED, "主管科室满意度", "≥90%"),
    # ---- the same excerpt: 政府投资计划项目2
    (OUTPUT, QUANTITY, "工程施工计划完成率", "=100%"),
    (OUTPUT, QUANTITY, "完工项目验收完成率", "=100%"),
    (OUTPUT, QUANTITY, "尾款支付完成率", "=100%"),
    (OUTPUT, QUALITY, "项目审批资料完整率", "=100%"),
    (OUTPUT, QUALITY, "项目立项资料完整率", "=100%"),
    (OUTPUT, QUALITY, "项目备案资料完整率", "=100%"),
    (OUTPUT, QUALITY, "政府采购流程合规率", "=100%"),
    (OUTPUT, QUALITY, "项目施工资料完整率", "=100%"),
    (OUTPUT, QUALITY, "项目监理资料完整率", "=100%"),
    (OUTPUT, QUALITY, "项目验收通过率", "=100%"),
    (OUTPUT, TIMELINESS, "项目验收及时率", "=100%"),
    (OUTPUT, TIMELINESS, "施工完成及时率", "=100%"),
    (OUTPUT, TIMELINESS, "尾款支付及时率", "=100% (11月底前)"),
    (OUTPUT, COST, "施工成本控制有效性", "有效"),
    (BENEFIT, SOCIAL, "设施设备完好率", "=100%"),
    (BENEFIT, SOCIAL, "提升一网通办效能", "提升"),
    (BENEFIT, SOCIAL, "促进便民服务更好发展", "促进"),
    (BENEFIT, SUSTAINABLE, "工程施工长效管理机制健全性", "健全"),
    (SATISFACTION, SERVED, "居民满意度", "≥85%"),
    # ---- minhang-2020-declaration.txt (= cases/seed000-001-minhang-2020.json), 政府雇员项目:
    #      the 2020 闵行 three-table form, every target blank in the source
    (OUTPUT, QUANTITY, "工勤雇员到岗数", ""),
    (OUTPUT, QUALITY, "工勤雇员出勤率", ""),
    (OUTPUT, QUALITY, "工勤雇员考核情况", ""),
    (OUTPUT, TIMELINESS, "工勤雇员配置及时性", ""),
    (BENEFIT, SOCIAL, "工作效率提升度", ""),
    (BENEFIT, SOCIAL, "人力资源改善度", ""),
    # its 备注 says 满意度常规标杆: the unit's benchmark, ≥90% in the 2018 report below
    (SATISFACTION, SERVED, "后勤服务工作满意度", "≥90%"),
    (SATISFACTION, SERVED, "工作人员满意度", ""),
    # ---- minhang-project-description.txt (= the second project of seed000-001),
    #      区级机关工勤类雇员后勤服务保障经费 2020
    (OUTPUT, QUANTITY, "工勤雇员到岗数", "=100%"),
    (OUTPUT, QUALITY, "工勤雇员出勤率", "=100%"),
    (OUTPUT, QUALITY, "工勤雇员考核情况", "合格"),
    (OUTPUT, TIMELINESS, "后勤服务保障工作完成情况", "=100%"),
    (SATISFACTION, SERVED, "机关工作人员满意度", "≥90%"),  # the source: under 社会效益目标
    (SATISFACTION, SERVED, "后勤服务保障工作人员满意度", "=100%"),
    # ---- minhang-2018-tracking-evaluation.txt: 政府购买区机关工勤类后勤服务项目 2018,
    #      the year's targets (项目绩效目标及指标完成计划表)
    (OUTPUT, QUANTITY, "工勤雇员到岗数", "=340人"),  # 工勤雇员数量符合岗位需求和设置 340 人
    (OUTPUT, QUALITY, "工勤雇员出勤率", "=100%"),
    (OUTPUT, QUALITY, "工勤雇员日常考核通过率", "=100%"),
    (OUTPUT, QUALITY, "工勤雇员年终考核通过率", "=100%"),
    (SATISFACTION, SERVED, "机关工作人员满意度", "≥90%"),
    # the same report: 区财政局's 项目支出绩效跟踪指标体系框架 (产出 C1, 投入 A, 过程 B);
    # each rate is 实际 / 计划 × 100%, each check judged against the word given
    (OUTPUT, QUANTITY, "实际完成率", "=100%"),
    (OUTPUT, TIMELINESS, "完成及时率", "=100%"),
    (OUTPUT, QUALITY, "质量达标率", "=100%"),
    (MANAGEMENT, DECISION, "项目立项规范性", "规范"),
    (MANAGEMENT, DECISION, "绩效目标明确性", "明确"),
    (MANAGEMENT, INPUT, "预算执行准确率", "=100%"),
    (MANAGEMENT, PROJECT_MGMT, "工作计划完整性", "完善"),
    (MANAGEMENT, PROJECT_MGMT, "项目管理制度健全性", "健全"),
    (MANAGEMENT, PROJECT_MGMT, "项目管理制度执行有效性", "执行有效"),
    (MANAGEMENT, FINANCE, "财务管理制度健全性", "健全"),
    (MANAGEMENT, FINANCE, "财务管理制度执行有效性", "执行有效"),
    (MANAGEMENT, FINANCE, "资金使用合规性", "合规"),  # 无截留、挤占、挪用、虚列支出
    # ---- songjiang-2020-budget-excerpt.txt: 松江区人力资源和社会保障局 2020,
    #      上海市财政支出项目绩效目标 (shanghai-2020): 创业就业
    (OUTPUT, QUANTITY, "求职创业补贴发放率", "=100%"),
    (OUTPUT, QUALITY, "求职创业补贴发放准确率", "=100%"),
    (OUTPUT, TIMELINESS, "求职创业补贴信息发布、沟通及时性", "及时"),
    (OUTPUT, TIMELINESS, "求职创业补贴审核、发放及时性", "及时"),
    (SATISFACTION, SERVED, "扶持对象满意度", "≥90%"),  # the source: under 社会效益目标
    (BENEFIT, SUSTAINABLE, "长效管理制度健全性", "健全"),
    (BENEFIT, SUSTAINABLE, "长效管理执行有效性", "执行有效"),
    # ---- the same excerpt: 辅助职能 (中央就业补助专项资金的第三方审计)
    (OUTPUT, QUALITY, "培训补贴完成率", "=100%"),  # 各类人员培训补贴的完成率
    (OUTPUT, QUALITY, "审计问题整改率", "≥95%"),  # 对上年度审计问题的整改率
    (BENEFIT, SOCIAL, "拨付准确率", "=100%"),
    (BENEFIT, SOCIAL, "违规投诉数", "≤3个"),  # 违规投诉 不多于3个
    (BENEFIT, SOCIAL, "审计发现问题数", "≤4个"),  # 审计发现问题 不多于4个
    (SATISFACTION, SERVED, "补贴对象满意度", "≥90%"),
    (BENEFIT, SOCIAL, "政策知晓率", "=100%"),  # 培训机构对…相关政策的知晓率
)
