"""Shared test helpers: where ../shared is, and how to skip (or fail under CI) without it."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SERVER = ROOT / "govreport_core" / "dashboard" / "server.py"  # the dashboard and the API on one port


def shared_path(*parts: str) -> Path:
    """A path under ../shared; skips the test when it is absent, and fails instead under CI=true."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"../shared is not beside the project ({path} missing)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def load_truth(name: str) -> dict:
    return json.loads(shared_path("seeds", "truth", name).read_text(encoding="utf-8"))


# Dashboard tests: the database the app opens ($GOVREPORT_DB), empty or filled from the default data.
@pytest.fixture
def empty_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from govreport_core.store import Store

    db = tmp_path / "empty.duckdb"
    Store(db).close()  # exists, so it is not filled from the default data
    monkeypatch.setenv("GOVREPORT_DB", str(db))
    return db


# Each database is filled once per run and copied for each test (filling it took a second a test, a third of the
# quick loop); a test changes its own copy only. Closing a Store checkpoints it, so the copy is the whole database.
@pytest.fixture(scope="session")
def default_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from govreport_core.service.default_data import open_store

    db = tmp_path_factory.mktemp("templates") / "default.duckdb"
    open_store(db).close()  # a new path: filled from data/default, as the app's first start does
    return db


@pytest.fixture(scope="session")
def seeds_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from govreport_core.service.default_data import default_results
    from govreport_core.store import Store

    db = tmp_path_factory.mktemp("templates") / "seeds.duckdb"
    with Store(db) as store:
        store.save_batch([r for r in default_results() if r.source.file.startswith(("seeds/", "real-files/"))])
    return db


@pytest.fixture
def default_db(default_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The embedded default data, as the app's first start on a new path fills it."""
    db = tmp_path / "default.duckdb"
    shutil.copyfile(default_template, db)
    monkeypatch.setenv("GOVREPORT_DB", str(db))
    return db


@pytest.fixture
def seeds_db(seeds_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The default data's reports from ../shared/seeds and real-files only: for tests whose expected views, sorts and
    pages are those nine files' truths, which stay fixed while data/default grows with every real file read exactly."""
    db = tmp_path / "seeds.duckdb"
    shutil.copyfile(seeds_template, db)
    monkeypatch.setenv("GOVREPORT_DB", str(db))
    return db


def seed_truths() -> list[dict]:
    """The truth files of ../shared/seeds and real-files: the reports `seeds_db` holds."""
    files = [*shared_path("seeds", "truth").glob("*.json"), *shared_path("real-files").glob("*.json")]
    return [json.loads(path.read_text(encoding="utf-8")) for path in files]


def start_app(params: dict[str, str] | None = None, page: str | None = None):
    """app.py under Streamlit's AppTest with these URL parameters, on `page` if given; no exception raised."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def app_pages() -> list[str]:
    """The page scripts app.py declares, in its order (read from app.py itself)."""
    from govreport_core.dashboard.page import declared_pages

    return [script for script, _ in declared_pages()]


# The English title each page must show: written here, not taken from the code (tests check the list covers app.py's).
ENGLISH_TITLES = {"pages/overview.py": "Overview", "pages/map.py": "Map", "pages/proactive.py": "Proactive disclosure",
                  "pages/applications.py": "Disclosure on request", "pages/review.py": "Review and litigation",
                  "pages/report.py": "Report detail", "pages/upload.py": "Upload reports", "pages/export.py": "Data export",
                  "pages/quality.py": "Data quality", "pages/dictionary.py": "Data dictionary"}
