"""Store: the DuckDB database. Schema and migrations, saving results, corrections, queries: all the SQL.

Receives extraction Results (and the user's overrides) and Filters; hands back pandas DataFrames.
- One connection per process, a cursor per call (a DuckDB connection is not thread-safe; Streamlit runs
  each session on its own thread); writes are serialised by a lock and a batch of reports is written in
  one transaction (`save_batch`, through Arrow tables: store/writes.py), so a failure leaves nothing
  half-written.
- No ART indexes on the figures: analytic queries scan with DuckDB's zone maps, and an index would
  double the file (a 100,000-report database); `save` itself keeps (report, metric, applicant) unique.
- Idempotent by sha256: the same file again is `unchanged`; a file read by an older parser is re-read
  and `updated` in place (same report id, so corrections keep pointing at it).
- A second file of the same report (same agency, year and scope) is saved inactive as a `duplicate` of
  the first; `choose_report` makes it the one that stands. Queries read active reports only.
- Corrections are kept apart from extracted figures; `current_figures` gives the corrected value and
  a re-ingest never drops one. `report_values` (one row per report, one column per metric) holds the
  same current values for the pages, rewritten for every report a save or a correction touches.
Every user value is a bound parameter; the only SQL built from strings is lists of `?` and column names
from the catalog.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from .. import catalog
from ..filters import Filters
from ..model import Result
from . import writes
from .writes import SaveOutcome

SCHEMA_VERSION = 2
MIGRATIONS: dict[int, list[str]] = {
    1: [
        "CREATE SEQUENCE IF NOT EXISTS source_ids START 1",
        "CREATE SEQUENCE IF NOT EXISTS report_ids START 1",
        "CREATE SEQUENCE IF NOT EXISTS correction_ids START 1",
        """CREATE TABLE sources (
            source_id INTEGER PRIMARY KEY DEFAULT nextval('source_ids'), sha256 VARCHAR UNIQUE NOT NULL,
            file_name VARCHAR NOT NULL, format VARCHAR, size BIGINT, encoding VARCHAR,
            ingested_at TIMESTAMP NOT NULL)""",
        """CREATE TABLE reports (
            report_id INTEGER PRIMARY KEY DEFAULT nextval('report_ids'), source_id INTEGER NOT NULL UNIQUE,
            title VARCHAR, province VARCHAR, city VARCHAR, region VARCHAR, agency VARCHAR, level VARCHAR,
            year INTEGER, format_era VARCHAR, published DATE, adcode VARCHAR, scope VARCHAR,
            parser_version VARCHAR NOT NULL, active BOOLEAN NOT NULL DEFAULT TRUE, duplicate_of INTEGER,
            overrides VARCHAR)""",
        """CREATE TABLE figures (
            report_id INTEGER NOT NULL, metric VARCHAR NOT NULL, applicant VARCHAR NOT NULL,
            value DECIMAL(20, 6) NOT NULL, unit VARCHAR, derived BOOLEAN NOT NULL DEFAULT FALSE,
            evidence_text VARCHAR, evidence_start INTEGER, evidence_end INTEGER, evidence_row VARCHAR,
            evidence_column VARCHAR, evidence_page INTEGER)""",
        """CREATE TABLE findings (
            report_id INTEGER NOT NULL, rule VARCHAR NOT NULL, severity VARCHAR NOT NULL, message VARCHAR,
            keys VARCHAR[])""",
        """CREATE TABLE corrections (
            correction_id INTEGER PRIMARY KEY DEFAULT nextval('correction_ids'), report_id INTEGER NOT NULL,
            metric VARCHAR NOT NULL, applicant VARCHAR NOT NULL, old_value DECIMAL(20, 6),
            new_value DECIMAL(20, 6), reason VARCHAR NOT NULL, author VARCHAR NOT NULL,
            corrected_at TIMESTAMP NOT NULL)""",
        # Extracted figures with their latest correction, plus the figures set by hand that the report
        # never stated (corrections alone).
        """CREATE VIEW current_figures AS
            WITH latest AS (
                SELECT * FROM corrections
                QUALIFY row_number() OVER (PARTITION BY report_id, metric, applicant ORDER BY correction_id DESC) = 1)
            SELECT f.report_id, f.metric, f.applicant,
                   CASE WHEN c.correction_id IS NULL THEN f.value ELSE c.new_value END AS value,
                   f.value AS extracted_value, c.correction_id IS NOT NULL AS corrected, f.derived, f.unit,
                   f.evidence_text, f.evidence_start, f.evidence_end, f.evidence_row, f.evidence_column, f.evidence_page
            FROM figures f LEFT JOIN latest c
              ON f.report_id = c.report_id AND f.metric = c.metric AND f.applicant = c.applicant
            UNION ALL
            SELECT c.report_id, c.metric, c.applicant, c.new_value, NULL, TRUE, FALSE, NULL, NULL, NULL, NULL, NULL,
                   NULL, NULL
            FROM latest c ANTI JOIN figures f
              ON f.report_id = c.report_id AND f.metric = c.metric AND f.applicant = c.applicant""",
    ],
    # The wide table (store/writes.py) filled for the reports already stored, and the files that failed.
    2: [
        writes.create_values_sql(),
        """CREATE TABLE failures (file VARCHAR NOT NULL, sha256 VARCHAR, reason VARCHAR NOT NULL,
            parser_version VARCHAR, failed_at TIMESTAMP NOT NULL)""",
    ],
}
def lock_wait_seconds() -> float:
    """How long to wait for another process that holds the database (GOVREPORT_DB_WAIT, default 30 s)."""
    import os

    try:
        return float(os.environ.get("GOVREPORT_DB_WAIT", "30"))
    except ValueError:
        return 30.0


class StoreError(Exception):
    """A database problem, said as a sentence for the user."""


def default_db_path() -> Path:
    import os

    return Path(os.environ.get("GOVREPORT_DB") or Path(__file__).resolve().parents[2] / "data" / "govreport.duckdb")


def _connect(path: str, read_only: bool, wait_seconds: float) -> duckdb.DuckDBPyConnection:
    """Open the database, waiting for another process (the dashboard, an ingest) that holds its lock."""
    deadline = time.monotonic() + wait_seconds
    told = False
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                raise StoreError(f"The database {path} is in use by another process (is the dashboard or another "
                                 "ingest running?). Stop it or try again later.") from exc
            if not told:
                print(f"The database {path} is in use by another process; waiting up to {wait_seconds:.0f} s…",
                      flush=True)
                told = True
            time.sleep(0.5)


class Store:
    """One DuckDB database; safe to share between threads (a cursor per call, writes under a lock)."""

    def __init__(self, path: str | Path = ":memory:", read_only: bool = False, wait_seconds: float | None = None) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._connection = _connect(self.path, read_only, lock_wait_seconds() if wait_seconds is None else wait_seconds)
        self._write_lock = threading.Lock()
        if not read_only:
            self._migrate()

    def close(self) -> None:
        self._connection.close()

    def limit_memory(self, megabytes: int) -> None:
        """Cap DuckDB's memory (a bulk build beside other work); it spills to disk beyond it."""
        self._cursor().execute(f"SET memory_limit = '{int(megabytes)}MB'")

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        return self._connection.cursor()

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._write_lock:
            cursor = self._cursor()
            cursor.execute("BEGIN TRANSACTION")
            try:
                yield cursor
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")

    def _migrate(self) -> None:
        cursor = self._cursor()
        cursor.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        row = cursor.execute("SELECT max(version) FROM schema_version").fetchone()
        current = row[0] if row and row[0] is not None else 0
        for version in sorted(v for v in MIGRATIONS if v > current):
            with self._transaction() as tx:
                for statement in MIGRATIONS[version]:
                    tx.execute(statement)
                tx.execute("INSERT INTO schema_version VALUES (?)", [version])
                if version == 2:
                    writes.refresh_values(tx, [row[0] for row in tx.execute("SELECT report_id FROM reports").fetchall()])
        self._match_values_to_catalog()

    def _match_values_to_catalog(self) -> None:
        """A catalog that gained or lost a metric since the wide table was made: rebuild it (rare, after an upgrade)."""
        cursor = self._cursor()
        columns = [row[0] for row in cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'report_values' "
            "AND table_schema = current_schema() ORDER BY ordinal_position").fetchall()]
        if columns == ["report_id", *writes.VALUE_COLUMNS]:
            return
        with self._transaction() as tx:
            tx.execute("DROP TABLE report_values")
            tx.execute(writes.create_values_sql())
            writes.refresh_values(tx, [row[0] for row in tx.execute("SELECT report_id FROM reports").fetchall()])

    def schema_version(self) -> int:
        return int(self._cursor().execute("SELECT max(version) FROM schema_version").fetchone()[0])

    # --- writing ---------------------------------------------------------------------------------

    def known_source(self, sha256: str) -> tuple[int, str] | None:
        """(report_id, parser_version) of a file already stored, by its sha256."""
        row = self._cursor().execute(
            "SELECT r.report_id, r.parser_version FROM sources s JOIN reports r USING (source_id) WHERE s.sha256 = ?",
            [sha256]).fetchone()
        return (int(row[0]), str(row[1])) if row else None

    def current_sources(self, sha256s: list[str]) -> set[str]:
        """Those of these files (by sha256) already stored by the current parser version."""
        from .. import PARSER_VERSION

        cursor = self._cursor()
        cursor.register("wanted_shas", pa.table({"sha256": pa.array(sha256s, pa.string())}))
        rows = cursor.execute("SELECT s.sha256 FROM sources s JOIN reports r USING (source_id) "
                              "WHERE r.parser_version = ? AND s.sha256 IN (SELECT sha256 FROM wanted_shas)",
                              [PARSER_VERSION]).fetchall()
        return {row[0] for row in rows}

    def save(self, result: Result, overrides: dict[str, object] | None = None) -> SaveOutcome:
        """Write one extraction result (with the user's metadata overrides) in one transaction."""
        return self.save_batch([result], [overrides])[0]

    def save_batch(self, results: list[Result], overrides: list[dict[str, object] | None] | None = None) -> list[SaveOutcome]:
        """Write results in one transaction, each table in one INSERT; an outcome per result, in order.

        A result the database refuses fails alone: the batch is then written one result per transaction, so a
        failed file is never half-saved and the others are kept. Failed files are recorded in `failures`."""
        wanted = list(overrides) if overrides is not None else [None] * len(results)
        outcomes: list[SaveOutcome | None] = [None] * len(results)
        batch: dict[int, writes.Prepared] = {}
        for i, result in enumerate(results):
            if result.error is not None or result.meta is None:
                outcomes[i] = SaveOutcome("failed", None, result.error or "The file could not be read.")
                continue
            try:
                batch[i] = writes.prepare(result, wanted[i])
            except (KeyError, ValueError, TypeError, ArithmeticError) as exc:
                outcomes[i] = _refused(exc)
        if batch:
            try:
                with self._transaction() as tx:
                    for i, outcome in writes.write_batch(tx, batch).items():
                        outcomes[i] = outcome
            except duckdb.Error as exc:
                # The transaction rolled back: nothing of these reports is written, and an ingest run goes on.
                if len(batch) == 1:
                    outcomes[next(iter(batch))] = _refused(exc)
                else:
                    for i in batch:
                        outcomes[i] = self.save_batch([results[i]], [wanted[i]])[0]
        done = [o for o in outcomes if o is not None]
        self._record_failures(results, done)
        return done

    def _record_failures(self, results: list[Result], outcomes: list[SaveOutcome]) -> None:
        """Keep the last failure of each file (by the name it was given); a file saved since is cleared."""
        with self._transaction() as tx:
            tx.register("batch_files", pa.table({
                "file": pa.array([r.source.file for r in results], pa.string()),
                "sha256": pa.array([r.source.sha256 for r in results], pa.string()),
                "reason": pa.array([o.message if o.status == "failed" else None for o in outcomes], pa.string()),
                "parser_version": pa.array([r.parser_version for r in results], pa.string())}))
            tx.execute("DELETE FROM failures WHERE file IN (SELECT file FROM batch_files)")
            tx.execute("INSERT INTO failures SELECT file, sha256, reason, parser_version, ? FROM batch_files "
                       "WHERE reason IS NOT NULL", [datetime.now(UTC).replace(tzinfo=None)])
            tx.unregister("batch_files")

    def save_many(self, results: list[Result]) -> int:
        """Bulk-load fresh results in one transaction (the scale database); no duplicate or version checks."""
        with self._transaction() as tx:
            return writes.write_fresh(tx, results)

    def choose_report(self, report_id: int) -> None:
        """Make this report the one that stands among the files of the same report."""
        with self._transaction() as tx:
            row = tx.execute("SELECT coalesce(duplicate_of, report_id) FROM reports WHERE report_id = ?",
                             [report_id]).fetchone()
            if row is None:
                raise StoreError(f"No report {report_id}.")
            group = int(row[0])
            tx.execute("UPDATE reports SET active = FALSE WHERE report_id = ? OR duplicate_of = ?", [group, group])
            tx.execute("UPDATE reports SET active = TRUE WHERE report_id = ?", [report_id])

    def correct(self, report_id: int, metric: str, value: float | int | Decimal | None, reason: str,
                author: str, applicant: str = "total") -> int:
        """Set a figure by hand; who, when and why are kept. `value` None removes the figure."""
        if metric not in catalog.METRICS or applicant not in catalog.APPLICANTS:
            raise StoreError(f"Unknown metric or applicant: {metric} / {applicant}.")
        if not reason.strip() or not author.strip():
            raise StoreError("A correction needs a reason and an author.")
        with self._transaction() as tx:
            if tx.execute("SELECT 1 FROM reports WHERE report_id = ?", [report_id]).fetchone() is None:
                raise StoreError(f"No report {report_id}.")
            old = tx.execute("SELECT value FROM current_figures WHERE report_id = ? AND metric = ? AND applicant = ?",
                             [report_id, metric, applicant]).fetchone()
            new = None if value is None else Decimal(str(value))
            correction_id = int(tx.execute(
                "INSERT INTO corrections (report_id, metric, applicant, old_value, new_value, reason, author, "
                "corrected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING correction_id",
                [report_id, metric, applicant, old[0] if old else None, new, reason.strip(), author.strip(),
                 datetime.now(UTC).replace(tzinfo=None)]).fetchone()[0])
            writes.refresh_values(tx, [report_id])  # the wide table shows the corrected value at once
            return correction_id

    # --- reading ---------------------------------------------------------------------------------

    def query(self, sql: str, params: Iterable[object] = ()) -> pd.DataFrame:
        return self._cursor().execute(sql, list(params)).df()

    def report_count(self) -> int:
        return int(self._cursor().execute("SELECT count(*) FROM reports WHERE active").fetchone()[0])


