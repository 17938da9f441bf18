import streamlit as st

from govreport_core import charts, ui

st.title("总览")
filters = ui.sidebar_filters()
reports = ui.query("reports", filters)
if reports.empty:
    st.info("所选范围内没有报告。可在“上传报告”页加入报告，或放宽左侧筛选。")
    st.stop()
left, middle, right = st.columns(3)
left.metric("报告数", len(reports))
middle.metric("地区数", reports["region"].nunique())
right.metric("年度数", reports["year"].nunique())
rates = ui.query("rates", filters)
if not rates.empty:
    latest = rates[rates["year"] == rates["year"].max()].set_index("rate")
    cols = st.columns(3)
    for col, key in zip(cols, ("granted_rate", "disclosed_rate", "review_correction_rate"), strict=True):
        value = latest.loc[key, "value"] if key in latest.index else float("nan")
        col.metric(f"{latest.loc[key, 'label'] if key in latest.index else key}（{int(rates['year'].max())}年）",
                   "—" if value != value else f"{value:.1%}")
by = "region" if filters.city else ("city" if filters.province else "province")
ui.show_chart(charts.coverage_chart(ui.query("coverage", filters, by)))
st.subheader("最近加入")
ui.table(ui.plain_query("latest", 10))
