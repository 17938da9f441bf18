import streamlit as st

from govreport_core import catalog
from govreport_core.dashboard import api_links, page, widgets
from govreport_core.service.export import data_dictionary

page.inside_app()  # a shared link as a fresh server's first request: run through app.py

st.title(page.t("数据字典"))
lang = page.language()
st.caption(page.t("目录中的每一项指标：中英文名称、所在表格、单位、适用版式，以及跨版式的可比性（FORMATS.md §4）。"))
search = st.text_input(page.t("搜索"), key="dictionary_search", placeholder=page.t("指标名称或键名"))
metrics = data_dictionary(lang, search)
st.caption(page.t("共 {n} 项指标。").format(n=len(metrics)))
api_links.view_links(None, lang, "metrics", _lang=lang, _search=search.strip())
widgets.table(metrics, key="dictionary")
st.subheader(page.t("可比性等级"))
for meaning in catalog.GRADE_LABELS.values():
    st.markdown(f"- {page.t(meaning)}")
