"""Charts: DataFrames from the queries -> Plotly figures with Chinese (or, with lang="en", English) titles and
axes. No Streamlit here.

Every function returns None for an empty frame, so a page can show "no report in this selection"
instead of an empty chart. Hover shows exact values and which reports a point sums. Texts are written in
Chinese and translated by `i18n.t` where the figure is built; area and agency names are data and stay as given.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from govreport_core import catalog
from govreport_core.labels import label, t


def _shades(dark: str, light: str, n: int) -> list[str]:
    """n colours from dark to light (one family), as #rrggbb."""
    a, b = (tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in (dark, light))
    steps = [i / (n - 1) if n > 1 else 0.0 for i in range(n)]
    return ["#" + "".join(f"{round(x + (y - x) * s):02x}" for x, y in zip(a, b, strict=True)) for s in steps]


# One colour family per outcome group of table 3 (FORMATS §2.2), a shade per row inside it.
_GROUP_FAMILIES = dict(zip(catalog.OUTCOME_GROUPS, (("#1b5e20", "#1b5e20"), ("#7cb342", "#7cb342"), ("#b71c1c", "#ef9a9a"),
                                                    ("#e65100", "#ffcc80"), ("#4a148c", "#ce93d8"), ("#616161", "#bdbdbd")),
                           strict=True))
OUTCOME_COLOURS: dict[str, str] = {}
OUTCOME_GROUP_OF: dict[str, str] = {}
for _group, _keys in catalog.OUTCOME_GROUP_LEAVES.items():
    OUTCOME_COLOURS |= dict(zip(_keys, _shades(*_GROUP_FAMILIES[_group], len(_keys)), strict=True))
    OUTCOME_GROUP_OF |= dict.fromkeys(_keys, _group)


def _hover(fields: dict[str, str], lang: str) -> str:
    """A hovertemplate showing the y value exactly, then each customdata column by its name."""
    lines = [f"{t(name, lang)}: %{{customdata[{i}]}}" for i, name in enumerate(fields.values())]
    return "<br>".join(["%{x}: %{y:,.6~g}", *lines]) + "<extra>%{fullData.name}</extra>"


def _traces(frame: pd.DataFrame, by: str, order: list[str] | None, make) -> list:
    """One trace per value of `by`, in `order` if given (built with graph_objects: Plotly Express costs ~10 ms a trace)."""
    groups = dict(tuple(frame.groupby(by, sort=order is None)))
    names = [n for n in (order or list(groups)) if n in groups]
    return [make(str(name), groups[name]) for name in names]


def _figure(traces: list, title: str, x_title: str, y_title: str, lang: str, **layout) -> go.Figure:
    """A figure whose title, axis and legend titles are translated here (t leaves composed titles as they are)."""
    figure = go.Figure(traces)
    figure.update_layout(title=t(title, lang), xaxis_title=t(x_title, lang), yaxis_title=t(y_title, lang),
                         legend_title_text=t(layout.pop("legend", ""), lang), hovermode="closest", **layout)
    return figure


def count_step(top: float) -> int:
    """A whole tick step of 1, 2, 5, 10, 20, … giving at most eight ticks from 0 up to `top`."""
    step = 1
    while top / step > 8:
        step *= {1: 2, 2: 2.5, 5: 2}[int(str(int(step))[0])]
    return int(step)


def count_axis(figure: go.Figure, top: float, axis: str = "y") -> go.Figure:
    """Whole-number ticks for a count axis (`count_step`)."""
    update = figure.update_yaxes if axis == "y" else figure.update_xaxes
    update(tick0=0, dtick=count_step(top), tickformat=",d", rangemode="tozero")
    return figure


