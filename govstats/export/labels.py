"""Sheet names, column headers and the 说明 text of the Excel/CSV export: display only.

The glossary row of the check rules is spelled by the rules themselves (govstats.checks.RULES).
"""

from __future__ import annotations

from ..checks import RULES

EXPORT_SHEETS = {
    "readme": "说明", "received": "申请总量", "outcomes": "办理结果", "review": "复议诉讼",
    "active": "主动公开", "checks": "勾稽检查", "corrections": "人工更正", "cells": "明细", "reports": "报告清单",
}
# Headers of the peer columns (agencies.classify); the tidy columns' headers are the output contract's
# (govstats.schema.outputs.HEADERS).
PEER_COLUMNS = {"region": "地区", "level_label": "层级"}
EXPORT_HEADERS = {  # composed headers of the summary sheets; counts in 件, shares as percentages
    "year_count": "{year}年（件）",
    "count": "{label}（件）",
    "share": "{label}占比",
    "reason_count": "{group}：{reason}（件）",
    "reason_share": "{group}：{reason}占{group}比例",
    "review_count": "{row}：{column}（件）",
    "active": "{row}：{column}",
    "yuan": "（元）",
    "sheet_column": "工作表", "item": "项目", "text": "内容",
    "unmapped": "未对应标准表格的单元格",
    "report_source": "原文：{where}　报告编号：{report_id}",
}
EXPORT_README = {
    "overview": "概况",
    "title": "政府信息公开工作年度报告统计数据",
    "about": "由 govstats 从各机关发布的政府信息公开工作年度报告中读取的统计表"
             "（主动公开、依申请公开、行政复议和行政诉讼），"
             "按国办公开办函〔2019〕60号、〔2021〕30号规定的表格整理。",
    "source": "数据来源",
    "source_text": "各机关网站发布的年度报告原文（逐份见“报告清单”：文件路径、网址、SHA-256），数据目录：{directory}",
    "built": "数据构建时间",
    "exported": "导出时间",
    "version": "govstats 版本",
    "filters": "筛选条件",
    "no_filters": "无（全部报告）",
    "filter_agency": "机关包含：{values}",
    "filter_year": "年度：{values}",
    "filter_region": "地区：{values}",
    "reports": "报告数",
    "synthetic": "其中合成（示例）报告数",
    "synthetic_note": "合成报告由 govstats.synthetic 生成，数字为虚构示例，不是真实数据；"
                      "在“报告清单”中“合成数据”列为 TRUE。",
    "unit": "单位说明",
    "unit_text": "件数单位为件；行政事业性收费金额单位为万元，政府集中采购金额单位为元（列名注明）；"
                 "占比、比例、纠错率以百分数显示。",
    "one_report": "汇总口径",
    "one_report_text": "同一机关同一年度有多份报告（如同一报告的不同格式）时，汇总表只取数字最全的一份，"
                       "“报告编号”列注明所取报告；"
                       "“明细”保留全部报告的全部数值。未能识别机关或年度的报告只出现在“明细”“报告清单”中。",
    "nan": "空白单元格",
    "nan_text": "报告未印出或无法读取的数字留空（不当作0）；比例的分母为0或缺数时留空。"
                "印为空白、“—”“/”“无”的单元格读作0，"
                "在“明细”中“标记”列为 blank。",
    "csv": "CSV 文件",
    "csv_text": "CSV 文件为带 BOM 的 UTF-8 编码；以 = + - @ 开头的文字（不含纯数字）前加一个 ' ，防止被当作公式执行。",
}
# (sheet key, column header, meaning): the glossary rows of the 说明 sheet.
EXPORT_GLOSSARY = (
    ("received", "{year}年（件）", "本年新收政府信息公开申请数量（表三第一项“总计”列）"),
    ("outcomes", "本年办理总计（件）", "表三“（七）总计”的“总计”列，即本年度办理结果合计"),
    ("outcomes", "予以公开、部分公开、不予公开、无法提供、不予处理、其他处理（件）",
     "表三各组办理结果的件数（“总计”列，组内各项之和）"),
    ("outcomes", "…占比", "该组件数 ÷ 本年办理总计"),
    ("outcomes", "不予公开/无法提供/不予处理：理由（件）", "该组内各项理由的件数"),
    ("outcomes", "…占该组比例", "该理由件数 ÷ 该组件数"),
    ("review", "行政复议/未经复议直接起诉/复议后起诉：结果（件）", "表四各项件数"),
    ("review", "行政复议纠错率", "行政复议结果纠正 ÷（结果维持+结果纠正+其他结果），不计尚未审结"),
    ("review", "行政诉讼纠错率", "两类行政诉讼结果纠正之和 ÷ 其已审结之和"),
    ("review", "复议诉讼纠错率", "行政复议和行政诉讼合计的结果纠正 ÷ 已审结"),
    ("active", "项目：指标", "表二各项数字；2019年模板与2021年模板的指标不同，不适用的留空"),
    ("checks", "规则", "检查规则（本表只列出未通过的检查）：" + "；".join(f"{r.id} {r.zh}" for r in RULES.values())),
    ("checks", "应为 / 实为", "按规则应得的数与报告印出的数"),
    ("checks", "严重程度", "error 错误，warning 提醒，info 信息"),
    ("corrections", "更正说明", "按 RAW_DIR/corrections.csv 更正的数值：原文为报告印出的文字，数值为更正后的数，"
     "更正说明写明理由、更正人、日期和原读数；检查按更正后的数值进行"),
    ("cells", "报告编号", "原始文件内容的 SHA-256 前16位，对应“报告清单”"),
    ("cells", "表 / 行键 / 列键", "SCHEMA.md 中的英文键：active 主动公开，requests 依申请公开，review 复议诉讼"),
    ("cells", "数值", "报告印出的数字；空白表示未印出或无法读取"),
    ("cells", "标记", "blank：印为空白或“—”“/”“无”，读作0；unreadable：无法读取；missing：缺少该单元格；"
     "inferred：文本中各格数字连在一起（如 230000023），按表内勾稽关系唯一可能的读法推定；"
     "corrected：按 corrections.csv 人工更正（见“人工更正”）"),
    ("cells", "原文 / 数值来源", "单元格印出的文字，以及文件、页、表、行、列位置"),
    ("reports", "状态 / 错误", "ok 已读取；否则为读取失败及原因"),
    ("reports", "SHA-256", "原始文件的 SHA-256，可用于核对文件未被改动"),
)
