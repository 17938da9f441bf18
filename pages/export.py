import streamlit as st

from govreport_core import ui
from govreport_core.export import MIME, WRITERS
from govreport_core.store import queries

st.title(ui.t("数据导出"))
filters = ui.sidebar_filters()
lang = ui.language()
# Options are the query and export.headers' language; their names are translated once per run.
shapes = {"wide": ui.t("每份报告一行"), "figures": ui.t("每项指标一行")}
query = st.radio(ui.t("表格形式"), list(shapes), format_func=shapes.get, horizontal=True, key="shape")
names = {"zh": ui.t("中文"), "en": ui.t("英文"), "key": ui.t("英文键名")}
language = st.radio(ui.t("表头"), list(names), index=list(names).index(lang), format_func=names.get, horizontal=True,
                    key="headers")
table = {"wide": queries.wide, "figures": queries.figures}[query]
total = ui.query(queries.counts, filters)["reports"]
preview = ui.query(table, filters, limit=ui.PREVIEW_REPORTS)
shown = preview["report_id"].nunique() if not preview.empty else 0
rest = (ui.t("下表预览前 {shown} 份（{rows} 行）；下载包含全部。") if shown < total else ui.t("{rows} 行。")).format(
    shown=shown, rows=len(preview))
st.caption(ui.t("{selection}：{total} 份报告，{rest}").format(selection=filters.describe(lang), total=total, rest=rest))
ui.table(preview)
if total:
    cols = st.columns(len(WRITERS))
    for col, fmt in zip(cols, WRITERS, strict=True):
        # The file is built when the button is pressed (on Streamlit's download thread), not on every render.
        col.download_button(ui.t("下载 {fmt}").format(fmt=fmt.upper()), ui.export_later(table, filters, fmt, language),
                            file_name=f"govreport.{fmt}", mime=MIME[fmt], key=f"download_{fmt}")
