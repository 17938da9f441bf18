"""The derived tables the pages read: `report_values`, one row per report, and `report_groups`, its sums.

Each row holds the report's fields and activity (what filters.FILTERS' clauses read, so `where(filters, "v")`
applies to it unchanged), its file's name, format and time, one DOUBLE column per catalog metric (its 总计)
and per table-3 applicant column (`key__applicant`) with the current value (the latest correction wins, a
figure set by hand counts, one removed by hand is NULL), and `figure_flags`: the few values that are not
plain extracted ones (derived by the extractor from the table's sums, or corrected: with the value before).
Those columns are every current figure (`correct` refuses a figure without a column), so the long table
`queries.figures` gives without evidence is rebuilt from this row alone (`UNPIVOT`).

Pages read it instead of joining reports, sources and millions of figure rows. It is made in display order
(year, province, city, region, agency: `rebuild`, `recluster`), so DuckDB's zone maps skip the row groups a
year or area filter leaves out and the first reports of a selection (a preview) lie together. `refresh`
rewrites the rows of the reports a batch, a correction, a choice among duplicates or a migration touched
(appended at the end: `recluster` puts them in order again), so the table never goes stale.

`report_groups` pre-aggregates it: the active reports per group of year, province, city, level, scope and
format (every filter but the county and the agency), how many each group holds, and per value column its sum
(`key`) and how many reports give it (`n__key`). There are some tens of thousands of groups however many
reports there are (a group per county as well made 220,000 at a million reports; a long table of a row per
group and column, 1.8 million, took longer to filter than these to sum), so sums, rates and coverage read a
few thousand rows where the wide table has millions; a county chosen or compared, or an agency, reads the wide
table. `report_names` counts the active reports per province, city, county and agency: the filter options'
county and agency lists. Every refresh takes away what its reports' old rows gave these and adds what the new
ones give (sums as DECIMAL: exact, so no trace is left).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from govreport_core import catalog

_TYPES = {"year": "INTEGER", "published": "DATE"}  # the reports' fields that are not text
REPORT_COLUMNS: dict[str, str] = {  # the reports' and sources' columns the pages read, with their types
    "report_id": "INTEGER", "active": "BOOLEAN", **{f: _TYPES.get(f, "VARCHAR") for f in catalog.REPORT_FIELDS},
    "file_name": "VARCHAR", "format": "VARCHAR", "ingested_at": "TIMESTAMP"}
FLAGS_TYPE = "STRUCT(key VARCHAR, derived BOOLEAN, corrected BOOLEAN, extracted DOUBLE)[]"
FLAGS_ARROW = pa.list_(pa.struct([("key", pa.string()), ("derived", pa.bool_()), ("corrected", pa.bool_()),
                                  ("extracted", pa.float64())]))
ORDER = "year NULLS LAST, province, city, region, agency, report_id"  # the display order (listing.ORDER)
_NOT_GROUPED = ("title", "region", "agency", "published", "adcode")  # as many values as reports, or not filtered by
GROUP_KEYS = ("year", *(f for f in catalog.REPORT_FIELDS if f not in _NOT_GROUPED and f != "year"))  # year first


def _value_columns() -> dict[str, tuple[str, str]]:
    """report_values column -> (metric, applicant): every metric's 总计, and table 3's applicant columns."""
    columns = {key: (key, "total") for key in catalog.METRICS}
    for key, metric in catalog.METRICS.items():
        if metric.table == "table3":
            columns |= {f"{key}__{applicant}": (key, applicant) for applicant in catalog.APPLICANTS if applicant != "total"}
    return columns


VALUE_COLUMNS = _value_columns()
VALUE_SET = frozenset(VALUE_COLUMNS)  # for a test of membership per column


def value_column(metric: str, applicant: str = "total") -> str | None:
    """The report_values column of a metric (and applicant), or None when the wide table does not hold it."""
    name = metric if applicant == "total" else f"{metric}__{applicant}"
    return name if VALUE_COLUMNS.get(name) == (metric, applicant) else None


def create_sql(name: str = "report_values") -> str:
    columns = [f"{c} {t}{' NOT NULL' if c == 'report_id' else ''}" for c, t in REPORT_COLUMNS.items()]
    columns += [f"figure_flags {FLAGS_TYPE}", *(f"{c} DOUBLE" for c in VALUE_COLUMNS)]  # catalog keys: safe names
    return f"CREATE TABLE {name} ({', '.join(columns)})"


# The reports' own columns for rows being written: joined to the values made in Python.
_REPORT_SELECT = ", ".join(f"s.{c}" if c in ("file_name", "format", "ingested_at") else f"r.{c}" for c in REPORT_COLUMNS)

FigureRow = tuple[int, str, str, float, bool]  # report_id, metric, applicant, value, derived
CorrectionRow = tuple[int, str, str, float | None]  # report_id, metric, applicant, the latest new value


def wide_rows(ids: list[int], figures: list[FigureRow], corrections: list[CorrectionRow]) -> pa.Table:
    """The value columns and flags of these reports, by the rule of the current_figures view (store/db.py)."""
    row_of = {report_id: n for n, report_id in enumerate(ids)}
    columns: dict[str, list[float | None]] = {name: [None] * len(ids) for name in VALUE_COLUMNS}
    flags: list[dict[str, dict[str, object]]] = [{} for _ in ids]
    for report_id, metric, applicant, value, derived in figures:
        name = value_column(metric, applicant)
        if name is None:
            raise ValueError(f"no report_values column for {metric} / {applicant}")
        columns[name][row_of[report_id]] = value
        if derived:
            flags[row_of[report_id]][name] = {"key": name, "derived": True, "corrected": False, "extracted": value}
    for report_id, metric, applicant, value in corrections:
        name = value_column(metric, applicant)
        if name is None:
            raise ValueError(f"no report_values column for {metric} / {applicant}")
        n = row_of[report_id]
        before = flags[n].get(name, {})
        flags[n][name] = {"key": name, "derived": bool(before.get("derived")), "corrected": True,
                          "extracted": columns[name][n]}  # None: a figure set by hand that the report never stated
        columns[name][n] = value
    return pa.table({"report_id": pa.array(ids, pa.int32()),
                     "figure_flags": pa.array([list(f.values()) for f in flags], FLAGS_ARROW),
                     **{name: pa.array(values, pa.float64()) for name, values in columns.items()}})


def refresh(tx: duckdb.DuckDBPyConnection, report_ids: list[int], written: dict[int, list[tuple]] | None = None,
            chunk: int = 5000, regroup: bool = True) -> None:
    """Rewrite the rows of these reports from their figures (the prepared rows just `written`, by report id,
    else the figures table) and their latest corrections, and their groups (unless the caller makes them all
    anew after)."""
    for first in range(0, len(report_ids), chunk):
        ids = sorted(report_ids[first:first + chunk])
        tx.register("changed_ids", pa.table({"report_id": pa.array(ids, pa.int32())}))
        # Within the ids' range: the figures are stored in report order, so the zone maps skip the rest.
        span = "report_id BETWEEN ? AND ? AND report_id IN (SELECT report_id FROM changed_ids)"
        if written is None:
            figures = tx.execute(f"SELECT report_id, metric, applicant, CAST(value AS DOUBLE), derived FROM figures "
                                 f"WHERE {span}", [ids[0], ids[-1]]).fetchall()
        else:  # rounded as DECIMAL(20, 6) keeps the value
            figures = [(report_id, row[0], row[1], round(float(row[2]), 6), bool(row[4]))
                       for report_id in ids for row in written[report_id]]
        corrections = tx.execute(
            f"SELECT report_id, metric, applicant, CAST(new_value AS DOUBLE) FROM corrections WHERE {span} "
            "QUALIFY row_number() OVER (PARTITION BY report_id, metric, applicant ORDER BY correction_id DESC) = 1",
            [ids[0], ids[-1]]).fetchall()
        old = _take_away(tx) if regroup else []
        tx.execute("DELETE FROM report_values WHERE report_id IN (SELECT report_id FROM changed_ids)")
        tx.register("new_values", wide_rows(ids, figures, corrections))
        tx.execute(f"INSERT INTO report_values SELECT {_REPORT_SELECT}, n.* EXCLUDE (report_id) FROM new_values n "
                   f"JOIN reports r USING (report_id) JOIN sources s USING (source_id) ORDER BY {ORDER}")
        tx.unregister("new_values")
        if regroup:
            _add_back(tx, old)
        tx.unregister("changed_ids")


def refresh_reports(tx: duckdb.DuckDBPyConnection, report_ids: list[int]) -> None:
    """The reports' own columns again (a choice among duplicates changed which one is active), values kept."""
    if not report_ids:
        return
    tx.register("changed_ids", pa.table({"report_id": pa.array(report_ids, pa.int32())}))
    old = _take_away(tx)
    assignments = ", ".join(f"{c} = x.{c}" for c in REPORT_COLUMNS if c != "report_id")
    tx.execute(f"UPDATE report_values SET {assignments} FROM (SELECT {_REPORT_SELECT} FROM reports r JOIN sources s "
               f"USING (source_id) WHERE r.report_id IN (SELECT report_id FROM changed_ids)) x "
               f"WHERE report_values.report_id = x.report_id")
    _add_back(tx, old)
    tx.unregister("changed_ids")


