"""The open-data API (/api/v1/) through Starlette's TestClient, on the embedded default data, and live: the
README's curl examples against `streamlit run govreport_core/dashboard/server.py` (the dashboard and the API on one port).

Expected figures come from the truth files of the reports the default data holds (../shared/seeds/truth,
../shared/real-files): 江汉区 2014 本年新收 47, 洪江区 2016 0, 芦淞区 2019 11 (all from natural persons, per its
notes), 洪泽区 2023 21 and 2024 95 (granted 50, direct suits 1). By default the pages (and so the API) count people's
governments' own reports of a known year: not 咸安区发展和改革局 (a department), 州人民政府 (year unknown), 淮安市人民政府
2024 (a city-wide aggregate) or the blank template (no data).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, SERVER, load_truth, shared_path
from report_builder import sample_report

from govreport_core import catalog
from govreport_core.service import api
from govreport_core.service.api_endpoints import ENDPOINTS, FLOW_KEYS, area_level, url
from govreport_core.store import StoreBusy
from govreport_core.store.filters import from_params

DEFAULT_VIEW = {("江汉区人民政府", 2014), ("洪江区人民政府", 2016), ("芦淞区人民政府", 2019), ("洪泽区人民政府", 2023),
                ("洪泽区人民政府", 2024)}


@pytest.fixture
def client(seeds_db: Path):
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    shared_path("seeds")  # the default data is these reports' facts: their truth is what the tests expect
    with TestClient(Starlette(routes=api.routes())) as test_client:
        yield test_client


def rows(client, path: str) -> list[dict]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return response.json()["rows"]


def error(client, path: str, status: int = 400) -> str:
    response = client.get(path)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["ok"] is False and body["status"] == status
    return body["error"]


def test_reports_are_the_pages_selection_with_a_count(client) -> None:
    body = client.get("/api/v1/reports.json").json()
    assert body["ok"] and body["count"] == 5 and body["next"] is None
    assert {(r["agency"], r["year"]) for r in body["rows"]} == DEFAULT_VIEW
    assert body["columns"][0] == "report_id" and "file_name" in body["columns"]
    # The filters by their URL names, as the pages take them.
    assert {r["agency"] for r in rows(client, "/api/v1/reports.json?province=江苏省")} == {"洪泽区人民政府"}
    with_aggregates = rows(client, "/api/v1/reports.json?province=江苏省&aggregates=1")
    assert {(r["agency"], r["year"]) for r in with_aggregates} >= {("淮安市人民政府", 2024)}
    assert "咸安区发展和改革局" in {r["agency"] for r in rows(client, "/api/v1/reports.json?departments=1")}
    assert None in {r["year"] for r in rows(client, "/api/v1/reports.json?unknown_year=1")}
    assert [r["year"] for r in rows(client, "/api/v1/reports.json?from=2019&to=2023")] == [2019, 2023]
    assert {r["agency"] for r in rows(client, "/api/v1/reports.json?_search=洪泽 2024")} == {"洪泽区人民政府"}


def test_pages_follow_next_until_the_last_and_never_repeat(client) -> None:
    seen, path, pages = [], "/api/v1/reports.json?_size=2", 0
    while path:
        response = client.get(path)
        body = response.json()
        assert body["count"] == 5 and len(body["rows"]) <= 2
        assert response.headers["X-Total-Count"] == "5"
        if body["next"]:
            assert response.headers["Link"] == f'<{body["next_url"]}>; rel="next"'
        seen += [r["report_id"] for r in body["rows"]]
        path, pages = body["next_url"], pages + 1
    assert pages == 3 and len(seen) == len(set(seen)) == 5
    assert seen == [r["report_id"] for r in rows(client, "/api/v1/reports.json")]  # the pages' order, unchanged


def test_sort_by_a_metric_descending_follows_the_reports_numbers(client) -> None:
    # 本年新收申请数 from the truth files: 洪泽 2024 95 > 江汉 2014 47 > 洪泽 2023 21 > 芦淞 2019 11 > 洪江 2016 0.
    truth = {("江汉区人民政府", 2014): load_truth("000_a8bd0235eb05c85c.json")["metrics"]["applications_new"],
             ("洪江区人民政府", 2016): load_truth("001_388bdfa86b858c1f.json")["metrics"]["applications_new"],
             ("芦淞区人民政府", 2019): load_truth("004_c9b27cee782bad7f.json")["metrics"]["applications_new"]}
    truth |= {("洪泽区人民政府", year): json.loads(shared_path("real-files", f"hongze_{year}.json").read_text("utf-8"))
              ["metrics"]["applications_new"] for year in (2023, 2024)}
    order, path = [], "/api/v1/reports.json?_sort_desc=applications_new&_size=2"
    while path:
        body = client.get(path).json()
        order += [(r["agency"], r["year"]) for r in body["rows"]]
        path = body["next_url"]
    assert order == sorted(truth, key=truth.get, reverse=True)
    ascending = [(r["agency"], r["year"]) for r in rows(client, "/api/v1/reports.json?_sort=year")]
    assert [y for _, y in ascending] == [2014, 2016, 2019, 2023, 2024]


def test_one_report_with_figures_evidence_findings_corrections_and_the_year_before(client) -> None:
    reports = {(r["agency"], r["year"]): r["report_id"] for r in rows(client, "/api/v1/reports.json")}
    body = client.get(f"/api/v1/reports/{reports[('洪泽区人民政府', 2024)]}.json").json()
    assert body["meta"]["agency"] == "洪泽区人民政府" and body["meta"]["year"] == 2024
    figures = {(f["metric"], f["applicant"]): f for f in body["figures"]}
    assert figures[("applications_new", "total")]["value"] == 95
    assert "95" in figures[("applications_new", "total")]["evidence_text"]
    assert figures[("granted", "total")]["value"] == 50
    assert body["previous_year"]["meta"]["year"] == 2023
    before = {(f["metric"], f["applicant"]): f["value"] for f in body["previous_year"]["figures"]}
    assert before[("applications_new", "total")] == 21
    assert body["previous_year_url"] == f"/api/v1/reports/{reports[('洪泽区人民政府', 2023)]}.json"
    assert isinstance(body["findings"], list) and body["corrections"] == []
    # A correction shows as the current value, in the history, and makes a new ETag.
    path = f"/api/v1/reports/{reports[('芦淞区人民政府', 2019)]}.json"
    etag = client.get(path).headers["ETag"]
    api.store().correct(reports[("芦淞区人民政府", 2019)], "applications_new", 12, "typed again from the PDF", "test")
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    body = changed.json()
    current = {(f["metric"], f["applicant"]): f for f in body["figures"]}[("applications_new", "total")]
    assert current["value"] == 12 and current["extracted_value"] == 11 and current["corrected"] is True
    assert [(c["metric"], c["old_value"], c["new_value"]) for c in body["corrections"]] == [("applications_new", 11, 12)]
    assert body["previous_year"] is None  # no 芦淞区 2018 report


def test_unknown_reports_are_404_without_touching_the_database(client) -> None:
    assert "no report 999" in error(client, "/api/v1/reports/999.json", 404)
    assert "no report" in error(client, "/api/v1/reports/" + "9" * 400 + ".json", 404)
    assert "number" in error(client, "/api/v1/reports/abc.json", 404)
    assert "no API endpoint" in error(client, "/api/v1/nothing.json", 404)
    assert "no API endpoint" in error(client, "/api/export.csv", 404)  # never the dashboard's HTML under /api/
    assert "Unknown parameter" in error(client, "/api/v1/reports/1.json?x=1")


def test_figures_long_and_wide_with_the_applicant_breakdown(client) -> None:
    lusong = "/api/v1/figures.json?province=湖南省&from=2019"
    long = {(r["metric"], r["applicant"]): r for r in rows(client, lusong)}
    # 芦淞区 2019: 11 new applications, all from natural persons (its truth file's notes).
    assert long[("applications_new", "total")]["value"] == 11
    assert long[("applications_new", "natural_person")]["value"] == 11
    assert long[("applications_new", "total")]["agency"] == "芦淞区人民政府"
    assert long[("applications_new", "total")]["label"] == "本年新收申请数"
    assert {r["applicant"] for r in rows(client, lusong + "&_breakdown=0")} == {"total"}
    assert {r["metric"] for r in rows(client, lusong + "&_metric=applications_new,granted")} == {"applications_new",
                                                                                                 "granted"}
    wide = rows(client, lusong + "&_layout=wide")
    assert len(wide) == 1 and wide[0]["applications_new"] == 11 and wide[0]["applications_new__natural_person"] == 11
    assert "applications_new__natural_person" not in rows(client, lusong + "&_layout=wide&_breakdown=0")[0]
    # Every page of every size has the same columns, whatever its reports give.
    columns = {tuple(client.get(f"/api/v1/figures.json?_layout=wide&_size=1&_next={token}").json()["columns"])
               for token in _tokens(client, "/api/v1/figures.json?_layout=wide&_size=1")}
    assert len(columns) == 1
    assert "at most 20" in error(client, "/api/v1/figures.json?_size=50")
    assert len(rows(client, "/api/v1/figures.json?_size=50&_layout=wide")) == 5
    assert "from 1 to 50" in error(client, "/api/v1/figures.json?_size=51&_layout=wide")


def _tokens(client, path: str) -> list[str]:
    tokens, body = [], client.get(path).json()
    while body["next"]:
        tokens.append(body["next"])
        body = client.get(body["next_url"]).json()
    return tokens


def test_facets_count_the_selection_as_datasette_does(client) -> None:
    body = client.get("/api/v1/facets.json").json()
    assert body["count"] == 5
    provinces = {r["value"]: r["count"] for r in body["facet_results"]["province"]["results"]}
    assert provinces == {"江苏省": 2, "湖南省": 2, "湖北省": 1}
    years = [r["value"] for r in body["facet_results"]["year"]["results"]]
    assert sorted(years) == [2014, 2016, 2019, 2023, 2024]
    chosen = client.get("/api/v1/facets.json?province=湖南省&_facet=province,city").json()
    assert set(chosen["facet_results"]) == {"province", "city"}
    [hunan] = chosen["facet_results"]["province"]["results"]
    assert hunan["selected"] and hunan["toggle_url"] == "/api/v1/facets.json?_facet=province,city"
    cities = {r["value"]: r for r in chosen["facet_results"]["city"]["results"]}
    assert set(cities) == {"株洲市", "怀化市"} and not cities["株洲市"]["selected"]
    assert client.get(cities["株洲市"]["toggle_url"]).json()["count"] == 1
    # A level or era is added to the comma list; a year is from=to=year.
    levels = client.get("/api/v1/facets.json?departments=1&era=pre2019").json()["facet_results"]
    toggles = {r["value"]: r["toggle_url"] for r in levels["level"]["results"]}
    assert toggles["county_department"] == "/api/v1/facets.json?departments=1&era=pre2019&level=county_department"
    eras = {r["value"]: r["toggle_url"] for r in levels["format_era"]["results"]}
    assert eras == {"pre2019": "/api/v1/facets.json?departments=1"}
    year = next(r for r in body["facet_results"]["year"]["results"] if r["value"] == 2023)
    assert year["toggle_url"] == "/api/v1/facets.json?from=2023&to=2023"
    assert client.get(year["toggle_url"]).json()["count"] == 1
    truncated = client.get("/api/v1/facets.json?_facet_size=1").json()["facet_results"]["province"]
    assert truncated["truncated"] and len(truncated["results"]) == 1


def test_chart_tables_hold_the_reports_figures(client) -> None:
    jiangsu = "province=江苏省"
    series = rows(client, f"/api/v1/series.json?_metric=applications_new&{jiangsu}")
    assert {(r["area"], r["year"], r["value"]) for r in series} == {("淮安市", 2023, 21), ("淮安市", 2024, 95)}
    assert client.get(f"/api/v1/series.json?_metric=applications_new&{jiangsu}").json()["by"] == "city"
    assert [r["value"] for r in rows(client, f"/api/v1/series.json?_metric=applications_new&{jiangsu}&_year=2024")] == [95]
    flow = {r["metric"]: r["value"] for r in rows(client, f"/api/v1/flow.json?{jiangsu}")}
    assert flow["applications_new"] == 21 + 95
    outcomes = {(r["year"], r["metric"]): r["value"] for r in rows(client, f"/api/v1/outcomes.json?{jiangsu}")}
    assert outcomes[(2024, "granted")] == 50
    sums = rows(client, f"/api/v1/sums.json?_metric=litigation_direct_total&{jiangsu}&from=2024")
    assert [(r["year"], r["value"]) for r in sums] == [(2024, 1)]
    top = rows(client, "/api/v1/rankings.json?_metric=applications_new&_size=2")
    assert [(r["agency"], r["value"]) for r in top] == [("洪泽区人民政府", 95), ("江汉区人民政府", 47)]
    breakdown = {r["applicant"]: r["value"] for r in rows(client, "/api/v1/breakdown.json?province=湖南省&from=2019")}
    assert breakdown["natural_person"] == 11
    coverage = {(r["area"], r["year"]): r["reports"] for r in rows(client, f"/api/v1/coverage.json?{jiangsu}")}
    assert coverage == {("淮安市", 2023): 1, ("淮安市", 2024): 1}
    assert client.get("/api/v1/counts.json").json() == {"ok": True, "reports": 5, "regions": 4, "years": 5}
    # The map's table: Jiangsu's two reports of 洪泽区 (淮安市), their applications summed; a ratio needs both sums.
    areas = rows(client, f"/api/v1/areas.json?{jiangsu}&_metric=applications_new")
    assert [(r["city"], r["reports"], r["given"], r["numerator"]) for r in areas] == [("淮安市", 2, 2, 21 + 95)]
    alone = client.get(f"/api/v1/areas.json?{jiangsu}&_per=applications_new")
    assert alone.status_code == 400 and "_metric" in alone.json()["error"]


@pytest.mark.parametrize("name", [e for e in ENDPOINTS if e not in ("reports", "figures", "facets", "counts")])
def test_every_chart_table_is_the_pages_query(client, name: str) -> None:
    """Each table is the page's own query function on the same filters (the same rows in the same order)."""
    endpoint = ENDPOINTS[name]
    query = endpoint.example
    body = client.get(f"/api/v1/{name}.json?{query}").json()
    assert body["ok"], body
    request = api.parse(list(_pairs(query)), query, endpoint.options, endpoint.filters)
    table = endpoint.run(api.store(), request)
    assert body["rows"] == json.loads(api.rows_json(table.frame))


