import streamlit as st

from govreport_core import ui
from govreport_core.export import MIME, WRITERS

st.title("数据导出")
filters = ui.sidebar_filters()
shape = st.radio("表格形式", ["每份报告一行", "每项指标一行"], horizontal=True, key="shape")
headers = st.radio("表头", ["中文", "英文键名"], horizontal=True, key="headers")
query = "wide" if shape == "每份报告一行" else "figures"
total = ui.query("counts", filters)["reports"]
preview = ui.query(query, filters, None, None, ui.PREVIEW_REPORTS) if query == "wide" else ui.query(
    query, filters, None, None, False, True, ui.PREVIEW_REPORTS)
shown = preview["report_id"].nunique() if not preview.empty else 0
st.caption(f"{filters.describe()}：{total} 份报告" + (f"，下表预览前 {shown} 份（{len(preview)} 行）；下载包含全部。"
                                                       if shown < total else f"，{len(preview)} 行。"))
ui.table(preview)
if total:
    language = "zh" if headers == "中文" else "key"
    cols = st.columns(len(WRITERS))
    for col, fmt in zip(cols, WRITERS, strict=True):
        # The file is built when the button is pressed (on Streamlit's download thread), not on every render.
        col.download_button(f"下载 {fmt.upper()}", ui.export_later(query, filters, fmt, language),
                            file_name=f"govreport.{fmt}", mime=MIME[fmt], key=f"download_{fmt}")
