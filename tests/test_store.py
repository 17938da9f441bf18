"""The DuckDB store on a fresh temporary database: saving, idempotency, duplicates, corrections, queries."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT
from report_builder import sample_report

from govreport_core.extraction.pipeline import extract_bytes
from govreport_core.model import Result
from govreport_core.store import SCHEMA_VERSION, Store, StoreError
from govreport_core.store import queries as q
from govreport_core.store.filters import Filters

EVERYONE = Filters(governments_only=False, aggregates=True)


def report_bytes(era: str = "2021", title: str | None = None) -> bytes:
    return sample_report(era, title).render_html().encode("utf-8")


def extracted(era: str = "2021", title: str | None = None, name: str = "r.html") -> Result:
    return extract_bytes(report_bytes(era, title), name)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "test.duckdb")


def test_schema_is_created_and_versioned(store: Store, tmp_path: Path) -> None:
    assert store.schema_version() == SCHEMA_VERSION
    store.close()
    assert Store(tmp_path / "test.duckdb").schema_version() == SCHEMA_VERSION  # reopening migrates nothing twice


def test_saving_the_same_file_twice_adds_nothing(store: Store) -> None:
    first = store.save(extracted())
    second = store.save(extracted())
    assert (first.status, second.status) == ("new", "unchanged") and first.report_id == second.report_id
    assert store.report_count() == 1
    figures = q.figures(store, EVERYONE, metrics=["applications_new"])
    assert figures["value"].tolist() == [25.0]  # spec: 本年新收 20+3+0+0+1+1


def test_older_parser_version_is_re_extracted_in_place(store: Store) -> None:
    old = replace(extracted(), parser_version="0")
    report_id = store.save(old).report_id
    again = store.save(extracted())
    assert again.status == "updated" and again.report_id == report_id and store.report_count() == 1


def test_a_failed_file_writes_nothing_and_the_others_are_saved(store: Store) -> None:
    bad = extract_bytes(b"", "empty.txt")
    outcomes = [store.save(extracted("2019")), store.save(bad), store.save(extracted("2021"))]
    assert [o.status for o in outcomes] == ["new", "failed", "new"]
    assert "empty" in outcomes[1].message and store.report_count() == 2


def test_a_database_error_rolls_the_whole_report_back(store: Store) -> None:
    result = extracted()
    broken = replace(result, figures=[*result.figures, replace(result.figures[0], key="no_such_metric")])
    outcome = store.save(broken)  # the catalog has no such metric: the transaction rolls back
    assert outcome.status == "failed" and "no_such_metric" in outcome.message
    assert store.report_count() == 0 and q.figures(store, EVERYONE).empty and q.reports(store, EVERYONE).empty


def test_a_second_file_of_the_same_report_is_a_duplicate_the_user_can_choose(store: Store) -> None:
    html = store.save(extracted())
    other = extract_bytes(report_bytes().replace(b"</body>", b"<p>pdf copy</p></body>"), "r2.html")
    duplicate = store.save(other)
    assert duplicate.status == "duplicate" and store.report_count() == 1
    assert set(q.duplicates(store)["report_id"]) == {html.report_id, duplicate.report_id}
    store.choose_report(duplicate.report_id)
    assert q.reports(store, EVERYONE)["report_id"].tolist() == [duplicate.report_id]


def test_corrections_override_keep_history_and_survive_re_ingest(store: Store) -> None:
    report_id = store.save(replace(extracted(), parser_version="0")).report_id
    store.correct(report_id, "applications_new", 26, "表格印刷错误", "审核员甲")
    store.correct(report_id, "applications_new", 27, "再次核对", "审核员乙")
    store.save(extracted())  # a newer parser re-reads the file
    detail = q.report_detail(store, report_id)
    row = detail["figures"].set_index(["metric", "applicant"]).loc[("applications_new", "total")]
    assert row["value"] == 27 and row["extracted_value"] == 25 and bool(row["corrected"])
    history = detail["corrections"]
    assert history["new_value"].tolist() == [26, 27] and history["old_value"].tolist() == [25, 26]
    assert history["author"].tolist() == ["审核员甲", "审核员乙"]
    with pytest.raises(StoreError):
        store.correct(report_id, "applications_new", 1, "", "someone")


def test_year_filter_leaves_out_unknown_years_unless_asked(store: Store) -> None:
    store.save(extracted("2019"))
    unknown = extracted("2021", title="株洲市芦淞区人民政府政府信息公开工作年度报告")
    assert unknown.meta.year is None
    store.save(unknown)
    assert len(q.reports(store, Filters(year_from=2019, year_to=2020))) == 1
    assert len(q.reports(store, Filters(year_from=2019, year_to=2020, include_unknown_year=True))) == 2
    assert q.unknown(store)["year"].isna().all()


@pytest.fixture(scope="module")
def one_report(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A store of one report, shared by tests that only read it (and check that they changed nothing)."""
    store = Store(tmp_path_factory.mktemp("one") / "one.duckdb")
    store.save(extracted())
    return store


