"""The map (地图): which areas it shows for a selection, each area's value of the metric the user picks, and the
Plotly figure. No Streamlit here (dashboard/map_widget.py draws it and turns a click into a filter).

What the map shows follows the sidebar: China's provinces; a chosen province's cities (a municipality's
districts); a chosen city's counties, the chosen county outlined. Its data is the selection with the map's own
level and those below undone (`View.widened`), so the areas beside the chosen one stay comparable. Each report is
placed by the name the reports give (the filter a click sets) and its adcode: the gazetteer's code for the name,
else the adcode's prefix. A report that cannot be placed at the level (an unknown area, a city's own report on a
county map, a development zone without a code) is counted apart and said, never drawn on a neighbour.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

import pandas as pd
import plotly.graph_objects as go

from govreport_core.extraction.gazetteer import get_gazetteer
from govreport_core.labels import t
from govreport_core.store.filters import Filters

from . import geometry
from .charts import count_step


@dataclass(frozen=True)
class MapMetric:
    key: str  # the URL's metric=…
    label: str  # Chinese
    numerator: str | None = None  # a catalog metric summed; None: the reports are counted
    denominator: str | None = None  # with one, a ratio of sums over the reports giving both
    per: float = 1.0  # 100: per hundred
    new_format_only: bool = False  # 2019/2021 reports only (the old 统计表's categories differ)

    @property
    def percent(self) -> bool:
        return self.denominator is not None and self.per == 1


MAP_METRICS: dict[str, MapMetric] = {m.key: m for m in (
    MapMetric("reports", "报告数"),
    MapMetric("applications", "新收申请数", "applications_new"),
    MapMetric("granted", "予以公开率", "granted", "processed_total", new_format_only=True),
    MapMetric("review", "每百件新收申请的行政复议数", "review_total", "applications_new", per=100, new_format_only=True),
    MapMetric("litigation", "每百件新收申请的行政诉讼数", "litigation_total", "applications_new", per=100,
              new_format_only=True),
)}
NO_DATA = "#e3e1dc"  # an area with no report in the selection (or none giving the metric)
CHOSEN = "#b3261e"  # the chosen area's outline: the theme's red


@dataclass(frozen=True)
class View:
    level: str  # what each area on the map is: province | city | region
    parent: str | None  # the adcode of the area the map shows (None: China)
    parent_name: str | None
    widened: Filters  # the selection with the map's level and those below undone
    chosen: str | None  # the chosen area's name at the map's level, outlined


def _code(name: str | None, tier: str, **parents: str | None) -> str | None:
    """The gazetteer's adcode of an area name at a tier, its parents agreeing; None for a homonym left open."""
    if not name:
        return None
    found = {a.adcode for a in get_gazetteer().lookup(name) if a.tier == tier and a.adcode
             and all(getattr(a, k) == v for k, v in parents.items() if v)}
    return found.pop() if len(found) == 1 else None


def view(filters: Filters) -> View:
    """The areas the map shows for a selection, and the selection its data is read with."""
    if filters.province and (filters.city or filters.province in _municipalities()):
        city = filters.city or filters.province
        parent = _code(filters.province, "province") if city == filters.province else \
            _code(city, "prefecture", province=filters.province)
        return View("region", parent, city, replace(filters, region=None), filters.region)
    if filters.province:
        return View("city", _code(filters.province, "province"), filters.province,
                    replace(filters, city=None, region=None), filters.city)
    return View("province", None, None, replace(filters, province=None, city=None, region=None), None)


