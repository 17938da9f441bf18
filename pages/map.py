import streamlit as st

from govreport_core.dashboard import api_links, map_widget, page, sidebar

page.inside_app()  # a shared link as a fresh server's first request: run through app.py

st.title(page.t("地图"))
filters = sidebar.filters()
api_links.view_links(filters, page.language())
map_widget.show(filters)