def rebuild(tx: duckdb.DuckDBPyConnection, chunk: int = 20_000) -> None:
    """The table made anew from every report (a migration, a catalog that gained a metric), in display order."""
    tx.execute("DROP TABLE IF EXISTS report_values")
    tx.execute(create_sql())
    ids = [row[0] for row in tx.execute("SELECT report_id FROM reports ORDER BY report_id").fetchall()]
    if not ids:  # a new database: the empty groups (planning their 540 sums was most of a new store's 0.16 s)
        regroup_all(tx, summed=False)
        return
    refresh(tx, ids, chunk=chunk, regroup=False)
    recluster(tx)  # and the groups


def recluster(tx: duckdb.DuckDBPyConnection) -> None:
    """The rows rewritten in display order (after many saves appended theirs at the end), the groups anew."""
    tx.execute(create_sql("report_values_sorted"))
    tx.execute(f"INSERT INTO report_values_sorted SELECT * FROM report_values ORDER BY {ORDER}")
    tx.execute("DROP TABLE report_values")
    tx.execute("ALTER TABLE report_values_sorted RENAME TO report_values")
    regroup_all(tx)


SUM = "DECIMAL(38, 6)"  # the groups' sums: exact, so taking a report away and adding it back leaves no trace
SUM_ARROW = pa.decimal128(38, 6)