def _pairs(query: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(query)


def test_csv_opens_in_excel_and_is_formula_safe(client) -> None:
    from govreport_core.extraction.pipeline import extract_bytes

    html = sample_report("2021", title="株洲市荷塘区人民政府2023年政府信息公开工作年度报告").render_html().encode("utf-8")
    api.store().save(extract_bytes(html, "hostile.html"), overrides={"agency": "=cmd|' /C calc'!A0"})
    response = client.get("/api/v1/reports.csv?province=湖南省&_sort=year")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel keeps the Chinese
    assert "filename*=UTF-8''govreport_reports_" in response.headers["content-disposition"]
    table = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["agency"] for r in table] == ["洪江区人民政府", "芦淞区人民政府", "'=cmd|' /C calc'!A0"]
    labelled = client.get("/api/v1/reports.csv?province=湖南省&_headers=zh").content.decode("utf-8-sig")
    assert labelled.splitlines()[0].startswith("报告编号,标题,省份")
    assert catalog.LEVEL_LABELS["county_government"] in labelled and "county_government" not in labelled
    sums = list(csv.DictReader(io.StringIO(client.get("/api/v1/series.csv?_metric=applications_new&province=江苏省")
                                          .content.decode("utf-8-sig"))))
    assert {(r["area"], int(r["year"]), float(r["value"])) for r in sums} == {("淮安市", 2023, 21), ("淮安市", 2024, 95)}
    assert "_headers" in error(client, "/api/v1/reports.json?_headers=zh")  # JSON keeps keys: no such option


