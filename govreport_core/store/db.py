"""Store: the DuckDB database. Schema and migrations, saving results, corrections, queries: all the SQL.

Receives extraction Results (and the user's overrides) and Filters; hands back pandas DataFrames.
- One connection per process, a cursor per call (a DuckDB connection is not thread-safe; Streamlit runs
  each session on its own thread); writes are serialised by a lock and each report is written in one
  transaction, so a failure leaves nothing half-written. A `shared` Store (the dashboard, `ingest`) holds
  its connection only while in use, so the two processes take turns on the file instead of locking each
  other out; a read that finds the file held raises `StoreBusy`.
- Opening errors are told apart in one sentence each (`check_database_file`, `explain`): not a DuckDB
  database, damaged, read-only, in use. DuckDB never loads or installs an extension (`DUCKDB_CONFIG`).
  The schema is checked before the first query (store/schema.py): older migrated, newer or changed refused.
- A connection that wrote checkpoints when it closes, and every Store still open is closed at exit, so the
  .duckdb file alone holds the data (no .wal left). A full disk is one sentence (`storage_failure`).
- A batch of reports is written in one transaction (`save_batch`, through Arrow tables: store/writes.py),
  and so is a single report (`save`, a batch of one).
- No ART indexes on the figures: analytic queries scan with DuckDB's zone maps, and an index would
  double the file (a 100,000-report database); `save` itself keeps (report, metric, applicant) unique.
- Idempotent by sha256: the same file again is `unchanged`; a file read by an older parser is re-read
  and `updated` in place (same report id, so corrections keep pointing at it).
- A second file of the same report (same agency, year, scope and region) is saved inactive as a `duplicate`;
  which one stands is decided by what the files are, never by the order they came (store/duplicates.py), and
  `choose_report` makes one stand by hand. Queries read active reports only.
- Corrections are kept apart from extracted figures; `current_figures` gives the corrected value and
  a re-ingest never drops one. `report_values` (store/derived.py: one row per report with its fields and
  one column per metric) holds the same current values for the pages, rewritten for every report a save,
  a correction or a choice among duplicates touches.
Every user value is a bound parameter; the only SQL built from strings is lists of `?` and column names
from the catalog.
"""

from __future__ import annotations

import atexit
import threading
import time
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from govreport_core import catalog
from govreport_core.model import Result

from . import derived, duplicates, schema, writes, years
from .connect import (
    _DAMAGED,
    StoreError,
    StoreReadOnly,
    _connect,
    _writable,
    check_database_file,
    explain,
    lock_wait_seconds,
    storage_failure,
)
from .filters import Filters
from .writes import SaveOutcome

