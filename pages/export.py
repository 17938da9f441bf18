import streamlit as st

from govreport_core import ui
from govreport_core.export import MIME, WRITERS, export_bytes

st.title("数据导出")
filters = ui.sidebar_filters()
shape = st.radio("表格形式", ["每份报告一行", "每项指标一行"], horizontal=True, key="shape")
headers = st.radio("表头", ["中文", "英文键名"], horizontal=True, key="headers")
frame = ui.query("wide", filters) if shape == "每份报告一行" else ui.query("figures", filters)
st.caption(f"{filters.describe()}：{len(frame)} 行")
ui.table(frame)
if not frame.empty:
    language = "zh" if headers == "中文" else "key"
    cols = st.columns(len(WRITERS))
    for col, fmt in zip(cols, WRITERS, strict=True):
        col.download_button(f"下载 {fmt.upper()}", export_bytes(frame, fmt, language), file_name=f"govreport.{fmt}",
                            mime=MIME[fmt], key=f"download_{fmt}")
