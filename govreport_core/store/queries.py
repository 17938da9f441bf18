"""Queries: Filters -> pandas DataFrames for the pages, the exports and the command line.

Every function takes the Store and a Filters and binds every user value; the SQL text is built only from
`?` lists and catalog keys. Values are the corrected ones (`current_figures`); missing stays missing.
Every page reads the wide table `report_values` alone (store/derived.py: one row per report with its
fields, its file and one column per metric, kept current by the store and made in display order): the
filters' clauses apply to it as to `reports`, sums and counts scan a few of its columns, and a preview's
first reports lie together. Only evidence (and one report's detail) comes from the figures table.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from govreport_core import catalog

from .db import Store, where
from .derived import GROUP_KEYS, VALUE_COLUMNS, value_column
from .filters import Filters
from .frames import frame as _frame
from .listing import META_COLUMNS, ORDER, SORT_FIELDS, _keys, figures, ordered_by, reports, searched, sort_order, wide
from .years import SAME_AGENCY

__all__ = ["META_COLUMNS", "ORDER", "SORT_FIELDS", "figures", "reports", "sort_order", "wide"]  # the listings live in store/listing.py


def _grouped(filters: Filters, by: str | None = None) -> bool:
    """Can the groups (store/derived.py) answer? When every filter in force, and the area compared (`by`), reads
    only their keys; not for a county or an agency (as many values as reports: no group key)."""
    columns = {c for template, _ in filters.clauses() for c in re.findall(r"\{r\}\.(\w+)", template)}
    keys = {*GROUP_KEYS, "active"}
    return columns <= keys and (by is None or by in keys)


def _sums(store: Store, filters: Filters, pairs: list[tuple[str, str]], more: str = "", by_year: bool = False,
          totals: bool = True) -> pd.DataFrame:
    """Sums over the selection of these (metric, applicant) values, per year if asked: a row per value some
    selected report gives, in the order asked: (year,) metric, applicant, value, reports (how many it adds up;
    only these without `totals`). From the groups when they can answer, else from the wide table."""
    columns = ["year", "metric", "applicant", "value", "reports"][0 if by_year else 1:]
    if not pairs:
        return pd.DataFrame(columns=columns)
    names = [value_column(m, a) for m, a in pairs]
    a = "g" if _grouped(filters) else "v"
    clause, params = where(filters, a)
    given = (lambda c: f"coalesce(sum(g.n__{c}), 0)::BIGINT") if a == "g" else (lambda c: f"count(v.{c})")
    aggregates = ", ".join(f"{given(c)} AS n_{i}" + (f", sum({a}.{c}) AS s_{i}" if totals else "")
                           for i, c in enumerate(names))  # catalog names
    wide = store.query(f"SELECT {f'{a}.year, ' if by_year else ''}{aggregates} FROM "
                       f"{'report_groups' if a == 'g' else 'report_values'} {a} WHERE {clause}{more.replace('{a}', a)}"
                       f"{f' GROUP BY {a}.year ORDER BY {a}.year' if by_year else ''}", params)
    counts = wide[[f"n_{i}" for i in range(len(pairs))]].to_numpy(dtype="int64")
    rows, places = np.nonzero(counts)  # year by year, in the order asked
    return pd.DataFrame({**({"year": wide["year"].to_numpy()[rows].astype("int64")} if by_year else {}),
                         "metric": [pairs[j][0] for j in places], "applicant": [pairs[j][1] for j in places],
                         "value": wide[[f"s_{i}" for i in range(len(pairs))]].to_numpy(dtype="float64")[rows, places]
                         if totals else np.nan, "reports": counts[rows, places]}, columns=columns)


def counts(store: Store, filters: Filters, search: str | None = None) -> dict[str, int]:
    """How many reports, regions and years the selection holds (the overview's headline, without the rows)."""
    clause, params = searched(filters, search)
    row = store.query(f"SELECT count(*) AS reports, count(DISTINCT v.region) AS regions, "
                      f"count(DISTINCT v.year) AS years FROM report_values v WHERE {clause}", params).iloc[0]
    return {k: int(v) for k, v in row.items()}


def series(store: Store, filters: Filters, metric: str, by: str = "region") -> pd.DataFrame:
    """Sum of a metric per year and area (by = province | city | region), with how many reports it sums."""
    if by not in ("province", "city", "region") or metric not in catalog.METRICS:
        raise ValueError(f"series by {by!r} of {metric!r} is not possible")
    clause, params = where(filters, "v")
    frame = store.query(
        f"SELECT v.year, coalesce(v.{by}, '（未知）') AS area, sum(v.{metric}) AS value, count(*) AS reports, "
        # the first five agencies by name, then 等: a hover over thousands of reports stays readable
        f"array_to_string(min(v.agency, 5), '、') || CASE WHEN count(*) > 5 THEN ' 等' ELSE '' END "
        f"AS agencies FROM report_values v "
        f"WHERE {clause} AND v.{metric} IS NOT NULL AND v.year IS NOT NULL GROUP BY ALL ORDER BY v.year, area", params)
    return _numbers(frame, ("value",))


OUTCOME_KEYS = catalog.OUTCOME_KEYS
REVIEW_GROUPS = tuple(group.key for group in catalog.TABLE4_GROUPS)
REVIEW_LEAVES = catalog.TABLE4_OUTCOMES


def _metric_sums(store: Store, filters: Filters, keys: tuple[str, ...] | list[str], new_format_only: bool,
                 by_year: bool) -> pd.DataFrame:
    """Sums of the 总计 values of catalog metrics over a selection (per year if asked).

    Long frame: (year,) metric, value, reports (how many reports each sum adds up); a metric no report gives
    has no row. 2019/2021 reports only if asked."""
    keys = [k for k in dict.fromkeys(keys) if k in catalog.METRICS]
    more = (" AND {a}.format_era IN ('2019', '2021')" if new_format_only else "") + \
        (" AND {a}.year IS NOT NULL" if by_year else "")  # {a}: the alias of the table read
    return _sums(store, filters, [(k, "total") for k in keys], more, by_year).drop(columns="applicant")


def yearly_sums(store: Store, filters: Filters, keys: tuple[str, ...] | list[str], new_format_only: bool = True) -> pd.DataFrame:
    """Sums of catalog metrics per year over the selection, with how many reports each sum adds up."""
    frame = _metric_sums(store, filters, keys, new_format_only, by_year=True)
    frame["label"] = frame["metric"].map(catalog.label)
    return _numbers(frame, ("value",))


def outcomes(store: Store, filters: Filters) -> pd.DataFrame:
    """Sums of the 2019/2021 outcome rows per year (old categories do not add up: left out)."""
    return yearly_sums(store, filters, OUTCOME_KEYS)


def review_outcomes(store: Store, filters: Filters) -> pd.DataFrame:
    """维持/纠正/其他/尚未审结 per year for review, direct suits and suits after review (2019/2021 table 4)."""
    frame = yearly_sums(store, filters, [f"{g}_{leaf}" for g in REVIEW_GROUPS for leaf in REVIEW_LEAVES])
    frame["group"] = frame["metric"].map(lambda k: next(g for g in REVIEW_GROUPS if k.startswith(g + "_")
                                                        and k[len(g) + 1:] in REVIEW_LEAVES))
    frame["outcome"] = [k[len(g) + 1:] for k, g in zip(frame["metric"], frame["group"], strict=True)]
    return frame


def totals(store: Store, filters: Filters, keys: tuple[str, ...] | list[str], new_format_only: bool = True) -> dict[str, Any]:
    """Sums of metrics over the whole selection (for the Sankey), and how many reports they add up."""
    frame = _metric_sums(store, filters, keys, new_format_only, by_year=False)
    keys = [k for k in keys if k in catalog.METRICS]
    clause, params = where(filters, "v")
    if new_format_only:
        clause += " AND v.format_era IN ('2019', '2021')"
    count = store.query(f"SELECT count(*) AS n FROM report_values v WHERE {clause} "
                        f"AND coalesce({', '.join('v.' + k for k in keys)}) IS NOT NULL", params) if keys else None
    return {"values": {m: float(v) for m, v in zip(frame["metric"], frame["value"], strict=True)},
            "reports": int(count["n"].iloc[0]) if count is not None else 0}


def rates(store: Store, filters: Filters) -> pd.DataFrame:
    """Each catalog rate per year, as a ratio of sums over the selection; NaN when undefined."""
    needed = sorted({k for r in catalog.RATES.values() for k in (*r.numerator, *r.denominator, *r.minus)})
    sums = _metric_sums(store, filters, needed, new_format_only=True, by_year=True)
    rows: list[dict[str, Any]] = []
    for year, group in sums.groupby("year"):
        values = dict(zip(group["metric"], group["value"].astype(float), strict=True))
        counts = dict(zip(group["metric"], group["reports"], strict=True))
        for rate in catalog.RATES.values():
            numerator = sum(values.get(k, 0.0) for k in rate.numerator)
            denominator = sum(values.get(k, 0.0) for k in rate.denominator) - sum(values.get(k, 0.0) for k in rate.minus)
            value = numerator / denominator if denominator > 0 else float("nan")
            # The reports a rate sums: those giving its denominator (a rate of fewer reports is not comparable).
            summed = max((int(counts.get(k, 0)) for k in rate.denominator), default=0)
            rows.append({"year": int(year), "rate": rate.key, "label": rate.label_zh, "value": value,
                         "numerator": numerator, "denominator": denominator, "reports": summed})
    return pd.DataFrame(rows, columns=["year", "rate", "label", "value", "numerator", "denominator", "reports"])


def ranking(store: Store, filters: Filters, metric: str, year: int | None = None, limit: int = 20) -> pd.DataFrame:
    """The reports with the largest value of a metric (each row's report_id: the dashboard links it)."""
    clause, params = where(filters, "v")
    if year is not None:
        clause += " AND v.year = ?"
        params.append(year)
    column = value_column(metric) if metric in catalog.METRICS else None
    if column is None:
        return pd.DataFrame(columns=["report_id", "area", "agency", "year", "value"])
    frame = store.query(
        f"SELECT v.report_id, coalesce(v.region, v.agency) AS area, v.agency, v.year, v.{column} AS value "
        f"FROM report_values v WHERE {clause} AND v.{column} IS NOT NULL "
        f"ORDER BY value DESC, area LIMIT ?", [*params, limit])
    return _numbers(frame, ("value",))


def coverage(store: Store, filters: Filters, by: str = "region") -> pd.DataFrame:
    """Reports per area × year (the heat map); rows are areas, columns years."""
    if by not in ("province", "city", "region"):
        raise ValueError(f"coverage by {by!r} is not possible")
    a = "g" if _grouped(filters, by) else "v"
    clause, params = where(filters, a)
    count, table = ("sum(g.reports)::BIGINT", "report_groups g") if a == "g" else ("count(*)", "report_values v")
    frame = store.query(f"SELECT coalesce({a}.{by}, '（未知）') AS area, {a}.year, {count} AS reports "
                        f"FROM {table} WHERE {clause} AND {a}.year IS NOT NULL GROUP BY ALL", params)
    if frame.empty:
        return frame
    return frame.pivot_table(index="area", columns="year", values="reports", fill_value=0, aggfunc="sum")


FINDING_COLUMNS = ("report_id", "agency", "year", "rule", "severity", "message", "keys")


def findings(store: Store, filters: Filters, rules: tuple[str, ...] = (), limit: int | None = None,
             sort: str | None = None) -> pd.DataFrame:
    """The findings of the selected reports, errors first (or by `sort`: a column, "-column" descending, missing
    values last); only the given rule ids when `rules` is set; the first `limit` (a page's preview)."""
    clause, params = _findings_where(filters, rules)
    errors_first = "CASE x.severity WHEN 'error' THEN 0 WHEN 'warn' THEN 1 ELSE 2 END, v.year, v.agency"
    known = sort if (sort or "").removeprefix("-") in FINDING_COLUMNS else None  # another sort: the default order
    order = ordered_by(known, FINDING_COLUMNS, errors_first)  # an output column's name
    return _frame(
        store, f"SELECT v.report_id, v.agency, v.year, x.rule, x.severity, x.message, array_to_string(x.keys, ', ') AS keys "
        f"FROM report_values v JOIN findings x USING (report_id) WHERE {clause} ORDER BY {order}"
        + (f" LIMIT {int(limit)}" if limit is not None else ""), params)


def finding_count(store: Store, filters: Filters, rules: tuple[str, ...] = ()) -> int:
    """How many findings `findings` gives without a limit."""
    clause, params = _findings_where(filters, rules)
    return int(store.query(f"SELECT count(*) AS n FROM report_values v JOIN findings x USING (report_id) "
                           f"WHERE {clause}", params)["n"].iloc[0])


def _findings_where(filters: Filters, rules: tuple[str, ...]) -> tuple[str, list[Any]]:
    clause, params = where(filters, "v")
    if rules:
        clause += f" AND x.rule IN ({', '.join('?' for _ in rules)})"
        params += list(rules)
    return clause, params


def breakdown(store: Store, filters: Filters, metric: str = "applications_new") -> pd.DataFrame:
    """Applicant columns of a table-3 row summed over the selection (none for a metric without them)."""
    pairs = [(metric, a) for a in catalog.APPLICANTS if a != "total" and value_column(metric, a)]
    frame = _sums(store, filters, pairs)[["applicant", "value", "reports"]]
    frame["label"] = frame["applicant"].map(catalog.APPLICANT_LABELS)
    return _numbers(frame, ("value",))


def metric_coverage(store: Store, filters: Filters) -> pd.DataFrame:
    """How many of the selected reports give each metric, and what share."""
    a = "g" if _grouped(filters) else "v"
    clause, params = where(filters, a)
    count = "sum(g.reports)::BIGINT AS n FROM report_groups g" if a == "g" else "count(*) AS n FROM report_values v"
    total = int(store.query(f"SELECT {count} WHERE {clause}", params)["n"].fillna(0).iloc[0])
    given = _sums(store, filters, [(k, "total") for k in catalog.METRICS], totals=False)
    frame = given[["metric", "reports"]].sort_values("reports", ascending=False, kind="stable").reset_index(drop=True)
    frame["label"] = frame["metric"].map(catalog.label)
    frame["share"] = frame["reports"] / total if total else float("nan")
    return frame


def latest(store: Store, limit: int = 10) -> pd.DataFrame:
    return store.query("SELECT report_id, agency, year, format_era, file_name, ingested_at FROM report_values "
                       "WHERE active ORDER BY ingested_at DESC, report_id DESC LIMIT ?", [limit])


def recent(store: Store, filters: Filters, limit: int = 10) -> pd.DataFrame:
    """The selection's reports most recently added (`latest` over the filters)."""
    clause, params = where(filters)
    return store.query(f"SELECT r.report_id, r.agency, r.region, r.year, r.format_era, s.file_name, s.ingested_at "
                       f"FROM reports r JOIN sources s USING (source_id) WHERE {clause} "
                       f"ORDER BY s.ingested_at DESC, r.report_id DESC LIMIT ?", [*params, limit])


def unknown(store: Store) -> pd.DataFrame:
    """Reports whose year or region the text did not give, and the files kept with no data (a blank template:
    stored as a source, never counted as a report); `status` tells them apart ("report" or "no data")."""
    return store.query("SELECT r.report_id, r.title, r.agency, r.year, r.region, s.file_name, r.status FROM reports r "
                       "JOIN sources s USING (source_id) WHERE (r.active OR r.status = 'no data') "
                       "AND (r.year IS NULL OR r.region IS NULL) ORDER BY r.report_id")


def duplicates(store: Store) -> pd.DataFrame:
    """Files recognised as the same report, with which one stands."""
    return store.query("SELECT coalesce(r.duplicate_of, r.report_id) AS report_group, r.report_id, r.active, "
                       "r.agency, r.year, s.file_name, s.format FROM reports r JOIN sources s USING (source_id) "
                       "WHERE r.duplicate_of IS NOT NULL OR r.report_id IN (SELECT duplicate_of FROM reports) "
                       "ORDER BY report_group, r.report_id")


def report_detail(store: Store, report_id: int) -> dict[str, Any]:
    """Metadata, figures with evidence, findings and correction history of one report."""
    meta = store.query("SELECT r.*, s.file_name, s.format, s.sha256, s.ingested_at FROM reports r "
                       "JOIN sources s USING (source_id) WHERE r.report_id = ?", [report_id])
    if meta.empty:
        return {}
    figures_frame = store.query("SELECT * FROM current_figures WHERE report_id = ? AND value IS NOT NULL "
                                "ORDER BY metric, applicant", [report_id])
    figures_frame.insert(2, "label", figures_frame["metric"].map(catalog.label))
    return {
        "meta": {k: _plain(v) for k, v in meta.iloc[0].to_dict().items()},
        "figures": _numbers(figures_frame, ("value", "extracted_value")),
        "findings": store.query("SELECT rule, severity, message, array_to_string(keys, ', ') AS keys FROM findings "
                                "WHERE report_id = ?", [report_id]),
        "corrections": _numbers(store.query("SELECT * FROM corrections WHERE report_id = ? ORDER BY correction_id",
                                            [report_id]), ("old_value", "new_value")),
    }


def previous_year(store: Store, report_id: int) -> dict[str, Any]:
    """The same agency's active report of the year before (`years.SAME_AGENCY`): its metadata and figures, or {}."""
    row = store.query(f"SELECT p.report_id FROM reports r JOIN reports p ON {SAME_AGENCY.format(a='r', b='p')} "
                      f"AND p.year = r.year - 1 AND p.active WHERE r.report_id = ? ORDER BY p.report_id LIMIT 1",
                      [report_id])
    return report_detail(store, int(row["report_id"].iloc[0])) if not row.empty else {}


def options(store: Store, filters: Filters) -> dict[str, list[Any]]:
    """Choices for cascading filters: provinces; cities of the chosen province; regions of the chosen city."""
    def lists(table: str, wanted: dict[str, tuple[str, list[object]]]) -> dict[str, list[Any]]:
        # One scan for several lists (a DISTINCT each would read the table once per list).
        row = store.query("SELECT " + ", ".join(f"list(DISTINCT {c} ORDER BY {c}) FILTER (WHERE {c} IS NOT NULL "
                                                f"AND {rule}) AS {c}" for c, (rule, _) in wanted.items())
                          + f" FROM {table}", [p for _, values in wanted.values() for p in values])
        found = {c: row[c].iloc[0] for c in wanted}  # a list, or missing when there is none
        return {c: [_plain(v) for v in values] if isinstance(values, list | np.ndarray) else [] for c, values in found.items()}

    city = ("province = ?", [filters.province]) if filters.province else ("TRUE", [])
    region = ("city = ?", [filters.city]) if filters.city else city
    # The groups hold every value but the county's and the agency's, report_names those (of active reports only).
    out = lists("report_groups", {"province": ("TRUE", []), "city": city,
                                  **{c: ("TRUE", []) for c in ("year", "format_era", "level", "scope")}})
    out |= lists("report_names", {"region": region, "agency": ("TRUE", [])})
    return {c: out[c] for c in catalog.REPORT_FIELDS if c in out}


def _numbers(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """DECIMAL columns as floats (exact to the 6 decimals stored), missing values kept as NaN, not 0."""
    for column in columns:
        if column in frame:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    return None if value is pd.NaT else value


def data_version(store: Store) -> int:
    """Changes with every write that changes what a page shows: a report saved or re-read by a newer parser, a
    duplicate chosen or settled, a correction, a failure recorded (store/db.py, migration 6)."""
    frame = store.query("SELECT max(version) AS v FROM data_version")
    return int(frame["v"].iloc[0])


# --- Pages of a selection for the open-data API (service/api.py): the pages' WHERE, cut by a keyset -------------
# A page ends at its last row's sort key; the next page starts after it (Datasette's `_next`), so a page is as fast
# at the end of a million reports as at the start, and a report saved meanwhile neither repeats nor skips a row.

# The sort columns a page may ask for, with the SQL type their key values are bound as.
SORT_COLUMNS: dict[str, str] = {"report_id": "INTEGER", "year": "INTEGER", "published": "DATE",
                                **{c: "VARCHAR" for c in catalog.REPORT_FIELDS if c not in ("year", "published")},
                                **{k: "DOUBLE" for k in catalog.METRICS}}  # a metric's 总计, from report_values
PAGE_ORDER = ("year", "province", "city", "region", "agency", "report_id")  # ORDER: the pages' own order

SortKey = list[tuple[str, bool]]  # (sort column, descending), report_id last


def sort_key(column: str | None = None, descending: bool = False) -> SortKey:
    """The page's order (`ORDER`), or one column (NULLs last either way) with the report number breaking ties."""
    if column is None:
        return [(c, False) for c in PAGE_ORDER]
    if column not in SORT_COLUMNS:
        raise ValueError(f"cannot sort by {column!r}")
    return [(column, descending)] + ([("report_id", False)] if column != "report_id" else [])


def _expression(column: str) -> str:
    return f"v.{column}"  # catalog keys and report fields only: all of them columns of the wide table


def _after(key: SortKey, last: list[Any]) -> tuple[str, list[object]]:
    """Rows sorting after `last` (the previous page's last key values) in `key`'s order, NULLs last."""
    terms: list[str] = []
    params: list[object] = []
    for i, ((column, descending), value) in enumerate(zip(key, last, strict=True)):
        if value is None:
            continue  # nothing sorts after a NULL in this column but the later columns' rows, found below
        same: list[str] = []
        for (earlier, _), before in zip(key[:i], last[:i], strict=True):
            if before is None:
                same.append(f"{_expression(earlier)} IS NULL")
            else:
                same.append(f"{_expression(earlier)} = CAST(? AS {SORT_COLUMNS[earlier]})")
                params.append(before)
        expr = _expression(column)
        same.append(f"({expr} {'<' if descending else '>'} CAST(? AS {SORT_COLUMNS[column]}) OR {expr} IS NULL)")
        params.append(value)
        terms.append("(" + " AND ".join(same) + ")")
    return "(" + (" OR ".join(terms) or "FALSE") + ")", params


def _key_value(value: Any, kind: str) -> Any:
    """A sort value as the next page's token carries it (JSON): a date as YYYY-MM-DD, numbers as numbers."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if kind == "DATE":
        return str(value)[:10]
    return _plain(value)


def _page(store: Store, filters: Filters, columns: str, size: int, key: SortKey,
          after: list[Any] | None, search: str | None) -> tuple[pd.DataFrame, list[Any] | None]:
    """`size` rows of the selection in `key`'s order after `after`, and the key that the next page starts after."""
    clause, params = searched(filters, search)
    if after is not None:
        more, values = _after(key, after)
        clause += " AND " + more
        params += values
    order = ", ".join(f"{_expression(c)} {'DESC' if d else 'ASC'} NULLS LAST" for c, d in key)
    keys = ", ".join(f"{_expression(c)} AS _key_{i}" for i, (c, _) in enumerate(key))
    frame = store.query(f"SELECT {columns}, {keys} FROM report_values v WHERE {clause} ORDER BY {order} LIMIT ?",
                        [*params, size + 1])
    following = None
    if len(frame) > size:
        frame = frame.iloc[:size]
        following = [_key_value(frame[f"_key_{i}"].iloc[-1], SORT_COLUMNS[c]) for i, (c, _) in enumerate(key)]
    return frame.drop(columns=[f"_key_{i}" for i in range(len(key))]).reset_index(drop=True), following


def reports_page(store: Store, filters: Filters, size: int, key: SortKey | None = None, after: list[Any] | None = None,
                 search: str | None = None) -> tuple[pd.DataFrame, list[Any] | None]:
    """A page of `reports` (the same columns), and the key the next page starts after (None: the last page)."""
    return _page(store, filters, f"{', '.join('v.' + c for c in META_COLUMNS)}, v.file_name, v.format, v.ingested_at",
                 size, key or sort_key(), after, search)


EVIDENCE = "f.evidence_text, f.evidence_row, f.evidence_column, f.evidence_page, f.evidence_ocr"
LONG_COLUMNS = ("metric", "label", "applicant", "value", "unit", "derived", "corrected", "extracted_value",
                *EVIDENCE.replace("f.", "").split(", "))


def _current_of(store: Store, chosen: list[int], keys: list[str], breakdown: bool, evidence: bool) -> pd.DataFrame:
    """The current figures of these reports (the current_figures view's rule, store/db.py: the latest correction
    wins, a value set by hand alone counts), rows fetched by row id: `rowid IN (SELECT rowid … WHERE report_id IN …)`
    makes DuckDB read the evidence of the page's rows only, not of every row it scans (5x faster at 100,000 reports)."""
    marks = ", ".join("?" for _ in chosen)
    clause = (f" AND metric IN ({', '.join('?' for _ in keys)})" if keys else "") + (
        "" if breakdown else " AND applicant = 'total'")
    frame = store.query(
        f"WITH f AS (SELECT * FROM figures WHERE rowid IN (SELECT rowid FROM figures WHERE report_id IN ({marks})"
        f"{clause})), latest AS (SELECT * FROM corrections WHERE report_id IN ({marks}){clause} "
        f"QUALIFY row_number() OVER (PARTITION BY report_id, metric, applicant ORDER BY correction_id DESC) = 1) "
        f"SELECT f.report_id, f.metric, f.applicant, CASE WHEN c.correction_id IS NULL THEN f.value ELSE c.new_value "
        f"END AS value, f.unit, f.derived, c.correction_id IS NOT NULL AS corrected, f.value AS extracted_value"
        f"{', ' + EVIDENCE if evidence else ''} FROM f LEFT JOIN latest c USING (report_id, metric, applicant) "
        f"UNION ALL BY NAME SELECT c.report_id, c.metric, c.applicant, c.new_value AS value, TRUE AS corrected, "
        f"FALSE AS derived FROM latest c ANTI JOIN f USING (report_id, metric, applicant)",
        [*chosen, *keys, *chosen, *keys])
    return _numbers(frame[frame["value"].notna()], ("value", "extracted_value"))


def figures_page(store: Store, filters: Filters, size: int, key: SortKey | None = None, after: list[Any] | None = None,
                 search: str | None = None, metrics: list[str] | None = None, wide: bool = False,
                 breakdown: bool = True) -> tuple[pd.DataFrame, list[Any] | None]:
    """The figures of a page of `size` reports: one row per report × metric × applicant with its evidence (long,
    as `figures`), or one row per report with a column per metric and, with `breakdown`, per table-3 applicant
    (wide: `report_values`' columns, all of them whatever the page holds, so every page has the same columns)."""
    ids, following = _page(store, filters, "v.report_id", size, key or sort_key(), after, search)
    chosen = [int(i) for i in ids["report_id"]]
    keys = _keys(metrics, None)
    names = [c for c, (m, a) in VALUE_COLUMNS.items() if (not keys or m in keys) and (breakdown or a == "total")]
    if not chosen:
        return pd.DataFrame(columns=[*META_COLUMNS, *(names if wide else LONG_COLUMNS)]), None
    marks = ", ".join("?" for _ in chosen)
    meta = store.query(f"SELECT {', '.join(META_COLUMNS)} FROM report_values WHERE report_id IN ({marks})", chosen)
    meta = meta.set_index("report_id").loc[chosen].reset_index()  # the page's order
    current = _current_of(store, chosen, keys, breakdown, evidence=not wide)
    if wide:
        # The page's figures pivoted (report_values holds the same current values, but fetching its 270 columns
        # for a page costs twice as much as the page's figure rows).
        total = current["applicant"] == "total"  # report_values' names: the metric, or metric__applicant
        current["column"] = current["metric"].where(total, current["metric"] + "__" + current["applicant"])
        grid = current.pivot(index="report_id", columns="column", values="value")
        return meta.join(grid.reindex(columns=names).astype("float64"), on="report_id"), following
    current["_place"] = current["report_id"].map({r: i for i, r in enumerate(chosen)})
    current = current.sort_values(["_place", "metric", "applicant"], kind="stable").drop(columns="_place")
    frame = meta.merge(current, on="report_id", how="inner")
    frame.insert(frame.columns.get_loc("metric") + 1, "label", frame["metric"].map(catalog.label))
    return frame, following


# The report fields a selection is counted by: its categories, not the free names, dates and codes.
FACETS = tuple(c for c in catalog.REPORT_FIELDS if c not in ("title", "agency", "published", "adcode"))


def facets(store: Store, filters: Filters, search: str | None = None) -> dict[str, pd.DataFrame]:
    """How many selected reports each value of the area, level, year, era and scope columns has (one scan:
    grouping sets), most first; a value of NULL is the reports that do not say. Counted under every filter given,
    as Datasette does: a caller wanting the other choices' counts widens the filters first."""
    clause, params = searched(filters, search)
    sets = ", ".join(f"(v.{c})" for c in FACETS)
    frame = store.query(f"SELECT {', '.join(f'v.{c}' for c in FACETS)}, "
                        f"{', '.join(f'grouping(v.{c}) AS g_{c}' for c in FACETS)}, count(*) AS count "
                        f"FROM report_values v WHERE {clause} GROUP BY GROUPING SETS ({sets})", params)
    out: dict[str, pd.DataFrame] = {}
    for column in FACETS:
        part = frame[frame[f"g_{column}"] == 0][[column, "count"]].rename(columns={column: "value"})
        part = part.sort_values(["count", "value"], ascending=[False, True], na_position="last", kind="stable")
        out[column] = part.reset_index(drop=True)
    return out


def area_values(store: Store, filters: Filters, numerator: str | None = None, denominator: str | None = None,
                new_format_only: bool = False) -> pd.DataFrame:
    """The map's data: the selection's reports per area (province, city, region, adcode) with one metric. With
    `numerator` alone its sum over the reports giving it; with a `denominator` too, both summed over the reports
    giving both (a ratio of sums, as `rates`); `given` counts those reports. 2019/2021 reports only if asked."""
    keys = [k for k in (numerator, denominator) if k]
    if any(k not in catalog.METRICS for k in keys):
        raise ValueError(f"no such metric among {keys!r}")
    clause, params = where(filters)
    given = " AND ".join([*(f"v.{k} IS NOT NULL" for k in keys),  # catalog keys only
                          *(["r.format_era IN ('2019', '2021')"] if new_format_only else [])]) or "TRUE"
    sums = "".join(f", sum(v.{k}) FILTER (WHERE {given}) AS {name}"
                   for name, k in (("numerator", numerator), ("denominator", denominator)) if k)
    frame = store.query(f"SELECT r.province, r.city, r.region, r.adcode, count(*) AS reports, "
                        f"count(*) FILTER (WHERE {given}) AS given{sums} FROM reports r "
                        f"LEFT JOIN report_values v USING (report_id) WHERE {clause} GROUP BY ALL", params)
    return _numbers(frame, ("numerator", "denominator"))
