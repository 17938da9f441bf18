"""The page frame every dashboard page runs in: language, navigation, the store and cached queries.

The store is opened once per server process (`st.cache_resource`); query results are cached
(`st.cache_data`) with the data version in their key, so an upload or a correction shows on every page at
once. The sidebar's filters live in the URL (`st.query_params`, names in `filters.py`), so a view can be
shared by link; a bad parameter falls back to the default with a notice. So does the language: the sidebar's
English switch adds `lang=en` (Chinese is the default); pages translate their texts with `t`.
"""

from __future__ import annotations

import ast
import logging
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import streamlit as st

from govreport_core import labels
from govreport_core.dashboard import refused
from govreport_core.service.default_data import open_store
from govreport_core.store import DatabaseError, Store, StoreBusy, StoreError, default_db_path
from govreport_core.store import queries as q
from govreport_core.store.filters import FILTERS, Filters, from_params

log = logging.getLogger("govreport.dashboard")


def language() -> str:
    """The dashboard's language, "zh" or "en". It lives in the session, since the browser drops the URL's
    parameters on a page change; a new session (a shared link) takes it from the URL's lang=en."""
    if "lang" not in st.session_state:
        st.session_state["lang"] = "en" if st.query_params.get("lang") == "en" else "zh"
    return st.session_state["lang"]


def plain(text: str) -> str:
    """Text for an element that renders markdown (st.warning, st.success, st.caption…), shown as typed: the marks
    that can open markdown, HTML, a :color[directive] or an :icon: backslash-escaped (CommonMark) and line breaks
    made spaces, so a URL value or a file name cannot become a link, an image request or a heading."""
    return "".join("\\" + c if c in _MARKUP else c for c in " ".join(str(text).split("\n")))


_MARKUP = frozenset("\\`*_{}[]()#+-!|<>~$:")


def t(text: str) -> str:
    """A Chinese UI text in the dashboard's language (templates: `t("…{n}…").format(n=…)`)."""
    return labels.t(text, language())


def label(key: str) -> str:
    """A metric's label in the dashboard's language."""
    return labels.label(key, language())


def _switched() -> None:
    # A callback runs before the script, so the page's title already follows the switch.
    st.session_state["lang"] = "en" if st.session_state["lang_en"] else "zh"


def language_switch() -> None:
    """The sidebar's English switch, drawn by app.py so it is on every page; writes lang=en into the URL."""
    st.sidebar.toggle("English", value=language() == "en", key="lang_en", on_change=_switched)
    if language() == "en" and st.query_params.get("lang") != "en":
        st.query_params["lang"] = "en"
    elif language() == "zh" and "lang" in st.query_params:
        del st.query_params["lang"]


def uploader_texts() -> None:
    """The file uploader's own texts ("Upload", "50MB per file"), fixed in English by Streamlit 1.67, hidden and
    said in the dashboard's language instead (CSS: the uploader itself, its limit and its drop zone, are kept)."""
    limit = st.get_option("server.maxUploadSize")
    button = t("选择文件")
    note = t("每个文件不超过 {n} MB（HTML、TXT、MD、PDF、DOCX、DOC、WPS）").format(n=limit)
    zone = "[data-testid=stFileUploaderDropzone]"
    st.html(f"<style>{zone} button [data-testid=stMarkdownContainer] p {{display: none}}"
            f"{zone} button [data-testid=stMarkdownContainer]::after {{content: {_css_text(button)}}}"
            f"[data-testid=stFileUploaderDropzoneInstructions] span {{display: none}}"
            f"[data-testid=stFileUploaderDropzoneInstructions] > div::after {{content: {_css_text(note)}; "
            f"font-size: 0.875rem; opacity: 0.7}}</style>")


def _css_text(text: str) -> str:
    """A CSS string literal (our own texts only: quotes and backslashes escaped all the same)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- navigation and the view's URL ---------------------------------------------------------------------------

APP = Path(__file__).resolve().parents[2] / "app.py"
def declared_pages(app: Path = APP) -> list[tuple[str, str]]:
    """app.py's pages as (script, Chinese title) in its order, read from its source without running it: tests and
    benchmarks walk the pages the app declares, never a copy of the list."""
    pages = []
    for node in ast.walk(ast.parse(app.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page":
            title = next(keyword.value for keyword in node.keywords if keyword.arg == "title")  # page.t("总览")
            pages.append((node.lineno, node.args[0].value, title.args[0].value))
    return [(script, title) for _, script, title in sorted(pages)]


# A page's own state (url_state.py): its search, a table's sort, the export's shape and headers, the map's metric.
PAGE_PARAMS = ("search", "sort", "shape", "headers", "metric")
VIEW_PARAMS = ("lang", "report", *PAGE_PARAMS)  # not filters, but part of the view a URL reproduces
MAX_SEARCH = 100  # characters of a search: eight words are searched, each a name or a year
_run = threading.local()  # .inside: this script run is inside app.py's navigation


def navigate(pages: list[Any]) -> None:
    """app.py's navigation: restores the view's parameters the browser dropped on a page change, runs the page
    chosen (marked as inside the app, see `inside_app`), then remembers the view for the next page. An address
    that is no page gets a page saying so, with a link to each page (Streamlit alone would show 总览 instead,
    with an English notice)."""
    _restore_view()
    missing = _unknown_path(pages)
    if missing is not None:
        pages = [*pages, st.Page(partial(_not_found, pages, missing), title=t("找不到这个页面"), url_path=missing,
                                 visibility="hidden", icon=":material/help:")]
    _run.inside = True
    try:
        chosen = st.navigation(pages)
        problem = database_problem()
        if problem is not None:  # one sentence in place of the page, in its language (dashboard/refused.py)
            st.title(chosen.title)
            st.error(plain(problem))
            st.stop()
        chosen.run()
    finally:
        _run.inside = False
        st.session_state["_view"] = dict(st.query_params)


def _unknown_path(pages: list[Any]) -> str | None:
    """The address the browser asked for when it names no page ("nosuchpage" for /nosuchpage), else None. Read
    from Streamlit's page manager, the only place a run learns the path it was asked for (a sidebar click asks
    by the page's hash instead)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    manager = getattr(get_script_run_ctx(), "pages_manager", None)
    if manager is None or getattr(manager, "intended_page_script_hash", None):
        return None
    name = (getattr(manager, "intended_page_name", None) or "").strip("/")
    if not name or "/" in name or name in {p.url_path for p in pages}:
        return None  # a nested path cannot be a page's address: Streamlit's own handling stays
    return name


