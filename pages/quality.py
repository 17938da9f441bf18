import streamlit as st

from govreport_core import ui

st.title("数据质量")
filters = ui.sidebar_filters()
st.subheader("检查结果")
findings = ui.query("findings", filters)
if findings.empty:
    st.success("所选范围内的报告没有检查问题。")
else:
    st.dataframe(findings, hide_index=True)
st.subheader("年份或地区不明的报告")
st.dataframe(ui.plain_query("unknown"), hide_index=True)
st.subheader("同一报告的多份文件")
st.dataframe(ui.plain_query("duplicates"), hide_index=True)
st.subheader("指标覆盖")
st.dataframe(ui.query("metric_coverage", filters), hide_index=True)