def _number(value: float) -> str:
    """A value as written for reading: 1,234 for a count, 7,730.28 for an amount."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def _label_single_points(figure: go.Figure, percent: bool = False) -> go.Figure:
    """A line trace with one point becomes a marker with its value written beside it (a lone point floats)."""
    for trace in figure.data:
        if isinstance(trace, go.Scatter) and trace.y is not None and len(trace.y) == 1:
            value = trace.y[0]
            trace.update(mode="markers+text", marker_size=10, textposition="top center",
                         text=[f"{value:.1%}" if percent else _number(value)])
    return figure


MAX_AREAS = 10  # lines a chart can show legibly; the rest are summed into one line that says how many


def top_areas(frame: pd.DataFrame, limit: int = MAX_AREAS, lang: str = "zh") -> pd.DataFrame:
    """Keep the `limit` areas with the largest totals; sum the others per year into "其他N个地区" (sums stay sums)."""
    totals = frame.groupby("area")["value"].sum().sort_values(ascending=False, kind="stable")
    if len(totals) <= limit + 1:
        return frame.assign(_order=frame["area"].map({a: i for i, a in enumerate(totals.index)})).sort_values(
            ["_order", "year"]).drop(columns="_order")
    keep = list(totals.index[:limit])
    kept = frame[frame["area"].isin(keep)]
    rest = frame[~frame["area"].isin(keep)].groupby("year", as_index=False).agg(value=("value", "sum"),
                                                                             reports=("reports", "sum"))
    rest = rest.assign(area=t("其他{n}个地区", lang).format(n=len(totals) - limit), agencies=t("（多个机关）", lang))
    order = {a: i for i, a in enumerate(keep)}
    kept = kept.assign(_order=kept["area"].map(order)).sort_values(["_order", "year"]).drop(columns="_order")
    return pd.concat([kept, rest[kept.columns]], ignore_index=True)


def series_chart(frame: pd.DataFrame, metric: str, title: str | None = None, lang: str = "zh") -> go.Figure | None:
    """A metric per year, one line per area; hover names the reports summed."""
    if frame.empty:
        return None
    frame = top_areas(frame, lang=lang)
    fields = {"reports": "报告数", "agencies": "报告机关"}
    traces = _traces(frame, "area", list(dict.fromkeys(frame["area"])), lambda name, g: go.Scatter(
        x=g["year"], y=g["value"], name=name, mode="lines+markers", customdata=g[list(fields)].to_numpy(),
        hovertemplate=_hover(fields, lang)))
    name = label(metric, lang)
    figure = _figure(traces, title or t("{label}（按年度）", lang).format(label=name), "年度", name, lang, legend="地区")
    figure.update_xaxes(dtick=1)
    if catalog.METRICS[metric].kind != catalog.Kind.MONEY:
        count_axis(figure, float(frame["value"].max()))
    return _label_single_points(figure)


def _stacked_bars(frame: pd.DataFrame, by: str, names: dict[str, str], colours: dict[str, str], title: str,
                  lang: str, y_title: str = "件数", legend: str = "") -> go.Figure:
    fields = {"reports": "报告数"}
    traces = _traces(frame, by, list(names), lambda key, g: go.Bar(
        x=g["year"], y=g["value"], name=names[key], marker_color=colours.get(key), customdata=g[list(fields)].to_numpy(),
        hovertemplate=_hover(fields, lang)))
    figure = _figure(traces, title, "年度", y_title, lang, barmode="stack", legend=legend)
    figure.update_xaxes(dtick=1)
    return count_axis(figure, float(frame.groupby("year")["value"].sum().max()))


def outcomes_chart(frame: pd.DataFrame, as_share: bool = False, lang: str = "zh") -> go.Figure | None:
    """Outcomes of applications stacked per year (2019/2021 formats only: old categories do not add up), as
    table 3 groups them: one legend entry per group （一）–（六）, its rows in shades of the group's colour (the
    hover names the row); as shares of each year's outcomes with `as_share`."""
    if frame.empty:
        return None
    data = frame[frame["metric"].isin(list(OUTCOME_COLOURS))]
    if as_share:
        year_totals = data.groupby("year")["value"].transform("sum")
        data = data.assign(value=data["value"] / year_totals.where(year_totals > 0))
    value = "%{y:.1%}" if as_share else "%{y:,.6~g}"
    traces, grouped = [], set()
    for key in (k for k in OUTCOME_COLOURS if k in set(data["metric"])):  # printed order
        part = data[data["metric"] == key]
        group = OUTCOME_GROUP_OF[key]
        traces.append(go.Bar(  # the legend entry of a group is its first row's trace
            x=part["year"], y=part["value"], name=t(catalog.OUTCOME_GROUP_LABELS[group], lang), legendgroup=group,
            showlegend=group not in grouped, marker_color=OUTCOME_COLOURS[key], customdata=part[["reports"]].to_numpy(),
            hovertemplate=f"%{{x}}: {value}<br>{t('报告数', lang)}: %{{customdata[0]}}<extra>{label(key, lang)}</extra>"))
        grouped.add(group)
    title = "依申请公开办理结果占比（2019/2021版报告）" if as_share else "依申请公开办理结果（2019/2021版报告）"
    figure = _figure(traces, title, "年度", "占当年办理结果的比例" if as_share else "件数", lang, barmode="stack",
                     legend="办理结果")
    figure.update_xaxes(dtick=1)
    if as_share:
        figure.update_yaxes(tickformat=".0%", range=[0, 1])
    else:
        count_axis(figure, float(data.groupby("year")["value"].sum().max()))
    return figure


