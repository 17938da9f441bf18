"""detail.py on hand-made frames (the shape of store.queries.report_detail's figures): the year comparison across
formats, table 3's （六） rows as the report prints them, and the card's codes as labels."""

from __future__ import annotations

import pandas as pd

from govreport_core.dashboard import report_view


def figures(values: dict[str, float], applicant: str = "total") -> pd.DataFrame:
    return pd.DataFrame({"metric": list(values), "applicant": applicant, "value": list(values.values()),
                         "derived": False, "corrected": False, "evidence_text": None, "evidence_page": None})


def test_across_formats_a_grade_c_metric_gets_no_change_and_says_why() -> None:
    this_year = figures({"applications_new": 30.0, "proactive_items": 500.0})  # a 2019-format report
    last_year = figures({"applications_new": 20.0, "proactive_items": 800.0})  # a 2018 (old-format) report
    change = report_view.year_change(this_year, last_year, ("2019", "pre2019")).set_index("指标")
    assert change.loc["本年新收申请数", "增减"] == 10 and change.loc["本年新收申请数", "增减率"] == "+50.0%"
    assert pd.isna(change.loc["主动公开政府信息数", "增减"])  # grade C (FORMATS §4): not comparable
    assert change.loc["主动公开政府信息数", "说明"] == "两年版式不同，口径不可比"
    same = report_view.year_change(this_year, last_year, ("2021", "2021")).set_index("指标")
    assert same.loc["主动公开政府信息数", "增减"] == -300 and "说明" not in same.columns


def test_a_figure_of_one_year_only_has_the_other_side_blank() -> None:
    change = report_view.year_change(figures({"granted": 5.0}), figures({"denied_third_party": 2.0}), ("2021", "2021"))
    rows = change.set_index("指标")
    assert pd.isna(rows.loc["予以公开", "上年"]) and rows.loc["予以公开", "本年"] == 5
    assert pd.isna(rows.loc["予以公开", "增减"]) and pd.isna(rows.loc["不予公开·保护第三方合法权益", "本年"])


def test_table_3_prints_other_handling_as_the_report_does() -> None:
    one_row = [key for key, *_ in report_view.table3_rows(figures({"other_handling": 1.0}), "2021")]
    assert "other_handling" in one_row and "other_misc" not in one_row  # Hongze: 2021 tables, one （六） row
    three = [key for key, *_ in report_view.table3_rows(figures({"other_misc": 1.0, "other_handling": 1.0}), "2021")]
    assert three[20:23] == ["other_no_correction", "other_no_fee", "other_misc"] and "other_handling" not in three
    assert len(report_view.table3_rows(figures({}), "2019")) == 23 and len(report_view.table3_rows(figures({}), "2021")) == 25


def test_the_card_says_missing_values_with_a_dash_and_codes_as_labels() -> None:
    card = dict(report_view.card({"title": None, "agency": "州人民政府", "level": "prefecture_government", "year": None,
                             "format_era": "pre2019", "scope": "area", "published": float("nan"), "adcode": None,
                             "province": None, "city": None, "region": None, "file_name": "x.txt", "format": "txt"}))
    assert card["标题"] == card["数据年度"] == card["发布日期"] == card["地区"] == "—"
    assert (card["机关层级"], card["报告版式"], card["统计范围"]) == ("地级政府", "2019年前（旧版）", "地区汇总")
    english = dict(report_view.card({"level": "county_government", "scope": "body"}, "en"))
    assert english["Agency level"] == "County government" and english["Scope"] == "the agency itself"
