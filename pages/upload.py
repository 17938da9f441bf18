import streamlit as st

from govreport_core import ui
from govreport_core.ingest import extract_files, save_results

ui.inside_app()  # a shared link as a fresh server's first request: run through app.py

st.title(ui.t("上传报告"))
st.caption(ui.t("支持 HTML、TXT、MD、PDF、DOCX；先预览提取结果，确认后才写入数据库。"))
files = st.file_uploader(ui.t("选择报告文件"), accept_multiple_files=True, key="uploads",
                         type=["html", "htm", "txt", "md", "pdf", "docx", "doc"])
if not files:
    st.stop()
uploads = [(f.name, f.getvalue()) for f in files]
bar = st.progress(0.0, text=ui.t("正在提取…"))
results = extract_files(uploads=uploads, progress=lambda done, total, name: bar.progress(done / total, text=name))
bar.empty()
overrides = []
for (name, _), result in zip(uploads, results, strict=True):
    with st.container(border=True):
        st.markdown(f"**{name}**")
        if result.error:  # the extractor's own message stays as it is
            st.error(ui.t("无法读取：{error}").format(error=result.error))
            overrides.append(None)
            continue
        meta = result.meta
        st.write(ui.t("{agency} · {year} · 版式 {era} · {n} 项指标").format(
            agency=meta.agency or ui.t("（机关不明）"), year=meta.year or ui.t("年份不明"), era=meta.format_era,
            n=len({f.key for f in result.figures})))
        override: dict[str, object] = {}
        if meta.year is None:
            year = st.number_input(ui.t("报告未写明年度，请填写（可留空）"), min_value=0, max_value=2035, value=0,
                                   key=f"year_{name}")
            if year:
                override["year"] = int(year)
        for field, label in (("agency", "发布机关"), ("province", "省份"), ("city", "地市"), ("region", "县区")):
            if not getattr(meta, field):  # what the text did not give, the user may fill in
                typed = st.text_input(ui.t("未识别{label}，可填写（可留空）").format(label=ui.t(label)),
                                      key=f"{field}_{name}").strip()
                if typed:
                    override[field] = typed
        for finding in result.findings:  # findings are written by the extractor, in Chinese
            st.caption(ui.t("[{severity}] {rule}：{message}").format(severity=finding.severity, rule=finding.rule,
                                                                     message=finding.message))
        overrides.append(override)
readable = [(r, o) for r, o in zip(results, overrides, strict=True) if r.error is None]
if readable and st.button(ui.t("确认保存"), key="save"):
    outcomes = save_results(ui.store(), [r for r, _ in readable], [o or {} for _, o in readable])
    ui.clear_cache()
    statuses = {"new": "已保存", "updated": "已更新", "unchanged": "已在库中", "duplicate": "同一报告的另一份文件，已保存但暂不启用",
                "failed": "保存失败"}
    for outcome in outcomes:
        text = ui.t("{status}（报告编号 {id}）{message}").format(status=ui.t(statuses[outcome.status]),
                                                            id=outcome.report_id, message=outcome.message)
        (st.error if outcome.status == "failed" else st.success)(text)
