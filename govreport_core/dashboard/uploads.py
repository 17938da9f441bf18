"""The upload page's files: read in worker processes of this session's own, streamed to them through disk, and let
go of once saved.

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

from govreport_core.model import Result
from govreport_core.service.ingest import extract_files

from .page import plain, t

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
