"""The data version that the dashboard's cached queries and the API's ETag key on moves with every write that
changes what a page shows, and only then: a file re-read by a newer parser (same sha256, new figures), a file
chosen among duplicates, a correction, a recorded failure. Counting files and corrections missed the first two,
so pages and ETags stayed stale after them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from test_api import client  # noqa: F401 (a fixture)
from test_store import extracted

from govreport_core.model import Result
from govreport_core.service import api
from govreport_core.store import Store
from govreport_core.store import queries as q

OLD_PARSER = "0"  # a version older than any PARSER_VERSION: the next save re-reads the file in place


def copy_of_the_same_report() -> Result:
    """Another file (another sha256) of the same agency, year, scope and region: a duplicate."""
    title = extracted().meta.title  # type: ignore[union-attr]
    return extracted(title=f"{title}（修订版）", name="copy.html")


def test_every_write_that_changes_a_page_moves_the_version_and_a_write_that_does_not_keeps_it(tmp_path: Path) -> None:
    with Store(tmp_path / "v.duckdb") as store:
        seen = [q.data_version(store)]

        def moved() -> bool:
            seen.append(q.data_version(store))
            return seen[-1] > seen[-2]

        first = store.save(replace(extracted(), parser_version=OLD_PARSER))
        assert first.status == "new" and moved()
        assert store.save(replace(extracted(), parser_version=OLD_PARSER)).status == "unchanged" and not moved()
        assert store.save(extracted()).status == "updated" and moved()  # same sha256, a newer parser's figures
        copy = store.save(copy_of_the_same_report())
        assert copy.status == "duplicate" and moved()
        assert copy.report_id is not None
        store.choose_report(copy.report_id)  # the copy stands now: another report on every page
        assert store.query("SELECT report_id FROM reports WHERE active")["report_id"].tolist() == [copy.report_id]
        assert moved()
        store.correct(copy.report_id, "applications_new", 26, "misprint", "tester")
        assert moved()
        store.save(replace(extracted(name="broken.html"), error="The file could not be read."))  # 数据质量 lists it
        assert moved()
        assert store.save(extracted()).status == "unchanged" and not moved()


def test_a_version_survives_reopening_and_a_database_made_again_never_repeats_it(tmp_path: Path) -> None:
    path = tmp_path / "v.duckdb"
    with Store(path) as store:
        store.save(extracted())
        before = q.data_version(store)
    with Store(path) as store:
        assert q.data_version(store) == before
    path.unlink()
    with Store(path) as store:
        assert q.data_version(store) > before  # a cache keyed on `before` is not served for the new file


def etag(client, path: str = "/api/v1/reports.json") -> str:  # noqa: F811 (the fixture's value)
    response = client.get(path)
    assert response.status_code == 200, response.text
    return response.headers["ETag"]


def test_the_api_etag_changes_after_a_re_read_a_choice_and_a_correction(client) -> None:  # noqa: F811
    store = api.store()
    store.save(replace(extracted(), parser_version=OLD_PARSER))
    tags = [etag(client)]
    assert store.save(replace(extracted(), parser_version=OLD_PARSER)).status == "unchanged"
    same = client.get("/api/v1/reports.json", headers={"If-None-Match": tags[-1]})
    assert same.status_code == 304  # nothing changed: the cached answer holds
    for write in (lambda: store.save(extracted()),  # re-read by this parser: same file, new figures
                  lambda: store.save(copy_of_the_same_report()),
                  lambda: store.choose_report(int(store.query(
                      "SELECT max(report_id) AS r FROM reports")["r"].iloc[0])),
                  lambda: store.correct(1, "applications_new", 7, "misprint", "tester")):
        write()
        answer = client.get("/api/v1/reports.json", headers={"If-None-Match": tags[-1]})
        assert answer.status_code == 200 and answer.headers["ETag"] not in tags
        tags.append(answer.headers["ETag"])
