"""The upload page's steps: read each file once in a budgeted worker, let the user correct its metadata, and say
what became of each saved file (a link to it, and why the current filters would hide it).

- Each session's extraction leases its own budgeted worker (`workers.leased_pool`): a slow file in one session
  never holds another session's files (at most MAX_LEASED_WORKERS processes in all; past that a session waits
  for a free one).
- A file goes to its worker as a path: it is copied in 1 MB blocks from Streamlit's upload to a temporary
  file, so neither a pickle of its bytes nor a second copy of it is made in this process.
- A result is kept in the session (keyed by the upload's file id, so two files of the same name are two
  entries, with two sets of metadata inputs: `input_keys`) until it is saved; `forget` then drops the
  results and asks Streamlit to drop the uploaded bytes, and the uploader starts empty.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path
from typing import Any

import streamlit as st

from govreport_core import catalog
from govreport_core.model import Result
from govreport_core.service.ingest import extract_files
from govreport_core.store.filters import Filters

from .page import language, plain, t

_RESULTS = "_extracted"  # file id -> Result
_ROUND = "_upload_round"  # bumped after a save: a new uploader key, so the widget starts empty
_SAVED = "_upload_saved"  # the save's outcomes, shown on the run after it


def uploader_key() -> str:
    """The uploader's widget key: a new one after each save, so the saved files leave the widget."""
    done = st.session_state.get(_ROUND, 0)
    return "uploads" if not done else f"uploads_{done}"


def input_keys(files: list[Any]) -> list[str]:
    """A widget key per file for its metadata inputs: its name, and for a second file of the same name
    "name (2)", so two files called 2022年报.pdf get two sets of inputs (a shared key crashed the page)."""
    seen: dict[str, int] = {}
    keys = []
    for file in files:
        seen[file.name] = seen.get(file.name, 0) + 1
        keys.append(file.name if seen[file.name] == 1 else f"{file.name} ({seen[file.name]})")
    return keys


def extract_uploads(files: list[Any]) -> list[Result]:
    """Extraction results of uploaded files, each file read once per session (editing its metadata reruns the page)."""
    done: dict[str, Result] = st.session_state.setdefault(_RESULTS, {})
    todo = [f for f in files if f.file_id not in done]
    if todo:
        bar = st.progress(0.0, text=t("正在提取…"))
        with tempfile.TemporaryDirectory(prefix="govreport-upload-") as folder:
            spooled = [(f.name, _spool(f, Path(folder) / f"{n}.upload")) for n, f in enumerate(todo)]
            results = extract_files(uploads=spooled, progress=lambda count, total, name: bar.progress(
                count / total, text=plain(name)))
        bar.empty()
        done.update(zip((f.file_id for f in todo), results, strict=True))
    for gone in set(done) - {f.file_id for f in files}:
        del done[gone]
    return [done[f.file_id] for f in files]


def _spool(file: Any, path: Path) -> Path:
    """The upload's bytes in a file of their own, copied a block at a time."""
    file.seek(0)
    with path.open("wb") as out:
        shutil.copyfileobj(file, out, 1 << 20)
    return path


def forget(files: list[Any], outcomes: list[tuple[str, Any, dict[str, Any]]]) -> None:
    """After a save: the session lets go of the files' results and bytes, keeps the save's outcomes (name,
    SaveOutcome, metadata) for `saved`, and the next run shows an empty uploader (a new key: the old widget's
    state, which holds the files, is dropped when it is not drawn again)."""
    done: dict[str, Result] = st.session_state.get(_RESULTS, {})
    for file in files:
        done.pop(file.file_id, None)
    with contextlib.suppress(Exception):  # Streamlit's own store of uploaded bytes; a newer Streamlit may move it
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        if ctx is not None:
            for file in files:
                ctx.uploaded_file_mgr.remove_file(ctx.session_id, file.file_id)
    st.session_state[_SAVED] = outcomes
    st.session_state[_ROUND] = st.session_state.get(_ROUND, 0) + 1


def saved() -> list[tuple[str, Any, dict[str, Any]]]:
    """The outcomes of the save just made, once."""
    return st.session_state.pop(_SAVED, [])


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
