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
from .derived import GROUP_KEYS, value_column
from .filters import Filters
from .frames import frame as _frame
from .listing import META_COLUMNS, ORDER, figures, reports, searched, wide
from .years import SAME_AGENCY

__all__ = ["META_COLUMNS", "ORDER", "figures", "reports", "wide"]  # the listings live in store/listing.py


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


def findings(store: Store, filters: Filters, rules: tuple[str, ...] = ()) -> pd.DataFrame:
    """The findings of the selected reports, errors first; only the given rule ids when `rules` is set."""
    clause, params = where(filters, "v")
    if rules:
        clause += f" AND x.rule IN ({', '.join('?' for _ in rules)})"
        params += list(rules)
    return _frame(
        store, f"SELECT v.report_id, v.agency, v.year, x.rule, x.severity, x.message, array_to_string(x.keys, ', ') AS keys "
        f"FROM report_values v JOIN findings x USING (report_id) WHERE {clause} "
        f"ORDER BY CASE x.severity WHEN 'error' THEN 0 WHEN 'warn' THEN 1 ELSE 2 END, v.year, v.agency", params)


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


def unknown(store: Store) -> pd.DataFrame:
    """Reports whose year or region the text did not give."""
    return store.query("SELECT report_id, title, agency, year, region, file_name FROM report_values "
                       "WHERE active AND (year IS NULL OR region IS NULL) ORDER BY report_id")


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
    return {c: out[c] for c in ("province", "city", "region", "year", "format_era", "level", "scope", "agency")}


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

def data_version(store: Store) -> tuple[int, int]:
    """Files stored and corrections made: changes whenever a report is saved or a figure corrected."""
    frame = store.query("SELECT (SELECT count(*) FROM sources) AS s, (SELECT count(*) FROM corrections) AS c")
    return int(frame["s"].iloc[0]), int(frame["c"].iloc[0])
