import streamlit as st

from govreport_core import catalog
from govreport_core.dashboard import api_links, page, sidebar, widgets

page.inside_app()  # a shared link as a fresh server's first request: run through app.py

st.title(page.t("主动公开"))
filters = sidebar.filters()
api_links.view_links(filters, page.language())
st.caption(page.t("2019年前的“主动公开政府信息数”与2019/2021版表二的规章、规范性文件件数口径不同，不可比较"
                "（可比性等级见“数据字典”页），因此分开作图，绝不画在同一坐标轴上。"))
widgets.series_charts(filters, catalog.PAGE_SERIES["proactive"])
