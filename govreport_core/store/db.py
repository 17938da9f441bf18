"""Store: the DuckDB database. Schema and migrations, saving results, corrections, queries: all the SQL.

Receives extraction Results (and the user's overrides) and Filters; hands back pandas DataFrames.
- One connection per process, a cursor per call (a DuckDB connection is not thread-safe; Streamlit runs
  each session on its own thread); writes are serialised by a lock and each report is written in one
  transaction, so a failure leaves nothing half-written.
- No ART indexes on the figures: analytic queries scan with DuckDB's zone maps, and an index would
  double the file (a 100,000-report database); `save` itself keeps (report, metric, applicant) unique.
- Idempotent by sha256: the same file again is `unchanged`; a file read by an older parser is re-read
  and `updated` in place (same report id, so corrections keep pointing at it).
- A second file of the same report (same agency, year and scope) is saved inactive as a `duplicate` of
  the first; `choose_report` makes it the one that stands. Queries read active reports only.
- Corrections are kept apart from extracted figures; `current_figures` gives the corrected value and
  a re-ingest never drops one.
Every user value is a bound parameter; the only SQL built from strings is lists of `?` and column names
from the catalog.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

from .. import catalog
from ..filters import Filters
from ..model import Result

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
    # Figures read by OCR from a scanned page say so (their evidence text may hold recognition errors).
    2: [
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
}
REPORT_FIELDS = ("title", "province", "city", "region", "agency", "level", "year", "format_era", "published",
                 "adcode", "scope")
def lock_wait_seconds() -> float:
    """How long to wait for another process that holds the database (GOVREPORT_DB_WAIT, default 30 s)."""
    import os

    try:
        return float(os.environ.get("GOVREPORT_DB_WAIT", "30"))
    except ValueError:
        return 30.0


class StoreError(Exception):
    """A database problem, said as a sentence for the user."""


@dataclass(frozen=True)
class SaveOutcome:
    status: str  # new | updated | unchanged | duplicate | failed
    report_id: int | None
    message: str = ""


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

    def schema_version(self) -> int:
        return int(self._cursor().execute("SELECT max(version) FROM schema_version").fetchone()[0])

    # --- writing ---------------------------------------------------------------------------------

    def known_source(self, sha256: str) -> tuple[int, str] | None:
        """(report_id, parser_version) of a file already stored, by its sha256."""
        row = self._cursor().execute(
            "SELECT r.report_id, r.parser_version FROM sources s JOIN reports r USING (source_id) WHERE s.sha256 = ?",
            [sha256]).fetchone()
        return (int(row[0]), str(row[1])) if row else None

    def save(self, result: Result, overrides: dict[str, object] | None = None) -> SaveOutcome:
        """Write one extraction result (with the user's metadata overrides) in one transaction."""
        if result.error is not None or result.meta is None:
            return SaveOutcome("failed", None, result.error or "The file could not be read.")
        meta = result.meta.to_dict() | {k: v for k, v in (overrides or {}).items() if k in REPORT_FIELDS}
        known = self.known_source(result.source.sha256)
        if known and known[1] == result.parser_version and not overrides:
            return SaveOutcome("unchanged", known[0], "Already in the database.")
        try:
            with self._transaction() as tx:
                if known:
                    report_id = known[0]
                    tx.execute("DELETE FROM figures WHERE report_id = ?", [report_id])
                    tx.execute("DELETE FROM findings WHERE report_id = ?", [report_id])
                    assignments = ", ".join(f"{name} = ?" for name in REPORT_FIELDS)
                    tx.execute(f"UPDATE reports SET {assignments}, parser_version = ?, overrides = ? WHERE report_id = ?",
                               [*(meta[name] for name in REPORT_FIELDS), result.parser_version, _json(overrides),
                                report_id])
                    status = "updated"
                else:
                    source_id = tx.execute(
                        "INSERT INTO sources (sha256, file_name, format, size, encoding, ingested_at) "
                        "VALUES (?, ?, ?, ?, ?, ?) RETURNING source_id",
                        [result.source.sha256, Path(result.source.file).name, result.source.format, result.source.size,
                         result.source.encoding, datetime.now(UTC).replace(tzinfo=None)]).fetchone()[0]
                    duplicate_of = self._same_report(tx, meta)
                    columns = ", ".join(REPORT_FIELDS)
                    report_id = tx.execute(
                        f"INSERT INTO reports (source_id, {columns}, parser_version, active, duplicate_of, overrides) "
                        f"VALUES (?, {', '.join('?' for _ in REPORT_FIELDS)}, ?, ?, ?, ?) RETURNING report_id",
                        [source_id, *(meta[name] for name in REPORT_FIELDS), result.parser_version,
                         duplicate_of is None, duplicate_of, _json(overrides)]).fetchone()[0]
                    status = "duplicate" if duplicate_of is not None else "new"
                self._insert_figures(tx, report_id, result)
        except (duckdb.Error, KeyError, ValueError, TypeError, ArithmeticError) as exc:
            # The transaction rolled back: nothing of this report is written, and an ingest run goes on.
            return SaveOutcome("failed", None, f"The report could not be saved ({exc.__class__.__name__}: {exc}).")
        message = "Another file of the same report is already stored; this one is kept inactive." \
            if status == "duplicate" else ""
        return SaveOutcome(status, int(report_id), message)

    def save_many(self, results: list[Result]) -> int:
        """Bulk-load fresh results in one transaction (the scale database); no duplicate or version checks."""
        rows = [r for r in results if r.error is None and r.meta is not None]
        if not rows:
            return 0
        with self._transaction() as tx:
            first_source = tx.execute(f"SELECT nextval('source_ids') FROM range({len(rows)})").fetchall()
            first_report = tx.execute(f"SELECT nextval('report_ids') FROM range({len(rows)})").fetchall()
            now = datetime.now(UTC).replace(tzinfo=None)
            sources = pd.DataFrame({"source_id": [s[0] for s in first_source],
                                    "sha256": [r.source.sha256 for r in rows],
                                    "file_name": [r.source.file for r in rows], "format": [r.source.format for r in rows],
                                    "size": [r.source.size for r in rows], "encoding": [r.source.encoding for r in rows],
                                    "ingested_at": [now] * len(rows)})
            reports = pd.DataFrame([{"report_id": rid[0], "source_id": sid[0], **r.meta.to_dict(),
                                     "parser_version": r.parser_version, "active": True, "duplicate_of": None,
                                     "overrides": None} for r, rid, sid in zip(rows, first_report, first_source, strict=True)])
            figure_rows = [(rid[0], f.key, f.applicant or "total", float(f.value), catalog.METRICS[f.key].unit, f.derived)
                           for r, rid in zip(rows, first_report, strict=True) for f in r.figures]
            figures = pd.DataFrame(figure_rows, columns=["report_id", "metric", "applicant", "value", "unit", "derived"])
            tx.register("new_sources", sources)
            tx.register("new_reports", reports)
            tx.register("new_figures", figures)
            tx.execute("INSERT INTO sources SELECT * FROM new_sources")
            tx.execute(f"INSERT INTO reports (report_id, source_id, {', '.join(REPORT_FIELDS)}, parser_version, active, "
                       f"duplicate_of, overrides) SELECT report_id, source_id, {', '.join(REPORT_FIELDS)}, parser_version, "
                       f"active, duplicate_of, overrides FROM new_reports")
            tx.execute("INSERT INTO figures (report_id, metric, applicant, value, unit, derived) "
                       "SELECT report_id, metric, applicant, value, unit, derived FROM new_figures")
            for name in ("new_sources", "new_reports", "new_figures"):
                tx.unregister(name)
        return len(rows)

    @staticmethod
    def _same_report(tx: duckdb.DuckDBPyConnection, meta: dict[str, object]) -> int | None:
        if not meta.get("agency") or meta.get("year") is None:
            return None  # without both, two files cannot be told to be one report
        row = tx.execute(
            "SELECT report_id FROM reports WHERE active AND agency = ? AND year = ? AND scope IS NOT DISTINCT FROM ? "
            "AND region IS NOT DISTINCT FROM ? ORDER BY report_id LIMIT 1",
            [meta["agency"], meta["year"], meta.get("scope"), meta.get("region")]).fetchone()
        return int(row[0]) if row else None

    @staticmethod
    def _insert_figures(tx: duckdb.DuckDBPyConnection, report_id: int, result: Result) -> None:
        rows = []
        seen: set[tuple[str, str]] = set()
        for fig in result.figures:
            applicant = fig.applicant or "total"
            if (fig.key, applicant) in seen:
                continue  # table 3's 总计 column is both the metric and the breakdown's "total"
            seen.add((fig.key, applicant))
            ev = fig.evidence
            rows.append([report_id, fig.key, applicant, Decimal(str(fig.value)), catalog.METRICS[fig.key].unit,
                         fig.derived, ev.text if ev else None, ev.start if ev else None, ev.end if ev else None,
                         ev.row if ev else None, ev.column if ev else None, ev.page if ev else None,
                         ev.ocr if ev else None])
        if rows:
            tx.executemany("INSERT INTO figures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        findings = [[report_id, f.rule, f.severity, f.message, list(f.keys)] for f in result.findings]
        if findings:
            tx.executemany("INSERT INTO findings VALUES (?, ?, ?, ?, ?)", findings)

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
            return int(tx.execute(
                "INSERT INTO corrections (report_id, metric, applicant, old_value, new_value, reason, author, "
                "corrected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING correction_id",
                [report_id, metric, applicant, old[0] if old else None, new, reason.strip(), author.strip(),
                 datetime.now(UTC).replace(tzinfo=None)]).fetchone()[0])

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


def _json(value: object) -> str | None:
    import json

    return json.dumps(value, ensure_ascii=False, default=str) if value else None
