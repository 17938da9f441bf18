import streamlit as st

from govreport_core.dashboard import page as ui
from govreport_core.dashboard import report_view, upload_preview, uploads
from govreport_core.extraction.names import printable_name
from govreport_core.extraction.readers import EXTENSIONS
from govreport_core.service.ingest import save_results
from govreport_core.store.filters import from_params

ui.inside_app()  # a shared link as a fresh server's first request: run through app.py

st.title(ui.t("上传报告"))
lang = ui.language()
st.caption(ui.t("支持 HTML、TXT、MD、PDF（含扫描件）、DOCX、DOC、WPS。先核对每份文件读出的信息和数值（可改正机关、地区、层级、"
                "年度和范围），确认后才写入数据库。"))
filters = from_params(dict(st.query_params)).filters
for name, outcome, meta in uploads.saved():  # the last save's outcomes, shown once after it let go of the files
    ui.saved_outcome(name, outcome, meta, filters)


def preview(files: list, results: list) -> list[dict[str, object] | None]:
    """Each file as read, its metadata editable: the user's overrides (None for a file that cannot be read)."""
    overrides: list[dict[str, object] | None] = []
    for index, (file, result, input_key) in enumerate(zip(files, results, uploads.input_keys(files), strict=True)):
        with st.container(border=True):
            # A file name shown as typed, never as markdown; bytes and controls in it as \xNN (extraction/names.py).
            st.subheader(ui.plain(printable_name(file.name)), anchor=False)
            if result.error:
                st.error(ui.sentences(upload_preview.error_sentence(file.name, result.error, lang),
                                      ui.t("这个文件不会保存。")))
                with st.expander(ui.t("技术细节")):
                    st.text(result.error)
                overrides.append(None)
                continue
            overrides.append(ui.metadata_inputs(result.meta, input_key))  # two files of one name: two sets of inputs
            figures = upload_preview.figures_frame(result)
            if figures.empty:
                st.warning(ui.t("没有读出任何数值。若这是空白模板，保存后只作为来源文件保留，不计为报告。"))
            else:
                st.caption(ui.t("读出 {n} 项指标，按报告原表排列；展开可看每个数值的原文依据。").format(
                    n=figures.loc[figures["applicant"] == "total", "metric"].nunique()))
            for key, title, grid in report_view.printed_tables(figures, result.meta.format_era, lang):
                st.markdown(f"**{title}**")
                widths = report_view.column_widths(grid)  # as 报告详情 shows it: every column readable without scrolling
                st.dataframe(grid, hide_index=True, placeholder="", key=f"grid_{key}_{index}", height="content",
                             column_config={c: st.column_config.Column(width=w) for c, w in widths.items()})
                with st.expander(ui.t("各数值的原文依据")):
                    st.dataframe(report_view.evidence(figures, key, lang), hide_index=True, placeholder="",
                                 key=f"evidence_{key}_{index}")
            others = report_view.evidence(figures, None, lang) if not figures.empty else figures
            if not others.empty:
                st.markdown(f"**{ui.t('其他指标（旧版统计表与正文）')}**")
                st.dataframe(others, hide_index=True, placeholder="", key=f"evidence_other_{index}")
            if result.findings:
                st.markdown(f"**{ui.t('检查结果')}**")
                st.dataframe(report_view.findings(upload_preview.findings_frame(result), lang), hide_index=True,
                             placeholder="", key=f"findings_{index}")
            elif not figures.empty:
                st.success(ui.t("检查未发现问题。"))
    return overrides


def upload() -> None:
    """The uploader, the preview and the save. Returns rather than `st.stop()`: only a run that ends normally lets
    Streamlit drop the state of widgets no longer drawn (the old uploader's, which holds the saved files' bytes)."""
    files = st.file_uploader(ui.t("选择报告文件"), accept_multiple_files=True, key=uploads.uploader_key(),
                             type=[suffix.lstrip(".") for suffix in EXTENSIONS])
    if not files:
        return
    results = uploads.extract_uploads(files)
    overrides = preview(files, results)
    readable = [(f, r, o) for f, r, o in zip(files, results, overrides, strict=True) if r.error is None]
    if not readable or not st.button(ui.t("确认保存"), key="save", type="primary"):
        return
    outcomes = save_results(ui.store(), [r for _, r, _ in readable], [o or {} for _, _, o in readable])
    ui.clear_cache()
    # Saved: the session lets go of the files' bytes and results (a new, empty uploader), and the outcomes are
    # shown on the run that follows, which no longer draws the old uploader.
    uploads.forget(files, [(printable_name(file.name), outcome, result.meta.to_dict() | (override or {}))
                           for (file, result, override), outcome in zip(readable, outcomes, strict=True)])
    st.rerun()


upload()
