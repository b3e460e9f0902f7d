"""Chinese wording of metrics, agency levels and charts: display only, beside the code that shows it.

Keys are what `metrics`, `agencies` and `plots` compute; the Chinese here is for people.
"""

from __future__ import annotations

from ..schema import OUTCOME_GROUPS

METRIC_LABELS = {
    "received": "本年新收申请",
    "carried_over": "上年结转申请",
    "processed": "本年办理总计",
    "carried_forward": "结转下年度",
    **{key: label for key, (label, _rows) in OUTCOME_GROUPS.items()},
    "disclosure_rate": "公开率（予以公开+部分公开）",
    "grant_rate": "予以公开率",
    "denial_rate": "不予公开率",
    "not_held_rate": "不掌握信息率",
    "unavailable_rate": "无法提供率",
    "rejection_rate": "不予处理率",
    "other_rate": "其他处理率",
    "backlog_rate": "结转率",
    "review_cases": "行政复议案件",
    "review_pending": "行政复议尚未审结",
    "review_correction_rate": "行政复议纠错率",
    "litigation_cases": "行政诉讼案件",
    "litigation_pending": "行政诉讼尚未审结",
    "litigation_correction_rate": "行政诉讼纠错率",
    "correction_rate": "复议诉讼纠错率",
    "share_natural_person": "自然人申请占比",
    "share_commercial_enterprise": "商业企业申请占比",
    "share_research_institution": "科研机构申请占比",
    "share_social_welfare_org": "社会公益组织申请占比",
    "share_legal_service_org": "法律服务机构申请占比",
    "share_other_org": "其他法人或组织申请占比",
}
LEVEL_LABELS = {
    "province": "省级",
    "city": "市级",
    "county": "县（区）级",
    "township": "乡镇（街道）",
    "department": "部门",
}
MEASURE_LABELS = {  # the harmonised series across 2019 (`analysis.harmonised`)
    "requests": "收到申请（2019年起：本年新收）",
    "processed": "答复（2019年起：办理总计）",
    "granted": "同意公开（2019年起：予以公开）",
    "partially_granted": "同意部分公开（2019年起：部分公开）",
    "denied": "不同意公开（2019年起：不予公开）",
    "not_held": "不属于本机关或信息不存在（2019年起：本机关不掌握）",
    "reviews": "行政复议",
    "reviews_corrected": "行政复议纠错",
    "suits": "行政诉讼",
    "suits_corrected": "行政诉讼纠错",
}
PLOT_LABELS = {
    "synthetic": "（含合成数据）",
    "harmonised": "{measure}（2019年统计口径变化）",
    "legacy_basis": "2019年以前：统计表",
    "national_basis": "2019年起：全国统一表格",
    "definition_break": "口径变化",
    "year": "年度",
    "agency": "机关",
    "share": "占办理总计比例",
    "count": "件数",
    "trend": "{metric}趋势",
    "composition": "办理结果构成",
    "correction": "纠错率比较（纠正 ÷ 已审结）",
    "heatmap": "{metric}：机关 × 年度",
    "reasons": "{group}的理由构成",
}