def exact(column: str) -> str:
    """A DOUBLE value column as the groups sum it: through its shortest text, so the value stored (never more
    than 6 decimals) exactly; Arrow's cast the same way gives the same decimal (a direct cast of a double
    differs between the two above 10^9)."""
    return f"CAST(CAST({column} AS VARCHAR) AS {SUM})"
NAME_KEYS = ("province", "city", "region", "agency")


@dataclass(frozen=True)
class Aggregate:
    """A table of the active reports counted (and summed) per group of some of their columns."""

    table: str
    keys: tuple[str, ...]
    sums: bool  # per value column, its sum and how many reports give it

    def create(self, name: str, temporary: bool = False) -> str:
        columns = [f"{k} {REPORT_COLUMNS[k]}" for k in self.keys] + ["active BOOLEAN", "reports BIGINT"]
        columns += [f"{c} {SUM}, n__{c} BIGINT" for c in VALUE_COLUMNS] if self.sums else []  # catalog names
        return f"CREATE {'OR REPLACE TEMP ' if temporary else ''}TABLE {name} ({', '.join(columns)})"

    def of(self, rows: str) -> str:
        """The groups of the active rows of `rows` (a table or a query, aliased v), counted and summed."""
        keys = ", ".join("v." + k for k in self.keys)
        sums = "".join(f", sum({exact('v.' + c)}) AS {c}, count(v.{c}) AS n__{c}"
                       for c in VALUE_COLUMNS) if self.sums else ""
        return (f"SELECT {keys}, TRUE AS active, count(*) AS reports{sums} FROM {rows} v WHERE v.active "
                f"GROUP BY {keys}")

    def rows(self, tx: duckdb.DuckDBPyConnection, none: bool = False) -> pa.Table:
        """The active wide rows of the reports in `changed_ids`: the keys and, as DECIMAL, the value columns
        (`none`: no row, the columns alone)."""
        if none:
            kinds = {"INTEGER": pa.int32(), "VARCHAR": pa.string()}
            return pa.table({**{k: pa.array([], kinds[REPORT_COLUMNS[k]]) for k in self.keys},
                             **({c: pa.array([], SUM_ARROW) for c in VALUE_COLUMNS} if self.sums else {})})
        values = "".join(f", v.{c}" for c in VALUE_COLUMNS) if self.sums else ""  # catalog names
        rows = tx.sql(f"SELECT {', '.join('v.' + k for k in self.keys)}{values} FROM {_CHANGED_ROWS} v "
                      f"WHERE v.active").to_arrow_table()
        if not self.sums:
            return rows
        # As `exact` does in SQL (a cast there takes ten times longer); the table made once, not a column at a time.
        return pa.table({name: rows[name].cast(pa.string()).cast(SUM_ARROW) if name in VALUE_SET else rows[name]
                         for name in rows.column_names})

    def changes(self, old: pa.Table, new: pa.Table) -> pa.Table:
        """Per group, what the new rows add less what the old ones gave (count, sums, how many give each value),
        as the table's rows."""
        parts = []
        for rows, sign in ((old, -1), (new, 1)):
            one = pa.scalar(sign, pa.int64())
            columns = {k: rows[k] for k in self.keys} | {"active": pa.array([True] * rows.num_rows, pa.bool_()),
                                                         "reports": pa.array(np.full(rows.num_rows, sign, np.int64))}
            for c in VALUE_COLUMNS if self.sums else ():
                columns[c] = pc.negate(rows[c]) if sign < 0 else rows[c]
                columns[f"n__{c}"] = pc.if_else(pc.is_valid(rows[c]), one, pa.scalar(0, pa.int64()))
            parts.append(pa.table(columns))
        return self._summed(pa.concat_tables(parts))

    def _summed(self, rows: pa.Table) -> pa.Table:
        """The rows added up per group, by Arrow: a DuckDB GROUP BY of hundreds of sums takes over 100 MB to start,
        more than an ingest's writer has (`--db-memory`, 128 MB), and seconds to plan."""
        summed = [c for c in rows.column_names if c not in (*self.keys, "active")]
        grouped = rows.group_by(list(self.keys), use_threads=False).aggregate([(c, "sum") for c in summed])
        return pa.table({**{k: grouped[k] for k in self.keys}, "active": pa.array([True] * grouped.num_rows, pa.bool_()),
                         **{c: grouped[f"{c}_sum"] for c in summed}})

    def merge(self, tx: duckdb.DuckDBPyConnection, changes: pa.Table) -> None:
        """Add `changes` to the groups: the groups they touch read, added to by Arrow, and written back; a group
        left without reports goes, a sum over no value is NULL (as `regroup_all` makes them)."""
        same = " AND ".join(f"g.{k} IS NOT DISTINCT FROM c.{k}" for k in self.keys)
        tx.register("changes", changes)
        current = tx.sql(f"SELECT g.* FROM {self.table} g SEMI JOIN changes c ON {same}").to_arrow_table()
        tx.execute(f"DELETE FROM {self.table} g WHERE EXISTS (SELECT 1 FROM changes c WHERE {same})")
        tx.unregister("changes")
        merged = self._summed(pa.concat_tables([current, changes.cast(current.schema)]))
        merged = merged.filter(pc.greater(merged["reports"], 0))
        if self.sums:  # a sum over no value is NULL; the table made once, not a column at a time
            merged = pa.table({name: pc.if_else(pc.greater(merged[f"n__{name}"], 0), merged[name],
                                                pa.scalar(None, merged.schema.field(name).type))
                               if name in VALUE_SET else merged[name] for name in merged.column_names})
        tx.register("merged", merged)
        tx.execute(f"INSERT INTO {self.table} SELECT * FROM merged")
        tx.unregister("merged")


