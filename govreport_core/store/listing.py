"""Listings: the selected reports row by row (`reports`, `wide`) and figure by figure (`figures`), whole for an
export or the first `limit` reports for a preview, in display order (year, province, city, region, agency).

All read the wide table `report_values` (store/derived.py) through Arrow (store/frames.py). Sorting a selection
is left out when it is not needed: the table is kept in display order, so its rows come back in that order and
a check of neighbouring rows (vectorised) proves it; rows saved since it was last put in order are sorted by
Arrow, which moves no row until the order is known (DuckDB's ORDER BY carried every column along: 450 ms for
a 178,000-report listing, against 135 ms for the rows unsorted). A preview takes its reports' ids by DuckDB's
top-N on the sort columns, then their rows, which lie together (the years and province they span bound the
second read). The long table without evidence is the wide
rows unpivoted by numpy: row by row, column by column, already in (report, metric, applicant) order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from govreport_core import catalog

from .db import Store, where
from .derived import VALUE_COLUMNS
from .filters import Filters
from .frames import frame as _frame
from .frames import to_frame

META_COLUMNS = ("report_id", *catalog.REPORT_FIELDS)
FILE_COLUMNS = ("file_name", "format", "ingested_at")
SORT_KEYS = ("year", "province", "city", "region", "agency", "report_id")
ORDER = ", ".join(f"v.{k}{' NULLS LAST' if k == 'year' else ''}" for k in SORT_KEYS)  # NULLS LAST: DuckDB's default


def searched(filters: Filters, search: str | None) -> tuple[str, list[object]]:
    """The filters' WHERE clause over `report_values v`, narrowed by a search text: each word in the agency,
    title or area names."""
    clause, params = where(filters, "v")
    for word in (search or "").split()[:8]:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        fields = ("v.agency", "v.title", "v.province", "v.city", "v.region")
        clause += " AND (" + " OR ".join(f"{f} ILIKE ? ESCAPE '\\'" for f in fields) + ")"
        params += [pattern] * len(fields)
    return clause, params


# The report columns a table may be sorted by (the dashboard's `sort` URL parameter); a metric sorts by its 总计.
SORT_FIELDS = ("report_id", *catalog.REPORT_FIELDS)


def sort_order(sort: str | None) -> str:
    """ORDER, or first by one report column or metric ("year", "-applications_new" for descending), NULLs last.
    Only names from SORT_FIELDS and the catalog reach the SQL; anything else is a ValueError."""
    return ordered_by(sort, {*SORT_FIELDS, *catalog.METRICS}, ORDER, "v.")  # a wide table column


def ordered_by(sort: str | None, columns: set[str] | tuple[str, ...], then: str, prefix: str = "") -> str:
    """An ORDER BY: first by one of `columns` ("year", or "-year" for descending; NULLs last), then `then`. Only
    those names reach the SQL; another is a ValueError."""
    if not sort:
        return then
    column = sort.removeprefix("-")
    if column not in columns:
        raise ValueError(f"cannot sort by {sort!r}")
    return f"{prefix}{column} {'DESC' if sort.startswith('-') else 'ASC'} NULLS LAST, {then}"


def _rows(store: Store, columns: list[str], filters: Filters, limit: int | None, search: str | None,
          sort: str | None = None) -> pa.Table:
    """These columns (the sort keys among them) of the selected reports, in display order (or `sort`'s), the
    first `limit`."""
    clause, params = searched(filters, search)
    selected = ", ".join(f"v.{c}" for c in dict.fromkeys([*columns, *SORT_KEYS]))  # catalog names only
    if sort:  # another order than the table's own: DuckDB sorts (a top-N with a limit)
        cut = " LIMIT ?" if limit is not None else ""
        table = store.arrow(f"SELECT {selected} FROM report_values v WHERE {clause} ORDER BY {sort_order(sort)}{cut}",
                            [*params, *([limit] if limit is not None else [])])
        return table.select(list(dict.fromkeys(columns)))
    if limit is None:
        table = store.arrow(f"SELECT {selected} FROM report_values v WHERE {clause}", params)
    else:
        # The ids by DuckDB's top-N on the sort columns, then their rows, within the years (and the province)
        # they span: the zone maps skip the rest of the table (a join alone read every row group).
        first = store.arrow(f"SELECT v.report_id, v.year, v.province FROM report_values v WHERE {clause} ORDER BY {ORDER} "
                            f"LIMIT ?", [*params, limit])
        span, bounds = "TRUE", []
        years = [y for y in first["year"].to_pylist() if y is not None]
        if years and len(years) == first.num_rows:  # a report of unknown year comes last, anywhere in the table
            span, bounds = "v.year BETWEEN ? AND ?", [min(years), max(years)]
            provinces = first["province"].to_pylist()
            if len(set(years)) == 1 and None not in provinces:
                span, bounds = span + " AND v.province BETWEEN ? AND ?", [*bounds, min(provinces), max(provinces)]
        table = store.arrow(f"SELECT {selected} FROM report_values v WHERE {span} "
                            f"AND v.report_id IN (SELECT unnest(?::INTEGER[]))", [*bounds, first["report_id"].to_pylist()])
    if not _in_order(table):
        table = table.take(pc.sort_indices(table, sort_keys=[(k, "ascending", "at_end") for k in SORT_KEYS]))
    return table.select(list(dict.fromkeys(columns)))


def _in_order(table: pa.Table) -> bool:
    """Are the rows in display order already? Each pair of neighbours compared key by key (missing last)."""
    n = table.num_rows
    if n < 2:
        return True
    open_ = np.ones(n - 1, dtype=bool)  # pairs whose earlier keys are all equal
    for key in SORT_KEYS:
        a, b = table[key].slice(0, n - 1), table[key].slice(1)
        a_null, b_null = pc.is_null(a).to_numpy(zero_copy_only=False), pc.is_null(b).to_numpy(zero_copy_only=False)
        less = pc.fill_null(pc.less(a, b), False).to_numpy(zero_copy_only=False) | (~a_null & b_null)
        greater = pc.fill_null(pc.greater(a, b), False).to_numpy(zero_copy_only=False) | (a_null & ~b_null)
        if (open_ & greater).any():
            return False
        open_ &= ~less
        if not open_.any():
            break
    return True


def reports(store: Store, filters: Filters, limit: int | None = None, search: str | None = None) -> pd.DataFrame:
    """The selected reports' fields and files, in display order (the first `limit`)."""
    return to_frame(_rows(store, [*META_COLUMNS, *FILE_COLUMNS], filters, limit, search))


def _keys(metrics: tuple[str, ...] | list[str] | None, groups: tuple[str, ...] | list[str] | None) -> list[str]:
    keys = list(metrics or [])
    if groups:
        keys += [k for k, m in catalog.METRICS.items() if m.group in groups and k not in keys]
    return [k for k in keys if k in catalog.METRICS]


def wide(store: Store, filters: Filters, metrics: list[str] | None = None, groups: list[str] | None = None,
         limit: int | None = None, search: str | None = None, sort: str | None = None) -> pd.DataFrame:
    """One row per report, one column per metric (the 总计 values); `limit` cuts the reports, `sort` orders them."""
    keys = _keys(metrics, groups) or list(catalog.METRICS)
    table = _rows(store, [*META_COLUMNS, *FILE_COLUMNS, *keys], filters, limit, search, sort)
    # Only the metrics some chosen report has are shown (left out before pandas sees them).
    return to_frame(table.drop_columns([k for k in keys if table[k].null_count == table.num_rows]))


UNITS = {key: metric.unit for key, metric in catalog.METRICS.items()}


def figures(store: Store, filters: Filters, metrics: list[str] | None = None, groups: list[str] | None = None,
            with_breakdown: bool = False, with_evidence: bool = True, limit: int | None = None,
            search: str | None = None, sort: str | None = None) -> pd.DataFrame:
    """Long table: one row per report × metric (× applicant with `with_breakdown`); evidence when asked.

    `limit` cuts the reports (not the rows), so a preview shows whole reports; `search` narrows them by words;
    `sort` orders the reports (`sort_order`).
    Without evidence the rows are the wide table's columns unpivoted (every current figure has one); with it
    they are read from the figures table and the corrections, a scan of the figures table."""
    keys = _keys(metrics, groups) or list(catalog.METRICS)
    if with_evidence:
        frame = _figures_with_evidence(store, filters, keys, with_breakdown, limit, search, sort)
        codes, found = pd.factorize(frame["metric"])
        frame.insert(frame.columns.get_loc("metric") + 1, "label",
                     pd.Series(pa.array([catalog.label(k) for k in found], pa.string()).take(codes), dtype="str"))
        return frame
    columns = sorted((c for c, (metric, applicant) in VALUE_COLUMNS.items()  # (metric, applicant) order
                      if metric in keys and (with_breakdown or applicant == "total")), key=VALUE_COLUMNS.get)
    return _unpivoted(_rows(store, [*META_COLUMNS, "figure_flags", *columns], filters, limit, search, sort), columns)


def _unpivoted(table: pa.Table, columns: list[str]) -> pd.DataFrame:
    """The wide rows as long ones: a row per value given (NULL: not given, or removed by hand), with the
    flags of the few values derived or corrected, by the current_figures view's rule (store/db.py)."""
    values = np.column_stack([table[c].to_numpy(zero_copy_only=False).astype("float64") for c in columns]) \
        if columns else np.empty((table.num_rows, 0))
    rows, places = np.nonzero(~np.isnan(values))  # report by report, then column by column
    value = values[rows, places]
    derived, corrected = np.zeros(len(rows), dtype=bool), np.zeros(len(rows), dtype=bool)
    extracted = value.copy()
    flagged = pc.indices_nonzero(pc.greater(pc.list_value_length(table["figure_flags"]), 0)).to_pylist()
    if flagged:  # a few reports: derived or corrected values
        at = {(row, columns[place]): n for n, (row, place) in enumerate(zip(rows.tolist(), places.tolist(), strict=True))}
        for row in flagged:
            for flag in table["figure_flags"][row].as_py():
                n = at.get((row, flag["key"]))
                if n is not None:  # a flag of a column not asked for has no row here
                    derived[n], corrected[n] = flag["derived"], flag["corrected"]
                    if flag["corrected"]:
                        extracted[n] = np.nan if flag["extracted"] is None else flag["extracted"]
    per_column = {name: pa.array(values, pa.string()).take(pa.array(places, pa.int64())) for name, values in (
        ("metric", [VALUE_COLUMNS[c][0] for c in columns]), ("applicant", [VALUE_COLUMNS[c][1] for c in columns]),
        ("label", [catalog.label(VALUE_COLUMNS[c][0]) for c in columns]),
        ("unit", [UNITS[VALUE_COLUMNS[c][0]] for c in columns]))}
    # The catalog's unit, as every extracted figure carries it; none for a figure only set by hand.
    unit = pc.if_else(pa.array(corrected & np.isnan(extracted)), pa.scalar(None, pa.string()), per_column["unit"])
    long = table.select(list(META_COLUMNS)).take(pa.array(rows, pa.int64()))
    for name, column in (("metric", per_column["metric"]), ("label", per_column["label"]),
                         ("applicant", per_column["applicant"]), ("value", pa.array(value)), ("unit", unit),
                         ("derived", pa.array(derived)), ("corrected", pa.array(corrected)),
                         ("extracted_value", pa.array(extracted, from_pandas=True))):
        long = long.append_column(name, column)
    return to_frame(long)


def _figures_with_evidence(store: Store, filters: Filters, keys: list[str], with_breakdown: bool, limit: int | None,
                           search: str | None, sort: str | None = None) -> pd.DataFrame:
    """The long table with evidence, from the figures of the chosen reports and their latest corrections."""
    clause, params = searched(filters, search)
    cut = " LIMIT ?" if limit is not None else ""
    chosen = f"SELECT v.report_id FROM report_values v WHERE {clause} ORDER BY {sort_order(sort)}{cut}"
    params += [limit] if limit is not None else []
    wanted = f"metric IN ({', '.join('?' for _ in keys)})" + ("" if with_breakdown else " AND applicant = 'total'")
    evidence = "f.evidence_text, f.evidence_row, f.evidence_column, f.evidence_page, f.evidence_ocr"
    # The current_figures view's rule (store/db.py) applied to the chosen reports' rows only: scanning the
    # view would read every figure's evidence before the join (seconds at a million reports).
    frame = _frame(
        store, f"WITH chosen AS ({chosen}), f AS (SELECT * FROM figures WHERE report_id IN (SELECT report_id FROM chosen) "
        f"AND {wanted}), latest AS (SELECT * FROM corrections WHERE report_id IN (SELECT report_id FROM chosen) "
        f"AND {wanted} QUALIFY row_number() OVER (PARTITION BY report_id, metric, applicant "
        f"ORDER BY correction_id DESC) = 1), "
        f"current AS (SELECT f.report_id, f.metric, f.applicant, "
        f"CASE WHEN c.correction_id IS NULL THEN f.value ELSE c.new_value END AS value, f.unit, f.derived, "
        f"c.correction_id IS NOT NULL AS corrected, f.value AS extracted_value, {evidence} "
        f"FROM f LEFT JOIN latest c USING (report_id, metric, applicant) "
        f"UNION ALL BY NAME SELECT c.report_id, c.metric, c.applicant, c.new_value AS value, TRUE AS corrected, "
        f"FALSE AS derived FROM latest c ANTI JOIN f USING (report_id, metric, applicant)) "
        f"SELECT {', '.join('v.' + c for c in META_COLUMNS)}, f.metric, f.applicant, f.value, f.unit, f.derived, "
        f"f.corrected, f.extracted_value, {evidence} FROM current f JOIN report_values v USING (report_id) "
        f"WHERE f.value IS NOT NULL ORDER BY {sort_order(sort)}, f.metric, f.applicant", [*params, *keys, *keys])
    return frame
