import streamlit as st

from govreport_core import charts, ui

st.title("复议诉讼")
filters = ui.sidebar_filters()
by = ui.area_level(filters)
for metric in ("review_total", "litigation_total"):
    frame = ui.query("series", filters, metric, by)
    ui.show_chart(charts.series_chart(frame, metric))
    ui.count_caption(frame)

st.subheader("审理结果")
outcomes = ui.query("review_outcomes", filters)
ui.show_chart(charts.review_outcomes_chart(outcomes), "所选范围内没有2019/2021版报告的表四数据。")
ui.yearly_count_caption(outcomes, "审理结果只计2019/2021版报告的表四；旧版报告多只给总数。")

st.subheader("直接起诉与复议后起诉")
suits = ui.query("yearly_sums", filters, ("litigation_direct_total", "litigation_after_review_total"))
ui.show_chart(charts.stacked_chart(suits, "行政诉讼：未经复议直接起诉与复议后起诉"), "所选范围内没有2019/2021版报告的表四数据。")
ui.yearly_count_caption(suits)

st.subheader("纠错率")
rates = ui.query("rates", filters)
keys = ("review_correction_rate", "litigation_correction_rate")
ui.show_chart(charts.rates_chart(rates, keys))
ui.rates_caption(rates, keys)
st.caption("纠错率 = 纠正数 ÷（总数 − 尚未审结），分母为0时不计算。")

st.subheader("地区比较")
comparison, year = ui.latest_year_comparison(filters, ("review_total", "litigation_total"), by)
ui.show_chart(charts.comparison_chart(comparison, {"review_total": "行政复议", "litigation_total": "行政诉讼"},
                                      f"{year}年各地区行政复议、行政诉讼总数" if year else ""))
ui.count_caption(comparison[comparison["metric"] == "review_total"] if not comparison.empty else comparison)
st.subheader("复议案件数排名")
ui.table(ui.query("ranking", filters, "review_total"))
