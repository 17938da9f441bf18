import streamlit as st

from govreport_core import catalog
from govreport_core.dashboard import api_links, page, url_state, widgets
from govreport_core.service.export import data_dictionary, headers

page.inside_app()  # a shared link as a fresh server's first request: run through app.py

st.title(page.t("数据字典"))
lang = page.language()
st.caption(page.t("目录中的每一项指标：中英文名称、所在表格、单位、适用版式，以及跨版式的可比性（等级说明见表下）。"))
search = url_state.search("dictionary_search", page.t("指标名称或键名"))
metrics = data_dictionary(lang, search)
columns = dict(zip(metrics.columns, headers(metrics.head(0), lang).columns, strict=True))
sort = url_state.sort(columns, "dictionary_sort")
st.caption(page.t("共 {n} 项指标。").format(n=len(metrics)))
api_links.view_links(None, lang, "metrics", _lang=lang, _search=search.strip())
widgets.table(url_state.sorted_frame(metrics, sort), key="dictionary")
st.subheader(page.t("可比性等级"))
for meaning in catalog.GRADE_LABELS.values():
    st.markdown(f"- {page.t(meaning)}")
