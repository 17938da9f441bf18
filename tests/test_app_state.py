"""Facets and the view's state in the URL (issue 21 point 3): each filter choice shows how many reports it would
select, and a page's search, a table's sort, the export's table shape and header language are URL parameters, so
a copied link reproduces them. Pages run under AppTest on the default data's seeds and real-files reports
(seeds_db); expected counts come from their truth files in ../shared (the default data is extracted from them)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from conftest import seed_truths, start_app
from streamlit.testing.v1 import AppTest

EVERY = {"departments": "1", "aggregates": "1", "unknown_year": "1"}  # every report, as the truth files list them


def truths() -> list[dict]:
    return [d for d in seed_truths() if d["metrics"]]  # not the blank template



def shown_options(at: AppTest, key: str) -> list[str]:
    widget = next(w for kind in ("selectbox", "multiselect") for w in getattr(at.sidebar, kind) if w.key == key)
    return list(widget.options)


# --- facets ---------------------------------------------------------------------------------------------------------


def test_each_area_choice_shows_how_many_reports_it_selects(seeds_db: Path) -> None:
    at = start_app(EVERY)
    provinces = Counter(d["province"] for d in truths() if d.get("province"))
    options = shown_options(at, "f_province")
    assert options[0] == f"全部 ({len(truths())})"  # 8 reports; the blank template is none
    assert {f"{name} ({n})" for name, n in provinces.items()} <= set(options)  # 江苏省 (3), 湖南省 (2), 湖北省 (2)


def test_a_chosen_province_keeps_the_other_provinces_counts_and_counts_its_cities(seeds_db: Path) -> None:
    at = start_app({**EVERY, "province": "江苏省"})
    provinces = Counter(d["province"] for d in truths() if d.get("province"))
    assert f"湖南省 ({provinces['湖南省']})" in shown_options(at, "f_province")  # what choosing it would give
    cities = Counter(d["city"] for d in truths() if d.get("province") == "江苏省")
    assert f"淮安市 ({cities['淮安市']})" in shown_options(at, "f_city")


def test_levels_and_formats_show_their_counts(seeds_db: Path) -> None:
    at = start_app(EVERY)
    levels = Counter(d["level"] for d in truths())
    assert f"县级政府 ({levels['county_government']})" in shown_options(at, "f_levels")
    eras = Counter(d["format_era"] for d in truths())
    assert f"2021版 ({eras['2021']})" in shown_options(at, "f_eras")


def test_counts_follow_the_other_filters(seeds_db: Path) -> None:
    at = start_app({**EVERY, "from": "2019"})
    recent = Counter(d["province"] for d in truths() if d.get("province") and (d.get("year") or 9999) >= 2019)
    # a report of unknown year passes a year bound (it is in while 含年份不明的报告 is ticked)
    assert f"湖南省 ({recent['湖南省']})" in shown_options(at, "f_province")


# --- search, sort, shape and headers in the URL ---------------------------------------------------------------------


def test_a_search_in_the_url_is_the_page_s_search_and_typing_one_writes_it(seeds_db: Path) -> None:
    at = start_app({"search": "洪泽"}, "pages/report.py")
    assert at.text_input(key="report_search").value == "洪泽"
    hongze = [d for d in truths() if "洪泽" in d["title"] or "洪泽" in (d.get("region") or "")]
    assert len(at.selectbox(key="report_pick").options) == len(hongze) == 2
    at = start_app(page="pages/export.py")
    at.text_input(key="export_search").input("芦淞").run()
    assert at.query_params["search"] == "芦淞"
    at.sidebar.selectbox(key="f_province").set_value("湖南省").run()  # a filter change keeps the search
    assert at.query_params["search"] == "芦淞" and at.query_params["province"] == "湖南省"


def test_the_export_s_shape_headers_and_sort_come_from_the_url(seeds_db: Path) -> None:
    at = start_app({**EVERY, "shape": "figures", "headers": "key"}, "pages/export.py")
    assert at.radio(key="shape").value == "figures" and at.radio(key="headers").value == "key"
    at.radio(key="headers").set_value("en").run()
    assert at.query_params["headers"] == "en" and at.query_params["shape"] == "figures"
    at = start_app({**EVERY, "sort": "-applications_new"}, "pages/export.py")
    preview = at.dataframe[0].value
    most = max(truths(), key=lambda d: d["metrics"].get("applications_new", -1))
    assert preview["发布机关"].iloc[0] == most["agency"] and preview["数据年度"].iloc[0] == most["year"]
    assert at.selectbox(key="export_sort_column").value == "applications_new"
    assert at.toggle(key="export_sort_descending").value is True
    at.selectbox(key="export_sort_column").set_value("year").run()
    assert at.query_params["sort"] == "-year"
    years = at.dataframe[0].value["数据年度"].dropna().tolist()
    assert years == sorted(years, reverse=True)


def test_the_export_s_api_link_carries_its_shape_headers_sort_and_search(seeds_db: Path) -> None:
    """The "this view as open data" link under the export names the same table: the API answers it with the
    preview's reports in the preview's order, under the chosen headers."""
    import re
    from urllib.parse import parse_qs, urlparse

    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from govreport_core.service import api

    at = start_app({**EVERY, "sort": "-year", "headers": "en", "search": "人民政府"}, "pages/export.py")
    preview = at.dataframe[0].value
    hrefs = {h.split("?")[0]: h for c in at.caption for h in re.findall(r"\]\((/api/v1/figures\.\w+\?[^)]*)\)", c.value)}
    json_href, csv_href = hrefs["/api/v1/figures.json"], hrefs["/api/v1/figures.csv"]
    options = {k: v[0] for k, v in parse_qs(urlparse(csv_href).query).items()}
    assert {k: options.get(k) for k in ("_layout", "_headers", "_sort_desc", "_search")} == {
        "_layout": "wide", "_headers": "en", "_sort_desc": "year", "_search": "人民政府"}
    with TestClient(Starlette(routes=api.routes())) as client:
        body = client.get(json_href).json()
        table = client.get(csv_href).content.decode("utf-8-sig")
    assert body["ok"] and body["count"] == len(preview), body
    shown = [int(parse_qs(urlparse(link).query)["report"][0]) for link in preview["报告编号"]]  # each a link
    assert [r["report_id"] for r in body["rows"]] == shown
    assert table.splitlines()[0].startswith("Report ID,Title,Province")  # the CSV under the English headers


def test_a_bad_sort_or_shape_falls_back_with_a_notice(seeds_db: Path) -> None:
    at = start_app({"sort": "password", "shape": "cube"}, "pages/export.py")
    assert at.radio(key="shape").value == "wide"
    warned = " ".join(w.value for w in at.warning)
    assert "sort" in warned and "shape" in warned
    assert "sort" not in at.query_params and "shape" not in at.query_params


def test_the_dictionary_s_search_and_sort_are_in_the_url(seeds_db: Path) -> None:
    at = start_app({"search": "carried", "sort": "-metric"}, "pages/dictionary.py")
    keys = at.dataframe[0].value["指标键"].tolist()
    assert keys == ["carried_to_next_year", "applications_carried_over"]  # both carry "carried", Z to A
