"""Charts: DataFrames from the queries -> Plotly figures with Chinese titles and axes. No Streamlit here.

Every function returns None for an empty frame, so a page can show "no report in this selection"
instead of an empty chart. Hover shows exact values and which reports a point sums.
"""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from . import catalog

OUTCOME_COLOURS = {"granted": "#2e7d32", "partially_granted": "#81c784", "other_handling": "#9e9e9e"}
for _key in catalog.DERIVED_SUMS["denied_total"]:
    OUTCOME_COLOURS[_key] = "#c62828"  # one colour family per outcome group (FORMATS §2.2)
for _key in catalog.DERIVED_SUMS["unable_total"]:
    OUTCOME_COLOURS[_key] = "#ef6c00"
for _key in catalog.DERIVED_SUMS["not_processed_total"]:
    OUTCOME_COLOURS[_key] = "#6a1b9a"


def series_chart(frame: pd.DataFrame, metric: str, title: str | None = None) -> go.Figure | None:
    """A metric per year, one line per area; hover names the reports summed."""
    if frame.empty:
        return None
    figure = px.line(frame, x="year", y="value", color="area", markers=True,
                     hover_data={"reports": True, "agencies": True},
                     labels={"year": "年度", "value": catalog.label(metric), "area": "地区", "reports": "报告数",
                             "agencies": "报告机关"},
                     title=title or f"{catalog.label(metric)}（按年度）")
    figure.update_xaxes(dtick=1)
    return figure


def outcomes_chart(frame: pd.DataFrame) -> go.Figure | None:
    """Outcomes of applications stacked per year (2019/2021 formats only: old categories do not add up)."""
    if frame.empty:
        return None
    order = [k for k in OUTCOME_COLOURS if k in set(frame["metric"])]
    figure = px.bar(frame, x="year", y="value", color="metric", category_orders={"metric": order},
                    color_discrete_map=OUTCOME_COLOURS, hover_data={"label": True, "reports": True},
                    labels={"year": "年度", "value": "件数", "metric": "办理结果", "label": "结果", "reports": "报告数"},
                    title="依申请公开办理结果（2019/2021版报告）")
    figure.for_each_trace(lambda trace: trace.update(name=catalog.label(trace.name)))
    figure.update_xaxes(dtick=1)
    return figure


def rates_chart(frame: pd.DataFrame, keys: tuple[str, ...]) -> go.Figure | None:
    data = frame[frame["rate"].isin(keys)].dropna(subset=["value"])
    if data.empty:
        return None
    figure = px.line(data, x="year", y="value", color="label", markers=True,
                     hover_data={"numerator": True, "denominator": True},
                     labels={"year": "年度", "value": "比率", "label": "指标", "numerator": "分子", "denominator": "分母"},
                     title="比率（所选报告合计之比）")
    figure.update_yaxes(tickformat=".0%")
    figure.update_xaxes(dtick=1)
    return figure


def coverage_chart(matrix: pd.DataFrame, title: str = "报告覆盖（地区 × 年度）") -> go.Figure | None:
    if matrix.empty:
        return None
    figure = px.imshow(matrix, aspect="auto", color_continuous_scale="Blues", text_auto=True,
                       labels={"x": "年度", "y": "地区", "color": "报告数"}, title=title)
    figure.update_xaxes(type="category")
    return figure


def breakdown_chart(frame: pd.DataFrame) -> go.Figure | None:
    if frame.empty or frame["value"].fillna(0).sum() == 0:
        return None
    return px.bar(frame, x="label", y="value", hover_data={"reports": True},
                  labels={"label": "申请人类型", "value": "新收申请数", "reports": "报告数"}, title="新收申请的申请人构成")


def flow_chart(totals: dict[str, float]) -> go.Figure | None:
    """Sankey from received and carried-over applications to outcomes and carried to next year."""
    inflow = {k: totals.get(k, 0.0) for k in ("applications_new", "applications_carried_over")}
    outflow = {k: totals.get(k, 0.0) for k in ("granted", "partially_granted", "denied_total", "unable_total",
                                               "not_processed_total", "other_handling", "carried_to_next_year")}
    if not sum(inflow.values()) or not sum(outflow.values()):
        return None
    labels = [catalog.label(k) for k in inflow] + ["办理"] + [catalog.label(k) for k in outflow]
    hub = len(inflow)
    sources = [*range(hub), *[hub] * len(outflow)]
    targets = [*[hub] * hub, *range(hub + 1, hub + 1 + len(outflow))]
    values = [*inflow.values(), *outflow.values()]
    figure = go.Figure(go.Sankey(node={"label": labels, "pad": 15}, link={"source": sources, "target": targets,
                                                                          "value": values}))
    figure.update_layout(title="申请的来龙去脉（新收+结转 = 办理结果+结转下年）")
    return figure


def table_grids(figures: pd.DataFrame, era: str | None) -> dict[str, pd.DataFrame]:
    """Tables 2 and 4 of one report rebuilt as printed grids (rows × columns), from its 总计 figures."""
    values = {m: v for m, a, v in zip(figures["metric"], figures["applicant"], figures["value"], strict=True)
              if a == "total"}
    grids: dict[str, pd.DataFrame] = {}
    columns = catalog.TABLE2_COLUMNS.get(catalog.Era(era)) if era in ("2019", "2021") else None
    if columns:
        block_labels = {block: fragments[0] for block, fragments in catalog.TABLE2_ROWS}
        # 行政事业性收费's "prev_year_items" is the same printed column as the others' "prev_year".
        rows = {block_labels[block]: {col.replace("prev_year_items", "prev_year"): values.get(catalog.table2_key(block, col))
                                      for col in cols} for block, cols in columns.items()}
        table = pd.DataFrame(rows).T
        table.columns = [_T2_COLUMN_LABELS.get(c, c) for c in table.columns]
        grids["表二 主动公开政府信息情况"] = table
    leaves = ("upheld", "corrected", "other", "pending", "total")
    groups = {"行政复议": "review", "行政诉讼·未经复议直接起诉": "litigation_direct", "行政诉讼·复议后起诉": "litigation_after_review"}
    if any(f"{g}_{leaf}" in values for g in groups.values() for leaf in leaves):
        grids["表四 行政复议、行政诉讼情况"] = pd.DataFrame(
            {name: {label: values.get(f"{prefix}_{leaf}") for leaf, label in zip(leaves, _T4_LEAF_LABELS, strict=True)}
             for name, prefix in groups.items()}).T
    return grids


_T2_COLUMN_LABELS = {"new": "本年新制作/制发", "published": "本年新公开", "total": "对外公开总数", "repealed": "本年废止",
                     "in_force": "现行有效", "prev_year": "上一年项目数", "change": "本年增/减",
                     "decisions": "处理决定数", "items": "采购项目数", "amount_wan": "金额(万元)"}
_T4_LEAF_LABELS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
