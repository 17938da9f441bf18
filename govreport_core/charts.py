"""Charts: DataFrames from the queries -> Plotly figures with Chinese (or, with lang="en", English) titles and
axes. No Streamlit here.

Every function returns None for an empty frame, so a page can show "no report in this selection"
instead of an empty chart. Hover shows exact values and which reports a point sums. Texts are written in
Chinese and translated by `i18n.t` where the figure is built; area and agency names are data and stay as given.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from . import catalog
from .i18n import label, t

OUTCOME_COLOURS = {"granted": "#2e7d32", "partially_granted": "#81c784", "other_handling": "#9e9e9e"}
for _key in catalog.DERIVED_SUMS["denied_total"]:
    OUTCOME_COLOURS[_key] = "#c62828"  # one colour family per outcome group (FORMATS §2.2)
for _key in catalog.DERIVED_SUMS["unable_total"]:
    OUTCOME_COLOURS[_key] = "#ef6c00"
for _key in catalog.DERIVED_SUMS["not_processed_total"]:
    OUTCOME_COLOURS[_key] = "#6a1b9a"


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
    return figure


def _stacked_bars(frame: pd.DataFrame, by: str, names: dict[str, str], colours: dict[str, str], title: str,
                  lang: str, y_title: str = "件数", legend: str = "") -> go.Figure:
    fields = {"reports": "报告数"}
    traces = _traces(frame, by, list(names), lambda key, g: go.Bar(
        x=g["year"], y=g["value"], name=names[key], marker_color=colours.get(key), customdata=g[list(fields)].to_numpy(),
        hovertemplate=_hover(fields, lang)))
    figure = _figure(traces, title, "年度", y_title, lang, barmode="stack", legend=legend)
    figure.update_xaxes(dtick=1)
    return figure


def outcomes_chart(frame: pd.DataFrame, as_share: bool = False, lang: str = "zh") -> go.Figure | None:
    """Outcomes of applications stacked per year (2019/2021 formats only: old categories do not add up);
    as shares of each year's outcomes with `as_share`."""
    if frame.empty:
        return None
    names = {k: label(k, lang) for k in OUTCOME_COLOURS}
    if not as_share:
        return _stacked_bars(frame, "metric", names, OUTCOME_COLOURS, "依申请公开办理结果（2019/2021版报告）", lang,
                             legend="办理结果")
    year_totals = frame.groupby("year")["value"].transform("sum")
    shares = frame.assign(value=frame["value"] / year_totals.where(year_totals > 0))
    figure = _stacked_bars(shares, "metric", names, OUTCOME_COLOURS, "依申请公开办理结果占比（2019/2021版报告）", lang,
                           y_title="占当年办理结果的比例", legend="办理结果")
    figure.update_traces(hovertemplate=_hover({"reports": "报告数"}, lang).replace("%{y:,.6~g}", "%{y:.1%}"))
    figure.update_yaxes(tickformat=".0%")
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
    figure.update_yaxes(tickformat=".0%")
    figure.update_xaxes(dtick=1)
    return figure


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
    return figure


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
    return figure


def coverage_chart(matrix: pd.DataFrame, title: str = "报告覆盖（地区 × 年度）", lang: str = "zh") -> go.Figure | None:
    if matrix.empty:
        return None
    figure = go.Figure(go.Heatmap(z=matrix.to_numpy(), x=[str(c) for c in matrix.columns], y=list(matrix.index),
                                  colorscale="Blues", texttemplate="%{z}", colorbar_title=t("报告数", lang),
                                  hovertemplate=t("%{y} %{x}年: %{z} 份报告", lang) + "<extra></extra>"))
    figure.update_layout(title=t(title, lang), xaxis_title=t("年度", lang), yaxis_title=t("地区", lang),
                         xaxis_type="category", height=max(400, 22 * len(matrix) + 160))
    return figure


