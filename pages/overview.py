import streamlit as st

from govreport_core import catalog
from govreport_core.dashboard import api_links, charts, page, sidebar, widgets
from govreport_core.store import queries

page.inside_app()  # a shared link as a fresh server's first request: run through app.py

st.title(page.t("总览"))
filters = sidebar.filters()
lang = page.language()
api_links.view_links(filters, lang)
counts = page.query(queries.counts, filters)
if not counts["reports"]:
    st.info(page.t("所选范围内没有报告。可在“上传报告”页加入报告，或放宽左侧筛选。"))
    st.stop()
left, middle, right = st.columns(3)
left.metric(page.t("报告数"), counts["reports"])
middle.metric(page.t("地区数"), counts["regions"])
right.metric(page.t("年度数"), counts["years"])
rates = page.query(queries.rates, filters)
if not rates.empty:
    year = int(rates["year"].max())
    latest = rates[rates["year"] == year].set_index("rate")
    cols = st.columns(3)
    for col, key in zip(cols, ("granted_rate", "disclosed_rate", "review_correction_rate"), strict=True):
        row = latest.loc[key]
        value = row["value"]
        col.metric(page.t("{label}（{year}年）").format(label=page.t(catalog.RATES[key].label_zh), year=year),
                   "—" if value != value else f"{value:.1%}",
                   help=page.t("{numerator} ÷ {denominator}，汇总 {reports} 份报告").format(
                       numerator=int(row["numerator"]), denominator=int(row["denominator"]), reports=int(row["reports"])))
    api_links.chart_links("rates", filters, lang)
by = widgets.area_level(filters)
coverage = page.query(queries.coverage, filters, by=by)
widgets.show_chart(charts.coverage_chart(coverage, lang=lang))
charted = int(coverage.to_numpy().sum()) if not coverage.empty else 0
if charted:
    # The headline counts every selected report; the chart only those of a known year: the caption says so.
    apart = counts["reports"] - charted
    widgets.say_count(charted, page.t("另有 {n} 份年份不明的报告计入报告数，但不在图中。").format(n=apart) if apart else "",
                 page.t("选择省份可下钻到地市，选择地市可下钻到县区。"))
api_links.chart_links("coverage", filters, lang, _by=by)
st.subheader(page.t("最近加入"))
widgets.table(page.query(queries.recent, filters, limit=10))
api_links.chart_links("latest", filters, lang, _size=10)
