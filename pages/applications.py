import streamlit as st

from govreport_core.dashboard import charts
from govreport_core.dashboard import page as ui
from govreport_core.store import queries

ui.inside_app()  # a shared link as a fresh server's first request: run through app.py

st.title(ui.t("依申请公开"))
filters = ui.sidebar_filters()
lang = ui.language()
ui.series_charts(filters, ("applications_new", "applications_carried_over"))

st.subheader(ui.t("办理结果"))
outcomes = ui.query(queries.outcomes, filters)
scales = {"件数": ui.t("件数"), "占比": ui.t("占比")}
as_share = st.radio(ui.t("显示"), list(scales), format_func=scales.get, horizontal=True, key="outcome_scale") == "占比"
ui.show_chart(charts.outcomes_chart(outcomes, as_share, lang), ui.t("所选范围内没有2019/2021版报告。"))
ui.yearly_count_caption(outcomes, ui.t("办理结果只计2019/2021版报告：旧版“申请答复数”各类别可重复计数，不能相加。"))
rates = ui.query(queries.rates, filters)
keys = ("granted_rate", "disclosed_rate", "denied_rate")
ui.show_chart(charts.rates_chart(rates, keys, lang), ui.t("所选范围内没有可计算比率的2019/2021版报告。"))
ui.rates_caption(rates, keys)

st.subheader(ui.t("申请人"))
breakdown = ui.query(queries.breakdown, filters)
ui.show_chart(charts.breakdown_chart(breakdown, lang), ui.t("所选范围内的报告没有按申请人分列的数据。"))
if not breakdown.empty:
    ui.say_count(int(breakdown["reports"].max()))

st.subheader(ui.t("申请的来龙去脉"))
flow = ui.query(queries.totals, filters, keys=charts.FLOW_KEYS)
ui.show_chart(charts.flow_chart(flow["values"], lang, reports=flow["reports"]), ui.t("所选范围内没有2019/2021版报告。"))
if flow["reports"]:
    gap = charts.flow_gap(flow["values"])
    warning = "" if abs(gap) < 0.5 else ui.t(
        "注意：流入比流出多 {n:g} 件，来自自身不平衡或缺项的报告（见“数据质量”页）。" if gap > 0 else
        "注意：流入比流出少 {n:g} 件，来自自身不平衡或缺项的报告（见“数据质量”页）。").format(n=abs(gap))
    ui.say_count(flow["reports"], ui.t("只计2019/2021版报告。"), warning)