# report_groups: the sums the pages add up; report_names: the county and agency names the filter options list.
AGGREGATES = (Aggregate("report_groups", GROUP_KEYS, True), Aggregate("report_names", NAME_KEYS, False))
_CHANGED_ROWS = "(SELECT * FROM report_values WHERE report_id IN (SELECT report_id FROM changed_ids))"


def regroup_all(tx: duckdb.DuckDBPyConnection, summed: bool = True) -> None:
    """The aggregates made anew from the wide table, in key order (zone maps skip the years not chosen); empty
    unless `summed` (a table with no rows yet)."""
    for aggregate in AGGREGATES:
        tx.execute(f"DROP TABLE IF EXISTS {aggregate.table}")
        tx.execute(aggregate.create(aggregate.table))
        if summed:
            tx.execute(f"INSERT INTO {aggregate.table} {aggregate.of('report_values')} ORDER BY {', '.join(aggregate.keys)}")


def _take_away(tx: duckdb.DuckDBPyConnection) -> list[pa.Table]:
    """Before the wide rows of the reports in `changed_ids` change: what they give the aggregates, per aggregate.

    The aggregates are kept by difference (the groups of a batch recomputed from the wide table took 1.6 s a
    batch at a million reports): what the old rows gave is taken away, what the new ones give added. New
    reports (most saves) have no old rows: their empty tables are made without a query of hundreds of columns."""
    if tx.execute(f"SELECT count(*) FROM {_CHANGED_ROWS} WHERE active").fetchall()[0][0]:
        return [aggregate.rows(tx) for aggregate in AGGREGATES]
    return [aggregate.rows(tx, none=True) for aggregate in AGGREGATES]


def _add_back(tx: duckdb.DuckDBPyConnection, old: list[pa.Table]) -> None:
    """After: what the new rows give, less what the old gave, merged into the aggregates."""
    for aggregate, before in zip(AGGREGATES, old, strict=True):
        aggregate.merge(tx, aggregate.changes(before, aggregate.rows(tx)))
