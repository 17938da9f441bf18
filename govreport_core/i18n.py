"""English for the dashboard: one dict from each Chinese UI text to its English, and `t()` to look one up.

Chinese is the default and the source: pages, charts and the sidebar write their texts in Chinese and pass
them through `t`. A text with values in it is a template (`"本图汇总 {n} 份报告的数据。"`), translated first and
filled in after with str.format, so the English can put the values where English wants them. Metric labels
are not repeated here: the catalog holds each metric's label_en. Data (area, agency and file names, report
titles, evidence, findings written by the extractor) is never translated. A test in tests/test_app.py finds
every Chinese string of the UI code and fails on one missing here. No Streamlit here.
"""

from __future__ import annotations

from . import catalog

EN: dict[str, str] = {
    # Navigation and page titles
    "政府信息公开年报数据": "Government information disclosure reports",
    "总览": "Overview",
    "主动公开": "Proactive disclosure",
    "依申请公开": "Disclosure on request",
    "复议诉讼": "Review and litigation",
    "报告详情": "Report detail",
    "上传报告": "Upload reports",
    "数据导出": "Data export",
    "数据质量": "Data quality",
    # Sidebar and the selection it describes (filters.py)
    "筛选": "Filters",
    "省份": "Province",
    "地市": "City",
    "县区": "County",
    "全部": "All",
    "数据年度": "Data year",
    "含年份不明的报告": "Include reports of unknown year",
    "含部门报告（默认只看人民政府）": "Include department reports (default: people's governments only)",
    "机关层级": "Agency level",
    "全部层级": "All levels",
    "报告版式": "Report format",
    "全部版式": "All formats",
    "全部地区": "All areas",
    "含地区汇总报告（如全市汇总）": "Include area-wide aggregate reports (e.g. a city-wide summary)",
    "汇总报告把下属机关的数字加在一起，与各机关本身的报告相加会重复计数。":
        "An aggregate report sums the figures of the bodies below it: adding it to their own reports counts twice.",
    "含地区汇总报告": "aggregate reports included",
    "{start}—{end}年": "{start}–{end}",
    "最早": "earliest",
    "最新": "latest",
    "机关本身": "the agency itself",
    "地区汇总": "area totals",
    "机关含“{agency}”": "agency contains “{agency}”",
    "仅人民政府报告": "people's governments only",
    "含部门报告": "including department reports",
    "参数 {name}={value!r} 不是年份，已忽略。": "Parameter {name}={value!r} is not a year; ignored.",
    "参数 {name}={value} 超出 {first}—{last}，已忽略。": "Parameter {name}={value} is outside {first}–{last}; ignored.",
    "参数 {name} 中的 {bad} 无效，已忽略。": "Parameter {name}: {bad} is not valid; ignored.",
    "起始年份晚于结束年份，已对调。": "The first year was after the last; swapped.",
    "参数 scope={scope!r} 无效，已忽略。": "Parameter scope={scope!r} is not valid; ignored.",
    # Levels (catalog.LEVEL_LABELS), formats (filters.ERA_LABELS), applicants (catalog.APPLICANT_LABELS)
    "省级政府": "Provincial government",
    "省级部门": "Provincial department",
    "地级政府": "Prefecture government",
    "地级部门": "Prefecture department",
    "县级政府": "County government",
    "县级部门": "County department",
    "乡镇(街道)": "Township (subdistrict)",
    "乡镇(街道)部门": "Township (subdistrict) department",
    "2019年前（旧版）": "Before 2019 (old format)",
    "2019版": "2019 format",
    "2021版": "2021 format",
    "自然人": "Natural persons",
    "商业企业": "Businesses",
    "科研机构": "Research institutions",
    "社会公益组织": "Non-profit organisations",
    "法律服务机构": "Legal service providers",
    "其他": "Other",
    "总计": "Total",
    # Rates (catalog.RATES label_zh)
    "予以公开率": "Granted rate",
    "公开率（含部分公开）": "Disclosure rate (incl. partial)",
    "不予公开率": "Denied rate",
    "复议纠错率": "Review correction rate",
    "诉讼纠错率": "Litigation correction rate",
    # Texts shared by several pages (ui.py)
    "所选范围内没有报告。": "No reports in this selection.",
    "本图汇总 {n} 份报告的数据。": "This chart sums {n} reports.",
    "比率为所选报告合计之比（2019/2021版）。": "Rates are ratios of the selection's sums (2019/2021 formats).",
    "（机关不明）": "(agency unknown)",
    "年份不明": "year unknown",
    # Charts
    "年度": "Year",
    "地区": "Area",
    "件数": "Count",
    "指标": "Metric",
    "比率": "Rate",
    "分子": "Numerator",
    "分母": "Denominator",
    "报告数": "Reports",
    "报告机关": "Reporting agencies",
    "其他{n}个地区": "{n} other areas",
    "（多个机关）": "(several agencies)",
    "{label}（按年度）": "{label} by year",
    "依申请公开办理结果（2019/2021版报告）": "Outcomes of requests (2019/2021 formats)",
    "依申请公开办理结果占比（2019/2021版报告）": "Outcomes of requests as shares (2019/2021 formats)",
    "占当年办理结果的比例": "Share of the year's outcomes",
    "比率（所选报告合计之比）": "Rates (ratios of the selection's sums)",
    "行政复议": "Administrative review",
    "行政诉讼": "Administrative litigation",
    "行政诉讼·未经复议直接起诉": "Suits filed directly",
    "行政诉讼·复议后起诉": "Suits after review",
    "结果维持": "Upheld",
    "结果纠正": "Corrected",
    "其他结果": "Other outcome",
    "尚未审结": "Pending",
    "审理结果": "Outcomes",
    "行政复议、行政诉讼审理结果（2019/2021版表四）": "Outcomes of reviews and suits (2019/2021 table 4)",
    "报告覆盖（地区 × 年度）": "Reports per area and year",
    "%{y} %{x}年: %{z} 份报告": "%{y} %{x}: %{z} reports",
    "新收申请数": "New applications",
    "新收申请的申请人构成": "New applications by applicant",
    "申请人类型": "Applicant type",
    "办理": "Handled",
    "申请的来龙去脉（新收+结转 = 办理结果+结转下年）": "Where requests go (new + carried over = outcomes + carried to next year)",
    "表二 主动公开政府信息情况": "Table 2: proactive disclosure",
    "表四 行政复议、行政诉讼情况": "Table 4: administrative review and litigation",
    "规章": "Regulations",
    "规范性文件": "Normative documents",
    "行政许可": "Administrative licensing",
    "其他对外管理服务事项": "Other public services",
    "行政处罚": "Administrative penalties",
    "行政强制": "Administrative coercion",
    "行政事业性收费": "Administrative fees",
    "政府集中采购": "Central government procurement",
    "本年新制作/制发": "Made this year",
    "本年新公开": "Published this year",
    "对外公开总数": "Published (total)",
    "本年废止": "Repealed this year",
    "现行有效": "In force",
    "上一年项目数": "Items last year",
    "本年增/减": "Change this year",
    "处理决定数": "Decisions",
    "采购项目数": "Procurement projects",
    "金额(万元)": "Amount (10k yuan)",
    # Overview
    "所选范围内没有报告。可在“上传报告”页加入报告，或放宽左侧筛选。":
        "No reports in this selection. Add reports on the Upload reports page, or widen the filters on the left.",
    "地区数": "Areas",
    "年度数": "Years",
    "{label}（{year}年）": "{label} ({year})",
    "{numerator} ÷ {denominator}，汇总 {reports} 份报告": "{numerator} ÷ {denominator}, summed over {reports} reports",
    "选择省份可下钻到地市，选择地市可下钻到县区。": "Choose a province to see its cities, a city to see its counties.",
    "最近加入": "Recently added",
    # Proactive disclosure
    "2019年前的“主动公开政府信息数”与2019/2021版表二的规章、规范性文件件数口径不同（FORMATS §4 评为不可比），"
    "因此分开作图，绝不画在同一坐标轴上。":
        "Before 2019 reports counted “items proactively disclosed”; the 2019/2021 table 2 counts regulations and "
        "normative documents, a different measure (FORMATS §4: not comparable). They are charted separately, never "
        "on one axis.",
    # Disclosure on request
    "办理结果": "Outcomes",
    "显示": "Show",
    "占比": "Share",
    "所选范围内没有2019/2021版报告。": "No 2019/2021-format reports in this selection.",
    "办理结果只计2019/2021版报告：旧版“申请答复数”各类别可重复计数，不能相加。":
        "Outcomes count 2019/2021-format reports only: the old format's reply categories may overlap and do not add up.",
    "所选范围内没有可计算比率的2019/2021版报告。": "No 2019/2021-format reports in this selection to compute rates from.",
    "申请人": "Applicants",
    "所选范围内的报告没有按申请人分列的数据。": "The reports in this selection give no figures per applicant.",
    "申请的来龙去脉": "Where requests go",
    "只计2019/2021版报告。": "2019/2021-format reports only.",
    "注意：流入比流出多 {n:g} 件，来自自身不平衡或缺项的报告（见“数据质量”页）。":
        "Note: {n:g} more in than out, from reports that do not balance or lack items (see the Data quality page).",
    "注意：流入比流出少 {n:g} 件，来自自身不平衡或缺项的报告（见“数据质量”页）。":
        "Note: {n:g} fewer in than out, from reports that do not balance or lack items (see the Data quality page).",
    # Review and litigation
    "所选范围内没有2019/2021版报告的表四数据。": "No table 4 figures of 2019/2021-format reports in this selection.",
    "审理结果只计2019/2021版报告的表四；旧版报告多只给总数。":
        "Outcomes count table 4 of 2019/2021-format reports only; old-format reports mostly give totals only.",
    "直接起诉与复议后起诉": "Suits filed directly and after review",
    "行政诉讼：未经复议直接起诉与复议后起诉": "Administrative suits: filed directly and after review",
    "纠错率": "Correction rates",
    "纠错率 = 纠正数 ÷（总数 − 尚未审结），分母为0时不计算。":
        "Correction rate = corrected ÷ (total − pending); not computed when the denominator is 0.",
    "地区比较": "Areas compared",
    "{year}年各地区行政复议、行政诉讼总数": "Administrative reviews and suits per area, {year}",
    "复议案件数排名": "Ranking by review cases",
    # Report detail
    "报告": "Report",
    "所选范围内有 {total} 份报告，下拉列表只列出前 {shown} 份；请用左侧筛选缩小范围。":
        "The selection holds {total} reports; the list shows the first {shown}. Narrow it with the filters on the left.",
    "（无标题）": "(no title)",
    "指标与原文依据": "Figures and their evidence",
    "键": "Key",
    "数值": "Value",
    "推算": "Derived",
    "已更正": "Corrected",
    "原文依据": "Evidence",
    "页码": "Page",
    "OCR识别": "Read by OCR",
    "表三 按申请人": "Table 3 by applicant",
    "检查结果": "Checks",
    "没有发现问题。": "No problems found.",
    "更正数值": "Correct a figure",
    "新数值": "New value",
    "理由": "Reason",
    "更正人": "Corrected by",
    "保存更正": "Save correction",
    "已保存更正。": "Correction saved.",
    "更正记录": "Corrections",
    # Upload
    "支持 HTML、TXT、MD、PDF、DOCX；先预览提取结果，确认后才写入数据库。":
        "HTML, TXT, MD, PDF and DOCX. You see what was extracted first; nothing is saved until you confirm.",
    "选择报告文件": "Choose report files",
    "正在提取…": "Extracting…",
    "无法读取：{error}": "Cannot read: {error}",
    "{agency} · {year} · 版式 {era} · {n} 项指标": "{agency} · {year} · format {era} · {n} metrics",
    "报告未写明年度，请填写（可留空）": "The report does not say its year; enter it (optional)",
    "发布机关": "Agency",
    "未识别{label}，可填写（可留空）": "{label} not recognised; enter it (optional)",
    "[{severity}] {rule}：{message}": "[{severity}] {rule}: {message}",
    "确认保存": "Confirm and save",
    "{status}（报告编号 {id}）{message}": "{status} (report {id}) {message}",
    "已保存": "Saved",
    "已更新": "Updated",
    "已在库中": "Already in the database",
    "同一报告的另一份文件，已保存但暂不启用": "Another file of the same report; saved but not active",
    "保存失败": "Save failed",
    # Export
    "表格形式": "Table shape",
    "每份报告一行": "One row per report",
    "每项指标一行": "One row per metric",
    "表头": "Headers",
    "中文": "Chinese",
    "英文": "English",
    "英文键名": "Keys",
    "{selection}：{total} 份报告，{rest}": "{selection}: {total} reports; {rest}",
    "下表预览前 {shown} 份（{rows} 行）；下载包含全部。": "the preview shows the first {shown} ({rows} rows); downloads hold all.",
    "{rows} 行。": "{rows} rows.",
    "下载 {fmt}": "Download {fmt}",
    # Data quality
    "所选范围内的报告没有检查问题。": "The reports in this selection pass every check.",
    "年份或地区不明的报告": "Reports of unknown year or area",
    "同一报告的多份文件": "Several files of one report",
    "指标覆盖": "Metric coverage",
    # Column headers of tables and exports (export.COLUMN_LABELS)
    "报告编号": "Report ID",
    "标题": "Title",
    "县区/地区": "County/area",
    "发布日期": "Published",
    "区划代码": "Division code",
    "统计范围": "Scope",
    "指标键": "Metric key",
    "单位": "Unit",
    "推算值": "Derived value",
    "原提取值": "Extracted value",
    "表格行": "Table row",
    "表格列": "Table column",
    "文件名": "File name",
    "文件格式": "File format",
    "入库时间": "Ingested at",
    "规则": "Rule",
    "级别": "Severity",
    "说明": "Message",
    "涉及指标": "Metrics involved",
    "比率键": "Rate key",
    "覆盖比例": "Share of reports",
    "更正编号": "Correction ID",
    "原值": "Old value",
    "新值": "New value",
    "更正时间": "Corrected at",
    "报告组": "Report group",
    "启用": "Active",
    "重复于": "Duplicate of",
}


def t(text: str, lang: str) -> str:
    """`text` in `lang`: its English when lang is "en" and the dict has it, else the Chinese as given."""
    return EN.get(text, text) if lang == "en" else text


def label(key: str, lang: str = "zh") -> str:
    """A metric's label (or of a `key@applicant` breakdown key) in `lang`, from the catalog's label_zh/label_en."""
    if lang != "en":
        return catalog.label(key)
    base, _, applicant = key.partition("@")
    text = catalog.METRICS[base].label_en
    return f"{text} ({t(catalog.APPLICANT_LABELS[applicant], lang)})" if applicant else text
