"""Queries: Filters -> pandas DataFrames for the pages, the exports and the command line.

Every function takes the Store and a Filters and binds every user value; the SQL text is built only from
`?` lists and catalog keys. Values are the corrected ones (`current_figures`); missing stays missing.
Sums, rankings, rates and the wide export read `report_values` (one row per report, one column per metric,
kept current by the store), so no page pivots millions of figure rows; evidence comes from `current_figures`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from govreport_core import catalog

from .db import Store, where
from .filters import Filters
from .writes import VALUE_COLUMNS, value_column
from .years import SAME_AGENCY

META_COLUMNS = ("report_id", *catalog.REPORT_FIELDS)


def _keys(metrics: tuple[str, ...] | list[str] | None, groups: tuple[str, ...] | list[str] | None) -> list[str]:
    keys = list(metrics or [])
    if groups:
        keys += [k for k, m in catalog.METRICS.items() if m.group in groups and k not in keys]
    return [k for k in keys if k in catalog.METRICS]


ORDER = "r.year NULLS LAST, r.province, r.city, r.region, r.agency, r.report_id"


def _searched(filters: Filters, search: str | None) -> tuple[str, list[object]]:
    """The filters' WHERE clause, narrowed by a search text: each word in the agency, title or area names."""
    clause, params = where(filters)
    for word in (search or "").split()[:8]:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        fields = ("r.agency", "r.title", "r.province", "r.city", "r.region")
        clause += " AND (" + " OR ".join(f"{f} ILIKE ? ESCAPE '\\'" for f in fields) + ")"
        params += [pattern] * len(fields)
    return clause, params


# The report columns a table may be sorted by (the dashboard's `sort` URL parameter); a metric sorts by its 总计.
SORT_FIELDS = ("report_id", *catalog.REPORT_FIELDS)


def sort_order(sort: str | None) -> str:
    """ORDER, or first by one report column or metric ("year", "-applications_new" for descending), NULLs last.
    Only names from SORT_FIELDS and the catalog reach the SQL; anything else is a ValueError."""
    if not sort:
        return ORDER
    column = sort.removeprefix("-")
    if column in SORT_FIELDS:
        expression = f"r.{column}"
    elif column in catalog.METRICS:
        expression = f"(SELECT v.{column} FROM report_values v WHERE v.report_id = r.report_id)"
    else:
        raise ValueError(f"cannot sort by {sort!r}")
    return f"{expression} {'DESC' if sort.startswith('-') else 'ASC'} NULLS LAST, {ORDER}"


def _chosen(filters: Filters, limit: int | None, search: str | None = None,
            sort: str | None = None) -> tuple[str, list[object]]:
    """A CTE of the selected report ids in display order, cut at `limit` (previews stay fast at any size)."""
    clause, params = _searched(filters, search)
    cut = " LIMIT ?" if limit is not None else ""
    return (f"WITH chosen AS (SELECT r.report_id FROM reports r WHERE {clause} ORDER BY {sort_order(sort)}{cut}) ",
            [*params, *([limit] if limit is not None else [])])


