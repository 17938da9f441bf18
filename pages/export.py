from functools import partial

import streamlit as st

from govreport_core.dashboard import api_links, page, sidebar, widgets
from govreport_core.service import export
from govreport_core.store import queries

page.inside_app()  # a shared link as a fresh server's first request: run through app.py

st.title(page.t("数据导出"))
filters = sidebar.filters()
lang = page.language()
search = st.text_input(page.t("搜索"), key="export_search", placeholder=page.t("机关、标题或地区，如：洪泽 2024"))
# Options are the query and export.headers' language; their names are translated once per run.
shapes = {"wide": page.t("每份报告一行"), "figures": page.t("每项指标一行")}
query = st.radio(page.t("表格形式"), list(shapes), format_func=shapes.get, horizontal=True, key="shape")
names = {"zh": page.t("中文"), "en": page.t("英文"), "key": page.t("英文键名")}
language = st.radio(page.t("表头"), list(names), index=list(names).index(lang), format_func=names.get, horizontal=True,
                    key="headers")
table = {"wide": queries.wide, "figures": queries.figures}[query]
total = page.query(queries.counts, filters, search=search)["reports"]
preview = page.query(table, filters, limit=page.PREVIEW_REPORTS, search=search)
shown = preview["report_id"].nunique() if not preview.empty else 0
rest = (page.t("下表预览前 {shown} 份（{rows} 行）；下载包含全部。") if shown < total else page.t("{rows} 行。")).format(
    shown=shown, rows=len(preview))
selection = filters.describe(lang) + (page.t("，搜索“{search}”").format(search=search.strip()) if search.strip() else "")
st.caption(page.t("{selection}：{total} 份报告，{rest}").format(selection=selection, total=total, rest=rest))
widgets.table(preview)
api_links.view_links(filters, lang, "figures", _layout="wide" if query == "wide" else "long", _search=search.strip())
if total:
    about = export.about_rows(filters, search, total, query, language)
    cols = st.columns(len(export.WRITERS))
    for col, fmt in zip(cols, export.WRITERS, strict=True):
        # The file is built when the button is pressed (on Streamlit's download thread), not on every render.
        col.download_button(page.t("下载 {fmt}").format(fmt=fmt.upper()),
                            partial(export.export_query, page.store(), table, filters, fmt, language, search, about),
                            file_name=export.file_name(filters, fmt, search, language), mime=export.MIME[fmt],
                            key=f"download_{fmt}")
    st.caption(page.t("文件名写明所选范围；XLSX 文件的第二张表说明筛选条件、数据来源和数据字典。"))
