"""Charts fit for reading (issue 11, point 8), on hand-made frames: outcome groups as table 3 prints them, whole-number
count axes, lone points with their value, a Sankey whose nodes say their numbers, rates as percentages."""

from __future__ import annotations

import pandas as pd

from govreport_core import catalog
from govreport_core.dashboard import charts
from govreport_core.store.queries import OUTCOME_KEYS


def outcome_frame() -> pd.DataFrame:
    # one year, every outcome row of table 3 with the value 1 from 3 reports
    return pd.DataFrame({"year": 2022, "metric": list(OUTCOME_KEYS), "value": 1.0, "reports": 3})


def test_outcomes_have_one_legend_entry_per_printed_group_in_order() -> None:
    figure = charts.outcomes_chart(outcome_frame())
    legend = [trace.name for trace in figure.data if trace.showlegend]
    assert legend == ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"]
    assert len(figure.data) == 19  # every row is still drawn, in its group's colour family


def test_rows_of_a_group_are_shades_of_one_colour_and_the_hover_names_the_row() -> None:
    figure = charts.outcomes_chart(outcome_frame())
    denied = [trace for trace in figure.data if trace.legendgroup == "denied_total"]
    assert len(denied) == 8 and len({trace.marker.color for trace in denied}) == 8
    assert all(int(trace.marker.color[1:3], 16) > int(trace.marker.color[3:5], 16) for trace in denied)  # reds
    first = denied[0]
    assert "不予公开·属于国家秘密" in first.hovertemplate and "报告数" in first.hovertemplate
    assert first.customdata[0][0] == 3


def test_outcome_shares_are_percentages_in_english_too() -> None:
    figure = charts.outcomes_chart(outcome_frame(), as_share=True, lang="en")
    assert figure.layout.yaxis.tickformat == ".0%"
    assert next(trace.name for trace in figure.data if trace.showlegend) == "Granted"


def test_count_axes_tick_whole_numbers() -> None:
    # a stack of 1 + 1 + 1 (max 3): ticks every 1, never 0.2
    small = pd.DataFrame({"year": [2022] * 3, "metric": ["granted", "partially_granted", "other_handling"],
                          "value": [1.0, 1.0, 1.0], "reports": [1, 1, 1]})
    axis = charts.outcomes_chart(small).layout.yaxis
    assert axis.dtick == 1 and axis.tickformat == ",d"
    # 47 in one bar: steps of 1, 2, 5 give more than eight ticks, 10 gives five
    big = pd.DataFrame({"year": [2022], "metric": ["granted"], "value": [47.0], "reports": [1]})
    assert charts.outcomes_chart(big).layout.yaxis.dtick == 10


def test_a_lone_point_is_a_marker_with_its_value() -> None:
    frame = pd.DataFrame({"year": [2023], "area": ["洪泽区"], "value": [95.0], "reports": [1], "agencies": ["洪泽区人民政府"]})
    trace = charts.series_chart(frame, "applications_new").data[0]
    assert trace.mode == "markers+text" and list(trace.text) == ["95"]
    assert charts.series_chart(frame, "applications_new").layout.yaxis.dtick == 20  # 95: ticks 0, 20, …, 80


def test_a_lone_rate_is_written_as_a_percentage() -> None:
    frame = pd.DataFrame({"year": [2024], "rate": ["granted_rate"], "label": ["予以公开率"], "value": [50 / 95],
                          "numerator": [50.0], "denominator": [95.0], "reports": [1]})
    figure = charts.rates_chart(frame, ("granted_rate",))
    assert list(figure.data[0].text) == ["52.6%"] and figure.layout.yaxis.tickformat == ".0%"


def test_sankey_nodes_carry_their_numbers_and_zero_flows_are_left_out() -> None:
    # hongze_2024's truth: 95 new, 0 carried over; 50 granted, 9 partly, 3 denied, 32 unable, 1 not processed
    totals = {"applications_new": 95, "applications_carried_over": 0, "granted": 50, "partially_granted": 9,
              "denied_total": 3, "unable_total": 32, "not_processed_total": 1, "other_handling": 0,
              "carried_to_next_year": 0}
    sankey = charts.flow_chart(totals, reports=1).data[0]
    assert list(sankey.node.label) == ["本年新收申请数 95", "办理 95", "予以公开 50", "部分公开 9", "不予公开 3",
                                       "无法提供 32", "不予处理 1"]
    assert "汇总 1 份报告" in sankey.link.hovertemplate


def test_every_outcome_key_of_the_query_has_a_group() -> None:
    assert set(OUTCOME_KEYS) == set(charts.OUTCOME_GROUP_OF)
    assert set(catalog.OUTCOME_GROUP_LABELS) == set(catalog.OUTCOME_GROUPS) == set(catalog.OUTCOME_GROUP_LEAVES)
