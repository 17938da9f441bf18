import streamlit as st

from govreport_core import catalog
from govreport_core.dashboard import api_links, charts, page, sidebar, widgets
from govreport_core.store import queries

page.inside_app()  # a shared link as a fresh server's first request: run through app.py

st.title(page.t("复议诉讼"))
filters = sidebar.filters()
lang = page.language()
api_links.view_links(filters, lang)
by = widgets.area_level(filters)
headline = catalog.PAGE_SERIES["review"]  # 行政复议, 行政诉讼
widgets.series_charts(filters, headline)

no_table4 = page.t("所选范围内没有2019/2021版报告的表四数据。")
st.subheader(page.t("审理结果"))
outcomes = page.query(queries.review_outcomes, filters)
widgets.show_chart(charts.review_outcomes_chart(outcomes, lang), no_table4)
widgets.yearly_count_caption(outcomes, page.t("审理结果只计2019/2021版报告的表四；旧版报告多只给总数。"))
api_links.chart_links("review_outcomes", filters, lang)

st.subheader(page.t("直接起诉与复议后起诉"))
suits = page.query(queries.yearly_sums, filters, keys=catalog.DERIVED_SUMS[headline[1]])  # 直接起诉, 复议后起诉
widgets.show_chart(charts.stacked_chart(suits, "行政诉讼：未经复议直接起诉与复议后起诉", lang), no_table4)
widgets.yearly_count_caption(suits)
api_links.chart_links("sums", filters, lang, _metric=catalog.DERIVED_SUMS[headline[1]])

st.subheader(page.t("纠错率"))
rates = page.query(queries.rates, filters)
keys = ("review_correction_rate", "litigation_correction_rate")
widgets.show_chart(charts.rates_chart(rates, keys, lang))
widgets.rates_caption(rates, keys)
api_links.chart_links("rates", filters, lang)
st.caption(page.t("纠错率 = 纠正数 ÷（总数 − 尚未审结），分母为0时不计算。"))

st.subheader(page.t("地区比较"))
comparison, year = widgets.latest_year_comparison(filters, headline, by)
widgets.show_chart(charts.comparison_chart(comparison, {key: page.label(key) for key in headline},
                                      page.t("{year}年各地区行政复议、行政诉讼总数").format(year=year) if year else "", lang))
widgets.count_caption(comparison[comparison["metric"] == headline[0]] if not comparison.empty else comparison)
api_links.chart_links("series", filters, lang, _metric=headline, _by=by, _year=year)
st.subheader(page.t("复议案件数排名"))
widgets.table(page.query(queries.ranking, filters, metric=headline[0]))
api_links.chart_links("rankings", filters, lang, _metric=headline[0])
