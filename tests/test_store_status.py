"""A file without any figure or metadata (a blank template) is kept as a source with status "no data" and never
counted as a report; databases written before the status existed are migrated."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import shared_path

from govreport_core.extraction.pipeline import extract_path
from govreport_core.store import Store, db
from govreport_core.store import queries as q
from govreport_core.store.filters import Filters

EVERYTHING = Filters(governments_only=False, include_unknown_year=True, aggregates=True)


@pytest.fixture
def blank():
    result = extract_path(shared_path("real-files", "template_2021_blank.docx"))
    assert result.error is None and not result.figures and result.meta.agency is None  # the template is blank
    return result


def test_a_blank_template_is_kept_as_a_source_but_is_no_report(tmp_path: Path, blank) -> None:
    store = Store(tmp_path / "s.duckdb")
    outcome = store.save(blank)
    assert outcome.status == "no_data" and "not counted as a report" in outcome.message
    assert store.known_source(blank.source.sha256) is not None  # kept: the same file again is recognised
    assert store.save(blank).status == "unchanged"
    assert q.counts(store, EVERYTHING)["reports"] == 0 and q.latest(store).empty and q.wide(store, EVERYTHING).empty
    assert store.report_count() == 0
    assert q.report_detail(store, outcome.report_id)["meta"]["status"] == "no data"


def test_metadata_typed_in_for_a_blank_file_makes_it_a_report(tmp_path: Path, blank) -> None:
    store = Store(tmp_path / "s.duckdb")
    assert store.save(blank, {"agency": "荷塘区人民政府", "year": 2022}).status == "new"
    assert q.counts(store, EVERYTHING)["reports"] == 1


def test_a_database_of_schema_1_is_migrated(tmp_path: Path, blank, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.duckdb"
    with monkeypatch.context() as old:
        old.setattr(db, "MIGRATIONS", {1: db.MIGRATIONS[1]})
        store = Store(path)
        store._connection.execute(  # as version 1 saved a blank template: an active report without anything
            "INSERT INTO sources (sha256, file_name, ingested_at) VALUES ('x', 'blank.docx', now())")
        store._connection.execute("INSERT INTO reports (source_id, parser_version) SELECT source_id, 'old' FROM sources")
        # counted by hand: the pages' queries read the wide table, which schema 1 has not
        assert store.schema_version() == 1 and store.query("SELECT count(*) AS n FROM reports WHERE active")["n"][0] == 1
        store.close()
    store = Store(path)
    assert store.schema_version() == db.SCHEMA_VERSION == 7
    assert q.counts(store, EVERYTHING)["reports"] == 0
    assert store.query("SELECT status FROM reports")["status"].tolist() == ["no data"]
