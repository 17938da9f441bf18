"""The upload page's steps: read each file once in a budgeted worker, let the user correct its metadata, and say
what became of each saved file (a link to it, and why the current filters would hide it).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from govreport_core import catalog
from govreport_core.store.filters import Filters

from .page import language, plain, t


def extract_uploads(files: list[Any]) -> list[Any]:
    """Extraction results of uploaded files, each file read once per session (editing its metadata reruns the page)."""
    from govreport_core.service.ingest import extract_files

    done: dict[str, Any] = st.session_state.setdefault("_extracted", {})
    todo = [f for f in files if f.file_id not in done]
    if todo:
        bar = st.progress(0.0, text=t("正在提取…"))
        results = extract_files(uploads=[(f.name, f.getvalue()) for f in todo],
                                progress=lambda count, total, name: bar.progress(count / total, text=plain(name)))
        bar.empty()
        done.update(zip((f.file_id for f in todo), results, strict=True))
    for gone in set(done) - {f.file_id for f in files}:
        del done[gone]
    return [done[f.file_id] for f in files]


def metadata_inputs(meta: Any, name: str) -> dict[str, object]:
    """The metadata read from one file, editable before it is saved: what the user changes (an override)."""
    override: dict[str, object] = {}
    unknown = t("不明")
    names = {field: t(text) for field, text in catalog.FIELD_LABELS.items()}
    st.caption(t("读出的报告信息（空着的或不对的可以改正）"))
    top = st.columns([3, 1, 2, 2])
    agency = top[0].text_input(names["agency"], value=meta.agency or "", key=f"agency_{name}").strip()
    year = top[1].number_input(names["year"], min_value=0, max_value=catalog.LAST_YEAR, value=meta.year or 0, step=1,
                               key=f"year_{name}", help=t("0 表示不明"))
    levels = {None: unknown, **{k: t(v) for k, v in catalog.LEVEL_LABELS.items()}}
    level = top[2].selectbox(names["level"], list(levels), index=list(levels).index(meta.level) if meta.level in levels
                             else 0, format_func=levels.get, key=f"level_{name}")
    scopes = {None: unknown, **{k: t(v) for k, v in catalog.SCOPE_LABELS.items()}}
    scope = top[3].selectbox(names["scope"], list(scopes), index=list(scopes).index(meta.scope) if meta.scope in scopes
                             else 0, format_func=scopes.get, key=f"scope_{name}")
    area = st.columns(3)
    typed = {field: area[i].text_input(names[field], value=getattr(meta, field) or "", key=f"{field}_{name}").strip()
             for i, field in enumerate(("province", "city", "region"))}
    for field, value in (("agency", agency), *typed.items()):
        if (value or None) != getattr(meta, field):
            override[field] = value or None
    if (int(year) or None) != meta.year:
        override["year"] = int(year) or None
    if level != meta.level:
        override["level"] = level
    if scope != meta.scope:
        override["scope"] = scope
    return override


SAVED = {"new": "已保存", "updated": "已更新", "unchanged": "已在库中",
         "duplicate": "已保存，但库中已有同一报告的另一份文件，这份暂不启用（可在“数据质量”页选择）",
         "no_data": "没有任何数值和报告信息，只作为来源文件保留，不计为报告", "failed": "保存失败，数据库未改动"}


def saved_outcome(name: str, outcome: Any, meta: dict[str, Any], filters: Filters) -> None:
    """What became of one saved file, in the chosen language: a link to its report, and when the current filters
    would hide it, why and a link to a view that includes it."""
    from . import upload_preview

    text = t("{name}：{status}").format(name=plain(name), status=t(SAVED[outcome.status]))
    if outcome.status == "failed":
        st.error(text)
        with st.expander(t("技术细节")):
            st.text(outcome.message)
        return
    if outcome.report_id is not None and outcome.status != "no_data":
        text += t("（报告编号 {id}）").format(id=outcome.report_id)
    (st.info if outcome.status == "no_data" else st.success)(text)
    if outcome.report_id is None or outcome.status == "no_data":
        return
    keep = {k: v for k, v in st.query_params.items() if k != "report"}
    st.page_link("pages/report.py", label=t("打开报告（编号 {id}）").format(id=outcome.report_id),
                 icon=":material/description:", query_params={**keep, "report": str(outcome.report_id)})
    reasons = upload_preview.hidden_because(meta, filters, language())
    if reasons:
        wider = upload_preview.view_including(meta, filters)
        st.warning(t("按当前筛选，各页看不到这份报告：{reasons}。").format(
            reasons=("; " if language() == "en" else "；").join(reasons)))
        params = wider.to_params() | ({"lang": "en"} if language() == "en" else {})
        st.page_link("pages/overview.py", label=t("换成包含它的筛选：{selection}").format(
            selection=plain(wider.describe(language()))), icon=":material/filter_alt:", query_params=params)
