"""Streaming ingest at scale: a 2-worker Dask LocalCluster, a worker killed mid-run, a run interrupted and
resumed, the parser version, URLs and an unreachable scheduler. Every run is held to the single-process
ingest of the same generated folder (a few hundred text reports from the corpus generator)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

from govreport_core.devtools.corpus.generate import TEXT_FORMS, write_corpus
from govreport_core.service.ingest import IngestError, close_dask, connect_dask, ingest
from govreport_core.store import Store

pytestmark = pytest.mark.slow  # Dask clusters and subprocess ingests: `scripts/test.sh --quick` leaves it out

COUNT = 160


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    write_corpus(out, COUNT, seed=7, forms=TEXT_FORMS)
    shutil.rmtree(out / "truth")
    (out / "broken.txt").write_bytes(b"\x00\x01\x02" * 500)  # fails: recorded, never half-saved
    return out


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    dask = connect_dask("local", 2)
    yield dask
    close_dask(dask)


@pytest.fixture(scope="module")
def single(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple:
    store = Store(tmp_path_factory.mktemp("single") / "g.duckdb")
    summary = ingest(store, [folder], workers=1, batch_size=50)
    assert summary.new + summary.duplicate == COUNT and summary.failed_count == 1
    return contents(store)


def contents(store: Store) -> tuple:
    """Reports, figures, findings, wide rows and failures, by file (sha256) rather than by the ids given.

    Results are saved as they complete, so the ids follow the order files finished in: a finding naming another
    report (K5: 报告编号 N) names it by its file here. Of the files of one report (agency, year, scope, region),
    the first saved stands and the others are kept inactive as its duplicates: which one stands follows the
    order too, so a report is compared with the files of its group, not with which of them stands; and K5 (which
    compares the standing reports) is held to a full recheck of the final state instead (`k5_is_current`)."""
    by_sha = "JOIN reports r USING (report_id) JOIN sources s USING (source_id)"
    sha_of = dict(store.query("SELECT r.report_id, s.sha256 FROM reports r JOIN sources s USING (source_id)")
                  .itertuples(index=False))

    def named(value: object) -> object:
        if isinstance(value, str):
            return re.sub(r"报告编号 (\d+)", lambda m: f"报告 {sha_of[int(m.group(1))]}", value)
        if hasattr(value, "tolist") and getattr(value, "ndim", 0):  # a list column
            return tuple(value.tolist())
        return None if pd.isna(value) else value

    def rows(sql: str) -> list[tuple]:
        return [tuple(named(v) for v in row) for row in store.query(sql).itertuples(index=False)]

    return (
        rows("SELECT s.sha256, s.file_name, r.* EXCLUDE (report_id, source_id, duplicate_of, active) "
             "FROM reports r JOIN sources s USING (source_id) ORDER BY s.sha256"),
        rows("SELECT list_sort(list(s.sha256)), count(*) FILTER (WHERE r.active) FROM reports r "
             "JOIN sources s USING (source_id) WHERE r.agency IS NOT NULL AND r.year IS NOT NULL "
             "GROUP BY r.agency, r.year, r.scope, r.region HAVING count(*) > 1 ORDER BY 1"),
        rows(f"SELECT s.sha256, f.* EXCLUDE (report_id) FROM figures f {by_sha} ORDER BY ALL"),
        rows(f"SELECT s.sha256, x.rule, x.severity, x.message, array_to_string(x.keys, ',') FROM findings x {by_sha} "
             "WHERE x.rule <> 'K5' ORDER BY ALL"),
        # the wide rows without the time of saving (each run has its own) and `active` (as the reports' above),
        # their flags as text
        rows(f"SELECT s.sha256, v.* EXCLUDE (report_id, ingested_at, active, figure_flags), v.figure_flags::VARCHAR "
             f"FROM report_values v {by_sha} ORDER BY ALL"),
        rows("SELECT file, reason FROM failures ORDER BY ALL"),
    )


def k5_is_current(store: Store) -> bool:
    """The K5 findings kept while saving equal those a full recheck of the stored reports gives."""
    def k5() -> list[tuple]:
        return sorted(store.query("SELECT report_id, message FROM findings WHERE rule = 'K5'").itertuples(index=False))

    kept = k5()
    store.recheck_years()
    return k5() == kept


def test_a_local_cluster_stores_what_one_process_stores(folder: Path, client: object, single: tuple,
                                                        tmp_path: Path) -> None:
    store = Store(tmp_path / "g.duckdb")
    summary = ingest(store, [folder], client=client, batch_size=50)
    assert summary.failed_count == 1 and "binary" in summary.failed[0][1]
    assert contents(store) == single and k5_is_current(store)
    assert len(single[0]) == COUNT and len(single[2]) > 20 * COUNT  # not trivially equal: every report is there
    assert single[1] and all(active == 1 for _, active in single[1])  # duplicates, one file of each standing


def test_a_worker_killed_mid_run_loses_and_doubles_nothing(folder: Path, client: object, single: tuple,
                                                          tmp_path: Path) -> None:
    killed: list[int] = []

    def kill_one_worker(done: int, total: int, name: str) -> None:
        if done == 40 and not killed:
            pid = next(iter(client.run(os.getpid).values()))  # type: ignore[attr-defined]
            os.kill(pid, signal.SIGKILL)  # its nanny starts a new one; its files are given to the other
            killed.append(pid)

    store = Store(tmp_path / "g.duckdb")
    summary = ingest(store, [folder], client=client, batch_size=50, progress=kill_one_worker)
    assert killed and summary.failed_count == 1
    assert contents(store) == single and k5_is_current(store)


def test_a_process_pool_worker_killed_mid_run_loses_and_doubles_nothing(folder: Path, single: tuple,
                                                                        tmp_path: Path) -> None:
    """The single-machine engine: a killed worker breaks the pool; the files in flight go to a new pool."""
    import psutil

    killed: list[int] = []

    def kill_one_worker(done: int, total: int, name: str) -> None:
        workers = []
        for child in psutil.Process().children():  # the pool's workers, not multiprocessing's resource tracker
            try:
                if child.status() != psutil.STATUS_ZOMBIE and "resource_tracker" not in " ".join(child.cmdline()):
                    workers.append(child)
            except psutil.Error:
                continue
        if done == 40 and workers and not killed:
            workers[0].kill()
            killed.append(workers[0].pid)

    store = Store(tmp_path / "g.duckdb")
    summary = ingest(store, [folder], workers=2, batch_size=50, progress=kill_one_worker)
    assert killed and summary.failed_count == 1
    assert contents(store) == single and k5_is_current(store)


def test_a_run_interrupted_then_resumed_equals_an_uninterrupted_one(folder: Path, client: object, single: tuple,
                                                                    tmp_path: Path) -> None:
    def interrupt(done: int, total: int, name: str) -> None:
        if done == 70:
            raise KeyboardInterrupt  # Ctrl-C

    store = Store(tmp_path / "g.duckdb")
    with pytest.raises(KeyboardInterrupt):
        ingest(store, [folder], client=client, batch_size=50, progress=interrupt)
    saved = len(store.query("SELECT report_id FROM reports"))
    assert 50 <= saved < COUNT  # the batch done and the files extracted before Ctrl-C are kept
    resumed = ingest(store, [folder], client=client, batch_size=50)
    assert resumed.skipped == saved  # nothing already stored is extracted again
    assert contents(store) == single and k5_is_current(store)


def test_an_unreachable_scheduler_is_one_clear_error_before_any_work(folder: Path, tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="cannot be reached"):
        connect_dask("tcp://127.0.0.1:9", 2, timeout="2s")
    db = tmp_path / "g.duckdb"
    Store(db).close()
    run = subprocess.run([sys.executable, "-m", "govreport_core", "ingest", str(folder), "--db", str(db), "--dask",
                          "tcp://127.0.0.1:9"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "cannot be reached" in run.stderr and "Traceback" not in run.stderr
    assert Store(db).report_count() == 0


def test_urls_are_read_through_fsspec_and_a_missing_one_fails_with_a_sentence(folder: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "g.duckdb")
    report = sorted(folder.glob("*.html"))[0]
    summary = ingest(store, [report.as_uri(), (folder / "nothing_here.html").as_uri()])
    assert summary.new == 1 and summary.failed_count == 1
    assert "cannot be opened" in summary.failed[0][1] and store.report_count() == 1


def test_a_new_parser_re_reads_what_an_older_one_read(folder: Path, tmp_path: Path) -> None:
    """PARSER_VERSION is the extraction code's fingerprint: a parser differing by one line stored the files
    first; the current one re-reads them all (updated), and a third run has nothing to do."""
    older = tmp_path / "older"
    shutil.copytree(ROOT / "govreport_core", older / "govreport_core",
                    ignore=shutil.ignore_patterns("__pycache__"))
    with (older / "govreport_core" / "extraction" / "tables.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# an older parser\n")
    reports = tmp_path / "reports"
    reports.mkdir()
    for path in sorted(folder.glob("*_2021_html.html"))[:3]:
        shutil.copy(path, reports / path.name)
    db = tmp_path / "g.duckdb"
    Store(db).close()

    def run(cwd: Path) -> str:
        env = {**os.environ, "PYTHONPATH": str(cwd)}
        done = subprocess.run([sys.executable, "-m", "govreport_core", "ingest", str(reports), "--db", str(db)],
                              cwd=cwd, capture_output=True, text=True, timeout=300, env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "3 new" in run(older)
    assert "3 updated" in run(ROOT)
    assert "3 unchanged" in run(ROOT)