@pytest.mark.parametrize(("query", "words"), [
    ("bogus=1", ["Unknown parameter 'bogus'", "province", "_size"]),
    ("province=a&province=b", ["'province' is given twice"]),
    ("province=" + "湖" * 300, ["'province' is 300 characters", "at most 200"]),
    ("from=abc", ["'from' must be a year from 2008 to 2035", "'abc'"]),
    ("from=2024&to=2019", ["'from' (2024) is after 'to' (2019)"]),
    ("level=county", ["'level' takes one of", "county_government", "'county' is not"]),
    ("era=2020", ["'era' takes one of", "pre2019"]),
    ("scope=x", ["'scope' takes one of body, area"]),
    ("departments=yes", ["'departments' takes 1 (yes) or 0 (no)"]),
    ("_size=0", ["'_size' must be a whole number from 1 to 1000"]),
    ("_size=abc", ["'_size' must be a whole number"]),
    ("_next=!!!", ["'_next' must be the `next` value"]),
    ("_sort=nothing", ["'_sort' takes one of", "report_id"]),
    ("_sort=year&_sort_desc=year", ["either '_sort' or '_sort_desc'"]),
    ("province=a%00b", ["control character"]),
    ("x=" + "a" * 5000, ["query string is", "at most 4000"]),
])
def test_bad_parameters_are_400_with_a_sentence_naming_them(client, query: str, words: list[str]) -> None:
    message = error(client, f"/api/v1/reports.json?{query}")
    for word in words:
        assert word in message