@pytest.mark.parametrize("hostile", ["'; DROP TABLE reports; --", "芦淞区' OR '1'='1", "%", "_", "\\", "SELECT", "\"x\""])
def test_hostile_filter_values_return_nothing_and_break_nothing(one_report: Store, hostile: str) -> None:
    store = one_report
    for filters in (Filters(province=hostile), Filters(region=hostile), Filters(agency=hostile),
                    Filters(levels=(hostile,))):
        assert q.reports(store, filters).empty and q.figures(store, filters).empty
    assert store.report_count() == 1


def test_rates_are_ratios_of_sums_and_undefined_without_a_denominator(store: Store) -> None:
    store.save(extracted("2021"))
    rates = q.rates(store, EVERYONE).set_index("rate")["value"]
    assert rates["granted_rate"] == pytest.approx(9 / 24)  # spec: 予以公开 9 of 24 processed
    assert rates["review_correction_rate"] == pytest.approx(1 / 2)  # 纠正1 / (总计2 − 尚未审结0)
    report = sample_report("2021")
    report.table4 = [0] * 15
    store.save(extract_bytes(report.render_html().encode("utf-8").replace(b"2022", b"2023"), "z.html"))
    by_year = q.rates(store, EVERYONE).set_index(["year", "rate"])["value"]
    assert math.isnan(by_year[(2023, "review_correction_rate")])


def test_queries_for_the_pages(store: Store) -> None:
    store.save(extracted("2019"))
    store.save(extracted("2021"))
    assert set(q.wide(store, EVERYONE)["applications_new"]) == {25.0}
    assert q.series(store, EVERYONE, "applications_new")["value"].tolist() == [25.0, 25.0]
    assert q.breakdown(store, EVERYONE).set_index("applicant").loc["commercial", "value"] == 6  # 3 in each
    assert q.coverage(store, EVERYONE).loc["芦淞区"].tolist() == [1, 1]
    assert q.options(store, Filters(province="湖南省"))["city"] == ["株洲市"]
    assert set(q.outcomes(store, EVERYONE)["metric"]) >= {"granted", "unable_no_info"}
    assert not q.metric_coverage(store, EVERYONE).empty and len(q.latest(store)) == 2
    assert q.ranking(store, EVERYONE, "applications_new")["value"].tolist() == [25.0, 25.0]


@pytest.mark.slow  # subprocesses, LibreOffice or a generated corpus
def test_many_readers_while_one_writes(store: Store) -> None:
    errors: list[BaseException] = []
    results = [extract_bytes(report_bytes().replace(b"2022", str(2022 + i % 3).encode()).replace(
        b"</body>", f"<p>{i}</p></body>".encode()), f"r{i}.html") for i in range(12)]

    def read() -> None:
        try:
            for _ in range(20):
                q.wide(store, EVERYONE)
                q.rates(store, EVERYONE)
        except BaseException as exc:
            errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(4)]
    writers = [threading.Thread(target=lambda part=part: [store.save(r) for r in part])
               for part in (results[:6], results[6:])]
    for thread in readers + writers:
        thread.start()
    for thread in readers + writers:
        thread.join()
    assert not errors
    # 12 files: 3 distinct reports (years 2022–2024), the rest duplicates of them; none lost or doubled.
    assert store.report_count() == 3 and len(q.duplicates(store)) == 12


