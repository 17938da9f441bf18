import streamlit as st

from govreport_core import catalog
from govreport_core.dashboard import api_links, page, report_view, sidebar, url_state, widgets
from govreport_core.store import queries

page.inside_app()  # a shared link as a fresh server's first request: run through app.py

st.title(page.t("报告详情"))
filters = sidebar.filters()
lang = page.language()
wanted = st.query_params.get("report")
number = int(wanted) if wanted and wanted.isdigit() and int(wanted) < 2 ** 63 else None  # a report id is a BIGINT
linked = page.query(queries.report_detail, report_id=number) if number is not None else {}
if wanted and not linked:  # a link to a report that is not there opens nothing else
    st.error(page.t("没有编号为“{id}”的报告。").format(id=page.plain(wanted[:40])))
    if st.button(page.t("选择其他报告"), key="report_clear"):
        del st.query_params["report"]
        st.rerun()
    st.stop()
search = url_state.search("report_search", page.t("机关、标题或地区，如：洪泽 2024"))
total = page.query(queries.counts, filters, search=search)["reports"]
reports = page.query(queries.reports, filters, limit=page.PREVIEW_REPORTS, search=search)
if reports.empty and (search.strip() or not linked):  # a search that finds nothing shows no report, not the link's
    st.info(page.t("所选范围内没有与“{search}”相符的报告。").format(search=page.plain(search.strip())) if search.strip()
            else page.t("所选范围内没有报告。"))
    st.stop()
labels = {int(r.report_id): widgets.report_label(r._asdict()) for r in reports.itertuples()}
if search.strip() and linked and int(wanted) not in labels and labels:  # a search chooses among what it finds
    linked = {}
if linked and int(wanted) not in labels:  # a shared link opens its report whatever the filters
    labels = {int(wanted): widgets.report_label(linked["meta"]), **labels}
if total > len(reports):
    st.caption(page.t("所选范围内有 {total} 份报告，下拉列表只列出前 {shown} 份；请用搜索或左侧筛选缩小范围。").format(
        total=total, shown=len(reports)))
ids = list(labels)
index = ids.index(int(wanted)) if linked and int(wanted) in ids else 0
report_id = st.selectbox(page.t("报告"), ids, index=index, format_func=labels.get, key="report_pick")
st.query_params["report"] = str(report_id)
report = page.query(queries.report_detail, report_id=report_id)
meta, figures = report["meta"], report["figures"]
era = meta.get("format_era")
api_links.report_links(report_id, lang)

with st.container(border=True):
    columns = st.columns(3)
    for i, (name, value) in enumerate(report_view.card(meta, lang)):
        columns[i % 3].markdown(f"**{name}**  \n{page.plain(value)}")

if figures.empty:
    st.info(page.t("这份报告没有读出任何数值。"))
widgets.printed_report(figures, report["findings"], era)

st.subheader(page.t("上年对比"))
previous = page.query(queries.previous_year, report_id=report_id) if meta.get("year") else {}
if not previous:
    st.info(page.t("库中没有同一机关上一年的报告。") if meta.get("year") else page.t("报告年度不明，无法对比上一年。"))
else:
    before = previous["meta"]
    st.caption(page.t("上一年：{label}（报告编号 {id}）").format(label=widgets.report_label(before), id=before["report_id"]))
    check = report_view.carry_check(figures, previous["figures"], lang)
    if check:
        (st.warning if check[0] else st.success)(check[1])
    st.dataframe(report_view.year_change(figures, previous["figures"], (era, before.get("format_era")), lang),
                 hide_index=True, placeholder="", key="year_change", height="content")

with st.form("correct"):
    st.subheader(page.t("更正数值"))
    names = {key: page.label(key) for key in catalog.METRICS}
    metric = st.selectbox(page.t("指标"), list(names), format_func=names.get, key="c_metric")
    value = st.number_input(page.t("新数值"), value=0.0, step=1.0, key="c_value")
    reason = st.text_input(page.t("理由"), key="c_reason")
    author = st.text_input(page.t("更正人"), key="c_author")
    if st.form_submit_button(page.t("保存更正")):
        try:
            page.store().correct(report_id, metric, value, reason, author)
            page.clear_cache()
            st.success(page.t("已保存更正。"))
        except Exception as exc:
            st.error(str(exc))
if not report["corrections"].empty:
    st.subheader(page.t("更正记录"))
    widgets.table(report["corrections"])
