import streamlit as st

from govreport_core.dashboard import page as ui
from govreport_core.store import queries

ui.inside_app()  # a shared link as a fresh server's first request: run through app.py

st.title(ui.t("数据质量"))
filters = ui.sidebar_filters()
st.subheader(ui.t("检查结果"))
findings = ui.query(queries.findings, filters)
if findings.empty:
    st.success(ui.t("所选范围内的报告没有检查问题。"))
else:
    ui.table(findings)
st.subheader(ui.t("跨年度核对（K5）"))
st.caption(ui.t("同一机关相邻两年：本年“上年结转申请数”应等于上一年报告的“结转下年度继续办理”（2019/2021版）。每次保存或更正报告时核对。"))
carried = ui.query(queries.findings, filters, rules=("K5",))
if carried.empty:
    st.success(ui.t("所选范围内没有不相符的相邻年度。"))
else:
    ui.table(carried)
st.subheader(ui.t("年份或地区不明的报告"))
ui.table(ui.query(queries.unknown))
st.subheader(ui.t("同一报告的多份文件"))
duplicates = ui.query(queries.duplicates)
if duplicates.empty:
    st.caption(ui.t("库中没有同一报告的多份文件。"))
else:
    ui.table(duplicates)
st.subheader(ui.t("指标覆盖"))
ui.table(ui.query(queries.metric_coverage, filters),
         column_config={ui.t("覆盖比例"): st.column_config.NumberColumn(format="percent")})
