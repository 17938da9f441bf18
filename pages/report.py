import streamlit as st

from govreport_core import catalog, charts, ui
from govreport_core.store import queries

st.title(ui.t("报告详情"))
filters = ui.sidebar_filters()
lang = ui.language()
total = ui.query(queries.counts, filters)["reports"]
reports = ui.query(queries.reports, filters, limit=ui.PREVIEW_REPORTS)
wanted = st.query_params.get("report")
linked = ui.query(queries.report_detail, report_id=int(wanted)) if wanted and wanted.isdigit() else {}
if reports.empty and not linked:
    st.info(ui.t("所选范围内没有报告。"))
    st.stop()
labels = {int(r.report_id): ui.report_label(r._asdict()) for r in reports.itertuples()}
if linked and int(wanted) not in labels:  # a shared link opens its report whatever the filters
    labels = {int(wanted): ui.report_label(linked["meta"]), **labels}
if total > len(reports):
    st.caption(ui.t("所选范围内有 {total} 份报告，下拉列表只列出前 {shown} 份；请用左侧筛选缩小范围。").format(
        total=total, shown=len(reports)))
ids = list(labels)
index = ids.index(int(wanted)) if linked and int(wanted) in ids else 0
report_id = st.selectbox(ui.t("报告"), ids, index=index, format_func=labels.get, key="report_pick")
st.query_params["report"] = str(report_id)
detail = ui.query(queries.report_detail, report_id=report_id)
meta = detail["meta"]
st.subheader(meta.get("title") or ui.t("（无标题）"))  # the report's own title: data, never translated
st.json({k: meta.get(k) for k in ("province", "city", "region", "agency", "level", "year", "format_era", "published",
                                    "scope", "file_name", "format")}, expanded=False)
figures = detail["figures"].assign(label=lambda f: f["metric"].map(ui.label))
totals = figures[figures["applicant"] == "total"]
st.subheader(ui.t("指标与原文依据"))
columns = {"label": "指标", "metric": "键", "value": "数值", "derived": "推算", "corrected": "已更正",
           "evidence_text": "原文依据", "evidence_page": "页码"}
st.dataframe(totals[list(columns)].rename(columns={k: ui.t(v) for k, v in columns.items()}), hide_index=True,
             key="figures_table")
for name, grid in charts.table_grids(figures, meta.get("format_era"), lang).items():
    st.subheader(name)
    st.dataframe(grid)
breakdown = figures[figures["applicant"] != "total"]
if not breakdown.empty:
    st.subheader(ui.t("表三 按申请人"))
    grid = breakdown.pivot_table(index="label", columns="applicant", values="value", aggfunc="first")
    st.dataframe(grid.rename(columns={k: ui.t(v) for k, v in catalog.APPLICANT_LABELS.items()}))
st.subheader(ui.t("检查结果"))
if detail["findings"].empty:
    st.success(ui.t("没有发现问题。"))
else:
    ui.table(detail["findings"])
with st.form("correct"):
    st.subheader(ui.t("更正数值"))
    names = {key: ui.label(key) for key in catalog.METRICS}
    metric = st.selectbox(ui.t("指标"), list(names), format_func=names.get, key="c_metric")
    value = st.number_input(ui.t("新数值"), value=0.0, step=1.0, key="c_value")
    reason = st.text_input(ui.t("理由"), key="c_reason")
    author = st.text_input(ui.t("更正人"), key="c_author")
    if st.form_submit_button(ui.t("保存更正")):
        try:
            ui.store().correct(report_id, metric, value, reason, author)
            ui.clear_cache()
            st.success(ui.t("已保存更正。"))
        except Exception as exc:
            st.error(str(exc))
if not detail["corrections"].empty:
    st.subheader(ui.t("更正记录"))
    ui.table(detail["corrections"])