@cache
def _municipalities() -> frozenset[str]:
    return frozenset(a.name for a in geometry.children(None) if a.code[:2] in geometry.MUNICIPALITIES)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _place(row: dict[str, str | None], shown: View) -> tuple[str, str, str] | None:
    """(adcode, filter field, name) of the area a group of reports lies in at the map's level, or None."""
    adcode = row["adcode"] if row["adcode"] and len(row["adcode"]) == 6 and row["adcode"].isdigit() else None
    if shown.level == "province":
        code = _code(row["province"], "province") or (adcode[:2] + "0000" if adcode else None)
        return (code, "province", row["province"]) if code and row["province"] else None
    if shown.level == "city":
        if row["city"]:
            code = _code(row["city"], "prefecture", province=shown.parent_name) or (
                adcode[:4] + "00" if adcode and adcode[2:4] != "90" else None)
            return (code, "city", row["city"]) if code else None
        if row["region"] and adcode and adcode[2:4] == "90":  # a county city the province runs (仙桃市)
            return adcode, "region", row["region"]
        return None
    region = row["region"]
    if not region or region == shown.parent_name:
        return None  # the city's own report: no county of it
    code = adcode if adcode and not adcode.endswith("00") else _code(region, "county", city=shown.parent_name)
    return (code, "region", region) if code else None


def values(data: pd.DataFrame, shown: View, metric: MapMetric, areas: list[geometry.Area]) -> tuple[pd.DataFrame, int]:
    """Each area's value (areas in `areas` only): code, name (the reports' own), field (the filter a click sets),
    reports, given (reports giving the metric), numerator, denominator, value (NaN: none gives it); and how many
    reports of the selection are on no area of the map."""
    columns = ["code", "name", "field", "reports", "given", "numerator", "denominator", "value"]
    known = {a.code for a in areas}
    rows, apart = [], 0
    for _, row in data.iterrows():
        place = _place({k: _text(row[k]) for k in ("province", "city", "region", "adcode")}, shown)
        if place is None or place[0] not in known:
            apart += int(row["reports"])
            continue
        rows.append({"code": place[0], "field": place[1], "name": place[2], "reports": int(row["reports"]),
                     "given": int(row["given"]), "numerator": row.get("numerator"),
                     "denominator": row.get("denominator")})
    if not rows:
        return pd.DataFrame(columns=columns), apart
    frame = pd.DataFrame(rows)
    names = frame.sort_values("reports", ascending=False, kind="stable").groupby("code")[["name", "field"]].first()
    frame = frame.groupby("code")[["reports", "given", "numerator", "denominator"]].sum(min_count=1).join(names)
    if metric.numerator is None:
        frame["value"] = frame["reports"].astype(float)
    elif metric.denominator is None:
        frame["value"] = frame["numerator"].where(frame["given"] > 0)
    else:
        frame["value"] = (frame["numerator"] / frame["denominator"].where(frame["denominator"] > 0)) * metric.per
    return frame.reset_index()[columns], apart


def value_text(value: float, metric: MapMetric) -> str:
    if metric.percent:
        return f"{value:.2%}"
    if metric.denominator is not None:
        return f"{value:,.2f}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _hover(row: pd.Series, metric: MapMetric, lang: str) -> str:
    """The exact value and the reports it sums, in words."""
    label = t(metric.label, lang)
    lines = [f"<b>{row['name']}</b>"]
    if metric.numerator is None:
        lines.append(t("{label}：{value}", lang).format(label=label, value=f"{int(row['reports']):,}"))
        return "<br>".join(lines)
    lines.append(t("{label}：{value}", lang).format(label=label, value=value_text(row["value"], metric)))
    if metric.denominator is not None:
        lines.append(t("（{numerator:,.0f} ÷ {denominator:,.0f}）", lang).format(
            numerator=row["numerator"], denominator=row["denominator"]) if metric.per == 1 else
            t("（{numerator:,.0f} ÷ {denominator:,.0f} × 100）", lang).format(
                numerator=row["numerator"], denominator=row["denominator"]))
    lines.append(t("汇总 {given} 份报告（所选范围内共 {reports} 份）", lang).format(
        given=int(row["given"]), reports=int(row["reports"])))
    return "<br>".join(lines)


