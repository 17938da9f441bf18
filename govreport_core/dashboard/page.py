"""UI glue: the one library module that imports Streamlit.

The store is opened once per server process (`st.cache_resource`); query results are cached
(`st.cache_data`) with the data version in their key, so an upload or a correction shows on every page at
once. The sidebar's filters live in the URL (`st.query_params`, names in `filters.py`), so a view can be
shared by link; a bad parameter falls back to the default with a notice. So does the language: the sidebar's
English switch adds `lang=en` (Chinese is the default); pages translate their texts with `t`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from govreport_core import labels
from govreport_core.catalog import LEVEL_LABELS
from govreport_core.service.default_data import open_store
from govreport_core.store import DatabaseError, Store, StoreError, default_db_path
from govreport_core.store import queries as q
from govreport_core.store.filters import FILTERS, Filter, Filters, from_params

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


# --- navigation and the view's URL ---------------------------------------------------------------------------

APP = Path(__file__).resolve().parents[2] / "app.py"
VIEW_PARAMS = ("lang", "report")  # not filters, but part of the view a URL reproduces
_run = threading.local()  # .inside: this script run is inside app.py's navigation


def navigate(pages: list[Any]) -> None:
    """app.py's navigation: restores the view's parameters the browser dropped on a page change, runs the page
    chosen (marked as inside the app, see `inside_app`), then remembers the view for the next page."""
    _restore_view()
    _run.inside = True
    try:
        st.navigation(pages).run()
    finally:
        _run.inside = False
        st.session_state["_view"] = dict(st.query_params)


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


def data_version() -> tuple[int, int]:
    """Changes whenever a report is saved or a figure corrected: part of every cache key."""
    return q.data_version(store())


@st.cache_data(show_spinner=False, max_entries=256)
def _cached(_fn: Callable[..., Any], name: str, params: tuple[tuple[str, str], ...] | None, version: tuple[int, int],
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
                st.error(plain(str(exc)) if isinstance(exc, StoreError) else t("读取数据库时出错，详情已记入服务器日志。"))
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


def clear_cache() -> None:
    _cached.clear()


def sidebar_filters() -> Filters:
    """The shared sidebar, drawn from the filter table (filters.FILTERS): areas cascade province → city →
    region, the years are one slider, flags are checkboxes, choices multiselects.

    The URL is the selection's one home: the widgets are set from it before they are drawn (so Back/Forward and
    links show what they name), and a widget the user changes writes the URL in its callback (`_widgets_changed`)."""
    lang = language()
    parsed = from_params(dict(st.query_params), lang)
    for problem in parsed.problems:
        st.sidebar.warning(plain(problem))  # it quotes the URL's value: shown as text, never as markdown
    current = parsed.filters
    options = query(q.options, current)
    st.sidebar.header(t("筛选"))
    for spec in FILTERS:
        if spec.widget:
            _widget(spec, current, options)
    params = {**current.to_params(), **{k: st.query_params[k] for k in VIEW_PARAMS if k in st.query_params}}
    if params != {k: v for k, v in st.query_params.items()}:
        st.query_params.from_dict(params)  # the URL holds the cleaned selection
    st.sidebar.caption(t("当前选择：{selection}").format(selection=plain(current.describe(lang))))
    return current


def _set(key: str, value: Any) -> None:
    # Before the widget is drawn, every run: the URL's value is what it shows. (Each page's widget is a new one
    # with the same key, so the state a previous page left under the key is no guide.)
    st.session_state[key] = value


def _widget(spec: Filter, current: Filters, options: dict[str, list[Any]]) -> None:
    """One filter's sidebar widget, showing the URL's value; a change calls `_widgets_changed`."""
    value = getattr(current, spec.field)
    changed = {"on_change": _widgets_changed, "args": (spec.key,), "key": spec.key}
    if spec.widget == "select":
        # "" stands for 全部 (a None in the state would read as no choice at all: "Choose an option").
        values = ["", *options[spec.field]]
        if value is not None and value not in values:
            values.append(value)  # named by the URL but not in the database: still shown as chosen
        _set(spec.key, value or "")
        everything = t("全部")
        st.sidebar.selectbox(t(spec.label), values, format_func=lambda v: str(v) if v else everything, **changed)
    elif spec.widget == "years" and spec.field == "year_from":
        years = [int(y) for y in options["year"]] or [2019]
        low, high = min(years), max(years)
        st.session_state["_year_span"] = (low, high)
        if low < high:
            start = low if current.year_from is None else max(low, min(current.year_from, high))
            end = high if current.year_to is None else min(high, max(current.year_to, low))
            _set(spec.key, (start, end))
            st.sidebar.slider(t(spec.label), low, high, **changed)
    elif spec.widget == "checkbox":
        _set(spec.key, not spec.is_default(value))
        st.sidebar.checkbox(t(spec.label), help=t(spec.help) if spec.help else None, **changed)
    elif spec.widget == "multiselect":
        # Option names are translated here, not in format_func (which may be called outside the script run).
        names = {k: t(v) for k, v in spec.labels.items()}
        _set(spec.key, list(value))
        st.sidebar.multiselect(t(spec.label), list(names), format_func=names.get, placeholder=t("全部"), **changed)


def _widgets_changed(changed: str) -> None:
    """A sidebar widget's callback (before the script runs): the widgets' values into the URL. Choosing a
    province clears the city and county, choosing a city the county."""
    current = from_params(dict(st.query_params)).filters
    values: dict[str, Any] = {}
    cleared = False
    for spec in FILTERS:
        state = st.session_state.get(spec.key) if spec.widget else None
        if spec.widget == "select":
            values[spec.field] = None if cleared else (state or None)
            cleared = cleared or spec.key == changed
        elif spec.widget == "years":
            low, high = st.session_state.get("_year_span", (None, None))
            if state is None or low is None:
                values[spec.field] = getattr(current, spec.field)
            else:
                bound, end = (state[0], low) if spec.field == "year_from" else (state[1], high)
                values[spec.field] = None if bound == end else int(bound)  # the end of the range is no bound
        elif spec.widget == "checkbox":
            values[spec.field] = (not spec.default) if state else spec.default
        elif spec.widget == "multiselect":
            values[spec.field] = tuple(state or ())
        else:
            values[spec.field] = getattr(current, spec.field)  # URL only: kept
    keep = {k: st.query_params[k] for k in VIEW_PARAMS if k in st.query_params}
    st.query_params.from_dict({**Filters(**values).to_params(), **keep})


def show_chart(figure: Any, empty: str = "") -> None:
    """The chart, or a message (already translated, like every text a page hands these helpers) saying why not."""
    if figure is None:
        st.info(empty or t("所选范围内没有报告。"))
    else:
        st.plotly_chart(figure, width="stretch")


def area_level(filters: Filters) -> str:
    """The level charts compare areas at: provinces, then the chosen province's cities, then a city's regions."""
    return "region" if filters.city else ("city" if filters.province else "province")


def sentences(*texts: str) -> str:
    """Sentences run together in Chinese, spaced in English."""
    return ("" if language() == "zh" else " ").join(text for text in texts if text)


def say_count(reports: int, *extra: str) -> None:
    """How many reports a chart sums, then any further sentences."""
    st.caption(sentences(t("本图汇总 {n} 份报告的数据。").format(n=reports), *extra))


def series_charts(filters: Filters, metrics: tuple[str, ...]) -> None:
    """One chart per metric over the years, compared at the sidebar's area level, each with its report count."""
    from . import charts

    by = area_level(filters)
    for metric in metrics:
        frame = query(q.series, filters, metric=metric, by=by)
        show_chart(charts.series_chart(frame, metric, lang=language()))
        count_caption(frame)


