"""Charts: hand-made frames in the shape of the queries; the expected numbers are worked out here by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from govreport_core.dashboard import charts


def series_frame(areas: int) -> pd.DataFrame:
    # area i has value 10 * (i + 1) in 2020 and 1 in 2021, summed over i + 1 reports
    rows = [{"year": y, "area": f"地区{i:02d}", "value": 10 * (i + 1) if y == 2020 else 1, "reports": i + 1,
             "agencies": f"机关{i}"} for i in range(areas) for y in (2020, 2021)]
    return pd.DataFrame(rows)


def test_a_series_of_many_areas_keeps_the_ten_largest_and_sums_the_rest() -> None:
    figure = charts.series_chart(series_frame(14), "applications_new")
    names = [trace.name for trace in figure.data]
    assert len(names) == 11 and names[0] == "地区13" and names[-1] == "其他4个地区"
    rest = figure.data[-1]
    # the four smallest areas (values 10, 20, 30, 40 in 2020; 1 each in 2021; 1+2+3+4 reports a year)
    assert list(rest.y) == [100, 4] and [row[0] for row in rest.customdata] == [10, 10]


def test_a_series_of_few_areas_shows_each() -> None:
    assert len(charts.series_chart(series_frame(3), "applications_new").data) == 3


def test_empty_frames_give_no_chart() -> None:
    empty = pd.DataFrame(columns=["year", "metric", "value", "reports", "label"])
    assert charts.series_chart(series_frame(0), "applications_new") is None
    assert charts.outcomes_chart(empty) is None
    assert charts.flow_chart({}) is None


def test_outcome_shares_add_up_to_one_per_year() -> None:
    frame = pd.DataFrame({"year": [2022, 2022, 2022], "metric": ["granted", "partially_granted", "other_handling"],
                          "value": [6.0, 3.0, 1.0], "reports": [2, 2, 1]})
    figure = charts.outcomes_chart(frame, as_share=True)
    shares = {trace.name: trace.y[0] for trace in figure.data}
    assert shares == pytest.approx({"予以公开": 0.6, "部分公开": 0.3, "其他处理": 0.1})


def test_the_flow_balances_when_the_reports_do() -> None:
    # the 2019 sample spec of tests/report_builder.py: 25 new + 2 carried over = 9 + 4 + 1 + 5 + 2 + 3 + 3 (K1)
    totals = {"applications_new": 25, "applications_carried_over": 2, "granted": 9, "partially_granted": 4,
              "denied_total": 1, "unable_total": 5, "not_processed_total": 2, "other_handling": 3,
              "carried_to_next_year": 3}
    assert charts.flow_gap(totals) == 0
    sankey = charts.flow_chart(totals).data[0]
    assert sum(sankey.link.value[:2]) == sum(sankey.link.value[2:]) == 27
    assert charts.flow_gap({**totals, "carried_to_next_year": 0}) == 3