def _empty_hover(name: str, reports: int, lang: str) -> str:
    if reports:
        return f"<b>{name}</b><br>" + t("{reports} 份报告，均未给出这项指标", lang).format(reports=reports)
    return f"<b>{name}</b><br>" + t("所选范围内没有报告", lang)


def figure(frame: pd.DataFrame, areas: list[geometry.Area], shown: View, metric: MapMetric,
           lang: str = "zh") -> go.Figure:
    """The choropleth: areas with a value coloured (hover: the exact value and its reports), the others grey and
    said so, the chosen area outlined; on the national map the South China Sea's maritime boundary too."""
    tolerance = geometry.TOLERANCE[shown.level]
    coloured = frame[frame["value"].notna()]
    reports = dict(zip(frame["code"], frame["reports"], strict=True))
    grey = [a for a in areas if a.code not in set(coloured["code"])]
    top = float(coloured["value"].max()) if not coloured.empty else 1.0
    if metric.percent:
        bar = {"tickformat": ".0%"}
    elif metric.denominator is None:
        bar = {"tick0": 0, "dtick": count_step(top), "tickformat": ",d"}
    else:
        bar = {"tickformat": ",.1f"}
    bar |= {"title": {"text": t(metric.label, lang), "side": "right"}, "len": 0.6, "thickness": 14}
    traces = [
        go.Choropleth(featureidkey="id", locations=[a.code for a in grey], z=[0] * len(grey),
                      colorscale=[[0, NO_DATA], [1, NO_DATA]], showscale=False, name=t("无数据", lang),
                      customdata=[[a.code] for a in grey], marker_line_color="white", marker_line_width=0.6,
                      hovertext=[_empty_hover(a.name, int(reports.get(a.code, 0)), lang) for a in grey],
                      hovertemplate="%{hovertext}<extra></extra>"),
        go.Choropleth(featureidkey="id", locations=coloured["code"].tolist(),
                      z=coloured["value"].tolist(), zmin=0, zmax=top if top > 0 else 1, colorscale="Blues",
                      colorbar=bar, name=t(metric.label, lang), customdata=[[c] for c in coloured["code"]],
                      marker_line_color="white", marker_line_width=0.6,
                      hovertext=[_hover(row, metric, lang) for _, row in coloured.iterrows()],
                      hovertemplate="%{hovertext}<extra></extra>"),
    ]
    chosen = frame[frame["name"] == shown.chosen]["code"].tolist() if shown.chosen else []
    if chosen:
        traces.append(go.Choropleth(featureidkey="id", locations=chosen, z=[0],
                                    colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False,
                                    marker_line_color=CHOSEN, marker_line_width=2.5, hoverinfo="skip"))
    geo = {"visible": False, "projection_type": "mercator", "fitbounds": "locations"}
    lons, lats = geometry.maritime_line() if shown.level == "province" else ([], [])
    if shown.level == "province":
        geo = {"visible": False, "projection_type": "mercator", "lonaxis_range": [73, 136], "lataxis_range": [3, 54]}
    # First, a trace placed by longitude and latitude: plotly.js (as Streamlit 1.67 bundles it) asks its CDN for a
    # world base map when the first trace has a location mode, as a choropleth does, even with every base layer
    # hidden. So the map needs no network (tests/test_browser.py checks no request leaves the machine).
    line = go.Scattergeo(lon=lons, lat=lats, mode="lines", line={"color": "#9e9e9e", "width": 1}, hoverinfo="skip",
                         showlegend=False)
    result = go.Figure([line, *traces])
    for trace in result.data[1:]:  # each its own areas' outlines, set after: go.Figure deep-copies what it is given
        trace.update(geojson=geometry.collection(tuple(trace.locations), tolerance))
    place = shown.parent_name or t("全国", lang)
    result.update_layout(title=t("{place}：{label}", lang).format(place=place, label=t(metric.label, lang)),
                         geo=geo, margin={"l": 0, "r": 0, "t": 48, "b": 0}, height=640, showlegend=False,
                         dragmode=False)
    return result