def test_bad_options_of_chart_tables(client) -> None:
    assert "'_metric' is required" in error(client, "/api/v1/series.json")
    assert "metric key" in error(client, "/api/v1/series.json?_metric=nope")
    assert "'_by' takes one of province, city, region" in error(client, "/api/v1/coverage.json?_by=country")
    assert "'_rule' takes one of" in error(client, "/api/v1/findings.json?_rule=ZZ")
    assert "Unknown parameter 'province'" in error(client, "/api/v1/metrics.json?province=江苏省")
    # A token of another order is refused, not bound to SQL casts.
    token = client.get("/api/v1/reports.json?_size=1").json()["next"]
    assert "another order" in error(client, f"/api/v1/reports.json?_size=1&_sort=year&_next={token}")


def test_only_get_and_head(client) -> None:
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/v1/reports.json")
        assert response.status_code == 405 and response.headers["Allow"] == "GET, HEAD"
        assert "only reads" in response.json()["error"]
    for path in ("/api/v1", "/api/v1/", "/api/v1/openapi.json", "/api/v1/reports/1.json"):
        assert client.post(path).status_code == 405
    head = client.head("/api/v1/reports.json")
    assert head.status_code == 200 and head.content == b"" and head.headers["ETag"]


def test_etag_and_cache_control_follow_the_data_version(client) -> None:
    first = client.get("/api/v1/counts.json")
    assert first.headers["Cache-Control"] == "public, max-age=5"
    again = client.get("/api/v1/counts.json", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""
    other = client.get("/api/v1/counts.json?province=江苏省")
    assert other.headers["ETag"] != first.headers["ETag"]  # another URL, another answer
    from govreport_core.extraction.pipeline import extract_bytes

    api.store().save(extract_bytes(sample_report("2021").render_html().encode("utf-8"), "new.html"))
    after = client.get("/api/v1/counts.json", headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != first.headers["ETag"]


def test_a_busy_database_is_a_503_to_retry(client, monkeypatch: pytest.MonkeyPatch) -> None:
    def busy(*args, **kwargs):
        raise StoreBusy("The database is in use by another process")

    monkeypatch.setattr(api.store(), "query", busy)
    response = client.get("/api/v1/reports.json")
    assert response.status_code == 503 and response.headers["Retry-After"] == "2"
    assert "busy" in response.json()["error"]


def test_index_page_and_openapi_list_every_route_and_each_example_answers(client) -> None:
    page = client.get("/api/v1/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    examples = re.findall(r'href="(/api/v1/[^"]+)"', page.text)
    for name in ENDPOINTS:
        assert f"<b>{name}</b>" in page.text
    assert len(examples) >= len(ENDPOINTS) * 2
    import html as html_lib

    for example in examples:
        response = client.get(html_lib.unescape(example))
        assert response.status_code == 200, (example, response.text)
    assert client.get("/api/v1", follow_redirects=False).status_code == 308
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    from starlette.routing import Route

    routed = {r.path for r in api.routes() if isinstance(r, Route)} - {"/api/v1", "/api/v1/", "/api/v1/openapi.json",
                                                                        "/api/{rest:path}"}
    assert set(document["paths"]) == routed
    filters = {p["name"] for p in document["paths"]["/api/v1/reports.json"]["get"]["parameters"]}
    assert {"province", "from", "departments", "_size", "_next", "_sort_desc"} <= filters


def test_the_dashboard_and_the_api_agree_on_what_they_share() -> None:
    from govreport_core.dashboard import charts
    from govreport_core.dashboard import widgets as ui

    assert FLOW_KEYS == charts.FLOW_KEYS
    for params in ({}, {"province": "江苏省"}, {"province": "江苏省", "city": "淮安市"}):
        filters = from_params(params).filters
        assert area_level(filters) == ui.area_level(filters)
    assert url("series", "csv", from_params({"province": "江苏省", "departments": "1"}).filters,
               _metric=("review_total", "litigation_total")) == (
        "/api/v1/series.csv?province=%E6%B1%9F%E8%8B%8F%E7%9C%81&departments=1&_metric=review_total,litigation_total")


def test_streamlit_serves_server_py_as_an_st_app() -> None:
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(ROOT / "govreport_core" / "dashboard" / "server.py")
    assert found.is_asgi_app and found.import_string == "server:app"


# --- live: the README's curl examples against `streamlit run govreport_core/dashboard/server.py` ---


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def live(tmp_path: Path):
    shared_path("seeds")
    if shutil.which("curl") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("curl is not installed (apt-get install curl)")
        pytest.skip("curl is not installed (apt-get install curl)")
    port = _free_port()
    env = {**os.environ, "GOVREPORT_DB": str(tmp_path / "live.duckdb")}
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(SERVER), "--server.headless",
                                "true", "--server.port", str(port), "--server.address", "127.0.0.1"], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        done = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", f"{base}/_stcore/health"],
                              capture_output=True, text=True)
        if done.stdout == "200":
            break
        time.sleep(0.5)
    yield base
    process.terminate()
    process.wait(timeout=20)
    log.close()


def readme_curl_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip().startswith("curl ")]


@pytest.mark.slow  # a live server or another process
def test_the_readme_curl_examples_run_against_a_live_server(live: str) -> None:
    commands = readme_curl_commands()
    assert len(commands) >= 5
    out = {}
    for line in commands:
        args = [arg.replace("http://localhost:8501", live) for arg in shlex.split(line, comments=True)]
        done = subprocess.run(args, capture_output=True, timeout=60)
        assert done.returncode == 0, (line, done.stderr)
        out[line.split("#")[0].strip()] = done.stdout
    # The dashboard itself still answers on the same port.
    page = subprocess.run(["curl", "-s", f"{live}/"], capture_output=True, text=True).stdout
    assert "<title>" in page.lower() or "streamlit" in page.lower()
    texts = {line: body.decode("utf-8-sig") for line, body in out.items()}
    jiangsu = next(t for line, t in texts.items() if "counts.json" in line)
    assert json.loads(jiangsu)["reports"] == 2  # 洪泽区 2023 and 2024
    series = next(t for line, t in texts.items() if "series.csv" in line)
    assert re.search(r"applications_new,2024,淮安市,95(\.0)?,1,", series)
    refused = next(t for line, t in texts.items() if "from=abc" in line)
    assert "'from' must be a year" in refused


def test_the_pages_links_open_the_apis_table_for_their_view(client) -> None:
    from govreport_core.dashboard import api_links

    jiangsu = from_params({"province": "江苏省"}).filters
    hrefs = re.findall(r"\]\(([^)]+)\)", api_links.links("series", jiangsu, _metric=("applications_new",)))
    assert [h.split("?")[0] for h in hrefs] == ["/api/v1/series.json", "/api/v1/series.csv"]
    series = client.get(hrefs[0]).json()
    assert series["filters"] == {"province": "江苏省"} and {r["value"] for r in series["rows"]} == {21, 95}
    assert client.get(hrefs[1]).status_code == 200
    assert api_links.href("metrics", "json", jiangsu) == "/api/v1/metrics.json"  # it takes no filters
    assert api_links.href("reports", "csv", jiangsu) == "/api/v1/reports.csv?province=%E6%B1%9F%E8%8B%8F%E7%9C%81"


def test_the_links_texts_have_english() -> None:
    import ast

    from govreport_core import labels

    tree = ast.parse((ROOT / "govreport_core" / "dashboard" / "api_links.py").read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef)) and isinstance(node.body[0], ast.Expr)}
    texts = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
             and re.search(r"[\u4e00-\u9fff]", n.value) and id(n) not in docstrings}
    assert texts and texts <= set(labels.EN)


