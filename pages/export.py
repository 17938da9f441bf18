from functools import partial

import pandas as pd
import streamlit as st

from govreport_core import catalog
from govreport_core.dashboard import api_links, page, sidebar, url_state, widgets
from govreport_core.service import export
from govreport_core.store import queries

page.inside_app()  # a shared link as a fresh server's first request: run through app.py

st.title(page.t("数据导出"))
filters = sidebar.filters()
lang = page.language()
search = url_state.search("export_search", page.t("机关、标题或地区，如：洪泽 2024"))
# Options are the query and export.headers' language; their names are translated once per run. Both are in the URL
# (shape=figures, headers=en|key), so a copied link downloads the same file.
shapes = {"wide": page.t("每份报告一行"), "figures": page.t("每项指标一行")}
shape = url_state.choice(page.t("表格形式"), shapes, "shape", "shape", "wide")
names = {"zh": page.t("中文"), "en": page.t("英文"), "key": page.t("英文键名")}
language = url_state.choice(page.t("表头"), names, "headers", "headers", lang)
# The long table carries each figure's applicant breakdown, as 报告详情 shows it.
table, options = {"wide": (queries.wide, {}), "figures": (queries.figures, {"with_breakdown": True})}[shape]
# Sorting orders the whole selection (the preview shows its first reports): report columns, and for the wide table
# each metric's 总计.
sortable = [*queries.SORT_FIELDS, *(catalog.METRICS if shape == "wide" else ())]
columns = dict(zip(sortable, export.headers(pd.DataFrame(columns=sortable), lang).columns, strict=True))
sort = url_state.sort(columns, "export_sort")
total = page.query(queries.counts, filters, search=search)["reports"]
limit = page.PREVIEW_REPORTS if shape == "wide" else page.PREVIEW_LONG
preview = page.query(table, filters, limit=limit, search=search, sort=sort, **options)
shown = preview["report_id"].nunique() if not preview.empty else 0
rest = (page.t("下表预览前 {shown} 份（{rows} 行）；下载包含全部。") if shown < total else page.t("{rows} 行。")).format(
    shown=shown, rows=len(preview))
selection = filters.describe(lang) + (page.t("，搜索“{search}”").format(search=search.strip()) if search.strip() else "")
st.caption(page.t("{selection}：{total} 份报告，{rest}").format(selection=page.plain(selection), total=total, rest=rest))
widgets.table(preview)
api_links.view_links(filters, lang, "figures", _layout="wide" if shape == "wide" else "long", _search=search.strip(),
                     _headers=None if language == "key" else language,  # the API's default headers are the keys
                     _sort=sort if sort and not sort.startswith("-") else None,
                     _sort_desc=sort[1:] if sort and sort.startswith("-") else None)
if total:
    about = export.about_rows(filters, search, total, shape, language)
    whole = partial(table, sort=sort, **options)
    cols = st.columns(len(export.WRITERS))
    for col, fmt in zip(cols, export.WRITERS, strict=True):
        # The file is built when the button is pressed (on Streamlit's download thread), not on every render.
        col.download_button(page.t("下载 {fmt}").format(fmt=fmt.upper()),
                            partial(export.export_query, page.store(), whole, filters, fmt, language, search, about),
                            file_name=export.file_name(filters, fmt, search, language, shape), mime=export.MIME[fmt],
                            key=f"download_{fmt}")
    st.caption(page.t("文件名写明所选范围；XLSX 文件的第二张表说明筛选条件、数据来源和数据字典。"))