def count_caption(frame: pd.DataFrame, column: str = "reports") -> None:
    """How many reports a chart sums; with several metrics in one frame, the metric given by the most."""
    if frame.empty or column not in frame:
        return
    if "metric" in frame:
        say_count(int(frame.groupby("metric")[column].sum().max()))
    else:
        say_count(int(frame[column].sum()))


def yearly_count_caption(frame: pd.DataFrame, *extra: str) -> None:
    """For per-year sums of several metrics: each year's report count is that of its best-covered metric."""
    if frame.empty:
        if extra:
            st.caption(sentences(*extra))
        return
    say_count(int(frame.groupby("year")["reports"].max().sum()), *extra)


def rates_caption(rates: pd.DataFrame, keys: tuple[str, ...]) -> None:
    data = rates[rates["rate"].isin(keys)].dropna(subset=["value"])
    if not data.empty:
        say_count(int(data.groupby("year")["reports"].max().sum()), t("比率为所选报告合计之比（2019/2021版）。"))


def latest_year_comparison(filters: Filters, metrics: tuple[str, ...], by: str) -> tuple[pd.DataFrame, int | None]:
    """Areas side by side in the latest year of the selection that has any of the metrics."""
    frames = [query(q.series, filters, metric=metric, by=by).assign(metric=metric) for metric in metrics]
    frame = pd.concat([f for f in frames if not f.empty]) if any(not f.empty for f in frames) else frames[0]
    if frame.empty:
        return frame, None
    year = int(frame["year"].max())
    return frame[frame["year"] == year].reset_index(drop=True), year