@pytest.mark.slow  # builds and benchmarks a database
def test_scale_database_builds_and_every_page_query_runs(tmp_path: Path) -> None:
    from govreport_core.devtools.scale import benchmark, build

    store = Store(tmp_path / "scale.duckdb")
    build(store, 600, chunk=250)
    assert store.report_count() == 600
    timings = benchmark(store, repeats=1)
    assert len(timings) == 28 and all(ms >= 0 for _, ms in timings)
    # The generated figures keep the table's own sums: K1 on the 总计 column for every new-format report.
    wide = q.wide(store, Filters(eras=("2019", "2021"), governments_only=False))
    assert ((wide["applications_new"] + wide["applications_carried_over"])
            == (wide["processed_total"] + wide["carried_to_next_year"])).all()


def test_area_wide_aggregates_are_left_out_unless_chosen(store: Store) -> None:
    """FORMATS §6: a city-wide summary sums its bodies' figures; adding it to them would count twice."""
    from govreport_core.store.filters import from_params

    body = extracted("2021", "株洲市芦淞区人民政府2022年政府信息公开工作年度报告")
    summary = extracted("2021", "株洲市2022年政府信息公开工作年度报告", name="city.html")
    store.save(body)
    store.save(replace(summary, meta=replace(summary.meta, scope="area")))
    default = from_params({"departments": "1"}).filters
    assert q.counts(store, default)["reports"] == 1
    chosen = from_params({"departments": "1", "aggregates": "1"}).filters
    assert chosen.to_params()["aggregates"] == "1" and q.counts(store, chosen)["reports"] == 2
    assert q.counts(store, Filters(governments_only=False, scope="area"))["reports"] == 1  # asked for by name


# --- issue 12: nothing lost, clear errors, sharing the file with other processes ---------------------

def test_re_ingest_by_a_newer_parser_keeps_the_overrides_typed_at_upload(store: Store) -> None:
    untitled = replace(extracted(title="株洲市芦淞区人民政府政府信息公开工作年度报告"), parser_version="0")
    assert untitled.meta.year is None  # the text does not say: the user types it in
    report_id = store.save(untitled, {"year": 2022, "agency": "芦淞区人民政府（上传时填写）"}).report_id
    store.correct(report_id, "applications_new", 26, "typo in the report", "tester")
    again = store.save(replace(untitled, parser_version="1"))  # a newer parser, no overrides given
    assert again.status == "updated" and again.report_id == report_id
    row = store.query("SELECT year, agency, overrides FROM reports WHERE report_id = ?", [report_id]).iloc[0]
    assert (row["year"], row["agency"]) == (2022, "芦淞区人民政府（上传时填写）") and "2022" in row["overrides"]
    assert q.figures(store, EVERYONE, metrics=["applications_new"])["value"].tolist() == [26.0]


