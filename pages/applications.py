import streamlit as st

from govreport_core import catalog
from govreport_core.dashboard import api_links, charts, page, sidebar, widgets
from govreport_core.store import queries

page.inside_app()  # a shared link as a fresh server's first request: run through app.py

st.title(page.t("依申请公开"))
filters = sidebar.filters()
lang = page.language()
api_links.view_links(filters, lang)
widgets.series_charts(filters, catalog.PAGE_SERIES["applications"])

st.subheader(page.t("办理结果"))
outcomes = page.query(queries.outcomes, filters)
scales = {"件数": page.t("件数"), "占比": page.t("占比")}
as_share = st.radio(page.t("显示"), list(scales), format_func=scales.get, horizontal=True, key="outcome_scale") == "占比"
widgets.show_chart(charts.outcomes_chart(outcomes, as_share, lang), page.t("所选范围内没有2019/2021版报告。"))
widgets.yearly_count_caption(outcomes, page.t("办理结果只计2019/2021版报告：旧版“申请答复数”各类别可重复计数，不能相加。"))
api_links.chart_links("outcomes", filters, lang)
rates = page.query(queries.rates, filters)
keys = ("granted_rate", "disclosed_rate", "denied_rate")
widgets.show_chart(charts.rates_chart(rates, keys, lang), page.t("所选范围内没有可计算比率的2019/2021版报告。"))
widgets.rates_caption(rates, keys)
api_links.chart_links("rates", filters, lang)

st.subheader(page.t("申请人"))
breakdown = page.query(queries.breakdown, filters)
widgets.show_chart(charts.breakdown_chart(breakdown, lang), page.t("所选范围内的报告没有按申请人分列的数据。"))
if not breakdown.empty:
    widgets.say_count(int(breakdown["reports"].max()))
api_links.chart_links("breakdown", filters, lang)

st.subheader(page.t("申请的来龙去脉"))
flow = page.query(queries.totals, filters, keys=charts.FLOW_KEYS)
widgets.show_chart(charts.flow_chart(flow["values"], lang, reports=flow["reports"]), page.t("所选范围内没有2019/2021版报告。"))
if flow["reports"]:
    gap = charts.flow_gap(flow["values"])
    warning = "" if abs(gap) < 0.5 else page.t(
        "注意：流入比流出多 {n:g} 件，来自自身不平衡或缺项的报告（见“数据质量”页）。" if gap > 0 else
        "注意：流入比流出少 {n:g} 件，来自自身不平衡或缺项的报告（见“数据质量”页）。").format(n=abs(gap))
    widgets.say_count(flow["reports"], page.t("只计2019/2021版报告。"), warning)
api_links.chart_links("flow", filters, lang)