@pytest.mark.slow  # a live server or another process
def test_an_ingest_runs_while_the_api_answers_and_the_api_sees_it(client, seeds_db: Path, tmp_path: Path) -> None:
    before = client.get("/api/v1/counts.json")
    assert before.json()["reports"] == 5
    time.sleep(1)  # the API's connection closes once idle (Store linger): the file is free for the ingest
    report = tmp_path / "荷塘区2023.html"
    report.write_text(sample_report("2021", title="株洲市荷塘区人民政府2023年政府信息公开工作年度报告").render_html(),
                      encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "govreport_core", "ingest", str(report), "--db", str(seeds_db)],
                         cwd=ROOT, capture_output=True, text=True, timeout=180, env={**os.environ, "GOVREPORT_DB_WAIT": "20"})
    assert run.returncode == 0 and "1 new" in run.stdout, run.stdout + run.stderr
    after = client.get("/api/v1/counts.json", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.json()["reports"] == 6  # the 荷塘区 report, without a restart


@pytest.mark.slow  # a live server or another process
def test_while_another_process_writes_the_api_says_busy_then_answers(client, seeds_db: Path) -> None:
    assert client.get("/api/v1/counts.json").status_code == 200
    time.sleep(1)
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(60)", str(seeds_db)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        busy = client.get("/api/v1/counts.json?province=江苏省")
        assert busy.status_code == 503 and busy.headers["Retry-After"] == "2", busy.text
    finally:
        holder.kill()
        holder.wait()
    assert client.get("/api/v1/counts.json?province=江苏省").json()["reports"] == 2


@pytest.mark.parametrize("column", ["year", "published", "province", "adcode", "applications_new"])
@pytest.mark.parametrize("descending", [False, True])
def test_pages_in_any_order_hold_every_report_once_nulls_last(client, column: str, descending: bool) -> None:
    option = "_sort_desc" if descending else "_sort"
    seen, path = [], f"/api/v1/reports.json?departments=1&unknown_year=1&_size=2&{option}={column}"
    while path:
        body = client.get(path).json()
        assert body["ok"], body
        seen += body["rows"]
        path = body["next_url"]
    whole = rows(client, "/api/v1/reports.json?departments=1&unknown_year=1")
    assert sorted(r["report_id"] for r in seen) == sorted(r["report_id"] for r in whole)  # each once
    if column in ("applications_new", "granted"):
        return  # a metric is not a column of the rows: the order is checked in the test of sorting by a metric
    values = [r[column] for r in seen]
    given = [v for v in values if v is not None]
    assert values == given + [None] * (len(values) - len(given))  # NULLs last either way
    assert given == sorted(given, reverse=descending)


def _links_script() -> None:
    from govreport_core.dashboard import api_links
    from govreport_core.store.filters import from_params

    jiangsu = from_params({"province": "江苏省"}).filters
    api_links.view_links(jiangsu, "zh")
    api_links.chart_links("series", jiangsu, "en", _metric=("applications_new",), _by="city")
    api_links.report_links(5, "zh")


def test_the_links_show_as_captions_in_the_pages_language() -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_links_script, default_timeout=30).run()
    assert not at.exception
    view, chart, report = (c.value for c in at.caption)
    jiangsu = "province=%E6%B1%9F%E8%8B%8F%E7%9C%81"
    assert view == (f"本页数据（开放接口）：[JSON](/api/v1/reports.json?{jiangsu}) · [CSV](/api/v1/reports.csv?{jiangsu}) · "
                    "[全部接口](/api/v1/)")
    assert chart == (f"This chart's data: [JSON](/api/v1/series.json?{jiangsu}&_metric=applications_new&_by=city) · "
                     f"[CSV](/api/v1/series.csv?{jiangsu}&_metric=applications_new&_by=city)")
    assert report == "本页数据（开放接口）：[JSON](/api/v1/reports/5.json) · [全部接口](/api/v1/)"