@pytest.fixture(scope="module")
def good_database(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A database of two reports, as bytes: each test damages its own copy."""
    good = tmp_path_factory.mktemp("good") / "good.duckdb"
    made = Store(good)
    for era in ("2019", "2021"):
        made.save(extracted(era, name=f"{era}.html"))
    made.close()
    return good.read_bytes()


def _damaged_copies(folder: Path, data: bytes) -> dict[str, Path]:
    flipped = bytearray(data)
    for offset in range(3 * 4096, len(flipped), 4096):
        flipped[offset + 100] ^= 0xFF
    import sqlite3

    lite = sqlite3.connect(folder / "lite.duckdb")
    lite.execute("CREATE TABLE t (x)")
    lite.commit()
    lite.close()
    (folder / "folder.duckdb").mkdir()
    files = {"empty.duckdb": b"", "random.duckdb": bytes(range(256)) * 200, "text.duckdb": b"hello\n" * 500,
             "truncated.duckdb": data[:10_000], "flipped.duckdb": bytes(flipped)}
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return {name.split(".")[0]: folder / name for name in [*files, "lite.duckdb", "folder.duckdb"]}


@pytest.mark.parametrize(("case", "sentence"), [
    ("empty", "is empty (0 bytes), not a DuckDB database"), ("random", "is not a DuckDB database"),
    ("text", "is not a DuckDB database"), ("lite", "is a SQLite database, not a DuckDB database"),
    ("folder", "is a folder, not a DuckDB database file"), ("truncated", "is damaged"), ("flipped", "is damaged"),
])
def test_database_errors_are_told_apart_in_one_sentence(tmp_path: Path, good_database: bytes, case: str,
                                                        sentence: str) -> None:
    path = _damaged_copies(tmp_path, good_database)[case]
    for read_only in (False, True):
        with pytest.raises(StoreError) as caught:
            opened = Store(path, read_only=read_only)
            q.figures(opened, EVERYONE)  # a flipped block is found when it is read
            q.reports(opened, EVERYONE)
            opened.query("SELECT * FROM sources")
        message = str(caught.value)
        assert sentence in message and "\n" not in message and "in use" not in message, message


def test_extensions_are_never_loaded(store: Store) -> None:
    settings = store.query("SELECT current_setting('autoload_known_extensions') AS a, "
                           "current_setting('autoinstall_known_extensions') AS i").iloc[0]
    assert not settings["a"] and not settings["i"]


def test_a_database_file_without_write_permission_is_read_and_refuses_writes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from govreport_core.service.export import export_bytes
    from govreport_core.store import StoreReadOnly, db

    path = tmp_path / "ro.duckdb"
    made = Store(path)
    made.save(extracted())
    made.close()
    path.chmod(0o444)
    monkeypatch.setattr(db, "_writable", lambda _: False)  # what os.access says for a non-root user
    for shared in (False, True):  # the command line and the dashboard
        store = Store(path, shared=shared)
        assert store.read_only and store.report_count() == 1
        assert b"25" in export_bytes(q.wide(store, EVERYONE), "csv")
        with pytest.raises(StoreReadOnly, match="read-only"):
            store.save(extracted("2019"))
        store.close()


def _hold(db_path: Path, seconds: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(float(sys.argv[2]))", str(db_path), str(seconds)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


@pytest.mark.slow  # another process writes
def test_shared_store_reads_say_busy_while_another_process_writes_then_read_again(tmp_path: Path) -> None:
    from govreport_core.store import StoreBusy

    path = tmp_path / "shared.duckdb"
    Store(path).close()
    shared = Store(path, shared=True, linger=0.05, read_wait=0.3)
    assert shared.report_count() == 0
    time.sleep(0.3)  # idle: the connection is closed, the file free
    holder = _hold(path, 30)
    try:
        started = time.monotonic()
        with pytest.raises(StoreBusy, match="in use by another process"):
            shared.report_count()
        assert time.monotonic() - started < 5
    finally:
        holder.kill()
        holder.wait()
    assert shared.report_count() == 0


@pytest.mark.slow  # an ingest in another process
def test_an_ingest_runs_while_a_shared_store_is_open(tmp_path: Path) -> None:
    path = tmp_path / "shared.duckdb"
    Store(path).close()
    dashboard = Store(path, shared=True, linger=0.2)
    assert dashboard.report_count() == 0
    report = tmp_path / "a.html"
    report.write_bytes(report_bytes())
    env = {**os.environ, "GOVREPORT_DB_WAIT": "10"}
    run = subprocess.run([sys.executable, "-m", "govreport_core", "ingest", str(report), "--db", str(path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 0 and "1 new" in run.stdout, run.stdout + run.stderr
    assert dashboard.report_count() == 1  # the dashboard sees it without a restart


def test_figures_read_by_ocr_keep_their_flag_and_page_in_the_store(store: Store) -> None:
    """A scan's figures are marked in the store (evidence_ocr) so 报告详情 can say the text was read by OCR."""
    result = extracted("2021")
    marked = [replace(f, evidence=replace(f.evidence, page=2, ocr=True)) if f.key == "granted" and f.evidence else f
              for f in result.figures]
    store.save(replace(result, figures=marked))
    store.save(extracted("2019"))
    frame = q.figures(store, EVERYONE, ["granted"])
    ocr = frame.set_index("year")[["evidence_ocr", "evidence_page"]]
    assert ocr.loc[2022].tolist() == [True, 2]
    assert not bool(ocr.loc[2020, "evidence_ocr"])


def test_a_version_1_database_gains_the_ocr_column_and_keeps_its_figures(tmp_path: Path) -> None:
    import duckdb

    from govreport_core.store import db

    path = tmp_path / "v1.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        for statement in db.MIGRATIONS[1]:
            connection.execute(statement)
        connection.execute("INSERT INTO schema_version VALUES (1)")
        connection.execute("INSERT INTO figures (report_id, metric, applicant, value) VALUES (1, 'granted', 'total', 8)")
    migrated = Store(path)
    assert migrated.schema_version() == SCHEMA_VERSION
    row = migrated.query("SELECT value, evidence_ocr IS NULL AS unknown FROM current_figures").iloc[0]
    assert float(row["value"]) == 8 and bool(row["unknown"])


def _contents(store: Store) -> tuple[list, list, list]:
    """Everything stored, by file (sha256) rather than by the ids the store gave."""
    reports = store.query("SELECT s.sha256, r.* EXCLUDE (report_id, source_id, duplicate_of), d.sha256 AS dup "
                          "FROM reports r JOIN sources s USING (source_id) LEFT JOIN reports rd "
                          "ON rd.report_id = r.duplicate_of LEFT JOIN sources d ON d.source_id = rd.source_id "
                          "ORDER BY s.sha256").values.tolist()
    figures = store.query("SELECT s.sha256, f.* EXCLUDE (report_id) FROM figures f JOIN reports r USING (report_id) "
                          "JOIN sources s USING (source_id) ORDER BY ALL").values.tolist()
    findings = store.query("SELECT s.sha256, x.rule, x.message FROM findings x JOIN reports r USING (report_id) "
                           "JOIN sources s USING (source_id) ORDER BY ALL").values.tolist()
    return reports, figures, findings


def test_a_batch_saves_what_one_by_one_saves(tmp_path: Path) -> None:
    """Store.save_batch: one transaction of Arrow inserts, the same outcomes and rows as a save per file."""
    results = [extracted("2019"), extracted("2021"), extracted("2021"),  # the same file twice
               extract_bytes(report_bytes().replace(b"</body>", b"<p>pdf copy</p></body>"), "r2.html"),  # duplicate
               extract_bytes(b"", "empty.txt"), extracted("2021", "株洲市2023年政府信息公开工作年度报告", "c.html")]
    one_by_one, batched = Store(tmp_path / "a.duckdb"), Store(tmp_path / "b.duckdb")
    single = [one_by_one.save(r).status for r in results]
    assert single == ["new", "new", "unchanged", "duplicate", "failed", "new"]
    assert [o.status for o in batched.save_batch(results)] == single
    assert _contents(batched) == _contents(one_by_one)
    assert batched.query("SELECT file FROM failures")["file"].tolist() == ["empty.txt"]


def test_a_report_the_database_refuses_fails_alone_in_its_batch(store: Store) -> None:
    good, bad = extracted("2019"), extracted("2021")
    huge = replace(bad, figures=[replace(bad.figures[0], value=10 ** 15), *bad.figures[1:]])
    outcomes = store.save_batch([good, huge])  # 10^15 does not fit DECIMAL(20, 6): that report's transaction fails
    assert [o.status for o in outcomes] == ["new", "failed"] and "Conversion" in outcomes[1].message
    assert store.report_count() == 1 and set(q.reports(store, EVERYONE)["year"]) == {2020}
    assert len(store.query("SELECT * FROM report_values")) == 1  # nothing of the refused report anywhere


def test_the_wide_table_follows_corrections_and_re_ingests(store: Store) -> None:
    report_id = store.save(replace(extracted(), parser_version="0")).report_id
    assert q.wide(store, EVERYONE)["applications_new"].tolist() == [25.0]  # spec: 本年新收 25
    store.correct(report_id, "applications_new", 30, "表格印刷错误", "审核员甲")
    store.correct(report_id, "applications_new", 31, "再次核对", "审核员乙")
    store.correct(report_id, "proactive_items", 7, "报告漏填", "审核员乙")  # a figure the report never stated
    store.correct(report_id, "granted", None, "无法核实", "审核员乙")  # a figure removed
    store.save(extracted())  # a newer parser re-reads the file: corrections stay on top
    wide = q.wide(store, EVERYONE).iloc[0]
    assert (wide["applications_new"], wide["proactive_items"]) == (31.0, 7.0) and "granted" not in wide
    assert q.series(store, EVERYONE, "applications_new")["value"].tolist() == [31.0]
    assert q.breakdown(store, EVERYONE).set_index("applicant").loc["natural_person", "value"] == 20  # spec: 20
    assert "granted" not in set(q.outcomes(store, EVERYONE)["metric"])


def test_an_older_database_gets_the_wide_table_filled(tmp_path: Path) -> None:
    """Schema 1 databases (no report_values) are migrated: the wide table is built from their figures."""
    import duckdb

    from govreport_core.store import db

    path = tmp_path / "old.duckdb"
    connection = duckdb.connect(str(path))
    connection.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    for statement in db.MIGRATIONS[1]:
        connection.execute(statement)
    connection.execute("INSERT INTO schema_version VALUES (1)")
    connection.execute("INSERT INTO sources (sha256, file_name, ingested_at) VALUES ('x', 'x.html', now())")
    connection.execute("INSERT INTO reports (source_id, agency, year, format_era, parser_version) "
                       "VALUES (1, '甲', 2022, '2021', '1')")
    connection.execute("INSERT INTO figures (report_id, metric, applicant, value) VALUES (1, 'applications_new', "
                       "'total', 12), (1, 'applications_new', 'research', 2)")
    connection.close()
    store = Store(path)
    assert store.schema_version() == SCHEMA_VERSION == 7
    assert q.wide(store, EVERYONE)["applications_new"].tolist() == [12.0]
    assert q.breakdown(store, EVERYONE)["value"].tolist() == [2.0]


def test_a_recluster_gets_the_memory_it_needs_or_leaves_the_rows_as_they_were(store: Store,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """An ingest's writer has 128 MB (`--db-memory`); sorting the wide table failed within it from 100,000 reports
    on (an OutOfMemoryException, a traceback at the end of a large ingest). The cap is raised for the sort and set
    back; where even that is too little, the rows stay as they were and the caller is told."""
    from govreport_core.store import db

    for era in ("2019", "2021"):
        store.save(extracted(era, name=f"{era}.html"))
    before = store.query("SELECT * EXCLUDE (figure_flags) FROM report_values ORDER BY report_id")

    def cap() -> str:
        return store.query("SELECT current_setting('memory_limit') AS m")["m"].iloc[0]

    store.limit_memory(128)
    writer = cap()
    assert store.recluster() and cap() == writer
    monkeypatch.setattr(db, "RECLUSTER_MEMORY_MB", 8)  # too little for any sort of the wide table's 600 columns
    store.limit_memory(8)
    assert store.recluster() is False
    store.limit_memory(128)  # (reading 600 columns needs more than 8 MB too)
    after = store.query("SELECT * EXCLUDE (figure_flags) FROM report_values ORDER BY report_id")
    pd.testing.assert_frame_equal(before, after)
    assert store.save(extracted("2021", "株洲市荷塘区人民政府2022年政府信息公开工作年度报告", name="x.html")).status == "new"