SCHEMA_VERSION = 7
RECLUSTER_MEMORY_MB = 2048  # DuckDB's cap while `recluster` sorts the wide table (see there)
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
    # A file that gives no figure and no metadata (a blank template) is kept as a source with status "no data",
    # never counted as a report: inactive, so no count, chart, ranking or export sees it. Existing ones too,
    # unless a correction gave them a figure.
    2: [
        "ALTER TABLE reports ADD COLUMN status VARCHAR DEFAULT 'report'",
        f"""UPDATE reports SET status = 'no data', active = FALSE
            WHERE {' AND '.join(f'{name} IS NULL' for name in ('agency', 'year', 'province', 'city', 'region'))}
              AND report_id NOT IN (SELECT report_id FROM figures)
              AND report_id NOT IN (SELECT report_id FROM corrections)""",
    ],
    # Figures read by OCR from a scanned page say so (their evidence text may hold recognition errors).
    3: [
        "ALTER TABLE figures ADD COLUMN evidence_ocr BOOLEAN",
        """CREATE OR REPLACE VIEW current_figures AS
            WITH latest AS (
                SELECT * FROM corrections
                QUALIFY row_number() OVER (PARTITION BY report_id, metric, applicant ORDER BY correction_id DESC) = 1)
            SELECT f.report_id, f.metric, f.applicant,
                   CASE WHEN c.correction_id IS NULL THEN f.value ELSE c.new_value END AS value,
                   f.value AS extracted_value, c.correction_id IS NOT NULL AS corrected, f.derived, f.unit,
                   f.evidence_text, f.evidence_start, f.evidence_end, f.evidence_row, f.evidence_column, f.evidence_page,
                   f.evidence_ocr
            FROM figures f LEFT JOIN latest c
              ON f.report_id = c.report_id AND f.metric = c.metric AND f.applicant = c.applicant
            UNION ALL
            SELECT c.report_id, c.metric, c.applicant, c.new_value, NULL, TRUE, FALSE, NULL, NULL, NULL, NULL, NULL,
                   NULL, NULL, NULL
            FROM latest c ANTI JOIN figures f
              ON f.report_id = c.report_id AND f.metric = c.metric AND f.applicant = c.applicant""",
    ],
    # The wide table (store/derived.py), and the files that failed.
    4: [
        derived.create_sql(),
        """CREATE TABLE failures (file VARCHAR NOT NULL, sha256 VARCHAR, reason VARCHAR NOT NULL,
            parser_version VARCHAR, failed_at TIMESTAMP NOT NULL)""",
    ],
    # Which file of a report stands no longer depends on the order the files were saved in (store/duplicates.py):
    # a choice made by hand is kept as one (only a choice made a duplicate stand), then every group is settled.
    5: [
        "ALTER TABLE reports ADD COLUMN chosen_at TIMESTAMP",
        "UPDATE reports SET chosen_at = localtimestamp WHERE active AND duplicate_of IS NOT NULL",
    ],
    # The data version (`queries.data_version`): one number that every write changing what a page shows makes
    # larger (`_changed`), which the dashboard's cached queries and the API's ETag key on. Counting files and
    # corrections missed a file re-read by a newer parser, a choice among duplicates and a save that settled one.
    # It starts at the creation time in microseconds, so a database made again never repeats an earlier number.
    6: [
        "CREATE TABLE data_version (version BIGINT NOT NULL)",
        "INSERT INTO data_version VALUES (CAST(epoch_us(now()) AS BIGINT))",
    ],
    # The wide table gains the reports' own columns and the derived/corrected flags, and is made in display
    # order with its sums per group and its names (store/derived.py): pages read these alone. Filled by
    # `derived.rebuild` after this statement.
    7: ["DROP TABLE IF EXISTS report_values"],
}
IDENTIFYING_FIELDS = ("agency", "year", "province", "city", "region")  # without them and figures: no data
REPORT_FIELDS = catalog.REPORT_FIELDS