def stacked_chart(frame: pd.DataFrame, title: str, lang: str = "zh") -> go.Figure | None:
    """Per-year sums of a few metrics (from yearly_sums) stacked in one bar per year."""
    if frame.empty or not frame["value"].sum():
        return None
    names = {k: label(k, lang) for k in dict.fromkeys(frame["metric"])}
    return _stacked_bars(frame, "metric", names, {}, title, lang, legend="指标")


def rates_chart(frame: pd.DataFrame, keys: tuple[str, ...], lang: str = "zh") -> go.Figure | None:
    data = frame[frame["rate"].isin(keys)].dropna(subset=["value"])
    if data.empty:
        return None
    fields = {"numerator": "分子", "denominator": "分母", "reports": "报告数"}
    traces = _traces(data, "rate", list(keys), lambda key, g: go.Scatter(
        x=g["year"], y=g["value"], name=t(catalog.RATES[key].label_zh, lang), mode="lines+markers",
        customdata=g[list(fields)].to_numpy(), hovertemplate=_hover(fields, lang).replace("%{y:,.6~g}", "%{y:.2%}")))
    figure = _figure(traces, "比率（所选报告合计之比）", "年度", "比率", lang, legend="指标")
    figure.update_yaxes(tickformat=".0%", rangemode="tozero")
    figure.update_xaxes(dtick=1)
    return _label_single_points(figure, percent=True)


REVIEW_GROUP_LABELS = {group.key: group.label_zh for group in catalog.TABLE4_GROUPS}
REVIEW_OUTCOME_LABELS = {leaf: leaf_zh for leaf, leaf_zh, _ in catalog.TABLE4_LEAVES if leaf in catalog.TABLE4_OUTCOMES}
REVIEW_OUTCOME_COLOURS = dict(zip(catalog.TABLE4_OUTCOMES, ("#1565c0", "#c62828", "#9e9e9e", "#f9a825"), strict=True))


def review_outcomes_chart(frame: pd.DataFrame, lang: str = "zh") -> go.Figure | None:
    """维持/纠正/其他/尚未审结 stacked per year, one panel per group (review, direct suits, suits after review)."""
    if frame.empty or not frame["value"].sum():
        return None
    from plotly.subplots import make_subplots

    groups = list(REVIEW_GROUP_LABELS)
    figure = make_subplots(rows=1, cols=len(groups), shared_yaxes=True,
                           subplot_titles=[t(name, lang) for name in REVIEW_GROUP_LABELS.values()])
    fields = {"reports": "报告数"}
    for column, group in enumerate(groups, start=1):
        part = frame[frame["group"] == group]
        for outcome, name in REVIEW_OUTCOME_LABELS.items():
            g = part[part["outcome"] == outcome]
            figure.add_trace(go.Bar(x=g["year"], y=g["value"], name=t(name, lang), legendgroup=outcome,
                                    showlegend=column == 1, marker_color=REVIEW_OUTCOME_COLOURS[outcome],
                                    customdata=g[list(fields)].to_numpy(), hovertemplate=_hover(fields, lang)),
                             row=1, col=column)
    figure.update_layout(title=t("行政复议、行政诉讼审理结果（2019/2021版表四）", lang), barmode="stack",
                         legend_title_text=t("审理结果", lang))
    figure.update_xaxes(dtick=1, title_text=t("年度", lang))
    figure.update_yaxes(title_text=t("件数", lang), col=1)
    return count_axis(figure, float(frame.groupby(["group", "year"])["value"].sum().max()))


def comparison_chart(frame: pd.DataFrame, metrics: dict[str, str], title: str, lang: str = "zh") -> go.Figure | None:
    """Areas side by side for one year: grouped bars of several metrics (frame: area, metric, value, reports);
    `metrics` names each metric's bars, translated here like the title."""
    if frame.empty:
        return None
    fields = {"reports": "报告数", "agencies": "报告机关"}
    traces = _traces(frame, "metric", list(metrics), lambda key, g: go.Bar(
        x=g["area"], y=g["value"], name=t(metrics[key], lang), customdata=g[list(fields)].to_numpy(),
        hovertemplate=_hover(fields, lang)))
    figure = _figure(traces, title, "地区", "件数", lang, barmode="group", legend="指标")
    figure.update_xaxes(categoryorder="total descending")
    return count_axis(figure, float(frame["value"].max()))