def report_label(row: dict[str, Any]) -> str:
    """'芦淞区人民政府 · 2019 · file.txt', with missing values said in words (pandas NA is not falsy)."""
    agency = row.get("agency")
    year = row.get("year")
    agency = agency if isinstance(agency, str) and agency else t("（机关不明）")
    year = t("年份不明") if year is None or pd.isna(year) else str(int(year))
    return f"{agency} · {year} · {row.get('file_name')}"


def report_link(report_id: int) -> str:
    """A relative link to one report's 报告详情 that keeps the view (filters, language): `report?report=7&…`."""
    keep = {k: v for k, v in st.query_params.items() if k != "report"}
    return "report?" + urlencode({"report": str(int(report_id)), **keep})


def table(frame: pd.DataFrame, **kwargs: Any) -> None:
    """st.dataframe with column headers (and metric and code labels) in the dashboard's language, the export's
    labels; a row of a report links to its 报告详情 by its number; missing values are blank."""
    from govreport_core.service.export import headers

    shown = headers(frame, language())
    config = dict(kwargs.pop("column_config", None) or {})
    if "report_id" in frame and not frame.empty:
        # The report's number is the link (its text taken back out of the URL by display_text).
        column = shown.columns[list(frame.columns).index("report_id")]
        shown[column] = [report_link(v) if pd.notna(v) else None for v in frame["report_id"]]
        config[column] = st.column_config.LinkColumn(column, display_text=r"report=(\d+)", width="small",
                                                     help=t("打开报告详情"))
    kwargs.setdefault("placeholder", "")  # a missing value is an empty cell, never "None"
    st.dataframe(shown, hide_index=True, column_config=config, **kwargs)


# --- upload ------------------------------------------------------------------------------------------------------


SCOPE_CHOICES = {None: "不明", "body": "机关本身", "area": "地区汇总"}


def metadata_inputs(meta: Any, name: str) -> dict[str, object]:
    """The metadata read from one file, editable before it is saved: what the user changes (an override)."""
    override: dict[str, object] = {}
    unknown = t("不明")
    st.caption(t("读出的报告信息（空着的或不对的可以改正）"))
    top = st.columns([3, 1, 2, 2])
    agency = top[0].text_input(t("发布机关"), value=meta.agency or "", key=f"agency_{name}").strip()
    year = top[1].number_input(t("数据年度"), min_value=0, max_value=2035, value=meta.year or 0, step=1,
                               key=f"year_{name}", help=t("0 表示不明"))
    levels = {None: unknown, **{k: t(v) for k, v in LEVEL_LABELS.items()}}
    level = top[2].selectbox(t("机关层级"), list(levels), index=list(levels).index(meta.level) if meta.level in levels
                             else 0, format_func=levels.get, key=f"level_{name}")
    scopes = {k: t(v) for k, v in SCOPE_CHOICES.items()}
    scope = top[3].selectbox(t("统计范围"), list(scopes), index=list(scopes).index(meta.scope) if meta.scope in scopes
                             else 0, format_func=scopes.get, key=f"scope_{name}")
    area = st.columns(3)
    typed = {field: area[i].text_input(t(label), value=getattr(meta, field) or "", key=f"{field}_{name}").strip()
             for i, (field, label) in enumerate((("province", "省份"), ("city", "地市"), ("region", "县区")))}
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
