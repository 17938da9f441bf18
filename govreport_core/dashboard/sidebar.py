"""The sidebar's filters: one widget per row of `store.filters.FILTERS`, kept in step with the URL.

The URL is the selection's one home: each widget is set from it before it is drawn (so Back/Forward and shared links
show what they name), and a widget the user changes writes the URL in its callback.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st

from govreport_core.store import queries as q
from govreport_core.store.filters import FILTERS, Filter, Filters, from_params

from .page import VIEW_PARAMS, language, plain, query, t


def filters() -> Filters:
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
            _widget(spec, current, options, _counts(spec, current))
    params = {**current.to_params(), **{k: st.query_params[k] for k in VIEW_PARAMS if k in st.query_params}}
    if params != {k: v for k, v in st.query_params.items()}:
        st.query_params.from_dict(params)  # the URL holds the cleaned selection
    st.sidebar.caption(t("当前选择：{selection}").format(selection=plain(current.describe(lang))))
    return current


def _set(key: str, value: Any) -> None:
    # Before the widget is drawn, every run: the URL's value is what it shows. (Each page's widget is a new one
    # with the same key, so the state a previous page left under the key is no guide.)
    st.session_state[key] = value


# The facet (store.queries.facets) that counts each choosing widget's values.
FACET_OF = {"province": "province", "city": "city", "region": "region", "levels": "level", "eras": "format_era"}
# What choosing a value replaces: an area clears the areas below it (filters._widgets_changed does the same).
WIDENED = {"province": ("province", "city", "region"), "city": ("city", "region"), "region": ("region",),
           "levels": ("levels",), "eras": ("eras",)}


def _counts(spec: Filter, current: Filters) -> dict[Any, int] | None:
    """How many reports each choice of this widget would select, the other filters kept (Datasette's facet
    counts): the selection with this filter and those it replaces undone, counted by the filter's column."""
    if spec.field not in FACET_OF:
        return None
    wider = replace(current, **{f: () if f in ("levels", "eras") else None for f in WIDENED[spec.field]})
    frame = query(q.facets, wider)[FACET_OF[spec.field]]
    counts = {v: int(n) for v, n in zip(frame["value"], frame["count"], strict=True) if v is not None and v == v}
    counts[""] = int(frame["count"].sum())  # 全部: every report of the wider selection
    return counts


def _counted(name: str, value: Any, counts: dict[Any, int] | None) -> str:
    return name if counts is None else f"{name} ({counts.get(value, 0):,})"


def _widget(spec: Filter, current: Filters, options: dict[str, list[Any]], counts: dict[Any, int] | None) -> None:
    """One filter's sidebar widget, showing the URL's value and each choice's count; a change calls
    `_widgets_changed`."""
    value = getattr(current, spec.field)
    changed = {"on_change": _widgets_changed, "args": (spec.key,), "key": spec.key}
    if spec.widget == "select":
        # "" stands for 全部 (a None in the state would read as no choice at all: "Choose an option").
        values = ["", *options[spec.field]]
        if value is not None and value not in values:
            values.append(value)  # named by the URL but not in the database: still shown as chosen, and said
            st.sidebar.warning(t("没有{label}为“{value}”的报告。").format(label=t(spec.label), value=plain(value)))
        _set(spec.key, value or "")
        names = {v: _counted(str(v) if v else t("全部"), v, counts) for v in values}
        st.sidebar.selectbox(t(spec.label), values, format_func=names.get, **changed)
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
        names = {k: _counted(t(v), k, counts) for k, v in spec.labels.items()}
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
