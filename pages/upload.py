import streamlit as st

from govreport_core.dashboard import page, upload, upload_preview, widgets
from govreport_core.extraction.names import printable_name
from govreport_core.extraction.readers import EXTENSIONS
from govreport_core.service.ingest import save_results
from govreport_core.store.filters import from_params

page.inside_app()  # a shared link as a fresh server's first request: run through app.py

st.title(page.t("上传报告"))
lang = page.language()
st.caption(page.t("支持 HTML、TXT、MD、PDF（含扫描件）、DOCX、DOC、WPS。先核对每份文件读出的信息和数值（可改正机关、地区、层级、"
                "年度和范围），确认后才写入数据库。"))
filters = from_params(dict(st.query_params)).filters
for name, outcome, meta in upload.saved():  # the last save's outcomes, shown once after it let go of the files
    upload.saved_outcome(name, outcome, meta, filters)


def preview(files: list, results: list) -> list[dict[str, object] | None]:
    """Each file as read, its metadata editable: the user's overrides (None for a file that cannot be read)."""
    overrides: list[dict[str, object] | None] = []
    for index, (file, result, input_key) in enumerate(zip(files, results, upload.input_keys(files), strict=True)):
        with st.container(border=True):
            # A file name shown as typed, never as markdown; bytes and controls in it as \xNN (extraction/names.py).
            st.subheader(page.plain(printable_name(file.name)), anchor=False)
            if result.error:
                st.error(page.sentences(upload_preview.error_sentence(file.name, result.error, lang),
                                        page.t("这个文件不会保存。")))
                with st.expander(page.t("技术细节")):
                    st.text(result.error)
                overrides.append(None)
                continue
            overrides.append(upload.metadata_inputs(result.meta, input_key))  # two files of one name: two input sets
            figures = upload_preview.figures_frame(result)
            if figures.empty:
                st.warning(page.t("没有读出任何数值。若这是空白模板，保存后只作为来源文件保留，不计为报告。"))
            else:
                st.caption(page.t("读出 {n} 项指标，按报告原表排列；展开可看每个数值的原文依据。").format(
                    n=figures.loc[figures["applicant"] == "total", "metric"].nunique()))
            widgets.printed_report(figures, upload_preview.findings_frame(result), result.meta.format_era,
                                   key=f"_{index}", heading=lambda text: st.markdown(f"**{text}**"))
    return overrides


def main() -> None:
    """The uploader, the preview and the save. Returns rather than `st.stop()`: only a run that ends normally lets
    Streamlit drop the state of widgets no longer drawn (the old uploader's, which holds the saved files' bytes)."""
    files = st.file_uploader(page.t("选择报告文件"), accept_multiple_files=True, key=upload.uploader_key(),
                             type=[suffix.lstrip(".") for suffix in EXTENSIONS])
    if not files:
        return
    results = upload.extract_uploads(files)
    overrides = preview(files, results)
    readable = [(f, r, o) for f, r, o in zip(files, results, overrides, strict=True) if r.error is None]
    if not readable or not st.button(page.t("确认保存"), key="save", type="primary"):
        return
    outcomes = save_results(page.store(), [r for _, r, _ in readable], [o or {} for _, _, o in readable])
    page.clear_cache()
    # Saved: the session lets go of the files' bytes and results (a new, empty uploader), and the outcomes are
    # shown on the run that follows, which no longer draws the old uploader.
    upload.forget(files, [(printable_name(file.name), outcome, result.meta.to_dict() | (override or {}))
                          for (file, result, override), outcome in zip(readable, outcomes, strict=True)])
    st.rerun()


main()