def breakdown_chart(frame: pd.DataFrame, lang: str = "zh") -> go.Figure | None:
    if frame.empty or frame["value"].fillna(0).sum() == 0:
        return None
    fields = {"reports": "报告数"}
    applicants = [t(catalog.APPLICANT_LABELS[a], lang) for a in frame["applicant"]]
    return _figure([go.Bar(x=applicants, y=frame["value"], name=t("新收申请数", lang),
                           customdata=frame[list(fields)].to_numpy(), hovertemplate=_hover(fields, lang))],
                   "新收申请的申请人构成", "申请人类型", "新收申请数", lang)


FLOW_IN = catalog.TABLE3_RECEIVED
FLOW_OUT = (*catalog.OUTCOME_GROUPS, "carried_to_next_year")
FLOW_KEYS = (*FLOW_IN, *FLOW_OUT)


def flow_chart(totals: dict[str, float], lang: str = "zh") -> go.Figure | None:
    """Sankey from received and carried-over applications to outcomes and carried to next year."""
    inflow = {k: totals.get(k, 0.0) for k in FLOW_IN}
    outflow = {k: totals.get(k, 0.0) for k in FLOW_OUT}
    if not sum(inflow.values()) or not sum(outflow.values()):
        return None
    labels = [label(k, lang) for k in inflow] + [t("办理", lang)] + [label(k, lang) for k in outflow]
    hub = len(inflow)
    sources = [*range(hub), *[hub] * len(outflow)]
    targets = [*[hub] * hub, *range(hub + 1, hub + 1 + len(outflow))]
    values = [*inflow.values(), *outflow.values()]
    figure = go.Figure(go.Sankey(node={"label": labels, "pad": 15}, link={"source": sources, "target": targets,
                                                                          "value": values}))
    figure.update_layout(title=t("申请的来龙去脉（新收+结转 = 办理结果+结转下年）", lang))
    return figure


def flow_gap(totals: dict[str, float]) -> float:
    """Inflow minus outflow of the Sankey: 0 when every summed report balances (rule K1)."""
    return sum(totals.get(k, 0.0) for k in FLOW_IN) - sum(totals.get(k, 0.0) for k in FLOW_OUT)


def table_grids(figures: pd.DataFrame, era: str | None, lang: str = "zh") -> dict[str, pd.DataFrame]:
    """Tables 2 and 4 of one report rebuilt as printed grids (rows × columns), from its 总计 figures."""
    values = {m: v for m, a, v in zip(figures["metric"], figures["applicant"], figures["value"], strict=True)
              if a == "total"}
    grids: dict[str, pd.DataFrame] = {}
    columns = catalog.TABLE2_COLUMNS.get(catalog.Era(era)) if era in ("2019", "2021") else None
    if columns:
        block_labels = {block: t(fragments[0], lang) for block, fragments in catalog.TABLE2_ROWS}
        # 行政事业性收费's "prev_year_items" is the same printed column as the others' "prev_year".
        rows = {block_labels[block]: {col.replace("prev_year_items", "prev_year"): values.get(catalog.table2_key(block, col))
                                      for col in cols} for block, cols in columns.items()}
        table = pd.DataFrame(rows).T
        table.columns = [t(_T2_COLUMN_LABELS.get(c, c), lang) for c in table.columns]
        grids[t("表二 主动公开政府信息情况", lang)] = table
    leaves = tuple(leaf for leaf, _, _ in catalog.TABLE4_LEAVES)
    groups = {group.label_zh: group.key for group in catalog.TABLE4_GROUPS}
    if any(f"{g}_{leaf}" in values for g in groups.values() for leaf in leaves):
        grids[t("表四 行政复议、行政诉讼情况", lang)] = pd.DataFrame(
            {t(name, lang): {t(leaf_label, lang): values.get(f"{prefix}_{leaf}")
                             for leaf, leaf_label in zip(leaves, _T4_LEAF_LABELS, strict=True)}
             for name, prefix in groups.items()}).T
    return grids


_T2_COLUMN_LABELS = {column: short for column, (_, short) in catalog.TABLE2_COLUMN_LABELS.items()}
_T4_LEAF_LABELS = tuple(leaf_zh for _, leaf_zh, _ in catalog.TABLE4_LEAVES)
