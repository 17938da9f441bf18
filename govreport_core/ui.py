"""UI glue: the one library module that imports Streamlit.

The store is opened once per server process (`st.cache_resource`); query results are cached
(`st.cache_data`) with the data version in their key, so an upload or a correction shows on every page at
once. The sidebar's filters live in the URL (`st.query_params`, names in `filters.py`), so a view can be
shared by link; a bad parameter falls back to the default with a notice. So does the language: the sidebar's
English switch adds `lang=en` (Chinese is the default); pages translate their texts with `t`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from . import i18n
from .default import open_store
from .filters import FILTERS, Filter, Filters, from_params
from .store import Store, default_db_path
from .store import queries as q


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
    return i18n.t(text, language())


def label(key: str) -> str:
    """A metric's label in the dashboard's language."""
    return i18n.label(key, language())


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


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    return open_store(path)


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
    return _cached(fn, f"{fn.__module__}.{fn.__qualname__}", params, data_version(), tuple(sorted(kwargs.items())))


PREVIEW_REPORTS = 1000  # rows a page shows of a selection; downloads and charts use all of it


def export_later(fn: Callable[..., Any], filters: Filters, fmt: str, language: str) -> Callable[[], bytes]:
    """The bytes of a filtered table in one format, built only when called (st.download_button's deferred data)."""
    from .export import export_bytes

    source = store()

    def build() -> bytes:
        return export_bytes(fn(source, filters), fmt, language)

    return build


def clear_cache() -> None:
    _cached.clear()


def sidebar_filters() -> Filters:
    """The shared sidebar, drawn from the filter table (filters.FILTERS): areas cascade province → city →
    region, the years are one slider, flags are checkboxes, choices multiselects. Kept in the URL."""
    lang = language()
    parsed = from_params(dict(st.query_params), lang)
    for problem in parsed.problems:
        st.sidebar.warning(plain(problem))  # it quotes the URL's value: shown as text, never as markdown
    current = parsed.filters
    options = query(q.options, current)
    st.sidebar.header(t("筛选"))
    chosen: dict[str, Any] = {}
    parent_kept = True  # a city stays chosen only while its province does
    for spec in FILTERS:
        value = getattr(current, spec.field)
        if spec.widget == "select":
            kept = value if parent_kept else None
            chosen[spec.field] = _choice(t(spec.label), [None, *options[spec.field]], kept, spec.key)
            parent_kept = parent_kept and chosen[spec.field] == value
        elif spec.widget == "years" and spec.field == "year_from":
            chosen["year_from"], chosen["year_to"] = _years(spec, current, options["year"])
        elif spec.widget == "checkbox":
            ticked = st.sidebar.checkbox(t(spec.label), value=not spec.is_default(value), key=spec.key,
                                         help=t(spec.help) if spec.help else None)
            chosen[spec.field] = (not spec.default) if ticked else spec.default
        elif spec.widget == "multiselect":
            # Option names are translated here, not in format_func (which may be called outside the script run).
            names = {k: t(v) for k, v in spec.labels.items()}
            chosen[spec.field] = tuple(st.sidebar.multiselect(
                t(spec.label), list(names), default=list(value), format_func=names.get, key=spec.key,
                placeholder=t("全部")))
        elif not spec.widget:
            chosen[spec.field] = value  # URL only: kept as it came
    filters = Filters(**chosen)
    params = filters.to_params()
    if lang == "en":
        params["lang"] = "en"  # not a filter, but rewriting the URL must not drop it
    if "report" in st.query_params:
        params["report"] = st.query_params["report"]
    if params != {k: v for k, v in st.query_params.items()}:
        st.query_params.from_dict(params)
    st.sidebar.caption(t("当前选择：{selection}").format(selection=filters.describe(lang)))
    return filters


def _years(spec: Filter, current: Filters, available: list[Any]) -> tuple[int | None, int | None]:
    """The year range slider over the years in the database; a bound at the end of the range is no bound."""
    years = [int(y) for y in available] or [2019]
    low, high = min(years), max(years)
    start = current.year_from if current.year_from is not None else low
    end = current.year_to if current.year_to is not None else high
    if low < high:
        start, end = st.sidebar.slider(t(spec.label), low, high, (max(low, min(start, high)), min(high, max(end, low))),
                                       key=spec.key)
    return (start if start != low else None), (end if end != high else None)


def _choice(label: str, values: list[Any], current: Any, key: str) -> Any:
    index = values.index(current) if current in values else 0
    everything = t("全部")
    return st.sidebar.selectbox(label, values, index=index, format_func=lambda v: everything if v is None else str(v),
                                key=key)


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


def table(frame: pd.DataFrame, **kwargs: Any) -> None:
    """st.dataframe with column headers (and metric labels) in the dashboard's language: the export's labels."""
    from .export import headers

    st.dataframe(headers(frame, language()), hide_index=True, **kwargs)
