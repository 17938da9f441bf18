"""Every dashboard page under streamlit.testing.v1.AppTest, on an empty and on the default database."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from govreport_core.store import Store

PAGES = ["pages/overview.py", "pages/proactive.py", "pages/applications.py", "pages/review.py", "pages/report.py",
         "pages/upload.py", "pages/export.py", "pages/quality.py"]


def app(db: Path, page: str, params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    return at


@pytest.fixture
def empty_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "empty.duckdb"
    Store(db).close()  # exists, so it is not filled from the default data
    monkeypatch.setenv("GOVREPORT_DB", str(db))
    return db


@pytest.fixture
def default_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "default.duckdb"  # new: filled from data/default on first start
    monkeypatch.setenv("GOVREPORT_DB", str(db))
    return db


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_an_empty_database(empty_db: Path, page: str) -> None:
    at = app(empty_db, page)
    assert not at.exception, at.exception


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_default_data_with_and_without_filters(default_db: Path, page: str) -> None:
    assert not app(default_db, page).exception
    filtered = app(default_db, page, {"from": "2019", "to": "2019", "departments": "1", "province": "湖南省"})
    assert not filtered.exception


def test_a_bad_parameter_falls_back_with_a_notice(default_db: Path) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["from"] = "abc"
    at.run()  # the overview is the default page
    assert not at.exception
    assert any("abc" in w.value for w in at.sidebar.warning)
    assert "from" not in at.query_params  # the URL now holds the cleaned selection


def test_report_detail_shows_seed_004s_new_applications_with_evidence(default_db: Path) -> None:
    at = app(default_db, "pages/report.py", {"from": "2019", "to": "2019"})
    assert not at.exception
    table = next(df.value for df in at.dataframe if "键" in df.value.columns)  # the figures with their evidence
    row = table[table["键"] == "applications_new"].iloc[0]
    assert row["数值"] == 11 and "本年新收政府信息公开申请数量" in row["原文依据"]


def test_a_filter_to_2019_shows_only_2019_reports(default_db: Path) -> None:
    at = app(default_db, "pages/export.py", {"from": "2019", "to": "2019"})
    frame = at.dataframe[0].value
    assert not frame.empty and set(frame["数据年度"]) == {2019}


def test_report_detail_rebuilds_tables_2_and_4_as_grids(default_db: Path) -> None:
    at = app(default_db, "pages/report.py", {"from": "2019", "to": "2019"})
    subheaders = [h.value for h in at.subheader]
    assert "表二 主动公开政府信息情况" in subheaders and "表四 行政复议、行政诉讼情况" in subheaders
    grid = next(df.value for df in at.dataframe if "结果维持" in df.value.columns)
    # seed 004's truth: 复议 维持1 纠正1 总计2; 直接起诉 维持11 纠正5 其他26 总计42
    assert grid.loc["行政复议", "总计"] == 2 and grid.loc["行政诉讼·未经复议直接起诉", "其他结果"] == 26
