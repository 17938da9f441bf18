"""Writes in bulk: a batch of extraction Results -> sources, reports, figures, findings and report_values rows.

Used by `Store.save_batch` (and `Store.save`, a batch of one) inside one transaction: each table gets one
INSERT from an Arrow table instead of one statement per row, which is what makes an ingest of millions of
files possible (saves/s before and after in the README). The decisions per file are those `Store.save`
always made: the same sha256 again is `unchanged`; a file an older parser read is `updated` in place (same
report id, so corrections keep pointing at it); a second file of the same report (agency, year, scope,
region) is saved inactive as a `duplicate` of the first, within the batch as against the database.

`report_values` is the wide table: one row per report, one DOUBLE column per catalog metric (its 总计) and
per table-3 applicant column (`key__applicant`), holding the current value (the latest correction wins).
Pages read it instead of pivoting millions of figure rows; `refresh_values` rewrites the rows of the
reports a batch, a correction or a migration touched, so it never goes stale.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa

from govreport_core import catalog
from govreport_core.model import Result

from . import duplicates

REPORT_FIELDS = catalog.REPORT_FIELDS
IDENTIFYING_FIELDS = ("agency", "year", "province", "city", "region")  # without them and figures: no data
NO_DATA_MESSAGE = ("The file gives no figure and no metadata (a blank template?): it is kept as a source with "
                   "status no data and is not counted as a report.")


def _value_columns() -> dict[str, tuple[str, str]]:
    """report_values column -> (metric, applicant): every metric's 总计, and table 3's applicant columns."""
    columns = {key: (key, "total") for key in catalog.METRICS}
    for key, metric in catalog.METRICS.items():
        if metric.table == "table3":
            columns |= {f"{key}__{applicant}": (key, applicant) for applicant in catalog.APPLICANTS if applicant != "total"}
    return columns


VALUE_COLUMNS = _value_columns()


def value_column(metric: str, applicant: str = "total") -> str | None:
    """The report_values column of a metric (and applicant), or None when the wide table does not hold it."""
    name = metric if applicant == "total" else f"{metric}__{applicant}"
    return name if VALUE_COLUMNS.get(name) == (metric, applicant) else None


def create_values_sql() -> str:
    columns = ", ".join(f"{name} DOUBLE" for name in VALUE_COLUMNS)  # catalog keys only: safe identifiers
    return f"CREATE TABLE report_values (report_id INTEGER NOT NULL, {columns})"


@dataclass(frozen=True)
class SaveOutcome:
    status: str  # new | updated | unchanged | duplicate | no_data (kept as a source, not a report) | failed
    report_id: int | None
    message: str = ""


@dataclass
class Prepared:
    """One result turned into rows (before it has a report id): checked before any SQL runs."""

    result: Result
    meta: dict[str, object]
    overrides: dict[str, object] | None
    figures: list[tuple] = field(default_factory=list)
    findings: list[tuple] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """No figure and nothing that names the report: a blank template, kept as a source with status no data."""
        return not self.figures and not any(self.meta.get(name) for name in IDENTIFYING_FIELDS)


def prepare(result: Result, overrides: dict[str, object] | None) -> Prepared:
    """Rows of one result; KeyError/ValueError/ArithmeticError for a figure the catalog cannot take."""
    assert result.meta is not None
    meta = result.meta.to_dict() | {k: v for k, v in (overrides or {}).items() if k in REPORT_FIELDS}
    rows: list[tuple] = []
    seen: set[tuple[str, str]] = set()
    for fig in result.figures:
        applicant = fig.applicant or "total"
        if (fig.key, applicant) in seen:
            continue  # table 3's 总计 column is both the metric and the breakdown's "total"
        seen.add((fig.key, applicant))
        ev = fig.evidence
        # Decimal text, cast by DuckDB to DECIMAL(20, 6): exact, and a value out of range fails the report.
        value = str(fig.value) if isinstance(fig.value, int) else format(Decimal(str(fig.value)), "f")
        rows.append((fig.key, applicant, value, catalog.METRICS[fig.key].unit,
                     bool(fig.derived), ev.text if ev else None, ev.start if ev else None, ev.end if ev else None,
                     ev.row if ev else None, ev.column if ev else None, ev.page if ev else None,
                     ev.ocr if ev else None))
    findings = [(f.rule, f.severity, f.message, list(f.keys)) for f in result.findings]
    return Prepared(result, meta, overrides or None, rows, findings)


FIGURE_COLUMNS = ("metric", "applicant", "value", "unit", "derived", "evidence_text", "evidence_start", "evidence_end",
                  "evidence_row", "evidence_column", "evidence_page", "evidence_ocr")
FIGURE_TYPES = (pa.string(), pa.string(), pa.string(), pa.string(), pa.bool_(), pa.string(), pa.int64(), pa.int64(),
                pa.string(), pa.string(), pa.int64(), pa.bool_())


def write_batch(tx: duckdb.DuckDBPyConnection, batch: dict[int, Prepared]) -> dict[int, SaveOutcome]:
    """Write prepared results (keyed by their place in the caller's list) in the caller's transaction."""
    outcomes: dict[int, SaveOutcome] = {}
    known = _known(tx, sorted({p.result.source.sha256 for p in batch.values()}))
    first_in_batch: dict[str, int] = {}
    new: list[int] = []
    updated: dict[int, int] = {}  # place -> report id
    for i, p in batch.items():
        sha = p.result.source.sha256
        if sha in first_in_batch:
            first = batch[first_in_batch[sha]].result.source.file
            outcomes[i] = SaveOutcome("unchanged", None, f"The same file as {first}.")
            continue
        first_in_batch[sha] = i
        report_id, version = known.get(sha, (None, None))
        if report_id is not None and version == p.result.parser_version and not p.overrides:
            outcomes[i] = SaveOutcome("unchanged", report_id, "Already in the database.")
        elif report_id is not None:
            updated[i] = report_id
        else:
            new.append(i)
    report_ids = dict(updated)
    duplicate_of: dict[int, int | None] = {}
    if new:
        source_ids = [row[0] for row in tx.execute(f"SELECT nextval('source_ids') FROM range({len(new)})").fetchall()]
        new_ids = [row[0] for row in tx.execute(f"SELECT nextval('report_ids') FROM range({len(new)})").fetchall()]
        report_ids |= dict(zip(new, new_ids, strict=True))
        duplicate_of = _duplicates(tx, {i: batch[i].meta for i in new if not batch[i].empty}, report_ids)
        duplicate_of |= {i: None for i in new if batch[i].empty}
        now = datetime.now(UTC).replace(tzinfo=None)
        _insert(tx, "sources", {
            "source_id": source_ids, "sha256": [batch[i].result.source.sha256 for i in new],
            "file_name": [Path(batch[i].result.source.file).name for i in new],
            "format": [batch[i].result.source.format for i in new], "size": [batch[i].result.source.size for i in new],
            "encoding": [batch[i].result.source.encoding for i in new], "ingested_at": [now] * len(new)})
        _insert(tx, "reports", {
            "report_id": new_ids, "source_id": source_ids,
            **{name: [batch[i].meta[name] for i in new] for name in REPORT_FIELDS},
            "parser_version": [batch[i].result.parser_version for i in new],
            "active": [duplicate_of[i] is None and not batch[i].empty for i in new],
            "duplicate_of": [duplicate_of[i] for i in new], "overrides": [_json(batch[i].overrides) for i in new],
            "status": ["no data" if batch[i].empty else "report" for i in new]})
    if updated:
        places = list(updated)
        tx.register("changed_reports", pa.table({
            "report_id": pa.array([updated[i] for i in places], pa.int32()),
            **{name: _array([batch[i].meta[name] for i in places]) for name in REPORT_FIELDS},
            "parser_version": pa.array([batch[i].result.parser_version for i in places], pa.string()),
            "overrides": pa.array([_json(batch[i].overrides) for i in places], pa.string()),
            "empty": pa.array([batch[i].empty for i in places], pa.bool_())}))
        assignments = ", ".join(f"{name} = c.{name}" for name in (*REPORT_FIELDS, "parser_version", "overrides"))
        # A blank file that now gives data counts again; one that now gives none stops counting.
        tx.execute(f"UPDATE reports SET {assignments}, status = CASE WHEN c.empty THEN 'no data' ELSE 'report' END, "
                   "active = CASE WHEN c.empty THEN FALSE WHEN reports.status = 'no data' THEN TRUE ELSE reports.active END "
                   "FROM changed_reports c WHERE reports.report_id = c.report_id")
        for table in ("figures", "findings"):
            tx.execute(f"DELETE FROM {table} WHERE report_id IN (SELECT report_id FROM changed_reports)")
        tx.unregister("changed_reports")
    written = {report_ids[i]: batch[i] for i in [*new, *updated]}
    _insert_figures(tx, written)
    refresh_values(tx, list(written), written)
    duplicates.settle(tx, list(written))  # the file that stands in each report's group, then K5 where it changed
    for i in new:
        outcomes[i] = SaveOutcome("no_data", report_ids[i], NO_DATA_MESSAGE) if batch[i].empty else \
            SaveOutcome("duplicate", report_ids[i], "Another file of the same report is already stored; "
                        "this one is kept inactive.") if duplicate_of[i] is not None else \
            SaveOutcome("new", report_ids[i])
    for i in updated:
        outcomes[i] = SaveOutcome("no_data", report_ids[i], NO_DATA_MESSAGE) if batch[i].empty else \
            SaveOutcome("updated", report_ids[i])
    for i, outcome in list(outcomes.items()):
        if outcome.status == "unchanged" and outcome.report_id is None:  # the same file twice in one batch
            first = first_in_batch[batch[i].result.source.sha256]
            outcomes[i] = SaveOutcome("unchanged", outcomes[first].report_id, outcome.message)
    return outcomes


def write_fresh(tx: duckdb.DuckDBPyConnection, results: list[Result]) -> int:
    """Bulk-load results known to be new and distinct (the scale database): no duplicate or version checks."""
    batch = {i: prepare(r, None) for i, r in enumerate(results) if r.error is None and r.meta is not None}
    if not batch:
        return 0
    count = len(batch)
    source_ids = [row[0] for row in tx.execute(f"SELECT nextval('source_ids') FROM range({count})").fetchall()]
    report_ids = [row[0] for row in tx.execute(f"SELECT nextval('report_ids') FROM range({count})").fetchall()]
    items = list(batch.values())
    now = datetime.now(UTC).replace(tzinfo=None)
    _insert(tx, "sources", {"source_id": source_ids, "sha256": [p.result.source.sha256 for p in items],
                            "file_name": [p.result.source.file for p in items],
                            "format": [p.result.source.format for p in items],
                            "size": [p.result.source.size for p in items],
                            "encoding": [p.result.source.encoding for p in items], "ingested_at": [now] * count})
    _insert(tx, "reports", {"report_id": report_ids, "source_id": source_ids,
                            **{name: [p.meta[name] for p in items] for name in REPORT_FIELDS},
                            "parser_version": [p.result.parser_version for p in items], "active": [True] * count})
    written = dict(zip(report_ids, items, strict=True))
    _insert_figures(tx, written)
    refresh_values(tx, report_ids, written)
    return count


def refresh_values(tx: duckdb.DuckDBPyConnection, report_ids: list[int], written: dict[int, Prepared] | None = None,
                   chunk: int = 5000) -> None:
    """Rewrite the report_values rows of these reports from their figures (the rows just `written`, else the
    figures table) and their latest corrections."""
    for first in range(0, len(report_ids), chunk):
        ids = report_ids[first:first + chunk]
        tx.register("changed_ids", pa.table({"report_id": pa.array(ids, pa.int32())}))
        if written is None:
            figures = tx.execute("SELECT report_id, metric, applicant, CAST(value AS DOUBLE) FROM figures "
                                 "SEMI JOIN changed_ids USING (report_id)").fetchall()
        else:
            figures = [(report_id, row[0], row[1], round(float(row[2]), 6))  # as DECIMAL(20, 6) keeps it
                       for report_id in ids for row in written[report_id].figures]
        # The rule of the current_figures view (store/db.py): the latest correction wins, and a value set by
        # hand that the report never stated counts too.
        corrections = tx.execute(
            "SELECT report_id, metric, applicant, CAST(new_value AS DOUBLE) FROM corrections "
            "SEMI JOIN changed_ids USING (report_id) "
            "QUALIFY row_number() OVER (PARTITION BY report_id, metric, applicant ORDER BY correction_id DESC) = 1"
        ).fetchall()
        row_of = {report_id: n for n, report_id in enumerate(ids)}
        columns: dict[str, list[float | None]] = {name: [None] * len(ids) for name in VALUE_COLUMNS}
        for report_id, metric, applicant, value in [*figures, *corrections]:
            name = value_column(metric, applicant)
            if name is not None:
                columns[name][row_of[report_id]] = value
        tx.execute("DELETE FROM report_values WHERE report_id IN (SELECT report_id FROM changed_ids)")
        tx.unregister("changed_ids")
        tx.register("new_values", pa.table({"report_id": pa.array(ids, pa.int32()),
                                            **{name: pa.array(values, pa.float64()) for name, values in columns.items()}}))
        tx.execute("INSERT INTO report_values SELECT * FROM new_values")
        tx.unregister("new_values")


def _insert_figures(tx: duckdb.DuckDBPyConnection, by_report: dict[int, Prepared]) -> None:
    """Figures and findings of these reports, one INSERT each."""
    ids = [report_id for report_id, p in by_report.items() for _ in p.figures]
    rows = [row for p in by_report.values() for row in p.figures]
    if rows:
        tx.register("new_figures", pa.table({
            "report_id": pa.array(ids, pa.int32()),
            **{name: pa.array([row[n] for row in rows], kind)
               for n, (name, kind) in enumerate(zip(FIGURE_COLUMNS, FIGURE_TYPES, strict=True))}}))
        tx.execute(f"INSERT INTO figures (report_id, {', '.join(FIGURE_COLUMNS)}) SELECT report_id, "
                   f"{', '.join('CAST(value AS DECIMAL(20, 6))' if c == 'value' else c for c in FIGURE_COLUMNS)} "
                   f"FROM new_figures")
        tx.unregister("new_figures")
    findings = [(report_id, *row) for report_id, p in by_report.items() for row in p.findings]
    if findings:
        rule, severity, message, keys = (list(c) for c in list(zip(*findings, strict=True))[1:])
        _insert(tx, "findings", {"report_id": [f[0] for f in findings], "rule": rule, "severity": severity,
                                 "message": message, "keys": pa.array(keys, pa.list_(pa.string()))})


def _insert(tx: duckdb.DuckDBPyConnection, table: str, columns: dict[str, object]) -> None:
    frame = pa.table({name: values if isinstance(values, pa.Array) else _array(values)
                      for name, values in columns.items()})
    tx.register("new_rows", frame)
    tx.execute(f"INSERT INTO {table} BY NAME SELECT * FROM new_rows")
    tx.unregister("new_rows")


def _array(values: list) -> pa.Array:
    """An Arrow column; a column of None only is typed as text (DuckDB casts it on insert)."""
    return pa.array(values) if any(v is not None for v in values) else pa.array(values, pa.string())


def _known(tx: duckdb.DuckDBPyConnection, shas: list[str]) -> dict[str, tuple[int, str]]:
    tx.register("batch_shas", pa.table({"sha256": pa.array(shas, pa.string())}))
    rows = tx.execute("SELECT s.sha256, r.report_id, r.parser_version FROM sources s JOIN reports r USING (source_id) "
                      "WHERE s.sha256 IN (SELECT sha256 FROM batch_shas)").fetchall()
    tx.unregister("batch_shas")
    return {row[0]: (int(row[1]), str(row[2])) for row in rows}


def _duplicates(tx: duckdb.DuckDBPyConnection, metas: dict[int, dict[str, object]],
                report_ids: dict[int, int]) -> dict[int, int | None]:
    """For each new report, the active report it duplicates (stored earlier, or earlier in this batch)."""
    keyed = {i: (m["agency"], m["year"], m.get("scope"), m.get("region")) for i, m in metas.items()
             if m.get("agency") and m.get("year") is not None}  # without both, two files cannot be told to be one
    stored: dict[tuple, int] = {}
    if keyed:
        places = list(keyed)
        tx.register("batch_keys", pa.table({
            "agency": _array([keyed[i][0] for i in places]), "year": pa.array([keyed[i][1] for i in places], pa.int32()),
            "scope": _array([keyed[i][2] for i in places]), "region": _array([keyed[i][3] for i in places])}))
        rows = tx.execute(
            "SELECT k.agency, k.year, k.scope, k.region, min(r.report_id) FROM batch_keys k JOIN reports r "
            "ON r.active AND r.agency = k.agency AND r.year = k.year AND r.scope IS NOT DISTINCT FROM k.scope "
            "AND r.region IS NOT DISTINCT FROM k.region GROUP BY ALL").fetchall()
        tx.unregister("batch_keys")
        stored = {tuple(row[:4]): int(row[4]) for row in rows}
    out: dict[int, int | None] = {}
    for i in metas:
        key = keyed.get(i)
        out[i] = stored.get(key) if key else None
        if key and key not in stored:
            stored[key] = report_ids[i]  # the first of the batch stands; later files of it are duplicates
    return out


def _json(value: object) -> str | None:
    return json.dumps(value, ensure_ascii=False, default=str) if value else None
