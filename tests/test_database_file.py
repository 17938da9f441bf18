"""The database file is the database (issue 22.5): checkpointed on close, its schema version checked by every
command (older migrated or refused, newer, unknown or changed refused with a sentence), a path named for reading
must exist, and a full disk costs neither a partial export nor what an ingest had saved."""

from __future__ import annotations

import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT
from report_builder import sample_report

from govreport_core.extraction.pipeline import extract_bytes
from govreport_core.store import Store, StoreError, db
from govreport_core.store import queries as q
from govreport_core.store.filters import Filters

EVERYONE = Filters(governments_only=False, aggregates=True, include_unknown_year=True)
NOISE = ("Traceback", "nanobind", "leaked")


def run_cli(*args: str, file_limit: int | None = None) -> subprocess.CompletedProcess[str]:
    def limit() -> None:  # a file may grow to `file_limit` bytes: beyond it a write fails with EFBIG
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    return subprocess.run([sys.executable, "-m", "govreport_core", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, preexec_fn=limit if file_limit else None)


def report(year: int, agency: str = "株洲市芦淞区人民政府") -> bytes:
    return sample_report("2021", f"{agency}{year}年政府信息公开工作年度报告").render_html().encode("utf-8")


def reports_folder(folder: Path, count: int) -> Path:
    """`count` distinct reports (agencies × years), written as HTML files."""
    folder.mkdir()
    agencies = ["株洲市芦淞区人民政府", "株洲市荷塘区人民政府", "株洲市石峰区人民政府", "株洲市天元区人民政府",
                "株洲市渌口区人民政府", "醴陵市人民政府", "攸县人民政府", "茶陵县人民政府"]
    for n in range(count):
        agency, year = agencies[n % len(agencies)], 2005 + n // len(agencies)
        (folder / f"r{n:03}.html").write_bytes(report(year, agency))
    return folder


def schema_1(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A genuine version-1 database (the first migration only) holding one report."""
    with monkeypatch.context() as old:
        old.setattr(db, "MIGRATIONS", {1: db.MIGRATIONS[1]})
        with Store(path) as store:
            store._connection.execute("INSERT INTO sources (sha256, file_name, ingested_at) VALUES ('x', 'a.html', now())")
            store._connection.execute("INSERT INTO reports (source_id, parser_version, agency, year, province) "
                                      "SELECT source_id, 'old', '芦淞区人民政府', 2021, '湖南省' FROM sources")
            store._connection.execute("INSERT INTO figures (report_id, metric, applicant, value) "
                                      "SELECT report_id, 'applications_new', 'total', 25 FROM reports")


def changed(path: Path, *statements: str) -> Path:
    Store(path).close()
    with duckdb.connect(str(path)) as connection:
        for statement in statements:
            connection.execute(statement)
    return path


@pytest.mark.slow  # the command line in subprocesses
def test_an_ingest_leaves_no_wal_and_the_file_alone_is_a_complete_copy(tmp_path: Path) -> None:
    folder = reports_folder(tmp_path / "in", 6)
    database = tmp_path / "g.duckdb"
    Store(database).close()  # not filled from the default data
    proc = run_cli("ingest", str(folder), "--db", str(database), "--workers", "1")
    assert proc.returncode == 0 and "6 new" in proc.stdout, proc.stderr
    assert not any(word in proc.stdout + proc.stderr for word in NOISE), proc.stderr
    assert not Path(f"{database}.wal").exists()
    backup = tmp_path / "backup.duckdb"
    shutil.copyfile(database, backup)  # the .duckdb alone, as a backup script would copy it
    with Store(backup, read_only=True) as store:
        assert store.report_count() == 6


@pytest.mark.slow  # the command line in subprocesses
def test_a_genuine_version_1_database_is_migrated_by_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = tmp_path / "v1.duckdb"
    schema_1(database, monkeypatch)
    proc = run_cli("export", "--db", str(database), "--headers", "key", "--departments", "-o", str(tmp_path / "o.csv"))
    assert proc.returncode == 0 and not any(word in proc.stderr for word in NOISE), proc.stderr
    lines = (tmp_path / "o.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 2 and lines[1].endswith(",25")  # the version-1 figure, through the migrated wide table
    with Store(database, read_only=True) as store:
        assert store.schema_version() == db.SCHEMA_VERSION


def test_an_older_database_that_cannot_be_written_is_refused_with_a_sentence(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    database = tmp_path / "v1.duckdb"
    schema_1(database, monkeypatch)
    monkeypatch.setattr(db, "_writable", lambda path: False)  # as for a file without write permission (root ignores it)
    with pytest.raises(StoreError, match=r"made by an older govreport \(schema 1; .*read-only"):
        Store(database, read_only=True)


CHANGED = [
    (["INSERT INTO schema_version VALUES (99)"], "made by a newer govreport (schema 99"),
    (["DROP TABLE schema_version", "CREATE TABLE schema_version (version VARCHAR)",
      "INSERT INTO schema_version VALUES ('4')"], "is not a number (its version column is VARCHAR)"),
    (["ALTER TABLE reports RENAME COLUMN agency TO organ"], "reports.agency is missing"),
    (["ALTER TABLE figures ALTER value TYPE VARCHAR"], "figures.value is VARCHAR, not DECIMAL(20,6)"),
    (["DELETE FROM schema_version", "INSERT INTO schema_version VALUES (-3)"], "unknown schema version (-3)"),
]


@pytest.mark.parametrize(("statements", "sentence"), CHANGED)
@pytest.mark.parametrize("read_only", [False, True])
def test_a_newer_unknown_or_changed_schema_is_refused_on_open(tmp_path: Path, statements: list[str], sentence: str,
                                                              read_only: bool) -> None:
    database = changed(tmp_path / "x.duckdb", *statements)
    with pytest.raises(StoreError) as refused:
        Store(database, read_only=read_only)
    assert sentence in str(refused.value)


@pytest.mark.slow  # the command line in subprocesses
@pytest.mark.parametrize(("statements", "sentence"), CHANGED)
def test_a_newer_unknown_or_changed_schema_is_refused_by_every_command(tmp_path: Path, statements: list[str],
                                                                      sentence: str) -> None:
    database = changed(tmp_path / "x.duckdb", *statements)
    folder = reports_folder(tmp_path / "in", 1)
    for args in (["export", "-o", str(tmp_path / "o.csv")], ["ingest", str(folder), "--workers", "1"]):
        proc = run_cli(*args, "--db", str(database))
        assert proc.returncode == 1 and sentence in proc.stderr, proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1 and not any(w in proc.stderr for w in NOISE), proc.stderr
    assert not (tmp_path / "o.csv").exists()


def test_a_duckdb_file_of_another_program_is_refused(tmp_path: Path) -> None:
    database = tmp_path / "other.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("CREATE TABLE sources (id INTEGER)")
    with pytest.raises(StoreError, match=r"holds other tables \(sources\) and no govreport schema version"):
        Store(database)


@pytest.mark.slow  # the command line in subprocesses
def test_export_at_a_mistyped_path_is_an_error_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "govreport.duckdb"
    proc = run_cli("export", "--db", str(missing), "-o", str(tmp_path / "o.csv"))
    assert proc.returncode == 1 and "There is no database at" in proc.stderr
    assert not missing.parent.exists() and not (tmp_path / "o.csv").exists()
    proc = run_cli("scale", "--db", str(missing), "--bench-only")
    assert proc.returncode == 1 and "no database at" in proc.stderr and not missing.parent.exists()


@pytest.mark.slow  # the command line in subprocesses
def test_an_export_onto_a_full_disk_leaves_no_partial_file(tmp_path: Path) -> None:
    database = tmp_path / "g.duckdb"
    with Store(database) as store:
        for year in range(2010, 2030):
            store.save(extract_bytes(report(year), f"{year}.html"))
    kept = tmp_path / "kept.csv"
    kept.write_text("mine", encoding="utf-8")
    for fmt in ("csv", "xlsx", "json"):
        target = tmp_path / f"out.{fmt}"
        proc = run_cli("export", "--db", str(database), "--long", "--format", fmt, "-o", str(target), file_limit=20_000)
        assert proc.returncode == 1 and "is full (or a file size limit was reached)" in proc.stderr, proc.stderr
        assert not any(word in proc.stderr for word in NOISE), proc.stderr
        assert not target.exists()
    proc = run_cli("export", "--db", str(database), "--long", "-o", str(kept), "--force", file_limit=20_000)
    assert proc.returncode == 1 and kept.read_text(encoding="utf-8") == "mine"  # the file there is as it was
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.duckdb", "kept.csv"]  # no temporary file left


@pytest.mark.slow  # the command line in subprocesses
def test_an_ingest_onto_a_full_disk_says_so_once_and_keeps_what_it_saved(tmp_path: Path) -> None:
    folder = reports_folder(tmp_path / "in", 160)
    database = tmp_path / "g.duckdb"
    Store(database).close()
    limit = database.stat().st_size + 700_000
    proc = run_cli("ingest", str(folder), "--db", str(database), "--workers", "1", "--batch-size", "10",
                   file_limit=limit)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    errors = [line for line in proc.stderr.replace("\r", "\n").splitlines() if "error:" in line]
    assert len(errors) == 1 and "is full (or the file reached a size limit)" in errors[0], proc.stderr
    assert "what was saved before is kept" in errors[0] and not any(w in proc.stderr for w in NOISE), proc.stderr
    with Store(database) as store:  # the space is back (no limit here): the run goes on where it stopped
        saved = store.report_count()
    assert 0 < saved < 160
    proc = run_cli("ingest", str(folder), "--db", str(database), "--workers", "1")
    assert proc.returncode == 0 and f"{160 - saved} new" in proc.stdout, proc.stdout + proc.stderr
    with Store(database, read_only=True) as store:
        assert store.report_count() == 160 and len(q.reports(store, EVERYONE)) == 160