class Store:
    """One DuckDB database; safe to share between threads (a cursor per call, writes under a lock).

    `shared=True` (the dashboard, `ingest`): the file is shared with other processes, so a connection is
    opened only while in use (reads read-only, writes in a short read-write transaction) and closed
    `linger` seconds after its last use; a command line ingest can then write while the dashboard is open,
    and the dashboard reads between the ingest's writes. A read that finds the file held longer than
    `read_wait` seconds (None: `wait_seconds`) raises StoreBusy, a write after `wait_seconds` (default
    $GOVREPORT_DB_WAIT). Otherwise one connection is kept for the Store's life.
    A database file without write permission is opened read-only: reading works, writes raise StoreReadOnly.
    """

    def __init__(self, path: str | Path = ":memory:", read_only: bool = False, wait_seconds: float | None = None,
                 shared: bool = False, linger: float = 0.5, read_wait: float | None = 3.0,
                 must_exist: bool = False) -> None:
        self.path = str(path)
        memory = self.path == ":memory:"
        if not memory:
            if must_exist and not Path(self.path).exists():
                raise StoreError(f"There is no database at {self.path}; check the path (a new database is made "
                                 "only by ingest or the dashboard).")
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            check_database_file(self.path)
        self.read_only = read_only or (not memory and not _writable(self.path))
        self.shared = shared and not memory
        self._wait = lock_wait_seconds() if wait_seconds is None else wait_seconds
        self._read_wait = self._wait if read_wait is None else min(read_wait, self._wait)
        self._linger = linger
        self._guard = threading.Condition()
        self._write_lock = threading.RLock()
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._connection_writes = False
        self._users = 0
        self._last_use = 0.0
        self._closer_armed = False
        self._memory_mb: int | None = None
        if not self.shared:
            self._open(write=not self.read_only, wait=self._wait)
        try:
            self._prepare_schema()
        except BaseException:
            self.close()
            raise
        _OPEN.add(self)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection; a writing one checkpoints first, so the .duckdb file alone holds every change
        (no .wal left beside it: a copy of the file is a complete backup)."""
        with self._guard:
            self._close_connection()

    def _close_connection(self) -> None:
        if self._connection is None:
            return
        if self._connection_writes:
            with suppress(duckdb.Error):  # a database stopped by a failed write has nothing more to write
                self._connection.execute("CHECKPOINT")
        self._connection.close()
        self._connection = None

    def _open(self, write: bool, wait: float) -> None:
        try:
            # A command line waiting its full time says so; the dashboard's short read waits stay quiet.
            self._connection = _connect(self.path, read_only=not write, wait_seconds=wait,
                                        announce=write or wait >= self._wait)
        except StoreReadOnly:
            if not write:
                raise
            self.read_only = True  # the file system said no: from now on this Store only reads
            raise
        self._connection_writes = write
        if self._memory_mb is not None:
            self._connection.execute(f"SET memory_limit = '{self._memory_mb}MB'")

    @contextmanager
    def _use(self, write: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on a connection that can write if `write`; in shared mode opened here when needed."""
        with self._guard:
            if write and self.read_only:
                raise StoreReadOnly(f"The database {self.path} is read-only (no write permission, or opened "
                                    "read-only); nothing can be saved to it.")
            if self.shared:
                while write and self._connection is not None and not self._connection_writes:
                    if self._users == 0:
                        self._close_connection()  # a read-only connection cannot become a writing one
                    else:
                        self._guard.wait()
                if self._connection is None:
                    self._open(write, self._wait if write else self._read_wait)
            elif self._connection is None:  # closed (by close(), or after a failed write): opened again
                self._open(write=not self.read_only, wait=self._wait)
            assert self._connection is not None
            cursor = self._connection.cursor()
            self._users += 1
        stopped = False
        try:
            yield cursor
        except duckdb.Error as exc:
            if any(word in str(exc).lower() for word in _DAMAGED):
                raise explain(exc, self.path) from exc
            problem = storage_failure(exc, self.path)
            if problem is not None:
                stopped = True
                raise problem from None  # one sentence: DuckDB's own chain says the same three times
            raise
        finally:
            cursor.close()
            with self._guard:
                self._users -= 1
                if stopped and self._connection is not None:
                    self._connection_writes = False  # nothing can be checkpointed after a failed write
                    with suppress(duckdb.Error):
                        self._connection.close()
                    self._connection = None
                self._last_use = time.monotonic()
                self._guard.notify_all()
                if self.shared and self._users == 0 and not self._closer_armed:
                    self._arm_closer(self._linger)

    def _arm_closer(self, delay: float) -> None:
        self._closer_armed = True
        timer = threading.Timer(delay, self._close_if_idle)
        timer.daemon = True
        timer.start()

    def _close_if_idle(self) -> None:
        """Close the shared connection once it has been idle `linger` seconds (one timer at a time)."""
        with self._guard:
            self._closer_armed = False
            if self._connection is None or self._users:
                return  # closed already, or in use: the last user re-arms the timer
            idle = time.monotonic() - self._last_use
            if idle >= self._linger:
                self._close_connection()
            else:
                self._arm_closer(self._linger - idle)

    @contextmanager
    def session(self, write: bool = True) -> Iterator[None]:
        """Keep one connection for a batch of calls (an ingest batch: one open and one close, not one per
        report); other processes get the database between sessions. A no-op outside shared mode."""
        with self._use(write=write and not self.read_only):
            yield

    def limit_memory(self, megabytes: int) -> None:
        """Cap DuckDB's memory (a bulk build beside other work); it spills to disk beyond it. Kept for every
        connection this Store opens later (in shared mode each write session opens one)."""
        self._memory_mb = int(megabytes)
        with self._use(write=not self.read_only) as cursor:
            cursor.execute(f"SET memory_limit = '{self._memory_mb}MB'")

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._write_lock, self._use(write=True) as cursor:
            cursor.execute("BEGIN TRANSACTION")
            try:
                yield cursor
            except BaseException:
                with suppress(duckdb.Error):  # after a failed write DuckDB may refuse even this
                    cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")

    def _prepare_schema(self) -> None:
        """Migrate an older database (also one opened to be read, when the file can be written), refuse one this
        version cannot use with a sentence (store/schema.py), and check its columns."""
        if self.path == ":memory:":
            self._migrate()
            return
        try:
            version, newest = 0, max(MIGRATIONS)
            if Path(self.path).exists():
                with self._use() as cursor:
                    version = schema.found_version(cursor, self.path, newest)
            if version < newest:
                self._upgrade(version)
            with self._use() as cursor:
                found = schema.columns(cursor)
            problems = schema.differences(found, schema.reference_columns(newest, _reference_columns), wide_too=True)
            if problems and not self.read_only and all(p.startswith(schema.WIDE_TABLE + ".") for p in problems):
                self._match_values_to_catalog()  # the catalog gained a metric since the wide table was made
                problems = []
            if problems:
                raise StoreError(schema.mismatch_sentence(self.path, problems))
        except schema.SchemaProblem as exc:
            raise StoreError(str(exc)) from None
        except duckdb.Error as exc:  # a table changed by hand that a migration or a check cannot read
            raise StoreError(f"The database {self.path} cannot be used by this govreport "
                             f"({str(exc).splitlines()[0][:160]}): it was changed by another program or version; "
                             "restore a copy, or delete it and ingest the reports again.") from None

    def _upgrade(self, version: int) -> None:
        if not self.read_only:
            self._migrate()
            return
        if not _writable(self.path):
            what = "has no govreport tables yet" if version == 0 else \
                f"was made by an older govreport (schema {version}; this one reads {max(MIGRATIONS)})"
            raise StoreError(f"The database {self.path} {what} and cannot be upgraded: the file is read-only. "
                             "Open it once with write permission (any govreport command does the upgrade).")
        # Asked only to read (export), but the file can be written: the upgrade is the one write made here.
        self.close()
        Store(self.path, wait_seconds=self._wait).close()

    def _migrate(self) -> None:
        with self._write_lock, self._use(write=True) as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = cursor.execute("SELECT max(version) FROM schema_version").fetchone()
            current = row[0] if row and row[0] is not None else 0
            for version in sorted(v for v in MIGRATIONS if v > current):
                with self._transaction() as tx:
                    for statement in MIGRATIONS[version]:
                        tx.execute(statement)
                    tx.execute("INSERT INTO schema_version VALUES (?)", [version])
                    if version == 5:
                        duplicates.settle(tx, None)
                    if version == 7:
                        derived.rebuild(tx)  # after 5: which reports are active
            self._match_values_to_catalog()

    def _match_values_to_catalog(self) -> None:
        """A catalog that gained or lost a metric since the wide table was made: rebuild it (rare, after an upgrade)."""
        with self._use() as cursor:
            columns = [row[0] for row in cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'report_values' "
                "AND table_schema = current_schema() ORDER BY ordinal_position").fetchall()]
        if not columns or columns == [*derived.REPORT_COLUMNS, "figure_flags", *derived.VALUE_COLUMNS]:
            return  # none yet (a schema before the wide table), or as the catalog has it
        with self._transaction() as tx:
            _changed(tx)
            derived.rebuild(tx)

    def schema_version(self) -> int:
        with self._use() as cursor:
            return int(cursor.execute("SELECT max(version) FROM schema_version").fetchone()[0])

    # --- writing ---------------------------------------------------------------------------------

    def known_source(self, sha256: str) -> tuple[int, str] | None:
        """(report_id, parser_version) of a file already stored, by its sha256."""
        with self._use() as cursor:
            row = cursor.execute("SELECT r.report_id, r.parser_version FROM sources s JOIN reports r USING (source_id) "
                                 "WHERE s.sha256 = ?", [sha256]).fetchone()
        return (int(row[0]), str(row[1])) if row else None

    def current_sources(self, sha256s: list[str]) -> set[str]:
        """Those of these files (by sha256) already stored by the current parser version."""
        from govreport_core.extraction.version import PARSER_VERSION

        with self._use() as cursor:
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
        stored = self._stored_overrides([r.source.sha256 for r in results if r.error is None])
        # What the user typed in at upload stays over what a newer parser reads (and over nothing given now).
        wanted = [(stored.get(r.source.sha256, {}) | (w or {})) or None for r, w in zip(results, wanted, strict=True)]
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
                    written = _standing(tx, writes.write_batch(tx, batch))
                    if any(outcome.status != "unchanged" for outcome in written.values()):
                        _changed(tx)
                for i, outcome in written.items():
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
            removed = tx.execute("DELETE FROM failures WHERE file IN (SELECT file FROM batch_files)").fetchone()[0]
            added = tx.execute("INSERT INTO failures SELECT file, sha256, reason, parser_version, ? FROM batch_files "
                               "WHERE reason IS NOT NULL", [datetime.now(UTC).replace(tzinfo=None)]).fetchone()[0]
            tx.unregister("batch_files")
            if removed or added:  # 数据质量 lists the failed files
                _changed(tx)

    def save_many(self, results: list[Result]) -> int:
        """Bulk-load fresh results in one transaction (tests that need many reports); no duplicate or version checks."""
        with self._transaction() as tx:
            _changed(tx)
            return writes.write_fresh(tx, results)

    @contextmanager
    def bulk(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A transaction for a bulk load by SQL (devtools/scale's generated reports); no per-report checks."""
        with self._transaction() as tx:
            _changed(tx)
            yield tx

    def _stored_overrides(self, sha256s: list[str]) -> dict[str, dict[str, object]]:
        """The overrides stored with these files (by sha256), where any were typed in."""
        import json

        if not sha256s:
            return {}
        with self._use() as cursor:
            cursor.register("wanted_shas", pa.table({"sha256": pa.array(sha256s, pa.string())}))
            rows = cursor.execute("SELECT s.sha256, r.overrides FROM sources s JOIN reports r USING (source_id) "
                                  "WHERE r.overrides IS NOT NULL AND s.sha256 IN (SELECT sha256 FROM wanted_shas)"
                                  ).fetchall()
        out: dict[str, dict[str, object]] = {}
        for sha, text in rows:
            try:
                value = json.loads(text)
            except ValueError:
                continue
            if isinstance(value, dict):
                out[sha] = {k: v for k, v in value.items() if k in REPORT_FIELDS}
        return out

    def choose_report(self, report_id: int) -> None:
        """Make this report the one that stands among the files of the same report (until another is chosen)."""
        with self._transaction() as tx:
            changed = duplicates.choose(tx, report_id)
            if changed is None:
                raise StoreError(f"No report {report_id}.")
            derived.refresh_reports(tx, changed)  # the wide table's `active` follows
            _changed(tx)

    def correct(self, report_id: int, metric: str, value: float | int | Decimal | None, reason: str,
                author: str, applicant: str = "total") -> int:
        """Set a figure by hand; who, when and why are kept. `value` None removes the figure."""
        if metric not in catalog.METRICS or applicant not in catalog.APPLICANTS:
            raise StoreError(f"Unknown metric or applicant: {metric} / {applicant}.")
        if derived.value_column(metric, applicant) is None:
            raise StoreError(f"{metric} has no applicant columns (only table 3's rows do): {applicant} cannot be set.")
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
            changed = duplicates.settle(tx, [report_id])  # a corrected file stands among its copies; K5 rechecked
            derived.refresh(tx, [report_id])  # the wide table shows the corrected value at once
            derived.refresh_reports(tx, [i for i in changed if i != report_id])
            _changed(tx)
            return correction_id

    def recluster(self) -> bool:
        """Put the wide table back in display order after a large ingest appended its rows (store/derived.py):
        previews and year or area filters then read only the rows they need. About 15 s a million reports.

        Sorting the wide rows takes more memory than an ingest's writer has (`--db-memory`, 128 MB: it failed at
        100,000 reports; 512 MB did at 1,000,000 and not at 10,000,000), so the cap is raised to
        RECLUSTER_MEMORY_MB for this one statement and set back after. Returns False, the rows left where they
        are (every value still right, pages only slower), when even that is too little."""
        raised = self._memory_mb is not None and self._memory_mb < RECLUSTER_MEMORY_MB
        try:
            with self._transaction() as tx:
                if raised:
                    tx.execute(f"SET memory_limit = '{RECLUSTER_MEMORY_MB}MB'")
                derived.recluster(tx)
            return True
        except duckdb.OutOfMemoryException:
            return False
        finally:
            if raised:
                with suppress(duckdb.OutOfMemoryException):  # blocks still held: the raised cap stays until they go
                    self.limit_memory(self._memory_mb)  # type: ignore[arg-type]

    def recheck_years(self) -> int:
        """The cross-year check K5 over every agency (after a bulk load); returns how many pairs disagree."""
        with self._transaction() as tx:
            _changed(tx)
            return years.recheck(tx)

    # --- reading ---------------------------------------------------------------------------------

    def query(self, sql: str, params: Iterable[object] = ()) -> pd.DataFrame:
        with self._use() as cursor:
            return cursor.execute(sql, list(params)).df()

    def arrow(self, sql: str, params: Iterable[object] = ()) -> pa.Table:
        """The result as an Arrow table (store/frames.py turns it into `query`'s DataFrame, faster)."""
        with self._use() as cursor:
            return cursor.sql(sql, params=list(params)).to_arrow_table()

    def report_count(self) -> int:
        with self._use() as cursor:
            return int(cursor.execute("SELECT count(*) FROM reports WHERE active").fetchone()[0])


_OPEN: weakref.WeakSet[Store] = weakref.WeakSet()


def _close_all() -> None:
    """Close (and checkpoint) every Store still open when the process ends: a connection left to the interpreter's
    shutdown leaves the data in the .wal file and makes DuckDB's bindings print pages of "leaked" warnings."""
    for store in list(_OPEN):
        with suppress(Exception):
            store.close()


atexit.register(_close_all)


def _reference_columns() -> schema.Columns:
    """The columns of a database this version makes: one built in memory by the migrations."""
    with Store(":memory:") as store, store._use() as cursor:
        return schema.columns(cursor)


def where(filters: Filters, alias: str = "r") -> tuple[str, list[object]]:
    """A WHERE clause and its bound parameters for a filter selection over `reports AS alias`.

    Each filter's clause is its row of filters.FILTERS; only active reports are ever selected."""
    clauses = [f"{alias}.active"]
    params: list[object] = []
    for template, values in filters.clauses():
        clauses.append(template.format(r=alias, values=", ".join("?" for _ in values)))
        params += values
    return " AND ".join(clauses), params


def _changed(tx: duckdb.DuckDBPyConnection) -> None:
    """A write in this transaction changes what a page shows: the data version moves on with it (migration 6)."""
    tx.execute("UPDATE data_version SET version = version + 1")


def _standing(tx: duckdb.DuckDBPyConnection, outcomes: dict[int, SaveOutcome]) -> dict[int, SaveOutcome]:
    """A later file of a stored report that reads better than the first stands (store/duplicates.py): say so."""
    ids = [o.report_id for o in outcomes.values() if o.status == "duplicate" and o.report_id is not None]
    if not ids:
        return outcomes
    standing = {row[0] for row in tx.execute("SELECT report_id FROM reports WHERE active AND report_id IN "
                                             "(SELECT unnest(?::INTEGER[]))", [ids]).fetchall()}
    return {i: SaveOutcome("duplicate", o.report_id, STANDS) if o.report_id in standing and o.status == "duplicate"
            else o for i, o in outcomes.items()}


STANDS = ("Another file of the same report is stored; this one reads better (fewer failed checks or more figures), "
          "so it stands and the other is kept inactive.")


def _refused(exc: Exception) -> SaveOutcome:
    return SaveOutcome("failed", None, f"The report could not be saved ({exc.__class__.__name__}: {exc}).")
