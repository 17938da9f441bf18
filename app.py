"""govreport dashboard: `streamlit run app.py`. Pages are declared here (st.navigation); each lives in pages/.

Streamlit still treats a pages/ folder beside the entry script as its old multipage mode until some session has
called st.navigation: a new server's first request for a sub-page (a shared link) runs that page alone. So every page
script starts with `page.inside_app()`, which runs this script in its place when it finds itself outside this navigation
(the URL's page and parameters are kept). `page.navigate` also carries the filters over a page change.
"""

import streamlit as st

from govreport_core.dashboard import page

page.language_switch()  # first, so the page titles below and every page's texts follow it
# No page_title here: each page's own title (below) names the browser tab.
# An emoji, drawn by the browser: a Material icon as the tab's icon is fetched from Google's font server.
st.set_page_config(page_icon="📊", layout="wide")
page.uploader_texts()  # Streamlit's own English on the uploader, said in the dashboard's language

PAGES = [
    st.Page("pages/overview.py", title=page.t("总览"), icon=":material/home:", default=True),
    st.Page("pages/map.py", title=page.t("地图"), icon=":material/map:"),
    st.Page("pages/proactive.py", title=page.t("主动公开"), icon=":material/campaign:"),
    st.Page("pages/applications.py", title=page.t("依申请公开"), icon=":material/mail:"),
    st.Page("pages/review.py", title=page.t("复议诉讼"), icon=":material/gavel:"),
    st.Page("pages/report.py", title=page.t("报告详情"), icon=":material/description:"),
    st.Page("pages/upload.py", title=page.t("上传报告"), icon=":material/upload_file:"),
    st.Page("pages/export.py", title=page.t("数据导出"), icon=":material/download:"),
    st.Page("pages/quality.py", title=page.t("数据质量"), icon=":material/fact_check:"),
    st.Page("pages/dictionary.py", title=page.t("数据字典"), icon=":material/menu_book:"),
]
page.navigate(PAGES)