def figures(store: Store, filters: Filters, metrics: list[str] | None = None, groups: list[str] | None = None,
            with_breakdown: bool = False, with_evidence: bool = True, limit: int | None = None,
            search: str | None = None, sort: str | None = None) -> pd.DataFrame:
    """Long table: one row per report × metric (× applicant with `with_breakdown`); evidence when asked.

    `limit` cuts the reports (not the rows), so a preview shows whole reports; `search` narrows them by words;
    `sort` orders the reports (`sort_order`)."""
    head, params = _chosen(filters, limit, search, sort)
    clause = "TRUE"
    keys = _keys(metrics, groups)
    if keys:
        clause += f" AND metric IN ({', '.join('?' for _ in keys)})"
    if not with_breakdown:
        clause += " AND applicant = 'total'"
    evidence = (", f.evidence_text, f.evidence_row, f.evidence_column, f.evidence_page, f.evidence_ocr"
                if with_evidence else "")
    # The current_figures view's rule (store/db.py) applied to the chosen reports' rows only: scanning the
    # view would read every figure's evidence before the join (seconds at a million reports).
    frame = store.query(
        f"{head}, f AS (SELECT * FROM figures WHERE report_id IN (SELECT report_id FROM chosen) AND {clause}), "
        f"latest AS (SELECT * FROM corrections WHERE report_id IN (SELECT report_id FROM chosen) AND {clause} "
        f"QUALIFY row_number() OVER (PARTITION BY report_id, metric, applicant ORDER BY correction_id DESC) = 1), "
        f"current AS (SELECT f.report_id, f.metric, f.applicant, "
        f"CASE WHEN c.correction_id IS NULL THEN f.value ELSE c.new_value END AS value, f.unit, f.derived, "
        f"c.correction_id IS NOT NULL AS corrected, f.value AS extracted_value{evidence} "
        f"FROM f LEFT JOIN latest c USING (report_id, metric, applicant) "
        f"UNION ALL BY NAME SELECT c.report_id, c.metric, c.applicant, c.new_value AS value, TRUE AS corrected, "
        f"FALSE AS derived FROM latest c ANTI JOIN f USING (report_id, metric, applicant)) "
        f"SELECT r.report_id, f.metric, f.applicant, f.value, f.unit, f.derived, f.corrected, f.extracted_value{evidence} "
        f"FROM chosen JOIN reports r USING (report_id) JOIN current f USING (report_id) WHERE f.value IS NOT NULL "
        f"ORDER BY {sort_order(sort)}, f.metric, f.applicant", [*params, *keys, *keys])
    # Each report's columns fetched once and repeated here: twice as fast as repeating them in SQL.
    head, params = _chosen(filters, limit, search, sort)
    meta = store.query(f"{head}SELECT {', '.join('r.' + c for c in META_COLUMNS)} FROM chosen JOIN reports r "
                       f"USING (report_id)", params)
    frame = meta.merge(frame, on="report_id", how="right")
    frame.insert(frame.columns.get_loc("metric") + 1, "label", frame["metric"].map(catalog.label))
    return _numbers(frame, ("value", "extracted_value"))


def wide(store: Store, filters: Filters, metrics: list[str] | None = None, groups: list[str] | None = None,
         limit: int | None = None, search: str | None = None, sort: str | None = None) -> pd.DataFrame:
    """One row per report, one column per metric (the 总计 values); `limit` cuts the reports, `sort` orders them."""
    keys = _keys(metrics, groups) or list(catalog.METRICS)
    head, params = _chosen(filters, limit, search, sort)
    # One query: the reports' columns as `reports` gives them, then the wide table's column per metric.
    frame = store.query(f"{head}SELECT {', '.join('r.' + c for c in META_COLUMNS)}, s.file_name, s.format, "
                        f"s.ingested_at, {', '.join('v.' + k for k in keys)} "  # catalog keys only
                        f"FROM chosen JOIN reports r USING (report_id) JOIN sources s USING (source_id) "
                        f"LEFT JOIN report_values v USING (report_id) ORDER BY {sort_order(sort)}", params)
    # Only the metrics some chosen report has are shown.
    return frame.drop(columns=[k for k in keys if frame[k].isna().all()])


def reports(store: Store, filters: Filters, limit: int | None = None, search: str | None = None) -> pd.DataFrame:
    clause, params = _searched(filters, search)
    cut = " LIMIT ?" if limit is not None else ""
    return store.query(f"SELECT {', '.join('r.' + c for c in META_COLUMNS)}, s.file_name, s.format, s.ingested_at "
                       f"FROM reports r JOIN sources s USING (source_id) WHERE {clause} ORDER BY {ORDER}{cut}",
                       [*params, *([limit] if limit is not None else [])])


