import streamlit as st

from govreport_core import ui
from govreport_core.store import queries

st.title(ui.t("数据质量"))
filters = ui.sidebar_filters()
st.subheader(ui.t("检查结果"))
findings = ui.query(queries.findings, filters)
if findings.empty:
    st.success(ui.t("所选范围内的报告没有检查问题。"))
else:
    ui.table(findings)
st.subheader(ui.t("年份或地区不明的报告"))
ui.table(ui.query(queries.unknown))
st.subheader(ui.t("同一报告的多份文件"))
ui.table(ui.query(queries.duplicates))
st.subheader(ui.t("指标覆盖"))
ui.table(ui.query(queries.metric_coverage, filters))
