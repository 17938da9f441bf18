import streamlit as st

from govreport_core import charts, ui

st.title("复议诉讼")
filters = ui.sidebar_filters()
by = "city" if filters.province and not filters.city else "region" if filters.city else "province"
for metric in ("review_total", "review_corrected", "litigation_total", "litigation_direct_total",
               "litigation_after_review_total"):
    frame = ui.query("series", filters, metric, by)
    ui.show_chart(charts.series_chart(frame, metric))
    ui.count_caption(frame)
ui.show_chart(charts.rates_chart(ui.query("rates", filters), ("review_correction_rate", "litigation_correction_rate")))
st.caption("纠错率 = 纠正数 ÷（总数 − 尚未审结），分母为0时不计算。")
st.subheader("复议案件数排名")
ui.table(ui.query("ranking", filters, "review_total"))
