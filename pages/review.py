import streamlit as st

from govreport_core.dashboard import charts
from govreport_core.dashboard import page as ui
from govreport_core.store import queries

ui.inside_app()  # a shared link as a fresh server's first request: run through app.py

st.title(ui.t("复议诉讼"))
filters = ui.sidebar_filters()
lang = ui.language()
by = ui.area_level(filters)
ui.series_charts(filters, ("review_total", "litigation_total"))

no_table4 = ui.t("所选范围内没有2019/2021版报告的表四数据。")
st.subheader(ui.t("审理结果"))
outcomes = ui.query(queries.review_outcomes, filters)
ui.show_chart(charts.review_outcomes_chart(outcomes, lang), no_table4)
ui.yearly_count_caption(outcomes, ui.t("审理结果只计2019/2021版报告的表四；旧版报告多只给总数。"))

st.subheader(ui.t("直接起诉与复议后起诉"))
suits = ui.query(queries.yearly_sums, filters, keys=("litigation_direct_total", "litigation_after_review_total"))
ui.show_chart(charts.stacked_chart(suits, "行政诉讼：未经复议直接起诉与复议后起诉", lang), no_table4)
ui.yearly_count_caption(suits)

st.subheader(ui.t("纠错率"))
rates = ui.query(queries.rates, filters)
keys = ("review_correction_rate", "litigation_correction_rate")
ui.show_chart(charts.rates_chart(rates, keys, lang))
ui.rates_caption(rates, keys)
st.caption(ui.t("纠错率 = 纠正数 ÷（总数 − 尚未审结），分母为0时不计算。"))

st.subheader(ui.t("地区比较"))
comparison, year = ui.latest_year_comparison(filters, ("review_total", "litigation_total"), by)
ui.show_chart(charts.comparison_chart(comparison, {"review_total": "行政复议", "litigation_total": "行政诉讼"},
                                      ui.t("{year}年各地区行政复议、行政诉讼总数").format(year=year) if year else "", lang))
ui.count_caption(comparison[comparison["metric"] == "review_total"] if not comparison.empty else comparison)
st.subheader(ui.t("复议案件数排名"))
ui.table(ui.query(queries.ranking, filters, metric="review_total"))
