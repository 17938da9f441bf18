"""A page's own state in the URL, beside the filters: its search text, a table's sort, the export's table shape and
header language, the map's metric (`page.PAGE_PARAMS`). As the sidebar does for the filters, each widget is set
from its URL parameter before it is drawn and writes the parameter when the user changes it, so a copied link,
Back/Forward and a reload show the same view. A value the page cannot use falls back to the default with a notice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from .page import MAX_SEARCH, plain, t


def _write(param: str, value: str, default: str) -> None:
    """The URL's parameter: the value, or none at all for the default (a link names only what differs)."""
    if value == default or not value:
        if param in st.query_params:
            del st.query_params[param]
    else:
        st.query_params[param] = value


def _changed(param: str, key: str, default: str) -> None:
    # A widget's callback, before the script runs: its value into the URL.
    _write(param, str(st.session_state.get(key) or ""), default)


def search(key: str, placeholder: str, param: str = "search") -> str:
    """The page's search box, holding the URL's `search` (at most MAX_SEARCH characters)."""
    st.session_state[key] = st.query_params.get(param, "")[:MAX_SEARCH]
    return st.text_input(t("搜索"), key=key, placeholder=placeholder, max_chars=MAX_SEARCH, on_change=_changed,
                         args=(param, key, ""))


def choice(label: str, options: Mapping[str, str], param: str, key: str, default: str) -> str:
    """A horizontal radio of `options` (value → translated name) kept in the URL's `param`."""
    wanted = st.query_params.get(param, default)
    if wanted not in options:
        st.warning(t("参数 {name} 的值“{value}”无效，已忽略。").format(name=param, value=plain(wanted[:40])))
        _write(param, default, default)
        wanted = default
    st.session_state[key] = wanted
    return st.radio(label, list(options), format_func=options.get, horizontal=True, key=key, on_change=_changed,
                    args=(param, key, default))


def _sort_changed(param: str, key: str) -> None:
    column = st.session_state.get(f"{key}_column") or ""
    descending = bool(st.session_state.get(f"{key}_descending"))
    _write(param, ("-" if descending and column else "") + column, "")


def sort(columns: Mapping[str, str], key: str, param: str = "sort") -> str | None:
    """A sort control (column, descending) kept in the URL as `sort=year` or `sort=-year`; `columns` maps the
    sortable column names to their translated headers. Returns the sort, or None for the table's own order."""
    wanted = st.query_params.get(param, "")
    column = wanted.removeprefix("-")
    if wanted and column not in columns:
        st.warning(t("参数 {name} 的值“{value}”无效，已忽略。").format(name=param, value=plain(wanted[:40])))
        _write(param, "", "")
        wanted = column = ""
    st.session_state[f"{key}_column"] = column
    st.session_state[f"{key}_descending"] = wanted.startswith("-")
    names = {"": t("默认顺序"), **columns}
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.selectbox(t("排序"), list(names), format_func=names.get, key=f"{key}_column", on_change=_sort_changed,
                   args=(param, key))
    right.toggle(t("降序"), key=f"{key}_descending", on_change=_sort_changed, args=(param, key))
    return wanted or None


def sorted_frame(frame: Any, sort: str | None) -> Any:
    """A whole table (not a preview of a selection) in the order `sort` names; missing values last."""
    if not sort or frame.empty or sort.removeprefix("-") not in frame:
        return frame
    return frame.sort_values(sort.removeprefix("-"), ascending=not sort.startswith("-"), na_position="last",
                             kind="stable").reset_index(drop=True)