def coverage_chart(matrix: pd.DataFrame, title: str = "报告覆盖（地区 × 年度）", lang: str = "zh") -> go.Figure | None:
    if matrix.empty:
        return None
    counts = matrix.to_numpy()
    # A count of reports: the colour bar ticks whole reports from 0 (never 0.5 of a report).
    colorbar = {"title": {"text": t("报告数", lang)}, "tick0": 0, "dtick": count_step(float(counts.max())),
                "tickformat": ",d"}
    figure = go.Figure(go.Heatmap(z=counts, x=[str(c) for c in matrix.columns], y=list(matrix.index), zmin=0,
                                  colorscale="Blues", texttemplate="%{z}", colorbar=colorbar,
                                  hovertemplate=t("%{y} %{x}年: %{z} 份报告", lang) + "<extra></extra>"))
    figure.update_layout(title=t(title, lang), xaxis_title=t("年度", lang), yaxis_title=t("地区", lang),
                         xaxis_type="category", height=max(400, 22 * len(matrix) + 160))
    return figure


def breakdown_chart(frame: pd.DataFrame, lang: str = "zh") -> go.Figure | None:
    if frame.empty or frame["value"].fillna(0).sum() == 0:
        return None
    fields = {"reports": "报告数"}
    applicants = [t(catalog.APPLICANT_LABELS[a], lang) for a in frame["applicant"]]
    figure = _figure([go.Bar(x=applicants, y=frame["value"], name=t("新收申请数", lang),
                             customdata=frame[list(fields)].to_numpy(), hovertemplate=_hover(fields, lang))],
                     "新收申请的申请人构成", "申请人类型", "新收申请数", lang)
    return count_axis(figure, float(frame["value"].max()))


FLOW_IN = catalog.TABLE3_RECEIVED
FLOW_OUT = (*catalog.OUTCOME_GROUPS, "carried_to_next_year")
FLOW_KEYS = (*FLOW_IN, *FLOW_OUT)


def flow_chart(totals: dict[str, float], lang: str = "zh", reports: int | None = None) -> go.Figure | None:
    """Sankey from received and carried-over applications to outcomes and carried to next year; every node says
    its number, and the hover how many reports the flow sums. Flows of 0 are left out (a node without width)."""
    inflow = {k: v for k in FLOW_IN if (v := totals.get(k, 0.0))}
    outflow = {k: v for k in FLOW_OUT if (v := totals.get(k, 0.0))}
    if not inflow or not outflow:
        return None

    def named(text: str, value: float) -> str:
        return f"{text} {_number(value)}"

    def name(key: str) -> str:  # an outcome group by its printed name (不予公开, not 不予公开合计)
        return t(catalog.OUTCOME_GROUP_LABELS[key], lang) if key in catalog.OUTCOME_GROUP_LABELS else label(key, lang)

    hub_value = max(sum(inflow.values()), sum(outflow.values()))
    labels = ([named(name(k), v) for k, v in inflow.items()] + [named(t("办理", lang), hub_value)]
              + [named(name(k), v) for k, v in outflow.items()])
    # Outcome groups in their chart colour (the group's darkest shade); the rest in neutral blues and grey.
    colours = (["#1565c0"] * len(inflow) + ["#90caf9"]
               + [OUTCOME_COLOURS[catalog.OUTCOME_GROUP_LEAVES[k][0]] if k in catalog.OUTCOME_GROUP_LEAVES else "#9e9e9e"
                  for k in outflow])
    hub = len(inflow)
    sources = [*range(hub), *[hub] * len(outflow)]
    targets = [*[hub] * hub, *range(hub + 1, hub + 1 + len(outflow))]
    values = [*inflow.values(), *outflow.values()]
    summed = "" if reports is None else "<br>" + t("汇总 {n} 份报告", lang).format(n=reports)
    figure = go.Figure(go.Sankey(
        node={"label": labels, "color": colours, "pad": 15, "hovertemplate": "%{label}" + summed + "<extra></extra>"},
        link={"source": sources, "target": targets, "value": values,
              "hovertemplate": "%{source.label} → %{target.label}: %{value:,.6~g}" + summed + "<extra></extra>"}))
    figure.update_layout(title=t("申请的来龙去脉（新收+结转 = 办理结果+结转下年）", lang))
    return figure


def flow_gap(totals: dict[str, float]) -> float:
    """Inflow minus outflow of the Sankey: 0 when every summed report balances (rule K1)."""
    return sum(totals.get(k, 0.0) for k in FLOW_IN) - sum(totals.get(k, 0.0) for k in FLOW_OUT)
