import pandas as pd
import streamlit as st

from govreport_core.dashboard import api_links, page, sidebar, url_state, widgets
from govreport_core.service.export import headers
from govreport_core.store import queries

page.inside_app()  # a shared link as a fresh server's first request: run through app.py

st.title(page.t("数据质量"))
filters = sidebar.filters()
lang = page.language()
# A finding: which report, the check in words (the rule's sentence in the page's language), the metrics concerned,
# then the extractor's own message (Chinese data, kept as written).
FINDING_COLUMNS = ["report_id", "agency", "year", "severity", "rule", "keys", "message"]
api_links.view_links(filters, lang, "findings")
st.subheader(page.t("检查结果"))
total = page.query(queries.finding_count, filters)
if not total:
    st.success(page.t("所选范围内的报告没有检查问题。"))
else:
    columns = dict(zip(FINDING_COLUMNS, headers(pd.DataFrame(columns=FINDING_COLUMNS), lang).columns, strict=True))
    sort = url_state.sort(columns, "findings_sort")  # in SQL: the preview is the first of the whole list so sorted
    findings = page.query(queries.findings, filters, limit=page.PREVIEW_REPORTS, sort=sort)
    if total > len(findings):
        st.caption(page.t("共 {total} 条检查结果，下表列出前 {shown} 条；下方的数据链接给出全部。").format(
            total=f"{total:,}", shown=f"{len(findings):,}"))
    widgets.table(findings[FINDING_COLUMNS])
st.subheader(page.t("跨年度核对（K5）"))
st.caption(page.t("同一机关相邻两年：本年“上年结转申请数”应等于上一年报告的“结转下年度继续办理”（2019/2021版）。每次保存或更正报告时核对。"))
carried = page.query(queries.findings, filters, rules=("K5",))
if carried.empty:
    st.success(page.t("所选范围内没有不相符的相邻年度。"))
else:
    widgets.table(carried[FINDING_COLUMNS])
api_links.chart_links("findings", filters, lang, _rule=("K5",))
st.subheader(page.t("年份或地区不明的报告"))
st.caption(page.t("含没有读出任何数值和报告信息的文件（如空白模板）：它们只作为来源文件保留，不计为报告。"))
unknown = page.query(queries.unknown)
statuses = {"report": page.t("报告"), "no data": page.t("无数据，不计为报告")}
widgets.table(unknown.assign(status=unknown["status"].map(lambda s: statuses.get(s, s))))
api_links.chart_links("unknown", None, lang)
st.subheader(page.t("同一报告的多份文件"))
duplicates = page.query(queries.duplicates)
if duplicates.empty:
    st.caption(page.t("库中没有同一报告的多份文件。"))
else:
    widgets.table(duplicates)
api_links.chart_links("duplicates", None, lang)
st.subheader(page.t("指标覆盖"))
widgets.table(page.query(queries.metric_coverage, filters),
         column_config={page.t("覆盖比例"): st.column_config.NumberColumn(format="percent")})
api_links.chart_links("metric_coverage", filters, lang)
