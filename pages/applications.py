import streamlit as st

from govreport_core import charts, ui

st.title("依申请公开")
filters = ui.sidebar_filters()
by = "city" if filters.province and not filters.city else "region" if filters.city else "province"
for metric in ("applications_new", "applications_carried_over"):
    frame = ui.query("series", filters, metric, by)
    ui.show_chart(charts.series_chart(frame, metric))
    ui.count_caption(frame)
outcomes = ui.query("outcomes", filters)
ui.show_chart(charts.outcomes_chart(outcomes))
if not outcomes.empty:
    st.caption(f"本图汇总 {int(outcomes.groupby('year')['reports'].max().sum())} 份2019/2021版报告的数据。")
st.caption("办理结果只计2019/2021版报告：旧版“申请答复数”各类别可重复计数，不能相加。")
rates = ui.query("rates", filters)
ui.show_chart(charts.rates_chart(rates, ("granted_rate", "disclosed_rate", "denied_rate")))
ui.show_chart(charts.breakdown_chart(ui.query("breakdown", filters)))
wide = ui.query("wide", filters, ["applications_new", "applications_carried_over", "granted", "partially_granted",
                                  "denied_total", "unable_total", "not_processed_total", "other_handling",
                                  "carried_to_next_year"])
new_format = wide[wide["format_era"].isin(["2019", "2021"])] if not wide.empty else wide
totals = {k: float(new_format[k].sum()) for k in new_format.columns if k in charts.catalog.METRICS} if not new_format.empty else {}
ui.show_chart(charts.flow_chart(totals), "所选范围内没有2019/2021版报告。")
