"""What a newcomer tripped over (issue 21 point 4), each defect held by a test that failed before its fix. Pages run
under AppTest on the embedded default data; expected values come from the truth files of ../shared (the default
data is extracted from them) or from the report text, never from the dashboard's own output. The browser-only
defects (an unknown page, the uploader's own texts, cut table headers) are in tests/test_browser.py."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import app_pages, seed_truths, start_app
from streamlit.testing.v1 import AppTest

from govreport_core import catalog
from govreport_core.dashboard import charts
from govreport_core.service import export
from govreport_core.store.filters import Filters, from_params

CJK = re.compile(r"[\u4e00-\u9fff]")



def texts(at: AppTest) -> list[str]:
    """Every text a page writes: titles, markdown, captions, notices, widget labels."""
    out = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "success", "warning",
                                "error") for e in getattr(at, kind)]
    out += [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "success", "warning",
                                 "error") for e in getattr(at.sidebar, kind)]
    return out + [w.label for kind in ("selectbox", "text_input", "radio", "checkbox", "multiselect") for w in
                  getattr(at, kind)]


# --- 报告详情's search ---------------------------------------------------------------------------------------------


def test_a_search_with_no_match_says_so_and_shows_no_report(seeds_db: Path) -> None:
    at = start_app(page="pages/report.py")
    at.text_input(key="report_search").input("江汉").run()  # 2014年江汉区政府信息公开工作年度报告 (seed 000)
    assert len(at.selectbox(key="report_pick").options) == 1 and "report" in at.query_params
    at.text_input(key="report_search").input("平潭").run()  # no report of the seeds and real-files names 平潭
    assert not at.exception
    assert any("平潭" in i.value for i in at.info)
    assert not [s for s in at.selectbox if s.key == "report_pick"]
    assert not [m for m in at.markdown if m.value.startswith("**")]  # no report card
    assert not [h for h in at.subheader if h.value in ("检查结果", "上年对比")]


# --- 最近加入 -------------------------------------------------------------------------------------------------------


def test_the_latest_reports_follow_the_filters(default_db: Path) -> None:
    at = start_app({"province": "江苏省", "from": "2019", "aggregates": "1"})
    latest = at.dataframe[-1].value
    # Jiangsu's people's governments from 2019 on (real-files truth): Hongze 2023 and 2024, Huai'an city 2024.
    expected = [d for d in seed_truths() if d.get("province") == "江苏省" and (d.get("year") or 0) >= 2019
                and (d.get("level") or "").endswith("_government")]
    assert len(latest) == len(expected) == 3
    assert set(latest["发布机关"]) == {d["agency"] for d in expected}


# --- hostile URL values ----------------------------------------------------------------------------------------------


def test_a_report_number_of_four_hundred_digits_is_no_report_not_a_database_error(default_db: Path) -> None:
    at = start_app({"report": "9" * 400}, "pages/report.py")
    assert [e.value for e in at.error] == ["没有编号为“" + "9" * 40 + "”的报告。"]
    assert not [s for s in at.selectbox if s.key == "report_pick"] and not at.dataframe and not at.table


def test_a_very_long_province_is_refused_with_a_notice_and_not_echoed(default_db: Path) -> None:
    long = "省" * 3000
    parsed = from_params({"province": long})
    assert parsed.filters.province is None and len(parsed.problems) == 1
    assert long not in parsed.problems[0] and "3000" in parsed.problems[0]
    at = start_app({"province": long})
    assert not any(long[:100] in text for text in texts(at))
    assert long not in at.sidebar.selectbox(key="f_province").options
    assert "province" not in at.query_params  # the URL holds the cleaned selection
    assert any("province" in w.value and "3000" in w.value for w in at.sidebar.warning)


def test_an_unknown_province_gets_a_notice(default_db: Path) -> None:
    at = start_app({"province": "火星省"})
    assert any("火星省" in w.value for w in at.sidebar.warning)
    english = start_app({"province": "火星省", "lang": "en"})
    notice = next(w.value for w in english.sidebar.warning if "火星省" in w.value)
    assert not CJK.search(notice.replace("火星省", ""))


# --- internal references, rule codes and messages --------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.slow  # every page, in both languages
def test_no_page_names_the_team_s_internal_documents(default_db: Path, lang: str) -> None:
    for page in app_pages():
        at = start_app({"lang": lang} if lang == "en" else None, page)
        shown = [text for text in texts(at) if "FORMATS" in text or "METRICS.md" in text or "§" in text]
        assert not shown, (page, shown)


def findings_of(at: AppTest, column: str) -> pd.DataFrame:
    return next(df.value for df in [*at.dataframe, *at.table] if column in df.value.columns)


def test_rules_are_sentences_in_both_languages_with_the_original_message_kept(default_db: Path) -> None:
    # Seed 004 (芦淞区 2019): its 表二 and 表三 print blank cells that the extractor fills by convention ("assumed").
    at = start_app({"from": "2019", "to": "2019"}, "pages/report.py")
    zh = findings_of(at, "检查")
    assert not zh["检查"].str.contains(r"\b(?:assumed|placement|prose|withheld|ocr|reading|place_slip)\b").any()
    assert catalog.RULES["assumed"] in zh["检查"].tolist()
    at = start_app({"from": "2019", "to": "2019", "lang": "en"}, "pages/report.py")
    en = findings_of(at, "Check")
    assert "Value placed by convention" in en["Check"].tolist()
    assert not any(CJK.search(text) for text in en["Check"])  # the rule in English
    detail = next(c for c in en.columns if c.startswith("Original"))
    assert en[detail].str.contains("表二").any()  # the extractor's own words kept, as written
    quality = start_app({"lang": "en"}, "pages/quality.py")
    checks = findings_of(quality, "Rule")
    assert "Value placed by convention" in checks["Rule"].tolist()
    assert not any(CJK.search(text) for text in checks["Rule"])
    assert any(c.startswith("Original") for c in checks.columns)


# --- the export --------------------------------------------------------------------------------------------------------


def test_the_long_export_carries_the_applicant_breakdown_that_the_report_shows(seeds_db: Path) -> None:
    at = start_app({"from": "2019", "to": "2019", "shape": "figures"}, "pages/export.py")
    at.radio(key="shape").set_value("figures").run()
    preview = at.dataframe[0].value
    rows = preview[(preview["指标键"] == "applications_new")].set_index("申请人类型")["数值"]
    truth = next(d for d in seed_truths() if d["file"].startswith("004_"))["metrics"]
    assert rows.loc["自然人"] == truth["applications_by_applicant"]["natural_person"] == 11
    assert rows.loc["总计"] == truth["applications_new"]


def test_the_export_file_name_says_the_table_shape_and_the_header_language(default_db: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = Filters(province="江苏省", year_from=2019, year_to=2024)
    assert export.file_name(chosen, "csv") == "govreport_江苏省_2019-2024.csv"  # one row a report, Chinese headers
    assert export.file_name(chosen, "csv", language="key", shape="figures") == "govreport_江苏省_2019-2024_long_key.csv"
    assert export.file_name(chosen, "xlsx", language="en", shape="wide") == "govreport_江苏省_2019-2024_en.xlsx"
    named: list[str] = []
    original = export.file_name
    monkeypatch.setattr(export, "file_name", lambda *a, **k: named.append(original(*a, **k)) or named[-1])
    at = start_app({"province": "江苏省", "from": "2019"}, "pages/export.py")
    at.radio(key="shape").set_value("figures").run()
    at.radio(key="headers").set_value("en").run()
    assert "govreport_江苏省_2019_long_en.csv" in named


# --- the overview's heat grid ------------------------------------------------------------------------------------------


def test_the_heat_grid_s_colour_bar_counts_whole_reports() -> None:
    matrix = pd.DataFrame({2019: [1, 3], 2020: [0, 2]}, index=["A区", "B区"])
    bar = charts.coverage_chart(matrix).data[0].colorbar
    assert bar.tickformat == ",d" and bar.dtick == 1 and bar.tick0 == 0
    many = charts.coverage_chart(pd.DataFrame({2019: [0, 40]}, index=["A区", "B区"])).data[0].colorbar
    assert float(many.dtick).is_integer() and 40 / many.dtick <= 8


# --- 数据质量 ------------------------------------------------------------------------------------------------------------


def test_the_blank_template_is_listed_among_files_of_unknown_year_or_area(default_db: Path) -> None:
    blank = [d for d in seed_truths() if not d["metrics"]]  # the blank 2021 template: no figure, no metadata
    assert len(blank) == 1
    at = start_app(page="pages/quality.py")
    heading = [h.value for h in at.subheader].index("年份或地区不明的报告")
    listed = next(df.value for df in at.dataframe if "文件名" in df.value.columns and "标题" in df.value.columns)
    assert blank[0]["file"] in listed["文件名"].tolist()
    assert heading >= 0


def test_data_quality_previews_a_long_list_of_findings_in_the_order_chosen(default_db: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """At 10 million reports the selection had 233,441 findings (2.5 s to send them all): the page shows the first
    ones, sorted over the whole list in SQL, says how many there are, and its data link gives them all."""
    from govreport_core.dashboard import page

    everyone = {"departments": "1", "aggregates": "1", "unknown_year": "1"}
    full = findings_of(start_app(everyone, "pages/quality.py"), "规则")
    assert len(full) > 2  # the default data's findings, all listed when they fit
    monkeypatch.setattr(page, "PREVIEW_REPORTS", 2)
    at = start_app({**everyone, "sort": "-year"}, "pages/quality.py")
    shown = findings_of(at, "规则")
    assert len(shown) == 2 and shown["数据年度"].tolist() == sorted(full["数据年度"].dropna(), reverse=True)[:2]
    assert any(f"共 {len(full)} 条检查结果，下表列出前 2 条" in c.value for c in at.caption)
