import streamlit as st

from govreport_core import catalog
from govreport_core.dashboard import page as ui
from govreport_core.service.export import data_dictionary

ui.inside_app()  # a shared link as a fresh server's first request: run through app.py

st.title(ui.t("数据字典"))
lang = ui.language()
st.caption(ui.t("目录中的每一项指标：中英文名称、所在表格、单位、适用版式，以及跨版式的可比性（FORMATS.md §4）。"))
search = st.text_input(ui.t("搜索"), key="dictionary_search", placeholder=ui.t("指标名称或键名"))
metrics = data_dictionary(lang, search)
st.caption(ui.t("共 {n} 项指标。").format(n=len(metrics)))
ui.table(metrics, key="dictionary")
st.subheader(ui.t("可比性等级"))
for meaning in catalog.GRADE_LABELS.values():
    st.markdown(f"- {ui.t(meaning)}")