def counts(store: Store, filters: Filters, search: str | None = None) -> dict[str, int]:
    """How many reports, regions and years the selection holds (the overview's headline, without the rows)."""
    clause, params = _searched(filters, search)
    row = store.query(f"SELECT count(*) AS reports, count(DISTINCT r.region) AS regions, "
                      f"count(DISTINCT r.year) AS years FROM reports r WHERE {clause}", params).iloc[0]
    return {k: int(v) for k, v in row.items()}


def series(store: Store, filters: Filters, metric: str, by: str = "region") -> pd.DataFrame:
    """Sum of a metric per year and area (by = province | city | region), with how many reports it sums."""
    if by not in ("province", "city", "region") or metric not in catalog.METRICS:
        raise ValueError(f"series by {by!r} of {metric!r} is not possible")
    clause, params = where(filters)
    frame = store.query(
        f"SELECT r.year, coalesce(r.{by}, '（未知）') AS area, sum(v.{metric}) AS value, count(*) AS reports, "
        # the first five agencies by name, then 等: a hover over thousands of reports stays readable
        f"array_to_string(list(r.agency ORDER BY r.agency)[1:5], '、') || CASE WHEN count(*) > 5 THEN ' 等' ELSE '' END "
        f"AS agencies FROM reports r JOIN report_values v USING (report_id) "
        f"WHERE {clause} AND v.{metric} IS NOT NULL AND r.year IS NOT NULL GROUP BY ALL ORDER BY r.year, area", params)
    return _numbers(frame, ("value",))


OUTCOME_KEYS = catalog.OUTCOME_KEYS
REVIEW_GROUPS = tuple(group.key for group in catalog.TABLE4_GROUPS)
REVIEW_LEAVES = catalog.TABLE4_OUTCOMES