def _not_found(pages: list[Any], path: str) -> None:
    st.title(t("找不到这个页面"))
    st.warning(t("本站没有“/{path}”这个页面。请打开下面的页面之一：").format(path=plain(path[:80])))
    for each in pages:
        st.page_link(each)


def inside_app() -> None:
    """First line of every page script. A fresh server's first request for a sub-page (a shared link such as
    /applications?province=…) runs that script alone, in Streamlit's old pages/ mode, until some session has
    called st.navigation: the script then runs app.py in its place (its navigation, sidebar and language; the
    URL's page and parameters are kept, since st.navigation resolves the page from the URL), and stops."""
    if getattr(_run, "inside", False):
        return
    import runpy

    runpy.run_path(str(APP), run_name="__main__")
    st.stop()


def _restore_view() -> None:
    """A page change by the sidebar drops the URL's parameters: put back the filters (and the chosen report)
    of the view the user came from, so the filters follow the user; a URL that names any filter is kept as is."""
    last = st.session_state.get("_view") or {}
    now = {k: v for k, v in st.query_params.items()}
    names = {spec.param for spec in FILTERS}
    wanted = dict(now)
    if not names & now.keys():
        wanted |= {k: v for k, v in last.items() if k in names}
    if "report" not in now and "report" in last:
        wanted["report"] = last["report"]
    if wanted != now:
        st.query_params.from_dict(wanted)


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    # Shared: short read-only connections and short write transactions, so an `ingest` can run meanwhile;
    # a read that finds the file held by it raises StoreBusy (store/db.py).
    return open_store(path, shared=True)


def store() -> Store:
    return _store(str(default_db_path()))


def database_problem() -> str | None:
    """Why the store refuses $GOVREPORT_DB (newer schema, another program's file, damaged…), in the dashboard's
    language; None when it opens (or is only busy: pages wait for that and retry)."""
    try:
        store()
    except StoreBusy:
        return None
    except StoreError as exc:
        log.warning("database refused: %s", exc)  # a sentence, not a fault of the dashboard: no traceback
        return refused.sentence(exc, str(default_db_path()), language())
    return None


def data_version() -> int:
    """Changes whenever a report is saved or a figure corrected: part of every cache key."""
    return q.data_version(store())


@st.cache_data(show_spinner=False, max_entries=256)
def _cached(_fn: Callable[..., Any], name: str, params: tuple[tuple[str, str], ...] | None, version: int,
            kwargs: tuple[tuple[str, Any], ...]) -> Any:
    # The function itself is not hashed (leading underscore): its qualified name stands for it in the key.
    if params is None:
        return _fn(store(), **dict(kwargs))
    return _fn(store(), from_params(dict(params)).filters, **dict(kwargs))


def query(fn: Callable[..., Any], filters: Filters | None = None, **kwargs: Any) -> Any:
    """A cached call of a store query function: `ui.query(queries.outcomes, filters, key=value…)`.

    Without filters the function is called with the store and the keyword arguments only
    (`ui.query(queries.latest, limit=10)`). Results are cached per function, filters, arguments and data version."""
    params = None if filters is None else tuple(sorted(filters.to_params().items()))
    name = f"{fn.__module__}.{fn.__qualname__}"
    notice = None
    for attempt in range(BUSY_RETRIES + 1):
        try:
            result = _cached(fn, name, params, data_version(), tuple(sorted(kwargs.items())))
            if notice is not None:
                notice.empty()
            return result
        except (StoreError, DatabaseError) as exc:
            if not _busy(exc):
                log.exception("query %s failed", name)
                st.error(plain(refused.sentence(exc, str(default_db_path()), language())) if isinstance(exc, StoreError)
                         else t("读取数据库时出错，详情已记入服务器日志。"))
                st.stop()
            log.warning("query %s: database busy (%s), attempt %d", name, exc, attempt + 1)
            if notice is None:
                notice = st.empty()
                notice.info(t("数据库正忙，正在重试…"))
            time.sleep(BUSY_WAIT_SECONDS)
    st.warning(t("数据库正忙（可能正在导入报告），请稍后刷新页面。"))
    st.stop()


BUSY_RETRIES, BUSY_WAIT_SECONDS = 5, 1.0  # a page waits about 5 s for an ingest's write before it gives up


def _busy(exc: Exception) -> bool:
    """The store's busy/locked error (another process writes): worth a retry; any other error is not."""
    text = f"{type(exc).__name__} {exc}".lower()
    return any(word in text for word in ("busy", "lock", "in use"))


PREVIEW_REPORTS = 1000  # rows a page shows of a selection; downloads and charts use all of it
PREVIEW_LONG = 100  # reports the long table previews: with the applicant breakdown, up to ~270 rows each


def clear_cache() -> None:
    _cached.clear()


def sentences(*texts: str) -> str:
    """Sentences run together in Chinese, spaced in English."""
    return ("" if language() == "zh" else " ").join(text for text in texts if text)