def where(filters: Filters, alias: str = "r") -> tuple[str, list[object]]:
    """A WHERE clause and its bound parameters for a filter selection over `reports AS alias`."""
    clauses = [f"{alias}.active"]
    params: list[object] = []
    for column in ("province", "city", "region", "scope"):
        value = getattr(filters, column)
        if value:
            clauses.append(f"{alias}.{column} = ?")
            params.append(value)
    if filters.levels:
        clauses.append(f"{alias}.level IN ({', '.join('?' for _ in filters.levels)})")
        params += list(filters.levels)
    if not filters.scope and not filters.aggregates:
        clauses.append(f"coalesce({alias}.scope, 'body') <> 'area'")
    if filters.governments_only:
        clauses.append(f"{alias}.level LIKE '%\\_government' ESCAPE '\\'")
    if filters.eras:
        clauses.append(f"{alias}.format_era IN ({', '.join('?' for _ in filters.eras)})")
        params += list(filters.eras)
    if filters.agency:
        clauses.append(f"{alias}.agency LIKE ? ESCAPE '\\'")
        escaped = filters.agency.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params.append(f"%{escaped}%")
    if filters.year_from is not None or filters.year_to is not None:
        span = f"{alias}.year BETWEEN ? AND ?"
        params += [filters.year_from or 0, filters.year_to or 9999]
        clauses.append(f"({span} OR {alias}.year IS NULL)" if filters.include_unknown_year else span)
    return " AND ".join(clauses), params


def _refused(exc: Exception) -> SaveOutcome:
    return SaveOutcome("failed", None, f"The report could not be saved ({exc.__class__.__name__}: {exc}).")