# The charts each page draws (its tables of data): each has a link to its table in the API.
CHARTED = {"pages/overview.py": {"reports", "rates", "coverage", "latest"},
           "pages/proactive.py": {"reports", "series"}, "pages/applications.py": {"reports", "series", "outcomes",
                                                                                  "rates", "breakdown", "flow"},
           "pages/review.py": {"reports", "series", "review_outcomes", "sums", "rates", "rankings"},
           "pages/report.py": {"reports/"}, "pages/export.py": {"figures"},
           "pages/quality.py": {"findings", "unknown", "duplicates", "metric_coverage"},
           "pages/dictionary.py": {"metrics"}, "pages/map.py": {"reports", "areas"}}


@pytest.mark.parametrize("script", sorted(CHARTED))
@pytest.mark.slow  # every page
def test_every_page_links_its_view_and_its_charts_to_the_api(client, script: str) -> None:
    from streamlit.testing.v1 import AppTest

    from govreport_core.dashboard.page import declared_pages

    assert {s for s, _ in declared_pages()} - {"pages/upload.py"} == set(CHARTED)  # every page that shows data
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["province"] = "江苏省"
    at.run()
    at.switch_page(script)
    at.run()
    assert not at.exception
    hrefs = [h for c in at.caption for h in re.findall(r"\]\((/api/v1/[^)]*)\)", c.value)]
    linked = {h.split("/api/v1/")[1].split(".")[0] if "/reports/" not in h else "reports/" for h in hrefs if h != "/api/v1/"}
    assert linked == CHARTED[script]
    for href in hrefs:
        response = client.get(href)
        assert response.status_code == 200, (href, response.text)
        if ".json?" in href and "province=" in href:  # the view's filters reach the API
            assert response.json()["filters"]["province"] == "江苏省"
