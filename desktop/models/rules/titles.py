"""A short title for each finding code, for the lines that stand for many findings of one code.

The problems panel shows one line per code when a code occurs more than once
(``警告 I04 · 目标值缺少比较符（12 处）``); each finding's own message stays the full
sentence. A code without a title here (a rule added later) is shown by its code alone.
"""

from __future__ import annotations

CODE_TITLES: dict[str, str] = {
    "P01": "项目名称为空",
    "P02": "年度未填写或不在范围内",
    "P03": "项目类别未选择",
    "P04": "起止日期颠倒",
    "P05": "项目期间不在年度内",
    "P06": "联系电话不像电话号码",
    "P07": "项目总目标或年度目标为空",
    "P08": "项目概况或立项情况为空",
    "P09": "目标没有可衡量的内容",
    "P10": "与其他项目重名",
    "P11": "还有模板的【请填写…】提示",
    "P12": "项目类别与项目性质不符",
    "P13": "指标与本单位另一项目雷同",
    "F01": "金额不是有效数字",
    "F02": "财政拨款与各级拨款之和不符",
    "F03": "当年预算与各项资金之和不符",
    "F04": "项目资金总额与各项资金之和不符",
    "F05": "年度资金大于项目资金总额",
    "F06": "一次性项目的总额与年度资金不同",
    "F07": "项目构成分解合计与当年预算不符",
    "F08": "明细金额不等于单价 × 数量",
    "F09": "当年预算未填写",
    "F10": "资金来源都为空",
    "B01": "明细金额未填写",
    "I01": "三级指标为空",
    "I02": "指标目标值为空",
    "I03": "目标值与指标名称相同",
    "I04": "目标值缺少比较符",
    "I05": "目标值缺少计量单位",
    "I06": "比率超出 0–100%",
    "I07": "满意度目标偏低",
    "I08": "含有占位符或模板提示",
    "I09": "定性目标不易核查",
    "I10": "缺少一类必备指标",
    "I11": "产出指标不全",
    "I12": "指标重名",
    "I13": "一级/二级指标不在指标体系中",
    "I14": "目标中的日期不在项目期间内",
    "I15": "目标值写法不规范",
    "I16": "缺少成本指标",
    "I17": "成本指标的目标值应为金额上限",
    "I18": "成本指标应为一级指标",
    "I19": "指标归类与名称不符",
    "I20": "目标值无实际约束",
    "I21": "数值前后矛盾",
    "I22": "目标值只重复名称中的动词",
    "G01": "缺少标准制度或文件名称",
    "G02": "制度未填写具体措施",
    "G03": "制度未勾选保障阶段",
}


def code_title(code: str) -> str:
    """The short title of a code, or "" when it has none."""
    return CODE_TITLES.get(code, "")