def _metric_sums(store: Store, filters: Filters, keys: tuple[str, ...] | list[str], new_format_only: bool,
                 by_year: bool) -> pd.DataFrame:
    """Sums of the 总计 values of catalog metrics over a selection (per year if asked), from the wide table.

    Long frame: (year,) metric, value, reports (how many reports each sum adds up); a metric no report gives
    has no row. 2019/2021 reports only if asked."""
    keys = [k for k in dict.fromkeys(keys) if k in catalog.METRICS]
    clause, params = where(filters)
    if new_format_only:
        clause += " AND r.format_era IN ('2019', '2021')"
    if by_year:
        clause += " AND r.year IS NOT NULL"
    columns = ["year", "metric", "value", "reports"] if by_year else ["metric", "value", "reports"]
    if not keys:
        return pd.DataFrame(columns=columns)
    sums = ", ".join(f"sum(v.{k}) AS s_{i}, count(v.{k}) AS n_{i}" for i, k in enumerate(keys))  # catalog keys only
    group = " GROUP BY r.year ORDER BY r.year" if by_year else ""
    frame = store.query(f"SELECT {'r.year, ' if by_year else ''}{sums} FROM reports r "
                        f"JOIN report_values v USING (report_id) WHERE {clause}{group}", params)
    rows = [{**({"year": int(row["year"])} if by_year else {}), "metric": key, "value": float(row[f"s_{i}"]),
             "reports": int(row[f"n_{i}"])}
            for _, row in frame.iterrows() for i, key in enumerate(keys) if row[f"n_{i}"]]
    return pd.DataFrame(rows, columns=columns)


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
    clause, params = where(filters)
    if new_format_only:
        clause += " AND r.format_era IN ('2019', '2021')"
    count = store.query(f"SELECT count(*) AS n FROM reports r JOIN report_values v USING (report_id) WHERE {clause} "
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
    clause, params = where(filters)
    if year is not None:
        clause += " AND r.year = ?"
        params.append(year)
    column = value_column(metric) if metric in catalog.METRICS else None
    if column is None:
        return pd.DataFrame(columns=["report_id", "area", "agency", "year", "value"])
    frame = store.query(
        f"SELECT r.report_id, coalesce(r.region, r.agency) AS area, r.agency, r.year, v.{column} AS value FROM reports r "
        f"JOIN report_values v USING (report_id) WHERE {clause} AND v.{column} IS NOT NULL "
        f"ORDER BY value DESC, area LIMIT ?", [*params, limit])
    return _numbers(frame, ("value",))


def coverage(store: Store, filters: Filters, by: str = "region") -> pd.DataFrame:
    """Reports per area × year (the heat map); rows are areas, columns years."""
    if by not in ("province", "city", "region"):
        raise ValueError(f"coverage by {by!r} is not possible")
    clause, params = where(filters)
    frame = store.query(f"SELECT coalesce(r.{by}, '（未知）') AS area, r.year, count(*) AS reports FROM reports r "
                        f"WHERE {clause} AND r.year IS NOT NULL GROUP BY ALL", params)
    if frame.empty:
        return frame
    return frame.pivot_table(index="area", columns="year", values="reports", fill_value=0, aggfunc="sum")


def findings(store: Store, filters: Filters, rules: tuple[str, ...] = ()) -> pd.DataFrame:
    """The findings of the selected reports, errors first; only the given rule ids when `rules` is set."""
    clause, params = where(filters)
    if rules:
        clause += f" AND x.rule IN ({', '.join('?' for _ in rules)})"
        params += list(rules)
    return store.query(
        f"SELECT r.report_id, r.agency, r.year, x.rule, x.severity, x.message, array_to_string(x.keys, ', ') AS keys "
        f"FROM reports r JOIN findings x USING (report_id) WHERE {clause} "
        f"ORDER BY CASE x.severity WHEN 'error' THEN 0 WHEN 'warn' THEN 1 ELSE 2 END, r.year, r.agency", params)


def breakdown(store: Store, filters: Filters, metric: str = "applications_new") -> pd.DataFrame:
    """Applicant columns of a table-3 row summed over the selection."""
    clause, params = where(filters)
    columns = {a: value_column(metric, a) for a in catalog.APPLICANTS if a != "total"}
    if all(columns.values()):  # table 3's rows: from the wide table
        sums = store.query(f"SELECT {', '.join(f'sum(v.{c}) AS s_{i}, count(v.{c}) AS n_{i}' for i, c in enumerate(columns.values()))} "
                           f"FROM reports r JOIN report_values v USING (report_id) WHERE {clause}", params).iloc[0]
        frame = pd.DataFrame([{"applicant": a, "value": sums[f"s_{i}"], "reports": int(sums[f"n_{i}"])}
                              for i, a in enumerate(columns) if sums[f"n_{i}"]], columns=["applicant", "value", "reports"])
    else:  # an applicant value corrected by hand on another metric: rare, read from the figures
        frame = store.query(
            f"SELECT f.applicant, sum(f.value) AS value, count(DISTINCT r.report_id) AS reports "
            f"FROM reports r JOIN current_figures f USING (report_id) WHERE {clause} AND f.metric = ? "
            f"AND f.applicant <> 'total' GROUP BY ALL", [*params, metric])
    frame["label"] = frame["applicant"].map(catalog.APPLICANT_LABELS)
    order = {a: i for i, a in enumerate(catalog.APPLICANTS)}
    return _numbers(frame.sort_values("applicant", key=lambda s: s.map(order)).reset_index(drop=True), ("value",))


def metric_coverage(store: Store, filters: Filters) -> pd.DataFrame:
    clause, params = where(filters)
    total = int(store.query(f"SELECT count(*) AS n FROM reports r WHERE {clause}", params)["n"].iloc[0])
    given = _metric_sums(store, filters, list(catalog.METRICS), new_format_only=False, by_year=False)
    frame = given[["metric", "reports"]].sort_values("reports", ascending=False, kind="stable").reset_index(drop=True)
    frame["label"] = frame["metric"].map(catalog.label)
    frame["share"] = frame["reports"] / total if total else float("nan")
    return frame


def latest(store: Store, limit: int = 10) -> pd.DataFrame:
    return store.query("SELECT r.report_id, r.agency, r.year, r.format_era, s.file_name, s.ingested_at "
                       "FROM reports r JOIN sources s USING (source_id) WHERE r.active "
                       "ORDER BY s.ingested_at DESC, r.report_id DESC LIMIT ?", [limit])


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
    def distinct(column: str, clause: str = "TRUE", params: list[object] | None = None) -> list[Any]:
        frame = store.query(f"SELECT DISTINCT {column} AS v FROM reports WHERE active AND {column} IS NOT NULL "
                            f"AND {clause} ORDER BY v", params or [])
        return [_plain(v) for v in frame["v"]]

    out: dict[str, list[Any]] = {"province": distinct("province")}
    out["city"] = distinct("city", "province = ?", [filters.province]) if filters.province else distinct("city")
    out["region"] = distinct("region", "city = ?", [filters.city]) if filters.city else (
        distinct("region", "province = ?", [filters.province]) if filters.province else distinct("region"))
    for column in ("year", "format_era", "level", "scope", "agency"):
        out[column] = distinct(column)
    return out


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
    return f"v.{column}" if column in catalog.METRICS else f"r.{column}"  # catalog keys and report fields only


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


def _page(store: Store, filters: Filters, columns: str, joins: str, size: int, key: SortKey,
          after: list[Any] | None, search: str | None) -> tuple[pd.DataFrame, list[Any] | None]:
    """`size` rows of the selection in `key`'s order after `after`, and the key that the next page starts after."""
    clause, params = _searched(filters, search)
    if after is not None:
        more, values = _after(key, after)
        clause += " AND " + more
        params += values
    needs_values = any(c in catalog.METRICS for c, _ in key)
    order = ", ".join(f"{_expression(c)} {'DESC' if d else 'ASC'} NULLS LAST" for c, d in key)
    keys = ", ".join(f"{_expression(c)} AS _key_{i}" for i, (c, _) in enumerate(key))
    frame = store.query(f"SELECT {columns}, {keys} FROM reports r {joins}"
                        f"{' LEFT JOIN report_values v USING (report_id)' if needs_values and 'report_values' not in joins else ''} "
                        f"WHERE {clause} ORDER BY {order} LIMIT ?", [*params, size + 1])
    following = None
    if len(frame) > size:
        frame = frame.iloc[:size]
        following = [_key_value(frame[f"_key_{i}"].iloc[-1], SORT_COLUMNS[c]) for i, (c, _) in enumerate(key)]
    return frame.drop(columns=[f"_key_{i}" for i in range(len(key))]).reset_index(drop=True), following


def reports_page(store: Store, filters: Filters, size: int, key: SortKey | None = None, after: list[Any] | None = None,
                 search: str | None = None) -> tuple[pd.DataFrame, list[Any] | None]:
    """A page of `reports` (the same columns), and the key the next page starts after (None: the last page)."""
    return _page(store, filters, f"{', '.join('r.' + c for c in META_COLUMNS)}, s.file_name, s.format, s.ingested_at",
                 "JOIN sources s USING (source_id)", size, key or sort_key(), after, search)


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
    ids, following = _page(store, filters, "r.report_id", "", size, key or sort_key(), after, search)
    chosen = [int(i) for i in ids["report_id"]]
    keys = _keys(metrics, None)
    names = [c for c, (m, a) in VALUE_COLUMNS.items() if (not keys or m in keys) and (breakdown or a == "total")]
    if not chosen:
        return pd.DataFrame(columns=[*META_COLUMNS, *(names if wide else LONG_COLUMNS)]), None
    marks = ", ".join("?" for _ in chosen)
    meta = store.query(f"SELECT {', '.join(META_COLUMNS)} FROM reports WHERE report_id IN ({marks})", chosen)
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
    clause, params = _searched(filters, search)
    sets = ", ".join(f"(r.{c})" for c in FACETS)
    frame = store.query(f"SELECT {', '.join(f'r.{c}' for c in FACETS)}, "
                        f"{', '.join(f'grouping(r.{c}) AS g_{c}' for c in FACETS)}, count(*) AS count "
                        f"FROM reports r WHERE {clause} GROUP BY GROUPING SETS ({sets})", params)
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
